/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PVH start info (Xen public/arch-x86/hvm/start_info.h, docs/misc/
 * pvh.pandoc). The structures are a small, stable ABI; they are written
 * out here so that kvm builds need no Xen headers.
 */
#include <errno.h>
#include <stdint.h>
#include <mica/log.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/x86/boot.h>

#define PVH_START_MAGIC 0x336ec578
#define PVH_MAX_MODULES 16
/* Boot data above 4 GiB is not mapped this early: ignore it. */
#define PVH_ADDR_LIMIT	(1ULL << 32)

struct pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	/* version >= 1 */
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct pvh_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

static int below_limit(uint64_t addr, uint64_t len)
{
	return addr < PVH_ADDR_LIMIT && len <= PVH_ADDR_LIMIT - addr;
}

__mica_weak int mica_x86_plat_memmap(struct mica_bootinfo *bi)
{
	(void)bi;
	return -ENODEV;
}

int mica_x86_pvh_parse(struct mica_bootinfo *bi, uintptr_t addr)
{
	const struct pvh_start_info *si = (const void *)addr;
	const struct pvh_memmap_entry *mm;
	uint32_t i, n;

	if (!below_limit(addr, sizeof(*si)) || si->magic != PVH_START_MAGIC) {
		mica_pr_err("no PVH start info at %#lx", (unsigned long)addr);
		return -EINVAL;
	}
	bi->protocol = "pvh";
	bi->cmdline = mica_x86_cmdline;
	if (si->cmdline_paddr && below_limit(si->cmdline_paddr, 1))
		mica_x86_set_cmdline(
			(const char *)(uintptr_t)si->cmdline_paddr);
	if (below_limit(si->rsdp_paddr, 1))
		bi->rsdp = si->rsdp_paddr;
	/* Every module is boot data; the first is the initrd. */
	n = si->nr_modules < PVH_MAX_MODULES ? si->nr_modules : PVH_MAX_MODULES;
	if (n && below_limit(si->modlist_paddr,
			     (uint64_t)n * sizeof(struct pvh_module))) {
		const struct pvh_module *m =
			(const void *)(uintptr_t)si->modlist_paddr;

		for (i = 0; i < n; i++) {
			if (!below_limit(m[i].paddr, m[i].size))
				continue;
			if (!bi->initrd_len) {
				bi->initrd_base = m[i].paddr;
				bi->initrd_len = m[i].size;
			}
			mica_bootinfo_add_region(bi, m[i].paddr, m[i].size,
						 MICA_MEM_BOOTDATA);
		}
	}
	if (si->version < 1 || !si->memmap_entries) {
		if (mica_x86_plat_memmap(bi) < 0)
			mica_pr_warn("PVH start info has no memory map");
	} else if (!below_limit(si->memmap_paddr,
				(uint64_t)si->memmap_entries * sizeof(*mm))) {
		mica_pr_warn("PVH memory map out of reach: ignored");
	} else {
		mm = (const void *)(uintptr_t)si->memmap_paddr;
		for (i = 0; i < si->memmap_entries; i++)
			mica_x86_add_e820(bi, mm[i].addr, mm[i].size,
					  mm[i].type);
	}
	if (bi->nr_regions == MICA_BOOTINFO_MAX_REGIONS)
		mica_pr_warn("memory map: more than %d regions, rest ignored",
			     MICA_BOOTINFO_MAX_REGIONS);
	return 0;
}
