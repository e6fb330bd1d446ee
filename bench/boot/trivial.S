/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The trivial PVH kernel: the floor that bench/boot compares Mica with.
 *
 * QEMU (-kernel, via qboot) and Xen find the 32-bit entry point in the
 * XEN_ELFNOTE_PHYS32_ENTRY note, load the image at 1 MiB and jump there in
 * 32-bit protected mode with paging off and %ebx pointing at the PVH start
 * info. This kernel writes one line on COM1 (so the bench can tell a real
 * boot from a QEMU error), then status 0 to the isa-debug-exit port, which
 * makes QEMU exit at once with (0 << 1) | 1 = 1 -- the same status a
 * successful helloworld ends with.
 *
 * Built with -DSSE_PROBE it first enables SSE and executes SSE
 * instructions; bench/boot boots that variant to find out whether an
 * accelerator (such as kvm-pvm) kills guests that use SSE.
 */

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define COM1_THR 0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define EXIT_STATUS 0

	.section .note.Xen, "a", @note
	.balign 4
	.long 2f - 1f			/* n_namesz */
	.long 4f - 3f			/* n_descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY	/* n_type */
1:	.asciz "Xen"
2:	.balign 4
3:	.quad pvh_entry
4:	.balign 4

	.text
	.code32
	.globl pvh_entry
	.type pvh_entry, @function
pvh_entry:
	cld
#ifdef SSE_PROBE
	movl %cr0, %eax
	andl $~(1 << 2), %eax		/* CR0.EM = 0 */
	orl $(1 << 1), %eax		/* CR0.MP = 1 */
	movl %eax, %cr0
	movl %cr4, %eax
	orl $(3 << 9), %eax		/* CR4.OSFXSR | CR4.OSXMMEXCPT */
	movl %eax, %cr4
	ldmxcsr mxcsr
	pxor %xmm0, %xmm0
	movd %xmm0, %ecx
#endif
	movl $msg, %esi
	movw $COM1_THR, %dx
1:	lodsb
	testb %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:	movl $EXIT_STATUS, %eax
	movw $DEBUG_EXIT_PORT, %dx
	outl %eax, %dx
3:	cli				/* not reached under QEMU */
	hlt
	jmp 3b
	.size pvh_entry, . - pvh_entry

	.section .rodata
#ifdef SSE_PROBE
	.balign 4
mxcsr:	.long 0x1f80
msg:	.asciz "Hello from the trivial PVH kernel (SSE probe)\n"
#else
msg:	.asciz "Hello from the trivial PVH kernel\n"
#endif

	.section .note.GNU-stack, "", @progbits
