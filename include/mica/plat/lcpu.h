/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform interface: the logical CPU. Interrupt masking, waiting and
 * stopping. Implemented by every platform (on linuxu, interrupts are
 * signals).
 */
#ifndef MICA_PLAT_LCPU_H
#define MICA_PLAT_LCPU_H

#include <mica/compiler.h>

/* Mask interrupts and return the previous state for irq_restore. */
unsigned long mica_plat_irq_save(void);
void mica_plat_irq_restore(unsigned long flags);
void mica_plat_irq_enable(void);
void mica_plat_irq_disable(void);

/* Wait until the next interrupt (or return at once if none can come). */
void mica_plat_halt(void);

/*
 * Stop the machine with an exit status (0..255). On QEMU the status
 * reaches the host through isa-debug-exit; where no such device exists
 * the CPU is halted after a final console line.
 */
void mica_plat_shutdown(int status) __mica_noreturn;

#endif /* MICA_PLAT_LCPU_H */
