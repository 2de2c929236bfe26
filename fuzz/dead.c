/*
 * Destroyed objects stay untouched (fuzz.h): the frame of a messenger or
 * thread is fingerprinted when its destroy hook has run and checked at
 * the end of the operation; after that it is zeroed and must stay zero
 * until the slot holds an object again.  These are the objects kernel
 * pointers lead to, so a kernel write through a dangling pointer shows
 * here.
 */
#include <string.h>

#include <vg/types.h>

#include "fuzz.h"

/* Objects destroyed during this operation, as their destroy hook left
 * them; and the dead frames that were zeroed and must stay so. */
#define MAX_DEAD	1024
static struct {
	uint32_t oid;
	uint64_t sum;
} dead[MAX_DEAD];
static unsigned ndead;
static uint8_t poisoned[NFRAMES];
static uint32_t poisoned_list[MAX_DEAD];
static unsigned npoisoned;

void
dead_reset(void)
{
	memset(poisoned, 0, sizeof(poisoned));
	ndead = 0;
	npoisoned = 0;
}

NO_COVERAGE
void
dead_note(void *frame)
{
	if (ndead == MAX_DEAD)
		return;
	dead[ndead].oid = oid_of(frame);
	dead[ndead].sum = fnv(FNV_BASIS, frame, FRAME_SIZE);
	ndead++;
}

/* True if frame OID holds no object now. */
NO_COVERAGE
static bool
frame_dead(uint32_t oid)
{
	struct folio *f = storage_owner(oid);
	int i = storage_owner_index(oid);

	return i >= 0 && (!f->in_use || f->object[i].type == VG_TYPE_VOID);
}

/* Nothing wrote a destroyed messenger or thread: during the operation
 * that destroyed it, or since. */
NO_COVERAGE
void
dead_check(void)
{
	static const uint8_t zero[FRAME_SIZE];
	unsigned d, n;

	for (d = 0; d < ndead; d++) {
		uint32_t oid = dead[d].oid;

		if (!frame_dead(oid))
			continue;	/* already reused */
		if (fnv(FNV_BASIS, storage_frame(oid), FRAME_SIZE) !=
		    dead[d].sum)
			die("frame %u was written after its object was "
			    "destroyed", oid);
		if (!poisoned[oid] && npoisoned < MAX_DEAD) {
			poisoned[oid] = 1;
			poisoned_list[npoisoned++] = oid;
		}
		memset(storage_frame(oid), 0, FRAME_SIZE);
	}
	ndead = 0;
	for (d = n = 0; d < npoisoned; d++) {
		uint32_t oid = poisoned_list[d];

		if (!frame_dead(oid)) {
			poisoned[oid] = 0;
			continue;
		}
		if (memcmp(storage_frame(oid), zero, FRAME_SIZE) != 0)
			die("the frame of destroyed object %u was written",
			    oid);
		poisoned_list[n++] = oid;
	}
	npoisoned = n;
}
