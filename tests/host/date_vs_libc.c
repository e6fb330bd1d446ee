/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host test: nolibc's gmtime_r and timegm give glibc's results: every
 * day from 1600 to 2500 at a varying time of day, random times over
 * +-2^40 s (about 35000 years), the ends of the int year range, and
 * timegm of random, out-of-range fields.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "tm_ints.h"

int mica_host_nolibc_gmtime(int64_t t, int out[9]);
int64_t mica_host_nolibc_timegm(int io[9]);

static const char *const field[9] = {
	"sec", "min", "hour", "mday", "mon", "year", "wday", "yday", "isdst",
};

static unsigned int failures;

static void report(const char *what, long long t, const int a[9],
		   const int b[9])
{
	int i;

	if (++failures > 20)
		return;
	printf("# %s(%lld):", what, t);
	for (i = 0; i < 9; i++)
		if (a[i] != b[i])
			printf(" %s nolibc %d glibc %d", field[i], a[i], b[i]);
	printf("\n");
}

static void check_gmtime(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	int mine[9], ref[9];
	int err = mica_host_nolibc_gmtime(t, mine);

	if (!gmtime_r(&tt, &tm)) {
		if (err != EOVERFLOW && ++failures <= 20)
			printf("# gmtime_r(%lld): glibc overflows, nolibc "
			       "returns %d\n",
			       (long long)t, err);
		return;
	}
	tm_to_ints(&tm, ref);
	if (err) {
		if (++failures <= 20)
			printf("# gmtime_r(%lld): nolibc error %d\n",
			       (long long)t, err);
		return;
	}
	if (memcmp(mine, ref, sizeof(mine)))
		report("gmtime_r", t, mine, ref);
}

/* xorshift64: the same sequence on every run. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int in_range(int lo, int hi)
{
	return lo + (int)(next() % (uint64_t)(hi - lo + 1));
}

static void check_timegm(void)
{
	int in[9] = {0}, mine[9], ref[9];
	struct tm tm;
	int64_t a;
	time_t b;

	in[0] = in_range(-100000, 100000);
	in[1] = in_range(-5000, 5000);
	in[2] = in_range(-500, 500);
	in[3] = in_range(-1000, 1000);
	in[4] = in_range(-100, 100);
	in[5] = in_range(-3000, 8000);
	memset(&tm, 0, sizeof(tm));
	tm.tm_sec = in[0];
	tm.tm_min = in[1];
	tm.tm_hour = in[2];
	tm.tm_mday = in[3];
	tm.tm_mon = in[4];
	tm.tm_year = in[5];
	memcpy(mine, in, sizeof(mine));
	a = mica_host_nolibc_timegm(mine);
	b = timegm(&tm);
	tm_to_ints(&tm, ref);
	if (a != (int64_t)b) {
		if (++failures <= 20)
			printf("# timegm(%d-%d-%d %d:%d:%d): nolibc %lld, "
			       "glibc %lld\n",
			       in[5], in[4], in[3], in[2], in[1], in[0],
			       (long long)a, (long long)b);
		return;
	}
	if (memcmp(mine, ref, sizeof(mine)))
		report("timegm", a, mine, ref);
}

int main(void)
{
	/* 1600-01-01 and 2500-01-01. */
	const int64_t first = -11676096000LL, last = 16725225600LL;
	const int64_t span = (int64_t)1 << 40;
	int64_t t;
	int i;

	for (t = first; t < last; t += 86400)
		check_gmtime(t + (t / 86400 % 86400 + 86400) % 86400);
	for (i = 0; i < 1000000; i++)
		check_gmtime((int64_t)(next() % (2 * (uint64_t)span)) - span);
	for (i = -100000; i <= 100000; i++)
		check_gmtime(i);
	/* Around the largest and smallest years an int holds. */
	for (i = -2; i <= 2; i++) {
		check_gmtime(67768036191676799LL + i);	/* INT_MAX+1900 end */
		check_gmtime(-67768040609740800LL + i); /* INT_MIN+1900 start */
	}
	check_gmtime(INT64_MAX);
	check_gmtime(INT64_MIN);
	for (i = 0; i < 1000000; i++)
		check_timegm();
	if (failures)
		printf("# %u mismatches\n", failures);
	return failures != 0;
}
