/*
 * rpctrace (user/rpctrace): "ttraced" (tests/qemu/traced/traced.c) runs
 * twice, on its own and under rpctrace, each time given a cappage tree
 * of mine whose console is a server of mine that keeps what it is sent.
 * The two outputs must be the same, byte for byte, and rpctrace must
 * have seen the invocations, one of them through a capability two
 * cappages deep.
 */
#include "troot.h"

#include "../../../user/rpctrace/rpctrace.h"

enum { R_PLAIN, R_TRACED, R_SAME, R_METHODS, R_DEEP, R_N };

static const char *const names[R_N] = {
	[R_PLAIN] = "ttraced runs on its own: it writes to the console it "
	    "finds in the cappages it is given and exits with status 0",
	[R_TRACED] = "under rpctrace it exits with status 0 too, and "
	    "rpctrace exits with its status",
	[R_SAME] = "the traced program's output is byte-identical to its "
	    "untraced output",
	[R_METHODS] = "the trace lists its invocations: kernel methods on "
	    "its own objects and on the cappages it was given (cap_read, "
	    "cap_copy, folio_object_alloc, thread_id, messenger_id_set) and "
	    "every message to the console server",
	[R_DEEP] = "the trace includes invocations through capabilities "
	    "found two cappages deep",
};

#define OUT_MAX	2048

struct console {
	struct vg_receiver r;
	char text[OUT_MAX];
	uint32_t len;
	uint32_t lines;
	bool overflow;
};

static struct console con[2];
static vg_addr_t c1[2], c2[2], c3[2];
static uint64_t text_page;

static void
console_serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	struct console *c = r->cookie;
	char line[256];
	uint32_t n;

	(void)a;
	if (vg_msg_word(req, 0) != T_TR_WRITE ||
	    vg_msg_get_str(req, 1, line, sizeof(line)) == 0) {
		vg_reply_begin(r, VG_ERR_INVALID);
		(void)vg_reply_send(r);
		return;
	}
	n = (uint32_t)strlen(line);
	if (c->len + n < OUT_MAX) {
		memcpy(c->text + c->len, line, n);
		c->len += n;
		c->text[c->len] = '\0';
	} else {
		c->overflow = true;
	}
	for (uint32_t i = 0; i < n; i++)
		c->lines += line[i] == '\n';
	(void)vg_message_append_word(vg_reply_begin(r, VG_OK), n);
	(void)vg_reply_send(r);
}

/* C1 -> C2 -> C3 -> the page, and the console in C1 and C2. */
static enum vg_err
build_tree(unsigned k)
{
	struct vg_runtime *rt = vg_self();
	struct vg_cap_translator none = { 0 };
	enum vg_err err;

	c1[k] = t_slot();
	c2[k] = t_slot();
	c3[k] = t_slot();
	err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE, c1[k]);
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    c2[k]);
	if (err == VG_OK)
		err = vg_obj_alloc(vg_kcall(), &rt->alloc, VG_TYPE_CAPPAGE,
		    c3[k]);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(c3[k], T_TR_PAGE, 8),
		    vg_addr_of_data(text_page), 0, none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(c2[k], T_TR_C3, 8), c3[k], 0, none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(c2[k], T_TR_CONSOLE2, 8), con[k].r.weak, 0,
		    none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(c1[k], T_TR_C2, 8), c2[k], 0, none);
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(c1[k], T_TR_CONSOLE, 8), con[k].r.weak, 0,
		    none);
	return err;
}

/* Run CH to its exit; false if it faulted or never exited. */
static bool
run_child(struct tchild *ch)
{
	enum vg_err err = child_start(ch);

	if (!t_expect(err == VG_OK, "starting %s: %s", ch->name,
	    vg_strerror(err)))
		return false;
	return t_wait_child(ch, &ch->exited, 1);
}

static void
show(const struct console *c)
{
	const char *s = c->text;

	while (*s != '\0') {
		const char *e = s;

		while (*e != '\0' && *e != '\n')
			e++;
		t_diag("  %.*s", (int)(e - s), s);
		s = *e == '\n' ? e + 1 : e;
	}
}

