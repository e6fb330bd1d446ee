/* SPDX-License-Identifier: BSD-3-Clause */
/* Console output: every registered console gets every byte. */
#include <mica/print.h>
#include <mica/plat/console.h>

void mica_console_write(const char *s, size_t len)
{
	const struct mica_console *const *c;

	for (c = __mica_consoles_start; c < __mica_consoles_end; c++)
		(*c)->write(s, len);
}

size_t mica_console_read(char *buf, size_t len)
{
	const struct mica_console *const *c;
	size_t n;

	for (c = __mica_consoles_start; c < __mica_consoles_end; c++) {
		if ((*c)->read && (n = (*c)->read(buf, len)) > 0)
			return n;
	}
	return 0;
}

/*
 * Output is collected in a small buffer so a console sees whole runs
 * rather than single characters (each write may be a VM exit).
 */
struct print_buf {
	char data[128];
	size_t used;
};

static void print_flush(struct print_buf *pb)
{
	if (pb->used) {
		mica_console_write(pb->data, pb->used);
		pb->used = 0;
	}
}

static void print_sink(void *ctx, const char *s, size_t len)
{
	struct print_buf *pb = ctx;

	while (len > 0) {
		size_t n = sizeof(pb->data) - pb->used;

		if (n > len)
			n = len;
		__builtin_memcpy(pb->data + pb->used, s, n);
		pb->used += n;
		s += n;
		len -= n;
		if (pb->used == sizeof(pb->data))
			print_flush(pb);
	}
}

int mica_vprintf(const char *fmt, va_list ap)
{
	struct print_buf pb;
	int n;

	pb.used = 0;
	n = mica_vformat(print_sink, &pb, fmt, ap);
	print_flush(&pb);
	return n;
}

int mica_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = mica_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
