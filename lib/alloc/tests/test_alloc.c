/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator API contract, checked on whichever implementation is the
 * default (LIB_ALLOC_DEFAULT_*): the same sources run on every platform
 * and for every allocator. This file: the contract of each call,
 * alignment, tiny and large sizes, and the C library's malloc family;
 * test_alloc_fill.c: exhaustion, churn, pages and statistics.
 *
 * Tests that could run out of memory use a private instance of the
 * default implementation, built on pages taken from the heap, so the
 * rest of the image (and the test framework) never sees an empty heap.
 * The others run on the default allocator itself and give back what
 * they take in LIFO order, so even the region allocator (which only
 * reclaims the newest block) ends where it started.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mica/alloc.h>
#include <mica/alloc_driver.h>
#include <mica/boot.h>
#include <mica/params.h>
#include <mica/test.h>
#include "alloc_test.h"

struct mica_alloc *mica_alloc_test_priv_new(size_t npages)
{
	struct mica_alloc *a;
	void *mem;

	if (mica_alloc_pages(mica_alloc_default(), npages, &mem) < 0)
		return NULL;
	a = mica_alloc_default_backend_create(mem, npages * PAGE);
	if (a)
		mica_test_log("private %s allocator on %zu KiB at %p: %zu KiB "
			      "free of %zu KiB",
			      mica_alloc_name(a), npages * PAGE >> 10, mem,
			      mica_alloc_avail(a) >> 10,
			      mica_alloc_total(a) >> 10);
	return a;
}

struct mica_alloc *mica_alloc_test_priv(void)
{
	static struct mica_alloc *priv;

	if (!priv)
		priv = mica_alloc_test_priv_new(PRIV_PAGES);
	return priv;
}

/* --- the API contract (default allocator) ----------------------------- */

MICA_TEST(alloc_api, default_exists_and_has_a_name)
{
	struct mica_alloc *a = mica_alloc_default();

	MICA_REQUIRE_NOT_NULL(a);
	MICA_REQUIRE_NOT_NULL(mica_alloc_name(a));
	MICA_EXPECT_NE(mica_alloc_name(a)[0], '\0');
	mica_test_log("default allocator: %s, %zu KiB of %zu KiB free",
		      mica_alloc_name(a), mica_alloc_avail(a) >> 10,
		      mica_alloc_total(a) >> 10);
}

MICA_TEST(alloc_api, malloc_zero_is_unique_and_freeable)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;
	void *p = mica_alloc_malloc(a, 0);
	void *q = mica_alloc_malloc(a, 0);

	MICA_EXPECT_NOT_NULL(p);
	MICA_EXPECT_NOT_NULL(q);
	MICA_EXPECT_NE(p, q);
	MICA_EXPECT_TRUE(aligned(p, MICA_ALLOC_MIN_ALIGN));
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs + 2);
	mica_alloc_free(a, q);
	mica_alloc_free(a, p);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
	MICA_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
	MICA_EXPECT_EQ(s1.nr_frees, s0.nr_frees + 2);
}

MICA_TEST(alloc_api, free_null_is_a_no_op)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;

	mica_alloc_free(a, NULL);
	mica_alloc_free_pages(a, NULL, 1);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.nr_frees, s0.nr_frees);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
	MICA_EXPECT_EQ(mica_alloc_usable_size(a, NULL), 0);
}

MICA_TEST(alloc_api, usable_size_covers_the_request)
{
	static const size_t sizes[] = {1,   2,	  15,	16,   17,   100,
				       255, 1000, 4095, 4096, 4097, 70000};
	struct mica_alloc *a = mica_alloc_default();

	for (size_t i = 0; i < MICA_ARRAY_SIZE(sizes); i++) {
		unsigned char *p = mica_alloc_malloc(a, sizes[i]);

		MICA_EXPECT_NOT_NULL(p);
		if (!p)
			continue;
		MICA_EXPECT_GE(mica_alloc_usable_size(a, p), sizes[i]);
		MICA_EXPECT_TRUE(aligned(p, MICA_ALLOC_MIN_ALIGN));
		/* Every usable byte is the caller's. */
		memset(p, 0xa5, mica_alloc_usable_size(a, p));
		mica_alloc_free(a, p);
	}
}

