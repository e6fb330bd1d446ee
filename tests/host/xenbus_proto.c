/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host tests for drivers/xen/xenbus beyond what a well-behaved xenstored
 * shows (the shared cases are drivers/xen/xenbus/tests/test_xenbus.c):
 *   xenbus_proto  the framing and parsing functions of xs_proto.c on
 *                 hand-made bytes;
 *   xenbus_fake   the client against a fake xenstored (xenbus_fake.c)
 *                 that answers late, in pieces, with the wrong req_id,
 *                 with malformed or oversized messages, or not at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/plat/time.h>
#include <mica/test.h>
#include <mica/xen/xenbus.h>
#include "xenbus_fake.h"
#include "xenbus_plat.h"
#include "xs_proto.h"

/* The fake starts each run connected, indices 1 KiB before 2^32. */
__attribute__((constructor)) static void fake_start(void)
{
	fake_reset(UINT32_MAX - 1023);
}

/* --- xs_proto.c --------------------------------------------------------- */

struct ring1k {
	char data[1024];
	uint32_t prod, cons;
	struct mica_xen_ring r;
};

static void ring1k_init(struct ring1k *k, uint32_t start)
{
	k->prod = k->cons = start;
	k->r = MICA_XEN_RING(k->data, &k->prod, &k->cons);
}

/* A header announcing len bytes, and the first bytes of body. */
static void put_msg(struct ring1k *k, uint32_t type, uint32_t req_id,
		    const char *body, uint32_t len)
{
	struct xsd_sockmsg hdr = {type, req_id, 0, len};

	mica_xen_ring_write(&k->r, &hdr, sizeof(hdr));
	mica_xen_ring_write(&k->r, body, MICA_MIN(len, strlen(body)));
}

MICA_TEST(xenbus_proto, build_limits_payload)
{
	static struct xs_out out;
	static char big[XENSTORE_PAYLOAD_MAX];
	struct xs_part parts[] = {{big, 4000}, {big, 96}, {"x", 1}};
	struct xsd_sockmsg hdr;

	MICA_EXPECT_EQ(xs_out_build(&out, XS_WRITE, 1, 0, parts, 3), -E2BIG);
	MICA_EXPECT_EQ(xs_out_build(&out, XS_WRITE, 9, 3, parts, 2), 0);
	MICA_EXPECT_EQ(out.len, XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX);
	memcpy(&hdr, out.buf, sizeof(hdr));
	MICA_EXPECT_EQ(hdr.type, XS_WRITE);
	MICA_EXPECT_EQ(hdr.req_id, 9);
	MICA_EXPECT_EQ(hdr.tx_id, 3);
	MICA_EXPECT_EQ(hdr.len, XENSTORE_PAYLOAD_MAX);
}

MICA_TEST(xenbus_proto, push_larger_than_ring)
{
	static struct xs_out out;
	static char body[3000], got[3000 + XS_HDR_SIZE];
	struct xs_part part = {body, sizeof(body)};
	struct ring1k k;
	uint32_t have = 0;
	int n;

	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = (char)i;
	ring1k_init(&k, UINT32_MAX - 10);
	MICA_REQUIRE_EQ(xs_out_build(&out, XS_WRITE, 1, 0, &part, 1), 0);
	while (!xs_out_done(&out)) {
		n = xs_out_push(&out, &k.r);
		MICA_REQUIRE_TRUE(n > 0);
		MICA_EXPECT_EQ(xs_out_push(&out, &k.r), 0); /* now full */
		have += (uint32_t)mica_xen_ring_read(&k.r, got + have, 1024);
	}
	MICA_EXPECT_EQ(have, sizeof(got));
	MICA_EXPECT_MEMEQ(got + XS_HDR_SIZE, body, sizeof(body));
}

