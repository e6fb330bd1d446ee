/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu crash reports: SIGSEGV, SIGBUS, SIGILL and SIGFPE are caught on
 * an alternate stack (so a stack overflow is reported too) and turned into
 * the same register dump the bare-metal platforms print.
 * Structure layouts: the kernel's x86_64 uapi (asm/sigcontext.h,
 * asm-generic/siginfo.h, asm/ucontext.h).
 */
#include <stdint.h>
#include <mica/arch/regs.h>
#include <mica/debug.h>
#include "syscall.h"

#define LINUXU_SIGILL  4
#define LINUXU_SIGBUS  7
#define LINUXU_SIGFPE  8
#define LINUXU_SIGSEGV 11
struct linuxu_stack {
	void *sp;
	int flags;
	size_t size;
};

/* uc_mcontext.gregs[] indices (asm/sigcontext.h order) */
enum {
	G_R8,
	G_R9,
	G_R10,
	G_R11,
	G_R12,
	G_R13,
	G_R14,
	G_R15,
	G_RDI,
	G_RSI,
	G_RBP,
	G_RBX,
	G_RDX,
	G_RAX,
	G_RCX,
	G_RSP,
	G_RIP,
	G_EFL,
	G_CSGSFS,
	G_ERR,
	G_TRAPNO,
	G_OLDMASK,
	G_CR2,
	G_COUNT
};

struct linuxu_ucontext {
	unsigned long flags;
	void *link;
	struct linuxu_stack stack;
	uint64_t gregs[G_COUNT];
};

struct linuxu_siginfo {
	int signo, err, code, pad;
	void *addr;
};

void mica_linuxu_crash_init(void);

static char linuxu_altstack[16384] __mica_aligned(16);

static void linuxu_crash_handler(int sig, void *info_, void *uc_)
{
	const struct linuxu_siginfo *info = info_;
	const struct linuxu_ucontext *uc = uc_;
	const uint64_t *g = uc->gregs;
	struct mica_arch_regs r = {
		.r15 = g[G_R15],
		.r14 = g[G_R14],
		.r13 = g[G_R13],
		.r12 = g[G_R12],
		.r11 = g[G_R11],
		.r10 = g[G_R10],
		.r9 = g[G_R9],
		.r8 = g[G_R8],
		.rbp = g[G_RBP],
		.rdi = g[G_RDI],
		.rsi = g[G_RSI],
		.rdx = g[G_RDX],
		.rcx = g[G_RCX],
		.rbx = g[G_RBX],
		.rax = g[G_RAX],
		.vector = g[G_TRAPNO],
		.error = g[G_ERR],
		.rip = g[G_RIP],
		.cs = g[G_CSGSFS] & 0xffff,
		.rflags = g[G_EFL],
		.rsp = g[G_RSP],
	};
	const char *what = sig == LINUXU_SIGSEGV  ? "segmentation fault"
			   : sig == LINUXU_SIGBUS ? "bus error"
			   : sig == LINUXU_SIGILL ? "invalid opcode"
						  : "arithmetic exception";
	int has_addr = sig == LINUXU_SIGSEGV || sig == LINUXU_SIGBUS;

	mica_crash_regs(what, &r, has_addr, (unsigned long)info->addr);
}

void mica_linuxu_crash_init(void)
{
	static const int sigs[] = {LINUXU_SIGSEGV, LINUXU_SIGBUS, LINUXU_SIGILL,
				   LINUXU_SIGFPE};
	struct linuxu_stack ss = {
		.sp = linuxu_altstack,
		.size = sizeof(linuxu_altstack),
	};
	struct linuxu_sigaction sa = {
		.handler = linuxu_crash_handler,
		.flags = LINUXU_SA_SIGINFO | LINUXU_SA_ONSTACK |
			 LINUXU_SA_RESTORER,
		.restorer = mica_linuxu_sigreturn,
	};
	unsigned int i;

	linuxu_syscall3(LINUXU_SYS_SIGALTSTACK, (long)&ss, 0, 0);
	for (i = 0; i < MICA_ARRAY_SIZE(sigs); i++)
		linuxu_syscall4(LINUXU_SYS_RT_SIGACTION, sigs[i], (long)&sa, 0,
				sizeof(uint64_t));
}
