/* SPDX-License-Identifier: BSD-3-Clause */
/* The region (bump) allocator; see lib/alloc-region/region.c. */
#ifndef MICA_ALLOC_REGION_H
#define MICA_ALLOC_REGION_H

#include <stddef.h>

struct mica_alloc;

/*
 * Create a region allocator on [base, base + len); its state lives at
 * base. Returns NULL when len cannot hold the state and one page.
 */
struct mica_alloc *mica_region_create(void *base, size_t len);

#endif /* MICA_ALLOC_REGION_H */
