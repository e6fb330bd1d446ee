/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sleep nolibc's functions call. lib/sched defines it (declared in
 * <mica/sched.h>, which nolibc cannot include: it builds without a
 * scheduler); sleep.c has the fallback for images without one.
 */
#ifndef MICA_NOLIBC_SLEEP_H
#define MICA_NOLIBC_SLEEP_H

#include <stdint.h>

void mica_sleep_ns(uint64_t ns);

#endif /* MICA_NOLIBC_SLEEP_H */
