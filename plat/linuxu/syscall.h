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

#define LINUXU_SYS_WRITE	1
#define LINUXU_SYS_READ		0
#define LINUXU_SYS_MMAP		9
#define LINUXU_SYS_RT_SIGACTION 13
#define LINUXU_SYS_RT_SIGRETURN 15
#define LINUXU_SYS_SIGALTSTACK	131
#define LINUXU_SYS_EXIT_GROUP	231

static inline long linuxu_syscall3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
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
