/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 32-bit entry points for bare-metal x86_64 images and the way to long
 * mode.
 *
 * PVH (Xen docs/misc/pvh.pandoc; QEMU -kernel uses it when it finds the
 * XEN_ELFNOTE_PHYS32_ENTRY note): 32-bit protected mode, paging off,
 * flat segments, %ebx = physical address of struct hvm_start_info.
 * Multiboot 1 (Multiboot spec 0.6.96, 3.2): the same machine state with
 * %eax = 0x2badb002 and %ebx = the multiboot info.
 *
 * Both clear .bss, identity-map the first 4 GiB with 2 MiB pages, enter
 * long mode and call mica_x86_start64(protocol, info). C code refines the
 * mapping (W^X) later.
 */
#include <mica/plat/x86/boot.h>

#define X86_CR0_PE		(1 << 0)
#define X86_CR0_WP		(1 << 16)
#define X86_CR0_PG		(1 << 31)
#define X86_CR4_PAE		(1 << 5)
#define X86_EFER_LME		(1 << 8)
#define X86_EFER_NXE		(1 << 11)
#define X86_PTE_P_RW		0x003
#define X86_PTE_P_RW_PS		0x083
#define BOOT_STACK_SIZE		16384

/*
 * The Multiboot header, placed by the linker script at file offset 8176:
 * inside the first 8 KiB, where Multiboot loaders look for it, but past
 * the part QEMU searches (offsets below 8144), so QEMU's -kernel boots
 * the image through PVH and not through its 32-bit-only Multiboot loader.
 * No address fields (flag 16 clear): loaders use the ELF headers.
 */
#define MB_MAGIC		0x1badb002
#define MB_FLAGS		0x00000003	/* page-align mods, mem info */
	.section .multiboot, "a"
	.align 4
	.globl mica_multiboot_header
mica_multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

/* XEN_ELFNOTE_PHYS32_ENTRY (18): where a PVH loader enters, 32 bits. */
	.section .note.mica.pvh, "a", @note
	.align 4
	.long 4			/* name size: "Xen\0" */
	.long 4			/* descriptor size */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.align 4
	.long mica_pvh_entry
	.align 4

	.section .text.boot32, "ax"
	.code32
	.globl mica_pvh_entry
	.type mica_pvh_entry, @function
mica_pvh_entry:
	movl	$MICA_X86_BOOT_PVH, %ebp
	movl	%ebx, %esi
	jmp	1f

	.globl mica_multiboot_entry
	.type mica_multiboot_entry, @function
mica_multiboot_entry:
	movl	$MICA_X86_BOOT_MULTIBOOT, %ebp
	movl	%ebx, %esi
	cmpl	$0x2badb002, %eax
	je	1f
	xorl	%ebp, %ebp		/* unknown loader: C code says so */

1:	/* %ebp = protocol, %esi = info: kept until mica_x86_start64 */
	cli
	cld
	movl	$__mica_bss_start, %edi
	movl	$__mica_bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	$mica_x86_boot_stack + BOOT_STACK_SIZE, %esp

	/* PML4[0] -> PDPT, PDPT[0..3] -> the four page directories. */
	movl	$mica_x86_boot_pdpt + X86_PTE_P_RW, mica_x86_boot_pml4
	movl	$mica_x86_boot_pd + X86_PTE_P_RW, %eax
	movl	$mica_x86_boot_pdpt, %edi
	movl	$4, %ecx
2:	movl	%eax, (%edi)
	addl	$4096, %eax
	addl	$8, %edi
	loop	2b

	/* 2048 entries of 2 MiB: the identity map of 0..4 GiB. */
	movl	$mica_x86_boot_pd, %edi
	movl	$X86_PTE_P_RW_PS, %eax
	movl	$2048, %ecx
3:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	3b

	lgdt	boot_gdt_desc
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$mica_x86_boot_pml4, %eax
	movl	%eax, %cr3

	/* Long mode, and no-execute pages if the CPU has them. */
	movl	$0x80000001, %eax
	cpuid
	movl	%edx, %edi
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$X86_EFER_LME, %eax
	testl	$(1 << 20), %edi	/* CPUID.80000001H:EDX.NX */
	jz	4f
	orl	$X86_EFER_NXE, %eax
4:	wrmsr

	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	movl	%eax, %cr0
	ljmp	$0x08, $entry64

	.code64
entry64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$mica_x86_boot_stack + BOOT_STACK_SIZE, %esp
	call	mica_x86_fpu_init	/* before any C: GCC emits SSE */
	movl	%ebp, %edi		/* 32-bit moves zero-extend */
	movl	%esi, %esi
	xorl	%ebp, %ebp		/* backtraces end here */
	call	mica_x86_start64
5:	cli
	hlt
	jmp	5b

	.section .data.mica_boot_gdt, "aw"
	.align 16
/* Accessed bits preset: the CPU need not write the table. */
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss.mica_boot_pt, "aw", @nobits
	.align 4096
	.globl mica_x86_boot_pml4, mica_x86_boot_pdpt, mica_x86_boot_pd
mica_x86_boot_pml4:
	.skip 4096
mica_x86_boot_pdpt:
	.skip 4096
mica_x86_boot_pd:
	.skip 4 * 4096

	.section .bss.mica_boot_stack, "aw", @nobits
	.align 16
	.globl mica_x86_boot_stack
mica_x86_boot_stack:
	.skip BOOT_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
