/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu "interrupts": the timer is SIGALRM, and masking interrupts is a
 * flag in memory rather than a system call, so the scheduler's many short
 * critical sections cost nothing.
 *
 * A signal that arrives while the flag is set is only recorded; whoever
 * clears the flag runs the pending handler, as a CPU delivers a pending
 * interrupt on sti. SIGALRM is installed with SA_NODEFER: a handler may
 * switch threads and not come back for a long time, and the kernel's mask
 * must not keep the next SIGALRM out meanwhile. Handlers run on the
 * current thread's stack, like interrupts on bare metal.
 */
#include <errno.h>
#include <stdint.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/memory.h>
#include "linuxu.h"
#include "syscall.h"

/* Interrupts start masked, as on bare metal. */
static volatile int irq_masked = 1;
static volatile int irq_pending;

#define barrier() __asm__ volatile("" : : : "memory")

/* Run the pending interrupt's handler; irq_masked is set. */
static void irq_run_pending(void)
{
	irq_pending = 0;
	barrier();
	mica_linuxu_timer_irq();
}

void mica_plat_irq_enable(void)
{
	for (;;) {
		irq_masked = 0;
		barrier();
		if (mica_likely(!irq_pending))
			return;
		irq_masked = 1;
		barrier();
		irq_run_pending();
	}
}

void mica_plat_irq_disable(void)
{
	irq_masked = 1;
	barrier();
}

unsigned long mica_plat_irq_save(void)
{
	unsigned long was = irq_masked;

	irq_masked = 1;
	barrier();
	return was;
}

void mica_plat_irq_restore(unsigned long flags)
{
	if (!flags)
		mica_plat_irq_enable();
}

int mica_plat_irq_disabled(void)
{
	return irq_masked;
}

static void linuxu_sigalrm(int sig, void *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	if (irq_masked) {
		irq_pending = 1;
		return;
	}
	irq_masked = 1;
	barrier();
	irq_run_pending();
	/*
	 * Maybe much later, after other threads ran: the interrupted code
	 * had interrupts unmasked, so unmask them again on the way back.
	 */
	mica_plat_irq_enable();
}

void mica_linuxu_irq_init(void)
{
	struct linuxu_sigaction sa = {
		.handler = linuxu_sigalrm,
		.flags = LINUXU_SA_SIGINFO | LINUXU_SA_RESTORER |
			 LINUXU_SA_NODEFER | LINUXU_SA_RESTART,
		.restorer = mica_linuxu_sigreturn,
	};

	linuxu_syscall4(LINUXU_SYS_RT_SIGACTION, LINUXU_SIGALRM, (long)&sa, 0,
			sizeof(uint64_t));
}

#define LINUXU_SIG_BLOCK   0
#define LINUXU_SIG_UNBLOCK 1

static void sigalrm_block(int how)
{
	uint64_t set = 1ULL << (LINUXU_SIGALRM - 1);

	linuxu_syscall4(LINUXU_SYS_RT_SIGPROCMASK, how, (long)&set, 0,
			sizeof(set));
}

/*
 * Unmask and wait as one step: SIGALRM is blocked in the kernel while the
 * flag is cleared and the pending state checked, and ppoll() unblocks it
 * only while it sleeps, so a signal cannot slip in between the check and
 * the wait. The idle path is the only one that pays these system calls.
 */
void mica_plat_idle(void)
{
	uint64_t none = 0;

	if (irq_pending) {
		irq_run_pending();
		return;
	}
	sigalrm_block(LINUXU_SIG_BLOCK);
	irq_masked = 0;
	barrier();
	if (!irq_pending)
		linuxu_syscall6(LINUXU_SYS_PPOLL, 0, 0, 0, (long)&none,
				sizeof(none), 0);
	irq_masked = 1;
	barrier();
	sigalrm_block(LINUXU_SIG_UNBLOCK);
	if (irq_pending)
		irq_run_pending();
}

void mica_plat_halt(void)
{
}

#define LINUXU_ARCH_SET_FS 0x1002

int mica_linuxu_fsgsbase;

/*
 * Every thread switch sets the TLS base. Kernels since 5.9 on CPUs with
 * FSGSBASE allow wrfsbase in user mode (a few cycles); otherwise it takes
 * arch_prctl, a system call that costs microseconds under nested
 * virtualisation.
 */
void mica_plat_tls_set(uintptr_t tp)
{
	if (mica_linuxu_fsgsbase)
		__asm__ volatile("wrfsbase %0" : : "r"(tp) : "memory");
	else
		linuxu_syscall2(LINUXU_SYS_ARCH_PRCTL, LINUXU_ARCH_SET_FS,
				(long)tp);
}

#define LINUXU_PROT_NONE 0x0
#define LINUXU_PROT_RW	 0x3

int mica_plat_page_guard(void *addr, int guard, void *(*pt_alloc)(void))
{
	long rc;

	(void)pt_alloc;
	if (!MICA_IS_ALIGNED((uintptr_t)addr, MICA_PAGE_SIZE))
		return -EINVAL;
	rc = linuxu_syscall3(LINUXU_SYS_MPROTECT, (long)addr, MICA_PAGE_SIZE,
			     guard ? LINUXU_PROT_NONE : LINUXU_PROT_RW);
	return rc < 0 ? (int)rc : 0;
}
