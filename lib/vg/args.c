/*
 * main's arguments (libvg/args.h): argv[0] is the program's name, the
 * rest the words of struct vg_env args, split at spaces into a copy that
 * the program may write to, as C's argv allows.
 */
#include <libvg/args.h>
#include <libvg/env.h>
#include <libvg/string.h>

int vg_argc;
char *vg_argv[VG_ARGV_MAX + 1];

static char argbuf[VG_ENV_NAME_LEN + VG_ENV_ARGS_LEN];

void
vg_args_init(const char *name, const char *args)
{
	size_t n = strlcpy(argbuf, name, VG_ENV_NAME_LEN) + 1;
	char *p;

	if (n > VG_ENV_NAME_LEN)
		n = VG_ENV_NAME_LEN;
	vg_argv[0] = argbuf;
	vg_argc = 1;
	p = argbuf + n;
	strlcpy(p, args != NULL ? args : "", VG_ENV_ARGS_LEN);
	for (;;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0' || vg_argc == VG_ARGV_MAX)
			break;
		vg_argv[vg_argc++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	vg_argv[vg_argc] = NULL;
}
