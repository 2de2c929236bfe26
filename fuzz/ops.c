/*
 * Operations (fuzz.h): the table that turns an input's operation byte
 * into one of the op_* functions (op_ipc.c, op_virt.c, op_objects.c,
 * op_storage.c, op_methods.c, op_roottask.c),
 * and what they share -- choosing addresses from the input, writing
 * messages, and making system calls that the ledger knows about.
 */
#include <string.h>

#include "ipc.h"

#include "fuzz.h"

/* --- the table of operations ---------------------------------------------- */

/*
 * An operation byte modulo 32 is its code; an operation with more codes
 * comes up more often in random input.  The codes are the input
 * encoding: fuzz/mkseeds.py writes them, and the inputs in fuzz/crashes
 * and fuzz/corpus depend on them.  Code 26 is two operations, told apart
 * by bit 5; codes with a third operation run it when bits 5-7 are all
 * set (the operations added last: the bytes below 0xe0 keep meaning
 * what they meant before).
 */
static const struct op {
	uint8_t first, last;		/* its codes */
	void (*run)(void);
	void (*run_bit5)(void);		/* instead, if bit 5 is set */
	void (*run_high)(void);		/* instead, if bits 5-7 are set */
} ops[] = {
	{ 0, 5, op_ipc, NULL, op_storage },
	{ 6, 9, op_send, NULL, op_methods },
	{ 10, 12, op_receive, NULL, op_roottask },
	{ 13, 14, op_invoke, NULL, op_converse },
	{ 15, 20, op_virtualizer, NULL, op_reap },
	{ 21, 22, op_fault, NULL, op_exception },
	{ 23, 23, op_cancel, NULL, op_page_in },
	{ 24, 25, op_alloc, NULL, op_devices },
	{ 26, 26, op_scribble, op_folio_free, NULL },
	{ 27, 27, op_mode, NULL, NULL },
	{ 28, 28, op_collect, NULL, NULL },
	{ 29, 29, op_repair, NULL, NULL },
	{ 30, 31, op_wake, NULL, NULL },
};

void
run_op(void)
{
	uint8_t byte = take8(), code = byte % 32;
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct op *o = &ops[i];

		if (code < o->first || code > o->last)
			continue;
		if (o->run_high != NULL && (byte & 0xe0) == 0xe0)
			o->run_high();
		else if (o->run_bit5 != NULL && (byte & 0x20))
			o->run_bit5();
		else
			o->run();
		return;
	}
	die("no operation has code %u", code);
}

/* --- choosing addresses --------------------------------------------------- */

vg_addr_t
slot_addr(unsigned i)
{
	return vg_addr(i, 8);
}

/* A data address: the direct page, the virtualized pager, the inner
 * cappage's pages and levels, or anything. */
uint64_t
pick_vaddr(void)
{
	uint8_t k = take8(), y = take8(), z = take8();
	uint64_t off = take16() & 0xfff;

	switch (k % 5) {
	case 0:
		return (uint64_t)SL_DATA_DIRECT << 56 | off;
	case 1:
		return (uint64_t)SL_DATA_VIRT << 56 |
		    (take64() & ((UINT64_C(1) << 44) - 1)) << 12 | off;
	case 2:
		return (uint64_t)SL_DATA_INNER << 56 | (uint64_t)y << 20 |
		    (uint64_t)z << 12 | off;
	case 3:
		/* Through the inner cappage's virtual levels. */
		return (uint64_t)SL_DATA_INNER << 56 |
		    (uint64_t)(12 + y % 4) << 20 | (uint64_t)z << 12 | off;
	default:
		return take64();
	}
}

