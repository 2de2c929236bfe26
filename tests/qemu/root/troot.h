/*
 * The test root task: the harness shared by the test groups.
 *
 * The kernel starts troot as the root task.  It runs groups of tests one
 * after another; each group starts the test programs it needs (boot
 * modules, by name) with libvg's loader, plays its own part (sender,
 * receiver, virtualizer, pager, exception handler) in its activation
 * handler, checks what happened, and destroys the programs again.  Every
 * group reports a fixed number of results, so the TAP plan ("1..N") is
 * known before the first test runs:
 *
 *	1..N
 *	# group ipc
 *	ok 1 - ipc: ...
 *	not ok 2 - ipc: ...
 *	# diagnostics
 *
 * and the machine ends with status 0 (vg_exit, through the power
 * capability only troot has) if everything passed, else 1.  The
 * programs it starts print through a console of troot's (t_console.c),
 * which labels their lines "# <program>: ", so that nothing but troot
 * can print a result.  The kernel command line may say "skip=a,b" or
 * "only=a,b" (group names): tests/build/qemu.sh boots again without a
 * group that hung.  "hang=a" makes group a hang, to test that.
 */
#ifndef TROOT_H
#define TROOT_H

#include <stdbool.h>
#include <stdint.h>

#include <libvg/libvg.h>

#include "../common/tproto.h"

/* --- TAP ---------------------------------------------------------------- */

#define T_GROUP_MAX	24

struct t_group {
	const char *name;
	unsigned n;				/* results it reports */
	const char *const *names;		/* their names */
	void (*run)(struct t_group *g);
	bool ok[T_GROUP_MAX];
	bool set[T_GROUP_MAX];
};

