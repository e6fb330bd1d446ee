/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Character classes over every argument value C allows (EOF and
 * 0..255). Each class is checked against a list of its members written
 * out here, independent of the ranges ctype.c computes with.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <mica/test.h>

#define DIGITS "0123456789"
#define LOWER  "abcdefghijklmnopqrstuvwxyz"
#define UPPER  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define PUNCT  "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
#define SPACE  " \t\n\v\f\r"

/* Is c one of the bytes of set? (The NUL terminator is not a member.) */
static int member(int c, const char *set)
{
	for (; *set; set++) {
		if ((unsigned char)*set == c)
			return 1;
	}
	return 0;
}

static int is_cntrl_byte(int c)
{
	return (c >= 0 && c < 32) || c == 127;
}

/* Count the values in EOF..255 where f disagrees with want. */
static int mismatches(int (*f)(int), int (*want)(int))
{
	int c, bad = 0;

	for (c = EOF; c <= 255; c++)
		bad += !f(c) != !want(c);
	return bad;
}

static int want_digit(int c)
{
	return member(c, DIGITS);
}

static int want_lower(int c)
{
	return member(c, LOWER);
}

static int want_upper(int c)
{
	return member(c, UPPER);
}

static int want_alpha(int c)
{
	return member(c, LOWER UPPER);
}

static int want_alnum(int c)
{
	return member(c, LOWER UPPER DIGITS);
}

static int want_xdigit(int c)
{
	return member(c, DIGITS "abcdefABCDEF");
}

static int want_punct(int c)
{
	return member(c, PUNCT);
}

static int want_space(int c)
{
	return member(c, SPACE);
}

static int want_blank(int c)
{
	return member(c, " \t");
}

static int want_cntrl(int c)
{
	return is_cntrl_byte(c);
}

static int want_graph(int c)
{
	return member(c, LOWER UPPER DIGITS PUNCT);
}

static int want_print(int c)
{
	return want_graph(c) || c == ' ';
}

static int want_ascii(int c)
{
	return c >= 0 && c <= 127;
}

MICA_TEST(nolibc_ctype, classes_over_all_bytes)
{
	MICA_EXPECT_EQ(mismatches(isdigit, want_digit), 0);
	MICA_EXPECT_EQ(mismatches(islower, want_lower), 0);
	MICA_EXPECT_EQ(mismatches(isupper, want_upper), 0);
	MICA_EXPECT_EQ(mismatches(isalpha, want_alpha), 0);
	MICA_EXPECT_EQ(mismatches(isalnum, want_alnum), 0);
	MICA_EXPECT_EQ(mismatches(isxdigit, want_xdigit), 0);
	MICA_EXPECT_EQ(mismatches(ispunct, want_punct), 0);
	MICA_EXPECT_EQ(mismatches(isspace, want_space), 0);
	MICA_EXPECT_EQ(mismatches(isblank, want_blank), 0);
	MICA_EXPECT_EQ(mismatches(iscntrl, want_cntrl), 0);
	MICA_EXPECT_EQ(mismatches(isgraph, want_graph), 0);
	MICA_EXPECT_EQ(mismatches(isprint, want_print), 0);
	MICA_EXPECT_EQ(mismatches(isascii, want_ascii), 0);
}

MICA_TEST(nolibc_ctype, class_sizes)
{
	int c, n[3] = {0, 0, 0};

	/* C locale: 95 printable, 33 control, 32 punctuation characters. */
	for (c = EOF; c <= 255; c++) {
		n[0] += !!isprint(c);
		n[1] += !!iscntrl(c);
		n[2] += !!ispunct(c);
	}
	MICA_EXPECT_EQ(n[0], 95);
	MICA_EXPECT_EQ(n[1], 33);
	MICA_EXPECT_EQ(n[2], 32);
}

MICA_TEST(nolibc_ctype, case_mapping)
{
	int c, bad = 0;

	for (c = EOF; c <= 255; c++) {
		const char *l = memchr(LOWER, c, 26);
		const char *u = memchr(UPPER, c, 26);
		int want_lo = u ? LOWER[u - UPPER] : c;
		int want_up = l ? UPPER[l - LOWER] : c;

		if (c == EOF)
			want_lo = want_up = EOF;
		bad += tolower(c) != want_lo;
		bad += toupper(c) != want_up;
	}
	MICA_EXPECT_EQ(bad, 0);
	MICA_EXPECT_EQ(tolower('Q'), 'q');
	MICA_EXPECT_EQ(toupper('q'), 'Q');
	MICA_EXPECT_EQ(toupper(0xe9), 0xe9);
	MICA_EXPECT_EQ(tolower(EOF), EOF);
}
