/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory and string functions (C11 7.24) plus the usual POSIX/BSD extras.
 * Only strdup and strndup allocate (with malloc: they need LIB_ALLOC).
 * strerror() is declared here and lives with errno.
 */
#ifndef MICA_NOLIBC_STRING_H
#define MICA_NOLIBC_STRING_H

#include <stddef.h>
#include <strings.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
void *memrchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
/* Copies in memory from malloc; NULL (errno ENOMEM) when there is none. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *stpcpy(char *restrict dst, const char *restrict src);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
/* BSD: copy/append with truncation; return the length they tried. */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
size_t strlcat(char *restrict dst, const char *restrict src, size_t size);

int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
char *strtok(char *restrict s, const char *restrict delim);
char *strtok_r(char *restrict s, const char *restrict delim,
	       char **restrict saveptr);

/* A constant message; unknown numbers give "Unknown error". */
char *strerror(int errnum);

#endif /* MICA_NOLIBC_STRING_H */
