/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TLSF-specific checks, on private TLSF allocators (whatever the default
 * allocator is): exact fit of a whole area, immediate coalescing, realloc
 * in place, alignment up to 1 MiB, several areas, and the lists and
 * bitmaps staying consistent (mica_tlsf_check) under random operations.
 * The API contract on the default allocator is lib/alloc's test.
 */
#include <stdint.h>
#include <mica/alloc_driver.h>
#include <mica/alloc_tlsf.h>
#include <mica/test.h>

#define KIB 1024UL
#define MIB (1024UL * 1024UL)

/*
 * Memory for one case's private allocators, from the default one. A case
 * gives it back with test_mem_release() when done; one that stopped
 * early has it given back by the next case's test_mem().
 */
static void *test_arena;
static size_t test_arena_pages;

static void test_mem_release(void)
{
	if (test_arena)
		mica_alloc_free_pages(mica_alloc_default(), test_arena,
				      test_arena_pages);
	test_arena = NULL;
}

static void *test_mem(size_t len)
{
	struct mica_alloc *d = mica_alloc_default();
	size_t pages = len / MICA_ALLOC_PAGE_SIZE;

	test_mem_release();
	if (!d || mica_alloc_pages(d, pages, &test_arena) < 0)
		return test_arena = NULL;
	test_arena_pages = pages;
	return test_arena;
}

static struct mica_alloc *test_tlsf(size_t len)
{
	void *mem = test_mem(len);

	return mem ? mica_tlsf_create(mem, len) : NULL;
}

/*
 * The implementation's own operations, as lib/alloc calls them: through
 * the API, LIB_ALLOC_DEBUG would wrap every block in a guard and hide
 * the layout these tests look at. Sizes >= 1, alignments >= 16.
 */
static void *t_malloc(struct mica_alloc *a, size_t size)
{
	return a->ops->malloc(a, size);
}

static void *t_memalign(struct mica_alloc *a, size_t align, size_t size)
{
	return a->ops->memalign(a, align, size);
}

static void *t_realloc(struct mica_alloc *a, void *p, size_t size)
{
	return a->ops->realloc(a, p, size);
}

static void t_free(struct mica_alloc *a, void *p)
{
	a->ops->free(a, p);
}

static size_t t_usable_size(struct mica_alloc *a, const void *p)
{
	return a->ops->usable_size(a, p);
}

static void *t_pages(struct mica_alloc *a, size_t npages)
{
	return a->ops->palloc(a, npages);
}

static void t_free_pages(struct mica_alloc *a, void *p, size_t npages)
{
	a->ops->pfree(a, p, npages);
}

static uint64_t test_rng = 0x9e3779b97f4a7c15ULL;

static uint64_t test_rand(void)
{
	test_rng ^= test_rng << 13;
	test_rng ^= test_rng >> 7;
	test_rng ^= test_rng << 17;
	return test_rng;
}

MICA_TEST(alloc_tlsf, create_refuses_too_little_memory)
{
	static char small[2048];

	MICA_EXPECT_NULL(mica_tlsf_create(small, sizeof(small)));
	MICA_EXPECT_NULL(mica_tlsf_create(NULL, 1 * MIB));
}

MICA_TEST(alloc_tlsf, fresh_heap_is_one_block)
{
	struct mica_alloc *a = test_tlsf(256 * KIB);
	size_t total;
	void *p;

	MICA_REQUIRE_NOT_NULL(a);
	MICA_EXPECT_STREQ(mica_alloc_name(a), "tlsf");
	total = mica_alloc_total(a);
	/* The state (list heads) and area bookkeeping only. */
	MICA_EXPECT_GT(total, 256 * KIB - 12 * KIB);
	MICA_EXPECT_LT(total, 256 * KIB);
	MICA_EXPECT_EQ(mica_alloc_avail(a), total);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	/* Good fit alone would round this past the only block. */
	p = t_malloc(a, total);
	MICA_REQUIRE_NOT_NULL(p);
	MICA_EXPECT_EQ(mica_alloc_avail(a), 0);
	MICA_EXPECT_NULL(t_malloc(a, 1));
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	t_free(a, p);
	MICA_EXPECT_EQ(mica_alloc_avail(a), total);
	MICA_EXPECT_NULL(t_malloc(a, total + 1));
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	test_mem_release();
}

/* Whether the bytes [from, to) of p still all hold pattern. */
static int untouched(const unsigned char *p, size_t from, size_t to,
		     unsigned char pattern)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (p[i] != pattern)
			return 0;
	}
	return 1;
}

