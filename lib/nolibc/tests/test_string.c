/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory and string functions. Expected contents are computed from a
 * pattern function, never by a copy loop of our own: GCC may turn such a
 * loop into a call to the very memcpy under test.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <mica/test.h>

#define BUF 160

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + 3);
}

static void fill(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = pattern(i);
}

/* Lengths around the word size and the 4-word unrolling. */
static const size_t lengths[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127,
};

MICA_TEST(nolibc_string, memcpy_all_alignments)
{
	unsigned char src[BUF], dst[BUF];
	size_t li, sa, da, i;
	int bad = 0;

	fill(src, sizeof(src));
	for (li = 0; li < MICA_ARRAY_SIZE(lengths); li++)
		for (sa = 0; sa < 8; sa++)
			for (da = 0; da < 8; da++) {
				size_t n = lengths[li];

				memset(dst, 0xee, sizeof(dst));
				if (memcpy(dst + da, src + sa, n) != dst + da)
					bad++;
				for (i = 0; i < sizeof(dst); i++) {
					unsigned char want =
						i >= da && i < da + n
							? pattern(i - da + sa)
							: 0xee;

					bad += dst[i] != want;
				}
			}
	MICA_EXPECT_EQ(bad, 0);
}

/* memmove(buf + d, buf + s, n) within one pattern-filled buffer. */
static int check_memmove(size_t d, size_t s, size_t n)
{
	unsigned char buf[BUF];
	size_t i;
	int bad = 0;

	fill(buf, sizeof(buf));
	if (memmove(buf + d, buf + s, n) != buf + d)
		bad++;
	for (i = 0; i < sizeof(buf); i++) {
		unsigned char want =
			i >= d && i < d + n ? pattern(i - d + s) : pattern(i);

		bad += buf[i] != want;
	}
	return bad;
}

MICA_TEST(nolibc_string, memmove_overlap_forward)
{
	size_t li, s, shift;
	int bad = 0;

	/* Destination above the source: must copy from the end. */
	for (li = 0; li < MICA_ARRAY_SIZE(lengths); li++)
		for (s = 0; s < 8; s++)
			for (shift = 1; shift <= 17; shift++)
				bad += check_memmove(s + shift, s, lengths[li]);
	MICA_EXPECT_EQ(bad, 0);
}

MICA_TEST(nolibc_string, memmove_overlap_backward)
{
	size_t li, d, shift;
	int bad = 0;

	/* Destination below the source. */
	for (li = 0; li < MICA_ARRAY_SIZE(lengths); li++)
		for (d = 0; d < 8; d++)
			for (shift = 1; shift <= 17; shift++)
				bad += check_memmove(d, d + shift, lengths[li]);
	MICA_EXPECT_EQ(bad, 0);
}

MICA_TEST(nolibc_string, memmove_disjoint_and_same)
{
	MICA_EXPECT_EQ(check_memmove(0, 80, 64), 0);
	MICA_EXPECT_EQ(check_memmove(80, 1, 63), 0);
	MICA_EXPECT_EQ(check_memmove(5, 5, 100), 0);
}

MICA_TEST(nolibc_string, memset_all_alignments)
{
	unsigned char buf[BUF];
	size_t li, a, i;
	int bad = 0;

	for (li = 0; li < MICA_ARRAY_SIZE(lengths); li++)
		for (a = 0; a < 8; a++) {
			size_t n = lengths[li];

			fill(buf, sizeof(buf));
			/* Only the low byte of c counts. */
			if (memset(buf + a, 0x1a5, n) != buf + a)
				bad++;
			for (i = 0; i < sizeof(buf); i++) {
				unsigned char want =
					i >= a && i < a + n ? 0xa5 : pattern(i);

				bad += buf[i] != want;
			}
		}
	MICA_EXPECT_EQ(bad, 0);
}

MICA_TEST(nolibc_string, memcmp_order_and_length)
{
	unsigned char a[BUF], b[BUF];
	size_t n, at;
	int bad = 0;

	fill(a, sizeof(a));
	fill(b, sizeof(b));
	MICA_EXPECT_EQ(memcmp(a, b, sizeof(a)), 0);
	MICA_EXPECT_EQ(memcmp(a, b, 0), 0);
	/* A difference anywhere, at every alignment, decides the sign. */
	for (n = 1; n < 70; n++)
		for (at = 0; at < n; at++) {
			a[at + 3] = 0x7f;
			b[at + 3] = 0x80;
			bad += memcmp(a + 3, b + 3, n) >= 0;
			bad += memcmp(b + 3, a + 3, n) <= 0;
			/* Before the difference everything is equal. */
			bad += memcmp(a + 3, b + 3, at) != 0;
			a[at + 3] = pattern(at + 3);
			b[at + 3] = pattern(at + 3);
		}
	MICA_EXPECT_EQ(bad, 0);
	/* Bytes compare as unsigned char. */
	MICA_EXPECT_GT(memcmp("\x80", "\x7f", 1), 0);
	MICA_EXPECT_LT(memcmp("a\x01", "a\xff", 2), 0);
}

