/*
 * A split virtqueue (virtio 1.x, section 2.7) in one page of the
 * driver's: the descriptor table, the driver ("available") ring and the
 * device ("used") ring, each at the offset below, so that one DMA
 * address gives all three.  The driver hands the device chains of
 * descriptors; the device gives back the head of each chain it is done
 * with, in the order it finishes them.
 */
#ifndef VIRTIO_BLK_VIRTQ_H
#define VIRTIO_BLK_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTQ_SIZE		64u	/* descriptors, a power of two */
#define VIRTQ_DESC_OFFSET	0u	/* 16 * VIRTQ_SIZE bytes */
#define VIRTQ_AVAIL_OFFSET	1024u	/* 6 + 2 * VIRTQ_SIZE */
#define VIRTQ_USED_OFFSET	2048u	/* 6 + 8 * VIRTQ_SIZE */

#define VIRTQ_DESC_F_NEXT	1u
#define VIRTQ_DESC_F_WRITE	2u	/* the device writes this buffer */

struct virtq_desc {
	uint64_t addr;			/* physical */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[VIRTQ_SIZE];
	uint16_t used_event;
};

struct virtq_used_elem {
	uint32_t id;			/* the chain's head */
	uint32_t len;			/* bytes the device wrote */
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[VIRTQ_SIZE];
	uint16_t avail_event;
};

struct virtq {
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint64_t phys;			/* of the page: desc, then the rings */
	uint16_t avail_idx;		/* the next avail->idx */
	uint16_t used_seen;		/* used entries taken so far */
};

/* The queue in the page mapped at VA, physical PHYS, emptied. */
void virtq_init(struct virtq *q, void *va, uint64_t phys);

/* Descriptor I of the table. */
void virtq_set(struct virtq *q, unsigned i, uint64_t addr, uint32_t len,
    uint16_t flags, uint16_t next);

/* Offer the chain headed by descriptor HEAD to the device; it learns of
 * it when notified. */
void virtq_offer(struct virtq *q, uint16_t head);

/* The head of the next chain the device has finished, and the bytes it
 * wrote in *LEN; false if there is none. */
bool virtq_take(struct virtq *q, uint16_t *head, uint32_t *len);

#endif /* VIRTIO_BLK_VIRTQ_H */
