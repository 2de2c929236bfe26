/*
 * In-VM test program "tstress": one of T_STRESS_PROGRAMS address spaces
 * whose threads exchange messages (tests/qemu/root/t_stress.c).
 *
 * Arguments: w0 this program's number P, w1 messages per sender M.
 *
 * It makes T_STRESS_WORKERS threads, each with one messenger of its own:
 * T_STRESS_SENDERS senders and T_STRESS_RECEIVERS receivers.  The
 * receivers' rmessengers go in a cappage of the test root's, shared
 * (slot T_STRESS_LINK_MINE of the cappage in VG_SLOT_SERVICE); the next
 * program's receivers are in slot T_STRESS_LINK_NEXT.  Sender i sends M
 * inline messages, one at a time, to receiver i % R of the next program:
 * each carries (program, sender, sequence number, checksum), and the next
 * goes out when the DELIVERED activation for the last arrives.  Receiver
 * j takes the messages of senders i % R == j of the previous program and
 * checks that each sender's sequence numbers come in order, none missing
 * or repeated.  Every fourth message also carries a capability: the
 * sender's program's token, a read-only page; the receiver takes it into
 * a page slot of its own space and reads the token through it.  (Each
 * such store changes a translation, so every thread's page tables are
 * dropped and refilled: 1000 threads keep the kernel's page-table pool
 * busy.)
 *
 * A worker has no libvg run time: it is a state machine whose activation
 * handler is its whole program.  Each activation restarts it at
 * t_worker_entry with RSP at its state; it reads the activation from its
 * UTCB, leaves activated mode (it never returns to the interrupted code,
 * which was the system call it suspended in), does one step and makes
 * its next vg_ipc without RETURN.  When done it reports to the main
 * thread's messenger D and suspends for good.
 *
 * The main thread sets everything up, registers D with the root, starts
 * the senders on the root's GO, counts the workers' reports and writes
 * the totals in the mailbox (enum t_stress_value).
 */
#include "../common/tlib.h"

#define W		T_STRESS_WORKERS
#define R		T_STRESS_RECEIVERS
#define S		T_STRESS_SENDERS
#define CHUNK		2048u		/* stack and state of a worker */
#define STACK		1536u

#define MSG_MAGIC	0x5354524553530000ull	/* "STRESS" | program */
#define FIN_MAGIC	0x46494e4953480000ull	/* "FINISH" */
#define TOKEN_MAGIC	0x544f4b454e000000ull	/* "TOKEN" | program */
#define CAP_EVERY	4	/* messages seq % 4 == 3 carry the token */
/* Receiver j's window: the token it received last. */
#define RX_WINDOW(j)	(VG_AS_WINDOWS + (uint64_t)(j) * VG_PAGE_SIZE)

enum role { SENDER, RECEIVER };

struct wstate {
	uint32_t index;
	uint32_t role;
	volatile struct vg_utcb *utcb;
	vg_addr_t msgr, target, done;
	uint64_t m;			/* messages per sender */
	uint64_t program, prev;
	uint64_t seq;			/* sender: messages delivered */
	vg_addr_t token;		/* sender: the token page */
	uint64_t received, good, bad;	/* receiver */
	uint64_t caps;			/* receiver: tokens read */
	uint64_t expect;		/* receiver: messages to get */
	uint64_t errors, oddities, activations;
	int32_t first_error;
	uint32_t finished;
};

_Static_assert(sizeof(struct wstate) <= CHUNK - STACK, "state fits");

static uint8_t *chunks;			/* W chunks of CHUNK bytes */
static uint64_t expected_seq[S];	/* per sender of the previous program */
static volatile uint64_t finished, finish_dups, go;
static uint8_t finished_by[W];
static struct vg_act_handler d_h;
static vg_addr_t d, d_weak;
static uint64_t setup_errors;
static int32_t first_error;

static struct wstate *
wstate(unsigned i)
{
	return (struct wstate *)(void *)(chunks + (uint64_t)i * CHUNK + STACK);
}

static uint64_t
msg_hash(uint64_t program, uint64_t index, uint64_t seq)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ program;

	h = (h ^ index) * 0xff51afd7ed558ccdull;
	h = (h ^ seq) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

/* The worker's entry: RSP is its state (handler_sp). */
__asm__(
	".text\n"
	".globl t_worker_entry\n"
	".type t_worker_entry, @function\n"
	"t_worker_entry:\n"
	"	movq %rsp, %rdi\n"
	"	call t_worker_step\n"
	"	ud2\n"
	".size t_worker_entry, . - t_worker_entry\n");
extern char t_worker_entry[];
_Noreturn void t_worker_step(struct wstate *w);

