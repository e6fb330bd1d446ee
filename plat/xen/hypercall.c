/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Finding Xen and enabling hypercalls (xen/arch-x86/cpuid.h).
 *
 * Xen's CPUID leaves start at the first 0x100-aligned base from
 * 0x40000000 that is not taken by another interface Xen emulates (with
 * Viridian on, Hyper-V's leaves come first): base+0 has the signature
 * "XenVMMXenVMM" and the highest Xen leaf, base+1 the version, base+2
 * the number of hypercall pages and the MSR that installs them. Writing
 * a page's physical address to that MSR makes Xen fill the page with
 * one stub per hypercall, using the instruction this CPU needs
 * (vmcall or vmmcall).
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/xen/hypercall.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/version.h>
#include "plat_xen.h"

#define XEN_LEAF_LAST	0x40010000 /* where Linux stops looking, too */
#define XEN_LEAF_STRIDE 0x100

enum xen_state {
	XEN_UNKNOWN,
	XEN_PROBING, /* a fault during the probe must not probe again */
	XEN_ABSENT,
	XEN_PRESENT,
};

static enum xen_state xen_state;
static const char *xen_absent_why = "a fault while looking for Xen";
static uint32_t xen_version_word;
static int xen_dom0;

static uint32_t xen_find_leaves(void)
{
	uint32_t base, a, b, c, d;

	for (base = XEN_CPUID_FIRST_LEAF; base < XEN_LEAF_LAST;
	     base += XEN_LEAF_STRIDE) {
		mica_x86_cpuid(base, 0, &a, &b, &c, &d);
		/* It must also have leaf base+2, the hypercall leaf. */
		if (b == XEN_CPUID_SIGNATURE_EBX &&
		    c == XEN_CPUID_SIGNATURE_ECX &&
		    d == XEN_CPUID_SIGNATURE_EDX && a >= base + 2 &&
		    a - base < XEN_LEAF_STRIDE)
			return base;
	}
	return 0;
}

/* Returns NULL when hypercalls work, else what is missing. */
static const char *xen_setup(void)
{
	struct xen_feature_info fi = {.submap_idx = 0};
	uint32_t base, pages, msr, c, d;

	base = xen_find_leaves();
	if (!base)
		return "no Xen CPUID leaves";
	mica_x86_cpuid(base + 1, 0, &xen_version_word, &msr, &c, &d);
	mica_x86_cpuid(base + 2, 0, &pages, &msr, &c, &d);
	if (pages < 1)
		return "Xen offers no hypercall page";
	/* Identity-mapped: the address is the physical one. */
	mica_x86_wrmsr(msr, (uintptr_t)mica_xen_hypercall_page);
	/* Every stub starts with "mov $nr, %eax" (opcode 0xb8). */
	if (mica_xen_hypercall_page[0] == 0)
		return "Xen did not fill the hypercall page";
	if (mica_xen_version(XENVER_get_features, &fi) == 0)
		xen_dom0 = !!(fi.submap & (1U << XENFEAT_dom0));
	return NULL;
}

int xen_probe(const char **why)
{
	if (xen_state == XEN_UNKNOWN) {
		xen_state = XEN_PROBING;
		xen_absent_why = xen_setup();
		xen_state = xen_absent_why ? XEN_ABSENT : XEN_PRESENT;
	}
	if (why)
		*why = xen_state == XEN_PRESENT ? NULL : xen_absent_why;
	return xen_state == XEN_PRESENT;
}

int mica_xen_is_dom0(void)
{
	return xen_dom0;
}

uint32_t mica_xen_version_number(void)
{
	return xen_version_word;
}
