/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Locks for threads: mutexes, counting semaphores, condition variables,
 * reader-writer locks (all of which block), and spinlocks (which do not).
 *
 * The blocking locks are built on the scheduler's wait queues
 * (mica/sched.h). Their state is guarded by masking interrupts, which is
 * enough on one CPU; every call may be preempted (sched-preempt) and none
 * may be made from an interrupt handler, except mica_sem_up(),
 * mica_sem_trydown(), mica_cond_signal() and mica_cond_broadcast().
 *
 * Conventions, shared by every lock:
 *  - 0 on success or a negative errno: -EBUSY (a try call would block),
 *    -ETIMEDOUT (the deadline passed), -EDEADLK (waiting could never end),
 *    -EPERM (unlocking what the caller does not hold), -EINVAL.
 *    Waiting before the scheduler starts (in an init function) gives
 *    -EDEADLK: there is no other thread to end the wait.
 *  - Deadlines are absolute monotonic nanoseconds (mica_plat_monotonic_ns);
 *    0 means "no deadline", as in mica/sched.h. A timed call whose
 *    deadline has passed still succeeds if it need not wait.
 *  - Waiters are served first come, first served (for mutexes, with one
 *    exception, see below).
 *  - A lock is ready to use after mica_*_init() or when defined with its
 *    MICA_*_INIT(name) initialiser; mica_*_destroy() checks it is idle.
 *  - With LIB_LOCK_DEBUG, misuse is also reported on the console (naming
 *    the threads) and a wait that would close a cycle of mutex or write
 *    lock holders is refused with -EDEADLK. Without it the cheap checks (self-deadlock,
 *    unlocking a mutex one does not own, destroying a busy lock) still
 *    return their error.
 */
#ifndef MICA_LOCK_H
#define MICA_LOCK_H

#include <errno.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/list.h>
#include <mica/sched.h>
#include <mica/plat/lcpu.h>

/* --- mutex ------------------------------------------------------------ */

/*
 * A sleeping lock with an owner. The owner may lock a MICA_MUTEX_RECURSIVE
 * mutex again (each lock needs its unlock); locking a plain mutex one
 * already owns returns -EDEADLK instead of hanging. Only the owner may
 * unlock (-EPERM otherwise).
 *
 * An unlock wakes the first waiter, which then takes the mutex if it is
 * still free: a running thread may take it first, once. A woken waiter
 * that finds it taken waits again at the front, and the next unlock
 * hands the mutex to it (see mutex.c for why). Waiters are not ordered
 * by priority and there is no priority inheritance.
 */
#define MICA_MUTEX_RECURSIVE 0x1

struct mica_mutex {
	struct mica_thread *owner; /* the holder, while depth > 0 */
	unsigned int depth;	   /* 0: unlocked; else times locked */
	unsigned int flags;	   /* MICA_MUTEX_* */
	struct mica_list waiters;  /* lib/lock's waiter records, FIFO */
};

#define MICA_MUTEX_INIT_FLAGS(name, fl)                       \
	{                                                     \
		NULL, 0, (fl), MICA_LIST_INIT((name).waiters) \
	}
#define MICA_MUTEX_INIT(name) MICA_MUTEX_INIT_FLAGS(name, 0)
#define MICA_MUTEX_INIT_RECURSIVE(name) \
	MICA_MUTEX_INIT_FLAGS(name, MICA_MUTEX_RECURSIVE)

/* -EINVAL for unknown flags. */
int mica_mutex_init(struct mica_mutex *m, unsigned int flags);
/* -EBUSY if locked or waited for; the mutex is unchanged then. */
int mica_mutex_destroy(struct mica_mutex *m);

int mica_mutex_lock(struct mica_mutex *m);
int mica_mutex_trylock(struct mica_mutex *m);
int mica_mutex_timedlock(struct mica_mutex *m, uint64_t deadline_ns);
int mica_mutex_unlock(struct mica_mutex *m);

/*
 * The owner, or NULL (also before the scheduler runs, when there are no
 * threads). A snapshot: it may change as soon as it is read, except
 * from or to the caller itself.
 */
static inline struct mica_thread *mica_mutex_owner(const struct mica_mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED);
}

/* --- counting semaphore ----------------------------------------------- */

/*
 * down takes one unit, waiting while there is none; up gives one back, to
 * the longest waiter if there is one (so a later trydown cannot take it
 * first). No owner: any thread, or an interrupt handler, may up.
 */
struct mica_sem {
	unsigned int count;
	struct mica_list waiters;
};

#define MICA_SEM_INIT(name, n)                      \
	{                                           \
		(n), MICA_LIST_INIT((name).waiters) \
	}

int mica_sem_init(struct mica_sem *s, unsigned int count);
/* -EBUSY if a thread waits on it. */
int mica_sem_destroy(struct mica_sem *s);

int mica_sem_down(struct mica_sem *s);
int mica_sem_trydown(struct mica_sem *s);
int mica_sem_timeddown(struct mica_sem *s, uint64_t deadline_ns);
/* -EOVERFLOW if the count would pass UINT_MAX. */
int mica_sem_up(struct mica_sem *s);

/* The units available now (0 while threads wait). A snapshot. */
static inline unsigned int mica_sem_count(const struct mica_sem *s)
{
	return __atomic_load_n(&s->count, __ATOMIC_RELAXED);
}

/* --- condition variable ----------------------------------------------- */

