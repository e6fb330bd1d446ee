/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * From the platform to main() and back: split the command line, run the
 * init table, call main(), hand its status to the platform.
 */
#include <mica/arch/ctx.h>
#include <mica/boot.h>
#include <mica/debug.h>
#include <mica/log.h>
#include <mica/plat/bootinfo.h>
#include <mica/plat/lcpu.h>

/* Reserved in .bss by the platform's linker script for the boot thread. */
extern char __mica_boot_tls_area[];

#define BOOT_MAX_WORDS 128

extern const struct mica_init_entry __mica_init_start[];
extern const struct mica_init_entry __mica_init_end[];

int main(int argc, char *argv[]);

static struct mica_bootinfo *boot_info;
static char *boot_words[BOOT_MAX_WORDS + 1];
static char **boot_lib_argv;
static int boot_lib_argc;
static char **boot_app_argv;
static int boot_app_argc;

const struct mica_bootinfo *mica_boot_info(void)
{
	return boot_info;
}

int mica_boot_lib_args(char ***argv)
{
	*argv = boot_lib_argv;
	return boot_lib_argc;
}

/* words[0] is argv[0]; the rest are split at the first "--". */
static void boot_split_args(char **words, int n)
{
	int i;

	for (i = 1; i < n; i++) {
		if (words[i][0] == '-' && words[i][1] == '-' && !words[i][2])
			break;
	}
	if (i < n) {
		boot_lib_argv = &words[1];
		boot_lib_argc = i - 1;
		words[i] = words[0]; /* argv[0] moves next to the args */
		boot_app_argv = &words[i];
		boot_app_argc = n - i;
	} else {
		boot_lib_argv = &words[n];
		boot_lib_argc = 0;
		boot_app_argv = words;
		boot_app_argc = n;
	}
}

static void boot_parse_cmdline(struct mica_bootinfo *bi)
{
	int n, err_pos;

	if (!bi->cmdline) {
		/* Already split (linuxu): copy so argv[] can be rearranged. */
		n = bi->argc < BOOT_MAX_WORDS ? bi->argc : BOOT_MAX_WORDS;
		if (bi->argc > BOOT_MAX_WORDS)
			mica_pr_warn("%d arguments, only the first %d are used",
				     bi->argc, BOOT_MAX_WORDS);
		for (int i = 0; i < n; i++)
			boot_words[i] = bi->argv[i];
		if (n == 0)
			boot_words[n++] = MICA_APP_NAME;
	} else {
		boot_words[0] = MICA_APP_NAME;
		n = mica_cmdline_split(bi->cmdline, &boot_words[1],
				       BOOT_MAX_WORDS - 1, &err_pos);
		if (n < 0) {
			mica_pr_warn("command line: unterminated quote or "
				     "escape at column %d; ignoring the "
				     "command line",
				     err_pos + 1);
			n = 0;
		} else if (n > BOOT_MAX_WORDS - 1) {
			mica_pr_warn("command line: %d words, only the first "
				     "%d are used",
				     n, BOOT_MAX_WORDS - 1);
			n = BOOT_MAX_WORDS - 1;
		}
		n++;
	}
	boot_words[n] = NULL;
	boot_split_args(boot_words, n);
}

static void boot_run_inits(void)
{
	const struct mica_init_entry *e;
	int rc;

	for (e = __mica_init_start; e < __mica_init_end; e++) {
		mica_pr_debug("init %s", e->name);
		rc = e->fn();
		if (rc < 0)
			MICA_CRASH("init function %s failed: error %d", e->name,
				   -rc);
	}
}

/*
 * How main() is run. Without a scheduler, right here on the boot stack; a
 * scheduler library overrides this to run it in a thread of its own.
 */
__mica_weak int mica_boot_main(int argc, char *argv[])
{
	return main(argc, argv);
}

void mica_boot(struct mica_bootinfo *bi)
{
	/* __thread variables (errno) work from the first init function on. */
	mica_plat_tls_set(mica_arch_tls_area_init(__mica_boot_tls_area));
	boot_info = bi;
	boot_parse_cmdline(bi);
	mica_pr_debug("booted by %s with %d library and %d app arguments",
		      bi->protocol, boot_lib_argc, boot_app_argc - 1);
	boot_run_inits();
	mica_exit(mica_boot_main(boot_app_argc, boot_app_argv));
}

void mica_exit(int status)
{
	mica_pr_debug("exit status %d", status);
	mica_plat_shutdown(status & 0xff);
}
