/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entry stubs for all 256 vectors. Each pushes an error code (0 where the
 * CPU does not push one, Intel SDM vol. 3, 6.15) and its vector, so every
 * entry builds the struct mica_arch_regs layout: exceptions (0-31) reach
 * mica_x86_trap(), interrupts (32-255) mica_x86_irq().
 *
 * In 64-bit mode the CPU aligns the stack to 16 bytes before pushing its
 * 40-byte frame (SDM vol. 3, 6.14.2); with the 16 bytes pushed by the
 * stub and the 15 registers (120 bytes), %rsp is 16-byte aligned again
 * at the call, as the C ABI and fxsave want.
 */
	.macro TRAP_NOERR n
	.section .text.mica_x86_traps, "ax"
trap_\n:
	pushq	$0
	pushq	$\n
	jmp	trap_common
	.section .rodata.mica_x86_trap_stubs, "a"
	.quad	trap_\n
	.endm

	.macro TRAP_ERR n
	.section .text.mica_x86_traps, "ax"
trap_\n:
	pushq	$\n
	jmp	trap_common
	.section .rodata.mica_x86_trap_stubs, "a"
	.quad	trap_\n
	.endm

	.section .rodata.mica_x86_trap_stubs, "a"
	.align 8
	.globl mica_x86_trap_stubs
mica_x86_trap_stubs:
	TRAP_NOERR 0
	TRAP_NOERR 1
	TRAP_NOERR 2
	TRAP_NOERR 3
	TRAP_NOERR 4
	TRAP_NOERR 5
	TRAP_NOERR 6
	TRAP_NOERR 7
	TRAP_ERR 8
	TRAP_NOERR 9
	TRAP_ERR 10
	TRAP_ERR 11
	TRAP_ERR 12
	TRAP_ERR 13
	TRAP_ERR 14
	TRAP_NOERR 15
	TRAP_NOERR 16
	TRAP_ERR 17
	TRAP_NOERR 18
	TRAP_NOERR 19
	TRAP_NOERR 20
	TRAP_ERR 21
	TRAP_NOERR 22
	TRAP_NOERR 23
	TRAP_NOERR 24
	TRAP_NOERR 25
	TRAP_NOERR 26
	TRAP_NOERR 27
	TRAP_NOERR 28
	TRAP_ERR 29
	TRAP_ERR 30
	TRAP_NOERR 31

	/* Interrupts: vectors 32..255, via irq_common. */
	.altmacro
	.macro IRQ_STUB n
	.section .text.mica_x86_traps, "ax"
irq_\n:
	pushq	$0
	pushq	$\n
	jmp	irq_common
	.section .rodata.mica_x86_trap_stubs, "a"
	.quad	irq_\n
	.endm

	.set	vec, 32
	.rept	256 - 32
	IRQ_STUB %vec
	.set	vec, vec + 1
	.endr
	.noaltmacro

	.macro SAVE_REGS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	.endm

	.macro RESTORE_REGS_IRET
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
	iretq
	.endm

	.section .text.mica_x86_traps, "ax"
trap_common:
	SAVE_REGS
	movq	%rsp, %rdi		/* struct mica_arch_regs * */
	call	mica_x86_trap
	RESTORE_REGS_IRET

/*
 * An interrupt returns to code that may have live FPU/SSE registers, and
 * C code (the handlers, the scheduler they may call) is free to use SSE.
 * So the whole FPU/SSE state is kept on the interrupted stack (fxsave,
 * 512 bytes; SDM vol. 1, 10.5) and the handlers start with the default
 * MXCSR. A handler that switches threads comes back here, on this stack,
 * only when the interrupted thread runs again.
 */
irq_common:
	SAVE_REGS
	movq	%rsp, %rdi		/* struct mica_arch_regs * */
	subq	$512, %rsp
	fxsave64 (%rsp)
	ldmxcsr	irq_mxcsr(%rip)
	call	mica_x86_irq
	fxrstor64 (%rsp)
	addq	$512, %rsp
	RESTORE_REGS_IRET

	.section .rodata.mica_x86_irq_mxcsr, "a"
	.align 4
irq_mxcsr:
	.long	0x1f80			/* reset value: all masked, nearest */

	.section .note.GNU-stack, "", @progbits
