/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Buddy-specific tests, on private allocators whose memory comes from
 * the default allocator (whichever it is). The API contract on the
 * default allocator is lib/alloc's test suite.
 */
#include <stdint.h>
#include <mica/alloc_buddy.h>
#include <mica/alloc_driver.h>
#include <mica/test.h>

/*
 * With LIB_ALLOC_DEBUG, lib/alloc wraps every block in a guard (larger
 * requests, realloc always moves): checks of exact sizes are skipped.
 */
#ifdef CONFIG_LIB_ALLOC_DEBUG
#define EXACT 0
#else
#define EXACT 1
#endif

#define PAGE  MICA_ALLOC_PAGE_SIZE
#define AREA  (4UL << 20)
#define SMALL (256UL << 10)

/* Memory for a private allocator, from the default one. */
static void *get_mem(size_t len)
{
	struct mica_alloc *d = mica_alloc_default();

	return d ? mica_alloc_memalign(d, PAGE, len) : NULL;
}

static void put_mem(void *p)
{
	mica_alloc_free(mica_alloc_default(), p);
}

static uint32_t rnd_state;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* The largest page run the allocator can give right now (a power of 2). */
static size_t largest_run(struct mica_alloc *a)
{
	size_t n;
	void *p;

	for (n = (size_t)1 << 20; n; n >>= 1) {
		if (mica_alloc_pages(a, n, &p) == 0) {
			mica_alloc_free_pages(a, p, n);
			return n;
		}
	}
	return 0;
}

MICA_TEST(alloc_buddy, create_rejects_tiny_areas)
{
	static char buf[PAGE];

	MICA_EXPECT_NULL(mica_buddy_create(NULL, AREA));
	MICA_EXPECT_NULL(mica_buddy_create(buf, sizeof(buf)));
	MICA_EXPECT_NULL(mica_buddy_create(buf, 100));
}

MICA_TEST(alloc_buddy, fresh_allocator_is_all_free)
{
	void *mem = get_mem(AREA);
	struct mica_alloc *a;

	MICA_REQUIRE_NOT_NULL(mem);
	a = mica_buddy_create(mem, AREA);
	MICA_REQUIRE_NOT_NULL(a);
	MICA_EXPECT_STREQ(mica_alloc_name(a), "buddy");
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	/* State and page map take the first and last pages only. */
	MICA_EXPECT_GE(mica_alloc_total(a), AREA - 3 * PAGE);
	MICA_EXPECT_LE(mica_alloc_total(a), AREA - PAGE);
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	put_mem(mem);
}

MICA_TEST(alloc_buddy, check_walks_only_buddies)
{
	struct mica_alloc *d = mica_alloc_default();

	MICA_REQUIRE_NOT_NULL(d);
	/* The whole heap, when it is a buddy; a refusal otherwise. */
	if (mica_alloc_name(d)[0] == 'b')
		MICA_EXPECT_EQ(mica_buddy_check(d), 0);
	else
		MICA_EXPECT_NE(mica_buddy_check(d), 0);
}

MICA_TEST(alloc_buddy, pages_split_and_coalesce)
{
	void *mem = get_mem(AREA);
	struct mica_alloc *a;
	size_t n = 0, i, big, total;
	void **pages;

	MICA_REQUIRE_NOT_NULL(mem);
	a = mica_buddy_create(mem, AREA);
	MICA_REQUIRE_NOT_NULL(a);
	total = mica_alloc_total(a) / PAGE;
	big = largest_run(a);
	MICA_EXPECT_GE(big, 256);
	/* Every single page, their addresses kept in the first ones. */
	MICA_REQUIRE_EQ(mica_alloc_pages(a, 4, (void **)&pages), 0);
	while (mica_alloc_pages(a, 1, &pages[n]) == 0) {
		MICA_REQUIRE_TRUE(n < 4 * PAGE / sizeof(void *));
		MICA_EXPECT_TRUE(MICA_IS_ALIGNED((uintptr_t)pages[n], PAGE));
		n++;
	}
	MICA_EXPECT_EQ(n + 4, total);
	MICA_EXPECT_EQ(mica_alloc_avail(a), 0);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	/* Odd ones then even ones: merging happens on the second pass. */
	for (i = 1; i < n; i += 2)
		mica_alloc_free_pages(a, pages[i], 1);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	for (i = 0; i < n; i += 2)
		mica_alloc_free_pages(a, pages[i], 1);
	mica_alloc_free_pages(a, pages, 4);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	MICA_EXPECT_EQ(mica_alloc_avail(a), total * PAGE);
	MICA_EXPECT_EQ(largest_run(a), big);
	put_mem(mem);
}

