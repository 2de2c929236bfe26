/*
 * The root task: the one program the kernel starts.
 *
 * It gets, in its capability slots, the root activity (all the memory of
 * the machine), its own thread, address space and folio, its UTCB, the
 * kernel's console, the machine's power, and the boot modules mapped into
 * its memory (vg/boot.h).  What it does with them it is told on the
 * kernel command line (make run APP=...: mk/app.mk writes it):
 *
 *	start=a,b,c	start the programs of the boot modules named a, b
 *			and c, in that order, each in an address space of
 *			its own with its own activity; a program's
 *			arguments are the rest of its module's line
 *	trace=b		start b under the tracer (rpctrace logs every
 *			invocation it makes)
 *	tracer=name	the boot module of the tracer
 *	console=d	d is a console driver (user/uart16550): it gets the
 *			device its arguments name (port=N: an I/O port
 *			range over N .. N + 7; irq=N: the interrupt object
 *			of line N), made in a folio of its own activity,
 *			and what it registers is the console of every
 *			program started after it
 *	devices=m	m is the device manager (user/pci): it gets the
 *			interrupt, I/O port, device-memory and DMA
 *			controls, in the slots where I hold them, and a
 *			larger quota for the objects it makes for its
 *			drivers; like the console driver it serves to the
 *			end
 *	daemons=a,b	a and b are servers that run to the end (a block
 *			driver): I do not wait for them to exit
 *
 * Each program gets the console (never the power: only the root task ends
 * the machine) -- the kernel's, or the console driver's once it has
 * registered -- and, in VG_SLOT_SERVICE, the capability the last program
 * before it registered (VG_PARENT_REGISTER), so that a server started
 * first is reached by a client started after it.  A program is started
 * once the one before it has registered a service or exited.  When all
 * but the console driver and the device manager have exited the machine
 * ends (daemons= names other servers not waited for either), once the
 * driver has sent what it was given (CONSOLE_SYNC):
 * status 0 if each exited with 0.  A program that faults without handling it (libvg/fault.h)
 * ends the machine at once, with status 1, after saying what happened.
 * The root task itself prints on the kernel's console to the end.
 */
#include <libvg/libvg.h>

#define QUOTA_FRAMES	(4 * 129)	/* four folios each */
#define TRACED_QUOTA	(24 * 129)	/* the tracer and its program */
#define MANAGER_QUOTA	(16 * 129)	/* a folio per function claimed */

/* A program the root task started, and the messenger it reports on. */
struct child {
	struct vg_act_handler h;	/* id of PARENT: first member */
	char name[VG_ENV_NAME_LEN];
	const struct vg_boot_module *mod;
	const char *args;		/* its module's line after the name */
	bool traced;
	bool driver;			/* the console driver (console=) */
	bool manager;			/* the device manager (devices=) */
	bool daemon;			/* serves to the end (daemons=) */
	struct vg_spawn sp;
	vg_addr_t parent;		/* messenger: the child's reports */
	vg_addr_t parent_weak;		/* the send right the child gets */
	vg_addr_t inbox;		/* where a report's capability lands */
	uint64_t thread_id;
	volatile uint64_t settled;	/* registered a service, or exited */
	volatile uint64_t exited;
	int64_t status;
};

static struct child children[VG_BOOT_MODULES_MAX];
static unsigned nchildren;
static vg_addr_t service = VG_ADDR_VOID;	/* the last one registered */
static vg_addr_t console = VG_ADDR_VOID;	/* the console driver's */

/* Receive the next report, inline: four words and a capability. */
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

/* In the activation handler: CH faulted.  Nothing more can come right
 * of this run. */
static _Noreturn void
child_faulted(struct child *ch, const uint64_t *w)
{
	struct vg_fault f;
	char what[160];

	vg_fault_unpack(w, &f);
	vg_fault_describe(&f, what, sizeof(what));
	printf("root: FAILURE: the program \"%s\" (%s %lu) faulted: %s.  "
	    "Ending the machine with status 1.\n", ch->name,
	    ch->traced ? "under the tracer, whose thread is" : "thread",
	    (unsigned long)ch->thread_id, what);
	vg_exit(1);
}