MICA_TEST(alloc_api, calloc_zeroes)
{
	struct mica_alloc *a = mica_alloc_default();
	unsigned char *dirty, *p;
	size_t n = 3000, i;

	/* Leave garbage where calloc is likely to land next. */
	dirty = mica_alloc_malloc(a, n);
	MICA_REQUIRE_NOT_NULL(dirty);
	memset(dirty, 0xff, n);
	mica_alloc_free(a, dirty);
	p = mica_alloc_calloc(a, 3, n / 3);
	MICA_REQUIRE_NOT_NULL(p);
	for (i = 0; i < n && p[i] == 0; i++)
		;
	MICA_EXPECT_EQ(i, n);
	mica_alloc_free(a, p);
	p = mica_alloc_calloc(a, 0, 5);
	MICA_EXPECT_NOT_NULL(p); /* a zero-size block, like malloc(0) */
	mica_alloc_free(a, p);
}

MICA_TEST(alloc_api, calloc_overflow_fails_and_counts)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;
	size_t half = ((size_t)1 << (sizeof(size_t) * 4)) + 1;

	MICA_EXPECT_NULL(mica_alloc_calloc(a, half, half));
	MICA_EXPECT_NULL(mica_alloc_calloc(a, SIZE_MAX, 2));
	MICA_EXPECT_NULL(mica_alloc_calloc(a, 2, SIZE_MAX / 2 + 1));
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.nr_failed, s0.nr_failed + 3);
	MICA_EXPECT_EQ(s1.nr_allocs, s0.nr_allocs);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
}

MICA_TEST(alloc_api, realloc_null_is_malloc)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;
	void *p = mica_alloc_realloc(a, NULL, 200);

	MICA_REQUIRE_NOT_NULL(p);
	MICA_EXPECT_GE(mica_alloc_usable_size(a, p), 200);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs + 1);
	MICA_EXPECT_EQ(s1.nr_allocs, s0.nr_allocs + 1);
	mica_alloc_free(a, p);
}

MICA_TEST(alloc_api, realloc_to_zero_frees)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;
	void *p = mica_alloc_malloc(a, 300);

	MICA_REQUIRE_NOT_NULL(p);
	MICA_EXPECT_NULL(mica_alloc_realloc(a, p, 0));
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
	MICA_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
	MICA_EXPECT_EQ(s1.nr_frees, s0.nr_frees + 1);
	MICA_EXPECT_EQ(s1.nr_failed, s0.nr_failed);
}

MICA_TEST(alloc_api, realloc_keeps_contents)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;
	unsigned char *p, *q, *block;

	p = mica_alloc_malloc(a, 100);
	MICA_REQUIRE_NOT_NULL(p);
	pattern_fill(p, 100, 1);
	/* Grow in place if the allocator can. */
	p = mica_alloc_realloc(a, p, 5000);
	MICA_REQUIRE_NOT_NULL(p);
	MICA_EXPECT_EQ(pattern_check(p, 100, 1), 100);
	MICA_EXPECT_GE(mica_alloc_usable_size(a, p), 5000);
	pattern_fill(p, 5000, 2);
	/* A neighbour stops in-place growth: the block must move. */
	block = mica_alloc_malloc(a, 64);
	MICA_REQUIRE_NOT_NULL(block);
	memset(block, 0x5a, 64);
	q = mica_alloc_realloc(a, p, 300 * KiB);
	MICA_EXPECT_NOT_NULL(q);
	if (!q) {
		mica_alloc_free(a, block);
		mica_alloc_free(a, p);
		return;
	}
	p = q;
	MICA_EXPECT_EQ(pattern_check(p, 5000, 2), 5000);
	MICA_EXPECT_GE(mica_alloc_usable_size(a, p), 300 * KiB);
	pattern_fill(p, 300 * KiB, 3);
	/* Shrink: the prefix stays. */
	p = mica_alloc_realloc(a, p, 40);
	MICA_EXPECT_NOT_NULL(p);
	if (p) {
		MICA_EXPECT_EQ(pattern_check(p, 40, 3), 40);
		MICA_EXPECT_GE(mica_alloc_usable_size(a, p), 40);
	}
	for (int i = 0; i < 64; i++)
		MICA_EXPECT_EQ(block[i], 0x5a);
	/* LIFO, so the region allocator reclaims both. */
	mica_alloc_free(a, p);
	mica_alloc_free(a, block);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
	MICA_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
}

