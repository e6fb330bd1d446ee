/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads: creation, exit, join, attributes, scheduling, names; and
 * <sched.h>. A pthread_t is the lib/sched thread's address.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <mica/alloc.h>
#include <mica/sched.h>
#include <mica/plat/memory.h>
#include "pthread_priv.h"

/* lib/sched refuses larger stacks. */
#define STACK_MAX ((size_t)1 << 30)

#ifdef CONFIG_LIB_SCHED_STACK_GUARD
#define GUARD_SIZE MICA_PAGE_SIZE
#else
#define GUARD_SIZE 0
#endif

void (*pth_keys_exit)(void);

/*
 * Every thread pthread_create() makes starts here, so that returning from
 * its start routine ends it the way pthread_exit() does, destructors and
 * all. The routine and its argument wait on the heap until it runs (the
 * creator may return, and its frame go, before that).
 */
struct pth_start {
	void *(*routine)(void *);
	void *arg;
};

static void *pth_start(void *p)
{
	struct pth_start s = *(struct pth_start *)p;

	mica_alloc_free(mica_alloc_default(), p);
	pthread_exit(s.routine(s.arg));
}

int pthread_create(pthread_t *restrict thread,
		   const pthread_attr_t *restrict attr,
		   void *(*start_routine)(void *), void *restrict arg)
{
	struct mica_thread_attr ma = {0};
	struct pth_start *s;
	struct mica_thread *t;
	int rc;

	if (attr) {
		ma.stack_size = attr->__stacksize;
		ma.detached = attr->__detachstate == PTHREAD_CREATE_DETACHED;
		if (attr->__inheritsched == PTHREAD_EXPLICIT_SCHED)
			ma.prio = attr->__schedparam.sched_priority
					  ? attr->__schedparam.sched_priority
					  : MICA_PRIO_DEFAULT;
	}
	s = mica_alloc_malloc(mica_alloc_default(), sizeof(*s));
	if (!s)
		return EAGAIN;
	s->routine = start_routine;
	s->arg = arg;
	rc = mica_thread_create(&t, &ma, pth_start, s);
	if (rc < 0) {
		mica_alloc_free(mica_alloc_default(), s);
		/* POSIX's word for "no memory for another thread". */
		return rc == -ENOMEM ? EAGAIN : -rc;
	}
	*thread = (pthread_t)t;
	return 0;
}

void pthread_exit(void *retval)
{
	if (pth_keys_exit)
		pth_keys_exit();
	mica_thread_exit(retval);
}

int pthread_join(pthread_t thread, void **retval)
{
	return -mica_thread_join(pth_thread(thread), retval);
}

int pthread_detach(pthread_t thread)
{
	return -mica_thread_detach(pth_thread(thread));
}

pthread_t pthread_self(void)
{
	return (pthread_t)pth_self();
}

int pthread_equal(pthread_t t1, pthread_t t2)
{
	return t1 == t2;
}

/* --- attributes -------------------------------------------------------- */

int pthread_attr_init(pthread_attr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->__guardsize = GUARD_SIZE;
	attr->__detachstate = PTHREAD_CREATE_JOINABLE;
	attr->__inheritsched = PTHREAD_INHERIT_SCHED;
	attr->__schedpolicy = SCHED_OTHER;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t stacksize)
{
	if (stacksize < PTHREAD_STACK_MIN || stacksize > STACK_MAX)
		return EINVAL;
	attr->__stacksize = stacksize;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *restrict attr,
			      size_t *restrict stacksize)
{
	*stacksize = attr->__stacksize ? attr->__stacksize
				       : (size_t)CONFIG_LIB_SCHED_STACK_SIZE;
	return 0;
}

