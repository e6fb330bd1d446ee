/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cooperative round robin: one FIFO of runnable threads. Nothing preempts
 * a running thread; priorities are kept but not used.
 */
#include <mica/sched_policy.h>

static struct mica_list coop_queue = MICA_LIST_INIT(coop_queue);

static void coop_enqueue(struct mica_thread *t)
{
	mica_list_add_tail(&t->node, &coop_queue);
}

static void coop_dequeue(struct mica_thread *t)
{
	mica_list_del_init(&t->node);
}

static struct mica_thread *coop_pick_next(void)
{
	struct mica_thread *t;

	if (mica_list_empty(&coop_queue))
		return NULL;
	t = mica_list_first_entry(&coop_queue, struct mica_thread, node);
	mica_list_del_init(&t->node);
	return t;
}

static int coop_preempts(const struct mica_thread *running,
			 const struct mica_thread *woken)
{
	(void)running;
	(void)woken;
	return 0;
}

const struct mica_sched_policy mica_sched_policy = {
	.name = "coop",
	.enqueue = coop_enqueue,
	.dequeue = coop_dequeue,
	.pick_next = coop_pick_next,
	.preempts = coop_preempts,
};
