/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The xenstore wire protocol (Xen docs/misc/xenstore.txt): framing
 * messages into and out of the byte rings, and parsing reply payloads.
 * Pure functions over memory and struct mica_xen_ring, with no platform
 * calls, no locking and no state of their own: xenbus.c drives them, host
 * tests and the fuzzer call them directly.
 *
 * Every message is a struct xsd_sockmsg header followed by hdr.len bytes
 * of payload, at most XENSTORE_PAYLOAD_MAX in either direction.
 */
#ifndef XS_PROTO_H
#define XS_PROTO_H

#include <errno.h> /* before xs_wire.h: it then defines xsd_errors[] */
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>
#include <mica/xen/ring.h>

#define XS_HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))

/* A piece of a request's payload; NULs are pieces too. */
struct xs_part {
	const void *data;
	uint32_t len;
};

/* A request being written into the request ring. */
struct xs_out {
	uint32_t len;  /* header + payload */
	uint32_t sent; /* bytes already in the ring */
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
};

/*
 * A message being read from the response ring. The payload is followed
 * by a NUL that is not part of it, so string parsers cannot run past it.
 */
struct xs_in {
	uint32_t have; /* header + payload bytes received */
	struct xsd_sockmsg hdr;
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

/*
 * Frame a request: header (type, req_id, tx_id, len) and the pieces.
 * -E2BIG when the payload would pass XENSTORE_PAYLOAD_MAX (xenstored
 * drops the connection of a client that sends more).
 */
int xs_out_build(struct xs_out *out, uint32_t type, uint32_t req_id,
		 uint32_t tx_id, const struct xs_part *parts, unsigned int n);

/*
 * Write as much of the request as fits. Returns the bytes written (0:
 * the ring is full) or -EIO for corrupt ring indices. Done when
 * out->sent == out->len.
 */
int xs_out_push(struct xs_out *out, const struct mica_xen_ring *req);

static inline int xs_out_done(const struct xs_out *out)
{
	return out->sent == out->len;
}

static inline void xs_in_reset(struct xs_in *in)
{
	in->have = 0;
}

/*
 * Read the next message, a piece at a time: never more than the bytes
 * the current message still lacks. Returns 1 when the message is
 * complete (in->hdr, in->body, in->body[hdr.len] == '\0'), 0 when the
 * ring ran dry first (call again later; *moved tells whether any byte
 * was taken, so the producer can be notified), -EIO for corrupt ring
 * indices, -EMSGSIZE for a header announcing more than
 * XENSTORE_PAYLOAD_MAX bytes. Both errors leave the stream unusable.
 */
int xs_in_pump(struct xs_in *in, const struct mica_xen_ring *rsp,
	       uint32_t *moved);

/*
 * XS_ERROR payload ("ENOENT", NUL-terminated or not) to a negative errno,
 * through Xen's own table in xs_wire.h. An unknown name gives -EIO.
 */
int xs_parse_error(const char *body, uint32_t len);

/*
 * A strict unsigned decimal of up to 10 digits, at most UINT32_MAX, that
 * fills s[0..len): 0 or -EINVAL.
 */
int xs_parse_uint32(const char *s, uint32_t len, uint32_t *out);

/* XS_TRANSACTION_START reply ("<id>" and a NUL): 0, or -EIO. */
int xs_parse_tx_id(const char *body, uint32_t len, uint32_t *tx_id);

/*
 * Split an XS_DIRECTORY reply in place: zero or more non-empty names,
 * each ending with a NUL. Fills names[0..count) with pointers into buf
 * and returns count; -EIO for a malformed payload (missing final NUL,
 * empty name), -E2BIG when there are more than max names.
 */
int xs_parse_directory(char *buf, uint32_t len, const char **names,
		       unsigned int max);

/*
 * An XS_WATCH_EVENT payload: "<path>" NUL "<token>" NUL, perhaps more
 * strings after them (ignored). 0 with pointers into body, or -EIO.
 */
int xs_parse_event(const char *body, uint32_t len, const char **path,
		   const char **token);

#endif /* XS_PROTO_H */
