/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX <sched.h>: yielding and priorities, on lib/sched.
 *
 * Priorities are lib/sched's: sched_priority 1..31 (MICA_PRIO_MIN..
 * MICA_PRIO_MAX), higher runs first under sched-preempt; sched-coop
 * ignores them. 0 stands for the default priority (16), so code written
 * for Linux's SCHED_OTHER, whose only priority is 0, keeps working. The
 * policy is the image's scheduler: SCHED_FIFO and SCHED_RR are accepted
 * and reported back but change nothing.
 */
#ifndef MICA_PTHREAD_SCHED_H
#define MICA_PTHREAD_SCHED_H

#include <time.h>

/* Linux's numbers. */
#define SCHED_OTHER 0
#define SCHED_FIFO  1
#define SCHED_RR    2

struct sched_param {
	int sched_priority;
};

/* Let other runnable threads of the same priority run. Always 0. */
int sched_yield(void);

/* 1 and 31 for every policy; -1 with errno EINVAL for an unknown one. */
int sched_get_priority_min(int policy);
int sched_get_priority_max(int policy);

#endif /* MICA_PTHREAD_SCHED_H */
