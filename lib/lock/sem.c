/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counting semaphores. up hands its unit straight to the first waiter
 * instead of raising the count: a thread calling down meanwhile cannot
 * take it, so waiters are served in order and none starves. It follows
 * that the count is 0 whenever a thread waits.
 */
#include <errno.h>
#include <limits.h>
#include <mica/lock.h>
#include <mica/plat/lcpu.h>
#include "waiter.h"

int mica_sem_init(struct mica_sem *s, unsigned int count)
{
	s->count = count;
	mica_list_init(&s->waiters);
	return 0;
}

int mica_sem_destroy(struct mica_sem *s)
{
	unsigned long flags = mica_plat_irq_save();
	int rc = 0;

	if (!mica_list_empty(&s->waiters)) {
		lock_report("thread \"%s\" destroys semaphore %p, waited on "
			    "by \"%s\"",
			    lock_thread_name(mica_thread_current()), s,
			    lock_thread_name(lock_first(&s->waiters)->thread));
		rc = -EBUSY;
	}
	mica_plat_irq_restore(flags);
	return rc;
}

static int sem_down(struct mica_sem *s, uint64_t deadline_ns, int try)
{
	unsigned long flags = mica_plat_irq_save();
	struct lock_waiter w;
	int rc = 0;

	if (s->count) {
		s->count--;
	} else if (try) {
		rc = -EBUSY;
	} else {
		lock_waiter_init(&w, s, LOCK_SEM);
		rc = lock_wait(&s->waiters, &w, 0, deadline_ns);
		if (rc > 0)
			rc = 0; /* LOCK_GRANTED: up gave us its unit */
	}
	mica_plat_irq_restore(flags);
	return rc;
}

int mica_sem_down(struct mica_sem *s)
{
	return sem_down(s, 0, 0);
}

int mica_sem_trydown(struct mica_sem *s)
{
	return sem_down(s, 0, 1);
}

int mica_sem_timeddown(struct mica_sem *s, uint64_t deadline_ns)
{
	return sem_down(s, deadline_ns, 0);
}

int mica_sem_up(struct mica_sem *s)
{
	unsigned long flags = mica_plat_irq_save();
	struct lock_waiter *w = lock_first(&s->waiters);
	int rc = 0;

	if (w)
		lock_wake(w, LOCK_GRANTED);
	else if (s->count == UINT_MAX)
		rc = -EOVERFLOW;
	else
		s->count++;
	mica_plat_irq_restore(flags);
	if (w)
		lock_resched();
	return rc;
}
