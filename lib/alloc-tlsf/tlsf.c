/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TLSF: Two-Level Segregated Fit, after M. Masmano, I. Ripoll, A. Crespo
 * and J. Real, "TLSF: a new dynamic memory allocator for real-time
 * systems", ECRTS 2004.
 *
 * Free blocks sit in segregated lists indexed by two levels: the first
 * level (fl) is the power of two of the size, the second (sl) splits each
 * power of two into TLSF_SL_COUNT equal ranges. One bitmap says which fl
 * have any free block, one per fl says which of its sl lists are
 * non-empty, so finding a list is two find-first-set instructions and
 * malloc/free take constant time whatever the heap holds.
 *
 * Search is "good fit": the request is rounded up to the next list
 * boundary, so any block of the list found is large enough and the head
 * is taken without walking. The price: a free block in the request's own
 * list, less than 1/32 larger than the request, may be passed over for a
 * larger one (which is then split).
 *
 * Blocks carry boundary tags, as in the paper's implementation: a size
 * word whose low bits say whether the block and its physical predecessor
 * are free and whether it is the last block of its area, and, only while
 * the predecessor is free, a pointer to it in the word just before the
 * size word (the predecessor's last word, which is otherwise its
 * payload). So a used block costs one word, and free merges immediately
 * with both neighbours: no two free blocks are ever adjacent.
 *
 *	block ->  prev_phys   last word of the predecessor's block
 *		  head        size | TLSF_LAST | TLSF_PREV_FREE | TLSF_FREE
 *	payload-> next_free   (free blocks only)
 *		  prev_free   (free blocks only)
 *		  ...
 *	next  ->  prev_phys   = block, when block is free and not last
 *
 * A block's size is the distance to its successor, a multiple of 16;
 * payloads are 16-aligned and usable up to the successor's size word.
 *
 * Each memory area is an area header followed by its blocks. The last
 * one carries TLSF_LAST and has no successor: it ends 16 bytes before the
 * area's end, where a successor's header would sit, and nothing is ever
 * written there. Merging looks at the next block only when TLSF_LAST is
 * clear, so it never crosses areas, and a free last block needs no
 * boundary tag after it: nobody would read it. So adding an area writes
 * its first 48 bytes and nothing else, in constant time however large
 * it is: a heap touches only the memory it hands out, and a lazily
 * backed guest (QEMU, a Linux process) pays no page fault at the far end
 * of a heap it may never reach. The price is the end marker's flag tests
 * in free, realloc and splitting: a predictable branch each.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/alloc_driver.h>
#include <mica/alloc_tlsf.h>
#include <mica/debug.h>

#define TLSF_EINVAL 22

#define TLSF_ALIGN_LOG2	 4
#define TLSF_ALIGN	 (1UL << TLSF_ALIGN_LOG2)
/* 32 lists per power of two: good fit rounds up by less than 1/32. */
#define TLSF_SL_LOG2	 5
#define TLSF_SL_COUNT	 (1U << TLSF_SL_LOG2)
/* Below TLSF_SMALL, fl 0 holds 32 exact lists of 16-byte steps. */
#define TLSF_FL_SHIFT	 (TLSF_SL_LOG2 + TLSF_ALIGN_LOG2)
#define TLSF_SMALL	 (1UL << TLSF_FL_SHIFT)
/* Blocks below 256 TiB: as much as x86_64 or arm64 can address. */
#define TLSF_FL_MAX_LOG2 48
#define TLSF_FL_COUNT	 (TLSF_FL_MAX_LOG2 - TLSF_FL_SHIFT + 1)
#define TLSF_BLOCK_MAX	 ((1UL << TLSF_FL_MAX_LOG2) - TLSF_ALIGN)

#define TLSF_FREE      1UL
#define TLSF_PREV_FREE 2UL
/* The last block of its area: it has no successor. */
#define TLSF_LAST      4UL
#define TLSF_FLAGS     (TLSF_FREE | TLSF_PREV_FREE | TLSF_LAST)

/* From a block to its payload: prev_phys and head. */
#define TLSF_HDR       16UL
/* What a used block costs: its size word. */
#define TLSF_OVERHEAD  sizeof(size_t)
/*
 * A free block holds its two list links and its successor's prev_phys
 * (none when it is the last block).
 */
#define TLSF_MIN_BLOCK 32UL
/*
 * A free block's list is searched for a fit only when good fit found
 * nothing: a bounded number of entries keeps malloc constant time.
 */
