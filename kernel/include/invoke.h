/*
 * Invoking kernel objects: the dispatcher (invoke.c; docs/design.md §4,
 * "Invocation").
 *
 * A send whose target is not an rmessenger invokes a kernel object: the
 * kernel reads the request (word 0: the method; capability 0: the reply
 * messenger) from the sending messenger, decodes and executes the method
 * at once (methods.h), and sends the reply -- carried by the sending
 * messenger, as a kernel-built message -- to the reply messenger:
 * delivered now if it is receiving, queued on it otherwise.  Nothing
 * waits; nothing is allocated.
 */
#ifndef VG_KERNEL_INVOKE_H
#define VG_KERNEL_INVOKE_H

#include <vg/cap.h>

struct messenger;

/* Invoke the kernel object TARGET with SRC's message. */
void invoke_kernel(struct messenger *src, struct vg_cap target);

#endif /* VG_KERNEL_INVOKE_H */
