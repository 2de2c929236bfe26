/*
 * The run time (libvg/env.h): from the kernel's (or the loader's)
 * starting environment to call contexts and an activation handler, in
 * the run-time record of self.c.
 *
 * Bootstrap.  The only messenger a program has at first is the boot
 * messenger (VG_SLOT_MESSENGER) with its buffer page; the boot call
 * context uses it as both send and reply messenger (call.c explains the
 * limits).  With it the run time allocates objects, builds the pages of
 * its heap and creates three call contexts of two messengers each:
 * kernel calls of the main code, calls of the main code to servers, and
 * kernel calls of the activation handler (which must not share messengers
 * with the code it interrupts).
 */
#include <stdbool.h>
#include <stdint.h>

#include <vg/boot.h>
#include <vg/ipc.h>
#include <vg/method.h>
#include <vg/utcb.h>

#include <libvg/activation.h>
#include <libvg/args.h>
#include <libvg/as.h>
#include <libvg/call.h>
#include <libvg/console.h>
#include <libvg/env.h>
#include <libvg/fault.h>
#include <libvg/methods.h>
#include <libvg/names.h>
#include <libvg/stdio.h>
#include <libvg/string.h>
#include <libvg/syscall.h>

void
vg_suspend(void)
{
	struct vg_ipc_args a = { .flags = 0 };

	(void)vg_ipc(&a);
}

static _Noreturn void
fail(const char *what, enum vg_err err)
{
	struct vg_runtime *rt = vg_self();

	vg_printf("%s: libvg: cannot start: %s: %s\n", rt->name, what,
	    vg_strerror(err));
	vg_flush();
	if (!rt->root && !vg_addr_is_void(rt->parent))
		(void)vg_parent_send(VG_PARENT_EXIT, 127, VG_ADDR_VOID);
	if (rt->root)
		(void)vg_halt(3);
	for (;;)
		vg_suspend();
}

uint64_t
vg_page_alloc(unsigned npages)
{
	struct vg_runtime *rt = vg_self();
	uint64_t va = rt->heap_next;
	uint64_t size = (uint64_t)npages * VG_PAGE_SIZE;

	if (npages == 0 || size > VG_HEAP_END - va)
		return 0;
	if (vg_as_map_new(&rt->as, va, size, VG_AS_WRITE) != VG_OK)
		return 0;
	rt->heap_next += size;
	return va;
}

enum vg_err
vg_messenger_new(vg_addr_t *m, uint64_t buffer_va, uint64_t id)
{
	struct vg_runtime *rt = vg_self();

	return vg_messenger_new_in(m, buffer_va, id, rt->ipc_root);
}

enum vg_err
vg_messenger_handled(vg_addr_t *m, uint64_t buffer_va,
    struct vg_act_handler *h,
    void (*fn)(struct vg_act_handler *, const struct vg_activation *),
    const char *name)
{
	*h = (struct vg_act_handler){ .fn = fn, .name = name };
	if (vg_act_register(h) != 0)
		return VG_ERR_NO_STORAGE;
	return vg_messenger_new(m, buffer_va, vg_act_id(h));
}

enum vg_err
vg_messenger_new_in(vg_addr_t *m, uint64_t buffer_va, uint64_t id,
    vg_addr_t aspace)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	struct vg_cap_translator none = { 0 };
	struct vg_cap_translator guard = {
		.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH };
	enum vg_err err;

	if (vg_addr_is_void(slot))
		return VG_ERR_NO_STORAGE;
	err = vg_obj_alloc(c, &rt->alloc, VG_TYPE_MESSENGER, slot);
	/* Its thread (activations) and its address space (where the
	 * addresses of its messages resolve), with the root's guard. */
	if (err == VG_OK)
		err = vg_as_copy(c, rt->self_root,
		    vg_addr_extend(slot, VG_MESSENGER_SLOT_THREAD, 2),
		    rt->thread, 0, none);
	if (err == VG_OK)
		err = vg_as_copy(c, rt->self_root,
		    vg_addr_extend(slot, VG_MESSENGER_SLOT_ASPACE, 2),
		    aspace, VG_CAP_COPY_GUARD, guard);
	if (err == VG_OK && buffer_va != 0)
		err = vg_as_copy(c, rt->self_root,
		    vg_addr_extend(slot, VG_MESSENGER_SLOT_BUFFER, 2),
		    vg_addr_of_data(buffer_va), 0, none);
	if (err == VG_OK && id != 0)
		err = vg_messenger_id_set(c, slot, id);
	if (err != VG_OK) {
		vg_slot_free(&rt->slots, slot);
		return err;
	}
	*m = slot;
	return VG_OK;
}

