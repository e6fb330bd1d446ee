/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every platform promises in mica/plat/time.h and the idle wait of
 * mica/plat/lcpu.h: the monotonic clock never goes back and advances,
 * the wall clock is plausible, the one-shot timer never fires before its
 * deadline, wakes mica_plat_idle(), is replaced by a new arm, is stopped
 * by a disarm, and fires promptly for a deadline already past.
 *
 * Only the platform interface is used, so the same cases run on every
 * platform. Each timer case installs its own handler and removes it
 * (NULL) at the end. When a scheduler is in the image it owns the timer
 * handler, so the timer cases step aside there (the scheduler's own
 * tests cover sleeping and preemption).
 */
#include <stdint.h>
#include <stdlib.h>
#include <mica/config.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include <mica/test.h>

#define MS MICA_NSEC_PER_MSEC

/* 2020-01-01 and 2100-01-01 00:00 UTC, in seconds since 1970. */
#define WALL_2020 1577836800LL
#define WALL_2100 4102444800LL

/* No interrupt arrives within this: the timer is broken (not hung). */
#define TIMER_GIVE_UP (2000 * MS)

#ifdef CONFIG_LIB_SCHED
#define SCHED_OWNS_TIMER 1
#else
#define SCHED_OWNS_TIMER 0
#endif

static volatile unsigned int timer_fired;
static volatile uint64_t timer_fired_at;

static void timer_handler(void)
{
	timer_fired_at = mica_plat_monotonic_ns();
	timer_fired++;
}

/* Take the timer for one case; 0 when a scheduler owns it. */
static int timer_take(void)
{
	if (SCHED_OWNS_TIMER) {
		mica_test_log("skipped: the scheduler owns the timer handler");
		return 0;
	}
	timer_fired = 0;
	timer_fired_at = 0;
	mica_plat_timer_set_handler(timer_handler);
	return 1;
}

static void timer_give_back(void)
{
	mica_plat_timer_disarm();
	mica_plat_timer_set_handler(NULL);
}

/*
 * Idle, interrupts masked between the checks, until the handler has run
 * `count` times or the clock passes `until`. Every idle wakes on some
 * interrupt, so the clock is looked at after each.
 */
static void idle_until_fired(unsigned int count, uint64_t until)
{
	unsigned long flags = mica_plat_irq_save();

	while (timer_fired < count && mica_plat_monotonic_ns() < until)
		mica_plat_idle();
	mica_plat_irq_restore(flags);
}

/* Poll the clock with interrupts unmasked until `until`. */
static void spin_until(uint64_t until)
{
	unsigned long flags = mica_plat_irq_save();

	mica_plat_irq_enable();
	while (mica_plat_monotonic_ns() < until)
		;
	mica_plat_irq_restore(flags);
}

/*
 * A million reads, or as many as fit in READS_FOR: on Xen under TCG a
 * read traps to the hypervisor (rdtsc, about 34 us), so the million
 * would take half a minute.
 */
#define READS	  1000000L
#define READS_FOR (5000 * MS)

MICA_TEST(plat_time, monotonic_over_a_million_reads)
{
	uint64_t prev = mica_plat_monotonic_ns(), first = prev, now;
	unsigned long back = 0;
	uint64_t worst = 0;
	long i;

	for (i = 0; i < READS; i++) {
		now = mica_plat_monotonic_ns();
		if (now < prev) {
			back++;
			if (prev - now > worst)
				worst = prev - now;
		}
		prev = now;
		if (!(i & 1023) && now - first > READS_FOR)
			break;
	}
	MICA_EXPECT_EQ(back, 0);
	MICA_EXPECT_GE(i, 1024);
	if (back)
		mica_test_log("went back %lu times, by up to %llu ns", back,
			      (unsigned long long)worst);
	mica_test_log("%ld reads in %llu us", i,
		      (unsigned long long)((prev - first) / 1000));
}

