/* SPDX-License-Identifier: BSD-3-Clause */
/* strtol family, ato*, abs/div, qsort and bsearch. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mica/test.h>
#include "nolibc_test.h"

/* Parse s with strtol; check value, errno and how much was consumed. */
static int strtol_is(const char *s, int base, long want, int want_errno,
		     size_t want_used)
{
	char *end = (char *)"unset";
	long v;

	errno = 0;
	v = strtol(s, &end, base);
	if (v == want && errno == want_errno && end == s + want_used)
		return 1;
	mica_test_log("strtol(\"%s\", %d): %ld errno %d used %ld, want %ld "
		      "errno %d used %zu",
		      s, base, v, errno, (long)(end - s), want, want_errno,
		      want_used);
	return 0;
}

static int strtoul_is(const char *s, int base, unsigned long want,
		      int want_errno, size_t want_used)
{
	char *end = (char *)"unset";
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, base);
	if (v == want && errno == want_errno && end == s + want_used)
		return 1;
	mica_test_log("strtoul(\"%s\", %d): %lu errno %d used %ld, want %lu "
		      "errno %d used %zu",
		      s, base, v, errno, (long)(end - s), want, want_errno,
		      want_used);
	return 0;
}

#define EXPECT_STRTOL(s, base, want, err, used) \
	MICA_EXPECT_TRUE(strtol_is(s, base, want, err, used))
#define EXPECT_STRTOUL(s, base, want, err, used) \
	MICA_EXPECT_TRUE(strtoul_is(s, base, want, err, used))

MICA_TEST(nolibc_stdlib, strtol_bases)
{
	EXPECT_STRTOL("123", 10, 123, 0, 3);
	EXPECT_STRTOL("123", 8, 83, 0, 3);
	EXPECT_STRTOL("123", 16, 0x123, 0, 3);
	EXPECT_STRTOL("101", 2, 5, 0, 3);
	EXPECT_STRTOL("zZ", 36, 35 * 36 + 35, 0, 2);
	EXPECT_STRTOL("1a", 10, 1, 0, 1);
	EXPECT_STRTOL("19", 8, 1, 0, 1);
	EXPECT_STRTOL("12", 2, 1, 0, 1);
	EXPECT_STRTOL("aBcDeF", 16, 0xabcdef, 0, 6);
}

MICA_TEST(nolibc_stdlib, strtol_base0_prefixes)
{
	EXPECT_STRTOL("0x1f", 0, 31, 0, 4);
	EXPECT_STRTOL("0X1F", 0, 31, 0, 4);
	EXPECT_STRTOL("017", 0, 15, 0, 3);
	EXPECT_STRTOL("0", 0, 0, 0, 1);
	EXPECT_STRTOL("42", 0, 42, 0, 2);
	/* "08" in base 0 is octal: the 8 ends it. */
	EXPECT_STRTOL("08", 0, 0, 0, 1);
	EXPECT_STRTOL("-0x10", 0, -16, 0, 5);
	/* Base 16 accepts the prefix too. */
	EXPECT_STRTOL("0x10", 16, 16, 0, 4);
	EXPECT_STRTOL("10", 16, 16, 0, 2);
	/* Base 10 does not: "0" then 'x' stops. */
	EXPECT_STRTOL("0x10", 10, 0, 0, 1);
}

MICA_TEST(nolibc_stdlib, strtol_0x_without_hex_digit)
{
	/* The subject is "0"; endptr points at the 'x'. */
	EXPECT_STRTOL("0x", 16, 0, 0, 1);
	EXPECT_STRTOL("0x", 0, 0, 0, 1);
	EXPECT_STRTOL("0xg", 16, 0, 0, 1);
	EXPECT_STRTOL("0xg", 0, 0, 0, 1);
	EXPECT_STRTOL(" -0x", 0, 0, 0, 3);
}

MICA_TEST(nolibc_stdlib, strtol_space_and_sign)
{
	EXPECT_STRTOL("  42", 10, 42, 0, 4);
	EXPECT_STRTOL("\t\n\v\f\r 42", 10, 42, 0, 8);
	EXPECT_STRTOL("-42", 10, -42, 0, 3);
	EXPECT_STRTOL("+42", 10, 42, 0, 3);
	EXPECT_STRTOL("  -7 rest", 10, -7, 0, 4);
	EXPECT_STRTOL("-0", 10, 0, 0, 2);
}

