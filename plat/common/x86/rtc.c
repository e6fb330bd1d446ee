/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CMOS real-time clock (Motorola MC146818A data sheet; the same
 * registers in every PC chipset): date and time, read once when time is
 * brought up. Status register B says whether the values are BCD or binary
 * and the hours 12- or 24-hour. Status register A's update-in-progress
 * bit, once seen clear, promises 244 us without an update (data sheet,
 * "UIP"), so the registers are read right after it is seen clear and the
 * read is kept if it took less than that by the TSC - a vCPU can be
 * descheduled in between - else done again.
 *
 * The century is not in the MC146818. ACPI's FADT names a CMOS register
 * for it; 0x32 is where PCs and QEMU keep it, and it is believed only
 * when it says 19, 20 or 21. Otherwise the year is 20xx.
 */
#include <errno.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/log.h>
#include <mica/plat/x86/clock.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

#define RTC_SEC	    0x00
#define RTC_MIN	    0x02
#define RTC_HOUR    0x04
#define RTC_DAY	    0x07
#define RTC_MONTH   0x08
#define RTC_YEAR    0x09
#define RTC_A	    0x0a
#define RTC_B	    0x0b
#define RTC_CENTURY 0x32

#define RTC_A_UIP    0x80 /* update in progress */
#define RTC_B_BINARY 0x04 /* DM: binary, not BCD */
#define RTC_B_24H    0x02
#define RTC_HOUR_PM  0x80 /* 12-hour mode */

#define RTC_READS	 5
#define RTC_UIP_QUIET_HZ 5000 /* 1/5000 s = 200 us, inside the 244 us */

struct rtc_regs {
	uint8_t sec, min, hour, day, month, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
	mica_x86_outb(CMOS_INDEX, reg);
	return mica_x86_inb(CMOS_DATA);
}

/*
 * Read every register once, right after UIP is seen clear. Returns the
 * TSC ticks the read took after that, or -ETIMEDOUT after tsc_end.
 */
static int64_t rtc_snapshot(struct rtc_regs *r, uint64_t tsc_end)
{
	uint64_t clear;

	while (cmos_read(RTC_A) & RTC_A_UIP) {
		if (mica_x86_rdtsc() > tsc_end)
			return -ETIMEDOUT;
		mica_x86_pause();
	}
	clear = mica_x86_rdtsc();
	r->sec = cmos_read(RTC_SEC);
	r->min = cmos_read(RTC_MIN);
	r->hour = cmos_read(RTC_HOUR);
	r->day = cmos_read(RTC_DAY);
	r->month = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = cmos_read(RTC_CENTURY);
	return (int64_t)(mica_x86_rdtsc() - clear);
}

/* A register's value; 0xff (never valid here) for a bad BCD digit. */
static unsigned int rtc_value(uint8_t v, int binary)
{
	if (binary)
		return v;
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return 0xff;
	return (v >> 4) * 10 + (v & 0x0f);
}

static int rtc_leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned int rtc_month_days(unsigned int y, unsigned int m)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30,
					 31, 31, 30, 31, 30, 31};

	return days[m - 1] + (m == 2 && rtc_leap(y));
}

int mica_x86_rtc_read(int64_t *secs, uint64_t tsc_hz)
{
	/* An update takes at most 2 ms (data sheet); allow 10 ms. */
	uint64_t tsc_end = mica_x86_rdtsc() + tsc_hz / 100;
	struct rtc_regs r;
	int64_t took;
	unsigned int sec, min, hour, day, month, year, cent, m;
	uint8_t b = cmos_read(RTC_B), a = cmos_read(RTC_A);
	int i, pm = 0, bin = !!(b & RTC_B_BINARY);
	int64_t days;

	if (a == 0xff && b == 0xff) {
		mica_pr_warn("time: no CMOS RTC (ports 0x70/0x71 read 0xff): "
			     "the wall clock starts at 1970-01-01");
		return -ENODEV;
	}
	for (i = 0; i < RTC_READS; i++) {
		took = rtc_snapshot(&r, tsc_end);
		if (took < 0)
			goto stuck;
		if ((uint64_t)took < tsc_hz / RTC_UIP_QUIET_HZ)
			break;
	}
	if (i == RTC_READS)
		goto stuck;

	if (!(b & RTC_B_24H)) {
		pm = !!(r.hour & RTC_HOUR_PM);
		r.hour &= (uint8_t)~RTC_HOUR_PM;
	}
	sec = rtc_value(r.sec, bin);
	min = rtc_value(r.min, bin);
	hour = rtc_value(r.hour, bin);
	day = rtc_value(r.day, bin);
	month = rtc_value(r.month, bin);
	year = rtc_value(r.year, bin);
	cent = rtc_value(r.century, bin);
	if (!(b & RTC_B_24H)) {
		if (hour < 1 || hour > 12)
			goto bad;
		hour = hour % 12 + (pm ? 12 : 0);
	}
	if (year > 99)
		goto bad;
	if (cent < 19 || cent > 21)
		cent = 20;
	year += cent * 100;
	if (year < 1970 || month < 1 || month > 12 || day < 1 ||
	    day > rtc_month_days(year, month) || hour > 23 || min > 59 ||
	    sec > 59)
		goto bad;

	days = day - 1;
	for (m = 1; m < month; m++)
		days += rtc_month_days(year, m);
	for (m = 1970; m < year; m++)
		days += rtc_leap(m) ? 366 : 365;
	*secs = ((days * 24 + hour) * 60 + min) * 60 + sec;
	return 0;

bad:
	mica_pr_warn("time: the CMOS RTC reads an impossible date (registers "
		     "%02x-%02x-%02x %02x:%02x:%02x, century %02x, status B "
		     "%#x): the wall clock starts at 1970-01-01",
		     r.year, r.month, r.day, r.hour, r.min, r.sec, r.century,
		     b);
	return -EIO;
stuck:
	mica_pr_warn("time: no consistent read of the CMOS RTC (update in "
		     "progress, or reads slower than 200 us): the wall clock "
		     "starts at 1970-01-01");
	return -ETIMEDOUT;
}
