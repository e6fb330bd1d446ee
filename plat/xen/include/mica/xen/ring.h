/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Xen byte rings: the two queues of the xenstore page
 * (struct xenstore_domain_interface, xen/io/xs_wire.h) and of the console
 * page (struct xencons_interface, xen/io/console.h).
 *
 * Each queue is an array of a power-of-two size and two free-running
 * 32-bit indices in the shared page: the producer's (the offset in the
 * byte stream of the next byte to write) and the consumer's (of the next
 * byte to read). Byte x of the stream lives at data[x mod size]; the
 * indices wrap at 2^32, so "bytes in the ring" is prod - cons in unsigned
 * 32-bit arithmetic (Xen docs/misc/xenstore-ring.txt). Neither index is
 * assumed to start at 0.
 *
 * The other domain can write both indices at any time, so they are
 * untrusted: if prod - cons > size the ring is corrupt, and every
 * function here returns -EIO without touching the data. Data offsets are
 * always masked with size - 1 and copies are bounded by the checked
 * counts, so no index value, however wrong, makes an access leave the
 * array. What is copied out is a private snapshot: parse the copy, never
 * the shared bytes (the other side could change them between a check and
 * a use).
 *
 * Memory ordering, for the side that reads (consumer):
 *   1. load prod (once, as one 32-bit load);
 *   2. read barrier, so the data is not read before prod was seen;
 *   3. copy the data out;
 *   4. full barrier, so the copy is complete before the producer can
 *      see the space as free (a load-before-store ordering, which a
 *      write barrier alone does not give);
 *   5. store cons.
 * And for the side that writes (producer):
 *   1. load cons;
 *   2. full barrier, so no byte is written into space the consumer has
 *      not finished reading (again load-before-store);
 *   3. copy the data in;
 *   4. write barrier, so the data is visible before the new prod;
 *   5. store prod.
 * After moving data, tell the other side through the ring's event
 * channel; the notification hypercall orders everything before it.
 *
 * Header-only and free of platform calls, so the xenstore client, the
 * console and host tests all share it. Example, the console's output:
 *
 *	struct xencons_interface *c = ...;
 *	struct mica_xen_ring out =
 *		MICA_XEN_RING(c->out, &c->out_prod, &c->out_cons);
 *	int n = mica_xen_ring_write(&out, buf, len);   (then notify)
 */
#ifndef MICA_XEN_RING_H
#define MICA_XEN_RING_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

/* Largest ring size: counts must fit in an int. */
#define MICA_XEN_RING_SIZE_MAX (1U << 30)

/*
 * The barriers Xen's protocols ask for, as compiler fences: on x86 the
 * read and write barriers cost nothing but keep the compiler from
 * reordering, the full barrier is an mfence.
 */
#define mica_xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define mica_xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define mica_xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* One direction of a byte ring: its data and its two indices. */
struct mica_xen_ring {
	char *data;	/* the ring's bytes, in the shared page */
	uint32_t size;	/* a power of two, at most MICA_XEN_RING_SIZE_MAX */
	uint32_t *prod; /* producer index, in the shared page */
	uint32_t *cons; /* consumer index, in the shared page */
};

/* A ring over an array member of a shared page: the size is the array's. */
#define MICA_XEN_RING(array, prod_ptr, cons_ptr)                              \
	((struct mica_xen_ring){(array), (uint32_t)sizeof(array), (prod_ptr), \
				(cons_ptr)})

static inline int mica_xen_ring_size_ok(uint32_t size)
{
	return size && !(size & (size - 1)) && size <= MICA_XEN_RING_SIZE_MAX;
}

/*
 * Bytes written and not yet consumed, given the two indices: 0..size, or
 * -EIO when they are further apart than the ring is large. Pure
 * arithmetic, right across the 2^32 wrap.
 */
static inline int mica_xen_ring_used(uint32_t prod, uint32_t cons,
				     uint32_t size)
{
	uint32_t used = prod - cons;

	return used <= size ? (int)used : -EIO;
}

/* Bytes the producer may still write: 0..size, or -EIO. */
static inline int mica_xen_ring_space(uint32_t prod, uint32_t cons,
				      uint32_t size)
{
	int used = mica_xen_ring_used(prod, cons, size);

	return used < 0 ? used : (int)(size - (uint32_t)used);
}

