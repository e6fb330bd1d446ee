/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiler helpers shared by every layer. Nothing here depends on the
 * configuration or on a platform.
 */
#ifndef MICA_COMPILER_H
#define MICA_COMPILER_H

#define __mica_noreturn	     __attribute__((noreturn))
#define __mica_unused	     __attribute__((unused))
#define __mica_used	     __attribute__((used))
#define __mica_weak	     __attribute__((weak))
#define __mica_packed	     __attribute__((packed))
#define __mica_aligned(x)    __attribute__((aligned(x)))
#define __mica_section(s)    __attribute__((section(s)))
#define __mica_printf(f, a)  __attribute__((format(__printf__, f, a)))
#define __mica_noinline	     __attribute__((noinline))
#define __mica_always_inline inline __attribute__((always_inline))

/*
 * For entries of link-time tables (init functions, consoles, parameters,
 * tests): their owner walks each table as an array, so an entry must not
 * get the extra alignment GCC gives larger objects (16 or 32 bytes on
 * x86_64), which would leave gaps. An explicit alignment turns that off.
 */
#define __mica_table_entry __attribute__((aligned(8)))

#define mica_likely(x)	 __builtin_expect(!!(x), 1)
#define mica_unlikely(x) __builtin_expect(!!(x), 0)

#define MICA_STRINGIFY_(x) #x
#define MICA_STRINGIFY(x)  MICA_STRINGIFY_(x)
#define MICA_CONCAT_(a, b) a##b
#define MICA_CONCAT(a, b)  MICA_CONCAT_(a, b)

#define MICA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Power-of-two alignment helpers. */
#define MICA_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define MICA_ALIGN_UP(x, a)   MICA_ALIGN_DOWN((x) + (a)-1, (a))
#define MICA_IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define mica_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define MICA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MICA_MAX(a, b) ((a) > (b) ? (a) : (b))

#define MICA_BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

/*
 * Every library is compiled with MICA_LIBNAME set to its short name
 * ("nolibc", "plat_kvm", ...). Code outside the build (host tests) gets a
 * fallback so headers stay usable there.
 */
#ifndef MICA_LIBNAME
#define MICA_LIBNAME "unknown"
#endif

#endif /* MICA_COMPILER_H */
