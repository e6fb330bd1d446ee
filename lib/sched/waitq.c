/* SPDX-License-Identifier: BSD-3-Clause */
/* Wait queues and sleeping. */
#include <errno.h>
#include <mica/debug.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include "sched_priv.h"

int mica_waitq_wait(struct mica_waitq *wq, uint64_t deadline_ns)
{
	struct mica_thread *t = sched_current;

	MICA_ASSERT(mica_plat_irq_disabled());
	if (t->flags & MICA_THREAD_IDLE)
		MICA_CRASH("the idle thread cannot block");
	if (deadline_ns && deadline_ns <= mica_plat_monotonic_ns())
		return -ETIMEDOUT;
	t->state = MICA_THREAD_BLOCKED;
	t->wq = wq;
	t->wake_reason = 0;
	mica_list_add_tail(&t->node, &wq->waiters);
	if (deadline_ns)
		sched_sleep_add(t, deadline_ns);
	sched_switch(0);
	return t->wake_reason;
}

int mica_waitq_wake_one(struct mica_waitq *wq)
{
	unsigned long flags = mica_plat_irq_save();
	int n = 0;

	if (!mica_list_empty(&wq->waiters)) {
		sched_wake(mica_list_first_entry(&wq->waiters,
						 struct mica_thread, node),
			   0);
		n = 1;
	}
	mica_plat_irq_restore(flags);
	return n;
}

int mica_waitq_wake_all(struct mica_waitq *wq)
{
	unsigned long flags = mica_plat_irq_save();
	int n = 0;

	while (!mica_list_empty(&wq->waiters)) {
		sched_wake(mica_list_first_entry(&wq->waiters,
						 struct mica_thread, node),
			   0);
		n++;
	}
	mica_plat_irq_restore(flags);
	return n;
}

void mica_sleep_until(uint64_t deadline_ns)
{
	struct mica_thread *t = sched_current;
	unsigned long flags = mica_plat_irq_save();

	while (mica_plat_monotonic_ns() < deadline_ns) {
		t->state = MICA_THREAD_BLOCKED;
		sched_sleep_add(t, deadline_ns);
		sched_switch(0);
	}
	mica_plat_irq_restore(flags);
}

void mica_sleep_ns(uint64_t ns)
{
	uint64_t now = mica_plat_monotonic_ns();

	mica_sleep_until(ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
}
