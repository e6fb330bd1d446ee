/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench/sched: thread switch, thread creation and timer wake-up costs.
 * The same source is a Mica app (lib/sched + lib/lock) and, compiled with
 * -DBENCH_HOST -pthread, a host program on pthreads; shim.h maps the few
 * calls. bench/sched/run drives both and prints the ratios.
 *
 *   all [key=value...]   every figure below, one line per sample
 *   time                 the cost of the first clock read (kvm boot cost)
 *   none                 touch no clock at all (the image that pays nothing)
 *
 * Keys of "all": target_ms (length of one timed sample, default 20),
 * reps (samples per figure, 5), wakes (timed sleeps, 100), min_us and
 * max_us (their length, uniform, 1000..5000), seed (1), skip (a comma
 * list of clock,syscall,setfs,irq,yield,sem,create,wake); host only:
 * pin=1 (every thread on the CPU the program started on), slack_ns=N
 * (PR_SET_TIMERSLACK).
 *
 * Output lines (parsed by run):
 *   info: impl=... sem=... main_tsc=N
 *   clock: ops=N ns=T          N clock reads took T ns
 *   syscall: ops=N ns=T        N getppid system calls took T ns (host)
 *   setfs: ops=N ns=T          N arch_prctl(ARCH_SET_FS) took T ns (host)
 *   irq: ops=N ns=T            N irq_save + irq_restore pairs (Mica)
 *   yield: ops=N ns=T          N switches through yield took T ns
 *   sem: ops=N ns=T            N switches through semaphores took T ns
 *   create: ops=N ns=T         N create+join pairs took T ns
 *   wake: lat_ns=a,b,...       run again - deadline, per sleep
 *   wake: early=N              sleeps that returned before the deadline
 *   time: main_tsc=... first_cycles=... second_cycles=... guest_khz=...
 *   end: ok | end: error ...
 */
#ifdef BENCH_HOST
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

#ifdef BENCH_HOST
#include <asm/prctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#define BENCH_IMPL "host-pthread"
#elif defined(CONFIG_LIB_SCHED_DEFAULT_PREEMPT)
#define BENCH_IMPL "mica-sched-preempt"
#elif defined(CONFIG_LIB_SCHED)
#define BENCH_IMPL "mica-sched-coop"
#else
#define BENCH_IMPL "mica-nosched"
#endif

#ifndef BENCH_SEM_IMPL
#define BENCH_SEM_IMPL "none"
#endif

#define MAX_WAKES 4096
#define MAX_OPS	  (1ULL << 28)

typedef unsigned long long ull;

static struct {
	uint64_t target_ns;
	unsigned int reps;
	unsigned int wakes;
	uint64_t min_ns, max_ns;
	uint64_t seed;
	char skip[64];
	int pin;
	long slack_ns;
} opt = {
	.target_ns = 20000000,
	.reps = 5,
	.wakes = 100,
	.min_ns = 1000000,
	.max_ns = 5000000,
	.seed = 1,
	.slack_ns = -1,
};

