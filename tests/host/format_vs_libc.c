/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host test: Mica's format engine against glibc's snprintf.
 *
 * Every format of a generated matrix (conversions x flags x widths x
 * precisions x length modifiers x interesting values) must give the same
 * text and the same return value from mica_vsnprintf and from glibc, and
 * so must truncated output at every buffer size and a stream of random
 * formats drawn from the printf grammar. Only the corners where C is
 * silent and Mica deliberately differs from glibc are left out: wide
 * characters, floating point and %n (Mica prints those literally).
 *
 * MICA_FORMAT_SEED=<n> changes the seed of the random part.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/types.h>
#include <mica/print.h>

#ifdef __SANITIZE_ADDRESS__
/*
 * ASan's printf interceptor parses every format we hand glibc and warns
 * about the odd ones this test makes on purpose ("%.%"); glibc is the
 * oracle here, not the code under test.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "check_printf=0";
}
#endif

static unsigned long checks;
static unsigned long failures;

#define MAX_FAILURES_SHOWN 30

static void report(const char *what, const char *fmt, const char *want,
		   int want_ret, const char *got, int got_ret)
{
	failures++;
	if (failures > MAX_FAILURES_SHOWN)
		return;
	printf("# %s: format \"%s\"\n#   glibc: ret %d \"%s\"\n"
	       "#   mica:  ret %d \"%s\"\n",
	       what, fmt, want_ret, want, got_ret, got);
}

/* Format with both engines into generous buffers and compare. */
static void check_va(const char *fmt, va_list ap)
{
	char want[1024], got[1024];
	int want_ret, got_ret;
	va_list aq;

	va_copy(aq, ap);
	want_ret = vsnprintf(want, sizeof(want), fmt, ap);
	got_ret = mica_vsnprintf(got, sizeof(got), fmt, aq);
	va_end(aq);

	checks++;
	if (want_ret != got_ret || strcmp(want, got))
		report("mismatch", fmt, want, want_ret, got, got_ret);
}

static void check(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_va(fmt, ap);
	va_end(ap);
}

/*
 * Truncation: for every size from 0 to past the full length, the return
 * value is the full length, exactly min(size - 1, len) bytes are written
 * followed by a NUL, and nothing beyond size is touched (the buffer is
 * malloc'ed to the exact size so ASan catches overruns).
 */
static void check_truncation_va(const char *fmt, va_list ap)
{
	char full[512];
	int len, ret;
	size_t size;
	va_list aq;

	va_copy(aq, ap);
	len = vsnprintf(full, sizeof(full), fmt, aq);
	va_end(aq);

	for (size = 0; size <= (size_t)len + 2; size++) {
		char *buf = size ? malloc(size) : NULL;
		size_t keep = size ? size - 1 : 0;

		if (size)
			memset(buf, 'Z', size);
		va_copy(aq, ap);
		ret = mica_vsnprintf(buf, size, fmt, aq);
		va_end(aq);

		checks++;
		if (keep > (size_t)len)
			keep = len;
		if (ret != len) {
			report("truncation return", fmt, full, len,
			       size ? buf : "(size 0)", ret);
		} else if (size && (memcmp(buf, full, keep) || buf[keep])) {
			char shown[512];

			memcpy(shown, buf, keep);
			shown[keep] = 0;
			report("truncation text", fmt, full, len, shown, ret);
		}
		free(buf);
	}
}