#define TLSF_FIT_SCAN  8

MICA_BUILD_BUG_ON(TLSF_ALIGN != MICA_ALLOC_MIN_ALIGN);
MICA_BUILD_BUG_ON(sizeof(size_t) != sizeof(unsigned long));
MICA_BUILD_BUG_ON(TLSF_FL_COUNT > 64);
/* Sizes are multiples of TLSF_ALIGN: the flags fit below. */
MICA_BUILD_BUG_ON(TLSF_FLAGS >= TLSF_ALIGN);

struct tlsf_block {
	struct tlsf_block *prev_phys; /* valid only with TLSF_PREV_FREE */
	size_t head;
	struct tlsf_block *next_free; /* valid only with TLSF_FREE */
	struct tlsf_block *prev_free;
};

/* At the start of every area; its first block follows. */
struct tlsf_area {
	struct tlsf_area *next;
	/* The last block ends TLSF_HDR before; that header is never written. */
	uintptr_t end;
};

#define TLSF_AREA_HDR 16UL
MICA_BUILD_BUG_ON(sizeof(struct tlsf_area) > TLSF_AREA_HDR);
/* Header, one minimal block, room for a successor's header. */
#define TLSF_AREA_MIN (TLSF_AREA_HDR + TLSF_MIN_BLOCK + TLSF_HDR)

/*
 * The state, at the start of the first area's memory. The list heads
 * come first and are never cleared: a head is valid only while its bit
 * in sl_map is set. So creating a heap writes the few hundred bytes
 * after them, the first area's header just after those, and the one
 * head its free block is listed under: two pages, where clearing the
 * 10 KiB of heads would write three. Another head's page is first
 * touched when a free block of its size is listed.
 */
struct tlsf {
	struct tlsf_block *lists[TLSF_FL_COUNT][TLSF_SL_COUNT];
	struct mica_alloc alloc; /* the API's handle */
	struct mica_alloc_ops ops;
	unsigned long fl_map;
	uint32_t sl_map[TLSF_FL_COUNT];
	struct tlsf_area *areas;
	size_t free_bytes; /* sum of the free blocks' sizes */
	size_t nr_free;	   /* number of free blocks */
	size_t total;	   /* usable bytes of all areas, when empty */
};

static struct tlsf *to_tlsf(struct mica_alloc *a)
{
	return mica_container_of(a, struct tlsf, alloc);
}

/* --- blocks ------------------------------------------------------------ */

static size_t blk_size(const struct tlsf_block *b)
{
	return b->head & ~TLSF_FLAGS;
}

static int blk_is_last(const struct tlsf_block *b)
{
	return (b->head & TLSF_LAST) != 0;
}

static struct tlsf_block *blk_at(uintptr_t addr)
{
	return (struct tlsf_block *)addr;
}

static struct tlsf_block *blk_next(const struct tlsf_block *b)
{
	return blk_at((uintptr_t)b + blk_size(b));
}

static void *blk_payload(struct tlsf_block *b)
{
	return (void *)((uintptr_t)b + TLSF_HDR);
}

static struct tlsf_block *blk_of(const void *p)
{
	return blk_at((uintptr_t)p - TLSF_HDR);
}

/*
 * b is free: its successor's boundary tag says so and points back. The
 * last block of an area has no successor, and nothing past it is written.
 */
static void blk_mark_free(struct tlsf_block *b)
{
	struct tlsf_block *n;

	b->head |= TLSF_FREE;
	if (blk_is_last(b))
		return;
	n = blk_next(b);
	n->prev_phys = b;
	n->head |= TLSF_PREV_FREE;
}

static void blk_mark_used(struct tlsf_block *b)
{
	b->head &= ~TLSF_FREE;
	if (!blk_is_last(b))
		blk_next(b)->head &= ~TLSF_PREV_FREE;
}

/* b's physical successor when it exists and is free, or NULL. */
static struct tlsf_block *blk_next_free(const struct tlsf_block *b)
{
	struct tlsf_block *n;

	if (blk_is_last(b))
		return NULL;
	n = blk_next(b);
	return n->head & TLSF_FREE ? n : NULL;
}

/* Block size for a request: payload plus size word, 16-aligned. */
static size_t blk_size_for(size_t size)
{
	size_t s = MICA_ALIGN_UP(size + TLSF_OVERHEAD, TLSF_ALIGN);

	return s < TLSF_MIN_BLOCK ? TLSF_MIN_BLOCK : s;
}

