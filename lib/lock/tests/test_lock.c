/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/lock under whichever scheduler the image selected. The cases run in
 * main()'s thread and start helpers of the same priority; helpers never
 * call the check macros, they record what they saw and the case checks
 * it after joining them. Workers yield at pseudo-random points, inside
 * and outside critical sections, so that sched-coop interleaves them
 * too. Where a case needs a helper to be asleep on a lock before it goes
 * on, it yields until mica_thread_waiting_on() says so.
 *
 * Several cases misuse locks on purpose; with LIB_LOCK_DEBUG each misuse
 * also prints a "[lock] error:" line, so those lines are expected.
 */
#include <errno.h>
#include <stdint.h>
#include <mica/boot.h>
#include <mica/lock.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include <mica/sched.h>
#include <mica/sched_policy.h>
#include <mica/test.h>

#define MS MICA_NSEC_PER_MSEC

/* --- helpers ---------------------------------------------------------- */

static struct mica_thread *spawn_prio(const char *name, int prio,
				      mica_thread_fn fn, void *arg)
{
	struct mica_thread_attr attr = {.name = name, .prio = prio};
	struct mica_thread *t;

	return mica_thread_create(&t, &attr, fn, arg) ? NULL : t;
}

static struct mica_thread *spawn(const char *name, mica_thread_fn fn, void *arg)
{
	return spawn_prio(name, 0, fn, arg);
}

static int is_preempt(void)
{
	return mica_sched_policy.name[0] == 'p'; /* "preempt" */
}

/* Let the others run until t sleeps on obj; 0 if it never does. */
static int until_waiting_on(struct mica_thread *t, void *obj)
{
	int i;

	for (i = 0; i < 100000; i++) {
		if (mica_thread_waiting_on(t) == obj)
			return 1;
		mica_thread_yield();
	}
	return 0;
}

/* Threads asleep on a lock's queue or a wait queue. */
static unsigned int queued(const struct mica_list *q)
{
	const struct mica_list *pos;
	unsigned int n = 0;

	mica_list_for_each(pos, q)
	{
		n++;
	}
	return n;
}

/*
 * Let the others run until n threads sleep on q. (A woken thread still
 * says it waits on the lock until it runs, so until_waiting_on cannot
 * tell that it went back to sleep.)
 */
static int until_queued(const struct mica_list *q, unsigned int n)
{
	int i;

	for (i = 0; i < 100000; i++) {
		if (queued(q) == n)
			return 1;
		mica_thread_yield();
	}
	return 0;
}

/* xorshift32: cheap, and each worker gets its own sequence. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Yield about one time in n. */
static void maybe_yield(uint32_t *s, uint32_t n)
{
	if (rnd(s) % n == 0)
		mica_thread_yield();
}

/* --- mutex ------------------------------------------------------------ */

#define COUNT_THREADS 6
#define COUNT_LOOPS   2000

static struct mica_mutex count_lock = MICA_MUTEX_INIT(count_lock);
static volatile unsigned long count_value;

static void *count_worker(void *arg)
{
	uint32_t seed = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
	int i, bad = 0;

	for (i = 0; i < COUNT_LOOPS; i++) {
		unsigned long v;

		bad |= mica_mutex_lock(&count_lock) != 0;
		/* Read, maybe let another in, write: only exclusion helps. */
		v = count_value;
		maybe_yield(&seed, 8);
		count_value = v + 1;
		bad |= mica_mutex_unlock(&count_lock) != 0;
		maybe_yield(&seed, 4);
	}
	return (void *)(uintptr_t)bad;
}

MICA_TEST(lock_mutex, excludes)
{
	struct mica_thread *t[COUNT_THREADS];
	void *bad;
	int i;

	count_value = 0;
	for (i = 0; i < COUNT_THREADS; i++)
		MICA_REQUIRE_NOT_NULL(t[i] = spawn("count", count_worker,
						   (void *)(uintptr_t)i));
	for (i = 0; i < COUNT_THREADS; i++) {
		MICA_EXPECT_EQ(mica_thread_join(t[i], &bad), 0);
		MICA_EXPECT_NULL(bad);
	}
	MICA_EXPECT_EQ(count_value, COUNT_THREADS * COUNT_LOOPS);
	MICA_EXPECT_NULL(mica_mutex_owner(&count_lock));
	MICA_EXPECT_EQ(mica_mutex_destroy(&count_lock), 0);
}

MICA_TEST(lock_mutex, init_and_owner)
{
	struct mica_mutex m;

	MICA_EXPECT_EQ(mica_mutex_init(&m, 0x80), -EINVAL);
	MICA_REQUIRE_EQ(mica_mutex_init(&m, 0), 0);
	MICA_EXPECT_NULL(mica_mutex_owner(&m));
	MICA_EXPECT_EQ(mica_mutex_lock(&m), 0);
	MICA_EXPECT_TRUE(mica_mutex_owner(&m) == mica_thread_current());
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), 0);
	MICA_EXPECT_NULL(mica_mutex_owner(&m));
	MICA_EXPECT_EQ(mica_mutex_destroy(&m), 0);
}

MICA_TEST(lock_mutex, recursive)
{
	struct mica_mutex r = MICA_MUTEX_INIT_RECURSIVE(r);
	struct mica_mutex m = MICA_MUTEX_INIT(m);

	MICA_EXPECT_EQ(mica_mutex_lock(&r), 0);
	MICA_EXPECT_EQ(mica_mutex_lock(&r), 0);
	MICA_EXPECT_EQ(mica_mutex_trylock(&r), 0);
	MICA_EXPECT_EQ(r.depth, 3);
	MICA_EXPECT_EQ(mica_mutex_destroy(&r), -EBUSY);
	MICA_EXPECT_EQ(mica_mutex_unlock(&r), 0);
	MICA_EXPECT_EQ(mica_mutex_unlock(&r), 0);
	MICA_EXPECT_TRUE(mica_mutex_owner(&r) == mica_thread_current());
	MICA_EXPECT_EQ(mica_mutex_unlock(&r), 0);
	MICA_EXPECT_NULL(mica_mutex_owner(&r));
	MICA_EXPECT_EQ(mica_mutex_unlock(&r), -EPERM);

	/* A plain mutex: the owner cannot take it again. */
	MICA_EXPECT_EQ(mica_mutex_lock(&m), 0);
	MICA_EXPECT_EQ(mica_mutex_trylock(&m), -EBUSY);
	MICA_EXPECT_EQ(mica_mutex_lock(&m), -EDEADLK);
	MICA_EXPECT_EQ(mica_mutex_timedlock(&m, mica_plat_monotonic_ns() + MS),
		       -EDEADLK);
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), -EPERM);
}

