/*
 * The bench root task: vg's benchmarks (bench/README.md says what each
 * metric covers exactly).  What its files share.
 *
 * The kernel starts it as the root task; it builds its partners (raw
 * threads in two other address spaces, P1 and P2, running bpeer's code:
 * ../bench.h), measures, and prints one line per metric on the console:
 *
 *	BENCH vg <metric> [param=<k>] median=<n> min=<n> max=<n> iters=<n>
 *	...
 *	BENCH vg done
 *
 * then stops the machine with status 0 (QEMU exits 1), or, on any error,
 * prints "BENCH vg error ..." and stops it with status 1.  Under QEMU's
 * -icount shift=0 the time stamp counter counts retired guest
 * instructions: every number is an instruction count.  Each iteration is
 * timed on its own (WARMUP iterations first, not kept); the median is the
 * lower of the two middle samples, as the Linux peer computes it.
 *
 * The metrics come in groups, one file each (b_*.c), which the harness
 * (broot.c) runs in the order of its table.  The kernel command line may
 * say "only=queue,virt" (group names) to run those groups alone; a group
 * that needs another's servers builds them itself then, so its objects
 * sit in other slots than in a full run.  "profile=METRIC" makes every
 * loop short and stops after one iteration of METRIC (bench/profile.sh).
 *
 * The measured loops call vg_ipc (libvg/syscall.h) directly, never
 * libvg's call or server helpers, so that they measure the kernel's path;
 * roundtrip_libvg_client is the exception that measures libvg's
 * activation dispatcher.
 */
#ifndef BENCH_VG_ROOT_BROOT_H
#define BENCH_VG_ROOT_BROOT_H

#include <stdbool.h>
#include <stdint.h>

#include <libvg/libvg.h>

#include "../bench.h"

/* --- the harness (broot.c) --------------------------------------------- */

#define WARMUP	200u
#define ITERS	2000u

/* Iterations of every loop: WARMUP and ITERS, unless profiling. */
extern unsigned warmup, iters;
/* Where the loops keep their samples (one per measured iteration). */
extern uint64_t samples[ITERS], samples2[ITERS];

extern struct vg_runtime *rt;
extern struct vg_call *kc;

/* A group of metrics: what only= names, and the code that measures and
 * prints them. */
struct bench_group {
	const char *name;
	void (*run)(void);
};

extern const struct bench_group bench_group_syscall, bench_group_invoke,
    bench_group_roundtrip, bench_group_collect, bench_group_virt,
    bench_group_pager, bench_group_queue, bench_group_irq,
    bench_group_irqoff;

/* Print "BENCH vg error ..." and stop the machine with status 1. */
_Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* die unless ERR is VG_OK. */
void must(enum vg_err err, const char *what);

struct stats {
	uint64_t median, min, max;
	unsigned n;
};

/* The stats of the N samples at S (which it sorts). */
struct stats stats_of(uint64_t *s, unsigned n);
/* One BENCH line (PARAM < 0: none). */
void print_stats(const char *metric, int param, struct stats st);
/* Both: the stats of S, printed. */
struct stats report(const char *metric, int param, uint64_t *s, unsigned n);

/* At the top of iteration I of METRIC (PARAM < 0: none), whose first
 * measured iteration is FIRST: the marks of bench/profile.sh. */
void prof(const char *metric, int param, unsigned i, unsigned first);

/* --- objects, slots, spaces, partners (spaces.c) ----------------------- */

#define NONE	((struct vg_cap_translator){ 0 })
#define GUARD34	((struct vg_cap_translator){ \
	.guard_depth = VG_BOOT_ROOT_GUARD_DEPTH })

/* A slot in a cappage of mine (depth 50), for capabilities the measured
 * paths do not name. */
vg_addr_t obj_slot(void);
/* A root slot of mine (depth 42): what the measured paths name. */
vg_addr_t root_slot(void);
/* A new object of TYPE at A / in an object slot. */
vg_addr_t obj_new_at(enum vg_type type, vg_addr_t a, const char *what);
vg_addr_t obj_new(enum vg_type type, const char *what);
/* Copy the capability at SRC to DST, both addresses of mine. */
void copy(vg_addr_t dst, vg_addr_t src, unsigned flags,
    struct vg_cap_translator tr, const char *what);
/* A weak copy of A, in a root slot if ROOT. */
vg_addr_t weak_of(vg_addr_t a, bool root);

/* An address space: mine, or one of the partners'. */
struct space {
	const char *name;
	bool own;
	struct vg_spawn sp;
	unsigned next_slot;		/* its next free root slot */
};

extern struct space self, p1, p2;

/* The root cappage of S, as an address of mine. */
vg_addr_t space_root(const struct space *s);
/* A fresh empty root slot of S, as S names it. */
vg_addr_t space_slot(struct space *s);
/* Put the capability at MINE (WEAKENed if asked) in a slot of S; its
 * address as S names it. */
vg_addr_t give(struct space *s, vg_addr_t mine, unsigned flags);
/* A fresh zeroed page of the shared region (the same address in P1 and
 * P2). */
uint64_t shared_page(void);
/* Load bpeer into partner space S. */
void load_peer(struct space *s);
/* A messenger in my storage whose messages resolve in S, activating
 * THREAD (mine; void: none), with the page at BUF_VA (0: none) and id ID
 * (0: none); its capability in a root slot of mine if ROOT. */
vg_addr_t msgr_new(struct space *s, vg_addr_t thread, uint64_t buf_va,
    uint64_t id, bool root);
