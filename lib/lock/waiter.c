/* SPDX-License-Identifier: BSD-3-Clause */
/* Waiting for a lock: the one place where lib/lock sleeps. */
#include <errno.h>
#include <mica/plat/lcpu.h>
#include "waiter.h"

/* For mica_sched_dump ("waits on mutex 0x..."). */
const char *const lock_what[] = {
	[LOCK_MUTEX] = "mutex",
	[LOCK_READ] = "rwlock (read)",
	[LOCK_WRITE] = "rwlock (write)",
	[LOCK_SEM] = "semaphore",
};

int lock_wait(struct mica_list *queue, struct lock_waiter *w, int at_front,
	      uint64_t deadline_ns)
{
	int rc;

	/* Before the scheduler starts there is nobody to release it. */
	if (mica_unlikely(!w->thread)) {
		lock_report("waiting for %s %p before the scheduler starts: "
			    "nothing could end the wait",
			    lock_what[w->kind], w->lock);
		return -EDEADLK;
	}
	rc = lock_debug_block(w);
	if (rc)
		return rc;
	w->state = LOCK_WAITING;
	if (at_front)
		mica_list_add(&w->node, queue);
	else
		mica_list_add_tail(&w->node, queue);
	mica_thread_set_waiting_on(w->lock, lock_what[w->kind]);
	/* Nothing but our waker touches w->wq; still, trust only state. */
	do {
		rc = mica_waitq_wait(&w->wq, deadline_ns);
	} while (!rc && w->state == LOCK_WAITING);
	mica_thread_set_waiting_on(NULL, NULL);
	lock_debug_unblock(w);
	if (w->state != LOCK_WAITING)
		return w->state;
	mica_list_del_init(&w->node);
	return rc;
}
