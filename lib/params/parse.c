/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Number parsing for parameters. Values come from the command line, i.e.
 * from whoever starts the VM: every malformed input is -EINVAL. Pure
 * logic, also built for the host tests.
 */
#include <mica/params.h>

#define PARAMS_EINVAL 22

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int mica_param_parse_u64(const char *s, int suffixes, unsigned long long *out,
			 int *negative)
{
	unsigned long long v = 0;
	unsigned int base = 10, shift = 0;
	int ndigits = 0, d;

	*negative = 0;
	if (*s == '-' || *s == '+')
		*negative = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	for (; (d = digit_value(*s)) < (int)base; s++, ndigits++) {
		if (v > (~0ULL - (unsigned int)d) / base)
			return -PARAMS_EINVAL;
		v = v * base + (unsigned int)d;
	}
	if (!ndigits && base != 8)
		return -PARAMS_EINVAL;
	if (suffixes && *s) {
		switch (*s++) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		default:
			return -PARAMS_EINVAL;
		}
		if (v > (~0ULL >> shift))
			return -PARAMS_EINVAL;
		v <<= shift;
	}
	if (*s)
		return -PARAMS_EINVAL;
	*out = v;
	return 0;
}
