/* SPDX-License-Identifier: BSD-3-Clause */
#include <mica/params.h>
#include <mica/test.h>

static int t_int = 7;
static unsigned int t_uint = 1;
static size_t t_size = 0;
static int t_flag;
static const char *t_str = "default";
MICA_PARAM_INT(t_int, t_int, "test int");
MICA_PARAM_UINT(t_uint, t_uint, "test uint");
MICA_PARAM_SIZE(t_size, t_size, "test size");
MICA_PARAM_BOOL(t_flag, t_flag, "test flag");
MICA_PARAM_STRING(t_str, t_str, "test string");

static int set(const char *s)
{
	static char buf[8][64];
	static int next;
	char *b = buf[next++ % 8];
	int i;

	for (i = 0; s[i] && i < 63; i++)
		b[i] = s[i];
	b[i] = '\0';
	return mica_param_set(b);
}

MICA_TEST(params, sets_integers)
{
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_int=-42"), 0);
	MICA_EXPECT_EQ(t_int, -42);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_int=0x7fffffff"), 0);
	MICA_EXPECT_EQ(t_int, 0x7fffffff);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_int=-2147483648"), 0);
	MICA_EXPECT_EQ(t_int, -2147483647 - 1);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_uint=4294967295"), 0);
	MICA_EXPECT_EQ(t_uint, 4294967295u);
}

MICA_TEST(params, rejects_bad_values_and_keeps_default)
{
	t_int = 5;
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_int=2147483648"), -22);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_int=12abc"), -22);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_int="), -22);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_int"), -22);
	MICA_EXPECT_EQ(t_int, 5);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_uint=-1"), -22);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_size=99999999999999999999"), -22);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_size=16E"), -22);
}

MICA_TEST(params, sizes_take_binary_suffixes)
{
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_size=64M"), 0);
	MICA_EXPECT_EQ(t_size, (size_t)64 << 20);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_size=3k"), 0);
	MICA_EXPECT_EQ(t_size, 3072);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_size=0x10G"), 0);
	MICA_EXPECT_EQ(t_size, (size_t)16 << 30);
}

MICA_TEST(params, bools_and_strings)
{
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_flag"), 0);
	MICA_EXPECT_EQ(t_flag, 1);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_flag=off"), 0);
	MICA_EXPECT_EQ(t_flag, 0);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_flag=maybe"), -22);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_str=hello world"), 0);
	MICA_EXPECT_STREQ(t_str, "hello world");
}

MICA_TEST(params, unknown_names_are_enoent)
{
	MICA_EXPECT_EQ(set("nosuchlib.t_int=1"), -2);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".nosuch=1"), -2);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_in=1"), -2);
	MICA_EXPECT_EQ(set(MICA_LIBNAME ".t_int_x=1"), -2);
	MICA_EXPECT_EQ(set("t_int=1"), -2);
	MICA_EXPECT_EQ(set(""), -2);
}
