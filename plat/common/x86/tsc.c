/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The TSC frequency, from the first of these that answers:
 *
 * 1. the KVM clock (pvclock): KVM's own idea of the guest TSC rate,
 *    including any TSC scaling, so it is right whatever the host CPU;
 * 2. the hypervisor timing leaf 0x40000010 (EAX: TSC kHz, EBX: local
 *    APIC bus kHz), which QEMU and VMware offer, or Xen's TSC leaf
 *    (xen/arch-x86/cpuid.h: leaf base+3, sub-leaf 0, ECX: the guest's
 *    TSC kHz);
 * 3. CPUID 0x15 (TSC/crystal ratio and crystal Hz; SDM vol. 2A, CPUID),
 *    the crystal taken from 0x16 (base MHz) when 0x15 leaves it out;
 * 4. the i8254 PIT: TSC ticks counted over ~2 ms of PIT channel 0,
 *    read back with the counter-latch command. (Port 0x61's channel 2
 *    gate is not used: QEMU's microvm has no port 0x61.) Only the two
 *    ends of the window need to be sharp, so each end is the sharpest of
 *    a few marks (a vCPU descheduled during one read blurs only that
 *    mark); the window is tried again only when an end stays blurred.
 *
 * The local APIC timer's rate, when one-shot mode needs it, comes from
 * leaf 0x40000010 or is measured in the same window: against the PIT
 * window when the PIT is used, else against the now known TSC for 1 ms.
 * (Leaf 0x15's crystal is not used for it: under KVM the APIC timer runs
 * at KVM's bus clock, not at the host's crystal.)
 */
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/x86/clock.h>
#include <mica/plat/x86/irq.h>

#define TSC_HZ_MIN 10000000ULL	   /* 10 MHz: anything slower is a bug */
#define TSC_HZ_MAX 100000000000ULL /* 100 GHz */

#define HV_LEAF_BASE		 0x40000000
#define HV_LEAF_TIMING		 0x40000010
#define KVM_SIG_EBX		 0x4b4d564b /* "KVMKVMKVM\0\0\0" */
#define KVM_SIG_ECX		 0x564b4d56
#define KVM_SIG_EDX		 0x0000004d
#define KVM_LEAF_FEATURES	 0x1
#define KVM_FEATURE_CLOCKSOURCE2 (1U << 3)
#define MSR_KVM_SYSTEM_TIME_NEW	 0x4b564d01
#define XEN_SIG_EBX		 0x566e6558 /* "XenVMMXenVMM" */
#define XEN_SIG_ECX		 0x65584d4d
#define XEN_SIG_EDX		 0x4d4d566e
#define XEN_LEAF_TIME		 0x3

/* i8254 (Intel 82C54 data sheet): 1.193182 MHz input clock. */
#define PIT_HZ	      1193182ULL
#define PIT_CH0	      0x40
#define PIT_CMD	      0x43
#define PIT_CH0_MODE0 0x30 /* channel 0, lo/hi byte, mode 0, binary */
#define PIT_CH0_LATCH 0x00
#define PIT_WINDOW    2400 /* ticks: 2.01 ms */
#define PIT_MARKS     4	   /* per end of the window: ~4 us */
#define PIT_TRIES     2
#define PIT_SPIN_MAX  1000 /* reads without a change: no PIT there */
/* Error bounds of a window, in parts per million of it. */
#define PIT_GOOD_PPM  2000  /* 0.2%: accept at once */
#define PIT_WARN_PPM  10000 /* 1%: say so */
#define LAPIC_MARKS   3

#define LAPIC_WINDOW_DIV 1000 /* 1 ms of TSC */

static struct mica_x86_pvclock tsc_kvmclock __mica_aligned(64);

static int tsc_plausible(uint64_t hz, const char *what)
{
	if (hz >= TSC_HZ_MIN && hz <= TSC_HZ_MAX)
		return 1;
	mica_pr_warn("time: %s says the TSC runs at %llu Hz: implausible, "
		     "ignored",
		     what, (unsigned long long)hz);
	return 0;
}

/*
 * The base of a hypervisor's leaves with this signature, or 0. KVM and
 * Xen move theirs up by 0x100 when they also offer Hyper-V's.
 */
static uint32_t hv_base(uint32_t sb, uint32_t sc, uint32_t sd,
			uint32_t *max_leaf)
{
	uint32_t a, b, c, d, base;

	mica_x86_cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & MICA_X86_CPUID1_ECX_HYPERVISOR))
		return 0;
	for (base = HV_LEAF_BASE; base <= HV_LEAF_BASE + 0x100; base += 0x100) {
		mica_x86_cpuid(base, 0, &a, &b, &c, &d);
		if (b == sb && c == sc && d == sd) {
			*max_leaf = a;
			return base;
		}
	}
	return 0;
}

