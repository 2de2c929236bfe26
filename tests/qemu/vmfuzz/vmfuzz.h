/*
 * In-VM test program "tvmfuzz": a fuzzer of the real kernel entry path
 * (system calls, traps, the MMU), started by the test root
 * (tests/qemu/root/t_vmfuzz.c).  A PRNG seeded from its first argument
 * picks each operation: raw system calls with random registers, kernel
 * methods on the objects it holds, capability copies, faults of its own,
 * requests to a guest thread, answers to the kernel's virtualization
 * requests, destruction of what is in use.  The seed and the operation
 * count replay a run (the interleaving with the other programs, which
 * the timer decides, does not replay).
 *
 * It must survive what it does to itself, so its world has two parts:
 *
 *   MINE (precious): its own space FR (root cappage, image, heap,
 *   stack, UTCB), its thread, its call contexts, its exception
 *   messenger E, the waker W with its messengers, the main-bound
 *   messengers MB (their THREAD is my thread: their activations are
 *   mine), the virtualizer's messenger VZ, and the folio MF they live
 *   in.  No capability to any of these is ever where the playground can
 *   reach it strongly, so nothing the playground does can reach them.
 *
 *   THE PLAYGROUND: the sandbox space SB (a root cappage in MF, with the
 *   34-bit zero guard like mine) and everything its capability slots
 *   (128..255) lead to: playground folios, a sub-activity, pages,
 *   cappages, threads and messengers made from them, rmessengers to the
 *   MBs and to VZ, and the guest thread G, which makes system calls from
 *   inside SB.  Random operations act on the playground, through its own
 *   messengers (whose addresses resolve in SB), so whatever they walk,
 *   copy, store or destroy is playground.
 *
 * The bridges are few and checked.  My slot P_SB holds SB, so my own
 * lookups reach its slots as P_SB/j; but a call of mine with my own
 * call context never goes to an rmessenger there (vf_target_ok: it
 * would hand the playground my reply messenger and could wait on it for
 * good), nor below one of SB's slots (an rmessenger on the way would
 * suspend it).  The victim pages are mapped in both spaces: I randomize
 * them, the playground uses them, and I touch them only with probes
 * that survive a page the playground destroyed.  The operations on my
 * own objects (self ops) pick only arguments that cannot hurt me, and
 * copy into the playground only what cannot (my thread, activity and
 * folio weakened, which is void; rmessengers to the MBs).  My own random
 * system calls never bind a messenger to me (the _SET_*_TO_CALLER flags
 * are the guest's).  What a call may do that I did not foresee, my
 * repairs (world.c) find and undo, and my oracles report if the kernel
 * did it.
 *
 * Suspending myself: a random vg_ipc of mine without RETURN could wait
 * for good, so before it I start my waker W, a thread of mine that sends
 * one word to my wake messenger MW and suspends; MW's activation ends
 * the wait, or, if it came before the call was made, skips the call.
 *
 * SB's slots 1..7 hold the pages its threads execute and use (G's code,
 * G's request page and UTCB, the trap pages), each directly in the
 * region slot with a 10-bit guard: a random address must match those
 * ten bits too to name or replace one, and generated addresses never
 * name those slots (gen.c).
 *
 * The kernel's fault loop it found first -- a thread reporting its
 * faults to itself whose handler faults, with a handler outside the user
 * half, looped in the kernel with interrupts off -- is closed (exregs
 * refuses such handlers; a thread whose own handler faults stops).  The
 * playground's threads run (T_VF_FLAG_RUN_THREADS, the default); without
 * the flag, as in the first runs, no thread of the playground but G ever
 * runs (the START bit of random THREAD_EXREGS is dropped),
 * and G is out of the playground's reach: its slot in SB has a 16-bit
 * guard, no messenger of the playground is bound to it, and I empty
 * its exception slot and set its ip before each request.  See
 * docs/architecture.md, "The test suite".
 */
#ifndef VMFUZZ_H
#define VMFUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/tlib.h"

/* --- the layout ------------------------------------------------------------- */

