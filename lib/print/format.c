/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The printf format engine shared by the console printer, the log macros
 * and nolibc's printf family.
 *
 * <limits.h> is avoided: GCC's copy of it needs a C library's behind it
 * unless _LIBC_LIMITS_H_ is defined, and GCC predefines what we need.
 *
 * Integer only on purpose: it may run in trap handlers and in early boot,
 * where touching FPU/SSE state is unwelcome. Output goes to the sink in runs (literal text, padding
 * blocks, a converted number) rather than byte by byte, because the usual
 * sink is a serial port for which every call has a fixed cost.
 *
 * Semantics follow C99 7.19.6.1; where C leaves a corner undefined or
 * implementation-defined (%p, "%s" of NULL, the '0' flag on %s and %c)
 * the output matches glibc, so host-side tests can use glibc as an oracle.
 * Conversions we do not implement (floating point, %n, wide characters)
 * are copied to the output as they were written and consume no argument
 * (other than a '*' width or precision before them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/print.h>

#define FL_LEFT	 0x01 /* '-' */
#define FL_PLUS	 0x02 /* '+' */
#define FL_SPACE 0x04 /* ' ' */
#define FL_ALT	 0x08 /* '#' */
#define FL_ZERO	 0x10 /* '0' */

enum fmt_len {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_T,
	LEN_J,
};

struct fmt_spec {
	unsigned int flags;
	int width; /* >= 0 */
	int prec;  /* -1: not given */
	enum fmt_len len;
};

struct fmt_out {
	mica_format_sink sink;
	void *ctx;
	size_t count;
};

/* Large enough for a 64-bit value in octal (22 digits). */
#define FMT_NUM_BUF 24

/* Width and precision saturate here instead of overflowing an int. */
#define FMT_MAX_FIELD (__INT_MAX__ / 2)

_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t),
	       "%zd and %tu read ptrdiff_t and size_t interchangeably");
_Static_assert(sizeof(uintmax_t) <= sizeof(unsigned long long),
	       "integer conversions work on unsigned long long");

static void fmt_emit(struct fmt_out *out, const char *s, size_t len)
{
	if (!len)
		return;
	out->sink(out->ctx, s, len);
	out->count += len;
}

static void fmt_pad(struct fmt_out *out, char c, size_t n)
{
	static const char spaces[32] = "                                ";
	static const char zeros[32] = "00000000000000000000000000000000";
	const char *block = c == '0' ? zeros : spaces;

	while (n) {
		size_t chunk = MICA_MIN(n, sizeof(spaces));

		fmt_emit(out, block, chunk);
		n -= chunk;
	}
}

/* Emit a run of len characters within a field of spec->width. */
static void fmt_field(struct fmt_out *out, const struct fmt_spec *spec,
		      const char *s, size_t len)
{
	size_t pad = (size_t)spec->width > len ? spec->width - len : 0;

	if (!(spec->flags & FL_LEFT))
		fmt_pad(out, ' ', pad);
	fmt_emit(out, s, len);
	if (spec->flags & FL_LEFT)
		fmt_pad(out, ' ', pad);
}

/*
 * Format one integer. neg says the value was negative (val is then its
 * magnitude); conv is one of d u o x X p (i arrives as d).
 */
