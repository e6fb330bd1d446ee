/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small objects (up to BUDDY_SLAB_MAX bytes) for the buddy allocator:
 * size classes carved from single pages ("slabs", after Bonwick, "The
 * Slab Allocator", USENIX 1994, without constructors or colouring).
 *
 * A slab page starts with a header (struct buddy_slab); objects are
 * carved from the end of the page down, lazily (a new slab costs O(1),
 * not one store per object), and freed ones are linked through their
 * first word. Because objects start at the page's end and every class is
 * a multiple of 16, each object is aligned to the largest power of two
 * dividing its class size (a 256-byte object is 256-aligned), which is
 * what memalign below 4 KiB uses; and no object is page aligned, which
 * is how free() tells it from a run in O(1).
 *
 * Each class lists its slabs that have free objects; full slabs are on
 * no list. While a class is in use, one empty slab is kept (last on the
 * list, so that partly used ones fill first) to avoid bouncing a page to
 * the buddy level and back as its count of slabs goes up and down;
 * further empty slabs go back at once, and the kept one goes back when
 * the class falls idle (its last object is freed) or when a page request
 * would fail otherwise. So no page is held that could hurt coalescing
 * once everything is freed, and fill/free/fill gives the same result
 * each time. The price: a class with a single object allocated and
 * freed in a loop gets and gives back a page each time.
 *
 * In front of the slabs, each class keeps up to about a page's worth
 * (at most 32) of recently freed objects on a LIFO list in the state:
 * malloc takes the most recently freed object, still warm in the cache,
 * without touching any slab header or list, which is what makes
 * random churn fast (as a per-size "tcache" does in glibc). The cache
 * is flushed into the slabs when the class falls idle and when a page
 * request would fail, so it never makes an allocation fail and a heap
 * whose blocks were all freed is still whole.
 * Waste: the header and the tail of each page (< 1 object), up to 25%
 * inside an object (e.g. 1025 bytes in the 1344 class), and the partly
 * used slabs of each class.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/debug.h>
#include "buddy.h"

/*
 * Steps of 16 to 128, then 4 per doubling; the last two are the largest
 * multiples of 16 of which 3 and 2 fit in a page beside the header.
 */
static const uint16_t slab_sizes[BUDDY_SLAB_NR_CLASSES] = {
	16,  32,  48,  64,  80,	 96,  112, 128, 160,  192,  224,
	256, 320, 384, 448, 512, 640, 768, 896, 1024, 1344, 2016,
};

MICA_BUILD_BUG_ON(sizeof(struct buddy_slab) > 48);

void buddy_slab_init(struct buddy *b)
{
	unsigned int i, c = 0;

	for (i = 0; i < BUDDY_SLAB_NR_CLASSES; i++) {
		struct buddy_class *cl = &b->classes[i];

		mica_list_init(&cl->slabs);
		cl->size = slab_sizes[i];
		cl->capacity = (BUDDY_PAGE - sizeof(struct buddy_slab)) /
			       slab_sizes[i];
		MICA_BUG_ON(cl->capacity < 2);
		/* About a page's worth, at most 32 objects. */
		cl->cache_max = MICA_MIN(32, BUDDY_PAGE / slab_sizes[i]);
	}
	for (i = 0; i < MICA_ARRAY_SIZE(b->cls_of); i++) {
		while (slab_sizes[c] < i * 16)
			c++;
		b->cls_of[i] = c;
	}
}

unsigned int buddy_slab_class(struct buddy *b, size_t align, size_t size)
{
	unsigned int c = b->cls_of[(size + 15) >> 4];

	/* The alignment of a class is its size's lowest set bit. */
	while (c < BUDDY_SLAB_NR_CLASSES &&
	       (size_t)(slab_sizes[c] & -slab_sizes[c]) < align)
		c++;
	return c;
}

static struct buddy_slab *slab_new(struct buddy *b, unsigned int cls)
{
	struct buddy_class *cl = &b->classes[cls];
	struct buddy_slab *s = buddy_page_alloc(b, BUDDY_META_SLAB | cls);

	if (!s)
		return NULL;
	s->free = NULL;
	s->magic = BUDDY_SLAB_MAGIC;
	s->size = cl->size;
	s->cls = cls;
	s->nfree = cl->capacity;
	s->carved = 0;
	cl->nr_slabs++;
	mica_list_add(&s->link, &cl->slabs);
	return s;
}

/* An object from the class's first slab (a new one if none). */
static void *slab_get(struct buddy *b, unsigned int cls)
{
	struct buddy_class *cl = &b->classes[cls];
	struct buddy_slab *s;
	void *p;

	if (mica_list_empty(&cl->slabs)) {
		s = slab_new(b, cls);
		if (!s)
			return NULL;
	} else {
		s = (struct buddy_slab *)cl->slabs.next;
		if (s->nfree == cl->capacity) {
			/* The kept empty slab: it is in use again. */
			cl->has_empty = 0;
			b->slab_empty--;
		}
	}
	if (s->nfree == cl->capacity)
		b->slab_free_bytes += (size_t)cl->capacity * cl->size;
	if (s->free) {
		p = s->free;
		s->free = *(void **)p;
	} else {
		s->carved++;
		p = (char *)s + BUDDY_PAGE - (size_t)s->carved * s->size;
	}
	b->slab_free_bytes -= s->size;
	if (--s->nfree == 0)
		mica_list_del_init(&s->link);
	return p;
}

/* The class's object cache is empty (buddy_slab_alloc, buddy.h). */
void *buddy_slab_alloc_slow(struct buddy *b, unsigned int cls)
{
	void *p = slab_get(b, cls);

	if (p)
		b->classes[cls].live++;
	return p;
}

static void slab_release(struct buddy *b, struct buddy_class *cl,
			 struct buddy_slab *s)
{
	cl->nr_slabs--;
	s->magic = 0;
	buddy_page_free(b, s);
}

/* Give back the class's kept empty slab, if any; returns 1 if it did. */
static unsigned int slab_drop_empty(struct buddy *b, struct buddy_class *cl)
{
	struct buddy_slab *s;

	if (!cl->has_empty)
		return 0;
	s = (struct buddy_slab *)cl->slabs.prev;
	mica_list_del_init(&s->link);
	cl->has_empty = 0;
	b->slab_empty--;
	slab_release(b, cl, s);
	return 1;
}

/* Give p back to its slab s. */
static void slab_put(struct buddy *b, struct buddy_class *cl,
		     struct buddy_slab *s, void *p)
{
	*(void **)p = s->free;
	s->free = p;
	if (s->nfree++ == 0)
		mica_list_add(&s->link, &cl->slabs);
	if (s->nfree < cl->capacity) {
		b->slab_free_bytes += s->size;
		return;
	}
	/*
	 * Empty: keep it (last) if it is the class's only empty one and the
	 * class is still in use; when the class falls idle, both go back,
	 * so a heap whose blocks were all freed is whole again.
	 */
	b->slab_free_bytes -= (size_t)(cl->capacity - 1) * cl->size;
	mica_list_del_init(&s->link);
	if (cl->nr_slabs == 1u + cl->has_empty) {
		slab_drop_empty(b, cl);
		slab_release(b, cl, s);
		return;
	}
	if (cl->has_empty) {
		slab_release(b, cl, s);
		return;
	}
	cl->has_empty = 1;
	b->slab_empty++;
	mica_list_add_tail(&s->link, &cl->slabs);
}

/* Empty the class's object cache into the slabs; returns the count. */
static unsigned int cache_flush(struct buddy *b, struct buddy_class *cl)
{
	unsigned int n = cl->cached;

	while (cl->cache) {
		void *p = cl->cache;

		cl->cache = *(void **)p;
		b->slab_free_bytes -= cl->size;
		slab_put(b, cl, buddy_slab_of(p), p);
	}
	cl->cached = 0;
	return n;
}

/*
 * The object goes back to its slab: the class's cache is full or the
 * class falls idle (buddy_slab_free, buddy.h).
 */
void buddy_slab_free_slow(struct buddy *b, void *p, unsigned int cls)
{
	struct buddy_slab *s = buddy_slab_of(p);
	struct buddy_class *cl = &b->classes[cls];

	MICA_BUG_ON(s->magic != BUDDY_SLAB_MAGIC || s->cls != cls);
	cl->live--;
	slab_put(b, cl, s, p);
	/* Idle: its slabs go back to the buddy level (see above). */
	if (!cl->live)
		cache_flush(b, cl);
}

/*
 * Flush every object cache and give every kept empty slab back to the
 * buddy level: called when a page request cannot be met, so that cached
 * memory never costs a large block (or the last pages of the heap).
 * Returns non-zero if anything was given back.
 */
unsigned int buddy_slab_reclaim(struct buddy *b)
{
	unsigned int c, n = 0;

	for (c = 0; c < BUDDY_SLAB_NR_CLASSES; c++) {
		n += cache_flush(b, &b->classes[c]);
		n += slab_drop_empty(b, &b->classes[c]);
	}
	return n;
}
