/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * printf family: every conversion, flag, width/precision form and length
 * modifier against the string C99 (or, for %p and "%s" of NULL, glibc)
 * prints, plus snprintf's truncation and return value.
 *
 * Formats go through fmt_is(), which has no format attribute on purpose:
 * many cases here are formats GCC rightly warns about ("%-05d"), and the
 * point is to see what the engine does with them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <mica/test.h>
#include "nolibc_test.h"

static int fmt_is(const char *want, const char *fmt, ...)
{
	char buf[256];
	size_t len = strlen(want);
	va_list ap;
	int n;

	memset(buf, 'X', sizeof(buf));
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n == (int)len && !strcmp(buf, want))
		return 1;
	mica_test_log("format \"%s\": got \"%.100s\" (%d), want \"%s\" (%d)",
		      fmt, buf, n, want, (int)len);
	return 0;
}

#define EXPECT_FMT(want, ...) MICA_EXPECT_TRUE(fmt_is(want, __VA_ARGS__))

MICA_TEST(nolibc_printf, literal_text_and_percent)
{
	EXPECT_FMT("", "");
	EXPECT_FMT("plain", "plain");
	EXPECT_FMT("%", "%%");
	EXPECT_FMT("100% sure", "100%% sure");
	EXPECT_FMT("a%b%%c", "a%%b%%%%c");
}

MICA_TEST(nolibc_printf, conversion_d_i)
{
	EXPECT_FMT("0", "%d", 0);
	EXPECT_FMT("42", "%d", 42);
	EXPECT_FMT("-42", "%i", -42);
	EXPECT_FMT("2147483647", "%d", T_INT_MAX);
	EXPECT_FMT("-2147483648", "%d", T_INT_MIN);
	EXPECT_FMT("-2147483648", "%i", T_INT_MIN);
	EXPECT_FMT("7 -8", "%d %i", 7, -8);
}

MICA_TEST(nolibc_printf, conversion_u_x_X_o)
{
	EXPECT_FMT("4294967295", "%u", T_UINT_MAX);
	EXPECT_FMT("3000000000", "%u", 3000000000U);
	EXPECT_FMT("deadbeef", "%x", 0xdeadbeefU);
	EXPECT_FMT("DEADBEEF", "%X", 0xdeadbeefU);
	EXPECT_FMT("0", "%x", 0);
	EXPECT_FMT("17", "%o", 15);
	EXPECT_FMT("37777777777", "%o", T_UINT_MAX);
	/* Negative ints reinterpret as unsigned. */
	EXPECT_FMT("ffffffff", "%x", -1);
	EXPECT_FMT("4294967295", "%u", -1);
}

MICA_TEST(nolibc_printf, conversion_c_s)
{
	EXPECT_FMT("A", "%c", 'A');
	EXPECT_FMT("xyz", "%c%c%c", 'x', 'y', 'z');
	/* %c takes an int and prints it as unsigned char. */
	EXPECT_FMT("a", "%c", 0x100 + 'a');
	EXPECT_FMT("hello", "%s", "hello");
	EXPECT_FMT("", "%s", "");
	EXPECT_FMT("[(null)]", "[%s]", (char *)NULL);
	EXPECT_FMT("a-b", "%s-%s", "a", "b");
}

MICA_TEST(nolibc_printf, conversion_p)
{
	EXPECT_FMT("0x1234", "%p", (void *)0x1234);
	EXPECT_FMT("0xabcdef", "%p", (void *)0xabcdef);
	EXPECT_FMT("(nil)", "%p", (void *)NULL);
	EXPECT_FMT("   (nil)", "%8p", (void *)NULL);
	EXPECT_FMT("(nil)   |", "%-8p|", (void *)NULL);
	EXPECT_FMT("  0x1f", "%6p", (void *)0x1f);
	EXPECT_FMT("0x001f", "%06p", (void *)0x1f);
	EXPECT_FMT("0x001f", "%.4p", (void *)0x1f);
	if (sizeof(void *) == 8)
		EXPECT_FMT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
}

