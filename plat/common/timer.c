/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one-shot timer of mica/plat/time.h, the same on every platform:
 * one deadline, armed or not, and one handler. The platform programs
 * its hardware (mica/plat/timer.h); what arrives early or after a
 * disarm is caught here, so the handler never runs before its deadline
 * nor for a timer that is off.
 */
#include <stdint.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/timer.h>

static mica_plat_timer_fn timer_handler;
static uint64_t timer_deadline;
static int timer_armed;

void mica_plat_timer_set_handler(mica_plat_timer_fn fn)
{
	mica_plat_time_up();
	timer_handler = fn;
}

void mica_plat_timer_arm(uint64_t deadline_ns)
{
	unsigned long flags;

	mica_plat_time_up();
	flags = mica_plat_irq_save();
	timer_deadline = deadline_ns;
	timer_armed = 1;
	mica_plat_timer_program(deadline_ns);
	mica_plat_irq_restore(flags);
}

void mica_plat_timer_disarm(void)
{
	unsigned long flags;

	mica_plat_time_up();
	flags = mica_plat_irq_save();
	timer_armed = 0;
	mica_plat_timer_stop();
	mica_plat_irq_restore(flags);
}

int mica_plat_timer_due(uint64_t now)
{
	if (!timer_armed)
		return 0;
	if (now < timer_deadline) {
		mica_plat_timer_program(timer_deadline);
		return 0;
	}
	timer_armed = 0;
	return 1;
}

void mica_plat_timer_fire(void)
{
	if (timer_handler)
		timer_handler();
}
