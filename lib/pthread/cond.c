/* SPDX-License-Identifier: BSD-3-Clause */
/* Condition variables on lib/lock's, with a clock for timed waits. */
#include <errno.h>
#include <pthread.h>
#include <mica/lock.h>
#include <mica/plat/lcpu.h>
#include "pthread_priv.h"

static int clock_valid(clockid_t clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC;
}

int pthread_condattr_init(pthread_condattr_t *attr)
{
	attr->__clock = CLOCK_REALTIME;
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (!clock_valid(clock))
		return EINVAL;
	attr->__clock = clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *restrict attr,
			      clockid_t *restrict clock)
{
	*clock = attr->__clock;
	return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *attr, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE &&
	    pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	attr->__pshared = pshared;
	return 0;
}

int pthread_condattr_getpshared(const pthread_condattr_t *restrict attr,
				int *restrict pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

void pth_cond_setup(pthread_cond_t *c)
{
	unsigned long flags = mica_plat_irq_save();

	if (!c->__ready) {
		mica_cond_init(&c->__cond);
		__atomic_store_n(&c->__ready, 1, __ATOMIC_RELEASE);
	}
	mica_plat_irq_restore(flags);
}

int pthread_cond_init(pthread_cond_t *restrict cond,
		      const pthread_condattr_t *restrict attr)
{
	cond->__clock = attr ? attr->__clock : CLOCK_REALTIME;
	mica_cond_init(&cond->__cond);
	cond->__ready = 1;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
	return -mica_cond_destroy(pth_cond(cond));
}

int pthread_cond_wait(pthread_cond_t *restrict cond,
		      pthread_mutex_t *restrict mutex)
{
	return -mica_cond_wait(pth_cond(cond), pth_mutex(mutex));
}

int pthread_cond_clockwait(pthread_cond_t *restrict cond,
			   pthread_mutex_t *restrict mutex, clockid_t clock,
			   const struct timespec *restrict abstime)
{
	uint64_t deadline;
	int rc = pth_deadline(clock, abstime, &deadline);

	if (rc)
		return rc;
	return -mica_cond_timedwait(pth_cond(cond), pth_mutex(mutex), deadline);
}

int pthread_cond_timedwait(pthread_cond_t *restrict cond,
			   pthread_mutex_t *restrict mutex,
			   const struct timespec *restrict abstime)
{
	return pthread_cond_clockwait(cond, mutex, cond->__clock, abstime);
}

int pthread_cond_signal(pthread_cond_t *cond)
{
	return -mica_cond_signal(pth_cond(cond));
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
	return -mica_cond_broadcast(pth_cond(cond));
}
