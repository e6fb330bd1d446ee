/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The in-image test runner. Output is KTAP version 1
 * (Documentation/dev-tools/ktap.rst in Linux): one subtest per suite,
 * one result line per case, diagnostics as "# " lines before the result.
 */
#include <stdarg.h>
#include <mica/print.h>
#include <mica/test.h>

extern const struct mica_test_case __mica_tests_start[];
extern const struct mica_test_case __mica_tests_end[];

static int test_case_failed;

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

void mica_test_log(const char *fmt, ...)
{
	va_list ap;

	mica_printf("    # ");
	va_start(ap, fmt);
	mica_vprintf(fmt, ap);
	va_end(ap);
	mica_printf("\n");
}

static int test_fail(const char *file, int line, const char *expr)
{
	test_case_failed = 1;
	mica_test_log("%s:%d: expected %s", file, line, expr);
	return 0;
}

int mica_test_check(int ok, const char *file, int line, const char *expr)
{
	return ok ? 1 : test_fail(file, line, expr);
}

int mica_test_check_int(int ok, const char *file, int line, const char *expr,
			long long a, long long b)
{
	if (ok)
		return 1;
	test_fail(file, line, expr);
	mica_test_log("    left:  %lld (0x%llx)", a, (unsigned long long)a);
	mica_test_log("    right: %lld (0x%llx)", b, (unsigned long long)b);
	return 0;
}

int mica_test_check_str(const char *file, int line, const char *expr,
			const char *a, const char *b, int want_equal)
{
	int eq = a && b ? str_eq(a, b) : a == b;

	if (eq == !!want_equal)
		return 1;
	test_fail(file, line, expr);
	mica_test_log("    left:  \"%s\"", a ? a : "(null)");
	mica_test_log("    right: \"%s\"", b ? b : "(null)");
	return 0;
}

int mica_test_check_mem(const char *file, int line, const char *expr,
			const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a, *pb = b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (pa[i] != pb[i])
			break;
	}
	if (i == n)
		return 1;
	test_fail(file, line, expr);
	mica_test_log("    first difference at byte %zu: 0x%02x != 0x%02x", i,
		      pa[i], pb[i]);
	return 0;
}

static const struct mica_test_case *suite_end(const struct mica_test_case *c)
{
	const struct mica_test_case *e = c;

	while (e < __mica_tests_end && str_eq(e->suite, c->suite))
		e++;
	return e;
}

int mica_test_run_all(void)
{
	const struct mica_test_case *c, *end;
	int nsuites = 0, suite_no = 0, failed_cases = 0, passed_cases = 0;

	for (c = __mica_tests_start; c < __mica_tests_end; c = suite_end(c))
		nsuites++;

	mica_printf("KTAP version 1\n1..%d\n", nsuites);
	for (c = __mica_tests_start; c < __mica_tests_end; c = end) {
		int case_no = 0, suite_failed = 0;

		end = suite_end(c);
		mica_printf(
			"    KTAP version 1\n    # Subtest: %s\n    1..%d\n",
			c->suite, (int)(end - c));
		for (; c < end; c++) {
			test_case_failed = 0;
			c->fn();
			case_no++;
			mica_printf("    %s %d %s\n",
				    test_case_failed ? "not ok" : "ok", case_no,
				    c->name);
			suite_failed |= test_case_failed;
			if (test_case_failed)
				failed_cases++;
			else
				passed_cases++;
		}
		suite_no++;
		mica_printf("%s %d %s\n", suite_failed ? "not ok" : "ok",
			    suite_no, (end - 1)->suite);
	}
	mica_printf("# mica-test: %d passed, %d failed\n", passed_cases,
		    failed_cases);
	return failed_cases;
}
