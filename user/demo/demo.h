/*
 * The demo's protocol: a text service.  Requests follow the convention of
 * kernel objects (vg/method.h): word 0 the method, capability 0 the reply
 * messenger; a reply's word 0 is an enum vg_err.
 */
#ifndef DEMO_DEMO_H
#define DEMO_DEMO_H

#include <libvg/as.h>

#define DEMO_SERVICE_ID	0x6f6d6564u	/* "demo" */

enum demo_method {
	/* in: a string.  out: the same string. */
	DEMO_ECHO = 0x1000,
	/* in: w1 the length of the text; c1 a page holding it.
	 * out: w1 letters changed, w2 a checksum of the result;
	 * c0 a (read-only) page holding the text in capitals. */
	DEMO_UPCASE = 0x1001,
	/* in: w1 requests the client made.  out: w1 requests served. */
	DEMO_BYE = 0x1002,
};

/* Where a received page lands: in the server, the client's page; in the
 * client, the server's answer page.  A page slot of one's own tree
 * (libvg/as.h windows), named in the receive buffer in advance. */
#define DEMO_SERVER_WINDOW	(VG_AS_WINDOWS)
#define DEMO_CLIENT_WINDOW	(VG_AS_WINDOWS + 0x10000u)

/* The checksum both sides compute. */
static inline uint64_t
demo_checksum(const char *s, uint64_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
	return h;
}

#endif /* DEMO_DEMO_H */
