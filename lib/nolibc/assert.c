/* SPDX-License-Identifier: BSD-3-Clause */
#include <assert.h>
#include <mica/debug.h>

/* Reported at the assertion's own file and line, not this one. */
void __assert_fail(const char *expr, const char *file, unsigned int line,
		   const char *func)
{
	mica_crash(file, (int)line, "assertion \"%s\" failed in %s()", expr,
		   func);
}
