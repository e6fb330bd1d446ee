/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <sys/time.h>: gettimeofday() and struct timeval. The time is
 * CLOCK_REALTIME's (see <time.h>). There are no time zones: a struct
 * timezone passed in is filled with zeroes (UTC, no DST).
 */
#ifndef MICA_NOLIBC_SYS_TIME_H
#define MICA_NOLIBC_SYS_TIME_H

#include <sys/types.h>

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec; /* 0..999999 */
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* Always 0. tz may be NULL (and should be: it is obsolete). */
int gettimeofday(struct timeval *restrict tv, void *restrict tz);

#endif /* MICA_NOLIBC_SYS_TIME_H */
