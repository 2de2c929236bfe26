/*
 * Serving requests at user level (libvg/server.h).
 */
#include <stddef.h>
#include <stdint.h>

#include <vg/ipc.h>
#include <vg/utcb.h>

#include <libvg/activation.h>
#include <libvg/as.h>
#include <libvg/env.h>
#include <libvg/names.h>
#include <libvg/server.h>
#include <libvg/stdio.h>
#include <libvg/syscall.h>

static void
on_request(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_receiver *r = (struct vg_receiver *)(void *)h;
	enum vg_err err;

	if (a->reason & VG_ACTIVATION_RECEIVED) {
		r->requests++;
		if (r->serve != NULL)
			r->serve(r, r->buf, a);
		/* Ready for the next one (one that queued meanwhile is
		 * delivered now, and its activation collected). */
		err = vg_receiver_arm(r);
		if (err != VG_OK)
			vg_printf("%s: cannot receive again: %s\n", r->name,
			    vg_strerror(err));
	}
	if (a->reason & VG_ACTIVATION_ERROR)
		vg_printf("%s: error on the receiving messenger: %s\n",
		    r->name, vg_strerror((enum vg_err)a->error));
}

static void
on_reply(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct vg_receiver *r = (struct vg_receiver *)(void *)((char *)h -
	    offsetof(struct vg_receiver, on_reply));

	if (r->trace && (a->reason & VG_ACTIVATION_DELIVERED))
		vg_printf("%s: activation: my reply was delivered to the "
		    "client\n", r->name);
	if (a->reason & VG_ACTIVATION_ERROR)
		vg_printf("%s: my reply failed: %s\n", r->name,
		    vg_strerror((enum vg_err)a->error));
}

enum vg_err
vg_receiver_create(struct vg_receiver *r, const char *name,
    const vg_addr_t *slots, uint32_t n, vg_serve_fn *serve, void *cookie)
{
	struct vg_runtime *rt = vg_self();
	uint64_t pages;
	enum vg_err err;

	*r = (struct vg_receiver){
		.on_request = { .fn = on_request, .name = name },
		.on_reply = { .fn = on_reply, .name = name },
		.name = name,
		.serve = serve,
		.cookie = cookie,
	};
	if (n + 1 > VG_RECEIVER_SLOTS)
		return VG_ERR_INVALID;
	pages = vg_page_alloc(2);
	if (pages == 0)
		return VG_ERR_NO_STORAGE;
	r->buf = VG_PTR(pages);
	r->rbuf = VG_PTR(pages + VG_PAGE_SIZE);
	r->slot[0] = vg_slot_alloc(&rt->slots);
	if (vg_addr_is_void(r->slot[0]))
		return VG_ERR_NO_STORAGE;
	for (uint32_t i = 0; i < n; i++)
		r->slot[1 + i] = slots[i];
	r->nslots = 1 + n;
	err = vg_messenger_new(&r->msgr, pages, vg_act_id(&r->on_request));
	if (err == VG_OK)
		err = vg_messenger_new(&r->rsend, pages + VG_PAGE_SIZE,
		    vg_act_id(&r->on_reply));
	if (err == VG_OK)
		err = vg_weak_copy(r->msgr, &r->weak);
	if (err != VG_OK)
		return err;
	vg_act_register(&r->on_request);
	vg_act_register(&r->on_reply);
	return VG_OK;
}

enum vg_err
vg_receiver_arm(struct vg_receiver *r)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_SET_THREAD_TO_CALLER | VG_IPC_RETURN,
		.recv_messenger = r->msgr,
	};

	vg_msg_preload(r->buf, r->slot, r->nslots);
	return vg_ipc(&a);
}

struct vg_message *
vg_reply_begin(struct vg_receiver *r, enum vg_err err)
{
	vg_message_clear(r->rbuf);
	(void)vg_message_append_word(r->rbuf, (uint64_t)err);
	return r->rbuf;
}

enum vg_err
vg_reply_send(struct vg_receiver *r)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_SEND_NONBLOCKING |
		    VG_IPC_SEND_ACTIVATE | VG_IPC_SEND_SET_THREAD_TO_CALLER |
		    VG_IPC_RETURN,
		.target = r->slot[0],
		.send_messenger = r->rsend,
	};

	if (!vg_msg_cap_arrived(r->buf, 0))
		return VG_ERR_VOID;	/* the request named no reply messenger */
	return vg_ipc(&a);
}
