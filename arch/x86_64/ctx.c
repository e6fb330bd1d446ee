/* SPDX-License-Identifier: BSD-3-Clause */
/* New thread contexts and TLS areas for x86_64 (see mica/arch/ctx.h). */
#include <stddef.h>
#include <string.h>
#include <mica/arch/ctx.h>
#include <mica/compiler.h>

_Static_assert(offsetof(struct mica_arch_ctx, sp) == MICA_ARCH_CTX_SP, "sp");
_Static_assert(offsetof(struct mica_arch_ctx, fpu_full) ==
		       MICA_ARCH_CTX_FPU_FULL,
	       "fpu_full");
_Static_assert(offsetof(struct mica_arch_ctx, mxcsr) == MICA_ARCH_CTX_MXCSR,
	       "mxcsr");
_Static_assert(offsetof(struct mica_arch_ctx, fcw) == MICA_ARCH_CTX_FCW, "fcw");
_Static_assert(offsetof(struct mica_arch_ctx, fpu) == MICA_ARCH_CTX_FPU, "fpu");

void mica_arch_ctx_start(void);

/* Frame popped by mica_arch_ctx_switch: r15 r14 r13 r12 rbx rbp, ret. */
struct ctx_initial_frame {
	uintptr_t r15, r14, r13, r12, rbx, rbp;
	uintptr_t ret;
};

void mica_arch_ctx_init(struct mica_arch_ctx *ctx, uintptr_t stack_top,
			void (*entry)(void *), void *arg)
{
	struct ctx_initial_frame *f;

	stack_top &= ~(uintptr_t)15;
	/* After the 7 pops rsp == stack_top: aligned as before a call. */
	f = (struct ctx_initial_frame *)(stack_top - sizeof(*f));
	memset(f, 0, sizeof(*f));
	f->r13 = (uintptr_t)entry;
	f->r12 = (uintptr_t)arg;
	f->ret = (uintptr_t)mica_arch_ctx_start;
	ctx->sp = (uintptr_t)f;
	ctx->fpu_full = 0;
	ctx->mxcsr = 0x1f80; /* all exceptions masked, round to nearest */
	ctx->fcw = 0x037f;   /* x87 default: masked, extended precision */
}

/*
 * The image's TLS template, from the linker script: .tdata (initialised)
 * followed by .tbss (zeroed); __mica_tls_align is the larger alignment.
 */
extern char __mica_tls_start[], __mica_tdata_end[], __mica_tls_end[];
extern char __mica_tls_align[];

/*
 * Control block at the thread pointer: the self pointer, then room for
 * what compilers read at fixed offsets from %fs (the stack protector
 * canary sits at %fs:0x28), zeroed.
 */
#define TLS_TCB_SIZE MICA_ARCH_TLS_TCB_SIZE

/* The alignment of the TLS segment, as the linker used it for offsets. */
static size_t tls_seg_align(void)
{
	size_t a = (size_t)(uintptr_t)__mica_tls_align;

	return a ? a : 1;
}

/* Distance from the start of the template to the thread pointer. */
static size_t tls_offset(void)
{
	size_t sz = (size_t)(__mica_tls_end - __mica_tls_start);

	return MICA_ALIGN_UP(sz, tls_seg_align());
}

size_t mica_arch_tls_area_align(void)
{
	return tls_seg_align() < 16 ? 16 : tls_seg_align();
}

/* Space below the thread pointer, keeping the area's alignment for tp. */
static size_t tls_block_size(void)
{
	return MICA_ALIGN_UP(tls_offset(), mica_arch_tls_area_align());
}

size_t mica_arch_tls_area_size(void)
{
	return tls_block_size() + TLS_TCB_SIZE;
}

uintptr_t mica_arch_tls_area_init(void *area)
{
	size_t block = tls_block_size();
	size_t tdata = (size_t)(__mica_tdata_end - __mica_tls_start);
	uintptr_t tp = (uintptr_t)area + block;
	char *start = (char *)(tp - tls_offset());

	/* x86_64 TLS offsets are (address in template) - tls_offset(). */
	memset(area, 0, block);
	memcpy(start, __mica_tls_start, tdata);
	memset((void *)tp, 0, TLS_TCB_SIZE);
	*(uintptr_t *)tp = tp;
	return tp;
}
