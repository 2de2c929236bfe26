/*
 * The UART driver's logic that needs no device (user/uart16550): its
 * rings, wrapping and full, and its console protocol -- requests decoded
 * with the kernel console's checks in its order, READ's reply built from
 * the receive ring.  The driver's files are compiled into this test.
 */
#include <stdio.h>
#include <string.h>

#include "vgtest.h"

#include <vg/method.h>

#include "../../user/uart16550/ring.c"
#include "../../user/uart16550/request.c"

static struct ring ring;
static uint64_t page[VG_MESSAGE_SIZE / 8];

static struct vg_message *
msg(void)
{
	struct vg_message *m = (struct vg_message *)(void *)page;

	memset(page, 0, sizeof(page));
	return m;
}

static void
test_ring_wraps_and_fills(void **state)
{
	uint8_t in[300], out[300];

	(void)state;
	memset(&ring, 0, sizeof(ring));
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	/* Round and round: indices run past the size and past 2^32. */
	ring.head = ring.tail = UINT32_MAX - 100;
	for (int round = 0; round < 40; round++) {
		assert_int_equal(ring_put(&ring, in, sizeof(in)), sizeof(in));
		assert_int_equal(ring_len(&ring), sizeof(in));
		memset(out, 0, sizeof(out));
		assert_int_equal(ring_get(&ring, out, sizeof(out)), sizeof(in));
		assert_memory_equal(in, out, sizeof(in));
		assert_int_equal(ring_len(&ring), 0);
	}
	/* Full: what does not fit is refused, not overwritten. */
	for (unsigned k = 0; k < RING_SIZE / sizeof(in); k++)
		assert_int_equal(ring_put(&ring, in, sizeof(in)), sizeof(in));
	assert_int_equal(ring_put(&ring, in, sizeof(in)),
	    RING_SIZE % sizeof(in));
	assert_int_equal(ring_space(&ring), 0);
	assert_int_equal(ring_put(&ring, in, 1), 0);
	assert_int_equal(ring_get(&ring, out, 3), 3);
	assert_memory_equal(out, in, 3);
	assert_int_equal(ring_get(&ring, NULL, 0), 0);
}

static void
test_write_decoded(void **state)
{
	struct vg_message *m = msg();
	struct console_req q;

	(void)state;
	/* A buffer request with c0, the reply messenger, before the data. */
	assert_int_equal(vg_message_append_cap(m, VG_ADDR_VOID), 0);
	assert_int_equal(vg_message_append_word(m, VG_METHOD_CONSOLE_WRITE),
	    0);
	assert_int_equal(vg_message_append_word(m, 5), 0);
	assert_int_equal(vg_message_append_data(m, "hello", 5), 0);
	assert_int_equal(console_req_parse(m, &q), VG_OK);
	assert_int_equal(q.method, VG_METHOD_CONSOLE_WRITE);
	assert_int_equal(q.n, 5);
	assert_memory_equal(q.data, "hello", 5);

	/* More bytes claimed than there are: INVALID, as the kernel says. */
	m = msg();
	(void)vg_message_append_word(m, VG_METHOD_CONSOLE_WRITE);
	(void)vg_message_append_word(m, 6);
	(void)vg_message_append_data(m, "hello", 5);
	assert_int_equal(console_req_parse(m, &q), VG_ERR_INVALID);
	m = msg();
	(void)vg_message_append_word(m, VG_METHOD_CONSOLE_WRITE);
	(void)vg_message_append_word(m, UINT64_MAX);
	assert_int_equal(console_req_parse(m, &q), VG_ERR_INVALID);
	m = msg();
	(void)vg_message_append_word(m, VG_METHOD_CONSOLE_WRITE);
	assert_int_equal(console_req_parse(m, &q), VG_ERR_INVALID);
	/* A count past what a page holds is cut to the page. */
	m = msg();
	m->data_count = UINT16_MAX;
	assert_int_equal(console_req_parse(m, &q), VG_ERR_METHOD);
}

static void
test_methods_checked_first(void **state)
{
	struct vg_message *m = msg();
	struct console_req q;

	(void)state;
	assert_int_equal(console_req_parse(m, &q), VG_ERR_METHOD);
	(void)vg_message_append_word(m, VG_METHOD_POWER_OFF);
	assert_int_equal(console_req_parse(m, &q), VG_ERR_METHOD);
	m = msg();
	(void)vg_message_append_word(m, VG_METHOD_CONSOLE_SYNC);
	assert_int_equal(console_req_parse(m, &q), VG_OK);
	assert_int_equal(q.method, VG_METHOD_CONSOLE_SYNC);
	m = msg();
	m->cap_count = VG_MESSAGE_CAPS_MAX + 1;
	assert_int_equal(console_req_parse(m, &q), VG_ERR_INVALID);
}

static void
test_read_request_and_reply(void **state)
{
	struct vg_message *m = msg();
	struct console_req q;
	uint64_t w[2];

	(void)state;
	(void)vg_message_append_word(m, VG_METHOD_CONSOLE_READ);
	assert_int_equal(console_req_parse(m, &q), VG_ERR_INVALID);
	(void)vg_message_append_word(m, 0);
	assert_int_equal(console_req_parse(m, &q), VG_ERR_INVALID);
	m = msg();
	(void)vg_message_append_word(m, VG_METHOD_CONSOLE_READ);
	(void)vg_message_append_word(m, VG_CONSOLE_WRITE_MAX + 1);
	assert_int_equal(console_req_parse(m, &q), VG_ERR_INVALID);
	m = msg();
	(void)vg_message_append_word(m, VG_METHOD_CONSOLE_READ);
	(void)vg_message_append_word(m, 4);
	assert_int_equal(console_req_parse(m, &q), VG_OK);
	assert_int_equal(q.n, 4);

	/* The reply: the error, the count, the bytes at byte 16. */
	memset(&ring, 0, sizeof(ring));
	assert_int_equal(ring_put(&ring, (const uint8_t *)"abcdef", 6), 6);
	m = msg();
	assert_int_equal(console_read_reply(m, &ring, q.n), 4);
	assert_int_equal(m->cap_count, 0);
	assert_int_equal(m->data_count, VG_CONSOLE_WRITE_DATA + 4);
	memcpy(w, vg_message_data(m), sizeof(w));
	assert_int_equal(w[0], VG_OK);
	assert_int_equal(w[1], 4);
	assert_memory_equal(vg_message_data(m) + VG_CONSOLE_WRITE_DATA,
	    "abcd", 4);
	assert_int_equal(console_read_reply(m, &ring, 100), 2);
	assert_memory_equal(vg_message_data(m) + VG_CONSOLE_WRITE_DATA,
	    "ef", 2);
	assert_int_equal(ring_len(&ring), 0);
	/* The most a reply carries, whatever is asked. */
	for (int i = 0; i < 2; i++)
		(void)ring_put(&ring, (const uint8_t *)page, RING_SIZE / 2);
	assert_int_equal(console_read_reply(m, &ring, UINT64_MAX),
	    VG_CONSOLE_WRITE_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_wraps_and_fills),
		cmocka_unit_test(test_write_decoded),
		cmocka_unit_test(test_methods_checked_first),
		cmocka_unit_test(test_read_request_and_reply),
	};

	return cmocka_run_group_tests_name("uart", tests, NULL, NULL);
}
