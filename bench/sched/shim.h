/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench/sched: the few calls schedbench.c makes, on Mica (lib/sched,
 * lib/lock, mica/plat/time.h) or, compiled with -DBENCH_HOST, on the
 * host's pthreads, POSIX semaphores and clocks. Everything is inline so
 * that neither side pays a call the other does not.
 */
#ifndef BENCH_SCHED_SHIM_H
#define BENCH_SCHED_SHIM_H

#include <stdint.h>

/* The TSC, for the boot-cost figures (QEMU TCG hands the guest the
 * host's rate, so the host converts them). */
static inline uint64_t bench_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

#ifdef BENCH_HOST

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <time.h>

#define BENCH_HAVE_THREADS 1
#define BENCH_SEM_IMPL	   "sem_t (glibc, futex)"

typedef pthread_t bench_thread_t;
typedef sem_t bench_sem_t;

static inline int bench_thread_create(bench_thread_t *t, void *(*fn)(void *),
				      void *arg)
{
	return -pthread_create(t, NULL, fn, arg);
}

static inline int bench_thread_join(bench_thread_t t)
{
	return -pthread_join(t, NULL);
}

static inline void bench_yield(void)
{
	sched_yield();
}

static inline int bench_sem_init(bench_sem_t *s, unsigned int n)
{
	return sem_init(s, 0, n) ? -errno : 0;
}

static inline void bench_sem_down(bench_sem_t *s)
{
	while (sem_wait(s) && errno == EINTR)
		;
}

static inline void bench_sem_up(bench_sem_t *s)
{
	sem_post(s);
}

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void bench_sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline_ns / 1000000000u),
		.tv_nsec = (long)(deadline_ns % 1000000000u),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

#else /* Mica */

#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>

/* What the scheduler and the locks do around every critical section. */
#define BENCH_HAVE_IRQ 1

static inline void bench_irq_pair(void)
{
	unsigned long flags = mica_plat_irq_save();

	__asm__ volatile("" : : : "memory");
	mica_plat_irq_restore(flags);
}

#ifdef CONFIG_LIB_SCHED
#include <mica/sched.h>
#ifdef CONFIG_LIB_LOCK
#include <mica/lock.h>
#endif

#define BENCH_HAVE_THREADS 1

typedef struct mica_thread *bench_thread_t;

static inline int bench_thread_create(bench_thread_t *t, void *(*fn)(void *),
				      void *arg)
{
	return mica_thread_create(t, NULL, fn, arg);
}

static inline int bench_thread_join(bench_thread_t t)
{
	return mica_thread_join(t, NULL);
}

static inline void bench_yield(void)
{
	mica_thread_yield();
}

#ifdef CONFIG_LIB_LOCK
#define BENCH_SEM_IMPL "mica_sem (lib/lock)"

typedef struct mica_sem bench_sem_t;

static inline int bench_sem_init(bench_sem_t *s, unsigned int n)
{
	return mica_sem_init(s, n);
}

static inline void bench_sem_down(bench_sem_t *s)
{
	mica_sem_down(s);
}

static inline void bench_sem_up(bench_sem_t *s)
{
	mica_sem_up(s);
}
#else
/*
 * Without lib/lock: a counting semaphore on a wait queue, the way
 * mica/sched.h says locks are built (check under the mask, then wait).
 */
#define BENCH_SEM_IMPL "counter + mica_waitq (no lib/lock)"

typedef struct {
	unsigned int count;
	struct mica_waitq wq;
} bench_sem_t;

static inline int bench_sem_init(bench_sem_t *s, unsigned int n)
{
	s->count = n;
	mica_waitq_init(&s->wq);
	return 0;
}

static inline void bench_sem_down(bench_sem_t *s)
{
	unsigned long flags = mica_plat_irq_save();

	while (!s->count)
		mica_waitq_wait(&s->wq, 0);
	s->count--;
	mica_plat_irq_restore(flags);
}

static inline void bench_sem_up(bench_sem_t *s)
{
	unsigned long flags = mica_plat_irq_save();

	s->count++;
	mica_waitq_wake_one(&s->wq);
	mica_plat_irq_restore(flags);
}
#endif /* CONFIG_LIB_LOCK */

static inline void bench_sleep_until(uint64_t deadline_ns)
{
	mica_sleep_until(deadline_ns);
}
#endif /* CONFIG_LIB_SCHED */

static inline uint64_t bench_now_ns(void)
{
	return mica_plat_monotonic_ns();
}

#endif /* BENCH_HOST */

#endif /* BENCH_SCHED_SHIM_H */
