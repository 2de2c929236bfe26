/*
 * The kernel console: COM1, 115200 8N1.  arch_console_write (arch.h) is
 * the output hook kprintf uses.
 */
#ifndef VG_X86_64_CONSOLE_H
#define VG_X86_64_CONSOLE_H

/* Program COM1.  Output before this works under QEMU, not necessarily
 * on hardware. */
void console_init(void);

#endif /* VG_X86_64_CONSOLE_H */
