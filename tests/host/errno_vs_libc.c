/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host test: nolibc's error numbers are Linux's, i.e. equal to what the
 * host's <errno.h> says for every name, and strerror() knows them all.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

extern const int mica_host_nolibc_errnos[];
extern const size_t mica_host_nolibc_errno_count;
const char *mica_host_nolibc_strerror(int errnum);
int mica_host_nolibc_errno_roundtrip(int value);

#define ERRNO_NAME(name) {#name, name},
static const struct {
	const char *name;
	int value;
} host[] = {
#include "errno_names.h"
};
#undef ERRNO_NAME

int main(void)
{
	const size_t n = sizeof(host) / sizeof(host[0]);
	unsigned int failures = 0;
	size_t i;

	if (n != mica_host_nolibc_errno_count) {
		printf("# tables differ in size\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		const char *msg = mica_host_nolibc_strerror(host[i].value);

		if (mica_host_nolibc_errnos[i] != host[i].value) {
			printf("# %s: nolibc %d, host %d\n", host[i].name,
			       mica_host_nolibc_errnos[i], host[i].value);
			failures++;
		}
		if (!msg || !strcmp(msg, "Unknown error")) {
			printf("# strerror(%s) has no message\n", host[i].name);
			failures++;
		}
	}
	if (strcmp(mica_host_nolibc_strerror(0), "Success") ||
	    strcmp(mica_host_nolibc_strerror(-1), "Unknown error") ||
	    strcmp(mica_host_nolibc_strerror(134), "Unknown error") ||
	    strcmp(mica_host_nolibc_strerror(1 << 30), "Unknown error")) {
		printf("# strerror out of range\n");
		failures++;
	}
	if (mica_host_nolibc_errno_roundtrip(ERANGE) != ERANGE ||
	    mica_host_nolibc_errno_roundtrip(0) != 0) {
		printf("# errno does not read back\n");
		failures++;
	}
	printf("# errno_vs_libc: %zu names, %u failed\n", n, failures);
	return failures ? 1 : 0;
}
