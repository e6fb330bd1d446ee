/* SPDX-License-Identifier: BSD-3-Clause */
/* POSIX <strings.h>: case-insensitive comparison in the C locale. */
#ifndef MICA_NOLIBC_STRINGS_H
#define MICA_NOLIBC_STRINGS_H

#include <stddef.h>

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#endif /* MICA_NOLIBC_STRINGS_H */
