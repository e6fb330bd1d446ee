/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A fake xenstored and the layer below xenbus.c, for host tests; see
 * xenbus_fake.h. Simplifications against the real daemon: a transaction
 * writes the live store (an abort or a conflict restores a snapshot
 * taken at its start), its watches fire at once rather than at commit,
 * and RM never fails.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/log.h>
#include <mica/plat/time.h>
#include "xenbus_fake.h"
#include "xenbus_plat.h"
#include "xs_proto.h"

#define FAKE_NODES   128
#define FAKE_WATCHES 16
#define FAKE_PATH    256
#define FAKE_VALUE   4096
#define FAKE_OUT     (64 * 1024)
#define HOME	     "/local/domain/" FAKE_DOMID

struct fake_node {
	int used;
	char path[FAKE_PATH]; /* absolute */
	uint32_t vlen;
	char value[FAKE_VALUE];
};

struct fake_watch {
	int used;
	char path[FAKE_PATH]; /* absolute */
	int relative;	      /* registered with a relative path */
	char token[64];
};

struct xenstore_domain_interface fake_intf;
int fake_open_rc;
uint32_t fake_chunk;
unsigned int fake_tx_conflicts;
int fake_stalled;
int fake_quiet;
int (*fake_hook)(const struct xsd_sockmsg *req, const char *payload);
uint64_t fake_now;
unsigned int fake_requests;
unsigned int fake_log_count;
char fake_last_log[256];

static struct fake_node store[FAKE_NODES], snapshot[FAKE_NODES];
static struct fake_watch watches[FAKE_WATCHES];
static uint32_t tx_open; /* the one open transaction's id; 0: none */
static uint32_t tx_last = 40;
static struct xs_in srv_in;
static char out[FAKE_OUT];
static uint32_t out_len;
static uint32_t seq;
static int locked;

/* --- the store ------------------------------------------------------- */

/* A request's path made absolute; 0, or -1 when too long. */
static int abs_path(char *dst, const char *path)
{
	int n = path[0] == '/' ? snprintf(dst, FAKE_PATH, "%s", path)
			       : snprintf(dst, FAKE_PATH, HOME "/%s", path);

	return n < 0 || n >= FAKE_PATH ? -1 : 0;
}

static struct fake_node *find(const char *abs)
{
	for (int i = 0; i < FAKE_NODES; i++) {
		if (store[i].used && !strcmp(store[i].path, abs))
			return &store[i];
	}
	return NULL;
}

/* Find or create abs and its parents; NULL when the store is full. */
static struct fake_node *create(const char *abs)
{
	char parent[FAKE_PATH];
	struct fake_node *n = find(abs);
	char *slash;

	if (n)
		return n;
	strcpy(parent, abs);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (!create(parent))
			return NULL;
	}
	for (int i = 0; i < FAKE_NODES; i++) {
		if (!store[i].used) {
			store[i].used = 1;
			strcpy(store[i].path, abs);
			store[i].vlen = 0;
			return &store[i];
		}
	}
	return NULL;
}

/* Is abs the node dir or below it? */
static int below(const char *abs, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return 1;
	return !strncmp(abs, dir, n) && (abs[n] == '\0' || abs[n] == '/');
}

/* --- the wire ------------------------------------------------------- */

void fake_send_raw(const void *bytes, uint32_t len)
{
	if (len > FAKE_OUT - out_len) {
		fprintf(stderr, "fake xenstored: output queue full\n");
		abort();
	}
	memcpy(out + out_len, bytes, len);
	out_len += len;
}

void fake_send(uint32_t type, uint32_t req_id, uint32_t tx_id,
	       const void *payload, uint32_t len)
{
	struct xsd_sockmsg hdr = {type, req_id, tx_id, len};

	fake_send_raw(&hdr, sizeof(hdr));
	fake_send_raw(payload, len);
}

static void send_str(const struct xsd_sockmsg *req, const char *s)
{
	fake_send(req->type, req->req_id, req->tx_id, s,
		  (uint32_t)strlen(s) + 1);
}

static void send_error(const struct xsd_sockmsg *req, const char *err)
{
	fake_send(XS_ERROR, req->req_id, req->tx_id, err,
		  (uint32_t)strlen(err) + 1);
}

static void send_event(const struct fake_watch *w, const char *abs)
{
	char body[FAKE_PATH + 64 + 2];
	const char *path = abs;
	size_t plen, tlen;

	if (w->relative && !strncmp(abs, HOME "/", strlen(HOME "/")))
		path = abs + strlen(HOME "/");
	plen = strlen(path);
	tlen = strlen(w->token);
	memcpy(body, path, plen + 1);
	memcpy(body + plen + 1, w->token, tlen + 1);
	fake_send(XS_WATCH_EVENT, 0, 0, body, (uint32_t)(plen + tlen + 2));
}

