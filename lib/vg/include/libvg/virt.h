/*
 * libvg: writing virtualizers (docs/virtualization.md section 5, and the
 * tutorial in docs/virtualizers.md).
 *
 * A virtualizer is a server (libvg/server.h) whose receiver stands where
 * the kernel expected a cappage or a page: an rmessenger to it sits in a
 * slot of somebody's address space.  When translation reaches it, the
 * kernel sends it an INDEX, STORE or FAULT request (vg/method.h) carried
 * by the messenger whose work is suspended, and resumes that work when
 * the answer comes back.  These helpers decode a request and send the
 * answer; the receiver must have at least two slots (the reply right
 * and, for STORE, the capability to store: vg_virt_receiver_create makes
 * them).  vg_virt_serve serves a receiver with them: a virtualizer only
 * says what each request is answered with.
 */
#ifndef LIBVG_VIRT_H
#define LIBVG_VIRT_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>
#include <vg/message.h>
#include <vg/method.h>

#include <libvg/server.h>

/* A decoded kernel request. */
struct vg_vreq {
	enum vg_method method;		/* INDEX, STORE or FAULT */
	vg_addr_t residual;		/* the bits after my rmessenger */
	bool write;			/* FAULT: a write access */
	bool execute;			/* FAULT: an instruction fetch */
	enum vg_index_purpose purpose;	/* INDEX: target or capability */
	uint32_t cap_index;		/* INDEX for a capability: which */
	vg_addr_t store;		/* STORE: where capability 1 arrived
					 * (my space), void otherwise */
};

/*
 * Decode the request R has just received into Q.  False if it is not a
 * well-formed kernel request (a program may send anything to a
 * virtualizer's messenger); answer such messages with an error or not at
 * all.
 */
bool vg_virt_decode(const struct vg_receiver *r, struct vg_vreq *q);

/*
 * Answer the current request of R: ERR (VG_OK, or the error the client
 * should see as if a real lookup had failed), the number of residual
 * BITS consumed, and CAP, a capability address in my space (void: an
 * empty slot).
 */
enum vg_err vg_virt_answer(struct vg_receiver *r, enum vg_err err,
    unsigned bits, vg_addr_t cap);

/*
 * A receiver for kernel requests: slot 0 the reply right, slot 1 where a
 * STORE's capability arrives (a fresh slot of mine).  An rmessenger to it
 * (R->weak) is what goes where the virtual object should be.
 */
enum vg_err vg_virt_receiver_create(struct vg_receiver *r, const char *name,
    vg_serve_fn *serve, void *cookie);

/* An answer to a kernel request: vg_virt_answer's arguments. */
struct vg_vanswer {
	enum vg_err err;
	unsigned bits;
	vg_addr_t cap;
};

/*
 * A virtualizer that vg_virt_serve serves: its receiver (made by
 * vg_virt_receiver_create or vg_receiver_create with vg_virt_serve as
 * the serve function) and what answers the requests.
 *
 * ANSWER gives the answer to Q, a kernel request the receiver got.  A
 * message that is not one (a program may send anything to a
 * virtualizer's messenger) is counted by MALFORMED, if not NULL, and
 * answered VG_ERR_INVALID, consuming no bits, if it named a reply
 * messenger.  ANSWERED, if not NULL, is told of every answer sent, A,
 * and of what sending it returned.  They run in the activation handler.
 */
struct vg_virtualizer {
	struct vg_receiver r;		/* first: vg_virt_serve finds it */
	struct vg_vanswer (*answer)(struct vg_virtualizer *v,
	    const struct vg_vreq *q);
	void (*malformed)(struct vg_virtualizer *v);
	void (*answered)(struct vg_virtualizer *v, const struct vg_vanswer *a,
	    enum vg_err err);
};

/*
 * The serve function of a virtualizer's receiver R (the R of a struct
 * vg_virtualizer): decode the request, ask for the answer, send it.
 */
void vg_virt_serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a);

/* The name of a virtualization method, for logs. */
const char *vg_virt_method_name(enum vg_method m);

#endif /* LIBVG_VIRT_H */
