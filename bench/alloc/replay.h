/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench/alloc: the replay (replay.c) is compiled twice, once into a Mica
 * image (mica.c supplies these functions) and once into a static host
 * program on glibc (host.c). Everything that is timed lives in replay.c,
 * so both builds run the same loop; only these few untimed calls differ.
 */
#ifndef BENCH_ALLOC_REPLAY_H
#define BENCH_ALLOC_REPLAY_H

#include <stddef.h>
#include <stdint.h>

/* What the allocator says about its memory at one moment. */
struct bench_heap {
	int known;	 /* 0: the allocator cannot tell (figures are 0) */
	size_t total;	 /* bytes it manages / took from the system */
	size_t reserved; /* bytes not available to new requests */
	size_t in_use;	 /* its own count of usable bytes in live blocks */
};

/* "tlsf", "buddy", "region" (the default Mica allocator) or "glibc". */
const char *bench_impl_name(void);
void bench_heap_sample(struct bench_heap *h);
/* malloc_usable_size(p) (declared in different headers by each libc). */
size_t bench_usable_size(void *p);

/* The replay's entry point: argv[0] "replay", argv[1] passes. */
int bench_replay_main(int argc, char **argv);

/* The TSC, ordered after earlier instructions (lfence; rdtsc). */
static inline uint64_t bench_cycles(void)
{
	__builtin_ia32_lfence();
	return __builtin_ia32_rdtsc();
}

#endif /* BENCH_ALLOC_REPLAY_H */
