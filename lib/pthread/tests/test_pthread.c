/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX threads under whichever scheduler the image selected. The tests
 * run in main()'s thread. Threads that must interleave yield: under
 * sched-coop nothing else would make them.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mica/sched.h>
#include <mica/test.h>

#define MS 1000000LL

/* Shared counters: under sched-preempt a thread may be preempted mid-++. */
#define ADD(var, n) __atomic_fetch_add(&(var), (n), __ATOMIC_RELAXED)

static int64_t ns_on(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* An absolute time ms from now on clk. */
static struct timespec in_ms(clockid_t clk, int ms)
{
	int64_t ns = ns_on(clk) + ms * MS;
	struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};

	return ts;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* --- threads ----------------------------------------------------------- */

static void *twice(void *arg)
{
	return (void *)((uintptr_t)arg * 2);
}

/* pthread_exit from a function the start routine called. */
static __mica_noinline void finish(void *value)
{
	pthread_exit(value);
}

static void *exits(void *arg)
{
	finish(arg);
	return NULL;
}

MICA_TEST(pthread_thread, create_join_values)
{
	pthread_t t[4];
	void *r;
	uintptr_t i;

	for (i = 0; i < 4; i++)
		MICA_REQUIRE_EQ(pthread_create(&t[i], NULL,
					       i < 2 ? twice : exits,
					       (void *)(i + 1)),
				0);
	for (i = 0; i < 4; i++) {
		r = NULL;
		MICA_EXPECT_EQ(pthread_join(t[i], &r), 0);
		MICA_EXPECT_EQ((uintptr_t)r, i < 2 ? 2 * (i + 1) : i + 1);
	}
	MICA_REQUIRE_EQ(pthread_create(&t[0], NULL, twice, NULL), 0);
	MICA_EXPECT_EQ(pthread_join(t[0], NULL), 0);
}

static pthread_t seen_self;

static void *store_self(void *arg)
{
	seen_self = pthread_self();
	return NULL;
}

MICA_TEST(pthread_thread, self_and_equal)
{
	pthread_t t, me = pthread_self();

	MICA_EXPECT_TRUE(pthread_equal(me, pthread_self()));
	MICA_EXPECT_EQ(me, (pthread_t)mica_thread_current());
	MICA_REQUIRE_EQ(pthread_create(&t, NULL, store_self, NULL), 0);
	MICA_EXPECT_EQ(pthread_join(t, NULL), 0);
	MICA_EXPECT_TRUE(pthread_equal(t, seen_self));
	MICA_EXPECT_FALSE(pthread_equal(t, me));
	MICA_EXPECT_EQ(pthread_join(me, NULL), EDEADLK);
}

static int detached_done;

static void *count_detached(void *arg)
{
	sched_yield();
	ADD(detached_done, 1);
	return NULL;
}

MICA_TEST(pthread_thread, detach)
{
	unsigned int before = mica_sched_thread_count();
	pthread_attr_t attr;
	pthread_t t[4];
	int i, state;

	detached_done = 0;
	MICA_REQUIRE_EQ(pthread_attr_init(&attr), 0);
	MICA_EXPECT_EQ(pthread_attr_getdetachstate(&attr, &state), 0);
	MICA_EXPECT_EQ(state, PTHREAD_CREATE_JOINABLE);
	MICA_EXPECT_EQ(pthread_attr_setdetachstate(&attr, 7), EINVAL);
	MICA_EXPECT_EQ(
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), 0);
	for (i = 0; i < 2; i++)
		MICA_REQUIRE_EQ(
			pthread_create(&t[i], &attr, count_detached, NULL), 0);
	for (i = 2; i < 4; i++) {
		MICA_REQUIRE_EQ(
			pthread_create(&t[i], NULL, count_detached, NULL), 0);
		MICA_EXPECT_EQ(pthread_detach(t[i]), 0);
	}
	/* A detached thread cannot be joined, nor detached again. */
	MICA_EXPECT_EQ(pthread_join(t[3], NULL), EINVAL);
	MICA_EXPECT_EQ(pthread_detach(t[3]), EINVAL);
	pthread_attr_destroy(&attr);
	for (i = 0; i < 1000 &&
		    (detached_done < 4 || mica_sched_thread_count() > before);
	     i++)
		usleep(1000);
	MICA_EXPECT_EQ(detached_done, 4);
	/* Freed without a join. */
	MICA_EXPECT_EQ(mica_sched_thread_count(), before);
}

#define MANY   1000
#define WINDOW 64

static unsigned long many_sum;

static void *add_arg(void *arg)
{
	ADD(many_sum, (uintptr_t)arg);
	return arg;
}

/* 1000 threads, at most WINDOW alive at once (the heap is 32 MiB). */
MICA_TEST(pthread_thread, thousand_threads)
{
	pthread_t t[WINDOW];
	pthread_attr_t attr;
	unsigned long want = 0, got = 0;
	int i;

	many_sum = 0;
	pthread_attr_init(&attr);
	MICA_REQUIRE_EQ(pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN), 0);
	for (i = 0; i < MANY + WINDOW; i++) {
		void *r = NULL;

		if (i >= WINDOW && pthread_join(t[i % WINDOW], &r) == 0)
			got += (uintptr_t)r;
		if (i < MANY) {
			MICA_REQUIRE_EQ(
				pthread_create(&t[i % WINDOW], &attr, add_arg,
					       (void *)(uintptr_t)(i + 1)),
				0);
			want += i + 1;
		}
	}
	MICA_EXPECT_EQ(many_sum, want);
	MICA_EXPECT_EQ(got, want);
}

