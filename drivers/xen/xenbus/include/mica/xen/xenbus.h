/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xenbus: the xenstore client of a Xen guest, and the frontend/backend
 * state helpers split drivers (netfront, blkfront, ...) are built on.
 *
 * Paths are xenstore paths (Xen docs/misc/xenstore.txt): absolute
 * ("/local/domain/0/backend/vif/3/0") or relative to this domain's home,
 * /local/domain/<domid> ("device/vif/0"). Values are byte strings; reads
 * add a NUL after them for the caller's convenience.
 *
 * Every function blocks until xenstored answers: on the calling thread's
 * wait queue when a scheduler runs, otherwise by idling (or polling, see
 * the README) the CPU. None may be called from interrupt context. Calls
 * from several threads are serialised: one request is in flight at a time.
 * Each request gives up after CONFIG_XEN_XENBUS_TIMEOUT_MS with
 * -ETIMEDOUT.
 *
 * Errors are negative errno values: those xenstored sends (-ENOENT,
 * -EACCES, -EEXIST, -EINVAL, -EAGAIN, -ENOSPC, ...), plus
 *   -E2BIG      a request or a reply does not fit (payload over 4096
 *               bytes, a caller's buffer too small);
 *   -EIO        a malformed reply, or a connection that is no longer
 *               usable (corrupt ring indices, an oversized message);
 *   -ENODEV     no xenstore (a domain without one, such as dom0, or
 *               before xenbus has connected at boot);
 *   -ETIMEDOUT  no reply in time.
 */
#ifndef MICA_XEN_XENBUS_H
#define MICA_XEN_XENBUS_H

#include <stddef.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/list.h>
#include <xen/io/xenbus.h>

/* The "transaction" argument of requests made outside any transaction. */
#define MICA_XENBUS_TX_NONE 0U

/* Longest path the state helpers build from a device directory. */
#define MICA_XENBUS_STATE_PATH_MAX 256

/* For mica_xenbus_state_wait's mask. */
#define MICA_XENBUS_STATE_BIT(s) (1U << (s))

/*
 * Read path's value into buf, followed by a NUL. Returns the value's
 * length (without the NUL); -E2BIG when buf cannot hold it and the NUL.
 */
int mica_xenbus_read(uint32_t tx, const char *path, char *buf, size_t size);

/* Read an unsigned decimal value (a port, a grant reference, an id). */
int mica_xenbus_read_uint(uint32_t tx, const char *path, unsigned int *val);

/* Write a string (without its NUL), creating missing parents. */
int mica_xenbus_write(uint32_t tx, const char *path, const char *value);

/* Write a formatted value of at most 127 bytes (-E2BIG beyond). */
int mica_xenbus_printf(uint32_t tx, const char *path, const char *fmt, ...)
	__mica_printf(3, 4);

/* Create path (and parents) with empty values; existing nodes are kept. */
int mica_xenbus_mkdir(uint32_t tx, const char *path);

/* Remove path and everything below it. */
int mica_xenbus_rm(uint32_t tx, const char *path);

/*
 * List path's children. The reply is copied into buf and split there:
 * names[i] point into buf. Returns the number of children; -E2BIG when
 * the reply does not fit buf or there are more than max children.
 */
int mica_xenbus_directory(uint32_t tx, const char *path, char *buf, size_t size,
			  const char **names, unsigned int max);

/*
 * Transactions: reads and writes that pass *tx see, and change, a
 * private copy of the store until mica_xenbus_tx_end(tx, 1) commits it.
 * A commit fails with -EAGAIN when another writer got in between: then
 * start again from mica_xenbus_tx_start, re-reading what was read:
 *
 *	do {
 *		if ((rc = mica_xenbus_tx_start(&tx)) < 0)
 *			return rc;
 *		rc = ...reads and writes with tx...;
 *		end = mica_xenbus_tx_end(tx, rc == 0);
 *	} while (rc == 0 && end == -EAGAIN);
 *
 * mica_xenbus_tx_end(tx, 0) abandons the transaction; either way tx is
 * no longer valid afterwards.
 */
int mica_xenbus_tx_start(uint32_t *tx);
int mica_xenbus_tx_end(uint32_t tx, int commit);

/*
 * Watches. xenstored reports a change to path or anything below it (and,
 * once, the registration itself) with the event's path. fn runs in
 * thread context, never in an interrupt: inside any xenbus call of any
 * thread, after that call's own request is done, or in
 * mica_xenbus_poll(). It may make xenbus calls itself (the watch events
 * they meet are delivered after fn returns) but should not block for
 * long, as other watches wait for it.
 *
 * Events are queued while a request is in flight; if the queue
 * overflows, each watch is called once with its own path instead of the
 * events lost (xenstore allows spurious events, so a callback must
 * re-read what it cares about anyway).
 */
struct mica_xenbus_watch;
typedef void (*mica_xenbus_watch_fn)(struct mica_xenbus_watch *w,
				     const char *path);

struct mica_xenbus_watch {
	const char *path;	 /* set by the caller, kept while registered */
	mica_xenbus_watch_fn fn; /* set by the caller */
	void *arg;		 /* for the caller */
	/* Private to xenbus. */
	struct mica_list node;
	int pending;	/* to be called with its own path (lost events) */
	char token[24]; /* the XS_WATCH token, unique per registration */
};

/* Register w (path and fn set) with xenstored. */
int mica_xenbus_watch_add(struct mica_xenbus_watch *w);

/*
 * Unregister w. Once this returns, w->fn is not running and will not
 * run again (unless called from w->fn itself, where w->fn just returns
 * as usual), so w may be freed.
 */
int mica_xenbus_watch_remove(struct mica_xenbus_watch *w);

/* Deliver watch events that have arrived, without blocking. */
void mica_xenbus_poll(void);

/*
 * Block until at least one watch callback has run (in this call or in
 * another thread), or timeout_ns has passed (0: no limit): 0 or
 * -ETIMEDOUT. For single-threaded images that wait for watches.
 */
int mica_xenbus_wait_event(uint64_t timeout_ns);

/*
 * Frontend/backend state (xen/io/xenbus.h) in "<dir>/state". A missing
 * node reads as XenbusStateUnknown.
 */
int mica_xenbus_state_read(const char *dir, XenbusState *state);

/*
 * Set "<dir>/state", in a transaction that leaves it alone if it
 * already holds state (no watch fires needlessly) and fails with -ENODEV
 * if the node is gone (the device was unplugged).
 */
int mica_xenbus_state_switch(const char *dir, XenbusState state);

/*
 * Wait until "<dir>/state" holds a state in mask
 * (MICA_XENBUS_STATE_BIT(XenbusStateConnected) | ...), using a watch on
 * it. Returns 0 and the state in *state (if state is not NULL), or
 * -ETIMEDOUT after timeout_ns (0: no limit; the per-request timeout
 * still applies to each read).
 */
int mica_xenbus_state_wait(const char *dir, unsigned int mask,
			   XenbusState *state, uint64_t timeout_ns);

/* "Connected", "Closing", ...: for messages. */
const char *mica_xenbus_state_name(XenbusState state);

#endif /* MICA_XEN_XENBUS_H */
