/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The logical CPU on bare-metal x86_64 (mica/plat/lcpu.h): interrupt
 * masking with RFLAGS.IF, halting, the TLS base in FS. Idle and
 * shutdown are the platform's: mica_x86_idle_hlt() is the bare-metal idle.
 */
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/x86/boot.h>

static int lcpu_fsgsbase;

unsigned long mica_plat_irq_save(void)
{
	unsigned long flags = mica_x86_save_flags();

	__asm__ volatile("cli" : : : "memory");
	return flags;
}

void mica_plat_irq_restore(unsigned long flags)
{
	if (flags & MICA_X86_RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

void mica_plat_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

void mica_plat_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

int mica_plat_irq_disabled(void)
{
	return !(mica_x86_save_flags() & MICA_X86_RFLAGS_IF);
}

void mica_plat_halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/*
 * wrfsbase (SDM vol. 2D) is much cheaper than the MSR write, which
 * matters because a thread switch sets the base; it needs CR4.FSGSBASE,
 * set here when CPUID 7.0:EBX bit 0 says the CPU has it.
 */
void mica_x86_lcpu_init(void)
{
	uint32_t a, b, c, d;

	mica_x86_cpuid(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return;
	mica_x86_cpuid(7, 0, &a, &b, &c, &d);
	if (!(b & MICA_X86_CPUID7_EBX_FSGSBASE))
		return;
	mica_x86_write_cr4(mica_x86_read_cr4() | MICA_X86_CR4_FSGSBASE);
	lcpu_fsgsbase = 1;
}

void mica_plat_tls_set(uintptr_t tp)
{
	if (lcpu_fsgsbase)
		__asm__ volatile("wrfsbase %0" : : "r"(tp) : "memory");
	else
		mica_x86_set_fs_base(tp);
}
