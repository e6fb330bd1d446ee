/* SPDX-License-Identifier: BSD-3-Clause */
/* The smallest Mica app: a greeting and the arguments it was given. */
#include <stdio.h>

int main(int argc, char *argv[])
{
	printf("Hello from Mica!\n");
	for (int i = 0; i < argc; i++)
		printf("argv[%d]: %s\n", i, argv[i]);
	return 0;
}
