/*
 * The vg_ipc system call (vg/ipc.h), as the platform's system call entry
 * calls it on behalf of the current thread.
 */
#ifndef VG_KERNEL_IPC_H
#define VG_KERNEL_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/error.h>
#include <vg/ipc.h>
#include <vg/message.h>
#include <vg/method.h>

#include "messenger_object.h"

struct thread;

/* ipc() once the flags are valid and ask for a phase (ipc.c). */
enum vg_err ipc_phases(struct thread *caller, const struct vg_ipc_args *a);

/* A call without phases or RETURN: wait for the next activation, unless
 * one is queued to collect (ipc.c). */
enum vg_err ipc_wait_idle(struct thread *caller);

/*
 * Run the phases ARGS asks for on behalf of CALLER.  ARGS has been copied
 * out of user registers; every field is validated here.  The flags are
 * checked inline, so that a call without phases costs no more.
 */
static inline enum vg_err
ipc(struct thread *caller, const struct vg_ipc_args *a)
{
	uint32_t f = a->flags;
	/* The flags and the reserved word, checked as one. */
	uint64_t w0 = (uint64_t)f | (uint64_t)a->reserved << 32;

	if ((w0 & ~(uint64_t)(VG_IPC_FLAGS_ALL | VG_IPC_INLINE_WORDS_MASK |
	    VG_IPC_INLINE_CAP)) != 0 ||
	    (f & VG_IPC_INLINE_WORDS_MASK) >
	    VG_IPC_INLINE_WORDS(VG_INLINE_WORDS))
		return VG_ERR_INVALID;
	if (!(f & (VG_IPC_RECEIVE | VG_IPC_SEND))) {
		/* No phase: nothing can have activated the caller
		 * meanwhile. */
		return (f & VG_IPC_RETURN) ? VG_OK : ipc_wait_idle(caller);
	}
	return ipc_phases(caller, a);
}

/* The flags the shape needs, and those it allows beside them. */
#define IPC_FAST_NEEDS	(VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE | \
    VG_IPC_SEND | VG_IPC_SEND_INLINE)
#define IPC_FAST_ALLOWS	(VG_IPC_RECEIVE_INLINE | \
    VG_IPC_RECEIVE_SET_THREAD_TO_CALLER | \
    VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS | VG_IPC_SEND_NONBLOCKING | \
    VG_IPC_SEND_SET_THREAD_TO_CALLER | VG_IPC_SEND_SET_ASROOT_TO_CALLERS | \
    VG_IPC_INLINE_WORDS_MASK)

/*
 * Switch the fast path (ipc_fast.h) on or off: a boot option, and the
 * tests' switch, so that the general path can be checked alone.  While
 * it is on, ipc_fast_needs is the flags it needs (IPC_FAST_NEEDS); off,
 * a value no first argument word masked as ipc_fast_shape masks it has.
 */
void ipc_fast_set_enabled(bool on);
extern uint64_t ipc_fast_needs;

/*
 * The first argument word (flags, and the reserved word above them) is of
 * the fast path's shape: what it needs, nothing it does not allow, and
 * the fast path enabled (ipc_fast_needs is otherwise no word's).
 */
static inline bool
ipc_fast_shape(uint64_t word0)
{
	return (word0 & ~(uint64_t)IPC_FAST_ALLOWS) == ipc_fast_needs;
}

/* The shape of a virtualizer's answer (virt_fast.h): the fast path's,
 * with an inline capability. */
static inline bool
virt_fast_answer_shape(uint64_t word0)
{
	return (word0 & ~(uint64_t)IPC_FAST_ALLOWS) ==
	    (ipc_fast_needs | VG_IPC_INLINE_CAP);
}

/* Either shape, in one compare: the calls the platform gives to
 * ipc_fast_any. */
static inline bool
ipc_fast_any_shape(uint64_t word0)
{
	return (word0 & ~(uint64_t)(IPC_FAST_ALLOWS | VG_IPC_INLINE_CAP)) ==
	    ipc_fast_needs;
}

/*
 * What a vg_ipc loads into the caller's messengers once its checks have
 * passed: the receive options and the message to send.  Shared by the
 * general path (ipc.c) and the fast path (ipc_fast.h), so that both
 * write them the same way by construction.
 */
static inline void
ipc_set_flag(struct messenger *m, uint32_t flag, bool on)
{
	if (on)
		m->flags |= flag;
	else
		m->flags &= ~flag;
}

/* A's receive options into M (whether M then receives is the caller's
 * business: messenger_receive_checked).  F is A's flags, passed apart so
 * that the fast path's known bits fold. */
static inline __attribute__((always_inline)) void
ipc_load_receive(struct messenger *m, const struct vg_ipc_args *a, uint32_t f)
{
	ipc_set_flag(m, VG_MESSENGER_ACTIVATE_ON_RECEIVE,
	    f & VG_IPC_RECEIVE_ACTIVATE);
	ipc_set_flag(m, VG_MESSENGER_RECEIVE_INLINE, f & VG_IPC_RECEIVE_INLINE);
	m->inline_cap = (f & VG_IPC_RECEIVE_INLINE) ? a->recv_inline_cap :
	    VG_ADDR_VOID;
}

/* A's send options, and its inline message if it has one, into S (F as
 * for ipc_load_receive). */
static inline __attribute__((always_inline)) void
ipc_load_send(struct messenger *s, const struct vg_ipc_args *a, uint32_t f)
{
	ipc_set_flag(s, VG_MESSENGER_ACTIVATE_ON_SEND, f & VG_IPC_SEND_ACTIVATE);
	s->send_inline = (f & VG_IPC_SEND_INLINE) != 0;
	if (!s->send_inline)
		return;
	for (unsigned i = 0; i < VG_INLINE_WORDS; i++)
		s->send_words[i] = a->inline_words[i];
	s->send_nwords = (uint8_t)((f & VG_IPC_INLINE_WORDS_MASK) >>
	    VG_IPC_INLINE_WORDS_SHIFT);
	s->send_ncaps = (f & VG_IPC_INLINE_CAP) ? 1 : 0;
	s->send_cap = a->inline_cap;
}

#endif /* VG_KERNEL_IPC_H */
