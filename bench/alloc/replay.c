/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench/alloc: replay a size/lifetime trace and a small-object churn loop
 * through malloc/free, and time them with the TSC.
 *
 * This one file is compiled into a Mica image (malloc is nolibc's, on the
 * default allocator) and into a static glibc program, so the loops being
 * timed are the same source with the same flags (see run). Only what the
 * glue files supply (replay.h) differs, and none of it is timed.
 *
 * The trace is not a file: gen_trace() builds it at start from a fixed
 * seed with integer arithmetic only, so every build replays exactly the
 * same events (the run script compares the fingerprint each one prints).
 *
 * Output: one "key=value ..." line per fact, read by bench/alloc/run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay.h"

/* --- the trace --------------------------------------------------------- */

#define TRACE_SEED   0x6d6963612d616c6cULL /* "mica-all" */
#define TRACE_ALLOCS 120000u
#define TRACE_EVENTS (2u * TRACE_ALLOCS)
#define MAX_LIVE     32768u

/* One malloc (size > 0) or free (size == 0) of the block in slot. */
struct trace_ev {
	uint32_t slot;
	uint32_t size;
};

static struct trace_ev trace[TRACE_EVENTS];
static uint32_t trace_len;
static uint32_t trace_ckpt;  /* events before the peak of live bytes */
static uint64_t trace_peak;  /* requested bytes live at trace_ckpt */
static uint32_t trace_live;  /* most blocks live at once */
static uint64_t trace_bytes; /* sum of all malloc sizes */
static void *slots[MAX_LIVE];

/* Generator scratch: per allocation its slot, size and death-list link. */
static uint32_t obj_slot[TRACE_ALLOCS];
static uint32_t obj_size[TRACE_ALLOCS];
static uint32_t obj_next[TRACE_ALLOCS];
static uint32_t death_head[TRACE_ALLOCS + 1]; /* [ALLOCS]: the survivors */
static uint32_t free_slots[MAX_LIVE];

#define NONE 0xffffffffu

/* splitmix64 (Steele, Lea, Flood 2014): tiny, and the same everywhere. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rng_below(uint32_t n)
{
	return (uint32_t)((rng() >> 32) * n >> 32);
}

/* Log-uniform over the octaves [2^lo, 2^hi), uniform inside an octave. */
static uint32_t size_octaves(unsigned int lo, unsigned int hi)
{
	unsigned int e = lo + rng_below(hi - lo);

	return (1u << e) + rng_below(1u << e);
}

/*
 * An exponentially distributed lifetime with the given mean (in
 * allocations): mean * -ln(u), u uniform in (0, 1]. -log2(u) is the
 * leading-zero count of u's 64 random bits plus a linear mantissa
 * (error < 0.09): exact enough for a lifetime model, and integer-only,
 * so the trace cannot depend on a libm.
 */
static uint32_t life_exp(uint32_t mean)
{
	uint64_t x = rng() | 1;
	unsigned int k = (unsigned int)__builtin_clzll(x);
	uint64_t f16 = k < 63 ? (x << (k + 1)) >> 48 : 0;
	uint64_t nlog2 = ((uint64_t)(k + 1) << 16) - f16; /* 16.16 */
	uint64_t nln = nlog2 * 45426 >> 16;		  /* * ln 2 */

	return (uint32_t)((mean * nln) >> 16);
}

/*
 * The workload, one allocation per step, with the frees that fall due
 * before it:
 *   62%  small, short-lived: 8..255 B, lifetime ~ exp(mean 12)
 *        (strings, list nodes, temporaries)
 *   24%  medium buffers: 256 B..8 KiB, ~ exp(mean 400)
 *    4%  large buffers: 8..64 KiB, ~ exp(mean 60) (I/O, scratch)
 *   10%  long-lived: 16 B..2 KiB, uniform 1/8..2x the trace length
 *        (tables, caches: most survive to the end)
 * Blocks still live at the end are freed in random order, so a replay
 * leaves the heap empty. Peak live ~5 MB, ~200 MB allocated in all.
 */
