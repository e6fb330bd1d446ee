/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pthread_once. A control goes NEW -> RUNNING -> DONE. Callers that find
 * it RUNNING sleep on one wait queue shared by every control: waiting is
 * rare (only while an init routine runs) and a control stays one int.
 */
#include <pthread.h>
#include <mica/plat/lcpu.h>
#include <mica/sched.h>
#include "pthread_priv.h"

#define ONCE_NEW     PTHREAD_ONCE_INIT
#define ONCE_RUNNING 1
#define ONCE_DONE    2

static struct mica_waitq once_wq = MICA_WAITQ_INIT(once_wq);

int pthread_once(pthread_once_t *once_control, void (*init_routine)(void))
{
	unsigned long flags;

	/* Acquire: what the routine wrote is visible to who sees DONE. */
	if (__atomic_load_n(once_control, __ATOMIC_ACQUIRE) == ONCE_DONE)
		return 0;

	flags = mica_plat_irq_save();
	if (*once_control == ONCE_NEW) {
		*once_control = ONCE_RUNNING;
		mica_plat_irq_restore(flags);
		init_routine();
		flags = mica_plat_irq_save();
		__atomic_store_n(once_control, ONCE_DONE, __ATOMIC_RELEASE);
		mica_waitq_wake_all(&once_wq);
		mica_plat_irq_restore(flags);
		mica_sched_resched();
		return 0;
	}
	/* Woken by any control's completion: check ours again. */
	while (*once_control != ONCE_DONE)
		mica_waitq_wait(&once_wq, 0);
	mica_plat_irq_restore(flags);
	return 0;
}
