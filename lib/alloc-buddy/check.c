/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The consistency walker, for tests: O(blocks + free objects), never
 * O(pages). Each failed check returns its own line number so a test can
 * say which invariant broke.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/alloc_buddy.h>
#include "buddy.h"

#define CHECK(cond)                         \
	do {                                \
		if (mica_unlikely(!(cond))) \
			return __LINE__;    \
	} while (0)

/*
 * check_area tags each free block it walks through by setting the low
 * bit of its area pointer; the free lists must then hold exactly the
 * tagged blocks, which lose their tag as they are found. (After a failed
 * check the allocator is not usable any more.)
 */
static struct buddy_area *walked(struct buddy_area *ar)
{
	return (struct buddy_area *)((uintptr_t)ar | 1);
}

/* The free lists: well formed, every block where and what it says. */
static int check_free_lists(struct buddy *b, size_t *nr_blocks, size_t *pages)
{
	unsigned int k;

	*nr_blocks = *pages = 0;
	for (k = 0; k < BUDDY_NR_ORDERS; k++) {
		struct mica_list *head = &b->free[k], *l;

		CHECK(!!(b->nonempty & (1u << k)) == !mica_list_empty(head));
		for (l = head->next; l != head; l = l->next) {
			struct buddy_free *f = (struct buddy_free *)l;
			uintptr_t addr = (uintptr_t)f;

			CHECK(k <= BUDDY_MAX_ORDER);
			CHECK(l->next->prev == l && l->prev->next == l);
			/* Walked by check_area (tagged), once. */
			CHECK(f->area == walked(buddy_area_of(b, addr)));
			f->area = buddy_area_of(b, addr);
			CHECK(MICA_IS_ALIGNED(addr, BUDDY_PAGE << k));
			CHECK(addr + (BUDDY_PAGE << k) <= f->area->end);
			CHECK(*buddy_meta(f->area, addr) ==
			      (BUDDY_META_FREE | k));
			/* Bounds the walk of a list that loops. */
			CHECK(++*nr_blocks <= b->total_pages);
			*pages += (size_t)1 << k;
		}
	}
	return 0;
}

static int check_slab(struct buddy *b, struct buddy_slab *s, size_t *counts,
		      size_t *in_use, size_t *free_bytes, size_t *empty,
		      size_t *listed)
{
	struct buddy_class *cl;
	uintptr_t lo, hi;
	size_t n = 0;
	void *o;

	CHECK(s->magic == BUDDY_SLAB_MAGIC);
	CHECK(s->cls < BUDDY_SLAB_NR_CLASSES);
	cl = &b->classes[s->cls];
	CHECK(s->size == cl->size);
	CHECK(s->carved <= cl->capacity && s->nfree <= cl->capacity);
	CHECK(cl->capacity <= s->nfree + s->carved);
	/* Free objects: carved ones, on slot boundaries, no loop. */
	lo = (uintptr_t)s + BUDDY_PAGE - (size_t)s->carved * s->size;
	hi = (uintptr_t)s + BUDDY_PAGE;
	for (o = s->free; o; o = *(void **)o) {
		CHECK((uintptr_t)o >= lo && (uintptr_t)o < hi);
		CHECK((hi - (uintptr_t)o) % s->size == 0);
		CHECK(++n <= s->carved);
	}
	CHECK(n + cl->capacity - s->carved == s->nfree);
	counts[s->cls]++;
	in_use[s->cls] += cl->capacity - s->nfree;
	if (s->nfree == cl->capacity)
		++*empty;
	else
		*free_bytes += (size_t)s->nfree * s->size;
	if (s->nfree) {
		CHECK(s->link.next->prev == &s->link &&
		      s->link.prev->next == &s->link);
		++*listed;
	}
	return 0;
}

