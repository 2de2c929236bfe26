/*
 * The operations through vg_ipc (fuzz.h): a system call with flags and
 * addresses from the input, a tagged send, a receive, and the invocation
 * of a kernel object's method -- what a program does with messengers.
 */
#include <string.h>

#include <vg/method.h>

#include "fuzz.h"

/* vg_ipc with flags and addresses as the input says. */
void
op_ipc(void)
{
	int p = take8() % NTHREADS;
	struct thread *t = runnable(p);
	uint8_t b1 = take8(), b2 = take8(), b3 = take8();
	uint32_t nwords = (uint32_t)(b2 >> 2 & 7), tag = ledger_new_tag(), i;
	int tagpos = -1;
	struct vg_ipc_args a = { .flags = 0 };

	if (t == NULL)
		return;
	a.flags |= (b1 & 1) ? VG_IPC_RECEIVE : 0;
	a.flags |= (b1 & 2) ? VG_IPC_SEND : 0;
	a.flags |= (b1 & 0x0c) != 0x0c ? VG_IPC_RETURN : 0;
	a.flags |= (b1 & 0x10) ? VG_IPC_RECEIVE_NONBLOCKING : 0;
	a.flags |= (b1 & 0x20) ? VG_IPC_RECEIVE_ACTIVATE : 0;
	a.flags |= (b1 & 0x40) ? VG_IPC_RECEIVE_INLINE : 0;
	a.flags |= (b1 & 0x80) ? VG_IPC_SEND_NONBLOCKING : 0;
	a.flags |= (b2 & 1) ? VG_IPC_SEND_ACTIVATE : 0;
	a.flags |= (b2 & 2) ? VG_IPC_SEND_INLINE : 0;
	a.flags |= (b2 & 0x20) ? VG_IPC_INLINE_CAP : 0;
	if (nwords > VG_INLINE_WORDS && !(b3 & 0x80))
		nwords = VG_INLINE_WORDS;
	a.flags |= VG_IPC_INLINE_WORDS(nwords);
	switch (b3 & 0x1f) {
	case 1:
		a.flags |= VG_IPC_RECEIVE_SET_THREAD_TO_CALLER;
		break;
	case 2:
		a.flags |= VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS;
		break;
	case 3:
		a.flags |= VG_IPC_SEND_SET_THREAD_TO_CALLER;
		break;
	case 4:
		a.flags |= VG_IPC_SEND_SET_ASROOT_TO_CALLERS;
		break;
	case 5:
		a.flags ^= take32();	/* anything at all */
		break;
	case 6:
		a.reserved = 1;
		break;
	default:
		break;
	}
	a.recv_messenger = (b3 & 0x40) ? pick_addr() : own_msgr_addr();
	a.send_messenger = (b3 & 0x20) ? pick_addr() : own_msgr_addr();
	a.recv_inline_cap = pick_target();
	a.target = pick_addr();
	a.inline_cap = pick_addr();
	for (i = 0; i < VG_INLINE_WORDS; i++)
		a.inline_words[i] = take8() < 128 ? take8() : take64();
	if (nwords > 0) {
		a.inline_words[0] = TAG_MAGIC | tag;
		tagpos = 0;
	}
	if ((a.flags & VG_IPC_SEND) && !(a.flags & VG_IPC_SEND_INLINE)) {
		vg_addr_t caps[VG_MESSAGE_CAPS_MAX];
		uint64_t w[8];
		uint32_t nc = take8() % 6, nw = take8() % 9;

		for (i = 0; i < nc; i++)
			caps[i] = pick_addr();
		for (i = 0; i < nw; i++)
			w[i] = take64();
		tagpos = -1;
		if (nw > 0) {
			w[0] = TAG_MAGIC | tag;
			tagpos = 0;
		}
		(void)write_page_msg(resolve_msgr(t, a.send_messenger), caps,
		    nc, w, nw, (b3 & 0xe0) == 0xe0);
	}
	if (a.flags & VG_IPC_RECEIVE)
		rearm(resolve_msgr(t, a.recv_messenger), false);
	(void)do_ipc(t, &a, tag, tagpos);
}

/* A tagged message from one of P's messengers to a send right or a
 * virtualized address, with capabilities. */
