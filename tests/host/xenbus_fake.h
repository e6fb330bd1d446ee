/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A fake xenstored for host tests of drivers/xen/xenbus: a store of up to
 * FAKE_NODES nodes, watches and transactions, answering on a real
 * struct xenstore_domain_interface in this process. It also stands in
 * for the layer below xenbus.c (xenbus_plat.h): xenstored runs whenever
 * the client waits, one millisecond of a fake clock passes per wait, and
 * the lock is a flag.
 *
 * Tests steer it through the knobs below to misbehave.
 */
#ifndef XENBUS_FAKE_H
#define XENBUS_FAKE_H

#include <stdint.h>
#include <xen/io/xs_wire.h>

#define FAKE_DOMID "7"

extern struct xenstore_domain_interface fake_intf;

/* Knobs, reset by fake_reset(). */
extern int fake_open_rc;    /* what xenbus_plat_open returns */
extern uint32_t fake_chunk; /* most reply bytes per step; 0: no limit */
extern unsigned int fake_tx_conflicts; /* commits to answer EAGAIN */
extern int fake_stalled;	       /* xenstored does nothing at all */
extern int fake_quiet;		       /* mica_log prints nothing */
/*
 * Sees each request before the store does; returns 1 when it answered
 * (or chose not to answer) itself.
 */
extern int (*fake_hook)(const struct xsd_sockmsg *req, const char *payload);

/* What happened. */
extern uint64_t fake_now;	    /* the clock, in ns */
extern unsigned int fake_requests;  /* requests taken */
extern unsigned int fake_log_count; /* mica_log lines at warning+ */
extern char fake_last_log[256];	    /* the last of them */

/*
 * Empty the store (but for "domid"), drop watches and transactions,
 * reset the knobs and put all four ring indices at start (tests choose
 * values near 2^32 to cross the wrap), then reconnect the client.
 */
void fake_reset(uint32_t start);

/* Let xenstored run once: take requests, answer, push replies. */
void fake_step(void);

/* Queue a reply or any bytes at all for the response ring. */
void fake_send(uint32_t type, uint32_t req_id, uint32_t tx_id,
	       const void *payload, uint32_t len);
void fake_send_raw(const void *bytes, uint32_t len);

/* Fire a watch event as xenstored would after a change of path. */
void fake_fire(const char *path);

#endif /* XENBUS_FAKE_H */
