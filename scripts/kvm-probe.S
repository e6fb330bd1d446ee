/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A 32-bit PVH kernel that executes SSE instructions and then exits QEMU
 * through isa-debug-exit with 0x21 (QEMU status 0x43). scripts/mica-run
 * boots it under -accel kvm to learn whether this host's KVM can run
 * Mica images, which use SSE: some nested hypervisors cannot.
 */
	.section .note.probe, "a", @note
	.align 4
	.long 4, 4, 18		/* "Xen", 4-byte desc, PHYS32_ENTRY */
	.asciz "Xen"
	.long probe_entry

	.text
	.code32
	.globl probe_entry
probe_entry:
	movl	%cr0, %eax
	andl	$~(1 << 2), %eax	/* EM off */
	orl	$(1 << 1), %eax		/* MP on */
	movl	%eax, %cr0
	movl	%cr4, %eax
	orl	$((1 << 9) | (1 << 10)), %eax	/* OSFXSR, OSXMMEXCPT */
	movl	%eax, %cr4
	movl	$0x1000, %esp
	pushl	$0x1f80
	ldmxcsr	(%esp)
	pxor	%xmm0, %xmm0
	movl	$0x21, %eax
	outl	%eax, $0xf4
1:	hlt
	jmp	1b