MICA_TEST(alloc_buddy, page_runs_give_back_the_excess)
{
	void *mem = get_mem(AREA);
	static const size_t sizes[] = {1, 3, 5, 7, 100, 129, 255};
	void *p[MICA_ARRAY_SIZE(sizes)];
	struct mica_alloc *a;
	size_t avail, i;

	MICA_REQUIRE_NOT_NULL(mem);
	a = mica_buddy_create(mem, AREA);
	MICA_REQUIRE_NOT_NULL(a);
	for (i = 0; i < MICA_ARRAY_SIZE(sizes); i++) {
		avail = mica_alloc_avail(a);
		MICA_REQUIRE_EQ(mica_alloc_pages(a, sizes[i], &p[i]), 0);
		/* n pages cost n pages, not the next power of two. */
		MICA_EXPECT_EQ(avail - mica_alloc_avail(a), sizes[i] * PAGE);
		__builtin_memset(p[i], (int)i, sizes[i] * PAGE);
		MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	}
	for (i = 0; i < MICA_ARRAY_SIZE(sizes); i++) {
		MICA_EXPECT_EQ(((unsigned char *)p[i])[sizes[i] * PAGE - 1], i);
		mica_alloc_free_pages(a, p[i], sizes[i]);
		MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	}
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	put_mem(mem);
}

MICA_TEST(alloc_buddy, memalign_up_to_1mib)
{
	void *mem = get_mem(AREA);
	static const size_t sizes[] = {1, 24, 100, 1000, 3000, 5000, 70000};
	struct mica_alloc *a;
	size_t align, i;
	void *p;

	MICA_REQUIRE_NOT_NULL(mem);
	a = mica_buddy_create(mem, AREA);
	MICA_REQUIRE_NOT_NULL(a);
	for (align = 16; align <= (1UL << 20); align <<= 1) {
		for (i = 0; i < MICA_ARRAY_SIZE(sizes); i++) {
			p = mica_alloc_memalign(a, align, sizes[i]);
			MICA_REQUIRE_NOT_NULL(p);
			MICA_EXPECT_TRUE(MICA_IS_ALIGNED((uintptr_t)p, align));
			MICA_EXPECT_GE(mica_alloc_usable_size(a, p), sizes[i]);
			__builtin_memset(p, 0x5a, sizes[i]);
			MICA_EXPECT_EQ(mica_buddy_check(a), 0);
			mica_alloc_free(a, p);
		}
	}
	/* A large alignment costs only the pages asked for. */
	p = mica_alloc_memalign(a, 1UL << 20, 100);
	MICA_REQUIRE_NOT_NULL(p);
	if (EXACT)
		MICA_EXPECT_EQ(mica_alloc_avail(a) + PAGE, mica_alloc_total(a));
	mica_alloc_free(a, p);
	/* More than the area can align: a clean failure. */
	MICA_EXPECT_NULL(mica_alloc_memalign(a, 1UL << 30, 100));
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	put_mem(mem);
}

