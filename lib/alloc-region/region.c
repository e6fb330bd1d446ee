/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Region allocator: a pointer that only moves forward. Allocation is a
 * few instructions and setup is constant time, which suits images that
 * run once and exit. Freeing gives memory back in two cases only: the
 * most recent block (a stack-like pattern), and everything, when the last
 * live block goes. Otherwise memory is not reused.
 *
 * Each block is preceded by a 16-byte header holding its size, so
 * usable_size and realloc work. Up to REGION_MAX_AREAS memory areas are
 * used one after the other.
 */
#include <stdint.h>
#include <mica/alloc_driver.h>
#include <mica/alloc_region.h>

#define REGION_MAX_AREAS 8
#define REGION_HDR	 MICA_ALLOC_MIN_ALIGN

struct region_area {
	uintptr_t start, end;
};

struct region {
	struct mica_alloc alloc; /* first: the API's handle */
	struct mica_alloc_ops ops;
	struct region_area areas[REGION_MAX_AREAS];
	unsigned int nr_areas;
	unsigned int cur; /* area being filled */
	uintptr_t next;	  /* first free byte in it */
	uintptr_t last;	  /* most recent block, 0 if none */
	size_t live;
	size_t total;
};

struct region_hdr {
	size_t size;
	uintptr_t prev_next; /* "next" before this block: for rollback */
};

MICA_BUILD_BUG_ON(sizeof(struct region_hdr) > REGION_HDR);

static struct region *to_region(struct mica_alloc *a)
{
	return (struct region *)a;
}

static struct region_hdr *hdr_of(const void *p)
{
	return (struct region_hdr *)((uintptr_t)p - REGION_HDR);
}

static void *region_memalign(struct mica_alloc *a, size_t align, size_t size)
{
	struct region *r = to_region(a);
	unsigned int i;

	size = MICA_ALIGN_UP(size, MICA_ALLOC_MIN_ALIGN);
	/* The current area, then the later ones; a failure changes nothing. */
	for (i = r->cur; i < r->nr_areas; i++) {
		uintptr_t from = i == r->cur ? r->next : r->areas[i].start;
		uintptr_t end = r->areas[i].end;
		uintptr_t p = MICA_ALIGN_UP(from + REGION_HDR, align);
		struct region_hdr *h;

		if (p < from || p > end || size > end - p)
			continue;
		h = hdr_of((void *)p);
		h->size = size;
		h->prev_next = from;
		r->cur = i;
		r->next = p + size;
		r->last = p;
		r->live++;
		return (void *)p;
	}
	return NULL;
}

static void *region_malloc(struct mica_alloc *a, size_t size)
{
	return region_memalign(a, MICA_ALLOC_MIN_ALIGN, size);
}

static void region_reset(struct region *r)
{
	r->cur = 0;
	r->next = r->areas[0].start;
	r->last = 0;
}

static void region_free(struct mica_alloc *a, void *p)
{
	struct region *r = to_region(a);

	if (--r->live == 0) {
		region_reset(r);
	} else if ((uintptr_t)p == r->last) {
		r->next = hdr_of(p)->prev_next;
		r->last = 0;
	}
}

static size_t region_usable_size(struct mica_alloc *a, const void *p)
{
	return hdr_of(p)->size;
}

static void *region_realloc(struct mica_alloc *a, void *p, size_t size)
{
	struct region *r = to_region(a);
	struct region_hdr *h = hdr_of(p);
	size_t need = MICA_ALIGN_UP(size, MICA_ALLOC_MIN_ALIGN);
	void *q;

	if (need <= h->size)
		return p;
	/* The most recent block can grow in place. */
	if ((uintptr_t)p == r->last &&
	    need <= r->areas[r->cur].end - (uintptr_t)p) {
		h->size = need;
		r->next = (uintptr_t)p + need;
		return p;
	}
	q = region_malloc(a, size);
	if (!q)
		return NULL;
	__builtin_memcpy(q, p, h->size);
	region_free(a, p);
	return q;
}

static int region_add_memory(struct mica_alloc *a, void *base, size_t len)
{
	struct region *r = to_region(a);
	uintptr_t s = MICA_ALIGN_UP((uintptr_t)base, MICA_ALLOC_MIN_ALIGN);
	uintptr_t e = (uintptr_t)base + len;

	if (r->nr_areas == REGION_MAX_AREAS || e < s + MICA_ALLOC_PAGE_SIZE)
		return -22; /* EINVAL */
	r->areas[r->nr_areas].start = s;
	r->areas[r->nr_areas].end = e;
	r->nr_areas++;
	r->total += e - s;
	return 0;
}

static size_t region_avail(struct mica_alloc *a)
{
	struct region *r = to_region(a);
	size_t n = r->areas[r->cur].end - r->next;

	for (unsigned int i = r->cur + 1; i < r->nr_areas; i++)
		n += r->areas[i].end - r->areas[i].start;
	return n;
}

static size_t region_total(struct mica_alloc *a)
{
	return to_region(a)->total;
}

struct mica_alloc *mica_region_create(void *base, size_t len)
{
	uintptr_t b = MICA_ALIGN_UP((uintptr_t)base, MICA_ALLOC_MIN_ALIGN);
	struct region *r = (struct region *)b;
	size_t state = MICA_ALIGN_UP(sizeof(*r), MICA_ALLOC_MIN_ALIGN);

	if (!base || len < (b - (uintptr_t)base) + state + MICA_ALLOC_PAGE_SIZE)
		return NULL;
	__builtin_memset(r, 0, sizeof(*r));
	r->ops.malloc = region_malloc;
	r->ops.memalign = region_memalign;
	r->ops.free = region_free;
	r->ops.usable_size = region_usable_size;
	r->ops.realloc = region_realloc;
	r->ops.add_memory = region_add_memory;
	r->ops.avail = region_avail;
	r->ops.total = region_total;
	region_add_memory(&r->alloc, (void *)(b + state),
			  len - (b - (uintptr_t)base) - state);
	region_reset(r);
	if (mica_alloc_register(&r->alloc, &r->ops, "region") < 0)
		return NULL;
	/* Frees are how this allocator reuses memory: no cache in front. */
	r->alloc.cache_depth = 0;
	return &r->alloc;
}
