/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mutexes on lib/lock's. lib/lock already refuses a relock by the owner
 * (EDEADLK) and an unlock by anyone else (EPERM); ERRORCHECK mutexes check
 * both here first, because for them these are answers the program asked
 * for, not the misuse that LIB_LOCK_DEBUG reports on the console.
 */
#include <errno.h>
#include <pthread.h>
#include <mica/lock.h>
#include <mica/plat/lcpu.h>
#include "pthread_priv.h"

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	attr->__type = PTHREAD_MUTEX_DEFAULT;
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
	    type != PTHREAD_MUTEX_ERRORCHECK)
		return EINVAL;
	attr->__type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *restrict attr,
			      int *restrict type)
{
	*type = attr->__type;
	return 0;
}

int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE &&
	    pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	attr->__pshared = pshared;
	return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *restrict attr,
				 int *restrict pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

static unsigned int lock_flags(int type)
{
	return type == PTHREAD_MUTEX_RECURSIVE ? MICA_MUTEX_RECURSIVE : 0;
}

void pth_mutex_setup(pthread_mutex_t *m)
{
	/* Masked: two threads' first uses cannot both set it up. */
	unsigned long flags = mica_plat_irq_save();

	if (!m->__ready) {
		mica_mutex_init(&m->__lock, lock_flags(m->__type));
		__atomic_store_n(&m->__ready, 1, __ATOMIC_RELEASE);
	}
	mica_plat_irq_restore(flags);
}

int pthread_mutex_init(pthread_mutex_t *restrict mutex,
		       const pthread_mutexattr_t *restrict attr)
{
	mutex->__type = attr ? attr->__type : PTHREAD_MUTEX_DEFAULT;
	mica_mutex_init(&mutex->__lock, lock_flags(mutex->__type));
	mutex->__ready = 1;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
	return -mica_mutex_destroy(pth_mutex(mutex));
}

/* An ERRORCHECK mutex its owner locks again. Only the owner can make
 * the owner itself, so the snapshot is reliable for that question. */
static int self_relock(pthread_mutex_t *m)
{
	return m->__type == PTHREAD_MUTEX_ERRORCHECK &&
	       mica_mutex_owner(pth_mutex(m)) == pth_self();
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
	if (self_relock(mutex))
		return EDEADLK;
	return -mica_mutex_lock(pth_mutex(mutex));
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
	/* EBUSY for the owner too, unless recursive (lib/lock agrees). */
	return -mica_mutex_trylock(pth_mutex(mutex));
}

int pthread_mutex_clocklock(pthread_mutex_t *restrict mutex, clockid_t clock,
			    const struct timespec *restrict abstime)
{
	uint64_t deadline;
	int rc;

	if (self_relock(mutex))
		return EDEADLK;
	/* POSIX: a mutex that is free is taken whatever abstime says. */
	rc = -mica_mutex_trylock(pth_mutex(mutex));
	if (rc != EBUSY)
		return rc;
	rc = pth_deadline(clock, abstime, &deadline);
	if (rc)
		return rc;
	return -mica_mutex_timedlock(&mutex->__lock, deadline);
}

int pthread_mutex_timedlock(pthread_mutex_t *restrict mutex,
			    const struct timespec *restrict abstime)
{
	return pthread_mutex_clocklock(mutex, CLOCK_REALTIME, abstime);
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
	if (mutex->__type == PTHREAD_MUTEX_ERRORCHECK &&
	    mica_mutex_owner(pth_mutex(mutex)) != pth_self())
		return EPERM;
	return -mica_mutex_unlock(pth_mutex(mutex));
}