MICA_TEST(alloc_buddy, small_objects_share_pages)
{
	void *mem = get_mem(AREA);
	struct mica_alloc *a;
	size_t size, avail, i;
	unsigned char *p[64];

	MICA_REQUIRE_NOT_NULL(mem);
	a = mica_buddy_create(mem, AREA);
	MICA_REQUIRE_NOT_NULL(a);
	avail = mica_alloc_avail(a);
	for (size = 1; size <= 2016; size += 61) {
		for (i = 0; i < MICA_ARRAY_SIZE(p); i++) {
			p[i] = mica_alloc_malloc(a, size);
			MICA_REQUIRE_NOT_NULL(p[i]);
			MICA_EXPECT_TRUE(MICA_IS_ALIGNED((uintptr_t)p[i], 16));
			/* Never page aligned: how free tells it from a run. */
			MICA_EXPECT_FALSE(
				MICA_IS_ALIGNED((uintptr_t)p[i], PAGE));
			MICA_EXPECT_GE(mica_alloc_usable_size(a, p[i]), size);
			MICA_EXPECT_LE(mica_alloc_usable_size(a, p[i]),
				       size + size / 2 + 16);
			__builtin_memset(p[i], (int)i, size);
		}
		MICA_EXPECT_EQ(mica_buddy_check(a), 0);
		for (i = 0; i < MICA_ARRAY_SIZE(p); i++) {
			MICA_EXPECT_EQ(p[i][size - 1], i);
			MICA_EXPECT_EQ(p[i][0], i);
			mica_alloc_free(a, p[i]);
		}
		MICA_EXPECT_EQ(mica_buddy_check(a), 0);
		MICA_EXPECT_EQ(mica_alloc_avail(a), avail);
	}
	/*
	 * 64 16-byte objects share one page: avail drops by their bytes
	 * and the page's header and tail, not by 64 pages.
	 */
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++)
		p[i] = mica_alloc_malloc(a, 16);
	if (EXACT) {
		MICA_EXPECT_GE(avail - mica_alloc_avail(a), 64 * 16);
		MICA_EXPECT_LT(avail - mica_alloc_avail(a), 64 * 16 + 64);
	}
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++)
		mica_alloc_free(a, p[i]);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	put_mem(mem);
}

MICA_TEST(alloc_buddy, realloc_in_place)
{
	struct mica_alloc *a;
	void *mem;
	unsigned char *p, *q;
	size_t avail, i;

	if (!EXACT) {
		mica_test_log("LIB_ALLOC_DEBUG: realloc always moves, skipped");
		return;
	}
	mem = get_mem(AREA);
	MICA_REQUIRE_NOT_NULL(mem);
	a = mica_buddy_create(mem, AREA);
	MICA_REQUIRE_NOT_NULL(a);
	avail = mica_alloc_avail(a);
	p = mica_alloc_malloc(a, 64 << 10);
	MICA_REQUIRE_NOT_NULL(p);
	for (i = 0; i < (64 << 10); i++)
		p[i] = (unsigned char)i;
	/* A run shrinks in place and its tail pages go back. */
	q = mica_alloc_realloc(a, p, 10 << 10);
	MICA_EXPECT_EQ((uintptr_t)q, (uintptr_t)p);
	MICA_EXPECT_EQ(avail - mica_alloc_avail(a), 3 * PAGE);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	/* Growing moves, keeping the contents. */
	q = mica_alloc_realloc(a, p, 200 << 10);
	MICA_REQUIRE_NOT_NULL(q);
	for (i = 0; i < (10 << 10); i++) {
		if (q[i] != (unsigned char)i)
			break;
	}
	MICA_EXPECT_EQ(i, 10 << 10);
	/* To a small object and back. */
	p = mica_alloc_realloc(a, q, 100);
	MICA_REQUIRE_NOT_NULL(p);
	MICA_EXPECT_FALSE(MICA_IS_ALIGNED((uintptr_t)p, PAGE));
	MICA_EXPECT_EQ(p[99], 99);
	q = mica_alloc_realloc(a, p, 90);
	MICA_EXPECT_EQ((uintptr_t)q, (uintptr_t)p);
	mica_alloc_free(a, q);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	MICA_EXPECT_EQ(mica_alloc_avail(a), avail);
	put_mem(mem);
}

MICA_TEST(alloc_buddy, several_unaligned_areas)
{
	char *m1 = get_mem(SMALL), *m2 = get_mem(SMALL), *m3 = get_mem(SMALL);
	struct mica_alloc *a;
	size_t total, n = 0;
	void *p, *first = NULL;

	MICA_REQUIRE_TRUE(m1 && m2 && m3);
	/* Odd bases and lengths: only whole pages inside count. */
	a = mica_buddy_create(m1 + 123, SMALL - 200);
	MICA_REQUIRE_NOT_NULL(a);
	total = mica_alloc_total(a);
	MICA_EXPECT_EQ(a->ops->add_memory(a, m2 + 4095, SMALL - 4095), 0);
	MICA_EXPECT_EQ(a->ops->add_memory(a, m3 + 8192 + 16, 20 * PAGE), 0);
	/* Memory already given is refused. */
	MICA_EXPECT_NE(a->ops->add_memory(a, m2 + 8 * PAGE, 4 * PAGE), 0);
	MICA_EXPECT_NE(a->ops->add_memory(a, m1, 4 * PAGE), 0);
	MICA_EXPECT_GT(mica_alloc_total(a), total + SMALL - 3 * PAGE);
	total = mica_alloc_total(a);
	MICA_EXPECT_EQ(mica_alloc_avail(a), total);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	/* Every page of every area, chained through the pages. */
	while (mica_alloc_pages(a, 1, &p) == 0) {
		*(void **)p = first;
		first = p;
		n++;
	}
	MICA_EXPECT_EQ(n * PAGE, total);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	while (first) {
		p = *(void **)first;
		mica_alloc_free_pages(a, first, 1);
		first = p;
	}
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	MICA_EXPECT_EQ(mica_alloc_avail(a), total);
	/* Newest first: the region allocator only reclaims that way. */
	put_mem(m3);
	put_mem(m2);
	put_mem(m1);
}