/* THREAD_EXREGS on THREAD (mine). */
void exregs(vg_addr_t thread, uint64_t control, uint64_t ip, uint64_t sp,
    uint64_t hip, uint64_t hsp, uint64_t xs, uint64_t xe);

/* A partner: a raw thread in S running bpeer's ENTRY, its UTCB and its
 * state in the shared region. */
struct partner {
	struct space *sp;
	vg_addr_t thread;		/* mine */
	struct bsrv *s;
};

void partner_new(struct partner *p, struct space *s, const char *entry);
void partner_start(struct partner *p);
/* die if the partner counted bad requests or errors. */
void partner_check(const struct partner *p, const char *what);

/*
 * Where a partner sends its answer (the reply of an echo server, a
 * virtualizer's or a pager's answer):
 *
 *	ANS_STATIC	to a capability it was given once (an rmessenger to
 *			the messenger that waits for the answer)
 *	ANS_ROOT	to the reply capability each request carries (c0),
 *			which it receives into a slot of its root cappage
 *			(what libvg's receivers do)
 *	ANS_OFFPATH	the same, into a slot of a cappage of its own that no
 *			data access translates through
 */
enum answer { ANS_STATIC, ANS_ROOT, ANS_OFFPATH };

/* Where a partner in S receives the reply capability of requests, as S
 * names it (void: nowhere). */
vg_addr_t answer_slot(struct space *s, enum answer how);

/*
 * Arm B, a virtualizer of KIND in P2 that receives requests on RECV (its
 * address in P2): it answers to the reply right it receives in RSLOT
 * (answer_slot(HOW)), or, for ANS_STATIC, to a weak copy of STAT (an
 * address of mine); it sends from SEND (mine).
 */
void virtualizer_arm(struct bsrv *b, enum bsrv_kind kind, vg_addr_t recv,
    vg_addr_t rslot, enum answer how, vg_addr_t stat, vg_addr_t send);

/* --- the client: my thread's messengers and handlers (client.c) -------- */

extern volatile struct vg_utcb *utcb;

/* libvg's channel over REPLY and SENDER (roundtrip_libvg_client: its
 * calls, and the replies libvg's dispatcher took). */
extern struct vg_channel chan;

/* Faults of mine the pager could not resolve, the last one, and the
 * handler that counts them (its id is my exception messenger's). */
extern volatile uint64_t my_faults;
extern struct vg_activation my_fault;
extern struct vg_act_handler fault_h;

/* My thread's activation handler: the fast one (../bench.h), for the
 * round trips, or libvg's again. */
void handler_fast(void);
void handler_libvg(void);

extern vg_addr_t reply;		/* R: the replies come here (inline) */
extern vg_addr_t reply_weak;	/* an rmessenger to it, in my space */
extern vg_addr_t sender;	/* S: sends the requests (inline) */
extern vg_addr_t psender;	/* sends from its buffer page */
extern struct vg_message *psend_page;
extern vg_addr_t ksend, krecv;	/* kernel invocations; reply in KPAGE */
extern struct vg_message *kpage;
extern vg_addr_t capsrc;	/* a cappage of 16 pages: sent capabilities */

/* Make them, and register the handlers. */
void client_init(void);

/* --- echo servers and the client's round trip (echo.c) ----------------- */

/* An echo server in P1: its request messenger, as I can send to it. */
struct echo {
	struct partner p;
	vg_addr_t req_weak;	/* mine: an rmessenger to its requests */
};

/*
 * Server E in space S: receives inline (or into a page of its own with
 * NCAPS target slots preloaded, if PAGE) and answers as HOW says:
 * REPLY_TO (as S names it) if ANS_STATIC.
 */
void echo_new(struct echo *e, struct space *s, bool page, unsigned ncaps,
    enum answer how, vg_addr_t reply_to);

/* P1's rmessenger to my reply messenger R, where P1's servers answer
 * ANS_STATIC; given when first asked for. */
vg_addr_t p1_reply_right(void);
/* The plain echo server (inline, ANS_STATIC), made when first asked for:
 * "roundtrip" measures it, and the virtualized round trips end at it. */
struct echo *echo_plain(void);

/*
 * The client's round trip: one vg_ipc -- RECEIVE on R (inline, with
 * activation), SEND to TARGET, no RETURN -- which suspends the thread
 * until the reply's activation resumes it.  ONEWAY gets the time from
 * before that call until the server's handler started (SRV->t1, if SRV),
 * RTT the time until the client holds the reply.  The reply must be word
 * 0 + 1.  CLIENT says who makes the call and takes the reply.
 */
enum req_form { REQ_INLINE, REQ_INLINE_CAP, REQ_PAGE };
enum client {
	CLIENT_BENCH,		/* this vg_ipc; the reply read from the UTCB */
	CLIENT_DISPATCH,	/* this vg_ipc; libvg's dispatcher takes the
				 * reply (handler_libvg) */
	CLIENT_CHANNEL,		/* libvg's vg_channel_call on chan (FORM
				 * REQ_INLINE), its dispatcher too */
};

void rtt_loop(const char *what, enum req_form form, unsigned ncaps,
    vg_addr_t target, struct bsrv *srv, uint64_t *oneway, uint64_t *rtt,
    enum client client);

/* The plain round trip ("roundtrip", through handler_fast): RTT samples
 * in samples, one-way samples in ONEWAY (NULL: not kept); its stats, not
 * printed. */
struct stats roundtrip_plain(uint64_t *oneway);
/* Its stats: the last measured, or measured now if none was. */
struct stats roundtrip_plain_stats(void);

#endif /* BENCH_VG_ROOT_BROOT_H */
