/* SPDX-License-Identifier: BSD-3-Clause */
/* Calendar time: gmtime_r, timegm and friends against known dates. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <mica/test.h>

static const struct known_date {
	time_t t;
	int year, mon, mday, hour, min, sec, wday, yday;
} known[] = {
	{0, 1970, 0, 1, 0, 0, 0, 4, 0},
	{-1, 1969, 11, 31, 23, 59, 59, 3, 364},
	{951782400, 2000, 1, 29, 0, 0, 0, 2, 59}, /* 400-year leap day */
	{1234567890, 2009, 1, 13, 23, 31, 30, 5, 43},
	{1709210096, 2024, 1, 29, 12, 34, 56, 4, 59},
	{2147483647, 2038, 0, 19, 3, 14, 7, 2, 18}, /* 32-bit time_t's end */
	{4107542400, 2100, 2, 1, 0, 0, 0, 1, 59},   /* 2100 is not leap */
	{-2208988800, 1900, 0, 1, 0, 0, 0, 1, 0},
	{-62135596800, 1, 0, 1, 0, 0, 0, 1, 0},
	{253402300799, 9999, 11, 31, 23, 59, 59, 5, 364},
};

MICA_TEST(nolibc_date, gmtime_r_known_dates)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const struct known_date *k = &known[i];
		struct tm tm;

		memset(&tm, 0x5a, sizeof(tm));
		MICA_REQUIRE_TRUE(gmtime_r(&k->t, &tm) == &tm);
		MICA_EXPECT_EQ(tm.tm_year + 1900, k->year);
		MICA_EXPECT_EQ(tm.tm_mon, k->mon);
		MICA_EXPECT_EQ(tm.tm_mday, k->mday);
		MICA_EXPECT_EQ(tm.tm_hour, k->hour);
		MICA_EXPECT_EQ(tm.tm_min, k->min);
		MICA_EXPECT_EQ(tm.tm_sec, k->sec);
		MICA_EXPECT_EQ(tm.tm_wday, k->wday);
		MICA_EXPECT_EQ(tm.tm_yday, k->yday);
		MICA_EXPECT_EQ(tm.tm_isdst, 0);
		MICA_EXPECT_EQ(tm.tm_gmtoff, 0);
		MICA_EXPECT_STREQ(tm.tm_zone, "UTC");
	}
}

MICA_TEST(nolibc_date, timegm_inverts_gmtime_r)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		struct tm tm;

		MICA_REQUIRE_TRUE(gmtime_r(&known[i].t, &tm) == &tm);
		tm.tm_wday = tm.tm_yday = -7; /* ignored on input */
		MICA_EXPECT_EQ(timegm(&tm), known[i].t);
		MICA_EXPECT_EQ(tm.tm_wday, known[i].wday);
		MICA_EXPECT_EQ(tm.tm_yday, known[i].yday);
	}
}

MICA_TEST(nolibc_date, timegm_normalises_fields)
{
	/*
	 * Month 13 of 2023 is February 2024, its day 0 is 31 January, hour
	 * 24 is 1 February 00:00, and a second less is a Wednesday's last.
	 */
	struct tm tm = {.tm_year = 123,
			.tm_mon = 13,
			.tm_mday = 0,
			.tm_hour = 24,
			.tm_min = 0,
			.tm_sec = -1};

	MICA_EXPECT_EQ(timegm(&tm), 1706745599);
	MICA_EXPECT_EQ(tm.tm_year, 124);
	MICA_EXPECT_EQ(tm.tm_mon, 0);
	MICA_EXPECT_EQ(tm.tm_mday, 31);
	MICA_EXPECT_EQ(tm.tm_hour, 23);
	MICA_EXPECT_EQ(tm.tm_min, 59);
	MICA_EXPECT_EQ(tm.tm_sec, 59);
	MICA_EXPECT_EQ(tm.tm_wday, 3);
	MICA_EXPECT_EQ(tm.tm_yday, 30);

	/* Negative months count back from January: 1970-(-1) is Dec 1969. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 70;
	tm.tm_mon = -1;
	tm.tm_mday = 31;
	MICA_EXPECT_EQ(timegm(&tm), -86400);
	MICA_EXPECT_EQ(tm.tm_year, 69);
	MICA_EXPECT_EQ(tm.tm_mon, 11);

	/* A leap second is the next minute's first. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 116;
	tm.tm_mon = 11;
	tm.tm_mday = 31;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 60;
	MICA_EXPECT_EQ(timegm(&tm), 1483228800);
	MICA_EXPECT_EQ(tm.tm_year, 117);
	MICA_EXPECT_EQ(tm.tm_yday, 0);
}

MICA_TEST(nolibc_date, mktime_and_localtime_are_utc)
{
	time_t t = 1234567890;
	struct tm a, b, *p;

	/* The same padding in both, for the byte comparison. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	MICA_REQUIRE_TRUE(localtime_r(&t, &a) == &a);
	MICA_REQUIRE_TRUE(gmtime_r(&t, &b) == &b);
	MICA_EXPECT_MEMEQ(&a, &b, sizeof(a));
	MICA_EXPECT_EQ(mktime(&a), t);
	p = gmtime(&t);
	MICA_REQUIRE_NOT_NULL(p);
	MICA_EXPECT_EQ(p->tm_mday, 13);
	MICA_EXPECT_TRUE(localtime(&t) == p); /* one static result */
}

MICA_TEST(nolibc_date, overflow)
{
	time_t t = INT64_MAX;
	struct tm tm;

	errno = 0;
	MICA_EXPECT_NULL(gmtime_r(&t, &tm));
	MICA_EXPECT_EQ(errno, EOVERFLOW);
	t = INT64_MIN;
	errno = 0;
	MICA_EXPECT_NULL(gmtime_r(&t, &tm));
	MICA_EXPECT_EQ(errno, EOVERFLOW);

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = __INT_MAX__;
	tm.tm_mon = 12; /* 1 January of a year an int cannot hold */
	tm.tm_mday = 1;
	errno = 0;
	MICA_EXPECT_EQ(timegm(&tm), -1);
	MICA_EXPECT_EQ(errno, EOVERFLOW);
}
