/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX threads on lib/sched (threads) and lib/lock (mutexes, condition
 * variables, rwlocks, spinlocks).
 *
 * As POSIX says, every function returns 0 or a positive error number and
 * none sets errno. Where Mica differs from a POSIX process:
 *  - pthread_t is the address of the thread's lib/sched structure, held
 *    in an unsigned long (as glibc's, so "%lu" prints it); it may be
 *    reused once the thread has been joined or, detached, has exited.
 *  - A mutex of any type that its owner locks again fails with EDEADLK
 *    instead of hanging (POSIX allows "a deadlock condition was
 *    detected"); the same for a write lock taken twice.
 *  - Cancellation is not supported: pthread_cancel() returns ENOSYS (it
 *    would need cancellation points in every blocking call); the
 *    cancel state and type calls are accepted and have no effect.
 *  - There are no processes: PTHREAD_PROCESS_SHARED is accepted and is
 *    the same as PTHREAD_PROCESS_PRIVATE; pthread_atfork() records
 *    nothing, since no fork() will ever call the handlers.
 *  - pthread_exit() in main's thread ends that thread only; the image
 *    ends (status 0) when the last thread has ended, as a process
 *    would. Returning from main() ends the image at once, as exit().
 *  - Scheduling: see <sched.h>. Priorities are lib/sched's 1..31.
 *
 * Every lock type can be initialised statically (PTHREAD_*_INITIALIZER)
 * or with its init call. A statically initialised lock is set up on its
 * first use, so the initialisers need no address.
 */
#ifndef MICA_PTHREAD_H
#define MICA_PTHREAD_H

#include <stddef.h>
#include <sched.h>
#include <time.h>
#include <mica/lock.h>
#include <mica/sched.h>

/* Limits (POSIX puts them in <limits.h>). */
#define PTHREAD_KEYS_MAX	      CONFIG_LIB_PTHREAD_KEYS_MAX
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#define PTHREAD_STACK_MIN	      16384

/* The constants have glibc's values, which ported code sometimes uses. */
#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1
#define PTHREAD_INHERIT_SCHED	0
#define PTHREAD_EXPLICIT_SCHED	1
#define PTHREAD_SCOPE_SYSTEM	0
#define PTHREAD_SCOPE_PROCESS	1 /* not supported: ENOTSUP */
#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED	1

#define PTHREAD_MUTEX_NORMAL	 0
#define PTHREAD_MUTEX_RECURSIVE	 1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT	 PTHREAD_MUTEX_NORMAL

#define PTHREAD_CANCEL_ENABLE	    0
#define PTHREAD_CANCEL_DISABLE	    1
#define PTHREAD_CANCEL_DEFERRED	    0
#define PTHREAD_CANCEL_ASYNCHRONOUS 1
#define PTHREAD_CANCELED	    ((void *)-1)

#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

typedef unsigned long pthread_t;

/*
 * The fields are private (their names are reserved so a program's macros
 * cannot clash with them). A default attribute object creates a joinable
 * thread with lib/sched's default stack (CONFIG_LIB_SCHED_STACK_SIZE) and
 * the creator's priority.
 */
typedef struct {
	size_t __stacksize; /* 0: lib/sched's default */
	size_t __guardsize;
	int __detachstate;
	int __inheritsched;
	int __schedpolicy;
	struct sched_param __schedparam;
} pthread_attr_t;

typedef struct {
	struct mica_mutex __lock;
	int __type;
	int __ready; /* __lock is set up */
} pthread_mutex_t;

typedef struct {
	int __type;
	int __pshared;
} pthread_mutexattr_t;

typedef struct {
	struct mica_cond __cond;
	clockid_t __clock; /* of the timedwait deadline */
	int __ready;
} pthread_cond_t;

typedef struct {
	clockid_t __clock;
	int __pshared;
} pthread_condattr_t;

typedef struct {
	struct mica_rwlock __lock;
	int __ready;
} pthread_rwlock_t;

typedef struct {
	int __pshared;
} pthread_rwlockattr_t;

/* Spinlocks mask interrupts while held: never block holding one. */
typedef struct mica_spinlock pthread_spinlock_t;

typedef struct {
	struct mica_mutex __lock;
	struct mica_cond __cond;
	unsigned int __count;	/* threads per cycle */
	unsigned int __waiting; /* arrived in this cycle */
	unsigned int __cycle;	/* counts completed cycles */
} pthread_barrier_t;

typedef struct {
	int __pshared;
} pthread_barrierattr_t;

typedef int pthread_once_t;
typedef unsigned int pthread_key_t;

#define PTHREAD_MUTEX_INITIALIZER               \
	{                                       \
		.__type = PTHREAD_MUTEX_DEFAULT \
	}
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP    \
	{                                         \
		.__type = PTHREAD_MUTEX_RECURSIVE \
	}
#define PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP    \
	{                                          \
		.__type = PTHREAD_MUTEX_ERRORCHECK \
	}
#define PTHREAD_COND_INITIALIZER          \
	{                                 \
		.__clock = CLOCK_REALTIME \
	}
#define PTHREAD_RWLOCK_INITIALIZER \
	{                          \
		.__ready = 0       \
	}
#define PTHREAD_ONCE_INIT 0

/* --- threads ---------------------------------------------------------- */

/* EAGAIN when memory for the stack is short, EINVAL for a bad attr. */
int pthread_create(pthread_t *restrict thread,
		   const pthread_attr_t *restrict attr,
		   void *(*start_routine)(void *), void *restrict arg);
/* EINVAL: detached or already joined; EDEADLK: thread is the caller. */
int pthread_join(pthread_t thread, void **retval);
int pthread_detach(pthread_t thread);
/* Runs the key destructors, then ends the thread. */
void pthread_exit(void *retval) __attribute__((noreturn));
pthread_t pthread_self(void);
int pthread_equal(pthread_t t1, pthread_t t2);

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
/* EINVAL below PTHREAD_STACK_MIN or above 1 GiB; rounded up to pages. */
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t stacksize);
int pthread_attr_getstacksize(const pthread_attr_t *restrict attr,
			      size_t *restrict stacksize);
/* Recorded only: lib/sched's LIB_SCHED_STACK_GUARD decides (one page). */
int pthread_attr_setguardsize(pthread_attr_t *attr, size_t guardsize);
int pthread_attr_getguardsize(const pthread_attr_t *restrict attr,
			      size_t *restrict guardsize);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int detachstate);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *detachstate);
