/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host test: nolibc's string, ctype and qsort functions against glibc.
 *
 * Memory functions run on every combination of source/destination
 * misalignment and a range of lengths, inside malloc'ed buffers sized to
 * the byte so ASan reports any access outside them; memmove runs on
 * overlapping ranges in both directions. String functions run on random
 * strings, ctype on every value of EOF..255 (glibc in the C locale).
 */
#define _GNU_SOURCE /* memrchr */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <mica/compiler.h>

void *nolibc_memcpy(void *dst, const void *src, size_t n);
void *nolibc_memmove(void *dst, const void *src, size_t n);
void *nolibc_memset(void *s, int c, size_t n);
int nolibc_memcmp(const void *a, const void *b, size_t n);
void *nolibc_memchr(const void *s, int c, size_t n);
void *nolibc_memrchr(const void *s, int c, size_t n);
size_t nolibc_strlen(const char *s);
size_t nolibc_strnlen(const char *s, size_t maxlen);
int nolibc_strcmp(const char *a, const char *b);
int nolibc_strncmp(const char *a, const char *b, size_t n);
int nolibc_strcasecmp(const char *a, const char *b);
int nolibc_strncasecmp(const char *a, const char *b, size_t n);
char *nolibc_strchr(const char *s, int c);
char *nolibc_strrchr(const char *s, int c);
char *nolibc_strstr(const char *h, const char *n);
size_t nolibc_strspn(const char *s, const char *accept);
size_t nolibc_strcspn(const char *s, const char *reject);
char *nolibc_strpbrk(const char *s, const char *accept);
char *nolibc_strncpy(char *dst, const char *src, size_t n);
char *nolibc_strncat(char *dst, const char *src, size_t n);
void nolibc_qsort(void *base, size_t nmemb, size_t size,
		  int (*cmp)(const void *, const void *));
int nolibc_isalnum(int c);
int nolibc_isalpha(int c);
int nolibc_isblank(int c);
int nolibc_iscntrl(int c);
int nolibc_isdigit(int c);
int nolibc_isgraph(int c);
int nolibc_islower(int c);
int nolibc_isprint(int c);
int nolibc_ispunct(int c);
int nolibc_isspace(int c);
int nolibc_isupper(int c);
int nolibc_isxdigit(int c);
int nolibc_tolower(int c);
int nolibc_toupper(int c);

static unsigned long checks, failures;

