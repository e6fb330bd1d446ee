/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Xen event channels (2-level ABI, xen/event_channel.h) on the xen
 * platform. Events arrive through one interrupt vector (the HVM callback
 * vector, HVM_PARAM_CALLBACK_IRQ type 2); the upcall clears each pending
 * port and calls its handler in interrupt context with interrupts
 * masked. Ports start masked: binding a handler unmasks the port.
 *
 * Every function brings event channels up on first use (maps the shared
 * info page) and returns 0, a port number, or a negative errno. Any
 * context; none blocks.
 */
#ifndef MICA_XEN_EVTCHN_H
#define MICA_XEN_EVTCHN_H

#include <stdint.h>
#include <xen/xen.h>

/* Ports this image can route: higher ones are refused (-ENOSPC). */
#define MICA_XEN_EVTCHN_PORTS 1024

/* The upcall's vector, in the device range of <mica/plat/x86/irq.h>. */
#define MICA_XEN_EVTCHN_VECTOR 0xdf

/* A port's handler: interrupt context, interrupts masked. */
typedef void (*mica_xen_evtchn_fn)(uint32_t port, void *arg);

/* Map the shared info page and route the upcall; idempotent. */
int mica_xen_evtchn_init(void);

/* The shared info page (NULL when mica_xen_evtchn_init() failed). */
struct shared_info *mica_xen_shared_info(void);
/*
 * vCPU 0's vcpu_info (event selectors, upcall flags, time info): our
 * own, registered with VCPUOP_register_vcpu_info, or the shared page's
 * if Xen refused that. NULL when mica_xen_evtchn_init() failed.
 */
struct vcpu_info *mica_xen_vcpu_info(void);

/*
 * Route port (already bound) to fn, then unmask it. fn runs once per
 * delivery, after the port's pending bit was cleared. NULL fn: -EINVAL;
 * a port with a handler already: -EBUSY.
 */
int mica_xen_evtchn_bind(uint32_t port, mica_xen_evtchn_fn fn, void *arg);
/* Mask the port and forget its handler (the port stays bound). */
void mica_xen_evtchn_unbind(uint32_t port);

/* EVTCHNOP_bind_virq on vCPU 0, then mica_xen_evtchn_bind(): the port. */
int mica_xen_evtchn_bind_virq(uint32_t virq, mica_xen_evtchn_fn fn, void *arg);
/* EVTCHNOP_alloc_unbound for remote (DOMID_SELF allowed): the port. */
int mica_xen_evtchn_alloc_unbound(domid_t remote);
/* EVTCHNOP_bind_interdomain to (remote, remote_port): the local port. */
int mica_xen_evtchn_bind_interdomain(domid_t remote, uint32_t remote_port);

void mica_xen_evtchn_mask(uint32_t port);
/* Unmask; an event that came while masked is delivered then. */
void mica_xen_evtchn_unmask(uint32_t port);
/* EVTCHNOP_send: raise the event at the other end. */
int mica_xen_evtchn_notify(uint32_t port);
/* Unbind the handler and EVTCHNOP_close the port. */
int mica_xen_evtchn_close(uint32_t port);

#endif /* MICA_XEN_EVTCHN_H */
