/*
 * Helpers shared by the hosted unit tests: boot a fresh core per test and
 * build objects and capability trees through the core's own API.
 */
#ifndef VG_TESTS_VGTEST_H
#define VG_TESTS_VGTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>
#include <vg/types.h>

#include <vg/ipc.h>
#include <vg/method.h>
#include <vg/message.h>
#include <vg/utcb.h>

#include "activation.h"
#include "activity.h"
#include "as.h"
#include "cappage.h"
#include "capops.h"
#include "folio.h"
#include "hosted.h"
#include "continuation.h"
#include "fault.h"
#include "invocation.h"
#include "invoke.h"
#include "ipc.h"
#include "kernel.h"
#include "messenger.h"
#include "methods.h"
#include "object.h"
#include "storage.h"
#include "thread.h"

/* Chunks of storage a test core gets unless it asks for another amount. */
#define VGTEST_CHUNKS 16

/* The core a test runs against. */
struct vgtest {
	struct kernel_roots roots;
	struct activity *root_activity;
	struct folio *root_folio;
};

/* Boot a fresh core with NCHUNKS chunks; fails the test if it cannot. */
struct vgtest vgtest_boot(uint32_t nchunks);

/* cmocka setup/teardown that boot a VGTEST_CHUNKS core into *state. */
int vgtest_setup(void **state);
int vgtest_teardown(void **state);

/* Allocate a folio from A; fails the test on error. */
struct folio *vgtest_folio(struct activity *a);

/* Create an object of TYPE in F's slot INDEX; fails the test on error. */
struct vg_cap vgtest_object(struct folio *f, unsigned index, enum vg_type type);

/* CAP with the given guard. */
struct vg_cap vgtest_guarded(struct vg_cap cap, uint32_t guard, unsigned depth);

/* CAP with the given subpage selection. */
struct vg_cap vgtest_subpage(struct vg_cap cap, unsigned log2, unsigned index);

/* The cappage CAP designates; fails the test if it designates none. */
struct cappage *vgtest_cappage(struct vg_cap cap);

/*
 * A "process" for IPC tests: a thread whose address space is one cappage,
 * with a UTCB page, and objects created in its own folio.  Slot I of the
 * cappage has the address vgtest_slot(I); slots 0..3 are taken by the
 * helpers (0: the cappage itself, 1: the thread, 2: the folio, 3: the
 * UTCB page).
 */
struct vgtest_proc {
	struct thread *thread;
	struct vg_cap thread_cap;
	struct vg_cap root;		/* the space's root cappage */
	struct cappage *space;
	struct vg_utcb *utcb;
	struct folio *folio;
	unsigned next_object;		/* next free index in FOLIO */
	unsigned next_slot;		/* next free slot in SPACE */
};

#define VGTEST_PROC_FIRST_SLOT 4

/* The depth-8 address of slot I of a process's root cappage. */
static inline vg_addr_t
vgtest_slot(unsigned i)
{
	return vg_addr(i, 8);
}

/* A new process with its own folio from activity A. */
struct vgtest_proc vgtest_proc(struct activity *a);

/* A new object of TYPE in P's folio; its strong cap goes in a free slot,
 * whose index is stored in *SLOT (if SLOT is not NULL). */
struct vg_cap vgtest_proc_object(struct vgtest_proc *p, enum vg_type type,
    unsigned *slot);

/*
 * A messenger of P's: bound to P's thread and space, with id ID and, if
 * BUFFER, a buffer page.  Its slot in P's space is stored in *SLOT.
 */
struct messenger *vgtest_messenger(struct vgtest_proc *p, uint64_t id,
    bool buffer, unsigned *slot);

/* A send right (rmessenger capability) to M. */
struct vg_cap vgtest_send_right(struct messenger *m);

/* P receives on the messenger at slot RECV (VG_IPC_RECEIVE | RETURN |
 * FLAGS); returns what vg_ipc returned. */
enum vg_err vgtest_receive(struct vgtest_proc *p, unsigned recv,
    uint32_t flags);

/* The buffer page of M as a message. */
struct vg_message *vgtest_buffer(struct messenger *m);

/* Put a capability in P's first free slot; returns the slot index. */
unsigned vgtest_give(struct vgtest_proc *p, struct vg_cap cap);

/* Activations delivered to P's thread since the last call (from the
 * hosted event log), and a reset of the log. */
size_t vgtest_activations(const struct vgtest_proc *p);

/*
 * Check the kernel's invariants over all of storage (tests/support/
 * invariants.c: queues, asker lists, reservations, faults, links to
 * destroyed objects).  Fails the test with the first violation.
 */
void vgtest_check_invariants(void);

#endif /* VG_TESTS_VGTEST_H */
