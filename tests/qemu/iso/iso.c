/*
 * In-VM test program "tiso": the attacker of the isolation group's fault
 * cases (tests/qemu/root/t_iso_faults.c).  It holds only what every
 * program gets -- its own thread, activity, space and messengers -- and
 * tries to make the kernel loop on its faults.  Its first argument is
 * the attack (enum t_iso_attack, tests/qemu/common/tproto.h).
 */
#include "../common/tlib.h"

static volatile uint64_t faults;
static struct vg_activation last;

static void
on_fault(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	last = *a;
	faults++;
}

static struct vg_act_handler handler = { .fn = on_fault,
    .name = "my faults" };

/* Make a messenger of mine my thread's exception messenger: my faults
 * come back to me, and nobody else hears of them. */
static bool
report_to_myself(void)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t e = VG_ADDR_VOID;
	enum vg_err err;

	vg_act_register(&handler);
	err = vg_messenger_new(&e, 0, vg_act_id(&handler));
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(rt->thread, VG_THREAD_SLOT_EXCEPTION, 2), e,
		    0, (struct vg_cap_translator){ 0 });
	return t_check(err == VG_OK, "my exception messenger: %s",
	    vg_strerror(err));
}

static enum vg_err
set_handler(uint64_t ip)
{
	struct vg_exregs old;
	struct vg_exregs_old was;
	enum vg_err err;

	/* Keep the stack: only the entry point is the attack. */
	old = (struct vg_exregs){ .control = 0 };
	err = vg_thread_exregs(vg_kcall(), vg_self()->thread, &old, &was);
	if (err != VG_OK)
		return err;
	return vg_thread_exregs(vg_kcall(), vg_self()->thread,
	    &(struct vg_exregs){ .control = VG_EXREGS_SET_HANDLER,
	    .handler_ip = ip, .handler_sp = was.handler_sp }, &was);
}

int
main(void)
{
	struct t_mailbox *mb = t_mailbox();
	uint64_t attack = t_arg(0, T_ISO_ATTACKS);

	switch (attack) {
	case T_ISO_HANDLER_KERNEL:
		/* A handler in the kernel's half, and one that is not even
		 * canonical: the kernel would fault on its way to either. */
		t_value(1, set_handler(0xffffffff80100000ull));
		t_value(2, set_handler(0x0000800000000000ull));
		t_value(3, set_handler(0x8000000000001000ull));
		break;
	case T_ISO_HANDLER_UNMAPPED:
		/* A handler where nothing is mapped, my own faults reported
		 * to me: the activation faults, and that fault's activation
		 * would fault again, for ever. */
		if (!report_to_myself())
			break;
		t_value(1, set_handler(0x0000700000000000ull));
		mb->stage = T_FAULT_STAGE_ABOUT;
		__asm__ volatile("ud2");
		/* Only if the kernel let me go on. */
		mb->stage = T_FAULT_STAGE_RECOVERED;
		break;
	case T_ISO_TRAP_FLAG:
		/* The trap flag set, my faults reported to me: every
		 * instruction of my handler would trap again. */
		if (!report_to_myself())
			break;
		mb->stage = T_FAULT_STAGE_ABOUT;
		__asm__ volatile(
		    "pushfq\n\t"
		    "orq $0x100, (%%rsp)\n\t"
		    "popfq\n\t"
		    "nop\n\t"
		    "nop\n\t" : : : "memory", "cc");
		mb->stage = T_FAULT_STAGE_RECOVERED;
		t_value(1, faults);
		t_value(2, last.exception);
		t_check(faults == 1 && last.exception == 1 &&
		    (last.reason & VG_ACTIVATION_FAULT),
		    "%lu fault activations, the last for vector %u",
		    (unsigned long)faults, last.exception);
		break;
	default:
		t_check(false, "no such attack %lu", (unsigned long)attack);
		break;
	}
	t_finish();
}
