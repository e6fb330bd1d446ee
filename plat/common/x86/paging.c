/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * W^X for the image. entry32.S identity-maps 0..4 GiB with writable,
 * executable 2 MiB pages. Here every 2 MiB page that holds part of the
 * image (and the first one, so page 0 can be left unmapped and NULL
 * faults) is split into 4 KiB pages: text read+execute, rodata read-only,
 * everything else read+write+no-execute. The rest of memory becomes
 * no-execute. (Intel SDM vol. 3, 4.5: 4-level paging.)
 *
 * Guard pages (mica_plat_page_guard) split the 2 MiB page around them the
 * same way, into a page table the caller provides, keeping every
 * attribute, and then clear or set the 4 KiB page's present bit.
 */
#include <errno.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/debug.h>
#include <mica/boot.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/memory.h>
#include <mica/plat/x86/boot.h>

#define PTE_P	      (1ULL << 0)
#define PTE_RW	      (1ULL << 1)
#define PTE_PS	      (1ULL << 7)  /* in a PDE: 2 MiB page */
#define PTE_PAT_4K    (1ULL << 7)  /* in a PTE */
#define PTE_PAT_2M    (1ULL << 12) /* in a 2 MiB PDE */
#define PTE_NX	      (1ULL << 63)
#define PTE_LOW_FLAGS 0xfffULL
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define PDE_2M_ADDR   0x000fffffffe00000ULL
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

/*
 * The attributes of a 2 MiB mapping, as a 4 KiB PTE carries them: the
 * low flag bits and NX, except PS; and the PAT bit, which moves from bit
 * 12 to bit 7 (SDM vol. 3, 4.5, tables 4-18 and 4-20).
 */
static uint64_t pde_to_pte_flags(uint64_t pde)
{
	uint64_t f = pde & (PTE_LOW_FLAGS | PTE_NX) & ~PTE_PS;

	return f | ((pde & PTE_PAT_2M) ? PTE_PAT_4K : 0);
}

/*
 * Is the page at addr inside a region the boot reported as free, and
 * outside every other region (the image, boot data, firmware)?
 */
static int paging_in_free_ram(uintptr_t addr)
{
	const struct mica_bootinfo *bi = mica_boot_info();
	uintptr_t end = addr + MICA_PAGE_SIZE;
	int in_free = 0;
	unsigned int i;

	for (i = 0; bi && i < bi->nr_regions; i++) {
		const struct mica_mem_region *r = &bi->regions[i];
		uintptr_t rend = r->base + r->len;

		if (r->flags == MICA_MEM_FREE)
			in_free |= addr >= r->base && end <= rend;
		else if (addr < rend && end > r->base)
			return 0;
	}
	return in_free;
}

int mica_plat_page_guard(void *addr, int guard, void *(*pt_alloc)(void))
{
	uintptr_t a = (uintptr_t)addr;
	uintptr_t img = (uintptr_t)__mica_image_start;
	uintptr_t eimg = (uintptr_t)__mica_image_end;
	uint64_t *pde, *pt, flags;
	unsigned long irq;
	unsigned int j;

	if (!MICA_IS_ALIGNED(a, MICA_PAGE_SIZE) ||
	    a >= (uintptr_t)PD_ENTRIES * LARGE_PAGE || (a >= img && a < eimg) ||
	    !paging_in_free_ram(a))
		return -EINVAL;

	/* One critical section: two callers must not split one page twice. */
	irq = mica_plat_irq_save();
	pde = &mica_x86_boot_pd[a / LARGE_PAGE];
	if (*pde & PTE_PS) {
		/* Split: 512 PTEs, same frames, same attributes. */
		pt = pt_alloc ? pt_alloc() : NULL;
		if (!pt) {
			mica_plat_irq_restore(irq);
			return -ENOMEM;
		}
		flags = pde_to_pte_flags(*pde);
		for (j = 0; j < 512; j++)
			pt[j] = (*pde & PDE_2M_ADDR) + j * MICA_PAGE_SIZE +
				flags;
		/* Permissions now live in the PTEs (SDM vol. 3, 4.6). */
		*pde = ((uintptr_t)pt & PTE_ADDR_MASK) | PTE_P | PTE_RW;
	}
	pt = (uint64_t *)(uintptr_t)(*pde & PTE_ADDR_MASK);
	if (guard)
		pt[(a / MICA_PAGE_SIZE) % 512] &= ~PTE_P;
	else
		pt[(a / MICA_PAGE_SIZE) % 512] |= PTE_P;
	/* Drops the old 2 MiB entry too, if the TLB still had it. */
	mica_x86_invlpg(a);
	mica_plat_irq_restore(irq);
	return 0;
}
