/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the xenstore client (xenbus.c) needs from below, and what the
 * layer below needs from the Xen platform.
 *
 * xenbus.c is pure protocol and bookkeeping. It reaches the machine only
 * through the xenbus_plat_* functions of part 1, which the image gets
 * from xenbus_plat.c (the ring page, the event channel) and one of
 * wait_sched.c / wait_idle.c (how to lock and block; chosen by
 * Makefile.uk), and host tests get from a fake xenstored
 * (tests/host/xenbus_fake.c).
 *
 * Part 2 is what xenbus_plat.c needs from plat/xen.
 */
#ifndef XENBUS_PLAT_H
#define XENBUS_PLAT_H

#include <stdint.h>
#include <xen/io/xs_wire.h>

/* --- 1. Below xenbus.c ------------------------------------------------ */

/*
 * Find and map the xenstore page. 0 and *intf, -ENODEV when this domain
 * has no xenstore (dom0, or no store page given), another negative errno
 * when the platform cannot provide it. Called once, at connect.
 */
int xenbus_plat_open(struct xenstore_domain_interface **intf);

/* Tell xenstored the rings moved (the store's event channel). */
void xenbus_plat_notify(void);

/*
 * Events. A sequence number counts "something may have changed": the
 * store's event channel fired, or a thread delivered watch events.
 * Snapshot it with xenbus_plat_seq() *before* checking the rings, then
 * xenbus_plat_wait(seq, deadline) returns once it differs from the
 * snapshot (0) or at the monotonic deadline (-ETIMEDOUT; 0 means none).
 * It may return early (polling): callers re-check and wait again.
 */
uint32_t xenbus_plat_seq(void);
int xenbus_plat_wait(uint32_t seq, uint64_t deadline_ns);
/* Bump the sequence number and wake every waiter. Any context. */
void xenbus_plat_kick(void);

/*
 * The one xenbus lock around the rings and the client's state: a
 * sleeping lock under a scheduler, nothing more than a flag without.
 * Not recursive.
 */
void xenbus_plat_lock(void);
void xenbus_plat_unlock(void);

/* Who is calling: an opaque thread identity (NULL before threads run). */
const void *xenbus_plat_self(void);

/* Implemented by xenbus.c: (re)connect to the page xenbus_plat_open gives. */
int xenbus_connect(void);

/* --- Between xenbus_plat.c and wait_sched.c / wait_idle.c ------------- */

/* Block until the sequence number moves from seq, or the deadline. */
int xenbus_wait_block(uint32_t seq, uint64_t deadline_ns);
/* The same with one flow of control: idle, the timer set for the deadline. */
int xenbus_idle_wait(uint32_t seq, uint64_t deadline_ns);
/* One step of a polling loop: yield to other threads (if any). */
void xenbus_wait_pause(void);

/*
 * --- 2. What plat/xen provides: typed hypercalls (<mica/xen/hypercall.h>),
 * event channels (<mica/xen/evtchn.h>: mica_xen_evtchn_bind for the
 * store's channel) and the identity map of the low 4 GiB that
 * plat/common/x86 sets up (the store page sits just below 4 GiB).
 */

#endif /* XENBUS_PLAT_H */
