/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the platforms: the one-shot timer of mica/plat/time.h is
 * plat/common/timer.c (the handler, the armed deadline, the rule that
 * the handler never runs early) over what each platform provides below:
 * its clock and its timer hardware.
 */
#ifndef MICA_PLAT_TIMER_H
#define MICA_PLAT_TIMER_H

#include <stdint.h>
#include <mica/plat/time.h>

/* --- Provided by the platform ---------------------------------------- */

/*
 * Bring the clock and the timer up if they are not yet; idempotent
 * (mica_plat_once(), <mica/plat/once.h>).
 */
void mica_plat_time_up(void);

/*
 * Make the timer interrupt come at monotonic deadline_ns or later (at
 * once for a deadline already past), replacing any earlier setting; it
 * may come early (rounding, a range the hardware cannot count): the
 * interrupt hands that to mica_plat_timer_due(). Interrupts masked.
 */
void mica_plat_timer_program(uint64_t deadline_ns);

/* Stop the timer. An interrupt already on its way is dropped later. */
void mica_plat_timer_stop(void);

/* --- Provided by plat/common/timer.c --------------------------------- */

/*
 * From the platform's timer interrupt, masked, with the clock's now:
 * 1 when the armed deadline has come (the timer is disarmed; the caller
 * then runs mica_plat_timer_fire(), last, since the handler may switch
 * threads); 0 for an interrupt that is stale (disarmed) or early (the
 * timer is programmed again for the deadline).
 */
int mica_plat_timer_due(uint64_t now);

/* Run the handler set with mica_plat_timer_set_handler(), if any. */
void mica_plat_timer_fire(void);

#endif /* MICA_PLAT_TIMER_H */
