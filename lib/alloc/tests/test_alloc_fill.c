/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests that fill memory to the last byte, on the private instance of
 * the default allocator (see alloc_test.h): exhaustion and recovery,
 * random churn, pages, statistics and avail/total.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <mica/alloc.h>
#include <mica/alloc_driver.h>
#include <mica/test.h>
#include "alloc_test.h"

/* --- exhaustion and recovery (private instance) ----------------------- */

/* Blocks are chained through their first bytes: no side table needed. */
struct chain {
	struct chain *next;
	size_t seq;
};

/* A size for the seq-th block of a fill: fixed, or mixed 16 B..64 KiB. */
static size_t fill_size(size_t size, size_t seq)
{
	static const size_t mix[] = {16,   40,	 100,	256,   700,
				     2000, 4096, 10000, 33000, 65536};

	return size ? size : mix[(seq * 7) % MICA_ARRAY_SIZE(mix)];
}

/* Allocate until the first failure; returns the count, chain in *head. */
static size_t fill(struct mica_alloc *a, size_t size, struct chain **head)
{
	struct chain *c;
	size_t n = 0;

	*head = NULL;
	while ((c = mica_alloc_malloc(a, fill_size(size, n)))) {
		c->next = *head;
		c->seq = n++;
		*head = c;
	}
	return n;
}

static struct chain *chain_reverse(struct chain *c)
{
	struct chain *r = NULL, *next;

	for (; c; c = next) {
		next = c->next;
		c->next = r;
		r = c;
	}
	return r;
}

/*
 * Free a chain of n blocks (newest first), checking each block's sequence
 * number; order 0 frees newest first, 1 oldest first, 2 every other one
 * then the rest. Returns the number of blocks found damaged.
 */
static size_t drain(struct mica_alloc *a, struct chain *c, size_t n, int order)
{
	struct chain *keep = NULL, *next;
	size_t bad = 0, want, i = 0;

	if (order == 1)
		c = chain_reverse(c);
	for (; c; c = next, i++) {
		next = c->next;
		want = order == 1 ? i : n - 1 - i;
		if (c->seq != want)
			bad++;
		if (order == 2 && (i & 1)) {
			c->next = keep;
			keep = c;
			continue;
		}
		mica_alloc_free(a, c);
	}
	for (c = keep; c; c = next) {
		next = c->next;
		mica_alloc_free(a, c);
	}
	return bad;
}

/* The instance holds nothing: what every test must leave behind. */
static void expect_empty(struct mica_alloc *a, size_t avail0)
{
	struct mica_alloc_stats s = stats_of(a);

	MICA_EXPECT_EQ(s.live_allocs, 0);
	MICA_EXPECT_EQ(s.cur_bytes, 0);
	/* Every byte came back (0: the allocator does not know). */
	MICA_EXPECT_EQ(mica_alloc_avail(a), avail0);
}

MICA_TEST(alloc_exhaust, fill_free_fill_same_count)
{
	static const size_t sizes[] = {16, 24, 200, 4000, 4096, 65536, 0};
	struct mica_alloc *a = mica_alloc_test_priv();
	size_t avail0;

	MICA_REQUIRE_NOT_NULL(a);
	MICA_REQUIRE_EQ(stats_of(a).live_allocs, 0);
	avail0 = mica_alloc_avail(a);
	for (size_t i = 0; i < MICA_ARRAY_SIZE(sizes); i++) {
		struct mica_alloc_stats s0 = stats_of(a), s1;
		struct chain *c;
		size_t n1, n2;

		n1 = fill(a, sizes[i], &c);
		s1 = stats_of(a);
		/* The one failure that ended the loop, and nothing else. */
		MICA_EXPECT_EQ(s1.nr_failed, s0.nr_failed + 1);
		MICA_EXPECT_EQ(s1.live_allocs, n1);
		MICA_EXPECT_EQ(s1.nr_allocs, s0.nr_allocs + n1);
		MICA_EXPECT_GT(n1, 0);
		MICA_EXPECT_EQ(drain(a, c, n1, 0), 0);
		expect_empty(a, avail0);
		n2 = fill(a, sizes[i], &c);
		MICA_EXPECT_EQ(drain(a, c, n2, 1), 0);
		expect_empty(a, avail0);
		mica_test_log("%s: %zu-byte blocks (0: mixed): %zu, then %zu",
			      mica_alloc_name(a), sizes[i], n1, n2);
		MICA_EXPECT_EQ(n2, n1);
		s1 = stats_of(a);
		MICA_EXPECT_EQ(s1.nr_frees, s0.nr_frees + n1 + n2);
	}
}