/* The class lists: slabs with free objects, at most one empty, last. */
static int check_classes(struct buddy *b, size_t *listed)
{
	unsigned int c;

	*listed = 0;
	for (c = 0; c < BUDDY_SLAB_NR_CLASSES; c++) {
		struct buddy_class *cl = &b->classes[c];
		struct mica_list *head = &cl->slabs, *l;
		unsigned int empty = 0;

		for (l = head->next; l != head; l = l->next) {
			struct buddy_slab *s = (struct buddy_slab *)l;
			struct buddy_area *ar = buddy_area_of(b, (uintptr_t)s);

			CHECK(l->next->prev == l && l->prev->next == l);
			CHECK(ar && MICA_IS_ALIGNED((uintptr_t)s, BUDDY_PAGE));
			CHECK(*buddy_meta(ar, (uintptr_t)s) ==
			      (BUDDY_META_SLAB | c));
			CHECK(s->magic == BUDDY_SLAB_MAGIC && s->cls == c);
			CHECK(s->nfree > 0);
			if (s->nfree == cl->capacity) {
				CHECK(l->next == head);
				empty++;
			}
			CHECK(++*listed <= b->total_pages);
		}
		CHECK(empty == cl->has_empty);
	}
	return 0;
}

static unsigned int ceil_order(uint32_t pages)
{
	unsigned int k = 0;

	while (((uint32_t)1 << k) < pages)
		k++;
	return k;
}

/*
 * Walk an area piece by piece: it must be tiled exactly by free blocks,
 * runs and slab pages, and no free block's buddy may be free at the same
 * order (it would have been merged).
 */
static int check_area(struct buddy *b, struct buddy_area *ar, size_t *nr_free,
		      size_t *counts, size_t *in_use, size_t *slab_free_bytes,
		      size_t *empty, size_t *listed)
{
	uintptr_t addr = ar->start;
	int rc;

	CHECK(MICA_IS_ALIGNED(ar->start, BUDDY_PAGE) && ar->start < ar->end);
	CHECK((uintptr_t)ar->meta == ar->end);
	while (addr < ar->end) {
		uint32_t meta = *buddy_meta(ar, addr);
		uint32_t v = meta & BUDDY_META_VALUE;
		size_t pages;

		switch (meta & BUDDY_META_KIND) {
		case BUDDY_META_FREE: {
			uintptr_t buddy = addr ^ (BUDDY_PAGE << v);
			struct buddy_free *f = (struct buddy_free *)addr;

			CHECK(v <= BUDDY_MAX_ORDER);
			CHECK(MICA_IS_ALIGNED(addr, BUDDY_PAGE << v));
			CHECK(f->area == ar);
			f->area = walked(ar);
			if (v < BUDDY_MAX_ORDER && buddy >= ar->start &&
			    buddy < ar->end)
				CHECK(*buddy_meta(ar, buddy) !=
				      (BUDDY_META_FREE | v));
			++*nr_free;
			pages = (size_t)1 << v;
			break;
		}
		case BUDDY_META_RUN:
			CHECK(v > 0);
			/* Aligned to the order a run of v pages came from. */
			CHECK(MICA_IS_ALIGNED(addr,
					      BUDDY_PAGE << ceil_order(v)));
			pages = v;
			break;
		case BUDDY_META_SLAB:
			CHECK(v < BUDDY_SLAB_NR_CLASSES &&
			      v == ((struct buddy_slab *)addr)->cls);
			rc = check_slab(b, (struct buddy_slab *)addr, counts,
					in_use, slab_free_bytes, empty, listed);
			if (rc)
				return rc;
			pages = 1;
			break;
		default:
			return __LINE__; /* inside a run: not a piece's start */
		}
		CHECK(pages <= (ar->end - addr) / BUDDY_PAGE);
		addr += pages * BUDDY_PAGE;
	}
	return 0;
}