enum vg_err
vg_weak_copy(vg_addr_t src, vg_addr_t *out)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t slot = vg_slot_alloc(&rt->slots);
	enum vg_err err;

	if (vg_addr_is_void(slot))
		return VG_ERR_NO_STORAGE;
	err = vg_as_copy(vg_kcall(), rt->self_root, slot, src,
	    VG_CAP_COPY_WEAKEN, (struct vg_cap_translator){ 0 });
	if (err != VG_OK) {
		vg_slot_free(&rt->slots, slot);
		return err;
	}
	*out = slot;
	return VG_OK;
}

/*
 * A call context: two messengers with a heap page each, their addresses
 * resolved in ASPACE.  On a virtualized IPC root a kernel object's reply
 * can come late (a tracer forwards the call), so such a context waits
 * for it as for a server's (ASYNC).
 */
static enum vg_err
make_context(struct vg_call *c, const char *name, bool weak_reply,
    vg_addr_t aspace)
{
	struct vg_runtime *rt = vg_self();
	uint64_t pages = vg_page_alloc(2);
	vg_addr_t s, r, rw = VG_ADDR_VOID;
	enum vg_err err;

	if (pages == 0)
		return VG_ERR_NO_STORAGE;
	err = vg_messenger_new_in(&s, pages, vg_act_id(&c->on_send), aspace);
	if (err == VG_OK)
		err = vg_messenger_new_in(&r, pages + VG_PAGE_SIZE,
		    vg_act_id(&c->on_reply), aspace);
	if (err == VG_OK && weak_reply)
		err = vg_weak_copy(r, &rw);
	if (err != VG_OK)
		return err;
	vg_call_init(c, name, s, r, rw, VG_PTR(pages),
	    VG_PTR(pages + VG_PAGE_SIZE));
	c->async = memcmp(&aspace, &rt->self_root, sizeof(aspace)) != 0;
	vg_act_register(&c->on_send);
	vg_act_register(&c->on_reply);
	return VG_OK;
}

/* Is there a strong messenger at M?  Asks without changing it. */
static bool
have_messenger(vg_addr_t m)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_NONBLOCKING |
		    VG_IPC_RETURN,
		.recv_messenger = m,
	};
	enum vg_err err = vg_ipc(&a);

	return err == VG_OK || err == VG_ERR_WOULDBLOCK;
}

