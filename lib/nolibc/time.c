/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Clocks and sleeping (<time.h>, <sys/time.h>, <unistd.h>) on the
 * platform's clocks (mica/plat/time.h). Calendar conversions are in
 * date.c, which needs no platform.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <mica/plat/time.h>
#include "sleep.h"

#define NSEC_PER_SEC ((int64_t)MICA_NSEC_PER_SEC)

/* The clock's time in nanoseconds, or -EINVAL for an unknown clock. */
static int clock_read(clockid_t clk, int64_t *ns)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = mica_plat_wall_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		/* 2^63 ns is 292 years of uptime: the cast cannot wrap. */
		*ns = (int64_t)mica_plat_monotonic_ns();
		return 0;
	default:
		return -EINVAL;
	}
}

/* Split rounding towards minus infinity: the wall clock may be < 1970. */
static void ns_to_timespec(int64_t ns, struct timespec *ts)
{
	int64_t sec = ns / NSEC_PER_SEC;
	int64_t rem = ns % NSEC_PER_SEC;

	if (rem < 0) {
		rem += NSEC_PER_SEC;
		sec--;
	}
	ts->tv_sec = sec;
	ts->tv_nsec = (long)rem;
}

/* A sleep's length or deadline, as Linux checks it: EINVAL when invalid. */
static int timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < NSEC_PER_SEC;
}

/* A valid timespec in nanoseconds, saturated at INT64_MAX (292 years). */
static int64_t timespec_to_ns(const struct timespec *ts)
{
	if (ts->tv_sec > (INT64_MAX - ts->tv_nsec) / NSEC_PER_SEC)
		return INT64_MAX;
	return ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	int64_t ns;

	if (clock_read(clk, &ns) < 0) {
		errno = EINVAL;
		return -1;
	}
	ns_to_timespec(ns, ts);
	return 0;
}

int clock_getres(clockid_t clk, struct timespec *res)
{
	int64_t ns;

	/* Checks the clock only: reading it is cheap on every platform. */
	if (clock_read(clk, &ns) < 0) {
		errno = EINVAL;
		return -1;
	}
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

time_t time(time_t *tloc)
{
	struct timespec ts;

	ns_to_timespec(mica_plat_wall_ns(), &ts);
	if (tloc)
		*tloc = ts.tv_sec;
	return ts.tv_sec;
}

clock_t clock(void)
{
	return (clock_t)(mica_plat_monotonic_ns() / MICA_NSEC_PER_USEC);
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;

	if (tv) {
		ns_to_timespec(mica_plat_wall_ns(), &ts);
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = ts.tv_nsec / 1000;
	}
	if (tz) {
		struct timezone *z = tz;

		z->tz_minuteswest = 0;
		z->tz_dsttime = 0;
	}
	return 0;
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	int64_t now, want;

	if (clock_read(clk, &now) < 0 || !timespec_valid(req))
		return EINVAL;
	want = timespec_to_ns(req);
	if (flags & TIMER_ABSTIME) {
		/*
		 * Both clocks advance together (the wall clock is the
		 * monotonic one plus a fixed offset), so the distance to a
		 * deadline on either is the time to sleep.
		 */
		if (want <= now)
			return 0;
		want -= now;
	}
	mica_sleep_ns((uint64_t)want);
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int err = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);

	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

unsigned int sleep(unsigned int seconds)
{
	mica_sleep_ns(seconds * MICA_NSEC_PER_SEC);
	return 0;
}

int usleep(useconds_t usec)
{
	mica_sleep_ns(usec * MICA_NSEC_PER_USEC);
	return 0;
}