MICA_TEST(alloc_exhaust, uses_most_of_the_memory)
{
	static const size_t sizes[] = {1000, 4096, 65536};
	struct mica_alloc *a = mica_alloc_test_priv();
	size_t total;

	MICA_REQUIRE_NOT_NULL(a);
	total = mica_alloc_total(a);
	if (!total)
		total = PRIV_PAGES * PAGE;
	for (size_t i = 0; i < MICA_ARRAY_SIZE(sizes); i++) {
		struct chain *c;
		size_t n = fill(a, sizes[i], &c);
		size_t peak = stats_of(a).cur_bytes;

		/*
		 * Generous bound (a buddy may round 4 KiB + header to 8
		 * KiB): an allocator that wastes most of the heap fails.
		 */
		MICA_EXPECT_GE(n * sizes[i], total / 3);
		MICA_EXPECT_LE(n * sizes[i], total);
		MICA_EXPECT_LE(peak, total);
		mica_test_log(
			"%s: %zu x %zu B = %zu of %zu bytes (usable sizes: "
			"%zu)",
			mica_alloc_name(a), n, sizes[i], n * sizes[i], total,
			peak);
		drain(a, c, n, 2);
	}
	MICA_EXPECT_EQ(stats_of(a).live_allocs, 0);
}

MICA_TEST(alloc_exhaust, small_blocks_coalesce_into_large)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	size_t avail0, large, again, n;
	struct chain *c;

	MICA_REQUIRE_NOT_NULL(a);
	MICA_REQUIRE_EQ(stats_of(a).live_allocs, 0);
	avail0 = mica_alloc_avail(a);
	large = fill(a, 256 * KiB, &c);
	drain(a, c, large, 0);
	/* Carve everything into small blocks, free them out of order... */
	n = fill(a, 48, &c);
	MICA_EXPECT_EQ(drain(a, c, n, 2), 0);
	expect_empty(a, avail0);
	/* ...and mixed sizes, oldest first... */
	n = fill(a, 0, &c);
	MICA_EXPECT_EQ(drain(a, c, n, 1), 0);
	expect_empty(a, avail0);
	/* ...then the large blocks must all fit again. */
	again = fill(a, 256 * KiB, &c);
	drain(a, c, again, 0);
	mica_test_log("%s: 256 KiB blocks: %zu before, %zu after churn",
		      mica_alloc_name(a), large, again);
	MICA_EXPECT_GT(large, 0);
	MICA_EXPECT_EQ(again, large);
	expect_empty(a, avail0);
}

MICA_TEST(alloc_exhaust, freed_blocks_are_reused)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	struct chain *c, **pp, *freed = NULL;
	size_t n, nfreed = 0, refill, i;

	MICA_REQUIRE_NOT_NULL(a);
	/* Region reclaims only the newest block or everything: by design. */
	if (!strcmp(mica_alloc_name(a), "region")) {
		mica_test_log("region does not reuse freed blocks: skipped");
		return;
	}
	n = fill(a, 500, &c);
	/* Free every third block while the rest stay live. */
	for (pp = &c, i = 0; *pp; i++) {
		if (i % 3 == 0) {
			struct chain *f = *pp;

			*pp = f->next;
			f->next = freed;
			freed = f;
			nfreed++;
		} else {
			pp = &(*pp)->next;
		}
	}
	while (freed) {
		struct chain *f = freed;

		freed = f->next;
		mica_alloc_free(a, f);
	}
	/* Every hole fits one block of the same size again. */
	refill = 0;
	while ((freed = mica_alloc_malloc(a, 500))) {
		freed->next = c;
		c = freed;
		refill++;
	}
	MICA_EXPECT_EQ(refill, nfreed);
	for (; c; c = freed) {
		freed = c->next;
		mica_alloc_free(a, c);
	}
	MICA_EXPECT_EQ(stats_of(a).live_allocs, 0);
	MICA_EXPECT_GT(n, 0);
}

/* --- random churn: no block overlaps another (private instance) ------ */

#define CHURN_SLOTS 64
#define CHURN_OPS   20000

struct churn_slot {
	unsigned char *p;
	size_t len;
	unsigned int seed;
};

static uint64_t churn_rng_state;

static unsigned int churn_rng(void)
{
	/* xorshift64 (Marsaglia 2003): fixed seed, same trace everywhere. */
	churn_rng_state ^= churn_rng_state << 13;
	churn_rng_state ^= churn_rng_state >> 7;
	churn_rng_state ^= churn_rng_state << 17;
	return (unsigned int)(churn_rng_state >> 16);
}

