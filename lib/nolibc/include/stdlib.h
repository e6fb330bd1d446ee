/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * General utilities (C11 7.22). malloc and friends use the default
 * allocator of lib/alloc; an image that calls them without LIB_ALLOC
 * fails to link, naming the option. No floating point conversions, no
 * environment, no random numbers.
 */
#ifndef MICA_NOLIBC_STDLIB_H
#define MICA_NOLIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

typedef struct {
	int quot;
	int rem;
} div_t;

typedef struct {
	long quot;
	long rem;
} ldiv_t;

typedef struct {
	long long quot;
	long long rem;
} lldiv_t;

/*
 * String to integer, C11 7.22.1.4: leading white space, an optional sign,
 * base 0 (prefix picks 8, 10 or 16) or 2..36. Out of range: the limit of
 * the type and errno = ERANGE. No digits: 0 and *endptr = nptr. A bad
 * base: 0, errno = EINVAL and *endptr = nptr.
 */
long strtol(const char *restrict nptr, char **restrict endptr, int base);
long long strtoll(const char *restrict nptr, char **restrict endptr, int base);
unsigned long strtoul(const char *restrict nptr, char **restrict endptr,
		      int base);
unsigned long long strtoull(const char *restrict nptr, char **restrict endptr,
			    int base);
int atoi(const char *nptr);
long atol(const char *nptr);
long long atoll(const char *nptr);

int abs(int j);
long labs(long j);
long long llabs(long long j);
div_t div(int numer, int denom);
ldiv_t ldiv(long numer, long denom);
lldiv_t lldiv(long long numer, long long denom);

/*
 * qsort() is a heapsort: O(n log n) comparisons in the worst case, no
 * recursion and no extra memory, but not stable.
 */
void qsort(void *base, size_t nmemb, size_t size,
	   int (*compar)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*compar)(const void *, const void *));

/* Memory: NULL with errno ENOMEM when the heap cannot satisfy a call. */
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
int posix_memalign(void **out, size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);
void *memalign(size_t align, size_t size);
size_t malloc_usable_size(void *p);

/* Stop the image: abort() as a crash, exit() with status. */
void abort(void) __attribute__((noreturn));
void exit(int status) __attribute__((noreturn));
void _Exit(int status) __attribute__((noreturn));

#endif /* MICA_NOLIBC_STDLIB_H */