static void check_truncation(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_truncation_va(fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* The matrix. */

static const char *const flag_sets[] = {
	"",   "-",  "+",  " ",	"#",  "0",     "-+",  "- ", "-#", "-0", "+ ",
	"+#", "+0", " #", " 0", "#0", "-+ #0", "+0#", "0-", " +", "00", "--",
};

static const char *const widths[] = {"", "1", "2", "5", "23"};
static const char *const precisions[] = {
	"", ".", ".0", ".1", ".2", ".5", ".23",
};

enum arg_kind {
	ARG_INT, /* no length modifier, hh, h */
	ARG_LONG,
	ARG_LLONG,
	ARG_SIZE,
	ARG_PTRDIFF,
	ARG_INTMAX,
};

struct length {
	const char *mod;
	enum arg_kind kind;
};

static const struct length lengths[] = {
	{"", ARG_INT},	    {"hh", ARG_INT},   {"h", ARG_INT},
	{"l", ARG_LONG},    {"ll", ARG_LLONG}, {"z", ARG_SIZE},
	{"t", ARG_PTRDIFF}, {"j", ARG_INTMAX},
};

/*
 * Interesting bit patterns; each is passed in the type the length
 * modifier names (truncated to it), signed for d/i, unsigned otherwise.
 */
static const unsigned long long values[] = {
	0,
	1,
	7,
	8,
	9,
	10,
	15,
	16,
	42,
	127,
	128,
	255,
	256,
	511,
	4095,
	32767,
	32768,
	65535,
	65536,
	99999,
	0x7fffffffULL,
	0x80000000ULL,
	0xffffffffULL,
	0x100000000ULL,
	1000000000000ULL,
	0x7fffffffffffffffULL,
	0x8000000000000000ULL,
	0xffffffffffffffffULL,
	-2ULL,
	-8ULL,
	-10ULL,
	-127ULL,
	-128ULL,
	-129ULL,
	-32768ULL,
	-2147483647ULL,
	-2147483648ULL,
	012345670123ULL,
	0xdeadbeefcafeULL,
};

static void check_integer(const char *fmt, enum arg_kind kind, int is_signed,
			  unsigned long long v)
{
	switch (kind) {
	case ARG_INT:
		if (is_signed)
			check(fmt, (int)v);
		else
			check(fmt, (unsigned int)v);
		break;
	case ARG_LONG:
		if (is_signed)
			check(fmt, (long)v);
		else
			check(fmt, (unsigned long)v);
		break;
	case ARG_LLONG:
		if (is_signed)
			check(fmt, (long long)v);
		else
			check(fmt, v);
		break;
	case ARG_SIZE:
		if (is_signed)
			check(fmt, (ssize_t)v);
		else
			check(fmt, (size_t)v);
		break;
	case ARG_PTRDIFF:
		if (is_signed)
			check(fmt, (ptrdiff_t)v);
		else
			check(fmt, (size_t)v);
		break;
	case ARG_INTMAX:
		if (is_signed)
			check(fmt, (intmax_t)v);
		else
			check(fmt, (uintmax_t)v);
		break;
	}
}

/* One conversion with one length modifier, in every flag/width/precision. */
static void matrix_integer(char conv, const struct length *len)
{
	int is_signed = conv == 'd' || conv == 'i';
	size_t f, w, p, v;
	char fmt[64];

	for (f = 0; f < MICA_ARRAY_SIZE(flag_sets); f++) {
		for (w = 0; w < MICA_ARRAY_SIZE(widths); w++) {
			for (p = 0; p < MICA_ARRAY_SIZE(precisions); p++) {
				snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]",
					 flag_sets[f], widths[w], precisions[p],
					 len->mod, conv);
				for (v = 0; v < MICA_ARRAY_SIZE(values); v++)
					check_integer(fmt, len->kind, is_signed,
						      values[v]);
			}
		}
	}
}

static void matrix_integers(void)
{
	static const char convs[] = "diuxXo";
	size_t c, l;

	for (c = 0; convs[c]; c++)
		for (l = 0; l < MICA_ARRAY_SIZE(lengths); l++)
			matrix_integer(convs[c], &lengths[l]);
}

/* %s, %c, %p and %% with one set of flags, width and precision. */
static void matrix_other(const char *fl, const char *wd, const char *pr)
{
	static const char *const strings[] = {
		"", "a", "hello", "hello, world", "123456789012345678901234567",
	};
	static const int chars[] = {'a', 'Z', ' ', '%', 0x7f, 0xe9, 0x141};
	static char object;
	void *ptrs[] = {
		NULL,
		&object,
		(void *)1,
		(void *)0xfff,
		(void *)UINTPTR_MAX,
		(void *)(UINTPTR_MAX >> 1),
	};
	char fmt[64];
	size_t i;

	snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", fl, wd, pr);
	for (i = 0; i < MICA_ARRAY_SIZE(strings); i++)
		check(fmt, strings[i]);
	check(fmt, (char *)NULL);

	snprintf(fmt, sizeof(fmt), "<%%%s%s%sc>", fl, wd, pr);
	for (i = 0; i < MICA_ARRAY_SIZE(chars); i++)
		check(fmt, chars[i]);

	snprintf(fmt, sizeof(fmt), "<%%%s%s%sp>", fl, wd, pr);
	for (i = 0; i < MICA_ARRAY_SIZE(ptrs); i++)
		check(fmt, ptrs[i]);

	snprintf(fmt, sizeof(fmt), "<%%%s%s%s%%>", fl, wd, pr);
	check(fmt);
}

