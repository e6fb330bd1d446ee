/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-image tests. A case is a function registered with MICA_TEST(suite,
 * name); cases of one suite run together and are reported as one KTAP
 * subtest. The same sources run on every platform.
 *
 *	#include <mica/test.h>
 *
 *	MICA_TEST(nolibc_string, strlen_counts_bytes)
 *	{
 *		MICA_EXPECT_EQ(strlen("abc"), 3);
 *	}
 *
 * MICA_EXPECT_* records a failure (file:line, the expression and both
 * values) and carries on; MICA_REQUIRE_* does the same, then returns from
 * the test function, so use it only in the function body.
 */
#ifndef MICA_TEST_H
#define MICA_TEST_H

#include <stddef.h>
#include <mica/compiler.h>

struct mica_test_case {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

/* Cases sort by ".mica_tests.<suite>.<case>" so a suite is contiguous. */
#define MICA_TEST(suite, name)                                               \
	static void mica_test_##suite##__##name(void);                       \
	static const struct mica_test_case                                   \
		mica_test_case_##suite##__##name __mica_used                 \
			__mica_table_entry __mica_section(                   \
				".mica_tests." #suite "." #name) = {         \
				#suite, #name, mica_test_##suite##__##name}; \
	static void mica_test_##suite##__##name(void)

/* Reporting back ends; return 1 when the check passed, 0 otherwise. */
int mica_test_check(int ok, const char *file, int line, const char *expr);
int mica_test_check_int(int ok, const char *file, int line, const char *expr,
			long long a, long long b);
int mica_test_check_str(const char *file, int line, const char *expr,
			const char *a, const char *b, int want_equal);
int mica_test_check_mem(const char *file, int line, const char *expr,
			const void *a, const void *b, size_t n);

/* Print a KTAP diagnostic line ("# ...") for the running case. */
void mica_test_log(const char *fmt, ...) __mica_printf(1, 2);

/*
 * Run every registered suite, printing KTAP on the console.
 * Returns the number of failed cases.
 */
int mica_test_run_all(void);

#define MICA_TEST_CMP_(op, a, b)                                               \
	({                                                                     \
		__auto_type a_ = (a);                                          \
		__auto_type b_ = (b);                                          \
		/* Tests compare size_t with literals all the time. */         \
		_Pragma("GCC diagnostic push") _Pragma(                        \
			"GCC diagnostic ignored \"-Wsign-compare\"") int ok_ = \
			a_ op b_;                                              \
		_Pragma("GCC diagnostic pop") mica_test_check_int(             \
			ok_, __FILE__, __LINE__, #a " " #op " " #b,            \
			(long long)(a_), (long long)(b_));                     \
	})

#define MICA_EXPECT_EQ(a, b) ((void)MICA_TEST_CMP_(==, a, b))
#define MICA_EXPECT_NE(a, b) ((void)MICA_TEST_CMP_(!=, a, b))
#define MICA_EXPECT_LT(a, b) ((void)MICA_TEST_CMP_(<, a, b))
#define MICA_EXPECT_LE(a, b) ((void)MICA_TEST_CMP_(<=, a, b))
#define MICA_EXPECT_GT(a, b) ((void)MICA_TEST_CMP_(>, a, b))
#define MICA_EXPECT_GE(a, b) ((void)MICA_TEST_CMP_(>=, a, b))
#define MICA_EXPECT_TRUE(x) \
	((void)mica_test_check(!!(x), __FILE__, __LINE__, #x))
#define MICA_EXPECT_FALSE(x) \
	((void)mica_test_check(!(x), __FILE__, __LINE__, "!(" #x ")"))
#define MICA_EXPECT_NULL(p) \
	((void)mica_test_check((p) == NULL, __FILE__, __LINE__, #p " == NULL"))
#define MICA_EXPECT_NOT_NULL(p) \
	((void)mica_test_check((p) != NULL, __FILE__, __LINE__, #p " != NULL"))
#define MICA_EXPECT_STREQ(a, b) \
	((void)mica_test_check_str(__FILE__, __LINE__, #a " == " #b, a, b, 1))
#define MICA_EXPECT_STRNE(a, b) \
	((void)mica_test_check_str(__FILE__, __LINE__, #a " != " #b, a, b, 0))
#define MICA_EXPECT_MEMEQ(a, b, n) \
	((void)mica_test_check_mem(__FILE__, __LINE__, #a " == " #b, a, b, n))

#define MICA_REQUIRE_(check)    \
	do {                    \
		if (!(check))   \
			return; \
	} while (0)
#define MICA_REQUIRE_EQ(a, b) MICA_REQUIRE_(MICA_TEST_CMP_(==, a, b))
#define MICA_REQUIRE_NE(a, b) MICA_REQUIRE_(MICA_TEST_CMP_(!=, a, b))
#define MICA_REQUIRE_TRUE(x) \
	MICA_REQUIRE_(mica_test_check(!!(x), __FILE__, __LINE__, #x))
#define MICA_REQUIRE_NOT_NULL(p)                                       \
	MICA_REQUIRE_(mica_test_check((p) != NULL, __FILE__, __LINE__, \
				      #p " != NULL"))

#endif /* MICA_TEST_H */
