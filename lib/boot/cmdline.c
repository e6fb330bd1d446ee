/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command line splitting. The command line is untrusted input (it comes
 * from whoever starts the VM), so every malformed case is an error code,
 * never a crash. Pure logic: also built for the host tests.
 */
#include <stddef.h>
#include <mica/boot.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int mica_cmdline_split(char *s, char **words, int max, int *err_pos)
{
	char *in = s, *out = s;
	int n = 0;

	for (;;) {
		char quote = 0, *quote_start = in;

		while (is_blank(*in))
			in++;
		if (!*in)
			break;
		if (n < max)
			words[n] = out;
		n++;
		/* Copy one word to out, dropping quotes and escapes. */
		for (; *in; in++) {
			char c = *in;

			if (quote) {
				if (c == quote) {
					quote = 0;
					continue;
				}
				if (c == '\\' && quote == '"' &&
				    (in[1] == '"' || in[1] == '\\'))
					c = *++in;
			} else if (c == '"' || c == '\'') {
				quote = c;
				quote_start = in;
				continue;
			} else if (c == '\\') {
				if (!in[1]) {
					*err_pos = (int)(in - s);
					return -1;
				}
				c = *++in;
			} else if (is_blank(c)) {
				break;
			}
			*out++ = c;
		}
		if (quote) {
			*err_pos = (int)(quote_start - s);
			return -1;
		}
		/*
		 * out never passes in, so terminating here cannot overwrite
		 * unread input, except the blank that ended the word.
		 */
		if (*in)
			in++;
		*out++ = '\0';
	}
	return n;
}