/* A helper that holds a lock until told to let go. */
struct holder {
	struct mica_mutex *m;
	struct mica_sem taken, release;
	int rc;
};

static void *hold_mutex(void *arg)
{
	struct holder *h = arg;

	h->rc = mica_mutex_lock(h->m);
	mica_sem_up(&h->taken);
	mica_sem_down(&h->release);
	if (!h->rc)
		h->rc = mica_mutex_unlock(h->m);
	return NULL;
}

static void holder_init(struct holder *h, struct mica_mutex *m)
{
	h->m = m;
	h->rc = -1;
	mica_sem_init(&h->taken, 0);
	mica_sem_init(&h->release, 0);
}

MICA_TEST(lock_mutex, other_owner)
{
	struct mica_mutex m = MICA_MUTEX_INIT(m);
	struct holder h;
	struct mica_thread *t;
	uint64_t deadline;

	holder_init(&h, &m);
	MICA_REQUIRE_NOT_NULL(t = spawn("holder", hold_mutex, &h));
	MICA_EXPECT_EQ(mica_sem_down(&h.taken), 0);
	MICA_EXPECT_TRUE(mica_mutex_owner(&m) == t);
	MICA_EXPECT_EQ(mica_mutex_trylock(&m), -EBUSY);
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), -EPERM);
	MICA_EXPECT_EQ(mica_mutex_destroy(&m), -EBUSY);

	/* Timed out, and not a moment early. */
	deadline = mica_plat_monotonic_ns() + 20 * MS;
	MICA_EXPECT_EQ(mica_mutex_timedlock(&m, deadline), -ETIMEDOUT);
	MICA_EXPECT_GE(mica_plat_monotonic_ns(), deadline);
	/* A deadline already past gives up at once. */
	MICA_EXPECT_EQ(mica_mutex_timedlock(&m, 1), -ETIMEDOUT);
	MICA_EXPECT_TRUE(mica_mutex_owner(&m) == t);

	mica_sem_up(&h.release);
	MICA_EXPECT_EQ(mica_mutex_lock(&m), 0);
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), 0);
	MICA_EXPECT_EQ(h.rc, 0);
	/* Free again: a deadline in the past does not matter. */
	MICA_EXPECT_EQ(mica_mutex_timedlock(&m, 1), 0);
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), 0);
}

#define ORDER_THREADS 5

static struct mica_mutex order_lock = MICA_MUTEX_INIT(order_lock);
static int order_seen[ORDER_THREADS], order_n;

static void *order_worker(void *arg)
{
	int rc = mica_mutex_lock(&order_lock);

	order_seen[order_n++] = (int)(uintptr_t)arg;
	if (!rc)
		rc = mica_mutex_unlock(&order_lock);
	return (void *)(uintptr_t)(rc != 0);
}

/* Waiters get the mutex in the order they came. */
MICA_TEST(lock_mutex, fifo)
{
	struct mica_thread *t[ORDER_THREADS];
	void *bad;
	int i;

	order_n = 0;
	MICA_REQUIRE_EQ(mica_mutex_lock(&order_lock), 0);
	for (i = 0; i < ORDER_THREADS; i++) {
		MICA_REQUIRE_NOT_NULL(t[i] = spawn("order", order_worker,
						   (void *)(uintptr_t)i));
		MICA_REQUIRE_TRUE(until_waiting_on(t[i], &order_lock));
	}
	MICA_EXPECT_EQ(mica_mutex_unlock(&order_lock), 0);
	for (i = 0; i < ORDER_THREADS; i++) {
		MICA_EXPECT_EQ(mica_thread_join(t[i], &bad), 0);
		MICA_EXPECT_NULL(bad);
	}
	MICA_REQUIRE_EQ(order_n, ORDER_THREADS);
	for (i = 0; i < ORDER_THREADS; i++)
		MICA_EXPECT_EQ(order_seen[i], i);
}

static void *lock_unlock(void *arg)
{
	struct mica_mutex *m = arg;
	int rc = mica_mutex_lock(m);

	if (!rc)
		rc = mica_mutex_unlock(m);
	return (void *)(uintptr_t)(rc != 0);
}

/*
 * The anti-convoy rule: an unlock lets a running thread take the mutex
 * before the woken waiter runs, but only once; the waiter then goes
 * back to the front and the next unlock hands the mutex to it.
 */
MICA_TEST(lock_mutex, woken_waiter_loses_once)
{
	struct mica_mutex m = MICA_MUTEX_INIT(m);
	struct mica_thread *t;
	unsigned long flags;
	void *bad;

	MICA_REQUIRE_EQ(mica_mutex_lock(&m), 0);
	MICA_REQUIRE_NOT_NULL(t = spawn("waiter", lock_unlock, &m));
	MICA_REQUIRE_TRUE(until_waiting_on(t, &m));
	/* Masked, so t cannot run in between: unlock, then take it back. */
	flags = mica_plat_irq_save();
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), 0);
	MICA_EXPECT_NULL(mica_mutex_owner(&m));
	MICA_EXPECT_EQ(mica_mutex_trylock(&m), 0);
	mica_plat_irq_restore(flags);
	/* t wakes, finds it taken and waits again, at the front. */
	MICA_EXPECT_EQ(queued(&m.waiters), 0);
	MICA_REQUIRE_TRUE(until_queued(&m.waiters, 1));
	flags = mica_plat_irq_save();
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), 0);
	MICA_EXPECT_TRUE(mica_mutex_owner(&m) == t); /* handed over */
	MICA_EXPECT_EQ(mica_mutex_trylock(&m), -EBUSY);
	mica_plat_irq_restore(flags);
	MICA_EXPECT_EQ(mica_thread_join(t, &bad), 0);
	MICA_EXPECT_NULL(bad);
	MICA_EXPECT_NULL(mica_mutex_owner(&m));
}

