/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Without LIB_ALLOC there is no heap. These stand-ins refer to a symbol
 * that exists nowhere, so an image whose code calls malloc fails to link
 * with a message that says what to do; images that never call malloc
 * lose them to --gc-sections and link fine.
 */
#include <stdlib.h>
#include <string.h>

extern void *mica_no_heap__select_LIB_ALLOC_in_menuconfig(void);

void *malloc(size_t size)
{
	return mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

void *calloc(size_t nmemb, size_t size)
{
	return mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

void *realloc(void *p, size_t size)
{
	return mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

void free(void *p)
{
	mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

int posix_memalign(void **out, size_t align, size_t size)
{
	return !mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

void *aligned_alloc(size_t align, size_t size)
{
	return mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

void *memalign(size_t align, size_t size)
{
	return mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

size_t malloc_usable_size(void *p)
{
	return !mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

char *strdup(const char *s)
{
	return mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}

char *strndup(const char *s, size_t n)
{
	return mica_no_heap__select_LIB_ALLOC_in_menuconfig();
}
