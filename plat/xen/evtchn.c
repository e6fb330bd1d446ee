/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Event channels, 2-level ABI (xen/event_channel.h, xen/xen.h: struct
 * shared_info, struct vcpu_info).
 *
 * The shared info page is mapped over a page of our bss with
 * XENMEM_add_to_physmap(XENMAPSPACE_shared_info); the identity map of
 * the low 4 GiB makes its address its frame number << 12. vCPU 0's
 * vcpu_info is then placed in our own memory with
 * VCPUOP_register_vcpu_info (the way to a vcpu_info for any vCPU, the
 * shared page holding only the first 32); should Xen refuse, the one
 * inside the shared page serves.
 *
 * Delivery: HVM_PARAM_CALLBACK_IRQ of type 2 (xen/hvm/params.h) makes
 * Xen inject MICA_XEN_EVTCHN_VECTOR whenever evtchn_upcall_pending is
 * set and interrupts are on. The upcall clears evtchn_upcall_pending,
 * takes evtchn_pending_sel with an atomic exchange, and for each
 * selected word clears and dispatches every pending, unmasked port;
 * it loops until Xen has set nothing new. The vector is not an APIC
 * interrupt (nothing in service), so the shared code's EOI is a no-op.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/once.h>
#include <mica/plat/x86/irq.h>
#include <mica/xen/evtchn.h>
#include <mica/xen/hypercall.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/vcpu.h>
#include "plat_xen.h"

#define WORD_BITS (sizeof(xen_ulong_t) * 8)
#define WORDS                                                \
	(sizeof(((struct shared_info *)0)->evtchn_pending) / \
	 sizeof(xen_ulong_t))
/* Ports the 2-level ABI has (EVTCHN_2L_NR_CHANNELS). */
#define ABI_PORTS (WORDS * WORD_BITS)

/* The callback vector type of HVM_PARAM_CALLBACK_IRQ. */
#define CALLBACK_VIA_VECTOR (2ULL << 56)

static char evtchn_page[4096] __mica_aligned(4096);
static struct shared_info *evtchn_shared;
/* Aligned to its size (64 bytes): it cannot cross a page boundary. */
static struct vcpu_info evtchn_vcpu0 __mica_aligned(64);
_Static_assert(sizeof(struct vcpu_info) <= 64, "vcpu_info is 64 bytes");
static struct vcpu_info *evtchn_vcpu;
static int evtchn_state; /* 0: not tried, 1: up, < 0: failed (errno) */

static void (*evtchn_tail)(void);

static struct {
	mica_xen_evtchn_fn fn;
	void *arg;
} evtchn_table[MICA_XEN_EVTCHN_PORTS];

static void set_bit(uint32_t port, volatile xen_ulong_t *words)
{
	__atomic_fetch_or(&words[port / WORD_BITS],
			  (xen_ulong_t)1 << (port % WORD_BITS),
			  __ATOMIC_SEQ_CST);
}

static void clear_bit(uint32_t port, volatile xen_ulong_t *words)
{
	__atomic_fetch_and(&words[port / WORD_BITS],
			   ~((xen_ulong_t)1 << (port % WORD_BITS)),
			   __ATOMIC_SEQ_CST);
}

static void evtchn_upcall(void *unused)
{
	struct shared_info *s = evtchn_shared;
	struct vcpu_info *v = evtchn_vcpu;
	xen_ulong_t sel, pend, bit;
	unsigned int w, b;
	uint32_t port;

	(void)unused;
	while (__atomic_load_n(&v->evtchn_upcall_pending, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&v->evtchn_upcall_pending, 0,
				 __ATOMIC_SEQ_CST);
		sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel) {
			w = (unsigned int)__builtin_ctzl(sel);
			sel &= sel - 1;
			if (w >= WORDS)
				continue;
			pend = __atomic_load_n(&s->evtchn_pending[w],
					       __ATOMIC_ACQUIRE) &
			       ~__atomic_load_n(&s->evtchn_mask[w],
						__ATOMIC_ACQUIRE);
			while (pend) {
				b = (unsigned int)__builtin_ctzl(pend);
				pend &= pend - 1;
				bit = (xen_ulong_t)1 << b;
				port = (uint32_t)(w * WORD_BITS + b);
				__atomic_fetch_and(&s->evtchn_pending[w], ~bit,
						   __ATOMIC_SEQ_CST);
				if (port >= MICA_XEN_EVTCHN_PORTS ||
				    !evtchn_table[port].fn) {
					/* Nobody wants it: keep it quiet. */
					set_bit(port, s->evtchn_mask);
					continue;
				}
				evtchn_table[port].fn(port,
						      evtchn_table[port].arg);
			}
		}
	}
	if (evtchn_tail)
		evtchn_tail();
}

