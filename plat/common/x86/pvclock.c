/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading a pvclock structure (KVM's pvclock_vcpu_time_info, Xen's
 * vcpu_time_info): the hypervisor makes version odd, updates the fields,
 * then makes it even again, so a copy is consistent when version was even
 * and the same before and after (Linux Documentation/virt/kvm/x86/msr.rst,
 * MSR_KVM_SYSTEM_TIME_NEW). Loads are not reordered with other loads on
 * x86 (SDM vol. 3, 8.2.2), so compiler barriers suffice.
 *
 * The time it describes: ns = system_time + ((tsc - tsc_timestamp)
 * shifted left by tsc_shift (right if negative)) * tsc_to_system_mul
 * / 2^32.
 */
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/plat/x86/clock.h>

#define PVCLOCK_TRIES 1000

#define barrier() __asm__ volatile("" : : : "memory")

uint64_t mica_x86_pvclock_tsc_hz(const volatile struct mica_x86_pvclock *p)
{
	uint32_t version, mul = 0;
	int8_t shift = 0;
	uint64_t hz;
	int i;

	for (i = 0; i < PVCLOCK_TRIES; i++) {
		version = p->version;
		barrier();
		mul = p->tsc_to_system_mul;
		shift = p->tsc_shift;
		barrier();
		if (!(version & 1) && version == p->version)
			break;
	}
	if (i == PVCLOCK_TRIES || mul == 0 || shift < -16 || shift > 16)
		return 0;
	/* One TSC tick is mul * 2^shift / 2^32 ns. */
	hz = (1000000000ULL << 32) / mul;
	if (shift >= 0)
		return hz >> shift;
	return hz > (UINT64_MAX >> -shift) ? 0 : hz << -shift;
}

uint64_t mica_x86_pvclock_ns(const volatile struct mica_x86_pvclock *p)
{
	uint32_t version, mul;
	uint64_t tsc, stamp, sys, delta;
	int8_t shift;

	do {
		version = p->version;
		barrier();
		stamp = p->tsc_timestamp;
		sys = p->system_time;
		mul = p->tsc_to_system_mul;
		shift = p->tsc_shift;
		/* rdtsc may run ahead of the loads above; lfence holds it. */
		__asm__ volatile("lfence" : : : "memory");
		tsc = mica_x86_rdtsc();
		barrier();
	} while ((version & 1) || version != p->version);
	delta = tsc > stamp ? tsc - stamp : 0;
	if (shift >= 0)
		delta <<= shift & 31;
	else
		delta >>= -shift & 63;
	return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}