MICA_TEST(xenbus_proto, pump_byte_by_byte)
{
	static struct xs_in in;
	struct xsd_sockmsg hdr = {XS_READ, 5, 0, 3};
	char bytes[XS_HDR_SIZE + 3];
	struct ring1k k;
	uint32_t moved;
	size_t i;

	memcpy(bytes, &hdr, sizeof(hdr));
	memcpy(bytes + XS_HDR_SIZE, "abc", 3);
	ring1k_init(&k, UINT32_MAX - 7);
	xs_in_reset(&in);
	MICA_EXPECT_EQ(xs_in_pump(&in, &k.r, &moved), 0);
	MICA_EXPECT_EQ(moved, 0);
	for (i = 0; i < sizeof(bytes) - 1; i++) {
		mica_xen_ring_write(&k.r, bytes + i, 1);
		MICA_REQUIRE_EQ(xs_in_pump(&in, &k.r, &moved), 0);
		MICA_EXPECT_EQ(moved, 1);
	}
	/* The last byte, and the start of the next message behind it. */
	mica_xen_ring_write(&k.r, bytes + i, 1);
	mica_xen_ring_write(&k.r, bytes, 4);
	MICA_EXPECT_EQ(xs_in_pump(&in, &k.r, &moved), 1);
	MICA_EXPECT_EQ(moved, 1);
	MICA_EXPECT_EQ(in.hdr.req_id, 5);
	MICA_EXPECT_EQ(in.hdr.len, 3);
	MICA_EXPECT_STREQ(in.body, "abc");
	MICA_EXPECT_EQ(mica_xen_ring_readable(&k.r), 4);
}

MICA_TEST(xenbus_proto, pump_rejects_oversized_and_corrupt)
{
	static struct xs_in in;
	struct ring1k k;
	uint32_t moved;

	ring1k_init(&k, 0);
	xs_in_reset(&in);
	put_msg(&k, XS_READ, 1, "body", XENSTORE_PAYLOAD_MAX + 1);
	MICA_EXPECT_EQ(xs_in_pump(&in, &k.r, &moved), -EMSGSIZE);
	/* The header was taken, not a byte of the body. */
	MICA_EXPECT_EQ(mica_xen_ring_readable(&k.r), 4);

	ring1k_init(&k, 0);
	xs_in_reset(&in);
	k.prod = 2000;
	MICA_EXPECT_EQ(xs_in_pump(&in, &k.r, &moved), -EIO);
	MICA_EXPECT_EQ(k.cons, 0);
}

MICA_TEST(xenbus_proto, error_names)
{
	MICA_EXPECT_EQ(xs_parse_error("ENOENT", 7), -ENOENT);
	MICA_EXPECT_EQ(xs_parse_error("EAGAIN", 6), -EAGAIN); /* no NUL */
	MICA_EXPECT_EQ(xs_parse_error("EACCES\0junk", 11), -EACCES);
	MICA_EXPECT_EQ(xs_parse_error("E2BIG", 6), -E2BIG);
	MICA_EXPECT_EQ(xs_parse_error("EPERM", 6), -EPERM);
	MICA_EXPECT_EQ(xs_parse_error("ENOENTX", 8), -EIO);
	MICA_EXPECT_EQ(xs_parse_error("ENOEN", 6), -EIO);
	MICA_EXPECT_EQ(xs_parse_error("", 0), -EIO);
	MICA_EXPECT_EQ(xs_parse_error("ENOENT", 3), -EIO); /* "ENO" */
}

MICA_TEST(xenbus_proto, numbers)
{
	uint32_t v = 7;

	MICA_EXPECT_EQ(xs_parse_uint32("0", 1, &v), 0);
	MICA_EXPECT_EQ(v, 0);
	MICA_EXPECT_EQ(xs_parse_uint32("4294967295", 10, &v), 0);
	MICA_EXPECT_EQ(v, UINT32_MAX);
	MICA_EXPECT_EQ(xs_parse_uint32("4294967296", 10, &v), -EINVAL);
	MICA_EXPECT_EQ(xs_parse_uint32("99999999999", 11, &v), -EINVAL);
	MICA_EXPECT_EQ(xs_parse_uint32("", 0, &v), -EINVAL);
	MICA_EXPECT_EQ(xs_parse_uint32("12a", 3, &v), -EINVAL);
	MICA_EXPECT_EQ(xs_parse_uint32("-1", 2, &v), -EINVAL);
	MICA_EXPECT_EQ(xs_parse_uint32(" 1", 2, &v), -EINVAL);
	MICA_EXPECT_EQ(xs_parse_tx_id("17", 3, &v), 0);
	MICA_EXPECT_EQ(v, 17);
	MICA_EXPECT_EQ(xs_parse_tx_id("17", 2, &v), -EIO); /* no NUL */
	MICA_EXPECT_EQ(xs_parse_tx_id("0", 2, &v), -EIO);
	MICA_EXPECT_EQ(xs_parse_tx_id("", 1, &v), -EIO);
	MICA_EXPECT_EQ(xs_parse_tx_id("x1", 3, &v), -EIO);
}

