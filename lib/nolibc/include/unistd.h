/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <unistd.h>, the part an image without files or processes can offer:
 * sleeping (see <time.h> for how a sleep waits).
 */
#ifndef MICA_NOLIBC_UNISTD_H
#define MICA_NOLIBC_UNISTD_H

#include <stddef.h>
#include <sys/types.h>

/* Sleeps are never interrupted: sleep() returns 0, usleep() 0. */
unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);

#endif /* MICA_NOLIBC_UNISTD_H */
