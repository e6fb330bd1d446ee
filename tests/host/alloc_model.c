/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomized model test of one allocator behind the lib/alloc API,
 * chosen at compile time:
 *
 *	-DALLOC_CREATE=mica_tlsf_create '-DALLOC_HEADER=<mica/alloc_tlsf.h>'
 *	'-DALLOC_NAME="tlsf"'
 *
 * The allocator gets a 64 MiB page-aligned arena, plus a 16 MiB area
 * through add_memory (deliberately 8 bytes off 16-byte alignment at both
 * ends) when it supports that. Then, per seed:
 *
 *  1. each operation once, with the statistics checked after each; the
 *     largest malloc that succeeds is found (binary search);
 *  2. the heap is filled with a fixed sequence of sizes until it refuses
 *     16 times in a row, emptied in random order and filled again: the
 *     same number of blocks and bytes must fit;
 *  3. on a new allocator over the same memory (fresh statistics, so the
 *     peak is the mix's own), a random mix of malloc, calloc, realloc
 *     (grow, shrink, to 0, from NULL), memalign (16 B..1 MiB),
 *     posix_memalign, pages and free, and requests that must fail, in
 *     phases that grow and shrink the heap; some phases end by freeing
 *     everything (and checking as in 4);
 *  4. after freeing everything: statistics at zero, avail back to its
 *     first value, the largest malloc of step 1 succeeds and step 2's
 *     fill gives the same count.
 *
 * Every answer is checked by the reference model in alloc_check.c
 * (bounds, overlap, alignment, contents, statistics).
 *
 * The region allocator only reuses memory when its most recent block or
 * its last live block is freed, so while blocks live its heap runs out
 * early and most of its refusals are genuine: the model never demands
 * that an allocation succeed in the middle of a run, only on an empty
 * heap (steps 2 and 4), which region passes because it resets when the
 * last block goes. Nothing else is different for it.
 *
 *	alloc_model_<x> [-s SEED] [-n OPS]
 *
 * runs one seed (for longer runs or to replay one), else the fixed seeds.
 * With -DCONFIG_LIB_ALLOC_DEBUG (and lib/alloc/debug.c), every block
 * goes through lib/alloc's guard layer instead. With
 * -DALLOC_SELF_CHECK=mica_<x>_check, the allocator's own invariant
 * walk also runs at every 16th statistics check and on every empty heap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "alloc_check.h"

#if !defined(ALLOC_CREATE) || !defined(ALLOC_HEADER)
#error "-DALLOC_CREATE=mica_<x>_create '-DALLOC_HEADER=<mica/alloc_<x>.h>'"
#endif
#include ALLOC_HEADER
#ifndef ALLOC_NAME
#error "'-DALLOC_NAME=\"<x>\"' is needed"
#endif

#define ARENA_LEN	 (64UL << 20)
#define AREA2_LEN	 ((16UL << 20) - 16)
#define AREA2_SKEW	 8 /* start and end 8 bytes off 16-byte alignment */
#define STATS_EVERY	 1024
#define SELF_CHECK_EVERY 16 /* statistics checks: linear in blocks */
#define CHECK_EVERY	 65536
#define DEFAULT_OPS	 400000UL

static const unsigned long long seeds[] = {1, 2, 0x5eed, 0xdecafbad, 77};

struct rng {
	unsigned long long s;
};

static unsigned long long rnd(struct rng *r)
{
	/* splitmix64 */
	unsigned long long z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t below(struct rng *r, size_t n)
{
	return (size_t)(rnd(r) % n);
}

/* Mostly tiny and small, some up to 64 KiB, now and then MiBs. */
static size_t draw_size(struct rng *r)
{
	unsigned int k = (unsigned int)below(r, 10000);
	size_t base;

	if (k < 50)
		return 0;
	if (k < 4500)
		return 1 + below(r, 64);
	if (k < 7500)
		return 65 + below(r, 960);
	if (k < 9500) {
		base = 1024UL << below(r, 6); /* log-uniform 1..64 KiB */
		return base + below(r, base);
	}
	if (k < 9990)
		return (64UL << 10) + below(r, 192UL << 10);
	return (256UL << 10) + below(r, 4UL << 20);
}

enum op {
	OP_MALLOC,
	OP_CALLOC,
	OP_REALLOC,
	OP_MEMALIGN,
	OP_POSIX_MEMALIGN,
	OP_PAGES,
	OP_FREE,
	OP_BAD,
	OP_CHECK,
	NR_OPS
};

static const char *const op_names[NR_OPS] = {
	"malloc", "calloc", "realloc", "memalign", "posix_memalign",
	"pages",  "free",   "bad",     "check",
};

struct run {
	struct ac_model m;
	struct rng r;
	struct ac_arena arena, area2;
	size_t avail0;	/* on the empty heap */
	size_t largest; /* the largest malloc on the empty heap */
	size_t fill_blocks, fill_bytes;
	unsigned long count[NR_OPS], refused, drains;
	size_t peak_live, peak_mix;
	const char *name; /* a string constant of the allocator's */
};

static void free_all(struct run *t)
{
	while (t->m.nr)
		ac_free(&t->m, below(&t->r, t->m.nr));
}

static size_t find_largest(struct run *t)
{
	size_t lo = 0, hi = mica_alloc_total(t->m.a);
	long i;

	if (!hi)
		hi = ARENA_LEN + AREA2_LEN;
	/* In 4 KiB steps: sizes that succeed form a prefix. */
	lo /= MICA_ALLOC_PAGE_SIZE;
	hi = hi / MICA_ALLOC_PAGE_SIZE + 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		i = ac_malloc(&t->m, mid * MICA_ALLOC_PAGE_SIZE);
		if (i >= 0) {
			ac_free(&t->m, (size_t)i);
			lo = mid;
		} else {
			hi = mid;
		}
	}
	if (!lo)
		ac_fail(&t->m, "not even 4 KiB can be allocated");
	return lo * MICA_ALLOC_PAGE_SIZE;
}

/*
 * Fill the heap with the same sequence of sizes every time, until 16
 * requests in a row fail; check everything; free it all in random order.
 */
static void fill_heap(struct run *t, size_t *blocks, size_t *bytes)
{
	struct rng sizes = {0x0f111};
	int misses = 0;

	*blocks = *bytes = 0;
	while (misses < 16) {
		long i = ac_malloc(&t->m, draw_size(&sizes));

		if (i < 0) {
			misses++;
			continue;
		}
		misses = 0;
		(*blocks)++;
		*bytes += t->m.blk[i].usable;
	}
	ac_check_stats(&t->m);
	ac_verify_all(&t->m);
	free_all(t);
}

/* The heap is empty: it must be as good as new. */
static void check_empty(struct run *t)
{
	size_t avail = mica_alloc_avail(t->m.a);
	long i;

	t->m.nr_checks = 0; /* run the self check now */
	ac_check_stats(&t->m);
	if (t->m.st.cur_bytes || t->m.st.live_allocs)
		ac_fail(&t->m, "model: heap not empty");
	if (avail != t->avail0)
		ac_fail(&t->m, "empty heap: avail %zu, was %zu at the start",
			avail, t->avail0);
	i = ac_malloc(&t->m, t->largest);
	if (i < 0)
		ac_fail(&t->m, "empty heap: malloc(%zu) failed, worked first",
			t->largest);
	ac_free(&t->m, (size_t)i);
}

static size_t draw_align(struct rng *r)
{
	return (size_t)1 << below(r, 21); /* 1 B .. 1 MiB */
}

/* Requests that must fail, and fail cleanly. */
#define NR_BAD 12
static void bad_request(struct run *t, unsigned int kind)
{
	struct ac_model *m = &t->m;
	size_t huge = MICA_ALLOC_MAX_SIZE;

	switch (kind) {
	case 0:
		ac_malloc(m, huge + 1);
		break;
	case 1:
		ac_malloc(m, (size_t)-1);
		break;
	case 2:
		ac_malloc(m, (size_t)1 << 40); /* valid, but no such memory */
		break;
	case 3:
		ac_calloc(m, (size_t)1 << 33, (size_t)1 << 33);
		break;
	case 4:
		ac_calloc(m, (size_t)-1 / 3, 4);
		break;
	case 5:
		ac_memalign(m, 16 * (3 + 2 * below(&t->r, 8)), 64);
		break;
	case 6:
		ac_memalign(m, 0, 64);
		break;
	case 7:
		ac_posix_memalign(m, 1UL << below(&t->r, 3), 64); /* < 8 */
		break;
	case 8:
		ac_posix_memalign(m, 24, 64);
		break;
	case 9:
		ac_pages(m, 0);
		break;
	case 10:
		ac_pages(m, (size_t)-1 / MICA_ALLOC_PAGE_SIZE);
		break;
	default:
		ac_pages(m, (size_t)1 << 20); /* 4 GiB: valid, too much */
		break;
	}
}

static long must(struct run *t, long i, const char *what)
{
	if (i < 0)
		ac_fail(&t->m, "%s failed on a new heap", what);
	ac_check_stats(&t->m);
	return i;
}

/*
 * Each operation once on the new heap, where each must succeed, with
 * the statistics checked after each: the peak still moves here, so its
 * bookkeeping in every path (realloc's too) is tested.
 */
static void basics(struct run *t)
{
	struct ac_model *m = &t->m;
	long i;

	i = must(t, ac_malloc(m, 100), "malloc");
	i = must(t, ac_realloc(m, i, 1000), "realloc grow");
	i = must(t, ac_realloc(m, i, 100000), "realloc grow");
	i = must(t, ac_realloc(m, i, 3 << 20), "realloc grow");
	must(t, ac_calloc(m, 1000, 1000), "calloc");
	must(t, ac_memalign(m, 1 << 20, 5000), "memalign");
	must(t, ac_posix_memalign(m, 256, 30), "posix_memalign");
	must(t, ac_pages(m, 3), "pages");
	must(t, ac_realloc(m, -1, 10), "realloc(NULL)");
	must(t, ac_malloc(m, 0), "malloc(0)");
	must(t, ac_calloc(m, 0, 8), "calloc(0)");
	i = must(t, ac_realloc(m, i, 200), "realloc shrink");
	for (unsigned int k = 0; k < NR_BAD; k++) {
		bad_request(t, k);
		ac_check_stats(m);
	}
	ac_realloc(m, i, 0);
	ac_check_stats(m);
	free_all(t);
	ac_check_stats(m);
}

static void alloc_op(struct run *t)
{
	struct ac_model *m = &t->m;
	unsigned int k = (unsigned int)below(&t->r, 100);
	long i;

	if (k < 45) {
		t->count[OP_MALLOC]++;
		i = ac_malloc(m, draw_size(&t->r));
	} else if (k < 55) {
		size_t n = 1 + below(&t->r, 16);

		t->count[OP_CALLOC]++;
		i = ac_calloc(m, n, draw_size(&t->r) / n);
	} else if (k < 60) {
		t->count[OP_REALLOC]++;
		i = ac_realloc(m, -1, draw_size(&t->r));
	} else if (k < 75) {
		t->count[OP_MEMALIGN]++;
		i = ac_memalign(m, draw_align(&t->r), draw_size(&t->r));
	} else if (k < 83) {
		t->count[OP_POSIX_MEMALIGN]++;
		i = ac_posix_memalign(m, draw_align(&t->r), draw_size(&t->r));
	} else if (k < 98) {
		t->count[OP_PAGES]++;
		i = ac_pages(m, below(&t->r, 8) ? 1 + below(&t->r, 4)
						: 1 + below(&t->r, 256));
	} else {
		t->count[OP_BAD]++;
		bad_request(t, (unsigned int)below(&t->r, NR_BAD));
		return;
	}
	if (i < 0)
		t->refused++;
}

static void block_op(struct run *t)
{
	struct ac_model *m = &t->m;
	size_t idx = below(&t->r, m->nr);
	unsigned int k = (unsigned int)below(&t->r, 100);
	size_t old = m->blk[idx].req, size;

	if (k < 10) {
		t->count[OP_CHECK]++;
		ac_verify(m, idx);
		return;
	}
	if (k < 65 || m->blk[idx].npages) {
		t->count[OP_FREE]++;
		ac_free(m, idx);
		return;
	}
	t->count[OP_REALLOC]++;
	k = (unsigned int)below(&t->r, 100);
	if (k < 35) /* grow */
		size = old + 1 + below(&t->r, old < 64 ? 64 : 2 * old);
	else if (k < 70) /* shrink */
		size = old > 1 ? 1 + below(&t->r, old - 1) : 1;
	else if (k < 80) /* to nothing: frees */
		size = 0;
	else if (k < 88) /* the same */
		size = old ? old : 1;
	else if (k < 98)
		size = draw_size(&t->r) + 1;
	else
		size = MICA_ALLOC_MAX_SIZE + 1 + below(&t->r, 64);
	if (ac_realloc(m, (long)idx, size) < 0 && size)
		t->refused++;
}

/* A new allocator on the arena (garbage again), with zero statistics. */
static void create(struct run *t, const char *ctx)
{
	struct mica_alloc *a;
	int rc;

	memset(t->arena.base, 0xa5, t->arena.len);
	memset(t->area2.base, 0x5a, t->area2.len);
	a = ALLOC_CREATE(t->arena.base, t->arena.len);
	ac_init(&t->m, a, ctx);
	if (!a)
		ac_fail(&t->m, "create failed on %zu bytes", t->arena.len);
	t->name = mica_alloc_name(a);
	if (strcmp(t->name, ALLOC_NAME))
		ac_fail(&t->m, "name \"%s\"", t->name);
#ifdef CONFIG_LIB_ALLOC_DEBUG
	t->m.realloc_moves = 1;
#endif
#ifdef ALLOC_SELF_CHECK
	t->m.self_check = ALLOC_SELF_CHECK;
	t->m.self_check_every = SELF_CHECK_EVERY;
#endif
	ac_add_area(&t->m, t->arena.base, t->arena.len);
	rc = a->ops->add_memory(a, t->area2.base, t->area2.len);
	if (rc == 0)
		ac_add_area(&t->m, t->area2.base, t->area2.len);
	else if (rc != -95) /* ENOTSUP */
		ac_fail(&t->m, "add_memory: %d", rc);
	ac_check_stats(&t->m);
}

static void check_fill(struct run *t, const char *when)
{
	size_t blocks, bytes;

	fill_heap(t, &blocks, &bytes);
	if (blocks != t->fill_blocks || bytes != t->fill_bytes)
		ac_fail(&t->m,
			"%s fill: %zu blocks, %zu bytes; on the new heap "
			"%zu, %zu",
			when, blocks, bytes, t->fill_blocks, t->fill_bytes);
}

static void run_seed(unsigned long long seed, unsigned long nops, struct run *t)
{
	unsigned long left = 1, op;
	int grow = 1;
	char ctx[64];

	snprintf(ctx, sizeof(ctx), "seed %llu", seed);
	memset(t, 0, sizeof(*t));
	t->r.s = seed;
	ac_arena_new(&t->arena, ARENA_LEN, 0);
	ac_arena_new(&t->area2, AREA2_LEN, AREA2_SKEW);

	/* Measure the new heap, then test it on a second instance. */
	create(t, ctx);
	t->avail0 = mica_alloc_avail(t->m.a);
	basics(t);
	t->largest = find_largest(t);
	fill_heap(t, &t->fill_blocks, &t->fill_bytes);
	check_fill(t, "second");
	check_empty(t);
	ac_fini(&t->m);

	/*
	 * On a new instance, so that the peak in the statistics is the
	 * random mix's own and lib/alloc's bookkeeping of it is tested.
	 */
	create(t, ctx);
	if (mica_alloc_avail(t->m.a) != t->avail0)
		ac_fail(&t->m, "avail %zu on a new heap, %zu before",
			mica_alloc_avail(t->m.a), t->avail0);
	for (op = 0; op < nops; op++) {
		if (--left == 0) {
			/* Phases of growth and shrinkage; a few drain. */
			if (!grow && below(&t->r, 4) == 0) {
				free_all(t);
				check_empty(t);
				t->drains++;
			}
			grow = !grow;
			left = 1 + below(&t->r, 20000);
		}
		if (!t->m.nr || below(&t->r, 100) < (grow ? 60u : 40u))
			alloc_op(t);
		else
			block_op(t);
		if (t->m.nr > t->peak_live)
			t->peak_live = t->m.nr;
		if (op % STATS_EVERY == 0)
			ac_check_stats(&t->m);
		if (op % CHECK_EVERY == 0)
			ac_verify_all(&t->m);
	}

	ac_verify_all(&t->m);
	ac_check_stats(&t->m);
	t->peak_mix = t->m.st.peak_bytes;
	free_all(t);
	check_empty(t);
	check_fill(t, "last");
	ac_check_stats(&t->m);
	ac_fini(&t->m);
	ac_arena_delete(&t->arena);
	ac_arena_delete(&t->area2);
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-s SEED] [-n OPS]\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long nops = DEFAULT_OPS, total[NR_OPS] = {0};
	unsigned long refused = 0, drains = 0, failed = 0;
	unsigned long long one_seed = 0;
	int have_seed = 0, nseeds;
	size_t peak = 0, peak_live = 0;
	struct timespec t0, t1;
	static struct run t;
	char *end = "";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			one_seed = strtoull(argv[++i], &end, 0);
			have_seed = 1;
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			nops = strtoul(argv[++i], &end, 0);
		} else {
			usage(argv[0]);
		}
		if (*end)
			usage(argv[0]);
	}
	nseeds = have_seed ? 1 : (int)(sizeof(seeds) / sizeof(seeds[0]));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int s = 0; s < nseeds; s++) {
		run_seed(have_seed ? one_seed : seeds[s], nops, &t);
		for (int k = 0; k < NR_OPS; k++)
			total[k] += t.count[k];
		refused += t.refused;
		drains += t.drains;
		failed += t.m.st.nr_failed;
		if (t.peak_mix > peak)
			peak = t.peak_mix;
		if (t.peak_live > peak_live)
			peak_live = t.peak_live;
		printf("seed %llu: %lu ops, largest %zu, fill %zu blocks "
		       "(%zu bytes), %lu refused, ok\n",
		       have_seed ? one_seed : seeds[s], nops, t.largest,
		       t.fill_blocks, t.fill_bytes, t.refused);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (int k = 0; k < NR_OPS; k++)
		printf("%s%s %lu", k ? ", " : "", op_names[k], total[k]);
	printf("\n");
	printf("alloc_model %s%s: %d seeds x %lu ops ok; %lu refused in the "
	       "mix, %lu failures counted, %lu drains, peak %zu bytes in "
	       "%zu blocks; %.1f s\n",
	       t.name, t.m.realloc_moves ? " (LIB_ALLOC_DEBUG)" : "", nseeds,
	       nops, refused, failed, drains, peak, peak_live,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
