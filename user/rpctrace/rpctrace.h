/*
 * rpctrace: run a program with its IPC root virtualized and log every
 * invocation it makes (docs/virtualizers.md, "rpctrace").
 *
 * The traced program's messengers resolve the targets and capabilities
 * of its messages in a virtual root that this program serves (vroot.c).
 * Every INDEX for a send's target is answered with a fresh proxy: an
 * rmessenger to a messenger of mine standing for the capability really
 * at that address (proxy.c).  What the program sends there is logged,
 * forwarded to the real object and its reply logged and relayed back.
 * Capabilities that messages carry, and the slots replies are stored
 * in, resolve in the program's real tree: the virtual root answers them
 * with the real root slot and lets the kernel walk on.  Whatever the
 * program stores in its space, or reads out of cappages it is given, at
 * any depth, is found there again by the next lookup: everything it
 * invokes passes through a proxy.
 *
 * The log has two forms on my console: a line of text per invocation
 * and per reply for people (log.c), and a line per event for tools
 * (events.c: "rpctrace-event:" lines, which tools/trace2json turns into
 * a Chrome trace; docs/virtualizers.md, "Traces to look at").
 *
 * Limits: the run time's bootstrap (before main: the boot messenger is
 * send and reply messenger at once) and the kernel calls of its
 * activation handler (which cannot wait for an activation) use the real
 * root and are not traced, nor are the messages to its parent (those
 * come to me as its parent and go on to mine).  The virtual root takes
 * the program's root slot TRACE_IPC_ROOT_SLOT: the program cannot use
 * it, and the slot, void when untraced, holds an rmessenger -- a
 * capability operation on an address through it fails with
 * VG_ERR_VIRTUAL ("virtualized level") where it would fail with
 * VG_ERR_VOID ("void capability"), and a message sent to it comes to
 * my virtual root.  A target proxy carries one message, a return proxy
 * one reply.  The pools are fixed: a send that finds no free proxy goes
 * through untraced and is counted.  A forwarded message carries at most
 * PROXY_CAPS capabilities.  Every invocation is put down to the
 * program's first thread (a message does not say which of its
 * messengers sent it), and a server is known only by the address the
 * program sends to (a send right does not say who receives).
 */
#ifndef RPCTRACE_H
#define RPCTRACE_H

#include <libvg/libvg.h>
#include <libvg/server.h>
#include <libvg/virt.h>

/* The tracee's root slot for its IPC root (libvg/env.h ipc_root). */
#define TRACE_IPC_ROOT_SLOT	255u

#define PROXY_CAPS	8	/* capabilities a traced message may carry */
#define NPROXIES	24
#define NSENDERS	24

/* What rpctrace reports to its parent (VG_PARENT_REPORT, w1). */
enum trace_report {
	TRACE_REPORT_COUNTS = 0x7301,	/* w2 invocations, w3 of them through
					 * a capability two cappages deep */
	TRACE_REPORT_METHODS = 0x7302,	/* w2 bit i: a method with
					 * vg_method_index i was invoked (bit
					 * 0: another), w3 messages to
					 * servers */
};

enum proxy_kind { PROXY_FREE, PROXY_TARGET, PROXY_RETURN };

/* A messenger of mine that the tracee (or a server replying to it)
 * sends to, standing for REAL. */
struct proxy {
	struct vg_act_handler h;	/* first: its address is the id */
	enum proxy_kind kind;
	bool armed;
	vg_addr_t m, weak;		/* receives; an rmessenger to it */
	struct vg_message *page;
	vg_addr_t slot[PROXY_CAPS];	/* where arriving capabilities go */
	vg_addr_t real;			/* what it stands for */
	enum vg_type real_type;
	vg_addr_t c0w;			/* a weak copy of capability 0 */
	vg_addr_t addr;			/* the tracee's address (residual) */
	uint64_t seq;			/* the invocation (return proxies) */
};

/* What a sender's message is: how its delivery is logged. */
enum sender_job {
	SENDER_FORWARD,		/* a message, on to its server */
	SENDER_RELAY,		/* a reply, back to the program */
};

/* A messenger of mine that sends forwarded messages and relayed
 * replies, busy until the kernel says it was delivered. */
struct sender {
	struct vg_act_handler h;
	bool busy;
	enum sender_job job;
	uint64_t seq;			/* the invocation it carries */
	vg_addr_t m;
	struct vg_message *page;
	vg_addr_t slot[PROXY_CAPS];	/* capabilities of relayed replies */
	struct proxy *release;		/* free it once delivered */
};

struct tracer {
	vg_addr_t tracee_root;		/* my slot: its root cappage */
	uint64_t tracee_tid;		/* its first thread's id */
	struct vg_receiver vroot;
	vg_addr_t scratch;		/* answers that walk on */
	struct vg_call fwd;		/* forwarding to kernel objects */
	struct proxy proxy[NPROXIES];
	struct sender sender[NSENDERS];
	uint64_t seq;			/* invocations logged */
	uint64_t deep;			/* ... two cappages deep or more */
	uint64_t to_servers;
	uint64_t methods;		/* bit vg_method_index(m) */
	uint64_t requests;		/* kernel requests served */
	uint64_t untraced;		/* pools were empty */
};

extern struct tracer tr;

/* slots.c: slots in cappages of mine, for the pools. */
vg_addr_t trace_slot(void);

/* vroot.c */
enum vg_err vroot_init(void);

/* proxy.c */
enum vg_err proxies_init(void);
struct proxy *proxy_take(enum proxy_kind kind);
void proxy_free(struct proxy *p);
enum vg_err proxy_arm(struct proxy *p);

/* An invocation as the log shows it. */
struct trace_call {
	const char *type;		/* what the address holds */
	char where[48];			/* the address (trace_addr) */
	char name[32];			/* "cap_read", "message 0x1000", ... */
	char args[160];			/* "addr 0x3/8", "4 words, 32 bytes" */
	char caps[96];			/* "rpage, page": capabilities 1.. */
	bool message;			/* to a server, not a kernel object */
};

/* A reply as the log shows it. */
struct trace_result {
	const char *result;		/* word 0: the error's name */
	char words[128];		/* words 1..5 */
	char caps[96];			/* capabilities 0.. */
};

/* log.c: the text lines */
void trace_addr(char *buf, size_t size, vg_addr_t residual);
void trace_request(struct proxy *p, uint64_t seq, struct trace_call *c);
void trace_reply(uint64_t seq, const struct vg_message *m,
    const vg_addr_t *slots, struct trace_result *r);

/* events.c: the event lines, with the time each was seen */
uint64_t event_now(void);
void event_thread(uint64_t ts, uint64_t tid, const char *program);
void event_call(uint64_t ts, uint64_t seq, const struct trace_call *c);
void event_reply(uint64_t ts, uint64_t seq, const struct trace_result *r);
void event_sent(uint64_t ts, const struct sender *s);
void event_delivered(uint64_t ts, const struct sender *s);
void event_failed(uint64_t ts, uint64_t seq, const char *what,
    const char *why);

#endif /* RPCTRACE_H */
