/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xenbus against whatever xenstored is there: the real one in a Xen
 * domU, a fake one in the host test (tests/host/xenbus_fake.c). Each
 * case works under this domain's data/mica-test, which a domU may write,
 * and passes without checking anything when there is no xenstore (dom0).
 */
#include <errno.h>
#include <string.h>
#include <mica/plat/time.h>
#include <mica/test.h>
#include <mica/xen/xenbus.h>

#define DIR   "data/mica-test"
#define WAIT  (2 * MICA_NSEC_PER_SEC)
#define SHORT (50 * MICA_NSEC_PER_MSEC)

/* A clean data/mica-test, or 0 when there is no xenstore to test. */
static int fresh(void)
{
	unsigned int domid;
	int rc = mica_xenbus_read_uint(MICA_XENBUS_TX_NONE, "domid", &domid);

	if (rc == -ENODEV) {
		mica_test_log("no xenstore in this domain: nothing to test");
		return 0;
	}
	MICA_EXPECT_EQ(rc, 0);
	mica_xenbus_rm(MICA_XENBUS_TX_NONE, DIR);
	return rc == 0;
}

static int has(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++) {
		if (!strcmp(names[i], name))
			return 1;
	}
	return 0;
}

MICA_TEST(xen_xenbus, write_then_read)
{
	char buf[32];

	if (!fresh())
		return;
	MICA_REQUIRE_EQ(mica_xenbus_write(0, DIR "/key", "value"), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, DIR "/key", buf, sizeof(buf)), 5);
	MICA_EXPECT_STREQ(buf, "value");
	MICA_REQUIRE_EQ(mica_xenbus_write(0, DIR "/empty", ""), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, DIR "/empty", buf, sizeof(buf)), 0);
	MICA_EXPECT_STREQ(buf, "");
}

MICA_TEST(xen_xenbus, read_errors)
{
	char buf[8];
	unsigned int v;

	if (!fresh())
		return;
	MICA_EXPECT_EQ(mica_xenbus_read(0, DIR "/missing", buf, sizeof(buf)),
		       -ENOENT);
	MICA_REQUIRE_EQ(mica_xenbus_write(0, DIR "/long", "12345678"), 0);
	/* 8 bytes and the NUL do not fit 8; 7 + NUL would. */
	MICA_EXPECT_EQ(mica_xenbus_read(0, DIR "/long", buf, sizeof(buf)),
		       -E2BIG);
	MICA_EXPECT_EQ(mica_xenbus_read_uint(0, DIR "/long", &v), 0);
	MICA_EXPECT_EQ(v, 12345678);
	MICA_REQUIRE_EQ(mica_xenbus_write(0, DIR "/word", "12a"), 0);
	MICA_EXPECT_EQ(mica_xenbus_read_uint(0, DIR "/word", &v), -EINVAL);
}

MICA_TEST(xen_xenbus, printf_formats_value)
{
	char buf[32];

	if (!fresh())
		return;
	MICA_REQUIRE_EQ(
		mica_xenbus_printf(0, DIR "/ring-ref", "%u-%s", 42U, "x"), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, DIR "/ring-ref", buf, sizeof(buf)),
		       4);
	MICA_EXPECT_STREQ(buf, "42-x");
}

MICA_TEST(xen_xenbus, directory_and_rm)
{
	char buf[64];
	const char *names[4];
	int n;

	if (!fresh())
		return;
	MICA_REQUIRE_EQ(mica_xenbus_write(0, DIR "/dir/a", "1"), 0);
	MICA_REQUIRE_EQ(mica_xenbus_write(0, DIR "/dir/bb", "2"), 0);
	MICA_REQUIRE_EQ(mica_xenbus_mkdir(0, DIR "/dir/ccc"), 0);
	n = mica_xenbus_directory(0, DIR "/dir", buf, sizeof(buf), names, 4);
	MICA_REQUIRE_EQ(n, 3);
	MICA_EXPECT_TRUE(has(names, n, "a"));
	MICA_EXPECT_TRUE(has(names, n, "bb"));
	MICA_EXPECT_TRUE(has(names, n, "ccc"));
	/* Too few slots, too small a buffer ("a\0bb\0ccc\0" is 9 bytes). */
	MICA_EXPECT_EQ(mica_xenbus_directory(0, DIR "/dir", buf, sizeof(buf),
					     names, 2),
		       -E2BIG);
	MICA_EXPECT_EQ(mica_xenbus_directory(0, DIR "/dir", buf, 8, names, 4),
		       -E2BIG);
	MICA_EXPECT_EQ(mica_xenbus_directory(0, DIR "/dir/a", buf, sizeof(buf),
					     names, 4),
		       0);
	MICA_EXPECT_EQ(mica_xenbus_directory(0, DIR "/nodir", buf, sizeof(buf),
					     names, 4),
		       -ENOENT);
	MICA_REQUIRE_EQ(mica_xenbus_rm(0, DIR "/dir"), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, DIR "/dir/a", buf, sizeof(buf)),
		       -ENOENT);
}

