/*
 * The root task: the one program the kernel starts.
 *
 * It gets, in its capability slots, the root activity (all the memory of
 * the machine), its own thread, address space and folio, its UTCB, the
 * kernel's console, the machine's power, and the boot modules mapped into
 * its memory (vg/boot.h).  Everything else is up to it: here it starts
 * the demo's server and client, each in an address space it builds with
 * libvg's loader, connects them, and ends the machine with the client's
 * verdict.  The client runs under rpctrace (user/rpctrace), which logs
 * every invocation it makes.  All three get the console (rpctrace passes
 * it on to the client); the power stays here.
 */
#include <libvg/libvg.h>

#include "../demo/demo.h"

/* A program the root task started, and the messenger it reports on. */
struct child {
	struct vg_act_handler h;	/* id of PARENT: first member */
	const char *name;
	struct vg_spawn sp;
	vg_addr_t parent;		/* messenger: the child's reports */
	vg_addr_t parent_weak;		/* the send right the child gets */
	vg_addr_t inbox;		/* where a report's capability lands */
	vg_addr_t service;		/* a capability it registered */
	volatile uint64_t registered;
	volatile uint64_t exited;
	int64_t status;
};

static struct child server = { .name = "server" };
static struct child tracer = { .name = "rpctrace" };	/* runs the client */

/* Receive the next report, inline: two words and a capability. */
static enum vg_err
arm(struct child *ch)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RECEIVE_SET_THREAD_TO_CALLER |
		    VG_IPC_RECEIVE_SET_ASROOT_TO_CALLERS | VG_IPC_RETURN,
		.recv_messenger = ch->parent,
		.recv_inline_cap = ch->inbox,
	};

	return vg_ipc(&a);
}

/* In the activation handler: a child reported. */
static void
on_report(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct child *ch = (struct child *)(void *)h;
	struct vg_runtime *rt = vg_self();
	enum vg_err err;

	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	switch (a->inline_words[0]) {
	case VG_PARENT_REGISTER:
		printf("root: the %s registered service %#lx and sent a "
		    "capability with it%s.\n", ch->name,
		    (unsigned long)a->inline_words[1],
		    (a->inline_ncaps == 1 && !(a->cap_void & 1)) ? "" :
		    " -- but it arrived void");
		ch->service = vg_slot_alloc(&rt->slots);
		err = vg_as_copy(vg_kcall(), rt->self_root, ch->service,
		    ch->inbox, 0, (struct vg_cap_translator){ 0 });
		if (err != VG_OK)
			printf("root: cannot keep it: %s\n", vg_strerror(err));
		ch->registered = 1;
		break;
	case VG_PARENT_EXIT:
		ch->status = (int64_t)a->inline_words[1];
		printf("root: the %s exited with status %ld.\n", ch->name,
		    (long)ch->status);
		ch->exited = 1;
		break;
	case VG_PARENT_REPORT:
		printf("root: the %s reports %#lx: %lu, %lu.\n", ch->name,
		    (unsigned long)a->inline_words[1],
		    (unsigned long)a->inline_words[2],
		    (unsigned long)a->inline_words[3]);
		break;
	default:
		printf("root: the %s sent an unknown report %#lx.\n", ch->name,
		    (unsigned long)a->inline_words[0]);
		break;
	}
	err = arm(ch);
	if (err != VG_OK)
		printf("root: cannot listen to the %s: %s\n", ch->name,
		    vg_strerror(err));
}

/* Build program CH from its module, with a send right to report to us. */
static enum vg_err
load(struct child *ch, const struct vg_boot_info *bi)
{
	struct vg_runtime *rt = vg_self();
	const struct vg_boot_module *mod = vg_boot_find_module(bi, ch->name);
	uint64_t usage = 0;
	enum vg_err err;

	if (mod == NULL) {
		printf("root: no boot module is named \"%s\".\n", ch->name);
		return VG_ERR_INVALID;
	}
	ch->h = (struct vg_act_handler){ .fn = on_report, .name = ch->name };
	vg_act_register(&ch->h);
	ch->inbox = vg_slot_alloc(&rt->slots);
	err = vg_messenger_new(&ch->parent, 0, vg_act_id(&ch->h));
	if (err == VG_OK)
		err = vg_weak_copy(ch->parent, &ch->parent_weak);
	if (err == VG_OK)
		err = arm(ch);
	if (err != VG_OK)
		return err;

	ch->sp.name = ch->name;
	ch->sp.image = VG_PTR(mod->start);
	ch->sp.size = mod->size;
	ch->sp.quota = 4 * 129;		/* four folios */
	/* My console, so that they can tell what they do; the power stays
	 * mine: only I end the machine. */
	ch->sp.give = VG_SPAWN_GIVE_CONSOLE;
	if (ch == &tracer) {
		/* rpctrace starts the client: its image, size and name. */
		const struct vg_boot_module *prog = vg_boot_find_module(bi,
		    "client");

		if (prog == NULL)
			return VG_ERR_INVALID;
		ch->sp.quota = 24 * 129;
		ch->sp.nargs = 7;
		ch->sp.arg[0] = prog->start;
		ch->sp.arg[1] = prog->size;
		vg_words_from_str(&ch->sp.arg[2], 5, "client");
	}
	err = vg_spawn_load(&ch->sp, &rt->as);
	if (err == VG_OK && ch == &tracer)
		err = vg_spawn_share(&ch->sp, &rt->as, ch->sp.arg[0],
		    ch->sp.arg[1]);
	if (err == VG_OK)
		err = vg_spawn_give(&ch->sp, &rt->as, VG_SLOT_PARENT,
		    ch->parent_weak, 0);
	if (err != VG_OK)
		return err;
	(void)vg_activity_info(vg_kcall(), ch->sp.activity, &usage, NULL,
	    NULL);
	printf("root: loaded the %s from module \"%s\" (%lu bytes): %u pages "
	    "of image, entry %#lx, a stack, a UTCB and an environment page, "
	    "in a new address space with its own activity (quota %lu frames, "
	    "%lu in use) and a stopped thread.\n", ch->name, mod->name,
	    (unsigned long)mod->size, ch->sp.pages,
	    (unsigned long)ch->sp.entry, (unsigned long)ch->sp.quota,
	    (unsigned long)usage);
	return VG_OK;
}

