/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A reference model of an allocator behind the lib/alloc API, shared by
 * the host model test (tests/host/alloc_model.c) and the libFuzzer
 * harness (tests/fuzz/fuzz_alloc.c). Every operation goes through the
 * API (so lib/alloc's checks and statistics are under test too) and its
 * answer is checked against what the model knows:
 *
 *   - a block lies inside one of the memory areas given to the
 *     allocator and overlaps no live block (a bitmap of 16-byte granules
 *     per area: blocks are 16-byte aligned, so a block's end rounded up
 *     to 16 never reaches the next block);
 *   - the alignment asked for is honoured; usable_size >= the size asked
 *     for and does not change while the block lives;
 *   - contents: each block is filled over its whole usable size with a
 *     pattern derived from a unique id, checked when it is freed and
 *     across realloc (up to the smaller of the old usable size and the
 *     new size asked for); calloc's bytes are zero;
 *   - statistics: the model keeps its own mica_alloc_stats, following
 *     lib/alloc's rules, and ac_check_stats() compares them exactly;
 *   - requests that cannot succeed (bad alignment, overflow) fail, and
 *     every failure is counted.
 *
 * Any mismatch prints what went wrong and aborts: the host test reports
 * it as a failure, libFuzzer as a crash with the input that caused it.
 */
#ifndef ALLOC_CHECK_H
#define ALLOC_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <mica/alloc_driver.h>

#define AC_MAX_AREAS 4

struct ac_block {
	void *p;
	size_t req;    /* size asked for */
	size_t usable; /* usable_size when allocated; pages: npages * 4 KiB */
	size_t npages; /* 0 for the malloc family */
	uint64_t id;   /* seeds the content pattern */
};

struct ac_area {
	uintptr_t start, end;
	uint64_t *map; /* one bit per 16-byte granule: in a live block */
};

struct ac_model {
	struct mica_alloc *a;
	struct ac_area area[AC_MAX_AREAS];
	unsigned int nr_areas;
	struct ac_block *blk; /* live blocks, in no order */
	size_t nr, cap;
	struct mica_alloc_stats st; /* what lib/alloc must report */
	uint64_t next_id;
	unsigned long ops; /* operations so far, for messages */
	const char *ctx;   /* says which run failed ("seed 3") */
	/*
	 * The allocator's own consistency walk, if any (0 when sound): run
	 * by every self_check_every-th ac_check_stats() (the next one after
	 * nr_checks is set to 0).
	 */
	int (*self_check)(struct mica_alloc *a);
	unsigned int self_check_every, nr_checks;
	/*
	 * lib/alloc built with LIB_ALLOC_DEBUG: realloc always allocates
	 * the new block before freeing the old, so the peak counts both.
	 */
	int realloc_moves;
};

/* Memory for an allocator, with poisoned guard zones on both sides. */
struct ac_arena {
	void *raw;
	size_t raw_len;
	void *base; /* what the allocator gets */
	size_t len;
};

/*
 * len bytes at 4 KiB + skew (skew a multiple of 8, so ASan can poison
 * exactly up to it), filled with garbage: an allocator must not rely on
 * zeroed memory, nor touch a byte outside what it was given.
 */
void ac_arena_new(struct ac_arena *ar, size_t len, size_t skew);
void ac_arena_delete(struct ac_arena *ar);

void ac_init(struct ac_model *m, struct mica_alloc *a, const char *ctx);
/* Forget every block (they must have been freed) and the areas. */
void ac_fini(struct ac_model *m);
/* Blocks may come from [base, base + len). */
void ac_add_area(struct ac_model *m, void *base, size_t len);

void ac_fail(struct ac_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/*
 * The operations. Those that allocate return the index of the new block
 * in m->blk, or -1 when the allocator said no (then a failure has been
 * counted). Indices change when blocks are freed.
 */
long ac_malloc(struct ac_model *m, size_t size);
long ac_calloc(struct ac_model *m, size_t nmemb, size_t size);
long ac_memalign(struct ac_model *m, size_t align, size_t size);
long ac_posix_memalign(struct ac_model *m, size_t align, size_t size);
/* idx -1 is realloc(NULL, size). Returns the block's index, or -1. */
long ac_realloc(struct ac_model *m, long idx, size_t size);
long ac_pages(struct ac_model *m, size_t npages);
/* free or free_pages, whichever the block came from. */
void ac_free(struct ac_model *m, size_t idx);

/* Check one block's contents and usable size, or every block's. */
void ac_verify(struct ac_model *m, size_t idx);
void ac_verify_all(struct ac_model *m);
/*
 * Compare lib/alloc's statistics with the model's; check avail and total
 * against what is in use, and run the allocator's self_check.
 */
void ac_check_stats(struct ac_model *m);

#endif /* ALLOC_CHECK_H */