void
vg_runtime_init(void)
{
	struct vg_runtime *rt = vg_self();
	const struct vg_boot_info *bi = VG_PTR(VG_BOOT_INFO);
	const struct vg_env *env = VG_PTR(VG_BOOT_INFO);
	uint64_t message_page;
	enum vg_err err;

	memset(rt, 0, sizeof(*rt));
	/* What printing and halting need, before anything can fail. */
	rt->console = vg_boot_slot(VG_SLOT_CONSOLE);
	rt->power = vg_boot_slot(VG_SLOT_POWER);
	rt->messenger = vg_boot_slot(VG_SLOT_MESSENGER);
	vg_call_init(&rt->bcall, "boot", rt->messenger, rt->messenger,
	    VG_ADDR_VOID, VG_PTR(VG_MESSAGE_PAGE), VG_PTR(VG_MESSAGE_PAGE));
	if (bi->magic == VG_BOOT_MAGIC) {
		rt->root = true;
		rt->boot = bi;
		strlcpy(rt->name, "root", sizeof(rt->name));
		vg_args_init(rt->name, NULL);
		rt->utcb = VG_PTR(VG_BOOT_UTCB);
		message_page = VG_MESSAGE_PAGE;
	} else if (env->magic == VG_ENV_MAGIC) {
		rt->env = env;
		strlcpy(rt->name, env->name, sizeof(rt->name));
		vg_args_init(rt->name, env->version >= 2 ? env->args : NULL);
		rt->utcb = VG_PTR(env->utcb);
		message_page = env->message_page;
		rt->parent = vg_boot_slot(VG_SLOT_PARENT);
	} else {
		static const char msg[] = "libvg: no boot information and no "
		    "environment at VG_BOOT_INFO: cannot start\n";

		(void)vg_debug_write(msg, sizeof(msg) - 1);
		(void)vg_halt(3);
		for (;;)
			vg_suspend();
	}
	rt->thread = vg_boot_slot(VG_BOOT_SLOT_THREAD);
	rt->activity = vg_boot_slot(VG_BOOT_SLOT_ACTIVITY);
	rt->self_root = vg_boot_slot(VG_BOOT_SLOT_ROOT);
	rt->folio = vg_boot_slot(VG_BOOT_SLOT_FOLIO);
	rt->ipc_root = rt->self_root;
	if (rt->env != NULL && env->ipc_root > VG_BOOT_SLOT_ROOT &&
	    env->ipc_root < VG_CAPPAGE_SLOTS) {
		rt->ipc_root = vg_boot_slot(env->ipc_root);
		rt->ipc_virtual = true;
	}
	rt->heap_next = VG_HEAP_BASE;
	vg_slots_init(&rt->slots, VG_SLOT_FIRST_FREE, VG_CAPPAGE_SLOTS);
	if (rt->ipc_virtual) {
		/* Not a free slot: it holds the IPC root. */
		unsigned i = env->ipc_root;

		rt->slots.used[i / 64] |= 1ull << (i % 64);
	}

	if (!have_messenger(rt->messenger)) {
		vg_printf("%s: libvg: there is no messenger in slot %u "
		    "(VG_SLOT_MESSENGER).  Every invocation is sent from a "
		    "messenger, and a messenger can only be made by an "
		    "invocation: this kernel gives the root task none.  See "
		    "lib/vg/README.md, \"Kernel requirements\".\n", rt->name,
		    VG_SLOT_MESSENGER);
		fail("no boot messenger", VG_ERR_VOID);
	}
	vg_call_init(&rt->bcall, "boot", rt->messenger, rt->messenger,
	    VG_ADDR_VOID, VG_PTR(message_page), VG_PTR(message_page));

	/* Storage: the root task takes a fresh folio from the root
	 * activity (the kernel's is full of its image); others continue
	 * the folio their loader started. */
	rt->alloc.activity = rt->activity;
	rt->alloc.slots = &rt->slots;
	if (!rt->root) {
		rt->alloc.folio = rt->folio;
		rt->alloc.next = env->folio_next;
	}
	vg_as_init_self(&rt->as, NULL, rt->self_root, &rt->alloc, &rt->slots);

	/*
	 * The main code's contexts go through the IPC root.  The handler's
	 * stays on the real root: it collects queued activations, which it
	 * cannot do by waiting for one.  So does the bootstrap (the boot
	 * messenger is send and reply messenger at once, and there is no
	 * handler yet to be told of a late reply).
	 */
	err = make_context(&rt->kcall, "kernel", false, rt->ipc_root);
	if (err != VG_OK)
		fail("the kernel call context", err);
	err = make_context(&rt->hcall, "handler", false, rt->self_root);
	if (err != VG_OK)
		fail("the handler's call context", err);
	err = make_context(&rt->ucall, rt->name, true, rt->ipc_root);
	if (err != VG_OK)
		fail("the server call context", err);
	rt->ucall.name = rt->name;
	/* The console's, on the real root like the handler's: what a
	 * program prints is not the business of a tracer of its IPC. */
	err = make_context(&rt->pcall, "console", true, rt->self_root);
	if (err == VG_OK)
		err = make_context(&rt->hpcall, "console.handler", true,
		    rt->self_root);
	if (err != VG_OK)
		fail("the console's call contexts", err);
	err = vg_activation_init(rt->ipc_virtual ? &rt->bcall : &rt->kcall,
	    rt->thread, rt->utcb, &rt->hcall);
	if (err != VG_OK)
		fail("installing the activation handler", err);
	rt->ready = true;
	err = vg_fault_init();
	if (err != VG_OK)
		fail("the exception messenger", err);
}

