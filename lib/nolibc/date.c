/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Calendar time: seconds since 1970-01-01 00:00 UTC <-> struct tm, in the
 * proleptic Gregorian calendar, without leap seconds (as POSIX defines
 * time_t) and without time zones (local time is UTC).
 *
 * The day arithmetic counts in years that start on 1 March. The leap day
 * then falls on the last day of a year, so the months have fixed offsets
 * within their year, and whole 400-year cycles (146097 days) repeat
 * exactly, which makes dates before 1970 work like any others.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>

#define SECS_PER_DAY   86400
#define DAYS_PER_CYCLE 146097 /* 400 years: 400 * 365 + 97 leap days */
/* From 0000-03-01 (day 0 of a cycle) to 1970-01-01. */
#define DAYS_TO_EPOCH  719468

/* First day of each month in a year starting in March: Mar, Apr, ... Feb. */
static const uint16_t month_start[12] = {
	0, 31, 61, 92, 122, 153, 184, 214, 245, 275, 306, 337,
};

/*
 * Days in a cycle before its year y (0..400, counted from March). The
 * leap day at the end of year y is 29 February of calendar year y + 1,
 * so years 0..y-1 hold those of calendar years 1..y.
 */
static int64_t days_before_year(int64_t y)
{
	return 365 * y + y / 4 - y / 100 + y / 400;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* Days from 1970-01-01 to year-mon-mday (mon 0..11, mday 1..31). */
static int64_t days_from_date(int64_t year, int mon, int mday)
{
	/* January and February belong to the previous March year. */
	int64_t y = mon < 2 ? year - 1 : year;
	int m = mon < 2 ? mon + 10 : mon - 2;
	int64_t cycle = floor_div(y, 400);
	int64_t yc = y - cycle * 400;

	return cycle * DAYS_PER_CYCLE + days_before_year(yc) + month_start[m] +
	       mday - 1 - DAYS_TO_EPOCH;
}

struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
	int64_t days = *t / SECS_PER_DAY;
	int64_t secs = *t % SECS_PER_DAY;
	int64_t z, cycle, dc, yc, year;
	int dy, m, mon;

	if (secs < 0) { /* before 1970: round the day down (no overflow) */
		secs += SECS_PER_DAY;
		days--;
	}
	z = days + DAYS_TO_EPOCH; /* days since 0000-03-01 */
	cycle = floor_div(z, DAYS_PER_CYCLE);
	dc = z - cycle * DAYS_PER_CYCLE; /* 0..146096 */

	/*
	 * dc / 365 is never below the year and at most one above (97 leap
	 * days in a cycle are less than a year).
	 */
	yc = dc / 365;
	if (days_before_year(yc) > dc)
		yc--;
	dy = (int)(dc - days_before_year(yc)); /* 0..365, from 1 March */
	for (m = 11; month_start[m] > dy; m--)
		;
	mon = m < 10 ? m + 2 : m - 10;
	year = cycle * 400 + yc + (mon < 2);

	if (year - 1900 > INT_MAX || year - 1900 < INT_MIN) {
		errno = EOVERFLOW;
		return NULL;
	}
	tm->tm_year = (int)(year - 1900);
	tm->tm_mon = mon;
	tm->tm_mday = dy - month_start[m] + 1;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_yday = (int)(days - days_from_date(year, 0, 1));
	/* 1970-01-01 was a Thursday. */
	tm->tm_wday = (int)((days % 7 + 11) % 7);
	tm->tm_isdst = 0;
	tm->tm_gmtoff = 0;
	tm->tm_zone = "UTC";
	return tm;
}

time_t timegm(struct tm *tm)
{
	/*
	 * No overflow in 64 bits whatever the int fields hold: at most
	 * 2^31 years of 366 days plus 2^31 days, in seconds, plus 2^31
	 * hours, is below 2^63.
	 */
	int64_t year = (int64_t)tm->tm_year + 1900 + floor_div(tm->tm_mon, 12);
	int mon = (int)(tm->tm_mon - floor_div(tm->tm_mon, 12) * 12);
	int64_t days = days_from_date(year, mon, 1) + tm->tm_mday - 1;
	time_t t = days * SECS_PER_DAY + (int64_t)tm->tm_hour * 3600 +
		   (int64_t)tm->tm_min * 60 + tm->tm_sec;

	/* Normalise *tm; the year of a far-off result may not fit an int. */
	if (!gmtime_r(&t, tm))
		return -1;
	return t;
}

time_t mktime(struct tm *tm)
{
	return timegm(tm);
}

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
	return gmtime_r(t, tm);
}

/* One result per thread: gmtime() is safe to call from any thread here. */
static __thread struct tm tm_result;

struct tm *gmtime(const time_t *t)
{
	return gmtime_r(t, &tm_result);
}

struct tm *localtime(const time_t *t)
{
	return gmtime_r(t, &tm_result);
}
