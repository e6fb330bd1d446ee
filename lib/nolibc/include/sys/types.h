/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX <sys/types.h>: the system data types, with the widths Linux gives
 * them so that ported code and linuxu's syscalls agree.
 */
#ifndef MICA_NOLIBC_SYS_TYPES_H
#define MICA_NOLIBC_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* The signed type of size_t's width: long on LP64, int on ILP32. */
typedef __PTRDIFF_TYPE__ ssize_t;

typedef int64_t off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int id_t;
typedef unsigned int mode_t;
typedef uint64_t dev_t;
typedef uint64_t ino_t;
typedef int64_t time_t;
typedef long clock_t;
typedef long suseconds_t;
typedef unsigned int useconds_t;
typedef int clockid_t;

#endif /* MICA_NOLIBC_SYS_TYPES_H */
