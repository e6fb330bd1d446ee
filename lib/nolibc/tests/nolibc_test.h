/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by nolibc's in-image tests. The limits come from GCC's
 * predefined macros: <limits.h> is GCC's business, and its copy needs a
 * libc's limits.h behind it in a -nostdinc build.
 */
#ifndef MICA_NOLIBC_TEST_H
#define MICA_NOLIBC_TEST_H

#define T_INT_MAX    __INT_MAX__
#define T_INT_MIN    (-__INT_MAX__ - 1)
#define T_UINT_MAX   (__INT_MAX__ * 2U + 1)
#define T_LONG_MAX   __LONG_MAX__
#define T_LONG_MIN   (-__LONG_MAX__ - 1L)
#define T_ULONG_MAX  (__LONG_MAX__ * 2UL + 1)
#define T_LLONG_MAX  __LONG_LONG_MAX__
#define T_LLONG_MIN  (-__LONG_LONG_MAX__ - 1LL)
#define T_ULLONG_MAX (__LONG_LONG_MAX__ * 2ULL + 1)

#endif /* MICA_NOLIBC_TEST_H */