static inline uint32_t mica_xen_ring_load_(const uint32_t *idx)
{
	return __atomic_load_n(idx, __ATOMIC_RELAXED);
}

static inline void mica_xen_ring_store_(uint32_t *idx, uint32_t v)
{
	__atomic_store_n(idx, v, __ATOMIC_RELAXED);
}

/* Bytes ready to read now (a snapshot), or -EIO / -EINVAL. */
static inline int mica_xen_ring_readable(const struct mica_xen_ring *r)
{
	if (!mica_xen_ring_size_ok(r->size))
		return -EINVAL;
	return mica_xen_ring_used(mica_xen_ring_load_(r->prod),
				  mica_xen_ring_load_(r->cons), r->size);
}

/* Bytes that can be written now (a snapshot), or -EIO / -EINVAL. */
static inline int mica_xen_ring_writable(const struct mica_xen_ring *r)
{
	if (!mica_xen_ring_size_ok(r->size))
		return -EINVAL;
	return mica_xen_ring_space(mica_xen_ring_load_(r->prod),
				   mica_xen_ring_load_(r->cons), r->size);
}

/*
 * Copy n bytes of the stream, starting at stream offset idx, out of /
 * into the ring: at most two pieces, the second one from the start of
 * the array when the first reaches its end. n <= size.
 */
static inline void mica_xen_ring_copy_out_(const struct mica_xen_ring *r,
					   uint32_t idx, void *dst, uint32_t n)
{
	uint32_t off = idx & (r->size - 1);
	uint32_t first = n < r->size - off ? n : r->size - off;

	__builtin_memcpy(dst, r->data + off, first);
	__builtin_memcpy((char *)dst + first, r->data, n - first);
}

static inline void mica_xen_ring_copy_in_(const struct mica_xen_ring *r,
					  uint32_t idx, const void *src,
					  uint32_t n)
{
	uint32_t off = idx & (r->size - 1);
	uint32_t first = n < r->size - off ? n : r->size - off;

	__builtin_memcpy(r->data + off, src, first);
	__builtin_memcpy(r->data, (const char *)src + first, n - first);
}

/*
 * Consumer: copy up to len bytes out of the ring into buf and release
 * their space. Returns the number of bytes moved (0 when the ring is
 * empty), -EIO when the indices are corrupt (nothing is read then), or
 * -EINVAL for a ring whose size is not a power of two.
 */
static inline int mica_xen_ring_read(const struct mica_xen_ring *r, void *buf,
				     size_t len)
{
	uint32_t prod, cons;
	int used;

	if (!mica_xen_ring_size_ok(r->size))
		return -EINVAL;
	prod = mica_xen_ring_load_(r->prod);
	cons = mica_xen_ring_load_(r->cons);
	used = mica_xen_ring_used(prod, cons, r->size);
	if (used <= 0)
		return used;
	if ((size_t)used > len)
		used = (int)len;
	mica_xen_rmb();
	mica_xen_ring_copy_out_(r, cons, buf, (uint32_t)used);
	mica_xen_mb();
	mica_xen_ring_store_(r->cons, cons + (uint32_t)used);
	return used;
}

/*
 * Producer: copy up to len bytes from buf into the free space and
 * publish them. Returns the number of bytes moved (0 when the ring is
 * full), -EIO when the indices are corrupt (nothing is written then), or
 * -EINVAL for a bad ring size.
 */
static inline int mica_xen_ring_write(const struct mica_xen_ring *r,
				      const void *buf, size_t len)
{
	uint32_t prod, cons;
	int space;

	if (!mica_xen_ring_size_ok(r->size))
		return -EINVAL;
	prod = mica_xen_ring_load_(r->prod);
	cons = mica_xen_ring_load_(r->cons);
	space = mica_xen_ring_space(prod, cons, r->size);
	if (space <= 0)
		return space;
	if ((size_t)space > len)
		space = (int)len;
	mica_xen_mb();
	mica_xen_ring_copy_in_(r, prod, buf, (uint32_t)space);
	mica_xen_wmb();
	mica_xen_ring_store_(r->prod, prod + (uint32_t)space);
	return space;
}

#endif /* MICA_XEN_RING_H */