/* Fill with a fixed sequence of sizes until out of memory. */
static size_t fill(struct mica_alloc *a, void **keep, size_t max)
{
	size_t n = 0;

	rnd_state = 7;
	while (n < max) {
		size_t size = 1 + rnd() % (rnd() % 4 ? 512 : 40000);

		keep[n] = mica_alloc_malloc(a, size);
		if (!keep[n])
			break;
		n++;
	}
	return n;
}

MICA_TEST(alloc_buddy, exhaustion_and_recovery)
{
	void *mem = get_mem(SMALL);
	static void *keep[4096];
	struct mica_alloc_stats st;
	struct mica_alloc *a;
	size_t n1, n2, i;

	MICA_REQUIRE_NOT_NULL(mem);
	a = mica_buddy_create(mem, SMALL);
	MICA_REQUIRE_NOT_NULL(a);
	n1 = fill(a, keep, MICA_ARRAY_SIZE(keep));
	MICA_EXPECT_LT(n1, MICA_ARRAY_SIZE(keep));
	MICA_EXPECT_GT(n1, 0);
	mica_alloc_get_stats(a, &st);
	MICA_EXPECT_EQ(st.nr_failed, 1);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	for (i = 0; i < n1; i++)
		mica_alloc_free(a, keep[n1 - 1 - i]);
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	n2 = fill(a, keep, MICA_ARRAY_SIZE(keep));
	MICA_EXPECT_EQ(n2, n1);
	for (i = 0; i < n2; i++)
		mica_alloc_free(a, keep[i]);
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	put_mem(mem);
}

MICA_TEST(alloc_buddy, random_operations_keep_it_consistent)
{
	void *mem = get_mem(AREA);
	static struct {
		unsigned char *p;
		size_t size;
		unsigned char pat;
	} slot[256];
	struct mica_alloc *a;
	size_t i, j, bad = 0;
	int rc = 0;

	MICA_REQUIRE_NOT_NULL(mem);
	a = mica_buddy_create(mem, AREA);
	MICA_REQUIRE_NOT_NULL(a);
	rnd_state = 1;
	for (i = 0; i < 20000 && !rc && !bad; i++) {
		size_t k = rnd() % MICA_ARRAY_SIZE(slot);
		size_t size = 1 + rnd() % (rnd() % 8 ? 300 : 70000);
		size_t align = (size_t)1 << (4 + rnd() % 14);

		if (slot[k].p) {
			for (j = 0; j < slot[k].size; j++)
				bad += slot[k].p[j] != slot[k].pat;
			mica_alloc_free(a, slot[k].p);
			slot[k].p = NULL;
			continue;
		}
		slot[k].p = rnd() % 4 ? mica_alloc_malloc(a, size)
				      : mica_alloc_memalign(a, align, size);
		if (!slot[k].p)
			continue;
		slot[k].size = size;
		slot[k].pat = (unsigned char)i;
		__builtin_memset(slot[k].p, slot[k].pat, size);
		if (i % 64 == 0)
			rc = mica_buddy_check(a);
	}
	MICA_EXPECT_EQ(rc, 0);
	MICA_EXPECT_EQ(bad, 0);
	for (i = 0; i < MICA_ARRAY_SIZE(slot); i++) {
		if (slot[i].p)
			mica_alloc_free(a, slot[i].p);
	}
	MICA_EXPECT_EQ(mica_buddy_check(a), 0);
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	put_mem(mem);
}
