/*
 * The block driver's virtqueue (user/virtio-blk/virtq.c), compiled in,
 * against a device played here: chains offered land in the driver ring
 * at the index the device reads, in order and past the 16-bit wrap;
 * the device's used entries come back once each, in its order, and
 * nothing comes back that the device has not published.
 */
#include <stdint.h>
#include <string.h>

#include "vgtest.h"

#include "../../user/virtio-blk/virtq.c"

static _Alignas(4096) uint8_t page[VG_PAGE_SIZE];
static struct virtq q;

/* The device: what it has taken from the driver ring so far. */
static uint16_t dev_seen;

static bool
device_take(uint16_t *head)
{
	if (q.avail->idx == dev_seen)
		return false;
	*head = q.avail->ring[dev_seen % VIRTQ_SIZE];
	dev_seen++;
	return true;
}

static void
device_done(uint16_t head, uint32_t len)
{
	uint16_t i = q.used->idx;

	q.used->ring[i % VIRTQ_SIZE].id = head;
	q.used->ring[i % VIRTQ_SIZE].len = len;
	q.used->idx = (uint16_t)(i + 1);
}

static int
setup(void **state)
{
	(void)state;
	memset(page, 0xa5, sizeof(page));
	virtq_init(&q, page, 0x123000);
	dev_seen = 0;
	return 0;
}

/* The layout the device is told: three parts of one page, emptied. */
static void
test_virtq_layout(void **state)
{
	(void)state;
	assert_ptr_equal((void *)q.desc, page + VIRTQ_DESC_OFFSET);
	assert_ptr_equal((void *)q.avail, page + VIRTQ_AVAIL_OFFSET);
	assert_ptr_equal((void *)q.used, page + VIRTQ_USED_OFFSET);
	assert_int_equal(q.phys, 0x123000);
	for (unsigned i = 0; i < VG_PAGE_SIZE; i++)
		assert_int_equal(page[i], 0);
	assert_int_equal(VIRTQ_AVAIL_OFFSET % 2, 0);
	assert_int_equal(VIRTQ_USED_OFFSET % 4, 0);
}

/* A descriptor is written where the device reads it, its index taken
 * modulo the table. */
static void
test_virtq_descriptor(void **state)
{
	(void)state;
	virtq_set(&q, 3, 0xabcdef000ull, 4096, VIRTQ_DESC_F_NEXT |
	    VIRTQ_DESC_F_WRITE, 4);
	assert_int_equal(q.desc[3].addr, 0xabcdef000ull);
	assert_int_equal(q.desc[3].len, 4096);
	assert_int_equal(q.desc[3].flags, 3);
	assert_int_equal(q.desc[3].next, 4);
	virtq_set(&q, VIRTQ_SIZE + 5, 1, 2, 0, 0);
	assert_int_equal(q.desc[5].addr, 1);
}

/* Offers reach the device in order, taken entries come back in the
 * device's order, once, and nothing before it publishes. */
static void
test_virtq_offer_take(void **state)
{
	uint16_t head;
	uint32_t len;

	(void)state;
	assert_false(virtq_take(&q, &head, &len));
	virtq_offer(&q, 0);
	virtq_offer(&q, 8);
	virtq_offer(&q, 16);
	assert_int_equal(q.avail->idx, 3);
	assert_true(device_take(&head));
	assert_int_equal(head, 0);
	assert_true(device_take(&head));
	assert_int_equal(head, 8);
	assert_true(device_take(&head));
	assert_int_equal(head, 16);
	assert_false(device_take(&head));
	/* Out of order, as a device may finish them. */
	device_done(16, 1);
	device_done(0, 4097);
	assert_true(virtq_take(&q, &head, &len));
	assert_int_equal(head, 16);
	assert_int_equal(len, 1);
	assert_true(virtq_take(&q, &head, &len));
	assert_int_equal(head, 0);
	assert_int_equal(len, 4097);
	assert_false(virtq_take(&q, &head, &len));
	device_done(8, 1);
	assert_true(virtq_take(&q, &head, &len));
	assert_int_equal(head, 8);
	assert_false(virtq_take(&q, &head, &len));
}

/* Past 65,536 offers the free-running 16-bit indexes wrap as the
 * device's do, and the rings keep their places. */
static void
test_virtq_wraps(void **state)
{
	uint16_t head;
	uint32_t len;

	(void)state;
	for (unsigned i = 0; i < 70000; i++) {
		uint16_t h = (uint16_t)((i % 8) * 8);

		virtq_offer(&q, h);
		assert_true(device_take(&head));
		assert_int_equal(head, h);
		device_done(head, i);
		assert_true(virtq_take(&q, &head, &len));
		assert_int_equal(head, h);
		assert_int_equal(len, i);
		assert_false(virtq_take(&q, &head, &len));
	}
	assert_int_equal(q.avail->idx, (uint16_t)70000);
	assert_int_equal(q.used->idx, (uint16_t)70000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_virtq_layout, setup),
		cmocka_unit_test_setup(test_virtq_descriptor, setup),
		cmocka_unit_test_setup(test_virtq_offer_take, setup),
		cmocka_unit_test_setup(test_virtq_wraps, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