static int gen_trace(void)
{
	uint32_t nfree = MAX_LIVE, live = 0, t, o, n, i;
	uint64_t cur = 0;

	rng_state = TRACE_SEED;
	for (i = 0; i < MAX_LIVE; i++)
		free_slots[i] = MAX_LIVE - 1 - i;
	for (i = 0; i <= TRACE_ALLOCS; i++)
		death_head[i] = NONE;
	trace_len = 0;
	trace_peak = 0;
	trace_bytes = 0;
	for (t = 0; t < TRACE_ALLOCS; t++) {
		uint32_t r = rng_below(100), size, life, death;

		for (o = death_head[t]; o != NONE; o = obj_next[o]) {
			trace[trace_len++] = (struct trace_ev){obj_slot[o], 0};
			free_slots[nfree++] = obj_slot[o];
			cur -= obj_size[o];
			live--;
		}
		if (r < 62) {
			size = size_octaves(3, 8);
			life = life_exp(12);
		} else if (r < 86) {
			size = size_octaves(8, 13);
			life = life_exp(400);
		} else if (r < 90) {
			size = size_octaves(13, 16);
			life = life_exp(60);
		} else {
			size = size_octaves(4, 11);
			life = TRACE_ALLOCS / 8 +
			       rng_below(2 * TRACE_ALLOCS - TRACE_ALLOCS / 8);
		}
		if (nfree == 0)
			return -1;
		obj_slot[t] = free_slots[--nfree];
		obj_size[t] = size;
		trace[trace_len++] = (struct trace_ev){obj_slot[t], size};
		trace_bytes += size;
		cur += size;
		if (++live > trace_live)
			trace_live = live;
		if (cur > trace_peak) {
			trace_peak = cur;
			trace_ckpt = trace_len;
		}
		death = t + 1 + life;
		if (death > TRACE_ALLOCS)
			death = TRACE_ALLOCS;
		obj_next[t] = death_head[death];
		death_head[death] = t;
	}
	/* The survivors, shuffled (Fisher-Yates), then freed. */
	n = 0;
	for (o = death_head[TRACE_ALLOCS]; o != NONE; o = obj_next[o])
		free_slots[n++] = obj_slot[o];
	for (i = n; i > 1; i--) {
		uint32_t j = rng_below(i), tmp = free_slots[i - 1];

		free_slots[i - 1] = free_slots[j];
		free_slots[j] = tmp;
	}
	for (i = 0; i < n; i++)
		trace[trace_len++] = (struct trace_ev){free_slots[i], 0};
	return 0;
}

