/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scheduler core: switching, the idle loop, the timer (sleepers and
 * time slices), main() in a thread, crash context and the thread dump.
 * Which thread runs next is the policy's business (mica/sched_policy.h).
 *
 * One CPU: all scheduler state is guarded by masking interrupts. A thread
 * is switched out only inside sched_switch(), with interrupts masked; the
 * thread switched in unmasks them on its way out (its own irq_restore, or
 * the iretq / signal return of the interrupt it was preempted in).
 */
#include <errno.h>
#include <mica/boot.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/memory.h>
#include <mica/plat/time.h>
#include <mica/print.h>
#include "sched_priv.h"

struct mica_thread *sched_current;
struct mica_list sched_threads = MICA_LIST_INIT(sched_threads);
unsigned int sched_live;

static struct mica_thread sched_idle;
static struct mica_list sched_sleepers = MICA_LIST_INIT(sched_sleepers);
static struct mica_list sched_zombies = MICA_LIST_INIT(sched_zombies);
static uint64_t sched_armed;   /* deadline the platform timer holds */
static int sched_need_resched; /* a woken thread should preempt current */
static int sched_in_irq;
static int sched_timer_ready; /* our handler is set: time is up */
static void sched_timer_irq(void);

/*
 * The time slice: one deadline for whichever thread is running. It is
 * started (one clock read, one timer arm) only while the running thread
 * has a peer, and a thread is preempted only if it was running, without
 * a switch in between, for the whole slice. Switches in between cost
 * nothing: the expiry finds another thread and starts a new slice.
 */
static uint64_t slice_deadline;
static struct mica_thread *slice_owner;
static uint64_t slice_switches;

#define policy (&mica_sched_policy)

/* Exited detached threads: freed by the next thread to run. */
static void sched_reap(void)
{
	while (!mica_list_empty(&sched_zombies)) {
		struct mica_thread *t = mica_list_first_entry(
			&sched_zombies, struct mica_thread, node);

		mica_list_del_init(&t->node);
		sched_thread_free(t);
	}
}

void sched_zombie(struct mica_thread *t)
{
	mica_list_add_tail(&t->node, &sched_zombies);
}

void sched_after_switch(void)
{
	sched_reap();
	sched_timer_program();
}

static void sched_switch_to(struct mica_thread *next, int preempted)
{
	struct mica_thread *prev = sched_current;

	sched_need_resched = 0;
	next->state = MICA_THREAD_RUNNING;
	if (next == prev)
		return;
	next->switches++;
	sched_current = next;
	if (preempted)
		mica_arch_fpu_save(&prev->ctx);
	if (prev->tp != next->tp)
		mica_plat_tls_set(next->tp);
	mica_arch_ctx_switch(&prev->ctx, &next->ctx);
	/* Back in prev, some time later. */
	sched_after_switch();
}

void sched_switch(int preempted)
{
	struct mica_thread *next = policy->pick_next();

	sched_switch_to(next ? next : &sched_idle, preempted);
}

/*
 * Arm the platform timer (0: disarm). The handler is set on first use,
 * which brings time up: an image that never sleeps never pays for it.
 */
static void sched_timer_arm(uint64_t deadline)
{
	if (mica_unlikely(!sched_timer_ready)) {
		mica_plat_timer_set_handler(sched_timer_irq);
		sched_timer_ready = 1;
	}
	if (deadline)
		mica_plat_timer_arm(deadline);
	else
		mica_plat_timer_disarm();
}

void sched_timer_program(void)
{
	struct mica_thread *cur = sched_current;
	uint64_t next = 0;

	if (!mica_list_empty(&sched_sleepers))
		next = mica_list_first_entry(&sched_sleepers,
					     struct mica_thread, sleep)
			       ->deadline;
	if (!slice_deadline && policy->slice_ns &&
	    !(cur->flags & MICA_THREAD_IDLE) && policy->has_peer(cur)) {
		slice_deadline = mica_plat_monotonic_ns() + policy->slice_ns;
		slice_owner = cur;
		slice_switches = cur->switches;
	}
	if (slice_deadline && (!next || slice_deadline < next))
		next = slice_deadline;
	if (next == sched_armed)
		return;
	sched_armed = next;
	sched_timer_arm(next);
}

