/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Enable the FPU and SSE on a bare-metal CPU, before any C code runs:
 * GCC emits SSE for plain C (struct copies, zeroing), so C must not run
 * first. Clobbers rax only. (Intel SDM vol. 3, 13.1.3: CR0.EM=0, CR0.MP=1,
 * CR4.OSFXSR=1, CR4.OSXMMEXCPT=1.)
 */
	.section .text.mica_x86_fpu_init, "ax"
	.globl mica_x86_fpu_init
	.type mica_x86_fpu_init, @function
mica_x86_fpu_init:
	mov	%cr0, %rax
	and	$~(1 << 2), %rax	/* EM: no emulation */
	or	$(1 << 1), %rax		/* MP: wait/fwait honour TS */
	mov	%rax, %cr0
	mov	%cr4, %rax
	or	$((1 << 9) | (1 << 10)), %rax	/* OSFXSR, OSXMMEXCPT */
	mov	%rax, %cr4
	fninit
	/* MXCSR reset value: all exceptions masked, round to nearest. */
	pushq	$0x1f80
	ldmxcsr	(%rsp)
	add	$8, %rsp
	ret
	.size mica_x86_fpu_init, . - mica_x86_fpu_init

	.section .note.GNU-stack, "", @progbits