/* Result I of G: OK (results given twice must both be true). */
void t_ok(struct t_group *g, unsigned i, bool ok);
/* A "# " diagnostic line. */
void t_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A diagnostic for a check: prints it if !OK; returns OK. */
bool t_expect(bool ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* --- waiting -------------------------------------------------------------- */

/* Set by every activation the harness handles. */
extern volatile uint64_t t_wake;

/* Suspend until *COUNTER >= N (the activation handler counts). */
void t_wait_for(volatile uint64_t *counter, uint64_t n);

/* --- messengers of the root ------------------------------------------------- */

/* Every activation a probe's messenger causes is counted and kept. */
struct probe {
	struct vg_act_handler h;	/* first: its address is the id */
	vg_addr_t m;			/* the messenger, strong, my slot */
	vg_addr_t weak;			/* an rmessenger to it */
	uint64_t page_va;		/* its buffer page (0: none) */
	struct vg_message *page;
	volatile uint64_t received, delivered, errors, faults, events;
	struct vg_activation last;	/* the last activation */
	struct vg_activation last_received;
	struct vg_activation last_fault;
	int32_t first_error;
	void (*hook)(struct probe *p, const struct vg_activation *a);
	void *cookie;
};

/* A messenger of the root (its thread, its space), with a buffer page
 * if PAGE, and an rmessenger to it. */
enum vg_err probe_init(struct probe *p, const char *name, bool page);
/* Unregister it and give its slots back (the object stays). */
void probe_fini(struct probe *p);
/* Receive: inline (a capability goes to CAP_SLOT, unless void), or into
 * the page with N slots preloaded.  With activation; returns at once. */
enum vg_err probe_arm_inline(struct probe *p, vg_addr_t cap_slot);
enum vg_err probe_arm_page(struct probe *p, const vg_addr_t *slots,
    uint32_t n);

/* The activation log: every activation the harness saw, in order. */
struct t_event {
	uint64_t id;
	uint32_t reason;
	int32_t error;
};
#define T_LOG_MAX	512
extern struct t_event t_log[T_LOG_MAX];
extern volatile uint32_t t_nlog;

/* --- slots and pages ------------------------------------------------------ */

vg_addr_t t_slot(void);		/* a free slot of mine (void if none) */
void t_slot_free(vg_addr_t *slot);	/* rub it out, give it back, void it */
unsigned t_slots_free(void);
uint64_t t_page(void);		/* a zeroed page of mine (0 if none) */
void t_page_free(uint64_t va);

/* --- test programs ---------------------------------------------------------- */

#define T_PREPORTS_MAX	8

struct tchild {
	struct vg_act_handler h;	/* first: the id of PARENT */
	const char *name;		/* its boot module */
	struct vg_spawn sp;
	vg_addr_t parent;		/* receives its reports (and faults) */
	vg_addr_t inbox;		/* a REGISTER capability lands here */
	vg_addr_t service;		/* ... and is kept here */
	uint64_t mailbox_va;
	struct t_mailbox *mb;		/* the mailbox, as I see it */
	bool loaded;
	volatile uint64_t registered, exited, reports, faults, events;
	uint64_t reg_value;
	int64_t status;
	uint64_t report[3];		/* the last T_REPORT: tag, a, b */
	/* VG_PARENT_REPORTs (libvg/env.h), in order: what, a, b. */
	uint64_t preport[T_PREPORTS_MAX][3];
	uint32_t preports;
	struct vg_activation fault;	/* the last fault activation */
	/* Its console (t_console.c): the lines it printed, and how many of
	 * them began like a TAP result or plan (all labelled, none taken). */
	struct t_console *console;
	volatile uint64_t lines, tap_lines;
};

/*
 * Build program NAME (a boot module) with QUOTA_FOLIOS folios of storage
 * and NARGS arguments, a mailbox, and its parent messenger; with
 * EXCEPTIONS, the parent messenger is also its thread's exception
 * messenger, so that its faults reach this harness.  It does not run
 * yet.
 */
enum vg_err child_load(struct tchild *ch, const char *name,
    unsigned quota_folios, unsigned nargs, const uint64_t *args,
    bool exceptions);
/* The same, with its activity's other limits (struct vg_spawn's
 * meaning: 0 the default, PRIORITY the highest priority plus 1). */
struct t_limits {
	uint64_t page_tables;
	uint32_t weight;
	uint32_t priority;
};
enum vg_err child_load_limited(struct tchild *ch, const char *name,
    unsigned quota_folios, const struct t_limits *limits, unsigned nargs,
    const uint64_t *args, bool exceptions);
enum vg_err child_start(struct tchild *ch);
/* Give it capability CAP in its root slot SLOT (weakened if WEAK). */
enum vg_err child_give(struct tchild *ch, unsigned slot, vg_addr_t cap,
    bool weak);
/* Put the page at my VA in its space at CHILD_VA (an existing page slot,
 * e.g. T_SHARED). */
enum vg_err child_map(struct tchild *ch, uint64_t child_va, uint64_t my_va);
/* Destroy everything it is made of, and give my slots back. */
void child_destroy(struct tchild *ch);
/* Destroy it, then wait (spinning, up to TIMEOUT cycles) until the
 * reaper has all its storage back: its activity's slot is free again.
 * True if it came back; *CYCLES (if not NULL) how long that took. */
bool child_destroy_reaped(struct tchild *ch, uint64_t timeout,
    uint64_t *cycles);
/* The address of symbol NAME in its image (0 if none). */
uint64_t child_symbol(struct tchild *ch, const char *name);
/* Print its mailbox log (failed checks) as diagnostics; true if it
 * reported no failure. */
bool child_mailbox_ok(struct tchild *ch);

/* Give CH a console of mine in its VG_SLOT_CONSOLE (child_load does),
 * and take it back (child_destroy does). */
enum vg_err t_console_give(struct tchild *ch);
void t_console_take(struct tchild *ch);

/*
 * Suspend until *COUNTER >= N, unless program CH has faulted or exited
 * (now or meanwhile): a program that died does not leave the harness
 * waiting.  Returns true if the count was reached.
 */
bool t_wait_child(struct tchild *ch, volatile uint64_t *counter, uint64_t n);

/*
 * The bystander of the isolation tests (t_bystander.c): a program in its
 * own space that answers echoes.  Start it (once; true if it answers),
 * ask it (true if it answered this request and every one before), stop
 * it.
 */
bool t_bystander_start(void);
bool t_bystander_ok(void);
void t_bystander_stop(void);

/* The boot information (the modules). */
const struct vg_boot_info *t_boot(void);

/* The groups (t_*.c). */
extern struct t_group t_group_ipc, t_group_caps, t_group_fault,
    t_group_virt, t_group_pager, t_group_stress, t_group_lifecycle,
    t_group_sysflags, t_group_trace, t_group_remap, t_group_drivers,
    t_group_devmem;
/* The isolation tests: several groups named "isolation" (only=isolation
 * runs them all): t_iso_faults.c (fault loops, failed calls, pending
 * sends), t_iso_hardware.c (the processor's protections),
 * t_iso_authority.c (the console and the power), t_iso_resources.c
 * (storage quotas and priorities), t_iso_cpu.c (the processor's share:
 * a thread bomb, a large destruction), t_iso_pages.c (page tables). */
extern struct t_group t_group_iso_faults, t_group_iso_hardware,
    t_group_iso_authority, t_group_iso_resources, t_group_iso_cpu,
    t_group_iso_pages;

/*
 * The watcher of t_iso_cpu.c (t_watcher.c): tiso's T_ISO_WATCH in an
 * activity of its own with CPU weight WEIGHT, which records the longest
 * time it is kept off the processor.  Start it (it calibrates its clock
 * against the timer tick first; false if it could not), let it GO, and
 * end it (STOP, unless it ended itself after the watch of TICKS ticks
 * it was started with) with its results.
 */
struct t_watch {
	uint64_t tick;			/* cycles per tick */
	uint64_t cluster;		/* runs that agreed on it */
	uint64_t cal_pause;		/* its pauses while calibrating */
	uint64_t max, max_at;		/* the longest pause, when */
	uint64_t span, ran, pauses, reads;
	uint64_t second;		/* the second longest pause */
	uint64_t noise, noise_max;	/* the host's gaps in its runs */
	uint64_t hist[T_IW_HIST_N];	/* pauses by length in ticks */
};
bool t_watcher_start(struct tchild *w, uint32_t weight, uint64_t ticks);
/* Let it go, and wait (spinning) until it watches. */
void t_watcher_go(struct tchild *w);
bool t_watcher_end(struct tchild *w, bool stop, struct t_watch *out);
/* CYCLES in hundredths of a millisecond, by the watcher's tick (10 ms). */
uint64_t t_watch_cms(const struct t_watch *r, uint64_t cycles);

/* Small helpers. */
uint64_t t_hash(const void *p, uint64_t n);
static inline uint64_t
t_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#endif /* TROOT_H */