static void fmt_integer(struct fmt_out *out, const struct fmt_spec *spec,
			char conv, unsigned long long val, int neg)
{
	const char *digits =
		conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned int base = 16;
	char buf[FMT_NUM_BUF];
	char prefix[3];
	size_t ndig = 0, npre = 0, zeros = 0, total, pad;
	size_t lead = 0, trail = 0;
	unsigned long long v = val;
	int prec = spec->prec;

	if (conv == 'o')
		base = 8;
	else if (conv == 'd' || conv == 'u')
		base = 10;

	/* Digits are produced backwards from the end of buf. */
	while (v) {
		buf[sizeof(buf) - 1 - ndig++] = digits[v % base];
		v /= base;
	}

	/* C99: the default precision is 1; "%.0d" of 0 prints no digit. */
	if (prec < 0)
		prec = 1;
	/* '#' with 'o' raises the precision so the first digit is a zero. */
	if (conv == 'o' && (spec->flags & FL_ALT) && (size_t)prec <= ndig)
		prec = ndig + 1;
	if ((size_t)prec > ndig)
		zeros = prec - ndig;

	if (conv == 'd' || conv == 'p') {
		if (neg)
			prefix[npre++] = '-';
		else if (spec->flags & FL_PLUS)
			prefix[npre++] = '+';
		else if (spec->flags & FL_SPACE)
			prefix[npre++] = ' ';
	}
	if (((conv == 'x' || conv == 'X') && (spec->flags & FL_ALT) && val) ||
	    conv == 'p') {
		prefix[npre++] = '0';
		prefix[npre++] = conv == 'X' ? 'X' : 'x';
	}

	/* Field padding goes before, after, or (flag '0') inside as zeros. */
	total = npre + zeros + ndig;
	pad = (size_t)spec->width > total ? spec->width - total : 0;
	if (spec->flags & FL_LEFT) {
		trail = pad;
	} else if ((spec->flags & FL_ZERO) && spec->prec < 0) {
		/* '0' is ignored with '-' or an explicit precision. */
		zeros += pad;
	} else {
		lead = pad;
	}
	fmt_pad(out, ' ', lead);
	fmt_emit(out, prefix, npre);
	fmt_pad(out, '0', zeros);
	fmt_emit(out, buf + sizeof(buf) - ndig, ndig);
	fmt_pad(out, ' ', trail);
}

