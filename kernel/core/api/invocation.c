/*
 * Building a method's reply, and reading its request's capabilities (see
 * invocation.h).
 */
#include <stddef.h>

#include "as.h"
#include "invocation.h"

void
invoke_error(struct invocation *inv, enum vg_err err)
{
	inv->reply[0] = (uint64_t)err;
	inv->nreply = 1;
	inv->nreply_caps = 0;
}

bool
invoke_need(struct invocation *inv, uint32_t n)
{
	if (inv->nwords >= n)
		return true;
	invoke_error(inv, VG_ERR_INVALID);
	return false;
}

void
invoke_reply_word(struct invocation *inv, uint64_t w)
{
	if (inv->nreply < INVOKE_REPLY_WORDS)
		inv->reply[inv->nreply++] = w;
}

void
invoke_reply_cap(struct invocation *inv, struct vg_cap cap)
{
	if (inv->nreply_caps < INVOKE_REPLY_CAPS)
		inv->reply_cap[inv->nreply_caps++] = cap;
}

struct as_result
invoke_request_cap(struct invocation *inv, uint32_t i)
{
	if (i >= inv->ncaps)
		return (struct as_result){ .err = VG_ERR_INVALID };
	return as_walk_run(as_walk_start(inv->space, inv->cap[i]));
}