/* A class's object cache: its own objects, each once, all counted. */
static int check_cache(struct buddy *b, unsigned int c)
{
	struct buddy_class *cl = &b->classes[c];
	unsigned int n = 0;
	void *o;

	CHECK(cl->cached <= cl->cache_max);
	for (o = cl->cache; o; o = *(void **)o) {
		struct buddy_slab *s = buddy_slab_of(o);
		struct buddy_area *ar = buddy_area_of(b, (uintptr_t)s);
		uintptr_t hi = (uintptr_t)s + BUDDY_PAGE;

		CHECK(++n <= cl->cached);
		CHECK(ar &&
		      *buddy_meta(ar, (uintptr_t)s) == (BUDDY_META_SLAB | c));
		CHECK(s->magic == BUDDY_SLAB_MAGIC && s->cls == c);
		CHECK((uintptr_t)o >= hi - (size_t)s->carved * s->size);
		CHECK((hi - (uintptr_t)o) % s->size == 0);
	}
	CHECK(n == cl->cached);
	return 0;
}

/* The run cache: runs of the listed length, each counted, not too many. */
static int check_run_cache(struct buddy *b)
{
	size_t pages = 0;
	unsigned int n;

	for (n = 1; n <= BUDDY_RUN_CACHE_MAX; n++) {
		unsigned int cnt = 0;
		void *p;

		for (p = b->run_cache[n - 1]; p; p = *(void **)p) {
			struct buddy_area *ar = buddy_area_of(b, (uintptr_t)p);

			CHECK(++cnt <= b->run_cached[n - 1]);
			CHECK(ar && MICA_IS_ALIGNED((uintptr_t)p, BUDDY_PAGE));
			CHECK(*buddy_meta(ar, (uintptr_t)p) ==
			      (BUDDY_META_RUN | n));
		}
		CHECK(cnt == b->run_cached[n - 1]);
		CHECK(cnt <= BUDDY_RUN_CACHE_DEPTH);
		pages += (size_t)cnt * n;
	}
	CHECK(pages == b->run_cached_pages);
	CHECK(pages <= b->run_cache_cap);
	CHECK(b->run_cache_cap <= BUDDY_RUN_CACHE_PAGES);
	/* An idle heap caches nothing. */
	CHECK(b->live_runs || !pages);
	return 0;
}

int mica_buddy_check(struct mica_alloc *a)
{
	struct buddy *b = buddy_from_alloc(a);
	size_t listed_blocks, listed_pages, listed_slabs;
	size_t walked_blocks = 0, slab_free = 0, empty = 0, slabs = 0;
	size_t counts[BUDDY_SLAB_NR_CLASSES] = {0};
	size_t in_use[BUDDY_SLAB_NR_CLASSES] = {0};
	size_t total = 0;
	unsigned int i;
	int rc;

	CHECK(b);
	CHECK(b->nr_areas >= 1 && b->nr_areas <= BUDDY_MAX_AREAS);
	for (i = 0; i < b->nr_areas; i++) {
		rc = check_area(b, &b->areas[i], &walked_blocks, counts, in_use,
				&slab_free, &empty, &slabs);
		if (rc)
			return rc;
		total += (b->areas[i].end - b->areas[i].start) / BUDDY_PAGE;
	}
	rc = check_free_lists(b, &listed_blocks, &listed_pages);
	if (rc)
		return rc;
	/* Each listed block was walked once: equal counts, a bijection. */
	CHECK(walked_blocks == listed_blocks);
	CHECK(listed_pages == b->free_pages);
	rc = check_classes(b, &listed_slabs);
	if (rc)
		return rc;
	CHECK(slabs == listed_slabs);
	CHECK(total == b->total_pages);
	CHECK(empty == b->slab_empty);
	for (i = 0; i < BUDDY_SLAB_NR_CLASSES; i++) {
		struct buddy_class *cl = &b->classes[i];

		CHECK(counts[i] == cl->nr_slabs);
		rc = check_cache(b, i);
		if (rc)
			return rc;
		/* Handed out = taken from the slabs - waiting in the cache. */
		CHECK(cl->live + cl->cached == in_use[i]);
		slab_free += (size_t)cl->cached * cl->size;
	}
	CHECK(slab_free == b->slab_free_bytes);
	return check_run_cache(b);
}