/*
 * Creating a heap and adding an area write only near their start: a
 * lazily backed guest must not pay a page fault at the far end of a heap
 * it may never reach (the area used to end with a sentinel block). Nor
 * do small blocks taken and given back from the start write at the end.
 */
MICA_TEST(alloc_tlsf, create_and_add_write_only_the_start)
{
	static const unsigned char pattern = 0xa5;
	unsigned char *mem = test_mem(256 * KIB);
	struct mica_alloc *a;
	void *p[8];
	unsigned int i;

	MICA_REQUIRE_NOT_NULL(mem);
	__builtin_memset(mem, pattern, 256 * KIB);
	/* The state (about 10 KiB) and the area's first 48 bytes. */
	a = mica_tlsf_create(mem, 128 * KIB);
	MICA_REQUIRE_NOT_NULL(a);
	MICA_EXPECT_TRUE(untouched(mem, 12 * KIB, 256 * KIB, pattern));
	/* Only the area header and its block header. */
	MICA_EXPECT_EQ(a->ops->add_memory(a, mem + 128 * KIB, 128 * KIB), 0);
	MICA_EXPECT_TRUE(untouched(mem, 128 * KIB + 64, 256 * KIB, pattern));
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	for (i = 0; i < MICA_ARRAY_SIZE(p); i++)
		p[i] = t_malloc(a, 100 * (i + 1));
	for (i = 0; i < MICA_ARRAY_SIZE(p); i += 2)
		t_free(a, p[i]);
	for (i = 1; i < MICA_ARRAY_SIZE(p); i += 2)
		t_free(a, p[i]);
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	/* The last page of each area is still as it was. */
	MICA_EXPECT_TRUE(untouched(mem, 124 * KIB, 128 * KIB, pattern));
	MICA_EXPECT_TRUE(untouched(mem, 252 * KIB, 256 * KIB, pattern));
	test_mem_release();
}

/* The walker the other cases rely on does see a broken boundary tag. */
MICA_TEST(alloc_tlsf, check_catches_corrupted_tags)
{
	struct mica_alloc *a = test_tlsf(256 * KIB);
	size_t *head;
	void *p, *q;

	MICA_REQUIRE_NOT_NULL(a);
	p = t_malloc(a, 100);
	q = t_malloc(a, 100);
	MICA_REQUIRE_NOT_NULL(q);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	/* The size word just before the payload (see tlsf.c). */
	head = (size_t *)q - 1;
	*head ^= 2; /* "my predecessor is free" */
	MICA_EXPECT_NE(mica_tlsf_check(a), 0);
	*head ^= 2 | 1; /* "I am free", but in no list */
	MICA_EXPECT_NE(mica_tlsf_check(a), 0);
	*head ^= 1;
	*head += 16; /* ends inside the next block */
	MICA_EXPECT_NE(mica_tlsf_check(a), 0);
	*head -= 16;
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	t_free(a, p);
	t_free(a, q);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	test_mem_release();
}

MICA_TEST(alloc_tlsf, small_overhead_and_alignment)
{
	struct mica_alloc *a = test_tlsf(256 * KIB);
	size_t size, usable;
	void *p;

	MICA_REQUIRE_NOT_NULL(a);
	for (size = 1; size < 5000; size += size / 8 + 1) {
		p = t_malloc(a, size);
		MICA_REQUIRE_NOT_NULL(p);
		usable = t_usable_size(a, p);
		MICA_EXPECT_EQ((uintptr_t)p % MICA_ALLOC_MIN_ALIGN, 0);
		MICA_EXPECT_GE(usable, size);
		/* One size word, 16-byte rounding, 32-byte minimum. */
		MICA_EXPECT_LE(usable, size < 24 ? 24 : size + 15);
		t_free(a, p);
	}
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	test_mem_release();
}

