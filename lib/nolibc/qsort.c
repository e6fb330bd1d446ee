/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * qsort and bsearch.
 *
 * qsort is a heapsort: O(n log n) comparisons even on adversarial input,
 * a constant amount of stack and no allocation, which matters more in a
 * unikernel (small stacks, maybe no allocator) than quicksort's better
 * average constant. Short arrays use insertion sort.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

#define INSERTION_SORT_MAX 12

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	while (size--) {
		unsigned char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

static void swap_words(unsigned char *a, unsigned char *b, size_t size)
{
	unsigned long *p = (unsigned long *)(void *)a;
	unsigned long *q = (unsigned long *)(void *)b;

	for (size /= sizeof(long); size; size--) {
		unsigned long t = *p;

		*p++ = *q;
		*q++ = t;
	}
}

typedef void (*swap_fn)(unsigned char *, unsigned char *, size_t);

/* Whole words when the base and the element size allow it. */
static swap_fn pick_swap(const void *base, size_t size)
{
	if (((uintptr_t)base | size) % sizeof(long) == 0)
		return swap_words;
	return swap_bytes;
}

static void insertion_sort(unsigned char *base, size_t nmemb, size_t size,
			   cmp_fn cmp, swap_fn swap)
{
	size_t i, j;

	for (i = 1; i < nmemb; i++) {
		for (j = i; j > 0; j--) {
			unsigned char *cur = base + j * size;

			if (cmp(cur - size, cur) <= 0)
				break;
			swap(cur - size, cur, size);
		}
	}
}

/* Move the element at root down until the max-heap property holds. */
static void sift_down(unsigned char *base, size_t root, size_t nmemb,
		      size_t size, cmp_fn cmp, swap_fn swap)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= nmemb)
			return;
		if (child + 1 < nmemb &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap(base + root * size, base + child * size, size);
		root = child;
	}
}

void qsort(void *base, size_t nmemb, size_t size, cmp_fn cmp)
{
	swap_fn swap = pick_swap(base, size);
	unsigned char *b = base;
	size_t i;

	if (nmemb < 2 || !size)
		return;
	if (nmemb <= INSERTION_SORT_MAX) {
		insertion_sort(b, nmemb, size, cmp, swap);
		return;
	}
	for (i = nmemb / 2; i-- > 0;)
		sift_down(b, i, nmemb, size, cmp, swap);
	for (i = nmemb - 1; i > 0; i--) {
		swap(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp, swap);
	}
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      cmp_fn cmp)
{
	const unsigned char *b = base;
	size_t lo = 0, hi = nmemb;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const void *elem = b + mid * size;
		int c = cmp(key, elem);

		if (!c)
			return (void *)elem;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