/* --- the two-level index ---------------------------------------------- */

static unsigned int tlsf_fls(size_t x)
{
	return (unsigned int)(sizeof(x) * 8 - 1 - __builtin_clzl(x));
}

/* The list a free block of this size belongs to. */
static void tlsf_mapping(size_t size, unsigned int *fl, unsigned int *sl)
{
	unsigned int f;

	if (size < TLSF_SMALL) {
		*fl = 0;
		*sl = (unsigned int)(size >> TLSF_ALIGN_LOG2);
		return;
	}
	f = tlsf_fls(size);
	*fl = f - TLSF_FL_SHIFT + 1;
	*sl = (unsigned int)(size >> (f - TLSF_SL_LOG2)) - TLSF_SL_COUNT;
}

static void tlsf_insert(struct tlsf *t, struct tlsf_block *b)
{
	size_t size = blk_size(b);
	unsigned int fl, sl;

	tlsf_mapping(size, &fl, &sl);
	b->prev_free = NULL;
	/* An empty list's head is stale (see struct tlsf). */
	b->next_free = t->sl_map[fl] & (1U << sl) ? t->lists[fl][sl] : NULL;
	if (b->next_free)
		b->next_free->prev_free = b;
	t->lists[fl][sl] = b;
	t->sl_map[fl] |= 1U << sl;
	t->fl_map |= 1UL << fl;
	t->free_bytes += size;
	t->nr_free++;
}

static void tlsf_remove(struct tlsf *t, struct tlsf_block *b)
{
	size_t size = blk_size(b);
	unsigned int fl, sl;

	tlsf_mapping(size, &fl, &sl);
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
	if (b->prev_free) {
		b->prev_free->next_free = b->next_free;
	} else {
		MICA_BUG_ON(t->lists[fl][sl] != b);
		t->lists[fl][sl] = b->next_free;
		if (!b->next_free) {
			t->sl_map[fl] &= ~(1U << sl);
			if (!t->sl_map[fl])
				t->fl_map &= ~(1UL << fl);
		}
	}
	t->free_bytes -= size;
	t->nr_free--;
}

/*
 * b takes in its free successor n, which leaves its list: b ends where n
 * ended, and is last if n was.
 */
static void tlsf_absorb_next(struct tlsf *t, struct tlsf_block *b,
			     struct tlsf_block *n)
{
	tlsf_remove(t, n);
	b->head += blk_size(n);
	b->head |= n->head & TLSF_LAST;
}

/*
 * A free block of at least size bytes, still listed, or NULL. Good fit
 * first: round size up to the next list so that the head of the first
 * non-empty list at or above it fits. When that finds
 * nothing, a block in size's own list may still fit (the last blocks of
 * a nearly full heap, a request as large as the heap): look at its first
 * few entries.
 */
static struct tlsf_block *tlsf_find(struct tlsf *t, size_t size)
{
	size_t rounded = size;
	unsigned int fl, sl, n;
	unsigned long fl_map;
	uint32_t sl_map = 0;
	struct tlsf_block *b;

	if (size >= TLSF_SMALL)
		rounded += (1UL << (tlsf_fls(size) - TLSF_SL_LOG2)) - 1;
	tlsf_mapping(rounded, &fl, &sl);
	if (fl < TLSF_FL_COUNT) {
		sl_map = t->sl_map[fl] & (~0U << sl);
		if (!sl_map) {
			fl_map = t->fl_map & (~0UL << (fl + 1));
			if (fl_map) {
				fl = (unsigned int)__builtin_ctzl(fl_map);
				sl_map = t->sl_map[fl];
			}
		}
	}
	if (sl_map)
		return t->lists[fl][__builtin_ctz(sl_map)];

	tlsf_mapping(size, &fl, &sl);
	if (fl >= TLSF_FL_COUNT || !(t->sl_map[fl] & (1U << sl)))
		return NULL;
	b = t->lists[fl][sl];
	for (n = 0; b && n < TLSF_FIT_SCAN; b = b->next_free, n++) {
		if (blk_size(b) >= size)
			return b;
	}
	return NULL;
}

/*
 * Cut b (not listed) down to size bytes when the rest can be a block:
 * the rest becomes free, merged with a free successor, and is listed.
 * The rest is the area's last block if b was.
 */
