/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiled when TLSF is the default allocator (the heap's). */
#include <mica/alloc_driver.h>
#include <mica/alloc_tlsf.h>

struct mica_alloc *mica_alloc_default_backend_create(void *base, size_t len)
{
	return mica_tlsf_create(base, len);
}