/* An interrupt as soon as interrupts are unmasked. */
static void sched_timer_kick(void)
{
	sched_armed = 1; /* not a real deadline: the next program re-arms */
	sched_timer_arm(1);
}

void sched_sleep_add(struct mica_thread *t, uint64_t deadline)
{
	struct mica_list *pos;

	t->deadline = deadline;
	/* Sorted by deadline; equal deadlines wake in arrival order. */
	mica_list_for_each(pos, &sched_sleepers)
	{
		if (mica_list_entry(pos, struct mica_thread, sleep)->deadline >
		    deadline)
			break;
	}
	mica_list_add_before(&t->sleep, pos);
	sched_timer_program();
}

void sched_wake(struct mica_thread *t, int reason)
{
	if (t->wq) {
		mica_list_del_init(&t->node);
		t->wq = NULL;
	}
	if (t->deadline) {
		mica_list_del_init(&t->sleep);
		t->deadline = 0;
	}
	t->wake_reason = reason;
	t->state = MICA_THREAD_RUNNABLE;
	policy->enqueue(t);
	if (sched_current != &sched_idle &&
	    policy->preempts(sched_current, t)) {
		sched_need_resched = 1;
		/*
		 * Woken from a thread with interrupts masked: switch as soon
		 * as they are unmasked, through a timer interrupt due now,
		 * unless mica_sched_resched() gets there first.
		 */
		if (!sched_in_irq)
			sched_timer_kick();
	} else {
		sched_timer_program(); /* a competitor may start a slice */
	}
}

static void sched_timer_irq(void)
{
	uint64_t now = mica_plat_monotonic_ns();
	struct mica_thread *cur = sched_current;

	sched_in_irq = 1;
	sched_armed = 0;
	while (!mica_list_empty(&sched_sleepers)) {
		struct mica_thread *t = mica_list_first_entry(
			&sched_sleepers, struct mica_thread, sleep);

		if (t->deadline > now)
			break;
		sched_wake(t, -ETIMEDOUT);
	}
	if (slice_deadline && slice_deadline <= now) {
		slice_deadline = 0;
		if (slice_owner == cur && slice_switches == cur->switches &&
		    policy->has_peer(cur))
			sched_need_resched = 1;
	}
	sched_in_irq = 0;
	if (sched_need_resched && cur != &sched_idle) {
		/* Preempted: to the back of its queue. */
		cur->state = MICA_THREAD_RUNNABLE;
		policy->enqueue(cur);
		sched_switch(1);
	} else {
		sched_timer_program();
	}
}

void mica_sched_resched(void)
{
	unsigned long flags;

	/*
	 * Unlocked peek: the common answer is no. If a wake sets the flag
	 * right after, it also armed the timer to fire at once.
	 */
	if (!sched_need_resched)
		return;
	flags = mica_plat_irq_save();

	if (sched_need_resched && sched_current != &sched_idle) {
		sched_current->state = MICA_THREAD_RUNNABLE;
		policy->enqueue(sched_current);
		sched_switch(0);
	}
	mica_plat_irq_restore(flags);
}

void mica_thread_yield(void)
{
	unsigned long flags = mica_plat_irq_save();

	sched_current->state = MICA_THREAD_RUNNABLE;
	policy->enqueue(sched_current);
	sched_switch(0);
	mica_plat_irq_restore(flags);
}

struct mica_thread *mica_thread_current(void)
{
	return sched_current;
}

/*
 * The boot context becomes the idle thread: it runs when nothing else
 * can, and waits for an interrupt. When every thread has exited (main
 * called pthread_exit and the others ended), the image ends with 0.
 */
