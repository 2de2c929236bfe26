/*
 * The tracee's virtual IPC root.  Its messengers hold an rmessenger to
 * this receiver, with the 34-bit guard of a real root, so every address
 * a message names reaches me as an INDEX or STORE request whose residual
 * starts with the 8-bit root slot index.
 *
 *	INDEX for a send's target	the capability really there, behind
 *					a proxy (proxy.c): the send is traced
 *	INDEX for a carried capability	the real root slot, 8 bits consumed:
 *	STORE deeper than a root slot	the kernel walks on in the real tree
 *	STORE into a root slot		stored by me, all bits consumed
 */
#include "rpctrace.h"

/* Copy the capability at RESIDUAL in the tracee's real space (relative
 * to its root cappage) into my slot DST. */
static enum vg_err
copy_from_tracee(vg_addr_t dst, vg_addr_t residual, unsigned flags)
{
	struct vg_runtime *rt = vg_self();

	return vg_cap_copy(vg_kcall(), rt->self_root, vg_as_local(dst),
	    residual, flags, (struct vg_cap_translator){ 0 }, tr.tracee_root,
	    NULL);
}

static void
answer(struct vg_receiver *r, enum vg_err err, unsigned bits, vg_addr_t cap)
{
	enum vg_err e = vg_virt_answer(r, err, bits, cap);

	if (e != VG_OK)
		printf("rpctrace: cannot answer a request: %s\n",
		    vg_strerror(e));
}

/* A send's target: the real capability, behind a proxy. */
static void
index_target(struct vg_receiver *r, vg_addr_t res)
{
	unsigned d = vg_addr_depth(res);
	struct proxy *p = proxy_take(PROXY_TARGET);
	enum vg_err err;

	if (p == NULL) {
		/* No proxy left: let this one through untraced. */
		tr.untraced++;
		err = copy_from_tracee(tr.scratch, res, 0);
		answer(r, err, d, tr.scratch);
		return;
	}
	err = copy_from_tracee(p->real, res, 0);
	if (err == VG_OK)
		err = vg_as_read(vg_kcall(), vg_self()->self_root, p->real,
		    &p->real_type, NULL);
	if (err != VG_OK || p->real_type == VG_TYPE_VOID) {
		/* Nothing to trace: the send fails as it would have. */
		char where[64];

		trace_addr(where, sizeof(where), res);
		printf("rpctrace: send to [%s]: %s\n", where,
		    err != VG_OK ? vg_strerror(err) : "void capability");
		proxy_free(p);
		answer(r, err, d, VG_ADDR_VOID);
		return;
	}
	p->addr = res;
	err = proxy_arm(p);
	if (err != VG_OK) {
		proxy_free(p);
		tr.untraced++;
		answer(r, VG_OK, d, p->real);
		return;
	}
	answer(r, VG_OK, d, p->weak);
}

/* Anything else: the real root slot, the kernel walks on from it. */
static void
root_slot(struct vg_receiver *r, const struct vg_vreq *q, unsigned d)
{
	struct vg_runtime *rt = vg_self();
	uint64_t i = vg_addr_prefix(q->residual) >> (d - 8);
	vg_addr_t slot = vg_addr_extend(VG_ADDR_ROOT, i, 8);
	enum vg_err err;

	if (q->method == VG_METHOD_STORE && d == 8) {
		/* The slot itself: store what arrived there. */
		err = vg_cap_copy(vg_kcall(), tr.tracee_root, slot,
		    vg_as_local(q->store), 0, (struct vg_cap_translator){ 0 },
		    rt->self_root, NULL);
		answer(r, err, 8, VG_ADDR_VOID);
		return;
	}
	/* Deeper: its guard comes along, the kernel checks it. */
	err = copy_from_tracee(tr.scratch, slot,
	    d > 8 ? VG_CAP_COPY_SOURCE_GUARD : 0);
	answer(r, err, 8, tr.scratch);
}

static void
serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	struct vg_vreq q;
	unsigned d;

	(void)req;
	(void)a;
	tr.requests++;
	if (!vg_virt_decode(r, &q) || q.method == VG_METHOD_FAULT) {
		/* A program's message to its root itself, or a fault (its
		 * thread runs on the real root: none should come). */
		printf("rpctrace: a message to the virtual root that is not "
		    "an index or store request (word 0 %#lx)\n",
		    (unsigned long)vg_msg_word(r->buf, 0));
		if (vg_msg_cap_arrived(r->buf, 0))
			answer(r, VG_ERR_INVALID, 1, VG_ADDR_VOID);
		return;
	}
	d = vg_addr_depth(q.residual);
	if (d < 8) {
		/* Ends inside the root cappage's index. */
		answer(r, VG_ERR_INVALID, d, VG_ADDR_VOID);
		return;
	}
	if (q.method == VG_METHOD_INDEX && q.purpose == VG_INDEX_FOR_TARGET)
		index_target(r, q.residual);
	else
		root_slot(r, &q, d);
}

enum vg_err
vroot_init(void)
{
	tr.scratch = trace_slot();
	if (vg_addr_is_void(tr.scratch))
		return VG_ERR_NO_STORAGE;
	return vg_virt_receiver_create(&tr.vroot, "rpctrace.root", serve,
	    NULL);
}
