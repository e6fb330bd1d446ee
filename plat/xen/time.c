/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mica/plat/time.h on Xen.
 *
 * Clock: Xen's system time (ns since Xen booted) from vCPU 0's
 * vcpu_time_info in the shared info page, extrapolated with the TSC
 * (the pvclock formula, plat/common/x86/pvclock.c). Monotonic ns is
 * system time minus the system time at bring-up, clamped so that it
 * never steps back when Xen refreshes the structure.
 * Wall clock: shared_info's wc_sec/wc_nsec (wc_version protocol) is the
 * wall time at system time 0; add the system time. It is read again
 * when wc_version moves (dom0 set the time).
 *
 * Timer: VCPUOP_set_singleshot_timer at an absolute system time, with
 * flags 0, so that a deadline already past fires at once (with
 * VCPU_SSHOTTMR_future Xen would refuse it with -ETIME). Xen raises
 * VIRQ_TIMER, and plat/common/timer.c decides whether the deadline has
 * come (else it programs the timer again). The handler is called after
 * the upcall has dispatched every other port (the tail hook), since it
 * may switch threads.
 *
 * Idle is hlt, which Xen turns into SCHEDOP_block (setup.c): the
 * scheduler sleeps until the timer's VIRQ or any other event.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include <mica/plat/once.h>
#include <mica/plat/timer.h>
#include <mica/plat/x86/clock.h>
#include <mica/xen/evtchn.h>
#include <mica/xen/hypercall.h>
#include <xen/vcpu.h>
#include "plat_xen.h"

#define WC_TRIES 1000

static int time_up; /* mica_plat_once() */
static const volatile struct mica_x86_pvclock *time_info;
static uint64_t time_sys0;	  /* Xen system time at monotonic 0 */
static uint64_t time_last;	  /* the latest monotonic value returned */
static int64_t time_wall_at_sys0; /* wall ns at Xen system time 0 */
static const volatile struct shared_info *time_shared;
static uint32_t time_wc_version; /* what time_wall_at_sys0 was read at */

static int timer_fire; /* due: run the handler after the dispatch */

static uint64_t sys_now(void)
{
	return mica_x86_pvclock_ns(time_info);
}

static uint64_t mono_now(void)
{
	uint64_t sys = sys_now();
	uint64_t now = sys > time_sys0 ? sys - time_sys0 : 0;
	uint64_t last = __atomic_load_n(&time_last, __ATOMIC_RELAXED);

	while (now > last) {
		if (__atomic_compare_exchange_n(&time_last, &last, now, 0,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return now;
	}
	return last;
}

void mica_plat_timer_program(uint64_t deadline)
{
	struct vcpu_set_singleshot_timer t = {
		.timeout_abs_ns = deadline + time_sys0,
		.flags = 0,
	};
	int rc;

	if (deadline > (1ULL << 62))
		t.timeout_abs_ns = (1ULL << 62) + time_sys0;
	rc = mica_xen_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
	if (rc < 0)
		MICA_CRASH("time: VCPUOP_set_singleshot_timer failed: error %d",
			   -rc);
}

/* VIRQ_TIMER, from the upcall, interrupts masked. */
static void timer_virq(uint32_t port, void *arg)
{
	(void)port;
	(void)arg;
	if (mica_plat_timer_due(mono_now()))
		timer_fire = 1;
}

/* After the upcall's dispatch loop: the handler may switch threads. */
static void timer_tail(void)
{
	if (!timer_fire)
		return;
	timer_fire = 0;
	mica_plat_timer_fire();
}

void mica_plat_timer_stop(void)
{
	timer_fire = 0;
	mica_xen_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
}

/*
 * Xen's wall clock at system time 0 (wc_version protocol), read again
 * whenever wc_version moved: dom0 setting the time changes it. When it
 * cannot be read the last value stays (1970 at first), with a warning.
 */
static void wall_refresh(void)
{
	const volatile struct shared_info *v = time_shared;
	uint32_t version, sec, nsec, hi;
	unsigned long flags;
	int i;

	for (i = 0; i < WC_TRIES; i++) {
		version = v->wc_version;
		__asm__ volatile("" : : : "memory");
		sec = v->wc_sec;
		nsec = v->wc_nsec;
		hi = v->xen_wc_sec_hi;
		__asm__ volatile("" : : : "memory");
		if (!(version & 1) && version == v->wc_version)
			break;
	}
	if (i == WC_TRIES || nsec >= MICA_NSEC_PER_SEC) {
		/* Not again until Xen changes it. */
		time_wc_version = v->wc_version;
		mica_pr_warn("time: Xen's wall clock is unreadable (version "
			     "%u)",
			     time_wc_version);
		return;
	}
	flags = mica_plat_irq_save();
	time_wall_at_sys0 =
		(int64_t)(((uint64_t)hi << 32 | sec) * MICA_NSEC_PER_SEC +
			  nsec);
	time_wc_version = version;
	mica_plat_irq_restore(flags);
}

static __mica_noinline int time_bring_up(void)
{
	struct shared_info *s = mica_xen_shared_info();
	uint64_t t0, t1;
	int rc;

	if (!s)
		MICA_CRASH("time: no shared info page (event channels)");
	time_info =
		(const volatile struct mica_x86_pvclock *)&mica_xen_vcpu_info()
			->time;
	time_sys0 = sys_now();
	time_shared = s;
	wall_refresh();
	/* Only the single-shot timer: no periodic ticks. */
	mica_xen_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	mica_xen_evtchn_set_tail(timer_tail);
	rc = mica_xen_evtchn_bind_virq(VIRQ_TIMER, timer_virq, NULL);
	if (rc < 0)
		MICA_CRASH("time: binding VIRQ_TIMER failed: error %d", -rc);
	time_up = 1;
	t0 = sys_now();
	t1 = sys_now();
	mica_pr_info("time: Xen system time %llu ns at boot, one read %llu "
		     "ns, VIRQ_TIMER on port %d",
		     (unsigned long long)time_sys0,
		     (unsigned long long)(t1 - t0), rc);
	return 1;
}

void mica_plat_time_up(void)
{
	mica_plat_once(&time_up, time_bring_up);
}

uint64_t mica_plat_monotonic_ns(void)
{
	mica_plat_time_up();
	return mono_now();
}

int64_t mica_plat_wall_ns(void)
{
	mica_plat_time_up();
	if (time_shared->wc_version != time_wc_version)
		wall_refresh();
	return time_wall_at_sys0 + (int64_t)time_sys0 + (int64_t)mono_now();
}
