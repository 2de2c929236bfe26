/*
 * The console protocol as the UART driver serves it (vg/method.h:
 * CONSOLE_WRITE, CONSOLE_READ, CONSOLE_SYNC; docs/abi.md section 9):
 * decoding a request with the kernel console's checks, in its order,
 * and building READ's reply.  No system calls here: the hosted unit
 * test drives it (tests/unit/uart_test.c).
 */
#ifndef UART_REQUEST_H
#define UART_REQUEST_H

#include <stdint.h>

#include <vg/error.h>
#include <vg/message.h>

#include "ring.h"

struct console_req {
	uint64_t method;
	uint64_t n;		/* WRITE: bytes at DATA; READ: most wanted */
	const uint8_t *data;
};

/* Decode the request M into *Q: VG_ERR_METHOD for no method or another
 * object's, VG_ERR_INVALID for missing words, a WRITE claiming more
 * bytes than M holds, a READ of 0 or more than VG_CONSOLE_WRITE_MAX. */
enum vg_err console_req_parse(const struct vg_message *m,
    struct console_req *q);

/* Build READ's reply in M: as many bytes of RX as there are, up to MAX,
 * taken from it.  The count. */
uint32_t console_read_reply(struct vg_message *m, struct ring *rx,
    uint64_t max);

#endif /* UART_REQUEST_H */
