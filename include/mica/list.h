/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intrusive doubly linked lists with a sentinel head. An empty list (or an
 * unlinked node, after mica_list_del_init) points to itself.
 */
#ifndef MICA_LIST_H
#define MICA_LIST_H

#include <stddef.h>
#include <mica/compiler.h>

struct mica_list {
	struct mica_list *next, *prev;
};

#define MICA_LIST_INIT(name)     \
	{                        \
		&(name), &(name) \
	}

static inline void mica_list_init(struct mica_list *l)
{
	l->next = l;
	l->prev = l;
}

static inline int mica_list_empty(const struct mica_list *l)
{
	return l->next == l;
}

static inline void mica_list_insert_(struct mica_list *n,
				     struct mica_list *prev,
				     struct mica_list *next)
{
	n->next = next;
	n->prev = prev;
	prev->next = n;
	next->prev = n;
}

/* Add n at the end (before the head). */
static inline void mica_list_add_tail(struct mica_list *n,
				      struct mica_list *head)
{
	mica_list_insert_(n, head->prev, head);
}

/* Add n at the front. */
static inline void mica_list_add(struct mica_list *n, struct mica_list *head)
{
	mica_list_insert_(n, head, head->next);
}

/* Insert n before pos. */
static inline void mica_list_add_before(struct mica_list *n,
					struct mica_list *pos)
{
	mica_list_insert_(n, pos->prev, pos);
}

static inline void mica_list_del_init(struct mica_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	mica_list_init(n);
}

#define mica_list_entry(ptr, type, member) mica_container_of(ptr, type, member)

#define mica_list_first_entry(head, type, member) \
	mica_list_entry((head)->next, type, member)

#define mica_list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Safe against removal of pos. */
#define mica_list_for_each_safe(pos, tmp, head)                          \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

#endif /* MICA_LIST_H */