static _Noreturn void
give_up(const char *what, enum vg_err err)
{
	printf("root: %s: %s.  Stopping the machine.\n", what,
	    vg_strerror(err));
	vg_exit(2);
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	const struct vg_boot_info *bi = rt->boot;
	uint64_t usage = 0, quota = 0, depth = 0, id = 0;
	enum vg_err err;

	vg_act_trace = 1;
	printf("\nroot: hello.  I am the root task, the first user program; "
	    "the kernel loaded me from the first boot module.\n");
	printf("root: boot information at %#x: %lu frames of storage, kernel "
	    "command line \"%s\", %u more modules:\n", VG_BOOT_INFO,
	    (unsigned long)bi->storage_frames, bi->cmdline, bi->nmodules);
	for (uint32_t i = 0; i < bi->nmodules && i < VG_BOOT_MODULES_MAX; i++)
		printf("root:   module %u \"%s\": %lu bytes at %#lx\n", i,
		    bi->module[i].name, (unsigned long)bi->module[i].size,
		    (unsigned long)bi->module[i].start);
	err = vg_thread_id(vg_kcall(), rt->thread, &id);
	if (err == VG_OK)
		err = vg_activity_info(vg_kcall(), rt->activity, &usage, &quota,
		    &depth);
	if (err != VG_OK)
		give_up("kernel calls fail", err);
	printf("root: libvg is set up: my thread (object %lu) has an "
	    "activation handler, and I have call messengers.  The root "
	    "activity (depth %lu) has %lu frames in use.\n",
	    (unsigned long)id, (unsigned long)depth, (unsigned long)usage);

	printf("root: step 1: load the server and the client, each in an "
	    "address space of its own, built with kernel methods only.\n");
	err = load(&server, bi);
	if (err != VG_OK)
		give_up("cannot load the server", err);
	err = load(&tracer, bi);
	if (err != VG_OK)
		give_up("cannot load the client", err);

	printf("root: step 2: start the server and wait (suspended) until it "
	    "registers its service.\n");
	err = vg_spawn_start(&server.sp, &rt->as);
	if (err != VG_OK)
		give_up("cannot start the server", err);
	vg_wait_nonzero(&server.registered);

	printf("root: step 3: start rpctrace, which starts the client with "
	    "its IPC root virtualized and logs every invocation the client "
	    "makes; the client gets the server's send right (its slot %u).\n",
	    VG_SLOT_SERVICE);
	err = vg_spawn_give(&tracer.sp, &rt->as, VG_SLOT_SERVICE,
	    server.service, 0);
	if (err == VG_OK)
		err = vg_spawn_start(&tracer.sp, &rt->as);
	if (err != VG_OK)
		give_up("cannot start the client", err);

	printf("root: step 4: wait for both to exit.\n");
	vg_wait_nonzero(&tracer.exited);
	vg_wait_nonzero(&server.exited);
	(void)vg_activity_info(vg_kcall(), rt->activity, &usage, NULL, NULL);
	printf("root: done: the client reported status %ld, the server %ld; "
	    "the root activity has %lu frames in use; I handled %lu "
	    "activations.\n", (long)tracer.status, (long)server.status,
	    (unsigned long)usage,
	    (unsigned long)vg_act_stack.state.handled);
	if (tracer.status == 0 && server.status == 0) {
		printf("root: SUCCESS: the demo worked.  Ending the machine "
		    "with status 0.\n");
		return 0;
	}
	printf("root: FAILURE.  Ending the machine with status 1.\n");
	return 1;
}
