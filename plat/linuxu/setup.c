/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu: Mica as a static Linux process. argv comes from the process,
 * the exit status is the process's, "interrupts" will be signals.
 */
#include <mica/boot.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/lcpu.h>
#include "syscall.h"

void mica_linuxu_main(unsigned long *sp) __mica_noreturn;
void mica_linuxu_crash_init(void);

static struct mica_bootinfo linuxu_bootinfo;

void mica_linuxu_main(unsigned long *sp)
{
	struct mica_bootinfo *bi = &linuxu_bootinfo;

	bi->protocol = "linux";
	bi->argc = (int)sp[0];
	bi->argv = (char **)&sp[1];
	mica_linuxu_crash_init();
	mica_boot(bi);
}

/* Signals are not used yet, so there is nothing to mask. */
unsigned long mica_plat_irq_save(void)
{
	return 0;
}

void mica_plat_irq_restore(unsigned long flags)
{
}

void mica_plat_irq_enable(void)
{
}

void mica_plat_irq_disable(void)
{
}

void mica_plat_halt(void)
{
}

void mica_plat_shutdown(int status)
{
	linuxu_exit_group(status & 0xff);
}
