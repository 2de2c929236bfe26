/*
 * "bpeer": the code of the benchmark's partner threads (bench.h).
 *
 * The bench root task loads this program into address spaces of their
 * own but never starts its main thread: it makes raw threads there that
 * run bsrv_step or bcoll_run, with their state in the shared region.
 * They use nothing of libvg but vg_ipc (no run time, no globals: the
 * image's data pages are not shared between the threads' roles).
 */
#include <libvg/syscall.h>

#include <vg/method.h>

#include "bench.h"

/* Suspend for good (an activation restarts the thread at its entry). */
static _Noreturn void
park(void)
{
	for (;;) {
		struct vg_ipc_args a = { .flags = 0 };

		(void)vg_ipc(&a);
	}
}

static _Noreturn void
failed(struct bsrv *s, enum vg_err err)
{
	s->errors++;
	s->last_error = err;
	park();
}

/* Data word I of a message received into a buffer page. */
static uint64_t
page_word(const struct vg_message *m, uint32_t i)
{
	uint32_t ncaps = m->cap_count < VG_MESSAGE_CAPS_MAX ? m->cap_count :
	    VG_MESSAGE_CAPS_MAX;
	const uint64_t *w = (const uint64_t *)(const void *)&m->caps[ncaps];

	return (i + 1) * 8u <= m->data_count ? w[i] : 0;
}

_Noreturn void
bsrv_step(struct bsrv *s)
{
	volatile struct vg_utcb *u = s->utcb;
	struct vg_ipc_args a;
	uint32_t reason = 0;
	uint64_t w0 = 0, w1 = 0, w2 = 0;

	if (s->kind == BSRV_ECHO && s->rbuf == NULL && s->started &&
	    (u->mode & VG_UTCB_ACTIVATED) &&
	    u->reason == VG_ACTIVATION_RECEIVED) {
		/* The plain echo, the round trip's server: its answer
		 * written into its call in place, nothing copied. */
		w0 = u->inline_words[0];
		u->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
		s->last_word = w0;
		s->call.inline_words[0] = w0 + 1;
		s->served++;
		failed(s, vg_ipc(&s->call));
	}
	if (u->mode & VG_UTCB_ACTIVATED) {
		reason = u->reason;
		w0 = u->inline_words[0];
		w1 = u->inline_words[1];
		w2 = u->inline_words[2];
		/* Out of activated mode: the next activation restarts me at
		 * my entry (I never go back to the interrupted vg_ipc). */
		u->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
	}
	if (!s->started) {
		s->started = 1;
		failed(s, vg_ipc(&s->arm));
	}
	if (reason != VG_ACTIVATION_RECEIVED) {
		/* Nothing to answer: wait for the next request. */
		s->bad++;
		park();
	}

	a = s->call;
	switch (s->kind) {
	case BSRV_ECHO:
		if (s->rbuf != NULL) {
			w0 = page_word(s->rbuf, 0);
			/* A delivery keeps the first addresses that took a
			 * capability and writes its data over the rest: load
			 * them all again for the next request. */
			s->rbuf->cap_count = (uint16_t)s->npreload;
			for (uint32_t i = 0; i < s->npreload; i++)
				s->rbuf->caps[i] = s->preload[i];
		}
		s->last_word = w0;
		a.inline_words[0] = w0 + 1;
		break;
	case BSRV_VIRT: {
		/* INDEX: w1 the residual.  Its first 8 bits index my backing
		 * cappage; the capability there is the answer. */
		vg_addr_t res = { w1 };
		unsigned depth = vg_addr_depth(res);

		s->last_word = w1;
		if (w0 != VG_METHOD_INDEX || depth < 8) {
			a.inline_words[0] = VG_ERR_ADDR_SHORT;
			a.inline_words[1] = 8;
			a.flags &= ~VG_IPC_INLINE_CAP;
			s->bad++;
			break;
		}
		a.inline_words[0] = VG_OK;
		a.inline_words[1] = 8;
		a.inline_cap = vg_addr_extend(s->backing,
		    (vg_addr_prefix(res) >> (depth - 8)) & 0xff, 8);
		break;
	}
	case BSRV_PAGER: {
		/* FAULT: w1 the residual, w2 the access.  Every page is my
		 * one backing page: all the residual is consumed. */
		vg_addr_t res = { w1 };

		(void)w2;
		s->last_word = w1;
		a.inline_words[0] = w0 == VG_METHOD_FAULT ? VG_OK :
		    VG_ERR_METHOD;
		a.inline_words[1] = vg_addr_depth(res);
		if (w0 != VG_METHOD_FAULT)
			s->bad++;
		break;
	}
	default:
		s->bad++;
		park();
	}
	s->served++;
	/* Re-arm and answer; suspended until the next request. */
	failed(s, vg_ipc(&a));
}

_Noreturn void
bcoll_run(struct bsrv *s)
{
	volatile struct vg_utcb *u = s->utcb;
	enum vg_err err;

	if (s->started) {
		/* An upcall: I am never to get one (I stay activated). */
		s->bad++;
		park();
	}
	s->started = 1;
	/* Activated mode for good: activations queue and only wake me. */
	u->mode |= VG_UTCB_ACTIVATED;
	err = vg_ipc(&s->arm);
	for (;;) {
		struct vg_ipc_args a = s->call;

		if (err != VG_OK)
			failed(s, err);
		/* Woken: a request's activation is queued.  Take it. */
		s->t1 = bench_tsc();
		err = vg_ipc(&s->collect);
		if (err != VG_OK)
			failed(s, err);
		if (page_word(s->kpage, 0) != VG_OK ||
		    page_word(s->kpage, 1) != 1 ||
		    u->reason != VG_ACTIVATION_RECEIVED) {
			s->bad++;
			park();
		}
		s->last_word = u->inline_words[0];
		a.inline_words[0] = u->inline_words[0] + 1;
		s->served++;
		/* Re-arm and answer; suspended until the next request is
		 * queued. */
		err = vg_ipc(&a);
	}
}

/* Never run: the root task makes the threads that use this image. */
int
main(void)
{
	return 0;
}