static int skipped(const char *what)
{
	size_t n = strlen(what);
	const char *p = opt.skip;

	while ((p = strstr(p, what))) {
		if ((p == opt.skip || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return 1;
		p += n;
	}
	return 0;
}

/*
 * Run fn(n) twice small, untimed (to warm caches and, under TCG, get the
 * code translated), grow n until a run lasts an eighth of the target,
 * scale it to the target, then print reps timed samples. fn returns the
 * nanoseconds its n operations took, 0 on failure.
 */
static int measure(const char *name, uint64_t (*fn)(uint64_t n))
{
	uint64_t n = 64, ns;
	unsigned int r;

	if (!fn(n) || !fn(n)) {
		printf("end: error %s failed\n", name);
		return -1;
	}
	n = 256;
	ns = fn(n);
	while (ns && ns < opt.target_ns / 8 && n < MAX_OPS) {
		n *= 4;
		ns = fn(n);
	}
	if (!ns) {
		printf("end: error %s failed\n", name);
		return -1;
	}
	n = n * opt.target_ns / ns;
	if (n < 16)
		n = 16;
	if (n > MAX_OPS)
		n = MAX_OPS;
	for (r = 0; r < opt.reps; r++) {
		ns = fn(n);
		if (!ns) {
			printf("end: error %s failed\n", name);
			return -1;
		}
		printf("%s: ops=%llu ns=%llu\n", name, (ull)n, (ull)ns);
	}
	return 0;
}

/* --- the clock ------------------------------------------------------- */

static uint64_t run_clock(uint64_t n)
{
	uint64_t t0 = bench_now_ns(), t = t0, i;

	for (i = 0; i < n; i++)
		t = bench_now_ns();
	return t > t0 ? t - t0 : 1;
}

#ifdef BENCH_HAVE_IRQ
/* Mica: one interrupt mask + restore (cli/sti on kvm, a flag on linuxu). */
static uint64_t run_irq(uint64_t n)
{
	uint64_t t0 = bench_now_ns(), t1, i;

	for (i = 0; i < n; i++)
		bench_irq_pair();
	t1 = bench_now_ns();
	return t1 > t0 ? t1 - t0 : 1;
}
#endif

#ifdef BENCH_HOST
/*
 * What Mica linuxu pays at every switch when the CPU lacks FSGSBASE:
 * arch_prctl(ARCH_SET_FS) (to the value it already has).
 */
static uint64_t run_setfs(uint64_t n)
{
	uint64_t t0, t1, i;
	unsigned long fs;

	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	t0 = bench_now_ns();
	for (i = 0; i < n; i++)
		syscall(SYS_arch_prctl, ARCH_SET_FS, fs);
	t1 = bench_now_ns();
	return t1 > t0 ? t1 - t0 : 1;
}

/* One system call that does nothing much: what every host call costs. */
static uint64_t run_syscall(uint64_t n)
{
	uint64_t t0 = bench_now_ns(), t1, i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = bench_now_ns();
	return t1 > t0 ? t1 - t0 : 1;
}
#endif

#ifdef BENCH_HAVE_THREADS

/* splitmix64: the sleep lengths, the same on every side. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* --- two threads ping-ponging ---------------------------------------- */

/*
 * Thread 0 and thread 1 meet (each yields until both have started), then
 * thread 0 reads the clock and both pass the CPU back and forth n times;
 * the last to finish reads the clock again. Through yield each yield is
 * a switch; through semaphores each thread downs its own and ups the
 * other's, so each down blocks and is a switch. Either way: 2n switches.
 */
struct pingpong {
	bench_sem_t sem[2];
	uint64_t n;
	uint64_t t0, t1;
	int use_sem;
	int ready, done;
};

struct pp_arg {
	struct pingpong *pp;
	int id;
};

static void *pp_thread(void *arg)
{
	struct pp_arg *a = arg;
	struct pingpong *p = a->pp;
	bench_sem_t *own = &p->sem[a->id], *other = &p->sem[!a->id];
	uint64_t i;

	__atomic_add_fetch(&p->ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&p->ready, __ATOMIC_SEQ_CST) < 2)
		bench_yield();
	if (a->id == 0)
		p->t0 = bench_now_ns();
	if (!p->use_sem) {
		for (i = 0; i < p->n; i++)
			bench_yield();
	} else if (a->id == 0) {
		for (i = 0; i < p->n; i++) {
			bench_sem_up(other);
			bench_sem_down(own);
		}
	} else {
		for (i = 0; i < p->n; i++) {
			bench_sem_down(own);
			bench_sem_up(other);
		}
	}
	if (__atomic_add_fetch(&p->done, 1, __ATOMIC_SEQ_CST) == 2)
		p->t1 = bench_now_ns();
	return NULL;
}

/* n is the number of switches; each thread loops n / 2 times. */
static uint64_t pingpong(uint64_t n, int use_sem)
{
	static struct pingpong p;
	struct pp_arg a[2] = {{&p, 0}, {&p, 1}};
	bench_thread_t t[2];
	int i;

	memset(&p, 0, sizeof(p));
	p.n = n / 2;
	p.use_sem = use_sem;
	if (bench_sem_init(&p.sem[0], 0) || bench_sem_init(&p.sem[1], 0))
		return 0;
	for (i = 0; i < 2; i++) {
		if (bench_thread_create(&t[i], pp_thread, &a[i]))
			return 0;
	}
	for (i = 0; i < 2; i++) {
		if (bench_thread_join(t[i]))
			return 0;
	}
	return p.t1 > p.t0 ? p.t1 - p.t0 : 1;
}

static uint64_t run_yield(uint64_t n)
{
	return pingpong(n, 0);
}

static uint64_t run_sem(uint64_t n)
{
	return pingpong(n, 1);
}

/* --- create + join --------------------------------------------------- */

static void *noop_thread(void *arg)
{
	return arg;
}

static uint64_t run_create(uint64_t n)
{
	uint64_t t0 = bench_now_ns(), t1, i;
	bench_thread_t t;

	for (i = 0; i < n; i++) {
		if (bench_thread_create(&t, noop_thread, NULL) ||
		    bench_thread_join(t))
			return 0;
	}
	t1 = bench_now_ns();
	return t1 > t0 ? t1 - t0 : 1;
}

/* --- timer wake-up latency ------------------------------------------- */

static int64_t wake_lat[MAX_WAKES];

/*
 * Sleep until now + a random 1..5 ms, read the clock as soon as the
 * thread runs again: that minus the deadline is the latency (timer
 * interrupt, wake, switch, and one clock read). One sleep first,
 * untimed, to get the code paths warm.
 */
static void run_wake(void)
{
	uint64_t rng = opt.seed, span = opt.max_ns - opt.min_ns + 1;
	unsigned int i, early = 0, n = opt.wakes;

	if (n > MAX_WAKES)
		n = MAX_WAKES;
	bench_sleep_until(bench_now_ns() + opt.min_ns);
	for (i = 0; i < n; i++) {
		uint64_t deadline =
			bench_now_ns() + opt.min_ns + rng_next(&rng) % span;

		bench_sleep_until(deadline);
		wake_lat[i] = (int64_t)(bench_now_ns() - deadline);
		early += wake_lat[i] < 0;
	}
	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			printf("wake: lat_ns=");
		printf("%lld%s", (long long)wake_lat[i],
		       i % 16 == 15 || i == n - 1 ? "\n" : ",");
	}
	printf("wake: early=%u\n", early);
}