MICA_TEST(alloc_api, realloc_failure_keeps_the_block)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	struct mica_alloc_stats s0, s1;
	unsigned char *p;

	MICA_REQUIRE_NOT_NULL(a);
	s0 = stats_of(a);
	p = mica_alloc_malloc(a, 1000);
	MICA_REQUIRE_NOT_NULL(p);
	pattern_fill(p, 1000, 4);
	/* Larger than the whole instance: reaches the implementation. */
	MICA_EXPECT_NULL(mica_alloc_realloc(a, p, PRIV_PAGES * PAGE * 2));
	MICA_EXPECT_NULL(mica_alloc_realloc(a, p, SIZE_MAX / 2));
	MICA_EXPECT_EQ(pattern_check(p, 1000, 4), 1000);
	MICA_EXPECT_GE(mica_alloc_usable_size(a, p), 1000);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.nr_failed, s0.nr_failed + 2);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs + 1);
	MICA_EXPECT_EQ(s1.cur_bytes,
		       s0.cur_bytes + mica_alloc_usable_size(a, p));
	mica_alloc_free(a, p);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.live_allocs, 0);
	MICA_EXPECT_EQ(s1.cur_bytes, 0);
}

MICA_TEST(alloc_api, posix_memalign_rejects_bad_alignments)
{
	static const size_t bad[] = {0, 1, 2, 3, 4, 12, 24, 48, 100, 4097};
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;
	void *p = (void *)0x1234, *keep = p;

	for (size_t i = 0; i < MICA_ARRAY_SIZE(bad); i++) {
		MICA_EXPECT_EQ(mica_alloc_posix_memalign(a, &p, bad[i], 64),
			       -EINVAL);
		MICA_EXPECT_EQ(p, keep); /* untouched on failure */
	}
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.nr_failed, s0.nr_failed + MICA_ARRAY_SIZE(bad));
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
	/* sizeof(void *) is the smallest valid one. */
	MICA_EXPECT_EQ(mica_alloc_posix_memalign(a, &p, sizeof(void *), 64), 0);
	MICA_EXPECT_NE(p, keep);
	MICA_EXPECT_TRUE(aligned(p, MICA_ALLOC_MIN_ALIGN));
	mica_alloc_free(a, p);
}

MICA_TEST(alloc_api, memalign_rejects_non_powers_of_two)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;
	void *p;

	MICA_EXPECT_NULL(mica_alloc_memalign(a, 0, 64));
	MICA_EXPECT_NULL(mica_alloc_memalign(a, 3, 64));
	MICA_EXPECT_NULL(mica_alloc_memalign(a, 96, 64));
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.nr_failed, s0.nr_failed + 3);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
	/* Below the minimum, a power of two still gets the minimum. */
	p = mica_alloc_memalign(a, 1, 10);
	MICA_EXPECT_NOT_NULL(p);
	MICA_EXPECT_TRUE(aligned(p, MICA_ALLOC_MIN_ALIGN));
	mica_alloc_free(a, p);
}

MICA_TEST(alloc_api, huge_requests_fail_cleanly)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;
	void *p = (void *)0x1234;

	MICA_EXPECT_NULL(mica_alloc_malloc(a, SIZE_MAX));
	MICA_EXPECT_NULL(mica_alloc_malloc(a, SIZE_MAX - PAGE));
	MICA_EXPECT_NULL(mica_alloc_memalign(a, 64, SIZE_MAX - 32));
	MICA_EXPECT_NULL(mica_alloc_memalign(a, (size_t)1 << 62, 16));
	MICA_EXPECT_EQ(mica_alloc_posix_memalign(a, &p, 64, SIZE_MAX), -ENOMEM);
	MICA_EXPECT_EQ(p, (void *)0x1234);
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.nr_failed, s0.nr_failed + 5);
	MICA_EXPECT_EQ(s1.nr_allocs, s0.nr_allocs);
}

