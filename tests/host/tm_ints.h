/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * struct tm as nine ints, for date_vs_libc.c (glibc's struct tm) and
 * time_nolibc.c (nolibc's): each includes its own <time.h> first, and
 * the ints are what crosses between the two.
 */
#ifndef MICA_HOST_TM_INTS_H
#define MICA_HOST_TM_INTS_H

static inline void tm_to_ints(const struct tm *tm, int out[9])
{
	out[0] = tm->tm_sec;
	out[1] = tm->tm_min;
	out[2] = tm->tm_hour;
	out[3] = tm->tm_mday;
	out[4] = tm->tm_mon;
	out[5] = tm->tm_year;
	out[6] = tm->tm_wday;
	out[7] = tm->tm_yday;
	out[8] = tm->tm_isdst;
}

#endif /* MICA_HOST_TM_INTS_H */
