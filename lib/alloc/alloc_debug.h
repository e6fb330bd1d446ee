/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Heap checking (LIB_ALLOC_DEBUG). Each block gets a header in front of
 * it (the block the implementation returned, the size asked for, the
 * caller, a magic word saying live or freed) and a canary behind it.
 * free() and realloc() check both and stop the image on double frees,
 * frees of pointers never handed out, and writes past the end.
 * Private to lib/alloc; without the option these compile to nothing.
 */
#ifndef ALLOC_DEBUG_H
#define ALLOC_DEBUG_H

#include <stddef.h>

struct mica_alloc;

#ifdef CONFIG_LIB_ALLOC_DEBUG
#define mica_alloc_debug_enabled 1
void *mica_alloc_debug_alloc(struct mica_alloc *a, size_t align, size_t size,
			     void *caller);
void mica_alloc_debug_check(struct mica_alloc *a, void *p, void *caller);
void mica_alloc_debug_free(struct mica_alloc *a, void *p);
size_t mica_alloc_debug_usable_size(const void *p);
#else
#define mica_alloc_debug_enabled 0
static inline void *mica_alloc_debug_alloc(struct mica_alloc *a, size_t align,
					   size_t size, void *caller)
{
	return NULL;
}
static inline void mica_alloc_debug_check(struct mica_alloc *a, void *p,
					  void *caller)
{
}
static inline void mica_alloc_debug_free(struct mica_alloc *a, void *p)
{
}
static inline size_t mica_alloc_debug_usable_size(const void *p)
{
	return 0;
}
#endif

#endif /* ALLOC_DEBUG_H */