/* In the activation handler: a child reported. */
static void
on_report(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct child *ch = (struct child *)(void *)h;
	struct vg_runtime *rt = vg_self();
	const uint64_t *w = a->inline_words;
	vg_addr_t slot;
	enum vg_err err;

	if (!(a->reason & VG_ACTIVATION_RECEIVED))
		return;
	switch (w[0]) {
	case VG_PARENT_REGISTER:
		printf("root: %s registered service %#lx and sent a "
		    "capability with it%s.\n", ch->name, (unsigned long)w[1],
		    (a->inline_ncaps == 1 && !(a->cap_void & 1)) ? "" :
		    " -- but it arrived void");
		slot = vg_slot_alloc(&rt->slots);
		err = vg_as_copy(vg_kcall(), rt->self_root, slot,
		    ch->inbox, 0, (struct vg_cap_translator){ 0 });
		if (err != VG_OK)
			printf("root: cannot keep it: %s\n", vg_strerror(err));
		else if (ch->driver)
			console = slot;
		else
			service = slot;
		ch->settled = 1;
		break;
	case VG_PARENT_EXIT:
		ch->status = (int64_t)w[1];
		printf("root: %s exited with status %ld.\n", ch->name,
		    (long)ch->status);
		ch->exited = 1;
		ch->settled = 1;
		break;
	case VG_PARENT_FAULT:
		child_faulted(ch, &w[1]);
	case VG_PARENT_REPORT:
		printf("root: %s reports %#lx: %#lx, %#lx.\n", ch->name,
		    (unsigned long)w[1], (unsigned long)w[2],
		    (unsigned long)w[3]);
		break;
	default:
		printf("root: %s sent an unknown report %#lx.\n", ch->name,
		    (unsigned long)w[0]);
		break;
	}
	err = arm(ch);
	if (err != VG_OK)
		printf("root: cannot listen to %s: %s\n", ch->name,
		    vg_strerror(err));
}

/*
 * The boot module whose line names program NAME (its second word), and
 * in *ARGS the rest of the line; NULL if none.
 */
static const struct vg_boot_module *
module_named(const struct vg_boot_info *bi, const char *name,
    const char **args)
{
	size_t n = strlen(name);

	for (uint32_t i = 0; i < bi->nmodules && i < VG_BOOT_MODULES_MAX;
	    i++) {
		const char *s = bi->module[i].name, *w;

		while (*s != '\0' && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
		w = s;
		while (*s != '\0' && *s != ' ')
			s++;
		if ((size_t)(s - w) == n && strncmp(w, name, n) == 0) {
			while (*s == ' ')
				s++;
			*args = s;
			return &bi->module[i];
		}
	}
	return NULL;
}

/*
 * Give the console driver CH the device its arguments name, made in a
 * folio of its own activity: it pays for its objects, and they go when
 * it does.
 */
static enum vg_err
give_device(struct child *ch)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *kc = vg_kcall();
	vg_addr_t folio = vg_slot_alloc(&rt->slots);
	vg_addr_t ports = vg_slot_alloc(&rt->slots);
	vg_addr_t irq = vg_slot_alloc(&rt->slots);
	uint64_t port, line;
	enum vg_err err;

	if (!vg_cmdline_number(ch->args, "port", &port) ||
	    !vg_cmdline_number(ch->args, "irq", &line) || port > 0xfff8 ||
	    line > UINT32_MAX)
		return VG_ERR_INVALID;
	if (vg_addr_is_void(irq))
		return VG_ERR_NO_STORAGE;
	err = vg_activity_folio_alloc(kc, ch->sp.activity, folio);
	if (err == VG_OK)
		err = vg_ioport_control_create(kc, vg_as_root_slot(&rt->as,
		    VG_SLOT_IOPORT_CONTROL), (uint32_t)port, 8, folio, 0,
		    ports);
	if (err == VG_OK)
		err = vg_irq_control_create(kc, vg_as_root_slot(&rt->as,
		    VG_SLOT_IRQ_CONTROL), (uint32_t)line, folio, 1, irq);
	if (err == VG_OK)
		err = vg_spawn_give(&ch->sp, &rt->as, VG_SLOT_IOPORT, ports, 0);
	if (err == VG_OK)
		err = vg_spawn_give(&ch->sp, &rt->as, VG_SLOT_IRQ, irq, 0);
	if (err == VG_OK)
		printf("root: %s is the console driver: it gets ports %#lx.."
		    "%#lx and interrupt line %lu.\n", ch->name,
		    (unsigned long)port, (unsigned long)port + 7,
		    (unsigned long)line);
	return err;
}

/*
 * Give the device manager CH the device controls: the authority over
 * every device but the kernel's own, which it divides among its drivers.
 */
