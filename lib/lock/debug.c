/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LIB_LOCK_DEBUG: refuse a wait that closes a cycle of lock holders.
 *
 * Before a thread waits for a lock held by one thread, the chain "the
 * holder, the lock it waits for, that lock's holder, ..." is followed;
 * if it comes back to the waiter, no one in it can ever run again, so
 * the wait is refused with -EDEADLK and the cycle is printed. The walk
 * needs, for a thread, the lock it waits for and of which kind: every
 * waiter is kept in a list here while it sleeps. Only mutexes and write
 * locks have one holder; a chain ends at a semaphore or at an rwlock
 * held by readers, so cycles through those are not seen.
 *
 * Cost: one list insertion and removal per wait, and a walk whose length
 * is the chain's (at most the number of sleeping waiters) before it.
 * Nothing on the paths that do not wait.
 */
#include <errno.h>
#include <mica/lock.h>
#include "waiter.h"

static struct mica_list lock_blocked = MICA_LIST_INIT(lock_blocked);
static unsigned int lock_nblocked;

/* The one thread holding what w waits for, or NULL. */
static struct mica_thread *lock_holder(const struct lock_waiter *w)
{
	const struct mica_mutex *m;
	const struct mica_rwlock *rw;

	switch (w->kind) {
	case LOCK_MUTEX:
		m = w->lock;
		return m->depth ? m->owner : NULL;
	case LOCK_READ:
	case LOCK_WRITE:
		rw = w->lock;
		return rw->writing ? rw->writer : NULL;
	default:
		return NULL;
	}
}

/* What t sleeps waiting for, if it is a lock. */
static struct lock_waiter *lock_blocked_on(const struct mica_thread *t)
{
	struct mica_list *pos;

	mica_list_for_each(pos, &lock_blocked)
	{
		struct lock_waiter *w =
			mica_list_entry(pos, struct lock_waiter, blocked);

		if (w->thread == t)
			return w;
	}
	return NULL;
}

static void lock_report_cycle(struct lock_waiter *w)
{
	struct lock_waiter *link = w;
	struct mica_thread *t;

	mica_pr_err("deadlock: thread \"%s\" (id %lu) would wait for ever:",
		    mica_thread_name(w->thread), mica_thread_id(w->thread));
	for (;;) {
		t = lock_holder(link);
		mica_pr_err("  \"%s\" waits for %s %p, held by \"%s\"",
			    mica_thread_name(link->thread),
			    lock_what[link->kind], link->lock,
			    mica_thread_name(t));
		if (t == w->thread)
			break;
		link = lock_blocked_on(t);
	}
	mica_pr_err("  returning -EDEADLK to \"%s\"", mica_thread_name(t));
}

int lock_debug_block(struct lock_waiter *w)
{
	struct mica_thread *t = lock_holder(w);
	unsigned int hops = 0;
	struct lock_waiter *link;

	/*
	 * Every earlier wait was checked, so no cycle avoids w; still,
	 * never walk further than there are sleepers.
	 */
	while (t && t != w->thread && hops++ < lock_nblocked) {
		link = lock_blocked_on(t);
		t = link ? lock_holder(link) : NULL;
	}
	if (t == w->thread) {
		lock_report_cycle(w);
		return -EDEADLK;
	}
	mica_list_add_tail(&w->blocked, &lock_blocked);
	lock_nblocked++;
	return 0;
}

void lock_debug_unblock(struct lock_waiter *w)
{
	mica_list_del_init(&w->blocked);
	lock_nblocked--;
}
