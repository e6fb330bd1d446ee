/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * alloc-check: a realistic malloc workload, run unchanged on every
 * allocator (configs/<plat>-x86_64-<allocator>.defconfig) and platform.
 * It builds and tears down the data structures programs really make (a
 * hash table of strings, a linked list, a growing vector, a churn of
 * mixed sizes from 8 B to 64 KiB), checks every byte it wrote, checks
 * that the heap's statistics come back to where they started, and exits
 * 0 only if every check passed.
 *
 *   (no arguments)   the workload, then an out-of-memory check
 *   heapcap N        boot with alloc.heap=<N>M: the heap is at most N MiB,
 *                    about N MiB can be filled, 2N MiB is refused
 *
 * The workload allocates about 12 MiB in all: it fits in kvm's default
 * 32 MiB guest even with the region allocator, which only reclaims
 * memory when every block has been freed (between phases, here).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/alloc.h>

#define KiB 1024UL
#define MiB (1024UL * 1024UL)

static unsigned int nr_checks, nr_failed;

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		nr_checks++;                                              \
		if (!(cond)) {                                            \
			nr_failed++;                                      \
			printf("alloc-check: FAIL %s:%d: %s: ", __func__, \
			       __LINE__, #cond);                          \
			printf(__VA_ARGS__);                              \
			printf("\n");                                     \
		}                                                         \
	} while (0)

/* xorshift64*: deterministic, so every allocator sees the same trace. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static size_t rng_range(size_t lo, size_t hi)
{
	return lo + rng() % (hi - lo + 1);
}

/* Sizes as programs ask for them: mostly small, a tail up to 64 KiB. */
static size_t rng_size(void)
{
	uint32_t r = rng() % 100;

	if (r < 80)
		return rng_range(8, 256);
	if (r < 95)
		return rng_range(257, 4096);
	return rng_range(4097, 64 * KiB);
}

static unsigned char pattern_byte(uint32_t seed, size_t i)
{
	return (unsigned char)(seed + i * 31 + (i >> 9));
}

static void pattern_fill(void *p, size_t n, uint32_t seed)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = pattern_byte(seed, i);
}

static int pattern_ok(const void *p, size_t n, uint32_t seed)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		if (c[i] != pattern_byte(seed, i))
			return 0;
	}
	return 1;
}

static struct mica_alloc_stats heap_stats(void)
{
	struct mica_alloc_stats s;

	mica_alloc_get_stats(mica_alloc_default(), &s);
	return s;
}

/* --- a chained hash table of strings ---------------------------------- */

struct ht_entry {
	struct ht_entry *next;
	uint32_t hash;
	char *key;
	char *val;
};

struct ht {
	struct ht_entry **buckets;
	size_t nbuckets; /* a power of two */
	size_t count;
};

static uint32_t ht_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static char *str_copy(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* The value for a key: its length and letters follow from key and gen. */
static void ht_value(char *buf, size_t size, unsigned int k, unsigned int gen)
{
	size_t len = 1 + (k * 7 + gen * 13) % (size - 1);

	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + (k + i + gen) % 26);
	buf[len] = '\0';
}

