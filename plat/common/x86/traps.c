/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU exceptions on bare-metal x86_64: a GDT with a TSS, an IDT whose 32
 * exception vectors lead to mica_x86_trap(), and the report. Every
 * exception is fatal. Vectors 32-255 lead to mica_x86_irq() (irq.c).
 *
 * Page faults and double faults run on stacks of their own (the TSS's
 * interrupt stack table, SDM vol. 3, 6.14.5): a thread that overflows
 * onto its guard page faults because it cannot push, so the CPU could not
 * push the page fault's frame there either - it would escalate to a
 * double fault, and the report would not name the guard page. With an
 * IST stack, the overflow is reported as a page fault at the guard
 * address. A fault inside that report finds the crash already under way
 * and stops at once (lib/debug), so the one stack per vector is enough.
 */
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/arch/regs.h>
#include <mica/debug.h>
#include <mica/print.h>
#include <mica/plat/x86/boot.h>

#define X86_VECTOR_DF 8
#define X86_VECTOR_PF 14
#define X86_IST_DF    1
#define X86_IST_PF    2
#define X86_IST_STACK 8192
#define X86_SEL_CODE  0x08
#define X86_SEL_DATA  0x10
#define X86_SEL_TSS   0x18

/* 64-bit TSS (Intel SDM vol. 3, 8.7): only the IST slots are used. */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __mica_packed;

struct x86_idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __mica_packed;

struct x86_desc_ptr {
	uint16_t limit;
	uint64_t base;
} __mica_packed;

extern const uintptr_t mica_x86_trap_stubs[256];

static struct x86_tss trap_tss;
static uint64_t trap_gdt[5] __mica_aligned(16);
static struct x86_idt_entry trap_idt[256] __mica_aligned(16);
static char trap_df_stack[X86_IST_STACK] __mica_aligned(16);
static char trap_pf_stack[X86_IST_STACK] __mica_aligned(16);

static const char *const trap_names[32] = {
	[0] = "divide error (#DE)",
	[1] = "debug (#DB)",
	[2] = "non-maskable interrupt",
	[3] = "breakpoint (#BP)",
	[4] = "overflow (#OF)",
	[5] = "bound range exceeded (#BR)",
	[6] = "invalid opcode (#UD)",
	[7] = "device not available (#NM)",
	[8] = "double fault (#DF)",
	[10] = "invalid TSS (#TS)",
	[11] = "segment not present (#NP)",
	[12] = "stack-segment fault (#SS)",
	[13] = "general protection fault (#GP)",
	[14] = "page fault (#PF)",
	[16] = "x87 floating-point error (#MF)",
	[17] = "alignment check (#AC)",
	[18] = "machine check (#MC)",
	[19] = "SIMD floating-point exception (#XM)",
	[20] = "virtualization exception (#VE)",
	[21] = "control protection exception (#CP)",
};

void mica_x86_trap(struct mica_arch_regs *regs);

void mica_x86_trap(struct mica_arch_regs *regs)
{
	static char what[96];
	unsigned long vec = regs->vector;
	const char *name = vec < 32 && trap_names[vec] ? trap_names[vec]
						       : "reserved exception";

	if (vec == X86_VECTOR_PF) {
		/* Error code bits: SDM vol. 3, 4.7. */
		unsigned long e = regs->error;

		mica_snprintf(what, sizeof(what), "%s: %s %s%s", name,
			      e & 0x10	? "instruction fetch"
			      : e & 0x2 ? "write"
					: "read",
			      e & 0x1 ? "violating page protection"
				      : "of a non-present page",
			      e & 0x4 ? " (user mode)" : "");
		mica_crash_regs(what, regs, 1, mica_x86_read_cr2());
	}
	mica_crash_regs(name, regs, 0, 0);
}

static void idt_set(unsigned int vec, uintptr_t handler, unsigned int ist)
{
	struct x86_idt_entry *e = &trap_idt[vec];

	e->offset_lo = handler & 0xffff;
	e->selector = X86_SEL_CODE;
	e->ist = ist;
	e->type_attr = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
	e->offset_mid = (handler >> 16) & 0xffff;
	e->offset_hi = handler >> 32;
	e->reserved = 0;
}

void mica_x86_traps_init(void)
{
	uintptr_t tss = (uintptr_t)&trap_tss;
	struct x86_desc_ptr gdtr = {sizeof(trap_gdt) - 1, (uintptr_t)trap_gdt};
	struct x86_desc_ptr idtr = {sizeof(trap_idt) - 1, (uintptr_t)trap_idt};
	unsigned int i;

	trap_tss.ist[X86_IST_DF - 1] =
		(uintptr_t)trap_df_stack + sizeof(trap_df_stack);
	trap_tss.ist[X86_IST_PF - 1] =
		(uintptr_t)trap_pf_stack + sizeof(trap_pf_stack);
	trap_tss.iomap_base = sizeof(trap_tss);

	trap_gdt[0] = 0;
	trap_gdt[1] = 0x00af9b000000ffffULL; /* 64-bit code, accessed */
	trap_gdt[2] = 0x00cf93000000ffffULL; /* data, accessed */
	/* 16-byte available 64-bit TSS descriptor (SDM vol. 3, 8.2.3) */
	trap_gdt[3] = (sizeof(trap_tss) - 1) | ((tss & 0xffffff) << 16) |
		      (0x89ULL << 40) | ((uint64_t)((tss >> 24) & 0xff) << 56);
	trap_gdt[4] = tss >> 32;

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "i"(X86_SEL_CODE), "i"(X86_SEL_DATA),
			   "r"(X86_SEL_TSS)
			 : "rax", "memory");

	for (i = 0; i < 256; i++)
		idt_set(i, mica_x86_trap_stubs[i],
			i == X86_VECTOR_DF   ? X86_IST_DF
			: i == X86_VECTOR_PF ? X86_IST_PF
					     : 0);
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}
