/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Behaviours the integration tests check from the host, one per argv[1]:
 *   status N       return N from main
 *   fault          write to an unmapped address
 *   ud2            execute an invalid instruction
 *   wx             write into the image's own code
 *   hang           spin forever (the runner must kill it)
 *   args           print each argument (the default)
 *   stackoverflow  recurse without end in a thread named "deep-recursion"
 *                  with a 16 KiB stack: the guard page must stop it
 *                  (needs LIB_SCHED: configs/<plat>-x86_64-{coop,preempt})
 *   clock          check that 1,000,000 consecutive reads of the monotonic
 *                  clock (or as many as fit in 5 s) never go backwards,
 *                  then busy-wait 2 s by it,
 *                  printing "clock: mark I at T ns" every 100 ms; the host
 *                  compares T with when each line arrives
 *   idle N         print "idle: sleeping N s", sleep N seconds (the
 *                  scheduler's sleep, or nanosleep without one), then
 *                  "idle: woke after T ns"; the host measures the CPU time
 *                  used in between
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mica/plat/time.h>
#ifdef CONFIG_LIB_SCHED
#include <mica/sched.h>
#endif

static int selftest_fault(void)
{
	/* Far above any RAM: unmapped on kvm and in a Linux process. */
	*(volatile int *)0xdead0000000UL = 1;
	return 1;
}

int main(int argc, char *argv[]);

static int selftest_wx(void)
{
	volatile unsigned char *code = (volatile unsigned char *)main;

	code[0] = 0xc3;
	printf("wrote into the text segment: W^X does not hold\n");
	return 1;
}

#ifdef CONFIG_LIB_SCHED
/* Never reached: a bound the compiler cannot see, so it keeps recursing. */
static volatile unsigned long recurse_limit = ~0UL;

/* A frame of 256 bytes used after the call: no tail call, no inlining. */
static __attribute__((noinline)) unsigned long recurse(unsigned long depth)
{
	volatile unsigned char frame[256];

	frame[depth % sizeof(frame)] = (unsigned char)depth;
	if (depth == recurse_limit)
		return 0;
	return recurse(depth + 1) + frame[depth % sizeof(frame)];
}

static void *deep_recursion(void *arg)
{
	(void)arg;
	return (void *)recurse(0);
}

static int selftest_stackoverflow(void)
{
	struct mica_thread_attr attr = {
		.name = "deep-recursion",
		.stack_size = 16384,
	};
	struct mica_thread *t;
	int rc = mica_thread_create(&t, &attr, deep_recursion, NULL);

	if (rc < 0) {
		printf("stackoverflow: thread creation failed: %d\n", rc);
		return 1;
	}
	mica_thread_join(t, NULL);
	printf("stackoverflow: the thread returned: no guard page\n");
	return 1;
}
#else
static int selftest_stackoverflow(void)
{
	printf("stackoverflow: needs a scheduler (LIB_SCHED)\n");
	return 3;
}
#endif

/* Or as many as 5 s allow: a read traps to Xen under TCG (34 us). */
#define CLOCK_READS	  1000000
#define CLOCK_READS_FOR_S 5
#define CLOCK_MARKS	  20 /* after the first, one every 100 ms */

static int selftest_clock(void)
{
	uint64_t prev = mica_plat_monotonic_ns(), start = prev;
	int i;

	for (i = 0; i < CLOCK_READS; i++) {
		uint64_t now = mica_plat_monotonic_ns();

		if (!(i & 1023) &&
		    now - start > CLOCK_READS_FOR_S * MICA_NSEC_PER_SEC)
			break;

		if (now < prev) {
			printf("clock: went backwards at read %d: %llu ns "
			       "after %llu ns\n",
			       i, (unsigned long long)now,
			       (unsigned long long)prev);
			return 1;
		}
		prev = now;
	}
	printf("clock: %d consecutive reads, monotonic\n", i);
	start = mica_plat_monotonic_ns();
	for (i = 0; i <= CLOCK_MARKS; i++) {
		uint64_t mark = start + (uint64_t)i * 100 * MICA_NSEC_PER_MSEC;
		uint64_t now;

		while ((now = mica_plat_monotonic_ns()) < mark)
			;
		printf("clock: mark %d at %llu ns\n", i,
		       (unsigned long long)now);
	}
	return 0;
}

static int selftest_idle(unsigned int secs)
{
	uint64_t start;

	printf("idle: sleeping %u s\n", secs);
	start = mica_plat_monotonic_ns();
#ifdef CONFIG_LIB_SCHED
	mica_sleep_ns(secs * MICA_NSEC_PER_SEC);
#else
	struct timespec ts = {.tv_sec = secs};

	if (nanosleep(&ts, NULL) < 0) {
		printf("idle: nanosleep failed\n");
		return 1;
	}
#endif
	printf("idle: woke after %llu ns\n",
	       (unsigned long long)(mica_plat_monotonic_ns() - start));
	return 0;
}

int main(int argc, char *argv[])
{
	const char *what = argc > 1 ? argv[1] : "args";

	printf("selftest: %s\n", what);
	if (!strcmp(what, "status") && argc > 2)
		return atoi(argv[2]);
	if (!strcmp(what, "fault"))
		return selftest_fault();
	if (!strcmp(what, "ud2"))
		__asm__ volatile("ud2");
	if (!strcmp(what, "wx"))
		return selftest_wx();
	if (!strcmp(what, "hang")) {
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	if (!strcmp(what, "args")) {
		for (int i = 0; i < argc; i++)
			printf("argv[%d]: %s\n", i, argv[i]);
		return 0;
	}
	if (!strcmp(what, "stackoverflow"))
		return selftest_stackoverflow();
	if (!strcmp(what, "clock"))
		return selftest_clock();
	if (!strcmp(what, "idle") && argc > 2)
		return selftest_idle((unsigned int)atoi(argv[2]));
	printf("selftest: unknown behaviour '%s'\n", what);
	return 2;
}