static enum vg_err
give_controls(struct child *ch)
{
	static const unsigned slot[] = { VG_SLOT_IRQ_CONTROL,
	    VG_SLOT_IOPORT_CONTROL, VG_SLOT_DEVMEM_CONTROL,
	    VG_SLOT_DMA_CONTROL };
	struct vg_runtime *rt = vg_self();
	enum vg_err err = VG_OK;

	for (unsigned i = 0; i < 4 && err == VG_OK; i++)
		err = vg_spawn_give(&ch->sp, &rt->as, slot[i],
		    vg_as_root_slot(&rt->as, slot[i]), 0);
	if (err == VG_OK)
		printf("root: %s is the device manager: it gets the interrupt, "
		    "I/O port, device-memory and DMA controls.\n", ch->name);
	return err;
}

/* Build program CH from its module, with a send right to report to us;
 * under the tracer TRACER if CH is traced. */
static enum vg_err
load(struct child *ch, const struct vg_boot_module *tracer)
{
	struct vg_runtime *rt = vg_self();
	const struct vg_boot_module *img = ch->traced ? tracer : ch->mod;
	uint64_t usage = 0;
	enum vg_err err;

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
	ch->sp.image = VG_PTR(img->start);
	ch->sp.size = img->size;
	ch->sp.quota = ch->manager ? MANAGER_QUOTA : QUOTA_FRAMES;
	ch->sp.args = ch->args;
	/* My console, so that they can tell what they do; the power stays
	 * mine: only I end the machine. */
	ch->sp.give = vg_addr_is_void(console) ? VG_SPAWN_GIVE_CONSOLE : 0;
	if (ch->traced) {
		/* The tracer starts the program: its image, size and name
		 * (user/rpctrace/main.c); the arguments are the program's. */
		ch->sp.quota = TRACED_QUOTA;
		ch->sp.nargs = 7;
		ch->sp.arg[0] = ch->mod->start;
		ch->sp.arg[1] = ch->mod->size;
		vg_words_from_str(&ch->sp.arg[2], 5, ch->name);
	}
	err = vg_spawn_load(&ch->sp, &rt->as);
	if (err == VG_OK && ch->traced)
		err = vg_spawn_share(&ch->sp, &rt->as, ch->mod->start,
		    ch->mod->size);
	if (err == VG_OK)
		err = vg_spawn_give(&ch->sp, &rt->as, VG_SLOT_PARENT,
		    ch->parent_weak, 0);
	if (err == VG_OK && !vg_addr_is_void(service))
		err = vg_spawn_give(&ch->sp, &rt->as, VG_SLOT_SERVICE, service,
		    0);
	if (err == VG_OK && !vg_addr_is_void(console))
		err = vg_spawn_give(&ch->sp, &rt->as, VG_SLOT_CONSOLE, console,
		    0);
	if (err == VG_OK && ch->driver)
		err = give_device(ch);
	if (err == VG_OK && ch->manager)
		err = give_controls(ch);
	if (err == VG_OK)
		err = vg_thread_id(vg_kcall(), ch->sp.thread, &ch->thread_id);
	if (err != VG_OK)
		return err;
	(void)vg_activity_info(vg_kcall(), ch->sp.activity, &usage, NULL,
	    NULL);
	printf("root: loaded %s%s from module \"%s\" (%lu bytes): %u pages "
	    "of image, entry %#lx, in a new address space with its own "
	    "activity (quota %lu frames, %lu in use) and a stopped thread "
	    "(object %lu)%s%s.\n", ch->name, ch->traced ? " under the tracer" :
	    "", ch->mod->name, (unsigned long)ch->mod->size, ch->sp.pages,
	    (unsigned long)ch->sp.entry, (unsigned long)ch->sp.quota,
	    (unsigned long)usage, (unsigned long)ch->thread_id,
	    vg_addr_is_void(service) ? "" : "; it gets the last service "
	    "registered in its slot 137", vg_addr_is_void(console) ? "" :
	    "; its console is the console driver's");
	return VG_OK;
}

static _Noreturn void
give_up(const char *what, const char *name, enum vg_err err)
{
	printf("root: %s %s: %s.  Ending the machine with status 2.\n", what,
	    name, vg_strerror(err));
	vg_exit(2);
}

