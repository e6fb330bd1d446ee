/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench/alloc, the host side: the same replay (replay.c) on glibc's
 * malloc, in a static program (one process, one thread, like the Mica
 * image on linuxu). Built by bench/alloc/run, not by the Mica build.
 *
 * glibc's figures come from mallinfo2(): the main arena's bytes taken
 * from the system (arena) plus mmapped blocks (hblkhd) are its total,
 * and everything not on a free list (uordblks + hblkhd) is reserved.
 * Blocks parked in the per-thread cache (tcache) count as reserved,
 * as they do in glibc's own accounting.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include "replay.h"

const char *bench_impl_name(void)
{
	return "glibc";
}

void bench_heap_sample(struct bench_heap *h)
{
	struct mallinfo2 mi = mallinfo2();

	h->known = 1;
	h->total = mi.arena + mi.hblkhd;
	h->reserved = mi.uordblks + mi.hblkhd;
	h->in_use = 0; /* glibc does not count usable bytes */
}

size_t bench_usable_size(void *p)
{
	return malloc_usable_size(p);
}

int main(int argc, char *argv[])
{
	if (argc > 1 && !strcmp(argv[1], "replay"))
		return bench_replay_main(argc - 1, argv + 1);
	printf("usage: %s replay PASSES\n", argv[0]);
	return 2;
}
