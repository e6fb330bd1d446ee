/* SPDX-License-Identifier: BSD-3-Clause */
#include <mica/arch/regs.h>
#include <mica/debug.h>
#include <mica/print.h>
#include "../debug_arch.h"

void mica_debug_dump_regs(const struct mica_arch_regs *r)
{
	mica_printf("rip %016lx  rsp %016lx  rflags %016lx\n",
		    (unsigned long)r->rip, (unsigned long)r->rsp,
		    (unsigned long)r->rflags);
	mica_printf("rax %016lx  rbx %016lx  rcx %016lx\n",
		    (unsigned long)r->rax, (unsigned long)r->rbx,
		    (unsigned long)r->rcx);
	mica_printf("rdx %016lx  rsi %016lx  rdi %016lx\n",
		    (unsigned long)r->rdx, (unsigned long)r->rsi,
		    (unsigned long)r->rdi);
	mica_printf("rbp %016lx  r8  %016lx  r9  %016lx\n",
		    (unsigned long)r->rbp, (unsigned long)r->r8,
		    (unsigned long)r->r9);
	mica_printf("r10 %016lx  r11 %016lx  r12 %016lx\n",
		    (unsigned long)r->r10, (unsigned long)r->r11,
		    (unsigned long)r->r12);
	mica_printf("r13 %016lx  r14 %016lx  r15 %016lx\n",
		    (unsigned long)r->r13, (unsigned long)r->r14,
		    (unsigned long)r->r15);
	mica_printf("vector %lu  error %#lx  cs %#lx  ss %#lx\n",
		    (unsigned long)r->vector, (unsigned long)r->error,
		    (unsigned long)r->cs, (unsigned long)r->ss);
}

void mica_debug_backtrace_regs(const struct mica_arch_regs *r)
{
	mica_printf("pc: 0x%016lx\n", (unsigned long)r->rip);
	if (r->rbp)
		mica_backtrace(r->rbp);
}