static void tlsf_trim(struct tlsf *t, struct tlsf_block *b, size_t size)
{
	size_t bsize = blk_size(b);
	struct tlsf_block *rest, *n;

	if (bsize - size < TLSF_MIN_BLOCK)
		return;
	rest = blk_at((uintptr_t)b + size);
	/* Its predecessor b is, or is about to be, in use. */
	rest->head = (bsize - size) | (b->head & TLSF_LAST);
	b->head = size | (b->head & (TLSF_FREE | TLSF_PREV_FREE));
	n = blk_next_free(rest);
	if (n)
		tlsf_absorb_next(t, rest, n);
	blk_mark_free(rest);
	tlsf_insert(t, rest);
}

/* Hand out the listed free block b, keeping size bytes of it. */
static void *tlsf_take(struct tlsf *t, struct tlsf_block *b, size_t size)
{
	tlsf_remove(t, b);
	tlsf_trim(t, b, size);
	blk_mark_used(b);
	return blk_payload(b);
}

/* --- operations -------------------------------------------------------- */

static void *tlsf_malloc(struct mica_alloc *a, size_t size)
{
	struct tlsf *t = to_tlsf(a);
	size_t need = blk_size_for(size);
	struct tlsf_block *b;

	if (need > TLSF_BLOCK_MAX)
		return NULL;
	b = tlsf_find(t, need);
	return b ? tlsf_take(t, b, need) : NULL;
}

/*
 * Bytes from b's payload to the first payload aligned to align that can
 * start a block of its own: the gap before it becomes a free block, so
 * it is 0 or at least TLSF_MIN_BLOCK; at most align + 16.
 */
static size_t tlsf_align_gap(struct tlsf_block *b, size_t align)
{
	uintptr_t p = (uintptr_t)blk_payload(b);
	size_t gap = MICA_ALIGN_UP(p, align) - p;

	return gap && gap < TLSF_MIN_BLOCK ? gap + align : gap;
}

static void *tlsf_memalign(struct mica_alloc *a, size_t align, size_t size)
{
	struct tlsf *t = to_tlsf(a);
	size_t need = blk_size_for(size), gap;
	struct tlsf_block *b, *ab;

	if (align <= TLSF_ALIGN)
		return tlsf_malloc(a, size);
	if (need > TLSF_BLOCK_MAX || align > TLSF_BLOCK_MAX)
		return NULL;
	/*
	 * The block a plain malloc would take may happen to fit, aligned:
	 * a page block freed and asked for again does. Otherwise, one with
	 * room for any gap.
	 */
	b = tlsf_find(t, need);
	if (!b || blk_size(b) < need + tlsf_align_gap(b, align)) {
		b = tlsf_find(t, need + align + TLSF_MIN_BLOCK);
		if (!b)
			return NULL;
	}
	gap = tlsf_align_gap(b, align);
	if (gap == 0)
		return tlsf_take(t, b, need);
	tlsf_remove(t, b);
	/*
	 * b keeps the gap and stays free (its predecessor is in use); ab
	 * takes the rest, and b's place as the last block if it was.
	 */
	ab = blk_at((uintptr_t)b + gap);
	ab->head = (blk_size(b) - gap) | (b->head & TLSF_LAST) | TLSF_FREE |
		   TLSF_PREV_FREE;
	ab->prev_phys = b;
	b->head = gap | TLSF_FREE;
	tlsf_insert(t, b);
	tlsf_trim(t, ab, need);
	blk_mark_used(ab);
	return blk_payload(ab);
}

static void tlsf_free(struct mica_alloc *a, void *p)
{
	struct tlsf *t = to_tlsf(a);
	struct tlsf_block *b = blk_of(p), *n;

	/* Cheap, and a double free would corrupt the lists. */
	MICA_BUG_ON(b->head & TLSF_FREE);
	if (b->head & TLSF_PREV_FREE) {
		struct tlsf_block *prev = b->prev_phys;

		tlsf_remove(t, prev);
		prev->head += blk_size(b);
		prev->head |= b->head & TLSF_LAST;
		b = prev;
	}
	n = blk_next_free(b);
	if (n)
		tlsf_absorb_next(t, b, n);
	blk_mark_free(b);
	tlsf_insert(t, b);
}

static size_t tlsf_usable_size(struct mica_alloc *a __mica_unused,
			       const void *p)
{
	return blk_size(blk_of(p)) - TLSF_OVERHEAD;
}

