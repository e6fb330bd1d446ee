/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Assertions and fatal errors.
 *
 * MICA_ASSERT(cond)   a caller bug; compiled out unless LIB_DEBUG_ASSERT.
 * MICA_BUG_ON(cond)   corrupted internal state; always checked.
 * MICA_CRASH(fmt,...) stop the image: message, backtrace, non-zero exit.
 *
 * Never use these on untrusted input (device rings, packets, the command
 * line): answer bad input with an error instead.
 */
#ifndef MICA_DEBUG_H
#define MICA_DEBUG_H

#include <mica/compiler.h>
#include <mica/config.h>

/* Exit status of an image that crashed (trap, assertion, abort). */
#define MICA_EXIT_CRASH 125

void mica_crash(const char *file, int line, const char *fmt, ...)
	__mica_printf(3, 4) __mica_noreturn;

/*
 * Print a frame-pointer backtrace starting at frame pointer fp (0 = the
 * caller's frame). Stops at a NULL, misaligned or non-increasing frame.
 */
void mica_backtrace(unsigned long fp);

struct mica_arch_regs;

/*
 * Report a CPU trap or fatal signal: what happened, the fault address if
 * has_addr, every register and a backtrace from the trapped frame; then
 * stop with MICA_EXIT_CRASH. Called by platforms' trap handlers.
 */
void mica_crash_regs(const char *what, const struct mica_arch_regs *regs,
		     int has_addr, unsigned long addr) __mica_noreturn;

/*
 * Called by every crash report after its first line, to add what other
 * libraries know: the scheduler names the running thread, and a fault
 * address inside a thread's stack guard page becomes "stack overflow in
 * thread ...". The default does nothing; lib/sched overrides it.
 */
void mica_crash_context(int has_addr, unsigned long addr);

#define MICA_CRASH(fmt, ...) mica_crash(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define MICA_BUG_ON(cond)                                                 \
	do {                                                              \
		if (mica_unlikely(cond))                                  \
			mica_crash(__FILE__, __LINE__, "BUG: %s", #cond); \
	} while (0)

#ifdef CONFIG_LIB_DEBUG_ASSERT
#define MICA_ASSERT(cond)                                                      \
	do {                                                                   \
		if (mica_unlikely(!(cond)))                                    \
			mica_crash(__FILE__, __LINE__, "assertion failed: %s", \
				   #cond);                                     \
	} while (0)
#else
#define MICA_ASSERT(cond) ((void)sizeof(!(cond)))
#endif

#endif /* MICA_DEBUG_H */
