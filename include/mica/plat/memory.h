/* SPDX-License-Identifier: BSD-3-Clause */
/* Platform interface: physical (or, on linuxu, mapped) memory regions. */
#ifndef MICA_PLAT_MEMORY_H
#define MICA_PLAT_MEMORY_H

#include <stdint.h>
#include <stddef.h>

#define MICA_PAGE_SIZE 4096UL

/* What a region holds. Only MICA_MEM_FREE may be handed to allocators. */
#define MICA_MEM_FREE	  0x1 /* usable RAM, nothing in it */
#define MICA_MEM_RESERVED 0x2 /* firmware, devices, ACPI, ... */
#define MICA_MEM_IMAGE	  0x4 /* the image: text, data, bss, stack */
#define MICA_MEM_BOOTDATA 0x8 /* command line, boot modules, maps */

struct mica_mem_region {
	uintptr_t base;
	size_t len;
	unsigned int flags;
};

/*
 * Guard pages. Make the page at addr (page aligned, in memory the image
 * got from a FREE region) inaccessible (guard != 0), so any access faults,
 * or accessible again (guard == 0). A platform that must split a large
 * mapping to do so takes zeroed, page-aligned pages for page tables from
 * pt_alloc (which may return NULL). Returns 0, -EINVAL for a bad address,
 * -ENOMEM when no page-table page was available, or -ENOSYS where the
 * platform cannot protect memory.
 */
int mica_plat_page_guard(void *addr, int guard, void *(*pt_alloc)(void));

#endif /* MICA_PLAT_MEMORY_H */