int pthread_attr_setguardsize(pthread_attr_t *attr, size_t guardsize)
{
	attr->__guardsize = guardsize;
	return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *restrict attr,
			      size_t *restrict guardsize)
{
	*guardsize = attr->__guardsize;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int detachstate)
{
	if (detachstate != PTHREAD_CREATE_JOINABLE &&
	    detachstate != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	attr->__detachstate = detachstate;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *detachstate)
{
	*detachstate = attr->__detachstate;
	return 0;
}

int pthread_attr_setinheritsched(pthread_attr_t *attr, int inheritsched)
{
	if (inheritsched != PTHREAD_INHERIT_SCHED &&
	    inheritsched != PTHREAD_EXPLICIT_SCHED)
		return EINVAL;
	attr->__inheritsched = inheritsched;
	return 0;
}

int pthread_attr_getinheritsched(const pthread_attr_t *restrict attr,
				 int *restrict inheritsched)
{
	*inheritsched = attr->__inheritsched;
	return 0;
}

static int policy_valid(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_FIFO ||
	       policy == SCHED_RR;
}

/* 0 is the default priority; see <sched.h>. */
static int prio_valid(int prio)
{
	return prio == 0 || (prio >= MICA_PRIO_MIN && prio <= MICA_PRIO_MAX);
}

int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy)
{
	if (!policy_valid(policy))
		return EINVAL;
	attr->__schedpolicy = policy;
	return 0;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *restrict attr,
				int *restrict policy)
{
	*policy = attr->__schedpolicy;
	return 0;
}

int pthread_attr_setschedparam(pthread_attr_t *restrict attr,
			       const struct sched_param *restrict param)
{
	if (!prio_valid(param->sched_priority))
		return EINVAL;
	attr->__schedparam = *param;
	return 0;
}

int pthread_attr_getschedparam(const pthread_attr_t *restrict attr,
			       struct sched_param *restrict param)
{
	*param = attr->__schedparam;
	return 0;
}

int pthread_attr_setscope(pthread_attr_t *attr, int scope)
{
	if (scope == PTHREAD_SCOPE_SYSTEM)
		return 0;
	return scope == PTHREAD_SCOPE_PROCESS ? ENOTSUP : EINVAL;
}

int pthread_attr_getscope(const pthread_attr_t *restrict attr,
			  int *restrict scope)
{
	*scope = PTHREAD_SCOPE_SYSTEM;
	return 0;
}

/* --- scheduling -------------------------------------------------------- */

int pthread_setschedparam(pthread_t thread, int policy,
			  const struct sched_param *param)
{
	if (!policy_valid(policy))
		return EINVAL;
	return pthread_setschedprio(thread, param->sched_priority);
}

int pthread_getschedparam(pthread_t thread, int *restrict policy,
			  struct sched_param *restrict param)
{
	*policy = SCHED_OTHER;
	param->sched_priority = mica_thread_prio(pth_thread(thread));
	return 0;
}

int pthread_setschedprio(pthread_t thread, int prio)
{
	if (!prio_valid(prio))
		return EINVAL;
	return -mica_thread_set_prio(pth_thread(thread),
				     prio ? prio : MICA_PRIO_DEFAULT);
}

int sched_yield(void)
{
	mica_thread_yield();
	return 0;
}

int sched_get_priority_min(int policy)
{
	if (!policy_valid(policy)) {
		errno = EINVAL;
		return -1;
	}
	return MICA_PRIO_MIN;
}

int sched_get_priority_max(int policy)
{
	if (!policy_valid(policy)) {
		errno = EINVAL;
		return -1;
	}
	return MICA_PRIO_MAX;
}

/* --- names ------------------------------------------------------------- */

int pthread_setname_np(pthread_t thread, const char *name)
{
	if (strlen(name) >= MICA_THREAD_NAME_MAX)
		return ERANGE;
	return -mica_thread_set_name(pth_thread(thread), name);
}

int pthread_getname_np(pthread_t thread, char *name, size_t len)
{
	const char *n = mica_thread_name(pth_thread(thread));
	size_t l = strlen(n);

	if (l >= len)
		return ERANGE;
	memcpy(name, n, l + 1);
	return 0;
}

/* --- what a unikernel has no use for ----------------------------------- */

int pthread_cancel(pthread_t thread)
{
	return ENOSYS;
}

int pthread_setcancelstate(int state, int *oldstate)
{
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (oldstate)
		*oldstate = PTHREAD_CANCEL_ENABLE;
	return 0;
}

int pthread_setcanceltype(int type, int *oldtype)
{
	if (type != PTHREAD_CANCEL_DEFERRED &&
	    type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	if (oldtype)
		*oldtype = PTHREAD_CANCEL_DEFERRED;
	return 0;
}

void pthread_testcancel(void)
{
}

int pthread_atfork(void (*prepare)(void), void (*parent)(void),
		   void (*child)(void))
{
	return 0;
}