/* --- alignment (default allocator) ------------------------------------ */

MICA_TEST(alloc_align, every_power_of_two_to_1mib)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0 = stats_of(a), s1;

	for (size_t align = 16; align <= MiB; align <<= 1) {
		size_t sizes[4] = {1, align / 2 + 3, align, align + 16};
		/*
		 * Up to 64 KiB the four stay live together, so they must not
		 * overlap. Larger ones go one at a time: with LIB_ALLOC_DEBUG
		 * a 1 MiB-aligned block costs 1 MiB more (its header is
		 * padded to the alignment) and four would not fit in the
		 * 8 MiB heap of an alloc.heap=8M run.
		 */
		size_t group = align <= 64 * KiB ? 4 : 1, i, j, bad = 0;
		unsigned char *p[4];

		for (i = 0; i < 4; i += group) {
			for (j = i; j < i + group; j++) {
				p[j] = mica_alloc_memalign(a, align, sizes[j]);
				if (!p[j] || !aligned(p[j], align)) {
					mica_test_log("memalign(%zu, %zu) = %p",
						      align, sizes[j],
						      (void *)p[j]);
					bad++;
				}
				if (p[j])
					pattern_fill(p[j], sizes[j],
						     (unsigned)j);
			}
			for (j = i; j < i + group; j++) {
				if (p[j] &&
				    pattern_check(p[j], sizes[j],
						  (unsigned)j) != sizes[j])
					bad++;
			}
			for (j = i + group; j-- > i;)
				mica_alloc_free(a, p[j]);
		}
		MICA_EXPECT_EQ(bad, 0);
	}
	s1 = stats_of(a);
	MICA_EXPECT_EQ(s1.live_allocs, s0.live_allocs);
	MICA_EXPECT_EQ(s1.cur_bytes, s0.cur_bytes);
}

MICA_TEST(alloc_align, posix_memalign_honours_alignment)
{
	struct mica_alloc *a = mica_alloc_default();

	for (size_t align = sizeof(void *); align <= MiB; align <<= 1) {
		void *p = NULL;

		MICA_EXPECT_EQ(mica_alloc_posix_memalign(a, &p, align, 100), 0);
		MICA_EXPECT_TRUE(p && aligned(p, align));
		if (p)
			memset(p, 0x11, 100);
		mica_alloc_free(a, p);
	}
}

MICA_TEST(alloc_align, mixed_with_malloc)
{
	struct mica_alloc *a = mica_alloc_default();
	unsigned char *small[8], *big[8];
	size_t i;

	/* Interleave so aligned blocks land between ordinary ones. */
	for (i = 0; i < 8; i++) {
		small[i] = mica_alloc_malloc(a, 24 + i * 40);
		big[i] = mica_alloc_memalign(a, (size_t)64 << i, 200);
		MICA_EXPECT_NOT_NULL(small[i]);
		MICA_EXPECT_TRUE(big[i] && aligned(big[i], (size_t)64 << i));
		if (small[i])
			pattern_fill(small[i], 24 + i * 40, (unsigned)i);
		if (big[i])
			pattern_fill(big[i], 200, (unsigned)i + 50);
	}
	for (i = 0; i < 8; i++) {
		if (small[i])
			MICA_EXPECT_EQ(pattern_check(small[i], 24 + i * 40,
						     (unsigned)i),
				       24 + i * 40);
		if (big[i])
			MICA_EXPECT_EQ(
				pattern_check(big[i], 200, (unsigned)i + 50),
				200);
	}
	while (i--) {
		mica_alloc_free(a, big[i]);
		mica_alloc_free(a, small[i]);
	}
}

/* --- tiny and large sizes --------------------------------------------- */

