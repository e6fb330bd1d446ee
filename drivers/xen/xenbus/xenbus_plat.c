/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The image's side of xenbus: where a Xen guest finds xenstore. The
 * toolstack puts the store page's frame and the store's event channel in
 * two HVM parameters (xen/hvm/params.h); xenstored is already bound to
 * the other end of the channel. A domain without them (dom0, which runs
 * xenstored itself) has no xenstore: every xenbus call then returns
 * -ENODEV.
 *
 * The store's event channel gets a handler (plat/xen's event channels)
 * that wakes waiters. Should binding it fail (a port beyond what the
 * image routes), waits poll the ring instead, yielding to other threads
 * under a scheduler.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/boot.h>
#include <mica/compiler.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include <mica/xen/evtchn.h>
#include <mica/xen/hypercall.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include "xenbus_plat.h"

/* plat/common/x86 maps the low 4 GiB 1:1 (entry32.S, paging.c). */
#define XB_IDENTITY_MAPPED_PFNS (1ULL << (32 - 12))

static uint32_t xb_port;
static int xb_bound; /* events arrive: block rather than poll */

static int xb_hvm_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
	int rc = mica_xen_hvm_op(HVMOP_get_param, &p);

	*value = p.value;
	return rc;
}

/* Interrupt context: only wake whoever waits; the ring is read there. */
static void xb_evtchn_event(uint32_t port, void *arg)
{
	xenbus_plat_kick();
}

int xenbus_plat_open(struct xenstore_domain_interface **intf)
{
	uint64_t pfn, port;
	int rc;

	if (xb_hvm_param(HVM_PARAM_STORE_PFN, &pfn) < 0 || !pfn)
		return -ENODEV;
	rc = xb_hvm_param(HVM_PARAM_STORE_EVTCHN, &port);
	if (rc < 0)
		return rc;
	if (port == 0 || port > UINT32_MAX)
		return -ENODEV;
	/* A PVH guest's special pages sit just below 4 GiB (0xfeff_x000). */
	if (pfn >= XB_IDENTITY_MAPPED_PFNS) {
		mica_pr_err("store page %#llx is not mapped",
			    (unsigned long long)pfn);
		return -EFAULT;
	}
	*intf = (struct xenstore_domain_interface *)(uintptr_t)(pfn << 12);
	if (xb_bound && xb_port == (uint32_t)port)
		return 0; /* connected again: the handler is in place */
	xb_port = (uint32_t)port;
	rc = mica_xen_evtchn_bind(xb_port, xb_evtchn_event, NULL);
	xb_bound = rc == 0;
	if (rc < 0)
		mica_pr_info("event channel %u not bound (error %d): polling",
			     xb_port, -rc);
	return 0;
}

void xenbus_plat_notify(void)
{
	struct evtchn_send send = {.port = xb_port};
	int rc = mica_xen_event_channel_op(EVTCHNOP_send, &send);

	if (rc < 0)
		mica_pr_warn("cannot signal event channel %u: error %d",
			     xb_port, -rc);
}

/*
 * One flow of control (no scheduler, or before it runs): idle, masked
 * between the check and the wait, until a kick or the deadline. The
 * timer is armed for the deadline (nothing else uses it then), so a
 * silent xenstored ends the wait on time rather than hanging the boot.
 */
int xenbus_idle_wait(uint32_t seq, uint64_t deadline_ns)
{
	unsigned long flags = mica_plat_irq_save();
	int rc = 0;

	if (deadline_ns)
		mica_plat_timer_arm(deadline_ns);
	while (xenbus_plat_seq() == seq) {
		if (deadline_ns && mica_plat_monotonic_ns() >= deadline_ns) {
			rc = -ETIMEDOUT;
			break;
		}
		mica_plat_idle();
	}
	if (deadline_ns)
		mica_plat_timer_disarm();
	mica_plat_irq_restore(flags);
	return rc;
}

int xenbus_plat_wait(uint32_t seq, uint64_t deadline_ns)
{
	if (xb_bound)
		return xenbus_wait_block(seq, deadline_ns);
	xenbus_wait_pause();
	if (deadline_ns && mica_plat_monotonic_ns() >= deadline_ns)
		return -ETIMEDOUT;
	return 0;
}

/* First among buses: drivers of Xen devices look xenstore up. */
static int xenbus_init(void)
{
	int rc = xenbus_connect();

	if (rc == -ENODEV)
		mica_pr_info("no xenstore in this domain");
	else if (rc < 0)
		mica_pr_err("cannot connect to xenstore: error %d", -rc);
	/* Not fatal: images that never use xenstore still boot. */
	return 0;
}
MICA_INIT_BUS(xenbus_init, 0);
