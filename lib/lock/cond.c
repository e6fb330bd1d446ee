/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Condition variables. A plain wait queue is enough: nothing is handed
 * over, a woken thread simply locks the mutex again. What matters is
 * that releasing the mutex and going to sleep are one step, under the
 * interrupt mask: a thread that signals must first take the mutex, so it
 * can only do so once the waiter is already on the queue.
 */
#include <errno.h>
#include <mica/lock.h>
#include <mica/plat/lcpu.h>
#include "waiter.h"

int mica_cond_init(struct mica_cond *c)
{
	mica_waitq_init(&c->wq);
	return 0;
}

int mica_cond_destroy(struct mica_cond *c)
{
	if (!mica_waitq_empty(&c->wq)) {
		lock_report("thread \"%s\" destroys condvar %p, waited on",
			    lock_thread_name(mica_thread_current()), c);
		return -EBUSY;
	}
	return 0;
}

static int cond_wait(struct mica_cond *c, struct mica_mutex *m,
		     uint64_t deadline_ns)
{
	struct mica_thread *self = mica_thread_current();
	unsigned long flags = mica_plat_irq_save();
	int rc, lrc;

	/* Before the scheduler starts, nothing could signal. */
	if (!self) {
		mica_plat_irq_restore(flags);
		return -EDEADLK;
	}
	if (!m->depth || m->owner != self) {
		lock_report("thread \"%s\" waits on condvar %p without "
			    "holding mutex %p",
			    lock_thread_name(self), c, m);
		mica_plat_irq_restore(flags);
		return -EPERM;
	}
	/* The outer holder would find its state changed under it. */
	if (m->depth > 1) {
		lock_report("thread \"%s\" waits on condvar %p holding "
			    "recursive mutex %p %u times",
			    lock_thread_name(self), c, m, m->depth);
		mica_plat_irq_restore(flags);
		return -EINVAL;
	}
	/* A waiter this wakes runs once we sleep. */
	lock_mutex_release(m);
	mica_thread_set_waiting_on(c, "condvar");
	rc = mica_waitq_wait(&c->wq, deadline_ns);
	mica_thread_set_waiting_on(NULL, NULL);
	mica_plat_irq_restore(flags);
	/* Even after a timeout; the deadline was for the signal. */
	lrc = mica_mutex_lock(m);
	return lrc ? lrc : rc;
}

int mica_cond_wait(struct mica_cond *c, struct mica_mutex *m)
{
	return cond_wait(c, m, 0);
}

int mica_cond_timedwait(struct mica_cond *c, struct mica_mutex *m,
			uint64_t deadline_ns)
{
	return cond_wait(c, m, deadline_ns);
}

int mica_cond_signal(struct mica_cond *c)
{
	if (mica_waitq_wake_one(&c->wq))
		lock_resched();
	return 0;
}

int mica_cond_broadcast(struct mica_cond *c)
{
	if (mica_waitq_wake_all(&c->wq))
		lock_resched();
	return 0;
}
