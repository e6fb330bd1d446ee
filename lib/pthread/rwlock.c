/* SPDX-License-Identifier: BSD-3-Clause */
/* Reader-writer locks on lib/lock's (writers preferred, reads nest). */
#include <errno.h>
#include <pthread.h>
#include <mica/lock.h>
#include <mica/plat/lcpu.h>
#include "pthread_priv.h"

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	return 0;
}

int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE &&
	    pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	attr->__pshared = pshared;
	return 0;
}

int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *restrict attr,
				  int *restrict pshared)
{
	*pshared = attr->__pshared;
	return 0;
}

void pth_rwlock_setup(pthread_rwlock_t *rw)
{
	unsigned long flags = mica_plat_irq_save();

	if (!rw->__ready) {
		mica_rwlock_init(&rw->__lock);
		__atomic_store_n(&rw->__ready, 1, __ATOMIC_RELEASE);
	}
	mica_plat_irq_restore(flags);
}

int pthread_rwlock_init(pthread_rwlock_t *restrict rwlock,
			const pthread_rwlockattr_t *restrict attr)
{
	mica_rwlock_init(&rwlock->__lock);
	rwlock->__ready = 1;
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rwlock)
{
	return -mica_rwlock_destroy(pth_rwlock(rwlock));
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rwlock)
{
	return -mica_rwlock_rdlock(pth_rwlock(rwlock));
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock)
{
	return -mica_rwlock_tryrdlock(pth_rwlock(rwlock));
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rwlock)
{
	return -mica_rwlock_wrlock(pth_rwlock(rwlock));
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock)
{
	return -mica_rwlock_trywrlock(pth_rwlock(rwlock));
}

/*
 * As for mutexes, a lock that is free is taken whatever abstime says;
 * abstime is only looked at when the call has to wait.
 */
static int rw_clocklock(pthread_rwlock_t *rw, int write, clockid_t clock,
			const struct timespec *abstime)
{
	struct mica_rwlock *l = pth_rwlock(rw);
	uint64_t deadline;
	int rc;

	rc = -(write ? mica_rwlock_trywrlock(l) : mica_rwlock_tryrdlock(l));
	if (rc != EBUSY)
		return rc;
	rc = pth_deadline(clock, abstime, &deadline);
	if (rc)
		return rc;
	return -(write ? mica_rwlock_timedwrlock(l, deadline)
		       : mica_rwlock_timedrdlock(l, deadline));
}

int pthread_rwlock_clockrdlock(pthread_rwlock_t *restrict rwlock,
			       clockid_t clock,
			       const struct timespec *restrict abstime)
{
	return rw_clocklock(rwlock, 0, clock, abstime);
}

int pthread_rwlock_clockwrlock(pthread_rwlock_t *restrict rwlock,
			       clockid_t clock,
			       const struct timespec *restrict abstime)
{
	return rw_clocklock(rwlock, 1, clock, abstime);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *restrict rwlock,
			       const struct timespec *restrict abstime)
{
	return rw_clocklock(rwlock, 0, CLOCK_REALTIME, abstime);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *restrict rwlock,
			       const struct timespec *restrict abstime)
{
	return rw_clocklock(rwlock, 1, CLOCK_REALTIME, abstime);
}

int pthread_rwlock_unlock(pthread_rwlock_t *rwlock)
{
	return -mica_rwlock_unlock(pth_rwlock(rwlock));
}
