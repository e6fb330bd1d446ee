/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the command line: splitting (lib/boot/cmdline.c)
 * and parameter values (lib/params/parse.c), the two parsers that see
 * what whoever starts the VM typed. Checks, beyond "no crash": every word
 * lies inside the input buffer and is NUL-terminated there, a failure
 * points inside the input, and parsed numbers round-trip.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/boot.h>
#include <mica/params.h>

#define MAX_WORDS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	char *words[MAX_WORDS];
	int n, err = -1, i;

	memcpy(buf, data, size);
	buf[size] = '\0';
	n = mica_cmdline_split(buf, words, MAX_WORDS, &err);
	if (n < 0) {
		if (err < 0 || (size_t)err > size)
			abort();
	} else {
		for (i = 0; i < n && i < MAX_WORDS; i++) {
			if (words[i] < buf || words[i] > buf + size)
				abort();
			if (words[i] + strlen(words[i]) > buf + size)
				abort();
		}
	}

	memcpy(buf, data, size);
	buf[size] = '\0';
	for (int suffixes = 0; suffixes < 2; suffixes++) {
		unsigned long long v;
		int neg;

		if (mica_param_parse_u64(buf, suffixes, &v, &neg) == 0 &&
		    !suffixes) {
			/* Without suffixes the digits must mean v. */
			char *end;
			unsigned long long ref;

			if (buf[0] == ' ' || buf[0] == '\t')
				abort();
			ref = strtoull(buf + (buf[0] == '-' || buf[0] == '+'),
				       &end, 0);
			if (ref != v || *end)
				abort();
		}
	}
	free(buf);
	return 0;
}
