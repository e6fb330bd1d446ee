/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stdio output on top of lib/print: every stream is the console, output
 * is unbuffered (the console drivers do any buffering), and formatting is
 * mica_vformat's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <mica/print.h>

struct mica_nolibc_file {
	int fd; /* 1 or 2: kept for when streams can differ */
};

static struct mica_nolibc_file stdout_file = {.fd = 1};
static struct mica_nolibc_file stderr_file = {.fd = 2};

FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

int vprintf(const char *restrict fmt, va_list ap)
{
	return mica_vprintf(fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = mica_vprintf(fmt, ap);
	va_end(ap);
	return ret;
}

int vfprintf(FILE *restrict stream, const char *restrict fmt, va_list ap)
{
	(void)stream;
	return mica_vprintf(fmt, ap);
}

int fprintf(FILE *restrict stream, const char *restrict fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfprintf(stream, fmt, ap);
	va_end(ap);
	return ret;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap)
{
	return mica_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = mica_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

/* The caller promises the buffer is large enough: no bound at all. */
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return mica_vsnprintf(buf, __PTRDIFF_MAX__, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsprintf(buf, fmt, ap);
	va_end(ap);
	return ret;
}

int fputs(const char *restrict s, FILE *restrict stream)
{
	(void)stream;
	mica_console_write(s, strlen(s));
	return 0;
}

int puts(const char *s)
{
	mica_console_write(s, strlen(s));
	mica_console_write("\n", 1);
	return 0;
}

int fputc(int c, FILE *stream)
{
	char ch = (char)c;

	(void)stream;
	mica_console_write(&ch, 1);
	return (unsigned char)ch;
}

int putc(int c, FILE *stream)
{
	return fputc(c, stream);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb,
	      FILE *restrict stream)
{
	(void)stream;
	if (!size || !nmemb)
		return 0;
	/* size * nmemb cannot overflow: it describes an object in memory. */
	mica_console_write(ptr, size * nmemb);
	return nmemb;
}

void perror(const char *s)
{
	const char *msg = strerror(errno);

	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, msg);
	else
		fprintf(stderr, "%s\n", msg);
}

int fflush(FILE *stream)
{
	(void)stream;
	return 0;
}