/* A big stack is really there: a 200 KiB array on a 256 KiB stack. */
static void *use_stack(void *arg)
{
	volatile char big[200 * 1024];
	size_t i;
	unsigned int sum = 0;

	for (i = 0; i < sizeof(big); i += 512)
		big[i] = (char)(i / 512 % 100);
	for (i = 0; i < sizeof(big); i += 512)
		sum += (unsigned char)big[i];
	return (void *)(uintptr_t)sum;
}

MICA_TEST(pthread_thread, attributes)
{
	pthread_attr_t attr;
	struct sched_param sp;
	size_t size;
	pthread_t t;
	void *r;
	int v;

	MICA_REQUIRE_EQ(pthread_attr_init(&attr), 0);
	MICA_EXPECT_EQ(pthread_attr_getstacksize(&attr, &size), 0);
	MICA_EXPECT_EQ(size, (size_t)CONFIG_LIB_SCHED_STACK_SIZE);
	MICA_EXPECT_EQ(pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN - 1),
		       EINVAL);
	MICA_EXPECT_EQ(pthread_attr_setstacksize(&attr, 256 * 1024), 0);
	MICA_EXPECT_EQ(pthread_attr_getstacksize(&attr, &size), 0);
	MICA_EXPECT_EQ(size, 256 * 1024);
	MICA_REQUIRE_EQ(pthread_create(&t, &attr, use_stack, NULL), 0);
	MICA_EXPECT_EQ(pthread_join(t, &r), 0);
	MICA_EXPECT_EQ((uintptr_t)r, 4 * 4950); /* 4 x (0 + 1 + ... + 99) */

	MICA_EXPECT_EQ(pthread_attr_getinheritsched(&attr, &v), 0);
	MICA_EXPECT_EQ(v, PTHREAD_INHERIT_SCHED);
	MICA_EXPECT_EQ(pthread_attr_getschedpolicy(&attr, &v), 0);
	MICA_EXPECT_EQ(v, SCHED_OTHER);
	MICA_EXPECT_EQ(pthread_attr_setschedpolicy(&attr, 42), EINVAL);
	MICA_EXPECT_EQ(pthread_attr_setscope(&attr, PTHREAD_SCOPE_SYSTEM), 0);
	MICA_EXPECT_EQ(pthread_attr_setscope(&attr, PTHREAD_SCOPE_PROCESS),
		       ENOTSUP);
	sp.sched_priority = MICA_PRIO_MAX + 1;
	MICA_EXPECT_EQ(pthread_attr_setschedparam(&attr, &sp), EINVAL);
	pthread_attr_destroy(&attr);
}

static void *report_prio(void *arg)
{
	struct sched_param sp;
	int policy;

	pthread_getschedparam(pthread_self(), &policy, &sp);
	return (void *)(uintptr_t)sp.sched_priority;
}

MICA_TEST(pthread_thread, priorities)
{
	pthread_attr_t attr;
	struct sched_param sp;
	pthread_t t;
	int policy;
	void *r;

	MICA_EXPECT_EQ(sched_get_priority_min(SCHED_FIFO), MICA_PRIO_MIN);
	MICA_EXPECT_EQ(sched_get_priority_max(SCHED_RR), MICA_PRIO_MAX);
	errno = 0;
	MICA_EXPECT_EQ(sched_get_priority_max(99), -1);
	MICA_EXPECT_EQ(errno, EINVAL);

	/* Inherited by default; the attribute's with EXPLICIT_SCHED. */
	MICA_EXPECT_EQ(pthread_getschedparam(pthread_self(), &policy, &sp), 0);
	MICA_EXPECT_EQ(sp.sched_priority, MICA_PRIO_DEFAULT);
	pthread_attr_init(&attr);
	sp.sched_priority = MICA_PRIO_DEFAULT - 3;
	MICA_EXPECT_EQ(pthread_attr_setschedparam(&attr, &sp), 0);
	MICA_REQUIRE_EQ(pthread_create(&t, &attr, report_prio, NULL), 0);
	MICA_EXPECT_EQ(pthread_join(t, &r), 0);
	MICA_EXPECT_EQ((uintptr_t)r, MICA_PRIO_DEFAULT);
	MICA_EXPECT_EQ(
		pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED), 0);
	MICA_REQUIRE_EQ(pthread_create(&t, &attr, report_prio, NULL), 0);
	MICA_EXPECT_EQ(pthread_join(t, &r), 0);
	MICA_EXPECT_EQ((uintptr_t)r, MICA_PRIO_DEFAULT - 3);
	pthread_attr_destroy(&attr);

	/* Lowering and restoring our own; 0 is the default priority. */
	sp.sched_priority = MICA_PRIO_DEFAULT - 1;
	MICA_EXPECT_EQ(pthread_setschedparam(pthread_self(), SCHED_RR, &sp), 0);
	MICA_EXPECT_EQ(mica_thread_prio(mica_thread_current()),
		       MICA_PRIO_DEFAULT - 1);
	MICA_EXPECT_EQ(pthread_setschedprio(pthread_self(), 0), 0);
	MICA_EXPECT_EQ(mica_thread_prio(mica_thread_current()),
		       MICA_PRIO_DEFAULT);
	MICA_EXPECT_EQ(pthread_setschedprio(pthread_self(), -1), EINVAL);
	MICA_EXPECT_EQ(sched_yield(), 0);
}

