/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scheduler API, checked under whichever policy the image selected.
 * The tests themselves run in main()'s thread.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include <mica/sched.h>
#include <mica/sched_policy.h>
#include <mica/test.h>

#define MS MICA_NSEC_PER_MSEC

static int is_preempt(void)
{
	return strcmp(mica_sched_policy.name, "preempt") == 0;
}

static void *ret_arg(void *arg)
{
	return arg;
}

static void *exit_arg(void *arg)
{
	mica_thread_exit((char *)arg + 1);
}

MICA_TEST(sched_thread, create_join_exit)
{
	struct mica_thread *a, *b;
	void *ra = NULL, *rb = NULL;
	char x[2];

	MICA_REQUIRE_EQ(mica_thread_create(&a, NULL, ret_arg, &x[0]), 0);
	MICA_REQUIRE_EQ(mica_thread_create(&b, NULL, exit_arg, &x[0]), 0);
	MICA_EXPECT_NE(mica_thread_id(a), mica_thread_id(b));
	MICA_EXPECT_EQ(mica_thread_join(a, &ra), 0);
	MICA_EXPECT_EQ(mica_thread_join(b, &rb), 0);
	MICA_EXPECT_TRUE(ra == &x[0]);
	MICA_EXPECT_TRUE(rb == &x[1]);
}

MICA_TEST(sched_thread, names_and_errors)
{
	struct mica_thread_attr attr = {.name = "a-rather-long-thread-name"};
	struct mica_thread *t;

	MICA_EXPECT_STREQ(mica_thread_name(mica_thread_current()), "main");
	MICA_REQUIRE_EQ(mica_thread_create(&t, &attr, ret_arg, NULL), 0);
	MICA_EXPECT_EQ(strlen(mica_thread_name(t)), MICA_THREAD_NAME_MAX - 1);
	MICA_EXPECT_EQ(strncmp(mica_thread_name(t), attr.name,
			       MICA_THREAD_NAME_MAX - 1),
		       0);
	MICA_EXPECT_EQ(mica_thread_join(mica_thread_current(), NULL), -EDEADLK);
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), 0);
	attr.prio = MICA_PRIO_MAX + 1;
	MICA_EXPECT_EQ(mica_thread_create(&t, &attr, ret_arg, NULL), -EINVAL);
	MICA_EXPECT_EQ(mica_thread_create(&t, NULL, NULL, NULL), -EINVAL);
}

static volatile int detached_ran;

static void *detached_fn(void *arg)
{
	(void)arg;
	detached_ran = 1;
	return NULL;
}

MICA_TEST(sched_thread, detach_frees)
{
	struct mica_thread_attr attr = {.detached = 1};
	unsigned int before = mica_sched_thread_count();
	struct mica_thread *t;
	int i;

	MICA_REQUIRE_EQ(mica_thread_create(&t, &attr, detached_fn, NULL), 0);
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), -EINVAL);
	for (i = 0; i < 100 && mica_sched_thread_count() != before; i++)
		mica_thread_yield();
	MICA_EXPECT_TRUE(detached_ran);
	MICA_EXPECT_EQ(mica_sched_thread_count(), before);

	/* Detach after the fact, once it has run. */
	MICA_REQUIRE_EQ(mica_thread_create(&t, NULL, detached_fn, NULL), 0);
	mica_thread_yield();
	MICA_EXPECT_EQ(mica_thread_detach(t), 0);
	for (i = 0; i < 100 && mica_sched_thread_count() != before; i++)
		mica_thread_yield();
	MICA_EXPECT_EQ(mica_sched_thread_count(), before);
}

#define MANY 1000

static struct mica_thread *many[MANY];
static volatile unsigned long many_sum;

static void *many_fn(void *arg)
{
	many_sum += (uintptr_t)arg;
	return (void *)((uintptr_t)arg * 2);
}

MICA_TEST(sched_thread, thousand_threads)
{
	struct mica_thread_attr attr = {.stack_size = 8192};
	unsigned long want = 0, got = 0;
	int i, created = 0;

	many_sum = 0;
	for (i = 0; i < MANY; i++) {
		if (mica_thread_create(&many[i], &attr, many_fn,
				       (void *)(uintptr_t)(i + 1)) < 0)
			break;
		created++;
		want += i + 1;
	}
	MICA_EXPECT_EQ(created, MANY);
	MICA_EXPECT_GE(mica_sched_thread_count(), (unsigned)created);
	for (i = 0; i < created; i++) {
		void *r;

		if (mica_thread_join(many[i], &r) == 0)
			got += (uintptr_t)r;
	}
	MICA_EXPECT_EQ(many_sum, want);
	MICA_EXPECT_EQ(got, 2 * want);
}

static __thread int tls_counter = 1234;
static __thread char tls_zero[64];
static volatile int tls_bad;