void mica_xen_evtchn_set_tail(void (*fn)(void))
{
	evtchn_tail = fn;
}

/*
 * vCPU 0's vcpu_info in our own memory. Xen copies the current one
 * over and marks every selector pending, so the first upcall rescans.
 */
static struct vcpu_info *vcpu_info_place(struct shared_info *s)
{
	uintptr_t at = (uintptr_t)&evtchn_vcpu0;
	struct vcpu_register_vcpu_info r = {
		.mfn = at >> 12,
		.offset = (uint32_t)(at & 4095),
	};
	int rc = mica_xen_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);

	if (rc == 0)
		return &evtchn_vcpu0;
	mica_pr_info("evtchn: VCPUOP_register_vcpu_info failed (error %d): "
		     "vCPU 0's info stays in the shared info page",
		     -rc);
	return &s->vcpu_info[0];
}

static int evtchn_bring_up(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (xen_pfn_t)((uintptr_t)evtchn_page >> 12),
	};
	struct xen_hvm_param p = {
		.domid = DOMID_SELF,
		.index = HVM_PARAM_CALLBACK_IRQ,
		.value = CALLBACK_VIA_VECTOR | MICA_XEN_EVTCHN_VECTOR,
	};
	struct shared_info *s = (struct shared_info *)evtchn_page;
	unsigned int i;
	long rc;

	rc = mica_xen_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc < 0) {
		mica_pr_err("evtchn: mapping the shared info failed: error %ld",
			    -rc);
		return (int)rc;
	}
	evtchn_shared = s;
	evtchn_vcpu = vcpu_info_place(s);
	/* Every port masked until a handler is bound to it. */
	for (i = 0; i < WORDS; i++)
		__atomic_store_n(&s->evtchn_mask[i], ~(xen_ulong_t)0,
				 __ATOMIC_SEQ_CST);
	rc = mica_x86_irq_register(MICA_XEN_EVTCHN_VECTOR, evtchn_upcall, NULL);
	if (rc < 0) {
		mica_pr_err("evtchn: vector %#x is taken",
			    MICA_XEN_EVTCHN_VECTOR);
		return (int)rc;
	}
	rc = mica_xen_hvm_op(HVMOP_set_param, &p);
	if (rc < 0) {
		mica_pr_err("evtchn: setting the callback vector failed: "
			    "error %ld",
			    -rc);
		mica_x86_irq_unregister(MICA_XEN_EVTCHN_VECTOR);
		return (int)rc;
	}
	mica_pr_debug("evtchn: shared info at %p, upcall on vector %#x", s,
		      MICA_XEN_EVTCHN_VECTOR);
	return 1;
}

int mica_xen_evtchn_init(void)
{
	return mica_plat_once(&evtchn_state, evtchn_bring_up);
}

struct shared_info *mica_xen_shared_info(void)
{
	return mica_xen_evtchn_init() ? NULL : evtchn_shared;
}

struct vcpu_info *mica_xen_vcpu_info(void)
{
	return mica_xen_evtchn_init() ? NULL : evtchn_vcpu;
}

static int port_ok(uint32_t port)
{
	int rc = mica_xen_evtchn_init();

	if (rc)
		return rc;
	return port < MICA_XEN_EVTCHN_PORTS && port < ABI_PORTS ? 0 : -ENOSPC;
}