MICA_TEST(nolibc_stdlib, strtol_no_digits)
{
	/* No conversion: 0 and endptr == nptr, even past space and sign. */
	EXPECT_STRTOL("", 10, 0, 0, 0);
	EXPECT_STRTOL("   ", 10, 0, 0, 0);
	EXPECT_STRTOL("abc", 10, 0, 0, 0);
	EXPECT_STRTOL("-", 10, 0, 0, 0);
	EXPECT_STRTOL(" +", 10, 0, 0, 0);
	EXPECT_STRTOL("- 1", 10, 0, 0, 0);
	EXPECT_STRTOL("+-1", 10, 0, 0, 0);
	EXPECT_STRTOL("z", 35, 0, 0, 0);
}

MICA_TEST(nolibc_stdlib, strtol_overflow)
{
	if (sizeof(long) == 8) {
		EXPECT_STRTOL("9223372036854775807", 10, T_LONG_MAX, 0, 19);
		EXPECT_STRTOL("-9223372036854775808", 10, T_LONG_MIN, 0, 20);
		EXPECT_STRTOL("9223372036854775808", 10, T_LONG_MAX, ERANGE,
			      19);
		EXPECT_STRTOL("-9223372036854775809", 10, T_LONG_MIN, ERANGE,
			      20);
		EXPECT_STRTOL("0x8000000000000000", 0, T_LONG_MAX, ERANGE, 18);
	}
	/* Far out of range: every digit is still consumed. */
	EXPECT_STRTOL("123456789012345678901234567890xyz", 10, T_LONG_MAX,
		      ERANGE, 30);
	EXPECT_STRTOL("-123456789012345678901234567890", 10, T_LONG_MIN, ERANGE,
		      31);
}

MICA_TEST(nolibc_stdlib, strtol_bad_base)
{
	char *end = NULL;
	const char *s = "123";

	errno = 0;
	MICA_EXPECT_EQ(strtol(s, &end, 1), 0);
	MICA_EXPECT_EQ(errno, EINVAL);
	MICA_EXPECT_EQ(end, s);
	errno = 0;
	MICA_EXPECT_EQ(strtol(s, &end, 37), 0);
	MICA_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	MICA_EXPECT_EQ(strtoul(s, NULL, -1), 0);
	MICA_EXPECT_EQ(errno, EINVAL);
}

MICA_TEST(nolibc_stdlib, strtoul_edges)
{
	EXPECT_STRTOUL("42", 10, 42, 0, 2);
	/* "-1" is accepted and wraps: ULONG_MAX, no error. */
	EXPECT_STRTOUL("-1", 10, T_ULONG_MAX, 0, 2);
	EXPECT_STRTOUL("-0x10", 0, 0 - 16UL, 0, 5);
	if (sizeof(long) == 8) {
		EXPECT_STRTOUL("18446744073709551615", 10, T_ULONG_MAX, 0, 20);
		EXPECT_STRTOUL("18446744073709551616", 10, T_ULONG_MAX, ERANGE,
			       20);
		EXPECT_STRTOUL("0xffffffffffffffff", 16, T_ULONG_MAX, 0, 18);
		/* The magnitude overflows before negation: ERANGE. */
		EXPECT_STRTOUL("-18446744073709551616", 10, T_ULONG_MAX, ERANGE,
			       21);
	}
	EXPECT_STRTOUL("", 0, 0, 0, 0);
	EXPECT_STRTOUL("0x", 0, 0, 0, 1);
}

MICA_TEST(nolibc_stdlib, strtoll_strtoull)
{
	char *end;

	errno = 0;
	MICA_EXPECT_EQ(strtoll("-9223372036854775808", &end, 10), T_LLONG_MIN);
	MICA_EXPECT_EQ(errno, 0);
	MICA_EXPECT_EQ(*end, '\0');
	MICA_EXPECT_EQ(strtoll("9223372036854775808", NULL, 10), T_LLONG_MAX);
	MICA_EXPECT_EQ(errno, ERANGE);
	errno = 0;
	MICA_EXPECT_EQ(strtoull("18446744073709551615", NULL, 10),
		       T_ULLONG_MAX);
	MICA_EXPECT_EQ(errno, 0);
	MICA_EXPECT_EQ(strtoull("18446744073709551616", NULL, 10),
		       T_ULLONG_MAX);
	MICA_EXPECT_EQ(errno, ERANGE);
	errno = 0;
	MICA_EXPECT_EQ(strtoull("-1", NULL, 0), T_ULLONG_MAX);
	MICA_EXPECT_EQ(errno, 0);
	MICA_EXPECT_EQ(strtoull("1777777777777777777777", NULL, 8),
		       T_ULLONG_MAX);
	MICA_EXPECT_EQ(strtoull("3w5e11264sgsf", NULL, 36), T_ULLONG_MAX);
	MICA_EXPECT_EQ(errno, 0);
	MICA_EXPECT_EQ(strtoull("3w5e11264sgsg", NULL, 36), T_ULLONG_MAX);
	MICA_EXPECT_EQ(errno, ERANGE);
}

