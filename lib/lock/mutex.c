/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mutexes.
 *
 * Unlock wakes the first waiter and lets it try again; it does not hand
 * the mutex over. Handing over would keep the mutex "held" by a thread
 * that is not running yet: a thread that unlocks and locks again at once
 * (the common loop) would then have to sleep and switch every time, and
 * once two threads alternate like that every critical section costs a
 * context switch (a lock convoy). Letting a running thread take a free
 * mutex avoids that, but on its own could starve a waiter that is woken
 * again and again only to find the mutex taken. So a woken waiter that
 * loses once goes back to the front of the queue, marked passed over,
 * and the next unlock hands the mutex to it directly. Every waiter is
 * served in arrival order and loses at most one race.
 */
#include <errno.h>
#include <limits.h>
#include <mica/lock.h>
#include <mica/plat/lcpu.h>
#include "waiter.h"

int mica_mutex_init(struct mica_mutex *m, unsigned int flags)
{
	if (flags & ~MICA_MUTEX_RECURSIVE)
		return -EINVAL;
	m->owner = NULL;
	m->depth = 0;
	m->flags = flags;
	mica_list_init(&m->waiters);
	return 0;
}

int mica_mutex_destroy(struct mica_mutex *m)
{
	unsigned long flags = mica_plat_irq_save();
	int rc = 0;

	if (m->depth || !mica_list_empty(&m->waiters)) {
		struct mica_thread *by =
			m->depth ? m->owner : lock_first(&m->waiters)->thread;

		lock_report("thread \"%s\" destroys mutex %p, %s by \"%s\"",
			    lock_thread_name(mica_thread_current()), m,
			    m->depth ? "held" : "waited for",
			    lock_thread_name(by));
		rc = -EBUSY;
	}
	mica_plat_irq_restore(flags);
	return rc;
}

/* The owner locks it again. */
static int mutex_relock(struct mica_mutex *m, int try)
{
	if (m->flags & MICA_MUTEX_RECURSIVE) {
		if (m->depth == UINT_MAX)
			return -EAGAIN;
		m->depth++;
		return 0;
	}
	if (try)
		return -EBUSY;
	lock_report("thread \"%s\" locks mutex %p, which it holds already",
		    lock_thread_name(m->owner), m);
	return -EDEADLK;
}

static int mutex_lock(struct mica_mutex *m, uint64_t deadline_ns, int try)
{
	struct mica_thread *self = mica_thread_current();
	unsigned long flags = mica_plat_irq_save();
	struct lock_waiter w;
	int rc;

	lock_waiter_init(&w, m, LOCK_MUTEX);
	for (;;) {
		/* depth, not owner: before the scheduler, owner is NULL. */
		if (!m->depth) {
			m->owner = self;
			m->depth = 1;
			rc = 0;
			break;
		}
		if (m->owner == self) {
			rc = mutex_relock(m, try);
			break;
		}
		if (try) {
			rc = -EBUSY;
			break;
		}
		rc = lock_wait(&m->waiters, &w, w.passed_over, deadline_ns);
		if (rc == LOCK_GRANTED) {
			rc = 0; /* the unlocker made us the owner */
			break;
		}
		if (rc < 0)
			break;
		/* Woken: if someone took it first, wait at the front. */
		w.passed_over = 1;
	}
	mica_plat_irq_restore(flags);
	return rc;
}

int mica_mutex_lock(struct mica_mutex *m)
{
	return mutex_lock(m, 0, 0);
}

int mica_mutex_trylock(struct mica_mutex *m)
{
	return mutex_lock(m, 0, 1);
}

int mica_mutex_timedlock(struct mica_mutex *m, uint64_t deadline_ns)
{
	return mutex_lock(m, deadline_ns, 0);
}

/*
 * The owner lets go, however many times it locked it. Returns 1 if it
 * woke a waiter (which may now own the mutex).
 */
int lock_mutex_release(struct mica_mutex *m)
{
	struct lock_waiter *w = lock_first(&m->waiters);

	m->depth = 0;
	if (!w) {
		m->owner = NULL;
		return 0;
	}
	if (w->passed_over) {
		m->owner = w->thread;
		m->depth = 1;
		lock_wake(w, LOCK_GRANTED);
	} else {
		m->owner = NULL;
		lock_wake(w, LOCK_WOKEN);
	}
	return 1;
}

int mica_mutex_unlock(struct mica_mutex *m)
{
	struct mica_thread *self = mica_thread_current();
	unsigned long flags = mica_plat_irq_save();
	int woke = 0;

	if (!m->depth || m->owner != self) {
		if (!m->depth)
			lock_report("thread \"%s\" unlocks mutex %p, which is "
				    "not locked",
				    lock_thread_name(self), m);
		else
			lock_report("thread \"%s\" unlocks mutex %p, held by "
				    "\"%s\"",
				    lock_thread_name(self), m,
				    lock_thread_name(m->owner));
		mica_plat_irq_restore(flags);
		return -EPERM;
	}
	if (--m->depth == 0)
		woke = lock_mutex_release(m);
	mica_plat_irq_restore(flags);
	if (woke)
		lock_resched();
	return 0;
}
