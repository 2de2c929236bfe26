/*
 * libvg: a program's command-line arguments.  crt0 calls
 * main(vg_argc, vg_argv) after vg_runtime_init, so a program may define
 * main as int main(int argc, char **argv) or int main(void).
 *
 * argv[0] is the program's name (struct vg_env name; "root" for the
 * root task); the others are the words, separated by spaces, that its
 * parent gave it (struct vg_spawn args; the root task passes on what
 * follows a program's name on its boot module's command line).  At most
 * VG_ARGV_MAX entries, argv[0] included; argv[argc] is NULL.
 */
#ifndef LIBVG_ARGS_H
#define LIBVG_ARGS_H

extern int vg_argc;
extern char *vg_argv[];

/* Split ARGS after NAME into vg_argc and vg_argv (vg_runtime_init). */
void vg_args_init(const char *name, const char *args);

#endif /* LIBVG_ARGS_H */