/*
 * Mixed malloc/memalign/realloc/free, every live block carrying its own
 * pattern: a block handed out twice, or a header written over a live
 * neighbour, shows up as a damaged pattern. Half of the frees hit the
 * newest block, which is the only kind the region allocator reclaims.
 */
MICA_TEST(alloc_churn, live_blocks_never_overlap)
{
	static struct churn_slot slots[CHURN_SLOTS];
	struct mica_alloc *a = mica_alloc_test_priv();
	size_t bad = 0, failed = 0, ops, live = 0, sum;
	unsigned int newest = 0;

	MICA_REQUIRE_NOT_NULL(a);
	MICA_REQUIRE_EQ(stats_of(a).live_allocs, 0);
	churn_rng_state = 0x2545f4914f6cdd1dULL;
	for (ops = 0; ops < CHURN_OPS; ops++) {
		unsigned int r = churn_rng(), i;
		struct churn_slot *s;
		size_t len;

		i = r & 1 ? newest : (r >> 1) % CHURN_SLOTS;
		s = &slots[i];
		len = (r >> 8) % 4 ? 1 + (r >> 10) % 300
				   : 1 + (r >> 10) % (16 * KiB);
		if (s->p) {
			bad += pattern_check(s->p, s->len, s->seed) != s->len;
			if ((r >> 20) % 3 == 0) {
				unsigned char *q =
					mica_alloc_realloc(a, s->p, len);

				if (!q) {
					failed++;
					continue;
				}
				if (pattern_check(q, MICA_MIN(len, s->len),
						  s->seed) !=
				    MICA_MIN(len, s->len))
					bad++;
				s->p = q;
				s->len = len;
				pattern_fill(q, len, s->seed);
				newest = i;
				continue;
			}
			mica_alloc_free(a, s->p);
			s->p = NULL;
			live--;
			continue;
		}
		s->p = (r >> 20) % 5 ? mica_alloc_malloc(a, len)
				     : mica_alloc_memalign(
					       a, (size_t)32 << (r % 8), len);
		if (!s->p) {
			failed++;
			continue;
		}
		s->len = len;
		s->seed = r;
		pattern_fill(s->p, len, r);
		newest = i;
		live++;
	}
	sum = 0;
	for (unsigned int i = 0; i < CHURN_SLOTS; i++) {
		if (!slots[i].p)
			continue;
		bad += pattern_check(slots[i].p, slots[i].len, slots[i].seed) !=
		       slots[i].len;
		sum += mica_alloc_usable_size(a, slots[i].p);
	}
	MICA_EXPECT_EQ(stats_of(a).live_allocs, live);
	MICA_EXPECT_EQ(stats_of(a).cur_bytes, sum);
	for (unsigned int i = 0; i < CHURN_SLOTS; i++) {
		mica_alloc_free(a, slots[i].p);
		slots[i].p = NULL;
	}
	mica_test_log("%s: %d operations, %zu refused (heap full)",
		      mica_alloc_name(a), CHURN_OPS, failed);
	MICA_EXPECT_EQ(bad, 0);
	MICA_EXPECT_EQ(stats_of(a).live_allocs, 0);
	MICA_EXPECT_EQ(stats_of(a).cur_bytes, 0);
}

/* --- pages ------------------------------------------------------------ */

MICA_TEST(alloc_pages, aligned_writable_and_counted)
{
	static const size_t counts[] = {1, 2, 3, 17, 64};
	struct mica_alloc *a = mica_alloc_test_priv();
	void *p[MICA_ARRAY_SIZE(counts)];
	struct mica_alloc_stats s0, s1;
	size_t i, bytes = 0;

	MICA_REQUIRE_NOT_NULL(a);
	s0 = stats_of(a);
	for (i = 0; i < MICA_ARRAY_SIZE(counts); i++) {
		p[i] = NULL;
		MICA_EXPECT_EQ(mica_alloc_pages(a, counts[i], &p[i]), 0);
		MICA_EXPECT_TRUE(p[i] && aligned(p[i], PAGE));
		if (p[i]) {
			pattern_fill(p[i], counts[i] * PAGE, (unsigned)i);
			bytes += counts[i] * PAGE;
		}
	}
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes + bytes);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs + i);
	MICA_EXPECT_EQ(s1.nr_allocs, s0.nr_allocs + i);
	MICA_EXPECT_GE(s1.peak_bytes, s1.cur_bytes);
	for (i = 0; i < MICA_ARRAY_SIZE(counts); i++) {
		if (p[i])
			MICA_EXPECT_EQ(pattern_check(p[i], counts[i] * PAGE,
						     (unsigned)i),
				       counts[i] * PAGE);
	}
	while (i--)
		mica_alloc_free_pages(a, p[i], counts[i]);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
	MICA_EXPECT_EQ(s1.nr_frees, s0.nr_frees + MICA_ARRAY_SIZE(counts));
}

