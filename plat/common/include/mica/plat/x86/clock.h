/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Clock sources of bare-metal x86_64 (plat/common/x86), used by time.c
 * to bring up mica/plat/time.h: the TSC frequency, the hypervisor's
 * paravirtual clock, and the CMOS real-time clock.
 */
#ifndef MICA_PLAT_X86_CLOCK_H
#define MICA_PLAT_X86_CLOCK_H

#include <stdint.h>
#include <mica/compiler.h>

/*
 * What one calibration found. lapic_hz is the local APIC timer's input
 * clock (divide by 1), 0 when it was neither asked for nor known.
 */
struct mica_x86_tsc_cal {
	uint64_t tsc_hz;
	uint64_t lapic_hz;
	const char *source; /* for the log: "CPUID 0x15", "the PIT", ... */
};

/*
 * Find the TSC frequency: from the KVM clock, the hypervisor timing leaf
 * 0x40000010, Xen's TSC leaf or CPUID 0x15/0x16 when the CPU or
 * hypervisor says it,
 * otherwise by counting TSC ticks over a window of a few milliseconds of
 * the i8254 PIT. With want_lapic, also find the local APIC timer's rate
 * (the timer must already count down, masked, from its maximum: see
 * tsc.c), in the same window. Stops the image with a message when no
 * source works.
 */
void mica_x86_tsc_calibrate(struct mica_x86_tsc_cal *cal, int want_lapic);

/*
 * The pvclock shared structure: KVM's struct pvclock_vcpu_time_info
 * (Linux Documentation/virt/kvm/x86/msr.rst, MSR_KVM_SYSTEM_TIME_NEW) and
 * Xen's struct vcpu_time_info (xen/include/public/xen.h) have this same
 * layout and the same version protocol, so both platforms read it here.
 */
struct mica_x86_pvclock {
	uint32_t version; /* odd while the hypervisor updates the rest */
	uint32_t pad0;
	uint64_t tsc_timestamp; /* TSC at system_time */
	uint64_t system_time;	/* ns */
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __mica_packed;

/*
 * The TSC frequency a pvclock structure describes, read with its version
 * protocol; 0 when the values are implausible.
 */
uint64_t mica_x86_pvclock_tsc_hz(const volatile struct mica_x86_pvclock *p);

/*
 * The time p describes now (one rdtsc), in the hypervisor's ns, read
 * with the version protocol. Not clamped: successive updates by the
 * hypervisor may step it back a little; callers keep it monotonic.
 */
uint64_t mica_x86_pvclock_ns(const volatile struct mica_x86_pvclock *p);

/*
 * Read the CMOS RTC (ports 0x70/0x71): seconds since 1970-01-01 00:00
 * UTC, assuming the RTC keeps UTC (as QEMU's does by default). Returns
 * 0, or a negative errno with a warning printed that says what was wrong
 * (-ENODEV: no RTC; -EIO: an invalid date; -ETIMEDOUT: stuck updating).
 * tsc_hz bounds the waits.
 */
int mica_x86_rtc_read(int64_t *secs, uint64_t tsc_hz);

#endif /* MICA_PLAT_X86_CLOCK_H */
