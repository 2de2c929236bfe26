/*
 * The resumable kernel (DESIGN.md section 5).
 *
 * Work done for a messenger -- resolving the target of its send,
 * delivering its message (each source capability, each target slot), or
 * resolving a data fault of its thread -- runs as a small state machine
 * whose whole state is the messenger's continuation area.  When a walk
 * meets an rmessenger where it would index, the kernel builds an INDEX,
 * STORE or FAULT request in that messenger, sends it to the rmessenger's
 * messenger naming the messenger itself as the reply messenger, and
 * returns: nothing waits, nothing is allocated.  The next message that
 * arrives for the messenger is the answer, and the machine resumes where
 * it stopped.  It may suspend again, once per virtualized level.
 */
#ifndef VG_KERNEL_CONTINUATION_H
#define VG_KERNEL_CONTINUATION_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

struct messenger;
struct thread;

/*
 * The send phase after its messenger M is loaded: resolve TARGET in M's
 * space and deliver, queue or invoke.  Returns the error if the send
 * failed at once; VG_OK if it is done or suspended (a later failure is
 * reported by an error activation).
 */
enum vg_err xfer_send(struct messenger *m, vg_addr_t target,
    bool nonblocking);

/*
 * FROM's message arrived for M while M awaits an answer: take it as the
 * answer and resume M's work.  False if M awaits nothing.
 */
bool xfer_answer(struct messenger *from, struct messenger *m);

/*
 * Abandon M's suspended work (cancel, or something it depends on is being
 * destroyed): unlink it from everything, release the receiver it
 * reserved, clear the continuation, and, if TELL, give its thread an
 * error activation with ERR.  False if M had no work in progress.
 */
bool xfer_abort(struct messenger *m, enum vg_err err, bool tell);

/* Object destruction hooks: the messenger or thread going away may be
 * what other messengers' suspended work depends on. */
void xfer_messenger_destroyed(struct messenger *m);
void xfer_thread_destroyed(struct thread *t);

/*
 * A data fault of T at ADDR.  Resolves it now if translation needs no
 * help (the mapping is handed to arch_map_page), or suspends through
 * T's exception messenger where a level is virtualized (T waits in
 * VG_THREAD_FAULTED).  Returns the error if the fault cannot be resolved.
 */
enum vg_err fault_resolve(struct thread *t, uint64_t addr, bool write);

/*
 * T faulted and the kernel cannot resolve it (a failed data fault, or a
 * processor exception with VECTOR, ERR VG_ERR_EXCEPTION): tell T's
 * exception messenger's thread with a fault activation carrying ADDR.  T
 * is suspended (its handler, if the activation goes to T itself, runs);
 * with no exception messenger T is stopped and false is returned.
 */
bool thread_exception(struct thread *t, uint64_t addr, uint32_t vector,
    enum vg_err err);

#endif /* VG_KERNEL_CONTINUATION_H */
