/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Formatted output for Mica itself. The format engine is shared by the
 * console printer, the log macros and nolibc's printf family.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %% with the flags "-+ #0",
 * field width and precision (numbers or '*') and the length modifiers
 * hh h l ll z t j. Floating point and %n are not supported: an unknown
 * conversion is printed literally so a bad format never crashes.
 */
#ifndef MICA_PRINT_H
#define MICA_PRINT_H

#include <stdarg.h>
#include <stddef.h>
#include <mica/compiler.h>

/* Receives formatted output in pieces; len may be 0. */
typedef void (*mica_format_sink)(void *ctx, const char *s, size_t len);

/*
 * Format fmt with ap, handing the output to sink in order.
 * Returns the number of characters produced (never negative).
 */
int mica_vformat(mica_format_sink sink, void *ctx, const char *fmt, va_list ap);

/* C99 semantics: returns the length the full output would have. */
int mica_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int mica_snprintf(char *buf, size_t size, const char *fmt, ...)
	__mica_printf(3, 4);

/* Write to every registered console. Safe from interrupt context. */
void mica_console_write(const char *s, size_t len);
int mica_vprintf(const char *fmt, va_list ap);
int mica_printf(const char *fmt, ...) __mica_printf(1, 2);

/*
 * Read up to len bytes from the first console that has input.
 * Returns the number of bytes read (0 when nothing is pending).
 */
size_t mica_console_read(char *buf, size_t len);

#endif /* MICA_PRINT_H */
