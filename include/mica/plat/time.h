/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform interface: time. A monotonic clock in nanoseconds, the wall
 * clock, and one one-shot timer interrupt.
 *
 * The clock is brought up on first use (calibration, device setup), so an
 * image that never asks for the time pays nothing for it. Every function
 * here may be called with interrupts masked.
 */
#ifndef MICA_PLAT_TIME_H
#define MICA_PLAT_TIME_H

#include <stdint.h>

#define MICA_NSEC_PER_USEC 1000ULL
#define MICA_NSEC_PER_MSEC 1000000ULL
#define MICA_NSEC_PER_SEC  1000000000ULL

/* Nanoseconds since a point during boot; never goes backwards. */
uint64_t mica_plat_monotonic_ns(void);

/*
 * Nanoseconds since 1970-01-01 00:00 UTC: the wall clock read at boot
 * (RTC, hypervisor, host) advanced by the monotonic clock.
 */
int64_t mica_plat_wall_ns(void);

/*
 * The timer handler runs in interrupt context, interrupts masked, after
 * the interrupt has been acknowledged (so it may switch threads). One
 * handler per image; NULL removes it. Setting a handler brings the clock
 * and the timer up.
 */
typedef void (*mica_plat_timer_fn)(void);
void mica_plat_timer_set_handler(mica_plat_timer_fn fn);

/*
 * Arm the one-shot timer for an absolute monotonic deadline, replacing
 * any armed deadline. A deadline already past fires as soon as
 * interrupts are unmasked. The interrupt never comes before the deadline.
 */
void mica_plat_timer_arm(uint64_t deadline_ns);
void mica_plat_timer_disarm(void);

#endif /* MICA_PLAT_TIME_H */