/* Data addresses, the same in my space and in SB. */
#define VF_REQ_VA		0x00955000u	/* region 2: G's requests */
#define VF_GUTCB_VA		0x00d6a000u	/* region 3: G's UTCB */
#define VF_TRAP_PAGES		4u		/* regions 4..7: trap bytes */
#define VF_TRAP_VA(i)		((uint64_t)(4u + (i)) << 22 | 0x2a5000u)
#define VF_VICTIM_VA		0x08000000u	/* region 32: victim pages */
#define VF_VICTIM_PAGES		16u
#define VF_VIRT_VA		0x0a000000u	/* region 40 of SB: virtual */
#define VF_HOLE_VA		0x0c000000u	/* region 48: never mapped */

/* SB's capability slots. */
enum vf_sb_slot {
	VF_SB_PF = 128,		/* the playground folio */
	VF_SB_G = 129,		/* the guest thread, behind VF_G_GUARD */
	VF_SB_GM = 130,		/* its messenger */
	VF_SB_ACT = 131,	/* a sub-activity of mine */
	VF_SB_MB = 132,		/* 132..135: rmessengers to the MBs */
	VF_SB_VZ = 136,		/* an rmessenger to the virtualizer */
	VF_SB_DYN = 137,	/* 137..199: made by operations */
	VF_SB_ANSWER = 200,	/* 200..207: reply rights of requests */
	VF_SB_STORE = 208,	/* 208..215: what STOREs carry */
	VF_SB_DYN2 = 216,	/* 216..255: made by operations */
};

/* The guard of G's slot in SB: G names itself through it, the
 * playground's random addresses do not (the fault loop, above). */
#define VF_G_GUARD		0xa5c3u
#define VF_G_GUARD_DEPTH	16

#define VF_MB			4	/* main-bound messengers */
#define VF_PX			4	/* my scratch slots for self copies */
#define VF_PENDING		8	/* requests awaiting an answer */
#define VF_OWN			4	/* folios of my own activity, at most */

/* MF's objects, by index. */
enum vf_mf_index {
	VF_MF_SB,		/* SB */
	VF_MF_G,		/* the guest thread */
	VF_MF_GM,		/* its messenger */
	VF_MF_MB,		/* 3..6: the MBs */
	VF_MF_VZ = VF_MF_MB + VF_MB,	/* the virtualizer's messenger */
	VF_MF_AM,		/* the answers' messenger (space SB) */
	VF_MF_FIRST_FREE,	/* SB's own cappages from here */
};

/* The guest's request page (at VF_REQ_VA; stubs.c knows the offsets). */
struct vf_greq {
	uint64_t seq;		/* 0: a new request when it is not DONE */
	uint64_t done;		/* 8: G copies SEQ here as it takes it */
	uint64_t kind;		/* 16: VF_G_IPC, _LOAD, _STORE */
	uint64_t regs[10];	/* 24: rdi rsi rdx r10 r8 r9 r12..r15;
				 * regs[0] is the address to touch */
	uint64_t self;		/* 104: G in SB, for COLLECT and STOP */
	uint64_t gm;		/* 112: its messenger in SB */
	uint64_t reserved;	/* 120 */
	uint64_t taken;		/* 128: requests G took */
	uint64_t stops;		/* 136: times G stopped itself */
};

enum { VF_G_IPC, VF_G_LOAD, VF_G_STORE };

/* Operation kinds (ops.c has their weights and names). */
enum vf_op {
	OP_IPC, OP_INVOKE, OP_COPY, OP_CREATE, OP_DESTROY, OP_SELF,
	OP_PROBE, OP_GUEST, OP_VIRT, OP_ANSWER, OP_PAGE, OP_THREAD,
	OP_SYSCALL, OP_HOSTILE, OP_REPAIR, OP_KINDS
};

/* What I think an SB slot holds (the playground may have changed it). */
struct vf_slot {
	uint8_t type;		/* enum vg_type */
	uint8_t page;		/* a messenger: its buffer (victim page + 1) */
	uint8_t folio;		/* made by me: its folio's SB slot */
	uint8_t index;		/* ... and index */
};

/* A request my virtualizer got and has not answered. */
struct vf_pending {
	bool live;
	uint64_t method;
	vg_addr_t residual;
	unsigned slot;		/* the SB slot of its reply right */
};

