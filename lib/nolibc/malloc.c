/* SPDX-License-Identifier: BSD-3-Clause */
/* The malloc family on lib/alloc's default allocator. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <mica/alloc.h>

/* Before the heap exists (or without memory) every request fails. */
static void *nomem(void)
{
	errno = ENOMEM;
	return NULL;
}

void *malloc(size_t size)
{
	struct mica_alloc *a = mica_alloc_default();
	void *p;

	if (!a)
		return nomem();
	p = mica_alloc_malloc_from(a, size, __builtin_return_address(0));
	return p ? p : nomem();
}

void *calloc(size_t nmemb, size_t size)
{
	struct mica_alloc *a = mica_alloc_default();
	void *p;

	if (!a)
		return nomem();
	p = mica_alloc_calloc_from(a, nmemb, size, __builtin_return_address(0));
	return p ? p : nomem();
}

void *realloc(void *p, size_t size)
{
	struct mica_alloc *a = mica_alloc_default();
	void *q;

	if (!a)
		return nomem();
	q = mica_alloc_realloc_from(a, p, size, __builtin_return_address(0));
	/* realloc(p, 0) frees and returns NULL: not an error. */
	return q || (p && size == 0) ? q : nomem();
}

void free(void *p)
{
	if (p)
		mica_alloc_free_from(mica_alloc_default(), p,
				     __builtin_return_address(0));
}

int posix_memalign(void **out, size_t align, size_t size)
{
	struct mica_alloc *a = mica_alloc_default();

	if (!a)
		return ENOMEM;
	/* POSIX returns the error number and leaves errno alone. */
	return -mica_alloc_posix_memalign(a, out, align, size);
}

void *memalign(size_t align, size_t size)
{
	struct mica_alloc *a = mica_alloc_default();
	void *p;

	if (!a)
		return nomem();
	p = mica_alloc_memalign(a, align, size);
	if (!p)
		errno = (align & (align - 1)) || !align ? EINVAL : ENOMEM;
	return p;
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

size_t malloc_usable_size(void *p)
{
	return p ? mica_alloc_usable_size(mica_alloc_default(), p) : 0;
}

char *strdup(const char *s)
{
	return strndup(s, (size_t)-1);
}

char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}
