/*
 * The activation dispatcher (libvg/activation.h): the handlers,
 * registered by messenger id, and the dispatch of each activation to its
 * handler.  The assembly entry and exit are in arch/x86_64/activation.S;
 * whether code runs in the handler is kept in activation_depth.c.
 */
#include <stddef.h>
#include <stdint.h>

#include <vg/method.h>
#include <vg/utcb.h>

#include <libvg/activation.h>
#include <libvg/call.h>
#include <libvg/methods.h>
#include <libvg/names.h>
#include <libvg/stdio.h>

#include "activation_depth.h"

struct vg_act_stack vg_act_stack;
int vg_act_trace;

/* Registered handlers: a hash set of their addresses (open addressing,
 * linear probing), so that dispatching an activation does not scan. */
#define HANDLERS_LOG2	7
#define HANDLERS_MAX	(1 << HANDLERS_LOG2)

static struct vg_act_handler *handlers[HANDLERS_MAX];
static int nhandlers;
/* The handler found last, or NULL: a program's activations come from a
 * few messengers, most often the one of the last. */
static struct vg_act_handler *last;

static unsigned
home(uint64_t id)
{
	return (unsigned)(((id >> 3) * 0x9e3779b97f4a7c15ull) >>
	    (64 - HANDLERS_LOG2));
}

int
vg_act_register(struct vg_act_handler *h)
{
	unsigned i = home(vg_act_id(h));

	/* Keep one slot empty: lookups stop at an empty slot. */
	for (;; i = (i + 1) % HANDLERS_MAX) {
		if (handlers[i] == h)
			return 0;
		if (handlers[i] == NULL)
			break;
	}
	if (nhandlers == HANDLERS_MAX - 1)
		return -1;
	handlers[i] = h;
	nhandlers++;
	return 0;
}

void
vg_act_unregister(struct vg_act_handler *h)
{
	unsigned i = home(vg_act_id(h)), j;

	for (; handlers[i] != h; i = (i + 1) % HANDLERS_MAX)
		if (handlers[i] == NULL)
			return;
	handlers[i] = NULL;
	nhandlers--;
	if (last == h)
		last = NULL;
	/* Move back what a lookup could no longer reach past the hole. */
	for (j = (i + 1) % HANDLERS_MAX; handlers[j] != NULL;
	    j = (j + 1) % HANDLERS_MAX) {
		unsigned k = home(vg_act_id(handlers[j]));

		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			handlers[i] = handlers[j];
			handlers[j] = NULL;
			i = j;
		}
	}
}

const char *
vg_act_reason_str(uint32_t reason, char *buf, size_t size)
{
	static const char *const names[] = {
		"RECEIVED", "DELIVERED", "ERROR", "FAULT",
	};
	size_t n = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < 4; i++) {
		if (!(reason & (1u << i)))
			continue;
		n += (size_t)vg_snprintf(buf + (n < size ? n : size - 1),
		    n < size ? size - n : 1, "%s%s", n > 0 ? "|" : "",
		    names[i]);
	}
	if (n == 0)
		vg_snprintf(buf, size, "none");
	return buf;
}

/* The handler registered for ID, or NULL. */
static inline struct vg_act_handler *
lookup(uint64_t id)
{
	/* (With LAST NULL, id 0: nobody's, and NULL is the answer.) */
	if (vg_act_id(last) == id)
		return last;
	for (unsigned i = home(id); handlers[i] != NULL;
	    i = (i + 1) % HANDLERS_MAX) {
		if (vg_act_id(handlers[i]) == id)
			return last = handlers[i];
	}
	return NULL;
}

/* The UTCB read a word at a time (its fields and struct vg_activation's
 * are laid out alike). */
typedef uint64_t __attribute__((may_alias)) act_word;

static inline uint64_t
utcb_word(const volatile void *p)
{
	return *(const volatile act_word *)p;
}

static inline void
act_word_put(void *p, uint64_t w)
{
	*(act_word *)p = w;
}

/* The trace line of an activation (cold: only with tracing on, or for
 * an id nobody registered). */
static __attribute__((noinline, cold)) void
trace(const struct vg_activation *a, const struct vg_act_handler *h)
{
	char why[48];

	vg_printf("  [activation] %s: messenger \"%s\"%s (%u more "
	    "queued; interrupted at ip %lx)\n",
	    vg_act_reason_str(a->reason, why, sizeof(why)),
	    h != NULL && h->name != NULL ? h->name : "?",
	    h == NULL ? " -- no handler registered for its id" : "",
	    a->pending, (unsigned long)a->interrupted_ip);
}

