/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How xenbus waits and locks without a scheduler: there is one flow of
 * control, so the lock only catches misuse (a call from an interrupt
 * handler), and a wait idles the CPU until the store's event channel
 * or the timer, armed for the wait's deadline, ends it
 * (xenbus_idle_wait in xenbus_plat.c).
 */
#include <stddef.h>
#include <mica/debug.h>
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
	return xenbus_idle_wait(seq, deadline_ns);
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