/* The priority is used with PTHREAD_EXPLICIT_SCHED only, as in POSIX. */
int pthread_attr_setinheritsched(pthread_attr_t *attr, int inheritsched);
int pthread_attr_getinheritsched(const pthread_attr_t *restrict attr,
				 int *restrict inheritsched);
int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy);
int pthread_attr_getschedpolicy(const pthread_attr_t *restrict attr,
				int *restrict policy);
int pthread_attr_setschedparam(pthread_attr_t *restrict attr,
			       const struct sched_param *restrict param);
int pthread_attr_getschedparam(const pthread_attr_t *restrict attr,
			       struct sched_param *restrict param);
int pthread_attr_setscope(pthread_attr_t *attr, int scope);
int pthread_attr_getscope(const pthread_attr_t *restrict attr,
			  int *restrict scope);

int pthread_setschedparam(pthread_t thread, int policy,
			  const struct sched_param *param);
int pthread_getschedparam(pthread_t thread, int *restrict policy,
			  struct sched_param *restrict param);
int pthread_setschedprio(pthread_t thread, int prio);

/*
 * Names (GNU extensions), as in the thread dump and crash reports. ERANGE
 * when name is longer than MICA_THREAD_NAME_MAX - 1 bytes / len is too
 * small for the name.
 */
int pthread_setname_np(pthread_t thread, const char *name);
int pthread_getname_np(pthread_t thread, char *name, size_t len);

/* ENOSYS: no cancellation (see the top of this file). */
int pthread_cancel(pthread_t thread);
int pthread_setcancelstate(int state, int *oldstate);
int pthread_setcanceltype(int type, int *oldtype);
void pthread_testcancel(void);

/* No fork(): the handlers would never run, so none is kept. */
int pthread_atfork(void (*prepare)(void), void (*parent)(void),
		   void (*child)(void));

/* --- once and thread-specific data ------------------------------------ */

/*
 * Runs init_routine exactly once per once_control; callers that arrive
 * while it runs wait for it to finish.
 */
int pthread_once(pthread_once_t *once_control, void (*init_routine)(void));

/*
 * Up to PTHREAD_KEYS_MAX keys (EAGAIN beyond). When a thread ends, each
 * non-NULL value whose key has a destructor is set to NULL and passed to
 * it, for up to PTHREAD_DESTRUCTOR_ITERATIONS rounds while destructors
 * set new values. Only for threads ending through pthread_exit() or by
 * returning from a pthread_create() start routine.
 */
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
/* EINVAL for a key not created (or deleted). */
int pthread_setspecific(pthread_key_t key, const void *value);

/* --- mutexes ---------------------------------------------------------- */

int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *restrict attr,
			      int *restrict type);
int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared);
int pthread_mutexattr_getpshared(const pthread_mutexattr_t *restrict attr,
				 int *restrict pshared);

int pthread_mutex_init(pthread_mutex_t *restrict mutex,
		       const pthread_mutexattr_t *restrict attr);
/* EBUSY while locked or waited for. */
int pthread_mutex_destroy(pthread_mutex_t *mutex);
/*
 * EDEADLK: the caller holds it (not PTHREAD_MUTEX_RECURSIVE); EAGAIN:
 * recursion too deep. trylock: EBUSY when held, by the caller too.
 * timedlock: ETIMEDOUT after abstime (CLOCK_REALTIME); EINVAL for a bad
 * abstime, checked only when the call has to wait. unlock: EPERM when
 * the caller does not hold it.
 */
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_trylock(pthread_mutex_t *mutex);
int pthread_mutex_timedlock(pthread_mutex_t *restrict mutex,
			    const struct timespec *restrict abstime);