static long long fmt_signed_arg(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long fmt_unsigned_arg(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void fmt_string(struct fmt_out *out, const struct fmt_spec *spec,
		       const char *s)
{
	static const char null_str[] = "(null)";
	size_t len = 0;

	/*
	 * Like glibc: NULL prints "(null)" unless a precision too small to
	 * hold it is given, in which case it prints nothing.
	 */
	if (!s) {
		if (spec->prec >= 0 &&
		    (size_t)spec->prec < sizeof(null_str) - 1)
			s = "";
		else
			s = null_str;
	}
	/* With a precision the string need not be terminated: stop there. */
	if (spec->prec >= 0) {
		while (len < (size_t)spec->prec && s[len])
			len++;
	} else {
		while (s[len])
			len++;
	}
	fmt_field(out, spec, s, len);
}

static const char *fmt_parse_num(const char *p, int *val)
{
	int v = 0;

	while (*p >= '0' && *p <= '9') {
		if (v < FMT_MAX_FIELD)
			v = v * 10 + (*p - '0');
		p++;
	}
	*val = MICA_MIN(v, FMT_MAX_FIELD);
	return p;
}

/*
 * Parse one conversion starting after its '%' and print it. Returns the
 * position after the conversion, or NULL if it is not one we implement
 * (the caller then copies it literally).
 */
static const char *fmt_conversion(struct fmt_out *out, const char *p,
				  va_list *ap)
{
	struct fmt_spec spec = {.flags = 0, .width = 0, .prec = -1};
	unsigned long long uval;
	long long sval;
	char conv, c;

	for (;; p++) {
		if (*p == '-')
			spec.flags |= FL_LEFT;
		else if (*p == '+')
			spec.flags |= FL_PLUS;
		else if (*p == ' ')
			spec.flags |= FL_SPACE;
		else if (*p == '#')
			spec.flags |= FL_ALT;
		else if (*p == '0')
			spec.flags |= FL_ZERO;
		else
			break;
	}

	if (*p == '*') {
		int w = va_arg(*ap, int);

		/* A negative '*' width is a '-' flag plus a width. */
		if (w < 0) {
			spec.flags |= FL_LEFT;
			w = w < -FMT_MAX_FIELD ? FMT_MAX_FIELD : -w;
		}
		spec.width = MICA_MIN(w, FMT_MAX_FIELD);
		p++;
	} else {
		p = fmt_parse_num(p, &spec.width);
	}

	if (*p == '.') {
		p++;
		if (*p == '*') {
			/* A negative '*' precision is taken as omitted. */
			int prec = va_arg(*ap, int);

			spec.prec =
				prec < 0 ? -1 : MICA_MIN(prec, FMT_MAX_FIELD);
			p++;
		} else {
			/* "%.d" means a precision of zero. */
			p = fmt_parse_num(p, &spec.prec);
		}
	}

	switch (*p) {
	case 'h':
		spec.len = LEN_H;
		if (*++p == 'h') {
			spec.len = LEN_HH;
			p++;
		}
		break;
	case 'l':
		spec.len = LEN_L;
		if (*++p == 'l') {
			spec.len = LEN_LL;
			p++;
		}
		break;
	case 'z':
		spec.len = LEN_Z;
		p++;
		break;
	case 't':
		spec.len = LEN_T;
		p++;
		break;
	case 'j':
		spec.len = LEN_J;
		p++;
		break;
	default:
		spec.len = LEN_NONE;
		break;
	}

	conv = *p;
	switch (conv) {
	case 'd':
	case 'i':
		sval = fmt_signed_arg(ap, spec.len);
		/* Negate in unsigned arithmetic so LLONG_MIN works. */
		uval = sval < 0 ? -(unsigned long long)sval
				: (unsigned long long)sval;
		fmt_integer(out, &spec, 'd', uval, sval < 0);
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		uval = fmt_unsigned_arg(ap, spec.len);
		fmt_integer(out, &spec, conv, uval, 0);
		break;
	case 'p':
		/* glibc: "(nil)" in the field for NULL, else like "%#lx". */
		uval = (uintptr_t)va_arg(*ap, void *);
		if (!uval) {
			spec.prec = -1;
			fmt_field(out, &spec, "(nil)", 5);
		} else {
			fmt_integer(out, &spec, 'p', uval, 0);
		}
		break;
	case 'c':
		/* Wide characters (%lc) are not supported. */
		if (spec.len == LEN_L)
			return NULL;
		c = (char)va_arg(*ap, int);
		fmt_field(out, &spec, &c, 1);
		break;
	case 's':
		if (spec.len == LEN_L)
			return NULL;
		fmt_string(out, &spec, va_arg(*ap, const char *));
		break;
	case '%':
		/* Flags and width are meaningless here; glibc ignores them. */
		fmt_emit(out, "%", 1);
		break;
	default:
		return NULL;
	}
	return p + 1;
}

int mica_vformat(mica_format_sink sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out out = {.sink = sink, .ctx = ctx, .count = 0};
	const char *p = fmt, *run = fmt, *next;
	va_list aq;

	/* Helpers take a va_list * and that needs a real object (C99 7.15). */
	va_copy(aq, ap);
	while (*p) {
		if (*p != '%') {
			p++;
			continue;
		}
		fmt_emit(&out, run, p - run);
		next = fmt_conversion(&out, p + 1, &aq);
		if (next) {
			p = next;
			run = p;
		} else {
			/*
			 * Unknown or unsupported: the text from '%' up to and
			 * including the bad character is copied as it was, as
			 * part of the next literal run. A '%' at the very end
			 * stops at the NUL.
			 */
			run = p++;
			while (*p && !((*p >= 'a' && *p <= 'z') ||
				       (*p >= 'A' && *p <= 'Z') || *p == '%'))
				p++;
			if (*p)
				p++;
		}
	}
	fmt_emit(&out, run, p - run);
	va_end(aq);

	return out.count > __INT_MAX__ ? __INT_MAX__ : (int)out.count;
}

struct fmt_buf {
	char *buf;
	size_t size;
	size_t pos;
};

static void fmt_buf_sink(void *ctx, const char *s, size_t len)
{
	struct fmt_buf *b = ctx;

	if (b->pos < b->size) {
		size_t room = b->size - b->pos;
		size_t n = MICA_MIN(len, room), i;

		for (i = 0; i < n; i++)
			b->buf[b->pos + i] = s[i];
	}
	b->pos += len;
}

int mica_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = {.buf = buf, .size = size ? size - 1 : 0};
	int ret;

	ret = mica_vformat(fmt_buf_sink, &b, fmt, ap);
	if (size)
		buf[MICA_MIN(b.pos, b.size)] = '\0';
	return ret;
}

int mica_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = mica_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
