/*
 * The storage pool: a free list of folio-sized chunks (see storage.h).
 *
 * Taking and giving a chunk are O(1).  A chunk's header survives on the
 * free list with its version counters intact; only its links change.
 */
#include <stddef.h>

#include "kstring.h"

#include "kassert.h"
#include "storage.h"

uint8_t *storage_base;
uint32_t storage_nchunks;
uint32_t storage_nframes;

static struct folio *free_chunks;
static uint32_t nfree_chunks;

static struct folio *
chunk_header(uint32_t chunk)
{
	return (struct folio *)storage_frame(chunk * FOLIO_FRAMES);
}

bool
storage_init(void *base, uint32_t nchunks)
{
	uint32_t i;

	if (base == NULL || nchunks == 0 || ((uintptr_t)base % FRAME_SIZE) != 0)
		return false;
	/* Object ids are 32 bits. */
	if ((uint64_t)nchunks * FOLIO_FRAMES > UINT32_MAX)
		return false;

	storage_base = base;
	storage_nchunks = nchunks;
	storage_nframes = nchunks * FOLIO_FRAMES;
	free_chunks = NULL;
	nfree_chunks = 0;
	/* Push in reverse so that chunks are handed out in address order. */
	for (i = nchunks; i-- > 0;) {
		struct folio *f = chunk_header(i);

		memset(f, 0, sizeof(*f));
		f->link.next = free_chunks;
		free_chunks = f;
		nfree_chunks++;
	}
	return true;
}

uint32_t
storage_free_chunks(void)
{
	return nfree_chunks;
}

struct folio *
storage_chunk_take(void)
{
	struct folio *f = free_chunks;

	if (f == NULL)
		return NULL;
	free_chunks = f->link.next;
	nfree_chunks--;
	f->link.next = NULL;
	return f;
}

void
storage_chunk_give(struct folio *f)
{
	if (f->in_use)
		kpanic("storage_chunk_give: folio still in use");
	/* A folio whose version is used up is retired, never reused. */
	if (f->version == UINT32_MAX)
		return;
	f->link.prev = NULL;
	f->link.next = free_chunks;
	free_chunks = f;
	nfree_chunks++;
}