/* Free three neighbours in every order: always back to one block. */
MICA_TEST(alloc_tlsf, free_merges_with_both_neighbours)
{
	static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
					 {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	struct mica_alloc *a = test_tlsf(256 * KIB);
	size_t total, before;
	void *p[3];
	int o, i;

	MICA_REQUIRE_NOT_NULL(a);
	total = mica_alloc_total(a);
	for (o = 0; o < 6; o++) {
		for (i = 0; i < 3; i++)
			p[i] = t_malloc(a, 1000);
		MICA_REQUIRE_NOT_NULL(p[0]);
		MICA_REQUIRE_NOT_NULL(p[1]);
		MICA_REQUIRE_NOT_NULL(p[2]);
		/* A fresh heap is carved from its start, in order. */
		MICA_EXPECT_LT(p[0], p[1]);
		MICA_EXPECT_LT(p[1], p[2]);
		for (i = 0; i < 3; i++) {
			before = mica_alloc_avail(a);
			t_free(a, p[orders[o][i]]);
			MICA_EXPECT_GT(mica_alloc_avail(a), before);
			MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
		}
		MICA_EXPECT_EQ(mica_alloc_avail(a), total);
		/* Merged into one block: the whole area fits again. */
		p[0] = t_malloc(a, total);
		MICA_EXPECT_NOT_NULL(p[0]);
		t_free(a, p[0]);
	}
	test_mem_release();
}

MICA_TEST(alloc_tlsf, realloc_grows_and_shrinks_in_place)
{
	struct mica_alloc *a = test_tlsf(256 * KIB);
	unsigned char *p, *q, *guard, *next;
	size_t avail, i;

	MICA_REQUIRE_NOT_NULL(a);
	p = t_malloc(a, 100);
	next = t_malloc(a, 200);
	guard = t_malloc(a, 16);
	MICA_REQUIRE_NOT_NULL(guard);
	for (i = 0; i < 100; i++)
		p[i] = (unsigned char)i;
	t_free(a, next);
	/* Into the free successor. */
	q = t_realloc(a, p, 250);
	MICA_EXPECT_EQ(q, p);
	MICA_EXPECT_GE(t_usable_size(a, p), 250);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	/* The tail goes back, merged with what is left of the successor. */
	avail = mica_alloc_avail(a);
	q = t_realloc(a, p, 40);
	MICA_EXPECT_EQ(q, p);
	MICA_EXPECT_LT(t_usable_size(a, p), 64);
	MICA_EXPECT_GT(mica_alloc_avail(a), avail);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	/* Past the guard: it moves, the contents with it. */
	q = t_realloc(a, p, 10000);
	MICA_REQUIRE_NOT_NULL(q);
	MICA_EXPECT_NE(q, p);
	for (i = 0; i < 40; i++)
		MICA_EXPECT_EQ(q[i], i);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	t_free(a, q);
	t_free(a, guard);
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	test_mem_release();
}

MICA_TEST(alloc_tlsf, memalign_up_to_1mib)
{
	struct mica_alloc *a = test_tlsf(4 * MIB);
	void *p[16], *small;
	size_t align;
	int n = 0, i;

	MICA_REQUIRE_NOT_NULL(a);
	/* Something at the start so the area's payloads are unaligned. */
	small = t_malloc(a, 24);
	for (align = 32; align <= 1 * MIB; align <<= 1) {
		p[n] = t_memalign(a, align, align / 2 + 1);
		MICA_REQUIRE_NOT_NULL(p[n]);
		MICA_EXPECT_EQ((uintptr_t)p[n] % align, 0);
		MICA_EXPECT_GE(t_usable_size(a, p[n]), align / 2 + 1);
		MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
		n++;
	}
	for (i = 0; i < n; i++)
		t_free(a, p[i]);
	t_free(a, small);
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	test_mem_release();
}

/*
 * A freed page block fits the next page request as it is, even when no
 * other block could hold a page and its alignment gap.
 */
MICA_TEST(alloc_tlsf, pages_reuse_freed_page_blocks)
{
	static const size_t fillers[] = {16 * KIB, 1 * KIB, 64, 16};
	struct mica_alloc *a = test_tlsf(256 * KIB);
	void *pages[3], *again;
	unsigned int i;

	MICA_REQUIRE_NOT_NULL(a);
	for (i = 0; i < 3; i++) {
		pages[i] = t_pages(a, 1);
		MICA_REQUIRE_NOT_NULL(pages[i]);
	}
	/* Fill the rest; the blocks go with the arena at the end. */
	for (i = 0; i < MICA_ARRAY_SIZE(fillers); i++) {
		while (t_malloc(a, fillers[i]))
			;
	}
	MICA_EXPECT_NULL(t_pages(a, 1));
	t_free_pages(a, pages[1], 1);
	for (i = 0; i < 100; i++) {
		again = t_pages(a, 1);
		MICA_EXPECT_EQ(again, pages[1]);
		MICA_REQUIRE_NOT_NULL(again);
		t_free_pages(a, again, 1);
	}
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	test_mem_release();
}

/* Fill with 1 KiB blocks until full; returns how many fitted. */
static size_t fill(struct mica_alloc *a, void **slots, size_t max)
{
	size_t n = 0;

	while (n < max && (slots[n] = t_malloc(a, 1000)))
		n++;
	return n;
}

MICA_TEST(alloc_tlsf, several_areas_never_merge)
{
	static void *slots[512];
	unsigned char *mem = test_mem(256 * KIB);
	struct mica_alloc *a;
	size_t total, n, n2, i;
	void *big;

	MICA_REQUIRE_NOT_NULL(mem);
	/*
	 * Three areas, the last two touching: the last block of each is
	 * marked so and never merges with what follows.
	 */
	a = mica_tlsf_create(mem + 128 * KIB, 128 * KIB);
	MICA_REQUIRE_NOT_NULL(a);
	MICA_EXPECT_EQ(a->ops->add_memory(a, mem + 3, 64 * KIB - 3), 0);
	MICA_EXPECT_EQ(a->ops->add_memory(a, mem + 64 * KIB, 64 * KIB), 0);
	MICA_EXPECT_NE(a->ops->add_memory(a, mem, 40), 0);
	total = mica_alloc_total(a);
	MICA_EXPECT_GT(total, 256 * KIB - 12 * KIB);
	MICA_EXPECT_EQ(mica_alloc_avail(a), total);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	/* No block spans two areas. */
	MICA_EXPECT_NULL(t_malloc(a, 130 * KIB));
	big = t_malloc(a, 100 * KIB);
	MICA_EXPECT_NOT_NULL(big);
	t_free(a, big);

	n = fill(a, slots, MICA_ARRAY_SIZE(slots));
	MICA_EXPECT_LT(n, MICA_ARRAY_SIZE(slots));
	MICA_EXPECT_GT(n, 200);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	for (i = 0; i < n; i += 2)
		t_free(a, slots[i]);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	for (i = 1; i < n; i += 2)
		t_free(a, slots[i]);
	MICA_EXPECT_EQ(mica_alloc_avail(a), total);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	n2 = fill(a, slots, MICA_ARRAY_SIZE(slots));
	MICA_EXPECT_EQ(n2, n);
	for (i = 0; i < n2; i++)
		t_free(a, slots[n2 - 1 - i]);
	MICA_EXPECT_EQ(mica_alloc_avail(a), total);
	test_mem_release();
}

struct test_block {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

static int block_intact(const struct test_block *b)
{
	size_t i;

	for (i = 0; i < b->size; i += 1 + i / 4) {
		if (b->p[i] != b->tag)
			return 0;
	}
	return b->p[b->size - 1] == b->tag;
}

static size_t random_size(void)
{
	uint64_t r = test_rand();

	/* Mostly small, some up to 64 KiB, a few up to 256 KiB. */
	switch (r % 16) {
	case 0:
		return (r >> 8) % (256 * KIB) + 1;
	case 1:
	case 2:
		return (r >> 8) % (64 * KIB) + 1;
	default:
		return (r >> 8) % 512 + 1;
	}
}

MICA_TEST(alloc_tlsf, random_operations_keep_lists_and_bitmaps_consistent)
{
	static struct test_block blocks[256];
	struct mica_alloc *a = test_tlsf(2 * MIB);
	struct test_block *b;
	unsigned int op, i, bad = 0, failed_checks = 0;
	unsigned char *q;
	size_t size;
	uint64_t r;

	MICA_REQUIRE_NOT_NULL(a);
	for (op = 0; op < 20000; op++) {
		r = test_rand();
		b = &blocks[r % MICA_ARRAY_SIZE(blocks)];
		r >>= 16;
		if (b->p && !block_intact(b))
			bad++;
		if (b->p && r % 4 == 0) {
			size = random_size();
			q = t_realloc(a, b->p, size);
			if (q) {
				b->p = q;
				b->size = size;
				__builtin_memset(q, b->tag, size);
			}
		} else if (b->p) {
			t_free(a, b->p);
			b->p = NULL;
		} else {
			size = random_size();
			if (r % 4 == 0)
				b->p = t_memalign(a, 16UL << (r % 13), size);
			else
				b->p = t_malloc(a, size);
			if (b->p) {
				b->size = size;
				b->tag = (unsigned char)(r >> 8);
				__builtin_memset(b->p, b->tag, size);
			}
		}
		if (op % 64 == 0 && mica_tlsf_check(a) != 0)
			failed_checks++;
	}
	MICA_EXPECT_EQ(bad, 0);
	MICA_EXPECT_EQ(failed_checks, 0);
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	for (i = 0; i < MICA_ARRAY_SIZE(blocks); i++) {
		if (blocks[i].p)
			t_free(a, blocks[i].p);
		blocks[i].p = NULL;
	}
	MICA_EXPECT_EQ(mica_alloc_avail(a), mica_alloc_total(a));
	MICA_EXPECT_EQ(mica_tlsf_check(a), 0);
	test_mem_release();
}