/* A higher-priority thread that waits for m, then for s. */
struct urgent {
	struct mica_mutex m;
	struct mica_sem s;
	int got_m, got_s, rc;
};

static void *urgent_fn(void *arg)
{
	struct urgent *u = arg;

	u->rc |= mica_mutex_lock(&u->m);
	u->got_m = 1;
	u->rc |= mica_mutex_unlock(&u->m);
	u->rc |= mica_sem_down(&u->s);
	u->got_s = 1;
	return NULL;
}

/*
 * Under sched-preempt, releasing what a higher-priority thread waits for
 * lets it run before the release returns. (sched-coop ignores priorities:
 * it runs at the join.)
 */
MICA_TEST(lock_mutex, wakes_higher_priority_at_once)
{
	struct urgent u = {.m = MICA_MUTEX_INIT(u.m),
			   .s = MICA_SEM_INIT(u.s, 0)};
	struct mica_thread *t;
	int prio = mica_thread_prio(mica_thread_current());

	MICA_REQUIRE_EQ(mica_mutex_lock(&u.m), 0);
	MICA_REQUIRE_NOT_NULL(
		t = spawn_prio("urgent", prio + 1, urgent_fn, &u));
	MICA_REQUIRE_TRUE(until_waiting_on(t, &u.m));
	MICA_EXPECT_EQ(mica_mutex_unlock(&u.m), 0);
	if (is_preempt()) {
		MICA_EXPECT_EQ(u.got_m, 1);
		MICA_EXPECT_TRUE(mica_thread_waiting_on(t) == &u.s);
	}
	MICA_EXPECT_EQ(mica_sem_up(&u.s), 0);
	if (is_preempt())
		MICA_EXPECT_EQ(u.got_s, 1);
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), 0);
	MICA_EXPECT_EQ(u.got_m + u.got_s, 2);
	MICA_EXPECT_EQ(u.rc, 0);
}

/* --- condition variable: producers and consumers ---------------------- */

#define PC_PRODUCERS 4
#define PC_CONSUMERS 4
#define PC_ITEMS     12000 /* in all; a multiple of PC_PRODUCERS */
#define PC_SLOTS     8

static struct {
	struct mica_mutex lock;
	struct mica_cond not_full, not_empty;
	unsigned int buf[PC_SLOTS];
	unsigned int head, count, max_count;
	unsigned int taken; /* items consumed so far, by everyone */
	unsigned char seen[PC_ITEMS + 1];
	unsigned int dups, bad_rc;
} pc = {
	.lock = MICA_MUTEX_INIT(pc.lock),
	.not_full = MICA_COND_INIT(pc.not_full),
	.not_empty = MICA_COND_INIT(pc.not_empty),
};

struct pc_worker {
	unsigned int id;
	unsigned long long sum;
	unsigned int n;
};

