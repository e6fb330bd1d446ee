/* SPDX-License-Identifier: BSD-3-Clause */
/* linuxu console: standard output, and standard input for reading. */
#include <mica/plat/console.h>
#include "syscall.h"

#define LINUXU_EINTR 4

static void linuxu_console_write(const char *buf, size_t len)
{
	while (len > 0) {
		long n = linuxu_write(1, buf, len);

		if (n == -LINUXU_EINTR)
			continue;
		if (n <= 0)
			return; /* stdout closed: nothing else to do */
		buf += n;
		len -= (size_t)n;
	}
}

static size_t linuxu_console_read(char *buf, size_t len)
{
	long n = linuxu_read(0, buf, len);

	return n > 0 ? (size_t)n : 0;
}

static const struct mica_console linuxu_console = {
	.name = "stdout",
	.write = linuxu_console_write,
	.read = linuxu_console_read,
};
MICA_CONSOLE_REGISTER(linuxu_console);
