/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xen platform: a PVH guest of Xen, dom0 or domU, x86_64. The shared x86
 * code (plat/common/x86) enters through the PVH note, sets up the CPU
 * and parses the PVH start info; this file finds Xen (or stops at once
 * when there is none) and owns the way out.
 *
 * Exit status (docs/xen.md): Xen has no exit code for a domain, so the
 * status always goes to the console as MICA_PLAT_EXIT_LINE first. Then:
 * - dom0: the status is also written to the isa-debug-exit port (under
 *   QEMU that ends QEMU with it), then SCHEDOP_shutdown with
 *   SHUTDOWN_reboot, which ends the machine; under QEMU -no-reboot that
 *   ends QEMU. (SHUTDOWN_poweroff would leave Xen halted and QEMU
 *   running.)
 * - domU: SHUTDOWN_poweroff, or SHUTDOWN_crash for MICA_EXIT_CRASH so
 *   that the toolstack's on_crash action applies and xl reports a crash.
 */
#include <errno.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/boot.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/lcpu.h>
#include <mica/plat/x86/boot.h>
#include <mica/print.h>
#include <mica/xen/hypercall.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include "plat_xen.h"

/* The status of an image started without Xen underneath. */
#define XEN_EXIT_NOT_ON_XEN 1

static __mica_noreturn void xen_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void xen_debug_exit(int status)
{
	if (CONFIG_PLAT_XEN_DEBUG_EXIT_PORT)
		mica_x86_outl(CONFIG_PLAT_XEN_DEBUG_EXIT_PORT,
			      (uint32_t)status);
}

void mica_x86_plat_early(void)
{
	const char *why;

	if (xen_probe(&why))
		return;
	/* Plain QEMU or hardware: no hypercalls, so stop right here. */
	mica_printf("mica: not running on Xen (%s): this image is built for "
		    "the xen platform\n",
		    why);
	xen_debug_exit(XEN_EXIT_NOT_ON_XEN);
	xen_halt();
}

/*
 * Idle: hlt. For an HVM/PVH vCPU Xen turns hlt into SCHEDOP_block
 * (hvm_hlt() in Xen 4.17's arch/x86/hvm/hvm.c), with the guest's IF=1 in
 * the flags it checks, after it has stepped past the hlt and so cleared
 * sti's shadow: an upcall that became pending after our last check stops
 * the block, one that comes later wakes it. Calling SCHEDOP_block from
 * here cannot do that: with IF=0 Xen blocks even though an event is
 * pending, and an event that arrived just before the hypercall has
 * already spent its one kick (Xen kicks on the 0->1 change of
 * evtchn_upcall_pending); with IF=1 the upcall can run between sti and
 * the hypercall and consume the wake-up.
 */
void mica_plat_idle(void)
{
	mica_x86_idle_hlt();
}

/*
 * XENMEM_memory_map (xen/memory.h) entries are "in the same format as
 * returned by the BIOS INT 0x15 EAX=0xE820 call": 20 bytes, packed. The
 * public headers have no structure for it.
 */
struct xen_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __mica_packed;

#define XEN_MEMMAP_MAX 64

/*
 * Xen's dom0 builder leaves the memory map out of the PVH start info
 * (version 0, or no entries): ask Xen for the domain's map.
 */
int mica_x86_plat_memmap(struct mica_bootinfo *bi)
{
	static struct xen_e820_entry map[XEN_MEMMAP_MAX];
	struct xen_memory_map req = {.nr_entries = XEN_MEMMAP_MAX};
	unsigned int i;
	long rc;

	set_xen_guest_handle(req.buffer, map);
	rc = mica_xen_memory_op(XENMEM_memory_map, &req);
	if (rc < 0) {
		mica_pr_err("XENMEM_memory_map failed: error %ld", -rc);
		return (int)rc;
	}
	if (req.nr_entries > XEN_MEMMAP_MAX) {
		mica_pr_warn("Xen's memory map claims %u entries of %u: only "
			     "the first %u used",
			     req.nr_entries, XEN_MEMMAP_MAX, XEN_MEMMAP_MAX);
		req.nr_entries = XEN_MEMMAP_MAX;
	}
	for (i = 0; i < req.nr_entries; i++) {
		mica_pr_debug("Xen memory map: %#llx-%#llx type %u",
			      (unsigned long long)map[i].addr,
			      (unsigned long long)(map[i].addr + map[i].size),
			      (unsigned int)map[i].type);
		mica_x86_add_e820(bi, map[i].addr, map[i].size, map[i].type);
	}
	return req.nr_entries ? 0 : -ENODEV;
}

void mica_x86_plat_start(struct mica_bootinfo *bi)
{
	uint32_t v = mica_xen_version_number();

	mica_pr_debug("Xen %u.%u, %s", (unsigned int)(v >> 16),
		      (unsigned int)(v & 0xffff),
		      mica_xen_is_dom0() ? "dom0" : "domU");
	mica_boot(bi);
}

void mica_plat_shutdown(int status)
{
	struct sched_shutdown s;

	mica_printf(MICA_PLAT_EXIT_LINE, status);
	if (!xen_probe(NULL)) {
		xen_debug_exit(status);
		xen_halt();
	}
	if (mica_xen_is_dom0()) {
		xen_debug_exit(status);
		s.reason = SHUTDOWN_reboot;
	} else {
		s.reason = status == MICA_EXIT_CRASH ? SHUTDOWN_crash
						     : SHUTDOWN_poweroff;
	}
	xen_console_flush();
	mica_xen_sched_op(SCHEDOP_shutdown, &s);
	/* Xen does not return from a shutdown it accepted. */
	mica_printf("mica: Xen refused to shut the domain down: halting\n");
	xen_halt();
}
