/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Binary buddy allocator over 4 KiB pages (Knowlton, "A fast storage
 * allocator", CACM 1965; Knuth, TAOCP vol. 1, 2.5), with small objects
 * served from slab pages on top (slab.c).
 *
 * Blocks of order k are 2^k pages, aligned to their size as absolute
 * addresses: an area is cut at add time into maximal aligned blocks, so
 * the buddy of the block at A is A ^ (4 KiB << k) and a block of order k
 * satisfies any alignment up to 4 KiB << k. One free list per order,
 * linked through the free blocks themselves; a bit mask of non-empty
 * lists finds the smallest fitting order in one instruction.
 *
 * Runs. A page request of n pages takes a block of order
 * ceil(log2(n)) (or more, for alignment), keeps its first n pages and
 * gives the rest back at once, so internal fragmentation is under one
 * page, not up to half the block. A run is recorded at its first page's
 * map entry (its page count) and is made of the aligned power-of-two
 * pieces given by the binary digits of n, each marked in the map so
 * that buddy tests stay exact (see buddy.h). Freeing a run frees those
 * pieces, each coalescing as far as it can: O(log n) either way.
 *
 * Allocation and free are O(log(memory)) at worst; adding an area is
 * O(log(area)); nothing is ever proportional to pages.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/debug.h>
#include <mica/alloc_driver.h>
#include <mica/alloc_buddy.h>
#include "buddy.h"

#define BUDDY_EINVAL 22

static unsigned int floor_log2(size_t n)
{
	return (unsigned int)(sizeof(long) * 8 - 1) -
	       (unsigned int)__builtin_clzl(n);
}

static unsigned int ceil_log2(size_t n)
{
	return n <= 1 ? 0 : floor_log2(n - 1) + 1;
}

static size_t order_bytes(unsigned int order)
{
	return BUDDY_PAGE << order;
}

/* The largest order of an aligned block at addr within left pages. */
static unsigned int max_order_at(uintptr_t addr, size_t left)
{
	unsigned int order = floor_log2(left);
	uintptr_t idx = addr >> BUDDY_PAGE_SHIFT;

	if (idx && (unsigned int)__builtin_ctzl(idx) < order)
		order = __builtin_ctzl(idx);
	return order < BUDDY_MAX_ORDER ? order : BUDDY_MAX_ORDER;
}

/* --- free lists ---------------------------------------------------------- */

static void push_free(struct buddy *b, struct buddy_area *ar, uintptr_t addr,
		      unsigned int order)
{
	struct buddy_free *f = (struct buddy_free *)addr;

	f->area = ar;
	*buddy_meta(ar, addr) = BUDDY_META_FREE | order;
	mica_list_add(&f->link, &b->free[order]);
	b->nonempty |= 1u << order;
	b->free_pages += (size_t)1 << order;
}

static void del_free(struct buddy *b, struct buddy_free *f, unsigned int order)
{
	mica_list_del_init(&f->link);
	if (mica_list_empty(&b->free[order]))
		b->nonempty &= ~(1u << order);
	b->free_pages -= (size_t)1 << order;
}

static unsigned int run_cache_flush(struct buddy *b);

/*
 * Take a block of the given order, splitting a larger one if needed (the
 * upper halves go back to the lists). Returns its address (0 if none)
 * and its area in *arp; its map entry is the caller's to write.
 */
static uintptr_t alloc_order(struct buddy *b, unsigned int order,
			     struct buddy_area **arp)
{
	uint32_t fit = b->nonempty & ~((1u << order) - 1);
	struct buddy_free *f;
	struct buddy_area *ar;
	unsigned int k;

	if (!fit) {
		/* The slab level's cached pages are the reserve. */
		if (!(buddy_slab_reclaim(b) | run_cache_flush(b)))
			return 0;
		fit = b->nonempty & ~((1u << order) - 1);
		if (!fit)
			return 0;
	}
	k = __builtin_ctz(fit);
	f = (struct buddy_free *)b->free[k].next;
	ar = f->area;
	del_free(b, f, k);
	while (k > order) {
		k--;
		push_free(b, ar, (uintptr_t)f + order_bytes(k), k);
	}
	*arp = ar;
	return (uintptr_t)f;
}

/* Free one aligned piece of the given order, merging it with its buddies. */
static void free_piece(struct buddy *b, struct buddy_area *ar, uintptr_t addr,
		       unsigned int order)
{
	while (order < BUDDY_MAX_ORDER) {
		uintptr_t buddy = addr ^ order_bytes(order);
		uint32_t *meta;

		if (buddy < ar->start || buddy >= ar->end)
			break;
		meta = buddy_meta(ar, buddy);
		if (*meta != (BUDDY_META_FREE | order))
			break;
		del_free(b, (struct buddy_free *)buddy, order);
		/* Only first pages are read, but keep the map tidy. */
		*meta = BUDDY_META_PIECE;
		addr &= ~order_bytes(order);
		order++;
	}
	push_free(b, ar, addr, order);
}

/* --- runs ---------------------------------------------------------------- */

/*
 * Mark [addr, addr + n pages) as a run: n at its first page, "piece" at
 * the first page of each further power-of-two piece (by n's binary
 * digits, largest first: addr is aligned to the largest).
 */
static void mark_run(struct buddy_area *ar, uintptr_t addr, size_t n)
{
	uintptr_t at = addr + order_bytes(floor_log2(n));
	size_t left = n & ~((size_t)1 << floor_log2(n));

	*buddy_meta(ar, addr) = BUDDY_META_RUN | (uint32_t)n;
	while (left) {
		unsigned int k = floor_log2(left);

		*buddy_meta(ar, at) = BUDDY_META_PIECE;
		at += order_bytes(k);
		left -= (size_t)1 << k;
	}
}

/*
 * Give back [addr, addr + n pages), which belonged to a run: cut it into
 * maximal aligned blocks, mark them all first (a block's buddy may be a
 * later one, whose map entry must not be stale), then free each.
 */
static void release_range(struct buddy *b, struct buddy_area *ar,
			  uintptr_t addr, size_t n)
{
	uintptr_t at = addr;
	size_t left = n;

	while (left) {
		unsigned int k = max_order_at(at, left);

		*buddy_meta(ar, at) = BUDDY_META_PIECE;
		at += order_bytes(k);
		left -= (size_t)1 << k;
	}
	while (n) {
		unsigned int k = max_order_at(addr, n);

		free_piece(b, ar, addr, k);
		addr += order_bytes(k);
		n -= (size_t)1 << k;
	}
}

/* n pages aligned to 4 KiB << align_order. */
static void *run_alloc(struct buddy *b, unsigned int align_order, size_t n)
{
	unsigned int order = ceil_log2(n);
	struct buddy_area *ar;
	uintptr_t addr;

	if (n <= BUDDY_RUN_CACHE_MAX && !align_order && b->run_cache[n - 1]) {
		void *p = b->run_cache[n - 1];

		b->run_cache[n - 1] = *(void **)p;
		b->run_cached[n - 1]--;
		b->run_cached_pages -= n;
		b->live_runs++;
		return p;
	}
	if (order < align_order)
		order = align_order;
	if (order > BUDDY_MAX_ORDER)
		return NULL;
	addr = alloc_order(b, order, &ar);
	if (!addr)
		return NULL;
	mark_run(ar, addr, n);
	if (n < (size_t)1 << order)
		release_range(b, ar, addr + n * BUDDY_PAGE,
			      ((size_t)1 << order) - n);
	b->live_runs++;
	return (void *)addr;
}

/*
 * The page map entry of the block at p (a run or a slab object), and its
 * area in *arp: the one place free, usable_size and realloc learn what a
 * block is, from the map (dense, 4 bytes a page) rather than from a slab
 * header (a page-aligned line: they all compete for the same L1 sets).
 * Inline, the first area tested first: most heaps have only that one.
 */
static __mica_always_inline uint32_t block_meta(struct buddy *b, const void *p,
						struct buddy_area **arp)
{
	struct buddy_area *ar = &b->areas[0];
	uintptr_t addr = (uintptr_t)p;
	uint32_t meta;

	if (mica_unlikely(addr - ar->start >= ar->end - ar->start)) {
		ar = buddy_area_of(b, addr);
		MICA_BUG_ON(!ar);
	}
	meta = *buddy_meta(ar, addr);
	*arp = ar;
	return meta;
}

/* The class of the slab object p: its page's map entry must say slab. */
static __mica_always_inline unsigned int slab_class_of(uint32_t meta)
{
	MICA_BUG_ON((meta & BUDDY_META_KIND) != BUDDY_META_SLAB);
	return meta & BUDDY_META_VALUE;
}

/* The area and page count of the run at p. */
static size_t run_pages(struct buddy *b, const void *p, struct buddy_area **arp)
{
	uint32_t meta = block_meta(b, p, arp);

	/* A page-aligned pointer is a run's, or not the allocator's. */
	MICA_BUG_ON((meta & BUDDY_META_KIND) != BUDDY_META_RUN);
	return meta & BUDDY_META_VALUE;
}

/* Give the run of n pages at p in area ar back to the free lists. */
static void run_release(struct buddy *b, struct buddy_area *ar, void *p,
			size_t n)
{
	uintptr_t addr = (uintptr_t)p;

	/* The pieces, by n's binary digits: addr is aligned to each. */
	while (n) {
		unsigned int k = floor_log2(n);

		free_piece(b, ar, addr, k);
		addr += order_bytes(k);
		n -= (size_t)1 << k;
	}
}

/*
 * Give every cached run back to the free lists: when the last run is
 * freed (so a heap whose blocks were all freed is whole again) and when
 * a page request would fail otherwise (so the cache never makes one
 * fail). Returns non-zero if anything was given back.
 */
static unsigned int run_cache_flush(struct buddy *b)
{
	unsigned int n, given = 0;

	for (n = 1; n <= BUDDY_RUN_CACHE_MAX; n++) {
		while (b->run_cache[n - 1]) {
			void *p = b->run_cache[n - 1];
			struct buddy_area *ar = buddy_area_of(b, (uintptr_t)p);

			MICA_BUG_ON(!ar);
			b->run_cache[n - 1] = *(void **)p;
			run_release(b, ar, p, n);
			given++;
		}
		b->run_cached[n - 1] = 0;
	}
	b->run_cached_pages = 0;
	return given;
}

/*
 * Free the run of n pages at p in area ar. A short run waits in the run
 * cache for the next request of its length, which then costs no split,
 * no coalescing and no touch of a neighbour's page (free lists are
 * linked through the free blocks: each split or merge writes to other
 * pages, all at the same page offset, so all in the same L1 sets). It
 * also keeps the pages in use few: without it, a mix of run lengths
 * splits and merges the heap differently each time, and on bench/alloc's
 * trace touched twice the pages (each a page fault on first use).
 */
static void run_free(struct buddy *b, struct buddy_area *ar, void *p, size_t n)
{
	b->live_runs--;
	if (n <= BUDDY_RUN_CACHE_MAX && b->live_runs &&
	    b->run_cached[n - 1] < BUDDY_RUN_CACHE_DEPTH &&
	    b->run_cached_pages + n <= b->run_cache_cap) {
		*(void **)p = b->run_cache[n - 1];
		b->run_cache[n - 1] = p;
		b->run_cached[n - 1]++;
		b->run_cached_pages += n;
		return;
	}
	run_release(b, ar, p, n);
	if (!b->live_runs)
		run_cache_flush(b);
}

/* One page for slab.c, marked with meta. */
void *buddy_page_alloc(struct buddy *b, uint32_t meta)
{
	struct buddy_area *ar;
	uintptr_t addr = alloc_order(b, 0, &ar);

	if (addr)
		*buddy_meta(ar, addr) = meta;
	return (void *)addr;
}

void buddy_page_free(struct buddy *b, void *page)
{
	struct buddy_area *ar = buddy_area_of(b, (uintptr_t)page);

	MICA_BUG_ON(!ar);
	free_piece(b, ar, (uintptr_t)page, 0);
}

/* --- operations ---------------------------------------------------------- */

static size_t bytes_to_pages(size_t size)
{
	return (size + BUDDY_PAGE - 1) >> BUDDY_PAGE_SHIFT;
}

static void *buddy_memalign(struct mica_alloc *a, size_t align, size_t size)
{
	struct buddy *b = to_buddy(a);
	unsigned int cls;

	if (align < BUDDY_PAGE && size <= BUDDY_SLAB_MAX) {
		cls = buddy_slab_class(b, align, size);
		if (cls < BUDDY_SLAB_NR_CLASSES)
			return buddy_slab_alloc(b, cls);
	}
	/* A page is aligned enough below 4 KiB; above, a larger order. */
	return run_alloc(
		b,
		align > BUDDY_PAGE ? floor_log2(align) - BUDDY_PAGE_SHIFT : 0,
		bytes_to_pages(size));
}

static void *buddy_malloc(struct mica_alloc *a, size_t size)
{
	struct buddy *b = to_buddy(a);

	if (size <= BUDDY_SLAB_MAX)
		return buddy_slab_alloc(b, b->cls_of[(size + 15) >> 4]);
	return run_alloc(b, 0, bytes_to_pages(size));
}

static void buddy_free(struct mica_alloc *a, void *p)
{
	struct buddy *b = to_buddy(a);
	struct buddy_area *ar;
	uint32_t meta = block_meta(b, p, &ar);

	if (buddy_is_slab_object(p)) {
		buddy_slab_free(b, p, slab_class_of(meta));
		return;
	}
	MICA_BUG_ON((meta & BUDDY_META_KIND) != BUDDY_META_RUN);
	run_free(b, ar, p, meta & BUDDY_META_VALUE);
}

static size_t buddy_usable_size(struct mica_alloc *a, const void *p)
{
	struct buddy *b = to_buddy(a);
	struct buddy_area *ar;
	uint32_t meta = block_meta(b, p, &ar);

	if (buddy_is_slab_object(p))
		return b->classes[slab_class_of(meta)].size;
	MICA_BUG_ON((meta & BUDDY_META_KIND) != BUDDY_META_RUN);
	return (size_t)(meta & BUDDY_META_VALUE) * BUDDY_PAGE;
}

/*
 * In place when the block still fits: a slab object that is large
 * enough, or a run that shrinks (its tail pages go back at once).
 * Otherwise move; a run that would become a slab object moves too, but
 * stays where it is if there is no memory for that.
 */
static void *buddy_realloc(struct mica_alloc *a, void *p, size_t size)
{
	struct buddy *b = to_buddy(a);
	struct buddy_area *ar;
	uint32_t meta = block_meta(b, p, &ar);
	size_t old, n;
	void *q;

	if (buddy_is_slab_object(p)) {
		old = b->classes[slab_class_of(meta)].size;
		if (size <= old)
			return p;
	} else {
		MICA_BUG_ON((meta & BUDDY_META_KIND) != BUDDY_META_RUN);
		n = meta & BUDDY_META_VALUE;
		old = n * BUDDY_PAGE;
		if (size > BUDDY_SLAB_MAX && bytes_to_pages(size) <= n) {
			size_t keep = bytes_to_pages(size);

			if (keep < n) {
				mark_run(ar, (uintptr_t)p, keep);
				release_range(b, ar,
					      (uintptr_t)p + keep * BUDDY_PAGE,
					      n - keep);
			}
			return p;
		}
	}
	q = buddy_malloc(a, size);
	if (!q)
		return size <= old ? p : NULL;
	__builtin_memcpy(q, p, old < size ? old : size);
	buddy_free(a, p);
	return q;
}

static void *buddy_palloc(struct mica_alloc *a, size_t npages)
{
	return run_alloc(to_buddy(a), 0, npages);
}

/* The run records its length; npages is the same by the API's contract. */
static void buddy_pfree(struct mica_alloc *a, void *p, size_t npages)
{
	struct buddy *b = to_buddy(a);
	struct buddy_area *ar;
	size_t n = run_pages(b, p, &ar);

	run_free(b, ar, p, n);
}

static int overlaps(uintptr_t s1, uintptr_t e1, uintptr_t s2, uintptr_t e2)
{
	return s1 < e2 && s2 < e1;
}

/*
 * The pages of [base, base + len) that are 4 KiB aligned are managed;
 * the page map takes its last 1/1025th. Cost: O(log2(pages)) blocks
 * written, whatever the size.
 */
static int buddy_add_memory(struct mica_alloc *a, void *base, size_t len)
{
	struct buddy *b = to_buddy(a);
	uintptr_t s = MICA_ALIGN_UP((uintptr_t)base, BUDDY_PAGE);
	uintptr_t e = (uintptr_t)base + len;
	struct buddy_area *ar;
	size_t pages, map_pages;
	unsigned int i;

	if (!base || e < (uintptr_t)base || s < (uintptr_t)base ||
	    b->nr_areas == BUDDY_MAX_AREAS)
		return -BUDDY_EINVAL;
	e = MICA_ALIGN_DOWN(e, BUDDY_PAGE);
	if (e <= s)
		return -BUDDY_EINVAL;
	pages = (e - s) >> BUDDY_PAGE_SHIFT;
	/* Entries for the managed pages only: p + ceil(p / 1024) <= pages. */
	map_pages = (pages + BUDDY_PAGE / sizeof(uint32_t)) /
		    (BUDDY_PAGE / sizeof(uint32_t) + 1);
	if (pages <= map_pages)
		return -BUDDY_EINVAL;
	pages -= map_pages;
	/* Memory given twice would be handed out twice. */
	if (overlaps(s, e, (uintptr_t)b, (uintptr_t)(b + 1)))
		return -BUDDY_EINVAL;
	for (i = 0; i < b->nr_areas; i++) {
		struct buddy_area *o = &b->areas[i];
		uintptr_t map_end =
			o->end + ((o->end - o->start) >> BUDDY_PAGE_SHIFT) *
					 sizeof(uint32_t);

		if (overlaps(s, e, o->start, map_end))
			return -BUDDY_EINVAL;
	}
	ar = &b->areas[b->nr_areas++];
	ar->start = s;
	ar->end = s + pages * BUDDY_PAGE;
	ar->meta = (uint32_t *)ar->end;
	b->total_pages += pages;
	b->run_cache_cap = MICA_MIN(b->total_pages / 32, BUDDY_RUN_CACHE_PAGES);
	while (s < ar->end) {
		unsigned int k =
			max_order_at(s, (ar->end - s) >> BUDDY_PAGE_SHIFT);

		push_free(b, ar, s, k);
		s += order_bytes(k);
	}
	return 0;
}

static size_t buddy_avail(struct mica_alloc *a)
{
	struct buddy *b = to_buddy(a);

	return (b->free_pages + b->slab_empty + b->run_cached_pages) *
		       BUDDY_PAGE +
	       b->slab_free_bytes;
}

static size_t buddy_total(struct mica_alloc *a)
{
	return to_buddy(a)->total_pages * BUDDY_PAGE;
}

struct mica_alloc *mica_buddy_create(void *base, size_t len)
{
	uintptr_t at = MICA_ALIGN_UP((uintptr_t)base, 64);
	struct buddy *b = (struct buddy *)at;
	unsigned int i;

	if (!base || at < (uintptr_t)base || len < at - (uintptr_t)base ||
	    len - (at - (uintptr_t)base) < sizeof(*b))
		return NULL;
	len -= at - (uintptr_t)base + sizeof(*b);
	__builtin_memset(b, 0, sizeof(*b));
	for (i = 0; i < BUDDY_NR_ORDERS; i++)
		mica_list_init(&b->free[i]);
	buddy_slab_init(b);
	b->ops.malloc = buddy_malloc;
	b->ops.memalign = buddy_memalign;
	b->ops.free = buddy_free;
	b->ops.usable_size = buddy_usable_size;
	b->ops.realloc = buddy_realloc;
	b->ops.palloc = buddy_palloc;
	b->ops.pfree = buddy_pfree;
	b->ops.add_memory = buddy_add_memory;
	b->ops.avail = buddy_avail;
	b->ops.total = buddy_total;
	if (buddy_add_memory(&b->alloc, b + 1, len) < 0)
		return NULL;
	if (mica_alloc_register(&b->alloc, &b->ops, "buddy") < 0)
		return NULL;
	return &b->alloc;
}

struct buddy *buddy_from_alloc(struct mica_alloc *a)
{
	return a && a->ops && a->ops->malloc == buddy_malloc ? to_buddy(a)
							     : NULL;
}
