/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Grant tables, version 1 (xen/grant_table.h): give another domain
 * access to one of our pages by reference.
 *
 * The table's frames are mapped over pages of our bss on first use
 * (XENMEM_add_to_physmap, XENMAPSPACE_grant_table). References are
 * handed out from a free list; the first GNTTAB_NR_RESERVED_ENTRIES are
 * the toolstack's and never used. Any context; nothing blocks.
 */
#ifndef MICA_XEN_GNTTAB_H
#define MICA_XEN_GNTTAB_H

#include <stdint.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

/* Frames of the table: 512 v1 entries each. */
#define MICA_XEN_GNTTAB_FRAMES 4

/* Map the table; idempotent. 0 or a negative errno. */
int mica_xen_gnttab_init(void);

/*
 * Let domid access guest frame gfn (read-only when readonly). The grant
 * reference (>= 0), -ENOSPC when every reference is in use, -EINVAL for
 * a reserved domid (DOMID_SELF...: name the domain by its number),
 * -ERANGE for a frame beyond v1's 32 bits.
 */
int mica_xen_gnttab_grant_access(domid_t domid, uint64_t gfn, int readonly);

/*
 * Revoke the grant and free the reference: -EBUSY (and nothing changes)
 * while the other domain has it mapped (GTF_reading / GTF_writing),
 * -EINVAL for a reference not granted.
 */
int mica_xen_gnttab_end_access(grant_ref_t ref);

/*
 * Our own domain id (Xen's DOMID_SELF is not accepted in grant entries):
 * learnt once from the status of an event channel allocated for
 * ourselves. Negative errno on failure.
 */
int mica_xen_domid(void);

#endif /* MICA_XEN_GNTTAB_H */
