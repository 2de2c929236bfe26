/*
 * The demo's server: a text service in its own address space.
 *
 * It creates a messenger, gives its parent (the root task) a send right
 * to it -- an rmessenger -- and then does nothing but wait: its thread is
 * suspended until a request arrives, which activates it.  Each request is
 * served in the activation handler (libvg's dispatcher calls serve()),
 * and answered by a message sent to the reply messenger the client named
 * as capability 0.
 */
#include <libvg/libvg.h>

#include "demo.h"

static struct vg_receiver rx;
static volatile uint64_t done;
static uint64_t answer_page;		/* where we write answers */
static vg_addr_t answer_weak;		/* an rpage to it: what we give out */

static void
serve_echo(struct vg_receiver *r, const struct vg_message *req)
{
	char text[128];
	struct vg_message *m;
	enum vg_err err;

	vg_msg_get_str(req, 1, text, sizeof(text));
	printf("server:   ECHO \"%s\": sending the same words back.\n", text);
	m = vg_reply_begin(r, VG_OK);
	vg_msg_put_str(m, text);
	err = vg_reply_send(r);
	if (err != VG_OK)
		printf("server:   the reply could not be sent: %s\n",
		    vg_strerror(err));
}

static void
serve_upcase(struct vg_receiver *r, const struct vg_message *req)
{
	uint64_t len = vg_msg_word(req, 1);
	const char *in = VG_PTR(DEMO_SERVER_WINDOW);
	char *out = VG_PTR(answer_page);
	uint64_t changed = 0;
	struct vg_message *m;
	enum vg_err err;

	if (!vg_msg_cap_arrived(req, 1) || len >= VG_PAGE_SIZE) {
		printf("server:   UPCASE without a usable page: refused.\n");
		vg_reply_begin(r, VG_ERR_INVALID);
		(void)vg_reply_send(r);
		return;
	}
	printf("server:   UPCASE: the client's page arrived as a capability, "
	    "stored by the kernel in my page slot for address %#x.  Reading "
	    "it there (the kernel maps it on my first access, read-only: "
	    "the client sent an rpage).\n", DEMO_SERVER_WINDOW);
	printf("server:   it says: \"%.*s\"\n", (int)len, in);
	for (uint64_t i = 0; i < len; i++) {
		char c = in[i];

		if (c >= 'a' && c <= 'z') {
			c = (char)(c - 'a' + 'A');
			changed++;
		}
		out[i] = c;
	}
	out[len] = '\0';
	printf("server:   wrote it in capitals into a page of mine; the reply "
	    "carries a read-only capability to that page.\n");
	m = vg_reply_begin(r, VG_OK);
	vg_msg_put_cap(m, answer_weak);
	vg_msg_put_word(m, changed);
	vg_msg_put_word(m, demo_checksum(out, len));
	err = vg_reply_send(r);
	if (err != VG_OK)
		printf("server:   the reply could not be sent: %s\n",
		    vg_strerror(err));
}

static void
serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	uint64_t method = vg_msg_word(req, 0);

	printf("server: request #%lu arrived (%u capabilities, %u bytes of "
	    "data; %u more activations queued).\n", (unsigned long)r->requests,
	    vg_msg_ncaps(req), vg_msg_len(req), a->pending);
	switch (method) {
	case DEMO_ECHO:
		serve_echo(r, req);
		break;
	case DEMO_UPCASE:
		serve_upcase(r, req);
		break;
	case DEMO_BYE:
		printf("server:   BYE: the client made %lu requests; I served "
		    "%lu.\n", (unsigned long)vg_msg_word(req, 1),
		    (unsigned long)r->requests);
		vg_reply_begin(r, VG_OK);
		vg_msg_put_word(r->rbuf, r->requests);
		(void)vg_reply_send(r);
		done = 1;
		break;
	default:
		printf("server:   unknown method %#lx.\n",
		    (unsigned long)method);
		vg_reply_begin(r, VG_ERR_METHOD);
		(void)vg_reply_send(r);
		break;
	}
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	vg_addr_t window = vg_addr_of_data(DEMO_SERVER_WINDOW);
	enum vg_err err;

	vg_act_trace = 1;
	printf("server: started in my own address space (libvg set up my call "
	    "messengers and activation handler).\n");

	/* A page for answers, and a read-only capability to it. */
	answer_page = vg_page_alloc(1);
	err = answer_page != 0 ? vg_weak_copy(vg_addr_of_data(answer_page),
	    &answer_weak) : VG_ERR_NO_STORAGE;
	/* The cappages above the window slot, so that a page can land
	 * there. */
	if (err == VG_OK)
		err = vg_as_ensure(&rt->as, DEMO_SERVER_WINDOW);
	if (err == VG_OK)
		err = vg_receiver_create(&rx, "server", &window, 1, serve,
		    NULL);
	if (err == VG_OK)
		err = vg_receiver_arm(&rx);
	if (err != VG_OK) {
		printf("server: cannot set up: %s\n", vg_strerror(err));
		return 1;
	}
	rx.trace = 1;
	printf("server: created my messenger and made it receive (a request "
	    "that arrives activates my thread).  Sending my parent an "
	    "rmessenger to it: the send right clients will use.\n");
	err = vg_parent_send(VG_PARENT_REGISTER, DEMO_SERVICE_ID, rx.weak);
	if (err != VG_OK) {
		printf("server: cannot reach my parent: %s\n", vg_strerror(err));
		return 1;
	}
	printf("server: waiting for requests; my thread is suspended and "
	    "uses no processor time until an activation arrives.\n");
	vg_wait_nonzero(&done);
	printf("server: the client said goodbye; exiting after %lu requests "
	    "(%lu activations handled).\n", (unsigned long)rx.requests,
	    (unsigned long)vg_act_stack.state.handled);
	return 0;
}