MICA_TEST(pthread_thread, names_and_cancel)
{
	char name[MICA_THREAD_NAME_MAX];
	int rc, old;

	MICA_EXPECT_EQ(pthread_getname_np(pthread_self(), name, sizeof(name)),
		       0);
	MICA_EXPECT_STREQ(name, "main");
	MICA_EXPECT_EQ(pthread_getname_np(pthread_self(), name, 4), ERANGE);
	MICA_EXPECT_EQ(pthread_setname_np(pthread_self(),
					  "a-name-longer-than-any-allowed"),
		       ERANGE);
	rc = pthread_setname_np(pthread_self(), "renamed");
	MICA_EXPECT_EQ(rc, 0);
	pthread_getname_np(pthread_self(), name, sizeof(name));
	MICA_EXPECT_STREQ(name, "renamed");
	MICA_EXPECT_EQ(pthread_setname_np(pthread_self(), "main"), 0);

	MICA_EXPECT_EQ(pthread_cancel(pthread_self()), ENOSYS);
	MICA_EXPECT_EQ(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old), 0);
	MICA_EXPECT_EQ(old, PTHREAD_CANCEL_ENABLE);
	MICA_EXPECT_EQ(pthread_setcanceltype(99, NULL), EINVAL);
	pthread_testcancel();
	MICA_EXPECT_EQ(pthread_atfork(NULL, NULL, NULL), 0);
}

/* --- thread-local storage and errno ------------------------------------ */

static __thread int tls_value = 77;
static int tls_bad;

static void *tls_worker(void *arg)
{
	int id = (int)(uintptr_t)arg, i;

	if (tls_value != 77) /* .tdata's initial value, in every thread */
		ADD(tls_bad, 1);
	tls_value = id;
	errno = id;
	for (i = 0; i < 10; i++) {
		sched_yield();
		if (tls_value != id || errno != id)
			ADD(tls_bad, 1);
	}
	return &tls_value;
}

MICA_TEST(pthread_tls, values_and_errno_per_thread)
{
	pthread_t t[8];
	void *where[8];
	int i, j;

	tls_bad = 0;
	tls_value = 5;
	errno = 0;
	for (i = 0; i < 8; i++)
		MICA_REQUIRE_EQ(pthread_create(&t[i], NULL, tls_worker,
					       (void *)(uintptr_t)(100 + i)),
				0);
	for (i = 0; i < 8; i++)
		MICA_EXPECT_EQ(pthread_join(t[i], &where[i]), 0);
	MICA_EXPECT_EQ(tls_bad, 0);
	MICA_EXPECT_EQ(tls_value, 5);
	MICA_EXPECT_EQ(errno, 0);
	for (i = 0; i < 8; i++) {
		MICA_EXPECT_TRUE(where[i] != &tls_value);
		for (j = i + 1; j < 8; j++)
			MICA_EXPECT_TRUE(where[i] != where[j]);
	}
}

/* --- mutexes ----------------------------------------------------------- */

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int counter;

/* Read, yield, write: without the mutex, increments would be lost. */
static void *count_under_lock(void *arg)
{
	int i, v;

	for (i = 0; i < 100; i++) {
		pthread_mutex_lock(&count_lock);
		v = counter;
		sched_yield();
		counter = v + 1;
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

MICA_TEST(pthread_mutex, static_initializer_excludes)
{
	pthread_t t[4];
	int i;

	counter = 0;
	for (i = 0; i < 4; i++)
		MICA_REQUIRE_EQ(
			pthread_create(&t[i], NULL, count_under_lock, NULL), 0);
	for (i = 0; i < 4; i++)
		MICA_EXPECT_EQ(pthread_join(t[i], NULL), 0);
	MICA_EXPECT_EQ(counter, 400);
	MICA_EXPECT_EQ(pthread_mutex_destroy(&count_lock), 0);
}

/* trylock's answer in another thread (which lets go if it got it). */
static void *try_from_other(void *arg)
{
	pthread_mutex_t *m = arg;
	int rc = pthread_mutex_trylock(m);

	if (!rc)
		pthread_mutex_unlock(m);
	return (void *)(uintptr_t)rc;
}

static void *unlock_from_other(void *arg)
{
	pthread_mutex_t *m = arg;

	return (void *)(uintptr_t)pthread_mutex_unlock(m);
}

static int in_other_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *r = (void *)-1;

	if (pthread_create(&t, NULL, fn, arg) || pthread_join(t, &r))
		return -1;
	return (int)(uintptr_t)r;
}

MICA_TEST(pthread_mutex, recursive)
{
	pthread_mutex_t m = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, m2;
	pthread_mutexattr_t attr;
	int type;

	MICA_EXPECT_EQ(pthread_mutex_lock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_lock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_trylock(&m), 0);
	MICA_EXPECT_EQ(in_other_thread(try_from_other, &m), EBUSY);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_destroy(&m), EBUSY);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_destroy(&m), 0);

	MICA_REQUIRE_EQ(pthread_mutexattr_init(&attr), 0);
	MICA_EXPECT_EQ(pthread_mutexattr_gettype(&attr, &type), 0);
	MICA_EXPECT_EQ(type, PTHREAD_MUTEX_DEFAULT);
	MICA_EXPECT_EQ(pthread_mutexattr_settype(&attr, 12), EINVAL);
	MICA_EXPECT_EQ(
		pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE), 0);
	MICA_EXPECT_EQ(pthread_mutex_init(&m2, &attr), 0);
	pthread_mutexattr_destroy(&attr);
	MICA_EXPECT_EQ(pthread_mutex_lock(&m2), 0);
	MICA_EXPECT_EQ(pthread_mutex_lock(&m2), 0);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m2), 0);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m2), 0);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m2), EPERM);
	MICA_EXPECT_EQ(pthread_mutex_destroy(&m2), 0);
}