static void *producer(void *arg)
{
	struct pc_worker *w = arg;
	uint32_t seed = w->id * 7919 + 17;
	unsigned int i, per = PC_ITEMS / PC_PRODUCERS;

	for (i = 0; i < per; i++) {
		/* Items 1..PC_ITEMS, each made by exactly one producer. */
		unsigned int item = w->id * per + i + 1;

		pc.bad_rc += mica_mutex_lock(&pc.lock) != 0;
		while (pc.count == PC_SLOTS)
			pc.bad_rc +=
				mica_cond_wait(&pc.not_full, &pc.lock) != 0;
		pc.buf[(pc.head + pc.count) % PC_SLOTS] = item;
		pc.count++;
		if (pc.count > pc.max_count)
			pc.max_count = pc.count;
		mica_cond_signal(&pc.not_empty);
		maybe_yield(&seed, 16); /* with the mutex held */
		pc.bad_rc += mica_mutex_unlock(&pc.lock) != 0;
		w->sum += item;
		w->n++;
		maybe_yield(&seed, 4);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct pc_worker *w = arg;
	uint32_t seed = w->id * 104729 + 3;

	for (;;) {
		unsigned int item;

		pc.bad_rc += mica_mutex_lock(&pc.lock) != 0;
		while (pc.count == 0 && pc.taken < PC_ITEMS)
			pc.bad_rc +=
				mica_cond_wait(&pc.not_empty, &pc.lock) != 0;
		if (pc.count == 0) {
			/* Everything is consumed: the others may stop too. */
			mica_cond_broadcast(&pc.not_empty);
			pc.bad_rc += mica_mutex_unlock(&pc.lock) != 0;
			return NULL;
		}
		item = pc.buf[pc.head];
		pc.head = (pc.head + 1) % PC_SLOTS;
		pc.count--;
		pc.taken++;
		if (item > PC_ITEMS || pc.seen[item]++)
			pc.dups++;
		mica_cond_signal(&pc.not_full);
		maybe_yield(&seed, 16);
		pc.bad_rc += mica_mutex_unlock(&pc.lock) != 0;
		w->sum += item;
		w->n++;
		maybe_yield(&seed, 4);
	}
}

MICA_TEST(lock_cond, producers_consumers)
{
	struct pc_worker p[PC_PRODUCERS] = {{0}}, c[PC_CONSUMERS] = {{0}};
	struct mica_thread *tp[PC_PRODUCERS], *tc[PC_CONSUMERS];
	unsigned long long want =
		(unsigned long long)PC_ITEMS * (PC_ITEMS + 1) / 2;
	unsigned long long made = 0, eaten = 0;
	unsigned int i, n = 0;

	for (i = 0; i < PC_CONSUMERS; i++) {
		c[i].id = i;
		MICA_REQUIRE_NOT_NULL(
			tc[i] = spawn("consumer", consumer, &c[i]));
	}
	for (i = 0; i < PC_PRODUCERS; i++) {
		p[i].id = i;
		MICA_REQUIRE_NOT_NULL(
			tp[i] = spawn("producer", producer, &p[i]));
	}
	for (i = 0; i < PC_PRODUCERS; i++) {
		MICA_EXPECT_EQ(mica_thread_join(tp[i], NULL), 0);
		made += p[i].sum;
	}
	for (i = 0; i < PC_CONSUMERS; i++) {
		MICA_EXPECT_EQ(mica_thread_join(tc[i], NULL), 0);
		eaten += c[i].sum;
		n += c[i].n;
		mica_test_log("consumer %u took %u items", i, c[i].n);
	}
	MICA_EXPECT_EQ(made, want);
	MICA_EXPECT_EQ(eaten, want);
	MICA_EXPECT_EQ(n, PC_ITEMS);
	MICA_EXPECT_EQ(pc.dups, 0);
	MICA_EXPECT_EQ(pc.bad_rc, 0);
	MICA_EXPECT_LE(pc.max_count, PC_SLOTS);
	MICA_EXPECT_EQ(mica_cond_destroy(&pc.not_full), 0);
	MICA_EXPECT_EQ(mica_cond_destroy(&pc.not_empty), 0);
	MICA_EXPECT_EQ(mica_mutex_destroy(&pc.lock), 0);
}

MICA_TEST(lock_cond, timedwait_times_out_holding_the_mutex)
{
	struct mica_mutex m = MICA_MUTEX_INIT(m);
	struct mica_cond c;
	uint64_t deadline;

	MICA_REQUIRE_EQ(mica_cond_init(&c), 0);
	MICA_REQUIRE_EQ(mica_mutex_lock(&m), 0);
	deadline = mica_plat_monotonic_ns() + 20 * MS;
	MICA_EXPECT_EQ(mica_cond_timedwait(&c, &m, deadline), -ETIMEDOUT);
	MICA_EXPECT_GE(mica_plat_monotonic_ns(), deadline);
	MICA_EXPECT_TRUE(mica_mutex_owner(&m) == mica_thread_current());
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(mica_cond_destroy(&c), 0);
}

MICA_TEST(lock_cond, wait_needs_the_mutex)
{
	struct mica_mutex m = MICA_MUTEX_INIT(m);
	struct mica_mutex r = MICA_MUTEX_INIT_RECURSIVE(r);
	struct mica_cond c = MICA_COND_INIT(c);

	MICA_EXPECT_EQ(mica_cond_wait(&c, &m), -EPERM);
	MICA_EXPECT_EQ(mica_cond_timedwait(&c, &m, 1), -EPERM);
	MICA_EXPECT_EQ(mica_mutex_lock(&r), 0);
	MICA_EXPECT_EQ(mica_mutex_lock(&r), 0);
	MICA_EXPECT_EQ(mica_cond_wait(&c, &r), -EINVAL);
	MICA_EXPECT_EQ(mica_mutex_unlock(&r), 0);
	/* Held once: a recursive mutex is fine. */
	MICA_EXPECT_EQ(mica_cond_timedwait(&c, &r, 1), -ETIMEDOUT);
	MICA_EXPECT_EQ(mica_mutex_unlock(&r), 0);
	/* Nobody waits: signals are no-ops. */
	MICA_EXPECT_EQ(mica_cond_signal(&c), 0);
	MICA_EXPECT_EQ(mica_cond_broadcast(&c), 0);
}

#define BC_THREADS 5

static struct {
	struct mica_mutex lock;
	struct mica_cond go;
	int flag, waiting, woke, bad_rc;
} bc = {
	.lock = MICA_MUTEX_INIT(bc.lock),
	.go = MICA_COND_INIT(bc.go),
};

static void *bc_waiter(void *arg)
{
	(void)arg;
	bc.bad_rc += mica_mutex_lock(&bc.lock) != 0;
	bc.waiting++;
	while (!bc.flag)
		bc.bad_rc += mica_cond_wait(&bc.go, &bc.lock) != 0;
	bc.woke++;
	bc.bad_rc += mica_mutex_unlock(&bc.lock) != 0;
	return NULL;
}

MICA_TEST(lock_cond, signal_one_broadcast_all)
{
	struct mica_thread *t[BC_THREADS];
	int i, n;

	for (i = 0; i < BC_THREADS; i++) {
		MICA_REQUIRE_NOT_NULL(t[i] = spawn("bcast", bc_waiter, NULL));
		MICA_REQUIRE_TRUE(until_waiting_on(t[i], &bc.go));
	}
	MICA_EXPECT_EQ(bc.waiting, BC_THREADS);
	MICA_EXPECT_EQ(mica_cond_destroy(&bc.go), -EBUSY);

	/* A signal with the flag still clear: one wakes, waits again. */
	MICA_EXPECT_EQ(queued(&bc.go.wq.waiters), BC_THREADS);
	mica_cond_signal(&bc.go);
	MICA_EXPECT_EQ(queued(&bc.go.wq.waiters), BC_THREADS - 1);
	MICA_EXPECT_TRUE(until_queued(&bc.go.wq.waiters, BC_THREADS));
	MICA_EXPECT_EQ(bc.woke, 0);

	MICA_EXPECT_EQ(mica_mutex_lock(&bc.lock), 0);
	bc.flag = 1;
	MICA_EXPECT_EQ(mica_cond_broadcast(&bc.go), 0);
	MICA_EXPECT_EQ(mica_mutex_unlock(&bc.lock), 0);
	for (i = 0, n = 0; i < BC_THREADS; i++)
		n += mica_thread_join(t[i], NULL) == 0;
	MICA_EXPECT_EQ(n, BC_THREADS);
	MICA_EXPECT_EQ(bc.woke, BC_THREADS);
	MICA_EXPECT_EQ(bc.bad_rc, 0);
	MICA_EXPECT_EQ(mica_cond_destroy(&bc.go), 0);
}

/* --- semaphores ------------------------------------------------------- */

MICA_TEST(lock_sem, counts)
{
	struct mica_sem s;
	int i, ok = 0;

	MICA_REQUIRE_EQ(mica_sem_init(&s, 0), 0);
	MICA_EXPECT_EQ(mica_sem_trydown(&s), -EBUSY);
	for (i = 0; i < 100; i++)
		ok += mica_sem_up(&s) == 0;
	MICA_EXPECT_EQ(ok, 100);
	MICA_EXPECT_EQ(mica_sem_count(&s), 100);
	for (i = 0, ok = 0; i < 50; i++)
		ok += mica_sem_trydown(&s) == 0;
	for (i = 0; i < 50; i++)
		ok += mica_sem_down(&s) == 0;
	MICA_EXPECT_EQ(ok, 100);
	MICA_EXPECT_EQ(mica_sem_trydown(&s), -EBUSY);
	MICA_EXPECT_EQ(mica_sem_count(&s), 0);
	MICA_EXPECT_EQ(mica_sem_destroy(&s), 0);

	/* The count saturates with an error rather than wrapping. */
	mica_sem_init(&s, UINT32_MAX);
	MICA_EXPECT_EQ(mica_sem_up(&s), -EOVERFLOW);
	MICA_EXPECT_EQ(mica_sem_count(&s), UINT32_MAX);
}

MICA_TEST(lock_sem, timeddown_times_out)
{
	struct mica_sem s = MICA_SEM_INIT(s, 1);
	uint64_t deadline;

	MICA_EXPECT_EQ(mica_sem_timeddown(&s, 1), 0); /* no wait needed */
	deadline = mica_plat_monotonic_ns() + 20 * MS;
	MICA_EXPECT_EQ(mica_sem_timeddown(&s, deadline), -ETIMEDOUT);
	MICA_EXPECT_GE(mica_plat_monotonic_ns(), deadline);
	MICA_EXPECT_EQ(mica_sem_count(&s), 0);
}

static void *sem_down_fn(void *arg)
{
	return (void *)(uintptr_t)(mica_sem_down(arg) != 0);
}

/* up gives its unit to the waiter, not to whoever asks first. */
MICA_TEST(lock_sem, up_hands_over_to_waiter)
{
	struct mica_sem s = MICA_SEM_INIT(s, 0);
	struct mica_thread *t;
	void *bad;

	MICA_REQUIRE_NOT_NULL(t = spawn("sem-waiter", sem_down_fn, &s));
	MICA_REQUIRE_TRUE(until_waiting_on(t, &s));
	MICA_EXPECT_EQ(mica_sem_destroy(&s), -EBUSY);
	MICA_EXPECT_EQ(mica_sem_up(&s), 0);
	MICA_EXPECT_EQ(mica_sem_trydown(&s), -EBUSY);
	MICA_EXPECT_EQ(mica_thread_join(t, &bad), 0);
	MICA_EXPECT_NULL(bad);
	MICA_EXPECT_EQ(mica_sem_count(&s), 0);
}

#define LIMIT_K	      3
#define LIMIT_THREADS 10
#define LIMIT_LOOPS   200

static struct {
	struct mica_sem sem;
	unsigned int inside, max_inside, bad_rc;
} lim = {.sem = MICA_SEM_INIT(lim.sem, LIMIT_K)};

static void *limit_worker(void *arg)
{
	uint32_t seed = (uint32_t)(uintptr_t)arg * 48271 + 11;
	int i;

	for (i = 0; i < LIMIT_LOOPS; i++) {
		lim.bad_rc += mica_sem_down(&lim.sem) != 0;
		lim.inside++;
		if (lim.inside > lim.max_inside)
			lim.max_inside = lim.inside;
		maybe_yield(&seed, 2);
		lim.inside--;
		lim.bad_rc += mica_sem_up(&lim.sem) != 0;
		maybe_yield(&seed, 3);
	}
	return NULL;
}

MICA_TEST(lock_sem, limits_concurrency)
{
	struct mica_thread *t[LIMIT_THREADS];
	int i;

	for (i = 0; i < LIMIT_THREADS; i++)
		MICA_REQUIRE_NOT_NULL(t[i] = spawn("limited", limit_worker,
						   (void *)(uintptr_t)i));
	for (i = 0; i < LIMIT_THREADS; i++)
		MICA_EXPECT_EQ(mica_thread_join(t[i], NULL), 0);
	mica_test_log("at most %u of %u inside", lim.max_inside, LIMIT_K);
	MICA_EXPECT_LE(lim.max_inside, LIMIT_K);
	MICA_EXPECT_GE(lim.max_inside, 2);
	MICA_EXPECT_EQ(lim.inside, 0);
	MICA_EXPECT_EQ(lim.bad_rc, 0);
	MICA_EXPECT_EQ(mica_sem_count(&lim.sem), LIMIT_K);
}

/* --- reader-writer locks ---------------------------------------------- */

#define RW_READERS 5

static struct {
	struct mica_rwlock rw;
	unsigned int readers_in, max_readers, writers_in, overlap, bad_rc;
} rws = {.rw = MICA_RWLOCK_INIT(rws.rw)};

/* Each reader stays in until all have been in together (or gives up). */
static void *rw_reader(void *arg)
{
	int i;

	(void)arg;
	rws.bad_rc += mica_rwlock_rdlock(&rws.rw) != 0;
	rws.readers_in++;
	if (rws.readers_in > rws.max_readers)
		rws.max_readers = rws.readers_in;
	for (i = 0; i < 10000 && rws.max_readers < RW_READERS; i++)
		mica_thread_yield();
	rws.overlap += rws.writers_in != 0;
	rws.readers_in--;
	rws.bad_rc += mica_rwlock_unlock(&rws.rw) != 0;
	return NULL;
}

static void *rw_trywrite(void *arg)
{
	int rc = mica_rwlock_trywrlock(arg);

	if (!rc)
		mica_rwlock_unlock(arg);
	return (void *)(uintptr_t)-rc;
}

static void *rw_tryread(void *arg)
{
	int rc = mica_rwlock_tryrdlock(arg);

	if (!rc)
		mica_rwlock_unlock(arg);
	return (void *)(uintptr_t)-rc;
}

static void *rw_timedwrite(void *arg)
{
	uint64_t deadline = mica_plat_monotonic_ns() + 20 * MS;
	int rc = mica_rwlock_timedwrlock(arg, deadline);

	if (mica_plat_monotonic_ns() < deadline)
		rc = -EINTR; /* early: reported as a wrong result */
	return (void *)(uintptr_t)-rc;
}

static void *rw_timedread(void *arg)
{
	uint64_t deadline = mica_plat_monotonic_ns() + 20 * MS;
	int rc = mica_rwlock_timedrdlock(arg, deadline);

	if (mica_plat_monotonic_ns() < deadline)
		rc = -EINTR;
	return (void *)(uintptr_t)-rc;
}

/* Run fn(arg) in a thread and return what it returned. */
static uintptr_t in_thread(mica_thread_fn fn, void *arg)
{
	struct mica_thread *t = spawn("helper", fn, arg);
	void *ret = (void *)(uintptr_t)-1;

	if (t)
		mica_thread_join(t, &ret);
	return (uintptr_t)ret;
}

MICA_TEST(lock_rwlock, readers_share)
{
	struct mica_thread *t[RW_READERS];
	int i;

	for (i = 0; i < RW_READERS; i++)
		MICA_REQUIRE_NOT_NULL(t[i] = spawn("reader", rw_reader, NULL));
	for (i = 0; i < RW_READERS; i++)
		MICA_EXPECT_EQ(mica_thread_join(t[i], NULL), 0);
	MICA_EXPECT_EQ(rws.max_readers, RW_READERS);
	MICA_EXPECT_EQ(rws.bad_rc, 0);

	/* Read-held: others read too, nobody writes. */
	MICA_EXPECT_EQ(mica_rwlock_rdlock(&rws.rw), 0);
	MICA_EXPECT_EQ(in_thread(rw_tryread, &rws.rw), 0);
	MICA_EXPECT_EQ(in_thread(rw_trywrite, &rws.rw), EBUSY);
	MICA_EXPECT_EQ(in_thread(rw_timedwrite, &rws.rw), ETIMEDOUT);
	MICA_EXPECT_EQ(mica_rwlock_destroy(&rws.rw), -EBUSY);
	MICA_EXPECT_EQ(mica_rwlock_unlock(&rws.rw), 0);
	MICA_EXPECT_EQ(mica_rwlock_destroy(&rws.rw), 0);
}

MICA_TEST(lock_rwlock, writer_excludes)
{
	struct mica_rwlock rw;

	MICA_REQUIRE_EQ(mica_rwlock_init(&rw), 0);
	MICA_EXPECT_EQ(mica_rwlock_wrlock(&rw), 0);
	MICA_EXPECT_EQ(in_thread(rw_tryread, &rw), EBUSY);
	MICA_EXPECT_EQ(in_thread(rw_trywrite, &rw), EBUSY);
	MICA_EXPECT_EQ(in_thread(rw_timedread, &rw), ETIMEDOUT);
	MICA_EXPECT_EQ(in_thread(rw_timedwrite, &rw), ETIMEDOUT);
	/* The write lock does not nest, and does not become a read lock. */
	MICA_EXPECT_EQ(mica_rwlock_trywrlock(&rw), -EBUSY);
	MICA_EXPECT_EQ(mica_rwlock_wrlock(&rw), -EDEADLK);
	MICA_EXPECT_EQ(mica_rwlock_rdlock(&rw), -EDEADLK);
	MICA_EXPECT_EQ(mica_rwlock_unlock(&rw), 0);
	MICA_EXPECT_EQ(mica_rwlock_unlock(&rw), -EPERM);
	MICA_EXPECT_EQ(in_thread(rw_trywrite, &rw), 0);
	MICA_EXPECT_EQ(mica_rwlock_destroy(&rw), 0);
}

static void *rw_write_once(void *arg)
{
	int rc = mica_rwlock_wrlock(arg);

	if (!rc)
		rc = mica_rwlock_unlock(arg);
	return (void *)(uintptr_t)(rc != 0);
}

/*
 * A waiting writer keeps new readers out, but not a thread that already
 * reads (it would wait for itself); the last reader out hands the lock
 * to the writer.
 */
MICA_TEST(lock_rwlock, writer_preferred)
{
	struct mica_rwlock rw = MICA_RWLOCK_INIT(rw);
	struct mica_thread *w;
	unsigned long flags;
	void *bad;

	MICA_REQUIRE_EQ(mica_rwlock_rdlock(&rw), 0);
	MICA_REQUIRE_NOT_NULL(w = spawn("writer", rw_write_once, &rw));
	MICA_REQUIRE_TRUE(until_waiting_on(w, &rw));
	MICA_EXPECT_EQ(in_thread(rw_tryread, &rw), EBUSY);
	MICA_EXPECT_EQ(in_thread(rw_timedread, &rw), ETIMEDOUT);
	MICA_EXPECT_EQ(mica_rwlock_rdlock(&rw), 0); /* nested read */
	MICA_EXPECT_EQ(mica_rwlock_unlock(&rw), 0);
	flags = mica_plat_irq_save();
	MICA_EXPECT_EQ(mica_rwlock_unlock(&rw), 0);
	MICA_EXPECT_TRUE(rw.writer == w); /* handed over */
	mica_plat_irq_restore(flags);
	MICA_EXPECT_EQ(mica_thread_join(w, &bad), 0);
	MICA_EXPECT_NULL(bad);
	MICA_EXPECT_EQ(mica_rwlock_destroy(&rw), 0);
}

#define STARVE_READERS 4
#define STARVE_LOOPS   20000

static struct {
	struct mica_rwlock rw;
	volatile int writer_done;
	unsigned int reads_after, bad_rc;
} st = {.rw = MICA_RWLOCK_INIT(st.rw)};

/* Readers that overlap all the time: the lock is never free of them. */
static void *starve_reader(void *arg)
{
	uint32_t seed = (uint32_t)(uintptr_t)arg * 69069 + 5;
	int i;

	for (i = 0; i < STARVE_LOOPS && !st.writer_done; i++) {
		st.bad_rc += mica_rwlock_rdlock(&st.rw) != 0;
		maybe_yield(&seed, 2);
		st.bad_rc += mica_rwlock_unlock(&st.rw) != 0;
		maybe_yield(&seed, 2);
	}
	return (void *)(uintptr_t)i;
}

MICA_TEST(lock_rwlock, writer_not_starved)
{
	struct mica_thread *t[STARVE_READERS], *w;
	uintptr_t loops, most = 0;
	int i;

	for (i = 0; i < STARVE_READERS; i++)
		MICA_REQUIRE_NOT_NULL(t[i] = spawn("reader", starve_reader,
						   (void *)(uintptr_t)i));
	for (i = 0; i < 50; i++)
		mica_thread_yield();
	MICA_REQUIRE_NOT_NULL(w = spawn("writer", rw_write_once, &st.rw));
	MICA_EXPECT_EQ(mica_thread_join(w, NULL), 0);
	st.writer_done = 1;
	for (i = 0; i < STARVE_READERS; i++) {
		void *ret;

		MICA_EXPECT_EQ(mica_thread_join(t[i], &ret), 0);
		loops = (uintptr_t)ret;
		most = loops > most ? loops : most;
	}
	mica_test_log("readers looped at most %lu times", (unsigned long)most);
	/* The writer got in long before the readers ran out of loops. */
	MICA_EXPECT_LT(most, STARVE_LOOPS);
	MICA_EXPECT_EQ(st.bad_rc, 0);
}

/* --- spinlocks -------------------------------------------------------- */

MICA_TEST(lock_spin, lock_unlock_trylock)
{
	struct mica_spinlock a = MICA_SPINLOCK_INIT(a), b;

	mica_spin_init(&b);
	MICA_EXPECT_FALSE(mica_spin_is_locked(&a));
	mica_spin_lock(&a);
	MICA_EXPECT_TRUE(mica_spin_is_locked(&a));
	MICA_EXPECT_EQ(mica_spin_trylock(&a), -EBUSY);
	MICA_EXPECT_EQ(mica_spin_trylock(&b), 0);
	mica_spin_unlock(&b);
	mica_spin_unlock(&a);
	MICA_EXPECT_FALSE(mica_spin_is_locked(&a));
	MICA_EXPECT_FALSE(mica_spin_is_locked(&b));
}

/* Each form masks interrupts and restores the state it found. */
MICA_TEST(lock_spin, restores_interrupt_state)
{
	struct mica_spinlock a = MICA_SPINLOCK_INIT(a),
			     b = MICA_SPINLOCK_INIT(b);
	unsigned long fa, fb, outer;
	int was;

	was = mica_plat_irq_disabled();
	MICA_EXPECT_FALSE(was); /* threads run with interrupts on */

	mica_spin_lock(&a);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	mica_spin_lock(&b); /* nested: already masked */
	mica_spin_unlock(&b);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	mica_spin_unlock(&a);
	MICA_EXPECT_EQ(mica_plat_irq_disabled(), was);

	fa = mica_spin_lock_irqsave(&a);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	fb = mica_spin_lock_irqsave(&b);
	mica_spin_unlock_irqrestore(&b, fb);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	mica_spin_unlock_irqrestore(&a, fa);
	MICA_EXPECT_EQ(mica_plat_irq_disabled(), was);

	MICA_EXPECT_EQ(mica_spin_trylock(&a), 0);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	mica_spin_unlock(&a);
	MICA_EXPECT_EQ(mica_plat_irq_disabled(), was);

	/* Taken with interrupts already masked: they stay masked. */
	outer = mica_plat_irq_save();
	mica_spin_lock(&a);
	mica_spin_unlock(&a);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	fa = mica_spin_lock_irqsave(&a);
	mica_spin_unlock_irqrestore(&a, fa);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	mica_spin_lock(&a);
	MICA_EXPECT_EQ(mica_spin_trylock(&a), -EBUSY);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled()); /* trylock left it */
	mica_spin_unlock(&a);
	mica_plat_irq_restore(outer);
	MICA_EXPECT_EQ(mica_plat_irq_disabled(), was);
}

