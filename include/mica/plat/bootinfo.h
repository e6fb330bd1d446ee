/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform interface: what the platform learnt at boot.
 *
 * The platform fills one struct mica_bootinfo from its boot protocol (PVH
 * start info, Multiboot info, the Linux process) and hands it to
 * mica_boot(). Everything in it was checked by the platform: lengths are
 * bounded, strings are NUL-terminated.
 */
#ifndef MICA_PLAT_BOOTINFO_H
#define MICA_PLAT_BOOTINFO_H

#include <stdint.h>
#include <stddef.h>
#include <mica/plat/memory.h>

#define MICA_BOOTINFO_MAX_REGIONS 32

struct mica_bootinfo {
	/* Boot protocol, for messages: "pvh", "multiboot", "linux". */
	const char *protocol;
	/*
	 * The command line as one writable string (boot splits it in
	 * place), or NULL when the platform passes argv already split.
	 */
	char *cmdline;
	int argc;    /* with argv: pre-split words, argv[0] */
	char **argv; /* is the program name */

	struct mica_mem_region regions[MICA_BOOTINFO_MAX_REGIONS];
	unsigned int nr_regions;

	uintptr_t initrd_base; /* first boot module, if any */
	size_t initrd_len;
	uintptr_t rsdp; /* ACPI RSDP, 0 when unknown */
};

/*
 * Append a region; returns 0, or -1 when the table is full (the region is
 * then ignored, which only loses memory, never corrupts it).
 */
static inline int mica_bootinfo_add_region(struct mica_bootinfo *bi,
					   uintptr_t base, size_t len,
					   unsigned int flags)
{
	struct mica_mem_region *r;

	if (bi->nr_regions >= MICA_BOOTINFO_MAX_REGIONS)
		return -1;
	r = &bi->regions[bi->nr_regions++];
	r->base = base;
	r->len = len;
	r->flags = flags;
	return 0;
}

#endif /* MICA_PLAT_BOOTINFO_H */
