/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host tests for the Xen byte-ring helpers (plat/xen/include/mica/xen/
 * ring.h): index arithmetic across the 2^32 wrap, empty and full rings,
 * copies that cross the end of the array, corrupt indices, and a long
 * randomised stream checked byte for byte. The ring array is allocated
 * at its exact size, so ASan catches any access past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mica/test.h>
#include <mica/xen/ring.h>

struct test_ring {
	struct mica_xen_ring r;
	uint32_t prod, cons;
	char *data;
};

static void ring_open(struct test_ring *t, uint32_t size, uint32_t start)
{
	t->data = malloc(size);
	memset(t->data, 0xee, size);
	t->prod = t->cons = start;
	t->r = (struct mica_xen_ring){t->data, size, &t->prod, &t->cons};
}

static void ring_close(struct test_ring *t)
{
	free(t->data);
}

MICA_TEST(xen_ring, used_and_space_across_wrap)
{
	MICA_EXPECT_EQ(mica_xen_ring_used(5, 5, 16), 0);
	MICA_EXPECT_EQ(mica_xen_ring_space(5, 5, 16), 16);
	MICA_EXPECT_EQ(mica_xen_ring_used(21, 5, 16), 16);
	MICA_EXPECT_EQ(mica_xen_ring_space(21, 5, 16), 0);
	/* prod has wrapped past 2^32, cons has not. */
	MICA_EXPECT_EQ(mica_xen_ring_used(3, UINT32_MAX - 4, 16), 8);
	MICA_EXPECT_EQ(mica_xen_ring_space(3, UINT32_MAX - 4, 16), 8);
	MICA_EXPECT_EQ(mica_xen_ring_used(10, UINT32_MAX - 5, 16), 16);
	MICA_EXPECT_EQ(mica_xen_ring_used(0, 0, 1024), 0);
	MICA_EXPECT_EQ(mica_xen_ring_used(UINT32_MAX, UINT32_MAX, 1024), 0);
}

MICA_TEST(xen_ring, corrupt_indices_rejected)
{
	struct test_ring t;
	char buf[64] = {0};

	/* One past full, cons ahead of prod, garbage. */
	MICA_EXPECT_EQ(mica_xen_ring_used(17, 0, 16), -EIO);
	MICA_EXPECT_EQ(mica_xen_ring_used(0, 1, 16), -EIO);
	MICA_EXPECT_EQ(mica_xen_ring_space(0x80000000U, 0, 1024), -EIO);
	MICA_EXPECT_EQ(mica_xen_ring_used(11, UINT32_MAX - 5, 16), -EIO);

	ring_open(&t, 16, 100);
	t.prod = 100 + 17;
	MICA_EXPECT_EQ(mica_xen_ring_readable(&t.r), -EIO);
	MICA_EXPECT_EQ(mica_xen_ring_writable(&t.r), -EIO);
	MICA_EXPECT_EQ(mica_xen_ring_read(&t.r, buf, sizeof(buf)), -EIO);
	MICA_EXPECT_EQ(mica_xen_ring_write(&t.r, buf, sizeof(buf)), -EIO);
	/* Nothing moved. */
	MICA_EXPECT_EQ(t.prod, 117);
	MICA_EXPECT_EQ(t.cons, 100);
	t.prod = 99;
	MICA_EXPECT_EQ(mica_xen_ring_read(&t.r, buf, sizeof(buf)), -EIO);
	MICA_EXPECT_EQ(t.cons, 100);
	ring_close(&t);
}

MICA_TEST(xen_ring, bad_size_rejected)
{
	char data[24], buf[4] = {0};
	uint32_t prod = 0, cons = 0;
	struct mica_xen_ring r = {data, 24, &prod, &cons};

	MICA_EXPECT_FALSE(mica_xen_ring_size_ok(0));
	MICA_EXPECT_FALSE(mica_xen_ring_size_ok(24));
	MICA_EXPECT_FALSE(mica_xen_ring_size_ok(1U << 31));
	MICA_EXPECT_TRUE(mica_xen_ring_size_ok(1));
	MICA_EXPECT_TRUE(mica_xen_ring_size_ok(MICA_XEN_RING_SIZE_MAX));
	MICA_EXPECT_EQ(mica_xen_ring_write(&r, buf, sizeof(buf)), -EINVAL);
	MICA_EXPECT_EQ(mica_xen_ring_read(&r, buf, sizeof(buf)), -EINVAL);
}

