/* SPDX-License-Identifier: BSD-3-Clause */
/* Integer arithmetic helpers and the ways out of the image. */
#include <inttypes.h>
#include <stdlib.h>
#include <mica/boot.h>
#include <mica/debug.h>

/* abs(INT_MIN) and friends are undefined in C; here they wrap. */
int abs(int j)
{
	return j < 0 ? (int)(0U - (unsigned int)j) : j;
}

long labs(long j)
{
	return j < 0 ? (long)(0UL - (unsigned long)j) : j;
}

long long llabs(long long j)
{
	return j < 0 ? (long long)(0ULL - (unsigned long long)j) : j;
}

intmax_t imaxabs(intmax_t j)
{
	return j < 0 ? (intmax_t)(0 - (uintmax_t)j) : j;
}

/* C99 division truncates toward zero, so quot and rem are just / and %. */
div_t div(int numer, int denom)
{
	div_t r = {numer / denom, numer % denom};

	return r;
}

ldiv_t ldiv(long numer, long denom)
{
	ldiv_t r = {numer / denom, numer % denom};

	return r;
}

lldiv_t lldiv(long long numer, long long denom)
{
	lldiv_t r = {numer / denom, numer % denom};

	return r;
}

imaxdiv_t imaxdiv(intmax_t numer, intmax_t denom)
{
	imaxdiv_t r = {numer / denom, numer % denom};

	return r;
}

void abort(void)
{
	MICA_CRASH("abort() called");
}

void exit(int status)
{
	mica_exit(status);
}

void _Exit(int status)
{
	mica_exit(status);
}
