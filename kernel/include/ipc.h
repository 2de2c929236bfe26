/*
 * The vg_ipc system call (vg/ipc.h), as the platform's system call entry
 * calls it on behalf of the current thread.
 */
#ifndef VG_KERNEL_IPC_H
#define VG_KERNEL_IPC_H

#include <stdbool.h>

#include <vg/error.h>
#include <vg/ipc.h>

struct thread;

/*
 * Run the phases ARGS asks for on behalf of CALLER.  ARGS has been copied
 * out of user registers; every field is validated here.
 */
enum vg_err ipc(struct thread *caller, const struct vg_ipc_args *args);

/* False: ipc_fast never applies (a boot option, and the tests' switch,
 * so that the general path can be checked alone). */
extern bool ipc_fast_enabled;

#endif /* VG_KERNEL_IPC_H */
