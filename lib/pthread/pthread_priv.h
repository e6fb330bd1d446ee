/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/pthread: what its files share. */
#ifndef PTHREAD_PRIV_H
#define PTHREAD_PRIV_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <mica/compiler.h>
#include <mica/lock.h>
#include <mica/sched.h>

static inline struct mica_thread *pth_thread(pthread_t t)
{
	return (struct mica_thread *)t;
}

static inline struct mica_thread *pth_self(void)
{
	return mica_thread_current();
}

/*
 * The lib/sched deadline (monotonic ns, never 0) at which abstime comes
 * on clock clk. 0, or EINVAL for an unknown clock or a tv_nsec outside
 * 0..999999999. A time already past gives a deadline already past.
 */
int pth_deadline(clockid_t clk, const struct timespec *abstime,
		 uint64_t *deadline);

/*
 * A statically initialised lock is set up by its first use: each of
 * these returns the lib/lock object behind the POSIX one, ready.
 */
void pth_mutex_setup(pthread_mutex_t *m);
void pth_cond_setup(pthread_cond_t *c);
void pth_rwlock_setup(pthread_rwlock_t *rw);

static inline struct mica_mutex *pth_mutex(pthread_mutex_t *m)
{
	if (mica_unlikely(!__atomic_load_n(&m->__ready, __ATOMIC_ACQUIRE)))
		pth_mutex_setup(m);
	return &m->__lock;
}

static inline struct mica_cond *pth_cond(pthread_cond_t *c)
{
	if (mica_unlikely(!__atomic_load_n(&c->__ready, __ATOMIC_ACQUIRE)))
		pth_cond_setup(c);
	return &c->__cond;
}

static inline struct mica_rwlock *pth_rwlock(pthread_rwlock_t *rw)
{
	if (mica_unlikely(!__atomic_load_n(&rw->__ready, __ATOMIC_ACQUIRE)))
		pth_rwlock_setup(rw);
	return &rw->__lock;
}

/*
 * Set by key.c when the first key is created: runs the destructors of
 * the calling thread's values. An image that never creates a key links
 * neither key.c nor its per-thread value table.
 */
extern void (*pth_keys_exit)(void);

#endif /* PTHREAD_PRIV_H */
