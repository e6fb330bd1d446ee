/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xenstore message framing and reply parsing; see xs_proto.h. Nothing
 * here trusts a length or an index that came from the other domain.
 */
#include <string.h>
#include "xs_proto.h"

int xs_out_build(struct xs_out *out, uint32_t type, uint32_t req_id,
		 uint32_t tx_id, const struct xs_part *parts, unsigned int n)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = req_id, .tx_id = tx_id, .len = 0};
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (parts[i].len > XENSTORE_PAYLOAD_MAX - hdr.len)
			return -E2BIG;
		if (!parts[i].len)
			continue; /* data may be NULL */
		memcpy(out->buf + XS_HDR_SIZE + hdr.len, parts[i].data,
		       parts[i].len);
		hdr.len += parts[i].len;
	}
	memcpy(out->buf, &hdr, XS_HDR_SIZE);
	out->len = XS_HDR_SIZE + hdr.len;
	out->sent = 0;
	return 0;
}

int xs_out_push(struct xs_out *out, const struct mica_xen_ring *req)
{
	int n = mica_xen_ring_write(req, out->buf + out->sent,
				    out->len - out->sent);

	if (n > 0)
		out->sent += (uint32_t)n;
	return n;
}

int xs_in_pump(struct xs_in *in, const struct mica_xen_ring *rsp,
	       uint32_t *moved)
{
	int n;

	*moved = 0;
	while (in->have < XS_HDR_SIZE) {
		n = mica_xen_ring_read(rsp, (char *)&in->hdr + in->have,
				       XS_HDR_SIZE - in->have);
		if (n <= 0)
			return n;
		in->have += (uint32_t)n;
		*moved += (uint32_t)n;
	}
	if (in->hdr.len > XENSTORE_PAYLOAD_MAX)
		return -EMSGSIZE;
	while (in->have < XS_HDR_SIZE + in->hdr.len) {
		n = mica_xen_ring_read(rsp, in->body + (in->have - XS_HDR_SIZE),
				       XS_HDR_SIZE + in->hdr.len - in->have);
		if (n <= 0)
			return n;
		in->have += (uint32_t)n;
		*moved += (uint32_t)n;
	}
	in->body[in->hdr.len] = '\0';
	return 1;
}

int xs_parse_error(const char *body, uint32_t len)
{
	size_t n = strnlen(body, len);
	size_t i;

	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
		if (strlen(xsd_errors[i].errstring) == n &&
		    !memcmp(xsd_errors[i].errstring, body, n))
			return -xsd_errors[i].errnum;
	}
	return -EIO;
}

int xs_parse_uint32(const char *s, uint32_t len, uint32_t *out)
{
	uint64_t v = 0;
	uint32_t i;

	if (len == 0 || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int xs_parse_tx_id(const char *body, uint32_t len, uint32_t *tx_id)
{
	uint32_t id;

	/* Transaction 0 means "none": xenstored never hands it out. */
	if (len < 2 || body[len - 1] != '\0' ||
	    xs_parse_uint32(body, len - 1, &id) < 0 || id == 0)
		return -EIO;
	*tx_id = id;
	return 0;
}

int xs_parse_directory(char *buf, uint32_t len, const char **names,
		       unsigned int max)
{
	unsigned int count = 0;
	uint32_t pos = 0, end;

	if (len > 0 && buf[len - 1] != '\0')
		return -EIO;
	while (pos < len) {
		end = pos + (uint32_t)strlen(buf + pos); /* stops at len - 1 */
		if (end == pos)
			return -EIO;
		if (count == max)
			return -E2BIG;
		names[count++] = buf + pos;
		pos = end + 1;
	}
	return (int)count;
}

int xs_parse_event(const char *body, uint32_t len, const char **path,
		   const char **token)
{
	size_t plen = strnlen(body, len), tlen;

	if (plen == 0 || plen == len)
		return -EIO;
	tlen = strnlen(body + plen + 1, len - plen - 1);
	if (plen + 1 + tlen == len)
		return -EIO;
	*path = body;
	*token = body + plen + 1;
	return 0;
}
