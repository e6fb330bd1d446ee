/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How xenbus waits and locks under a scheduler (lib/sched): a thread
 * blocks on a wait queue until the store's event channel, or a thread
 * that delivered watch events, kicks it; the xenbus lock is a sleeping
 * lock. Before the scheduler runs (init functions run on the boot stack)
 * there is one flow of control, and waits idle the CPU as in
 * wait_idle.c.
 */
#include <errno.h>
#include <mica/debug.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include <mica/sched.h>
#include "xenbus_plat.h"

static uint32_t wait_seq;
static struct mica_waitq wait_events = MICA_WAITQ_INIT(wait_events);
static struct mica_waitq wait_lock_q = MICA_WAITQ_INIT(wait_lock_q);
static int wait_locked;

uint32_t xenbus_plat_seq(void)
{
	return __atomic_load_n(&wait_seq, __ATOMIC_ACQUIRE);
}

void xenbus_plat_kick(void)
{
	__atomic_add_fetch(&wait_seq, 1, __ATOMIC_RELEASE);
	mica_waitq_wake_all(&wait_events);
}

int xenbus_wait_block(uint32_t seq, uint64_t deadline_ns)
{
	unsigned long flags;
	int rc = 0;

	if (!mica_thread_current())
		return xenbus_idle_wait(seq, deadline_ns);
	/* Masked between the check and the sleep: no kick is lost. */
	flags = mica_plat_irq_save();
	while (rc == 0 && xenbus_plat_seq() == seq)
		rc = mica_waitq_wait(&wait_events, deadline_ns);
	mica_plat_irq_restore(flags);
	return rc;
}

void xenbus_wait_pause(void)
{
	if (mica_thread_current())
		mica_thread_yield();
}

void xenbus_plat_lock(void)
{
	unsigned long flags = mica_plat_irq_save();

	while (wait_locked) {
		/* Without threads nobody could release it. */
		MICA_BUG_ON(!mica_thread_current());
		mica_waitq_wait(&wait_lock_q, 0);
	}
	wait_locked = 1;
	mica_plat_irq_restore(flags);
}

void xenbus_plat_unlock(void)
{
	unsigned long flags = mica_plat_irq_save();

	wait_locked = 0;
	mica_waitq_wake_one(&wait_lock_q);
	mica_plat_irq_restore(flags);
}

const void *xenbus_plat_self(void)
{
	return mica_thread_current();
}
