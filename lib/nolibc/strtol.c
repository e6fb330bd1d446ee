/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * String to integer conversions (C11 7.22.1.4, 7.8.2.3).
 *
 * One parser produces the magnitude as an unsigned long long plus the
 * sign, and each function then clamps it to its own type, so the corner
 * cases (overflow, "-0", "-1" for the unsigned ones, an "0x" with no
 * digit after it) are handled once.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#define ULLONG_MAX_ (__LONG_LONG_MAX__ * 2ULL + 1)
#define ULONG_MAX_  (__LONG_MAX__ * 2UL + 1)

_Static_assert(sizeof(intmax_t) == sizeof(long long), "strtoimax is strtoll");

struct parsed {
	unsigned long long mag; /* saturated at ULLONG_MAX on overflow */
	int neg;
	int overflow;
};

static int digit_value(unsigned char c)
{
	if (isdigit(c))
		return c - '0';
	if (islower(c))
		return c - 'a' + 10;
	if (isupper(c))
		return c - 'A' + 10;
	return 36;
}

/*
 * Parse nptr in base; sets *endptr (if not NULL) to the first unused
 * character, or to nptr when there is no number at all.
 */
static struct parsed parse(const char *nptr, char **endptr, int base)
{
	struct parsed r = {0, 0, 0};
	const unsigned char *s = (const unsigned char *)nptr;
	const unsigned char *digits;
	unsigned long long cutoff;
	int d, cutlim;

	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (endptr)
			*endptr = (char *)nptr;
		return r;
	}

	while (isspace(*s))
		s++;
	if (*s == '-' || *s == '+')
		r.neg = *s++ == '-';

	/*
	 * "0x" counts as a prefix only when a hex digit follows; otherwise
	 * the number is the "0" and parsing stops at the 'x'.
	 */
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}

	cutoff = ULLONG_MAX_ / base;
	cutlim = ULLONG_MAX_ % base;
	for (digits = s; (d = digit_value(*s)) < base; s++) {
		if (r.overflow || r.mag > cutoff ||
		    (r.mag == cutoff && d > cutlim)) {
			r.overflow = 1;
			r.mag = ULLONG_MAX_;
		} else {
			r.mag = r.mag * base + d;
		}
	}

	if (s == digits) {
		/* No digits: not even a sign was consumed. */
		r.neg = 0;
		s = (const unsigned char *)nptr;
	}
	if (endptr)
		*endptr = (char *)s;
	return r;
}

/* Clamp to [-max - 1, max]. */
static long long to_signed(struct parsed r, unsigned long long max)
{
	if (r.neg) {
		if (r.overflow || r.mag > max + 1) {
			errno = ERANGE;
			return -(long long)max - 1;
		}
		/* -(max + 1) is representable only via the unsigned path. */
		return (long long)(0 - r.mag);
	}
	if (r.overflow || r.mag > max) {
		errno = ERANGE;
		return (long long)max;
	}
	return (long long)r.mag;
}

/* C11: a negated magnitude wraps in the unsigned type ("-1" is max). */
static unsigned long long to_unsigned(struct parsed r, unsigned long long max)
{
	if (r.overflow || r.mag > max) {
		errno = ERANGE;
		return max;
	}
	return r.neg ? (0 - r.mag) & max : r.mag;
}

long strtol(const char *restrict nptr, char **restrict endptr, int base)
{
	return to_signed(parse(nptr, endptr, base), __LONG_MAX__);
}

long long strtoll(const char *restrict nptr, char **restrict endptr, int base)
{
	return to_signed(parse(nptr, endptr, base), __LONG_LONG_MAX__);
}

unsigned long strtoul(const char *restrict nptr, char **restrict endptr,
		      int base)
{
	return to_unsigned(parse(nptr, endptr, base), ULONG_MAX_);
}

unsigned long long strtoull(const char *restrict nptr, char **restrict endptr,
			    int base)
{
	return to_unsigned(parse(nptr, endptr, base), ULLONG_MAX_);
}

intmax_t strtoimax(const char *restrict nptr, char **restrict endptr, int base)
{
	return strtoll(nptr, endptr, base);
}

uintmax_t strtoumax(const char *restrict nptr, char **restrict endptr, int base)
{
	return strtoull(nptr, endptr, base);
}

/* C11 7.22.1.2: like strtol, except that errors need not be reported. */
int atoi(const char *nptr)
{
	return (int)strtol(nptr, NULL, 10);
}

long atol(const char *nptr)
{
	return strtol(nptr, NULL, 10);
}

long long atoll(const char *nptr)
{
	return strtoll(nptr, NULL, 10);
}
