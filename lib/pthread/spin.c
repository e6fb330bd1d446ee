/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Spinlocks and barriers.
 *
 * A pthread spinlock is lib/lock's: taking it masks interrupts, so on one
 * CPU nothing else runs until it is released, and finding it held means
 * the caller holds it itself (EDEADLK) where lib/lock would stop the
 * image.
 */
#include <errno.h>
#include <pthread.h>
#include <mica/lock.h>
#include "pthread_priv.h"

int pthread_spin_init(pthread_spinlock_t *lock, int pshared)
{
	mica_spin_init(lock);
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *lock)
{
	return mica_spin_is_locked(lock) ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
	return mica_spin_trylock(lock) ? EDEADLK : 0;
}

int pthread_spin_trylock(pthread_spinlock_t *lock)
{
	return mica_spin_trylock(lock) ? EBUSY : 0;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
	if (!mica_spin_is_locked(lock))
		return EPERM;
	mica_spin_unlock(lock);
	return 0;
}

/*
 * Barriers: a mutex, a condition variable and a cycle count. A waiter
 * sleeps until the cycle it arrived in is over, which tells a real
 * wake-up from a spurious one and lets the barrier be reused at once.
 */
int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
	return 0;
}

int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE &&
	    pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	attr->__pshared = pshared;
	return 0;
}

int pthread_barrierattr_getpshared(const pthread_barrierattr_t *restrict attr,
				   int *restrict pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

int pthread_barrier_init(pthread_barrier_t *restrict barrier,
			 const pthread_barrierattr_t *restrict attr,
			 unsigned int count)
{
	if (!count)
		return EINVAL;
	mica_mutex_init(&barrier->__lock, 0);
	mica_cond_init(&barrier->__cond);
	barrier->__count = count;
	barrier->__waiting = 0;
	barrier->__cycle = 0;
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *barrier)
{
	int rc = -mica_mutex_lock(&barrier->__lock);

	if (rc)
		return rc;
	rc = barrier->__waiting ? EBUSY : 0;
	mica_mutex_unlock(&barrier->__lock);
	return rc;
}

int pthread_barrier_wait(pthread_barrier_t *barrier)
{
	unsigned int cycle;
	int rc = -mica_mutex_lock(&barrier->__lock);

	if (rc)
		return rc;
	cycle = barrier->__cycle;
	if (++barrier->__waiting == barrier->__count) {
		barrier->__waiting = 0;
		barrier->__cycle++;
		mica_cond_broadcast(&barrier->__cond);
		rc = PTHREAD_BARRIER_SERIAL_THREAD;
	} else {
		while (cycle == barrier->__cycle)
			mica_cond_wait(&barrier->__cond, &barrier->__lock);
	}
	mica_mutex_unlock(&barrier->__lock);
	return rc;
}
