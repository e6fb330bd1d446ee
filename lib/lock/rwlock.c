/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reader-writer locks.
 *
 * A new reader gets in at once only while no writer holds the lock or
 * waits for it: a waiting writer closes the door, so readers arriving
 * one after the other cannot keep it out for ever (writer preference).
 * Waiters queue in arrival order and are handed the lock from the front
 * (rw_grant): a writer when the lock is free, or every reader up to the
 * next writer, together. So a writer waits at most for the readers and
 * writers that came before it, and so does a reader.
 *
 * The exception is a thread that already holds a read lock: it may take
 * another without queueing even while a writer waits, since queueing
 * behind a writer that waits for the thread itself would never end.
 * Telling who holds read locks would take a list per lock; a count per
 * thread of the read locks it holds (on any rwlock) is enough to let
 * nested reads through, and to refuse most unlocks by non-holders.
 */
#include <errno.h>
#include <mica/lock.h>
#include <mica/plat/lcpu.h>
#include "waiter.h"

/* Read locks the running thread holds, over every rwlock. */
static __thread unsigned int rw_reads_held;

/*
 * Before the scheduler starts there is no thread to count for (and the
 * boot context's thread-local storage is not carried over to any
 * thread): nothing is counted then, and nothing can wait either.
 */
static void rw_reads_add(struct mica_thread *self, int n)
{
	if (self)
		rw_reads_held += n;
}

static unsigned int rw_reads(struct mica_thread *self)
{
	return self ? rw_reads_held : 0;
}

int mica_rwlock_init(struct mica_rwlock *rw)
{
	rw->writer = NULL;
	rw->writing = 0;
	rw->readers = 0;
	rw->writers_waiting = 0;
	mica_list_init(&rw->waiters);
	return 0;
}

int mica_rwlock_destroy(struct mica_rwlock *rw)
{
	unsigned long flags = mica_plat_irq_save();
	int rc = 0;

	if (rw->writing || rw->readers || !mica_list_empty(&rw->waiters)) {
		lock_report("thread \"%s\" destroys rwlock %p: writer %s, "
			    "%u readers, %s",
			    lock_thread_name(mica_thread_current()), rw,
			    rw->writing ? lock_thread_name(rw->writer) : "none",
			    rw->readers,
			    mica_list_empty(&rw->waiters) ? "no waiters"
							  : "waited for");
		rc = -EBUSY;
	}
	mica_plat_irq_restore(flags);
	return rc;
}

/* Hand the lock to the waiters at the front it can serve now. */
static int rw_grant(struct mica_rwlock *rw)
{
	struct lock_waiter *w;
	int woken = 0;

	while ((w = lock_first(&rw->waiters)) != NULL) {
		if (w->kind == LOCK_WRITE) {
			if (rw->writing || rw->readers)
				break;
			rw->writing = 1;
			rw->writer = w->thread;
			rw->writers_waiting--;
			lock_wake(w, LOCK_GRANTED);
			woken++;
			break;
		}
		if (rw->writing)
			break;
		rw->readers++;
		lock_wake(w, LOCK_GRANTED);
		woken++;
	}
	return woken;
}

static int rw_lock(struct mica_rwlock *rw, int write, uint64_t deadline_ns,
		   int try)
{
	struct mica_thread *self = mica_thread_current();
	unsigned long flags = mica_plat_irq_save();
	struct lock_waiter w;
	int rc = 0, woken = 0;

	if (rw->writing && rw->writer == self) {
		if (!try)
			lock_report("thread \"%s\" %s-locks rwlock %p, which "
				    "it holds for writing",
				    lock_thread_name(self),
				    write ? "write" : "read", rw);
		rc = try ? -EBUSY : -EDEADLK;
	} else if (write && !rw->writing && !rw->readers) {
		rw->writing = 1;
		rw->writer = self;
	} else if (!write && !rw->writing &&
		   (!rw->writers_waiting || rw_reads(self))) {
		rw->readers++;
	} else if (try) {
		rc = -EBUSY;
	} else {
		lock_waiter_init(&w, rw, write ? LOCK_WRITE : LOCK_READ);
		rw->writers_waiting += write;
		rc = lock_wait(&rw->waiters, &w, 0, deadline_ns);
		if (rc > 0) {
			rc = 0; /* LOCK_GRANTED: rw_grant counted us in */
		} else if (write) {
			/* Readers queued behind us may get in now. */
			rw->writers_waiting--;
			woken = rw_grant(rw);
		}
	}
	if (!rc && !write)
		rw_reads_add(self, 1);
	mica_plat_irq_restore(flags);
	if (woken)
		lock_resched();
	return rc;
}

int mica_rwlock_rdlock(struct mica_rwlock *rw)
{
	return rw_lock(rw, 0, 0, 0);
}

int mica_rwlock_tryrdlock(struct mica_rwlock *rw)
{
	return rw_lock(rw, 0, 0, 1);
}

int mica_rwlock_timedrdlock(struct mica_rwlock *rw, uint64_t deadline_ns)
{
	return rw_lock(rw, 0, deadline_ns, 0);
}

int mica_rwlock_wrlock(struct mica_rwlock *rw)
{
	return rw_lock(rw, 1, 0, 0);
}

int mica_rwlock_trywrlock(struct mica_rwlock *rw)
{
	return rw_lock(rw, 1, 0, 1);
}

int mica_rwlock_timedwrlock(struct mica_rwlock *rw, uint64_t deadline_ns)
{
	return rw_lock(rw, 1, deadline_ns, 0);
}

int mica_rwlock_unlock(struct mica_rwlock *rw)
{
	struct mica_thread *self = mica_thread_current();
	unsigned long flags = mica_plat_irq_save();
	int woken = 0;

	if (rw->writing && rw->writer == self) {
		rw->writing = 0;
		rw->writer = NULL;
	} else if (!rw->writing && rw->readers && (rw_reads(self) || !self)) {
		rw->readers--;
		rw_reads_add(self, -1);
	} else {
		lock_report("thread \"%s\" unlocks rwlock %p, which it does "
			    "not hold (writer %s, %u readers)",
			    lock_thread_name(self), rw,
			    rw->writing ? lock_thread_name(rw->writer) : "none",
			    rw->readers);
		mica_plat_irq_restore(flags);
		return -EPERM;
	}
	woken = rw_grant(rw);
	mica_plat_irq_restore(flags);
	if (woken)
		lock_resched();
	return 0;
}
