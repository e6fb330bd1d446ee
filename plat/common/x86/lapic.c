/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The local APIC (Intel SDM vol. 3, chapter 10): enabled through the
 * spurious-interrupt vector register, with the 8259 line (LINT0) masked,
 * so every interrupt the CPU takes comes through here.
 *
 * Register access: x2APIC MSRs (SDM 10.12) when the firmware already
 * switched the APIC to x2APIC mode, which cannot be undone without
 * disabling it; otherwise the xAPIC page at the base IA32_APIC_BASE
 * names. QEMU (TCG and KVM) and its firmware leave xAPIC mode on, and
 * the only hot accesses - EOI, and in TSC-deadline mode the deadline
 * MSR, which is an MSR in both modes - cost the same exit either way
 * under KVM, so there is no reason to switch modes ourselves.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/x86/irq.h>

#define APIC_BASE_EXTD	(1ULL << 10) /* x2APIC mode */
#define APIC_BASE_EN	(1ULL << 11)
#define APIC_BASE_ADDR	0xfffff000ULL
#define APIC_MMIO_LIMIT (1ULL << 32) /* what the boot page tables map */

/* Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + off/16. */
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ESR	0x280
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0

#define APIC_SVR_ENABLE	 (1U << 8)
#define APIC_LVT_MASKED	 (1U << 16)
#define APIC_TIMER_DIV_1 0xb /* SDM 10.5.4, figure 10-10 */

static volatile uint32_t *lapic_mmio;
static int lapic_x2apic;

static uint32_t lapic_read(unsigned int reg)
{
	if (lapic_x2apic)
		return (uint32_t)mica_x86_rdmsr(0x800 + (reg >> 4));
	return lapic_mmio[reg / 4];
}

static void lapic_write(unsigned int reg, uint32_t v)
{
	if (lapic_x2apic)
		mica_x86_wrmsr(0x800 + (reg >> 4), v);
	else
		lapic_mmio[reg / 4] = v;
}

void mica_x86_lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

/* SDM 10.5.3: write ESR to latch the errors, then read them. */
static void lapic_error(void *arg)
{
	uint32_t esr;

	(void)arg;
	lapic_write(APIC_ESR, 0);
	esr = lapic_read(APIC_ESR);
	mica_pr_warn("local APIC error, ESR %#x (SDM vol. 3, 10.5.3)",
		     (unsigned int)esr);
}

void mica_x86_lapic_init(void)
{
	uint32_t a, b, c, d;
	uint64_t base;

	mica_x86_cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & MICA_X86_CPUID1_EDX_APIC))
		MICA_CRASH("this CPU has no local APIC (CPUID 1: EDX bit 9)");

	base = mica_x86_rdmsr(MICA_X86_MSR_APIC_BASE);
	if (base & APIC_BASE_EXTD) {
		lapic_x2apic = 1;
	} else {
		if ((base & APIC_BASE_ADDR) >= APIC_MMIO_LIMIT)
			MICA_CRASH("local APIC at %#llx, above the 4 GiB the "
				   "page tables map",
				   (unsigned long long)(base & APIC_BASE_ADDR));
		if (!(base & APIC_BASE_EN))
			mica_x86_wrmsr(MICA_X86_MSR_APIC_BASE,
				       base | APIC_BASE_EN);
		/*
		 * Identity-mapped with the rest of the low 4 GiB. A
		 * hypervisor traps these accesses whatever the memory type
		 * says; on bare metal the firmware's MTRRs make it UC.
		 */
		lapic_mmio =
			(volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR);
	}

	lapic_write(APIC_TPR, 0); /* accept every priority class */
	lapic_write(APIC_LVT_LINT0, APIC_LVT_MASKED); /* the 8259: gone */
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | MICA_X86_VEC_TIMER);
	lapic_write(APIC_LVT_ERROR, MICA_X86_VEC_APIC_ERROR);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | MICA_X86_VEC_SPURIOUS);
	mica_x86_irq_register(MICA_X86_VEC_APIC_ERROR, lapic_error, NULL);
	mica_pr_debug("local APIC: %s mode", lapic_x2apic ? "x2APIC" : "xAPIC");
}

void mica_x86_lapic_timer_setup(unsigned int vector, uint32_t mode, int masked)
{
	lapic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_1);
	lapic_write(APIC_LVT_TIMER,
		    vector | mode | (masked ? APIC_LVT_MASKED : 0));
	/*
	 * SDM vol. 3, 10.5.4.1: in xAPIC mode the memory-mapped LVT write
	 * must be ordered before a later WRMSR to IA32_TSC_DEADLINE.
	 */
	__asm__ volatile("mfence" : : : "memory");
}

void mica_x86_lapic_timer_start(uint32_t count)
{
	lapic_write(APIC_TIMER_INIT, count);
}

uint32_t mica_x86_lapic_timer_count(void)
{
	return lapic_read(APIC_TIMER_CUR);
}
