/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator API layer: argument checks, statistics and defaults for
 * optional operations, the same for every implementation. Pure logic
 * apart from the lock: also built for the host tests.
 *
 * The lock: every entry point masks interrupts, which on one CPU makes
 * it atomic against preemption by another thread (sched-preempt) and
 * against interrupt handlers. Implementations need no locking of their
 * own. Host builds (no CONFIG_LIB_ALLOC) have no lock.
 */
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/alloc_driver.h>
#include "alloc_debug.h"

#define ALLOC_EINVAL  22
#define ALLOC_ENOMEM  12
#define ALLOC_ENOTSUP 95

#ifdef CONFIG_LIB_ALLOC_CACHE_DEPTH
#define ALLOC_CACHE_DEPTH CONFIG_LIB_ALLOC_CACHE_DEPTH
#else
#define ALLOC_CACHE_DEPTH 0 /* host builds without the option */
#endif

struct mica_alloc *mica_alloc_default_allocator;

#ifdef CONFIG_LIB_ALLOC
#include <mica/plat/lcpu.h>
#define alloc_lock()	    mica_plat_irq_save()
#define alloc_unlock(flags) mica_plat_irq_restore(flags)
#else
#define alloc_lock()	    0UL
#define alloc_unlock(flags) ((void)(flags))
#endif

static int is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

/*
 * The two counters are bumped on either side of the peak test on
 * purpose: adjacent, GCC's SLP vectoriser makes them one 16-byte load
 * and store, and that load cannot be forwarded from stats_sub's 8-byte
 * store to live_allocs just before (a free, then a malloc), which stalls
 * every malloc for a dozen cycles or more.
 */
static void stats_add(struct mica_alloc *a, size_t usable)
{
	struct mica_alloc_stats *s = &a->stats;

	s->live_allocs++;
	s->cur_bytes += usable;
	if (s->cur_bytes > s->peak_bytes)
		s->peak_bytes = s->cur_bytes;
	s->nr_allocs++;
}

static void stats_sub(struct mica_alloc *a, size_t usable)
{
	struct mica_alloc_stats *s = &a->stats;

	s->cur_bytes -= usable;
	s->live_allocs--;
	s->nr_frees++;
}

static void *alloc_fail(struct mica_alloc *a)
{
	a->stats.nr_failed++;
	return NULL;
}

/*
 * The small-block cache. Freed blocks of 16 to 271 usable bytes are kept
 * on a short LIFO list per 16-byte class (by usable size rounded down),
 * at most a->cache_depth each, and handed out again by the next malloc of
 * that class without calling the implementation: most programs free and
 * allocate small objects of the same sizes over and over. A cached block
 * holds its link and its usable size, so statistics stay exact. The
 * blocks count as free; whenever the implementation runs short, or
 * avail() is asked, the cache is emptied back into it, so the cache never
 * makes an allocation fail nor hides memory from a caller who asks. Off
 * with the debug checks, which must see every free.
 */
#define CACHE_STEP MICA_ALLOC_MIN_ALIGN

struct cached_block {
	struct cached_block *next;
	size_t usable;
};

static void cache_flush(struct mica_alloc *a)
{
	struct mica_alloc_cache *c = &a->cache;

	for (int i = 0; i < MICA_ALLOC_CACHE_CLASSES; i++) {
		while (c->head[i]) {
			struct cached_block *b = c->head[i];

			c->head[i] = b->next;
			a->ops->free(a, b);
		}
		c->count[i] = 0;
	}
}

/*
 * A cached block of at least size bytes, or NULL (always, when the cache
 * is off: its lists stay empty). Size 0 wraps to a huge index and misses.
 */
static inline void *cache_get(struct mica_alloc *a, size_t size)
{
	struct mica_alloc_cache *c = &a->cache;
	size_t i = (size - 1) / CACHE_STEP;
	struct cached_block *b;

	if (mica_unlikely(i >= MICA_ALLOC_CACHE_CLASSES) || !c->head[i])
		return NULL;
	b = c->head[i];
	c->head[i] = b->next;
	c->count[i]--;
	stats_add(a, b->usable);
	return b;
}

