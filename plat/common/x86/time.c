/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mica/plat/time.h on bare-metal x86_64.
 *
 * Clock: the TSC. Monotonic ns = (tsc - tsc at boot) * mult >> 32, one
 * rdtsc and one 64x64->128 multiply; mult comes from the TSC frequency
 * (tsc.c). The TSC only goes forward on one CPU, so the clock does too.
 * Wall clock: the CMOS RTC, read once, plus monotonic time since.
 *
 * Timer: the local APIC timer on vector MICA_X86_VEC_TIMER, in
 * TSC-deadline mode when CPUID 1:ECX bit 24 offers it (the deadline is a
 * TSC value: exact, and no frequency to know), else in one-shot mode,
 * counting down at the rate tsc.c found. Either way an interrupt that
 * comes before the deadline (one-shot rounding, a count too long for 32
 * bits) or after a disarm is caught by plat/common/timer.c, which keeps
 * the deadline and the handler.
 *
 * Everything is brought up on first use, with interrupts masked: an image
 * that never asks for the time pays nothing at boot.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include <mica/plat/once.h>
#include <mica/plat/timer.h>
#include <mica/plat/x86/boot.h>
#include <mica/plat/x86/clock.h>
#include <mica/plat/x86/irq.h>

#define LAPIC_COUNT_MAX 0xffffffffULL

static int time_up;		 /* mica_plat_once() */
static uint64_t time_tsc0;	 /* TSC at monotonic 0 */
static uint64_t time_ns_mult;	 /* ns per TSC tick, 32.32 fixed point */
static uint64_t time_ns_max;	 /* latest deadline the TSC math holds */
static int64_t time_wall0;	 /* wall clock at monotonic 0 */
static uint64_t time_tsc_mult;	 /* TSC ticks per ns, 32.32, rounded down */
static int time_tsc_deadline;	 /* timer mode */
static uint64_t time_lapic_mult; /* LAPIC ticks per ns, 32.32, rounded up */

static inline uint64_t mul_shift32(uint64_t a, uint64_t mult)
{
	return (uint64_t)(((unsigned __int128)a * mult) >> 32);
}

/* hz / 10^9 in 32.32 fixed point (hz < 2^32 * 10^9). */
static uint64_t per_ns_mult(uint64_t hz, int round_up)
{
	uint64_t whole = hz / MICA_NSEC_PER_SEC, rem = hz % MICA_NSEC_PER_SEC;

	return (whole << 32) +
	       ((rem << 32) + (round_up ? MICA_NSEC_PER_SEC - 1 : 0)) /
		       MICA_NSEC_PER_SEC;
}

static inline uint64_t tsc_to_ns(uint64_t tsc)
{
	return mul_shift32(tsc - time_tsc0, time_ns_mult);
}

/*
 * A TSC value whose tsc_to_ns() is at least ns (ns <= time_ns_max): a
 * first guess from the rounded-down tsc_mult, then steps up by the
 * shortfall until it is reached. So rounding can make the timer late by
 * a nanosecond (or one tick of a slow TSC), never early. (Checked on the
 * host against a binary search, 10 MHz to 100 GHz.)
 */
static uint64_t ns_to_tsc(uint64_t ns, uint64_t tsc_mult)
{
	uint64_t tsc = time_tsc0 + mul_shift32(ns, tsc_mult);
	uint64_t got;

	while ((got = tsc_to_ns(tsc)) < ns)
		tsc += mul_shift32(ns - got, tsc_mult) + 1;
	return tsc;
}

void mica_plat_timer_program(uint64_t deadline)
{
	uint64_t now, count;

	if (deadline > time_ns_max)
		deadline = time_ns_max; /* fires, sees it early, re-arms */
	if (time_tsc_deadline) {
		/* 0 would disarm: that deadline is long past anyway. */
		mica_x86_wrmsr(MICA_X86_MSR_TSC_DEADLINE,
			       ns_to_tsc(deadline, time_tsc_mult) | 1);
		return;
	}
	now = tsc_to_ns(mica_x86_rdtsc());
	count = 1; /* a deadline already past: at once */
	if (deadline > now)
		count = mul_shift32(deadline - now, time_lapic_mult) + 1;
	mica_x86_lapic_timer_start((uint32_t)MICA_MIN(count, LAPIC_COUNT_MAX));
}

void mica_plat_timer_stop(void)
{
	if (time_tsc_deadline)
		mica_x86_wrmsr(MICA_X86_MSR_TSC_DEADLINE, 0);
	else
		mica_x86_lapic_timer_start(0);
}