#define CHECK(cond, ...)                                         \
	do {                                                     \
		checks++;                                        \
		if (!(cond) && ++failures <= 30) {               \
			printf("# %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                     \
			printf("\n");                            \
		}                                                \
	} while (0)

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static unsigned long long rng_state = 0x737472ULL;

static unsigned int pick(unsigned int n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545f4914f6cdd1dULL >> 33) % n;
}

static void fill_random(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = pick(256);
}

#define MAXLEN 300
#define SLACK  16

static const size_t lengths[] = {
	0,  1,	2,  3,	7,   8,	  9,   15,  16,	 17,  31,     32,
	33, 63, 64, 65, 127, 128, 200, 255, 256, 257, MAXLEN,
};

/* memcpy and memset of n bytes at the given misalignments. */
static void check_memcpy_memset(size_t n, size_t da, size_t sa)
{
	size_t total = n + 2 * SLACK;
	unsigned char *src = malloc(total);
	unsigned char *got = malloc(total);
	unsigned char *want = malloc(total);
	int c = pick(256);

	fill_random(src, total);
	fill_random(got, total);
	memcpy(want, got, total);

	memcpy(want + da, src + sa, n);
	CHECK(nolibc_memcpy(got + da, src + sa, n) == got + da,
	      "memcpy return");
	CHECK(!memcmp(got, want, total), "memcpy n %zu dst+%zu src+%zu", n, da,
	      sa);

	memset(want + da, c, n);
	CHECK(nolibc_memset(got + da, c, n) == got + da, "memset return");
	CHECK(!memcmp(got, want, total), "memset n %zu dst+%zu", n, da);
	free(src);
	free(got);
	free(want);

	/* Buffers of exactly n bytes: ASan sees any overrun. */
	src = malloc(n ? n : 1);
	got = malloc(n ? n : 1);
	fill_random(src, n);
	nolibc_memcpy(got, src, n);
	CHECK(!memcmp(got, src, n), "memcpy exact %zu", n);
	nolibc_memset(got, 0xa5, n);
	free(src);
	free(got);
}

static void test_memcpy_memset(void)
{
	size_t li, da, sa;

	for (li = 0; li < MICA_ARRAY_SIZE(lengths); li++)
		for (da = 0; da < SLACK; da++)
			for (sa = 0; sa < SLACK; sa++)
				check_memcpy_memset(lengths[li], da, sa);
}

/* memmove of n bytes between base and base + off, up then down. */
static void check_memmove(size_t n, size_t base, size_t off)
{
	size_t total = n + 4 * SLACK;
	unsigned char *got = malloc(total);
	unsigned char *want = malloc(total);
	size_t a = base, b = base + off;

	fill_random(got, total);
	memcpy(want, got, total);
	memmove(want + b, want + a, n);
	nolibc_memmove(got + b, got + a, n);
	CHECK(!memcmp(got, want, total), "memmove up n %zu by %zu", n, off);
	memmove(want + a, want + b, n);
	CHECK(nolibc_memmove(got + a, got + b, n) == got + a, "memmove return");
	CHECK(!memcmp(got, want, total), "memmove down n %zu by %zu", n, off);
	free(got);
	free(want);
}

static void test_memmove(void)
{
	size_t li, off, base;

	for (li = 0; li < MICA_ARRAY_SIZE(lengths); li++)
		for (base = 0; base < SLACK; base++)
			for (off = 0; off < 2 * SLACK; off++)
				check_memmove(lengths[li], base, off);
}

/* memcmp of n equal bytes, or with one random bit flipped if flip. */
static void check_memcmp(size_t n, size_t sa, size_t sb, int flip)
{
	unsigned char *a = malloc(n + sa + 1);
	unsigned char *b = malloc(n + sb + 1);

	fill_random(a + sa, n);
	memcpy(b + sb, a + sa, n);
	if (n && flip)
		b[sb + pick(n)] ^= 1 << pick(8);
	CHECK(sign(nolibc_memcmp(a + sa, b + sb, n)) ==
		      sign(memcmp(a + sa, b + sb, n)),
	      "memcmp n %zu", n);
	free(a);
	free(b);
}

static void test_memcmp(void)
{
	size_t li, i, sa, sb;

	for (li = 0; li < MICA_ARRAY_SIZE(lengths); li++)
		for (sa = 0; sa < 9; sa++)
			for (sb = 0; sb < 9; sb++)
				for (i = 0; i < 4; i++)
					check_memcmp(lengths[li], sa, sb, i);
}

static void test_memchr(void)
{
	unsigned char buf[64];
	int c;
	size_t n;

	for (n = 0; n <= sizeof(buf); n++) {
		fill_random(buf, sizeof(buf));
		for (c = -1; c < 300; c += 7) {
			CHECK(nolibc_memchr(buf, c, n) == memchr(buf, c, n),
			      "memchr %d in %zu", c, n);
			CHECK(nolibc_memrchr(buf, c, n) == memrchr(buf, c, n),
			      "memrchr %d in %zu", c, n);
		}
	}
}

/* A random string over a small alphabet so that matches happen. */
static char *random_str(size_t maxlen)
{
	static const char alpha[] = "abcABC \t\x80\xff";
	size_t n = pick(maxlen + 1), i;
	char *s = malloc(n + 1);

	for (i = 0; i < n; i++)
		s[i] = alpha[pick(sizeof(alpha) - 1)];
	s[n] = 0;
	return s;
}

static void test_strings(void)
{
	int i, c;

	for (i = 0; i < 20000; i++) {
		char *a = random_str(12), *b = random_str(4), *s;
		size_t n = pick(14);
		char d1[48], d2[48];

		CHECK(nolibc_strlen(a) == strlen(a), "strlen");
		CHECK(nolibc_strnlen(a, n) == strnlen(a, n), "strnlen");
		CHECK(sign(nolibc_strcmp(a, b)) == sign(strcmp(a, b)),
		      "strcmp \"%s\" \"%s\"", a, b);
		CHECK(sign(nolibc_strncmp(a, b, n)) == sign(strncmp(a, b, n)),
		      "strncmp");
		CHECK(sign(nolibc_strcasecmp(a, b)) == sign(strcasecmp(a, b)),
		      "strcasecmp \"%s\" \"%s\"", a, b);
		CHECK(sign(nolibc_strncasecmp(a, b, n)) ==
			      sign(strncasecmp(a, b, n)),
		      "strncasecmp");
		CHECK(nolibc_strstr(a, b) == strstr(a, b),
		      "strstr \"%s\" \"%s\"", a, b);
		CHECK(nolibc_strspn(a, b) == strspn(a, b), "strspn");
		CHECK(nolibc_strcspn(a, b) == strcspn(a, b), "strcspn");
		CHECK(nolibc_strpbrk(a, b) == strpbrk(a, b), "strpbrk");
		c = "abcA \x80\xff"[pick(8)];
		CHECK(nolibc_strchr(a, c) == strchr(a, c), "strchr %d", c);
		CHECK(nolibc_strrchr(a, c) == strrchr(a, c), "strrchr %d", c);

		memset(d1, 'x', sizeof(d1));
		memset(d2, 'x', sizeof(d2));
		s = nolibc_strncpy(d1, a, n);
		strncpy(d2, a, n);
		CHECK(s == d1 && !memcmp(d1, d2, sizeof(d1)), "strncpy");
		strcpy(d1, b);
		strcpy(d2, b);
		nolibc_strncat(d1, a, n);
		strncat(d2, a, n);
		CHECK(!memcmp(d1, d2, sizeof(d1)), "strncat");
		free(a);
		free(b);
	}
}

static void test_ctype(void)
{
	static int (*const mine[])(int) = {
		nolibc_isalnum, nolibc_isalpha, nolibc_isblank, nolibc_iscntrl,
		nolibc_isdigit, nolibc_isgraph, nolibc_islower, nolibc_isprint,
		nolibc_ispunct, nolibc_isspace, nolibc_isupper, nolibc_isxdigit,
	};
	int (*const theirs[])(int) = {
		isalnum, isalpha, isblank, iscntrl, isdigit, isgraph,
		islower, isprint, ispunct, isspace, isupper, isxdigit,
	};
	size_t f;
	int c;

	for (c = EOF; c <= 255; c++) {
		for (f = 0; f < sizeof(mine) / sizeof(mine[0]); f++)
			CHECK(!mine[f](c) == !theirs[f](c),
			      "ctype function %zu of %d", f, c);
		CHECK(nolibc_tolower(c) == tolower(c), "tolower %d", c);
		CHECK(nolibc_toupper(c) == toupper(c), "toupper %d", c);
	}
}

struct rec {
	unsigned int key;
	unsigned int seq;
	char pad[16];
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static int cmp_uchar(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

static void test_qsort(void)
{
	size_t n, i;

	for (n = 0; n < 600; n += 1 + n / 8) {
		struct rec *got = malloc((n + 1) * sizeof(*got));
		struct rec *want = malloc((n + 1) * sizeof(*want));
		unsigned char *bytes = malloc(n + 1);
		unsigned char *bwant = malloc(n + 1);
		unsigned int range = 1 + pick(n + 4);

		for (i = 0; i < n; i++) {
			got[i].key = pick(range);
			got[i].seq = i;
			memset(got[i].pad, (int)i, sizeof(got[i].pad));
			bytes[i] = pick(256);
		}
		memcpy(want, got, n * sizeof(*got));
		memcpy(bwant, bytes, n);
		nolibc_qsort(got, n, sizeof(*got), cmp_rec);
		qsort(want, n, sizeof(*want), cmp_rec);
		nolibc_qsort(bytes, n, 1, cmp_uchar);
		qsort(bwant, n, 1, cmp_uchar);

		/* Same keys in order; each record moved whole. */
		for (i = 0; i < n; i++) {
			CHECK(got[i].key == want[i].key, "qsort n %zu at %zu",
			      n, i);
			CHECK(got[i].pad[15] == (char)got[i].seq,
			      "qsort tore a record");
		}
		CHECK(!memcmp(bytes, bwant, n), "qsort bytes n %zu", n);
		free(got);
		free(want);
		free(bytes);
		free(bwant);
	}
}

int main(void)
{
	test_memcpy_memset();
	test_memmove();
	test_memcmp();
	test_memchr();
	test_strings();
	test_ctype();
	test_qsort();
	printf("# string_vs_libc: %lu checks, %lu failed\n", checks, failures);
	return failures ? 1 : 0;
}