struct vf_world {
	/* my slots */
	vg_addr_t p_sb, p_sb0, p_mf, p_mb[VF_MB], p_x[VF_PX];
	vg_addr_t p_w, p_wm, p_mw, p_mw_r, p_e, p_vz, p_am;
	vg_addr_t p_check;		/* my oracles' scratch slot */
	vg_addr_t p_g;			/* the guest thread G */
	vg_addr_t p_own[VF_OWN];	/* folios from my own activity */
	/* My own handles of SB's fixed objects: a slot of SB may get a
	 * guard I do not know, and then I could not name it any more. */
	vg_addr_t p_pf, p_gm, p_act;
	struct vg_objalloc mf;
	struct vg_as sb;		/* SB, as I build it (base P_SB) */
	struct vg_objalloc pf;		/* the playground folio's objects */
	uint32_t sb_oid, g_oid, mb_oid[VF_MB];
	uint64_t quota;			/* my activity's, from my parent */
	uint64_t g_page_va;		/* the page of G's code */
	uint64_t print_va;		/* a page with a "# " line */
	uint64_t vz_va;			/* the virtualizer's buffer page */
	struct vf_greq *req;
	struct vf_slot slot[256];
	struct vf_pending pending[VF_PENDING];
	unsigned next_answer;		/* the next reply-right slot */
	bool run_threads;
	bool broken;			/* something needs a repair */
};

extern struct vf_world vf;

/* --- the PRNG and the generators (gen.c) ---------------------------------- */

void vf_seed(uint64_t seed);
uint64_t vf_rand(void);
/* Uniform in [0, n) (0 if n is 0); true with probability P percent. */
uint64_t vf_below(uint64_t n);
bool vf_chance(unsigned p);
/* A word: small numbers, edges, addresses, garbage. */
uint64_t vf_word(void);

/* Addresses: SB's view (how SB's threads and messengers resolve them),
 * relative to an invoked object (capability operations), my view of SB's
 * slot J (P_SB/J), and my view of a messenger for my own vg_ipc. */
vg_addr_t vf_sb_slot(unsigned j);
vg_addr_t vf_my_slot(unsigned j);
vg_addr_t vf_addr_sb(void);
vg_addr_t vf_addr_sb_typed(enum vg_type type);
vg_addr_t vf_addr_rel(void);
vg_addr_t vf_addr_my_messenger(void);
/* An SB slot I think holds TYPE (or any slot, if none), or -1 for none. */
int vf_pick_slot(enum vg_type type);
/* A free-ish SB slot for something new. */
unsigned vf_pick_dyn_slot(void);
/* Keep an address out of SB's guarded slots (see vmfuzz.h). */
vg_addr_t vf_sanitize_sb(vg_addr_t a);
vg_addr_t vf_sanitize_rel(vg_addr_t a);
/* Instruction and stack pointers for the playground's threads. */
uint64_t vf_ip(void);
uint64_t vf_sp(void);
/* Fill N bytes with random ones (never a syscall instruction). */
void vf_fill(void *p, uint64_t n);

/* --- the machine level (stubs.c) --------------------------------------------- */

/*
 * A raw system call: REGS are rax, rdi, rsi, rdx, r10, r8, r9, r12, r13,
 * r14, r15; returns rax.  rax 2 is refused (DEBUG_EXIT).  Returns
 * VF_SKIPPED if my waker came before the call was made (vmfuzz.c).
 */
#define VF_SKIPPED	(~0ull)
uint64_t vf_syscall(const uint64_t regs[11]);

/* Probes: a load, a store, a jump, a copy into memory, each of which may
 * fault; a fault makes them return VF_FAULTED (the handler, main.c). */
#define VF_FAULTED	(~0ull - 1)
uint64_t vf_probe_load(uint64_t va);
uint64_t vf_probe_store(uint64_t va, uint64_t v);
uint64_t vf_probe_jump(uint64_t va);
uint64_t vf_probe_copy(uint64_t dst, const void *src, uint64_t n);
uint64_t vf_probe_insn(unsigned which);	/* ud2, int3, div 0, hlt, ... */
#define VF_PROBE_INSNS	6