/* --- before the scheduler -------------------------------------------- */

/*
 * Init functions run in the boot context, before the scheduler makes
 * any thread: locks must still work there (there is no contention), and
 * a wait, which nothing could end, must fail rather than hang.
 */
static struct {
	int no_thread;
	int lock, trylock, cond_wait, unlock;
	int wrlock, tryrdlock, wrunlock, rdlock, rdunlock;
	int sem_down, sem_up;
} boot;

static int lock_test_before_sched(void)
{
	static struct mica_mutex m = MICA_MUTEX_INIT(m);
	static struct mica_rwlock rw = MICA_RWLOCK_INIT(rw);
	static struct mica_sem s = MICA_SEM_INIT(s, 0);
	static struct mica_cond c = MICA_COND_INIT(c);

	boot.no_thread = mica_thread_current() == NULL;
	boot.lock = mica_mutex_lock(&m);
	boot.trylock = mica_mutex_trylock(&m);
	boot.cond_wait = mica_cond_timedwait(&c, &m, 1);
	boot.unlock = mica_mutex_unlock(&m);
	boot.wrlock = mica_rwlock_wrlock(&rw);
	boot.tryrdlock = mica_rwlock_tryrdlock(&rw);
	boot.wrunlock = mica_rwlock_unlock(&rw);
	boot.rdlock = mica_rwlock_rdlock(&rw);
	boot.rdunlock = mica_rwlock_unlock(&rw);
	boot.sem_down = mica_sem_down(&s);
	boot.sem_up = mica_sem_up(&s);
	return 0;
}
MICA_INIT_LATE(lock_test_before_sched, 9);