MICA_TEST(xenbus_proto, directory_split)
{
	const char *names[3];
	char buf[16];

	MICA_EXPECT_EQ(xs_parse_directory(buf, 0, names, 3), 0);
	memcpy(buf, "a\0bb\0ccc\0", 9);
	MICA_REQUIRE_EQ(xs_parse_directory(buf, 9, names, 3), 3);
	MICA_EXPECT_STREQ(names[0], "a");
	MICA_EXPECT_STREQ(names[1], "bb");
	MICA_EXPECT_STREQ(names[2], "ccc");
	memcpy(buf, "a\0bb\0ccc\0", 9);
	MICA_EXPECT_EQ(xs_parse_directory(buf, 9, names, 2), -E2BIG);
	memcpy(buf, "a\0bb", 4);
	MICA_EXPECT_EQ(xs_parse_directory(buf, 4, names, 3), -EIO);
	memcpy(buf, "a\0\0", 3);
	MICA_EXPECT_EQ(xs_parse_directory(buf, 3, names, 3), -EIO);
	MICA_EXPECT_EQ(xs_parse_directory(buf, 1, names, 0), -EIO);
}

MICA_TEST(xenbus_proto, watch_events)
{
	const char *path = NULL, *token = NULL;

	MICA_REQUIRE_EQ(xs_parse_event("a/b\0tok", 8, &path, &token), 0);
	MICA_EXPECT_STREQ(path, "a/b");
	MICA_EXPECT_STREQ(token, "tok");
	MICA_EXPECT_EQ(xs_parse_event("p\0t\0more", 9, &path, &token), 0);
	MICA_EXPECT_EQ(xs_parse_event("p\0t", 3, &path, &token), -EIO);
	MICA_EXPECT_EQ(xs_parse_event("p\0", 2, &path, &token), -EIO);
	MICA_EXPECT_EQ(xs_parse_event("p", 1, &path, &token), -EIO);
	MICA_EXPECT_EQ(xs_parse_event("\0t", 3, &path, &token), -EIO);
	MICA_EXPECT_EQ(xs_parse_event("", 0, &path, &token), -EIO);
}

/* --- the client against a misbehaving xenstored ------------------------- */

static char buf[XENSTORE_PAYLOAD_MAX + 1];

/* Answer the next READ with these bytes after a well-formed header. */
static const char *hook_body;
static uint32_t hook_len, hook_type;

static int hook_reply(const struct xsd_sockmsg *req, const char *payload)
{
	if (req->type != XS_READ && req->type != XS_DIRECTORY &&
	    req->type != XS_TRANSACTION_START)
		return 0;
	fake_send(hook_type ? hook_type : req->type, req->req_id, req->tx_id,
		  hook_body, hook_len);
	fake_hook = NULL;
	return 1;
}

static void reply_next_with(uint32_t type, const char *body, uint32_t len)
{
	hook_type = type;
	hook_body = body;
	hook_len = len;
	fake_hook = hook_reply;
}

MICA_TEST(xenbus_fake, no_xenstore_is_enodev)
{
	fake_reset(0);
	fake_open_rc = -ENODEV;
	MICA_EXPECT_EQ(xenbus_connect(), -ENODEV);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), -ENODEV);
	MICA_EXPECT_EQ(mica_xenbus_wait_event(1000), -ENODEV);
	fake_reset(0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);
}

MICA_TEST(xenbus_fake, corrupt_ring_at_connect)
{
	fake_reset(0);
	fake_intf.rsp_prod = fake_intf.rsp_cons + 1025;
	MICA_EXPECT_EQ(xenbus_connect(), -EIO);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), -ENODEV);
}

MICA_TEST(xenbus_fake, corrupt_ring_later_breaks_connection)
{
	uint32_t req_prod;

	fake_reset(100);
	MICA_REQUIRE_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);
	fake_intf.rsp_prod = fake_intf.rsp_cons - 1;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), -EIO);
	MICA_EXPECT_TRUE(strstr(fake_last_log, "corrupt") != NULL);
	/* Even once the indices look sane again, nothing more is sent. */
	fake_intf.rsp_prod = fake_intf.rsp_cons;
	req_prod = fake_intf.req_prod;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), -EIO);
	MICA_EXPECT_EQ(fake_intf.req_prod, req_prod);
}

