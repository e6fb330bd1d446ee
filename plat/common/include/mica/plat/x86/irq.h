/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts on bare-metal x86_64 (plat/common/x86): the vector map, the
 * handler table device drivers register in, and the local APIC.
 *
 * Vector map (the local APIC's priority class is vector >> 4, so a higher
 * range wins when two are pending; Intel SDM vol. 3, 10.8.3):
 *
 *   0x00-0x1f  CPU exceptions (traps.c; all fatal)
 *   0x20-0x2f  the legacy 8259 PICs (kvm), remapped here and masked; only a
 *              spurious IRQ 7/15 could arrive, and is reported once
 *   0x30-0xdf  device interrupts (I/O APIC, MSI): mica_x86_irq_register()
 *   0xe0-0xee  reserved for the platform (inter-processor interrupts)
 *   0xef       local APIC timer (mica/plat/time.h)
 *   0xf0-0xfd  reserved for the platform
 *   0xfe       local APIC error
 *   0xff       local APIC spurious interrupt (never acknowledged)
 *
 * Every vector from 0x20 up reaches mica_x86_irq(), which acknowledges
 * the interrupt at the local APIC (EOI) and then calls the registered
 * handler, with interrupts masked, on the interrupted stack. A vector
 * without a handler is reported once and otherwise ignored.
 */
#ifndef MICA_PLAT_X86_IRQ_H
#define MICA_PLAT_X86_IRQ_H

#include <stdint.h>

#define MICA_X86_VEC_PIC_BASE	0x20 /* IRQ 0-7 at 0x20, IRQ 8-15 at 0x28 */
#define MICA_X86_VEC_DEV_FIRST	0x30
#define MICA_X86_VEC_DEV_LAST	0xdf
#define MICA_X86_VEC_TIMER	0xef
#define MICA_X86_VEC_APIC_ERROR 0xfe
#define MICA_X86_VEC_SPURIOUS	0xff

/*
 * An interrupt handler. It runs after the EOI, so it may switch threads
 * and come back much later; it must not assume anything after its own
 * return. A level-triggered source (legacy INTx through the I/O APIC)
 * may therefore be delivered once more after the handler quietened the
 * device: handlers must cope with finding nothing to do.
 */
typedef void (*mica_x86_irq_fn)(void *arg);

/*
 * Route vector (MICA_X86_VEC_DEV_FIRST..LAST for devices; the platform
 * registers its own fixed vectors the same way) to fn(arg). Returns 0,
 * -EINVAL for a vector outside 0x30..0xfe or a NULL fn, -EBUSY when the
 * vector is taken. Callable with interrupts masked or not.
 */
int mica_x86_irq_register(unsigned int vector, mica_x86_irq_fn fn, void *arg);
/* Free a vector again; -EINVAL if it had no handler. */
int mica_x86_irq_unregister(unsigned int vector);

/*
 * Boot: enable the local APIC. Called once by mica_x86_start64() before
 * anything can unmask interrupts.
 */
void mica_x86_irq_init(void);

/*
 * The PC's legacy timer and interrupt controllers, for platforms whose
 * machine has them (kvm; a Xen PVH guest has neither). From the
 * platform's mica_x86_plat_early(), interrupts masked: remap the 8259
 * PICs to 0x20-0x2f and mask every line; put PIT channel 0 in one-shot
 * mode so it stops interrupting.
 */
void mica_x86_pic_disable(void);
void mica_x86_pit_quieten(void);

/* --- local APIC (lapic.c): for the platform's own code ------------------ */

/* LVT timer modes (SDM vol. 3, 10.5.4). */
#define MICA_X86_LAPIC_TIMER_ONESHOT  0
#define MICA_X86_LAPIC_TIMER_DEADLINE (2U << 17)

void mica_x86_lapic_init(void);
void mica_x86_lapic_eoi(void);
/* Program the LVT timer entry: vector, mode, masked or not; divide by 1. */
void mica_x86_lapic_timer_setup(unsigned int vector, uint32_t mode, int masked);
/* One-shot mode: start counting down from count (0 stops the timer). */
void mica_x86_lapic_timer_start(uint32_t count);
/* One-shot mode: the current count. */
uint32_t mica_x86_lapic_timer_count(void);

#endif /* MICA_PLAT_X86_IRQ_H */
