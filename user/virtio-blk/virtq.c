/*
 * The split virtqueue (virtq.h).  The device is another agent sharing
 * the page: what the driver writes must be in memory before the index
 * that publishes it, and an index read before the entries it covers.
 * x86-64 keeps stores in order and loads in order, so a compiler
 * barrier is all either side needs here; a weaker machine would need
 * real fences in their place.
 */
#include <vg/addr.h>

#include "virtq.h"

#define barrier()	__asm__ volatile("" ::: "memory")

_Static_assert(sizeof(struct virtq_desc) * VIRTQ_SIZE <= VIRTQ_AVAIL_OFFSET,
    "the descriptors overlap the driver ring");
_Static_assert(VIRTQ_AVAIL_OFFSET + sizeof(struct virtq_avail) <=
    VIRTQ_USED_OFFSET, "the driver ring overlaps the device ring");
_Static_assert(VIRTQ_USED_OFFSET + sizeof(struct virtq_used) <= VG_PAGE_SIZE,
    "the queue does not fit its page");

void
virtq_init(struct virtq *q, void *va, uint64_t phys)
{
	uint8_t *p = va;

	for (unsigned i = 0; i < VG_PAGE_SIZE; i++)
		p[i] = 0;
	q->desc = (volatile struct virtq_desc *)(p + VIRTQ_DESC_OFFSET);
	q->avail = (volatile struct virtq_avail *)(p + VIRTQ_AVAIL_OFFSET);
	q->used = (volatile struct virtq_used *)(p + VIRTQ_USED_OFFSET);
	q->phys = phys;
	q->avail_idx = 0;
	q->used_seen = 0;
}

void
virtq_set(struct virtq *q, unsigned i, uint64_t addr, uint32_t len,
    uint16_t flags, uint16_t next)
{
	volatile struct virtq_desc *d = &q->desc[i % VIRTQ_SIZE];

	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

void
virtq_offer(struct virtq *q, uint16_t head)
{
	q->avail->ring[q->avail_idx % VIRTQ_SIZE] = head;
	barrier();
	q->avail_idx++;
	q->avail->idx = q->avail_idx;
	barrier();
}

bool
virtq_take(struct virtq *q, uint16_t *head, uint32_t *len)
{
	volatile struct virtq_used_elem *e;

	if (q->used->idx == q->used_seen)
		return false;
	barrier();
	e = &q->used->ring[q->used_seen % VIRTQ_SIZE];
	*head = (uint16_t)e->id;
	*len = e->len;
	q->used_seen++;
	return true;
}
