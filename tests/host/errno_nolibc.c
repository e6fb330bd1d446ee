/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc's side of errno_vs_libc: its error numbers, built against its
 * own <errno.h> (this file is one of the test's nolibc-srcs). */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#define ERRNO_NAME(name) name,
const int mica_host_nolibc_errnos[] = {
#include "errno_names.h"
};
#undef ERRNO_NAME

const size_t mica_host_nolibc_errno_count =
	sizeof(mica_host_nolibc_errnos) / sizeof(mica_host_nolibc_errnos[0]);

/* strerror through nolibc's headers, for the other side to call. */
const char *mica_host_nolibc_strerror(int errnum)
{
	return strerror(errnum);
}

/* errno must be an assignable lvalue that reads back. */
int mica_host_nolibc_errno_roundtrip(int value)
{
	errno = value;
	return errno;
}
