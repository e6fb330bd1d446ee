/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The TLSF allocator (Two-Level Segregated Fit, Masmano et al., ECRTS
 * 2004); see lib/alloc-tlsf/tlsf.c. malloc and free take constant time,
 * whatever the heap size and state; creation is constant time too.
 */
#ifndef MICA_ALLOC_TLSF_H
#define MICA_ALLOC_TLSF_H

#include <stddef.h>

struct mica_alloc;

/*
 * Create a TLSF allocator on [base, base + len) and register it with
 * lib/alloc. Its state (about 10 KiB: the list heads) lives at base;
 * the rest becomes one free block. Only the state's bookkeeping, one
 * list head and that block's header are written (two pages): the rest of
 * the memory is first touched when it is handed out, so a lazily backed
 * heap costs no page faults beyond its start. More areas can be added
 * with the add_memory operation, which likewise writes only an area's
 * first 48 bytes (and one list head). Returns NULL when len cannot hold
 * the state and a page.
 */
struct mica_alloc *mica_tlsf_create(void *base, size_t len);

/*
 * Walk every area and every free list of a TLSF allocator and check
 * the invariants: sizes and flags consistent with the physical
 * neighbours, no two free blocks adjacent, every free block in the list
 * its size maps to, bitmaps set exactly for the non-empty lists, free
 * byte count exact. Time linear in the number of blocks: for tests.
 * Returns 0, or the negated line of tlsf.c whose check failed.
 */
int mica_tlsf_check(struct mica_alloc *a);

#endif /* MICA_ALLOC_TLSF_H */
