/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu: Mica as a static Linux process. argv comes from the process,
 * the exit status is the process's, "interrupts" are signals (lcpu.c).
 */
#include <mica/boot.h>
#include <mica/log.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/lcpu.h>
#include "linuxu.h"
#include "syscall.h"

void mica_linuxu_main(unsigned long *sp) __mica_noreturn;

static struct mica_bootinfo linuxu_bootinfo;

#define LINUXU_PROT_READ     0x1
#define LINUXU_PROT_WRITE    0x2
#define LINUXU_MAP_PRIVATE   0x02
#define LINUXU_MAP_ANONYMOUS 0x20
#define LINUXU_MAP_NORESERVE 0x4000

/*
 * The process's "RAM": anonymous memory reserved at start. NORESERVE and
 * the kernel's lazy allocation mean only pages the image touches cost
 * host memory, so the reservation can be generous.
 */
static void linuxu_map_memory(struct mica_bootinfo *bi)
{
	size_t len = (size_t)CONFIG_PLAT_LINUXU_MEMORY_MB << 20;
	long addr = linuxu_syscall6(LINUXU_SYS_MMAP, 0, (long)len,
				    LINUXU_PROT_READ | LINUXU_PROT_WRITE,
				    LINUXU_MAP_PRIVATE | LINUXU_MAP_ANONYMOUS |
					    LINUXU_MAP_NORESERVE,
				    -1, 0);

	if (addr < 0 && addr > -4096) {
		mica_pr_warn("cannot map %zu MiB of memory: error %ld",
			     len >> 20, -addr);
		return;
	}
	mica_bootinfo_add_region(bi, (uintptr_t)addr, len, MICA_MEM_FREE);
}

#define LINUXU_AT_HWCAP2       26
#define LINUXU_HWCAP2_FSGSBASE (1UL << 1)

/* The auxiliary vector follows argv[] and envp[] on the initial stack. */
static unsigned long linuxu_auxv(unsigned long *sp, unsigned long type)
{
	unsigned long *p = &sp[1 + sp[0] + 1];

	while (*p)
		p++; /* envp[] */
	for (p++; p[0]; p += 2)
		if (p[0] == type)
			return p[1];
	return 0;
}

void mica_linuxu_main(unsigned long *sp)
{
	struct mica_bootinfo *bi = &linuxu_bootinfo;

	mica_linuxu_fsgsbase =
		!!(linuxu_auxv(sp, LINUXU_AT_HWCAP2) & LINUXU_HWCAP2_FSGSBASE);

	bi->protocol = "linux";
	bi->argc = (int)sp[0];
	bi->argv = (char **)&sp[1];
	mica_linuxu_crash_init();
	linuxu_map_memory(bi);
	mica_boot(bi);
}

void mica_plat_shutdown(int status)
{
	linuxu_exit_group(status & 0xff);
}
