/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exception entry stubs. Each pushes an error code (0 where the CPU does
 * not push one, Intel SDM vol. 3, 6.15) and its vector, so every trap
 * reaches mica_x86_trap() with the struct mica_arch_regs layout.
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

	.section .text.mica_x86_traps, "ax"
trap_common:
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
	movq	%rsp, %rdi		/* struct mica_arch_regs * */
	call	mica_x86_trap
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

	.section .note.GNU-stack, "", @progbits