MICA_TEST(nolibc_stdlib, strtoimax_strtoumax)
{
	char *end;

	errno = 0;
	MICA_EXPECT_EQ(strtoimax(" -0x7f;", &end, 0), -127);
	MICA_EXPECT_EQ(*end, ';');
	MICA_EXPECT_EQ(strtoumax("777", NULL, 8), 511);
	MICA_EXPECT_EQ(strtoimax("-9223372036854775809", NULL, 10), INTMAX_MIN);
	MICA_EXPECT_EQ(errno, ERANGE);
}

MICA_TEST(nolibc_stdlib, ato_functions)
{
	MICA_EXPECT_EQ(atoi("  -123abc"), -123);
	MICA_EXPECT_EQ(atoi("0x10"), 0);
	MICA_EXPECT_EQ(atoi("010"), 10);
	MICA_EXPECT_EQ(atoi("x"), 0);
	MICA_EXPECT_EQ(atol("2147483647"), 2147483647L);
	MICA_EXPECT_EQ(atoll("-9223372036854775808"), T_LLONG_MIN);
}

MICA_TEST(nolibc_stdlib, abs_and_div)
{
	div_t d;
	ldiv_t ld;
	lldiv_t lld;
	imaxdiv_t md;

	MICA_EXPECT_EQ(abs(-5), 5);
	MICA_EXPECT_EQ(abs(5), 5);
	MICA_EXPECT_EQ(abs(0), 0);
	MICA_EXPECT_EQ(abs(-T_INT_MAX), T_INT_MAX);
	MICA_EXPECT_EQ(labs(-7L), 7L);
	MICA_EXPECT_EQ(llabs(-T_LLONG_MAX), T_LLONG_MAX);
	MICA_EXPECT_EQ(imaxabs(-3), 3);

	/* Truncation toward zero: the remainder has the dividend's sign. */
	d = div(-7, 2);
	MICA_EXPECT_EQ(d.quot, -3);
	MICA_EXPECT_EQ(d.rem, -1);
	d = div(7, -2);
	MICA_EXPECT_EQ(d.quot, -3);
	MICA_EXPECT_EQ(d.rem, 1);
	ld = ldiv(100L, 7L);
	MICA_EXPECT_EQ(ld.quot, 14);
	MICA_EXPECT_EQ(ld.rem, 2);
	lld = lldiv(-100LL, 7LL);
	MICA_EXPECT_EQ(lld.quot, -14);
	MICA_EXPECT_EQ(lld.rem, -2);
	md = imaxdiv(T_LLONG_MIN, 10);
	MICA_EXPECT_EQ(md.quot, T_LLONG_MIN / 10);
	MICA_EXPECT_EQ(md.rem, -8);
}

