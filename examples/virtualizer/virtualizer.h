/*
 * The virtualizer example's contract: the server serves a 4 MiB region
 * whose every page is one page of its own, read-only; the client puts
 * the server's rmessenger in one of its root slots and reads there.
 */
#ifndef VIRTUALIZER_H
#define VIRTUALIZER_H

#define VIRT_SERVICE_ID	0x74726976u	/* "virt" */
#define VIRT_REGION	100u		/* the client's root slot for it */
#define VIRT_GREETING	"hello from a page the kernel asked a program for"
#define VIRT_BYE	0x3000u		/* any message not from the kernel */

#endif /* VIRTUALIZER_H */