static __mica_noreturn void sched_idle_loop(void)
{
	mica_plat_irq_disable();
	for (;;) {
		struct mica_thread *next;

		if (!sched_live)
			mica_exit(0);
		next = policy->pick_next();
		if (next) {
			sched_switch_to(next, 0);
			continue;
		}
		mica_plat_idle();
	}
}

static int main_argc;
static char **main_argv;

int main(int argc, char *argv[]);

static void *sched_main_thread(void *arg)
{
	(void)arg;
	mica_exit(main(main_argc, main_argv));
}

int mica_boot_main(int argc, char *argv[])
{
	struct mica_thread_attr attr = {
		.name = "main",
		.prio = MICA_PRIO_DEFAULT,
		.detached = 1,
	};
	struct mica_thread *t;
	int err;

	main_argc = argc;
	main_argv = argv;
	sched_threads_init(&sched_idle);
	sched_current = &sched_idle;
	t = sched_thread_new(&attr, CONFIG_LIB_SCHED_MAIN_STACK_SIZE,
			     sched_main_thread, NULL, &err);
	if (!t)
		MICA_CRASH("no memory for main()'s thread: error %d", -err);
	t->flags |= MICA_THREAD_MAIN;
	mica_pr_debug("scheduler %s, main() in a thread", policy->name);
	sched_idle_loop();
}

static const char *const state_names[] = {
	[MICA_THREAD_RUNNABLE] = "runnable",
	[MICA_THREAD_RUNNING] = "running",
	[MICA_THREAD_BLOCKED] = "blocked",
	[MICA_THREAD_EXITED] = "exited",
};

static void dump_one(struct mica_thread *t, void *arg)
{
	uintptr_t sp = t == sched_current
			       ? (uintptr_t)__builtin_frame_address(0)
			       : t->ctx.sp;
	size_t size = t->stack_hi - t->stack_lo;
	size_t used =
		sp >= t->stack_lo && sp <= t->stack_hi ? t->stack_hi - sp : 0;

	(void)arg;
	mica_printf("  %4lu %-16s %-8s prio %2d  stack %zu/%zu KiB  "
		    "switches %llu",
		    t->id, t->name, state_names[t->state], t->prio,
		    (used + 1023) / 1024, size / 1024,
		    (unsigned long long)t->switches);
	if (t->waiting_on)
		mica_printf("  waits on %s %p", t->waiting_what, t->waiting_on);
	if (t->deadline)
		mica_printf("  until %llu ns", (unsigned long long)t->deadline);
	mica_printf("\n");
}

void mica_sched_for_each(void (*fn)(struct mica_thread *t, void *arg),
			 void *arg)
{
	unsigned long flags = mica_plat_irq_save();
	struct mica_list *pos;

	mica_list_for_each(pos, &sched_threads)
		fn(mica_list_entry(pos, struct mica_thread, all), arg);
	mica_plat_irq_restore(flags);
}

void mica_sched_dump(void)
{
	mica_printf("threads (scheduler %s, %u live):\n", policy->name,
		    sched_live);
	mica_sched_for_each(dump_one, NULL);
}

/* Crash reports: which thread, and was it a stack overflow? */
void mica_crash_context(int has_addr, unsigned long addr)
{
	struct mica_thread *t = sched_current;
	struct mica_list *pos;

	if (!t)
		return;
	if (has_addr) {
		mica_list_for_each(pos, &sched_threads)
		{
			struct mica_thread *s =
				mica_list_entry(pos, struct mica_thread, all);

			if (s->guard && addr >= s->guard &&
			    addr < s->guard + MICA_PAGE_SIZE) {
				mica_printf("stack overflow: thread '%s' ran "
					    "past its %zu KiB stack into its "
					    "guard page\n",
					    s->name,
					    (s->stack_hi - s->stack_lo) / 1024);
				break;
			}
		}
	}
	mica_printf("in thread '%s' (id %lu)\n", t->name, t->id);
}
