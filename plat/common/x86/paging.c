/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * W^X for the image. entry32.S identity-maps 0..4 GiB with writable,
 * executable 2 MiB pages. Here every 2 MiB page that holds part of the
 * image (and the first one, so page 0 can be left unmapped and NULL
 * faults) is split into 4 KiB pages: text read+execute, rodata read-only,
 * everything else read+write+no-execute. The rest of memory becomes
 * no-execute. (Intel SDM vol. 3, 4.5: 4-level paging.)
 */
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/debug.h>
#include <mica/plat/memory.h>
#include <mica/plat/x86/boot.h>

#define PTE_P	      (1ULL << 0)
#define PTE_RW	      (1ULL << 1)
#define PTE_PS	      (1ULL << 7)
#define PTE_NX	      (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define PD_ENTRIES    2048 /* 4 page directories: 4 GiB */
#define LARGE_PAGE    (2UL << 20)
#define SPLIT_MAX     4 /* image up to ~6 MiB */

extern uint64_t mica_x86_boot_pd[PD_ENTRIES];

static uint64_t paging_pt[SPLIT_MAX][512] __mica_aligned(4096);

static uint64_t page_flags(uintptr_t addr, uint64_t nx)
{
	uintptr_t text =
		MICA_ALIGN_DOWN((uintptr_t)__mica_text_start, MICA_PAGE_SIZE);
	uintptr_t etext =
		MICA_ALIGN_UP((uintptr_t)__mica_text_end, MICA_PAGE_SIZE);
	uintptr_t rodata = (uintptr_t)__mica_rodata_start;
	uintptr_t erodata =
		MICA_ALIGN_UP((uintptr_t)__mica_rodata_end, MICA_PAGE_SIZE);

	if (addr == 0)
		return 0; /* NULL faults */
	if (addr >= text && addr < etext)
		return PTE_P; /* read + execute */
	if (addr >= rodata && addr < erodata)
		return PTE_P | nx; /* read only */
	return PTE_P | PTE_RW | nx;
}

void mica_x86_paging_init(void)
{
	uintptr_t start = (uintptr_t)__mica_image_start;
	uintptr_t end = (uintptr_t)__mica_image_end;
	uint64_t nx = 0;
	unsigned int i, j, used = 0;

	if (mica_x86_rdmsr(MICA_X86_MSR_EFER) & MICA_X86_EFER_NXE)
		nx = PTE_NX;

	for (i = 0; i < PD_ENTRIES; i++) {
		uintptr_t base = (uintptr_t)i * LARGE_PAGE;

		if (i != 0 && (base + LARGE_PAGE <= start || base >= end)) {
			mica_x86_boot_pd[i] |= nx;
			continue;
		}
		if (used == SPLIT_MAX)
			MICA_CRASH("image too large for the boot page tables");
		for (j = 0; j < 512; j++)
			paging_pt[used][j] =
				(base + j * MICA_PAGE_SIZE) |
				page_flags(base + j * MICA_PAGE_SIZE, nx);
		mica_x86_boot_pd[i] =
			((uintptr_t)paging_pt[used] & PTE_ADDR_MASK) | PTE_P |
			PTE_RW;
		used++;
	}
	/* Reloading CR3 flushes every non-global translation. */
	mica_x86_write_cr3(mica_x86_read_cr3());
}
