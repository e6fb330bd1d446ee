/* SPDX-License-Identifier: BSD-3-Clause */
/* Inside plat/xen: what setup.c, console.c and hypercall.c share. */
#ifndef PLAT_XEN_PLAT_XEN_H
#define PLAT_XEN_PLAT_XEN_H

/*
 * Find Xen and set up the hypercall page. Safe to call at any time and
 * again (the console calls it before its first write): returns 1 when
 * Xen is there and hypercalls work, 0 otherwise, with *why (if not NULL)
 * saying what was missing.
 */
int xen_probe(const char **why);

#endif /* PLAT_XEN_PLAT_XEN_H */