/*
 * Shrink in place, giving the tail back; grow in place into a free
 * successor when it is large enough; otherwise move.
 */
static void *tlsf_realloc(struct mica_alloc *a, void *p, size_t size)
{
	struct tlsf *t = to_tlsf(a);
	struct tlsf_block *b = blk_of(p), *n;
	size_t need = blk_size_for(size), cur = blk_size(b);
	void *q;

	if (need > TLSF_BLOCK_MAX)
		return NULL;
	if (need > cur) {
		n = blk_next_free(b);
		if (!n || cur + blk_size(n) < need)
			goto move;
		tlsf_absorb_next(t, b, n);
		if (!blk_is_last(b))
			blk_next(b)->head &= ~TLSF_PREV_FREE;
	}
	tlsf_trim(t, b, need);
	return p;

move:
	q = tlsf_malloc(a, size);
	if (q) {
		__builtin_memcpy(q, p, cur - TLSF_OVERHEAD);
		tlsf_free(a, p);
	}
	return q;
}

static int tlsf_add_memory(struct mica_alloc *a, void *base, size_t len)
{
	struct tlsf *t = to_tlsf(a);
	uintptr_t start = MICA_ALIGN_UP((uintptr_t)base, TLSF_ALIGN);
	uintptr_t end = (uintptr_t)base + len;
	struct tlsf_area *area = (struct tlsf_area *)start;
	struct tlsf_block *b;

	if (end < (uintptr_t)base || start < (uintptr_t)base)
		return -TLSF_EINVAL;
	end = MICA_ALIGN_DOWN(end, TLSF_ALIGN);
	if (end < start || end - start < TLSF_AREA_MIN)
		return -TLSF_EINVAL;
	/* One block per area: larger areas give up their tail. */
	if (end - start > TLSF_AREA_HDR + TLSF_BLOCK_MAX + TLSF_HDR)
		end = start + TLSF_AREA_HDR + TLSF_BLOCK_MAX + TLSF_HDR;

	/*
	 * One free block, the last: nothing before it, nothing after it to
	 * tag. Only the area header and this block's header are written.
	 */
	b = blk_at(start + TLSF_AREA_HDR);
	b->head = (end - TLSF_HDR - (uintptr_t)b) | TLSF_LAST;
	blk_mark_free(b);
	tlsf_insert(t, b);
	area->end = end;
	area->next = t->areas;
	t->areas = area;
	t->total += blk_size(b) - TLSF_OVERHEAD;
	return 0;
}

static size_t tlsf_avail(struct mica_alloc *a)
{
	struct tlsf *t = to_tlsf(a);

	return t->free_bytes - t->nr_free * TLSF_OVERHEAD;
}

static size_t tlsf_total(struct mica_alloc *a)
{
	return to_tlsf(a)->total;
}

struct mica_alloc *mica_tlsf_create(void *base, size_t len)
{
	uintptr_t start = MICA_ALIGN_UP((uintptr_t)base, TLSF_ALIGN);
	size_t state = MICA_ALIGN_UP(sizeof(struct tlsf), TLSF_ALIGN);
	size_t skip = start - (uintptr_t)base + state;
	struct tlsf *t = (struct tlsf *)start;

	if (!base || start < (uintptr_t)base ||
	    len < skip + MICA_ALLOC_PAGE_SIZE)
		return NULL;
	/* All but the list heads: a few hundred bytes, whatever len is. */
	__builtin_memset(&t->alloc, 0,
			 sizeof(*t) - offsetof(struct tlsf, alloc));
	t->ops.malloc = tlsf_malloc;
	t->ops.memalign = tlsf_memalign;
	t->ops.free = tlsf_free;
	t->ops.usable_size = tlsf_usable_size;
	t->ops.realloc = tlsf_realloc;
	t->ops.add_memory = tlsf_add_memory;
	t->ops.avail = tlsf_avail;
	t->ops.total = tlsf_total;
	if (tlsf_add_memory(&t->alloc, (void *)(start + state), len - skip) <
		    0 ||
	    mica_alloc_register(&t->alloc, &t->ops, "tlsf") < 0)
		return NULL;
	return &t->alloc;
}

/* --- consistency check (tests) ------------------------------------------ */

#define TLSF_CHECK(cond)                  \
	do {                              \
		if (!(cond))              \
			return -__LINE__; \
	} while (0)