/* qsort: a tiny PRNG gives reproducible inputs on every platform. */
static unsigned int lcg(unsigned int *state)
{
	*state = *state * 1103515245U + 12345U;
	return *state >> 16;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_uchar(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

struct record {
	long key;
	unsigned int id;
	unsigned int check; /* id * 2654435761: detects torn moves */
	char tag[8];
};

static int cmp_record(const void *a, const void *b)
{
	const struct record *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

#define SORT_MAX 300

MICA_TEST(nolibc_stdlib, qsort_ints_many_sizes)
{
	static int v[SORT_MAX];
	unsigned int seed = 1, n, i, range;
	int bad = 0;

	for (n = 0; n <= SORT_MAX; n += n < 20 ? 1 : 37) {
		/* Small ranges give many duplicates. */
		for (range = 2; range <= 1000; range *= 10) {
			long sum = 0, sum_after = 0;

			for (i = 0; i < n; i++) {
				v[i] = (int)(lcg(&seed) % range) - 1;
				sum += v[i];
			}
			qsort(v, n, sizeof(v[0]), cmp_int);
			for (i = 0; i < n; i++) {
				sum_after += v[i];
				if (i && v[i - 1] > v[i])
					bad++;
			}
			/* A permutation keeps the sum. */
			bad += sum != sum_after;
		}
	}
	MICA_EXPECT_EQ(bad, 0);
}

MICA_TEST(nolibc_stdlib, qsort_presorted_and_reversed)
{
	static int v[SORT_MAX];
	unsigned int i;
	int bad = 0;

	for (i = 0; i < SORT_MAX; i++)
		v[i] = i;
	qsort(v, SORT_MAX, sizeof(v[0]), cmp_int);
	for (i = 0; i < SORT_MAX; i++)
		bad += v[i] != (int)i;
	for (i = 0; i < SORT_MAX; i++)
		v[i] = SORT_MAX - i;
	qsort(v, SORT_MAX, sizeof(v[0]), cmp_int);
	for (i = 0; i < SORT_MAX; i++)
		bad += v[i] != (int)i + 1;
	for (i = 0; i < SORT_MAX; i++)
		v[i] = 7;
	qsort(v, SORT_MAX, sizeof(v[0]), cmp_int);
	for (i = 0; i < SORT_MAX; i++)
		bad += v[i] != 7;
	MICA_EXPECT_EQ(bad, 0);
}

MICA_TEST(nolibc_stdlib, qsort_element_size_1)
{
	static unsigned char b[SORT_MAX + 1];
	unsigned int seed = 7, counts[256] = {0}, n, i;
	int bad = 0;

	for (n = 1; n <= SORT_MAX; n += 23) {
		for (i = 0; i < 256; i++)
			counts[i] = 0;
		/* Odd start address: the byte-wise swap path. */
		for (i = 0; i < n; i++) {
			b[i + 1] = lcg(&seed);
			counts[b[i + 1]]++;
		}
		qsort(b + 1, n, 1, cmp_uchar);
		for (i = 0; i < n; i++) {
			if (i && b[i] > b[i + 1])
				bad++;
			counts[b[i + 1]]--;
		}
		for (i = 0; i < 256; i++)
			bad += counts[i] != 0;
	}
	MICA_EXPECT_EQ(bad, 0);
}

MICA_TEST(nolibc_stdlib, qsort_element_size_24)
{
	static struct record r[SORT_MAX];
	unsigned int seed = 3, n = SORT_MAX, i;
	int bad = 0;

	MICA_BUILD_BUG_ON(sizeof(struct record) != 24);
	for (i = 0; i < n; i++) {
		r[i].key = (long)(lcg(&seed) % 50) - 25;
		r[i].id = i;
		r[i].check = i * 2654435761U;
		memcpy(r[i].tag, "record!", 8);
	}
	qsort(r, n, sizeof(r[0]), cmp_record);
	for (i = 0; i < n; i++) {
		if (i && r[i - 1].key > r[i].key)
			bad++;
		bad += r[i].check != r[i].id * 2654435761U;
		bad += memcmp(r[i].tag, "record!", 8) != 0;
	}
	MICA_EXPECT_EQ(bad, 0);
	/* Sorting 0 or 1 element touches nothing. */
	qsort(NULL, 0, sizeof(r[0]), cmp_record);
	qsort(r, 1, sizeof(r[0]), cmp_record);
}

MICA_TEST(nolibc_stdlib, bsearch_finds)
{
	static const int v[] = {-10, -3, 0, 2, 2, 2, 9, 40, 41, 1000};
	const int n = MICA_ARRAY_SIZE(v);
	int key, i, bad = 0;
	const int *p;

	for (i = 0; i < n; i++) {
		p = bsearch(&v[i], v, n, sizeof(v[0]), cmp_int);
		bad += !p || *p != v[i];
	}
	MICA_EXPECT_EQ(bad, 0);
	for (key = -11; key <= 1001; key++) {
		int present = 0;

		for (i = 0; i < n; i++)
			present |= v[i] == key;
		p = bsearch(&key, v, n, sizeof(v[0]), cmp_int);
		bad += present ? !p || *p != key : p != NULL;
	}
	MICA_EXPECT_EQ(bad, 0);
	key = 2;
	MICA_EXPECT_NULL(bsearch(&key, v, 0, sizeof(v[0]), cmp_int));
	MICA_EXPECT_EQ(bsearch(&v[0], v, 1, sizeof(v[0]), cmp_int), &v[0]);
}
