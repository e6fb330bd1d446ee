/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <time.h>: clocks, sleeping and calendar time (C11 7.27, POSIX).
 *
 * Clocks come from the platform (mica/plat/time.h): CLOCK_MONOTONIC counts
 * from a point during boot and never goes back; CLOCK_REALTIME is the wall
 * clock read at boot advanced by the monotonic clock, so it never jumps
 * either. The clock ids are Linux's numbers. There are no time zones:
 * local time is UTC, and mktime() is timegm().
 *
 * Sleeping blocks the calling thread when a scheduler is in the image and
 * waits with the timer interrupt otherwise. There are no signals, so a
 * sleep is never interrupted (no EINTR, *rem is never written).
 */
#ifndef MICA_NOLIBC_TIME_H
#define MICA_NOLIBC_TIME_H

#include <stddef.h>
#include <sys/types.h>

struct timespec {
	time_t tv_sec;
	long tv_nsec; /* 0..999999999 */
};

/* POSIX.1-2024 added tm_gmtoff and tm_zone (always 0 and "UTC" here). */
struct tm {
	int tm_sec;   /* 0..60 */
	int tm_min;   /* 0..59 */
	int tm_hour;  /* 0..23 */
	int tm_mday;  /* 1..31 */
	int tm_mon;   /* 0..11 */
	int tm_year;  /* years since 1900 */
	int tm_wday;  /* 0..6, Sunday = 0 */
	int tm_yday;  /* 0..365 */
	int tm_isdst; /* always 0 */
	long tm_gmtoff;
	const char *tm_zone;
};

#define CLOCK_REALTIME	       0
#define CLOCK_MONOTONIC	       1
#define CLOCK_MONOTONIC_RAW    4 /* the same as CLOCK_MONOTONIC */
#define CLOCK_REALTIME_COARSE  5 /* the same as CLOCK_REALTIME */
#define CLOCK_MONOTONIC_COARSE 6 /* the same as CLOCK_MONOTONIC */
#define CLOCK_BOOTTIME	       7 /* the same: the image never suspends */

#define TIMER_ABSTIME 1

/* clock() counts microseconds since boot: one program owns the machine. */
#define CLOCKS_PER_SEC 1000000L

/*
 * 0, or -1 with errno EINVAL for an unknown clock (clock_getres: the
 * resolution is reported as 1 ns, the unit of the platform's clocks).
 */
int clock_gettime(clockid_t clk, struct timespec *ts);
int clock_getres(clockid_t clk, struct timespec *res);
time_t time(time_t *tloc);
clock_t clock(void);

/*
 * nanosleep: 0, or -1 with errno EINVAL when tv_nsec is outside
 * 0..999999999 or tv_sec is negative. clock_nanosleep returns the error
 * number itself (EINVAL, also for an unknown clock), as POSIX says; with
 * TIMER_ABSTIME it sleeps until *req on that clock (a time already past
 * returns at once).
 */
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
		    struct timespec *rem);

/*
 * Calendar time, proleptic Gregorian, UTC, no leap seconds.
 * gmtime_r/localtime_r fill *tm; NULL with errno EOVERFLOW when the year
 * does not fit an int. timegm/mktime accept fields out of their ranges
 * (tm_mon = 14, tm_mday = 0, negative seconds...), normalise *tm in
 * place and set tm_wday and tm_yday; -1 with errno EOVERFLOW when the
 * result does not fit a time_t. gmtime/localtime share one static struct
 * tm (not thread safe; prefer the _r forms).
 */
struct tm *gmtime_r(const time_t *t, struct tm *tm);
struct tm *gmtime(const time_t *t);
struct tm *localtime_r(const time_t *t, struct tm *tm);
struct tm *localtime(const time_t *t);
time_t timegm(struct tm *tm);
time_t mktime(struct tm *tm);

#endif /* MICA_NOLIBC_TIME_H */
