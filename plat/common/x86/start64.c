/* SPDX-License-Identifier: BSD-3-Clause */
/* First C code on bare-metal x86_64, called by entry32.S in long mode. */
#include <stdint.h>
#include <mica/debug.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/x86/boot.h>

void mica_x86_start64(uint32_t protocol, uint32_t info) __mica_noreturn;

static struct mica_bootinfo x86_bootinfo;

void mica_x86_start64(uint32_t protocol, uint32_t info)
{
	struct mica_bootinfo *bi = &x86_bootinfo;
	int rc = -1;

	mica_x86_traps_init();
	mica_x86_paging_init();

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
