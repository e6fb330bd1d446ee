/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Clocks and sleeping (<time.h>, <sys/time.h>, <unistd.h>) on the
 * platform's clock and timer. With a scheduler the sleeps are lib/sched's;
 * without one, nolibc's own wait on the timer interrupt.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <mica/test.h>

static int64_t ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ns_of(&ts);
}

MICA_TEST(nolibc_time, monotonic_never_goes_back)
{
	struct timespec ts;
	int64_t prev = -1, now;
	int i;

	for (i = 0; i < 1000; i++) {
		MICA_REQUIRE_EQ(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
		MICA_REQUIRE_TRUE(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
		now = ns_of(&ts);
		MICA_REQUIRE_TRUE(now >= prev);
		prev = now;
	}
	/* The aliases read the same clock. */
	MICA_EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC_RAW, &ts), 0);
	MICA_EXPECT_GE(ns_of(&ts), prev);
	MICA_EXPECT_EQ(clock_gettime(CLOCK_BOOTTIME, &ts), 0);
	MICA_EXPECT_GE(ns_of(&ts), prev);
}

MICA_TEST(nolibc_time, realtime_agrees_with_time_and_gettimeofday)
{
	struct timespec ts;
	struct timeval tv;
	struct timezone tz = {60, 1};
	time_t t0, t1;

	t0 = time(NULL);
	MICA_REQUIRE_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	MICA_REQUIRE_EQ(gettimeofday(&tv, &tz), 0);
	t1 = time(&t1);
	MICA_EXPECT_TRUE(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	MICA_EXPECT_TRUE(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	MICA_EXPECT_LE(t0, ts.tv_sec);
	MICA_EXPECT_LE(ts.tv_sec, tv.tv_sec);
	MICA_EXPECT_LE(tv.tv_sec, t1);
	MICA_EXPECT_EQ(tz.tz_minuteswest, 0);
	MICA_EXPECT_EQ(tz.tz_dsttime, 0);
}

MICA_TEST(nolibc_time, unknown_clocks)
{
	struct timespec ts = {5, 5};

	errno = 0;
	MICA_EXPECT_EQ(clock_gettime(2 /* CLOCK_PROCESS_CPUTIME_ID */, &ts),
		       -1);
	MICA_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	MICA_EXPECT_EQ(clock_getres(99, &ts), -1);
	MICA_EXPECT_EQ(errno, EINVAL);
	MICA_EXPECT_EQ(clock_getres(CLOCK_MONOTONIC, &ts), 0);
	MICA_EXPECT_EQ(ts.tv_sec, 0);
	MICA_EXPECT_EQ(ts.tv_nsec, 1);
	MICA_EXPECT_EQ(clock_getres(CLOCK_REALTIME, NULL), 0);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000;
	MICA_EXPECT_EQ(clock_nanosleep(-1, 0, &ts, NULL), EINVAL);
}

MICA_TEST(nolibc_time, invalid_sleeps_are_einval)
{
	static const struct timespec bad[] = {
		{0, 1000000000},
		{0, -1},
		{-1, 0},
		{-1, 999999999},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		MICA_EXPECT_EQ(nanosleep(&bad[i], NULL), -1);
		MICA_EXPECT_EQ(errno, EINVAL);
		MICA_EXPECT_EQ(
			clock_nanosleep(CLOCK_MONOTONIC, 0, &bad[i], NULL),
			EINVAL);
		MICA_EXPECT_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME,
					       &bad[i], NULL),
			       EINVAL);
	}
}

MICA_TEST(nolibc_time, sleeps_last_at_least_as_asked)
{
	struct timespec ts = {0, 10000000}, rem = {7, 7};
	int64_t t0, t1;

	t0 = mono_ns();
	MICA_EXPECT_EQ(nanosleep(&ts, &rem), 0);
	t1 = mono_ns();
	MICA_EXPECT_GE(t1 - t0, 10000000);
	MICA_EXPECT_EQ(rem.tv_sec, 7); /* never interrupted: not written */

	t0 = mono_ns();
	MICA_EXPECT_EQ(usleep(2000), 0);
	MICA_EXPECT_GE(mono_ns() - t0, 2000000);

	MICA_EXPECT_EQ(sleep(0), 0U);
	ts.tv_nsec = 0;
	MICA_EXPECT_EQ(nanosleep(&ts, NULL), 0);
}

MICA_TEST(nolibc_time, absolute_sleeps_reach_the_deadline)
{
	struct timespec now, until;

	MICA_REQUIRE_EQ(clock_gettime(CLOCK_MONOTONIC, &now), 0);
	until = now;
	until.tv_nsec += 5000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_nsec -= 1000000000;
		until.tv_sec++;
	}
	MICA_EXPECT_EQ(
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL),
		0);
	MICA_REQUIRE_EQ(clock_gettime(CLOCK_MONOTONIC, &now), 0);
	MICA_EXPECT_GE(ns_of(&now), ns_of(&until));

	MICA_REQUIRE_EQ(clock_gettime(CLOCK_REALTIME, &now), 0);
	until = now;
	until.tv_nsec += 5000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_nsec -= 1000000000;
		until.tv_sec++;
	}
	MICA_EXPECT_EQ(
		clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL),
		0);
	MICA_REQUIRE_EQ(clock_gettime(CLOCK_REALTIME, &now), 0);
	MICA_EXPECT_GE(ns_of(&now), ns_of(&until));

	/* A deadline in the past returns at once. */
	until.tv_sec -= 10;
	MICA_EXPECT_EQ(
		clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL),
		0);
}