static int ht_grow(struct ht *t)
{
	size_t n = t->nbuckets ? t->nbuckets * 2 : 16;
	struct ht_entry **b = calloc(n, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct ht_entry *e, *next;

		for (e = t->buckets[i]; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
	return 0;
}

static struct ht_entry **ht_slot(struct ht *t, const char *key)
{
	struct ht_entry **pp;

	if (!t->nbuckets)
		return NULL;
	pp = &t->buckets[ht_hash(key) & (t->nbuckets - 1)];
	while (*pp && strcmp((*pp)->key, key))
		pp = &(*pp)->next;
	return pp;
}

/* Insert or replace; the table keeps its own copies. */
static int ht_put(struct ht *t, const char *key, const char *val)
{
	struct ht_entry **pp, *e;
	size_t vlen = strlen(val) + 1;
	char *v;

	if (t->count >= t->nbuckets * 2 && ht_grow(t) < 0)
		return -ENOMEM;
	pp = ht_slot(t, key);
	if (*pp) {
		/* Replace in place: realloc, as a program would. */
		v = realloc((*pp)->val, vlen);
		if (!v)
			return -ENOMEM;
		memcpy(v, val, vlen);
		(*pp)->val = v;
		return 0;
	}
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->key = str_copy(key);
	e->val = str_copy(val);
	if (!e->key || !e->val) {
		free(e->key);
		free(e->val);
		free(e);
		return -ENOMEM;
	}
	e->hash = ht_hash(key);
	e->next = NULL;
	*pp = e;
	t->count++;
	return 0;
}

static const char *ht_get(struct ht *t, const char *key)
{
	struct ht_entry **pp = ht_slot(t, key);

	return pp && *pp ? (*pp)->val : NULL;
}

static void ht_del(struct ht *t, const char *key)
{
	struct ht_entry **pp = ht_slot(t, key), *e;

	if (!pp || !*pp)
		return;
	e = *pp;
	*pp = e->next;
	free(e->key);
	free(e->val);
	free(e);
	t->count--;
}

static void ht_destroy(struct ht *t)
{
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct ht_entry *e, *next;

		for (e = t->buckets[i]; e; e = next) {
			next = e->next;
			free(e->key);
			free(e->val);
			free(e);
		}
	}
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = t->count = 0;
}

#define HT_KEYS 3000

static void check_hash_table(void)
{
	struct ht t = {0};
	char key[32], val[160];
	unsigned int k, bad = 0, err = 0;

	for (k = 0; k < HT_KEYS; k++) {
		snprintf(key, sizeof(key), "key-%u-%x", k, k * 2654435761u);
		ht_value(val, sizeof(val), k, 0);
		err += ht_put(&t, key, val) < 0;
	}
	CHECK(err == 0, "%u inserts failed", err);
	CHECK(t.count == HT_KEYS, "count %zu", t.count);
	CHECK(t.nbuckets >= HT_KEYS / 2, "%zu buckets", t.nbuckets);
	/* Rewrite every third value with a different length. */
	for (k = 0; k < HT_KEYS; k += 3) {
		snprintf(key, sizeof(key), "key-%u-%x", k, k * 2654435761u);
		ht_value(val, sizeof(val), k, 1);
		err += ht_put(&t, key, val) < 0;
	}
	CHECK(err == 0, "%u updates failed", err);
	/* Delete every other key. */
	for (k = 1; k < HT_KEYS; k += 2) {
		snprintf(key, sizeof(key), "key-%u-%x", k, k * 2654435761u);
		ht_del(&t, key);
	}
	CHECK(t.count == HT_KEYS / 2, "count %zu after deletes", t.count);
	for (k = 0; k < HT_KEYS; k++) {
		const char *v;

		snprintf(key, sizeof(key), "key-%u-%x", k, k * 2654435761u);
		ht_value(val, sizeof(val), k, k % 3 == 0);
		v = ht_get(&t, key);
		if (k & 1)
			bad += v != NULL;
		else
			bad += !v || strcmp(v, val);
	}
	CHECK(bad == 0, "%u lookups wrong", bad);
	ht_destroy(&t);
}

/* --- a linked list with payloads -------------------------------------- */

struct node {
	struct node *next;
	uint32_t seed;
	size_t len;
	unsigned char data[];
};

#define LIST_NODES 2000

static void check_linked_list(void)
{
	struct node *head = NULL, **tail = &head, *n, **pp;
	unsigned int i, count = 0, bad = 0, err = 0;

	/* Append half at the tail, push half at the head. */
	for (i = 0; i < LIST_NODES; i++) {
		size_t len = rng_range(8, i % 50 ? 512 : 16 * KiB);

		n = malloc(sizeof(*n) + len);
		if (!n) {
			err++;
			continue;
		}
		n->seed = i;
		n->len = len;
		pattern_fill(n->data, len, i);
		if (i & 1) {
			n->next = head;
			if (!head)
				tail = &n->next;
			head = n;
		} else {
			n->next = NULL;
			*tail = n;
			tail = &n->next;
		}
	}
	CHECK(err == 0, "%u node allocations failed", err);
	/* Unlink every node whose seed is a multiple of 3. */
	for (pp = &head; *pp;) {
		n = *pp;
		if (n->seed % 3 == 0) {
			*pp = n->next;
			bad += !pattern_ok(n->data, n->len, n->seed);
			free(n);
		} else {
			pp = &n->next;
		}
	}
	/* Grow the survivors' payloads with realloc: nodes move. */
	for (pp = &head; *pp; pp = &(*pp)->next) {
		size_t len = (*pp)->len * 2 + 8;

		n = realloc(*pp, sizeof(*n) + len);
		if (!n) {
			err++;
			break;
		}
		bad += !pattern_ok(n->data, n->len, n->seed);
		pattern_fill(n->data, len, n->seed + 1);
		n->seed++;
		n->len = len;
		*pp = n;
	}
	CHECK(err == 0, "a node realloc failed");
	for (n = head; n; n = head) {
		head = n->next;
		bad += !pattern_ok(n->data, n->len, n->seed);
		count++;
		free(n);
	}
	CHECK(bad == 0, "%u payloads damaged", bad);
	CHECK(count == LIST_NODES - (LIST_NODES + 2) / 3, "%u nodes left",
	      count);
}

/* --- a vector that grows ---------------------------------------------- */

#define VEC_LEN (512 * 1024)

static uint32_t vec_value(size_t i)
{
	return (uint32_t)(i * 2654435761u) ^ 0x5a5a5a5a;
}

static void check_vector(void)
{
	uint32_t *v = NULL, *nv;
	size_t len = 0, cap = 0, i, bad = 0, moves = 0;

	for (i = 0; i < VEC_LEN; i++) {
		if (len == cap) {
			cap = cap ? cap + cap / 2 : 4;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			moves += nv != v;
			v = nv;
		}
		v[len++] = vec_value(i);
	}
	CHECK(len == VEC_LEN, "grew to %zu of %d", len, VEC_LEN);
	for (i = 0; i < len; i++)
		bad += v[i] != vec_value(i);
	CHECK(bad == 0, "%zu elements wrong after growth", bad);
	/* Shrink to fit a prefix; it must survive. */
	nv = realloc(v, 1000 * sizeof(*v));
	CHECK(nv != NULL, "shrinking failed");
	if (nv)
		v = nv;
	for (i = bad = 0; i < 1000; i++)
		bad += v[i] != vec_value(i);
	CHECK(bad == 0, "%zu elements wrong after shrink", bad);
	free(v);
	printf("alloc-check: vector: %d elements, %zu reallocs moved it\n",
	       VEC_LEN, moves);
}

/* --- churn: mixed sizes, random lifetimes ----------------------------- */

#define CHURN_SLOTS 256
#define CHURN_OPS   6000

struct slot {
	unsigned char *p;
	size_t len;
	uint32_t seed;
	int zeroed; /* from calloc, not written */
};

static int slot_ok(const struct slot *s)
{
	if (s->zeroed) {
		for (size_t i = 0; i < s->len; i++) {
			if (s->p[i])
				return 0;
		}
		return 1;
	}
	return pattern_ok(s->p, s->len, s->seed);
}

static void check_churn(void)
{
	static struct slot slots[CHURN_SLOTS];
	unsigned int op, bad = 0, err = 0, misaligned = 0;

	for (op = 0; op < CHURN_OPS; op++) {
		struct slot *s = &slots[rng() % CHURN_SLOTS];
		uint32_t kind = rng() % 10;
		size_t len = rng_size();

		if (s->p && kind < 3) {
			/* realloc keeps the prefix, then the block is ours. */
			unsigned char *q;

			bad += !slot_ok(s);
			q = realloc(s->p, len);
			if (!q) {
				err++;
				continue;
			}
			s->p = q;
			if (len < s->len)
				s->len = len;
			bad += !slot_ok(s); /* the kept prefix */
			s->zeroed = 0;
			s->seed = rng();
			s->len = len;
			pattern_fill(q, len, s->seed);
			continue;
		}
		if (s->p) {
			bad += !slot_ok(s);
			free(s->p);
			s->p = NULL;
			if (kind < 5)
				continue; /* leave the slot empty a while */
		}
		s->len = len;
		s->zeroed = 0;
		if (kind == 9) {
			s->p = calloc(1, len);
			s->zeroed = 1;
		} else if (kind == 8) {
			size_t align = (size_t)64 << (rng() % 7);

			s->p = aligned_alloc(align, len);
			misaligned += s->p && ((uintptr_t)s->p & (align - 1));
		} else {
			s->p = malloc(len);
		}
		if (!s->p) {
			err++;
			continue;
		}
		if (!s->zeroed) {
			s->seed = rng();
			pattern_fill(s->p, len, s->seed);
		}
	}
	for (unsigned int i = 0; i < CHURN_SLOTS; i++) {
		if (slots[i].p) {
			bad += !slot_ok(&slots[i]);
			free(slots[i].p);
			slots[i].p = NULL;
		}
	}
	CHECK(err == 0, "%u allocations failed", err);
	CHECK(bad == 0, "%u blocks damaged", bad);
	CHECK(misaligned == 0, "%u aligned_alloc blocks misaligned",
	      misaligned);
}

/* --- out of memory is an answer --------------------------------------- */

static void check_out_of_memory(void)
{
	struct mica_alloc *a = mica_alloc_default();
	size_t big = mica_alloc_total(a) + MiB;
	size_t failed = heap_stats().nr_failed;
	void *p;

	errno = 0;
	p = malloc(big);
	CHECK(p == NULL, "malloc(%zu) beyond the heap succeeded", big);
	CHECK(errno == ENOMEM, "errno %d, not ENOMEM", errno);
	CHECK(heap_stats().nr_failed == failed + 1, "failure not counted");
	free(p);
	p = malloc(100);
	CHECK(p != NULL, "the heap is unusable after a failure");
	free(p);
}

/* Boot with alloc.heap=<mib>M: the heap must be that size, not more. */
static void check_heap_cap(size_t mib)
{
	struct mica_alloc *a = mica_alloc_default();
	size_t cap = mib * MiB, total = mica_alloc_total(a), filled = 0;
	void **chain = NULL, **b;

	printf("alloc-check: alloc.heap=%zuM: total %zu KiB\n", mib,
	       total >> 10);
	CHECK(total <= cap, "total %zu above the %zu cap", total, cap);
	CHECK(total >= cap / 2, "total %zu: far below the cap %zu", total, cap);
	errno = 0;
	b = malloc(2 * cap);
	CHECK(b == NULL && errno == ENOMEM, "malloc(2 * cap) = %p, errno %d",
	      (void *)b, errno);
	free(b);
	/* Fill with 64 KiB blocks: about the cap, never more. */
	while ((b = malloc(64 * KiB))) {
		*b = chain;
		chain = b;
		filled += 64 * KiB;
	}
	CHECK(errno == ENOMEM, "errno %d when full", errno);
	CHECK(filled <= cap, "filled %zu beyond the %zu cap", filled, cap);
	CHECK(filled >= cap / 3, "filled only %zu of %zu", filled, cap);
	printf("alloc-check: filled %zu KiB in 64 KiB blocks\n", filled >> 10);
	while (chain) {
		b = *chain;
		free(chain);
		chain = b;
	}
	b = malloc(64 * KiB);
	CHECK(b != NULL, "no memory after freeing everything");
	free(b);
}

static void print_stats(const char *when)
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s = heap_stats();

	printf("alloc-check: %s: %zu of %zu KiB free; %zu live (%zu bytes), "
	       "peak %zu KiB, %zu allocs, %zu frees, %zu failed\n",
	       when, mica_alloc_avail(a) >> 10, mica_alloc_total(a) >> 10,
	       s.live_allocs, s.cur_bytes, s.peak_bytes >> 10, s.nr_allocs,
	       s.nr_frees, s.nr_failed);
}

