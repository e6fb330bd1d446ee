/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * For scheduler implementations (sched-coop, sched-preempt): the thread
 * structure and the policy operations lib/sched calls. Applications use
 * mica/sched.h only.
 *
 * Every operation is called with interrupts masked. The running thread
 * is never in the policy's queues; the idle thread never is either (it
 * runs when pick_next finds nothing).
 */
#ifndef MICA_SCHED_POLICY_H
#define MICA_SCHED_POLICY_H

#include <stdint.h>
#include <mica/arch/ctx.h>
#include <mica/list.h>
#include <mica/sched.h>

enum mica_thread_state {
	MICA_THREAD_RUNNABLE, /* in the policy's queue */
	MICA_THREAD_RUNNING,
	MICA_THREAD_BLOCKED, /* on a wait queue and/or asleep */
	MICA_THREAD_EXITED,  /* waiting to be joined or reaped */
};

#define MICA_THREAD_DETACHED 0x1
#define MICA_THREAD_JOINED   0x2 /* someone is in join() */
#define MICA_THREAD_MAIN     0x4
#define MICA_THREAD_IDLE     0x8

struct mica_thread {
	struct mica_arch_ctx ctx;
	struct mica_list node;	/* run queue or wait queue */
	struct mica_list sleep; /* in the deadline-sorted sleepers list */
	struct mica_list all;	/* every thread */
	uint64_t deadline;	/* wake at, if in sleepers; else 0 */
	struct mica_waitq *wq;	/* blocked on, or NULL */
	int wake_reason;	/* 0: woken, -ETIMEDOUT */
	enum mica_thread_state state;
	int prio;
	unsigned int flags;
	unsigned long id;
	mica_thread_fn fn;
	void *arg;
	void *retval;
	struct mica_waitq join_wq;
	void *waiting_on; /* lib/lock: the lock blocked on */
	const char *waiting_what;
	void *mem; /* the allocation: guard page, stack, TLS, this */
	size_t mem_pages;
	uintptr_t guard;	      /* guard page, or 0 */
	uintptr_t stack_lo, stack_hi; /* usable stack */
	uintptr_t tp;		      /* thread pointer (TLS) */
	uint64_t switches;	      /* times switched to */
	char name[MICA_THREAD_NAME_MAX];
};

struct mica_sched_policy {
	const char *name;
	/* t became runnable: queue it (at the back of its priority). */
	void (*enqueue)(struct mica_thread *t);
	/* Take t out of the queue (a priority change). */
	void (*dequeue)(struct mica_thread *t);
	/* Remove and return the thread to run next, or NULL. */
	struct mica_thread *(*pick_next)(void);
	/* Should woken, just queued, run before the running thread? */
	int (*preempts)(const struct mica_thread *running,
			const struct mica_thread *woken);
	/*
	 * Time slices: slice_ns, or 0 for none. While has_peer(running)
	 * says a thread waits that would share the CPU with it, the core
	 * preempts running after slice_ns of continuous running.
	 */
	uint64_t slice_ns;
	int (*has_peer)(const struct mica_thread *running);
};

/* Defined by the one selected implementation library. */
extern const struct mica_sched_policy mica_sched_policy;

#endif /* MICA_SCHED_POLICY_H */
