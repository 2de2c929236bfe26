/*
 * The trace: one line per invocation and one per reply.
 *
 *	rpctrace: 7 cappage [137.1.2] cap_read(addr 0x3/8) caps 1
 *	rpctrace: 7 -> ok (3 0x0) caps 0
 *
 * Addresses are the tracee's, after its root's guard: the root slot,
 * then each further 8-bit index ("137.1.2": root slot 137, slot 1 of
 * the cappage there, slot 2 of the cappage in that one).
 */
#include "rpctrace.h"

void
trace_addr(char *buf, size_t size, vg_addr_t res)
{
	unsigned d = vg_addr_depth(res);
	uint64_t p = vg_addr_prefix(res);
	size_t n = 0;

	if (d % 8 != 0 || d > 40) {
		vg_snprintf(buf, size, "%#lx/%u", (unsigned long)p, d);
		return;
	}
	buf[0] = '\0';
	for (unsigned b = d; b >= 8 && n + 5 < size; b -= 8)
		n += (size_t)vg_snprintf(buf + n, size - n, "%s%lu",
		    b == d ? "" : ".", (unsigned long)((p >> (b - 8)) & 0xff));
}

static void
put_addr_arg(char *buf, size_t size, size_t *n, const char *name,
    uint64_t w)
{
	vg_addr_t a = { w };

	if (*n >= size)
		return;
	if (vg_addr_is_void(a))
		*n += (size_t)vg_snprintf(buf + *n, size - *n, "%s void", name);
	else
		*n += (size_t)vg_snprintf(buf + *n, size - *n, "%s %#lx/%u",
		    name, (unsigned long)vg_addr_prefix(a), vg_addr_depth(a));
}

/* The arguments: addresses decoded for the capability operations. */
static void
format_args(char *buf, size_t size, const struct vg_message *m)
{
	uint64_t method = vg_msg_word(m, 0);
	uint32_t nw = vg_msg_nwords(m);
	size_t n = 0;

	buf[0] = '\0';
	if (method == VG_METHOD_CAP_COPY && nw >= 5) {
		put_addr_arg(buf, size, &n, "target", vg_msg_word(m, 1));
		put_addr_arg(buf, size, &n, ", source", vg_msg_word(m, 2));
		if (n < size)
			vg_snprintf(buf + n, size - n, ", flags %#lx",
			    (unsigned long)vg_msg_word(m, 3));
		return;
	}
	if ((method == VG_METHOD_CAP_READ || method == VG_METHOD_CAP_RUBOUT) &&
	    nw >= 2) {
		put_addr_arg(buf, size, &n, "addr", vg_msg_word(m, 1));
		return;
	}
	if (method == VG_METHOD_FOLIO_OBJECT_ALLOC && nw >= 3) {
		vg_snprintf(buf, size, "index %lu, %s",
		    (unsigned long)vg_msg_word(m, 1),
		    vg_type_name((enum vg_type)vg_msg_word(m, 2)));
		return;
	}
	for (uint32_t i = 1; i < nw && i < 7 && n < size; i++)
		n += (size_t)vg_snprintf(buf + n, size - n, "%s%#lx",
		    i > 1 ? ", " : "", (unsigned long)vg_msg_word(m, i));
	if (nw > 7 && n < size)
		vg_snprintf(buf + n, size - n, ", ... (%u words)", nw - 1);
}

/* The types of the capabilities that arrived in SLOTS. */
static void
format_caps(char *buf, size_t size, const struct vg_message *m,
    const vg_addr_t *slots, uint32_t first)
{
	struct vg_runtime *rt = vg_self();
	uint32_t nc = vg_msg_ncaps(m);
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = first; i < nc && i < PROXY_CAPS && n < size; i++) {
		enum vg_type t = VG_TYPE_VOID;

		if (slots != NULL && vg_msg_cap_arrived(m, i))
			(void)vg_as_read(vg_kcall(), rt->self_root, slots[i],
			    &t, NULL);
		n += (size_t)vg_snprintf(buf + n, size - n, "%s%s",
		    i > first ? ", " : "", slots == NULL ? "?" :
		    vg_msg_cap_arrived(m, i) ? vg_type_name(t) : "void");
	}
}

void
trace_request(struct proxy *p, uint64_t seq, struct trace_call *c)
{
	const struct vg_message *m = p->page;
	const char *name = vg_method_name(vg_msg_word(m, 0));
	const char *caps_open = vg_msg_ncaps(m) > 1 ? " caps [" : "";
	const char *caps_close = vg_msg_ncaps(m) > 1 ? "]" : "";

	c->type = vg_type_name(p->real_type);
	trace_addr(c->where, sizeof(c->where), p->addr);
	format_caps(c->caps, sizeof(c->caps), m, p->slot, 1);
	c->message = p->real_type == VG_TYPE_RMESSENGER;
	if (c->message) {
		vg_snprintf(c->name, sizeof(c->name), "message %#lx",
		    (unsigned long)vg_msg_word(m, 0));
		vg_snprintf(c->args, sizeof(c->args), "%u words, %u bytes",
		    vg_msg_nwords(m), vg_msg_len(m));
		printf("rpctrace: %lu %s [%s] %s (%s)%s%s%s\n",
		    (unsigned long)seq, c->type, c->where, c->name, c->args,
		    caps_open, c->caps, caps_close);
		return;
	}
	format_args(c->args, sizeof(c->args), m);
	if (name != NULL)
		strlcpy(c->name, name, sizeof(c->name));
	else
		vg_snprintf(c->name, sizeof(c->name), "method %#lx",
		    (unsigned long)vg_msg_word(m, 0));
	printf("rpctrace: %lu %s [%s] %s(%s)%s%s%s\n", (unsigned long)seq,
	    c->type, c->where, c->name, c->args, caps_open, c->caps,
	    caps_close);
}

void
trace_reply(uint64_t seq, const struct vg_message *m, const vg_addr_t *slots,
    struct trace_result *r)
{
	uint64_t err = vg_msg_word(m, 0);
	bool words = vg_msg_nwords(m) > 1, caps = vg_msg_ncaps(m) > 0;
	size_t n = 0;

	r->result = err < VG_ERR_COUNT ? vg_strerror((enum vg_err)err) : "?";
	r->words[0] = '\0';
	for (uint32_t i = 1; i < vg_msg_nwords(m) && i < 6 &&
	    n < sizeof(r->words); i++)
		n += (size_t)vg_snprintf(r->words + n, sizeof(r->words) - n,
		    "%s%#lx", i > 1 ? " " : "",
		    (unsigned long)vg_msg_word(m, i));
	format_caps(r->caps, sizeof(r->caps), m, slots, 0);
	printf("rpctrace: %lu -> %s%s%s%s%s%s%s\n", (unsigned long)seq,
	    r->result, words ? " (" : "", r->words, words ? ")" : "",
	    caps ? " caps [" : "", r->caps, caps ? "]" : "");
}
