/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The xenstore client. One request is in flight at a time, under the
 * xenbus lock: its sender frames it into the request ring, then pumps
 * the response ring until the message with its req_id is complete.
 * Watch events met on the way are queued; replies nobody waits for
 * (a request that timed out, a confused xenstored) are dropped. After
 * the lock is released, queued events are delivered to their watches.
 *
 * A connection whose ring indices go corrupt, or whose peer announces a
 * message longer than the protocol allows, cannot be trusted to stay in
 * step again: it is marked broken and every later call fails with -EIO.
 * (Xen's ring reconnection feature could reset it; not done yet.)
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <mica/log.h>
#include <mica/print.h>
#include <mica/plat/time.h>
#include <mica/xen/xenbus.h>
#include "xenbus_plat.h"
#include "xs_proto.h"

/* Queued watch events: records of a uint32_t length and the payload. */
#define XB_EVENT_QUEUE_SIZE 4096 /* a power of two */
/* mica_xenbus_state_switch gives up after this many -EAGAIN commits. */
#define XB_TX_RETRIES	    16

struct xb_state {
	struct xenstore_domain_interface *intf; /* NULL: not connected */
	struct mica_xen_ring req, rsp;
	int broken;
	uint32_t req_id; /* of the request in flight; 0: none */
	uint32_t last_req_id;
	uint32_t last_watch_id;
	struct xs_out out;
	struct xs_in in;

	struct mica_xen_ring events;
	uint32_t events_prod, events_cons;
	int events_lost;
	char events_data[XB_EVENT_QUEUE_SIZE];

	/* Delivery: one thread at a time, and which watch it is calling. */
	int dispatching;
	unsigned int delivered; /* callbacks run, ever */
	const void *dispatcher;
	struct mica_xenbus_watch *calling;
	char event[XENSTORE_PAYLOAD_MAX + 1];
};

static struct xb_state xb; /* in .bss: 16 KiB of buffers */
static struct mica_list xb_watches = MICA_LIST_INIT(xb_watches);

typedef int (*xb_reply_fn)(const struct xs_in *in, void *arg);

/* --- connection ------------------------------------------------------- */

static uint64_t xb_deadline(uint64_t timeout_ns)
{
	return timeout_ns ? mica_plat_monotonic_ns() + timeout_ns : 0;
}

static uint32_t xb_load(const uint32_t *field)
{
	return __atomic_load_n(field, __ATOMIC_RELAXED);
}

/*
 * A server offering the reconnection feature may be resetting the ring
 * when we arrive: then every other field is meaningless until it sets
 * the connection state back (Xen docs/misc/xenstore-ring.txt).
 */
static int xb_wait_connected(struct xenstore_domain_interface *intf)
{
	uint64_t deadline =
		xb_deadline(CONFIG_XEN_XENBUS_TIMEOUT_MS * MICA_NSEC_PER_MSEC);
	uint32_t seq;

	if (!(xb_load(&intf->server_features) &
	      XENSTORE_SERVER_FEATURE_RECONNECTION))
		return 0;
	for (;;) {
		seq = xenbus_plat_seq();
		if (xb_load(&intf->connection) == XENSTORE_CONNECTED)
			return 0;
		if (xenbus_plat_wait(seq, deadline) == -ETIMEDOUT)
			return -ETIMEDOUT;
	}
}

int xenbus_connect(void)
{
	struct xenstore_domain_interface *intf;
	int rc;

	xenbus_plat_lock();
	xb.intf = NULL;
	xb.broken = 0;
	xb.req_id = xb.last_req_id = 0;
	xb.out.len = xb.out.sent = 0;
	xs_in_reset(&xb.in);
	/*
	 * A new connection has no watches in xenstored, so none here: after
	 * a reconnect (the host tests; resume, one day) their owners must
	 * add them again.
	 */
	mica_list_init(&xb_watches);
	xb.events_prod = xb.events_cons = 0;
	xb.events_lost = 0;
	xb.events =
		MICA_XEN_RING(xb.events_data, &xb.events_prod, &xb.events_cons);
	rc = xenbus_plat_open(&intf);
	if (rc == 0)
		rc = xb_wait_connected(intf);
	if (rc == 0) {
		xb.req = MICA_XEN_RING(intf->req, &intf->req_prod,
				       &intf->req_cons);
		xb.rsp = MICA_XEN_RING(intf->rsp, &intf->rsp_prod,
				       &intf->rsp_cons);
		if (mica_xen_ring_writable(&xb.req) < 0 ||
		    mica_xen_ring_readable(&xb.rsp) < 0) {
			mica_pr_err("xenstore ring indices are corrupt");
			rc = -EIO;
		} else {
			xb.intf = intf;
		}
	}
	xenbus_plat_unlock();
	return rc;
}

/* With the lock held: 0 if requests can be made, else why not. */
static int xb_usable(void)
{
	if (!xb.intf)
		return -ENODEV;
	return xb.broken ? -EIO : 0;
}

static int xb_break(int err, const char *why)
{
	if (!xb.broken)
		mica_pr_err("xenstore connection unusable: %s (error %d)", why,
			    -err);
	xb.broken = 1;
	return -EIO;
}

/* --- receiving ---------------------------------------------------------- */

static void xb_queue_event(const struct xs_in *in)
{
	const char *path, *token;
	uint32_t len = in->hdr.len;
	int space;

	if (xs_parse_event(in->body, len, &path, &token) < 0) {
		mica_pr_warn("dropping a malformed watch event (%u bytes)",
			     len);
		return;
	}
	space = mica_xen_ring_writable(&xb.events);
	if (space < 0 || (uint32_t)space < sizeof(len) + len) {
		if (!xb.events_lost)
			mica_pr_warn("watch events lost: queue full");
		xb.events_lost = 1;
		return;
	}
	mica_xen_ring_write(&xb.events, &len, sizeof(len));
	mica_xen_ring_write(&xb.events, in->body, len);
}

/* A complete message: 1 if it answers the request in flight. */
static int xb_take(const struct xs_in *in)
{
	if (in->hdr.type == XS_WATCH_EVENT) {
		xb_queue_event(in);
		return 0;
	}
	/* (A reply before the whole request was sent would be bogus.) */
	if (xb.req_id && in->hdr.req_id == xb.req_id && xs_out_done(&xb.out))
		return 1;
	mica_pr_warn("dropping a reply to no request: type %u, req_id %u",
		     in->hdr.type, in->hdr.req_id);
	return 0;
}

/*
 * Move bytes both ways: what is left of the request in flight, and
 * every message waiting in the response ring, up to the reply to that
 * request. Returns 1 when the reply is in xb.in, 0 when more must come,
 * -EIO when the connection broke. With the lock held.
 */
static int xb_pump(void)
{
	uint32_t moved;
	int rc, notify = 0;

	if (!xs_out_done(&xb.out)) {
		rc = xs_out_push(&xb.out, &xb.req);
		if (rc < 0)
			return xb_break(rc, "corrupt request ring");
		notify = rc > 0;
	}
	for (;;) {
		rc = xs_in_pump(&xb.in, &xb.rsp, &moved);
		notify |= moved > 0;
		if (rc <= 0 || xb_take(&xb.in))
			break;
		xs_in_reset(&xb.in);
	}
	if (notify)
		xenbus_plat_notify();
	if (rc == -EMSGSIZE)
		return xb_break(rc, "oversized message from xenstored");
	if (rc < 0)
		return xb_break(rc, "corrupt response ring");
	return rc;
}

/* --- delivering watch events ------------------------------------------ */

/* Call w->fn without the lock; the lock is held again on return. */
static void xb_call(struct mica_xenbus_watch *w, const char *path)
{
	xb.calling = w;
	xenbus_plat_unlock();
	w->fn(w, path);
	xenbus_plat_lock();
	xb.calling = NULL;
	xb.delivered++;
	/* Wake mica_xenbus_wait_event and mica_xenbus_watch_remove. */
	xenbus_plat_kick();
}

static struct mica_xenbus_watch *xb_find(const char *token)
{
	struct mica_list *pos;
	struct mica_xenbus_watch *w;

	mica_list_for_each(pos, &xb_watches)
	{
		w = mica_list_entry(pos, struct mica_xenbus_watch, node);
		if (!strcmp(w->token, token))
			return w;
	}
	return NULL;
}

static struct mica_xenbus_watch *xb_find_pending(void)
{
	struct mica_list *pos;
	struct mica_xenbus_watch *w;

	mica_list_for_each(pos, &xb_watches)
	{
		w = mica_list_entry(pos, struct mica_xenbus_watch, node);
		if (w->pending)
			return w;
	}
	return NULL;
}

/* The next queued event into xb.event; 0 or -ENOENT when none. */
static int xb_pop_event(const char **path, const char **token)
{
	uint32_t len;

	if (mica_xen_ring_read(&xb.events, &len, sizeof(len)) != sizeof(len) ||
	    len > XENSTORE_PAYLOAD_MAX ||
	    mica_xen_ring_read(&xb.events, xb.event, len) != (int)len) {
		xb.events_cons = xb.events_prod; /* empty (or a bug) */
		return -ENOENT;
	}
	xb.event[len] = '\0';
	return xs_parse_event(xb.event, len, path, token);
}

/*
 * Deliver queued events, outside any request. Only one thread delivers
 * at a time; a callback's own xenbus calls return here without
 * delivering, and the loop below picks up what they queued.
 */
static void xb_dispatch(void)
{
	struct mica_xenbus_watch *w;
	const char *path, *token;
	struct mica_list *pos;

	xenbus_plat_lock();
	if (xb.dispatching) {
		xenbus_plat_unlock();
		return;
	}
	xb.dispatching = 1;
	xb.dispatcher = xenbus_plat_self();
	for (;;) {
		if (xb.events_lost) {
			/* Drop the queue: each watch is called once instead. */
			xb.events_lost = 0;
			xb.events_cons = xb.events_prod;
			mica_list_for_each(pos, &xb_watches)
			{
				w = mica_list_entry(
					pos, struct mica_xenbus_watch, node);
				w->pending = 1;
			}
		}
		w = xb_find_pending();
		if (w) {
			w->pending = 0;
			xb_call(w, w->path);
			continue;
		}
		if (xb_pop_event(&path, &token) < 0)
			break;
		w = xb_find(token);
		if (w)
			xb_call(w, path);
	}
	xb.dispatching = 0;
	xb.dispatcher = NULL;
	xenbus_plat_unlock();
}

void mica_xenbus_poll(void)
{
	xenbus_plat_lock();
	if (xb_usable() == 0)
		xb_pump();
	xenbus_plat_unlock();
	xb_dispatch();
}

int mica_xenbus_wait_event(uint64_t timeout_ns)
{
	uint64_t deadline = xb_deadline(timeout_ns);
	unsigned int before;
	uint32_t seq;
	int rc;

	xenbus_plat_lock();
	before = xb.delivered;
	rc = xb_usable();
	xenbus_plat_unlock();
	while (rc == 0) {
		seq = xenbus_plat_seq();
		mica_xenbus_poll();
		xenbus_plat_lock();
		rc = xb_usable();
		if (rc == 0 && xb.delivered != before)
			rc = 1;
		xenbus_plat_unlock();
		if (rc == 0 && xenbus_plat_wait(seq, deadline) == -ETIMEDOUT)
			rc = -ETIMEDOUT;
	}
	return rc < 0 ? rc : 0;
}

/* --- requests ------------------------------------------------------- */

static int xb_timed_out(void)
{
	struct xenstore_domain_interface *intf = xb.intf;

	if ((xb_load(&intf->server_features) & XENSTORE_SERVER_FEATURE_ERROR) &&
	    xb_load(&intf->error) != XENSTORE_ERROR_NONE)
		return xb_break(-EIO, "xenstored reported an error");
	/* Half a request in the ring would garble the next one. */
	if (!xs_out_done(&xb.out))
		return xb_break(-ETIMEDOUT, "xenstored stopped reading");
	return -ETIMEDOUT;
}

static int xb_reply(uint32_t type, xb_reply_fn fn, void *arg)
{
	const struct xs_in *in = &xb.in;

	if (in->hdr.type == XS_ERROR)
		return xs_parse_error(in->body, in->hdr.len);
	if (in->hdr.type != type) {
		mica_pr_warn("reply of type %u to a request of type %u",
			     in->hdr.type, type);
		return -EIO;
	}
	return fn ? fn(in, arg) : 0;
}

/*
 * Send one request and wait for its reply, which fn (if not NULL)
 * parses while the lock is held. Returns fn's result or an error.
 */
static int xb_request(uint32_t type, uint32_t tx, const struct xs_part *parts,
		      unsigned int n, xb_reply_fn fn, void *arg)
{
	uint64_t deadline;
	uint32_t seq;
	int rc;

	xenbus_plat_lock();
	/* (From now: time spent waiting for the lock does not count.) */
	deadline =
		xb_deadline(CONFIG_XEN_XENBUS_TIMEOUT_MS * MICA_NSEC_PER_MSEC);
	rc = xb_usable();
	if (rc < 0)
		goto out;
	if (++xb.last_req_id == 0)
		xb.last_req_id = 1;
	rc = xs_out_build(&xb.out, type, xb.last_req_id, tx, parts, n);
	if (rc < 0)
		goto out;
	xb.req_id = xb.last_req_id;
	for (;;) {
		seq = xenbus_plat_seq();
		rc = xb_pump();
		if (rc != 0)
			break;
		if (xenbus_plat_wait(seq, deadline) == -ETIMEDOUT) {
			rc = xb_timed_out();
			break;
		}
	}
	if (rc == 1) {
		rc = xb_reply(type, fn, arg);
		xs_in_reset(&xb.in);
	}
	xb.req_id = 0;
out:
	xenbus_plat_unlock();
	xb_dispatch();
	return rc;
}

/* A request whose payload is one path. */
static int xb_path_request(uint32_t type, uint32_t tx, const char *path,
			   xb_reply_fn fn, void *arg)
{
	struct xs_part part = {path, (uint32_t)strlen(path) + 1};

	return xb_request(type, tx, &part, 1, fn, arg);
}

struct xb_buf {
	char *buf;
	size_t size;
};

static int xb_read_reply(const struct xs_in *in, void *arg)
{
	struct xb_buf *b = arg;

	if (b->size < (size_t)in->hdr.len + 1)
		return -E2BIG;
	memcpy(b->buf, in->body, in->hdr.len);
	b->buf[in->hdr.len] = '\0';
	return (int)in->hdr.len;
}

int mica_xenbus_read(uint32_t tx, const char *path, char *buf, size_t size)
{
	struct xb_buf b = {buf, size};

	return xb_path_request(XS_READ, tx, path, xb_read_reply, &b);
}

int mica_xenbus_read_uint(uint32_t tx, const char *path, unsigned int *val)
{
	char buf[16];
	uint32_t v;
	int len = mica_xenbus_read(tx, path, buf, sizeof(buf));

	if (len == -E2BIG)
		return -EINVAL;
	if (len < 0)
		return len;
	if (xs_parse_uint32(buf, (uint32_t)len, &v) < 0)
		return -EINVAL;
	*val = v;
	return 0;
}

int mica_xenbus_write(uint32_t tx, const char *path, const char *value)
{
	struct xs_part parts[] = {
		{path, (uint32_t)strlen(path) + 1},
		{value, (uint32_t)strlen(value)},
	};

	return xb_request(XS_WRITE, tx, parts, 2, NULL, NULL);
}

int mica_xenbus_printf(uint32_t tx, const char *path, const char *fmt, ...)
{
	char value[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = mica_vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(value))
		return -E2BIG;
	return mica_xenbus_write(tx, path, value);
}

int mica_xenbus_mkdir(uint32_t tx, const char *path)
{
	return xb_path_request(XS_MKDIR, tx, path, NULL, NULL);
}

int mica_xenbus_rm(uint32_t tx, const char *path)
{
	return xb_path_request(XS_RM, tx, path, NULL, NULL);
}

struct xb_dir {
	char *buf;
	size_t size;
	const char **names;
	unsigned int max;
};

static int xb_dir_reply(const struct xs_in *in, void *arg)
{
	struct xb_dir *d = arg;

	if (d->size < in->hdr.len)
		return -E2BIG;
	memcpy(d->buf, in->body, in->hdr.len);
	return xs_parse_directory(d->buf, in->hdr.len, d->names, d->max);
}

int mica_xenbus_directory(uint32_t tx, const char *path, char *buf, size_t size,
			  const char **names, unsigned int max)
{
	struct xb_dir d = {buf, size, names, max};

	return xb_path_request(XS_DIRECTORY, tx, path, xb_dir_reply, &d);
}

/* --- transactions --------------------------------------------------- */

static int xb_tx_reply(const struct xs_in *in, void *arg)
{
	return xs_parse_tx_id(in->body, in->hdr.len, arg);
}

int mica_xenbus_tx_start(uint32_t *tx)
{
	struct xs_part part = {"", 1};

	return xb_request(XS_TRANSACTION_START, MICA_XENBUS_TX_NONE, &part, 1,
			  xb_tx_reply, tx);
}

int mica_xenbus_tx_end(uint32_t tx, int commit)
{
	struct xs_part part = {commit ? "T" : "F", 2};

	return xb_request(XS_TRANSACTION_END, tx, &part, 1, NULL, NULL);
}

/* --- watches -------------------------------------------------------- */

static int xb_watch_request(uint32_t type, struct mica_xenbus_watch *w)
{
	struct xs_part parts[] = {
		{w->path, (uint32_t)strlen(w->path) + 1},
		{w->token, (uint32_t)strlen(w->token) + 1},
	};

	return xb_request(type, MICA_XENBUS_TX_NONE, parts, 2, NULL, NULL);
}

int mica_xenbus_watch_add(struct mica_xenbus_watch *w)
{
	int rc;

	/* On the list first: the first event may follow the reply at once. */
	xenbus_plat_lock();
	rc = xb_usable();
	if (rc == 0) {
		mica_snprintf(w->token, sizeof(w->token), "mica-%x",
			      ++xb.last_watch_id);
		w->pending = 0;
		mica_list_add_tail(&w->node, &xb_watches);
	}
	xenbus_plat_unlock();
	if (rc < 0)
		return rc;
	rc = xb_watch_request(XS_WATCH, w);
	if (rc < 0) {
		xenbus_plat_lock();
		mica_list_del_init(&w->node);
		xenbus_plat_unlock();
	}
	return rc;
}

int mica_xenbus_watch_remove(struct mica_xenbus_watch *w)
{
	const void *self = xenbus_plat_self();
	uint32_t seq;

	/* Off the list first: events still on their way are dropped. */
	xenbus_plat_lock();
	if (w->node.next) /* (not a zeroed watch that was never added) */
		mica_list_del_init(&w->node);
	w->pending = 0;
	while (xb.calling == w && xb.dispatcher != self) {
		seq = xenbus_plat_seq();
		xenbus_plat_unlock();
		xenbus_plat_wait(seq, 0);
		xenbus_plat_lock();
	}
	xenbus_plat_unlock();
	return xb_watch_request(XS_UNWATCH, w);
}

/* --- device state --------------------------------------------------- */

static const char *const xb_state_names[] = {
	[XenbusStateUnknown] = "Unknown",
	[XenbusStateInitialising] = "Initialising",
	[XenbusStateInitWait] = "InitWait",
	[XenbusStateInitialised] = "Initialised",
	[XenbusStateConnected] = "Connected",
	[XenbusStateClosing] = "Closing",
	[XenbusStateClosed] = "Closed",
	[XenbusStateReconfiguring] = "Reconfiguring",
	[XenbusStateReconfigured] = "Reconfigured",
};

const char *mica_xenbus_state_name(XenbusState state)
{
	if ((unsigned int)state < MICA_ARRAY_SIZE(xb_state_names))
		return xb_state_names[state];
	return "invalid";
}

static int xb_state_path(char *path, const char *dir)
{
	int n = mica_snprintf(path, MICA_XENBUS_STATE_PATH_MAX, "%s/state",
			      dir);

	return n < 0 || n >= MICA_XENBUS_STATE_PATH_MAX ? -ENAMETOOLONG : 0;
}

/* Read a state value; states beyond 31 would not fit a mask: -EIO. */
static int xb_state_read(uint32_t tx, const char *path, XenbusState *state)
{
	unsigned int v;
	int rc = mica_xenbus_read_uint(tx, path, &v);

	if (rc == -EINVAL || (rc == 0 && v > 31))
		return -EIO;
	if (rc == 0)
		*state = (XenbusState)v;
	return rc;
}

int mica_xenbus_state_read(const char *dir, XenbusState *state)
{
	char path[MICA_XENBUS_STATE_PATH_MAX];
	int rc = xb_state_path(path, dir);

	if (rc == 0)
		rc = xb_state_read(MICA_XENBUS_TX_NONE, path, state);
	if (rc == -ENOENT) {
		*state = XenbusStateUnknown;
		rc = 0;
	}
	return rc;
}

int mica_xenbus_state_switch(const char *dir, XenbusState state)
{
	char path[MICA_XENBUS_STATE_PATH_MAX];
	XenbusState now;
	uint32_t tx;
	int rc, end, tries;

	rc = xb_state_path(path, dir);
	if (rc < 0)
		return rc;
	for (tries = 0; tries < XB_TX_RETRIES; tries++) {
		rc = mica_xenbus_tx_start(&tx);
		if (rc < 0)
			return rc;
		rc = xb_state_read(tx, path, &now);
		if (rc == -ENOENT)
			rc = -ENODEV;
		else if (rc == 0 && now != state)
			rc = mica_xenbus_printf(tx, path, "%u",
						(unsigned int)state);
		end = mica_xenbus_tx_end(tx, rc == 0);
		if (rc < 0)
			return rc;
		if (end != -EAGAIN)
			return end;
	}
	return -EAGAIN;
}

struct xb_state_waiter {
	struct mica_xenbus_watch watch;
	int fired;
};

static void xb_state_fired(struct mica_xenbus_watch *w, const char *path)
{
	struct xb_state_waiter *sw =
		mica_container_of(w, struct xb_state_waiter, watch);

	__atomic_store_n(&sw->fired, 1, __ATOMIC_RELAXED);
}

int mica_xenbus_state_wait(const char *dir, unsigned int mask,
			   XenbusState *state, uint64_t timeout_ns)
{
	char path[MICA_XENBUS_STATE_PATH_MAX];
	struct xb_state_waiter sw = {.watch = {.fn = xb_state_fired}};
	uint64_t deadline = xb_deadline(timeout_ns);
	XenbusState now = XenbusStateUnknown;
	uint32_t seq;
	int rc;

	rc = xb_state_path(path, dir);
	if (rc < 0)
		return rc;
	sw.watch.path = path;
	rc = mica_xenbus_watch_add(&sw.watch);
	if (rc < 0)
		return rc;
	/*
	 * The watch only says when to look again: the state is read after
	 * every event (the first comes with the registration).
	 */
	__atomic_store_n(&sw.fired, 1, __ATOMIC_RELAXED);
	for (;;) {
		seq = xenbus_plat_seq();
		mica_xenbus_poll();
		if (__atomic_exchange_n(&sw.fired, 0, __ATOMIC_RELAXED)) {
			rc = mica_xenbus_state_read(dir, &now);
			if (rc < 0 || (mask & MICA_XENBUS_STATE_BIT(now)))
				break;
			continue;
		}
		if (xenbus_plat_wait(seq, deadline) == -ETIMEDOUT) {
			rc = -ETIMEDOUT;
			break;
		}
	}
	mica_xenbus_watch_remove(&sw.watch);
	if (rc == 0 && state)
		*state = now;
	return rc;
}
