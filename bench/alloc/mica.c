/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench/alloc, the Mica side: main() and the replay's glue on lib/alloc's
 * default allocator, plus the heap-initialisation timing.
 *
 *   -- replay PASSES          the trace and churn loops (replay.c)
 *   -- init IMPL MIB REPS     time IMPL's create over a MIB-MiB area
 *                             (IMPL "none": take the area, create nothing)
 *
 * init takes the area from the default heap with mica_alloc_pages (the
 * init images use the region allocator as the default: its page
 * allocation touches no page of the area), then times
 * mica_<impl>_create(area, len) with the TSC: that is the whole of
 * setting up an allocator over len bytes of free memory, and the first
 * call sees the area as boot does, never touched. The later repetitions
 * create the allocator again on the same, now warm, memory.
 *
 * Before that, the allocator is created once on a small scratch area of
 * its own, so the timed call does not also pay for QEMU translating the
 * create code the first time it runs (TCG only: under KVM, as on a real
 * host, code runs as it is). That warm-up is printed, not counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/alloc.h>
#ifdef CONFIG_LIB_ALLOC_TLSF
#include <mica/alloc_tlsf.h>
#endif
#ifdef CONFIG_LIB_ALLOC_BUDDY
#include <mica/alloc_buddy.h>
#endif
#ifdef CONFIG_LIB_ALLOC_REGION
#include <mica/alloc_region.h>
#endif
#include "replay.h"

const char *bench_impl_name(void)
{
	struct mica_alloc *a = mica_alloc_default();

	return a ? mica_alloc_name(a) : "none";
}

void bench_heap_sample(struct bench_heap *h)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats st;

	mica_alloc_get_stats(a, &st);
	h->total = mica_alloc_total(a);
	h->reserved = h->total - mica_alloc_avail(a);
	h->in_use = st.cur_bytes;
	h->known = h->total != 0; /* total 0: the allocator cannot tell */
}

size_t bench_usable_size(void *p)
{
	return malloc_usable_size(p);
}

typedef struct mica_alloc *(*create_fn)(void *base, size_t len);

static const struct {
	const char *name;
	create_fn create;
} impls[] = {
#ifdef CONFIG_LIB_ALLOC_TLSF
	{"tlsf", mica_tlsf_create},
#endif
#ifdef CONFIG_LIB_ALLOC_BUDDY
	{"buddy", mica_buddy_create},
#endif
#ifdef CONFIG_LIB_ALLOC_REGION
	{"region", mica_region_create},
#endif
};

#define WARMUP_PAGES 64

static int init_main(int argc, char **argv)
{
	struct mica_alloc *heap = mica_alloc_default(), *a;
	create_fn create = NULL;
	size_t mib, len, i;
	void *area;
	int reps, r;

	if (argc < 4) {
		printf("usage: init IMPL MIB REPS\n");
		return 2;
	}
	for (i = 0; i < MICA_ARRAY_SIZE(impls); i++) {
		if (!strcmp(impls[i].name, argv[1]))
			create = impls[i].create;
	}
	if (!create && strcmp(argv[1], "none")) {
		printf("init: impl=%s not available in this image\n", argv[1]);
		return 3;
	}
	mib = (size_t)atol(argv[2]);
	reps = atoi(argv[3]);
	len = mib << 20;
	if (!heap ||
	    mica_alloc_pages(heap, len / MICA_ALLOC_PAGE_SIZE, &area)) {
		printf("init: cannot take %zu MiB from the heap\n", mib);
		return 4;
	}
	if (!create) {
		/* The baseline of the pages-touched figure (run reads RSS). */
		printf("init: impl=none mib=%zu rep=0 cycles=0 total=0 avail=0 "
		       "base=%p\n",
		       mib, area);
		return 0;
	}
	{
		void *scratch;
		uint64_t t0, t1;

		if (mica_alloc_pages(heap, WARMUP_PAGES, &scratch)) {
			printf("init: cannot take the warm-up area\n");
			return 4;
		}
		t0 = bench_cycles();
		create(scratch, WARMUP_PAGES * MICA_ALLOC_PAGE_SIZE);
		t1 = bench_cycles();
		printf("init: warm-up impl=%s cycles=%llu (code not yet run)\n",
		       argv[1], (unsigned long long)(t1 - t0));
	}
	for (r = 0; r < reps; r++) {
		uint64_t t0, t1;

		t0 = bench_cycles();
		a = create(area, len);
		t1 = bench_cycles();
		if (!a) {
			printf("init: impl=%s create failed\n", argv[1]);
			return 5;
		}
		printf("init: impl=%s mib=%zu rep=%d cycles=%llu total=%zu "
		       "avail=%zu base=%p\n",
		       argv[1], mib, r, (unsigned long long)(t1 - t0),
		       mica_alloc_total(a), mica_alloc_avail(a), area);
	}
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc > 1 && !strcmp(argv[1], "replay"))
		return bench_replay_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "init"))
		return init_main(argc - 1, argv + 1);
	printf("usage: -- replay PASSES | -- init IMPL MIB REPS\n");
	return 2;
}