void
op_send(void)
{
	int p = take8() % NPROC;
	uint8_t b = take8();
	vg_addr_t caps[VG_MESSAGE_CAPS_MAX];
	uint64_t w[6] = { 0 };
	uint32_t nc, i;
	vg_addr_t target;

	for (i = 1; i < 6; i++)
		w[i] = take64();
	nc = take8();

	nc = nc >= 250 ? 17 : nc % 4;
	for (i = 0; i < nc; i++)
		caps[i] = pick_addr();
	switch (b >> 5) {
	case 0:
	case 1:
	case 2:
		target = slot_addr(SL_RIGHT + take8() % 16);
		break;
	case 3:
		target = vg_addr((uint64_t)(SL_VIRT + take8() % 4) << 8 |
		    take8(), 16);
		break;
	default:
		target = pick_addr();
		break;
	}
	(void)send_msg(p, slot_addr(SL_MSGR + b % NMSGR), target, w,
	    1 + (b >> 2 & 3) + ((b & 0x10) ? 2 : 0), 0, caps, nc,
	    (b & 0x08) != 0,
	    ((b & 0x04) ? VG_IPC_SEND_NONBLOCKING : 0) |
	    (take8() & 1 ? VG_IPC_SEND_ACTIVATE : 0));
}

/* P receives on one of its messengers. */
void
op_receive(void)
{
	int p = take8() % NPROC;
	uint8_t b = take8();
	struct thread *t = runnable(p);
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RETURN,
		.recv_messenger = slot_addr(SL_MSGR + b % NMSGR),
	};

	if (t == NULL)
		return;
	a.flags |= (b & 0x04) ? VG_IPC_RECEIVE_NONBLOCKING : 0;
	a.flags |= (b & 0x08) ? VG_IPC_RECEIVE_ACTIVATE : 0;
	a.flags |= (b & 0x10) ? VG_IPC_RECEIVE_INLINE : 0;
	if (b & 0x10)
		a.recv_inline_cap = pick_target();
	rearm(msgr(p, b % NMSGR), (b & 0xe0) == 0xe0);
	(void)do_ipc(t, &a, 0, -1);
}

/* The methods op_invoke picks from, mostly. */
static const uint64_t methods[] = {
	VG_METHOD_OBJECT_STATUS, VG_METHOD_OBJECT_DISCARD,
	VG_METHOD_CAP_COPY, VG_METHOD_CAP_READ, VG_METHOD_CAP_RUBOUT,
	VG_METHOD_FOLIO_OBJECT_ALLOC, VG_METHOD_FOLIO_FREE,
	VG_METHOD_THREAD_EXREGS, VG_METHOD_THREAD_ID,
	VG_METHOD_THREAD_ACTIVATION_COLLECT,
	VG_METHOD_MESSENGER_ID_GET, VG_METHOD_MESSENGER_ID_SET,
	VG_METHOD_MESSENGER_FLAGS, VG_METHOD_MESSENGER_UNBLOCK,
	VG_METHOD_MESSENGER_BLOCK, VG_METHOD_MESSENGER_CANCEL,
	VG_METHOD_INDEX, VG_METHOD_STORE, VG_METHOD_FAULT,
	VG_METHOD_ACTIVITY_INFO,
};