MICA_TEST(nolibc_string, memchr_memrchr)
{
	const char s[] = "abcabc\0abc";

	MICA_EXPECT_EQ(memchr(s, 'c', sizeof(s)), s + 2);
	MICA_EXPECT_EQ(memchr(s, '\0', sizeof(s)), s + 6);
	MICA_EXPECT_NULL(memchr(s, 'c', 2));
	MICA_EXPECT_NULL(memchr(s, 'z', sizeof(s)));
	MICA_EXPECT_NULL(memchr(s, 'a', 0));
	/* c is converted to unsigned char. */
	MICA_EXPECT_EQ(memchr(s, 'a' + 256, sizeof(s)), &s[0]);
	MICA_EXPECT_EQ(memrchr(s, 'a', sizeof(s)), s + 7);
	MICA_EXPECT_EQ(memrchr(s, 'c', 6), s + 5);
	MICA_EXPECT_NULL(memrchr(s, 'a', 0));
}

MICA_TEST(nolibc_string, strlen_strnlen)
{
	MICA_EXPECT_EQ(strlen(""), 0);
	MICA_EXPECT_EQ(strlen("a"), 1);
	MICA_EXPECT_EQ(strlen("hello, world"), 12);
	MICA_EXPECT_EQ(strlen("ab\0cd"), 2);
	MICA_EXPECT_EQ(strnlen("hello", 3), 3);
	MICA_EXPECT_EQ(strnlen("hello", 5), 5);
	MICA_EXPECT_EQ(strnlen("hello", 50), 5);
	MICA_EXPECT_EQ(strnlen("hello", 0), 0);
}

MICA_TEST(nolibc_string, copy_functions)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	MICA_EXPECT_EQ(strcpy(buf, "abc"), &buf[0]);
	MICA_EXPECT_MEMEQ(buf, "abc\0X", 5);

	MICA_EXPECT_EQ(stpcpy(buf, "hello"), buf + 5);
	MICA_EXPECT_STREQ(buf, "hello");

	/* strncpy pads with NULs to n and does not terminate a long src. */
	memset(buf, 'X', sizeof(buf));
	MICA_EXPECT_EQ(strncpy(buf, "ab", 6), &buf[0]);
	MICA_EXPECT_MEMEQ(buf, "ab\0\0\0\0X", 7);
	memset(buf, 'X', sizeof(buf));
	strncpy(buf, "abcdef", 3);
	MICA_EXPECT_MEMEQ(buf, "abcX", 4);

	strcpy(buf, "ab");
	MICA_EXPECT_EQ(strcat(buf, "cd"), &buf[0]);
	MICA_EXPECT_STREQ(buf, "abcd");
	MICA_EXPECT_EQ(strncat(buf, "efgh", 2), &buf[0]);
	MICA_EXPECT_STREQ(buf, "abcdef");
	strncat(buf, "g", 10);
	MICA_EXPECT_STREQ(buf, "abcdefg");
}

MICA_TEST(nolibc_string, strlcpy_strlcat)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	MICA_EXPECT_EQ(strlcpy(buf, "hello, world", sizeof(buf)), 12);
	MICA_EXPECT_STREQ(buf, "hello, ");
	MICA_EXPECT_EQ(strlcpy(buf, "hi", sizeof(buf)), 2);
	MICA_EXPECT_STREQ(buf, "hi");
	buf[0] = 'Q';
	MICA_EXPECT_EQ(strlcpy(buf, "zzz", 0), 3);
	MICA_EXPECT_EQ(buf[0], 'Q');

	strcpy(buf, "ab");
	MICA_EXPECT_EQ(strlcat(buf, "cdefghij", sizeof(buf)), 10);
	MICA_EXPECT_STREQ(buf, "abcdefg");
	/* dst already fills size without a NUL: size + strlen(src). */
	MICA_EXPECT_EQ(strlcat(buf, "xy", 3), 5);
	MICA_EXPECT_STREQ(buf, "abcdefg");
}

