/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory and string functions.
 *
 * memcpy, memmove, memset and memcmp are also what GCC emits for struct
 * copies and large initialisers, so they move a machine word at a time
 * once the destination is aligned. Source words are read through an
 * unaligned type: a plain load on x86_64 and arm64, byte loads on targets
 * that need them. Everything else is byte-at-a-time and simple: the
 * string functions never read past the terminating NUL, so they are safe
 * at the end of a mapping and under the address sanitiser.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <mica/compiler.h>

typedef unsigned long __attribute__((may_alias)) word_t;
typedef unsigned long __attribute__((may_alias, aligned(1))) uword_t;

#define WORD_SIZE sizeof(word_t)
#define WORD_MASK (WORD_SIZE - 1)

/*
 * GCC recognises byte loops as memcpy/memset/strlen idioms and would
 * replace them with calls to the very function being defined; glibc
 * guards its own string functions the same way.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

static inline int word_aligned(const void *p)
{
	return ((uintptr_t)p & WORD_MASK) == 0;
}

/* Copy ascending: correct for any overlap with dst below src. */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	while (n && !word_aligned(d)) {
		*d++ = *s++;
		n--;
	}
	/* Each word is loaded before the store that may overlap it. */
	while (n >= 4 * WORD_SIZE) {
		word_t w0 = ((const uword_t *)s)[0];
		word_t w1 = ((const uword_t *)s)[1];
		word_t w2 = ((const uword_t *)s)[2];
		word_t w3 = ((const uword_t *)s)[3];

		((word_t *)d)[0] = w0;
		((word_t *)d)[1] = w1;
		((word_t *)d)[2] = w2;
		((word_t *)d)[3] = w3;
		d += 4 * WORD_SIZE;
		s += 4 * WORD_SIZE;
		n -= 4 * WORD_SIZE;
	}
	while (n >= WORD_SIZE) {
		*(word_t *)d = *(const uword_t *)s;
		d += WORD_SIZE;
		s += WORD_SIZE;
		n -= WORD_SIZE;
	}
	while (n--)
		*d++ = *s++;
}