MICA_TEST(xenbus_fake, big_values_in_small_pieces)
{
	static char value[4000];

	fake_reset(UINT32_MAX - 5);
	for (size_t i = 0; i < sizeof(value) - 1; i++)
		value[i] = (char)('a' + i % 26);
	fake_chunk = 7;
	/* Request and reply are both several times the ring's size. */
	MICA_REQUIRE_EQ(mica_xenbus_write(0, "data/big", value), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "data/big", buf, sizeof(buf)),
		       (int)sizeof(value) - 1);
	MICA_EXPECT_STREQ(buf, value);
	MICA_EXPECT_EQ(fake_log_count, 0);
}

MICA_TEST(xenbus_fake, stalled_server_breaks_connection)
{
	static char value[3000];

	fake_reset(0);
	memset(value, 'v', sizeof(value) - 1);
	fake_stalled = 1;
	/* Only a ring's worth of the request goes out: a half-sent request
	 * would garble the next one, so the connection is given up. */
	MICA_EXPECT_EQ(mica_xenbus_write(0, "data/v", value), -EIO);
	MICA_EXPECT_TRUE(strstr(fake_last_log, "stopped reading") != NULL);
	fake_stalled = 0;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), -EIO);
}

MICA_TEST(xenbus_fake, request_too_big_is_not_sent)
{
	static char path[XENSTORE_PAYLOAD_MAX + 8];
	uint32_t req_prod;

	fake_reset(0);
	memset(path, 'p', sizeof(path) - 1);
	req_prod = fake_intf.req_prod;
	MICA_EXPECT_EQ(mica_xenbus_read(0, path, buf, sizeof(buf)), -E2BIG);
	MICA_EXPECT_EQ(fake_intf.req_prod, req_prod);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);
}

MICA_TEST(xenbus_fake, error_replies_map_to_errno)
{
	fake_reset(0);
	reply_next_with(XS_ERROR, "EACCES", 7);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "x", buf, sizeof(buf)), -EACCES);
	reply_next_with(XS_ERROR, "EWHATEVER", 10);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "x", buf, sizeof(buf)), -EIO);
	/* A reply of another type than the request's. */
	reply_next_with(XS_WRITE, "OK", 3);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "x", buf, sizeof(buf)), -EIO);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);
}

static unsigned int wrong_id_seen;

static int hook_wrong_id(const struct xsd_sockmsg *req, const char *payload)
{
	fake_send(req->type, req->req_id + 100, req->tx_id, "nope", 4);
	fake_send(req->type, req->req_id, req->tx_id, "yes", 3);
	wrong_id_seen++;
	fake_hook = NULL;
	return 1;
}

MICA_TEST(xenbus_fake, reply_with_wrong_req_id_skipped)
{
	fake_reset(0);
	fake_hook = hook_wrong_id;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "x", buf, sizeof(buf)), 3);
	MICA_EXPECT_STREQ(buf, "yes");
	MICA_EXPECT_EQ(wrong_id_seen, 1);
	MICA_EXPECT_EQ(fake_log_count, 1);
	MICA_EXPECT_TRUE(strstr(fake_last_log, "req_id") != NULL);
}

/* Swallow one request; answer it late, just before the next reply. */
static struct xsd_sockmsg late_req;
static int late_state;

static int hook_late(const struct xsd_sockmsg *req, const char *payload)
{
	if (late_state++ == 0) {
		late_req = *req;
		return 1;
	}
	fake_send(late_req.type, late_req.req_id, 0, "late", 4);
	fake_hook = NULL;
	return 0;
}

MICA_TEST(xenbus_fake, no_reply_times_out_late_reply_dropped)
{
	uint64_t t0;

	fake_reset(0);
	late_state = 0;
	fake_hook = hook_late;
	t0 = fake_now;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)),
		       -ETIMEDOUT);
	MICA_EXPECT_GE(fake_now - t0,
		       CONFIG_XEN_XENBUS_TIMEOUT_MS * MICA_NSEC_PER_MSEC);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);
	MICA_EXPECT_STREQ(buf, FAKE_DOMID);
	MICA_EXPECT_EQ(fake_log_count, 1);
}

