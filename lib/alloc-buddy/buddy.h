/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private state of the buddy allocator, shared by buddy.c (pages),
 * slab.c (small objects) and check.c (the consistency walker).
 *
 * Memory layout. The first area holds struct buddy at its start; every
 * area then holds its page map (4 bytes per page) and, after it, the
 * pages it manages:
 *
 *   [struct buddy (first area only)][page map][page][page]...
 *
 * The page map (one uint32_t per page, "meta") is the buddy state. It is
 * reserved at add time but NOT initialised: only the entry of the first
 * page of each piece is ever written or read, so the cost of adding an
 * area is proportional to the number of blocks it splits into (at most
 * 2 * log2(pages)), not to its pages. That works because the area is
 * always tiled by aligned power-of-two pieces, each a free block, a
 * piece of an allocated run or a slab page, and each with a valid entry
 * at its first page: the buddy of a free block of order k (its address
 * with bit 12 + k flipped) is then either outside the area or the first
 * page of a piece of order <= k (a larger aligned piece containing it
 * would also contain the block), so its entry is always valid and
 * "free, order k" there means the whole buddy is a free block.
 * Cost: 0.1% of the memory, plus one cache line touched per buddy test.
 */
#ifndef BUDDY_H
#define BUDDY_H

#include <stddef.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/alloc_driver.h>
#include <mica/list.h>

#define BUDDY_PAGE_SHIFT 12
#define BUDDY_PAGE	 MICA_ALLOC_PAGE_SIZE

/*
 * Largest block: 2^29 pages (2 TiB) on 64-bit, limited by the page map
 * entry (below) and, on 32-bit, by size_t.
 */
#define BUDDY_MAX_ORDER (sizeof(size_t) > 4 ? 29 : 19)
#define BUDDY_NR_ORDERS 30
#define BUDDY_MAX_AREAS 32

/*
 * A page map entry: the top two bits say what the piece starting at this
 * page is, the low 30 bits hold its order or page count.
 */
#define BUDDY_META_KIND	 0xc0000000u
#define BUDDY_META_FREE	 0xc0000000u /* free block; low bits: order */
#define BUDDY_META_RUN	 0x80000000u /* first page of a run; low: pages */
#define BUDDY_META_SLAB	 0x40000000u /* a slab page (slab.c); low: class */
#define BUDDY_META_PIECE 0x00000000u /* later piece of a run */
#define BUDDY_META_VALUE 0x3fffffffu

/* Small objects: SLAB_NR_CLASSES sizes up to BUDDY_SLAB_MAX bytes. */
#define BUDDY_SLAB_MAX	      2016
#define BUDDY_SLAB_NR_CLASSES 22
#define BUDDY_SLAB_MAGIC      0x51ab51abu

/*
 * Freed runs of up to BUDDY_RUN_CACHE_MAX pages wait, up to
 * BUDDY_RUN_CACHE_DEPTH per length and BUDDY_RUN_CACHE_PAGES (2 MiB) or
 * 1/32 of the heap in all, for the next request of the same length
 * (buddy.c).
 */
#define BUDDY_RUN_CACHE_MAX   16
#define BUDDY_RUN_CACHE_DEPTH 16
#define BUDDY_RUN_CACHE_PAGES 512

struct buddy_area {
	uintptr_t start, end; /* the managed pages */
	uint32_t *meta;	      /* the page map, one entry per page */
};

/* The first bytes of a free block. */
struct buddy_free {
	struct mica_list link; /* first: the free list of its order */
	struct buddy_area *area;
};

/*
 * The first bytes of a slab page; objects are carved from the end of the
 * page downwards, so a power-of-two class is aligned to its size and no
 * object is ever page aligned: a page-aligned pointer is a run, any other
 * one a slab object whose header is at the start of its page.
 */
struct buddy_slab {
	struct mica_list link; /* first: its class's list, if not full */
	void *free; /* freed objects, linked through their first word */
	uint32_t magic;
	uint16_t size;	 /* object size */
	uint8_t cls;	 /* index in buddy.classes */
	uint16_t nfree;	 /* objects not handed out */
	uint16_t carved; /* objects ever handed out (the rest are untouched) */
};

struct buddy_class {
	struct mica_list slabs; /* slabs with free objects; empty ones last */
	void *cache;		/* recently freed objects, LIFO (slab.c) */
	uint16_t cached;	/* objects in cache */
	uint16_t cache_max;
	uint16_t size;
	uint16_t capacity; /* objects per slab */
	uint32_t nr_slabs; /* slabs of this class, full, partial or empty */
	uint32_t live;	   /* objects handed out and not freed */
	uint8_t has_empty; /* an empty slab is kept (at the list's end) */
};

