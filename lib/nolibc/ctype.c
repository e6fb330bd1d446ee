/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Character classes of the C locale (C11 7.4), computed from ranges
 * rather than looked up in a table: a few instructions each, and an
 * argument outside EOF..255 cannot index out of bounds.
 */
#include <ctype.h>

static int in_range(int c, int lo, int hi)
{
	return c >= lo && c <= hi;
}

int isdigit(int c)
{
	return in_range(c, '0', '9');
}

int islower(int c)
{
	return in_range(c, 'a', 'z');
}

int isupper(int c)
{
	return in_range(c, 'A', 'Z');
}

int isalpha(int c)
{
	return islower(c) || isupper(c);
}

int isalnum(int c)
{
	return isalpha(c) || isdigit(c);
}

int isxdigit(int c)
{
	return isdigit(c) || in_range(c, 'a', 'f') || in_range(c, 'A', 'F');
}

int isblank(int c)
{
	return c == ' ' || c == '\t';
}

int isspace(int c)
{
	/* ' ', \t \n \v \f \r */
	return c == ' ' || in_range(c, '\t', '\r');
}

int iscntrl(int c)
{
	return in_range(c, 0, 0x1f) || c == 0x7f;
}

int isprint(int c)
{
	return in_range(c, 0x20, 0x7e);
}

int isgraph(int c)
{
	return in_range(c, 0x21, 0x7e);
}

int ispunct(int c)
{
	return isgraph(c) && !isalnum(c);
}

int isascii(int c)
{
	return in_range(c, 0, 0x7f);
}

int tolower(int c)
{
	return isupper(c) ? c + ('a' - 'A') : c;
}

int toupper(int c)
{
	return islower(c) ? c - ('a' - 'A') : c;
}