#endif /* BENCH_HAVE_THREADS */

/* --- the cost of bringing the clock up (kvm) ------------------------- */

/*
 * main_tsc is the TSC at main's entry: under QEMU TCG the guest's TSC
 * starts near 0 when the VM starts, so it is the guest time boot took.
 * Then the first clock read (which brings the clock up: calibration,
 * timer set-up) and the second in TSC ticks, and the TSC rate the
 * guest's clock implies over 20 ms. Each pair of (TSC, clock) reads is
 * made back to back by code already run, so that TCG translating new
 * code between the two reads cannot skew the rate.
 */
static int time_main(uint64_t main_tsc)
{
	uint64_t c0, c1, c2, ns0, ns1, s_ns, s_c, e_ns, e_c;

	c0 = bench_rdtsc();
	ns0 = bench_now_ns();
	c1 = bench_rdtsc();
	ns1 = bench_now_ns();
	c2 = bench_rdtsc();
	s_c = bench_rdtsc();
	s_ns = bench_now_ns();
	do {
		e_c = bench_rdtsc();
		e_ns = bench_now_ns();
	} while (e_ns - s_ns < 20000000);
	printf("time: main_tsc=%llu first_cycles=%llu second_cycles=%llu "
	       "first_ns=%llu second_ns=%llu guest_khz=%llu\n",
	       (ull)main_tsc, (ull)(c1 - c0), (ull)(c2 - c1), (ull)ns0,
	       (ull)ns1, (ull)((e_c - s_c) * 1000000 / (e_ns - s_ns)));
	return 0;
}

/* --- main ------------------------------------------------------------ */

