/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hypercalls on the xen platform, for the platform itself and for
 * drivers/xen. Xen's ABI (xen/arch-x86/xen-x86_64.h): a call to
 * hypercall_page + 32 * number, arguments in %rdi, %rsi, %rdx, %r10,
 * %r8 (all of them may be clobbered), the result in %rax: 0 or more on
 * success, a negative Xen errno (xen/errno.h; the same numbers as
 * Mica's for the common ones) on failure.
 *
 * The page is set up by mica_x86_start64() before any library code runs
 * (setup.c): every function here may be called from then on, with
 * interrupts masked or not, also from interrupt context.
 */
#ifndef MICA_XEN_HYPERCALL_H
#define MICA_XEN_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>

extern char mica_xen_hypercall_page[4096];

/*
 * The call is direct (hypercall numbers are constants), so op must be a
 * constant expression. The stub is "mov $op, %eax; vmcall/vmmcall; ret":
 * no other register changes, but Xen may write any memory the arguments
 * point to.
 */
#define MICA_XEN_HYPERCALL_(op, a1, a2, a3, a4, a5)                       \
	({                                                                \
		register unsigned long r_rdi __asm__("rdi") =             \
			(unsigned long)(a1);                              \
		register unsigned long r_rsi __asm__("rsi") =             \
			(unsigned long)(a2);                              \
		register unsigned long r_rdx __asm__("rdx") =             \
			(unsigned long)(a3);                              \
		register unsigned long r_r10 __asm__("r10") =             \
			(unsigned long)(a4);                              \
		register unsigned long r_r8 __asm__("r8") =               \
			(unsigned long)(a5);                              \
		long r_ret;                                               \
		__asm__ volatile("call mica_xen_hypercall_page + %c[off]" \
				 : "=a"(r_ret), "+r"(r_rdi), "+r"(r_rsi), \
				   "+r"(r_rdx), "+r"(r_r10), "+r"(r_r8)   \
				 : [off] "i"((op)*32)                     \
				 : "memory");                             \
		r_ret;                                                    \
	})

#define mica_xen_hypercall1(op, a1)	MICA_XEN_HYPERCALL_(op, a1, 0, 0, 0, 0)
#define mica_xen_hypercall2(op, a1, a2) MICA_XEN_HYPERCALL_(op, a1, a2, 0, 0, 0)
#define mica_xen_hypercall3(op, a1, a2, a3) \
	MICA_XEN_HYPERCALL_(op, a1, a2, a3, 0, 0)
#define mica_xen_hypercall4(op, a1, a2, a3, a4) \
	MICA_XEN_HYPERCALL_(op, a1, a2, a3, a4, 0)
#define mica_xen_hypercall5(op, a1, a2, a3, a4, a5) \
	MICA_XEN_HYPERCALL_(op, a1, a2, a3, a4, a5)

/* The hypercalls Mica uses, typed (argument structures: xen/<op>.h). */

/* CONSOLEIO_write (xen/xen.h): Xen's own console; dom0 only. */
static inline int mica_xen_console_io(int cmd, unsigned int count,
				      const char *buf)
{
	return (int)mica_xen_hypercall3(__HYPERVISOR_console_io, cmd, count,
					buf);
}

/* SCHEDOP_* (xen/sched.h): yield, block, poll, shutdown. */
static inline int mica_xen_sched_op(int cmd, void *arg)
{
	return (int)mica_xen_hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

/* XENVER_* (xen/version.h): version, features. */
static inline int mica_xen_version(int cmd, void *arg)
{
	return (int)mica_xen_hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}

/* EVTCHNOP_* (xen/event_channel.h). */
static inline int mica_xen_event_channel_op(int cmd, void *arg)
{
	return (int)mica_xen_hypercall2(__HYPERVISOR_event_channel_op, cmd,
					arg);
}

/* HVMOP_* (xen/hvm/hvm_op.h): HVM parameters, the upcall vector. */
static inline int mica_xen_hvm_op(int cmd, void *arg)
{
	return (int)mica_xen_hypercall2(__HYPERVISOR_hvm_op, cmd, arg);
}

/* XENMEM_* (xen/memory.h): the memory map, adding pages to the p2m. */
static inline long mica_xen_memory_op(int cmd, void *arg)
{
	return mica_xen_hypercall2(__HYPERVISOR_memory_op, cmd, arg);
}

/* VCPUOP_* (xen/vcpu.h): the vCPU's time area, its single-shot timer. */
static inline int mica_xen_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return (int)mica_xen_hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

/* GNTTABOP_* (xen/grant_table.h). */
static inline int mica_xen_grant_table_op(int cmd, void *uop,
					  unsigned int count)
{
	return (int)mica_xen_hypercall3(__HYPERVISOR_grant_table_op, cmd, uop,
					count);
}

/* What the platform found out at boot (setup.c). */

/* Is this the hardware domain (dom0)? From XENVER_get_features. */
int mica_xen_is_dom0(void);

/* Xen's version, major << 16 | minor (CPUID leaf base+1). */
uint32_t mica_xen_version_number(void);

#endif /* MICA_XEN_HYPERCALL_H */