static int cache_put(struct mica_alloc *a, void *p, size_t usable)
{
	struct mica_alloc_cache *c = &a->cache;
	size_t i = usable / CACHE_STEP - 1;
	struct cached_block *b = p;

	/* Below CACHE_STEP, i wraps and fails the first test. */
	if (i >= MICA_ALLOC_CACHE_CLASSES || c->count[i] >= a->cache_depth)
		return 0;
	b->next = c->head[i];
	b->usable = usable;
	c->head[i] = b;
	c->count[i]++;
	return 1;
}

/* The one place blocks come from: checks, debug guard, statistics. */
static void *alloc_block(struct mica_alloc *a, size_t align, size_t size,
			 void *caller)
{
	void *p;

	if (size == 0)
		size = 1; /* a unique pointer, as malloc(0) may give */
	if (size > MICA_ALLOC_MAX_SIZE || align > MICA_ALLOC_MAX_SIZE)
		return alloc_fail(a);
	if (align < MICA_ALLOC_MIN_ALIGN)
		align = MICA_ALLOC_MIN_ALIGN;
	for (int tries = 0; tries < 2; tries++) {
		if (mica_alloc_debug_enabled)
			p = mica_alloc_debug_alloc(a, align, size, caller);
		else if (align == MICA_ALLOC_MIN_ALIGN)
			p = a->ops->malloc(a, size);
		else
			p = a->ops->memalign(a, align, size);
		if (p) {
			stats_add(a, mica_alloc_usable_size(a, p));
			return p;
		}
		cache_flush(a); /* then try once more */
	}
	return alloc_fail(a);
}

/* The common case first: a block from the small-block cache. */
void *mica_alloc_malloc_from(struct mica_alloc *a, size_t size, void *caller)
{
	unsigned long flags = alloc_lock();
	void *p = cache_get(a, size);

	if (!p)
		p = alloc_block(a, MICA_ALLOC_MIN_ALIGN, size, caller);
	alloc_unlock(flags);
	return p;
}

void *mica_alloc_malloc(struct mica_alloc *a, size_t size)
{
	return mica_alloc_malloc_from(a, size, __builtin_return_address(0));
}

void *mica_alloc_calloc_from(struct mica_alloc *a, size_t nmemb, size_t size,
			     void *caller)
{
	unsigned long flags = alloc_lock();
	size_t bytes;
	void *p;

	if (__builtin_mul_overflow(nmemb, size, &bytes)) {
		p = alloc_fail(a);
		alloc_unlock(flags);
		return p;
	}
	p = cache_get(a, bytes);
	if (!p)
		p = alloc_block(a, MICA_ALLOC_MIN_ALIGN, bytes, caller);
	alloc_unlock(flags);
	if (p)
		__builtin_memset(p, 0, bytes);
	return p;
}

void *mica_alloc_calloc(struct mica_alloc *a, size_t nmemb, size_t size)
{
	return mica_alloc_calloc_from(a, nmemb, size,
				      __builtin_return_address(0));
}

void *mica_alloc_memalign(struct mica_alloc *a, size_t align, size_t size)
{
	unsigned long flags = alloc_lock();
	void *p;

	if (!is_pow2(align))
		p = alloc_fail(a);
	else
		p = alloc_block(a, align, size, __builtin_return_address(0));
	alloc_unlock(flags);
	return p;
}

int mica_alloc_posix_memalign(struct mica_alloc *a, void **out, size_t align,
			      size_t size)
{
	unsigned long flags = alloc_lock();
	void *p;

	/* POSIX: a power of two multiple of sizeof(void *). */
	if (!is_pow2(align) || align < sizeof(void *)) {
		a->stats.nr_failed++;
		alloc_unlock(flags);
		return -ALLOC_EINVAL;
	}
	p = alloc_block(a, align, size, __builtin_return_address(0));
	alloc_unlock(flags);
	if (!p)
		return -ALLOC_ENOMEM;
	*out = p;
	return 0;
}

