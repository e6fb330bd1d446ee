/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu time: the host's clocks through clock_gettime (the raw system
 * call: no vDSO without a host libc), and the one-shot timer as a POSIX
 * timer on CLOCK_MONOTONIC that raises SIGALRM at an absolute time.
 */
#include <stdint.h>
#include <mica/compiler.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/time.h>
#include <mica/plat/timer.h>
#include "linuxu.h"
#include "syscall.h"

#define LINUXU_CLOCK_REALTIME  0
#define LINUXU_CLOCK_MONOTONIC 1
#define LINUXU_SIGEV_SIGNAL    0
#define LINUXU_TIMER_ABSTIME   1

struct linuxu_timespec {
	int64_t sec;
	int64_t nsec;
};

struct linuxu_itimerspec {
	struct linuxu_timespec interval;
	struct linuxu_timespec value;
};

/* The kernel's struct sigevent: 64 bytes. */
struct linuxu_sigevent {
	uint64_t value;
	int signo;
	int notify;
	int pad[12];
};

static uint64_t time_base; /* host monotonic ns at bring-up */
static int time_timer = -1;

static uint64_t host_ns(int clock)
{
	struct linuxu_timespec ts;

	linuxu_syscall2(LINUXU_SYS_CLOCK_GETTIME, clock, (long)&ts);
	return (uint64_t)ts.sec * MICA_NSEC_PER_SEC + (uint64_t)ts.nsec;
}

static void time_init(void)
{
	struct linuxu_sigevent ev = {
		.signo = LINUXU_SIGALRM,
		.notify = LINUXU_SIGEV_SIGNAL,
	};
	long rc;

	time_base = host_ns(LINUXU_CLOCK_MONOTONIC) - 1;
	mica_linuxu_irq_init();
	rc = linuxu_syscall3(LINUXU_SYS_TIMER_CREATE, LINUXU_CLOCK_MONOTONIC,
			     (long)&ev, (long)&time_timer);
	if (rc < 0)
		MICA_CRASH("timer_create failed: error %ld", -rc);
}

static inline void time_ready(void)
{
	if (mica_unlikely(!time_base))
		time_init();
}

uint64_t mica_plat_monotonic_ns(void)
{
	time_ready();
	return host_ns(LINUXU_CLOCK_MONOTONIC) - time_base;
}

void mica_plat_time_up(void)
{
	time_ready();
}

int64_t mica_plat_wall_ns(void)
{
	return (int64_t)host_ns(LINUXU_CLOCK_REALTIME);
}

static void timer_set(uint64_t host_deadline)
{
	struct linuxu_itimerspec its = {
		.value = {.sec = (int64_t)(host_deadline / MICA_NSEC_PER_SEC),
			  .nsec = (int64_t)(host_deadline % MICA_NSEC_PER_SEC)},
	};

	linuxu_syscall4(LINUXU_SYS_TIMER_SETTIME, time_timer,
			host_deadline ? LINUXU_TIMER_ABSTIME : 0, (long)&its,
			0);
}

/*
 * time_base is above 0, so the absolute time is never 0 (which would
 * disarm); deadlines are cut to 2^62 ns (146 years) so it cannot wrap.
 */
void mica_plat_timer_program(uint64_t deadline_ns)
{
	timer_set(MICA_MIN(deadline_ns, 1ULL << 62) + time_base);
}

void mica_plat_timer_stop(void)
{
	timer_set(0);
}

/*
 * SIGALRM, delivered with interrupts unmasked. A signal recorded while
 * they were masked may be stale (the timer re-armed or disarmed since):
 * plat/common/timer.c drops it.
 */
void mica_linuxu_timer_irq(void)
{
	if (mica_plat_timer_due(mica_plat_monotonic_ns()))
		mica_plat_timer_fire();
}
