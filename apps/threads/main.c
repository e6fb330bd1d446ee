/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An ordinary threaded C program: a pool of worker threads sums the
 * integers 1..n, handed out as ranges through a job queue guarded by a
 * mutex and two condition variables. It prints the sum and exits with 0
 * when it equals n(n + 1)/2, 1 otherwise.
 *
 *	threads [workers [n [jobs]]]	(defaults 4, 10000000, 100)
 *
 * It is portable POSIX C and builds unchanged for the host:
 *
 *	gcc -std=c11 -Wall -Wextra -pthread -o threads main.c && ./threads
 *
 * On Mica the arguments come after "--" on the command line:
 *	make run ARGS='-- 8 1000000'
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_WORKERS 64

struct range {
	unsigned long long first, last;
};

/* Everything the workers share, guarded by lock. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t work;	/* a job was queued, or closing was set */
	pthread_cond_t settled; /* a job was finished */
	struct range *jobs;
	unsigned int queued, next, finished;
	int closing;
	unsigned long long total;
} pool = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.work = PTHREAD_COND_INITIALIZER,
	.settled = PTHREAD_COND_INITIALIZER,
};

static unsigned long long sum_range(const struct range *r)
{
	unsigned long long s = 0, i;

	for (i = r->first; i <= r->last; i++)
		s += i;
	return s;
}

static void *worker(void *arg)
{
	unsigned long done = 0;
	unsigned long long s;
	struct range r;

	(void)arg;
	pthread_mutex_lock(&pool.lock);
	for (;;) {
		while (pool.next == pool.queued && !pool.closing)
			pthread_cond_wait(&pool.work, &pool.lock);
		if (pool.next == pool.queued)
			break; /* closing, and nothing left */
		r = pool.jobs[pool.next++];

		/* The sum itself runs without the lock. */
		pthread_mutex_unlock(&pool.lock);
		s = sum_range(&r);
		pthread_mutex_lock(&pool.lock);

		pool.total += s;
		pool.finished++;
		done++;
		pthread_cond_signal(&pool.settled);
	}
	pthread_mutex_unlock(&pool.lock);
	return (void *)done;
}

static unsigned long arg_or(int argc, char *argv[], int i, unsigned long def)
{
	return argc > i ? strtoul(argv[i], NULL, 0) : def;
}

/* Whole milliseconds (Mica's printf has no floating point). */
static long long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000LL +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(int argc, char *argv[])
{
	unsigned long workers = arg_or(argc, argv, 1, 4);
	unsigned long long n = arg_or(argc, argv, 2, 10000000);
	unsigned long jobs = arg_or(argc, argv, 3, 100);
	unsigned long long want = n * (n + 1) / 2, per_job;
	pthread_t tid[MAX_WORKERS];
	unsigned long i, by_workers = 0;
	struct timespec t0;
	int rc;

	if (!workers || workers > MAX_WORKERS || !jobs || jobs > n) {
		fprintf(stderr,
			"usage: threads [workers (1..%d) [n [jobs "
			"(1..n)]]]\n",
			MAX_WORKERS);
		return 2;
	}
	pool.jobs = calloc(jobs, sizeof(*pool.jobs));
	if (!pool.jobs) {
		fprintf(stderr, "threads: out of memory\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (i = 0; i < workers; i++) {
		rc = pthread_create(&tid[i], NULL, worker, NULL);
		if (rc) {
			fprintf(stderr, "threads: pthread_create: error %d\n",
				rc);
			return 1;
		}
	}

	/* Queue the jobs while the workers already take them. */
	per_job = n / jobs;
	for (i = 0; i < jobs; i++) {
		struct range r = {i * per_job + 1,
				  i + 1 == jobs ? n : (i + 1) * per_job};

		pthread_mutex_lock(&pool.lock);
		pool.jobs[pool.queued++] = r;
		pthread_cond_signal(&pool.work);
		pthread_mutex_unlock(&pool.lock);
	}

	pthread_mutex_lock(&pool.lock);
	while (pool.finished < jobs)
		pthread_cond_wait(&pool.settled, &pool.lock);
	pool.closing = 1;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.lock);

	for (i = 0; i < workers; i++) {
		void *done;

		pthread_join(tid[i], &done);
		by_workers += (unsigned long)done;
	}
	free(pool.jobs);

	printf("threads: %lu workers summed 1..%llu in %lu jobs (%lu run): "
	       "%llu, %s\n",
	       workers, n, jobs, by_workers, pool.total,
	       pool.total == want && by_workers == jobs ? "correct" : "WRONG");
	printf("threads: %lld ms\n", ms_since(&t0));
	return pool.total == want && by_workers == jobs ? 0 : 1;
}