/* A kernel object's method, invoked by one of P's messengers. */
void
op_invoke(void)
{
	int p = take8() % NPROC;
	uint8_t b = take8(), k = take8();
	uint64_t w[6] = { 0 };
	vg_addr_t caps[2];
	uint32_t nc = 0, nw = 1;
	vg_addr_t target;
	static const unsigned targets[] = {
		SL_SPACE, SL_THREAD, SL_FOLIO, SL_UTCB, SL_MSGR, SL_MSGR + 1,
		SL_MSGR + 2, SL_MSGR + 3, SL_INNER, SL_RINNER, SL_PAGE,
		SL_BACKING, SL_RIGHT,
	};

	w[0] = k < 250 ? methods[k % (sizeof(methods) / sizeof(methods[0]))] :
	    take16();
	switch (w[0]) {
	case VG_METHOD_CAP_COPY:
		w[1] = pick_addr().raw;
		w[2] = pick_addr().raw;
		w[3] = take8() & VG_CAP_COPY_FLAGS_ALL;
		if (take8() < 200) {
			w[4] = (uint64_t)(take8() & 7) << 32;
			w[4] |= take8() & 0x7f;
		} else {
			w[4] = take64();
		}
		nw = 5;
		break;
	case VG_METHOD_CAP_READ:
	case VG_METHOD_CAP_RUBOUT:
		w[1] = pick_addr().raw;
		nw = 2;
		break;
	case VG_METHOD_FOLIO_OBJECT_ALLOC:
		w[1] = take8() < 200 ? take8() % OBJ_STD : take8();
		w[2] = take8() % (VG_TYPE_COUNT + 1);
		nw = 3;
		break;
	case VG_METHOD_THREAD_EXREGS:
		w[1] = take8() < 240 ? take8() & VG_EXREGS_CONTROL_ALL : take64();
		w[2] = take64();
		w[3] = take64();
		w[4] = take64();
		w[5] = take64();
		nw = 6;
		break;
	case VG_METHOD_MESSENGER_ID_SET:
		w[1] = take64();
		nw = 2;
		break;
	case VG_METHOD_MESSENGER_FLAGS:
		w[1] = take8() < 240 ? take8() & 0x1f : take64();
		w[2] = take8() & 0x1f;
		nw = 3;
		break;
	case VG_METHOD_INDEX:
	case VG_METHOD_STORE:
	case VG_METHOD_FAULT:
		w[1] = pick_addr().raw;
		nw = 2;
		break;
	default:
		break;
	}
	/* Capability 0: the reply messenger (or none). */
	if (b & 0x40) {
		caps[nc++] = (b & 0x80) ? pick_addr() :
		    slot_addr(SL_MSGR + take8() % NMSGR);
		if (w[0] == VG_METHOD_CAP_COPY && (take8() & 1))
			caps[nc++] = pick_addr();
	}
	if (b & 0x20)
		target = pick_addr();
	else
		target = slot_addr(targets[take8() %
		    (sizeof(targets) / sizeof(targets[0]))] + (b & 3));
	note("invoke method %#llx", (unsigned long long)w[0]);
	(void)send_msg(p, slot_addr(SL_MSGR + (b >> 2 & 3)), target, w, nw, -1,
	    caps, nc, nw <= VG_INLINE_WORDS && nc <= 1 && !(b & 0x10),
	    (b & 0x08) ? VG_IPC_SEND_ACTIVATE : 0);
}

/* P's handler leaves activated mode, as a program's does. */
static void
leave_activated(int p)
{
	struct vg_utcb *u = obj(p, OBJ_UTCB);

	if (u == NULL)
		return;
	u->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
	ledger_page_written(u);
}

/*
 * A conversation of P and Q as a client and a server hold one: Q waits
 * on its inline messenger, then they call and reply in turn, each one
 * vg_ipc that receives on its own inline messenger and sends inline
 * words from its messenger 0 to the other's.  Once the lookups are
 * cached, these are the calls of the fast path's shape (ipc_fast.h),
 * which ipc_differential checks against the general path.
 */
void
op_converse(void)
{
	int p = take8() % NPROC;
	int q = (p + 1 + take8() % (NPROC - 1)) % NPROC;
	unsigned rounds = 1 + take8() % 8;
	uint32_t nwords = take8() % (VG_INLINE_WORDS + 1);
	struct thread *tq = runnable(q);
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE,
		.recv_messenger = slot_addr(SL_MSGR + M_INLINE),
	};

	if (tq == NULL || runnable(p) == NULL)
		return;
	leave_activated(q);
	(void)do_ipc(tq, &a, 0, -1);
	a.flags |= VG_IPC_SEND | VG_IPC_SEND_INLINE |
	    VG_IPC_INLINE_WORDS(nwords);
	a.send_messenger = slot_addr(SL_MSGR + 0);
	for (unsigned i = 0; i < rounds; i++) {
		int from = (i & 1) ? q : p, to = (i & 1) ? p : q;
		struct thread *t = runnable(from);
		uint32_t tag = ledger_new_tag();

		if (t == NULL)
			return;
		a.target = slot_addr(SL_RIGHT + 4 * (unsigned)to + M_INLINE);
		for (unsigned k = 0; k < VG_INLINE_WORDS; k++)
			a.inline_words[k] = take64();
		if (nwords > 0)
			a.inline_words[0] = TAG_MAGIC | tag;
		(void)do_ipc(t, &a, tag, nwords > 0 ? 0 : -1);
		leave_activated(to);
	}
}
