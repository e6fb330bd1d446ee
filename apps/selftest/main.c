/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Behaviours the integration tests check from the host, one per argv[1]:
 *   status N   return N from main
 *   fault      write to an unmapped address
 *   ud2        execute an invalid instruction
 *   wx         write into the image's own code
 *   hang       spin forever (the runner must kill it)
 *   args       print each argument
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int selftest_fault(void)
{
	/* Far above any RAM: unmapped on kvm and in a Linux process. */
	*(volatile int *)0xdead0000000UL = 1;
	return 1;
}

int main(int argc, char *argv[]);

static int selftest_wx(void)
{
	volatile unsigned char *code = (volatile unsigned char *)main;

	code[0] = 0xc3;
	printf("wrote into the text segment: W^X does not hold\n");
	return 1;
}

int main(int argc, char *argv[])
{
	const char *what = argc > 1 ? argv[1] : "args";

	printf("selftest: %s\n", what);
	if (!strcmp(what, "status") && argc > 2)
		return atoi(argv[2]);
	if (!strcmp(what, "fault"))
		return selftest_fault();
	if (!strcmp(what, "ud2"))
		__asm__ volatile("ud2");
	if (!strcmp(what, "wx"))
		return selftest_wx();
	if (!strcmp(what, "hang")) {
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	if (!strcmp(what, "args")) {
		for (int i = 0; i < argc; i++)
			printf("argv[%d]: %s\n", i, argv[i]);
		return 0;
	}
	printf("selftest: unknown behaviour '%s'\n", what);
	return 2;
}
