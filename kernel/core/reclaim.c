/*
 * The reaper's stack (see reclaim.h): an intrusive queue through the
 * folio headers, top first, so pushing, moving and popping are O(1).
 */
#include <stddef.h>

#include "arch.h"
#include "queue.h"
#include "reclaim.h"
#include "storage.h"

static QUEUE_HEAD(folio) stack;

void
reclaim_push(struct folio *f)
{
	bool idle = stack.head == NULL;

	if (f->reaping)
		QUEUE_REMOVE(&stack, f, reap_link);
	f->reaping = 1;
	f->reap_index = 0;
	QUEUE_PREPEND(&stack, f, reap_link);
	if (idle)
		arch_reclaim_wake();
}

struct folio *
reclaim_top(void)
{
	return stack.head;
}

void
reclaim_pop(struct folio *f)
{
	QUEUE_REMOVE(&stack, f, reap_link);
	f->reaping = 0;
	f->reap_index = 0;
}

bool
reclaim_pending(void)
{
	return stack.head != NULL;
}