static int tsc_from_kvmclock(struct mica_x86_tsc_cal *cal)
{
	uint32_t a, b, c, d, max = 0;
	uint32_t base = hv_base(KVM_SIG_EBX, KVM_SIG_ECX, KVM_SIG_EDX, &max);
	uint64_t hz;

	if (!base || max < base + KVM_LEAF_FEATURES)
		return 0;
	mica_x86_cpuid(base + KVM_LEAF_FEATURES, 0, &a, &b, &c, &d);
	if (!(a & KVM_FEATURE_CLOCKSOURCE2))
		return 0;
	/* Bit 0: enable. Identity-mapped, so the address is physical. */
	mica_x86_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uintptr_t)&tsc_kvmclock | 1);
	hz = mica_x86_pvclock_tsc_hz(&tsc_kvmclock);
	/* Only the rate was wanted: stop the updates to our memory. */
	mica_x86_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
	if (!tsc_plausible(hz, "the KVM clock"))
		return 0;
	cal->tsc_hz = hz;
	cal->source = "the KVM clock";
	return 1;
}

static int tsc_from_hv_leaf(struct mica_x86_tsc_cal *cal)
{
	uint32_t a, b, c, d;

	mica_x86_cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & MICA_X86_CPUID1_ECX_HYPERVISOR))
		return 0;
	mica_x86_cpuid(HV_LEAF_BASE, 0, &a, &b, &c, &d);
	if (a < HV_LEAF_TIMING || a >= HV_LEAF_BASE + 0x100)
		return 0;
	mica_x86_cpuid(HV_LEAF_TIMING, 0, &a, &b, &c, &d);
	if (!a || !tsc_plausible(a * 1000ULL, "CPUID 0x40000010"))
		return 0;
	cal->tsc_hz = a * 1000ULL;
	cal->lapic_hz = b * 1000ULL;
	cal->source = "CPUID 0x40000010";
	return 1;
}

static int tsc_from_xen_leaf(struct mica_x86_tsc_cal *cal)
{
	uint32_t a, b, c, d, max = 0;
	uint32_t base = hv_base(XEN_SIG_EBX, XEN_SIG_ECX, XEN_SIG_EDX, &max);

	if (!base || max < base + XEN_LEAF_TIME)
		return 0;
	mica_x86_cpuid(base + XEN_LEAF_TIME, 0, &a, &b, &c, &d);
	if (!c || !tsc_plausible(c * 1000ULL, "Xen's CPUID leaf"))
		return 0;
	cal->tsc_hz = c * 1000ULL;
	cal->source = "Xen's CPUID leaf";
	return 1;
}

static int tsc_from_cpuid15(struct mica_x86_tsc_cal *cal)
{
	uint32_t max, den, num, crystal, mhz, b, c, d;
	uint64_t hz;

	mica_x86_cpuid(0, 0, &max, &b, &c, &d);
	if (max < 0x15)
		return 0;
	mica_x86_cpuid(0x15, 0, &den, &num, &crystal, &d);
	if (!den || !num)
		return 0;
	cal->source = "CPUID 0x15";
	if (!crystal && max >= 0x16) {
		/* SDM vol. 2A, CPUID 15H: TSC = crystal * num / den. */
		mica_x86_cpuid(0x16, 0, &mhz, &b, &c, &d);
		mhz &= 0xffff;
		crystal = (uint32_t)(mhz * 1000000ULL * den / num);
		cal->source = "CPUID 0x15/0x16";
	}
	if (!crystal)
		return 0;
	hz = (uint64_t)crystal * num / den;
	if (!tsc_plausible(hz, cal->source))
		return 0;
	cal->tsc_hz = hz;
	return 1;
}

static uint16_t pit_read(void)
{
	uint8_t lo, hi;

	mica_x86_outb(PIT_CMD, PIT_CH0_LATCH);
	lo = mica_x86_inb(PIT_CH0);
	hi = mica_x86_inb(PIT_CH0);
	return (uint16_t)(lo | hi << 8);
}

/* A PIT count and the TSC when it began, +- err. */
struct pit_mark {
	uint16_t count;
	uint64_t tsc, err;
};

/*
 * Wait for the count to change. It changed after the previous read's
 * latch and before this read's, so between the TSC taken before the
 * previous read and the one taken after this one: take the middle.
 * Returns 0, or -1 when the count never moves (no PIT).
 */
static int pit_mark(struct pit_mark *m)
{
	uint64_t before = mica_x86_rdtsc(), t0, t1;
	uint16_t first = pit_read(), c;
	int i;

	for (i = 0; i < PIT_SPIN_MAX; i++) {
		t0 = mica_x86_rdtsc();
		c = pit_read();
		t1 = mica_x86_rdtsc();
		if (c != first) {
			m->count = c;
			m->err = (t1 - before) / 2;
			m->tsc = before + m->err;
			return 0;
		}
		before = t0;
	}
	return -1;
}