MICA_TEST(alloc_sizes, tiny_to_one_mib_live_together)
{
	static const size_t sizes[] = {1, 7, 8, 16, 4095, 4096, 4097, MiB};
	struct mica_alloc *a = mica_alloc_default();
	unsigned char *p[MICA_ARRAY_SIZE(sizes)];
	size_t i, n = MICA_ARRAY_SIZE(sizes);

	for (i = 0; i < n; i++) {
		p[i] = mica_alloc_malloc(a, sizes[i]);
		MICA_EXPECT_NOT_NULL(p[i]);
		if (p[i])
			pattern_fill(p[i], sizes[i], (unsigned)i + 7);
	}
	for (i = 0; i < n; i++) {
		if (p[i]) {
			MICA_EXPECT_EQ(
				pattern_check(p[i], sizes[i], (unsigned)i + 7),
				sizes[i]);
			MICA_EXPECT_GE(mica_alloc_usable_size(a, p[i]),
				       sizes[i]);
		}
	}
	while (i--)
		mica_alloc_free(a, p[i]);
}

MICA_TEST(alloc_sizes, many_tiny_blocks_are_distinct)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	unsigned char *p[512];
	size_t i, bad = 0;

	MICA_REQUIRE_NOT_NULL(a);
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++) {
		p[i] = mica_alloc_malloc(a, 1 + i % 9);
		if (p[i])
			memset(p[i], (int)(i & 0xff), 1 + i % 9);
	}
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++) {
		if (!p[i] || p[i][0] != (unsigned char)i ||
		    p[i][i % 9] != (unsigned char)i)
			bad++;
	}
	MICA_EXPECT_EQ(bad, 0);
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++)
		mica_alloc_free(a, p[i]);
	MICA_EXPECT_EQ(stats_of(a).live_allocs, 0);
}

MICA_TEST(alloc_sizes, largest_block_near_the_instance_size)
{
	struct mica_alloc *a = mica_alloc_test_priv();
	size_t total, size = 0;
	void *p = NULL;

	MICA_REQUIRE_NOT_NULL(a);
	total = mica_alloc_total(a);
	if (!total)
		total = PRIV_PAGES * PAGE; /* unknown: what it was given */
	MICA_EXPECT_LE(total, PRIV_PAGES * PAGE);
	/* More than it manages can never work. */
	MICA_EXPECT_NULL(mica_alloc_malloc(a, total + 1));
	MICA_EXPECT_NULL(mica_alloc_malloc(a, PRIV_PAGES * PAGE));
	/*
	 * An empty allocator has one big piece: step down from the total
	 * by 4, 12, 28, ... KiB until a request fits.
	 */
	for (size_t step = PAGE; step < total && !p; step *= 2) {
		size = total - step + PAGE;
		p = mica_alloc_malloc(a, size);
	}
	/* Then halve, to report what does fit. */
	if (!p)
		size = total;
	while (!p && size >= 2 * PAGE) {
		size /= 2;
		p = mica_alloc_malloc(a, size);
	}
	MICA_REQUIRE_NOT_NULL(p);
	mica_test_log("%s: largest block found: %zu of %zu bytes",
		      mica_alloc_name(a), size, total);
	/*
	 * Blocks aligned to their size (buddy) still leave one of a
	 * quarter of any range; an eighth allows for the allocator's state.
	 */
	MICA_EXPECT_GE(size, total / 8);
	memset(p, 0xc3, size);
	mica_alloc_free(a, p);
	MICA_EXPECT_EQ(stats_of(a).live_allocs, 0);
}

/* --- through the C library -------------------------------------------- */

/* More than the default heap holds (or, if it does not say, a lot). */
static size_t beyond_heap(void)
{
	size_t total = mica_alloc_total(mica_alloc_default());

	return total ? total + PAGE : (size_t)1 << 46;
}

