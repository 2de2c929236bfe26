/*
 * libvg: the system call (vg/syscall.h).
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

/* The IPC system call: receive, send, return (vg/ipc.h), the only one.
 * The console and the machine's power are objects: libvg/console.h. */
enum vg_err vg_ipc(const struct vg_ipc_args *a);

#endif /* LIBVG_SYSCALL_H */