int mica_xen_evtchn_bind(uint32_t port, mica_xen_evtchn_fn fn, void *arg)
{
	unsigned long flags;
	int rc = port_ok(port);

	if (rc)
		return rc;
	if (!fn)
		return -EINVAL;
	flags = mica_plat_irq_save();
	if (evtchn_table[port].fn) {
		rc = -EBUSY;
	} else {
		evtchn_table[port].arg = arg;
		evtchn_table[port].fn = fn;
	}
	mica_plat_irq_restore(flags);
	if (!rc)
		mica_xen_evtchn_unmask(port);
	return rc;
}

void mica_xen_evtchn_unbind(uint32_t port)
{
	unsigned long flags;

	if (port_ok(port))
		return;
	mica_xen_evtchn_mask(port);
	flags = mica_plat_irq_save();
	evtchn_table[port].fn = NULL;
	evtchn_table[port].arg = NULL;
	mica_plat_irq_restore(flags);
}

int mica_xen_evtchn_bind_virq(uint32_t virq, mica_xen_evtchn_fn fn, void *arg)
{
	struct evtchn_bind_virq b = {.virq = virq, .vcpu = 0};
	int rc = mica_xen_evtchn_init();

	if (rc)
		return rc;
	rc = mica_xen_event_channel_op(EVTCHNOP_bind_virq, &b);
	if (rc < 0)
		return rc;
	rc = mica_xen_evtchn_bind(b.port, fn, arg);
	if (rc < 0) {
		mica_xen_evtchn_close(b.port);
		return rc;
	}
	return (int)b.port;
}

/*
 * A port Xen just gave us, as the int the API returns; one beyond the
 * 2-level ABI (which Xen should never give) is closed again.
 */
static int port_in_abi(evtchn_port_t port)
{
	struct evtchn_close c = {.port = port};

	if (port < ABI_PORTS)
		return (int)port;
	mica_xen_event_channel_op(EVTCHNOP_close, &c);
	return -ERANGE;
}

int mica_xen_evtchn_alloc_unbound(domid_t remote)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = remote};
	int rc = mica_xen_evtchn_init();

	if (rc)
		return rc;
	rc = mica_xen_event_channel_op(EVTCHNOP_alloc_unbound, &a);
	if (rc < 0)
		return rc;
	return port_in_abi(a.port);
}

int mica_xen_evtchn_bind_interdomain(domid_t remote, uint32_t remote_port)
{
	struct evtchn_bind_interdomain b = {.remote_dom = remote,
					    .remote_port = remote_port};
	int rc = mica_xen_evtchn_init();

	if (rc)
		return rc;
	rc = mica_xen_event_channel_op(EVTCHNOP_bind_interdomain, &b);
	if (rc < 0)
		return rc;
	return port_in_abi(b.local_port);
}

void mica_xen_evtchn_mask(uint32_t port)
{
	if (port_ok(port))
		return;
	set_bit(port, evtchn_shared->evtchn_mask);
}

void mica_xen_evtchn_unmask(uint32_t port)
{
	struct evtchn_unmask u = {.port = port};

	if (port_ok(port))
		return;
	/*
	 * Xen clears the mask bit and, when the port is pending, sets the
	 * selector and upcall bits and kicks the vCPU: the event is
	 * delivered once interrupts are on. Should the hypercall fail, the
	 * bit is cleared here: a send from then on raises the event, one
	 * already pending waits for the next.
	 */
	if (mica_xen_event_channel_op(EVTCHNOP_unmask, &u) < 0)
		clear_bit(port, evtchn_shared->evtchn_mask);
}

int mica_xen_evtchn_notify(uint32_t port)
{
	struct evtchn_send s = {.port = port};

	return mica_xen_event_channel_op(EVTCHNOP_send, &s);
}

int mica_xen_evtchn_close(uint32_t port)
{
	struct evtchn_close c = {.port = port};

	mica_xen_evtchn_unbind(port);
	return mica_xen_event_channel_op(EVTCHNOP_close, &c);
}