MICA_TEST(xenbus_fake, oversized_message_breaks_connection)
{
	struct xsd_sockmsg hdr = {XS_READ, 0, 0, XENSTORE_PAYLOAD_MAX + 1};

	fake_reset(0);
	/* (req_id 0: no request of ours ever has it.) */
	fake_send_raw(&hdr, sizeof(hdr));
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), -EIO);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), -EIO);
	MICA_EXPECT_TRUE(strstr(fake_last_log, "oversized") != NULL);
}

static int hook_truncated(const struct xsd_sockmsg *req, const char *payload)
{
	struct xsd_sockmsg hdr = {req->type, req->req_id, 0, 20};

	fake_send_raw(&hdr, hook_len);
	fake_send_raw("01234", 5);
	fake_hook = NULL;
	return 1;
}

MICA_TEST(xenbus_fake, truncated_header_or_body_times_out)
{
	fake_reset(0);
	hook_len = 10;
	fake_hook = hook_truncated;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)),
		       -ETIMEDOUT);
	fake_reset(0);
	hook_len = XS_HDR_SIZE;
	fake_hook = hook_truncated;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)),
		       -ETIMEDOUT);
}

MICA_TEST(xenbus_fake, reply_larger_than_buffer)
{
	char small[4];

	fake_reset(0);
	reply_next_with(0, "abcd", 4);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "x", small, sizeof(small)), -E2BIG);
	reply_next_with(0, "abc", 3);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "x", small, sizeof(small)), 3);
	MICA_EXPECT_STREQ(small, "abc");
	/* Binary values keep their NULs. */
	reply_next_with(0, "a\0b", 3);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "x", small, sizeof(small)), 3);
	MICA_EXPECT_MEMEQ(small, "a\0b", 4);
}

MICA_TEST(xenbus_fake, malformed_directory_and_tx_replies)
{
	const char *names[4];
	uint32_t tx = 0;

	fake_reset(0);
	reply_next_with(0, "a\0b", 3);
	MICA_EXPECT_EQ(
		mica_xenbus_directory(0, "x", buf, sizeof(buf), names, 4),
		-EIO);
	reply_next_with(0, "a\0\0", 3);
	MICA_EXPECT_EQ(
		mica_xenbus_directory(0, "x", buf, sizeof(buf), names, 4),
		-EIO);
	reply_next_with(0, "abc", 4);
	MICA_EXPECT_EQ(mica_xenbus_tx_start(&tx), -EIO);
	reply_next_with(0, "99999999999", 12);
	MICA_EXPECT_EQ(mica_xenbus_tx_start(&tx), -EIO);
	/* The stream is still in step. */
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);
}

MICA_TEST(xenbus_fake, transaction_conflicts)
{
	uint32_t tx;
	XenbusState st;

	fake_reset(0);
	MICA_REQUIRE_EQ(mica_xenbus_tx_start(&tx), 0);
	MICA_EXPECT_EQ(mica_xenbus_write(tx, "data/c", "1"), 0);
	fake_tx_conflicts = 1;
	MICA_EXPECT_EQ(mica_xenbus_tx_end(tx, 1), -EAGAIN);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "data/c", buf, sizeof(buf)),
		       -ENOENT);
	/* state_switch retries its transaction. */
	MICA_REQUIRE_EQ(mica_xenbus_write(0, "data/d/state", "1"), 0);
	fake_tx_conflicts = 3;
	MICA_EXPECT_EQ(mica_xenbus_state_switch("data/d", XenbusStateClosing),
		       0);
	MICA_EXPECT_EQ(fake_tx_conflicts, 0);
	MICA_EXPECT_EQ(mica_xenbus_state_read("data/d", &st), 0);
	MICA_EXPECT_EQ(st, XenbusStateClosing);
	fake_tx_conflicts = 1000;
	MICA_EXPECT_EQ(mica_xenbus_state_switch("data/d", XenbusStateClosed),
		       -EAGAIN);
}

MICA_TEST(xenbus_fake, values_too_long_for_helpers)
{
	unsigned int v;

	fake_reset(0);
	MICA_EXPECT_EQ(mica_xenbus_printf(0, "data/p", "%0128d", 1), -E2BIG);
	MICA_EXPECT_EQ(mica_xenbus_printf(0, "data/p", "%0127d", 1), 0);
	MICA_EXPECT_EQ(mica_xenbus_read_uint(0, "data/p", &v), -EINVAL);
}

