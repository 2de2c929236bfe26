/*
 * counter-server: keeps a total that clients add to.
 *
 * It makes a receiver (a messenger clients hold send rights to, whose
 * requests activate this thread), registers a send right to it with its
 * parent, and waits.  Each request runs serve() in the activation
 * handler.  COUNTER_VIEW answers with a capability: a read-only page
 * (rpage) holding the total, which the client then reads without asking.
 */
#include <libvg/libvg.h>

#include "counter.h"

static struct vg_receiver rx;
static volatile uint64_t done;
static volatile uint64_t *total;	/* in a page of mine */
static vg_addr_t total_rpage;		/* a read-only capability to it */

static void
serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	struct vg_message *m;

	(void)a;
	switch (vg_msg_word(req, 0)) {
	case COUNTER_ADD:
		*total += vg_msg_word(req, 1);
		m = vg_reply_begin(r, VG_OK);
		vg_msg_put_word(m, *total);
		break;
	case COUNTER_VIEW:
		m = vg_reply_begin(r, VG_OK);
		vg_msg_put_cap(m, total_rpage);
		break;
	case COUNTER_BYE:
		m = vg_reply_begin(r, VG_OK);
		vg_msg_put_word(m, r->requests);
		done = 1;
		break;
	default:
		vg_reply_begin(r, VG_ERR_METHOD);
		break;
	}
	if (vg_reply_send(r) != VG_OK)
		printf("counter-server: a reply was lost\n");
}

int
main(void)
{
	uint64_t page = vg_page_alloc(1);
	enum vg_err err = page != 0 ? VG_OK : VG_ERR_NO_STORAGE;

	if (err == VG_OK) {
		total = VG_PTR(page);
		err = vg_weak_copy(vg_addr_of_data(page), &total_rpage);
	}
	if (err == VG_OK)
		err = vg_receiver_create(&rx, "counter", NULL, 0, serve, NULL);
	if (err == VG_OK)
		err = vg_receiver_arm(&rx);
	if (err == VG_OK)
		err = vg_parent_send(VG_PARENT_REGISTER, COUNTER_SERVICE_ID,
		    rx.weak);
	if (err != VG_OK) {
		printf("counter-server: cannot set up: %s\n",
		    vg_strerror(err));
		return 1;
	}
	printf("counter-server: ready; my parent has a send right to me.\n");
	vg_wait_nonzero(&done);
	printf("counter-server: done after %lu requests; the total is %lu.\n",
	    (unsigned long)rx.requests, (unsigned long)*total);
	return 0;
}
