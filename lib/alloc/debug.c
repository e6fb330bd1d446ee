/* SPDX-License-Identifier: BSD-3-Clause */
/* Guarded blocks for LIB_ALLOC_DEBUG; see alloc_debug.h. */
#include <stdint.h>
#include <mica/alloc_driver.h>
#include <mica/debug.h>
#include "alloc_debug.h"

#define MAGIC_LIVE  0x4556494c6163696dULL /* "micaLIVE" */
#define MAGIC_FREED 0x454552466163696dULL /* "micaFREE" */
#define CANARY	    0x5a17c0defee1deadULL

/*
 * Just below the user's block. The magic word is last, right against the
 * block, where an implementation's free-list links (written at the start
 * of the memory it manages) do not reach.
 */
struct debug_hdr {
	void *raw;    /* what the implementation returned */
	size_t size;  /* what the caller asked for */
	void *caller; /* who allocated it */
	uint64_t magic;
};

static struct debug_hdr *hdr_of(const void *p)
{
	return (struct debug_hdr *)((uintptr_t)p - sizeof(struct debug_hdr));
}

void *mica_alloc_debug_alloc(struct mica_alloc *a, size_t align, size_t size,
			     void *caller)
{
	size_t off = MICA_ALIGN_UP(sizeof(struct debug_hdr), align);
	uint64_t canary = CANARY;
	struct debug_hdr *h;
	size_t total;
	char *raw, *p;

	if (__builtin_add_overflow(off, size, &total) ||
	    __builtin_add_overflow(total, sizeof(canary), &total) ||
	    total > MICA_ALLOC_MAX_SIZE)
		return NULL;
	raw = a->ops->memalign(a, align, total);
	if (!raw)
		return NULL;
	p = raw + off;
	h = hdr_of(p);
	h->raw = raw;
	h->size = size;
	h->caller = caller;
	h->magic = MAGIC_LIVE;
	__builtin_memcpy(p + size, &canary, sizeof(canary));
	return p;
}

void mica_alloc_debug_check(struct mica_alloc *a, void *p, void *caller)
{
	struct debug_hdr *h = hdr_of(p);
	uint64_t canary;

	if (!MICA_IS_ALIGNED((uintptr_t)p, MICA_ALLOC_MIN_ALIGN))
		MICA_CRASH("%s: free of %p, which no allocation returned "
			   "(called from %p)",
			   a->name, p, caller);
	if (h->magic == MAGIC_FREED)
		MICA_CRASH("%s: double free of %p (called from %p)", a->name, p,
			   caller);
	if (h->magic != MAGIC_LIVE)
		MICA_CRASH("%s: free of %p, which no allocation returned or "
			   "whose header was overwritten (called from %p)",
			   a->name, p, caller);
	__builtin_memcpy(&canary, (char *)p + h->size, sizeof(canary));
	if (canary != CANARY)
		MICA_CRASH("%s: write past the end of the %zu-byte block %p "
			   "allocated from %p (found at free from %p)",
			   a->name, h->size, p, h->caller, caller);
}

void mica_alloc_debug_free(struct mica_alloc *a, void *p)
{
	struct debug_hdr *h = hdr_of(p);

	h->magic = MAGIC_FREED;
	a->ops->free(a, h->raw);
}

size_t mica_alloc_debug_usable_size(const void *p)
{
	return hdr_of(p)->size;
}
