/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runs in-image test suites (lib/<x>/tests/) as a host program, under
 * ASan and UBSan. This is lib/test's reporting back end in miniature plus
 * the few platform services the code under test reaches: the console
 * (stdout), mica_crash and mica_exit.
 *
 * Cases come from the "mica_host_tests" section that
 * tests/host/include/mica/test.h puts them in; they run suite by suite.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mica/debug.h>
#include <mica/print.h>
#include <mica/test.h>

/* Weak: a program without any case still links, and says so. */
extern const struct mica_test_case __start_mica_host_tests[] __mica_weak;
extern const struct mica_test_case __stop_mica_host_tests[] __mica_weak;

static const struct mica_test_case *current;
static int current_failed;

static void fail_header(const char *file, int line, const char *expr)
{
	current_failed = 1;
	printf("# %s.%s: %s:%d: expected %s\n", current->suite, current->name,
	       file, line, expr);
}

int mica_test_check(int ok, const char *file, int line, const char *expr)
{
	if (!ok)
		fail_header(file, line, expr);
	return ok;
}

int mica_test_check_int(int ok, const char *file, int line, const char *expr,
			long long a, long long b)
{
	if (!ok) {
		fail_header(file, line, expr);
		printf("#   left %lld (%#llx), right %lld (%#llx)\n", a,
		       (unsigned long long)a, b, (unsigned long long)b);
	}
	return ok;
}

int mica_test_check_str(const char *file, int line, const char *expr,
			const char *a, const char *b, int want_equal)
{
	int equal = a && b ? !strcmp(a, b) : a == b;

	if (equal != want_equal) {
		fail_header(file, line, expr);
		printf("#   left \"%s\", right \"%s\"\n", a ? a : "(null)",
		       b ? b : "(null)");
		return 0;
	}
	return 1;
}

int mica_test_check_mem(const char *file, int line, const char *expr,
			const void *a, const void *b, size_t n)
{
	if (memcmp(a, b, n)) {
		fail_header(file, line, expr);
		return 0;
	}
	return 1;
}

void mica_test_log(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Platform services, host style. */

void mica_console_write(const char *s, size_t len)
{
	fflush(stdout);
	while (len) {
		ssize_t n = write(1, s, len);

		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

size_t mica_console_read(char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return 0;
}

static void console_sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	mica_console_write(s, len);
}

int mica_vprintf(const char *fmt, va_list ap)
{
	return mica_vformat(console_sink, NULL, fmt, ap);
}

int mica_printf(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = mica_vprintf(fmt, ap);
	va_end(ap);
	return ret;
}

void mica_crash(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# CRASH at %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(MICA_EXIT_CRASH);
}

void mica_exit(int status)
{
	printf("# mica_exit(%d) called by a test\n", status);
	exit(status ? status : 1);
}

/* Sort pointers into the section: suite name, then link order. */
static int by_suite(const void *a, const void *b)
{
	const struct mica_test_case *x = *(const struct mica_test_case **)a;
	const struct mica_test_case *y = *(const struct mica_test_case **)b;
	int c = strcmp(x->suite, y->suite);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

int main(void)
{
	size_t n = __stop_mica_host_tests - __start_mica_host_tests, i;
	const struct mica_test_case **cases = malloc(n * sizeof(*cases));
	int failed = 0, suite_failed = 0;

	if (!n || !cases) {
		printf("# no test cases found\n");
		free(cases);
		return 1;
	}
	for (i = 0; i < n; i++)
		cases[i] = &__start_mica_host_tests[i];
	qsort(cases, n, sizeof(*cases), by_suite);

	for (i = 0; i < n; i++) {
		current = cases[i];
		current_failed = 0;
		current->fn();
		if (current_failed) {
			printf("# not ok %s.%s\n", current->suite,
			       current->name);
			failed++;
			suite_failed = 1;
		}
		if (i + 1 == n || strcmp(cases[i + 1]->suite, current->suite)) {
			printf("# %s %s\n", suite_failed ? "not ok" : "ok",
			       current->suite);
			suite_failed = 0;
		}
	}
	printf("# %zu cases, %d failed\n", n, failed);
	fflush(stdout);
	free(cases);
	return failed ? 1 : 0;
}