MICA_TEST(alloc_pages, errors)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	struct mica_alloc_stats s0, s1;
	void *p = (void *)0x1234;

	MICA_REQUIRE_NOT_NULL(a);
	s0 = stats_of(a);
	MICA_EXPECT_EQ(mica_alloc_pages(a, 0, &p), -EINVAL);
	MICA_EXPECT_EQ(mica_alloc_pages(a, SIZE_MAX / PAGE, &p), -EINVAL);
	MICA_EXPECT_EQ(mica_alloc_pages(a, PRIV_PAGES + 1, &p), -ENOMEM);
	MICA_EXPECT_EQ(mica_alloc_pages(a, PRIV_PAGES, &p), -ENOMEM);
	MICA_EXPECT_EQ(p, (void *)0x1234);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.nr_failed, s0.nr_failed + 4);
	MICA_EXPECT_EQ(s1.nr_allocs, s0.nr_allocs);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
}

MICA_TEST(alloc_pages, exhaust_and_recover)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	size_t n1 = 0, n2 = 0, avail0;
	struct chain *c = NULL, *next;
	void *p;

	MICA_REQUIRE_NOT_NULL(a);
	avail0 = mica_alloc_avail(a);
	while (!mica_alloc_pages(a, 1, &p)) {
		MICA_EXPECT_TRUE(aligned(p, PAGE));
		((struct chain *)p)->next = c;
		c = p;
		n1++;
	}
	for (; c; c = next) {
		next = c->next;
		mica_alloc_free_pages(a, c, 1);
	}
	expect_empty(a, avail0);
	while (!mica_alloc_pages(a, 1, &p)) {
		((struct chain *)p)->next = c;
		c = p;
		n2++;
	}
	c = chain_reverse(c);
	for (; c; c = next) {
		next = c->next;
		mica_alloc_free_pages(a, c, 1);
	}
	expect_empty(a, avail0);
	mica_test_log("%s: %zu pages of %d, then %zu", mica_alloc_name(a), n1,
		      PRIV_PAGES, n2);
	MICA_EXPECT_EQ(n2, n1);
	MICA_EXPECT_GE(n1, PRIV_PAGES / 3);
	MICA_EXPECT_LT(n1, PRIV_PAGES);
}

MICA_TEST(alloc_pages, on_the_default_heap)
{
	struct mica_alloc *a = mica_alloc_default();
	void *one = NULL, *many = NULL;

	MICA_EXPECT_EQ(mica_alloc_pages(a, 1, &one), 0);
	MICA_EXPECT_EQ(mica_alloc_pages(a, 256, &many), 0);
	MICA_EXPECT_TRUE(one && aligned(one, PAGE));
	MICA_EXPECT_TRUE(many && aligned(many, PAGE));
	if (one)
		memset(one, 1, PAGE);
	if (many)
		memset(many, 2, 256 * PAGE);
	if (one)
		MICA_EXPECT_EQ(*(unsigned char *)one, 1);
	mica_alloc_free_pages(a, many, 256);
	mica_alloc_free_pages(a, one, 1);
}

/* --- statistics and avail/total --------------------------------------- */

