/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to lib/lock: how a thread waits for a lock.
 *
 * A waiting thread puts a record on its stack into the lock's queue and
 * sleeps on a wait queue of its own, inside that record. The scheduler's
 * mica_waitq_wake_one() wakes "the longest waiter" without saying which
 * thread that was; a lock that hands itself over to a waiter must know
 * who gets it, and a mutex must be able to put a waiter back at the
 * front. So the lock keeps the queue and the order, and the scheduler
 * only puts one known thread to sleep and wakes it.
 *
 * Every function here runs with interrupts masked (mica_plat_irq_save):
 * on one CPU that is what guards a lock's state.
 */
#ifndef LOCK_WAITER_H
#define LOCK_WAITER_H

#include <stdint.h>
#include <mica/list.h>
#include <mica/lock.h>
#include <mica/log.h>
#include <mica/sched.h>

#ifdef CONFIG_LIB_LOCK_DEBUG
#define LOCK_DEBUG 1
#else
#define LOCK_DEBUG 0
#endif

/* What the thread waits for; the lock is a mica_mutex, rwlock or sem. */
enum lock_kind {
	LOCK_MUTEX,
	LOCK_READ,  /* a mica_rwlock, to read */
	LOCK_WRITE, /* a mica_rwlock, to write */
	LOCK_SEM,
};

/* "mutex", "rwlock (read)"...: for the thread dump and reports. */
extern const char *const lock_what[];

/* What the waker did (lock_waiter.state, and lock_wait's result). */
enum lock_wake_state {
	LOCK_WAITING = 0,
	LOCK_WOKEN = 1,	  /* the lock was released: try again */
	LOCK_GRANTED = 2, /* the lock was handed over: the waiter holds it */
};

struct lock_waiter {
	struct mica_list node;	    /* in the lock's queue while waiting */
	struct mica_thread *thread; /* the waiter */
	struct mica_waitq wq;	    /* only this thread ever sleeps on it */
	void *lock;
	unsigned char kind;	   /* enum lock_kind */
	unsigned char state;	   /* enum lock_wake_state */
	unsigned char passed_over; /* mutex: woken, but lost the race */
#ifdef CONFIG_LIB_LOCK_DEBUG
	struct mica_list blocked; /* in debug.c's list of blocked waiters */
#endif
};

static inline void lock_waiter_init(struct lock_waiter *w, void *lock,
				    enum lock_kind kind)
{
	w->thread = mica_thread_current();
	mica_waitq_init(&w->wq);
	w->lock = lock;
	w->kind = kind;
	w->state = LOCK_WAITING;
	w->passed_over = 0;
}

/*
 * Queue w (at the back, or at the front) and sleep until a waker sets its
 * state or the deadline passes. Returns LOCK_WOKEN or LOCK_GRANTED; or
 * -ETIMEDOUT, or -EDEADLK when the wait could never end, with w taken off
 * the queue again. A waiter granted the lock just as its deadline passed
 * holds it: the grant wins.
 */
int lock_wait(struct mica_list *queue, struct lock_waiter *w, int at_front,
	      uint64_t deadline_ns);

/* The first waiter of a queue, or NULL. */
static inline struct lock_waiter *lock_first(struct mica_list *queue)
{
	if (mica_list_empty(queue))
		return NULL;
	return mica_list_first_entry(queue, struct lock_waiter, node);
}

/* Take w off its queue, tell it what happened, make it runnable. */
static inline void lock_wake(struct lock_waiter *w, enum lock_wake_state st)
{
	mica_list_del_init(&w->node);
	w->state = st;
	mica_waitq_wake_one(&w->wq);
}

/*
 * After waking a thread, with interrupts as the caller of the lock
 * function had them: let the woken thread run now if the scheduler says
 * it should (a higher priority under sched-preempt). Not from interrupt
 * handlers or with interrupts masked: the switch then waits until they
 * are unmasked, which the scheduler arranges.
 */
static inline void lock_resched(void)
{
	if (!mica_plat_irq_disabled())
		mica_sched_resched();
}

static inline const char *lock_thread_name(const struct mica_thread *t)
{
	return t ? mica_thread_name(t) : "(boot)";
}

/* Misuse reports: compiled in with LIB_LOCK_DEBUG only. */
#define lock_report(fmt, ...)                            \
	do {                                             \
		if (LOCK_DEBUG)                          \
			mica_pr_err(fmt, ##__VA_ARGS__); \
	} while (0)

/* mutex.c, for cond.c: with interrupts masked. */
int lock_mutex_release(struct mica_mutex *m);

#ifdef CONFIG_LIB_LOCK_DEBUG
/* debug.c: the deadlock check and the list it walks. */
int lock_debug_block(struct lock_waiter *w);
void lock_debug_unblock(struct lock_waiter *w);
#else
static inline int lock_debug_block(struct lock_waiter *w)
{
	return 0;
}
static inline void lock_debug_unblock(struct lock_waiter *w)
{
}
#endif

#endif /* LOCK_WAITER_H */
