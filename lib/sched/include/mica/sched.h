/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads and scheduling: the API every scheduler implementation serves.
 *
 * Threads run on one CPU. Scheduler state is guarded by masking
 * interrupts; code that runs with interrupts unmasked may be preempted
 * (under sched-preempt) and may call everything here. The policy - which
 * runnable thread runs next - comes from the implementation library
 * chosen in menuconfig (sched-coop, sched-preempt), see sched_policy.h.
 *
 * Errors are negative errno values. Times are monotonic nanoseconds
 * (mica/plat/time.h); a deadline of 0 means "no deadline".
 */
#ifndef MICA_SCHED_H
#define MICA_SCHED_H

#include <stddef.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/list.h>

struct mica_thread;

/* Priorities: higher runs first (sched-preempt); sched-coop ignores them. */
#define MICA_PRIO_MIN	  1
#define MICA_PRIO_DEFAULT 16
#define MICA_PRIO_MAX	  31

#define MICA_THREAD_NAME_MAX 24 /* bytes kept, with the NUL */

typedef void *(*mica_thread_fn)(void *arg);

struct mica_thread_attr {
	const char *name;  /* copied; NULL: "thread-<id>" */
	size_t stack_size; /* 0: CONFIG_LIB_SCHED_STACK_SIZE; page-rounded */
	int prio;	   /* 0: the creator's priority */
	int detached;	   /* resources go at exit; cannot be joined */
};

/*
 * Create a thread running fn(arg); its return value is what join sees.
 * attr may be NULL. The new thread is runnable at once (under
 * sched-preempt it runs before this returns if its priority is higher).
 * Returns 0 and *out (if out is not NULL), -ENOMEM, or -EINVAL.
 */
int mica_thread_create(struct mica_thread **out,
		       const struct mica_thread_attr *attr, mica_thread_fn fn,
		       void *arg);

/*
 * Wait for t to exit, store its return value in *retval (if not NULL),
 * and free it. -EINVAL: t is detached or already being joined;
 * -EDEADLK: t is the caller.
 */
int mica_thread_join(struct mica_thread *t, void **retval);

/* Free t's resources when it exits instead of at join. -EINVAL if joined. */
int mica_thread_detach(struct mica_thread *t);

/*
 * End the calling thread. Returning from main() ends the image with its
 * status; if main's thread ends this way instead, the image ends with 0
 * once the last thread has ended.
 */
void mica_thread_exit(void *retval) __mica_noreturn;

/* Let other runnable threads (of the same priority) run. */
void mica_thread_yield(void);

struct mica_thread *mica_thread_current(void);
const char *mica_thread_name(const struct mica_thread *t);
/* Rename t; the name is cut at MICA_THREAD_NAME_MAX - 1 bytes. */
int mica_thread_set_name(struct mica_thread *t, const char *name);
unsigned long mica_thread_id(const struct mica_thread *t);
int mica_thread_prio(const struct mica_thread *t);
/* -EINVAL outside MICA_PRIO_MIN..MICA_PRIO_MAX. */
int mica_thread_set_prio(struct mica_thread *t, int prio);

/* Sleep for ns / until a monotonic deadline. */
void mica_sleep_ns(uint64_t ns);
void mica_sleep_until(uint64_t deadline_ns);

/*
 * Wait queues: the one blocking primitive; locks are built on it.
 *
 * mica_waitq_wait() must be called with interrupts masked
 * (mica_plat_irq_save()), after the caller checked its condition under the
 * same mask, so no wake-up is lost; it blocks until a wake or the deadline
 * and returns with interrupts masked again: 0 when woken, -ETIMEDOUT.
 * Wakes may come from threads or interrupt handlers, masked or not.
 */
struct mica_waitq {
	struct mica_list waiters;
};

#define MICA_WAITQ_INIT(name)                  \
	{                                      \
		MICA_LIST_INIT((name).waiters) \
	}

static inline void mica_waitq_init(struct mica_waitq *wq)
{
	mica_list_init(&wq->waiters);
}

static inline int mica_waitq_empty(const struct mica_waitq *wq)
{
	return mica_list_empty(&wq->waiters);
}

int mica_waitq_wait(struct mica_waitq *wq, uint64_t deadline_ns);
/* Wake the longest waiter / all waiters. Returns how many were woken. */
int mica_waitq_wake_one(struct mica_waitq *wq);
int mica_waitq_wake_all(struct mica_waitq *wq);

/*
 * A wake only marks the woken thread runnable. Call this with interrupts
 * unmasked after waking (e.g. at the end of an unlock) to switch at once
 * if the woken thread should run before the caller.
 */
void mica_sched_resched(void);

/*
 * What a blocked thread waits for, for deadlock checks and the thread
 * dump (lib/lock sets it to the lock). NULL when not blocked on a lock.
 */
void mica_thread_set_waiting_on(void *obj, const char *what);
void *mica_thread_waiting_on(const struct mica_thread *t);

/* Print every thread: id, name, state, priority, stack use, wait. */
void mica_sched_dump(void);

/* Call fn for every thread (interrupts masked; fn must not block). */
void mica_sched_for_each(void (*fn)(struct mica_thread *t, void *arg),
			 void *arg);

/* Threads created and not yet freed (including main and idle). */
unsigned int mica_sched_thread_count(void);

#endif /* MICA_SCHED_H */
