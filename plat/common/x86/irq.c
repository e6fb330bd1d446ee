/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt routing: the dispatch of vectors 0x20-0xff (traps.S,
 * irq_common) to the handlers in a table, and the PC's legacy
 * controllers, which platforms that have them silence at boot. The
 * vector map is in mica/plat/x86/irq.h.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/arch/regs.h>
#include <mica/log.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/x86/irq.h>

/* 8259A ports and initialization words (Intel 8259A data sheet). */
#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_ICW1  0x11 /* edge, cascade, ICW4 follows */
#define PIC_ICW4  0x01 /* 8086 mode, normal EOI */

/* 8254 PIT (Intel 82C54 data sheet): channel 0, lo/hi byte, mode 0. */
#define PIT_CH0	      0x40
#define PIT_CMD	      0x43
#define PIT_CH0_MODE0 0x30

struct irq_slot {
	mica_x86_irq_fn fn;
	void *arg;
};

static struct irq_slot irq_table[256];
static uint32_t irq_reported[256 / 32];

void mica_x86_irq(struct mica_arch_regs *regs);

int mica_x86_irq_register(unsigned int vector, mica_x86_irq_fn fn, void *arg)
{
	unsigned long flags;
	int rc = 0;

	if (vector < MICA_X86_VEC_DEV_FIRST ||
	    vector >= MICA_X86_VEC_SPURIOUS || !fn)
		return -EINVAL;
	flags = mica_plat_irq_save();
	if (irq_table[vector].fn) {
		rc = -EBUSY;
	} else {
		irq_table[vector].arg = arg;
		irq_table[vector].fn = fn;
	}
	mica_plat_irq_restore(flags);
	return rc;
}

int mica_x86_irq_unregister(unsigned int vector)
{
	unsigned long flags;
	int rc = 0;

	if (vector >= 256)
		return -EINVAL;
	flags = mica_plat_irq_save();
	if (!irq_table[vector].fn)
		rc = -EINVAL;
	irq_table[vector].fn = NULL;
	irq_table[vector].arg = NULL;
	mica_plat_irq_restore(flags);
	return rc;
}

static void irq_unexpected(unsigned int vec)
{
	uint32_t bit = 1U << (vec % 32);

	if (irq_reported[vec / 32] & bit)
		return;
	irq_reported[vec / 32] |= bit;
	if (vec >= MICA_X86_VEC_PIC_BASE && vec < MICA_X86_VEC_DEV_FIRST)
		mica_pr_warn("spurious 8259 PIC interrupt (IRQ %u, vector %#x) "
			     "ignored; reported once",
			     vec - MICA_X86_VEC_PIC_BASE, vec);
	else
		mica_pr_warn("interrupt on vector %#x, which has no handler: "
			     "ignored; reported once",
			     vec);
}

/*
 * From traps.S with interrupts masked, the interrupted registers (FPU and
 * SSE state included) saved on the current stack.
 */
void mica_x86_irq(struct mica_arch_regs *regs)
{
	unsigned int vec = regs->vector & 0xff;
	struct irq_slot *s = &irq_table[vec];

	/*
	 * SDM vol. 3, 10.9: a spurious interrupt does not set an in-service
	 * bit, so it gets no EOI; every other vector does, before the
	 * handler, which may switch threads and return only much later. An
	 * EOI with nothing in service (an 8259 interrupt) does nothing.
	 */
	if (vec == MICA_X86_VEC_SPURIOUS)
		return;
	mica_x86_lapic_eoi();
	if (mica_unlikely(!s->fn)) {
		irq_unexpected(vec);
		return;
	}
	s->fn(s->arg);
}

/*
 * The 8259s start at vector 0 or 8 (real-mode BIOS layout), where their
 * interrupts would look like CPU exceptions. Move them to 0x20-0x2f, then
 * mask every line: devices are routed through the I/O APIC, and the
 * local APIC's LINT0 is masked as well. (8259A data sheet: ICW1-ICW4.)
 */
void mica_x86_pic_disable(void)
{
	mica_x86_outb(PIC1_CMD, PIC_ICW1);
	mica_x86_outb(PIC2_CMD, PIC_ICW1);
	mica_x86_outb(PIC1_DATA, MICA_X86_VEC_PIC_BASE);
	mica_x86_outb(PIC2_DATA, MICA_X86_VEC_PIC_BASE + 8);
	mica_x86_outb(PIC1_DATA, 1 << 2); /* slave on IRQ 2 */
	mica_x86_outb(PIC2_DATA, 2);	  /* slave identity */
	mica_x86_outb(PIC1_DATA, PIC_ICW4);
	mica_x86_outb(PIC2_DATA, PIC_ICW4);
	mica_x86_outb(PIC1_DATA, 0xff);
	mica_x86_outb(PIC2_DATA, 0xff);
}

/*
 * PIT channel 0 runs in square-wave mode from reset (18.2 Hz). Its IRQ is
 * masked, but an emulated PIT still wakes the host for every edge; in
 * mode 0 with a count written it reaches its terminal count once and
 * then stays quiet, which is what an idle guest wants.
 */
void mica_x86_pit_quieten(void)
{
	mica_x86_outb(PIT_CMD, PIT_CH0_MODE0);
	mica_x86_outb(PIT_CH0, 0xff);
	mica_x86_outb(PIT_CH0, 0xff);
}

void mica_x86_irq_init(void)
{
	mica_x86_lapic_init();
}