MICA_TEST(lock_boot, locks_work_before_the_scheduler)
{
	MICA_EXPECT_EQ(boot.no_thread, 1);
	MICA_EXPECT_EQ(boot.lock, 0);
	MICA_EXPECT_EQ(boot.trylock, -EBUSY);
	MICA_EXPECT_EQ(boot.cond_wait, -EDEADLK);
	MICA_EXPECT_EQ(boot.unlock, 0);
	MICA_EXPECT_EQ(boot.wrlock, 0);
	MICA_EXPECT_EQ(boot.tryrdlock, -EBUSY);
	MICA_EXPECT_EQ(boot.wrunlock, 0);
	MICA_EXPECT_EQ(boot.rdlock, 0);
	MICA_EXPECT_EQ(boot.rdunlock, 0);
	MICA_EXPECT_EQ(boot.sem_down, -EDEADLK);
	MICA_EXPECT_EQ(boot.sem_up, 0);
}

/* --- misuse and deadlocks --------------------------------------------- */

static void *unlock_fn(void *arg)
{
	return (void *)(uintptr_t)-mica_mutex_unlock(arg);
}

static void *rw_unlock_fn(void *arg)
{
	return (void *)(uintptr_t)-mica_rwlock_unlock(arg);
}

MICA_TEST(lock_misuse, errors_without_debug)
{
	struct mica_mutex m = MICA_MUTEX_INIT(m);
	struct mica_rwlock rw = MICA_RWLOCK_INIT(rw);

	MICA_EXPECT_EQ(mica_mutex_lock(&m), 0);
	MICA_EXPECT_EQ(mica_mutex_lock(&m), -EDEADLK);
	MICA_EXPECT_EQ(in_thread(unlock_fn, &m), EPERM);
	MICA_EXPECT_EQ(mica_mutex_destroy(&m), -EBUSY);
	MICA_EXPECT_EQ(mica_mutex_unlock(&m), 0);
	MICA_EXPECT_EQ(in_thread(unlock_fn, &m), EPERM);

	MICA_EXPECT_EQ(mica_rwlock_wrlock(&rw), 0);
	MICA_EXPECT_EQ(in_thread(rw_unlock_fn, &rw), EPERM);
	MICA_EXPECT_EQ(mica_rwlock_unlock(&rw), 0);
	MICA_EXPECT_EQ(mica_rwlock_rdlock(&rw), 0);
	MICA_EXPECT_EQ(in_thread(rw_unlock_fn, &rw), EPERM);
	MICA_EXPECT_EQ(mica_rwlock_unlock(&rw), 0);
}