static int tlsf_in_areas(struct tlsf *t, const struct tlsf_block *b)
{
	struct tlsf_area *area;

	for (area = t->areas; area; area = area->next) {
		if ((uintptr_t)b >= (uintptr_t)area + TLSF_AREA_HDR &&
		    (uintptr_t)b + TLSF_HDR + TLSF_MIN_BLOCK <= area->end)
			return 1;
	}
	return 0;
}

/* The physical blocks of one area, from the first to the last. */
static int tlsf_check_area(struct tlsf *t, struct tlsf_area *area,
			   size_t *nr_free, size_t *free_bytes, size_t *total)
{
	struct tlsf_block *b = blk_at((uintptr_t)area + TLSF_AREA_HDR);
	struct tlsf_block *prev = NULL;
	unsigned int fl, sl;
	size_t size;

	for (;; prev = b, b = blk_next(b)) {
		int prev_free = prev && (prev->head & TLSF_FREE);

		TLSF_CHECK(!(b->head & TLSF_PREV_FREE) == !prev_free);
		TLSF_CHECK(!prev_free || b->prev_phys == prev);
		size = blk_size(b);
		TLSF_CHECK(size >= TLSF_MIN_BLOCK && size <= TLSF_BLOCK_MAX);
		TLSF_CHECK(MICA_IS_ALIGNED(size, TLSF_ALIGN));
		/* Room for a successor's header, written or not. */
		TLSF_CHECK((uintptr_t)b + size + TLSF_HDR <= area->end);
		if (b->head & TLSF_FREE) {
			/* Merged at free: never two free neighbours. */
			TLSF_CHECK(!prev_free);
			/* Linked into the list of its size. */
			tlsf_mapping(size, &fl, &sl);
			TLSF_CHECK(b->prev_free
					   ? b->prev_free->next_free == b
					   : (t->sl_map[fl] & (1U << sl)) &&
						     t->lists[fl][sl] == b);
			TLSF_CHECK(!b->next_free ||
				   b->next_free->prev_free == b);
			(*nr_free)++;
			*free_bytes += size;
		}
		if (b->head & TLSF_LAST)
			break;
	}
	/*
	 * The walk ends on the block marked last, exactly where the area
	 * ends (less the successor header that is never written).
	 */
	TLSF_CHECK((uintptr_t)b + size + TLSF_HDR == area->end);
	*total += (uintptr_t)b + size - ((uintptr_t)area + TLSF_AREA_HDR) -
		  TLSF_OVERHEAD;
	return 0;
}

int mica_tlsf_check(struct mica_alloc *a)
{
	struct tlsf *t = to_tlsf(a);
	size_t nr_free = 0, free_bytes = 0, total = 0, listed = 0;
	size_t listed_bytes = 0;
	struct tlsf_area *area;
	struct tlsf_block *b, *prev;
	unsigned int fl, sl, bfl, bsl;
	int ret;

	TLSF_CHECK(a->ops->malloc == tlsf_malloc);
	for (area = t->areas; area; area = area->next) {
		ret = tlsf_check_area(t, area, &nr_free, &free_bytes, &total);
		if (ret)
			return ret;
	}
	TLSF_CHECK(total == t->total);
	TLSF_CHECK(nr_free == t->nr_free && free_bytes == t->free_bytes);

	TLSF_CHECK((t->fl_map >> (TLSF_FL_COUNT - 1)) <= 1);
	for (fl = 0; fl < TLSF_FL_COUNT; fl++) {
		TLSF_CHECK(!(t->fl_map & (1UL << fl)) == !t->sl_map[fl]);
		for (sl = 0; sl < TLSF_SL_COUNT; sl++) {
			/* An empty list's head is stale: not read. */
			if (!(t->sl_map[fl] & (1U << sl)))
				continue;
			b = t->lists[fl][sl];
			TLSF_CHECK(b);
			for (prev = NULL; b; prev = b, b = b->next_free) {
				/* Bounded even if the list has a cycle. */
				TLSF_CHECK(++listed <= nr_free);
				TLSF_CHECK(tlsf_in_areas(t, b));
				TLSF_CHECK(b->head & TLSF_FREE);
				TLSF_CHECK(b->prev_free == prev);
				tlsf_mapping(blk_size(b), &bfl, &bsl);
				TLSF_CHECK(bfl == fl && bsl == sl);
				listed_bytes += blk_size(b);
			}
		}
	}
	TLSF_CHECK(listed == nr_free && listed_bytes == free_bytes);
	return 0;
}
