/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a xen image carries for Xen besides the shared PVH entry note
 * (plat/common/x86/entry32.S, XEN_ELFNOTE_PHYS32_ENTRY, the one note a
 * PVH guest must have): notes that name the guest for Xen's and xl's
 * logs, and the page Xen fills with hypercall stubs.
 */
#include <xen/elfnote.h>

/* A "Xen" ELF note with a string descriptor (xen/elfnote.h). */
.macro xen_note_string type, text
	.balign 4
	.long 4			/* name size: "Xen\0" */
	.long 2f - 1f		/* descriptor size */
	.long \type
	.asciz "Xen"
	.balign 4
1:	.asciz "\text"
2:	.balign 4
.endm

	.section .note.mica.plat, "a", @note
	xen_note_string XEN_ELFNOTE_GUEST_OS, "Mica"
	xen_note_string XEN_ELFNOTE_LOADER, "generic"
	xen_note_string XEN_ELFNOTE_XEN_VERSION, "xen-3.0"

/*
 * The hypercall page (xen/arch-x86/xen-x86_64.h): one 32-byte stub per
 * hypercall, written by Xen when hypercall.c names the page's physical
 * address in the MSR that CPUID leaf base+2 gives. It sits in the NOLOAD
 * part of the text segment (plat/common/x86/image.lds): mapped read +
 * execute like the rest of the text, never written by the guest (Xen
 * writes guest memory through its own mappings), and no bytes in the
 * file.
 */
	.section .mica_text_nobits, "ax", @nobits
	.balign 4096
	.globl mica_xen_hypercall_page
	.type mica_xen_hypercall_page, @object
mica_xen_hypercall_page:
	.skip 4096
	.size mica_xen_hypercall_page, 4096

	.section .note.GNU-stack, "", @progbits
