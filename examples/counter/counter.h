/*
 * The counter's protocol, shared by its server and its client.  Requests
 * follow the convention of kernel objects (vg/method.h): word 0 the
 * method, capability 0 the reply messenger; a reply's word 0 is an enum
 * vg_err.
 */
#ifndef COUNTER_H
#define COUNTER_H

#include <libvg/as.h>

#define COUNTER_SERVICE_ID	0x746e756f63u	/* "count" */

enum counter_method {
	COUNTER_ADD = 0x2000,	/* in: w1 an amount.  out: w1 the total */
	COUNTER_VIEW = 0x2001,	/* out: c0 a read-only page whose first
				 * word is the total, kept up to date */
	COUNTER_BYE = 0x2002,	/* out: w1 requests served */
};

/* Where the client receives the server's page: a page slot of its own
 * space, named in the call before the reply comes. */
#define COUNTER_WINDOW		(VG_AS_WINDOWS)

#endif /* COUNTER_H */
