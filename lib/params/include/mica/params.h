/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Library parameters on the command line: "lib.name=value" before "--".
 *
 *	static unsigned long heap_size = 1 << 20;
 *	MICA_PARAM_SIZE(heap, heap_size, "heap size (K/M/G suffixes)");
 *
 * declares "<this library>.heap". Values are applied by an early init
 * function, before any other library's init runs. An unknown parameter or
 * a bad value is reported with a warning and leaves the default in place:
 * a typo on the command line never stops a boot. "params.list=1" prints
 * every parameter with its current value.
 */
#ifndef MICA_PARAMS_H
#define MICA_PARAMS_H

#include <stddef.h>
#include <mica/compiler.h>

enum mica_param_type {
	MICA_PARAM_TYPE_BOOL, /* int: 0/1, "1/0/y/n/yes/no/on/off/true/false" */
	MICA_PARAM_TYPE_INT,  /* int */
	MICA_PARAM_TYPE_UINT, /* unsigned int */
	MICA_PARAM_TYPE_ULONG,	/* unsigned long */
	MICA_PARAM_TYPE_SIZE,	/* size_t, with K/M/G (binary) suffixes */
	MICA_PARAM_TYPE_STRING, /* const char *, points into the cmdline */
};

struct mica_param {
	const char *lib;
	const char *name;
	enum mica_param_type type;
	void *var;
	const char *help;
};

#define MICA_PARAM_(pname, ptype, ctype, pvar, phelp)                          \
	_Static_assert(__builtin_types_compatible_p(__typeof__(pvar), ctype),  \
		       "parameter " #pname ": variable must be " #ctype);      \
	static const struct mica_param __mica_param_##pname __mica_used        \
		__mica_table_entry __mica_section(".mica_params." MICA_LIBNAME \
						  "." #pname) = {              \
			MICA_LIBNAME, #pname, ptype, &(pvar), phelp}

#define MICA_PARAM_BOOL(n, v, h) MICA_PARAM_(n, MICA_PARAM_TYPE_BOOL, int, v, h)
#define MICA_PARAM_INT(n, v, h)	 MICA_PARAM_(n, MICA_PARAM_TYPE_INT, int, v, h)
#define MICA_PARAM_UINT(n, v, h) \
	MICA_PARAM_(n, MICA_PARAM_TYPE_UINT, unsigned int, v, h)
#define MICA_PARAM_ULONG(n, v, h) \
	MICA_PARAM_(n, MICA_PARAM_TYPE_ULONG, unsigned long, v, h)
#define MICA_PARAM_SIZE(n, v, h) \
	MICA_PARAM_(n, MICA_PARAM_TYPE_SIZE, size_t, v, h)
#define MICA_PARAM_STRING(n, v, h) \
	MICA_PARAM_(n, MICA_PARAM_TYPE_STRING, const char *, v, h)

/*
 * Apply one "lib.name=value" word (the word is kept: string values point
 * into it). Returns 0, -ENOENT for an unknown parameter, -EINVAL for a
 * value the parameter cannot take (the variable is then unchanged).
 */
int mica_param_set(char *word);

/* Print every parameter, its type, current value and help. */
void mica_params_list(void);

/*
 * Parse an integer: optional sign, decimal or 0x hex or 0 octal, and with
 * suffixes set, one of K M G (powers of 1024). Returns 0 or -EINVAL
 * (junk, no digits, overflow of the unsigned 64-bit range).
 */
int mica_param_parse_u64(const char *s, int suffixes, unsigned long long *out,
			 int *negative);

#endif /* MICA_PARAMS_H */