static int pit_best_mark(struct pit_mark *best)
{
	struct pit_mark m;
	int i;

	best->err = UINT64_MAX;
	for (i = 0; i < PIT_MARKS; i++) {
		if (pit_mark(&m) < 0)
			return -1;
		if (m.err < best->err)
			*best = m;
	}
	return 0;
}

/* The local APIC timer's count and the TSC at the read, +- err. */
struct lapic_mark {
	uint32_t count;
	uint64_t tsc, err;
};

/* The sharpest of a few reads. */
static void lapic_mark(struct lapic_mark *best)
{
	uint64_t t0, t1;
	uint32_t c;
	int i;

	best->err = UINT64_MAX;
	for (i = 0; i < LAPIC_MARKS; i++) {
		t0 = mica_x86_rdtsc();
		c = mica_x86_lapic_timer_count();
		t1 = mica_x86_rdtsc();
		if ((t1 - t0) / 2 < best->err) {
			best->count = c;
			best->err = (t1 - t0) / 2;
			best->tsc = t0 + best->err;
		}
	}
}

static uint64_t lapic_hz(const struct lapic_mark *s, const struct lapic_mark *e,
			 uint64_t tsc_hz)
{
	return (uint64_t)((unsigned __int128)(s->count - e->count) * tsc_hz /
			  (e->tsc - s->tsc));
}

/*
 * One PIT window. In mode 0 channel 0 counts down from the 0xffff written
 * here and only wraps after 55 ms, far beyond the window. Returns the
 * error bound of the rates found, in ppm, or -1.
 */
static int64_t pit_window(struct mica_x86_tsc_cal *cal, int want_lapic)
{
	struct pit_mark s, e;
	struct lapic_mark ls = {0}, le = {0};
	uint64_t span, ppm;
	long spins = 0;

	mica_x86_outb(PIT_CMD, PIT_CH0_MODE0);
	mica_x86_outb(PIT_CH0, 0xff);
	mica_x86_outb(PIT_CH0, 0xff);
	if (pit_best_mark(&s) < 0)
		return -1;
	if (want_lapic)
		lapic_mark(&ls);
	while ((uint16_t)(s.count - pit_read()) < PIT_WINDOW)
		if (++spins > 1000000)
			return -1; /* a PIT that stalls: unusable */
	if (pit_best_mark(&e) < 0)
		return -1;
	span = e.tsc - s.tsc;
	cal->tsc_hz = span * PIT_HZ / (uint16_t)(s.count - e.count);
	ppm = (s.err + e.err) * 1000000 / span;
	if (want_lapic) {
		lapic_mark(&le);
		cal->lapic_hz = lapic_hz(&ls, &le, cal->tsc_hz);
		/* The LAPIC's rate is relative to the TSC's: both errors. */
		ppm += (ls.err + le.err) * 1000000 / (le.tsc - ls.tsc);
	}
	return (int64_t)ppm;
}

static int tsc_from_pit(struct mica_x86_tsc_cal *cal, int want_lapic)
{
	struct mica_x86_tsc_cal best = {0};
	int64_t ppm, best_ppm = -1;
	int i;

	/*
	 * A window whose ends stayed blurred (the vCPU was descheduled
	 * during every read of an end) is tried again, once: time is short.
	 */
	for (i = 0; i < PIT_TRIES; i++) {
		ppm = pit_window(cal, want_lapic);
		if (ppm < 0)
			return 0;
		if (best_ppm < 0 || ppm < best_ppm) {
			best = *cal;
			best_ppm = ppm;
		}
		if (ppm <= PIT_GOOD_PPM)
			break;
	}
	*cal = best;
	cal->source = "the i8254 PIT";
	if (best_ppm > PIT_WARN_PPM)
		mica_pr_warn("time: the PIT calibration is only good to "
			     "%lld ppm (the host is busy?)",
			     (long long)best_ppm);
	return tsc_plausible(cal->tsc_hz, cal->source);
}

void mica_x86_tsc_calibrate(struct mica_x86_tsc_cal *cal, int want_lapic)
{
	struct lapic_mark s, e;
	uint64_t end;

	cal->lapic_hz = 0;
	if (tsc_from_kvmclock(cal) || tsc_from_hv_leaf(cal) ||
	    tsc_from_xen_leaf(cal) || tsc_from_cpuid15(cal)) {
		if (!want_lapic || cal->lapic_hz)
			return;
		/* Sharp ends (~0.1 us): 1 ms is far more than enough. */
		lapic_mark(&s);
		end = s.tsc + cal->tsc_hz / LAPIC_WINDOW_DIV;
		while (mica_x86_rdtsc() < end)
			mica_x86_pause();
		lapic_mark(&e);
		cal->lapic_hz = lapic_hz(&s, &e, cal->tsc_hz);
		return;
	}
	if (!tsc_from_pit(cal, want_lapic))
		MICA_CRASH("time: no way to know the TSC frequency: no KVM "
			   "clock, no CPUID 0x40000010, Xen leaf or 0x15, no "
			   "working i8254 PIT");
}