struct buddy {
	struct mica_alloc alloc; /* first: the API's handle */
	struct mica_alloc_ops ops;
	struct mica_list free[BUDDY_NR_ORDERS];
	uint32_t nonempty; /* bit k: free[k] has blocks */
	size_t free_pages;
	size_t total_pages;
	size_t slab_empty;	/* empty slabs kept */
	size_t slab_free_bytes; /* free objects in slabs not empty */
	unsigned int nr_areas;
	struct buddy_area areas[BUDDY_MAX_AREAS];
	struct buddy_class classes[BUDDY_SLAB_NR_CLASSES];
	/*
	 * Cached runs of n pages at run_cache[n - 1], linked by 1st word.
	 * live_runs is not next to run_cached_pages: GCC would update the
	 * two with one 16-byte access, which stalls (no store forwarding
	 * from the separate 8-byte stores of a free just before).
	 */
	size_t live_runs; /* runs handed out; at 0 the run cache is flushed */
	void *run_cache[BUDDY_RUN_CACHE_MAX];
	uint8_t run_cached[BUDDY_RUN_CACHE_MAX];
	size_t run_cached_pages;
	size_t run_cache_cap; /* most pages cached: see BUDDY_RUN_CACHE_PAGES */
	/* Class for a size: cls_of[(size + 15) / 16]. */
	uint8_t cls_of[BUDDY_SLAB_MAX / 16 + 1];
};

static inline struct buddy *to_buddy(struct mica_alloc *a)
{
	return (struct buddy *)a;
}

static inline uint32_t *buddy_meta(struct buddy_area *ar, uintptr_t addr)
{
	return &ar->meta[(addr - ar->start) >> BUDDY_PAGE_SHIFT];
}

/* The area holding addr, or NULL; most heaps have one area. */
static inline struct buddy_area *buddy_area_of(struct buddy *b, uintptr_t addr)
{
	unsigned int i;

	for (i = 0; i < b->nr_areas; i++) {
		if (addr >= b->areas[i].start && addr < b->areas[i].end)
			return &b->areas[i];
	}
	return NULL;
}

/* buddy.c: pages. */
struct buddy *buddy_from_alloc(struct mica_alloc *a); /* NULL: not a buddy */
void *buddy_page_alloc(struct buddy *b, uint32_t meta);
void buddy_page_free(struct buddy *b, void *page);

/* slab.c: small objects. */
void buddy_slab_init(struct buddy *b);
/* The class for size bytes aligned to align, or BUDDY_SLAB_NR_CLASSES. */
unsigned int buddy_slab_class(struct buddy *b, size_t align, size_t size);
void *buddy_slab_alloc_slow(struct buddy *b, unsigned int cls);
void buddy_slab_free_slow(struct buddy *b, void *p, unsigned int cls);
unsigned int buddy_slab_reclaim(struct buddy *b);

/*
 * The fast paths of slab.c, inline: the class's object cache, which
 * touches only the class (not the slab header: its page-aligned lines
 * all compete for the same few L1 sets). The class of a freed object
 * comes from the page map entry of its page, read by the caller.
 */
static inline void *buddy_slab_alloc(struct buddy *b, unsigned int cls)
{
	struct buddy_class *cl = &b->classes[cls];
	void *p = cl->cache;

	if (mica_unlikely(!p))
		return buddy_slab_alloc_slow(b, cls);
	cl->cache = *(void **)p;
	cl->cached--;
	cl->live++;
	b->slab_free_bytes -= cl->size;
	return p;
}

static inline void buddy_slab_free(struct buddy *b, void *p, unsigned int cls)
{
	struct buddy_class *cl = &b->classes[cls];

	/* The last object of a class takes the slow path: it goes idle. */
	if (mica_unlikely(cl->live <= 1 || cl->cached >= cl->cache_max)) {
		buddy_slab_free_slow(b, p, cls);
		return;
	}
	cl->live--;
	*(void **)p = cl->cache;
	cl->cache = p;
	cl->cached++;
	b->slab_free_bytes += cl->size;
}

static inline struct buddy_slab *buddy_slab_of(const void *p)
{
	return (struct buddy_slab *)MICA_ALIGN_DOWN((uintptr_t)p, BUDDY_PAGE);
}

static inline int buddy_is_slab_object(const void *p)
{
	return !MICA_IS_ALIGNED((uintptr_t)p, BUDDY_PAGE);
}

#endif /* BUDDY_H */
