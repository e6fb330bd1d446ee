/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * assert() as C11 7.2 has it: with NDEBUG defined at the point of
 * inclusion it expands to nothing (and does not evaluate its argument),
 * otherwise a failed assertion prints the expression, file, line and
 * function and stops the image as a crash. Like every <assert.h>, this
 * one may be included again with NDEBUG changed.
 */
#undef assert

#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) \
	((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef MICA_NOLIBC_ASSERT_H
#define MICA_NOLIBC_ASSERT_H

/* Same name and signature as glibc's, so objects link against either. */
void __assert_fail(const char *expr, const char *file, unsigned int line,
		   const char *func) __attribute__((noreturn));

#ifndef __cplusplus
#define static_assert _Static_assert
#endif

#endif /* MICA_NOLIBC_ASSERT_H */
