/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console on Xen. One registered console whose output goes to the
 * first backend that applies, chosen at the first write (which also
 * finds Xen: the console must work from the first line of C code):
 *
 * - dom0: Xen's own console, through the console_io hypercall
 *   (CONSOLEIO_write, xen/xen.h). Xen prints it on its serial port as
 *   it is, synchronously, without a prefix.
 * - domU: Xen's HVM debug port 0xe9, which Xen prints on its console as
 *   "(dN) ..." when booted with guest_loglvl=all. A stopgap: the domU
 *   console proper is the console ring (xen/io/console.h) that
 *   xenconsoled reads, found through the HVM parameters; it becomes a
 *   backend of its own here.
 * - no Xen at all (an image booted by plain QEMU or on hardware): the
 *   PC's first serial port, polled, so that the one line saying why the
 *   image stops is seen.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/plat/console.h>
#include <mica/xen/hypercall.h>
#include "plat_xen.h"

#define HVM_DEBUG_PORT 0xe9

/* 16550 UART at COM1 (TI PC16550D datasheet): data and line status. */
#define COM1_DATA	0x3f8
#define COM1_LSR	0x3fd
#define COM1_LSR_THRE	0x20
#define COM1_WAIT_POLLS 100000

static void (*console_out)(const char *buf, size_t len);

static void console_dom0_write(const char *buf, size_t len)
{
	mica_xen_console_io(CONSOLEIO_write, (unsigned int)len, buf);
}

static void console_debug_port_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		mica_x86_outb(HVM_DEBUG_PORT, (uint8_t)buf[i]);
}

static void com1_putc(char c)
{
	/* Bounded: no UART there must not hang the image. */
	for (int i = 0; i < COM1_WAIT_POLLS; i++)
		if (mica_x86_inb(COM1_LSR) & COM1_LSR_THRE)
			break;
	mica_x86_outb(COM1_DATA, (uint8_t)c);
}

static void console_com1_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			com1_putc('\r');
		com1_putc(buf[i]);
	}
}

static void xen_console_write(const char *buf, size_t len)
{
	if (!console_out) {
		if (!xen_probe(NULL))
			/* Not chosen for good: the probe may be under way. */
			return console_com1_write(buf, len);
		console_out = mica_xen_is_dom0() ? console_dom0_write
						 : console_debug_port_write;
	}
	console_out(buf, len);
}

static const struct mica_console xen_console = {
	.name = "xen",
	.write = xen_console_write,
};
MICA_CONSOLE_REGISTER(xen_console);