#ifdef CONFIG_LIB_LOCK_DEBUG
/* Take mutex first, then mutex then_m or the write lock then_rw. */
struct chain {
	struct mica_mutex *first, *then_m;
	struct mica_rwlock *then_rw;
	int rc_first, rc_then;
};

static void *chain_fn(void *arg)
{
	struct chain *x = arg;

	x->rc_first = mica_mutex_lock(x->first);
	if (x->then_m) {
		x->rc_then = mica_mutex_lock(x->then_m);
		if (!x->rc_then)
			mica_mutex_unlock(x->then_m);
	} else {
		x->rc_then = mica_rwlock_wrlock(x->then_rw);
		if (!x->rc_then)
			mica_rwlock_unlock(x->then_rw);
	}
	if (!x->rc_first)
		mica_mutex_unlock(x->first);
	return NULL;
}

/* main holds m2; t holds m1 and waits for m2; main asks for m1. */
MICA_TEST(lock_misuse, abba_deadlock_detected)
{
	struct mica_mutex m1 = MICA_MUTEX_INIT(m1), m2 = MICA_MUTEX_INIT(m2);
	struct chain x = {.first = &m1, .then_m = &m2};
	struct mica_thread *t;

	MICA_REQUIRE_EQ(mica_mutex_lock(&m2), 0);
	MICA_REQUIRE_NOT_NULL(t = spawn("abba", chain_fn, &x));
	MICA_REQUIRE_TRUE(until_waiting_on(t, &m2));
	MICA_EXPECT_EQ(mica_mutex_lock(&m1), -EDEADLK);
	MICA_EXPECT_EQ(
		mica_mutex_timedlock(&m1, mica_plat_monotonic_ns() + 1000 * MS),
		-EDEADLK);
	MICA_EXPECT_EQ(mica_mutex_trylock(&m1), -EBUSY);
	MICA_EXPECT_EQ(mica_mutex_unlock(&m2), 0); /* t goes on */
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), 0);
	MICA_EXPECT_EQ(x.rc_first, 0);
	MICA_EXPECT_EQ(x.rc_then, 0);
	/* With the cycle gone, the same lock is fine. */
	MICA_EXPECT_EQ(mica_mutex_lock(&m1), 0);
	MICA_EXPECT_EQ(mica_mutex_unlock(&m1), 0);
}

