/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator API, for users.
 *
 * An allocator (struct mica_alloc) is an instance of an implementation
 * library (alloc-region, alloc-buddy, alloc-tlsf, ...) managing some
 * memory. Several can exist at once; boot builds the default one over the
 * heap (the platform's free memory, capped by the alloc.heap parameter)
 * and nolibc's malloc family uses it.
 *
 * Nothing here sets errno: an out-of-memory answer is NULL (or -ENOMEM)
 * and counts in the allocator's statistics; the C library adds errno.
 * None of these may be called from interrupt context.
 */
#ifndef MICA_ALLOC_H
#define MICA_ALLOC_H

#include <stddef.h>
#include <mica/compiler.h>
#include <mica/plat/memory.h>

#define MICA_ALLOC_PAGE_SIZE MICA_PAGE_SIZE
/* Every block is aligned at least this much (what malloc promises). */
#define MICA_ALLOC_MIN_ALIGN 16UL

struct mica_alloc;

struct mica_alloc_stats {
	size_t cur_bytes;   /* usable bytes of the live blocks */
	size_t peak_bytes;  /* highest cur_bytes so far */
	size_t live_allocs; /* blocks handed out and not freed */
	size_t nr_allocs;   /* successful allocations, ever */
	size_t nr_frees;    /* frees of non-NULL blocks, ever */
	size_t nr_failed;   /* requests that could not be satisfied */
};

/* Set by mica_alloc_set_default(); read it through mica_alloc_default(). */
extern struct mica_alloc *mica_alloc_default_allocator;

/* The default allocator; NULL until the heap is set up (memory init). */
static inline struct mica_alloc *mica_alloc_default(void)
{
	return mica_alloc_default_allocator;
}

/* malloc(3) semantics; size 0 gives a unique, freeable block. */
void *mica_alloc_malloc(struct mica_alloc *a, size_t size);
/* calloc(3): zeroed; NULL when nmemb * size overflows. */
void *mica_alloc_calloc(struct mica_alloc *a, size_t nmemb, size_t size);
/*
 * realloc(3): contents kept up to the smaller size; on failure NULL and
 * p is untouched. realloc(NULL, n) is malloc(n); realloc(p, 0) frees p
 * and returns NULL.
 */
void *mica_alloc_realloc(struct mica_alloc *a, void *p, size_t size);
/* align: a power of two (any size up to the heap's); NULL otherwise. */
void *mica_alloc_memalign(struct mica_alloc *a, size_t align, size_t size);
/* posix_memalign(3): 0, -EINVAL (bad align) or -ENOMEM. */
int mica_alloc_posix_memalign(struct mica_alloc *a, void **out, size_t align,
			      size_t size);
/* free(3); NULL is ignored. */
void mica_alloc_free(struct mica_alloc *a, void *p);
/* Bytes usable at p (>= the size asked for); 0 for NULL. */
size_t mica_alloc_usable_size(struct mica_alloc *a, const void *p);

/*
 * The same, for C libraries: caller is the address their own caller
 * returns to, which LIB_ALLOC_DEBUG names in its reports (pass
 * __builtin_return_address(0)).
 */
void *mica_alloc_malloc_from(struct mica_alloc *a, size_t size, void *caller);
void *mica_alloc_calloc_from(struct mica_alloc *a, size_t nmemb, size_t size,
			     void *caller);
void *mica_alloc_realloc_from(struct mica_alloc *a, void *p, size_t size,
			      void *caller);
void mica_alloc_free_from(struct mica_alloc *a, void *p, void *caller);

/*
 * npages contiguous 4 KiB pages, 4 KiB aligned, in *out.
 * Returns 0, -EINVAL (npages == 0 or too large) or -ENOMEM.
 */
int mica_alloc_pages(struct mica_alloc *a, size_t npages, void **out);
/* Give back pages from mica_alloc_pages with the same npages. */
void mica_alloc_free_pages(struct mica_alloc *a, void *pages, size_t npages);

/* Bytes still free, and bytes managed in all. */
size_t mica_alloc_avail(struct mica_alloc *a);
size_t mica_alloc_total(struct mica_alloc *a);
void mica_alloc_get_stats(struct mica_alloc *a, struct mica_alloc_stats *out);

/* Name of the implementation ("tlsf", "buddy", "region"). */
const char *mica_alloc_name(struct mica_alloc *a);

#endif /* MICA_ALLOC_H */