/* An address in a process's space: one of the interesting ones, or raw. */
vg_addr_t
pick_addr(void)
{
	uint8_t k = take8(), x = take8();

	switch (k % 19) {
	case 0:
		return slot_addr(x < 200 ? SL_MSGR + x % NMSGR :
		    SL_OTHERS + x % 16);
	case 1:
		return slot_addr(SL_RIGHT + x % 16);
	case 2:
		return slot_addr(x % 48);
	case 3:
		return slot_addr(SL_RECV + x % 34);
	case 4:		/* a virtual level: INDEX or STORE with 8 bits left */
		return vg_addr((uint64_t)(SL_VIRT + x % 4) << 8 | take8(), 16);
	case 5:		/* ... with 16 bits left (nesting) */
		return vg_addr((uint64_t)(SL_VIRT + x % 4) << 16 | take16(), 24);
	case 6:		/* behind a guard */
		return vg_addr((uint64_t)((SL_VIRT_GUARDED << 4) | 5) << 8 | x,
		    20);
	case 7:
		return vg_addr((uint64_t)SL_INNER << 8 | x, 16);
	case 8:		/* below the inner cappage's messengers */
		return vg_addr(((uint64_t)SL_INNER << 8 | (8 + x % 8)) << 8 |
		    take8(), 24);
	case 9:		/* a weak path, to a virtual level or not */
		if (x & 1)
			return vg_addr((uint64_t)SL_RINNER << 8 | take8(), 16);
		return vg_addr(((uint64_t)SL_RINNER << 8 | (8 + x % 8)) << 8 |
		    take8(), 24);
	case 10:	/* a messenger's own slots */
		return vg_addr((uint64_t)(SL_MSGR + x % 4) << 2 | (x >> 2 & 3),
		    10);
	case 11:	/* the thread's slots */
		return vg_addr((uint64_t)SL_THREAD << 2 | (x & 3), 10);
	case 12:	/* the folio's objects */
		return vg_addr((uint64_t)SL_FOLIO << 7 | (x & 127), 15);
	case 13:
		return vg_addr((uint64_t)SL_BACKING << 8 | x, 16);
	case 14:
		return VG_ADDR_VOID;
	case 15:
		return VG_ADDR_ROOT;
	case 16:
		return vg_addr_of_data(pick_vaddr());
	case 17:
		return slot_addr(SL_EMPTY);
	default:
		return (vg_addr_t){ take64() };
	}
}

/* One of the caller's messengers, now and then someone else's. */
vg_addr_t
own_msgr_addr(void)
{
	uint8_t x = take8();

	return slot_addr(x < 224 ? SL_MSGR + x % NMSGR : SL_OTHERS + x % 16);
}

/* Where an arriving capability should go: mostly the receive area. */
vg_addr_t
pick_target(void)
{
	uint8_t k = take8();

	if (k < 140)
		return slot_addr(SL_RECV + k % 32);
	if (k < 180)	/* a virtualized slot: STORE */
		return vg_addr((uint64_t)(SL_VIRT + k % 4) << 8 | take8(), 16);
	return pick_addr();
}

/* --- messages ------------------------------------------------------------- */

/*
 * Write a message into M's buffer page: NCAPS addresses CAPS, then NW
 * words W.  Only if M is not busy -- a program does not overwrite the
 * message it is still sending -- unless FORCE.
 */
bool
write_page_msg(struct messenger *m, const vg_addr_t *caps, uint32_t ncaps,
    const uint64_t *w, uint32_t nw, bool force)
{
	struct vg_message *page = m != NULL ? msg_buffer_page(m, true) : NULL;
	uint32_t i;

	if (page == NULL || (messenger_busy(m) && !force))
		return false;
	vg_message_clear(page);
	for (i = 0; i < ncaps; i++)
		(void)vg_message_append_cap(page, caps[i]);
	for (i = 0; i < nw; i++)
		(void)vg_message_append_word(page, w[i]);
	ledger_page_written(page);
	return true;
}

/* Load M's buffer page with the slots arriving capabilities go to. */
void
rearm(struct messenger *m, bool force)
{
	vg_addr_t caps[VG_MESSAGE_CAPS_MAX];
	uint32_t n = take8(), i;

	n = n >= 250 ? VG_MESSAGE_CAPS_MAX : n % 5;
	for (i = 0; i < n; i++)
		caps[i] = pick_target();
	(void)write_page_msg(m, caps, n, NULL, 0, force);
}

/* vg_ipc by T, whose send (if any) is message TAG with the tag in word
 * TAGPOS. */
enum vg_err
do_ipc(struct thread *t, struct vg_ipc_args *a, uint32_t tag, int tagpos)
{
	enum vg_err err;

	ledger_arm(tag, tagpos);
	note("ipc by thread %u flags %#x ...", oid_of(t), a->flags);
	err = ipc_differential(t, a);
	ledger_disarm();
	note("ipc by thread %u flags %#x recv %#llx send %#llx target %#llx "
	    "w %#llx %#llx %#llx cap %#llx tag %u -> %d", oid_of(t), a->flags,
	    (unsigned long long)a->recv_messenger.raw,
	    (unsigned long long)a->send_messenger.raw,
	    (unsigned long long)a->target.raw,
	    (unsigned long long)a->inline_words[0],
	    (unsigned long long)a->inline_words[1],
	    (unsigned long long)a->inline_words[2],
	    (unsigned long long)a->inline_cap.raw, tag, err);
	if ((unsigned)err >= VG_ERR_COUNT)
		die("vg_ipc returned %d, which is no error code", err);
	return err;
}