MICA_TEST(nolibc_printf, flag_minus)
{
	EXPECT_FMT("42   |", "%-5d|", 42);
	EXPECT_FMT("-42  |", "%-5d|", -42);
	EXPECT_FMT("ab   |", "%-5s|", "ab");
	EXPECT_FMT("x    |", "%-5c|", 'x');
	/* '-' beats '0'. */
	EXPECT_FMT("42   |", "%-05d|", 42);
}

MICA_TEST(nolibc_printf, flag_plus_and_space)
{
	EXPECT_FMT("+42", "%+d", 42);
	EXPECT_FMT("-42", "%+d", -42);
	EXPECT_FMT("+0", "%+d", 0);
	EXPECT_FMT(" 42", "% d", 42);
	EXPECT_FMT("-42", "% d", -42);
	/* '+' beats ' '. */
	EXPECT_FMT("+42", "%+ d", 42);
	EXPECT_FMT("+42", "% +d", 42);
	/* Unsigned conversions have no sign. */
	EXPECT_FMT("42", "%+u", 42);
	EXPECT_FMT("2a", "% x", 42);
	EXPECT_FMT("  +42", "%+5d", 42);
}

MICA_TEST(nolibc_printf, flag_hash)
{
	EXPECT_FMT("0x2a", "%#x", 42);
	EXPECT_FMT("0X2A", "%#X", 42);
	EXPECT_FMT("0", "%#x", 0);
	EXPECT_FMT("052", "%#o", 42);
	EXPECT_FMT("0", "%#o", 0);
	/* The precision already gives a leading zero: no second one. */
	EXPECT_FMT("00052", "%#.5o", 42);
	/* "%#.0o" of 0 still prints the 0 that '#' asks for. */
	EXPECT_FMT("0", "%#.0o", 0);
	EXPECT_FMT("", "%#.0x", 0);
	EXPECT_FMT("   0x2a", "%#7x", 42);
	EXPECT_FMT("0x0002a", "%#07x", 42);
	EXPECT_FMT("0x002a", "%#.4x", 42);
}

MICA_TEST(nolibc_printf, flag_zero)
{
	EXPECT_FMT("00042", "%05d", 42);
	EXPECT_FMT("-0042", "%05d", -42);
	EXPECT_FMT("+0042", "%+05d", 42);
	EXPECT_FMT(" 0042", "% 05d", 42);
	EXPECT_FMT("0002a", "%05x", 42);
	/* Ignored with a precision. */
	EXPECT_FMT("  042", "%05.3d", 42);
	EXPECT_FMT("     ", "%05.0d", 0);
	/* Ignored for %s and %c, as glibc does. */
	EXPECT_FMT("   ab", "%05s", "ab");
	EXPECT_FMT("    c", "%05c", 'c');
}

MICA_TEST(nolibc_printf, width)
{
	EXPECT_FMT("   42", "%5d", 42);
	EXPECT_FMT("12345678", "%5d", 12345678);
	EXPECT_FMT("  -42", "%5d", -42);
	EXPECT_FMT("   ab", "%5s", "ab");
	EXPECT_FMT("    c", "%5c", 'c');
	EXPECT_FMT("   2a", "%5x", 42);
	EXPECT_FMT("42", "%1d", 42);
	EXPECT_FMT("                        x", "%25s", "x");
}

MICA_TEST(nolibc_printf, precision)
{
	EXPECT_FMT("00042", "%.5d", 42);
	EXPECT_FMT("-00042", "%.5d", -42);
	EXPECT_FMT("   00042", "%8.5d", 42);
	EXPECT_FMT("00042   |", "%-8.5d|", 42);
	EXPECT_FMT("0002a", "%.5x", 42);
	/* Precision 0 and value 0: no digits at all. */
	EXPECT_FMT("", "%.0d", 0);
	EXPECT_FMT("", "%.d", 0);
	EXPECT_FMT("", "%.0u", 0);
	EXPECT_FMT("", "%.0x", 0);
	EXPECT_FMT("", "%.0o", 0);
	EXPECT_FMT("   ", "%3.0d", 0);
	EXPECT_FMT("+", "%+.0d", 0);
	EXPECT_FMT("1", "%.0d", 1);
	/* Strings: at most that many bytes. */
	EXPECT_FMT("hel", "%.3s", "hello");
	EXPECT_FMT("hello", "%.10s", "hello");
	EXPECT_FMT("", "%.0s", "hello");
	EXPECT_FMT("  hel", "%5.3s", "hello");
	/* NULL with a precision too short for "(null)" prints nothing. */
	EXPECT_FMT("", "%.3s", (char *)NULL);
	EXPECT_FMT("(null)", "%.6s", (char *)NULL);
}

