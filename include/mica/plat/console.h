/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform interface: console devices.
 *
 * A platform or driver registers each console it offers with
 * MICA_CONSOLE_REGISTER; lib/print writes every message to all of them.
 * write() must work from the first instruction of C code on (initialise
 * lazily if needed), must not allocate, and may be called with interrupts
 * off or from a trap handler.
 */
#ifndef MICA_PLAT_CONSOLE_H
#define MICA_PLAT_CONSOLE_H

#include <stddef.h>
#include <mica/compiler.h>

struct mica_console {
	const char *name;
	/* Mandatory: write len bytes, blocking until they are out. */
	void (*write)(const char *buf, size_t len);
	/* Optional: read up to len pending bytes without blocking. */
	size_t (*read)(char *buf, size_t len);
};

#define MICA_CONSOLE_REGISTER(c)                                               \
	static const struct mica_console *const __mica_console_##c __mica_used \
		__mica_table_entry __mica_section(".mica_consoles") = &(c)

extern const struct mica_console *const __mica_consoles_start[];
extern const struct mica_console *const __mica_consoles_end[];

#endif /* MICA_PLAT_CONSOLE_H */
