/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for what xenstored sends a guest (drivers/xen/
 * xenbus): the input is the byte stream of the response ring.
 *
 * 1. The protocol layer alone: the stream goes through a 1 KiB ring in
 *    pieces of input-chosen sizes into xs_in_pump, and every complete
 *    message through every parser, on buffers of the exact length (so
 *    ASan sees any byte read past them). Checks: names and paths lie in
 *    the payload and end there.
 * 2. The client: a fake xenstored (tests/host/xenbus_fake.c) sends the
 *    stream instead of a reply to a read, with a watch registered; the
 *    client must answer each call with a value or an error and never
 *    read or write out of bounds.
 *
 * Byte 0 picks the piece size and the ring's starting index.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/xen/xenbus.h>
#include "xenbus_fake.h"
#include "xenbus_plat.h"
#include "xs_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_in(const char *p, const char *base, uint32_t len)
{
	if (p < base || p >= base + len || p + strlen(p) >= base + len)
		abort();
}

static void parse_all(const struct xs_in *in)
{
	uint32_t len = in->hdr.len, v;
	char *copy = malloc(len ? len : 1);
	const char *names[8], *path, *token;
	int n, i;

	if (in->body[len] != '\0')
		abort();
	xs_parse_error(in->body, len);
	xs_parse_uint32(in->body, len, &v);
	xs_parse_tx_id(in->body, len, &v);
	if (xs_parse_event(in->body, len, &path, &token) == 0) {
		check_in(path, in->body, len);
		check_in(token, in->body, len);
	}
	memcpy(copy, in->body, len);
	n = xs_parse_directory(copy, len, names, 8);
	for (i = 0; i < n; i++)
		check_in(names[i], copy, len);
	free(copy);
}

static void fuzz_proto(const uint8_t *data, size_t size)
{
	static struct xs_in in;
	char ring[1024];
	uint32_t prod = 0xfffffc00U + data[0], cons = prod, moved;
	struct mica_xen_ring r = MICA_XEN_RING(ring, &prod, &cons);
	size_t piece = data[0] % 37 + 1, pos = 1;
	int rc = 0;

	xs_in_reset(&in);
	while (pos < size && rc >= 0) {
		int n = mica_xen_ring_write(&r, data + pos,
					    MICA_MIN(piece, size - pos));

		if (n < 0)
			abort();
		pos += (size_t)n;
		while ((rc = xs_in_pump(&in, &r, &moved)) == 1) {
			if (in.hdr.len > XENSTORE_PAYLOAD_MAX)
				abort();
			parse_all(&in);
			xs_in_reset(&in);
		}
	}
}

static const uint8_t *stream;
static size_t stream_len;

static int send_stream(const struct xsd_sockmsg *req, const char *payload)
{
	if (req->type != XS_READ)
		return 0;
	fake_send_raw(stream, (uint32_t)stream_len);
	fake_hook = NULL;
	return 1;
}

static void watch_fn(struct mica_xenbus_watch *w, const char *path)
{
	if (strlen(path) > XENSTORE_PAYLOAD_MAX)
		abort();
}

static void fuzz_client(const uint8_t *data, size_t size)
{
	struct mica_xenbus_watch w = {.path = "data", .fn = watch_fn};
	const char *names[4];
	char buf[64];
	int rc;

	fake_quiet = 1;
	fake_reset(0xfffffc00U + data[0]);
	fake_chunk = data[0] % 13;
	if (mica_xenbus_watch_add(&w) < 0)
		abort();
	stream = data + 1;
	stream_len = size - 1;
	fake_hook = send_stream;
	rc = mica_xenbus_read(0, "x", buf, sizeof(buf));
	if (rc >= (int)sizeof(buf) || (rc >= 0 && buf[rc] != '\0'))
		abort();
	rc = mica_xenbus_directory(0, "data", buf, sizeof(buf), names, 4);
	for (int i = 0; i < rc; i++)
		check_in(names[i], buf, sizeof(buf));
	mica_xenbus_poll();
	mica_xenbus_watch_remove(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	fuzz_proto(data, size);
	fuzz_client(data, size);
	return 0;
}
