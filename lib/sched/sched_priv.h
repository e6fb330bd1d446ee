/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/sched: what sched.c, thread.c and waitq.c share. */
#ifndef SCHED_PRIV_H
#define SCHED_PRIV_H

#include <mica/sched_policy.h>

extern struct mica_thread *sched_current;
extern struct mica_list sched_threads; /* every thread but idle */
extern unsigned int sched_live;	       /* not yet exited, but idle */

/* With interrupts masked: run the next thread (current is queued,
 * blocked or exited already). preempted: current was interrupted. */
void sched_switch(int preempted);

/* With interrupts masked, first thing in a thread switched to: free
 * exited threads, start its time slice. */
void sched_after_switch(void);

/* With interrupts masked: t is runnable now; wake_reason for its wait. */
void sched_wake(struct mica_thread *t, int reason);

/* With interrupts masked: keep t in the sleepers list until deadline. */
void sched_sleep_add(struct mica_thread *t, uint64_t deadline);

/* With interrupts masked: arm the platform timer for the next event. */
void sched_timer_program(void);

/* With interrupts masked: an exited detached thread, freed by the next. */
void sched_zombie(struct mica_thread *t);

/* Free an exited thread (not the running one). */
void sched_thread_free(struct mica_thread *t);

/* Make a thread for main and turn the boot context into idle. */
void sched_threads_init(struct mica_thread *idle);
struct mica_thread *sched_thread_new(const struct mica_thread_attr *attr,
				     size_t default_stack, mica_thread_fn fn,
				     void *arg, int *err);

#endif /* SCHED_PRIV_H */
