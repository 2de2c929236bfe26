/*
 * The virtualizer step (fuzz.h): a process takes the request its served
 * messenger received -- INDEX, STORE or FAULT -- and answers it the way a
 * correct virtual cappage or pager would, or in one of the ways the
 * kernel must survive.
 */
#include <string.h>

#include <vg/method.h>

#include "activation.h"
#include "capops.h"
#include "fault.h"

#include "fuzz.h"

/* The sequence number of the last request each virtualizer took. */
static uint32_t rx_seen[NPROC];

void
virt_reset(void)
{
	memset(rx_seen, 0, sizeof(rx_seen));
}

/* How a virtualizer answers (fuzz/mkseeds.py names them too). */
enum how {
	H_CORRECT,
	H_WRONG_TYPE,	/* a capability of another type */
	H_ZERO_BITS,
	H_TOO_MANY_BITS,
	H_VOID,		/* a void capability, or none */
	H_ERROR,	/* an error code, or not one */
	H_TWICE,	/* the answer, then again */
	H_UNASKED,	/* to a messenger that asked nothing */
	H_NEVER,	/* take the request, do not answer */
	H_RANDOM,	/* bits and capability from the input */
	H_SHORT,	/* fewer than two words */
	H_CORRECT2,	/* more weight on the right answer */
	H_COUNT
};

/*
 * V's answer as a server's loop makes it, in the shape of the fast
 * path's answer (virt_fast.h): receive again on the served messenger,
 * inline, activated, with no slot for the next reply right, and send the
 * inline answer from SEND without RETURN.  Its handler left activated
 * mode first, as a program's does.
 */
static void
answer_shaped(int v, vg_addr_t send, vg_addr_t target, uint64_t *w,
    uint32_t nw, vg_addr_t cap, bool with_cap)
{
	struct thread *t = runnable(v);
	struct vg_utcb *u = obj(v, OBJ_UTCB);
	uint32_t tag = ledger_new_tag();
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(nw) | (with_cap ? VG_IPC_INLINE_CAP : 0),
		.recv_messenger = slot_addr(SL_MSGR + M_SERVED),
		.send_messenger = send,
		.target = target,
		.inline_cap = cap,
	};
	int tagpos = nw > 2 ? 2 : -1;

	if (t == NULL)
		return;
	if (u != NULL) {
		u->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
		ledger_page_written(u);
	}
	if (tagpos >= 0)
		w[tagpos] = TAG_MAGIC | tag;
	memcpy(a.inline_words, w, nw * sizeof(uint64_t));
	(void)do_ipc(t, &a, tag, tagpos);
}

/*
 * A virtualizer step: process V takes the request its served messenger
 * received (receiving first if the input says so) and answers it.
 */
