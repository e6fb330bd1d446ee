/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The buddy allocator: 4 KiB pages in power-of-two blocks, small objects
 * in slab pages on top. See lib/alloc-buddy/buddy.c.
 */
#ifndef MICA_ALLOC_BUDDY_H
#define MICA_ALLOC_BUDDY_H

#include <stddef.h>

struct mica_alloc;

/*
 * Create a buddy allocator on [base, base + len): its state (about
 * 3 KiB) lives at base, the 4 KiB-aligned pages after it are managed,
 * less a page map of 4 bytes per page at their end. Time: O(log(len)),
 * not O(pages). More areas can be added with the add_memory operation.
 * Returns NULL when len cannot hold the state, the map and one page.
 */
struct mica_alloc *mica_buddy_create(void *base, size_t len);

/*
 * Walk a buddy allocator's whole state, for tests: free lists well
 * formed, areas tiled exactly by free blocks, runs and slab pages, no
 * two free buddies of the same order, slab counts and the counters
 * right. O(blocks + free small objects). Returns 0 when consistent,
 * otherwise the (positive) source line of the first failed check in
 * lib/alloc-buddy/check.c; the allocator may then not be used again.
 * Returns a non-zero value too if a is not a buddy allocator.
 */
int mica_buddy_check(struct mica_alloc *a);

#endif /* MICA_ALLOC_BUDDY_H */
