/*
 * libvg: reading the kernel's command line (struct vg_boot_info.cmdline),
 * which is how one tells a root task what to do on a given boot: words
 * separated by spaces, of which those that say KEY=VALUE set KEY.  The
 * first word that sets a key is the one that counts.  A VALUE may be a
 * list, its items separated by commas (only=ipc,caps).
 */
#ifndef LIBVG_CMDLINE_H
#define LIBVG_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Is WORD an item of the list that CMDLINE sets KEY to?  1 if it is, 0
 * if it is not, -1 if no word sets KEY. */
int vg_cmdline_lists(const char *cmdline, const char *key, const char *word);

/* The value CMDLINE sets KEY to, into BUF of SIZE bytes (truncated,
 * always terminated); false, BUF untouched, if no word sets KEY. */
bool vg_cmdline_value(const char *cmdline, const char *key, char *buf,
    size_t size);

/* The number CMDLINE sets KEY to (decimal, or hexadecimal after 0x)
 * into *OUT; false, *OUT untouched, if no word sets KEY or its value is
 * no number that fits 64 bits. */
bool vg_cmdline_number(const char *cmdline, const char *key, uint64_t *out);

#endif /* LIBVG_CMDLINE_H */