static void matrix_others(void)
{
	size_t f, w, p;

	for (f = 0; f < MICA_ARRAY_SIZE(flag_sets); f++)
		for (w = 0; w < MICA_ARRAY_SIZE(widths); w++)
			for (p = 0; p < MICA_ARRAY_SIZE(precisions); p++)
				matrix_other(flag_sets[f], widths[w],
					     precisions[p]);
}

/* '*' widths and precisions, negative ones included. */
static void check_stars(const char *fmt, int sa, int sb, long long val)
{
	int nstar = 0;
	const char *q;

	for (q = fmt; *q; q++)
		nstar += *q == '*';
	if (strstr(fmt, "s]") && nstar == 2)
		check(fmt, sa, sb, "abcdef");
	else if (strstr(fmt, "s]"))
		check(fmt, sa, "abcdef");
	else if (strstr(fmt, "c]"))
		check(fmt, sa, 'q');
	else if (strstr(fmt, "p]"))
		check(fmt, sa, (void *)(intptr_t)val);
	else if (strstr(fmt, "ll"))
		check(fmt, sa, sb, val);
	else if (nstar == 2)
		check(fmt, sa, sb, (int)val);
	else
		check(fmt, sa, (int)val);
}

static void matrix_stars(void)
{
	static const int stars[] = {-30, -5, -1, 0, 1, 3, 5, 30};
	static const char *const fmts[] = {
		"[%*d]",     "[%-*d]",	 "[%0*d]",     "[%.*d]",     "[%*.*d]",
		"[%-0*.*x]", "[%#*.*o]", "[%+0*.*i]",  "[%*.*s]",    "[%.*s]",
		"[%*c]",     "[%*p]",	 "[%0*.*llx]", "[%-*.*hhd]",
	};
	static const long long vals[] = {0, 5, -5, 123456, LLONG_MIN};
	size_t f, a, b, v;

	for (f = 0; f < MICA_ARRAY_SIZE(fmts); f++)
		for (a = 0; a < MICA_ARRAY_SIZE(stars); a++)
			for (b = 0; b < MICA_ARRAY_SIZE(stars); b++)
				for (v = 0; v < MICA_ARRAY_SIZE(vals); v++)
					check_stars(fmts[f], stars[a], stars[b],
						    vals[v]);
}

