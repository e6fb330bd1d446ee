/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 16550 UART console through x86 port I/O. Register offsets and bits are
 * those of the TI PC16550D datasheet. It initialises itself on first use
 * so it works from the first line of C code.
 */
#include <mica/arch/cpu.h>
#include <mica/plat/console.h>

#define PORT	       CONFIG_UART_NS16550_PORT
#define REG_DATA       0 /* THR/RBR; DLL when DLAB is set */
#define REG_IER	       1 /* DLM when DLAB is set */
#define REG_FCR	       2
#define REG_LCR	       3
#define REG_MCR	       4
#define REG_LSR	       5
#define LCR_DLAB       0x80
#define LCR_8N1	       0x03
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define DIVISOR_115200 1

static int ns16550_ready;

static void ns16550_init(void)
{
	mica_x86_outb(PORT + REG_IER, 0x00); /* no interrupts */
	mica_x86_outb(PORT + REG_LCR, LCR_DLAB);
	mica_x86_outb(PORT + REG_DATA, DIVISOR_115200);
	mica_x86_outb(PORT + REG_IER, 0x00);
	mica_x86_outb(PORT + REG_LCR, LCR_8N1);
	mica_x86_outb(PORT + REG_FCR, 0x07); /* enable + clear FIFOs */
	mica_x86_outb(PORT + REG_MCR, 0x03); /* DTR, RTS */
	ns16550_ready = 1;
}

static void ns16550_putc(char c)
{
	/*
	 * Bounded wait: a missing or stuck UART must not hang the image.
	 * (A real 16550 drains a byte in ~87 us at 115200 baud.)
	 */
	for (int i = 0; i < 100000; i++) {
		if (mica_x86_inb(PORT + REG_LSR) & LSR_THR_EMPTY)
			break;
	}
	mica_x86_outb(PORT + REG_DATA, (uint8_t)c);
}

static void ns16550_write(const char *buf, size_t len)
{
	if (!ns16550_ready)
		ns16550_init();
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			ns16550_putc('\r');
		ns16550_putc(buf[i]);
	}
}

static size_t ns16550_read(char *buf, size_t len)
{
	size_t n = 0;

	if (!ns16550_ready)
		ns16550_init();
	while (n < len && (mica_x86_inb(PORT + REG_LSR) & LSR_DATA_READY))
		buf[n++] = (char)mica_x86_inb(PORT + REG_DATA);
	return n;
}

static const struct mica_console ns16550_console = {
	.name = "ns16550",
	.write = ns16550_write,
	.read = ns16550_read,
};
MICA_CONSOLE_REGISTER(ns16550_console);
