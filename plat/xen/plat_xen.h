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

/*
 * Wait (boundedly, yielding to Xen) until the backend has taken what
 * the console wrote: the domU console ring, before shutdown.
 */
void xen_console_flush(void);

/*
 * Called by the event channel upcall after it dispatched every pending
 * port (time.c: the timer handler, which may switch threads). One.
 */
void mica_xen_evtchn_set_tail(void (*fn)(void));

#endif /* PLAT_XEN_PLAT_XEN_H */