MICA_TEST(alloc_libc, malloc_family_works)
{
	unsigned char *p, *q;
	void *r = NULL;
	size_t i;

	p = malloc(1000);
	MICA_REQUIRE_NOT_NULL(p);
	MICA_EXPECT_TRUE(aligned(p, MICA_ALLOC_MIN_ALIGN));
	MICA_EXPECT_GE(malloc_usable_size(p), 1000);
	pattern_fill(p, 1000, 9);
	q = realloc(p, 100000);
	MICA_REQUIRE_NOT_NULL(q);
	MICA_EXPECT_EQ(pattern_check(q, 1000, 9), 1000);
	free(q);
	p = calloc(100, 10);
	MICA_REQUIRE_NOT_NULL(p);
	for (i = 0; i < 1000 && !p[i]; i++)
		;
	MICA_EXPECT_EQ(i, 1000);
	free(p);
	MICA_EXPECT_EQ(posix_memalign(&r, 4096, 10), 0);
	MICA_EXPECT_TRUE(r && aligned(r, 4096));
	free(r);
	MICA_EXPECT_EQ(posix_memalign(&r, 24, 10), EINVAL);
	p = aligned_alloc(256, 512);
	MICA_EXPECT_TRUE(p && aligned(p, 256));
	free(p);
	p = malloc(0);
	MICA_EXPECT_NOT_NULL(p);
	free(p);
	free(NULL);
	p = realloc(NULL, 10);
	MICA_EXPECT_NOT_NULL(p);
	errno = 0;
	MICA_EXPECT_NULL(realloc(p, 0));
	MICA_EXPECT_EQ(errno, 0); /* freeing is not an error */
}

MICA_TEST(alloc_libc, out_of_memory_is_enomem)
{
	struct mica_alloc *a = mica_alloc_default();
	size_t big = beyond_heap(), failed0 = stats_of(a).nr_failed;
	void *p = NULL, *q;

	errno = 0;
	MICA_EXPECT_NULL(malloc(big));
	MICA_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	MICA_EXPECT_NULL(calloc(big / 16, 16));
	MICA_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	MICA_EXPECT_NULL(calloc(SIZE_MAX / 2, 4)); /* overflow */
	MICA_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	MICA_EXPECT_NULL(aligned_alloc(64, big));
	MICA_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	MICA_EXPECT_EQ(posix_memalign(&p, 64, big), ENOMEM);
	MICA_EXPECT_NULL(p);
	MICA_EXPECT_EQ(errno, 0); /* POSIX: returned, not set */
	q = malloc(32);
	MICA_REQUIRE_NOT_NULL(q);
	memset(q, 0x77, 32);
	errno = 0;
	MICA_EXPECT_NULL(realloc(q, big));
	MICA_EXPECT_EQ(errno, ENOMEM);
	MICA_EXPECT_EQ(((unsigned char *)q)[31], 0x77); /* still ours */
	free(q);
	MICA_EXPECT_EQ(stats_of(a).nr_failed, failed0 + 6);
	/* Failures leave the heap usable. */
	q = malloc(64);
	MICA_EXPECT_NOT_NULL(q);
	free(q);
}

/* "alloc.heap=SIZE" on the command line, 0 when absent. */
static unsigned long long heap_param(void)
{
	static const char key[] = "alloc.heap=";
	unsigned long long v = 0;
	char **argv;
	int argc = mica_boot_lib_args(&argv), neg;

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], key, sizeof(key) - 1))
			continue;
		if (mica_param_parse_u64(argv[i] + sizeof(key) - 1, 1, &v,
					 &neg) < 0 ||
		    neg)
			v = 0;
	}
	return v;
}

MICA_TEST(alloc_libc, heap_parameter_caps_the_heap)
{
	struct mica_alloc *a = mica_alloc_default();
	unsigned long long cap = heap_param();
	void *p;

	if (!cap) {
		mica_test_log("no alloc.heap= given: nothing to check");
		return;
	}
	mica_test_log("alloc.heap=%llu: heap %zu bytes", cap,
		      mica_alloc_total(a));
	MICA_EXPECT_LE(mica_alloc_total(a), cap);
	MICA_EXPECT_GT(mica_alloc_total(a), 0);
	errno = 0;
	p = malloc(cap);
	MICA_EXPECT_NULL(p);
	MICA_EXPECT_EQ(errno, ENOMEM);
	free(p);
}