/* Hand-written corners and formats with several conversions. */
static void fixed_cases(void)
{
	check("");
	check("plain text, no conversions");
	check("%d", INT_MIN);
	check("%d %i", INT_MAX, INT_MIN);
	check("%ld %lu", LONG_MIN, ULONG_MAX);
	check("%lld %llu %llx %llo", LLONG_MIN, ULLONG_MAX, ULLONG_MAX,
	      ULLONG_MAX);
	check("%hhd %hhu %hd %hu", 200, 200, 40000, 40000);
	check("%zd %zu %td %jd %ju", (ssize_t)-1, SIZE_MAX, (ptrdiff_t)-7,
	      INTMAX_MIN, UINTMAX_MAX);
	check("a%%b%%%%c %d%%", 5);
	check("%s=%d, %s=%#x; %c%c%c", "alpha", 1, "beta", 0xbeef, 'x', 'y',
	      'z');
	check("%.3s|%.10s|%-8.2s|", "abcdef", "ab", "xyz");
	check("%5s|%-5s|%05d|%-05d|%+05d|% 05d", "ab", "ab", 42, 42, 42, 42);
	check("%#o %#o %#.0o %#.3o %#5o %#-5o|", 0, 8, 0, 8, 8, 8);
	check("%#x %#X %#.0x %#5.3x %#05x %#-6x|", 0, 255, 0, 1, 1, 1);
	check("%.0d|%.0u|%.0x|%.0o|%5.0d|%-5.0i|%+.0d|% .0d|", 0, 0, 0, 0, 0, 0,
	      0, 0);
	check("%p %p", (void *)0, (void *)0x1000);
	check("%10p|%-10p|%010p|%.10p|%+p", (void *)0, (void *)0x1,
	      (void *)0xab, (void *)0xab, (void *)0xab);
	check("%s %s", (char *)NULL, "ok");
	check("%.5s|%.6s|%10.3s|", (char *)NULL, (char *)NULL, (char *)NULL);
	check("%c%c", 0x100 + 'a', -1 & 0xff);
	check("%-+ #0d", 3);
	check("%100d|", -1);
	check("%300.0d|%.0d|%300.290d", 0, 0, 1);
	check("%*d|%-*d|%*d|", 6, 1, 6, 2, -6, 3);
	check("%.*d|%.*d|%.*s|", -1, 0, 3, 5, -2, "neg prec");
	check("%.*x", INT_MIN + 1, 17);
	check("%hhx %hx %lx %zx %tx %jx", 0x1ff, 0x1ffff, -1L, SIZE_MAX,
	      (ptrdiff_t)-1, UINTMAX_MAX);
	check("%hho %ho %lo", 0x1ff, 0x1ffff, -1L);
	check("%hhi %hi %li %lli %zi %ti %ji", -129, -32769, LONG_MIN,
	      LLONG_MIN, (ssize_t)SSIZE_MAX, PTRDIFF_MIN, INTMAX_MAX);
	check("%3c|%-3c|", 'a', 'b');
	check("%5%|%-5%|%05%|");
}

/* Our deliberate choices where glibc does something else (or crashes). */
static void mica_only_cases(void)
{
	static const struct {
		const char *fmt;
		const char *want;
	} lit[] = {
		{"%f", "%f"},	  {"[%5.2f]", "[%5.2f]"},
		{"%n", "%n"},	  {"%q|", "%q|"},
		{"%lf", "%lf"},	  {"%Lf", "%Lf"},
		{"abc%", "abc%"}, {"%-5", "%-5"},
		{"%ls", "%ls"},	  {"%lc", "%lc"},
		{"%y%d", "%y7"},  {"%e%g%a%E%G%A%C%S%m", "%e%g%a%E%G%A%C%S%m"},
	};
	size_t i;

	for (i = 0; i < MICA_ARRAY_SIZE(lit); i++) {
		char got[64];
		int ret = mica_snprintf(got, sizeof(got), lit[i].fmt, 7);

		checks++;
		if (strcmp(got, lit[i].want) || ret != (int)strlen(lit[i].want))
			report("literal", lit[i].fmt, lit[i].want,
			       (int)strlen(lit[i].want), got, ret);
	}
}

static void truncation_cases(void)
{
	char one[1] = {'Q'};
	int ret;

	check_truncation("hello, world");
	check_truncation("%d|%s|%x", -12345, "string", 0xabcdef);
	check_truncation("%30s", "padded");
	check_truncation("%-30s|", "padded");
	check_truncation("%050d", 1);
	check_truncation("%.40d", -1);
	check_truncation("%p %s", (void *)0x1234, (char *)NULL);
	check_truncation("%%%c%%", 'c');
	check_truncation("");

	/* size 0 with a NULL buffer only measures. */
	checks++;
	ret = mica_snprintf(NULL, 0, "%s-%d", "abc", 12345);
	if (ret != 9)
		report("size 0", "%s-%d", "abc-12345", 9, "", ret);

	/* size 1 writes only the terminator. */
	checks++;
	ret = mica_snprintf(one, sizeof(one), "xyz");
	if (ret != 3 || one[0])
		report("size 1", "xyz", "", 3, one, ret);
}

/* ------------------------------------------------------------------ */
/* Random formats from the grammar, one conversion each plus literals. */

static unsigned long long rng_state;

static unsigned long long rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned int pick(unsigned int n)
{
	return rng() % n;
}

