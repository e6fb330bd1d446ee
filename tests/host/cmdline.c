/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host tests for the command line parsers: word splitting
 * (lib/boot/cmdline.c) and parameter numbers (lib/params/parse.c).
 */
#include <stdio.h>
#include <string.h>
#include <mica/boot.h>
#include <mica/params.h>

static int failures, checks;

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		checks++;                                                 \
		if (!(cond)) {                                            \
			failures++;                                       \
			printf("%s:%d: failed: %s: ", __FILE__, __LINE__, \
			       #cond);                                    \
			printf(__VA_ARGS__);                              \
			printf("\n");                                     \
		}                                                         \
	} while (0)

struct split_case {
	const char *in;
	int n;	 /* -1: error */
	int err; /* error column when n == -1 */
	const char *words[6];
};

static const struct split_case split_cases[] = {
	{"", 0, 0, {0}},
	{"   \t\n ", 0, 0, {0}},
	{"a", 1, 0, {"a"}},
	{" a  b\tc ", 3, 0, {"a", "b", "c"}},
	{"'a b' \"c d\"", 2, 0, {"a b", "c d"}},
	{"x='1 2'y", 1, 0, {"x=1 2y"}},
	{"\"\"", 1, 0, {""}},
	{"''  ''", 2, 0, {"", ""}},
	{"a\\ b", 1, 0, {"a b"}},
	{"\"q\\\"q\"", 1, 0, {"q\"q"}},
	{"'no\\escape'", 1, 0, {"no\\escape"}},
	{"\"back\\\\slash\"", 1, 0, {"back\\slash"}},
	{"p.x=1 -- a b", 4, 0, {"p.x=1", "--", "a", "b"}},
	{"a 'b", -1, 2, {0}},
	{"\"", -1, 0, {0}},
	{"ok \"x\" 'y", -1, 7, {0}},
	{"end\\", -1, 3, {0}},
};

static void test_split(void)
{
	for (size_t i = 0; i < sizeof(split_cases) / sizeof(*split_cases);
	     i++) {
		const struct split_case *c = &split_cases[i];
		char buf[128], *w[6];
		int err = -7, n;

		strcpy(buf, c->in);
		n = mica_cmdline_split(buf, w, 6, &err);
		CHECK(n == c->n, "'%s': %d words, want %d", c->in, n, c->n);
		if (n != c->n)
			continue;
		if (n < 0) {
			CHECK(err == c->err, "'%s': error at %d, want %d",
			      c->in, err, c->err);
			continue;
		}
		for (int j = 0; j < n; j++)
			CHECK(!strcmp(w[j], c->words[j]),
			      "'%s': word %d is '%s', want '%s'", c->in, j,
			      w[j], c->words[j]);
	}
}

static void test_split_limit(void)
{
	char buf[] = "a b c d e f g h";
	char *w[3] = {0};
	int err;

	CHECK(mica_cmdline_split(buf, w, 3, &err) == 8, "counts all words");
	CHECK(!strcmp(w[2], "c"), "third word");
}

struct num_case {
	const char *in;
	int suffixes;
	int rc;
	unsigned long long v;
	int neg;
};

static const struct num_case num_cases[] = {
	{"0", 0, 0, 0, 0},
	{"42", 0, 0, 42, 0},
	{"-42", 0, 0, 42, 1},
	{"+7", 0, 0, 7, 0},
	{"0x1f", 0, 0, 31, 0},
	{"0X1F", 0, 0, 31, 0},
	{"017", 0, 0, 15, 0},
	{"18446744073709551615", 0, 0, 18446744073709551615ULL, 0},
	{"18446744073709551616", 0, -22, 0, 0},
	{"0xffffffffffffffff", 0, 0, 18446744073709551615ULL, 0},
	{"0x10000000000000000", 0, -22, 0, 0},
	{"", 0, -22, 0, 0},
	{"-", 0, -22, 0, 0},
	{"0x", 0, -22, 0, 0},
	{"08", 0, -22, 0, 0},
	{"12a", 0, -22, 0, 0},
	{" 1", 0, -22, 0, 0},
	{"64M", 0, -22, 0, 0},
	{"64M", 1, 0, 64ULL << 20, 0},
	{"4k", 1, 0, 4096, 0},
	{"2G", 1, 0, 2ULL << 30, 0},
	{"1T", 1, -22, 0, 0},
	{"1MB", 1, -22, 0, 0},
	{"17179869184G", 1, -22, 0, 0},
	{"17179869183G", 1, 0, 17179869183ULL << 30, 0},
};

static void test_numbers(void)
{
	for (size_t i = 0; i < sizeof(num_cases) / sizeof(*num_cases); i++) {
		const struct num_case *c = &num_cases[i];
		unsigned long long v = 12345;
		int neg = -1, rc;

		rc = mica_param_parse_u64(c->in, c->suffixes, &v, &neg);
		CHECK(rc == c->rc, "'%s' (suffixes %d): rc %d, want %d", c->in,
		      c->suffixes, rc, c->rc);
		if (rc == 0 && c->rc == 0)
			CHECK(v == c->v && neg == c->neg,
			      "'%s': %llu/%d, want %llu/%d", c->in, v, neg,
			      c->v, c->neg);
		if (rc != 0)
			CHECK(v == 12345, "'%s': output written on error",
			      c->in);
	}
}

int main(void)
{
	test_split();
	test_split_limit();
	test_numbers();
	printf("cmdline: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
