/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How xenbus waits and locks without a scheduler: there is one flow of
 * control, so the lock only catches misuse (a call from an interrupt
 * handler), and a wait idles the CPU until the next interrupt - the
 * store's event channel among them. Its deadline is checked whenever an
 * interrupt ends the idle, so it is only as precise as interrupts are
 * frequent; xenstored answering is what ends a wait in practice.
 */
#include <errno.h>
#include <stddef.h>
#include <mica/debug.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include "xenbus_plat.h"

static uint32_t wait_seq;
static int wait_locked;

uint32_t xenbus_plat_seq(void)
{
	return __atomic_load_n(&wait_seq, __ATOMIC_ACQUIRE);
}

void xenbus_plat_kick(void)
{
	__atomic_add_fetch(&wait_seq, 1, __ATOMIC_RELEASE);
}

int xenbus_wait_block(uint32_t seq, uint64_t deadline_ns)
{
	unsigned long flags = mica_plat_irq_save();
	int rc = 0;

	/* Masked between the check and the idle: no kick is lost. */
	while (xenbus_plat_seq() == seq) {
		if (deadline_ns && mica_plat_monotonic_ns() >= deadline_ns) {
			rc = -ETIMEDOUT;
			break;
		}
		mica_plat_idle();
	}
	mica_plat_irq_restore(flags);
	return rc;
}

void xenbus_wait_pause(void)
{
}

void xenbus_plat_lock(void)
{
	MICA_BUG_ON(wait_locked);
	wait_locked = 1;
}

void xenbus_plat_unlock(void)
{
	wait_locked = 0;
}

const void *xenbus_plat_self(void)
{
	return NULL;
}
