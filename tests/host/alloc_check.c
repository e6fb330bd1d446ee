/* SPDX-License-Identifier: BSD-3-Clause */
/* The allocator reference model; see alloc_check.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/debug.h>
#include "alloc_check.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(AC_ASAN)
#define AC_ASAN 1
#endif
#ifdef AC_ASAN
#include <sanitizer/asan_interface.h>
#define ac_poison(p, n)	  __asan_poison_memory_region(p, n)
#define ac_unpoison(p, n) __asan_unpoison_memory_region(p, n)
#else
#define ac_poison(p, n)	  ((void)(p), (void)(n))
#define ac_unpoison(p, n) ((void)(p), (void)(n))
#endif

#define AC_EINVAL      22
#define AC_ENOMEM      12
#define AC_GUARD       4096UL
#define AC_GRAN	       16UL /* MICA_ALLOC_MIN_ALIGN: the bitmap's unit */
#define AC_ARENA_ALIGN (2UL << 20)

/* MICA_BUG_ON in an allocator under test lands here. */
void mica_crash(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mica_crash at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void ac_fail(struct ac_model *m, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "alloc model (%s, %s, op %lu): ",
		m->a ? mica_alloc_name(m->a) : "?", m->ctx ? m->ctx : "-",
		m->ops);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* --- memory areas ------------------------------------------------------ */

void ac_arena_new(struct ac_arena *ar, size_t len, size_t skew)
{
	ar->raw_len = AC_GUARD + skew + len + AC_GUARD;
	/*
	 * Aligned beyond any alignment asked for (1 MiB), so that the
	 * allocator sees the same addresses modulo 2 MiB in every run: a
	 * seed replays exactly.
	 */
	ar->raw = aligned_alloc(AC_ARENA_ALIGN,
				MICA_ALIGN_UP(ar->raw_len, AC_ARENA_ALIGN));
	if (!ar->raw) {
		fprintf(stderr, "alloc model: no host memory for %zu bytes\n",
			ar->raw_len);
		abort();
	}
	ar->base = (char *)ar->raw + AC_GUARD + skew;
	ar->len = len;
	memset(ar->raw, 0xa5, ar->raw_len);
	/* An allocator touching these stops right there, with a trace. */
	ac_poison(ar->raw, AC_GUARD + skew);
	ac_poison((char *)ar->base + len, AC_GUARD);
}

void ac_arena_delete(struct ac_arena *ar)
{
	ac_unpoison(ar->raw, ar->raw_len);
	free(ar->raw);
	ar->raw = NULL;
}

void ac_init(struct ac_model *m, struct mica_alloc *a, const char *ctx)
{
	memset(m, 0, sizeof(*m));
	m->a = a;
	m->ctx = ctx;
	m->next_id = 1;
	m->self_check_every = 1;
}

void ac_fini(struct ac_model *m)
{
	for (unsigned int i = 0; i < m->nr_areas; i++)
		free(m->area[i].map);
	free(m->blk);
	m->blk = NULL;
	m->nr = m->cap = 0;
	m->nr_areas = 0;
}

void ac_add_area(struct ac_model *m, void *base, size_t len)
{
	struct ac_area *ar = &m->area[m->nr_areas];
	size_t granules;

	if (m->nr_areas == AC_MAX_AREAS)
		ac_fail(m, "too many areas");
	ar->start = (uintptr_t)base;
	ar->end = ar->start + len;
	granules = ((ar->end + AC_GRAN - 1) / AC_GRAN) - ar->start / AC_GRAN;
	ar->map = calloc((granules + 63) / 64, sizeof(uint64_t));
	if (!ar->map)
		ac_fail(m, "no host memory for the bitmap");
	m->nr_areas++;
}

/* --- the granule bitmap ----------------------------------------------- */

enum { MAP_COUNT, MAP_SET, MAP_CLEAR };

/* Bits [g0, g1) of map: count them (before op), then set or clear. */
static size_t map_range(uint64_t *map, size_t g0, size_t g1, int op)
{
	size_t w0 = g0 / 64, w1 = (g1 - 1) / 64, n = 0;

	for (size_t w = w0; w <= w1; w++) {
		uint64_t mask = ~0ULL;

		if (w == w0)
			mask &= ~0ULL << (g0 % 64);
		if (w == w1)
			mask &= ~0ULL >> (63 - (g1 - 1) % 64);
		n += (size_t)__builtin_popcountll(map[w] & mask);
		if (op == MAP_SET)
			map[w] |= mask;
		else if (op == MAP_CLEAR)
			map[w] &= ~mask;
	}
	return n;
}

static struct ac_area *area_of(struct ac_model *m, uintptr_t p, size_t len)
{
	for (unsigned int i = 0; i < m->nr_areas; i++) {
		struct ac_area *ar = &m->area[i];

		if (p >= ar->start && p <= ar->end && len <= ar->end - p)
			return ar;
	}
	return NULL;
}

static void granules(const struct ac_area *ar, uintptr_t p, size_t len,
		     size_t *g0, size_t *g1)
{
	if (len == 0)
		len = 1; /* still owns its first byte: no other block there */
	*g0 = p / AC_GRAN - ar->start / AC_GRAN;
	*g1 = (p + len + AC_GRAN - 1) / AC_GRAN - ar->start / AC_GRAN;
}

/* [p, p + len) becomes live: inside an area and free in the model. */
static void claim(struct ac_model *m, void *ptr, size_t len)
{
	uintptr_t p = (uintptr_t)ptr;
	struct ac_area *ar = area_of(m, p, len);
	size_t g0, g1, busy;

	if (!ar)
		ac_fail(m, "block %p+%zu outside the memory given", ptr, len);
	granules(ar, p, len, &g0, &g1);
	busy = map_range(ar->map, g0, g1, MAP_COUNT);
	if (busy) {
		for (size_t i = 0; i < m->nr; i++) {
			uintptr_t q = (uintptr_t)m->blk[i].p;

			if (p < q + m->blk[i].usable && q < p + len)
				ac_fail(m,
					"block %p+%zu overlaps live block "
					"%p+%zu (id %llu)",
					ptr, len, m->blk[i].p, m->blk[i].usable,
					(unsigned long long)m->blk[i].id);
		}
		ac_fail(m, "block %p+%zu overlaps a live block", ptr, len);
	}
	map_range(ar->map, g0, g1, MAP_SET);
}

static void release(struct ac_model *m, void *ptr, size_t len)
{
	uintptr_t p = (uintptr_t)ptr;
	struct ac_area *ar = area_of(m, p, len);
	size_t g0, g1;

	if (!ar)
		ac_fail(m, "model: released block %p outside areas", ptr);
	granules(ar, p, len, &g0, &g1);
	if (map_range(ar->map, g0, g1, MAP_COUNT) != g1 - g0)
		ac_fail(m, "model: released block %p not fully live", ptr);
	map_range(ar->map, g0, g1, MAP_CLEAR);
}

/* --- contents ---------------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
	/* splitmix64's finaliser: ids 1, 2, 3... give unrelated patterns */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * A block of len bytes with pattern id: one byte value throughout (so
 * filling and checking run at memset/memcmp speed even under ASan) and,
 * when len >= 16, an 8-byte stamp at each end unique to the id, so a
 * block copied from or swapped with another is told apart.
 */
struct pattern {
	uint8_t fill;
	uint8_t head[8], tail[8];
	size_t len;
};

static void pattern_of(struct pattern *pt, uint64_t id, size_t len)
{
	uint64_t h = mix(id ^ 0x68656164), t = mix(id ^ 0x7461696c);

	pt->fill = (uint8_t)(mix(id) % 255 + 1);
	memcpy(pt->head, &h, 8);
	memcpy(pt->tail, &t, 8);
	pt->len = len;
}

static void fill(void *p, uint64_t id, size_t len)
{
	struct pattern pt;

	pattern_of(&pt, id, len);
	memset(p, pt.fill, len);
	if (len >= 16) {
		memcpy(p, pt.head, 8);
		memcpy((char *)p + len - 8, pt.tail, 8);
	}
}

static uint8_t expected(const struct pattern *pt, size_t i)
{
	if (pt->len >= 16 && i < 8)
		return pt->head[i];
	if (pt->len >= 16 && i >= pt->len - 8)
		return pt->tail[i - (pt->len - 8)];
	return pt->fill;
}

static int all_equal(const uint8_t *p, uint8_t v, size_t n)
{
	/* p[i] == p[i + 1] for all i, and p[0] == v */
	return n == 0 || (p[0] == v && memcmp(p, p + 1, n - 1) == 0);
}

/* The first lim bytes of p against pattern id over len bytes. */
static int pattern_ok(const void *p, uint64_t id, size_t len, size_t lim)
{
	const uint8_t *b = p;
	struct pattern pt;
	size_t body0 = 0, body1 = len;

	pattern_of(&pt, id, len);
	if (lim > len)
		lim = len;
	if (len >= 16) {
		body0 = 8;
		body1 = len - 8;
		if (memcmp(b, pt.head, lim < 8 ? lim : 8))
			return 0;
		if (lim > body1 && memcmp(b + body1, pt.tail, lim - body1))
			return 0;
	}
	if (lim > body0 &&
	    !all_equal(b + body0, pt.fill, (lim < body1 ? lim : body1) - body0))
		return 0;
	return 1;
}

static void check_pattern(struct ac_model *m, const void *p, uint64_t id,
			  size_t len, size_t lim, const char *when)
{
	struct pattern pt;
	size_t i;

	if (pattern_ok(p, id, len, lim))
		return;
	pattern_of(&pt, id, len);
	for (i = 0; i < lim && ((const uint8_t *)p)[i] == expected(&pt, i); i++)
		;
	ac_fail(m,
		"%s: block %p (id %llu, %zu bytes) corrupted at offset %zu: "
		"0x%02x, expected 0x%02x",
		when, p, (unsigned long long)id, len, i,
		((const uint8_t *)p)[i], expected(&pt, i));
}

/* --- statistics -------------------------------------------------------- */

static void st_alloc(struct ac_model *m, size_t bytes)
{
	m->st.cur_bytes += bytes;
	if (m->st.cur_bytes > m->st.peak_bytes)
		m->st.peak_bytes = m->st.cur_bytes;
	m->st.live_allocs++;
	m->st.nr_allocs++;
}

static void st_free(struct ac_model *m, size_t bytes)
{
	m->st.cur_bytes -= bytes;
	m->st.live_allocs--;
	m->st.nr_frees++;
}

void ac_check_stats(struct ac_model *m)
{
	struct mica_alloc_stats s;
	size_t avail, total, given = 0;

	mica_alloc_get_stats(m->a, &s);
	if (s.cur_bytes != m->st.cur_bytes ||
	    s.peak_bytes != m->st.peak_bytes ||
	    s.live_allocs != m->st.live_allocs ||
	    s.nr_allocs != m->st.nr_allocs || s.nr_frees != m->st.nr_frees ||
	    s.nr_failed != m->st.nr_failed)
		ac_fail(m,
			"stats: cur %zu peak %zu live %zu allocs %zu frees %zu "
			"failed %zu; model: %zu %zu %zu %zu %zu %zu",
			s.cur_bytes, s.peak_bytes, s.live_allocs, s.nr_allocs,
			s.nr_frees, s.nr_failed, m->st.cur_bytes,
			m->st.peak_bytes, m->st.live_allocs, m->st.nr_allocs,
			m->st.nr_frees, m->st.nr_failed);
	if (m->st.live_allocs != m->nr)
		ac_fail(m, "model: %zu blocks, %zu live", m->nr,
			m->st.live_allocs);

	/*
	 * Free memory and live blocks are disjoint parts of what the
	 * allocator manages, which is at most what it was given.
	 */
	avail = mica_alloc_avail(m->a);
	total = mica_alloc_total(m->a);
	for (unsigned int i = 0; i < m->nr_areas; i++)
		given += m->area[i].end - m->area[i].start;
	if (total && (total > given || avail > total - s.cur_bytes ||
		      s.cur_bytes > total))
		ac_fail(m, "avail %zu + in use %zu > total %zu (given %zu)",
			avail, s.cur_bytes, total, given);
	if (m->self_check && m->nr_checks++ % m->self_check_every == 0) {
		int rc = m->self_check(m->a);

		if (rc)
			ac_fail(m, "the allocator's self check says %d", rc);
	}
}

/* --- operations -------------------------------------------------------- */

static int is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

static long push(struct ac_model *m, const struct ac_block *b)
{
	if (m->nr == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 1024;
		struct ac_block *n = realloc(m->blk, cap * sizeof(*n));

		if (!n)
			ac_fail(m, "no host memory for the model");
		m->blk = n;
		m->cap = cap;
	}
	m->blk[m->nr] = *b;
	return (long)m->nr++;
}

/*
 * What every successful allocation goes through. usable: what the
 * statistics count, 0 to ask usable_size (the malloc family).
 */
static long admit(struct ac_model *m, void *p, size_t req, size_t align,
		  size_t usable, size_t npages, int zeroed, const char *what)
{
	struct ac_block b;

	if (align < MICA_ALLOC_MIN_ALIGN)
		align = MICA_ALLOC_MIN_ALIGN;
	if ((uintptr_t)p & (align - 1))
		ac_fail(m, "%s(%zu): %p not aligned to %zu", what, req, p,
			align);
	if (!usable) {
		usable = mica_alloc_usable_size(m->a, p);
		if (usable < (req ? req : 1))
			ac_fail(m, "%s(%zu): usable size %zu too small", what,
				req, usable);
	}
	claim(m, p, usable);
	if (zeroed && !all_equal(p, 0, req))
		ac_fail(m, "%s(%zu): %p not zeroed", what, req, p);
	b.p = p;
	b.req = req;
	b.usable = usable;
	b.npages = npages;
	b.id = m->next_id++;
	fill(p, b.id, usable);
	st_alloc(m, usable);
	return push(m, &b);
}

static long refused(struct ac_model *m)
{
	m->st.nr_failed++;
	return -1;
}

static void *unexpected(struct ac_model *m, void *p, const char *what,
			size_t a1, size_t a2)
{
	if (p)
		ac_fail(m, "%s(%zu, %zu) should fail, gave %p", what, a1, a2,
			p);
	return p;
}

long ac_malloc(struct ac_model *m, size_t size)
{
	void *p;

	m->ops++;
	p = mica_alloc_malloc(m->a, size);
	if (size > MICA_ALLOC_MAX_SIZE)
		unexpected(m, p, "malloc", size, 0);
	if (!p)
		return refused(m);
	return admit(m, p, size, 0, 0, 0, 0, "malloc");
}

long ac_calloc(struct ac_model *m, size_t nmemb, size_t size)
{
	size_t bytes;
	void *p;

	m->ops++;
	p = mica_alloc_calloc(m->a, nmemb, size);
	if (__builtin_mul_overflow(nmemb, size, &bytes) ||
	    bytes > MICA_ALLOC_MAX_SIZE)
		unexpected(m, p, "calloc", nmemb, size);
	if (!p)
		return refused(m);
	return admit(m, p, bytes, 0, 0, 0, 1, "calloc");
}

long ac_memalign(struct ac_model *m, size_t align, size_t size)
{
	void *p;

	m->ops++;
	p = mica_alloc_memalign(m->a, align, size);
	if (!is_pow2(align) || align > MICA_ALLOC_MAX_SIZE ||
	    size > MICA_ALLOC_MAX_SIZE)
		unexpected(m, p, "memalign", align, size);
	if (!p)
		return refused(m);
	return admit(m, p, size, align, 0, 0, 0, "memalign");
}

long ac_posix_memalign(struct ac_model *m, size_t align, size_t size)
{
	void *const untouched = (void *)&m->ops;
	void *p = untouched;
	int rc;

	m->ops++;
	rc = mica_alloc_posix_memalign(m->a, &p, align, size);
	if (!is_pow2(align) || align < sizeof(void *)) {
		if (rc != -AC_EINVAL || p != untouched)
			ac_fail(m, "posix_memalign(%zu, %zu): %d, %p", align,
				size, rc, p);
		return refused(m);
	}
	if (rc == -AC_ENOMEM && p == untouched)
		return refused(m);
	if (rc != 0 || !p || p == untouched)
		ac_fail(m, "posix_memalign(%zu, %zu): %d, %p", align, size, rc,
			p);
	if (size > MICA_ALLOC_MAX_SIZE)
		unexpected(m, p, "posix_memalign", align, size);
	return admit(m, p, size, align, 0, 0, 0, "posix_memalign");
}

long ac_pages(struct ac_model *m, size_t npages)
{
	void *const untouched = (void *)&m->ops;
	void *p = untouched;
	int rc;

	m->ops++;
	rc = mica_alloc_pages(m->a, npages, &p);
	if (npages == 0 ||
	    npages > MICA_ALLOC_MAX_SIZE / MICA_ALLOC_PAGE_SIZE) {
		if (rc != -AC_EINVAL || p != untouched)
			ac_fail(m, "pages(%zu): %d, %p", npages, rc, p);
		return refused(m);
	}
	if (rc == -AC_ENOMEM && p == untouched)
		return refused(m);
	if (rc != 0 || !p || p == untouched)
		ac_fail(m, "pages(%zu): %d, %p", npages, rc, p);
	return admit(m, p, npages * MICA_ALLOC_PAGE_SIZE, MICA_ALLOC_PAGE_SIZE,
		     npages * MICA_ALLOC_PAGE_SIZE, npages, 0, "pages");
}

void ac_verify(struct ac_model *m, size_t idx)
{
	struct ac_block *b = &m->blk[idx];

	if (!b->npages && mica_alloc_usable_size(m->a, b->p) != b->usable)
		ac_fail(m, "block %p (id %llu): usable size %zu, was %zu", b->p,
			(unsigned long long)b->id,
			mica_alloc_usable_size(m->a, b->p), b->usable);
	check_pattern(m, b->p, b->id, b->usable, b->usable, "check");
}

void ac_verify_all(struct ac_model *m)
{
	for (size_t i = 0; i < m->nr; i++)
		ac_verify(m, i);
}

static void forget(struct ac_model *m, size_t idx)
{
	release(m, m->blk[idx].p, m->blk[idx].usable);
	st_free(m, m->blk[idx].usable);
	m->blk[idx] = m->blk[--m->nr];
}

void ac_free(struct ac_model *m, size_t idx)
{
	struct ac_block b;

	m->ops++;
	if (idx >= m->nr)
		ac_fail(m, "model: free of block %zu of %zu", idx, m->nr);
	ac_verify(m, idx);
	b = m->blk[idx];
	forget(m, idx);
	if (b.npages)
		mica_alloc_free_pages(m->a, b.p, b.npages);
	else
		mica_alloc_free(m->a, b.p);
}

long ac_realloc(struct ac_model *m, long idx, size_t size)
{
	struct ac_block *b, old;
	size_t usable, keep;
	void *q;

	if (idx < 0) {
		m->ops++;
		q = mica_alloc_realloc(m->a, NULL, size);
		if (size > MICA_ALLOC_MAX_SIZE)
			unexpected(m, q, "realloc(NULL)", size, 0);
		if (!q)
			return refused(m);
		return admit(m, q, size, 0, 0, 0, 0, "realloc(NULL)");
	}
	b = &m->blk[idx];
	if (b->npages)
		ac_fail(m, "model: realloc of pages");
	if (size == 0) {
		/* Frees the block: same checks as free. */
		m->ops++;
		ac_verify(m, (size_t)idx);
		old = *b;
		forget(m, (size_t)idx);
		q = mica_alloc_realloc(m->a, old.p, 0);
		if (q)
			ac_fail(m, "realloc(%p, 0) gave %p", old.p, q);
		return -1;
	}
	m->ops++;
	old = *b;
	/* The new block may overlap the old one: in place, or moved down. */
	release(m, old.p, old.usable);
	q = mica_alloc_realloc(m->a, old.p, size);
	if (!q || size > MICA_ALLOC_MAX_SIZE) {
		unexpected(m, q, "realloc", (uintptr_t)old.p, size);
		claim(m, old.p, old.usable);
		check_pattern(m, old.p, old.id, old.usable, old.usable,
			      "failed realloc");
		return refused(m);
	}
	if ((uintptr_t)q & (MICA_ALLOC_MIN_ALIGN - 1))
		ac_fail(m, "realloc(%zu): %p not aligned", size, q);
	usable = mica_alloc_usable_size(m->a, q);
	if (usable < size)
		ac_fail(m, "realloc(%zu): usable size %zu", size, usable);
	claim(m, q, usable);
	keep = old.usable < size ? old.usable : size;
	check_pattern(m, q, old.id, old.usable, keep, "realloc");
	b->p = q;
	b->req = size;
	b->usable = usable;
	b->id = m->next_id++;
	fill(q, b->id, usable);
	if (m->realloc_moves && m->st.cur_bytes + usable > m->st.peak_bytes)
		m->st.peak_bytes = m->st.cur_bytes + usable;
	m->st.cur_bytes = m->st.cur_bytes - old.usable + usable;
	if (m->st.cur_bytes > m->st.peak_bytes)
		m->st.peak_bytes = m->st.cur_bytes;
	return idx;
}
