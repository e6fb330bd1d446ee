/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform interface: the logical CPU. Interrupt masking, waiting and
 * stopping. Implemented by every platform (on linuxu, interrupts are
 * signals).
 */
#ifndef MICA_PLAT_LCPU_H
#define MICA_PLAT_LCPU_H

#include <stdint.h>
#include <mica/compiler.h>

/* Mask interrupts and return the previous state for irq_restore. */
unsigned long mica_plat_irq_save(void);
void mica_plat_irq_restore(unsigned long flags);
void mica_plat_irq_enable(void);
void mica_plat_irq_disable(void);

/* Are interrupts masked right now? (For assertions.) */
int mica_plat_irq_disabled(void);

/* Wait until the next interrupt (or return at once if none can come). */
void mica_plat_halt(void);

/*
 * The idle wait. Called with interrupts masked, after the caller has
 * checked there is nothing to do: unmask and wait for an interrupt as one
 * step (an interrupt arriving between the check and the wait is not
 * lost), run its handlers, and return with interrupts masked again. On
 * bare metal this is "sti; hlt"; on linuxu a blocking system call.
 */
void mica_plat_idle(void);

/*
 * Set the thread pointer (the TLS base the compiler's __thread accesses
 * are relative to; %fs on x86_64).
 */
void mica_plat_tls_set(uintptr_t tp);

/*
 * Stop the machine with an exit status (0..255). On QEMU the status
 * reaches the host through isa-debug-exit; where no such device exists
 * (and always on Xen) the platform prints MICA_PLAT_EXIT_LINE first.
 */
void mica_plat_shutdown(int status) __mica_noreturn;

/*
 * The console line that carries the exit status where the machine
 * cannot. scripts/mica-run reads it: every platform uses this format.
 */
#define MICA_PLAT_EXIT_LINE "mica: halted with exit status %d\n"

#endif /* MICA_PLAT_LCPU_H */
