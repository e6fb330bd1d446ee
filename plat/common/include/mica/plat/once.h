/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the platforms: a service brought up on first use (the clock,
 * Xen's event channels and grant tables).
 */
#ifndef MICA_PLAT_ONCE_H
#define MICA_PLAT_ONCE_H

#include <mica/compiler.h>
#include <mica/plat/lcpu.h>

/*
 * *state is 0 (not tried yet), 1 (up) or a negative errno (failed; not
 * tried again). The first caller runs up() with interrupts masked and
 * stores what it returns; later callers pay one load. up() may set
 * *state to 1 itself before it is done, when something it calls uses
 * the service (a log line that reads the clock). Returns 0 or the
 * errno.
 */
static inline int mica_plat_once(int *state, int (*up)(void))
{
	unsigned long flags;

	if (mica_likely(*state == 1))
		return 0;
	flags = mica_plat_irq_save();
	if (*state == 0)
		*state = up();
	mica_plat_irq_restore(flags);
	return *state == 1 ? 0 : *state;
}

#endif /* MICA_PLAT_ONCE_H */
