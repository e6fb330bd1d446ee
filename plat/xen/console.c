/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console on Xen. One registered console whose output goes to the
 * first backend that applies, chosen at the first write (which also
 * finds Xen: the console must work from the first line of C code):
 *
 * - dom0: Xen's own console, through the console_io hypercall
 *   (CONSOLEIO_write, xen/xen.h). Xen prints it on its serial port as
 *   it is, synchronously, without a prefix.
 * - domU with a console ring: the page and event channel of
 *   HVM_PARAM_CONSOLE_PFN / HVM_PARAM_CONSOLE_EVTCHN (both non-zero, the
 *   page inside the identity map of the low 4 GiB), the out ring of
 *   struct xencons_interface (xen/io/console.h) that xenconsoled reads,
 *   notified with EVTCHNOP_send. When the ring stays full the writer
 *   yields to Xen a bounded number of times, then drops the rest; when
 *   its indices are corrupt it says so once and moves to port 0xe9.
 * - other domUs: Xen's HVM debug port 0xe9, which Xen prints on its
 *   console as "(dN) ..." when booted with guest_loglvl=all.
 * - no Xen at all (an image booted by plain QEMU or on hardware): the
 *   PC's first serial port, polled, so that the one line saying why the
 *   image stops is seen.
 */
#include <stddef.h>
#include <stdint.h>
#include <mica/arch/cpu.h>
#include <mica/plat/console.h>
#include <mica/plat/lcpu.h>
#include <mica/xen/hypercall.h>
#include <mica/xen/ring.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>
#include <xen/sched.h>
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

/* Yields to Xen while the console ring is full, per write. */
#define RING_FULL_YIELDS 1000
/* Pages the identity map covers (0..4 GiB). */
#define IDENTITY_PFNS	 (1ULL << 20)

static struct xencons_interface *console_intf;
static uint32_t console_port;

static void console_ring_notify(void)
{
	struct evtchn_send s = {.port = console_port};

	mica_xen_event_channel_op(EVTCHNOP_send, &s);
}

#define RING_CORRUPT                                                         \
	"mica: the console ring's indices are corrupt (out_prod - out_cons " \
	"exceeds the ring): console output goes to Xen's debug port 0xe9 "   \
	"from here on\n"

/*
 * With interrupts masked: a write from an interrupt handler, or from a
 * thread that preempted this one, must not interleave with it (both
 * would copy from the same out_prod, and the later store could move it
 * back, which xenconsoled takes for a broken ring).
 */
static void console_ring_write(const char *buf, size_t len)
{
	struct mica_xen_ring r =
		MICA_XEN_RING(console_intf->out, &console_intf->out_prod,
			      &console_intf->out_cons);
	unsigned long flags = mica_plat_irq_save();
	int yields = 0;
	int n;

	while (len) {
		n = mica_xen_ring_write(&r, buf, len);
		if (n < 0) {
			console_out = console_debug_port_write;
			console_debug_port_write(RING_CORRUPT,
						 sizeof(RING_CORRUPT) - 1);
			console_debug_port_write(buf, len);
			break;
		}
		if (n) {
			buf += n;
			len -= (size_t)n;
			console_ring_notify();
			continue;
		}
		if (yields++ == RING_FULL_YIELDS)
			break;
		mica_xen_sched_op(SCHEDOP_yield, NULL);
	}
	mica_plat_irq_restore(flags);
}

void xen_console_flush(void)
{
	int i;

	if (console_out != console_ring_write)
		return;
	for (i = 0; i < RING_FULL_YIELDS; i++) {
		if (__atomic_load_n(&console_intf->out_cons,
				    __ATOMIC_ACQUIRE) ==
		    __atomic_load_n(&console_intf->out_prod, __ATOMIC_ACQUIRE))
			return;
		mica_xen_sched_op(SCHEDOP_yield, NULL);
	}
}

/* The console ring's page and channel from the HVM parameters, if any. */
static int console_ring_find(void)
{
	struct xen_hvm_param pfn = {.domid = DOMID_SELF,
				    .index = HVM_PARAM_CONSOLE_PFN};
	struct xen_hvm_param port = {.domid = DOMID_SELF,
				     .index = HVM_PARAM_CONSOLE_EVTCHN};

	if (mica_xen_hvm_op(HVMOP_get_param, &pfn) < 0 ||
	    mica_xen_hvm_op(HVMOP_get_param, &port) < 0)
		return 0;
	if (!pfn.value || pfn.value >= IDENTITY_PFNS || !port.value ||
	    port.value > UINT32_MAX)
		return 0;
	console_intf = (struct xencons_interface *)(uintptr_t)(pfn.value << 12);
	console_port = (uint32_t)port.value;
	return 1;
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
		if (mica_xen_is_dom0())
			console_out = console_dom0_write;
		else if (console_ring_find())
			console_out = console_ring_write;
		else
			console_out = console_debug_port_write;
	}
	console_out(buf, len);
}

static const struct mica_console xen_console = {
	.name = "xen",
	.write = xen_console_write,
};
MICA_CONSOLE_REGISTER(xen_console);