static unsigned long long random_value(void)
{
	switch (pick(5)) {
	case 0:
		return values[pick(MICA_ARRAY_SIZE(values))];
	case 1:
		return pick(100);
	case 2:
		return -(unsigned long long)pick(100);
	case 3:
		return rng() >> pick(64);
	default:
		return rng();
	}
}

static void append_literal(char *fmt, size_t *n)
{
	static const char chars[] = "ab -+#0.*xyz123%|";
	unsigned int i, len = pick(4);

	for (i = 0; i < len; i++) {
		char c = chars[pick(sizeof(chars) - 1)];

		if (c == '%') {
			fmt[(*n)++] = '%';
			fmt[(*n)++] = '%';
		} else {
			fmt[(*n)++] = c;
		}
	}
}

static void random_case(void)
{
	static const char flags[] = "-+ #0";
	static const char convs[] = "diuxXoscp%";
	char fmt[96];
	size_t n = 0;
	unsigned int i, nflags;
	int stars[2], nstar = 0;
	char conv;
	const struct length *len = &lengths[0];
	unsigned long long v = random_value();

	append_literal(fmt, &n);
	fmt[n++] = '%';
	nflags = pick(4);
	for (i = 0; i < nflags; i++)
		fmt[n++] = flags[pick(sizeof(flags) - 1)];
	switch (pick(4)) {
	case 0:
		break;
	case 1:
		fmt[n++] = '*';
		stars[nstar++] = (int)pick(41) - 20;
		break;
	default:
		n += snprintf(fmt + n, 8, "%u", pick(30) + 1);
		break;
	}
	switch (pick(4)) {
	case 0:
		break;
	case 1:
		fmt[n++] = '.';
		fmt[n++] = '*';
		stars[nstar++] = (int)pick(41) - 20;
		break;
	default:
		n += snprintf(fmt + n, 8, ".%u", pick(30));
		break;
	}
	conv = convs[pick(sizeof(convs) - 1)];
	if (strchr("diuxXo", conv)) {
		len = &lengths[pick(MICA_ARRAY_SIZE(lengths))];
		n += snprintf(fmt + n, 4, "%s", len->mod);
	}
	fmt[n++] = conv;
	append_literal(fmt, &n);
	fmt[n] = 0;

#define CALL(...)                                                    \
	do {                                                         \
		if (nstar == 0)                                      \
			check(fmt, __VA_ARGS__);                     \
		else if (nstar == 1)                                 \
			check(fmt, stars[0], __VA_ARGS__);           \
		else                                                 \
			check(fmt, stars[0], stars[1], __VA_ARGS__); \
	} while (0)

	switch (conv) {
	case 's':
		CALL(pick(8) ? "random string" + pick(13) : NULL);
		break;
	case 'c':
		CALL((int)(v & 0xff));
		break;
	case 'p':
		CALL(pick(4) ? (void *)(uintptr_t)v : NULL);
		break;
	case '%':
		/* "%*%" consumes nothing in glibc: keep the stars out. */
		if (!nstar)
			check(fmt);
		break;
	default:
		switch (len->kind) {
		case ARG_INT:
			CALL((int)v);
			break;
		case ARG_LONG:
			CALL((long)v);
			break;
		case ARG_LLONG:
			CALL((long long)v);
			break;
		case ARG_SIZE:
			CALL((size_t)v);
			break;
		case ARG_PTRDIFF:
			CALL((ptrdiff_t)v);
			break;
		case ARG_INTMAX:
			CALL((intmax_t)v);
			break;
		}
		break;
	}
#undef CALL
}

int main(void)
{
	const char *seed_env = getenv("MICA_FORMAT_SEED");
	unsigned long long seed =
		seed_env ? strtoull(seed_env, NULL, 0) : 0x6d696361ULL;
	unsigned long i, before;

	rng_state = seed ? seed : 1;

	matrix_integers();
	matrix_others();
	matrix_stars();
	fixed_cases();
	mica_only_cases();
	truncation_cases();
	before = checks;
	for (i = 0; i < 200000; i++)
		random_case();

	printf("# format_vs_libc: %lu checks (%lu random, seed %#llx), "
	       "%lu failed\n",
	       checks, checks - before, seed, failures);
	return failures ? 1 : 0;
}
