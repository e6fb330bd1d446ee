/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Character classes of the C locale, the only locale nolibc has. The
 * argument is EOF or an unsigned char value; bytes 128..255 belong to no
 * class. Any other int is answered with 0 (or returned unchanged by the
 * case mappings) instead of reading outside a table.
 */
#ifndef MICA_NOLIBC_CTYPE_H
#define MICA_NOLIBC_CTYPE_H

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int isascii(int c);
int tolower(int c);
int toupper(int c);

#endif /* MICA_NOLIBC_CTYPE_H */
