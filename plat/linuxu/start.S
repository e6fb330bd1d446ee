/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Process entry. The kernel leaves argc at (%rsp), then argv[], NULL,
 * envp[] (System V AMD64 ABI, 3.4.1). rbp is cleared so backtraces end
 * here, and the stack is aligned as a call expects.
 */
	.section .text.mica_linuxu_start, "ax"
	.globl mica_linuxu_start
	.type mica_linuxu_start, @function
mica_linuxu_start:
	xor	%ebp, %ebp
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	mica_linuxu_main
	ud2
	.size mica_linuxu_start, . - mica_linuxu_start

/* Signal frames return through rt_sigreturn; the kernel wants a restorer. */
	.section .text.mica_linuxu_sigreturn, "ax"
	.globl mica_linuxu_sigreturn
	.type mica_linuxu_sigreturn, @function
mica_linuxu_sigreturn:
	mov	$15, %eax
	syscall
	ud2
	.size mica_linuxu_sigreturn, . - mica_linuxu_sigreturn

	.section .note.GNU-stack, "", @progbits