MICA_TEST(nolibc_printf, precision_does_not_read_past)
{
	/* Not terminated: only the first 3 bytes may be read. */
	char unterminated[3] = {'a', 'b', 'c'};

	EXPECT_FMT("abc", "%.3s", unterminated);
	EXPECT_FMT("ab", "%.*s", 2, unterminated);
}

MICA_TEST(nolibc_printf, star_width_and_precision)
{
	EXPECT_FMT("   42", "%*d", 5, 42);
	/* Negative '*' width: '-' flag plus the width. */
	EXPECT_FMT("42   |", "%*d|", -5, 42);
	EXPECT_FMT("00042", "%.*d", 5, 42);
	/* Negative '*' precision: as if none was given. */
	EXPECT_FMT("42", "%.*d", -3, 42);
	EXPECT_FMT("00042", "%05.*d", -3, 42);
	EXPECT_FMT("  042", "%05.*d", 3, 42);
	EXPECT_FMT("0", "%.*d", -1, 0);
	EXPECT_FMT("   00042", "%*.*d", 8, 5, 42);
	EXPECT_FMT("ab   |", "%-*.*s|", 5, 2, "abc");
	EXPECT_FMT("x  |y", "%*c|%c", -3, 'x', 'y');
}

MICA_TEST(nolibc_printf, length_hh_h)
{
	EXPECT_FMT("-56", "%hhd", 200);
	EXPECT_FMT("200", "%hhu", 200);
	EXPECT_FMT("ff", "%hhx", 0x1ff);
	EXPECT_FMT("-128", "%hhi", 128);
	EXPECT_FMT("-25536", "%hd", 40000);
	EXPECT_FMT("40000", "%hu", 40000);
	EXPECT_FMT("ffff", "%hx", 0x1ffff);
	EXPECT_FMT("177777", "%ho", 0xffff);
}

MICA_TEST(nolibc_printf, length_l_ll)
{
	if (sizeof(long) == 8) {
		EXPECT_FMT("-9223372036854775808", "%ld", T_LONG_MIN);
		EXPECT_FMT("18446744073709551615", "%lu", T_ULONG_MAX);
	} else {
		EXPECT_FMT("-2147483648", "%ld", T_LONG_MIN);
		EXPECT_FMT("4294967295", "%lu", T_ULONG_MAX);
	}
	EXPECT_FMT("-1", "%li", -1L);
	EXPECT_FMT("-9223372036854775808", "%lld", T_LLONG_MIN);
	EXPECT_FMT("9223372036854775807", "%lli", T_LLONG_MAX);
	EXPECT_FMT("18446744073709551615", "%llu", T_ULLONG_MAX);
	EXPECT_FMT("ffffffffffffffff", "%llx", T_ULLONG_MAX);
	EXPECT_FMT("FFFFFFFFFFFFFFFF", "%llX", T_ULLONG_MAX);
	EXPECT_FMT("1777777777777777777777", "%llo", T_ULLONG_MAX);
	EXPECT_FMT("100000000", "%llx", 0x100000000ULL);
	EXPECT_FMT("-0000000000000000000009223372036854775808", "%.40lld",
		   T_LLONG_MIN);
}

MICA_TEST(nolibc_printf, length_z_t_j)
{
	EXPECT_FMT("123", "%zu", (size_t)123);
	EXPECT_FMT("-5", "%zd", (ptrdiff_t)-5);
	EXPECT_FMT("7b", "%zx", (size_t)123);
	EXPECT_FMT("-7", "%td", (ptrdiff_t)-7);
	EXPECT_FMT("9223372036854775807", "%jd", INTMAX_MAX);
	EXPECT_FMT("-9223372036854775808", "%jd", INTMAX_MIN);
	EXPECT_FMT("18446744073709551615", "%ju", UINTMAX_MAX);
	if (sizeof(size_t) == 8)
		EXPECT_FMT("18446744073709551615", "%zu", SIZE_MAX);
}