MICA_TEST(pthread_mutex, errorcheck)
{
	pthread_mutex_t s = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP, m;
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	MICA_EXPECT_EQ(
		pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK), 0);
	MICA_REQUIRE_EQ(pthread_mutex_init(&m, &attr), 0);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), EPERM);
	MICA_EXPECT_EQ(pthread_mutex_lock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_lock(&m), EDEADLK);
	MICA_EXPECT_EQ(pthread_mutex_trylock(&m), EBUSY);
	MICA_EXPECT_EQ(in_other_thread(unlock_from_other, &m), EPERM);
	MICA_EXPECT_EQ(in_other_thread(try_from_other, &m), EBUSY);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), EPERM);
	MICA_EXPECT_EQ(pthread_mutex_destroy(&m), 0);

	/* The static form too. */
	MICA_EXPECT_EQ(pthread_mutex_lock(&s), 0);
	MICA_EXPECT_EQ(pthread_mutex_lock(&s), EDEADLK);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&s), 0);
}

MICA_TEST(pthread_mutex, normal_trylock)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

	MICA_EXPECT_EQ(pthread_mutex_trylock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_trylock(&m), EBUSY);
	MICA_EXPECT_EQ(in_other_thread(try_from_other, &m), EBUSY);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(in_other_thread(try_from_other, &m), 0);
	MICA_EXPECT_EQ(pthread_mutex_destroy(&m), 0);
}

static void *hold_for_50ms(void *arg)
{
	pthread_mutex_t *m = arg;

	pthread_mutex_lock(m);
	usleep(50000);
	pthread_mutex_unlock(m);
	return NULL;
}

MICA_TEST(pthread_mutex, timedlock)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	struct timespec until, bad = {0, 1000000000};
	pthread_t t;

	/* Free: taken even with a deadline long past or invalid. */
	until.tv_sec = 0;
	until.tv_nsec = 0;
	MICA_EXPECT_EQ(pthread_mutex_timedlock(&m, &until), 0);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(pthread_mutex_timedlock(&m, &bad), 0);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);

	MICA_REQUIRE_EQ(pthread_create(&t, NULL, hold_for_50ms, &m), 0);
	while (pthread_mutex_trylock(&m) == 0) { /* until t holds it */
		pthread_mutex_unlock(&m);
		sched_yield();
	}
	MICA_EXPECT_EQ(pthread_mutex_timedlock(&m, &bad), EINVAL);
	until = in_ms(CLOCK_REALTIME, 10);
	MICA_EXPECT_EQ(pthread_mutex_timedlock(&m, &until), ETIMEDOUT);
	MICA_EXPECT_GE(ns_on(CLOCK_REALTIME), ts_ns(&until));
	until = in_ms(CLOCK_MONOTONIC, 5);
	MICA_EXPECT_EQ(pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &until),
		       ETIMEDOUT);
	MICA_EXPECT_GE(ns_on(CLOCK_MONOTONIC), ts_ns(&until));
	/* A deadline after the holder lets go: the lock is ours. */
	until = in_ms(CLOCK_MONOTONIC, 5000);
	MICA_EXPECT_EQ(pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &until), 0);
	MICA_EXPECT_LT(ns_on(CLOCK_MONOTONIC), ts_ns(&until));
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(pthread_join(t, NULL), 0);
}

/* --- condition variables ----------------------------------------------- */

#define QSIZE	  4
#define ITEMS	  500
#define PRODUCERS 2
#define CONSUMERS 3

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	int q[QSIZE], head, len, produced_done;
	unsigned long sum, taken;
} pc = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.not_full = PTHREAD_COND_INITIALIZER,
};

static void *producer(void *arg)
{
	int base = (int)(uintptr_t)arg, i;

	for (i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&pc.lock);
		while (pc.len == QSIZE)
			pthread_cond_wait(&pc.not_full, &pc.lock);
		pc.q[(pc.head + pc.len++) % QSIZE] = base + i;
		pthread_cond_signal(&pc.not_empty);
		pthread_mutex_unlock(&pc.lock);
		if (i % 7 == 0)
			sched_yield();
	}
	return NULL;
}

