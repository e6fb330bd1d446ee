/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 CPU helpers: CPUID, MSRs, control registers, the TSC, port I/O,
 * TLS.
 */
#ifndef MICA_ARCH_CPU_H
#define MICA_ARCH_CPU_H

#include <stdint.h>

#define MICA_X86_MSR_APIC_BASE	  0x1b
#define MICA_X86_MSR_TSC_DEADLINE 0x6e0
#define MICA_X86_MSR_EFER	  0xc0000080
#define MICA_X86_MSR_FS_BASE	  0xc0000100
#define MICA_X86_MSR_GS_BASE	  0xc0000101
#define MICA_X86_EFER_NXE	  (1UL << 11)
#define MICA_X86_RFLAGS_IF	  (1UL << 9)
#define MICA_X86_CR4_FSGSBASE	  (1UL << 16)

/* CPUID feature bits used outside the boot assembly. */
#define MICA_X86_CPUID1_ECX_TSC_DEADLINE (1U << 24)
#define MICA_X86_CPUID1_ECX_HYPERVISOR	 (1U << 31)
#define MICA_X86_CPUID1_EDX_APIC	 (1U << 9)
#define MICA_X86_CPUID7_EBX_FSGSBASE	 (1U << 0)

static inline void mica_x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a,
				  uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t mica_x86_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void mica_x86_wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)val),
			   "d"((uint32_t)(val >> 32))
			 : "memory");
}

/* The TSC. Not serializing: fine for a clock read on one CPU. */
static inline uint64_t mica_x86_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Spin-wait hint: lets a hypervisor or a sibling thread have the core. */
static inline void mica_x86_pause(void)
{
	__asm__ volatile("pause" : : : "memory");
}

static inline unsigned long mica_x86_read_cr2(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long mica_x86_read_cr3(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void mica_x86_write_cr3(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline unsigned long mica_x86_read_cr4(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void mica_x86_write_cr4(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* Drop the TLB entries (of any page size) that translate addr. */
static inline void mica_x86_invlpg(uintptr_t addr)
{
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline void mica_x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t mica_x86_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void mica_x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline unsigned long mica_x86_save_flags(void)
{
	unsigned long f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

/* Bare metal: the FS base is an MSR (a Linux process cannot write it). */
static inline void mica_x86_set_fs_base(uintptr_t base)
{
	mica_x86_wrmsr(MICA_X86_MSR_FS_BASE, base);
}

static inline uintptr_t mica_x86_get_fs_base(void)
{
	return mica_x86_rdmsr(MICA_X86_MSR_FS_BASE);
}

/* Enable the FPU and SSE; bare-metal entry code calls it before any C. */
void mica_x86_fpu_init(void);

#endif /* MICA_ARCH_CPU_H */