MICA_TEST(plat_time, clock_advances)
{
	uint64_t t0a, t0b, t1a, t1b;
	int64_t w0, w1;
	long spins = 0;

	/*
	 * Each wall clock read is bracketed by two monotonic reads, so a
	 * busy host stopping us between the reads widens the bracket
	 * instead of failing the comparison.
	 */
	t0a = mica_plat_monotonic_ns();
	w0 = mica_plat_wall_ns();
	t0b = mica_plat_monotonic_ns();
	/* 20 ms of polling, with a loop bound in case it never moves. */
	t1a = t0b;
	while (t1a < t0b + 20 * MS && spins++ < 100000000L)
		t1a = mica_plat_monotonic_ns();
	w1 = mica_plat_wall_ns();
	t1b = mica_plat_monotonic_ns();
	MICA_EXPECT_GE(t1a, t0b + 20 * MS);
	/* The wall clock moves with it (within 5%: hosts slew it). */
	MICA_EXPECT_GE(w1 - w0, (int64_t)(t1a - t0b) * 95 / 100);
	MICA_EXPECT_LE(w1 - w0, (int64_t)(t1b - t0a) * 105 / 100 + (int64_t)MS);
}

MICA_TEST(plat_time, wall_clock_is_plausible)
{
	int64_t s = mica_plat_wall_ns() / (int64_t)MICA_NSEC_PER_SEC;

	MICA_EXPECT_GT(s, WALL_2020);
	MICA_EXPECT_LT(s, WALL_2100);
	mica_test_log("wall clock: %lld s since 1970", (long long)s);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Never early, and prompt on an idle image: the best of the rounds is
 * within LIB_TEST_TIMER_PROMPT_US (a busy host can delay any one of
 * them). The distribution is printed.
 */
MICA_TEST(plat_timer, fires_never_early_and_wakes_idle)
{
	const uint64_t prompt = CONFIG_LIB_TEST_TIMER_PROMPT_US * 1000ULL;
	enum { ROUNDS = 10 };
	uint64_t late[ROUNDS];
	int n = 0;

	if (!timer_take())
		return;
	for (; n < ROUNDS; n++) {
		uint64_t deadline = mica_plat_monotonic_ns() + 10 * MS;

		timer_fired = 0;
		mica_plat_timer_arm(deadline);
		idle_until_fired(1, deadline + TIMER_GIVE_UP);
		MICA_EXPECT_EQ(timer_fired, 1);
		if (timer_fired != 1)
			break;
		MICA_EXPECT_GE(timer_fired_at, deadline);
		late[n] = timer_fired_at - deadline;
	}
	if (n) {
		qsort(late, (size_t)n, sizeof(late[0]), cmp_u64);
		mica_test_log("10 ms timer, %d rounds: late by %llu us min, "
			      "%llu us median, %llu us max",
			      n, (unsigned long long)late[0] / 1000,
			      (unsigned long long)late[n / 2] / 1000,
			      (unsigned long long)late[n - 1] / 1000);
		MICA_EXPECT_LT(late[0], prompt);
	}
	timer_give_back();
}

MICA_TEST(plat_timer, rearm_replaces_the_deadline)
{
	uint64_t now, first, second;

	if (!timer_take())
		return;
	now = mica_plat_monotonic_ns();
	first = now + 5 * MS;
	second = now + 30 * MS;
	mica_plat_timer_arm(first);
	mica_plat_timer_arm(second);
	idle_until_fired(1, second + TIMER_GIVE_UP);
	MICA_EXPECT_EQ(timer_fired, 1);
	MICA_EXPECT_GE(timer_fired_at, second);
	/* And only once: wait past the second deadline a little more. */
	spin_until(mica_plat_monotonic_ns() + 10 * MS);
	MICA_EXPECT_EQ(timer_fired, 1);

	/* An earlier deadline replaces a later one as well. */
	timer_fired = 0;
	now = mica_plat_monotonic_ns();
	mica_plat_timer_arm(now + 500 * MS);
	mica_plat_timer_arm(now + 5 * MS);
	idle_until_fired(1, now + TIMER_GIVE_UP);
	MICA_EXPECT_EQ(timer_fired, 1);
	MICA_EXPECT_GE(timer_fired_at, now + 5 * MS);
	MICA_EXPECT_LT(timer_fired_at, now + 500 * MS);
	timer_give_back();
}

/*
 * With interrupts masked: arm, let the deadline pass (the interrupt is
 * now due, or already pending), then re-arm or disarm while still masked.
 */
static uint64_t arm_and_let_it_become_due(void)
{
	uint64_t now = mica_plat_monotonic_ns();

	mica_plat_timer_arm(now + 1 * MS);
	while (mica_plat_monotonic_ns() < now + 5 * MS)
		;
	return mica_plat_monotonic_ns();
}

MICA_TEST(plat_timer, rearm_of_a_due_timer_waits_for_the_new_deadline)
{
	unsigned long flags;
	uint64_t deadline;

	if (!timer_take())
		return;
	flags = mica_plat_irq_save();
	deadline = arm_and_let_it_become_due() + 20 * MS;
	mica_plat_timer_arm(deadline);
	mica_plat_irq_restore(flags);
	idle_until_fired(1, deadline + TIMER_GIVE_UP);
	MICA_EXPECT_EQ(timer_fired, 1);
	MICA_EXPECT_GE(timer_fired_at, deadline);
	timer_give_back();
}

MICA_TEST(plat_timer, disarm_prevents_the_interrupt)
{
	uint64_t now;

	if (!timer_take())
		return;
	now = mica_plat_monotonic_ns();
	mica_plat_timer_arm(now + 5 * MS);
	mica_plat_timer_disarm();
	spin_until(now + 20 * MS);
	MICA_EXPECT_EQ(timer_fired, 0);
	timer_give_back();
}

MICA_TEST(plat_timer, disarm_of_a_due_timer_prevents_the_interrupt)
{
	unsigned long flags;

	if (!timer_take())
		return;
	flags = mica_plat_irq_save();
	arm_and_let_it_become_due();
	mica_plat_timer_disarm();
	mica_plat_irq_restore(flags);
	spin_until(mica_plat_monotonic_ns() + 10 * MS);
	MICA_EXPECT_EQ(timer_fired, 0);
	timer_give_back();
}

MICA_TEST(plat_timer, past_deadline_fires_promptly)
{
	uint64_t now, deadline;

	if (!timer_take())
		return;
	now = mica_plat_monotonic_ns();
	deadline = now > MS ? now - MS : 0;
	mica_plat_timer_arm(deadline);
	idle_until_fired(1, now + TIMER_GIVE_UP);
	MICA_EXPECT_EQ(timer_fired, 1);
	MICA_EXPECT_GE(timer_fired_at, now);
	/* Promptly: well within one 10 ms tick of any host. */
	MICA_EXPECT_LT(timer_fired_at - now, 10 * MS);
	mica_test_log("a past deadline fired after %llu us",
		      (unsigned long long)(timer_fired_at - now) / 1000);
	timer_give_back();
}

MICA_TEST(plat_lcpu, idle_returns_with_interrupts_masked)
{
	unsigned long flags;
	uint64_t now;

	if (!timer_take())
		return;
	flags = mica_plat_irq_save();
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	now = mica_plat_monotonic_ns();
	mica_plat_timer_arm(now + 1 * MS);
	while (!timer_fired && mica_plat_monotonic_ns() < now + TIMER_GIVE_UP)
		mica_plat_idle();
	MICA_EXPECT_EQ(timer_fired, 1);
	MICA_EXPECT_TRUE(mica_plat_irq_disabled());
	mica_plat_irq_restore(flags);
	timer_give_back();
}