void fake_fire(const char *path)
{
	char abs[FAKE_PATH];

	if (abs_path(abs, path) < 0)
		return;
	for (int i = 0; i < FAKE_WATCHES; i++) {
		if (watches[i].used && below(abs, watches[i].path))
			send_event(&watches[i], abs);
	}
}

/* --- requests ------------------------------------------------------- */

static void do_read(const struct xsd_sockmsg *req, const char *abs)
{
	struct fake_node *n = find(abs);

	if (!n)
		send_error(req, "ENOENT");
	else
		fake_send(XS_READ, req->req_id, req->tx_id, n->value, n->vlen);
}

static void do_write(const struct xsd_sockmsg *req, const char *abs,
		     const char *value, uint32_t vlen)
{
	struct fake_node *n;

	if (vlen > FAKE_VALUE) {
		send_error(req, "E2BIG");
		return;
	}
	n = create(abs);
	if (!n) {
		send_error(req, "ENOSPC");
		return;
	}
	memcpy(n->value, value, vlen);
	n->vlen = vlen;
	send_str(req, "OK");
	fake_fire(abs);
}

static void do_directory(const struct xsd_sockmsg *req, const char *abs)
{
	char body[XENSTORE_PAYLOAD_MAX];
	uint32_t len = 0;
	size_t dlen = strlen(abs);

	if (!find(abs)) {
		send_error(req, "ENOENT");
		return;
	}
	for (int i = 0; i < FAKE_NODES; i++) {
		const char *p = store[i].path, *leaf = p + dlen + 1;

		if (!store[i].used || strncmp(p, abs, dlen) || p[dlen] != '/' ||
		    strchr(leaf, '/'))
			continue;
		memcpy(body + len, leaf, strlen(leaf) + 1);
		len += (uint32_t)strlen(leaf) + 1;
	}
	fake_send(XS_DIRECTORY, req->req_id, req->tx_id, body, len);
}

static void do_rm(const struct xsd_sockmsg *req, const char *abs)
{
	for (int i = 0; i < FAKE_NODES; i++) {
		if (store[i].used && below(store[i].path, abs))
			store[i].used = 0;
	}
	send_str(req, "OK");
	fake_fire(abs);
}

static void do_watch(const struct xsd_sockmsg *req, const char *path,
		     const char *token)
{
	for (int i = 0; i < FAKE_WATCHES; i++) {
		struct fake_watch *w = &watches[i];

		if (w->used || abs_path(w->path, path) < 0 ||
		    strlen(token) >= sizeof(w->token))
			continue;
		w->used = 1;
		w->relative = path[0] != '/';
		strcpy(w->token, token);
		send_str(req, "OK");
		/* A new watch fires once, with its own path. */
		send_event(w, w->path);
		return;
	}
	send_error(req, "ENOSPC");
}

static void do_unwatch(const struct xsd_sockmsg *req, const char *path,
		       const char *token)
{
	char abs[FAKE_PATH];

	if (abs_path(abs, path) == 0) {
		for (int i = 0; i < FAKE_WATCHES; i++) {
			struct fake_watch *w = &watches[i];

			if (w->used && !strcmp(w->path, abs) &&
			    !strcmp(w->token, token)) {
				w->used = 0;
				send_str(req, "OK");
				return;
			}
		}
	}
	send_error(req, "ENOENT");
}

static void do_tx_start(const struct xsd_sockmsg *req)
{
	char id[16];

	if (tx_open) {
		send_error(req, "EBUSY");
		return;
	}
	memcpy(snapshot, store, sizeof(store));
	tx_open = ++tx_last;
	snprintf(id, sizeof(id), "%u", tx_open);
	send_str(req, id);
}

static void do_tx_end(const struct xsd_sockmsg *req, const char *arg)
{
	if (!tx_open || req->tx_id != tx_open) {
		send_error(req, "ENOENT");
		return;
	}
	tx_open = 0;
	if (strcmp(arg, "T") || fake_tx_conflicts) {
		memcpy(store, snapshot, sizeof(store));
		if (!strcmp(arg, "T")) {
			fake_tx_conflicts--;
			send_error(req, "EAGAIN");
			return;
		}
	}
	send_str(req, "OK");
}

