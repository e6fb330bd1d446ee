/* SPDX-License-Identifier: BSD-3-Clause */
/* Multiboot 1 information (Multiboot spec 0.6.96, 3.3). */
#include <stdint.h>
#include <mica/log.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/x86/boot.h>

#define MB_INFO_CMDLINE (1 << 2)
#define MB_INFO_MODS	(1 << 3)
#define MB_INFO_MMAP	(1 << 6)
#define MB_MAX_MODULES	16

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

/* Each entry is preceded by its size, which does not count itself. */
struct mb_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __mica_packed;

/* Loaders put the kernel's own path first: skip that word. */
static const char *skip_kernel_path(const char *s)
{
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

int mica_x86_multiboot_parse(struct mica_bootinfo *bi, uintptr_t addr)
{
	const struct mb_info *mbi = (const void *)addr;
	uintptr_t p, end;

	bi->protocol = "multiboot";
	bi->cmdline = mica_x86_cmdline;
	if ((mbi->flags & MB_INFO_CMDLINE) && mbi->cmdline)
		mica_x86_set_cmdline(skip_kernel_path(
			(const char *)(uintptr_t)mbi->cmdline));
	if (mbi->flags & MB_INFO_MODS) {
		/* Every module is boot data; the first is the initrd. */
		const struct mb_module *m =
			(const void *)(uintptr_t)mbi->mods_addr;
		uint32_t i, n = mbi->mods_count < MB_MAX_MODULES
					? mbi->mods_count
					: MB_MAX_MODULES;

		for (i = 0; i < n; i++) {
			if (m[i].end <= m[i].start)
				continue;
			if (!bi->initrd_len) {
				bi->initrd_base = m[i].start;
				bi->initrd_len = m[i].end - m[i].start;
			}
			mica_bootinfo_add_region(bi, m[i].start,
						 m[i].end - m[i].start,
						 MICA_MEM_BOOTDATA);
		}
	}
	if (!(mbi->flags & MB_INFO_MMAP)) {
		mica_pr_warn("multiboot info has no memory map");
		return 0;
	}
	p = mbi->mmap_addr;
	end = p + mbi->mmap_length;
	while (p + sizeof(struct mb_mmap_entry) <= end) {
		const struct mb_mmap_entry *e = (const void *)p;

		if (e->size < sizeof(*e) - sizeof(e->size)) {
			mica_pr_warn("malformed multiboot memory map entry");
			break;
		}
		mica_x86_add_e820(bi, e->addr, e->len, e->type);
		p += e->size + sizeof(e->size);
	}
	return 0;
}
