/*
 * libvg: the system calls (vg/syscall.h).
 *
 * vg_ipc passes struct vg_ipc_args in registers exactly as vg/syscall.h
 * says (RAX the number; RDI flags | reserved << 32, RSI recv_messenger,
 * RDX recv_inline_cap, R10 target, R8 send_messenger, R9 inline_cap,
 * R12..R15 inline_words[0..3]; the result in RAX; RCX and R11 clobbered).
 * The instructions are in arch/x86_64/syscall.c.
 */
#ifndef LIBVG_SYSCALL_H
#define LIBVG_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include <vg/error.h>
#include <vg/ipc.h>
#include <vg/syscall.h>

/* The IPC system call: receive, send, return (vg/ipc.h). */
enum vg_err vg_ipc(const struct vg_ipc_args *a);

/*
 * Write LEN bytes at BUF to the kernel console.  The kernel reads within
 * one page per call, so the bytes are written page piece by page piece
 * (debug_write.c).
 */
enum vg_err vg_debug_write(const void *buf, size_t len);

/* The DEBUG_WRITE system call itself: LEN bytes at BUF, in one page. */
enum vg_err vg_debug_write_page(const void *buf, size_t len);

/* Stop the machine with STATUS (0: success).  Debug kernels only. */
_Noreturn void vg_debug_exit(int status);

#endif /* LIBVG_SYSCALL_H */