static void *consumer(void *arg)
{
	unsigned long n = 0;

	pthread_mutex_lock(&pc.lock);
	for (;;) {
		while (!pc.len && pc.produced_done < PRODUCERS)
			pthread_cond_wait(&pc.not_empty, &pc.lock);
		if (!pc.len)
			break;
		pc.sum += pc.q[pc.head];
		pc.head = (pc.head + 1) % QSIZE;
		pc.len--;
		pc.taken++;
		n++;
		pthread_cond_signal(&pc.not_full);
	}
	pthread_mutex_unlock(&pc.lock);
	return (void *)n;
}

MICA_TEST(pthread_cond, producer_consumer_checksum)
{
	pthread_t p[PRODUCERS], c[CONSUMERS];
	unsigned long want = 0, total = 0;
	void *r;
	int i;

	/* One condition variable static, one initialised by the call. */
	MICA_REQUIRE_EQ(pthread_cond_init(&pc.not_empty, NULL), 0);
	for (i = 0; i < CONSUMERS; i++)
		MICA_REQUIRE_EQ(pthread_create(&c[i], NULL, consumer, NULL), 0);
	for (i = 0; i < PRODUCERS; i++) {
		MICA_REQUIRE_EQ(pthread_create(&p[i], NULL, producer,
					       (void *)(uintptr_t)(i * 100000)),
				0);
		/* base*ITEMS + 1+2+...+ITEMS */
		want += (unsigned long)i * 100000 * ITEMS +
			ITEMS * (ITEMS + 1) / 2;
	}
	for (i = 0; i < PRODUCERS; i++)
		MICA_EXPECT_EQ(pthread_join(p[i], NULL), 0);
	pthread_mutex_lock(&pc.lock);
	pc.produced_done = PRODUCERS;
	pthread_cond_broadcast(&pc.not_empty);
	pthread_mutex_unlock(&pc.lock);
	for (i = 0; i < CONSUMERS; i++) {
		MICA_EXPECT_EQ(pthread_join(c[i], &r), 0);
		total += (uintptr_t)r;
	}
	MICA_EXPECT_EQ(pc.sum, want);
	MICA_EXPECT_EQ(pc.taken, PRODUCERS * ITEMS);
	MICA_EXPECT_EQ(total, PRODUCERS * ITEMS);
	MICA_EXPECT_EQ(pthread_cond_destroy(&pc.not_empty), 0);
	MICA_EXPECT_EQ(pthread_cond_destroy(&pc.not_full), 0);
}

MICA_TEST(pthread_cond, timedwait_realtime)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	struct timespec until;

	pthread_mutex_lock(&m);
	until = in_ms(CLOCK_REALTIME, 20);
	MICA_EXPECT_EQ(pthread_cond_timedwait(&c, &m, &until), ETIMEDOUT);
	MICA_EXPECT_GE(ns_on(CLOCK_REALTIME), ts_ns(&until));
	/* Held again after the timeout. */
	MICA_EXPECT_EQ(pthread_mutex_trylock(&m), EBUSY);
	until.tv_sec -= 100;
	MICA_EXPECT_EQ(pthread_cond_timedwait(&c, &m, &until), ETIMEDOUT);
	until.tv_nsec = -1;
	MICA_EXPECT_EQ(pthread_cond_timedwait(&c, &m, &until), EINVAL);
	MICA_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
}

MICA_TEST(pthread_cond, timedwait_monotonic)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_condattr_t attr;
	pthread_cond_t c;
	struct timespec until;
	clockid_t clk;

	MICA_REQUIRE_EQ(pthread_condattr_init(&attr), 0);
	MICA_EXPECT_EQ(pthread_condattr_getclock(&attr, &clk), 0);
	MICA_EXPECT_EQ(clk, CLOCK_REALTIME);
	MICA_EXPECT_EQ(pthread_condattr_setclock(&attr, 99), EINVAL);
	MICA_EXPECT_EQ(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), 0);
	MICA_EXPECT_EQ(pthread_cond_init(&c, &attr), 0);
	pthread_condattr_destroy(&attr);

	pthread_mutex_lock(&m);
	until = in_ms(CLOCK_MONOTONIC, 20);
	MICA_EXPECT_EQ(pthread_cond_timedwait(&c, &m, &until), ETIMEDOUT);
	MICA_EXPECT_GE(ns_on(CLOCK_MONOTONIC), ts_ns(&until));
	/* And per call, on the other clock. */
	until = in_ms(CLOCK_REALTIME, 10);
	MICA_EXPECT_EQ(pthread_cond_clockwait(&c, &m, CLOCK_REALTIME, &until),
		       ETIMEDOUT);
	MICA_EXPECT_GE(ns_on(CLOCK_REALTIME), ts_ns(&until));
	pthread_mutex_unlock(&m);
	MICA_EXPECT_EQ(pthread_cond_destroy(&c), 0);
}

static struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	int go, awake;
} bc = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void *wait_for_go(void *arg)
{
	struct timespec until = in_ms(CLOCK_REALTIME, 10000);
	int rc = 0;

	pthread_mutex_lock(&bc.m);
	while (!bc.go && !rc)
		rc = pthread_cond_timedwait(&bc.c, &bc.m, &until);
	bc.awake++;
	pthread_mutex_unlock(&bc.m);
	return (void *)(uintptr_t)rc;
}

