/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log macros. Each message is prefixed with the library's short name and
 * its level, e.g. "[plat_kvm] warning: ...". Messages above the library's
 * level (Kconfig <LIB>_LOG_LEVEL, or the global LOG_LEVEL) are removed at
 * compile time, arguments included.
 */
#ifndef MICA_LOG_H
#define MICA_LOG_H

#include <mica/compiler.h>

#define MICA_LOG_NONE  0
#define MICA_LOG_ERR   1
#define MICA_LOG_WARN  2
#define MICA_LOG_INFO  3
#define MICA_LOG_DEBUG 4

/* Set per library by the build; host-side code gets "info". */
#ifndef MICA_LOG_LEVEL
#define MICA_LOG_LEVEL MICA_LOG_INFO
#endif

void mica_log(int level, const char *libname, const char *fmt, ...)
	__mica_printf(3, 4);

#define mica_pr_(lvl, fmt, ...)                                            \
	do {                                                               \
		if ((lvl) <= MICA_LOG_LEVEL)                               \
			mica_log((lvl), MICA_LIBNAME, fmt, ##__VA_ARGS__); \
	} while (0)

#define mica_pr_err(fmt, ...)	mica_pr_(MICA_LOG_ERR, fmt, ##__VA_ARGS__)
#define mica_pr_warn(fmt, ...)	mica_pr_(MICA_LOG_WARN, fmt, ##__VA_ARGS__)
#define mica_pr_info(fmt, ...)	mica_pr_(MICA_LOG_INFO, fmt, ##__VA_ARGS__)
#define mica_pr_debug(fmt, ...) mica_pr_(MICA_LOG_DEBUG, fmt, ##__VA_ARGS__)

#endif /* MICA_LOG_H */
