/* SPDX-License-Identifier: BSD-3-Clause */
/* errno, strerror, assert, <inttypes.h>, <sys/types.h> and stdio output. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <mica/test.h>
#include "nolibc_test.h"

MICA_TEST(nolibc_errno, errno_is_an_lvalue)
{
	int *where = &errno;

	errno = 0;
	MICA_EXPECT_EQ(errno, 0);
	errno = ENOMEM;
	MICA_EXPECT_EQ(errno, ENOMEM);
	MICA_EXPECT_EQ(*where, ENOMEM);
	errno++;
	MICA_EXPECT_EQ(errno, ENOMEM + 1);
	MICA_EXPECT_EQ(&errno, mica_errno_location());
	errno = 0;
}

MICA_TEST(nolibc_errno, linux_numbers)
{
	MICA_EXPECT_EQ(EPERM, 1);
	MICA_EXPECT_EQ(ENOENT, 2);
	MICA_EXPECT_EQ(EIO, 5);
	MICA_EXPECT_EQ(EAGAIN, 11);
	MICA_EXPECT_EQ(EWOULDBLOCK, EAGAIN);
	MICA_EXPECT_EQ(ENOMEM, 12);
	MICA_EXPECT_EQ(EINVAL, 22);
	MICA_EXPECT_EQ(ERANGE, 34);
	MICA_EXPECT_EQ(ENOSYS, 38);
	MICA_EXPECT_EQ(EOPNOTSUPP, 95);
	MICA_EXPECT_EQ(ENOTSUP, EOPNOTSUPP);
	MICA_EXPECT_EQ(ETIMEDOUT, 110);
	MICA_EXPECT_EQ(EHWPOISON, 133);
}

MICA_TEST(nolibc_errno, strerror_messages)
{
	MICA_EXPECT_STREQ(strerror(0), "Success");
	MICA_EXPECT_STREQ(strerror(EINVAL), "Invalid argument");
	MICA_EXPECT_STREQ(strerror(ENOENT), "No such file or directory");
	MICA_EXPECT_STREQ(strerror(EHWPOISON),
			  "Memory page has hardware error");
	MICA_EXPECT_STREQ(strerror(-1), "Unknown error");
	MICA_EXPECT_STREQ(strerror(134), "Unknown error");
	MICA_EXPECT_STREQ(strerror(T_INT_MIN), "Unknown error");
}

/* NDEBUG switches assert off where <assert.h> is included again. */
static int evaluated;

static int side_effect(void)
{
	evaluated++;
	return 1;
}

#define NDEBUG
#include <assert.h>
static void assert_off(void)
{
	assert(side_effect() == 0);
}

#undef NDEBUG
#include <assert.h>
static void assert_on(void)
{
	assert(side_effect() == 1);
}

MICA_TEST(nolibc_assert, ndebug_and_passing_asserts)
{
	evaluated = 0;
	assert_off();
	/* Not evaluated at all, so a false assertion did not stop us. */
	MICA_EXPECT_EQ(evaluated, 0);
	assert_on();
	MICA_EXPECT_EQ(evaluated, 1);
	static_assert(sizeof(char) == 1, "static_assert is C11's");
}

/* Print through snprintf and compare. */
static int printed_is(const char *want, const char *fmt, ...)
	__mica_printf(2, 3);

static int printed_is(const char *want, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!strcmp(buf, want))
		return 1;
	mica_test_log("got \"%s\", want \"%s\"", buf, want);
	return 0;
}

MICA_TEST(nolibc_inttypes, format_macros)
{
	MICA_EXPECT_TRUE(
		printed_is("-9223372036854775808", "%" PRId64, INT64_MIN));
	MICA_EXPECT_TRUE(
		printed_is("18446744073709551615", "%" PRIu64, UINT64_MAX));
	MICA_EXPECT_TRUE(
		printed_is("ffffffffffffffff", "%" PRIx64, UINT64_MAX));
	MICA_EXPECT_TRUE(printed_is("-2147483648", "%" PRIi32, INT32_MIN));
	MICA_EXPECT_TRUE(printed_is("FFFF", "%" PRIX16, (uint16_t)0xffff));
	MICA_EXPECT_TRUE(printed_is("377", "%" PRIo8, (uint8_t)0xff));
	MICA_EXPECT_TRUE(
		printed_is("-128", "%" PRIdLEAST8, (int_least8_t)-128));
	MICA_EXPECT_TRUE(printed_is("4294967295", "%" PRIuFAST32,
				    (uint_fast32_t)UINT32_MAX));
	MICA_EXPECT_TRUE(
		printed_is("-9223372036854775807", "%" PRIdMAX, -INTMAX_MAX));
	MICA_EXPECT_TRUE(printed_is("1000", "%" PRIxPTR, (uintptr_t)0x1000));
	MICA_EXPECT_TRUE(printed_is("-3", "%" PRIdPTR, (intptr_t)-3));
}

MICA_TEST(nolibc_types, widths)
{
	MICA_EXPECT_EQ(sizeof(ssize_t), sizeof(size_t));
	MICA_EXPECT_LT((ssize_t)-1, 0);
	MICA_EXPECT_EQ(sizeof(off_t), 8);
	MICA_EXPECT_LT((off_t)-1, 0);
	MICA_EXPECT_EQ(sizeof(pid_t), 4);
	MICA_EXPECT_EQ(sizeof(uid_t), 4);
	MICA_EXPECT_GT((uid_t)-1, 0);
}

/*
 * Console output: the text lands in the test log as KTAP diagnostics
 * ("    # ...", indented like a case's); what is checked here is the
 * return values.
 */
MICA_TEST(nolibc_stdio, output_functions)
{
	MICA_EXPECT_NOT_NULL(stdout);
	MICA_EXPECT_NOT_NULL(stderr);
	MICA_EXPECT_NE(stdout, stderr);
	MICA_EXPECT_EQ(printf("    # nolibc stdio: printf %d\n", 42), 30);
	MICA_EXPECT_EQ(fprintf(stdout, "    # nolibc stdio: %s\n", "fprintf"),
		       28);
	MICA_EXPECT_EQ(fprintf(stderr, "    # nolibc stdio: stderr\n"), 27);
	MICA_EXPECT_GE(puts("    # nolibc stdio: puts"), 0);
	MICA_EXPECT_GE(fputs("    # nolibc stdio: fputs\n", stdout), 0);
	MICA_EXPECT_GE(fputs("    ", stdout), 0);
	MICA_EXPECT_EQ(putchar('#'), '#');
	MICA_EXPECT_EQ(fputc(' ', stdout), ' ');
	MICA_EXPECT_EQ(putc('p', stdout), 'p');
	/* putchar returns the byte as unsigned char. */
	MICA_EXPECT_EQ(putchar('\n' + 256), '\n');
	MICA_EXPECT_EQ(fwrite("    # fwrite!\n", 7, 2, stdout), 2);
	MICA_EXPECT_EQ(fwrite("x", 0, 3, stdout), 0);
	MICA_EXPECT_EQ(fflush(stdout), 0);
	MICA_EXPECT_EQ(fflush(NULL), 0);
	errno = ERANGE;
	perror("    # nolibc stdio: perror");
	errno = 0;
}