/* FNV-1a over the events: equal fingerprints, equal traces. */
static uint64_t trace_fingerprint(void)
{
	const unsigned char *b = (const unsigned char *)trace;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < trace_len * sizeof(trace[0]); i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* --- replay ------------------------------------------------------------ */

static unsigned long replay_fails;  /* malloc returned NULL */
static unsigned long replay_errors; /* a block's tag changed under us */

/*
 * Every block is written at both ends when it is made (as a program
 * would initialise it, without timing a memset of 64 KiB) and its tag
 * checked at free, which also catches an allocator that hands out
 * overlapping blocks.
 */
static inline void block_fill(void *p, uint32_t size, uint32_t tag)
{
	*(uint32_t *)p = tag;
	((volatile unsigned char *)p)[size - 1] = (unsigned char)tag;
}

static inline void block_check(void *p, uint32_t tag)
{
	if (*(volatile uint32_t *)p != tag)
		replay_errors++;
}

/*
 * Timing. Each timed loop is cut into chunks of some 50-100 us, each
 * timed with the TSC. On a shared machine a whole pass (~10 ms) is
 * rarely left alone by the scheduler, while most chunks are: the median
 * of each chunk over the passes, summed over the chunks, is the time of
 * a pass with the preemptions filtered out (every pass does the same
 * work on the same addresses, so a chunk's times differ only by what
 * happened around it). Reading the TSC costs ~30 cycles a chunk of
 * ~10^5.
 */
#define MAX_PASSES   64u
#define TRACE_CHUNK  2048u
#define TRACE_CHUNKS ((TRACE_EVENTS + TRACE_CHUNK - 1) / TRACE_CHUNK)
#define CHURN_STEPS  1000000u
#define CHURN_CHUNK  4096u
#define CHURN_CHUNKS ((CHURN_STEPS + CHURN_CHUNK - 1) / CHURN_CHUNK)

static uint64_t trace_chunk_cycles[TRACE_CHUNKS][MAX_PASSES];
static uint64_t churn_chunk_cycles[CHURN_CHUNKS][MAX_PASSES];

/* Sum over the chunks of each chunk's median over n passes. */
static uint64_t chunk_median_sum(uint64_t (*c)[MAX_PASSES], uint32_t chunks,
				 uint32_t n)
{
	uint64_t sum = 0;
	uint32_t k, i, j;

	for (k = 0; k < chunks; k++) {
		uint64_t *v = c[k];

		for (i = 1; i < n; i++) { /* insertion sort: n <= 64 */
			uint64_t x = v[i];

			for (j = i; j > 0 && v[j - 1] > x; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		sum += n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
	return sum;
}

/* The timed loop: the trace once, ending with an empty heap. */
static __attribute__((noinline)) uint64_t replay_trace(uint32_t pass)
{
	uint64_t t0 = bench_cycles(), t = t0, now;
	uint32_t i = 0, k, end;

	for (k = 0; i < trace_len; k++) {
		end = i + TRACE_CHUNK < trace_len ? i + TRACE_CHUNK : trace_len;
		for (; i < end; i++) {
			const struct trace_ev *e = &trace[i];
			void *p;

			if (e->size) {
				p = malloc(e->size);
				if (p)
					block_fill(p, e->size, e->slot);
				else
					replay_fails++;
				slots[e->slot] = p;
			} else if ((p = slots[e->slot]) != NULL) {
				block_check(p, e->slot);
				free(p);
			}
		}
		now = bench_cycles();
		trace_chunk_cycles[k][pass] = now - t;
		t = now;
	}
	return t - t0;
}

/* Figures of the first (untimed) replay: see print_frag(). */
struct frag {
	struct bench_heap heap; /* at the checkpoint */
	uint64_t usable;	/* sum of malloc_usable_size there */
	uintptr_t lo, hi;	/* lowest block start, highest end: all pass */
	uintptr_t hi_ckpt;	/* highest end up to the checkpoint */
};

/*
 * The same replay with bookkeeping, untimed: it also warms the heap (page
 * faults, glibc's arena growth) before the timed passes.
 */
static void replay_measured(struct frag *f)
{
	uint64_t usable = 0;
	uint32_t i;

	f->lo = (uintptr_t)-1;
	f->hi = 0;
	for (i = 0; i < trace_len; i++) {
		const struct trace_ev *e = &trace[i];
		void *p;

		if (i == trace_ckpt) {
			bench_heap_sample(&f->heap);
			f->usable = usable;
			f->hi_ckpt = f->hi;
		}
		if (e->size) {
			p = malloc(e->size);
			if (p) {
				block_fill(p, e->size, e->slot);
				usable += bench_usable_size(p);
				if ((uintptr_t)p < f->lo)
					f->lo = (uintptr_t)p;
				if ((uintptr_t)p + e->size > f->hi)
					f->hi = (uintptr_t)p + e->size;
			} else {
				replay_fails++;
			}
			slots[e->slot] = p;
		} else if ((p = slots[e->slot]) != NULL) {
			block_check(p, e->slot);
			usable -= bench_usable_size(p);
			free(p);
		}
	}
}

/* --- small-object churn ------------------------------------------------ */

/*
 * A ring of CHURN_SLOTS live small objects; each step frees a random one
 * and allocates a new one of a random small size in its place (a message
 * or connection-state pool). The random choices come from fixed tables,
 * so the timed loop draws no random numbers.
 */
#define CHURN_SLOTS 1024u
#define CHURN_TABLE 4096u

static uint16_t churn_slot[CHURN_TABLE];
static uint16_t churn_size[CHURN_TABLE];
static void *churn_ring[CHURN_SLOTS];

static void gen_churn(void)
{
	static const uint16_t sizes[] = {16, 24, 32, 40, 48, 64, 80, 96, 128};
	uint32_t i;

	for (i = 0; i < CHURN_TABLE; i++) {
		churn_slot[i] = (uint16_t)rng_below(CHURN_SLOTS);
		/* Common struct sizes, and odd ones (strings) half the time. */
		churn_size[i] = rng_below(2) ? sizes[rng_below(9)]
					     : (uint16_t)(8 + rng_below(121));
	}
}

static void churn_fill(void)
{
	uint32_t i;

	for (i = 0; i < CHURN_SLOTS; i++) {
		churn_ring[i] = malloc(churn_size[i]);
		if (churn_ring[i])
			block_fill(churn_ring[i], churn_size[i], i);
		else
			replay_fails++;
	}
}

static void churn_drain(void)
{
	uint32_t i;

	for (i = 0; i < CHURN_SLOTS; i++) {
		if (churn_ring[i]) {
			block_check(churn_ring[i], i);
			free(churn_ring[i]);
		}
	}
}

/* The timed loop: CHURN_STEPS frees and as many mallocs. */
static __attribute__((noinline)) uint64_t churn(uint32_t pass)
{
	uint64_t t0 = bench_cycles(), t = t0, now;
	uint32_t i = 0, k, end;

	for (k = 0; i < CHURN_STEPS; k++) {
		end = i + CHURN_CHUNK < CHURN_STEPS ? i + CHURN_CHUNK
						    : CHURN_STEPS;
		for (; i < end; i++) {
			uint32_t s = churn_slot[i % CHURN_TABLE];
			uint32_t size = churn_size[i % CHURN_TABLE];
			void *p = churn_ring[s];

			if (p) {
				block_check(p, s);
				free(p);
			}
			p = malloc(size);
			if (p)
				block_fill(p, size, s);
			else
				replay_fails++;
			churn_ring[s] = p;
		}
		now = bench_cycles();
		churn_chunk_cycles[k][pass] = now - t;
		t = now;
	}
	return t - t0;
}

/* --- main -------------------------------------------------------------- */

static unsigned long long ull(uint64_t x)
{
	return (unsigned long long)x;
}

static void print_frag(const struct frag *f)
{
	const struct bench_heap *h = &f->heap;

	printf("frag: known=%d requested=%llu usable=%llu in_use=%llu "
	       "reserved=%llu total=%llu span_ckpt=%llu span=%llu\n",
	       h->known, ull(trace_peak), ull(f->usable), ull(h->in_use),
	       ull(h->reserved), ull(h->total),
	       ull(f->hi_ckpt > f->lo ? f->hi_ckpt - f->lo : 0),
	       ull(f->hi > f->lo ? f->hi - f->lo : 0));
}

/*
 * replay PASSES [PHASES]: the trace once untimed (warming the heap,
 * measuring fragmentation), then PASSES timed passes of the phases
 * ("both", "trace" or "churn"). With 0 passes the process does all the
 * rest: run times a process with 0 and with N passes and divides the
 * difference in CPU time by N. "idle" stops before the first malloc.
 */
int bench_replay_main(int argc, char **argv)
{
	int passes = argc > 1 ? atoi(argv[1]) : 5, i;
	const char *phases = argc > 2 ? argv[2] : "both";
	int do_trace = strcmp(phases, "churn") != 0;
	int do_churn = strcmp(phases, "trace") != 0;
	struct frag f;
	uint64_t cold;

	if (gen_trace() < 0) {
		printf("error: more than %u blocks live at once\n", MAX_LIVE);
		return 2;
	}
	gen_churn();
	printf("impl: %s\n", bench_impl_name());
	printf("trace: events=%u mallocs=%u ckpt=%u peak_requested=%llu "
	       "peak_live=%u bytes=%llu fingerprint=%016llx\n",
	       trace_len, TRACE_ALLOCS, trace_ckpt, ull(trace_peak), trace_live,
	       ull(trace_bytes), ull(trace_fingerprint()));
	printf("churn: slots=%u steps=%u ops=%u\n", CHURN_SLOTS, CHURN_STEPS,
	       2 * CHURN_STEPS);

	if (!strcmp(phases, "idle")) {
		/* No malloc at all: the baseline of the process's RSS. */
		printf("end: fails=0 errors=0\n");
		return 0;
	}
	cold = bench_cycles();
	replay_measured(&f);
	cold = bench_cycles() - cold;
	print_frag(&f);
	printf("cold: trace_cycles=%llu\n", ull(cold));

	/*
	 * Each phase starts and ends with an empty heap, so the region
	 * allocator (which frees only when nothing is live) starts over.
	 */
	if (passes < 0 || passes > (int)MAX_PASSES) {
		printf("error: at most %u passes\n", MAX_PASSES);
		return 2;
	}
	for (i = 0; i < passes; i++) {
		uint64_t tc = 0, cc = 0;

		if (do_trace)
			tc = replay_trace(i);
		if (do_churn) {
			churn_fill();
			cc = churn(i);
			churn_drain();
		}
		printf("pass: %d trace_cycles=%llu churn_cycles=%llu\n", i,
		       ull(tc), ull(cc));
	}
	if (passes)
		printf("chunked: trace_cycles=%llu churn_cycles=%llu\n",
		       ull(do_trace ? chunk_median_sum(trace_chunk_cycles,
						       TRACE_CHUNKS, passes)
				    : 0),
		       ull(do_churn ? chunk_median_sum(churn_chunk_cycles,
						       CHURN_CHUNKS, passes)
				    : 0));
	printf("end: fails=%lu errors=%lu\n", replay_fails, replay_errors);
	return replay_errors ? 1 : 0;
}
