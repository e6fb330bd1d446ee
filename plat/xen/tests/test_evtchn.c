/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Event channels against the real Xen: a loopback channel to our own
 * domain (an unbound port allocated for DOMID_SELF, then bound
 * interdomain to ourselves), notified from one end and received at the
 * other, with interrupts on; and masking that holds an event back until
 * the port is unmasked.
 */
#include <errno.h>
#include <stdint.h>
#include <mica/plat/lcpu.h>
#include <mica/test.h>
#include <mica/xen/evtchn.h>

#define SPINS 2000000

struct seen {
	volatile unsigned int count;
	volatile uint32_t port;
};

static void on_event(uint32_t port, void *arg)
{
	struct seen *s = arg;

	s->port = port;
	s->count++;
}

/* Interrupts on for a while, until *count reaches want. */
static unsigned int spin_for(struct seen *s, unsigned int want)
{
	unsigned long flags = mica_plat_irq_save();
	long i;

	mica_plat_irq_enable();
	for (i = 0; i < SPINS && s->count < want; i++)
		__asm__ volatile("pause");
	mica_plat_irq_restore(flags);
	return s->count;
}

/* A loopback pair: *a is the unbound end (bound to on_event), *b ours. */
static int loopback(int *a, int *b, struct seen *s)
{
	*a = mica_xen_evtchn_alloc_unbound(DOMID_SELF);
	if (*a < 0)
		return *a;
	*b = mica_xen_evtchn_bind_interdomain(DOMID_SELF, (uint32_t)*a);
	if (*b < 0)
		return *b;
	return mica_xen_evtchn_bind((uint32_t)*a, on_event, s);
}

MICA_TEST(xen_evtchn, shared_info_and_vcpu_info_mapped)
{
	struct shared_info *s;
	struct vcpu_info *v;
	uint32_t ver;

	MICA_EXPECT_EQ(mica_xen_evtchn_init(), 0);
	s = mica_xen_shared_info();
	v = mica_xen_vcpu_info();
	MICA_REQUIRE_NOT_NULL(s);
	MICA_REQUIRE_NOT_NULL(v);
	/* Registered in our own memory, not the shared page's slot. */
	MICA_EXPECT_TRUE(v != &s->vcpu_info[0]);
	/* Xen keeps the registered copy's time info current. */
	ver = __atomic_load_n(&v->time.version, __ATOMIC_ACQUIRE);
	MICA_EXPECT_NE(v->time.tsc_to_system_mul, 0u);
	MICA_EXPECT_EQ(ver & 1, 0u);
	MICA_EXPECT_NE(ver, 0u);
}

MICA_TEST(xen_evtchn, loopback_notify_runs_handler)
{
	struct seen s = {0};
	int a = -1, b = -1;

	MICA_REQUIRE_EQ(loopback(&a, &b, &s), 0);
	MICA_EXPECT_NE(a, b);
	MICA_EXPECT_EQ(mica_xen_evtchn_bind((uint32_t)a, on_event, &s), -EBUSY);
	MICA_EXPECT_EQ(mica_xen_evtchn_notify((uint32_t)b), 0);
	MICA_EXPECT_EQ(spin_for(&s, 1), 1u);
	MICA_EXPECT_EQ(s.port, (uint32_t)a);
	/*
	 * Again, sent with interrupts masked, so the upcall is pending
	 * before the idle wait: it must end the wait, not be lost in it
	 * (the timer tests cover an event arriving during the wait).
	 */
	{
		unsigned long flags = mica_plat_irq_save();

		MICA_EXPECT_EQ(mica_xen_evtchn_notify((uint32_t)b), 0);
		MICA_EXPECT_EQ(s.count, 1u);
		while (s.count < 2)
			mica_plat_idle();
		mica_plat_irq_restore(flags);
	}
	MICA_EXPECT_EQ(s.count, 2u);
	MICA_EXPECT_EQ(mica_xen_evtchn_close((uint32_t)b), 0);
	MICA_EXPECT_EQ(mica_xen_evtchn_close((uint32_t)a), 0);
}

MICA_TEST(xen_evtchn, masked_event_waits_for_unmask)
{
	struct seen s = {0};
	int a = -1, b = -1;

	MICA_REQUIRE_EQ(loopback(&a, &b, &s), 0);
	mica_xen_evtchn_mask((uint32_t)a);
	MICA_EXPECT_EQ(mica_xen_evtchn_notify((uint32_t)b), 0);
	MICA_EXPECT_EQ(spin_for(&s, 1), 0u);
	mica_xen_evtchn_unmask((uint32_t)a);
	MICA_EXPECT_EQ(spin_for(&s, 1), 1u);
	/* Two sends while masked are one event. */
	mica_xen_evtchn_mask((uint32_t)a);
	MICA_EXPECT_EQ(mica_xen_evtchn_notify((uint32_t)b), 0);
	MICA_EXPECT_EQ(mica_xen_evtchn_notify((uint32_t)b), 0);
	mica_xen_evtchn_unmask((uint32_t)a);
	MICA_EXPECT_EQ(spin_for(&s, 3), 2u);
	MICA_EXPECT_EQ(mica_xen_evtchn_close((uint32_t)b), 0);
	MICA_EXPECT_EQ(mica_xen_evtchn_close((uint32_t)a), 0);
}

MICA_TEST(xen_evtchn, bad_ports_refused)
{
	struct seen s = {0};

	MICA_EXPECT_EQ(
		mica_xen_evtchn_bind(MICA_XEN_EVTCHN_PORTS, on_event, &s),
		-ENOSPC);
	MICA_EXPECT_EQ(mica_xen_evtchn_bind(0xffffffffu, on_event, &s),
		       -ENOSPC);
	MICA_EXPECT_EQ(mica_xen_evtchn_bind(1, NULL, &s), -EINVAL);
	/* Closing a port never allocated: Xen's error. */
	MICA_EXPECT_LT(mica_xen_evtchn_close(MICA_XEN_EVTCHN_PORTS - 1), 0);
}