static int parse(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		char *v = strchr(argv[i], '=');
		uint64_t n;

		if (!v) {
			printf("end: error bad option %s\n", argv[i]);
			return -1;
		}
		*v++ = '\0';
		n = strtoull(v, NULL, 10);
		if (!strcmp(argv[i], "target_ms"))
			opt.target_ns = n * 1000000;
		else if (!strcmp(argv[i], "reps"))
			opt.reps = (unsigned int)n;
		else if (!strcmp(argv[i], "wakes"))
			opt.wakes = (unsigned int)n;
		else if (!strcmp(argv[i], "min_us"))
			opt.min_ns = n * 1000;
		else if (!strcmp(argv[i], "max_us"))
			opt.max_ns = n * 1000;
		else if (!strcmp(argv[i], "seed"))
			opt.seed = n;
		else if (!strcmp(argv[i], "pin"))
			opt.pin = (int)n;
		else if (!strcmp(argv[i], "slack_ns"))
			opt.slack_ns = (long)n;
		else if (!strcmp(argv[i], "skip"))
			snprintf(opt.skip, sizeof(opt.skip), "%s", v);
		else {
			printf("end: error unknown option %s\n", argv[i]);
			return -1;
		}
	}
	if (!opt.target_ns || opt.max_ns < opt.min_ns) {
		printf("end: error bad target_ms, min_us or max_us\n");
		return -1;
	}
	return 0;
}

#ifdef BENCH_HOST
/* Every thread on one CPU, as on Mica; threads inherit the mask. */
static int host_setup(void)
{
	if (opt.pin) {
		cpu_set_t set;
		int cpu = sched_getcpu();

		CPU_ZERO(&set);
		CPU_SET(cpu < 0 ? 0 : cpu, &set);
		if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set)) {
			printf("end: error pthread_setaffinity_np\n");
			return -1;
		}
		printf("info: pinned to cpu %d\n", cpu < 0 ? 0 : cpu);
	}
	if (opt.slack_ns >= 0 &&
	    prctl(PR_SET_TIMERSLACK, (unsigned long)opt.slack_ns, 0, 0, 0)) {
		printf("end: error PR_SET_TIMERSLACK\n");
		return -1;
	}
	printf("info: timer_slack_ns=%d\n",
	       prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	return 0;
}
#endif

static int all_main(int argc, char **argv, uint64_t main_tsc)
{
	if (parse(argc, argv))
		return 2;
	printf("info: impl=%s sem=%s main_tsc=%llu\n", BENCH_IMPL,
	       BENCH_SEM_IMPL, (ull)main_tsc);
#ifdef BENCH_HOST
	if (host_setup())
		return 3;
#endif
	if (!skipped("clock") && measure("clock", run_clock))
		return 1;
#ifdef BENCH_HOST
	if (!skipped("syscall") && measure("syscall", run_syscall))
		return 1;
	if (!skipped("setfs") && measure("setfs", run_setfs))
		return 1;
#endif
#ifdef BENCH_HAVE_IRQ
	if (!skipped("irq") && measure("irq", run_irq))
		return 1;
#endif
#ifdef BENCH_HAVE_THREADS
	if (!skipped("yield") && measure("yield", run_yield))
		return 1;
	if (!skipped("sem") && measure("sem", run_sem))
		return 1;
	if (!skipped("create") && measure("create", run_create))
		return 1;
	if (!skipped("wake"))
		run_wake();
#else
	printf("info: no scheduler in this image: clock only\n");
#endif
	printf("end: ok\n");
	return 0;
}

int main(int argc, char *argv[])
{
	uint64_t main_tsc = bench_rdtsc();

	if (argc > 1 && !strcmp(argv[1], "all"))
		return all_main(argc - 1, argv + 1, main_tsc);
	if (argc > 1 && !strcmp(argv[1], "time"))
		return time_main(main_tsc);
	if (argc > 1 && !strcmp(argv[1], "none")) {
		printf("time: main_tsc=%llu\n", (ull)main_tsc);
		return 0;
	}
	printf("usage: all [key=value...] | time | none\n");
	return 2;
}
