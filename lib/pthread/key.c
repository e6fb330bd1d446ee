/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread-specific data. The values live in thread-local storage: every
 * thread has an array of PTHREAD_KEYS_MAX of them, and the key is the
 * index. A key slot has a generation, bumped each time it is handed out;
 * a thread's value counts only if it was set under the key's current
 * generation, so a new key never sees a value left under a deleted one
 * in any thread (POSIX: a new key reads NULL everywhere).
 */
#include <errno.h>
#include <pthread.h>
#include <mica/plat/lcpu.h>
#include "pthread_priv.h"

struct key_slot {
	unsigned int gen; /* 0: never used */
	int used;
	void (*destructor)(void *);
};

static struct key_slot keys[PTHREAD_KEYS_MAX];

/* Zeroed in every new thread: generation 0 matches no key. */
static __thread void *key_value[PTHREAD_KEYS_MAX];
static __thread unsigned int key_gen[PTHREAD_KEYS_MAX];

/*
 * At thread exit: hand each value to its key's destructor, having set it
 * to NULL first. Destructors may set values again, hence the rounds.
 */
static void keys_exit(void)
{
	int round, again = 1;
	unsigned int k;

	for (round = 0; again && round < PTHREAD_DESTRUCTOR_ITERATIONS;
	     round++) {
		again = 0;
		for (k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void (*destructor)(void *) = NULL;
			unsigned long flags = mica_plat_irq_save();
			void *v = key_value[k];

			/* Read the slot as one: a key may be deleted. */
			if (v && keys[k].used && key_gen[k] == keys[k].gen)
				destructor = keys[k].destructor;
			mica_plat_irq_restore(flags);
			if (!destructor)
				continue;
			key_value[k] = NULL;
			destructor(v);
			again = 1;
		}
	}
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	unsigned long flags = mica_plat_irq_save();
	unsigned int k;

	for (k = 0; k < PTHREAD_KEYS_MAX; k++) {
		if (!keys[k].used)
			break;
	}
	if (k == PTHREAD_KEYS_MAX) {
		mica_plat_irq_restore(flags);
		return EAGAIN;
	}
	if (++keys[k].gen == 0) /* after 2^32 creations of one slot */
		keys[k].gen = 1;
	keys[k].used = 1;
	keys[k].destructor = destructor;
	pth_keys_exit = keys_exit;
	mica_plat_irq_restore(flags);
	*key = k;
	return 0;
}

int pthread_key_delete(pthread_key_t key)
{
	unsigned long flags = mica_plat_irq_save();
	int rc = 0;

	if (key < PTHREAD_KEYS_MAX && keys[key].used)
		keys[key].used = 0;
	else
		rc = EINVAL;
	mica_plat_irq_restore(flags);
	return rc;
}

void *pthread_getspecific(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX || key_gen[key] != keys[key].gen)
		return NULL;
	return key_value[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	key_gen[key] = keys[key].gen;
	/* The cast is POSIX's: values are stored as void *. */
	key_value[key] = (void *)value;
	return 0;
}
