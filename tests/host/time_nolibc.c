/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc's side of date_vs_libc: gmtime_r and timegm through nolibc's own
 * <time.h>, with struct tm passed as nine ints (the two libraries' struct
 * tm need not have the same layout).
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include "tm_ints.h"

/* 0 and out[] filled, or the errno gmtime_r set. */
int mica_host_nolibc_gmtime(int64_t t, int out[9])
{
	time_t tt = t;
	struct tm tm;

	errno = 0;
	if (!gmtime_r(&tt, &tm))
		return errno;
	tm_to_ints(&tm, out);
	return 0;
}

/* timegm of the first six fields of io[] (sec..year); io[] normalised. */
int64_t mica_host_nolibc_timegm(int io[9])
{
	struct tm tm = {
		.tm_sec = io[0],
		.tm_min = io[1],
		.tm_hour = io[2],
		.tm_mday = io[3],
		.tm_mon = io[4],
		.tm_year = io[5],
	};
	time_t t = timegm(&tm);

	tm_to_ints(&tm, io);
	return t;
}
