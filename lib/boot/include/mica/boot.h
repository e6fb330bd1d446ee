/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Boot: the init table, the command line and the way out.
 *
 * Libraries register init functions with MICA_INIT_<CLASS>(fn, prio).
 * mica_boot() runs them by class (early, plat, memory, bus, drivers, fs,
 * net, late), then by priority 0..9 within a class, then in link order,
 * and then calls main(). An init function returns 0 or a negative errno;
 * a failure stops the boot with a message naming the function.
 */
#ifndef MICA_BOOT_H
#define MICA_BOOT_H

#include <mica/compiler.h>

struct mica_bootinfo;

typedef int (*mica_init_fn)(void);

struct mica_init_entry {
	mica_init_fn fn;
	const char *name;
};

#define MICA_INIT_CLASS_EARLY	1
#define MICA_INIT_CLASS_PLAT	2
#define MICA_INIT_CLASS_MEMORY	3
#define MICA_INIT_CLASS_BUS	4
#define MICA_INIT_CLASS_DRIVERS 5
#define MICA_INIT_CLASS_FS	6
#define MICA_INIT_CLASS_NET	7
#define MICA_INIT_CLASS_LATE	8

/* Section names sort as ".mica_init.<class><prio>"; see common.lds. */
#define MICA_INIT_(fn, cls, prio)                                        \
	_Static_assert((prio) >= 0 && (prio) <= 9,                       \
		       "init priority must be 0..9");                    \
	static const struct mica_init_entry __mica_init_##fn __mica_used \
		__mica_table_entry __mica_section(                       \
			".mica_init." MICA_STRINGIFY(cls)                \
				MICA_STRINGIFY(prio)) = {fn, #fn}

#define MICA_INIT_EARLY(fn, prio)   MICA_INIT_(fn, 1, prio)
#define MICA_INIT_PLAT(fn, prio)    MICA_INIT_(fn, 2, prio)
#define MICA_INIT_MEMORY(fn, prio)  MICA_INIT_(fn, 3, prio)
#define MICA_INIT_BUS(fn, prio)	    MICA_INIT_(fn, 4, prio)
#define MICA_INIT_DRIVERS(fn, prio) MICA_INIT_(fn, 5, prio)
#define MICA_INIT_FS(fn, prio)	    MICA_INIT_(fn, 6, prio)
#define MICA_INIT_NET(fn, prio)	    MICA_INIT_(fn, 7, prio)
#define MICA_INIT_LATE(fn, prio)    MICA_INIT_(fn, 8, prio)

/*
 * Entered once by the platform with interrupts off, a stack, a console
 * and *bi filled in. Never returns: main()'s status goes to mica_exit().
 */
void mica_boot(struct mica_bootinfo *bi) __mica_noreturn;

/* What the platform reported at boot. Valid for the life of the image. */
const struct mica_bootinfo *mica_boot_info(void);

/*
 * The command line split into words. Words before "--" are library
 * parameters ("lib.name=value"), words after it are the app's argv[1..].
 * Without "--" every word belongs to the app.
 */
int mica_boot_lib_args(char ***argv);

/*
 * Call main(argc, argv) and return its status. Weak in lib/boot (a plain
 * call); a scheduler defines it to run main in its own thread.
 */
int mica_boot_main(int argc, char *argv[]);

/* Stop the image with status (0..255) through the platform. */
void mica_exit(int status) __mica_noreturn;

/*
 * Split s in place into words: blanks separate words, single and double
 * quotes group (and are removed), a backslash escapes the next character
 * outside single quotes. At most max words are stored in words[].
 * Returns the number of words, or -1 on an unterminated quote or a
 * trailing backslash, with *err_pos set to the offending offset. Words
 * beyond max are counted but not stored.
 */
int mica_cmdline_split(char *s, char **words, int max, int *err_pos);

#endif /* MICA_BOOT_H */