/* Copy descending: correct for any overlap with dst above src. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	while (n && !word_aligned(d)) {
		*--d = *--s;
		n--;
	}
	while (n >= 4 * WORD_SIZE) {
		word_t w3 = ((const uword_t *)s)[-1];
		word_t w2 = ((const uword_t *)s)[-2];
		word_t w1 = ((const uword_t *)s)[-3];
		word_t w0 = ((const uword_t *)s)[-4];

		((word_t *)d)[-1] = w3;
		((word_t *)d)[-2] = w2;
		((word_t *)d)[-3] = w1;
		((word_t *)d)[-4] = w0;
		d -= 4 * WORD_SIZE;
		s -= 4 * WORD_SIZE;
		n -= 4 * WORD_SIZE;
	}
	while (n >= WORD_SIZE) {
		d -= WORD_SIZE;
		s -= WORD_SIZE;
		*(word_t *)d = *(const uword_t *)s;
		n -= WORD_SIZE;
	}
	while (n--)
		*--d = *--s;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Unsigned distance: one comparison covers "below" and "disjoint". */
	if ((uintptr_t)d - (uintptr_t)s >= n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	unsigned char *d = s;
	unsigned char b = (unsigned char)c;
	word_t w;

	while (n && !word_aligned(d)) {
		*d++ = b;
		n--;
	}
	/* 0x0101...01 times the byte fills every byte of the word. */
	w = (word_t)-1 / 0xff * b;
	while (n >= 4 * WORD_SIZE) {
		((word_t *)d)[0] = w;
		((word_t *)d)[1] = w;
		((word_t *)d)[2] = w;
		((word_t *)d)[3] = w;
		d += 4 * WORD_SIZE;
		n -= 4 * WORD_SIZE;
	}
	while (n >= WORD_SIZE) {
		*(word_t *)d = w;
		d += WORD_SIZE;
		n -= WORD_SIZE;
	}
	while (n--)
		*d++ = b;
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	/* Skip equal words when both sides are aligned alike. */
	if (((uintptr_t)p & WORD_MASK) == ((uintptr_t)q & WORD_MASK)) {
		while (n && !word_aligned(p)) {
			if (*p != *q)
				return *p - *q;
			p++;
			q++;
			n--;
		}
		while (n >= WORD_SIZE &&
		       *(const word_t *)p == *(const word_t *)q) {
			p += WORD_SIZE;
			q += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char b = (unsigned char)c;

	for (; n; n--, p++) {
		if (*p == b)
			return (void *)p;
	}
	return NULL;
}

void *memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = (const unsigned char *)s + n;
	unsigned char b = (unsigned char)c;

	while (n--) {
		if (*--p == b)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

char *stpcpy(char *restrict dst, const char *restrict src)
{
	while ((*dst = *src++))
		dst++;
	return dst;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	stpcpy(dst, src);
	return dst;
}

char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	/* C11 7.24.2.4: pad with NULs up to n (and do not terminate). */
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
	stpcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	while (n-- && *src)
		*d++ = *src++;
	*d = '\0';
	return dst;
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t strlcat(char *restrict dst, const char *restrict src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	/* No NUL within size: nothing to append to, as on the BSDs. */
	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

static int fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int strcasecmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && fold(*p) == fold(*q)) {
		p++;
		q++;
	}
	return fold(*p) - fold(*q);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (fold(*p) != fold(*q))
			return fold(*p) - fold(*q);
		if (!*p)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	char ch = (char)c;

	/* The terminator itself can be searched for. */
	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t nlen = strlen(needle);

	if (!nlen)
		return (char *)haystack;
	for (; *haystack; haystack++) {
		if (*haystack == *needle && !strncmp(haystack, needle, nlen))
			return (char *)haystack;
	}
	return NULL;
}

/* A set of bytes as a 256-bit map, for the span functions. */
struct byteset {
	unsigned long bits[256 / (8 * sizeof(unsigned long))];
};

#define BYTESET_BITS (8 * sizeof(unsigned long))

static void byteset_init(struct byteset *set, const char *chars)
{
	const unsigned char *c = (const unsigned char *)chars;
	size_t i;

	for (i = 0; i < MICA_ARRAY_SIZE(set->bits); i++)
		set->bits[i] = 0;
	for (; *c; c++)
		set->bits[*c / BYTESET_BITS] |= 1UL << (*c % BYTESET_BITS);
}

static int byteset_has(const struct byteset *set, unsigned char c)
{
	return (set->bits[c / BYTESET_BITS] >> (c % BYTESET_BITS)) & 1;
}

size_t strspn(const char *s, const char *accept)
{
	const unsigned char *p = (const unsigned char *)s;
	struct byteset set;

	byteset_init(&set, accept);
	while (*p && byteset_has(&set, *p))
		p++;
	return (const char *)p - s;
}

size_t strcspn(const char *s, const char *reject)
{
	const unsigned char *p = (const unsigned char *)s;
	struct byteset set;

	byteset_init(&set, reject);
	while (*p && !byteset_has(&set, *p))
		p++;
	return (const char *)p - s;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

char *strtok_r(char *restrict s, const char *restrict delim,
	       char **restrict saveptr)
{
	char *tok;

	if (!s)
		s = *saveptr;
	if (!s)
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		*saveptr = NULL;
		return NULL;
	}
	tok = s;
	s += strcspn(s, delim);
	if (*s)
		*s++ = '\0';
	else
		s = NULL;
	*saveptr = s;
	return tok;
}

char *strtok(char *restrict s, const char *restrict delim)
{
	/* Not thread safe, as C allows; use strtok_r. */
	static char *saved;

	return strtok_r(s, delim, &saved);
}
