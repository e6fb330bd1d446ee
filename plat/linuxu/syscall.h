/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Raw Linux system calls for x86_64 (no host libc). Numbers and structure
 * layouts are the kernel's x86_64 ABI (arch/x86/entry/syscalls).
 * Private to plat/linuxu.
 */
#ifndef LINUXU_SYSCALL_H
#define LINUXU_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#define LINUXU_SYS_WRITE	  1
#define LINUXU_SYS_READ		  0
#define LINUXU_SYS_MMAP		  9
#define LINUXU_SYS_RT_SIGACTION	  13
#define LINUXU_SYS_RT_SIGRETURN	  15
#define LINUXU_SYS_RT_SIGPROCMASK 14
#define LINUXU_SYS_MPROTECT	  10
#define LINUXU_SYS_SIGALTSTACK	  131
#define LINUXU_SYS_ARCH_PRCTL	  158
#define LINUXU_SYS_TIMER_CREATE	  222
#define LINUXU_SYS_TIMER_SETTIME  223
#define LINUXU_SYS_CLOCK_GETTIME  228
#define LINUXU_SYS_EXIT_GROUP	  231
#define LINUXU_SYS_PPOLL	  271

#define LINUXU_SIGALRM 14

#define LINUXU_SA_SIGINFO  0x00000004UL
#define LINUXU_SA_NODEFER  0x40000000UL
#define LINUXU_SA_ONSTACK  0x08000000UL
#define LINUXU_SA_RESTART  0x10000000UL
#define LINUXU_SA_RESTORER 0x04000000UL

/* The kernel's struct sigaction for rt_sigaction (a 64-bit mask). */
struct linuxu_sigaction {
	void (*handler)(int, void *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/* Signal frames return through this (start.S). */
void mica_linuxu_sigreturn(void);

static inline long linuxu_syscall3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long linuxu_syscall2(long n, long a, long b)
{
	return linuxu_syscall3(n, a, b, 0);
}

static inline long linuxu_syscall4(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long linuxu_syscall6(long n, long a, long b, long c, long d,
				   long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long linuxu_write(int fd, const void *buf, size_t len)
{
	return linuxu_syscall3(LINUXU_SYS_WRITE, fd, (long)buf, (long)len);
}

static inline long linuxu_read(int fd, void *buf, size_t len)
{
	return linuxu_syscall3(LINUXU_SYS_READ, fd, (long)buf, (long)len);
}

static inline __attribute__((noreturn)) void linuxu_exit_group(int status)
{
	for (;;)
		linuxu_syscall3(LINUXU_SYS_EXIT_GROUP, status, 0, 0);
}

#endif /* LINUXU_SYSCALL_H */