/* main holds rw; t2 holds m2, waits for rw; t1 holds m1, waits for m2. */
MICA_TEST(lock_misuse, three_thread_cycle_detected)
{
	struct mica_mutex m1 = MICA_MUTEX_INIT(m1), m2 = MICA_MUTEX_INIT(m2);
	struct mica_rwlock rw = MICA_RWLOCK_INIT(rw);
	struct chain x2 = {.first = &m2, .then_rw = &rw};
	struct chain x1 = {.first = &m1, .then_m = &m2};
	struct mica_thread *t1, *t2;

	MICA_REQUIRE_EQ(mica_rwlock_wrlock(&rw), 0);
	MICA_REQUIRE_NOT_NULL(t2 = spawn("cycle-2", chain_fn, &x2));
	MICA_REQUIRE_TRUE(until_waiting_on(t2, &rw));
	MICA_REQUIRE_NOT_NULL(t1 = spawn("cycle-1", chain_fn, &x1));
	MICA_REQUIRE_TRUE(until_waiting_on(t1, &m2));
	MICA_EXPECT_EQ(mica_mutex_lock(&m1), -EDEADLK);
	MICA_EXPECT_EQ(mica_rwlock_unlock(&rw), 0); /* t2, then t1 go on */
	MICA_EXPECT_EQ(mica_thread_join(t2, NULL), 0);
	MICA_EXPECT_EQ(mica_thread_join(t1, NULL), 0);
	MICA_EXPECT_EQ(x2.rc_first, 0);
	MICA_EXPECT_EQ(x2.rc_then, 0);
	MICA_EXPECT_EQ(x1.rc_first, 0);
	MICA_EXPECT_EQ(x1.rc_then, 0);
}
#endif
