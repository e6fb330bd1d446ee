/* SPDX-License-Identifier: BSD-3-Clause */
/* Apply "lib.name=value" words from the command line to parameters. */
#include <stdint.h>
#include <mica/boot.h>
#include <mica/log.h>
#include <mica/params.h>
#include <mica/print.h>

/* Compiler-provided limits: this library does not depend on a libc. */
#define PARAMS_INT_MAX	 __INT_MAX__
#define PARAMS_UINT_MAX	 (__INT_MAX__ * 2U + 1U)
#define PARAMS_ULONG_MAX (__LONG_MAX__ * 2UL + 1UL)
#define PARAMS_ENOENT	 2
#define PARAMS_EINVAL	 22

extern const struct mica_param __mica_params_start[];
extern const struct mica_param __mica_params_end[];

static int params_list_requested;
MICA_PARAM_BOOL(list, params_list_requested,
		"print every parameter and its value at boot");

static const char *const type_names[] = {
	[MICA_PARAM_TYPE_BOOL] = "bool", [MICA_PARAM_TYPE_INT] = "int",
	[MICA_PARAM_TYPE_UINT] = "uint", [MICA_PARAM_TYPE_ULONG] = "ulong",
	[MICA_PARAM_TYPE_SIZE] = "size", [MICA_PARAM_TYPE_STRING] = "string",
};

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Does "lib.name" (ending at end) name p? */
static int param_matches(const struct mica_param *p, const char *s,
			 const char *end)
{
	const char *l = p->lib, *n = p->name;

	while (*l && s < end && *s == *l) {
		s++;
		l++;
	}
	if (*l || s == end || *s++ != '.')
		return 0;
	while (*n && s < end && *s == *n) {
		s++;
		n++;
	}
	return !*n && s == end;
}

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = {"1", "y", "yes", "on", "true"};
	static const char *const no[] = {"0", "n", "no", "off", "false"};

	for (unsigned int i = 0; i < MICA_ARRAY_SIZE(yes); i++) {
		if (str_eq(v, yes[i]) || str_eq(v, no[i])) {
			*out = str_eq(v, yes[i]);
			return 0;
		}
	}
	return -PARAMS_EINVAL;
}

static int param_assign(const struct mica_param *p, const char *v)
{
	unsigned long long u;
	int neg, rc;

	if (p->type == MICA_PARAM_TYPE_STRING) {
		*(const char **)p->var = v;
		return 0;
	}
	if (p->type == MICA_PARAM_TYPE_BOOL)
		return parse_bool(v, p->var);
	rc = mica_param_parse_u64(v, p->type == MICA_PARAM_TYPE_SIZE, &u, &neg);
	if (rc < 0)
		return rc;
	switch (p->type) {
	case MICA_PARAM_TYPE_INT:
		if (neg ? u > (unsigned long long)PARAMS_INT_MAX + 1
			: u > PARAMS_INT_MAX)
			return -PARAMS_EINVAL;
		*(int *)p->var = neg ? (int)(0 - u) : (int)u;
		return 0;
	case MICA_PARAM_TYPE_UINT:
		if (neg || u > PARAMS_UINT_MAX)
			return -PARAMS_EINVAL;
		*(unsigned int *)p->var = (unsigned int)u;
		return 0;
	case MICA_PARAM_TYPE_ULONG:
		if (neg || u > PARAMS_ULONG_MAX)
			return -PARAMS_EINVAL;
		*(unsigned long *)p->var = (unsigned long)u;
		return 0;
	case MICA_PARAM_TYPE_SIZE:
		if (neg || u > SIZE_MAX)
			return -PARAMS_EINVAL;
		*(size_t *)p->var = (size_t)u;
		return 0;
	default:
		return -PARAMS_EINVAL;
	}
}

int mica_param_set(char *word)
{
	const struct mica_param *p;
	char *eq = word;

	while (*eq && *eq != '=')
		eq++;
	for (p = __mica_params_start; p < __mica_params_end; p++) {
		if (!param_matches(p, word, eq))
			continue;
		/* A bare "lib.flag" sets a bool. */
		if (!*eq)
			return p->type == MICA_PARAM_TYPE_BOOL
				       ? param_assign(p, "1")
				       : -PARAMS_EINVAL;
		return param_assign(p, eq + 1);
	}
	return -PARAMS_ENOENT;
}

static void param_print_value(const struct mica_param *p)
{
	switch (p->type) {
	case MICA_PARAM_TYPE_BOOL:
	case MICA_PARAM_TYPE_INT:
		mica_printf("%d", *(int *)p->var);
		break;
	case MICA_PARAM_TYPE_UINT:
		mica_printf("%u", *(unsigned int *)p->var);
		break;
	case MICA_PARAM_TYPE_ULONG:
		mica_printf("%lu", *(unsigned long *)p->var);
		break;
	case MICA_PARAM_TYPE_SIZE:
		mica_printf("%zu", *(size_t *)p->var);
		break;
	case MICA_PARAM_TYPE_STRING:
		mica_printf("\"%s\"", *(const char **)p->var
					      ? *(const char **)p->var
					      : "");
		break;
	}
}

void mica_params_list(void)
{
	const struct mica_param *p;

	mica_printf("library parameters (lib.name=value ... -- app args):\n");
	for (p = __mica_params_start; p < __mica_params_end; p++) {
		mica_printf("  %s.%s (%s) = ", p->lib, p->name,
			    type_names[p->type]);
		param_print_value(p);
		mica_printf("\n      %s\n", p->help);
	}
}

static int params_init(void)
{
	char **words;
	int n = mica_boot_lib_args(&words), i, rc;

	for (i = 0; i < n; i++) {
		rc = mica_param_set(words[i]);
		if (rc == -PARAMS_ENOENT)
			mica_pr_warn("unknown parameter '%s' ignored "
				     "(params.list=1 lists them)",
				     words[i]);
		else if (rc < 0)
			mica_pr_warn("bad value in '%s': parameter left at "
				     "its default",
				     words[i]);
	}
	if (params_list_requested)
		mica_params_list();
	return 0;
}
MICA_INIT_EARLY(params_init, 0);
