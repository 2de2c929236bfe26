/*
 * The test programs' side of the in-VM tests (tlib.h).
 */
#include <stdarg.h>

#include "tlib.h"

static struct t_mailbox scratch;
volatile uint64_t t_wake;

void
t_wait(volatile uint64_t *counter, uint64_t n, volatile uint64_t *stop)
{
	while (*counter < n && (stop == NULL || *stop == 0)) {
		t_wake = 0;
		if (*counter >= n || (stop != NULL && *stop != 0))
			break;
		vg_wait_nonzero(&t_wake);
	}
}

struct t_mailbox *
t_mailbox(void)
{
	struct t_mailbox *m = VG_PTR(T_MAILBOX);
	enum vg_type type = VG_TYPE_VOID;
	static int known;	/* 1: the root's page, -1: none */

	if (known == 0) {
		struct vg_runtime *rt = vg_self();

		if (vg_as_page_type(&rt->as, T_MAILBOX, &type) == VG_OK &&
		    type == VG_TYPE_PAGE && m->magic == T_MAILBOX_MAGIC)
			known = 1;
		else
			known = -1;
	}
	return known > 0 ? m : &scratch;
}

bool
t_check(bool ok, const char *fmt, ...)
{
	struct t_mailbox *m = t_mailbox();
	char line[200];
	va_list ap;
	int n;

	m->checks++;
	if (ok)
		return true;
	m->failures++;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((unsigned)n >= sizeof(line))
		n = sizeof(line) - 1;
	printf("%s: check failed: %s\n", vg_self()->name, line);
	if (m->log_len + (unsigned)n + 2 < T_LOG_SIZE) {
		memcpy(m->log + m->log_len, line, (size_t)n);
		m->log_len += (uint32_t)n;
		m->log[m->log_len++] = '\n';
		m->log[m->log_len] = '\0';
	}
	return false;
}

void
t_value(unsigned i, uint64_t v)
{
	if (i < T_VALUES)
		t_mailbox()->value[i] = v;
}

uint64_t
t_arg(unsigned i, uint64_t def)
{
	const struct vg_env *env = vg_self()->env;

	if (env == NULL || i >= env->nargs || i >= VG_ENV_ARGS)
		return def;
	return env->arg[i];
}

enum vg_err
t_parent_report(uint64_t tag, uint64_t a, uint64_t b)
{
	struct vg_runtime *rt = vg_self();
	struct vg_ipc_args args = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_RETURN,
		.target = rt->parent,
		.send_messenger = rt->messenger,
		.inline_words = { T_REPORT, tag, a, b },
	};
	enum vg_err err;

	/* The boot messenger's last message may still be queued on the
	 * parent: wait for it to go. */
	for (unsigned tries = 0;; tries++) {
		err = vg_ipc(&args);
		if (err != VG_ERR_BUSY || tries == 1000000)
			return err;
	}
}

_Noreturn void
t_finish(void)
{
	struct t_mailbox *m = t_mailbox();

	printf("%s: %lu checks, %lu failed\n", vg_self()->name,
	    (unsigned long)m->checks, (unsigned long)m->failures);
	vg_exit(m->failures == 0 ? 0 : 1);
}

enum vg_err
t_msgr_new(struct t_msgr *m, const char *name, bool page,
    void (*fn)(struct vg_act_handler *, const struct vg_activation *))
{
	enum vg_err err;

	m->h = (struct vg_act_handler){ .fn = fn, .name = name };
	if (page) {
		m->page_va = vg_page_alloc(1);
		if (m->page_va == 0)
			return VG_ERR_NO_STORAGE;
		m->page = VG_PTR(m->page_va);
	}
	if (fn != NULL)
		vg_act_register(&m->h);
	err = vg_messenger_new(&m->m, m->page_va, vg_act_id(&m->h));
	if (err == VG_OK)
		err = vg_weak_copy(m->m, &m->weak);
	return err;
}

enum vg_err
t_msgr_arm_inline(const struct t_msgr *m, vg_addr_t cap_slot)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
		.recv_messenger = m->m,
		.recv_inline_cap = cap_slot,
	};

	return vg_ipc(&a);
}

enum vg_err
t_msgr_arm_page(const struct t_msgr *m, const vg_addr_t *slots, uint32_t n)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = m->m,
	};

	if (m->page == NULL)
		return VG_ERR_INVALID;
	vg_msg_preload(m->page, slots, n);
	return vg_ipc(&a);
}

uint64_t
t_hash(const void *p, uint64_t n)
{
	const uint8_t *s = p;
	uint64_t h = 1469598103934665603ull;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

enum vg_err
t_faults_to_me(struct vg_act_handler *h)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t e = VG_ADDR_VOID;
	enum vg_err err;

	vg_act_register(h);
	err = vg_messenger_new(&e, 0, vg_act_id(h));
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(rt->thread, VG_THREAD_SLOT_EXCEPTION, 2), e,
		    0, (struct vg_cap_translator){ 0 });
	return err;
}
