/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sleeping in an image without a scheduler.
 *
 * mica_sleep_ns() is weak: with a scheduler, lib/sched's definition
 * replaces this one at link time, and it blocks only the calling thread
 * while others run. This one is for the single-threaded image: the CPU
 * waits for the timer interrupt with nothing else to do.
 */
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include "sleep.h"

/* Set by the timer interrupt, cleared when the timer is armed again. */
static volatile int timer_fired;
static int handler_set;

static void sleep_timer(void)
{
	timer_fired = 1;
}

__mica_weak void mica_sleep_ns(uint64_t ns)
{
	uint64_t now = mica_plat_monotonic_ns();
	uint64_t deadline = now + ns;
	unsigned long flags;

	if (deadline < now)
		deadline = UINT64_MAX;

	/*
	 * Interrupts stay masked between the clock check and the wait:
	 * mica_plat_idle() unmasks and waits as one step, so a timer
	 * interrupt that comes in between is not lost. Another interrupt
	 * may end the wait early; the armed deadline still stands then, so
	 * the timer is armed again only after it has fired.
	 */
	flags = mica_plat_irq_save();
	if (!handler_set) {
		mica_plat_timer_set_handler(sleep_timer);
		handler_set = 1;
	}
	timer_fired = 1;
	while (mica_plat_monotonic_ns() < deadline) {
		if (timer_fired) {
			timer_fired = 0;
			mica_plat_timer_arm(deadline);
		}
		mica_plat_idle();
	}
	mica_plat_timer_disarm();
	mica_plat_irq_restore(flags);
}
