/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host test: nolibc's strtol family against glibc's.
 *
 * For hand-picked and random strings in every base, both libraries must
 * agree on the value, on where *endptr points and on errno. nolibc's
 * sources are built with their names prefixed nolibc_ (see the Makefile).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long nolibc_strtol(const char *nptr, char **endptr, int base);
long long nolibc_strtoll(const char *nptr, char **endptr, int base);
unsigned long nolibc_strtoul(const char *nptr, char **endptr, int base);
unsigned long long nolibc_strtoull(const char *nptr, char **endptr, int base);
intmax_t nolibc_strtoimax(const char *nptr, char **endptr, int base);
uintmax_t nolibc_strtoumax(const char *nptr, char **endptr, int base);
int nolibc_atoi(const char *nptr);
long nolibc_atol(const char *nptr);
long long nolibc_atoll(const char *nptr);
int *mica_errno_location(void);

static unsigned long checks, failures;

enum func { F_L, F_LL, F_UL, F_ULL, F_IMAX, F_UMAX, F_COUNT };
static const char *const func_names[] = {
	"strtol", "strtoll", "strtoul", "strtoull", "strtoimax", "strtoumax",
};

struct result {
	unsigned long long value; /* bit pattern of the return value */
	long end;		  /* endptr - nptr */
	int err;
};

static struct result run_libc(enum func f, const char *s, int base)
{
	struct result r;
	char *end = (char *)s;

	errno = 0;
	switch (f) {
	case F_L:
		r.value = strtol(s, &end, base);
		break;
	case F_LL:
		r.value = strtoll(s, &end, base);
		break;
	case F_UL:
		r.value = strtoul(s, &end, base);
		break;
	case F_ULL:
		r.value = strtoull(s, &end, base);
		break;
	case F_IMAX:
		r.value = strtoimax(s, &end, base);
		break;
	default:
		r.value = strtoumax(s, &end, base);
		break;
	}
	r.err = errno;
	r.end = end - s;
	return r;
}

static struct result run_nolibc(enum func f, const char *s, int base)
{
	struct result r;
	char *end = (char *)s;

	*mica_errno_location() = 0;
	switch (f) {
	case F_L:
		r.value = nolibc_strtol(s, &end, base);
		break;
	case F_LL:
		r.value = nolibc_strtoll(s, &end, base);
		break;
	case F_UL:
		r.value = nolibc_strtoul(s, &end, base);
		break;
	case F_ULL:
		r.value = nolibc_strtoull(s, &end, base);
		break;
	case F_IMAX:
		r.value = nolibc_strtoimax(s, &end, base);
		break;
	default:
		r.value = nolibc_strtoumax(s, &end, base);
		break;
	}
	r.err = *mica_errno_location();
	r.end = end - s;
	return r;
}

static void check(const char *s, int base)
{
	int valid_base = base == 0 || (base >= 2 && base <= 36);
	enum func f;

	for (f = 0; f < F_COUNT; f++) {
		struct result want = run_libc(f, s, base);
		struct result got = run_nolibc(f, s, base);

		/*
		 * With a bad base glibc leaves *endptr alone; nolibc sets it
		 * to nptr, as C11 asks for "no conversion performed".
		 */
		if (!valid_base)
			want.end = 0;
		checks++;
		if (want.value != got.value || want.end != got.end ||
		    want.err != got.err) {
			if (++failures <= 30)
				printf("# %s(\"%s\", %d): glibc %#llx end %ld "
				       "errno %d, nolibc %#llx end %ld errno "
				       "%d\n",
				       func_names[f], s, base, want.value,
				       want.end, want.err, got.value, got.end,
				       got.err);
		}
	}

	if (base == 10) {
		checks++;
		/* atoi is undefined out of int's range: compare inside it. */
		if (nolibc_atol(s) != atol(s) || nolibc_atoll(s) != atoll(s) ||
		    (atol(s) == (int)atol(s) && nolibc_atoi(s) != atoi(s))) {
			if (++failures <= 30)
				printf("# ato*(\"%s\") differ\n", s);
		}
	}
}

static const char *const fixed[] = {
	"",
	" ",
	"0",
	"-0",
	"+0",
	"1",
	"-1",
	"+1",
	"  42",
	"\t\n\v\f\r 42",
	"42abc",
	"abc",
	"-",
	"+",
	"- 1",
	"+-1",
	"--1",
	"0x",
	"0X",
	"0x1",
	"0XaBc",
	"0xg",
	"-0x",
	"-0x10",
	" 0x7fffffffffffffff",
	"0x8000000000000000",
	"0xffffffffffffffff",
	"0x10000000000000000",
	"0b101",
	"0777",
	"08",
	"09",
	"0",
	"00000000000000000000000000000001",
	"z",
	"Z",
	"zz",
	"-zz",
	"9223372036854775807",
	"9223372036854775808",
	"-9223372036854775808",
	"-9223372036854775809",
	"18446744073709551615",
	"18446744073709551616",
	"-18446744073709551615",
	"-18446744073709551616",
	"99999999999999999999999999999999",
	"-99999999999999999999999999999999",
	"2147483647",
	"2147483648",
	"-2147483648",
	"-2147483649",
	"4294967295",
	"4294967296",
	"-4294967296",
	"1111111111111111111111111111111111111111111111111111"
	"111111111111",
	"3w5e11264sgsf",
	"3w5e11264sgsg",
	"1y2p0ij32e8e7",
	"1y2p0ij32e8e8",
	"12 34",
	"1_000",
	"0x-1",
	"0x 1",
	"1.5",
	"1e3",
	"\x80"
	"1",
	"1\x80",
	" +0x1f",
	"-0X1F",
};

static unsigned long long rng_state = 0x73747274ULL;

static unsigned int pick(unsigned int n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545f4914f6cdd1dULL >> 33) % n;
}

static void random_string(char *buf, size_t size)
{
	static const char *const spaces[] = {"", " ", "\t", "  \n"};
	static const char *const signs[] = {"", "", "-", "+", "-+"};
	static const char *const prefixes[] = {"", "", "0", "0x", "0X", "00"};
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ .-_";
	size_t n, i, ndig = pick(4) ? pick(12) : pick(70);

	n = snprintf(buf, size, "%s%s%s", spaces[pick(4)], signs[pick(5)],
		     prefixes[pick(6)]);
	/* Mostly decimal or hex digits, sometimes anything. */
	for (i = 0; i < ndig && n + 1 < size; i++)
		buf[n++] = digits[pick(4) ? pick(pick(2) ? 10 : 16)
					  : pick(sizeof(digits) - 1)];
	buf[n] = 0;
}

int main(void)
{
	static const int bases[] = {0, 2, 8, 10, 16, 36, 3, 7, 1, 37, -1};
	char buf[128];
	size_t i, b;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		for (b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
			check(fixed[i], bases[b]);
	for (i = 2; i <= 36; i++)
		check("1zZ9aA-", i);
	for (i = 0; i < 100000; i++) {
		random_string(buf, sizeof(buf));
		check(buf, bases[pick(7)]);
	}

	printf("# strtol_vs_libc: %lu checks, %lu failed\n", checks, failures);
	return failures ? 1 : 0;
}
