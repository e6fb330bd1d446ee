/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvm platform: QEMU (KVM or TCG) x86_64 virtual machines. The shared x86
 * code (plat/common/x86) has set up the CPU and provides interrupts, time
 * and the rest of mica/plat/lcpu.h; this file owns what is specific to the
 * QEMU machine: its legacy PC devices, and how to stop it.
 */
#include <mica/arch/cpu.h>
#include <mica/boot.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/x86/boot.h>
#include <mica/plat/x86/irq.h>
#include <mica/print.h>

/* QEMU's PC machines (microvm, pc, q35) have both. */
void mica_x86_plat_early(void)
{
	mica_x86_pic_disable();
	mica_x86_pit_quieten();
}

void mica_x86_plat_start(struct mica_bootinfo *bi)
{
	mica_boot(bi);
}

void mica_plat_idle(void)
{
	mica_x86_idle_hlt();
}

void mica_plat_shutdown(int status)
{
	/* QEMU's isa-debug-exit: exits with (status << 1) | 1. */
	mica_x86_outl(CONFIG_PLAT_KVM_DEBUG_EXIT_PORT, (uint32_t)status);
	/* Still here: no such device. Say so, then stop for good. */
	mica_printf(MICA_PLAT_EXIT_LINE, status);
	for (;;)
		__asm__ volatile("cli; hlt");
}
