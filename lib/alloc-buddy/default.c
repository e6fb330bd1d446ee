/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiled when the buddy allocator is the default (the heap's). */
#include <mica/alloc_driver.h>
#include <mica/alloc_buddy.h>

struct mica_alloc *mica_alloc_default_backend_create(void *base, size_t len)
{
	return mica_buddy_create(base, len);
}