/* POSIX.1-2024: timedlock on a chosen clock (REALTIME or MONOTONIC). */
int pthread_mutex_clocklock(pthread_mutex_t *restrict mutex, clockid_t clock,
			    const struct timespec *restrict abstime);
int pthread_mutex_unlock(pthread_mutex_t *mutex);

/* --- condition variables ---------------------------------------------- */

int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
/* CLOCK_REALTIME (the default) or CLOCK_MONOTONIC; EINVAL otherwise. */
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *restrict attr,
			      clockid_t *restrict clock);
int pthread_condattr_setpshared(pthread_condattr_t *attr, int pshared);
int pthread_condattr_getpshared(const pthread_condattr_t *restrict attr,
				int *restrict pshared);

int pthread_cond_init(pthread_cond_t *restrict cond,
		      const pthread_condattr_t *restrict attr);
/* EBUSY while a thread waits on it. */
int pthread_cond_destroy(pthread_cond_t *cond);
/*
 * EPERM when the caller does not hold mutex; EINVAL when it holds a
 * recursive mutex more than once. Wake-ups may be spurious. timedwait:
 * ETIMEDOUT once abstime has passed on the condition variable's clock
 * (never earlier); the mutex is held again on every return.
 */
int pthread_cond_wait(pthread_cond_t *restrict cond,
		      pthread_mutex_t *restrict mutex);
int pthread_cond_timedwait(pthread_cond_t *restrict cond,
			   pthread_mutex_t *restrict mutex,
			   const struct timespec *restrict abstime);
/* POSIX.1-2024: timedwait on a clock chosen per call. */
int pthread_cond_clockwait(pthread_cond_t *restrict cond,
			   pthread_mutex_t *restrict mutex, clockid_t clock,
			   const struct timespec *restrict abstime);
int pthread_cond_signal(pthread_cond_t *cond);
int pthread_cond_broadcast(pthread_cond_t *cond);

/* --- reader-writer locks ---------------------------------------------- */

/*
 * Writers are preferred; read locks nest. EDEADLK: read or write lock
 * asked by the write holder. EPERM: unlock of a lock the caller does not
 * hold. Timed forms as for mutexes.
 */
int pthread_rwlockattr_init(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared);
int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *restrict attr,
				  int *restrict pshared);

int pthread_rwlock_init(pthread_rwlock_t *restrict rwlock,
			const pthread_rwlockattr_t *restrict attr);
int pthread_rwlock_destroy(pthread_rwlock_t *rwlock);
int pthread_rwlock_rdlock(pthread_rwlock_t *rwlock);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock);
int pthread_rwlock_timedrdlock(pthread_rwlock_t *restrict rwlock,
			       const struct timespec *restrict abstime);
int pthread_rwlock_clockrdlock(pthread_rwlock_t *restrict rwlock,
			       clockid_t clock,
			       const struct timespec *restrict abstime);
int pthread_rwlock_wrlock(pthread_rwlock_t *rwlock);
int pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock);
int pthread_rwlock_timedwrlock(pthread_rwlock_t *restrict rwlock,
			       const struct timespec *restrict abstime);
int pthread_rwlock_clockwrlock(pthread_rwlock_t *restrict rwlock,
			       clockid_t clock,
			       const struct timespec *restrict abstime);
int pthread_rwlock_unlock(pthread_rwlock_t *rwlock);

/* --- spinlocks and barriers ------------------------------------------- */

/*
 * A spinlock masks interrupts while held (on one CPU that is what keeps
 * others out), so nothing may block while holding one. Release them in
 * the reverse order of taking them. EDEADLK: the caller holds it.
 */
int pthread_spin_init(pthread_spinlock_t *lock, int pshared);
int pthread_spin_destroy(pthread_spinlock_t *lock);
int pthread_spin_lock(pthread_spinlock_t *lock);
int pthread_spin_trylock(pthread_spinlock_t *lock);
int pthread_spin_unlock(pthread_spinlock_t *lock);

/*
 * count threads meet at the barrier; the last to arrive gets
 * PTHREAD_BARRIER_SERIAL_THREAD, the others 0. EINVAL for count 0.
 */
int pthread_barrierattr_init(pthread_barrierattr_t *attr);
int pthread_barrierattr_destroy(pthread_barrierattr_t *attr);
int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared);
int pthread_barrierattr_getpshared(const pthread_barrierattr_t *restrict attr,
				   int *restrict pshared);
int pthread_barrier_init(pthread_barrier_t *restrict barrier,
			 const pthread_barrierattr_t *restrict attr,
			 unsigned int count);
/* EBUSY while threads wait at it. */
int pthread_barrier_destroy(pthread_barrier_t *barrier);
int pthread_barrier_wait(pthread_barrier_t *barrier);

#endif /* MICA_PTHREAD_H */
