/*
 * A program's faults (libvg/fault.h): its exception messenger, the
 * handler it may set, and the default that reports and stops.
 */
#include <vg/ipc.h>

#include <libvg/as.h>
#include <libvg/env.h>
#include <libvg/fault.h>
#include <libvg/methods.h>
#include <libvg/names.h>
#include <libvg/stdio.h>
#include <libvg/syscall.h>

static vg_fault_fn user_fn;

void
vg_fault_handler_set(vg_fault_fn fn)
{
	user_fn = fn;
}

void
vg_fault_of(const struct vg_activation *a, struct vg_fault *f)
{
	*f = (struct vg_fault){
		.address = a->fault_address,
		.ip = a->fault_ip,
		.error = (enum vg_err)a->error,
		.vector = a->error == VG_ERR_EXCEPTION ? a->exception : 14,
		.info = a->fault_info,
		.access = (enum vg_fault_access)a->fault_access,
		.consumed = a->fault_consumed,
		.remaining = a->fault_remaining,
	};
}

/* The processor exceptions a program can raise, by vector. */
static const char *
exception_name(uint32_t vector)
{
	static const char *const names[] = {
		[0] = "#DE divide error", [1] = "#DB debug",
		[3] = "#BP breakpoint", [4] = "#OF overflow",
		[5] = "#BR bound range", [6] = "#UD invalid opcode",
		[7] = "#NM no FPU", [10] = "#TS invalid TSS",
		[11] = "#NP segment not present", [12] = "#SS stack fault",
		[13] = "#GP general protection", [14] = "#PF page fault",
		[16] = "#MF floating point", [17] = "#AC alignment check",
		[19] = "#XM SIMD floating point",
	};

	if (vector < sizeof(names) / sizeof(names[0]) && names[vector] != NULL)
		return names[vector];
	return "exception";
}

void
vg_fault_describe(const struct vg_fault *f, char *buf, size_t size)
{
	static const char *const access[] = {
		[VG_FAULT_READ] = "read", [VG_FAULT_WRITE] = "write",
		[VG_FAULT_EXECUTE] = "execute",
	};
	int n;

	if (size == 0)
		return;
	if (f->error == VG_ERR_EXCEPTION)
		n = vg_snprintf(buf, size, "%s (vector %u) at ip %#lx",
		    exception_name(f->vector), f->vector,
		    (unsigned long)f->ip);
	else
		n = vg_snprintf(buf, size, "%s at %#lx, ip %#lx: %s",
		    (f->info & VG_FAULT_INFO_ACCESS) &&
		    f->access <= VG_FAULT_EXECUTE ? access[f->access] :
		    "access", (unsigned long)f->address, (unsigned long)f->ip,
		    vg_strerror(f->error));
	if (n < 0 || (size_t)n >= size)
		return;
	if (f->info & VG_FAULT_INFO_TRANSLATION)
		vg_snprintf(buf + n, size - (size_t)n, " (the capability "
		    "translation stopped after %u bits, %u left)", f->consumed,
		    f->remaining);
	else if (f->error == VG_ERR_VOID)
		vg_snprintf(buf + n, size - (size_t)n, " (the whole address "
		    "translated, to an empty slot)");
	else if (f->error != VG_ERR_EXCEPTION)
		vg_snprintf(buf + n, size - (size_t)n, " (the whole address "
		    "translated; what is there does not allow it)");
}

void
vg_fault_pack(const struct vg_fault *f, uint64_t w[3])
{
	w[0] = f->address;
	w[1] = f->ip;
	w[2] = (uint64_t)((uint32_t)f->error & 0xffffu) |
	    (uint64_t)(f->vector & 0xffu) << 16 |
	    (uint64_t)(f->info & 0xffu) << 24 |
	    (uint64_t)((unsigned)f->access & 0xffu) << 32 |
	    (uint64_t)(f->consumed & 0xffu) << 40 |
	    (uint64_t)(f->remaining & 0xffu) << 48;
}

void
vg_fault_unpack(const uint64_t w[3], struct vg_fault *f)
{
	*f = (struct vg_fault){
		.address = w[0],
		.ip = w[1],
		.error = (enum vg_err)(w[2] & 0xffff),
		.vector = (uint32_t)(w[2] >> 16) & 0xff,
		.info = (unsigned)(w[2] >> 24) & 0xff,
		.access = (enum vg_fault_access)((w[2] >> 32) & 0xff),
		.consumed = (unsigned)(w[2] >> 40) & 0xff,
		.remaining = (unsigned)(w[2] >> 48) & 0xff,
	};
}

/* VG_PARENT_FAULT with F, from the boot messenger. */
static void
report(const struct vg_fault *f)
{
	struct vg_runtime *rt = vg_self();
	uint64_t w[3];
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(4) | VG_IPC_RETURN,
		.target = rt->parent,
		.send_messenger = rt->messenger,
	};

	vg_fault_pack(f, w);
	a.inline_words[0] = VG_PARENT_FAULT;
	a.inline_words[1] = w[0];
	a.inline_words[2] = w[1];
	a.inline_words[3] = w[2];
	/* Its last message may still be queued on the parent. */
	for (unsigned tries = 0; tries < 1000000; tries++) {
		if (vg_ipc(&a) != VG_ERR_BUSY)
			return;
	}
}

/* The default: say what happened, tell the parent, stop. */
static _Noreturn void
fault_fatal(const struct vg_fault *f)
{
	struct vg_runtime *rt = vg_self();
	struct vg_exregs stop = { .control = VG_EXREGS_STOP };
	char what[160];
	uint64_t id = 0;

	vg_fault_describe(f, what, sizeof(what));
	(void)vg_thread_id(vg_kcall(), rt->thread, &id);
	vg_printf("%s (thread %lu): fault: %s\n", rt->name, (unsigned long)id,
	    what);
	vg_flush();
	if (rt->root)
		vg_exit(1);
	report(f);
	(void)vg_thread_exregs(vg_kcall(), rt->thread, &stop, NULL);
	for (;;)
		vg_suspend();
}

static void
on_fault(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_fault f;

	(void)h;
	if (!(a->reason & VG_ACTIVATION_FAULT))
		return;
	vg_fault_of(a, &f);
	if (user_fn != NULL && user_fn(&f, &vg_act_stack.state.frame))
		return;
	fault_fatal(&f);
}

static struct vg_act_handler fault_handler = { .fn = on_fault,
    .name = "fault" };

enum vg_err
vg_fault_init(void)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t slot = vg_addr_extend(rt->thread, VG_THREAD_SLOT_EXCEPTION,
	    VG_OBJECT_SLOTS_LOG2);
	enum vg_type type = VG_TYPE_VOID;
	vg_addr_t e = VG_ADDR_VOID;
	enum vg_err err;

	/* A parent that handles my faults itself has put its messenger
	 * there already. */
	err = vg_as_read(vg_kcall(), rt->self_root, slot, &type, NULL);
	if (err != VG_OK || type != VG_TYPE_VOID)
		return err;
	vg_act_register(&fault_handler);
	err = vg_messenger_new(&e, 0, vg_act_id(&fault_handler));
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root, slot, e, 0,
		    (struct vg_cap_translator){ 0 });
	return err;
}