static _Noreturn void
park(void)
{
	for (;;) {
		struct vg_ipc_args a = { .flags = 0 };

		(void)vg_ipc(&a);
	}
}

static void
note_error(struct wstate *w, enum vg_err err)
{
	if (w->errors++ == 0)
		w->first_error = (int32_t)err;
}

/* Tell the main thread, then stop for good. */
static _Noreturn void
finish(struct wstate *w)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_RETURN,
		.target = w->done,
		.send_messenger = w->msgr,
		.inline_words = { FIN_MAGIC | w->program, w->index,
		    w->role == SENDER ? w->seq : w->received, w->errors },
	};

	w->finished = 1;
	(void)vg_ipc(&a);
	park();
}

_Noreturn void __attribute__((used))
t_worker_step(struct wstate *w)
{
	volatile struct vg_utcb *u = w->utcb;
	uint32_t reason = 0;
	int32_t error = 0;
	uint64_t words[VG_INLINE_WORDS] = { 0 };
	uint32_t ncaps = 0, cap_void = 0;
	enum vg_err err;

	if (u->mode & VG_UTCB_ACTIVATED) {
		reason = u->reason;
		error = u->error;
		for (unsigned k = 0; k < VG_INLINE_WORDS; k++)
			words[k] = u->inline_words[k];
		ncaps = u->inline_ncaps;
		cap_void = u->cap_void;
		if (u->pending != 0)
			w->oddities++;
		w->activations++;
		/* Out of activated mode: the next activation restarts us
		 * here rather than queueing. */
		u->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
	}
	if (w->finished)
		park();
	if (reason & VG_ACTIVATION_ERROR) {
		note_error(w, (enum vg_err)error);
		finish(w);
	}
	if (w->role == SENDER) {
		struct vg_ipc_args a = {
			.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
			    VG_IPC_INLINE_WORDS(4) | VG_IPC_SEND_ACTIVATE,
			.target = w->target,
			.send_messenger = w->msgr,
		};

		if (reason & VG_ACTIVATION_DELIVERED)
			w->seq++;
		if (reason & ~(uint32_t)VG_ACTIVATION_DELIVERED)
			w->oddities++;
		if (w->seq >= w->m)
			finish(w);
		a.inline_words[0] = MSG_MAGIC | w->program;
		a.inline_words[1] = w->index;
		a.inline_words[2] = w->seq;
		a.inline_words[3] = msg_hash(w->program, w->index, w->seq);
		if (w->seq % CAP_EVERY == CAP_EVERY - 1) {
			a.flags |= VG_IPC_INLINE_CAP;
			a.inline_cap = w->token;
		}
		/* Returns only if the send failed: otherwise the thread is
		 * suspended until DELIVERED restarts it at its entry. */
		err = vg_ipc(&a);
		note_error(w, err);
		finish(w);
	} else {
		uint64_t window = RX_WINDOW(w->index - S);
		struct vg_ipc_args a = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
			    VG_IPC_RECEIVE_INLINE,
			.recv_messenger = w->msgr,
			.recv_inline_cap = vg_addr_of_data(window),
		};

		if (reason & VG_ACTIVATION_RECEIVED) {
			uint64_t i = words[1], seq = words[2];
			bool cap = seq % CAP_EVERY == CAP_EVERY - 1;
			bool ok = cap ? ncaps == 1 && cap_void == 0 &&
			    *(volatile uint64_t *)VG_PTR(window) ==
			    (TOKEN_MAGIC | w->prev) : ncaps == 0;

			w->received++;
			w->caps += cap && ok;
			if (words[0] == (MSG_MAGIC | w->prev) && i < S &&
			    i % R == w->index - S &&
			    seq == expected_seq[i] &&
			    words[3] == msg_hash(w->prev, i, seq) && ok) {
				expected_seq[i]++;
				w->good++;
			} else {
				w->bad++;
			}
		}
		if (reason & ~(uint32_t)VG_ACTIVATION_RECEIVED)
			w->oddities++;
		if (w->received >= w->expect)
			finish(w);
		/* Returns only on failure, as above. */
		err = vg_ipc(&a);
		note_error(w, err);
		finish(w);
	}
}

/* --- the main thread ------------------------------------------------------- */

static void
on_d(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_ipc_args arm = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
		.recv_messenger = d,
	};
	const uint64_t *w = a->inline_words;

	(void)h;
	if (a->reason & VG_ACTIVATION_RECEIVED) {
		if (w[0] == T_STRESS_GO) {
			go = 1;
		} else if ((w[0] & ~0xffffull) == FIN_MAGIC && w[1] < W) {
			if (finished_by[w[1]]++ == 0)
				finished++;
			else
				finish_dups++;
		} else {
			t_check(false, "D: unknown message %#lx",
			    (unsigned long)w[0]);
		}
		if (vg_ipc(&arm) != VG_OK)
			setup_errors++;
	}
	if (a->reason & VG_ACTIVATION_ERROR)
		t_check(false, "D: error %d", a->error);
	t_wake = 1;
}