MICA_TEST(pthread_cond, broadcast_wakes_all_before_timeout)
{
	pthread_t t[5];
	void *r;
	int i;

	for (i = 0; i < 5; i++)
		MICA_REQUIRE_EQ(pthread_create(&t[i], NULL, wait_for_go, NULL),
				0);
	usleep(5000); /* let them all wait */
	MICA_EXPECT_EQ(pthread_cond_destroy(&bc.c), EBUSY);
	pthread_mutex_lock(&bc.m);
	bc.go = 1;
	MICA_EXPECT_EQ(pthread_cond_broadcast(&bc.c), 0);
	pthread_mutex_unlock(&bc.m);
	for (i = 0; i < 5; i++) {
		MICA_EXPECT_EQ(pthread_join(t[i], &r), 0);
		MICA_EXPECT_EQ((uintptr_t)r, 0);
	}
	MICA_EXPECT_EQ(bc.awake, 5);
}

MICA_TEST(pthread_cond, wait_needs_the_mutex)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;

	MICA_EXPECT_EQ(pthread_cond_wait(&c, &m), EPERM);
	MICA_EXPECT_EQ(pthread_cond_signal(&c), 0);
}

/* --- reader-writer locks ----------------------------------------------- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int rw_a, rw_b;
static int rw_readers, rw_max_readers, rw_torn;

static void *rw_reader(void *arg)
{
	int i, n;

	for (i = 0; i < 50; i++) {
		pthread_rwlock_rdlock(&rw);
		n = ADD(rw_readers, 1) + 1;
		if (n > __atomic_load_n(&rw_max_readers, __ATOMIC_RELAXED))
			__atomic_store_n(&rw_max_readers, n, __ATOMIC_RELAXED);
		if (rw_a != rw_b)
			ADD(rw_torn, 1);
		sched_yield();
		if (rw_a != rw_b)
			ADD(rw_torn, 1);
		ADD(rw_readers, -1);
		pthread_rwlock_unlock(&rw);
		sched_yield();
	}
	return NULL;
}

static void *rw_writer(void *arg)
{
	int i;

	for (i = 0; i < 50; i++) {
		pthread_rwlock_wrlock(&rw);
		if (__atomic_load_n(&rw_readers, __ATOMIC_RELAXED))
			ADD(rw_torn, 1);
		rw_a++;
		sched_yield(); /* a reader now would see a != b */
		rw_b++;
		pthread_rwlock_unlock(&rw);
		sched_yield();
	}
	return NULL;
}

MICA_TEST(pthread_rwlock, readers_share_writers_exclude)
{
	pthread_t t[6];
	int i;

	for (i = 0; i < 6; i++)
		MICA_REQUIRE_EQ(pthread_create(&t[i], NULL,
					       i < 4 ? rw_reader : rw_writer,
					       NULL),
				0);
	for (i = 0; i < 6; i++)
		MICA_EXPECT_EQ(pthread_join(t[i], NULL), 0);
	MICA_EXPECT_EQ(rw_torn, 0);
	MICA_EXPECT_EQ(rw_a, 100);
	MICA_EXPECT_EQ(rw_b, 100);
	MICA_EXPECT_GE(rw_max_readers, 2);
	MICA_EXPECT_EQ(pthread_rwlock_destroy(&rw), 0);
}

/* Answers from another thread, which lets go of what it got. */
static void *try_read(void *arg)
{
	int rc = pthread_rwlock_tryrdlock(arg);

	if (!rc)
		pthread_rwlock_unlock(arg);
	return (void *)(uintptr_t)rc;
}

static void *try_write(void *arg)
{
	int rc = pthread_rwlock_trywrlock(arg);

	if (!rc)
		pthread_rwlock_unlock(arg);
	return (void *)(uintptr_t)rc;
}

static void *timed_write_10ms(void *arg)
{
	struct timespec until = in_ms(CLOCK_REALTIME, 10);
	int rc = pthread_rwlock_timedwrlock(arg, &until);

	if (rc == ETIMEDOUT && ns_on(CLOCK_REALTIME) < ts_ns(&until))
		rc = -1; /* early */
	if (!rc)
		pthread_rwlock_unlock(arg);
	return (void *)(uintptr_t)rc;
}