enum vg_err
vg_parent_send(uint64_t w0, uint64_t w1, vg_addr_t cap)
{
	struct vg_runtime *rt = vg_self();
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE | VG_IPC_INLINE_WORDS(2) |
		    (vg_addr_is_void(cap) ? 0 : VG_IPC_INLINE_CAP) |
		    VG_IPC_RETURN,
		.target = rt->parent,
		.send_messenger = rt->messenger,
		.inline_words = { w0, w1 },
		.inline_cap = cap,
	};
	enum vg_err err;

	if (rt->root || vg_addr_is_void(rt->parent))
		return VG_ERR_INVALID;
	/* The boot messenger's last message may still be queued on the
	 * parent: wait for it to go (the parent runs meanwhile). */
	for (unsigned tries = 0;; tries++) {
		err = vg_ipc(&a);
		if (err != VG_ERR_BUSY || tries == 1000000)
			return err;
	}
}

_Noreturn void
vg_exit(int status)
{
	struct vg_runtime *rt = vg_self();

	vg_flush();
	if (rt->root) {
		/* A status the power object cannot carry is a failure. */
		enum vg_err err = vg_halt(status >= 0 &&
		    status <= (int)VG_POWER_STATUS_MAX ? status :
		    (int)VG_POWER_STATUS_MAX);

		vg_printf("%s: cannot end the machine (status %d): %s\n",
		    rt->name, status, vg_strerror(err));
		vg_flush();
	} else {
		(void)vg_parent_send(VG_PARENT_EXIT,
		    (uint64_t)(int64_t)status, VG_ADDR_VOID);
	}
	{
		struct vg_exregs stop = { .control = VG_EXREGS_STOP };

		(void)vg_thread_exregs(vg_kcall(), rt->thread, &stop, NULL);
	}
	for (;;)
		vg_suspend();
}

/* The boot module for program NAME: the first word of its command line
 * ends in NAME or NAME.elf, or a later word is NAME. */
const struct vg_boot_module *
vg_boot_find_module(const struct vg_boot_info *bi, const char *name)
{
	size_t n = strlen(name);

	for (uint32_t i = 0; i < bi->nmodules && i < VG_BOOT_MODULES_MAX;
	    i++) {
		const char *s = bi->module[i].name;
		const char *end = s, *base = s;

		while (*end != '\0' && *end != ' ')
			end++;
		for (const char *p = s; p < end; p++) {
			if (*p == '/')
				base = p + 1;
		}
		if ((size_t)(end - base) >= n && strncmp(base, name, n) == 0 &&
		    (base + n == end || strncmp(base + n, ".elf", 4) == 0))
			return &bi->module[i];
		while (*end == ' ') {
			const char *w = ++end;

			while (*end != '\0' && *end != ' ')
				end++;
			if ((size_t)(end - w) == n && strncmp(w, name, n) == 0)
				return &bi->module[i];
		}
	}
	return NULL;
}
