/* SPDX-License-Identifier: BSD-3-Clause */
/* Spinlocks: the slow path, out of line so the inline path stays small. */
#include <mica/debug.h>
#include <mica/lock.h>
#include "waiter.h"

/*
 * Interrupts are masked and the flag is set. With one CPU, whoever set
 * it also masked interrupts, so it cannot be another thread or a handler
 * that would release it while we spin: it is the caller, taking it again
 * or having blocked while holding it. Spinning would hang the image
 * silently, so stop it with a report. (With several CPUs, this is where
 * the wait for the other CPU will go.)
 */
void mica_spin_contended_(struct mica_spinlock *l)
{
	struct mica_thread *self = mica_thread_current();

	MICA_CRASH("spinlock %p taken again by its holder (thread \"%s\"): "
		   "taken twice, or held across a block",
		   l, lock_thread_name(self));
}