static void handle(const struct xsd_sockmsg *req, const char *body)
{
	/* Every request starts with a NUL-terminated string. */
	size_t first = strnlen(body, req->len);
	const char *second = body + first + 1;
	uint32_t rest = first < req->len ? req->len - (uint32_t)first - 1 : 0;
	char abs[FAKE_PATH];

	fake_requests++;
	if (fake_hook && fake_hook(req, body))
		return;
	if (first == req->len) {
		send_error(req, "EINVAL");
		return;
	}
	switch (req->type) {
	case XS_TRANSACTION_START:
		do_tx_start(req);
		return;
	case XS_TRANSACTION_END:
		do_tx_end(req, body);
		return;
	case XS_WATCH:
		do_watch(req, body, second);
		return;
	case XS_UNWATCH:
		do_unwatch(req, body, second);
		return;
	}
	if (abs_path(abs, body) < 0) {
		send_error(req, "EINVAL");
		return;
	}
	switch (req->type) {
	case XS_READ:
		do_read(req, abs);
		break;
	case XS_WRITE:
		do_write(req, abs, second, rest);
		break;
	case XS_MKDIR:
		if (create(abs)) {
			send_str(req, "OK");
			fake_fire(abs);
		} else {
			send_error(req, "ENOSPC");
		}
		break;
	case XS_RM:
		do_rm(req, abs);
		break;
	case XS_DIRECTORY:
		do_directory(req, abs);
		break;
	default:
		send_error(req, "EINVAL");
	}
}

void fake_step(void)
{
	struct mica_xen_ring req = MICA_XEN_RING(
		fake_intf.req, &fake_intf.req_prod, &fake_intf.req_cons);
	struct mica_xen_ring rsp = MICA_XEN_RING(
		fake_intf.rsp, &fake_intf.rsp_prod, &fake_intf.rsp_cons);
	uint32_t moved, want;
	int n;

	if (fake_stalled)
		return;
	while (xs_in_pump(&srv_in, &req, &moved) == 1) {
		handle(&srv_in.hdr, srv_in.body);
		xs_in_reset(&srv_in);
	}
	want = fake_chunk && fake_chunk < out_len ? fake_chunk : out_len;
	n = mica_xen_ring_write(&rsp, out, want);
	if (n > 0) {
		memmove(out, out + n, out_len - (uint32_t)n);
		out_len -= (uint32_t)n;
	}
}

void fake_reset(uint32_t start)
{
	memset(&fake_intf, 0, sizeof(fake_intf));
	fake_intf.req_cons = fake_intf.req_prod = start;
	fake_intf.rsp_cons = fake_intf.rsp_prod = start;
	memset(store, 0, sizeof(store));
	memset(watches, 0, sizeof(watches));
	strcpy(create(HOME "/domid")->value, FAKE_DOMID);
	create(HOME "/domid")->vlen = (uint32_t)strlen(FAKE_DOMID);
	create(HOME "/data");
	tx_open = 0;
	xs_in_reset(&srv_in);
	out_len = 0;
	fake_open_rc = 0;
	fake_chunk = 0;
	fake_tx_conflicts = 0;
	fake_stalled = 0;
	fake_hook = NULL;
	fake_log_count = 0;
	fake_last_log[0] = '\0';
	xenbus_connect();
}

/* --- what xenbus.c needs from below ---------------------------------- */

int xenbus_plat_open(struct xenstore_domain_interface **intf)
{
	if (fake_open_rc)
		return fake_open_rc;
	*intf = &fake_intf;
	return 0;
}

void xenbus_plat_notify(void)
{
}

uint32_t xenbus_plat_seq(void)
{
	return seq;
}

void xenbus_plat_kick(void)
{
	seq++;
}

/* xenstored answers while the client waits, and time goes by. */
int xenbus_plat_wait(uint32_t snapshot_seq, uint64_t deadline_ns)
{
	fake_now += MICA_NSEC_PER_MSEC;
	fake_step();
	if (deadline_ns && fake_now >= deadline_ns)
		return -ETIMEDOUT;
	return 0;
}

void xenbus_plat_lock(void)
{
	if (locked) {
		fprintf(stderr, "xenbus: lock taken twice\n");
		abort();
	}
	locked = 1;
}

void xenbus_plat_unlock(void)
{
	locked = 0;
}

const void *xenbus_plat_self(void)
{
	return NULL;
}

uint64_t mica_plat_monotonic_ns(void)
{
	return fake_now;
}

void mica_log(int level, const char *libname, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!fake_quiet)
		printf("# [%s] %d: %s\n", libname, level, line);
	if (level <= MICA_LOG_WARN) {
		fake_log_count++;
		strcpy(fake_last_log, line);
	}
}
