/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 register state at a trap. The layout is what the trap entry code
 * builds on the stack (lowest address first), so a pointer to the stack is
 * a pointer to this struct.
 */
#ifndef MICA_ARCH_REGS_H
#define MICA_ARCH_REGS_H

#include <stdint.h>

struct mica_arch_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

#endif /* MICA_ARCH_REGS_H */