/*
 * Send from P's messenger at SEND to TARGET: NW words W (W[TAGPOS] is
 * replaced by a fresh tag unless TAGPOS < 0) and NCAPS capabilities,
 * inline or through the buffer page.  EXTRA are more vg_ipc flags.
 */
enum vg_err
send_msg(int p, vg_addr_t send, vg_addr_t target, uint64_t *w, uint32_t nw,
    int tagpos, const vg_addr_t *caps, uint32_t ncaps, bool inline_msg,
    uint32_t extra)
{
	struct thread *t = runnable(p);
	uint32_t tag = ledger_new_tag();
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN | extra,
		.send_messenger = send,
		.target = target,
	};

	if (t == NULL)
		return VG_ERR_INVALID;
	if (tagpos >= 0 && (uint32_t)tagpos < nw)
		w[tagpos] = TAG_MAGIC | tag;
	else
		tagpos = -1;
	if (inline_msg) {
		if (nw > VG_INLINE_WORDS)
			nw = VG_INLINE_WORDS;
		memcpy(a.inline_words, w, nw * sizeof(uint64_t));
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(nw);
		if (ncaps > 0) {
			a.flags |= VG_IPC_INLINE_CAP;
			a.inline_cap = caps[0];
		}
	} else {
		(void)write_page_msg(resolve_msgr(t, send), caps, ncaps, w, nw,
		    false);
	}
	return do_ipc(t, &a, tag, tagpos);
}

/*
 * A method call by P, as a program makes one: one vg_ipc that receives
 * the reply on messenger 1 (inline, its capability, if any, landing in
 * SL_NEW + k, k from the input) and sends the request W from messenger 0
 * (inline if INLINE_MSG and it fits, else through its buffer page), with
 * messenger 1 as the reply messenger.  The hooks check the method as they
 * check every one: a reply with an error must find the invoked object and
 * the free storage as they were.
 */
static enum vg_err method_run(int p, struct thread *t,
    struct vg_ipc_args *ap, const uint64_t *w);

enum vg_err
call_method(int p, vg_addr_t target, const uint64_t *w, uint32_t nw,
    bool inline_msg)
{
	struct thread *t = runnable(p);
	vg_addr_t reply = slot_addr(SL_MSGR + M_INLINE);
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_INLINE |
		    VG_IPC_SEND | VG_IPC_RETURN,
		.recv_messenger = reply,
		.recv_inline_cap = slot_addr(SL_NEW + take8() % NNEW),
		.send_messenger = slot_addr(SL_MSGR),
		.target = target,
	};

	if (t == NULL)
		return VG_ERR_INVALID;
	if (inline_msg && nw <= VG_INLINE_WORDS) {
		memcpy(a.inline_words, w, nw * sizeof(uint64_t));
		a.flags |= VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(nw) |
		    VG_IPC_INLINE_CAP;
		a.inline_cap = reply;
	} else {
		(void)write_page_msg(resolve_msgr(t, a.send_messenger), &reply,
		    1, w, nw, false);
	}
	return method_run(p, t, &a, w);
}

enum vg_err
call_method_cap(int p, vg_addr_t target, const uint64_t *w, uint32_t nw,
    vg_addr_t cap1)
{
	struct thread *t = runnable(p);
	vg_addr_t caps[2] = { slot_addr(SL_MSGR + M_INLINE), cap1 };
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_INLINE |
		    VG_IPC_SEND | VG_IPC_RETURN,
		.recv_messenger = caps[0],
		.recv_inline_cap = slot_addr(SL_NEW + take8() % NNEW),
		.send_messenger = slot_addr(SL_MSGR),
		.target = target,
	};

	if (t == NULL)
		return VG_ERR_INVALID;
	(void)write_page_msg(resolve_msgr(t, a.send_messenger), caps, 2, w,
	    nw, false);
	return method_run(p, t, &a, w);
}

/* call_method's system call and the note of its reply. */
static enum vg_err
method_run(int p, struct thread *t, struct vg_ipc_args *ap, const uint64_t *w)
{
	struct vg_ipc_args a = *ap;
	const struct rx *rx;
	uint32_t seq;
	enum vg_err err;

	seq = last_received(p, M_INLINE)->seq;
	err = do_ipc(t, &a, ledger_new_tag(), -1);
	rx = last_received(p, M_INLINE);
	if (rx->seq != seq && rx->kind == RX_REPLY)
		note("method %#llx: reply %llu %#llx %#llx %#llx",
		    (unsigned long long)w[0], (unsigned long long)rx->word[0],
		    (unsigned long long)rx->word[1],
		    (unsigned long long)rx->word[2],
		    (unsigned long long)rx->word[3]);
	return err;
}