MICA_TEST(pthread_rwlock, errors_and_timeouts)
{
	pthread_rwlock_t l;
	pthread_rwlockattr_t attr;
	struct timespec until;

	pthread_rwlockattr_init(&attr);
	MICA_REQUIRE_EQ(pthread_rwlock_init(&l, &attr), 0);
	pthread_rwlockattr_destroy(&attr);
	MICA_EXPECT_EQ(pthread_rwlock_unlock(&l), EPERM);

	MICA_EXPECT_EQ(pthread_rwlock_rdlock(&l), 0);
	MICA_EXPECT_EQ(pthread_rwlock_rdlock(&l), 0); /* reads nest */
	MICA_EXPECT_EQ(in_other_thread(try_read, &l), 0);
	MICA_EXPECT_EQ(in_other_thread(try_write, &l), EBUSY);
	MICA_EXPECT_EQ(in_other_thread(timed_write_10ms, &l), ETIMEDOUT);
	MICA_EXPECT_EQ(pthread_rwlock_destroy(&l), EBUSY);
	MICA_EXPECT_EQ(pthread_rwlock_unlock(&l), 0);
	MICA_EXPECT_EQ(pthread_rwlock_unlock(&l), 0);
	MICA_EXPECT_EQ(pthread_rwlock_destroy(&l), 0);

	MICA_REQUIRE_EQ(pthread_rwlock_init(&l, NULL), 0);
	MICA_EXPECT_EQ(pthread_rwlock_wrlock(&l), 0);
	MICA_EXPECT_EQ(pthread_rwlock_trywrlock(&l), EBUSY);
	MICA_EXPECT_EQ(in_other_thread(try_read, &l), EBUSY);
	until = in_ms(CLOCK_MONOTONIC, 1000);
	MICA_EXPECT_EQ(pthread_rwlock_clockrdlock(&l, CLOCK_MONOTONIC, &until),
		       EDEADLK);
	MICA_EXPECT_EQ(pthread_rwlock_unlock(&l), 0);
	MICA_EXPECT_EQ(pthread_rwlock_timedrdlock(&l, &until), 0);
	MICA_EXPECT_EQ(pthread_rwlock_unlock(&l), 0);
	MICA_EXPECT_EQ(pthread_rwlock_destroy(&l), 0);
}

/* --- once -------------------------------------------------------------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs, once_ready;
static int once_early;

static void once_init(void)
{
	once_runs++;
	usleep(5000); /* the other callers arrive meanwhile */
	once_ready = 1;
}

static void *call_once(void *arg)
{
	pthread_once(&once, once_init);
	if (!once_ready)
		ADD(once_early, 1);
	return NULL;
}

MICA_TEST(pthread_once, runs_once_for_many_threads)
{
	pthread_t t[16];
	int i;

	for (i = 0; i < 16; i++)
		MICA_REQUIRE_EQ(pthread_create(&t[i], NULL, call_once, NULL),
				0);
	call_once(NULL);
	for (i = 0; i < 16; i++)
		MICA_EXPECT_EQ(pthread_join(t[i], NULL), 0);
	MICA_EXPECT_EQ(once_runs, 1);
	MICA_EXPECT_EQ(once_early, 0);
	MICA_EXPECT_EQ(pthread_once(&once, once_init), 0);
	MICA_EXPECT_EQ(once_runs, 1);
}

/* --- thread-specific data ---------------------------------------------- */

static pthread_key_t key_a, key_b;
static volatile int destroyed[8], dtor_calls_b;

static void destroy_a(void *v)
{
	destroyed[(uintptr_t)v - 1]++;
}

/* Sets a new value twice: called for three rounds in all. */
static void destroy_b(void *v)
{
	dtor_calls_b++;
	if ((uintptr_t)v < 3)
		pthread_setspecific(key_b, (void *)((uintptr_t)v + 1));
}

static void *use_keys(void *arg)
{
	uintptr_t id = (uintptr_t)arg;

	if (pthread_getspecific(key_a))
		return (void *)1;
	pthread_setspecific(key_a, (void *)id);
	sched_yield();
	if ((uintptr_t)pthread_getspecific(key_a) != id)
		return (void *)2;
	if (id == 1)
		pthread_setspecific(key_b, (void *)1);
	if (id == 2)
		pthread_exit(NULL); /* destructors run here too */
	return NULL;
}

MICA_TEST(pthread_key, values_and_destructors)
{
	pthread_t t[8];
	void *r;
	uintptr_t i;

	MICA_REQUIRE_EQ(pthread_key_create(&key_a, destroy_a), 0);
	MICA_REQUIRE_EQ(pthread_key_create(&key_b, destroy_b), 0);
	MICA_EXPECT_NE(key_a, key_b);
	MICA_EXPECT_EQ(pthread_setspecific(key_a, (void *)42), 0);
	for (i = 0; i < 8; i++)
		MICA_REQUIRE_EQ(
			pthread_create(&t[i], NULL, use_keys, (void *)(i + 1)),
			0);
	for (i = 0; i < 8; i++) {
		MICA_EXPECT_EQ(pthread_join(t[i], &r), 0);
		MICA_EXPECT_TRUE(r == NULL);
		MICA_EXPECT_EQ(destroyed[i], 1);
	}
	MICA_EXPECT_EQ(dtor_calls_b, 3);
	MICA_EXPECT_EQ((uintptr_t)pthread_getspecific(key_a), 42);

	/* A key made after a delete reads NULL, here and elsewhere. */
	MICA_EXPECT_EQ(pthread_key_delete(key_a), 0);
	MICA_EXPECT_EQ(pthread_key_delete(key_a), EINVAL);
	MICA_EXPECT_EQ(pthread_setspecific(key_a, NULL), EINVAL);
	MICA_REQUIRE_EQ(pthread_key_create(&key_a, NULL), 0);
	MICA_EXPECT_NULL(pthread_getspecific(key_a));
	MICA_EXPECT_EQ(pthread_key_delete(key_a), 0);
	MICA_EXPECT_EQ(pthread_key_delete(key_b), 0);
}

