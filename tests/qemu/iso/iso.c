/*
 * In-VM test program "tiso": the attacker of the isolation group's fault
 * cases (tests/qemu/root/t_iso_faults.c).  It holds only what every
 * program gets -- its own thread, activity, space and messengers -- and
 * tries to make the kernel loop on its faults.  Its first argument is
 * the attack (enum t_iso_attack, tests/qemu/common/tproto.h); the
 * resource attacks and their bystanders are resources.c's and watch.c's.
 */
#include "iso.h"

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
	enum vg_err err = t_faults_to_me(&handler);

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

/*
 * T_ISO_PENDING_SEND: a virtual cappage of mine, and on every INDEX the
 * attack first: the request carries a reply right to the client's
 * messenger, whose send is suspended on me; I invoke a kernel object
 * with that right as the reply messenger, so that the kernel's reply
 * goes to the client's messenger while its message is still to be
 * delivered.  Then I answer, truthfully, with a page of mine.
 */
static struct vg_virtualizer virt;
static vg_addr_t provoker, answer_page;
static volatile uint64_t indexes, provoked;

static struct vg_vanswer
virt_answer(struct vg_virtualizer *v, const struct vg_vreq *q)
{
	struct vg_runtime *rt = vg_self();
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN | VG_IPC_SEND_INLINE |
		    VG_IPC_INLINE_WORDS(1) | VG_IPC_INLINE_CAP,
		.target = rt->thread,
		.send_messenger = provoker,
		.inline_words = { VG_METHOD_THREAD_ID },
		.inline_cap = v->r.slot[0],	/* the reply right */
	};

	if (q->method != VG_METHOD_INDEX)
		return (struct vg_vanswer){ .err = VG_ERR_INVALID };
	indexes++;
	if (vg_ipc(&a) == VG_OK)
		provoked++;
	t_value(1, indexes);
	t_value(2, provoked);
	if (vg_addr_bits(q->residual, 0, 8) != T_ISO_VINDEX)
		return (struct vg_vanswer){ .err = VG_OK, .bits = 8,
		    .cap = VG_ADDR_VOID };
	return (struct vg_vanswer){ .err = VG_OK, .bits = 8,
	    .cap = answer_page };
}

static void
pending_send(void)
{
	uint64_t va = vg_page_alloc(1);
	enum vg_err err = va == 0 ? VG_ERR_NO_STORAGE : VG_OK;

	if (err == VG_OK) {
		*(volatile uint64_t *)VG_PTR(va) = T_ISO_VWORD;
		answer_page = vg_addr_of_data(va);
		err = vg_messenger_new(&provoker, 0, 0);
	}
	virt.answer = virt_answer;
	if (err == VG_OK)
		err = vg_virt_receiver_create(&virt.r, "iso.virt",
		    vg_virt_serve, NULL);
	if (err == VG_OK)
		err = vg_receiver_arm(&virt.r);
	if (err == VG_OK)
		err = vg_parent_send(VG_PARENT_REGISTER, 0x150, virt.r.weak);
	if (!t_check(err == VG_OK, "virtual cappage: %s", vg_strerror(err)))
		return;
	/* Serve until destroyed. */
	for (;;)
		vg_wait_nonzero(&t_mailbox()->value[7]);
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
	case T_ISO_PENDING_SEND:
		pending_send();
		break;
	case T_ISO_QUOTA_LIFT:
		iso_quota_lift();
		break;
	case T_ISO_GRANDCHILD:
		iso_grandchild();
		break;
	case T_ISO_PRIORITY:
		iso_priority();
		break;
	case T_ISO_THREAD_BOMB:
		iso_thread_bomb();
		break;
	case T_ISO_OBJECTS:
		iso_objects();
		break;
	case T_ISO_PT_BOMB:
		iso_pt_bomb();
		break;
	case T_ISO_PT_KEEP:
		iso_pt_keep();
		break;
	case T_ISO_WATCH:
		iso_watch();
		break;
	default:
		t_check(false, "no such attack %lu", (unsigned long)attack);
		break;
	}
	t_finish();
}
