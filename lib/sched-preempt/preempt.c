/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Preemptive priorities: a FIFO per priority and a bitmap of the
 * non-empty ones, so picking the next thread is a find-last-set. Threads
 * of the running thread's priority share the CPU in time slices; a slice
 * starts only when a competitor of the same priority is waiting, so a
 * lone thread (or an idle image) takes no timer interrupts. A woken
 * thread of higher priority preempts at once.
 */
#include <mica/sched_policy.h>

#define SLICE_NS ((uint64_t)CONFIG_LIB_SCHED_PREEMPT_SLICE_US * 1000)

static struct mica_list prio_queue[MICA_PRIO_MAX + 1];
static uint32_t prio_ready; /* bit p: prio_queue[p] is not empty */

_Static_assert(MICA_PRIO_MAX < 32, "prio_ready is 32 bits");

static struct mica_list *queue(int prio)
{
	struct mica_list *q = &prio_queue[prio];

	if (mica_unlikely(!q->next))
		mica_list_init(q);
	return q;
}

static void preempt_enqueue(struct mica_thread *t)
{
	mica_list_add_tail(&t->node, queue(t->prio));
	prio_ready |= 1U << t->prio;
}

static void preempt_dequeue(struct mica_thread *t)
{
	mica_list_del_init(&t->node);
	if (mica_list_empty(queue(t->prio)))
		prio_ready &= ~(1U << t->prio);
}

static struct mica_thread *preempt_pick_next(void)
{
	struct mica_thread *t;

	if (!prio_ready)
		return NULL;
	t = mica_list_first_entry(queue(31 - __builtin_clz(prio_ready)),
				  struct mica_thread, node);
	preempt_dequeue(t);
	return t;
}

static int preempt_preempts(const struct mica_thread *running,
			    const struct mica_thread *woken)
{
	return woken->prio > running->prio;
}

static int preempt_has_peer(const struct mica_thread *running)
{
	return (prio_ready >> running->prio) & 1;
}

const struct mica_sched_policy mica_sched_policy = {
	.name = "preempt",
	.enqueue = preempt_enqueue,
	.dequeue = preempt_dequeue,
	.pick_next = preempt_pick_next,
	.preempts = preempt_preempts,
	.slice_ns = SLICE_NS,
	.has_peer = preempt_has_peer,
};