static void
setup_error(enum vg_err err)
{
	if (setup_errors++ == 0)
		first_error = (int32_t)err;
}

static enum vg_err
exregs(vg_addr_t thread, uint64_t control, uint64_t ip, uint64_t sp)
{
	struct vg_exregs x = {
		.control = control,
		.ip = ip, .sp = sp, .handler_ip = ip, .handler_sp = sp,
	};

	return vg_thread_exregs(vg_kcall(), thread, &x, NULL);
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	struct vg_cap_translator none = { 0 };
	struct vg_cap_translator guard = {
		.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH };
	uint64_t program = t_arg(0, 0), m = t_arg(1, 1);
	vg_addr_t tc = vg_slot_alloc(&rt->slots);
	vg_addr_t mc = vg_slot_alloc(&rt->slots);
	vg_addr_t mine = vg_addr_extend(vg_boot_slot(VG_SLOT_SERVICE),
	    T_STRESS_LINK_MINE, 8);
	vg_addr_t next = vg_addr_extend(vg_boot_slot(VG_SLOT_SERVICE),
	    T_STRESS_LINK_NEXT, 8);
	uint64_t utcbs, threads = 0, msgrs = 0, t0, token;
	uint64_t sent = 0, received = 0, good = 0, bad = 0, errors = 0;
	uint64_t oddities = 0, complete = 0, caps = 0;
	enum vg_err err;

	printf("tstress %lu: %u workers (%u senders of %lu messages, %u "
	    "receivers)\n", (unsigned long)program, W, S, (unsigned long)m,
	    R);
	/* Slots for the workers' objects: two cappages. */
	err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_CAPPAGE, tc);
	if (err == VG_OK)
		err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_CAPPAGE, mc);
	chunks = VG_PTR(vg_page_alloc(W * CHUNK / VG_PAGE_SIZE));
	utcbs = vg_page_alloc(W);
	token = vg_page_alloc(1);
	if (err == VG_OK && (chunks == NULL || utcbs == 0 || token == 0))
		err = VG_ERR_NO_STORAGE;
	/* The token: a page that reads TOKEN_MAGIC | P, read-only. */
	if (err == VG_OK) {
		*(uint64_t *)VG_PTR(token) = TOKEN_MAGIC | program;
		err = vg_as_weaken_page(&rt->as, token);
	}
	for (unsigned j = 0; j < R && err == VG_OK; j++)
		err = vg_as_ensure(&rt->as, RX_WINDOW(j));
	d_h = (struct vg_act_handler){ .fn = on_d, .name = "D" };
	vg_act_register(&d_h);
	if (err == VG_OK)
		err = vg_messenger_new(&d, 0, vg_act_id(&d_h));
	if (err == VG_OK)
		err = vg_weak_copy(d, &d_weak);
	if (err == VG_OK) {
		struct vg_ipc_args arm = {
			.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
			    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
			.recv_messenger = d,
		};

		err = vg_ipc(&arm);
	}
	if (!t_check(err == VG_OK, "set-up: %s", vg_strerror(err)))
		t_finish();

	/* The workers: a thread and a messenger each. */
	for (unsigned i = 0; i < W; i++) {
		struct wstate *w = wstate(i);
		vg_addr_t t = vg_addr_extend(tc, i, 8);
		vg_addr_t ms = vg_addr_extend(mc, i, 8);

		*w = (struct wstate){
			.index = i,
			.role = i < S ? SENDER : RECEIVER,
			.utcb = VG_PTR(utcbs + (uint64_t)i * VG_PAGE_SIZE),
			.msgr = ms,
			.target = vg_addr_extend(next, i % R, 8),
			.done = d_weak,
			.token = vg_addr_of_data(token),
			.m = m,
			.program = program,
			.prev = (program + T_STRESS_PROGRAMS - 1) %
			    T_STRESS_PROGRAMS,
			.expect = (uint64_t)(S / R) * m,
		};
		err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_THREAD, t);
		if (err == VG_OK)
			err = vg_as_copy(c, rt->self_root,
			    vg_addr_extend(t, VG_THREAD_SLOT_ASPACE, 2),
			    rt->self_root, VG_CAP_COPY_GUARD, guard);
		if (err == VG_OK)
			err = vg_as_copy(c, rt->self_root,
			    vg_addr_extend(t, VG_THREAD_SLOT_UTCB, 2),
			    vg_addr_of_data(utcbs + (uint64_t)i * VG_PAGE_SIZE),
			    0, none);
		if (err == VG_OK)
			err = exregs(t, VG_EXREGS_SET_IP | VG_EXREGS_SET_SP |
			    VG_EXREGS_SET_HANDLER,
			    (uint64_t)(uintptr_t)t_worker_entry,
			    (uint64_t)(uintptr_t)w);
		if (err == VG_OK)
			threads++;
		if (err == VG_OK)
			err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_MESSENGER, ms);
		if (err == VG_OK)
			err = vg_as_copy(c, rt->self_root,
			    vg_addr_extend(ms, VG_MESSENGER_SLOT_THREAD, 2), t,
			    0, none);
		if (err == VG_OK)
			err = vg_as_copy(c, rt->self_root,
			    vg_addr_extend(ms, VG_MESSENGER_SLOT_ASPACE, 2),
			    rt->self_root, VG_CAP_COPY_GUARD, guard);
		if (err == VG_OK)
			err = vg_messenger_id_set(c, ms, 0x10000 + i);
		if (err == VG_OK)
			msgrs++;
		if (err == VG_OK && w->role == RECEIVER)
			err = vg_as_copy(c, rt->self_root,
			    vg_addr_extend(mine, i - S, 8), ms,
			    VG_CAP_COPY_WEAKEN, none);
		/* Receivers start now: they receive and wait. */
		if (err == VG_OK && w->role == RECEIVER)
			err = exregs(t, VG_EXREGS_START, 0, 0);
		if (err != VG_OK) {
			setup_error(err);
			break;
		}
	}
	t_value(T_SV_THREADS, threads);
	t_value(T_SV_MESSENGERS, msgrs);
	printf("tstress %lu: %lu threads and %lu messengers made; "
	    "registering\n", (unsigned long)program, (unsigned long)threads,
	    (unsigned long)msgrs);
	if (!t_check(setup_errors == 0, "making the workers: %s",
	    vg_strerror((enum vg_err)first_error))) {
		t_value(T_SV_SETUP_ERRORS, setup_errors);
		t_finish();
	}
	err = vg_parent_send(VG_PARENT_REGISTER, program, d_weak);
	if (!t_check(err == VG_OK, "register: %s", vg_strerror(err)))
		t_finish();

	/* GO: start the senders, then wait for every worker's report. */
	t_wait(&go, 1, NULL);
	t0 = t_rdtsc_now();
	for (unsigned i = 0; i < S && err == VG_OK; i++)
		err = exregs(vg_addr_extend(tc, i, 8), VG_EXREGS_START, 0, 0);
	if (!t_check(err == VG_OK, "starting the senders: %s",
	    vg_strerror(err)))
		setup_error(err);
	t_wait(&finished, err == VG_OK ? W : R, NULL);
	printf("tstress %lu: all %lu workers finished (%lu Mcycles)\n",
	    (unsigned long)program, (unsigned long)finished,
	    (unsigned long)((t_rdtsc_now() - t0) >> 20));

	for (unsigned i = 0; i < W; i++) {
		struct wstate *w = wstate(i);

		if (w->role == SENDER) {
			sent += w->seq;
		} else {
			received += w->received;
			good += w->good;
			bad += w->bad;
			caps += w->caps;
		}
		if (w->errors != 0 && errors == 0)
			first_error = w->first_error;
		errors += w->errors;
		oddities += w->oddities;
	}
	for (unsigned i = 0; i < S; i++)
		complete += expected_seq[i] == m;
	t_value(T_SV_SENT, sent);
	t_value(T_SV_RECEIVED, received);
	t_value(T_SV_IN_ORDER, good);
	t_value(T_SV_BAD, bad + oddities);
	t_value(T_SV_SEND_ERRORS, errors);
	t_value(T_SV_FINISHED, finished);
	t_value(T_SV_FINISH_DUPS, finish_dups);
	t_value(T_SV_COMPLETE, complete);
	t_value(T_SV_SETUP_ERRORS, setup_errors);
	t_value(T_SV_FIRST_ERROR, (uint64_t)first_error);
	t_value(T_SV_CAPS, caps);
	t_check(sent == S * m && received == S * m && good == S * m &&
	    bad == 0 && errors == 0 && oddities == 0 && complete == S &&
	    caps == S * (m / CAP_EVERY),
	    "sent %lu, received %lu, in order %lu, bad %lu, errors %lu (%s), "
	    "oddities %lu, complete sequences %lu, tokens %lu",
	    (unsigned long)sent, (unsigned long)received, (unsigned long)good,
	    (unsigned long)bad, (unsigned long)errors,
	    vg_strerror((enum vg_err)first_error), (unsigned long)oddities,
	    (unsigned long)complete, (unsigned long)caps);
	t_finish();
}
