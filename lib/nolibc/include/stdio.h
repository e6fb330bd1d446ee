/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Formatted output to the console (C11 7.21, output only). stdout and
 * stderr both write to every registered console, unbuffered; there are no
 * files and no input functions. The conversions are those of
 * <mica/print.h>: no floating point and no %n.
 */
#ifndef MICA_NOLIBC_STDIO_H
#define MICA_NOLIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

typedef struct mica_nolibc_file FILE;

extern FILE *stdout;
extern FILE *stderr;

int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));
int fprintf(FILE *restrict stream, const char *restrict fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vfprintf(FILE *restrict stream, const char *restrict fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap) __attribute__((format(printf, 3, 0)));
int sprintf(char *restrict buf, const char *restrict fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

int puts(const char *s);
int fputs(const char *restrict s, FILE *restrict stream);
int putchar(int c);
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb,
	      FILE *restrict stream);
/* Prints "s: <strerror(errno)>" (or only the message when s is empty). */
void perror(const char *s);
/* Output is unbuffered: always succeeds. */
int fflush(FILE *stream);

#endif /* MICA_NOLIBC_STDIO_H */