static void *tls_fn(void *arg)
{
	int id = (int)(uintptr_t)arg;
	int i, k;

	if (tls_counter != 1234)
		tls_bad++;
	for (k = 0; k < (int)sizeof(tls_zero); k++)
		if (tls_zero[k])
			tls_bad++;
	tls_counter = id;
	memset(tls_zero, id, sizeof(tls_zero));
	for (i = 0; i < 20; i++) {
		mica_thread_yield();
		if (tls_counter != id || tls_zero[i] != (char)id)
			tls_bad++;
	}
	return (void *)&tls_counter;
}

MICA_TEST(sched_tls, isolation)
{
	struct mica_thread *t[8];
	void *addr[8];
	int i, j;

	tls_bad = 0;
	tls_counter = 99;
	for (i = 0; i < 8; i++)
		MICA_REQUIRE_EQ(mica_thread_create(&t[i], NULL, tls_fn,
						   (void *)(uintptr_t)(i + 1)),
				0);
	for (i = 0; i < 8; i++)
		MICA_EXPECT_EQ(mica_thread_join(t[i], &addr[i]), 0);
	MICA_EXPECT_EQ(tls_bad, 0);
	MICA_EXPECT_EQ(tls_counter, 99);
	for (i = 0; i < 8; i++)
		for (j = i + 1; j < 8; j++)
			MICA_EXPECT_TRUE(addr[i] != addr[j]);
}

MICA_TEST(sched_sleep, accuracy_10ms)
{
	const uint64_t prompt = CONFIG_LIB_TEST_TIMER_PROMPT_US * 1000ULL;
	uint64_t late[10], best = UINT64_MAX;
	int i, n;

	/*
	 * Never early. Prompt (LIB_TEST_TIMER_PROMPT_US) on an idle image:
	 * the host may be busy with other work, so up to 10 tries, stopping
	 * at the first prompt one; all are printed.
	 */
	for (n = 0; n < 10 && best >= prompt;) {
		uint64_t t0 = mica_plat_monotonic_ns();
		uint64_t t1;

		mica_sleep_ns(10 * MS);
		t1 = mica_plat_monotonic_ns();
		MICA_EXPECT_GE(t1 - t0, 10 * MS);
		late[n] = t1 - t0 - 10 * MS;
		best = MICA_MIN(best, late[n]);
		n++;
	}
	for (i = 0; i < n; i++)
		mica_test_log("10 ms sleep %d: %llu us late", i + 1,
			      (unsigned long long)late[i] / 1000);
	MICA_EXPECT_LT(best, prompt);
}

static void *sleeper_fn(void *arg)
{
	mica_sleep_ns((uintptr_t)arg * MS);
	return (void *)mica_plat_monotonic_ns();
}

MICA_TEST(sched_sleep, sleepers_wake_in_deadline_order)
{
	static const int ms[] = {30, 10, 20, 5};
	struct mica_thread *t[4];
	void *when[4];
	int i;

	for (i = 0; i < 4; i++)
		MICA_REQUIRE_EQ(mica_thread_create(&t[i], NULL, sleeper_fn,
						   (void *)(uintptr_t)ms[i]),
				0);
	for (i = 0; i < 4; i++)
		MICA_EXPECT_EQ(mica_thread_join(t[i], &when[i]), 0);
	MICA_EXPECT_LT((uintptr_t)when[3], (uintptr_t)when[1]);
	MICA_EXPECT_LT((uintptr_t)when[1], (uintptr_t)when[2]);
	MICA_EXPECT_LT((uintptr_t)when[2], (uintptr_t)when[0]);
}

static struct mica_waitq test_wq = MICA_WAITQ_INIT(test_wq);
static volatile int wq_flag;

static void *waker_fn(void *arg)
{
	mica_sleep_ns((uintptr_t)arg * MS);
	wq_flag = 1;
	mica_waitq_wake_all(&test_wq);
	return NULL;
}

MICA_TEST(sched_waitq, timeout)
{
	uint64_t t0 = mica_plat_monotonic_ns();
	unsigned long flags = mica_plat_irq_save();
	int rc = mica_waitq_wait(&test_wq, t0 + 5 * MS);

	mica_plat_irq_restore(flags);
	MICA_EXPECT_EQ(rc, -ETIMEDOUT);
	MICA_EXPECT_GE(mica_plat_monotonic_ns() - t0, 5 * MS);
	MICA_EXPECT_TRUE(mica_waitq_empty(&test_wq));

	/* A deadline already past does not block. */
	flags = mica_plat_irq_save();
	rc = mica_waitq_wait(&test_wq, 1);
	mica_plat_irq_restore(flags);
	MICA_EXPECT_EQ(rc, -ETIMEDOUT);
}

MICA_TEST(sched_waitq, woken_before_timeout)
{
	struct mica_thread *t;
	uint64_t t0 = mica_plat_monotonic_ns();
	unsigned long flags;
	int rc = 0;

	wq_flag = 0;
	MICA_REQUIRE_EQ(mica_thread_create(&t, NULL, waker_fn, (void *)5), 0);
	flags = mica_plat_irq_save();
	while (!wq_flag && rc == 0)
		rc = mica_waitq_wait(&test_wq, t0 + 1000 * MS);
	mica_plat_irq_restore(flags);
	MICA_EXPECT_EQ(rc, 0);
	MICA_EXPECT_TRUE(wq_flag);
	MICA_EXPECT_LT(mica_plat_monotonic_ns() - t0, 1000 * MS);
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), 0);
	/* The timed-out timer of the wait must not wake anyone later. */
	MICA_EXPECT_TRUE(mica_waitq_empty(&test_wq));
}

