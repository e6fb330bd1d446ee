/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 thread context: what a thread switch must keep.
 *
 * A voluntary switch is a function call, so the System V ABI says what
 * survives it: rsp, rbx, rbp, r12-r15, the MXCSR control bits and the x87
 * control word. Every XMM/x87 data register is caller-saved and dead at
 * that point. That is all mica_arch_ctx_switch() saves (56 bytes, no
 * fxsave).
 *
 * A preemption (a switch from the timer interrupt) catches the thread
 * with live FPU/SSE registers, so the scheduler calls mica_arch_fpu_save()
 * first: fxsave of the whole state, which the next switch back into the
 * thread restores with fxrstor. FPU state is therefore saved eagerly but
 * only where the ABI makes it live; there is no lazy #NM trapping (it
 * costs a trap per time slice and complicates SMP for no gain on a
 * single-application image).
 */
#ifndef MICA_ARCH_CTX_H
#define MICA_ARCH_CTX_H

/* Offsets into struct mica_arch_ctx for ctx.S; ctx.c checks them. */
#define MICA_ARCH_CTX_SP       0
#define MICA_ARCH_CTX_FPU_FULL 8
#define MICA_ARCH_CTX_MXCSR    12
#define MICA_ARCH_CTX_FCW      16
#define MICA_ARCH_CTX_FPU      32

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct mica_arch_ctx {
	uintptr_t sp;	   /* saved stack pointer; callee-saved regs on it */
	uint32_t fpu_full; /* fpu[] holds the full state (after a preemption) */
	uint32_t mxcsr;	   /* voluntary switch: MXCSR */
	uint16_t fcw;	   /* voluntary switch: x87 control word */
	uint8_t pad[14];
	uint8_t fpu[512] __attribute__((aligned(16))); /* fxsave area */
};

/*
 * Prepare ctx so that the first switch to it calls entry(arg) on the
 * stack ending at stack_top (16-byte aligned). entry must not return.
 */
void mica_arch_ctx_init(struct mica_arch_ctx *ctx, uintptr_t stack_top,
			void (*entry)(void *), void *arg);

/* Save the running context into prev and resume next. */
void mica_arch_ctx_switch(struct mica_arch_ctx *prev,
			  struct mica_arch_ctx *next);

/* Before switching away from a preempted thread: keep all FPU/SSE state. */
static inline void mica_arch_fpu_save(struct mica_arch_ctx *ctx)
{
	__asm__ volatile("fxsave64 %0" : "=m"(ctx->fpu) : : "memory");
	ctx->fpu_full = 1;
}

/*
 * Thread-local storage (x86_64 "variant II", as in the ELF TLS ABI): the
 * block holding .tdata and .tbss ends at the thread pointer, which points
 * at a small control block whose first word is its own address (%fs:0).
 */

/* Bytes of the control block at the thread pointer. */
#define MICA_ARCH_TLS_TCB_SIZE 64

/* Bytes and alignment a TLS area for one thread needs. */
size_t mica_arch_tls_area_size(void);
size_t mica_arch_tls_area_align(void);

/*
 * Fill a TLS area (of mica_arch_tls_area_size() bytes, aligned to
 * mica_arch_tls_area_align()) from the image's TLS template and return the
 * thread pointer to give mica_plat_tls_set().
 */
uintptr_t mica_arch_tls_area_init(void *area);

#endif /* !__ASSEMBLER__ */
#endif /* MICA_ARCH_CTX_H */