static void free_locked(struct mica_alloc *a, void *p, void *caller)
{
	size_t usable;

	if (mica_alloc_debug_enabled) {
		mica_alloc_debug_check(a, p, caller);
		stats_sub(a, mica_alloc_debug_usable_size(p));
		mica_alloc_debug_free(a, p);
		return;
	}
	usable = a->ops->usable_size(a, p);
	stats_sub(a, usable);
	if (!cache_put(a, p, usable))
		a->ops->free(a, p);
}

void mica_alloc_free_from(struct mica_alloc *a, void *p, void *caller)
{
	unsigned long flags;

	if (!p)
		return;
	flags = alloc_lock();
	free_locked(a, p, caller);
	alloc_unlock(flags);
}

void mica_alloc_free(struct mica_alloc *a, void *p)
{
	mica_alloc_free_from(a, p, __builtin_return_address(0));
}

size_t mica_alloc_usable_size(struct mica_alloc *a, const void *p)
{
	if (!p)
		return 0;
	if (mica_alloc_debug_enabled)
		return mica_alloc_debug_usable_size(p);
	return a->ops->usable_size(a, p);
}

static void *realloc_locked(struct mica_alloc *a, void *p, size_t size,
			    void *caller);

void *mica_alloc_realloc_from(struct mica_alloc *a, void *p, size_t size,
			      void *caller)
{
	unsigned long flags = alloc_lock();
	void *q = realloc_locked(a, p, size, caller);

	alloc_unlock(flags);
	return q;
}

static void *realloc_locked(struct mica_alloc *a, void *p, size_t size,
			    void *caller)
{
	size_t old;
	void *q;

	if (!p)
		return mica_alloc_malloc_from(a, size, caller);
	if (size == 0) {
		mica_alloc_free_from(a, p, caller);
		return NULL;
	}
	if (size > MICA_ALLOC_MAX_SIZE)
		return alloc_fail(a);
	if (mica_alloc_debug_enabled) {
		/* Always move: a guarded block has the size in its header. */
		mica_alloc_debug_check(a, p, caller);
		old = mica_alloc_debug_usable_size(p);
	} else {
		old = a->ops->usable_size(a, p);
		a->stats.cur_bytes -= old;
		q = a->ops->realloc(a, p, size);
		if (!q) {
			/* As for malloc: the cache must not cause a failure. */
			cache_flush(a);
			q = a->ops->realloc(a, p, size);
		}
		if (!q) {
			a->stats.cur_bytes += old;
			return alloc_fail(a);
		}
		a->stats.cur_bytes += a->ops->usable_size(a, q);
		if (a->stats.cur_bytes > a->stats.peak_bytes)
			a->stats.peak_bytes = a->stats.cur_bytes;
		return q;
	}
	q = alloc_block(a, MICA_ALLOC_MIN_ALIGN, size, caller);
	if (!q)
		return NULL;
	__builtin_memcpy(q, p, old < size ? old : size);
	mica_alloc_free_from(a, p, caller);
	/* The move counts as one allocation, not two. */
	a->stats.nr_allocs--;
	a->stats.nr_frees--;
	return q;
}

void *mica_alloc_realloc(struct mica_alloc *a, void *p, size_t size)
{
	return mica_alloc_realloc_from(a, p, size, __builtin_return_address(0));
}

static int pages_locked(struct mica_alloc *a, size_t npages, void **out);

int mica_alloc_pages(struct mica_alloc *a, size_t npages, void **out)
{
	unsigned long flags = alloc_lock();
	int rc = pages_locked(a, npages, out);

	alloc_unlock(flags);
	return rc;
}