MICA_TEST(xenbus_fake, bad_state_values)
{
	XenbusState st;

	fake_reset(0);
	MICA_REQUIRE_EQ(mica_xenbus_write(0, "data/s/state", "32"), 0);
	MICA_EXPECT_EQ(mica_xenbus_state_read("data/s", &st), -EIO);
	MICA_REQUIRE_EQ(mica_xenbus_write(0, "data/s/state", "four"), 0);
	MICA_EXPECT_EQ(mica_xenbus_state_read("data/s", &st), -EIO);
	MICA_EXPECT_STREQ(mica_xenbus_state_name((XenbusState)99), "invalid");
}

struct counter {
	struct mica_xenbus_watch watch;
	int count;
	char path[128];
	int read_rc; /* of a read made from the callback */
	int remove_self;
};

static void count_fn(struct mica_xenbus_watch *w, const char *path)
{
	struct counter *c = mica_container_of(w, struct counter, watch);
	char v[8];

	c->count++;
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->read_rc = mica_xenbus_read(0, "domid", v, sizeof(v));
	if (c->remove_self)
		mica_xenbus_watch_remove(w);
}

static int hook_event_first(const struct xsd_sockmsg *req, const char *payload)
{
	if (req->type != XS_READ)
		return 0;
	fake_fire("data/ev/x");
	fake_hook = NULL;
	return 0;
}

MICA_TEST(xenbus_fake, event_before_reply_delivered_after)
{
	struct counter c = {.watch = {.path = "data/ev", .fn = count_fn}};
	char ev[64];

	fake_reset(0);
	MICA_REQUIRE_EQ(mica_xenbus_watch_add(&c.watch), 0);
	MICA_REQUIRE_EQ(mica_xenbus_wait_event(1000 * MICA_NSEC_PER_MSEC), 0);
	MICA_EXPECT_EQ(c.count, 1);
	MICA_EXPECT_STREQ(c.path, "data/ev");
	MICA_EXPECT_EQ(c.read_rc, 1); /* xenbus calls work in callbacks */
	fake_hook = hook_event_first;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);
	/* The event came first, was queued, and delivered on return. */
	MICA_EXPECT_EQ(c.count, 2);
	MICA_EXPECT_STREQ(c.path, "data/ev/x");
	MICA_EXPECT_EQ(mica_xenbus_watch_remove(&c.watch), 0);
	/* An event for it still on its way is dropped. */
	snprintf(ev, sizeof(ev), "data/ev%c%s", 0, c.watch.token);
	fake_send(XS_WATCH_EVENT, 0, 0, ev,
		  (uint32_t)(strlen("data/ev") + strlen(c.watch.token) + 2));
	fake_step();
	mica_xenbus_poll();
	MICA_EXPECT_EQ(c.count, 2);
	MICA_EXPECT_EQ(mica_xenbus_wait_event(10 * MICA_NSEC_PER_MSEC),
		       -ETIMEDOUT);
}

static int hook_refuse_watch(const struct xsd_sockmsg *req, const char *payload)
{
	if (req->type != XS_WATCH)
		return 0;
	fake_send(XS_ERROR, req->req_id, 0, "ENOSPC", 7);
	return 1;
}

MICA_TEST(xenbus_fake, watch_refused_is_not_registered)
{
	struct counter c = {.watch = {.path = "data/no", .fn = count_fn}};
	char ev[64];

	fake_reset(0);
	fake_hook = hook_refuse_watch;
	MICA_EXPECT_EQ(mica_xenbus_watch_add(&c.watch), -ENOSPC);
	fake_hook = NULL;
	snprintf(ev, sizeof(ev), "data/no%c%s", 0, c.watch.token);
	fake_send(XS_WATCH_EVENT, 0, 0, ev,
		  (uint32_t)(strlen("data/no") + strlen(c.watch.token) + 2));
	MICA_EXPECT_EQ(mica_xenbus_wait_event(10 * MICA_NSEC_PER_MSEC),
		       -ETIMEDOUT);
	MICA_EXPECT_EQ(c.count, 0);
}

