/*
 * rpctrace: start a program with its IPC root virtualized, and log every
 * invocation it makes (rpctrace.h explains how).
 *
 * Arguments (struct vg_env arg[]): 0 the address of the program's ELF
 * image in my space (my parent shares it with vg_spawn_share), 1 its
 * size, 2..6 its name (vg_words_from_str); my command-line arguments
 * are its.  The program gets what I was
 * given in VG_SLOT_SERVICE, my console, and me as its parent: its
 * REGISTER and REPORT messages go on to my parent, and when it exits I
 * report what I traced (VG_PARENT_REPORT: enum trace_report) and exit
 * with its status.
 */
#include "rpctrace.h"

struct tracer tr;

static struct {
	struct vg_act_handler h;
	vg_addr_t m, weak, inbox;
	volatile uint64_t exited;
	int64_t status;
} child;

static enum vg_err
arm_child(void)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
		.recv_messenger = child.m,
		.recv_inline_cap = child.inbox,
	};

	return vg_ipc(&a);
}

/* Four inline words (and a capability) to my parent. */
static enum vg_err
to_parent(const uint64_t *w, vg_addr_t cap)
{
	struct vg_runtime *rt = vg_self();
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_RETURN |
		    (vg_addr_is_void(cap) ? 0 : VG_IPC_INLINE_CAP),
		.target = rt->parent,
		.send_messenger = rt->messenger,
		.inline_words = { w[0], w[1], w[2], w[3] },
		.inline_cap = cap,
	};
	enum vg_err err;

	/* The boot messenger's last message may still be queued. */
	for (unsigned tries = 0;; tries++) {
		err = vg_ipc(&a);
		if (err != VG_ERR_BUSY || tries == 1000000)
			return err;
	}
}

/* In the activation handler: the program reports to its parent (me). */
static void
on_child(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	if (a->inline_words[0] == VG_PARENT_EXIT) {
		child.status = (int64_t)a->inline_words[1];
		printf("rpctrace: the program exited with status %ld\n",
		    (long)child.status);
		child.exited = 1;
		return;
	}
	/* REGISTER, REPORT, anything else: my parent's business. */
	(void)to_parent(a->inline_words, a->inline_ncaps == 1 &&
	    !(a->cap_void & 1) ? child.inbox : VG_ADDR_VOID);
	(void)arm_child();
}

static _Noreturn void
give_up(const char *what, enum vg_err err)
{
	printf("rpctrace: %s: %s\n", what, vg_strerror(err));
	vg_exit(125);
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	const struct vg_env *env = rt->env;
	struct vg_spawn sp = { 0 };
	char name[48];
	uint64_t w[4];
	enum vg_err err;

	if (env == NULL || env->nargs < 7)
		give_up("usage: arguments image, size, name", VG_ERR_INVALID);
	vg_words_to_str(&env->arg[2], 5, name, sizeof(name));

	err = vroot_init();
	if (err == VG_OK)
		err = proxies_init();
	if (err != VG_OK)
		give_up("setting up", err);

	child.h = (struct vg_act_handler){ .fn = on_child,
	    .name = "rpctrace.child" };
	vg_act_register(&child.h);
	child.inbox = vg_slot_alloc(&rt->slots);
	err = vg_messenger_new(&child.m, 0, vg_act_id(&child.h));
	if (err == VG_OK)
		err = vg_weak_copy(child.m, &child.weak);
	if (err == VG_OK)
		err = arm_child();
	if (err != VG_OK)
		give_up("the program's parent messenger", err);

	sp.name = name;
	sp.image = VG_PTR(env->arg[0]);
	sp.size = env->arg[1];
	sp.quota = 8 * 129;
	sp.ipc_root = TRACE_IPC_ROOT_SLOT;
	sp.args = env->args;		/* its arguments are mine */
	sp.give = VG_SPAWN_GIVE_CONSOLE;	/* mine, whatever it is */
	err = vg_spawn_load(&sp, &rt->as);
	if (err != VG_OK)
		give_up("loading the program", err);
	tr.tracee_root = sp.as.base;
	err = vg_thread_id(vg_kcall(), sp.thread, &tr.tracee_tid);
	if (err != VG_OK)
		give_up("the program's thread", err);
	err = vg_spawn_give(&sp, &rt->as, VG_SLOT_PARENT, child.weak, 0);
	if (err == VG_OK)
		err = vg_spawn_give(&sp, &rt->as, VG_SLOT_SERVICE,
		    vg_boot_slot(VG_SLOT_SERVICE), 0);
	if (err == VG_OK)
		err = vg_spawn_give(&sp, &rt->as, TRACE_IPC_ROOT_SLOT,
		    tr.vroot.weak, 0);
	if (err == VG_OK)
		err = vg_receiver_arm(&tr.vroot);
	if (err != VG_OK)
		give_up("giving the program its capabilities", err);

	printf("rpctrace: tracing \"%s\": its messengers resolve addresses "
	    "through a virtual root that I serve\n", name);
	event_thread(event_now(), tr.tracee_tid, name);
	err = vg_spawn_start(&sp, &rt->as);
	if (err != VG_OK)
		give_up("starting the program", err);
	vg_wait_nonzero(&child.exited);

	printf("rpctrace: %lu invocations traced (%lu through a capability "
	    "two or more cappages deep, %lu messages to servers); %lu index "
	    "and store requests served; %lu sends let through untraced\n",
	    (unsigned long)tr.seq, (unsigned long)tr.deep,
	    (unsigned long)tr.to_servers, (unsigned long)tr.requests,
	    (unsigned long)tr.untraced);
	w[0] = VG_PARENT_REPORT;
	w[1] = TRACE_REPORT_COUNTS;
	w[2] = tr.seq;
	w[3] = tr.deep;
	(void)to_parent(w, VG_ADDR_VOID);
	w[1] = TRACE_REPORT_METHODS;
	w[2] = tr.methods;
	w[3] = tr.to_servers;
	(void)to_parent(w, VG_ADDR_VOID);
	(void)vg_spawn_destroy(&sp, &rt->as);
	vg_exit((int)child.status);
}