_Static_assert(offsetof(struct vg_activation, reason) == 8 &&
    offsetof(struct vg_activation, pending) == 16 &&
    offsetof(struct vg_activation, cap_void) == 24 &&
    offsetof(struct vg_activation, inline_words) == 32 &&
    offsetof(struct vg_utcb, reason) ==
    offsetof(struct vg_utcb, messenger_id) + 8 &&
    offsetof(struct vg_utcb, pending) ==
    offsetof(struct vg_utcb, messenger_id) + 16 &&
    offsetof(struct vg_utcb, cap_void) ==
    offsetof(struct vg_utcb, messenger_id) + 24 &&
    offsetof(struct vg_utcb, inline_words) ==
    offsetof(struct vg_utcb, messenger_id) + 32 &&
    offsetof(struct vg_activation, fault_info) ==
    offsetof(struct vg_activation, exception) + 4 &&
    offsetof(struct vg_activation, fault_remaining) ==
    offsetof(struct vg_activation, exception) + 7,
    "the words handle copies");

/* Hand the activation in the UTCB to its handler. */
static inline __attribute__((always_inline)) void
handle(struct vg_act_state *st)
{
	const volatile struct vg_utcb *u = st->utcb;
	struct vg_activation a;
	struct vg_act_handler *h;

	/* A word at a time, the reserved fields cleared (nothing left for
	 * a memset to clear): pending, the counts and RESERVED; cap_void
	 * and RESERVED2; the exception and the fault's four bytes. */
	a.messenger_id = u->messenger_id;
	act_word_put(&a.reason, utcb_word(&u->reason));
	act_word_put(&a.pending, utcb_word(&u->pending) &
	    0x00ffffffffffffffull);
	act_word_put(&a.cap_void, u->cap_void);
	for (unsigned i = 0; i < VG_INLINE_WORDS; i++)
		a.inline_words[i] = u->inline_words[i];
	a.fault_address = u->fault_address;
	act_word_put(&a.exception, u->exception);
	a.fault_ip = 0;
	if (a.reason & VG_ACTIVATION_FAULT) {
		a.fault_info = u->fault_info;
		a.fault_access = u->fault_access;
		a.fault_consumed = u->fault_consumed;
		a.fault_remaining = u->fault_remaining;
		a.fault_ip = u->fault_ip;
	}
	a.interrupted_ip = *vg_act_frame_ip(&st->frame);
	h = lookup(a.messenger_id);
	st->handled++;
	if (__builtin_expect(vg_act_trace || h == NULL, 0))
		trace(&a, h);
	if (h != NULL && h->fn != NULL)
		h->fn(h, &a);
}

/* Collect and handle the activations that queued while activated (not
 * inlined: the callers test for none first). */
static __attribute__((noinline)) void
drain_queued(struct vg_act_state *st)
{
	volatile struct vg_utcb *u = st->utcb;

	while (u->pending > 0) {
		uint64_t got = 0, left = 0;
		enum vg_err err = vg_thread_activation_collect(st->call,
		    st->thread, &got, &left);

		if (err != VG_OK || got == 0) {
			/* Do not spin on it: they stay queued until the next
			 * activation is posted. */
			vg_printf("libvg: cannot collect queued activations "
			    "(%s)\n", vg_strerror(err));
			u->pending = 0;
			break;
		}
		st->seen = u->activations;
		handle(st);
	}
}

static inline void
drain(struct vg_act_state *st)
{
	if (st->utcb->pending > 0)
		drain_queued(st);
}

void
vg_activation_dispatch(struct vg_act_state *st, int restart)
{
	volatile struct vg_utcb *u = st->utcb;
	uint64_t *ip = vg_act_frame_ip(&st->frame);
	uint64_t n;

	vg_act_enter();
	st->dispatches++;
	if (restart)
		st->restarts++;
	/* Caught in vg_wait_nonzero before it suspended: test again. */
	if (*ip >= (uint64_t)(uintptr_t)vg_wait_begin &&
	    *ip <= (uint64_t)(uintptr_t)vg_wait_syscall)
		*ip = (uint64_t)(uintptr_t)vg_wait_begin;
	/* The UTCB holds an activation not handled yet (not after a
	 * re-entry for queued ones: then only those are new). */
	n = u->activations;
	if (n != st->seen) {
		st->seen = n;
		handle(st);
	}
	drain(st);
	vg_act_leave();
}

void
vg_activation_poll(void)
{
	struct vg_act_state *st = &vg_act_stack.state;

	if (st->utcb == NULL)
		return;
	vg_act_enter();
	drain(st);
	vg_act_leave();
}

enum vg_err
vg_activation_init(struct vg_call *kcall, vg_addr_t thread,
    struct vg_utcb *utcb, struct vg_call *hcall)
{
	struct vg_act_state *st = &vg_act_stack.state;
	struct vg_exregs x = {
		.control = VG_EXREGS_SET_HANDLER | VG_EXREGS_SET_EXIT_RANGE,
		.handler_ip = (uint64_t)(uintptr_t)vg_activation_entry,
		.handler_sp = (uint64_t)(uintptr_t)st,
		.exit_start = (uint64_t)(uintptr_t)vg_activation_exit_start,
		.exit_end = (uint64_t)(uintptr_t)vg_activation_exit_end,
	};

	vg_act_frame_init(&st->frame);
	st->utcb = utcb;
	st->call = hcall;
	st->thread = thread;
	st->seen = utcb->activations;
	vg_act_register(&hcall->on_reply);
	return vg_thread_exregs(kcall, thread, &x, NULL);
}