extern char vf_sys_begin[], vf_sys_insn[], vf_sys_after[], vf_sys_skipped[];
/* Set around a call that may suspend me (ops.c); set by the waker's
 * activation that comes too early (world.c). */
extern volatile uint64_t vf_wake_armed, vf_wake_early;
extern char vf_probe_recover[];
extern volatile uint64_t vf_probe_sp, vf_probe_armed;

/* The waker W (runs in my space) and the guest G (runs in SB). */
extern char vf_w_entry[];
extern uint64_t vf_w_args[3];		/* target, messenger, word */
extern volatile uint64_t vf_w_fired;
extern char vf_g_page[], vf_g_entry[];

/* Trap bytes: single-byte instructions that fault in ring 3. */
extern const uint8_t vf_trap_bytes[];
extern const unsigned vf_ntrap_bytes;

/* --- the world (world.c) ----------------------------------------------------- */

/* The last fault of mine my handler saw. */
struct vf_fault {
	int32_t error;
	uint32_t vector;
	uint64_t address;
	uint64_t ip;
};
struct vf_fault vf_last_fault(void);
/*
 * May I invoke what my address A names with my own call context?  Not
 * if it is an rmessenger (or nothing): my request would be a message to
 * a messenger of the playground, giving it my reply messenger, and my
 * call context would wait on it, maybe for good.
 */
bool vf_target_ok(vg_addr_t a);
/* The id of MB K's handler. */
uint64_t vf_mb_id(unsigned k);

enum vg_err vf_build(void);
/* Check my world and rebuild what is broken; returns how many parts. */
unsigned vf_repair(bool full);
/* My oracles: true if they hold (a failure is reported and counted). */
bool vf_check_oracles(void);
/* Start the waker (before a call that may suspend me). */
enum vg_err vf_wake_arm(void);
/* A folio from my own activity into my slot P_OWN[K] (the one there is
 * freed first: they never add up); VG_OK or the error. */
enum vg_err vf_own_folio(unsigned k);
/* Put SRC (my address) in SB's slot J (FLAGS, TR: CAP_COPY's); a slot
 * I cannot name is emptied first, with its neighbour (a 1/128 subpage
 * of SB, discarded).  Returns CAP_COPY's error. */
enum vg_err vf_sb_put(unsigned j, vg_addr_t src, unsigned flags,
    struct vg_cap_translator tr);
/* My address of the folio I think is in SB's slot J. */
vg_addr_t vf_folio_addr(unsigned j);
/* The playground folio's next object, for my own creations. */
enum vg_err vf_pf_alloc(enum vg_type type, unsigned j);
/* Set up what I made at SB slot J (a messenger: space, buffer; a
 * thread: space, UTCB). */
void vf_setup_object(unsigned j);
/* Set up G for a request and let it run. */
void vf_guest_kick(void);

/* --- the virtualizer (virt.c) ------------------------------------------------- */

enum vg_err vf_virt_init(void);
void vf_virt_arm(void);
/* Answer a pending request (or garbage, twice, unasked). */
void vf_virt_answer(void);
/* Put my virtualizer where walks will meet it. */
void vf_virt_place(void);

/* --- operations (ops.c) and reporting (main.c) -------------------------------- */

void vf_op(enum vf_op op);
enum vf_op vf_pick_op(void);
/* The weights of the seed (its bits 32.. weigh two kinds more). */
void vf_profile(uint64_t seed);
const char *vf_op_name(enum vf_op op);

/* Count a system call; record an operation in the trace. */
void vf_count_syscall(void);
void vf_trace(enum vf_op op, uint64_t a, uint64_t b);
void vf_trace_result(uint64_t r);
/* An oracle failed: a kernel bug (or mine): report it. */
void vf_oracle(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A failed check (kept in the mailbox's log). */
void vf_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A "# " diagnostic line (all this program prints). */
void vf_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Invoke with my kernel-call context, counting the call. */
struct vg_call *vf_kc(void);

/* The victim page I (my view), or 0. */
static inline uint64_t
vf_victim(unsigned i)
{
	return VF_VICTIM_VA + (uint64_t)(i % VF_VICTIM_PAGES) * VG_PAGE_SIZE;
}

#endif /* VMFUZZ_H */