MICA_TEST(nolibc_string, compare_functions)
{
	MICA_EXPECT_EQ(strcmp("abc", "abc"), 0);
	MICA_EXPECT_LT(strcmp("abc", "abd"), 0);
	MICA_EXPECT_GT(strcmp("abd", "abc"), 0);
	MICA_EXPECT_LT(strcmp("ab", "abc"), 0);
	MICA_EXPECT_GT(strcmp("abc", "ab"), 0);
	MICA_EXPECT_EQ(strcmp("", ""), 0);
	/* As unsigned char: 0x80 sorts after 'a'. */
	MICA_EXPECT_GT(strcmp("\x80", "a"), 0);

	MICA_EXPECT_EQ(strncmp("abcdef", "abcxyz", 3), 0);
	MICA_EXPECT_LT(strncmp("abcdef", "abcxyz", 4), 0);
	MICA_EXPECT_EQ(strncmp("abc", "abd", 0), 0);
	/* Stops at the terminator even when n is larger. */
	MICA_EXPECT_EQ(strncmp("ab\0x", "ab\0y", 10), 0);

	MICA_EXPECT_EQ(strcasecmp("Hello", "hELLO"), 0);
	MICA_EXPECT_LT(strcasecmp("apple", "BANANA"), 0);
	MICA_EXPECT_GT(strcasecmp("Zeta", "alpha"), 0);
	MICA_EXPECT_LT(strcasecmp("ab", "ABC"), 0);
	/* '[' (0x5b) vs 'a' compares after folding 'A'..'Z' only. */
	MICA_EXPECT_LT(strcasecmp("[", "a"), 0);
	MICA_EXPECT_EQ(strncasecmp("HelloX", "hELLOy", 5), 0);
	MICA_EXPECT_NE(strncasecmp("HelloX", "hELLOy", 6), 0);
	MICA_EXPECT_EQ(strncasecmp("a", "b", 0), 0);
}

MICA_TEST(nolibc_string, search_functions)
{
	const char *s = "hello, world";

	MICA_EXPECT_EQ(strchr(s, 'o'), s + 4);
	MICA_EXPECT_EQ(strrchr(s, 'o'), s + 8);
	MICA_EXPECT_NULL(strchr(s, 'z'));
	MICA_EXPECT_NULL(strrchr(s, 'z'));
	/* The terminator is part of the string. */
	MICA_EXPECT_EQ(strchr(s, '\0'), s + 12);
	MICA_EXPECT_EQ(strrchr(s, '\0'), s + 12);
	MICA_EXPECT_EQ(strchr(s, 'h'), s);

	MICA_EXPECT_EQ(strstr(s, "world"), s + 7);
	MICA_EXPECT_EQ(strstr(s, "o"), s + 4);
	MICA_EXPECT_EQ(strstr(s, ""), s);
	MICA_EXPECT_NULL(strstr(s, "worlds"));
	MICA_EXPECT_NULL(strstr("", "a"));

	MICA_EXPECT_EQ(strspn("  \tword", " \t"), 3);
	MICA_EXPECT_EQ(strspn("abc", ""), 0);
	MICA_EXPECT_EQ(strspn("abc", "cba"), 3);
	MICA_EXPECT_EQ(strcspn("key=value", "=;"), 3);
	MICA_EXPECT_EQ(strcspn("key", "=;"), 3);
	MICA_EXPECT_EQ(strcspn("\xff"
			       "a",
			       "a"),
		       1);
	MICA_EXPECT_EQ(strpbrk(s, ",w"), s + 5);
	MICA_EXPECT_NULL(strpbrk(s, "xyz"));
}

MICA_TEST(nolibc_string, strstr_partial_matches)
{
	const char *h = "aaab";

	MICA_EXPECT_EQ(strstr(h, "aab"), h + 1);
	MICA_EXPECT_EQ(strstr(h, "ab"), h + 2);
	MICA_EXPECT_EQ(strstr(h, "aaab"), h);
	MICA_EXPECT_NULL(strstr(h, "aaaab"));
}

MICA_TEST(nolibc_string, strtok_r_splits)
{
	char buf[] = ",,alpha, beta,,gamma,";
	char only_delims[] = ";;;";
	char words[] = "one two";
	char *save = NULL;

	MICA_EXPECT_STREQ(strtok_r(buf, ", ", &save), "alpha");
	MICA_EXPECT_STREQ(strtok_r(NULL, ", ", &save), "beta");
	/* The delimiters may change from call to call. */
	MICA_EXPECT_STREQ(strtok_r(NULL, ",", &save), "gamma");
	MICA_EXPECT_NULL(strtok_r(NULL, ",", &save));
	MICA_EXPECT_NULL(strtok_r(NULL, ",", &save));
	MICA_EXPECT_NULL(strtok_r(only_delims, ";", &save));
	MICA_EXPECT_STREQ(strtok(words, " "), "one");
	MICA_EXPECT_STREQ(strtok(NULL, " "), "two");
	MICA_EXPECT_NULL(strtok(NULL, " "));
}