MICA_TEST(pthread_key, limit)
{
	static pthread_key_t k[PTHREAD_KEYS_MAX];
	pthread_key_t extra;
	int n;

	for (n = 0; n < PTHREAD_KEYS_MAX; n++)
		if (pthread_key_create(&k[n], NULL))
			break;
	MICA_EXPECT_EQ(n, PTHREAD_KEYS_MAX);
	MICA_EXPECT_EQ(pthread_key_create(&extra, NULL), EAGAIN);
	while (n--)
		MICA_EXPECT_EQ(pthread_key_delete(k[n]), 0);
	MICA_EXPECT_NULL(pthread_getspecific(PTHREAD_KEYS_MAX));
}

/* --- spinlocks and barriers -------------------------------------------- */

MICA_TEST(pthread_spin, lock_and_errors)
{
	pthread_spinlock_t s;

	MICA_REQUIRE_EQ(pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE), 0);
	MICA_EXPECT_EQ(pthread_spin_unlock(&s), EPERM);
	MICA_EXPECT_EQ(pthread_spin_lock(&s), 0);
	MICA_EXPECT_EQ(pthread_spin_trylock(&s), EBUSY);
	MICA_EXPECT_EQ(pthread_spin_lock(&s), EDEADLK);
	MICA_EXPECT_EQ(pthread_spin_destroy(&s), EBUSY);
	MICA_EXPECT_EQ(pthread_spin_unlock(&s), 0);
	MICA_EXPECT_EQ(pthread_spin_trylock(&s), 0);
	MICA_EXPECT_EQ(pthread_spin_unlock(&s), 0);
	MICA_EXPECT_EQ(pthread_spin_destroy(&s), 0);
}

#define BARRIER_THREADS 4
#define BARRIER_ROUNDS	3

static pthread_barrier_t barrier;
static int arrived[BARRIER_ROUNDS], serial[BARRIER_ROUNDS], barrier_bad;

static void *meet(void *arg)
{
	int round;

	for (round = 0; round < BARRIER_ROUNDS; round++) {
		ADD(arrived[round], 1);
		if (pthread_barrier_wait(&barrier) ==
		    PTHREAD_BARRIER_SERIAL_THREAD)
			ADD(serial[round], 1);
		/* Nobody leaves before everyone has arrived. */
		if (__atomic_load_n(&arrived[round], __ATOMIC_RELAXED) !=
		    BARRIER_THREADS)
			ADD(barrier_bad, 1);
	}
	return NULL;
}

MICA_TEST(pthread_barrier, rounds)
{
	pthread_t t[BARRIER_THREADS];
	int i;

	MICA_EXPECT_EQ(pthread_barrier_init(&barrier, NULL, 0), EINVAL);
	MICA_REQUIRE_EQ(pthread_barrier_init(&barrier, NULL, BARRIER_THREADS),
			0);
	for (i = 0; i < BARRIER_THREADS; i++)
		MICA_REQUIRE_EQ(pthread_create(&t[i], NULL, meet, NULL), 0);
	for (i = 0; i < BARRIER_THREADS; i++)
		MICA_EXPECT_EQ(pthread_join(t[i], NULL), 0);
	MICA_EXPECT_EQ(barrier_bad, 0);
	for (i = 0; i < BARRIER_ROUNDS; i++)
		MICA_EXPECT_EQ(serial[i], 1);
	MICA_EXPECT_EQ(pthread_barrier_destroy(&barrier), 0);
}

/* --- <time.h> from threads --------------------------------------------- */

/* Sleeps its argument in ms; returns how long it really took, in ms. */
static void *sleep_ms(void *arg)
{
	int ms = (int)(uintptr_t)arg;
	struct timespec ts = {0, ms * MS};
	int64_t t0 = ns_on(CLOCK_MONOTONIC);

	if (nanosleep(&ts, NULL))
		return (void *)-1;
	return (void *)(uintptr_t)((ns_on(CLOCK_MONOTONIC) - t0) / MS);
}

MICA_TEST(pthread_time, sleeps_block_only_the_sleeper)
{
	pthread_t t[3];
	int64_t t0 = ns_on(CLOCK_MONOTONIC);
	void *r;
	int i;

	for (i = 0; i < 3; i++)
		MICA_REQUIRE_EQ(
			pthread_create(&t[i], NULL, sleep_ms,
				       (void *)(uintptr_t)(100 * (i + 1))),
			0);
	/* main keeps running, and yielding, while they sleep */
	while (ns_on(CLOCK_MONOTONIC) - t0 < 5 * MS)
		sched_yield();
	for (i = 0; i < 3; i++) {
		MICA_EXPECT_EQ(pthread_join(t[i], &r), 0);
		MICA_EXPECT_GE((intptr_t)r, 100 * (i + 1));
	}
	/*
	 * The three slept at once (300 ms): in turn they would take 600 ms.
	 * The margin is for a busy host.
	 */
	MICA_EXPECT_LT(ns_on(CLOCK_MONOTONIC) - t0, 550 * MS);

	t0 = ns_on(CLOCK_MONOTONIC);
	MICA_EXPECT_EQ(usleep(10000), 0);
	MICA_EXPECT_GE(ns_on(CLOCK_MONOTONIC) - t0, 10 * MS);
}
