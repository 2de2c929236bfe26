/*
 * Invoking kernel objects (DESIGN.md section 4, "Invocation").
 *
 * A send whose target is not an rmessenger invokes a kernel object: the
 * kernel reads the request (word 0: the method; capability 0: the reply
 * messenger) from the sending messenger, decodes and executes the method
 * at once, and sends the reply -- carried by the sending messenger, as a
 * kernel-built message -- to the reply messenger: delivered now if it is
 * receiving, queued on it otherwise.  Nothing waits; nothing is allocated.
 *
 * Each object's methods live in kernel/core/api/<object>_methods.c and
 * follow one pattern: validate every argument, then commit.
 */
#ifndef VG_KERNEL_INVOKE_H
#define VG_KERNEL_INVOKE_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>

#include "messenger.h"

/* Request words and capabilities a method can take. */
#define INVOKE_WORDS	8
#define INVOKE_CAPS	4

struct invocation {
	struct messenger *src;		/* carries request, then reply */
	struct vg_cap target;		/* the invoked capability, validated */
	void *object;			/* its frame */
	uint64_t word[INVOKE_WORDS];	/* request: word[0] is the method */
	uint32_t nwords;
	uint32_t ncaps;
	vg_addr_t cap[INVOKE_CAPS];	/* request: addresses in src's space */

	/* The reply: word 0 is the error; results follow. */
	uint64_t reply[KMSG_WORDS];
	uint32_t nreply;
	uint32_t nreply_caps;
	struct vg_cap reply_cap[KMSG_CAPS];
};

/* Invoke the kernel object TARGET with SRC's message. */
void invoke_kernel(struct messenger *src, struct vg_cap target);

/* Set the reply to ERR with no results. */
void invoke_error(struct invocation *inv, enum vg_err err);

/* True if the request has at least N words (the method included);
 * otherwise the reply is VG_ERR_INVALID.  Absent words never read as 0. */
bool invoke_need(struct invocation *inv, uint32_t n);

/* Append a result word / a result capability to the reply. */
void invoke_reply_word(struct invocation *inv, uint64_t w);
void invoke_reply_cap(struct invocation *inv, struct vg_cap cap);

/*
 * Request capability I resolved in the sender's address space (weakened
 * as its path requires).  VG_ERR_INVALID if the request has no cap I.
 */
struct as_result invoke_request_cap(struct invocation *inv, uint32_t i);

/* The methods of each kind of object. */
void object_methods(struct invocation *inv);	/* any object */
void cap_methods(struct invocation *inv);	/* CAP_* on a space root */
void folio_methods(struct invocation *inv);
void activity_methods(struct invocation *inv);
void thread_methods(struct invocation *inv);
void messenger_methods(struct invocation *inv);

#endif /* VG_KERNEL_INVOKE_H */
