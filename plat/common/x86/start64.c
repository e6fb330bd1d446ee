/* SPDX-License-Identifier: BSD-3-Clause */
/* First C code on bare-metal x86_64, called by entry32.S in long mode. */
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/x86/boot.h>
#include <mica/plat/x86/irq.h>

void mica_x86_start64(uint32_t protocol, uint32_t info) __mica_noreturn;

#define X86_RAM_START (1ULL << 20)
#define X86_RAM_END   (1ULL << 32) /* end of the boot identity map */

static struct mica_bootinfo x86_bootinfo;
char mica_x86_cmdline[MICA_X86_CMDLINE_MAX];
uint64_t mica_x86_boot_tsc;

void mica_x86_set_cmdline(const char *src)
{
	size_t i;

	for (i = 0; i < sizeof(mica_x86_cmdline) - 1 && src[i]; i++)
		mica_x86_cmdline[i] = src[i];
	mica_x86_cmdline[i] = '\0';
	if (src[i])
		mica_pr_warn("command line longer than %zu bytes: cut",
			     sizeof(mica_x86_cmdline) - 1);
}

void mica_x86_add_ram(struct mica_bootinfo *bi, uint64_t base, uint64_t len)
{
	uint64_t end = base + len;

	if (end < base)
		end = UINT64_MAX; /* a wrapping entry: clip it */
	if (base < X86_RAM_START)
		base = X86_RAM_START;
	if (end > X86_RAM_END) {
		mica_pr_info(
			"RAM above 4 GiB not used: %llu MiB",
			(unsigned long long)((end -
					      MICA_MAX(base, X86_RAM_END)) >>
					     20));
		end = X86_RAM_END;
	}
	if (base >= end)
		return;
	/*
	 * Whole pages only: a map may end RAM mid-page (Xen's dom0 map
	 * does, where its ACPI tables begin). Both ends are at most 4 GiB
	 * now, so rounding cannot wrap.
	 */
	base = MICA_ALIGN_UP(base, (uint64_t)MICA_PAGE_SIZE);
	end = MICA_ALIGN_DOWN(end, (uint64_t)MICA_PAGE_SIZE);
	if (end > base)
		mica_bootinfo_add_region(bi, base, end - base, MICA_MEM_FREE);
}

void mica_x86_add_e820(struct mica_bootinfo *bi, uint64_t base, uint64_t len,
		       uint32_t type)
{
	if (type == MICA_X86_E820_RAM)
		mica_x86_add_ram(bi, base, len);
	else
		mica_bootinfo_add_region(bi, base, len, MICA_MEM_RESERVED);
}

void mica_x86_start64(uint32_t protocol, uint32_t info)
{
	struct mica_bootinfo *bi = &x86_bootinfo;
	int rc = -1;

	mica_x86_boot_tsc = mica_x86_rdtsc();
	mica_x86_traps_init();
	mica_x86_paging_init();
	mica_x86_plat_early();
	mica_x86_lcpu_init();
	mica_x86_irq_init();

	if (protocol == MICA_X86_BOOT_PVH)
		rc = mica_x86_pvh_parse(bi, info);
	else if (protocol == MICA_X86_BOOT_MULTIBOOT)
		rc = mica_x86_multiboot_parse(bi, info);
	if (rc < 0)
		MICA_CRASH("started by an unknown boot loader (protocol %u): "
			   "boot through PVH or Multiboot",
			   (unsigned int)protocol);

	mica_bootinfo_add_region(bi, (uintptr_t)__mica_image_start,
				 (uintptr_t)__mica_image_end -
					 (uintptr_t)__mica_image_start,
				 MICA_MEM_IMAGE);
	mica_x86_plat_start(bi);
}
