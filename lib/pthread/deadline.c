/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Absolute POSIX times -> lib/sched deadlines.
 *
 * lib/sched and lib/lock wait until a monotonic deadline. A CLOCK_REALTIME
 * time is converted with the distance between the two clocks, which does
 * not change: the platform's wall clock is the wall time read at boot
 * advanced by the monotonic clock (mica/plat/time.h). So the conversion
 * is exact and a wait for a CLOCK_REALTIME time never ends before it.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <mica/plat/time.h>
#include "pthread_priv.h"

#define NSEC_PER_SEC ((int64_t)MICA_NSEC_PER_SEC)

/* tv_sec * 10^9 + tv_nsec, saturated at the int64_t limits. */
static int64_t timespec_ns(const struct timespec *ts)
{
	int64_t ns;

	if (__builtin_mul_overflow((int64_t)ts->tv_sec, NSEC_PER_SEC, &ns))
		return ts->tv_sec < 0 ? INT64_MIN : INT64_MAX;
	if (__builtin_add_overflow(ns, (int64_t)ts->tv_nsec, &ns))
		return INT64_MAX;
	return ns;
}

int pth_deadline(clockid_t clk, const struct timespec *abstime,
		 uint64_t *deadline)
{
	int64_t at, wall, offset;

	if (abstime->tv_nsec < 0 || abstime->tv_nsec >= NSEC_PER_SEC)
		return EINVAL;
	at = timespec_ns(abstime);
	if (clk == CLOCK_REALTIME) {
		/*
		 * Read the wall clock first: the monotonic reading after it
		 * is later, if anything, so the offset comes out smaller
		 * and the deadline later than exact, never earlier.
		 */
		wall = mica_plat_wall_ns();
		offset = wall - (int64_t)mica_plat_monotonic_ns();
		if (__builtin_sub_overflow(at, offset, &at))
			at = offset > 0 ? INT64_MIN : INT64_MAX;
	} else if (clk != CLOCK_MONOTONIC) {
		return EINVAL;
	}
	/* 0 would mean "no deadline": a time before boot is just past. */
	*deadline = at < 1 ? 1 : (uint64_t)at;
	return 0;
}
