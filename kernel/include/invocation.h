/*
 * An invocation of a kernel object, as its methods see it (invocation.c;
 * docs/design.md §4, "Invocation"): the request's words and capability
 * addresses, and the reply being built.
 *
 * Each object's methods live in kernel/core/api/<object>_methods.c
 * (declared in methods.h) and follow one pattern: validate every
 * argument, then commit; the reply is built with the helpers below.
 * Carrying the request in and the reply out is the dispatcher's
 * (invoke.h).
 */
#ifndef VG_KERNEL_INVOCATION_H
#define VG_KERNEL_INVOCATION_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/cap.h>
#include <vg/error.h>

#include "as.h"

/* Request words and capabilities a method can take. */
#define INVOKE_WORDS	8
#define INVOKE_CAPS	4
/* Reply words and capabilities a method can give (a kernel message). */
#define INVOKE_REPLY_WORDS	8
#define INVOKE_REPLY_CAPS	2

struct invocation {
	struct vg_cap *space;		/* the sender's address-space slot */
	struct vg_cap target;		/* the invoked capability, validated */
	void *object;			/* its frame */
	uint64_t word[INVOKE_WORDS];	/* request: word[0] is the method */
	uint32_t nwords;
	uint32_t ncaps;
	vg_addr_t cap[INVOKE_CAPS];	/* request: addresses in SPACE */

	/* The reply: word 0 is the error; results follow. */
	uint64_t reply[INVOKE_REPLY_WORDS];
	uint32_t nreply;
	uint32_t nreply_caps;
	struct vg_cap reply_cap[INVOKE_REPLY_CAPS];
};

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

#endif /* VG_KERNEL_INVOCATION_H */