/* The children the command line names, in order, found in BI. */
static void
plan(const struct vg_boot_info *bi, const struct vg_boot_module **tracer)
{
	static char start[256];
	char tname[VG_ENV_NAME_LEN];
	const char *tracer_args;
	char *p = start;

	*tracer = NULL;
	if (vg_cmdline_value(bi->cmdline, "tracer", tname, sizeof(tname)))
		*tracer = module_named(bi, tname, &tracer_args);
	if (!vg_cmdline_value(bi->cmdline, "start", start, sizeof(start)) ||
	    start[0] == '\0') {
		printf("root: the kernel command line names no program to "
		    "start (start=a,b,...; make run APP=name writes it).  "
		    "Ending the machine with status 2.\n");
		vg_exit(2);
	}
	while (*p != '\0') {
		struct child *ch;
		char *e = p;

		while (*e != '\0' && *e != ',')
			e++;
		if (*e == ',')
			*e++ = '\0';
		if (nchildren == VG_BOOT_MODULES_MAX)
			give_up("too many programs from", p, VG_ERR_INVALID);
		ch = &children[nchildren++];
		strlcpy(ch->name, p, sizeof(ch->name));
		ch->mod = module_named(bi, ch->name, &ch->args);
		if (ch->mod == NULL)
			give_up("there is no boot module for", ch->name,
			    VG_ERR_INVALID);
		ch->traced = vg_cmdline_lists(bi->cmdline, "trace",
		    ch->name) == 1;
		ch->driver = vg_cmdline_lists(bi->cmdline, "console",
		    ch->name) == 1;
		ch->manager = vg_cmdline_lists(bi->cmdline, "devices",
		    ch->name) == 1;
		ch->daemon = vg_cmdline_lists(bi->cmdline, "daemons",
		    ch->name) == 1;
		if ((ch->driver || ch->manager) && ch->traced)
			give_up("a driver is not traced:", ch->name,
			    VG_ERR_INVALID);
		if (ch->driver && ch->manager)
			give_up("the console driver is no device manager:",
			    ch->name, VG_ERR_INVALID);
		if (ch->traced && *tracer == NULL)
			give_up("no tracer (tracer=) to trace", ch->name,
			    VG_ERR_INVALID);
		p = e;
	}
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	const struct vg_boot_info *bi = rt->boot;
	const struct vg_boot_module *tracer;
	uint64_t usage = 0, depth = 0, id = 0;
	unsigned failed = 0;
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
		err = vg_activity_info(vg_kcall(), rt->activity, &usage, NULL,
		    &depth);
	if (err != VG_OK)
		give_up("kernel calls fail", "", err);
	printf("root: libvg is set up: my thread (object %lu) has an "
	    "activation handler, an exception messenger and call "
	    "messengers.  The root activity (depth %lu) has %lu frames in "
	    "use.\n", (unsigned long)id, (unsigned long)depth,
	    (unsigned long)usage);
	printf("root: [activation] lines are my activation handler's trace: "
	    "each time the kernel activates my thread it says why "
	    "(RECEIVED: a message arrived; DELIVERED: a message I sent "
	    "arrived), on which messenger, how many more activations are "
	    "queued, and where my thread was interrupted.\n");

	plan(bi, &tracer);
	for (unsigned i = 0; i < nchildren; i++) {
		struct child *ch = &children[i];

		err = load(ch, tracer);
		if (err != VG_OK)
			give_up("cannot load", ch->name, err);
		printf("root: starting %s%s%s; I wait (suspended) until it "
		    "registers a service or exits.\n", ch->name,
		    ch->args[0] != '\0' ? " with arguments " : "", ch->args);
		err = vg_spawn_start(&ch->sp, &rt->as);
		if (err != VG_OK)
			give_up("cannot start", ch->name, err);
		vg_wait_nonzero(&ch->settled);
	}

	printf("root: every program has started; I wait for all to exit.\n");
	for (unsigned i = 0; i < nchildren; i++) {
		/* The console driver, the device manager and the daemons
		 * serve to the end. */
		if ((children[i].driver || children[i].manager ||
		    children[i].daemon) && !children[i].exited)
			continue;
		vg_wait_nonzero(&children[i].exited);
		if (children[i].status != 0)
			failed++;
	}
	if (!vg_addr_is_void(console)) {
		err = vg_console_sync(console);
		printf("root: the console driver has sent everything: %s.\n",
		    vg_strerror(err));
	}
	(void)vg_activity_info(vg_kcall(), rt->activity, &usage, NULL, NULL);
	printf("root: done: programs %u, failed %u; the root activity has %lu "
	    "frames in use; I handled %lu activations.\n", nchildren,
	    failed, (unsigned long)usage,
	    (unsigned long)vg_act_stack.state.handled);
	if (failed == 0) {
		printf("root: SUCCESS: every program exited with status 0.  "
		    "Ending the machine with status 0.\n");
		return 0;
	}
	printf("root: FAILURE.  Ending the machine with status 1.\n");
	return 1;
}
