/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared bare-metal x86_64 boot code (plat/common/x86), and what it needs
 * from the platform that uses it.
 *
 * entry32.S takes the CPU from a PVH or Multiboot 32-bit entry to long
 * mode and calls mica_x86_start64(), which sets up traps, W^X page
 * tables, CPU features and interrupt controllers (irq.h), parses the boot
 * protocol's information into a mica_bootinfo and hands it to the
 * platform's mica_x86_plat_start().
 */
#ifndef MICA_PLAT_X86_BOOT_H
#define MICA_PLAT_X86_BOOT_H

#define MICA_X86_BOOT_PVH	1
#define MICA_X86_BOOT_MULTIBOOT 2

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <mica/compiler.h>

struct mica_bootinfo;

/*
 * Implemented by the platform. mica_x86_plat_early() is called once the
 * trap table and the W^X page tables are in place, before the local APIC
 * and the boot information: the place to find out what machine this is
 * and to quiesce its legacy devices (kvm: the 8259 PICs and the PIT;
 * xen: the hypercall page, or a stop when there is no Xen). Interrupts
 * are masked; the console must already work. mica_x86_plat_start() is
 * the last step and never returns (it calls mica_boot()).
 */
void mica_x86_plat_early(void);
void mica_x86_plat_start(struct mica_bootinfo *bi) __mica_noreturn;

/* Boot protocol parsers; return 0 or a negative errno. */
int mica_x86_pvh_parse(struct mica_bootinfo *bi, uintptr_t start_info);
int mica_x86_multiboot_parse(struct mica_bootinfo *bi, uintptr_t mbi);

/*
 * Record firmware RAM [base, base + len) as free memory, clipped to what
 * the boot page tables map and what is safe to hand out: from 1 MiB (the
 * real-mode area below holds firmware data and the NULL page) to 4 GiB.
 */
void mica_x86_add_ram(struct mica_bootinfo *bi, uint64_t base, uint64_t len);

/*
 * One entry of an E820-style memory map (PVH, Multiboot and Xen use the
 * BIOS's types): RAM through mica_x86_add_ram(), anything else reserved.
 */
#define MICA_X86_E820_RAM 1
void mica_x86_add_e820(struct mica_bootinfo *bi, uint64_t base, uint64_t len,
		       uint32_t type);

/*
 * Optional, for a platform whose PVH loader may leave the memory map out
 * of the start info (Xen's dom0 builder does; dom0 asks Xen instead):
 * called by mica_x86_pvh_parse() in that case, adds what it finds with
 * mica_x86_add_e820() and returns 0, or a negative errno when it has no
 * map either. The default (a weak symbol) returns -ENODEV.
 */
int mica_x86_plat_memmap(struct mica_bootinfo *bi);

void mica_x86_traps_init(void);
void mica_x86_paging_init(void);
/* CPU features the rest relies on (FSGSBASE for mica_plat_tls_set). */
void mica_x86_lcpu_init(void);

/* The TSC when C code started: monotonic time 0 (mica/plat/time.h). */
extern uint64_t mica_x86_boot_tsc;

/* Longest command line kept; a longer one is cut with a warning. */
#define MICA_X86_CMDLINE_MAX 4096
extern char mica_x86_cmdline[MICA_X86_CMDLINE_MAX];
/* Copy the loader's command line (boot memory) into mica_x86_cmdline. */
void mica_x86_set_cmdline(const char *src);

/* Image layout, from the platform's linker script. */
extern char __mica_text_start[], __mica_text_end[];
extern char __mica_rodata_start[], __mica_rodata_end[];
extern char __mica_image_start[], __mica_image_end[];

/*
 * The bare-metal idle (mica_plat_idle): sti delays interrupt recognition
 * until after the next instruction (SDM vol. 2B, STI), so nothing is
 * taken between sti and hlt: an interrupt already pending wakes the hlt
 * at once instead of being handled before it, where it would leave the
 * CPU asleep with its wake-up consumed.
 */
static inline void mica_x86_idle_hlt(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

#endif /* __ASSEMBLY__ */
#endif /* MICA_PLAT_X86_BOOT_H */