static int pages_locked(struct mica_alloc *a, size_t npages, void **out)
{
	void *p;

	if (npages == 0 ||
	    npages > MICA_ALLOC_MAX_SIZE / MICA_ALLOC_PAGE_SIZE) {
		a->stats.nr_failed++;
		return -ALLOC_EINVAL;
	}
	p = a->ops->palloc(a, npages);
	if (!p) {
		cache_flush(a);
		p = a->ops->palloc(a, npages);
	}
	if (!p) {
		a->stats.nr_failed++;
		return -ALLOC_ENOMEM;
	}
	a->stats.cur_bytes += npages * MICA_ALLOC_PAGE_SIZE;
	if (a->stats.cur_bytes > a->stats.peak_bytes)
		a->stats.peak_bytes = a->stats.cur_bytes;
	a->stats.live_allocs++;
	a->stats.nr_allocs++;
	*out = p;
	return 0;
}

void mica_alloc_free_pages(struct mica_alloc *a, void *pages, size_t npages)
{
	unsigned long flags;

	if (!pages)
		return;
	flags = alloc_lock();
	a->stats.cur_bytes -= npages * MICA_ALLOC_PAGE_SIZE;
	a->stats.live_allocs--;
	a->stats.nr_frees++;
	a->ops->pfree(a, pages, npages);
	alloc_unlock(flags);
}

size_t mica_alloc_avail(struct mica_alloc *a)
{
	unsigned long flags = alloc_lock();
	size_t n;

	cache_flush(a); /* cached blocks are free memory too */
	n = a->ops->avail(a);
	alloc_unlock(flags);
	return n;
}

size_t mica_alloc_total(struct mica_alloc *a)
{
	return a->ops->total(a);
}

void mica_alloc_get_stats(struct mica_alloc *a, struct mica_alloc_stats *out)
{
	*out = a->stats;
}

const char *mica_alloc_name(struct mica_alloc *a)
{
	return a->name;
}

void mica_alloc_set_default(struct mica_alloc *a)
{
	mica_alloc_default_allocator = a;
}

/* --- defaults for optional operations --------------------------------- */

static void *default_realloc(struct mica_alloc *a, void *p, size_t size)
{
	size_t old = a->ops->usable_size(a, p);
	void *q;

	if (size <= old)
		return p; /* shrinking in place keeps the block */
	q = a->ops->malloc(a, size);
	if (!q)
		return NULL;
	__builtin_memcpy(q, p, old);
	a->ops->free(a, p);
	return q;
}

static void *default_palloc(struct mica_alloc *a, size_t npages)
{
	return a->ops->memalign(a, MICA_ALLOC_PAGE_SIZE,
				npages * MICA_ALLOC_PAGE_SIZE);
}

static void default_pfree(struct mica_alloc *a, void *p, size_t npages)
{
	a->ops->free(a, p);
}

static int default_add_memory(struct mica_alloc *a, void *base, size_t len)
{
	return -ALLOC_ENOTSUP;
}

static size_t default_size(struct mica_alloc *a)
{
	return 0;
}

int mica_alloc_register(struct mica_alloc *a, struct mica_alloc_ops *ops,
			const char *name)
{
	if (!ops->malloc || !ops->memalign || !ops->free || !ops->usable_size)
		return -ALLOC_EINVAL;
	if (!ops->realloc)
		ops->realloc = default_realloc;
	if (!ops->palloc || !ops->pfree) {
		ops->palloc = default_palloc;
		ops->pfree = default_pfree;
	}
	if (!ops->add_memory)
		ops->add_memory = default_add_memory;
	if (!ops->avail)
		ops->avail = default_size;
	if (!ops->total)
		ops->total = default_size;
	a->ops = ops;
	a->name = name;
	__builtin_memset(&a->stats, 0, sizeof(a->stats));
	__builtin_memset(&a->cache, 0, sizeof(a->cache));
	a->cache_depth = mica_alloc_debug_enabled ? 0 : ALLOC_CACHE_DEPTH;
	return 0;
}