MICA_TEST(xen_ring, empty_and_full)
{
	struct test_ring t;
	char in[16], got[32];

	for (int i = 0; i < 16; i++)
		in[i] = (char)('a' + i);
	ring_open(&t, 16, 7);
	MICA_EXPECT_EQ(mica_xen_ring_read(&t.r, got, sizeof(got)), 0);
	MICA_EXPECT_EQ(mica_xen_ring_write(&t.r, in, 16), 16);
	MICA_EXPECT_EQ(mica_xen_ring_readable(&t.r), 16);
	MICA_EXPECT_EQ(mica_xen_ring_writable(&t.r), 0);
	/* Full: a write moves nothing, and says so. */
	MICA_EXPECT_EQ(mica_xen_ring_write(&t.r, in, 1), 0);
	MICA_EXPECT_EQ(mica_xen_ring_read(&t.r, got, sizeof(got)), 16);
	MICA_EXPECT_MEMEQ(got, in, 16);
	MICA_EXPECT_EQ(t.prod, 7 + 16);
	MICA_EXPECT_EQ(t.cons, 7 + 16);
	MICA_EXPECT_EQ(mica_xen_ring_read(&t.r, got, 0), 0);
	ring_close(&t);
}

MICA_TEST(xen_ring, partial_copies_across_end)
{
	struct test_ring t;
	char got[16];

	/* Indices 4 bytes before both the array's end and 2^32. */
	ring_open(&t, 16, UINT32_MAX - 3);
	MICA_EXPECT_EQ(mica_xen_ring_write(&t.r, "0123456789", 10), 10);
	MICA_EXPECT_EQ(t.prod, 6);
	/* The first four bytes at the end of the array, the rest at 0. */
	MICA_EXPECT_MEMEQ(t.data + 12, "0123", 4);
	MICA_EXPECT_MEMEQ(t.data, "456789", 6);
	/* A short read stops before the end; the next crosses it. */
	MICA_EXPECT_EQ(mica_xen_ring_read(&t.r, got, 3), 3);
	MICA_EXPECT_MEMEQ(got, "012", 3);
	MICA_EXPECT_EQ(mica_xen_ring_read(&t.r, got, 5), 5);
	MICA_EXPECT_MEMEQ(got, "34567", 5);
	MICA_EXPECT_EQ(t.cons, 4);
	/* Only the free space is written: 14 of 20. */
	MICA_EXPECT_EQ(mica_xen_ring_write(&t.r, "abcdefghijklmnopqrst", 20),
		       14);
	MICA_EXPECT_EQ(mica_xen_ring_read(&t.r, got, sizeof(got)), 16);
	MICA_EXPECT_MEMEQ(got, "89abcdefghijklmn", 16);
	ring_close(&t);
}

MICA_TEST(xen_ring, macro_takes_array_size)
{
	struct {
		char in[1024];
		char out[2048];
		uint32_t in_cons, in_prod, out_cons, out_prod;
	} page;
	struct mica_xen_ring out =
		MICA_XEN_RING(page.out, &page.out_prod, &page.out_cons);

	MICA_EXPECT_EQ(out.size, 2048);
	MICA_EXPECT_TRUE(out.data == page.out);
}

/*
 * A stream of pseudo-random bytes through a small ring in pseudo-random
 * chunk sizes, starting just before 2^32: what comes out is what went
 * in, and the indices are never further apart than the size.
 */
MICA_TEST(xen_ring, random_stream_round_trip)
{
	enum { TOTAL = 200000 };
	unsigned char *src = malloc(TOTAL), *dst = malloc(TOTAL);
	uint32_t rnd = 12345;
	size_t wr = 0, rd = 0;
	struct test_ring t;
	int n, bad = 0;

	for (int i = 0; i < TOTAL; i++) {
		rnd = rnd * 1103515245 + 12345;
		src[i] = (unsigned char)(rnd >> 16);
	}
	ring_open(&t, 64, UINT32_MAX - 100);
	while (rd < TOTAL && !bad) {
		rnd = rnd * 1103515245 + 12345;
		n = mica_xen_ring_write(&t.r, src + wr,
					MICA_MIN((rnd >> 16) % 80, TOTAL - wr));
		bad |= n < 0;
		wr += n > 0 ? (size_t)n : 0;
		bad |= t.prod - t.cons > 64;
		rnd = rnd * 1103515245 + 12345;
		n = mica_xen_ring_read(&t.r, dst + rd,
				       MICA_MIN((rnd >> 16) % 80, TOTAL - rd));
		bad |= n < 0;
		rd += n > 0 ? (size_t)n : 0;
	}
	MICA_EXPECT_FALSE(bad);
	MICA_EXPECT_EQ(rd, TOTAL);
	MICA_EXPECT_MEMEQ(src, dst, TOTAL);
	ring_close(&t);
	free(src);
	free(dst);
}
