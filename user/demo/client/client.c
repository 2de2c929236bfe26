/*
 * The demo's client: calls the server, in another address space, through
 * the rmessenger its parent put in its slot VG_SLOT_SERVICE.
 *
 * Each call is one vg_ipc: receive on my reply messenger (with
 * activation), send the request from my send messenger, and no return:
 * my thread is suspended.  The kernel delivers the request (my send
 * messenger's thread is activated: "delivered"), the server answers, and
 * the answer's delivery to my reply messenger activates me again; the
 * dispatcher marks the call done and my thread resumes in vg_call.
 */
#include <libvg/libvg.h>

#include "demo.h"

static const char text[] = "Capabilities are the only authority; "
    "messengers, not threads, block.";

static int failures;

static void
check(bool ok, const char *what)
{
	printf("client: %s: %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = &rt->ucall;
	vg_addr_t server = vg_boot_slot(VG_SLOT_SERVICE);
	uint64_t id = 0, usage = 0, quota = 0, depth = 0;
	uint64_t page, len = sizeof(text) - 1, requests = 0;
	vg_addr_t rpage;
	char answer[128];
	enum vg_err err;

	vg_act_trace = 1;
	c->trace = 1;
	printf("client: started.  My parent put a send right to the server "
	    "(an rmessenger) in my slot %u.\n", VG_SLOT_SERVICE);

	/* Kernel objects answer at once: no activation needed. */
	err = vg_thread_id(vg_kcall(), rt->thread, &id);
	if (err == VG_OK)
		err = vg_activity_info(vg_kcall(), rt->activity, &usage, &quota,
		    &depth);
	check(err == VG_OK, "kernel calls on my thread and activity");
	printf("client: my thread is object %lu; my activity (depth %lu in "
	    "the activity tree) uses %lu frames of a quota of %lu.\n",
	    (unsigned long)id, (unsigned long)depth, (unsigned long)usage,
	    (unsigned long)quota);

	/* 1. Data only. */
	printf("client: [1] ECHO: a request with words only.\n");
	vg_call_begin(c, DEMO_ECHO);
	vg_msg_put_str(c->send_buf, "hello, server");
	err = vg_call(c, server);
	requests++;
	vg_msg_get_str(c->reply_buf, 1, answer, sizeof(answer));
	printf("client: [1] reply: %s, \"%s\"\n", vg_strerror(err), answer);
	check(err == VG_OK && strcmp(answer, "hello, server") == 0,
	    "the server echoed my words");

	/* 2. Data and a capability, both ways. */
	page = vg_page_alloc(1);
	err = page != 0 ? VG_OK : VG_ERR_NO_STORAGE;
	if (err == VG_OK) {
		memcpy(VG_PTR(page), text, sizeof(text));
		err = vg_weak_copy(vg_addr_of_data(page), &rpage);
	}
	if (err == VG_OK)
		err = vg_as_ensure(&rt->as, DEMO_CLIENT_WINDOW);
	check(err == VG_OK, "filled a page and made a read-only capability "
	    "(rpage) to it");
	printf("client: [2] UPCASE: a request carrying that rpage; the answer "
	    "will carry a page of the server's, stored in my page slot for "
	    "address %#x.\n", DEMO_CLIENT_WINDOW);
	vg_call_begin(c, DEMO_UPCASE);
	vg_call_cap(c, rpage);
	vg_call_word(c, len);
	vg_call_expect(c, vg_addr_of_data(DEMO_CLIENT_WINDOW));
	err = vg_call(c, server);
	requests++;
	if (err == VG_OK && vg_call_cap_arrived(c, 0)) {
		const char *up = VG_PTR(DEMO_CLIENT_WINDOW);
		uint64_t changed = vg_call_result(c, 1);
		uint64_t sum = vg_call_result(c, 2);

		printf("client: [2] reply: %lu letters changed; the page I got "
		    "says \"%.*s\"\n", (unsigned long)changed, (int)len, up);
		check(sum == demo_checksum(up, len),
		    "the checksum matches the page I read");
		check(up[0] == 'C' && up[len - 1] == '.' && changed > 40,
		    "the text came back in capitals");
	} else {
		check(false, "UPCASE returned a page");
		printf("client: [2] error: %s\n", vg_strerror(err));
	}

	/* 3. Goodbye. */
	printf("client: [3] BYE.\n");
	vg_call_begin(c, DEMO_BYE);
	vg_call_word(c, requests + 1);
	err = vg_call(c, server);
	check(err == VG_OK && vg_call_result(c, 1) == requests + 1,
	    "the server served all my requests");
	printf("client: %s; reporting status %d to my parent.\n",
	    failures == 0 ? "all checks passed" : "some checks failed",
	    failures == 0 ? 0 : 1);
	return failures == 0 ? 0 : 1;
}
