/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads: creation, exit, join, detach, names and priorities.
 *
 * One page allocation per thread holds, from low to high addresses: the
 * guard page (unmapped, LIB_SCHED_STACK_GUARD), the stack, the TLS area
 * and the thread structure. A stack overflow runs into the guard page
 * before it can reach anything else.
 */
#include <errno.h>
#include <string.h>
#include <mica/alloc.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/memory.h>
#include <mica/print.h>
#include "sched_priv.h"

#define policy (&mica_sched_policy)

static unsigned long thread_next_id = 1;

#ifdef CONFIG_LIB_SCHED_STACK_GUARD
#define THREAD_GUARD 1
#else
#define THREAD_GUARD 0
#endif

/*
 * Freed thread allocations of the default size are kept (guard page and
 * all) for the next thread: creating a thread then takes no allocation
 * and no page-table change (on linuxu, no mprotect calls).
 */
struct stack_cached {
	void *mem;
	size_t pages;
	uintptr_t guard;
};

static struct stack_cached stack_cache[CONFIG_LIB_SCHED_STACK_CACHE + 1];
static unsigned int stack_cached;

static void *stack_cache_take(size_t pages, uintptr_t *guard)
{
	unsigned long flags = mica_plat_irq_save();
	void *mem = NULL;
	unsigned int i;

	for (i = 0; i < stack_cached; i++) {
		if (stack_cache[i].pages == pages) {
			mem = stack_cache[i].mem;
			*guard = stack_cache[i].guard;
			stack_cache[i] = stack_cache[--stack_cached];
			break;
		}
	}
	mica_plat_irq_restore(flags);
	return mem;
}

static int stack_cache_put(void *mem, size_t pages, uintptr_t guard)
{
	unsigned long flags = mica_plat_irq_save();
	int kept = 0;

	if (stack_cached < CONFIG_LIB_SCHED_STACK_CACHE) {
		stack_cache[stack_cached++] =
			(struct stack_cached){mem, pages, guard};
		kept = 1;
	}
	mica_plat_irq_restore(flags);
	return kept;
}

/* Page tables the platform needs to split a large page for a guard. */
static void *thread_pt_alloc(void)
{
	void *p;

	if (mica_alloc_pages(mica_alloc_default(), 1, &p) < 0)
		return NULL;
	memset(p, 0, MICA_PAGE_SIZE);
	return p;
}

static void thread_entry(void *arg)
{
	struct mica_thread *t = arg;

	/* Arrived through sched_switch with interrupts masked. */
	sched_after_switch();
	mica_plat_irq_enable();
	mica_thread_exit(t->fn(t->arg));
}

void sched_threads_init(struct mica_thread *idle)
{
	strcpy(idle->name, "idle");
	idle->flags = MICA_THREAD_IDLE;
	idle->state = MICA_THREAD_RUNNING;
	idle->prio = 0;
	/* Its own TLS: the boot thread's area stays with whatever used it. */
	idle->tp = mica_arch_tls_area_init(mica_alloc_memalign(
		mica_alloc_default(), mica_arch_tls_area_align(),
		mica_arch_tls_area_size()));
	mica_plat_tls_set(idle->tp);
	mica_list_init(&idle->node);
	mica_list_init(&idle->sleep);
	mica_list_init(&idle->all);
	mica_waitq_init(&idle->join_wq);
}

struct mica_thread *sched_thread_new(const struct mica_thread_attr *attr,
				     size_t default_stack, mica_thread_fn fn,
				     void *arg, int *err)
{
	size_t stack =
		attr && attr->stack_size ? attr->stack_size : default_stack;
	size_t tls = mica_arch_tls_area_size();
	size_t top, pages;
	struct mica_thread *t;
	uintptr_t base, tls_area;
	unsigned long flags;
	uintptr_t guard = 0;
	void *mem;
	int prio = attr && attr->prio			  ? attr->prio
		   : sched_current && sched_current->prio ? sched_current->prio
							  : MICA_PRIO_DEFAULT;

	if (prio < MICA_PRIO_MIN || prio > MICA_PRIO_MAX || !fn ||
	    stack > (1UL << 30)) {
		*err = -EINVAL;
		return NULL;
	}
	stack = MICA_ALIGN_UP(stack < 4096 ? 4096 : stack, MICA_PAGE_SIZE);
	top = MICA_ALIGN_UP(MICA_ALIGN_UP(tls, 64) + sizeof(*t),
			    MICA_PAGE_SIZE);
	pages = THREAD_GUARD + (stack + top) / MICA_PAGE_SIZE;
	mem = stack_cache_take(pages, &guard);
	if (!mem) {
		*err = mica_alloc_pages(mica_alloc_default(), pages, &mem);
		if (*err < 0)
			return NULL;
	}

	base = (uintptr_t)mem;
	tls_area = base + (THREAD_GUARD ? MICA_PAGE_SIZE : 0) + stack;
	t = (struct mica_thread *)(tls_area + MICA_ALIGN_UP(tls, 64));
	memset(t, 0, sizeof(*t));
	t->mem = mem;
	t->mem_pages = pages;
	t->stack_lo = tls_area - stack;
	t->stack_hi = tls_area;
	t->guard = guard;
	if (THREAD_GUARD && !guard) {
		int rc = mica_plat_page_guard(mem, 1, thread_pt_alloc);

		if (rc == 0)
			t->guard = base;
		else if (rc != -ENOSYS)
			mica_pr_warn("no guard page for a thread stack: "
				     "error %d",
				     -rc);
	}
	t->tp = mica_arch_tls_area_init((void *)tls_area);
	t->fn = fn;
	t->arg = arg;
	t->prio = prio;
	t->flags = attr && attr->detached ? MICA_THREAD_DETACHED : 0;
	mica_list_init(&t->node);
	mica_list_init(&t->sleep);
	mica_waitq_init(&t->join_wq);
	mica_arch_ctx_init(&t->ctx, t->stack_hi, thread_entry, t);

	flags = mica_plat_irq_save();
	t->id = thread_next_id++;
	if (attr && attr->name) {
		strncpy(t->name, attr->name, sizeof(t->name) - 1);
	} else {
		mica_snprintf(t->name, sizeof(t->name), "thread-%lu", t->id);
	}
	mica_list_add_tail(&t->all, &sched_threads);
	sched_live++;
	sched_wake(t, 0);
	mica_plat_irq_restore(flags);
	return t;
}

