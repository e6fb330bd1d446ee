/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator API, for implementations.
 *
 * An implementation fills a struct mica_alloc_ops, embeds a struct
 * mica_alloc in its own state and calls mica_alloc_register() once. The
 * API layer (lib/alloc) keeps the statistics, checks arguments (sizes
 * that overflow, bad alignments), supplies the optional operations an
 * implementation leaves NULL and, with LIB_ALLOC_DEBUG, guards every
 * block. So an implementation's ops only ever see:
 *   - sizes >= 1 and below MICA_ALLOC_MAX_SIZE,
 *   - alignments that are powers of two >= MICA_ALLOC_MIN_ALIGN,
 *   - pointers it returned itself (free, usable_size, realloc).
 */
#ifndef MICA_ALLOC_DRIVER_H
#define MICA_ALLOC_DRIVER_H

#include <mica/alloc.h>

/* Larger requests fail before reaching an implementation. */
#define MICA_ALLOC_MAX_SIZE (((size_t)-1) >> 2)

struct mica_alloc_ops {
	/* Mandatory. */
	void *(*malloc)(struct mica_alloc *a, size_t size);
	void *(*memalign)(struct mica_alloc *a, size_t align, size_t size);
	void (*free)(struct mica_alloc *a, void *p);
	size_t (*usable_size)(struct mica_alloc *a, const void *p);

	/* Optional: lib/alloc supplies a default for each. */
	/* Default: malloc, copy, free (after trying usable_size). */
	void *(*realloc)(struct mica_alloc *a, void *p, size_t size);
	/* Default: memalign(4096, npages * 4096) and free. */
	void *(*palloc)(struct mica_alloc *a, size_t npages);
	void (*pfree)(struct mica_alloc *a, void *p, size_t npages);
	/* Default: -ENOTSUP. Hands more memory to the allocator. */
	int (*add_memory)(struct mica_alloc *a, void *base, size_t len);
	/* Default: 0 (unknown). */
	size_t (*avail)(struct mica_alloc *a);
	size_t (*total)(struct mica_alloc *a);
};

/* lib/alloc's small-block cache (LIB_ALLOC_CACHE_DEPTH): see alloc.c. */
#define MICA_ALLOC_CACHE_CLASSES 16 /* 16, 32, ... 256 (+15) bytes */

struct mica_alloc_cache {
	void *head[MICA_ALLOC_CACHE_CLASSES];
	unsigned short count[MICA_ALLOC_CACHE_CLASSES];
};

struct mica_alloc {
	const struct mica_alloc_ops *ops;
	const char *name;
	struct mica_alloc_stats stats;
	struct mica_alloc_cache cache; /* owned by lib/alloc */
	/*
	 * Blocks per cache class; lib/alloc sets it from Kconfig at
	 * registration. An implementation whose free is what gives memory
	 * back (the region allocator) sets it to 0 after registering.
	 */
	unsigned int cache_depth;
};

/*
 * Check a's mandatory ops, fill in defaults for the optional ones (ops
 * must therefore be writable) and reset a's statistics. An allocator
 * needs no unregistering: it lives as long as its memory.
 * Returns 0 or -EINVAL (a mandatory op missing).
 */
int mica_alloc_register(struct mica_alloc *a, struct mica_alloc_ops *ops,
			const char *name);

/* Make a the allocator that mica_alloc_default() returns. */
void mica_alloc_set_default(struct mica_alloc *a);

/*
 * Hand memory to the allocator that was chosen as the default in
 * Kconfig (LIB_ALLOC_DEFAULT_*): its implementation library defines this.
 * Creates the allocator on [base, base + len) and returns it, or NULL if
 * the memory is too small. Called once by the heap setup.
 */
struct mica_alloc *mica_alloc_default_backend_create(void *base, size_t len);

#endif /* MICA_ALLOC_DRIVER_H */