MICA_TEST(alloc_stats, cur_bytes_is_the_sum_of_usable_sizes)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	struct mica_alloc_stats s0, s;
	unsigned char *p[40];
	size_t i, sum = 0, frees = 0;

	MICA_REQUIRE_NOT_NULL(a);
	s0 = stats_of(a);
	MICA_REQUIRE_EQ(s0.live_allocs, 0);
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++) {
		p[i] = i % 5 == 4 ? mica_alloc_memalign(a, 256, i * 33)
				  : mica_alloc_malloc(a, 1 + i * i * 11);
		sum += mica_alloc_usable_size(a, p[i]);
	}
	s = stats_of(a);
	MICA_EXPECT_EQ(s.cur_bytes, sum);
	MICA_EXPECT_EQ(s.live_allocs, MICA_ARRAY_SIZE(p));
	MICA_EXPECT_EQ(s.nr_allocs, s0.nr_allocs + MICA_ARRAY_SIZE(p));
	MICA_EXPECT_GE(s.peak_bytes, sum);
	/* realloc changes cur_bytes by the difference, not the count. */
	p[3] = mica_alloc_realloc(a, p[3], 20000);
	MICA_EXPECT_NOT_NULL(p[3]);
	sum = 0;
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++)
		sum += mica_alloc_usable_size(a, p[i]);
	s = stats_of(a);
	MICA_EXPECT_EQ(s.cur_bytes, sum);
	MICA_EXPECT_EQ(s.live_allocs, MICA_ARRAY_SIZE(p));
	MICA_EXPECT_EQ(s.nr_allocs, s0.nr_allocs + MICA_ARRAY_SIZE(p));
	/* Free every other one. */
	for (i = 0; i < MICA_ARRAY_SIZE(p); i += 2) {
		sum -= mica_alloc_usable_size(a, p[i]);
		mica_alloc_free(a, p[i]);
		p[i] = NULL;
		frees++;
	}
	s = stats_of(a);
	MICA_EXPECT_EQ(s.cur_bytes, sum);
	MICA_EXPECT_EQ(s.live_allocs, MICA_ARRAY_SIZE(p) - frees);
	MICA_EXPECT_EQ(s.nr_frees, s0.nr_frees + frees);
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++)
		mica_alloc_free(a, p[i]);
	s = stats_of(a);
	MICA_EXPECT_EQ(s.cur_bytes, 0);
	MICA_EXPECT_EQ(s.live_allocs, 0);
	MICA_EXPECT_EQ(s.nr_frees, s0.nr_frees + MICA_ARRAY_SIZE(p));
	MICA_EXPECT_EQ(s.nr_failed, s0.nr_failed);
}

MICA_TEST(alloc_stats, peak_is_the_highest_cur_bytes)
{
	/* A fresh instance: peak counts from its creation. */
	struct mica_alloc *a = mica_alloc_test_priv_new(64);
	struct mica_alloc_stats s;
	void *p, *q;
	size_t high;

	MICA_REQUIRE_NOT_NULL(a);
	s = stats_of(a);
	MICA_EXPECT_EQ(s.peak_bytes, 0);
	MICA_EXPECT_EQ(s.nr_allocs, 0);
	p = mica_alloc_malloc(a, 10000);
	q = mica_alloc_malloc(a, 20000);
	MICA_REQUIRE_TRUE(p && q);
	high = mica_alloc_usable_size(a, p) + mica_alloc_usable_size(a, q);
	MICA_EXPECT_EQ(stats_of(a).peak_bytes, high);
	mica_alloc_free(a, q);
	mica_alloc_free(a, p);
	s = stats_of(a);
	MICA_EXPECT_EQ(s.peak_bytes, high);
	MICA_EXPECT_EQ(s.cur_bytes, 0);
	p = mica_alloc_malloc(a, 100);
	MICA_EXPECT_EQ(stats_of(a).peak_bytes, high);
	mica_alloc_free(a, p);
}

MICA_TEST(alloc_stats, avail_and_total)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	size_t total, avail0, avail1;
	void *p;

	MICA_REQUIRE_NOT_NULL(a);
	total = mica_alloc_total(a);
	avail0 = mica_alloc_avail(a);
	if (!total) {
		mica_test_log("%s does not report its size",
			      mica_alloc_name(a));
		MICA_EXPECT_EQ(avail0, 0);
		return;
	}
	MICA_EXPECT_LE(avail0, total);
	MICA_EXPECT_LE(total, PRIV_PAGES * PAGE);
	/* Its own state may take some of what it was given, not most. */
	MICA_EXPECT_GE(total, PRIV_PAGES * PAGE / 2);
	p = mica_alloc_malloc(a, 64 * KiB);
	MICA_REQUIRE_NOT_NULL(p);
	avail1 = mica_alloc_avail(a);
	MICA_EXPECT_LE(avail1 + 64 * KiB, avail0);
	MICA_EXPECT_EQ(mica_alloc_total(a), total);
	mica_alloc_free(a, p);
	MICA_EXPECT_EQ(mica_alloc_avail(a), avail0);
}

MICA_TEST(alloc_stats, default_avail_and_total)
{
	struct mica_alloc *a = mica_alloc_default();
	size_t total = mica_alloc_total(a), avail0 = mica_alloc_avail(a);
	void *p;

	if (!total) {
		MICA_EXPECT_EQ(avail0, 0);
		return;
	}
	MICA_EXPECT_LE(avail0, total);
	p = mica_alloc_malloc(a, 256 * KiB);
	MICA_REQUIRE_NOT_NULL(p);
	MICA_EXPECT_LE(mica_alloc_avail(a) + 256 * KiB, avail0);
	mica_alloc_free(a, p);
}