int mica_thread_create(struct mica_thread **out,
		       const struct mica_thread_attr *attr, mica_thread_fn fn,
		       void *arg)
{
	struct mica_thread *t;
	int err;

	t = sched_thread_new(attr, CONFIG_LIB_SCHED_STACK_SIZE, fn, arg, &err);
	if (!t)
		return err;
	if (out)
		*out = t;
	mica_sched_resched(); /* a higher priority runs first */
	return 0;
}

void sched_thread_free(struct mica_thread *t)
{
	unsigned long flags = mica_plat_irq_save();

	mica_list_del_init(&t->all);
	mica_plat_irq_restore(flags);
	if (stack_cache_put(t->mem, t->mem_pages, t->guard))
		return;
	if (t->guard)
		mica_plat_page_guard((void *)t->guard, 0, NULL);
	mica_alloc_free_pages(mica_alloc_default(), t->mem, t->mem_pages);
}

void mica_thread_exit(void *retval)
{
	struct mica_thread *t = sched_current;

	if (t->flags & MICA_THREAD_IDLE)
		MICA_CRASH("the idle thread cannot exit");
	mica_plat_irq_disable();
	t->retval = retval;
	t->state = MICA_THREAD_EXITED;
	sched_live--;
	if (t->flags & MICA_THREAD_DETACHED) {
		/* Still on its stack: the next thread frees it. */
		sched_zombie(t);
	} else {
		mica_waitq_wake_all(&t->join_wq);
	}
	sched_switch(0);
	MICA_CRASH("exited thread %s was switched to", t->name);
}

int mica_thread_join(struct mica_thread *t, void **retval)
{
	unsigned long flags;

	if (t == sched_current)
		return -EDEADLK;
	flags = mica_plat_irq_save();
	if (t->flags & (MICA_THREAD_DETACHED | MICA_THREAD_JOINED)) {
		mica_plat_irq_restore(flags);
		return -EINVAL;
	}
	t->flags |= MICA_THREAD_JOINED;
	while (t->state != MICA_THREAD_EXITED)
		mica_waitq_wait(&t->join_wq, 0);
	mica_plat_irq_restore(flags);
	if (retval)
		*retval = t->retval;
	sched_thread_free(t);
	return 0;
}

int mica_thread_detach(struct mica_thread *t)
{
	unsigned long flags = mica_plat_irq_save();

	if (t->flags & (MICA_THREAD_DETACHED | MICA_THREAD_JOINED)) {
		mica_plat_irq_restore(flags);
		return -EINVAL;
	}
	t->flags |= MICA_THREAD_DETACHED;
	if (t->state == MICA_THREAD_EXITED) {
		mica_plat_irq_restore(flags);
		sched_thread_free(t);
		return 0;
	}
	mica_plat_irq_restore(flags);
	return 0;
}

const char *mica_thread_name(const struct mica_thread *t)
{
	return t->name;
}

int mica_thread_set_name(struct mica_thread *t, const char *name)
{
	unsigned long flags;

	if (!name)
		return -EINVAL;
	flags = mica_plat_irq_save();
	strncpy(t->name, name, sizeof(t->name) - 1);
	t->name[sizeof(t->name) - 1] = '\0';
	mica_plat_irq_restore(flags);
	return 0;
}

unsigned long mica_thread_id(const struct mica_thread *t)
{
	return t->id;
}

int mica_thread_prio(const struct mica_thread *t)
{
	return t->prio;
}

int mica_thread_set_prio(struct mica_thread *t, int prio)
{
	unsigned long flags;

	if (prio < MICA_PRIO_MIN || prio > MICA_PRIO_MAX ||
	    (t->flags & MICA_THREAD_IDLE))
		return -EINVAL;
	flags = mica_plat_irq_save();
	if (t->state == MICA_THREAD_RUNNABLE) {
		policy->dequeue(t);
		t->prio = prio;
		sched_wake(t, t->wake_reason);
	} else {
		t->prio = prio;
	}
	mica_plat_irq_restore(flags);
	/* Raised above the caller: run it now. */
	mica_sched_resched();
	/* Lowered the caller: let a now higher waiting thread run. */
	if (t == sched_current)
		mica_thread_yield();
	return 0;
}

void mica_thread_set_waiting_on(void *obj, const char *what)
{
	sched_current->waiting_on = obj;
	sched_current->waiting_what = what;
}

void *mica_thread_waiting_on(const struct mica_thread *t)
{
	return t->waiting_on;
}

unsigned int mica_sched_thread_count(void)
{
	unsigned int n = 0;
	unsigned long flags = mica_plat_irq_save();
	struct mica_list *pos;

	mica_list_for_each(pos, &sched_threads) n++;
	mica_plat_irq_restore(flags);
	return n + 1; /* idle */
}
