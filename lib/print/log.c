/* SPDX-License-Identifier: BSD-3-Clause */
#include <mica/log.h>
#include <mica/print.h>

static const char *const log_level_names[] = {
	[MICA_LOG_ERR] = "error",
	[MICA_LOG_WARN] = "warning",
	[MICA_LOG_INFO] = "info",
	[MICA_LOG_DEBUG] = "debug",
};

void mica_log(int level, const char *libname, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n, m;

	if (level < MICA_LOG_ERR || level > MICA_LOG_DEBUG)
		level = MICA_LOG_ERR;
	/* One console write per message keeps lines whole. */
	n = mica_snprintf(line, sizeof(line), "[%s] %s: ", libname,
			  log_level_names[level]);
	va_start(ap, fmt);
	m = mica_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	n += m;
	if ((size_t)n >= sizeof(line) - 1)
		n = sizeof(line) - 2; /* truncated: keep the newline */
	line[n++] = '\n';
	mica_console_write(line, (size_t)n);
}
