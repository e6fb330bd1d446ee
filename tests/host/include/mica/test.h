/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host build of <mica/test.h>: the real API, but cases are collected in
 * one section with a C-identifier name, so the host linker provides
 * __start_/__stop_ symbols for tests/host/mica_test_host.c to walk (the
 * image's ".mica_tests.<suite>.<case>" sections need the image's linker
 * script).
 */
#ifndef MICA_HOST_TEST_H
#define MICA_HOST_TEST_H

#include "../../../../lib/test/include/mica/test.h"

#undef MICA_TEST
#define MICA_TEST(suite, name)                                                \
	static void mica_test_##suite##__##name(void);                        \
	static const struct mica_test_case                                    \
		mica_test_case_##suite##__##name __mica_used __mica_aligned(  \
			sizeof(void *)) __mica_section("mica_host_tests") = { \
			#suite, #name, mica_test_##suite##__##name};          \
	static void mica_test_##suite##__##name(void)

#endif /* MICA_HOST_TEST_H */
