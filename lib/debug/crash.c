/* SPDX-License-Identifier: BSD-3-Clause */
/* Fatal errors: a message, a backtrace, then the platform's shutdown. */
#include <stdarg.h>
#include <mica/arch/frame.h>
#include <mica/debug.h>
#include <mica/print.h>
#include <mica/plat/lcpu.h>
#include "debug_arch.h"

/* Frames further apart than this are taken to be garbage. */
#define BACKTRACE_MAX_FRAME_GAP (1UL << 20)
#define BACKTRACE_MAX_DEPTH	32

static int crashing;

__mica_weak void mica_crash_context(int has_addr, unsigned long addr)
{
	(void)has_addr;
	(void)addr;
}

void mica_backtrace(unsigned long fp)
{
	const struct mica_arch_frame *f;
	int depth;

	if (!fp)
		fp = (unsigned long)__builtin_frame_address(0);
	f = (const struct mica_arch_frame *)fp;
	mica_printf("backtrace:\n");
	for (depth = 0; depth < BACKTRACE_MAX_DEPTH; depth++) {
		unsigned long here = (unsigned long)f;

		if (!here || !MICA_IS_ALIGNED(here, sizeof(long)) ||
		    f->ret == 0)
			break;
		mica_printf("  #%d 0x%016lx\n", depth, f->ret);
		if ((unsigned long)f->next <= here ||
		    (unsigned long)f->next - here > BACKTRACE_MAX_FRAME_GAP)
			break;
		f = f->next;
	}
}

/* A crash inside a crash report must not loop: stop at once. */
static void crash_enter(void)
{
	mica_plat_irq_disable();
	if (crashing++)
		mica_plat_shutdown(MICA_EXIT_CRASH);
}

static __mica_noreturn void crash_leave(void)
{
	mica_printf("stopping with exit status %d\n", MICA_EXIT_CRASH);
	mica_plat_shutdown(MICA_EXIT_CRASH);
}

void mica_crash(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	crash_enter();
	mica_printf("CRASH at %s:%d: ", file, line);
	va_start(ap, fmt);
	mica_vprintf(fmt, ap);
	va_end(ap);
	mica_printf("\n");
	mica_crash_context(0, 0);
	mica_backtrace((unsigned long)__builtin_frame_address(0));
	crash_leave();
}

void mica_crash_regs(const char *what, const struct mica_arch_regs *regs,
		     int has_addr, unsigned long addr)
{
	crash_enter();
	mica_printf("CRASH: %s", what);
	if (has_addr)
		mica_printf(" at address 0x%lx", addr);
	mica_printf("\n");
	mica_crash_context(has_addr, addr);
	mica_debug_dump_regs(regs);
	mica_debug_backtrace_regs(regs);
	crash_leave();
}