MICA_TEST(xenbus_fake, watch_removed_from_own_callback)
{
	struct counter c = {.watch = {.path = "data/rm", .fn = count_fn},
			    .remove_self = 1};

	fake_reset(0);
	MICA_REQUIRE_EQ(mica_xenbus_watch_add(&c.watch), 0);
	MICA_EXPECT_EQ(mica_xenbus_wait_event(1000 * MICA_NSEC_PER_MSEC), 0);
	MICA_EXPECT_EQ(c.count, 1);
	MICA_EXPECT_EQ(mica_xenbus_write(0, "data/rm", "1"), 0);
	fake_step();
	mica_xenbus_poll();
	MICA_EXPECT_EQ(c.count, 1);
}

static int hook_flood(const struct xsd_sockmsg *req, const char *payload)
{
	static char path[240];

	if (req->type != XS_READ)
		return 0;
	/* 60 events of ~230 bytes: far more than the 4 KiB queue. */
	for (int i = 0; i < 60; i++) {
		snprintf(path, sizeof(path), "data/fl/%03d/%0200d", i, 0);
		fake_fire(path);
	}
	fake_hook = NULL;
	return 0;
}

MICA_TEST(xenbus_fake, event_queue_overflow_refires_watches)
{
	struct counter a = {.watch = {.path = "data/fl", .fn = count_fn}};
	struct counter b = {.watch = {.path = "data/other", .fn = count_fn}};

	fake_reset(0);
	MICA_REQUIRE_EQ(mica_xenbus_watch_add(&a.watch), 0);
	MICA_REQUIRE_EQ(mica_xenbus_watch_add(&b.watch), 0);
	while (mica_xenbus_wait_event(10 * MICA_NSEC_PER_MSEC) == 0)
		;
	a.count = b.count = 0;
	fake_hook = hook_flood;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);
	/* Lost events: every watch once, with its own path. */
	MICA_EXPECT_EQ(a.count, 1);
	MICA_EXPECT_STREQ(a.path, "data/fl");
	MICA_EXPECT_EQ(b.count, 1);
	MICA_EXPECT_STREQ(b.path, "data/other");
	MICA_EXPECT_TRUE(strstr(fake_last_log, "lost") != NULL);
	/* Events after the overflow flow normally again. */
	MICA_EXPECT_EQ(mica_xenbus_write(0, "data/fl/new", "1"), 0);
	MICA_EXPECT_EQ(mica_xenbus_wait_event(10 * MICA_NSEC_PER_MSEC), 0);
	MICA_EXPECT_STREQ(a.path, "data/fl/new");
	mica_xenbus_watch_remove(&a.watch);
	mica_xenbus_watch_remove(&b.watch);
}

MICA_TEST(xenbus_fake, malformed_event_dropped)
{
	struct counter c = {.watch = {.path = "data/m", .fn = count_fn}};

	fake_reset(0);
	MICA_REQUIRE_EQ(mica_xenbus_watch_add(&c.watch), 0);
	MICA_REQUIRE_EQ(mica_xenbus_wait_event(1000 * MICA_NSEC_PER_MSEC), 0);
	fake_send(XS_WATCH_EVENT, 0, 0, "data/m", 6); /* no token */
	fake_send(XS_WATCH_EVENT, 0, 0, "data/m\0nosuchtoken", 19);
	MICA_EXPECT_EQ(mica_xenbus_wait_event(10 * MICA_NSEC_PER_MSEC),
		       -ETIMEDOUT);
	MICA_EXPECT_EQ(c.count, 1);
	MICA_EXPECT_TRUE(strstr(fake_last_log, "malformed") != NULL);
	mica_xenbus_watch_remove(&c.watch);
}

MICA_TEST(xenbus_fake, server_reconnecting_and_error_fields)
{
	fake_reset(0);
	fake_intf.server_features = XENSTORE_SERVER_FEATURE_RECONNECTION;
	fake_intf.connection = XENSTORE_RECONNECT;
	MICA_EXPECT_EQ(xenbus_connect(), -ETIMEDOUT);
	fake_intf.connection = XENSTORE_CONNECTED;
	MICA_REQUIRE_EQ(xenbus_connect(), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), 1);

	/* The server gave up on us and says why: -EIO, not -ETIMEDOUT. */
	fake_intf.server_features |= XENSTORE_SERVER_FEATURE_ERROR;
	fake_intf.error = XENSTORE_ERROR_COMM;
	late_state = 0;
	fake_hook = hook_late;
	MICA_EXPECT_EQ(mica_xenbus_read(0, "domid", buf, sizeof(buf)), -EIO);
	fake_hook = NULL;
}
