/*
 * A thread's faults (fault.c; docs/design.md §3, §5 and §6).  The
 * hardware page tables are a cache of the capability address space, and
 * a data fault fills them by translating the faulting address; a fault
 * the kernel cannot resolve is reported to the thread's exception
 * messenger.
 */
#ifndef VG_KERNEL_FAULT_H
#define VG_KERNEL_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/error.h>
#include <vg/method.h>

struct thread;

struct fault_detail;	/* activation.h */

/*
 * A data fault of T at ADDR: an ACCESS of enum vg_fault_access (an
 * instruction fetch is VG_FAULT_EXECUTE).  Resolves it now if
 * translation needs no help (the mapping is handed to arch_map_page), or
 * suspends it through T's exception messenger where a level is
 * virtualized (T waits in VG_THREAD_FAULTED; the virtualizer's answer
 * resumes it).  Returns the error if the fault cannot be resolved:
 * VG_ERR_VIRTUAL if a level is virtualized and T has no exception
 * messenger to carry the request, VG_ERR_BUSY if that messenger is busy.
 * On an error, *D describes the fault for thread_exception.
 */
enum vg_err fault_resolve(struct thread *t, uint64_t addr,
    enum vg_fault_access access, struct fault_detail *d);

/*
 * T faulted and the kernel cannot resolve it (a failed data fault, or a
 * processor exception with D's vector, ERR VG_ERR_EXCEPTION): tell T's
 * exception messenger's thread with a fault activation carrying D.  T
 * is suspended (its handler, if the activation goes to T itself, runs);
 * with no exception messenger T is stopped and false is returned.  A
 * fault of T's own handler, reported to T itself, stops T too: the
 * report is queued on the messenger, never delivered into a loop.
 */
bool thread_exception(struct thread *t, const struct fault_detail *d,
    enum vg_err err);


#endif /* VG_KERNEL_FAULT_H */
