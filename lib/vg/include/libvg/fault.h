/*
 * libvg: what happens when a program faults.
 *
 * vg_runtime_init gives the program's thread an exception messenger of
 * its own (unless its parent already put one in the thread's
 * VG_THREAD_SLOT_EXCEPTION), so that a fault the kernel cannot resolve
 * -- a data fault whose translation fails or whose capability does not
 * allow the access, a processor exception -- activates the program's
 * own handler.  There the handler set with vg_fault_handler_set runs;
 * if there is none, or it does not handle the fault, the default one
 * prints what happened (vg_fault_describe), reports it to the parent
 * (VG_PARENT_FAULT) and stops the thread.  The root task, which has no
 * parent, ends the machine with a failure status instead.
 *
 * A handler that returns true has dealt with it: the thread resumes
 * with the registers in REGS, which start as the faulting instruction's
 * (libvg/arch/frame.h); for a data fault it has, say, mapped a page and
 * the instruction runs again.  It runs in activated mode, on the handler
 * stack, like every activation handler (libvg/activation.h): a fault
 * there is not reported to it again, the kernel stops the thread.
 */
#ifndef LIBVG_FAULT_H
#define LIBVG_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/error.h>
#include <vg/method.h>
#include <vg/utcb.h>

#include <libvg/activation.h>

/* One fault, as its activation told it (vg/utcb.h). */
struct vg_fault {
	uint64_t address;	/* the address touched; an exception's ip */
	uint64_t ip;		/* the faulting instruction */
	enum vg_err error;	/* why: VG_ERR_EXCEPTION for an exception */
	uint32_t vector;	/* the exception vector; 14 for data faults */
	unsigned info;		/* enum vg_fault_info */
	enum vg_fault_access access;	/* with VG_FAULT_INFO_ACCESS */
	unsigned consumed;	/* with VG_FAULT_INFO_TRANSLATION: bits */
	unsigned remaining;	/* translated, and bits left */
};

typedef bool (*vg_fault_fn)(const struct vg_fault *f,
    struct vg_act_frame *regs);

/* Handle the program's faults with FN (NULL: the default). */
void vg_fault_handler_set(vg_fault_fn fn);

/* The fault an activation with VG_ACTIVATION_FAULT reports. */
void vg_fault_of(const struct vg_activation *a, struct vg_fault *f);

/* F in words, for a person: "write at 0x1234, ip 0x400047: void
 * capability (translation stopped after 8 bits, 44 left)". */
void vg_fault_describe(const struct vg_fault *f, char *buf, size_t size);

/* VG_PARENT_FAULT's words 1..3, and back (the parent's side). */
void vg_fault_pack(const struct vg_fault *f, uint64_t w[3]);
void vg_fault_unpack(const uint64_t w[3], struct vg_fault *f);

/* Give the calling thread an exception messenger whose faults reach
 * the handler above (vg_runtime_init does, once). */
enum vg_err vg_fault_init(void);

#endif /* LIBVG_FAULT_H */
