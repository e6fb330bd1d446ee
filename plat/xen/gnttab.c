/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Grant tables, v1 (xen/grant_table.h). Granting: write frame and domid,
 * then (after a write barrier) the flags, which make the entry live.
 * Revoking: one compare-and-exchange of the flags to 0, refused while
 * Xen shows the entry in use (GTF_reading / GTF_writing); that is the
 * "invalidating an unused entry" sequence of the header.
 */
#include <errno.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/once.h>
#include <mica/xen/evtchn.h>
#include <mica/xen/gnttab.h>
#include <mica/xen/hypercall.h>
#include <xen/event_channel.h>
#include <xen/memory.h>

#define PER_FRAME (4096 / sizeof(struct grant_entry_v1))
#define REFS	  (MICA_XEN_GNTTAB_FRAMES * PER_FRAME)
#define REF_END	  0xffffffffu /* end of the free list */
#define REF_USED  0xfffffffeu /* not on the free list */

static char gnttab_pages[MICA_XEN_GNTTAB_FRAMES][4096] __mica_aligned(4096);
static struct grant_entry_v1 *gnttab_table;
static uint32_t gnttab_refs; /* references the mapped frames hold */
static uint32_t gnttab_next[REFS];
static uint32_t gnttab_free;
static int gnttab_state; /* 0: not tried, 1: up, < 0: failed */
static int gnttab_self = -1;

static int gnttab_bring_up(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table,
	};
	unsigned int i;
	uint32_t r;
	long rc = 0;

	for (i = 0; i < MICA_XEN_GNTTAB_FRAMES; i++) {
		xatp.idx = i;
		xatp.gpfn = (xen_pfn_t)((uintptr_t)gnttab_pages[i] >> 12);
		rc = mica_xen_memory_op(XENMEM_add_to_physmap, &xatp);
		if (rc < 0)
			break;
	}
	if (i == 0) {
		mica_pr_err("gnttab: mapping the grant table failed: error %ld",
			    -rc);
		return rc < 0 ? (int)rc : -ENODEV;
	}
	if (i < MICA_XEN_GNTTAB_FRAMES)
		mica_pr_warn("gnttab: Xen gave %u of %u frames (error %ld)", i,
			     MICA_XEN_GNTTAB_FRAMES, -rc);
	gnttab_table = (struct grant_entry_v1 *)gnttab_pages;
	gnttab_refs = (uint32_t)(i * PER_FRAME);
	gnttab_free = REF_END;
	for (r = gnttab_refs; r-- > GNTTAB_NR_RESERVED_ENTRIES;) {
		gnttab_next[r] = gnttab_free;
		gnttab_free = r;
	}
	mica_pr_debug("gnttab: %u frames, %u references", i,
		      (unsigned int)gnttab_refs);
	return 1;
}

int mica_xen_gnttab_init(void)
{
	return mica_plat_once(&gnttab_state, gnttab_bring_up);
}

int mica_xen_gnttab_grant_access(domid_t domid, uint64_t gfn, int readonly)
{
	struct grant_entry_v1 *e;
	unsigned long flags;
	uint32_t ref;
	int rc = mica_xen_gnttab_init();

	if (rc)
		return rc;
	if (domid >= DOMID_FIRST_RESERVED)
		return -EINVAL; /* DOMID_SELF and the like: nobody could map it */
	if (gfn > UINT32_MAX)
		return -ERANGE; /* v1 frames are 32 bits */
	flags = mica_plat_irq_save();
	ref = gnttab_free;
	if (ref != REF_END) {
		gnttab_free = gnttab_next[ref];
		gnttab_next[ref] = REF_USED;
	}
	mica_plat_irq_restore(flags);
	if (ref == REF_END)
		return -ENOSPC;
	e = &gnttab_table[ref];
	e->frame = (uint32_t)gfn;
	e->domid = domid;
	__atomic_store_n(
		&e->flags,
		(uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
		__ATOMIC_RELEASE);
	return (int)ref;
}

/*
 * Masked throughout, so that two calls for one reference (a caller's
 * bug) cannot both see it granted and free it twice.
 */
int mica_xen_gnttab_end_access(grant_ref_t ref)
{
	struct grant_entry_v1 *e;
	unsigned long flags;
	uint16_t f;
	int rc = mica_xen_gnttab_init();

	if (rc)
		return rc;
	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= gnttab_refs)
		return -EINVAL;
	flags = mica_plat_irq_save();
	if (gnttab_next[ref] != REF_USED) {
		rc = -EINVAL;
		goto out;
	}
	e = &gnttab_table[ref];
	f = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	do {
		if (f & (GTF_reading | GTF_writing)) {
			rc = -EBUSY;
			goto out;
		}
	} while (!__atomic_compare_exchange_n(
		&e->flags, &f, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	gnttab_next[ref] = gnttab_free;
	gnttab_free = ref;
out:
	mica_plat_irq_restore(flags);
	return rc;
}

int mica_xen_domid(void)
{
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct evtchn_close c;
	int port, rc;

	if (gnttab_self >= 0)
		return gnttab_self;
	port = mica_xen_evtchn_alloc_unbound(DOMID_SELF);
	if (port < 0)
		return port;
	st.port = (evtchn_port_t)port;
	rc = mica_xen_event_channel_op(EVTCHNOP_status, &st);
	c.port = (evtchn_port_t)port;
	mica_xen_event_channel_op(EVTCHNOP_close, &c);
	if (rc < 0)
		return rc;
	if (st.status != EVTCHNSTAT_unbound ||
	    st.u.unbound.dom >= DOMID_FIRST_RESERVED)
		return -EPROTO;
	gnttab_self = st.u.unbound.dom;
	return gnttab_self;
}
