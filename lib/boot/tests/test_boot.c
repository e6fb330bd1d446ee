/* SPDX-License-Identifier: BSD-3-Clause */
#include <mica/boot.h>
#include <mica/test.h>

/*
 * Init functions registered out of order, in several classes and
 * priorities; each records its tag when it runs. Boot must have run them
 * by class, then priority, before main().
 */
static char order[16];
static int order_len;

#define ORDER_INIT(tag, macro, prio)                    \
	static int boot_test_init_##tag(void)           \
	{                                               \
		if (order_len < (int)sizeof(order) - 1) \
			order[order_len++] = #tag[0];   \
		return 0;                               \
	}                                               \
	macro(boot_test_init_##tag, prio)

ORDER_INIT(f, MICA_INIT_LATE, 9);
ORDER_INIT(c, MICA_INIT_MEMORY, 0);
ORDER_INIT(e, MICA_INIT_LATE, 0);
ORDER_INIT(a, MICA_INIT_EARLY, 5);
ORDER_INIT(d, MICA_INIT_DRIVERS, 3);
ORDER_INIT(b, MICA_INIT_PLAT, 1);
ORDER_INIT(z, MICA_INIT_EARLY, 9);

MICA_TEST(boot_init, runs_by_class_then_priority)
{
	MICA_EXPECT_STREQ(order, "azbcdef");
}

static int split(const char *in, char *buf, char **w, int max, int *err)
{
	int i;

	for (i = 0; in[i]; i++)
		buf[i] = in[i];
	buf[i] = '\0';
	return mica_cmdline_split(buf, w, max, err);
}

MICA_TEST(boot_cmdline, splits_words_and_quotes)
{
	char buf[128], *w[8];
	int err = -1;

	MICA_REQUIRE_EQ(split("  a  'b c' \"d\\\"e\" f\\ g ", buf, w, 8, &err),
			4);
	MICA_EXPECT_STREQ(w[0], "a");
	MICA_EXPECT_STREQ(w[1], "b c");
	MICA_EXPECT_STREQ(w[2], "d\"e");
	MICA_EXPECT_STREQ(w[3], "f g");
	MICA_EXPECT_EQ(split("", buf, w, 8, &err), 0);
	MICA_EXPECT_EQ(split(" \t ", buf, w, 8, &err), 0);
	MICA_EXPECT_EQ(split("x=''", buf, w, 8, &err), 1);
	MICA_EXPECT_STREQ(w[0], "x=");
}

MICA_TEST(boot_cmdline, rejects_unterminated_quotes)
{
	char buf[64], *w[8];
	int err = -1;

	MICA_EXPECT_EQ(split("a 'bc", buf, w, 8, &err), -1);
	MICA_EXPECT_EQ(err, 2);
	MICA_EXPECT_EQ(split("a \"b", buf, w, 8, &err), -1);
	MICA_EXPECT_EQ(split("trailing\\", buf, w, 8, &err), -1);
	MICA_EXPECT_EQ(err, 8);
}

MICA_TEST(boot_cmdline, counts_words_beyond_max)
{
	char buf[64], *w[2];
	int err;

	MICA_EXPECT_EQ(split("a b c d", buf, w, 2, &err), 4);
	MICA_EXPECT_STREQ(w[1], "b");
}