static char order_log[32];
static volatile int order_len;

static void *order_fn(void *arg)
{
	int i;

	for (i = 0; i < 3; i++) {
		order_log[order_len++] = (char)(uintptr_t)arg;
		mica_thread_yield();
	}
	return NULL;
}

MICA_TEST(sched_yield, round_robin)
{
	struct mica_thread *t[3];
	int i;

	order_len = 0;
	memset(order_log, 0, sizeof(order_log));
	for (i = 0; i < 3; i++)
		MICA_REQUIRE_EQ(
			mica_thread_create(&t[i], NULL, order_fn,
					   (void *)(uintptr_t)('a' + i)),
			0);
	for (i = 0; i < 3; i++)
		MICA_EXPECT_EQ(mica_thread_join(t[i], NULL), 0);
	MICA_EXPECT_STREQ(order_log, "abcabcabc");
}

static volatile int spin_release;
static volatile int spin_other_ran;

static void *spinner_fn(void *arg)
{
	(void)arg;
	/* Never yields: only a time slice ending lets the other one in. */
	while (!spin_release)
		;
	return NULL;
}

static void *releaser_fn(void *arg)
{
	(void)arg;
	spin_other_ran = 1;
	spin_release = 1;
	return NULL;
}

MICA_TEST(sched_preempt, spinner_does_not_starve_peer)
{
	struct mica_thread *a, *b;
	uint64_t t0;

	if (!is_preempt()) {
		mica_test_log("SKIP: cooperative scheduler");
		return;
	}
	spin_release = 0;
	spin_other_ran = 0;
	t0 = mica_plat_monotonic_ns();
	MICA_REQUIRE_EQ(mica_thread_create(&a, NULL, spinner_fn, NULL), 0);
	MICA_REQUIRE_EQ(mica_thread_create(&b, NULL, releaser_fn, NULL), 0);
	MICA_EXPECT_EQ(mica_thread_join(a, NULL), 0);
	MICA_EXPECT_EQ(mica_thread_join(b, NULL), 0);
	MICA_EXPECT_TRUE(spin_other_ran);
	mica_test_log("released after %llu us",
		      (unsigned long long)(mica_plat_monotonic_ns() - t0) /
			      1000);
}

static volatile int high_ran;

static void *high_fn(void *arg)
{
	(void)arg;
	high_ran = 1;
	return NULL;
}

MICA_TEST(sched_preempt, higher_priority_runs_first)
{
	struct mica_thread_attr hi = {.prio = MICA_PRIO_DEFAULT + 5};
	struct mica_thread_attr lo = {.prio = MICA_PRIO_DEFAULT - 5};
	struct mica_thread *t;

	if (!is_preempt()) {
		mica_test_log("SKIP: cooperative scheduler");
		return;
	}
	high_ran = 0;
	MICA_REQUIRE_EQ(mica_thread_create(&t, &hi, high_fn, NULL), 0);
	/* It ran before create returned to us. */
	MICA_EXPECT_TRUE(high_ran);
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), 0);

	high_ran = 0;
	MICA_REQUIRE_EQ(mica_thread_create(&t, &lo, high_fn, NULL), 0);
	MICA_EXPECT_FALSE(high_ran); /* lower: waits for us to block */
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), 0);
	MICA_EXPECT_TRUE(high_ran);
}

static volatile int wake_order[2];
static volatile int wake_n;

static void *prio_waiter_fn(void *arg)
{
	unsigned long flags = mica_plat_irq_save();

	mica_waitq_wait(&test_wq, 0);
	mica_plat_irq_restore(flags);
	wake_order[wake_n++] = (int)(uintptr_t)arg;
	return NULL;
}

MICA_TEST(sched_preempt, woken_higher_priority_preempts)
{
	struct mica_thread_attr hi = {.prio = MICA_PRIO_DEFAULT + 1};
	struct mica_thread *t;

	if (!is_preempt()) {
		mica_test_log("SKIP: cooperative scheduler");
		return;
	}
	wake_n = 0;
	MICA_REQUIRE_EQ(mica_thread_create(&t, &hi, prio_waiter_fn, (void *)1),
			0);
	/* It is blocked now; waking it switches to it at once. */
	mica_waitq_wake_one(&test_wq);
	mica_sched_resched();
	wake_order[wake_n++] = 2;
	MICA_EXPECT_EQ(mica_thread_join(t, NULL), 0);
	MICA_EXPECT_EQ(wake_order[0], 1);
	MICA_EXPECT_EQ(wake_order[1], 2);
}

MICA_TEST(sched_debug, dump)
{
	/* The dump walks every thread; it must not crash or block. */
	mica_sched_dump();
	MICA_EXPECT_GE(mica_sched_thread_count(), 2u);
}
