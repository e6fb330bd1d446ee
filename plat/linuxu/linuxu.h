/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to plat/linuxu: what its files call in each other. */
#ifndef LINUXU_H
#define LINUXU_H

/* The kernel lets us write the FS base ourselves (wrfsbase). */
extern int mica_linuxu_fsgsbase;

void mica_linuxu_crash_init(void);
void mica_linuxu_irq_init(void);
/* SIGALRM, with "interrupts" masked: the timer expired. */
void mica_linuxu_timer_irq(void);

#endif /* LINUXU_H */