MICA_TEST(xen_xenbus, transaction_commit_and_abort)
{
	char buf[16];
	uint32_t tx;

	if (!fresh())
		return;
	MICA_REQUIRE_EQ(mica_xenbus_tx_start(&tx), 0);
	MICA_EXPECT_NE(tx, MICA_XENBUS_TX_NONE);
	MICA_EXPECT_EQ(mica_xenbus_write(tx, DIR "/tx", "kept"), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(tx, DIR "/tx", buf, sizeof(buf)), 4);
	MICA_EXPECT_EQ(mica_xenbus_tx_end(tx, 1), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, DIR "/tx", buf, sizeof(buf)), 4);

	MICA_REQUIRE_EQ(mica_xenbus_tx_start(&tx), 0);
	MICA_EXPECT_EQ(mica_xenbus_write(tx, DIR "/tx", "dropped"), 0);
	MICA_EXPECT_EQ(mica_xenbus_tx_end(tx, 0), 0);
	MICA_EXPECT_EQ(mica_xenbus_read(0, DIR "/tx", buf, sizeof(buf)), 4);
	MICA_EXPECT_STREQ(buf, "kept");
}

struct seen {
	struct mica_xenbus_watch watch;
	int count;
	char path[64];
};

static void seen_fn(struct mica_xenbus_watch *w, const char *path)
{
	struct seen *s = mica_container_of(w, struct seen, watch);

	s->count++;
	strncpy(s->path, path, sizeof(s->path) - 1);
}

/* Wait for the watch's count to pass n (events may come in bursts). */
static int seen_wait(struct seen *s, int n, uint64_t timeout)
{
	uint64_t now = mica_plat_monotonic_ns(), end = now + timeout;

	while (s->count <= n && now < end) {
		mica_xenbus_wait_event(end - now);
		now = mica_plat_monotonic_ns();
	}
	return s->count > n;
}

MICA_TEST(xen_xenbus, watch_fires_until_removed)
{
	struct seen s = {.watch = {.path = DIR "/w", .fn = seen_fn}};
	int before;

	if (!fresh())
		return;
	MICA_REQUIRE_EQ(mica_xenbus_watch_add(&s.watch), 0);
	/* xenstored fires a new watch once, with its own path. */
	MICA_EXPECT_TRUE(seen_wait(&s, 0, WAIT));
	MICA_EXPECT_STREQ(s.path, DIR "/w");
	before = s.count;
	MICA_REQUIRE_EQ(mica_xenbus_write(0, DIR "/w/child", "x"), 0);
	MICA_EXPECT_TRUE(seen_wait(&s, before, WAIT));
	/* (Some xenstoreds also report the parent they created.) */
	MICA_EXPECT_EQ(strncmp(s.path, DIR "/w", strlen(DIR "/w")), 0);
	MICA_EXPECT_EQ(mica_xenbus_watch_remove(&s.watch), 0);
	before = s.count;
	MICA_REQUIRE_EQ(mica_xenbus_write(0, DIR "/w/child", "y"), 0);
	MICA_EXPECT_FALSE(seen_wait(&s, before, SHORT));
}

MICA_TEST(xen_xenbus, state_switch_read_wait)
{
	XenbusState st = XenbusStateClosed;

	if (!fresh())
		return;
	MICA_EXPECT_EQ(mica_xenbus_state_read(DIR "/dev", &st), 0);
	MICA_EXPECT_EQ(st, XenbusStateUnknown);
	/* No state node: the device is gone, nothing is created. */
	MICA_EXPECT_EQ(mica_xenbus_state_switch(DIR "/dev", XenbusStateClosed),
		       -ENODEV);
	MICA_REQUIRE_EQ(mica_xenbus_printf(0, DIR "/dev/state", "%d",
					   XenbusStateInitialising),
			0);
	MICA_EXPECT_EQ(
		mica_xenbus_state_switch(DIR "/dev", XenbusStateConnected), 0);
	MICA_EXPECT_EQ(mica_xenbus_state_read(DIR "/dev", &st), 0);
	MICA_EXPECT_EQ(st, XenbusStateConnected);
	st = XenbusStateUnknown;
	MICA_EXPECT_EQ(mica_xenbus_state_wait(
			       DIR "/dev",
			       MICA_XENBUS_STATE_BIT(XenbusStateConnected) |
				       MICA_XENBUS_STATE_BIT(XenbusStateClosed),
			       &st, WAIT),
		       0);
	MICA_EXPECT_EQ(st, XenbusStateConnected);
	MICA_EXPECT_EQ(
		mica_xenbus_state_wait(DIR "/dev",
				       MICA_XENBUS_STATE_BIT(XenbusStateClosed),
				       &st, SHORT),
		-ETIMEDOUT);
	MICA_EXPECT_STREQ(mica_xenbus_state_name(XenbusStateInitWait),
			  "InitWait");
}