/* Vector MICA_X86_VEC_TIMER, after the EOI, interrupts masked. */
static void timer_irq(void *arg)
{
	(void)arg;
	if (mica_plat_timer_due(tsc_to_ns(mica_x86_rdtsc())))
		mica_plat_timer_fire();
}

/* x.yyy with three decimals, for the log line. */
#define MILLI_ARGS(v, unit)                 \
	(unsigned long long)((v) / (unit)), \
		(unsigned long long)((v) % (unit) / ((unit) / 1000))

static __mica_noinline int time_bring_up(void)
{
	uint64_t start = mica_x86_rdtsc();
	struct mica_x86_tsc_cal cal;
	uint32_t a, b, c, d;
	unsigned __int128 max;
	int64_t rtc = 0;
	uint64_t cost;
	int rc;

	mica_x86_cpuid(1, 0, &a, &b, &c, &d);
	time_tsc_deadline = !!(c & MICA_X86_CPUID1_ECX_TSC_DEADLINE);
	if (!time_tsc_deadline) {
		/* Count down, masked, while tsc.c measures the rate. */
		mica_x86_lapic_timer_setup(MICA_X86_VEC_TIMER,
					   MICA_X86_LAPIC_TIMER_ONESHOT, 1);
		mica_x86_lapic_timer_start((uint32_t)LAPIC_COUNT_MAX);
	}
	mica_x86_tsc_calibrate(&cal, !time_tsc_deadline);

	time_tsc0 = mica_x86_boot_tsc;
	time_ns_mult = (MICA_NSEC_PER_SEC << 32) / cal.tsc_hz;
	time_tsc_mult = per_ns_mult(cal.tsc_hz, 0);
	/*
	 * Deadlines are cut to 2^62 ticks or 2^62 ns, whichever comes first
	 * (decades), so ns_to_tsc() cannot overflow.
	 */
	max = ((unsigned __int128)1 << 62) * time_ns_mult >> 32;
	time_ns_max = max > (1ULL << 62) ? 1ULL << 62 : (uint64_t)max;

	if (!time_tsc_deadline) {
		mica_x86_lapic_timer_start(0);
		if (!cal.lapic_hz)
			MICA_CRASH("time: the local APIC timer does not count");
		time_lapic_mult = per_ns_mult(cal.lapic_hz, 1);
	}

	rc = mica_x86_rtc_read(&rtc, cal.tsc_hz);
	time_wall0 = (rc < 0 ? 0 : rtc * (int64_t)MICA_NSEC_PER_SEC) -
		     (int64_t)tsc_to_ns(mica_x86_rdtsc());

	if (mica_x86_irq_register(MICA_X86_VEC_TIMER, timer_irq, NULL) < 0)
		MICA_CRASH("time: the timer vector %#x is taken",
			   MICA_X86_VEC_TIMER);
	mica_x86_lapic_timer_setup(MICA_X86_VEC_TIMER,
				   time_tsc_deadline
					   ? MICA_X86_LAPIC_TIMER_DEADLINE
					   : MICA_X86_LAPIC_TIMER_ONESHOT,
				   0);
	time_up = 1;

	cost = mul_shift32(mica_x86_rdtsc() - start, time_ns_mult);
	if (time_tsc_deadline)
		mica_pr_info("time: TSC %llu.%03llu MHz from %s, local APIC "
			     "timer in TSC-deadline mode; up in %llu.%03llu ms",
			     MILLI_ARGS(cal.tsc_hz, 1000000ULL), cal.source,
			     MILLI_ARGS(cost, MICA_NSEC_PER_MSEC));
	else
		mica_pr_info("time: TSC %llu.%03llu MHz from %s, local APIC "
			     "timer one-shot at %llu.%03llu MHz; up in "
			     "%llu.%03llu ms",
			     MILLI_ARGS(cal.tsc_hz, 1000000ULL), cal.source,
			     MILLI_ARGS(cal.lapic_hz, 1000000ULL),
			     MILLI_ARGS(cost, MICA_NSEC_PER_MSEC));
	return 1;
}

void mica_plat_time_up(void)
{
	mica_plat_once(&time_up, time_bring_up);
}

uint64_t mica_plat_monotonic_ns(void)
{
	mica_plat_time_up();
	return tsc_to_ns(mica_x86_rdtsc());
}

int64_t mica_plat_wall_ns(void)
{
	mica_plat_time_up();
	return time_wall0 + (int64_t)tsc_to_ns(mica_x86_rdtsc());
}
