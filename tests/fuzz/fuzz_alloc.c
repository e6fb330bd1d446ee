/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for an allocator behind the lib/alloc API, chosen at
 * compile time as for tests/host/alloc_model.c (-DALLOC_CREATE=...,
 * -DALLOC_HEADER=..., optionally -DALLOC_SELF_CHECK=...).
 *
 * Each input is a program: a sequence of operations (malloc, calloc,
 * realloc, memalign, posix_memalign, pages, free, requests that must
 * fail, free everything) with their sizes, alignments and block choices
 * read from the following bytes, run on a fresh allocator over a 1 MiB
 * arena plus a 256 KiB area given with add_memory, both filled with
 * garbage first. The arena is small so that running out of memory is
 * common. Every answer goes through the reference model of
 * tests/host/alloc_check.c (bounds, overlap, alignment, contents,
 * statistics), which aborts on a mismatch. At the end of the input all
 * blocks are checked and freed, and the empty heap must be as good as
 * new: statistics at zero, avail as after creation, and the largest
 * malloc that worked on the fresh heap working again.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../host/alloc_check.h"

#if !defined(ALLOC_CREATE) || !defined(ALLOC_HEADER)
#error "-DALLOC_CREATE=mica_<x>_create '-DALLOC_HEADER=<mica/alloc_<x>.h>'"
#endif
#include ALLOC_HEADER

#define ARENA_LEN  (1UL << 20)
#define AREA2_LEN  ((256UL << 10) - 16)
#define AREA2_SKEW 8
#define MAX_OPS	   4096

struct input {
	const uint8_t *p;
	size_t n;
};

/* Past the end of the input, every byte reads as 0. */
static unsigned int byte(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static unsigned int word(struct input *in)
{
	unsigned int lo = byte(in);

	return lo | byte(in) << 8;
}

/* The top two bits of the first byte pick the range. */
static size_t size_of(struct input *in)
{
	unsigned int k = byte(in);
	size_t v = word(in) | (size_t)(k & 0x3f) << 16;

	switch (k >> 6) {
	case 0:
		return v % 65; /* tiny, including 0 */
	case 1:
		return v % 2048;
	case 2:
		return v % (64UL << 10);
	default:
		return v * 4; /* up to 16 MiB: mostly too large */
	}
}

/* Mostly powers of two up to 1 MiB; with the top bit, anything. */
static size_t align_of(struct input *in)
{
	unsigned int k = byte(in);

	if (k & 0x80)
		return k & 0x7f;
	return (size_t)1 << (k % 21);
}

static size_t pick(struct input *in, struct ac_model *m)
{
	return word(in) % m->nr;
}

static void bad_request(struct input *in, struct ac_model *m)
{
	switch (byte(in) % 6) {
	case 0:
		ac_malloc(m, MICA_ALLOC_MAX_SIZE + 1 + byte(in));
		break;
	case 1:
		ac_calloc(m, (size_t)-1 / 3 + byte(in), 4);
		break;
	case 2:
		ac_memalign(m, 16 * 3 + 16 * byte(in), 64);
		break;
	case 3:
		ac_posix_memalign(m, byte(in) % 8, 64);
		break;
	case 4:
		ac_pages(m, 0);
		break;
	default:
		ac_pages(m, ((size_t)-1 >> 12) - byte(in));
		break;
	}
}

struct fuzz_heap {
	struct ac_arena arena, area2;
	size_t avail0, largest;
	int ready;
};

static struct fuzz_heap heap;

static struct mica_alloc *fresh_allocator(struct ac_model *m)
{
	struct mica_alloc *a;
	int rc;

	if (!heap.ready) {
		ac_arena_new(&heap.arena, ARENA_LEN, 0);
		ac_arena_new(&heap.area2, AREA2_LEN, AREA2_SKEW);
	}
	memset(heap.arena.base, 0xa5, heap.arena.len);
	memset(heap.area2.base, 0x5a, heap.area2.len);
	a = ALLOC_CREATE(heap.arena.base, heap.arena.len);
	ac_init(m, a, "fuzz");
	if (!a)
		ac_fail(m, "create failed");
#ifdef ALLOC_SELF_CHECK
	m->self_check = ALLOC_SELF_CHECK;
#endif
	ac_add_area(m, heap.arena.base, heap.arena.len);
	rc = a->ops->add_memory(a, heap.area2.base, heap.area2.len);
	if (rc == 0)
		ac_add_area(m, heap.area2.base, heap.area2.len);
	else if (rc != -95) /* ENOTSUP */
		ac_fail(m, "add_memory: %d", rc);
	if (!heap.ready) {
		/* The fresh heap is the same every time: measure it once. */
		size_t lo = 0, hi = (ARENA_LEN + AREA2_LEN) / 4096 + 1;

		heap.avail0 = mica_alloc_avail(a);
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			long i = ac_malloc(m, mid * 4096);

			if (i >= 0) {
				ac_free(m, (size_t)i);
				lo = mid;
			} else {
				hi = mid;
			}
		}
		heap.largest = lo * 4096;
		heap.ready = 1;
	}
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct ac_model m;
	unsigned int n;
	long i;

	fresh_allocator(&m);
	for (n = 0; in.n && n < MAX_OPS; n++) {
		unsigned int op = byte(&in) % 12;

		if (!m.nr && (op == 2 || op == 6 || op == 7 || op == 9))
			op = 0; /* needs a block: allocate one instead */
		switch (op) {
		case 0:
			ac_malloc(&m, size_of(&in));
			break;
		case 1: {
			size_t nmemb = byte(&in);

			ac_calloc(&m, nmemb, size_of(&in));
			break;
		}
		case 2: {
			size_t idx = pick(&in, &m);

			if (m.blk[idx].npages)
				ac_free(&m, idx);
			else
				ac_realloc(&m, (long)idx, size_of(&in));
			break;
		}
		case 3: {
			size_t align = align_of(&in);

			ac_memalign(&m, align, size_of(&in));
			break;
		}
		case 4: {
			size_t align = align_of(&in);

			ac_posix_memalign(&m, align, size_of(&in));
			break;
		}
		case 5:
			ac_pages(&m, byte(&in) % 80);
			break;
		case 6:
		case 7:
			ac_free(&m, pick(&in, &m));
			break;
		case 8:
			ac_realloc(&m, -1, size_of(&in));
			break;
		case 9:
			ac_verify(&m, pick(&in, &m));
			break;
		case 10:
			bad_request(&in, &m);
			break;
		default:
			while (m.nr)
				ac_free(&m, m.nr - 1 - word(&in) % m.nr);
			break;
		}
		if (n % 16 == 0)
			ac_check_stats(&m);
	}

	ac_verify_all(&m);
	ac_check_stats(&m);
	while (m.nr)
		ac_free(&m, m.nr - 1);
	ac_check_stats(&m);
	if (mica_alloc_avail(m.a) != heap.avail0)
		ac_fail(&m, "empty heap: avail %zu, %zu when fresh",
			mica_alloc_avail(m.a), heap.avail0);
	i = ac_malloc(&m, heap.largest);
	if (i < 0)
		ac_fail(&m, "empty heap: malloc(%zu) failed, worked when fresh",
			heap.largest);
	ac_free(&m, (size_t)i);
	ac_fini(&m);
	return 0;
}