MICA_TEST(nolibc_printf, several_conversions)
{
	EXPECT_FMT("name=eth0 mtu=1500 flags=0x1003 up",
		   "name=%s mtu=%d flags=%#x %s", "eth0", 1500, 0x1003, "up");
	EXPECT_FMT("[  -1|2    |003|0x4]", "[%4d|%-5u|%03o|%p]", -1, 2U, 3,
		   (void *)4);
}

MICA_TEST(nolibc_printf, unknown_conversions_print_literally)
{
	EXPECT_FMT("%f", "%f");
	EXPECT_FMT("[%5.2f]", "[%5.2f]");
	EXPECT_FMT("%n", "%n");
	EXPECT_FMT("%q7", "%q%d", 7);
	EXPECT_FMT("abc%", "abc%");
	EXPECT_FMT("%-5", "%-5");
	EXPECT_FMT("%lf", "%lf");
}

MICA_TEST(nolibc_printf, snprintf_truncates)
{
	char buf[8];
	int n;

	memset(buf, 'X', sizeof(buf));
	n = snprintf(buf, sizeof(buf), "%s", "hello, world");
	MICA_EXPECT_EQ(n, 12);
	MICA_EXPECT_STREQ(buf, "hello, ");

	memset(buf, 'X', sizeof(buf));
	n = snprintf(buf, 6, "%d", -123456);
	MICA_EXPECT_EQ(n, 7);
	MICA_EXPECT_STREQ(buf, "-1234");
	/* Nothing written past size. */
	MICA_EXPECT_EQ(buf[6], 'X');

	/* size 1: only the terminator. */
	memset(buf, 'X', sizeof(buf));
	n = snprintf(buf, 1, "abc");
	MICA_EXPECT_EQ(n, 3);
	MICA_EXPECT_EQ(buf[0], '\0');
	MICA_EXPECT_EQ(buf[1], 'X');

	/* size 0: nothing written at all, NULL allowed. */
	memset(buf, 'X', sizeof(buf));
	n = snprintf(buf, 0, "abc");
	MICA_EXPECT_EQ(n, 3);
	MICA_EXPECT_EQ(buf[0], 'X');
	MICA_EXPECT_EQ(snprintf(NULL, 0, "%d-%s", 12345, "ab"), 8);

	/* Exactly fitting. */
	n = snprintf(buf, 4, "abc");
	MICA_EXPECT_EQ(n, 3);
	MICA_EXPECT_STREQ(buf, "abc");

	/* Truncation inside padding. */
	n = snprintf(buf, sizeof(buf), "%20d", 5);
	MICA_EXPECT_EQ(n, 20);
	MICA_EXPECT_STREQ(buf, "       ");
}

MICA_TEST(nolibc_printf, sprintf_and_vsprintf)
{
	char buf[64];

	MICA_EXPECT_EQ(sprintf(buf, "%s:%d", "port", 8080), 9);
	MICA_EXPECT_STREQ(buf, "port:8080");
	MICA_EXPECT_EQ(sprintf(buf, "%c", 'z'), 1);
	MICA_EXPECT_STREQ(buf, "z");
}

MICA_TEST(nolibc_printf, long_output)
{
	char buf[200];
	int n;

	n = snprintf(buf, sizeof(buf), "%-150s|", "x");
	MICA_EXPECT_EQ(n, 151);
	MICA_EXPECT_EQ(buf[0], 'x');
	MICA_EXPECT_EQ(buf[149], ' ');
	MICA_EXPECT_EQ(buf[150], '|');
	MICA_EXPECT_EQ(buf[151], '\0');

	n = snprintf(buf, sizeof(buf), "%0150d", -1);
	MICA_EXPECT_EQ(n, 150);
	MICA_EXPECT_EQ(buf[0], '-');
	MICA_EXPECT_EQ(buf[1], '0');
	MICA_EXPECT_EQ(buf[148], '0');
	MICA_EXPECT_EQ(buf[149], '1');
}
