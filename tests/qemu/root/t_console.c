/*
 * The console of the programs under test.  Only troot holds the kernel's
 * console and the machine's power, so the verdict is troot's alone: a
 * program gets, in its VG_SLOT_CONSOLE, an rmessenger to a messenger of
 * mine that answers CONSOLE_WRITE exactly as the kernel's console does
 * (the same request, the same reply: the program cannot tell), and I
 * print each of its lines as "# <program>: <line>", a TAP diagnostic.
 * tests/build/qemu.sh takes results only from lines that begin with "ok"
 * or "not ok", which a program can therefore never print.
 *
 * Consoles are kept in a pool: a program's goes back to it when the
 * program is destroyed.  Each is a messenger with a buffer page, an
 * rmessenger to it and the slot where a request's reply messenger lands;
 * the replies, one word, go out inline and without blocking from one
 * messenger of mine.
 */
#include "troot.h"

#define T_CONSOLES	12
#define T_LINE_MAX	160	/* of a program's text per line printed */

struct t_console {
	struct vg_act_handler h;	/* first: the id of M */
	vg_addr_t m, weak, reply;
	uint64_t page_va;
	struct vg_message *page;
	struct tchild *owner;		/* NULL: in the pool */
	bool made;
};

static struct t_console consoles[T_CONSOLES];
static vg_addr_t rsend;

/* Receive the next request, its capability 0 into REPLY. */
static enum vg_err
console_arm(struct t_console *c)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = c->m,
	};

	vg_msg_preload(c->page, &c->reply, 1);
	return vg_ipc(&a);
}

/*
 * Answer with ERR, as the kernel does: one word, and nothing unless the
 * request named a reply messenger.  Only an rmessenger is sent to: a
 * send to anything else would invoke it, for whoever gave it to me.
 */
static void
console_reply(struct t_console *c, enum vg_err err)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1) | VG_IPC_SEND_NONBLOCKING |
		    VG_IPC_RETURN,
		.target = c->reply,
		.send_messenger = rsend,
		.inline_words = { (uint64_t)err },
	};
	enum vg_type type = VG_TYPE_VOID;

	if (!vg_msg_cap_arrived(c->page, 0) ||
	    vg_as_read(vg_kcall(), vg_self()->self_root, c->reply, &type,
	    NULL) != VG_OK || type != VG_TYPE_RMESSENGER)
		return;
	(void)vg_ipc(&a);
}

/* Would the harness take this line for a result or a plan? */
static bool
looks_like_tap(const char *s, size_t n)
{
	return (n >= 3 && memcmp(s, "ok ", 3) == 0) ||
	    (n >= 6 && memcmp(s, "not ok", 6) == 0) ||
	    (n >= 3 && memcmp(s, "1..", 3) == 0);
}

/* Print N bytes of one line of OWNER's, in pieces, each labelled; what
 * is not printable text is shown as '?'. */
static void
print_line(const struct tchild *owner, const char *s, size_t n)
{
	char buf[T_LINE_MAX];

	do {
		size_t k = n < T_LINE_MAX ? n : T_LINE_MAX;

		for (size_t i = 0; i < k; i++)
			buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) || s[i] == '\t' ?
			    s[i] : '?';
		printf("# %s: %.*s\n", owner != NULL ? owner->name : "?",
		    (int)k, buf);
		s += k;
		n -= k;
	} while (n > 0);
}

static void
console_on_request(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct t_console *c = (struct t_console *)(void *)h;
	const struct vg_message *m = c->page;
	uint32_t len = vg_msg_len(m);
	const char *s = (const char *)vg_msg_data(m) + VG_CONSOLE_WRITE_DATA;
	uint64_t n = vg_msg_word(m, 1);
	enum vg_err err = VG_OK;

	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	/* The kernel console's checks, in its order. */
	if (vg_msg_nwords(m) == 0 ||
	    vg_msg_word(m, 0) != VG_METHOD_CONSOLE_WRITE)
		err = VG_ERR_METHOD;
	else if (vg_msg_nwords(m) < 2 || n > len - VG_CONSOLE_WRITE_DATA)
		err = VG_ERR_INVALID;
	while (err == VG_OK && n > 0) {
		const char *e = memchr(s, '\n', n);
		size_t k = e != NULL ? (size_t)(e - s) : n;

		if (c->owner != NULL) {
			c->owner->lines++;
			if (looks_like_tap(s, k))
				c->owner->tap_lines++;
		}
		print_line(c->owner, s, k);
		if (e != NULL)
			k++;
		s += k;
		n -= k;
	}
	console_reply(c, err);
	err = console_arm(c);
	if (err != VG_OK)
		printf("# troot: a program's console cannot receive: %s\n",
		    vg_strerror(err));
}

static enum vg_err
console_make(struct t_console *c)
{
	enum vg_err err = VG_OK;

	if (vg_addr_is_void(rsend))
		err = vg_messenger_new(&rsend, 0, 0);
	c->h = (struct vg_act_handler){ .fn = console_on_request,
	    .name = "troot.console" };
	c->page_va = vg_page_alloc(1);
	c->page = VG_PTR(c->page_va);
	c->reply = t_slot();
	if (err == VG_OK && (c->page_va == 0 || vg_addr_is_void(c->reply) ||
	    vg_act_register(&c->h) != 0))
		err = VG_ERR_NO_STORAGE;
	if (err == VG_OK)
		err = vg_messenger_new(&c->m, c->page_va, vg_act_id(&c->h));
	if (err == VG_OK)
		err = vg_weak_copy(c->m, &c->weak);
	if (err == VG_OK)
		err = console_arm(c);
	c->made = err == VG_OK;
	return err;
}

enum vg_err
t_console_give(struct tchild *ch)
{
	struct t_console *c = NULL;
	enum vg_err err;

	for (unsigned i = 0; i < T_CONSOLES && c == NULL; i++)
		if (consoles[i].owner == NULL &&
		    (consoles[i].made || consoles[i].page_va == 0))
			c = &consoles[i];
	if (c == NULL)
		return VG_ERR_NO_STORAGE;
	if (!c->made) {
		err = console_make(c);
		if (err != VG_OK)
			return err;
	}
	err = child_give(ch, VG_SLOT_CONSOLE, c->weak, false);
	if (err != VG_OK)
		return err;
	c->owner = ch;
	ch->console = c;
	return VG_OK;
}

void
t_console_take(struct tchild *ch)
{
	if (ch->console != NULL)
		ch->console->owner = NULL;
	ch->console = NULL;
}