/*
 * Heap misuse that LIB_ALLOC_DEBUG must catch: the image should stop in
 * free() with a report. Returns 1 when it was not caught (and 0 for a
 * name that is not a misuse).
 */
static int misuse(const char *what)
{
	char *volatile p = malloc(24);
	char *volatile q;

	if (!strcmp(what, "doublefree")) {
		free(p);
		free(p);
		return 1;
	}
	if (!strcmp(what, "overrun")) {
		memset(p, 'x', 25);
		free(p);
		return 1;
	}
	if (!strcmp(what, "badfree")) {
		q = malloc(64);
		free(q + 16);
		return 1;
	}
	free(p);
	return 0;
}

int main(int argc, char *argv[])
{
	struct mica_alloc *a = mica_alloc_default();
	struct mica_alloc_stats s0, s1;

	if (!a) {
		printf("alloc-check: FAIL: no heap\n");
		return 1;
	}
	printf("alloc-check: allocator %s\n", mica_alloc_name(a));
	print_stats("start");
	s0 = heap_stats();
	if (argc > 2 && !strcmp(argv[1], "heapcap")) {
		check_heap_cap(strtoul(argv[2], NULL, 0));
	} else if (argc > 1 && misuse(argv[1])) {
		printf("alloc-check: FAIL: %s went unnoticed\n", argv[1]);
		return 1;
	} else if (argc > 1) {
		printf("alloc-check: usage: [heapcap MiB | doublefree | "
		       "overrun | badfree]\n");
		return 2;
	} else {
		check_hash_table();
		check_linked_list();
		check_vector();
		check_churn();
		s1 = heap_stats();
		/* Everything the workload took came back. */
		CHECK(s1.live_allocs == s0.live_allocs, "%zu blocks leaked",
		      s1.live_allocs - s0.live_allocs);
		CHECK(s1.cur_bytes == s0.cur_bytes, "%zu bytes leaked",
		      s1.cur_bytes - s0.cur_bytes);
		CHECK(s1.nr_failed == s0.nr_failed, "%zu failed requests",
		      s1.nr_failed - s0.nr_failed);
		CHECK(s1.nr_allocs - s0.nr_allocs == s1.nr_frees - s0.nr_frees,
		      "allocs and frees differ");
		CHECK(s1.peak_bytes > s0.cur_bytes, "peak not tracked");
		check_out_of_memory();
	}
	print_stats("end");
	printf("alloc-check: %s: %u of %u checks passed\n", mica_alloc_name(a),
	       nr_checks - nr_failed, nr_checks);
	return nr_failed ? 1 : 0;
}
