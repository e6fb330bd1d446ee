/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by lib/alloc's in-image tests: patterns that detect overlapping
 * blocks, and a private allocator of the default kind for tests that
 * fill memory to the last byte (test_alloc.c owns it).
 */
#ifndef ALLOC_TEST_H
#define ALLOC_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <mica/alloc.h>

#define PAGE MICA_ALLOC_PAGE_SIZE
#define KiB  1024UL
#define MiB  (1024UL * 1024UL)

/* 2 MiB: thousands of blocks to fill, a fraction of kvm's 32 MiB guest. */
#define PRIV_PAGES 512

/*
 * A new allocator of the default kind on npages taken from the heap, or
 * NULL. Its memory is never given back: make few.
 */
struct mica_alloc *mica_alloc_test_priv_new(size_t npages);
/*
 * The shared PRIV_PAGES instance, made on first use. Every test leaves
 * it with no live block.
 */
struct mica_alloc *mica_alloc_test_priv(void);

static inline int aligned(const void *p, size_t align)
{
	return ((uintptr_t)p & (align - 1)) == 0;
}

static inline struct mica_alloc_stats stats_of(struct mica_alloc *a)
{
	struct mica_alloc_stats s;

	mica_alloc_get_stats(a, &s);
	return s;
}

/* Fill [p, p + n) with a pattern that depends on seed and offset. */
static inline void pattern_fill(void *p, size_t n, unsigned int seed)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

/* Offset of the first byte that differs from the pattern, or n. */
static inline size_t pattern_check(const void *p, size_t n, unsigned int seed)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		if (c[i] != (unsigned char)(seed * 131 + i * 7 + (i >> 8)))
			return i;
	}
	return n;
}

#endif /* ALLOC_TEST_H */