/*
 * wait releases the mutex (which the caller must own, once) and sleeps as
 * one step, so a signal sent after the caller tested its condition under
 * the mutex always finds it waiting; the mutex is held again when wait
 * returns, also after -ETIMEDOUT (but not after -EDEADLK, which
 * LIB_LOCK_DEBUG returns if locking it again would close a cycle).
 * Wake-ups may be spurious: wait in a loop that tests the condition.
 */
struct mica_cond {
	struct mica_waitq wq;
};

#define MICA_COND_INIT(name)               \
	{                                  \
		MICA_WAITQ_INIT((name).wq) \
	}

int mica_cond_init(struct mica_cond *c);
/* -EBUSY if a thread waits on it. */
int mica_cond_destroy(struct mica_cond *c);

/* -EPERM if m is not the caller's; -EINVAL if it holds m more than once. */
int mica_cond_wait(struct mica_cond *c, struct mica_mutex *m);
int mica_cond_timedwait(struct mica_cond *c, struct mica_mutex *m,
			uint64_t deadline_ns);
/* Wake the longest waiter / every waiter. */
int mica_cond_signal(struct mica_cond *c);
int mica_cond_broadcast(struct mica_cond *c);

/* --- reader-writer lock ----------------------------------------------- */

/*
 * Many readers or one writer. Writers are preferred: once a writer waits,
 * new readers queue behind it, so a stream of readers cannot starve it;
 * waiters are then served in arrival order (a run of readers together),
 * so writers cannot starve readers either. A thread that already holds a
 * read lock may take another without queueing (read locks nest, as
 * POSIX requires). The write lock does not nest: -EDEADLK. A reader
 * asking for the write lock of the same rwlock (an upgrade) waits for
 * itself for ever; that is not detected.
 */
struct mica_rwlock {
	struct mica_thread *writer;   /* the write holder, while writing */
	unsigned int writing;	      /* 1: write-locked */
	unsigned int readers;	      /* read holders */
	unsigned int writers_waiting; /* writers in the queue */
	struct mica_list waiters;     /* lib/lock's waiter records, FIFO */
};

#define MICA_RWLOCK_INIT(name)                                \
	{                                                     \
		NULL, 0, 0, 0, MICA_LIST_INIT((name).waiters) \
	}

int mica_rwlock_init(struct mica_rwlock *rw);
/* -EBUSY if held or waited for. */
int mica_rwlock_destroy(struct mica_rwlock *rw);

int mica_rwlock_rdlock(struct mica_rwlock *rw);
int mica_rwlock_tryrdlock(struct mica_rwlock *rw);
int mica_rwlock_timedrdlock(struct mica_rwlock *rw, uint64_t deadline_ns);
int mica_rwlock_wrlock(struct mica_rwlock *rw);
int mica_rwlock_trywrlock(struct mica_rwlock *rw);
int mica_rwlock_timedwrlock(struct mica_rwlock *rw, uint64_t deadline_ns);
/* Releases the caller's write lock, or one of its read locks. */
int mica_rwlock_unlock(struct mica_rwlock *rw);

/* --- spinlock --------------------------------------------------------- */

/*
 * For data shared with interrupt handlers, or too short a critical
 * section to sleep for. Taking a spinlock masks interrupts (so neither a
 * handler nor another thread can run on this CPU until it is released)
 * and sets an atomic flag (which is what will keep other CPUs out once
 * Mica runs on several). Never block while holding one: no mutex, no
 * sleep, no wait. Release spinlocks in the reverse order of taking them.
 *
 * mica_spin_lock/unlock keep the previous interrupt state in the lock;
 * the irqsave/irqrestore forms hand it to the caller instead, for code
 * that passes it along (as Linux and BSD drivers do).
 *
 * On one CPU a spinlock found held can only be held by the caller
 * itself (a handler or other thread cannot run while it is held), so the
 * image stops with a crash report instead of spinning for ever.
 */
struct mica_spinlock {
	int locked;
	unsigned long irq_flags; /* the holder's, for mica_spin_unlock */
};

#define MICA_SPINLOCK_INIT(name) \
	{                        \
		0, 0             \
	}

static inline void mica_spin_init(struct mica_spinlock *l)
{
	l->locked = 0;
	l->irq_flags = 0;
}

void mica_spin_contended_(struct mica_spinlock *l);

/* Interrupts must already be masked. 0, or -EBUSY when held. */
static inline int mica_spin_trylock_raw_(struct mica_spinlock *l)
{
	if (mica_likely(!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)))
		return 0;
	return -EBUSY;
}

static inline unsigned long mica_spin_lock_irqsave(struct mica_spinlock *l)
{
	unsigned long flags = mica_plat_irq_save();

	if (mica_unlikely(mica_spin_trylock_raw_(l)))
		mica_spin_contended_(l);
	return flags;
}

static inline void mica_spin_unlock_irqrestore(struct mica_spinlock *l,
					       unsigned long flags)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	mica_plat_irq_restore(flags);
}

static inline void mica_spin_lock(struct mica_spinlock *l)
{
	unsigned long flags = mica_spin_lock_irqsave(l);

	l->irq_flags = flags;
}

static inline void mica_spin_unlock(struct mica_spinlock *l)
{
	mica_spin_unlock_irqrestore(l, l->irq_flags);
}

/* 0 with the lock taken, or -EBUSY with interrupts as they were. */
static inline int mica_spin_trylock(struct mica_spinlock *l)
{
	unsigned long flags = mica_plat_irq_save();

	if (mica_spin_trylock_raw_(l)) {
		mica_plat_irq_restore(flags);
		return -EBUSY;
	}
	l->irq_flags = flags;
	return 0;
}

static inline int mica_spin_is_locked(const struct mica_spinlock *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED);
}

#endif /* MICA_LOCK_H */
