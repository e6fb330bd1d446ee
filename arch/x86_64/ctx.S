/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread switch (see mica/arch/ctx.h for what is saved and why).
 * rdi = prev, rsi = next.
 */
#include <mica/arch/ctx.h>

	.section .text.mica_arch_ctx_switch, "ax"
	.globl mica_arch_ctx_switch
	.type mica_arch_ctx_switch, @function
mica_arch_ctx_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	stmxcsr	MICA_ARCH_CTX_MXCSR(%rdi)
	fnstcw	MICA_ARCH_CTX_FCW(%rdi)
	movq	%rsp, MICA_ARCH_CTX_SP(%rdi)

	movq	MICA_ARCH_CTX_SP(%rsi), %rsp
	cmpl	$0, MICA_ARCH_CTX_FPU_FULL(%rsi)
	jne	1f
	ldmxcsr	MICA_ARCH_CTX_MXCSR(%rsi)
	fldcw	MICA_ARCH_CTX_FCW(%rsi)
	jmp	2f
1:	fxrstor64 MICA_ARCH_CTX_FPU(%rsi)
	movl	$0, MICA_ARCH_CTX_FPU_FULL(%rsi)
2:	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size mica_arch_ctx_switch, . - mica_arch_ctx_switch

/*
 * First code of a new thread: mica_arch_ctx_init() left entry in r13 and
 * its argument in r12; rsp is 16-byte aligned here, as before a call.
 * rbp is 0 so backtraces stop at the thread's first frame.
 */
	.section .text.mica_arch_ctx_start, "ax"
	.globl mica_arch_ctx_start
	.type mica_arch_ctx_start, @function
mica_arch_ctx_start:
	movq	%r12, %rdi
	callq	*%r13
	ud2
	.size mica_arch_ctx_start, . - mica_arch_ctx_start

	.section .note.GNU-stack, "", @progbits