static void
run(struct t_group *g)
{
	const struct vg_boot_module *mod = vg_boot_find_module(t_boot(),
	    "ttraced");
	static struct tchild plain, tracer;
	uint64_t args[7] = { 0 }, invocations = 0, deep = 0, methods = 0;
	uint64_t servers = 0, want;
	enum vg_err err = mod != NULL ? VG_OK : VG_ERR_INVALID;
	bool ok;

	memset(con, 0, sizeof(con));
	text_page = t_page();
	if (text_page != 0)
		strlcpy(VG_PTR(text_page), T_TR_TEXT, VG_PAGE_SIZE);
	for (unsigned k = 0; k < 2 && err == VG_OK; k++) {
		err = vg_receiver_create(&con[k].r, k == 0 ? "console.plain" :
		    "console.traced", NULL, 0, console_serve, &con[k]);
		if (err == VG_OK)
			err = vg_receiver_arm(&con[k].r);
		if (err == VG_OK)
			err = build_tree(k);
	}
	if (!t_expect(err == VG_OK && text_page != 0, "set-up: %s",
	    vg_strerror(err)))
		goto out;


	/* On its own. */
	err = child_load(&plain, "ttraced", 4, 0, NULL, false);
	if (err == VG_OK)
		err = child_give(&plain, VG_SLOT_SERVICE, c1[0], false);
	ok = t_expect(err == VG_OK, "loading ttraced: %s", vg_strerror(err)) &&
	    run_child(&plain);
	ok &= t_expect(plain.exited == 1 && plain.status == 0 &&
	    con[0].lines >= 8 && !con[0].overflow, "ttraced on its own: "
	    "status %ld, %u lines", (long)plain.status, con[0].lines);
	t_ok(g, R_PLAIN, ok);
	child_destroy(&plain);

	/* Under rpctrace, which gets the image and the same kind of tree. */
	args[0] = mod->start;
	args[1] = mod->size;
	vg_words_from_str(&args[2], 5, "ttraced");
	err = child_load(&tracer, "rpctrace", 24, 7, args, false);
	if (err == VG_OK)
		err = vg_spawn_share(&tracer.sp, &vg_self()->as, mod->start,
		    mod->size);
	if (err == VG_OK)
		err = child_give(&tracer, VG_SLOT_SERVICE, c1[1], false);
	ok = t_expect(err == VG_OK, "loading rpctrace: %s", vg_strerror(err))
	    && run_child(&tracer);
	for (uint32_t i = 0; i < tracer.preports; i++) {
		if (tracer.preport[i][0] == TRACE_REPORT_COUNTS) {
			invocations = tracer.preport[i][1];
			deep = tracer.preport[i][2];
		} else if (tracer.preport[i][0] == TRACE_REPORT_METHODS) {
			methods = tracer.preport[i][1];
			servers = tracer.preport[i][2];
		}
	}
	ok &= t_expect(tracer.exited == 1 && tracer.status == 0 &&
	    !con[1].overflow, "under rpctrace: status %ld, %u lines",
	    (long)tracer.status, con[1].lines);
	t_ok(g, R_TRACED, ok);

	ok = t_expect(con[0].len == con[1].len &&
	    memcmp(con[0].text, con[1].text, con[0].len) == 0 &&
	    con[0].len > 0, "outputs differ: %u and %u bytes", con[0].len,
	    con[1].len);
	t_diag("ttraced wrote %u bytes in %u lines, both times:", con[1].len,
	    con[1].lines);
	show(&con[1]);
	if (!ok) {
		t_diag("on its own it wrote:");
		show(&con[0]);
	}
	t_ok(g, R_SAME, ok);

	want = 1ull << vg_method_index(VG_METHOD_CAP_READ) |
	    1ull << vg_method_index(VG_METHOD_CAP_COPY) |
	    1ull << vg_method_index(VG_METHOD_FOLIO_OBJECT_ALLOC) |
	    1ull << vg_method_index(VG_METHOD_THREAD_ID) |
	    1ull << vg_method_index(VG_METHOD_MESSENGER_ID_SET);
	t_diag("rpctrace: %lu invocations, %lu of them to servers, %lu "
	    "through capabilities two cappages deep; methods %#lx",
	    (unsigned long)invocations, (unsigned long)servers,
	    (unsigned long)deep, (unsigned long)methods);
	t_ok(g, R_METHODS, t_expect((methods & want) == want &&
	    servers >= con[0].lines + 1 && invocations > servers + 10,
	    "methods %#lx (want %#lx), %lu messages to servers for %u "
	    "console lines and a message to myself", (unsigned long)methods,
	    (unsigned long)want, (unsigned long)servers, con[0].lines));
	t_ok(g, R_DEEP, t_expect(deep >= 2, "%lu invocations through "
	    "capabilities two cappages deep", (unsigned long)deep));
	child_destroy(&tracer);
out:
	if (text_page != 0)
		t_page_free(text_page);
	for (unsigned k = 0; k < 2; k++) {
		t_slot_free(&c1[k]);
		t_slot_free(&c2[k]);
		t_slot_free(&c3[k]);
	}
}

struct t_group t_group_trace = {
	.name = "trace",
	.n = R_N,
	.names = names,
	.run = run,
};