void
op_virtualizer(void)
{
	int v = take8() % NPROC;
	struct thread *t = runnable(v);
	enum how how = (enum how)(take8() % H_COUNT);
	uint8_t b = take8();
	struct messenger *served = msgr(v, M_SERVED);
	struct rx req;
	bool have;
	uint64_t method, w[3];
	vg_addr_t residual, cap, target = slot_addr(SL_REPLY);
	unsigned depth, top;
	uint64_t err = VG_OK, consumed = 0;
	bool with_cap = true;
	uint32_t nw = 3;
	int round;

	if (t == NULL || served == NULL)
		return;
	if (b & 1) {
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RETURN,
			.recv_messenger = slot_addr(SL_MSGR + M_SERVED),
			.recv_inline_cap = slot_addr(SL_REPLY),
		};
		vg_addr_t slots[2] = { slot_addr(SL_REPLY),
		    slot_addr(SL_STORED) };

		a.flags |= (b & 2) ? VG_IPC_RECEIVE_NONBLOCKING : 0;
		a.flags |= (b & 4) ? VG_IPC_RECEIVE_INLINE : 0;
		a.flags |= (b & 8) ? VG_IPC_RECEIVE_ACTIVATE : 0;
		(void)write_page_msg(served, slots, 2, NULL, 0, false);
		(void)do_ipc(t, &a, 0, -1);
	}
	req = *last_received(v, M_SERVED);
	have = req.seq != rx_seen[v];
	rx_seen[v] = req.seq;
	if (!have && how != H_UNASKED && how != H_TWICE)
		return;

	method = req.word[0];
	residual.raw = req.word[1];
	depth = vg_addr_depth(residual);
	top = (unsigned)vg_addr_bits(residual, 0, 8);
	cap = vg_addr((uint64_t)SL_BACKING << 8 | top, 16);
	note("virtualizer %d: %s request %#llx residual %#llx (depth %u), "
	    "answers as %d", v, have ? "took" : "has no",
	    (unsigned long long)method, (unsigned long long)residual.raw,
	    depth, how);

	/* What a correct virtualizer of a cappage (or a pager) says. */
	switch (method) {
	case VG_METHOD_INDEX:
	case VG_METHOD_STORE:
		if (depth < 8) {
			err = VG_ERR_ADDR_SHORT;
			with_cap = false;
			break;
		}
		consumed = 8;
		if (method == VG_METHOD_STORE && depth == 8) {
			struct vg_cap *root =
			    &t->slot[VG_THREAD_SLOT_ASPACE];

			(void)cap_copy(root, cap, root, slot_addr(SL_STORED),
			    0, (struct vg_cap_translator){ 0 });
			with_cap = false;
		}
		break;
	case VG_METHOD_FAULT:
		consumed = depth;
		cap = slot_addr(SL_PAGE + (top & 3));
		break;
	default:
		/* Not a request: a correct virtualizer ignores it. */
		if (how == H_CORRECT || how == H_CORRECT2)
			return;
		consumed = 8;
		break;
	}

	switch (how) {
	case H_WRONG_TYPE: {
		static const unsigned wrong[] = {
			SL_THREAD, SL_FOLIO, SL_UTCB, SL_MSGR, SL_RIGHT,
			SL_INNER, SL_RINNER, SL_PAGE, SL_VIRT,
		};

		cap = slot_addr(wrong[take8() % (sizeof(wrong) /
		    sizeof(wrong[0]))]);
		with_cap = true;
		break;
	}
	case H_ZERO_BITS:
		consumed = 0;
		break;
	case H_TOO_MANY_BITS:
		consumed = take8() < 128 ? depth + 1 + take8() % 64 : take64();
		break;
	case H_VOID:
		cap = slot_addr(SL_EMPTY);
		with_cap = take8() & 1;
		break;
	case H_ERROR:
		err = take8() < 128 ? take8() % (VG_ERR_COUNT + 2) : take64();
		break;
	case H_UNASKED:
		target = slot_addr(SL_RIGHT + take8() % 16);
		break;
	case H_NEVER:
		return;
	case H_RANDOM:
		consumed = take8();
		cap = pick_addr();
		if (take8() & 1)
			err = take8();
		break;
	case H_SHORT:
		nw = take8() % 2;
		break;
	default:
		break;
	}

	for (round = 0; round < (how == H_TWICE ? 2 : 1); round++) {
		uint8_t c = take8();
		static const int answerer[] = { M_SERVED, 0, M_INLINE, 0 };

		w[0] = err;
		w[1] = consumed;
		w[2] = 0;
		if ((c & 0x30) == 0x30 && nw >= 2) {
			answer_shaped(v, slot_addr(SL_MSGR +
			    ((c & 1) ? M_INLINE : 0)), target, w, nw, cap,
			    with_cap);
			continue;
		}
		(void)send_msg(v, slot_addr(SL_MSGR + answerer[c & 3]), target,
		    w, nw, 2, &cap, with_cap ? 1 : 0,
		    answerer[c & 3] == M_INLINE || !(c & 4),
		    (c & 8) ? VG_IPC_SEND_ACTIVATE : 0);
	}
}

/*
 * A pager's conversation: P touches pages of its region that p+2 serves
 * (SL_DATA_VIRT) one after another, and the pager answers each FAULT as
 * a pager's loop does (answer_shaped): one of its pages, every bit
 * consumed.  Once the lookups are kept, the answers have the shape of
 * the fast path's (virt_fast.h), which ipc_differential checks against
 * the general path.
 */
void
op_page_in(void)
{
	int p = take8() % NPROC, v = (p + 2) % NPROC;
	unsigned rounds = 1 + take8() % 8;
	uint8_t b = take8();
	enum vg_fault_access access = (enum vg_fault_access)(b % 3);
	uint64_t page = take16();
	vg_addr_t send = slot_addr(SL_MSGR + ((b & 4) ? M_INLINE : 0));
	vg_addr_t cap = slot_addr(SL_PAGE + (b >> 3 & 3));

	for (unsigned i = 0; i < rounds; i++) {
		struct thread *t = runnable(p);
		uint64_t vaddr = (uint64_t)SL_DATA_VIRT << 56 |
		    ((page + i) & 0xffff) << 12;
		uint64_t w[3];
		struct fault_detail d;
		struct rx req;
		enum vg_err err;

		if (t == NULL)
			return;
		err = fault_resolve(t, vaddr, access, &d);
		note("page-in fault of thread %u at %#llx -> %d", oid_of(t),
		    (unsigned long long)vaddr, err);
		/* Suspended, and the pager woken by the request. */
		if (err != VG_OK || t->state != VG_THREAD_FAULTED ||
		    runnable(v) == NULL)
			return;
		req = *last_received(v, M_SERVED);
		if (req.seq == rx_seen[v] || req.word[0] != VG_METHOD_FAULT)
			return;
		rx_seen[v] = req.seq;
		w[0] = VG_OK;
		w[1] = vg_addr_depth((vg_addr_t){ req.word[1] });
		w[2] = 0;
		answer_shaped(v, send, slot_addr(SL_REPLY), w, 3, cap, true);
	}
}
