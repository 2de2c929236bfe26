/*
 * The in-VM tests: what the test root task (tests/qemu/root) and the test
 * programs it starts (tests/qemu/<name>) agree on.
 *
 * Every test program is started with libvg's loader.  Besides the parent
 * protocol of libvg/env.h (REGISTER, EXIT through VG_SLOT_PARENT), the
 * root gives each one a MAILBOX: a page of the root's, mapped by the root
 * at T_MAILBOX in the program's space before it starts, where the program
 * writes its own checks and results in detail.  The root reads it when
 * the program reports its exit (or faults).
 *
 * T_MAILBOX lies in the 16 KiB range of the UTCB (vg/boot.h), whose
 * cappages the loader has already built, so that the root can map it
 * with one capability copy and without allocating anything from the
 * program's own storage (the program's run time continues that folio).
 */
#ifndef TPROTO_H
#define TPROTO_H

#include <stdint.h>

#include <vg/boot.h>

#define T_MAILBOX	(VG_BOOT_UTCB + 0x1000u)	/* 0x1ff11000 */
#define T_SHARED	(VG_BOOT_UTCB + 0x2000u)	/* a second page, if given */

#define T_MAILBOX_MAGIC	0x786f626c69616d74ull	/* "tmailbox" */
#define T_LOG_SIZE	2048u
#define T_VALUES	96u

struct t_mailbox {
	uint64_t magic;			/* T_MAILBOX_MAGIC (the root) */
	uint64_t stage;			/* how far the program got */
	uint64_t checks;		/* checks made */
	uint64_t failures;		/* ... of which failed */
	uint64_t value[T_VALUES];	/* results, per test */
	uint32_t log_len;
	uint32_t reserved;
	char log[T_LOG_SIZE];		/* failed checks, one per line */
};

/* Reports to the parent besides libvg's REGISTER and EXIT: inline, word
 * 0 the kind, then up to three values (tlib.c: t_parent_report). */
enum t_report {
	T_REPORT = 0x7101,		/* w1 a tag, w2 w3 values */
};

/* --- ipc (tests/qemu/ipc) ---------------------------------------------- */

enum t_ipc_cmd {
	/* Inline request to CTL: w1..w3 values; c0 the reply messenger.
	 * Inline reply: w0 OK, w1 w1+1, w2 ~w2, w3 what the child saw:
	 * inline words | caps << 8 | cap_void << 16 | CTL receipts << 24 |
	 * replies delivered so far << 40. */
	T_IPC_ECHO = 0x1100,
	/* Inline request to CTL.  Reply in a buffer page: w0 OK, c0 an
	 * rmessenger to BUF, c1 an rmessenger to FIFO. */
	T_IPC_GETCAPS = 0x1101,
	/* Buffer request to BUF: c0 the reply messenger, w0 the command,
	 * then payload bytes.  Reply in a buffer page: w0 OK, w1 the request
	 * data length, w2 its checksum, w3 caps | cap_void << 8 of the
	 * request, then the payload reversed. */
	T_IPC_ECHO_PAGE = 0x1102,
	/* Inline to CTL, w1 N: receive N messages queued on FIFO, without
	 * blocking, then once more.  Inline reply: w0 OK, w1 the senders'
	 * indices (4 bits each, first in the low bits), w2 messages
	 * received | the last receive's error << 32, w3 how many had the
	 * right magic and nonce. */
	T_IPC_DRAIN = 0x1103,
	/* Inline to CTL.  Inline reply: w0 OK, w1 CTL receipts, w2 BUF
	 * receipts, w3 replies delivered | reply errors << 32. */
	T_IPC_STATS = 0x1104,
	/* Inline to CTL: reply OK and exit. */
	T_IPC_BYE = 0x1105,
};

#define T_IPC_FIFO_MAGIC	0x6f666966ull	/* "fifo" */

/* --- caps (tests/qemu/caps) ---------------------------------------------- */

#define T_CAPS_N		16
#define T_CAPS_MAGIC		0x73706163ull	/* "caps" */
#define T_CAPS_ID_MAGIC		0x13579bdf2468aceull
/* Which capabilities fail: bad sources 6 (a void slot) and 7 (a guard
 * mismatch); bad targets 8 (below a page), 10 (below an rcappage), 14
 * (the root address). */
#define T_CAPS_VOID_EXPECTED	((1u << 6) | (1u << 7) | (1u << 8) | \
				 (1u << 10) | (1u << 14))
/* Capability 11 is a cappage; its slot T_CAPS_CAPPAGE_SLOT holds a page. */
#define T_CAPS_CAPPAGE_SLOT	7
/* The contents of the page sent as capability I (I = 0x40: the page in
 * the cappage). */
static inline uint64_t
t_caps_word(unsigned i, unsigned k)
{
	return 0xc0de000000000000ull | (uint64_t)i << 32 | (uint64_t)k * 7u;
}

/* --- faults (tests/qemu/fault) ------------------------------------------- */

enum t_fault_kind {
	T_FAULT_NULL_READ,	/* #PF at 0: VG_ERR_VOID */
	T_FAULT_RODATA_WRITE,	/* #PF on a write to an rpage: VG_ERR_WEAK */
	T_FAULT_KERNEL_READ,	/* #PF on a kernel address: VG_ERR_ADDR */
	T_FAULT_UD2,		/* #UD */
	T_FAULT_DIV0,		/* #DE */
	T_FAULT_HLT,		/* #GP: a privileged instruction */
	T_FAULT_CLI,		/* #GP: IOPL */
	T_FAULT_INT80,		/* #GP: an interrupt gate not open to ring 3 */
	T_FAULT_NONCANONICAL,	/* #GP: a non-canonical address */
	T_FAULT_INT3,		/* #BP, a trap: reported after the int3 */
	T_FAULT_KINDS
};

/* tfault's other jobs (t_fault.c, t_lifecycle.c, t_sysflags.c). */
#define T_FAULT_SELF		100	/* ud2, handled by its own handler */
#define T_FAULT_NT_SYSCALL	101	/* a system call with RFLAGS.NT set */
#define T_FAULT_SPIN		102	/* report, then spin: value[5]++ */
#define T_FAULT_FREE_SELF	103	/* report, then free its own folio */
/* The isolation group's attacks on authority it was not given
 * (t_iso_authority.c): mailbox value[1..3] what each attempt returned. */
#define T_FAULT_NO_CONSOLE	104	/* print, with no console */
#define T_FAULT_NO_POWER	105	/* end the machine, with no power */
#define T_FAULT_FORGE		106	/* print lines that look like results */
#define T_FAULT_FORGED_LINES	3	/* ... this many */

/*
 * tfault's hardware attacks for the isolation group (t_iso_hardware.c):
 * job T_ISO_JOB + the kind, argument 1 the kernel data address to read
 * (T_ISO_READ_KDATA).  Each is a fault body like the kinds above
 * (t_insn_N, t_resume_N with N = T_ISO_BODY + the kind); the attacker
 * puts the address it attacks in mailbox value 2.
 */
enum t_iso_kind {
	T_ISO_EXEC_HEAP,	/* run code it wrote to a heap page */
	T_ISO_EXEC_STACK,	/* ... to its stack */
	T_ISO_EXEC_DATA,	/* ... to its .data */
	T_ISO_WRITE_KTEXT,	/* write the kernel's text */
	T_ISO_READ_KDATA,	/* read the kernel's data */
	T_ISO_SGDT,		/* sgdt: the GDT's kernel address */
	T_ISO_SIDT,		/* sidt: the IDT's */
	T_ISO_JUMP_KTEXT,	/* jump into the kernel's text */
	T_ISO_KINDS
};
#define T_ISO_JOB	200
#define T_ISO_BODY	10
/* The kernel's text starts here: linked at KERNEL_VIRT_BASE + 1 MiB. */
#define T_ISO_KTEXT	0xffffffff80100000ull
/* Code the attacker writes for the EXEC kinds: "jmp *%rdx", with RDX
 * its body's t_resume, so that code that runs comes straight back. */
#define T_ISO_CODE0	0xff
#define T_ISO_CODE1	0xe2

/* Mailbox stages of the fault program. */
#define T_FAULT_STAGE_ABOUT	1	/* about to fault */
#define T_FAULT_STAGE_RECOVERED	2	/* resumed at t_fault_recover */

/* --- isolation (tests/qemu/iso) -------------------------------------------- */

/* What "tiso" attacks with (its argument). */
enum t_iso_attack {
	T_ISO_HANDLER_KERNEL,	/* activation handlers at kernel addresses */
	T_ISO_HANDLER_UNMAPPED,	/* a handler where nothing is mapped */
	T_ISO_TRAP_FLAG,	/* RFLAGS.TF set, faults reported to itself */
	T_ISO_PENDING_SEND,	/* a virtualizer aims a kernel reply at the
				 * messenger whose send it holds */
	/* Resources (tests/qemu/iso/resources.c, watch.c). */
	T_ISO_QUOTA_LIFT,	/* raise its own limits, then fill its quota */
	T_ISO_GRANDCHILD,	/* fill its quota through a sub-activity */
	T_ISO_PRIORITY,		/* priorities above its limit */
	T_ISO_THREAD_BOMB,	/* spinning threads, all its quota allows */
	T_ISO_OBJECTS,		/* fill its quota with threads and messengers,
				 * then wait to be destroyed */
	T_ISO_PT_BOMB,		/* touch pages in many 2 MiB regions */
	T_ISO_PT_KEEP,		/* a bystander: touch pages, then wait */
	T_ISO_WATCH,		/* a bystander: the longest pause between two
				 * reads of the time stamp counter */
	T_ISO_ATTACKS
};

/* T_ISO_PENDING_SEND: the index tiso's virtual cappage answers, and the
 * word in the page it answers with. */
#define T_ISO_VINDEX		5
#define T_ISO_VWORD		0x7669727470616765ull	/* "virtpage" */

/*
 * The resource attacks and bystanders: each reports T_REPORT
 * T_ISO_READY (a, b: what it made) when its attack is in place, or
 * T_ISO_STEP (a: the step) where it waits for the root, which writes the
 * step into mailbox value[T_ISO_CONTINUE] to let it go on.  The root
 * ends the open-ended ones by writing 1 to value[T_ISO_STOP].  What each
 * did: mailbox value[1..] (tests/qemu/iso/resources.c).
 */
#define T_ISO_READY		0x69736f72ull		/* "rosi" */
#define T_ISO_STEP		0x69736f73ull
#define T_ISO_CALIBRATED	0x69736f63ull		/* the watcher's */
#define T_ISO_CONTINUE		30
#define T_ISO_STOP		31

/* T_ISO_THREAD_BOMB: the threads' priority, and the page the root maps
 * at T_SHARED: a counter every thread's loop increments (word 0), and
 * byte T_ISO_SEEN + i set once thread i ran. */
#define T_ISO_BOMB_PRIORITY	2
#define T_ISO_SEEN		64u
#define T_ISO_SEEN_MAX		(4096u - T_ISO_SEEN)

/* T_ISO_PT_BOMB and T_ISO_PT_KEEP: one page in each of N (argument 1)
 * 2 MiB regions from T_ISO_PT_BASE on. */
#define T_ISO_PT_BASE		0x4000000ull		/* 64 MiB */
#define T_ISO_PT_REGION		0x200000ull
#define T_ISO_PT_MAX		192u	/* up to 448 MiB: below the heap */

/*
 * The watcher (T_ISO_WATCH; argument 1: the longest watch, in ticks).
 * It calibrates first: a second thread of its own spins beside it, and
 * the round robin of an activity's threads switches at every timer tick,
 * so its runs between pauses last a tick (whatever else runs in the
 * pauses); the cluster of equal runs gives the cycles per tick, reported
 * as T_REPORT T_ISO_CALIBRATED (a: cycles, b: runs in the cluster).  The
 * second thread stops, and from the root's GO to its STOP (or the
 * longest watch) the watcher records its longest pause.  Gaps shorter
 * than T_IW_GAP_MIN are its loop and the host's noise under QEMU's TCG
 * (up to some 2^20 cycles); a tick is some 10^7 cycles at any clock
 * rate a host has.  Mailbox values:
 */
#define T_IW_HIST_N	5
#define T_IW_GAP_MIN	(1ull << 21)	/* cycles: a gap, not the loop */
enum t_iso_watch_value {
	T_IW_TICK = 1,		/* cycles per tick */
	T_IW_CLUSTER,		/* runs in the cluster that gave it */
	T_IW_CAL_PAUSE,		/* the pauses' cluster in the calibration */
	T_IW_MAX,		/* the longest pause in the watch, cycles */
	T_IW_MAX_AT,		/* when it began, cycles into the watch */
	T_IW_SPAN,		/* the watch, cycles */
	T_IW_RAN,		/* of which it ran (gaps below a quarter tick) */
	T_IW_PAUSES,		/* pauses of more than half a tick */
	T_IW_READS,		/* reads of the counter in the watch */
	T_IW_WATCHING,		/* 1: the watch began (after GO) */
	T_IW_SECOND,		/* the second longest pause */
	/* Gaps too short for a pause and too long for the loop, inside its
	 * runs: the host's, which stopped the whole machine. */
	T_IW_NOISE,
	T_IW_NOISE_MAX,		/* the longest of them */
	/* Pauses of more than half a tick, by length rounded to ticks:
	 * 1, 2, 3, 4, more. */
	T_IW_HIST,
	T_IW_GO = T_IW_HIST + T_IW_HIST_N,	/* the root: 1 starts it */
};
_Static_assert(T_IW_GO < T_ISO_CONTINUE, "the watcher's values fit below "
    "the root's");

/* --- virtualization (tests/qemu/virt, tests/qemu/pager) ------------------ */

/* The child's root slot where the root puts an rmessenger standing for a
 * virtual cappage. */
#define T_VIRT_SLOT		200
/* Virtual slots: 1 a page ("virt-one"), 3 an rmessenger to a second
 * virtual level whose slot 2 is a page ("virt-two"), 9 void; 5 and 6 are
 * stored by the child (a page, an rmessenger to its receiver). */
#define T_VIRT_ONE		1
#define T_VIRT_NEST		3
#define T_VIRT_NEST_TWO		2
#define T_VIRT_VOID		9
#define T_VIRT_STORE_PAGE	5
#define T_VIRT_STORE_MSGR	6
#define T_VIRT_WORD_ONE		0x656e6f2d74726976ull	/* "virt-one" */
#define T_VIRT_WORD_TWO		0x6f77742d74726976ull	/* "virt-two" */
#define T_VIRT_WORD_CHILD	0x782d646c696863ull	/* "child-x" */
#define T_VIRT_DATA		0x64617461ull		/* "data" */

/* The pager: the child's root slot T_PAGER_REGION (its 4 MiB at
 * T_PAGER_BASE) is an rmessenger to the pager; pages 0..T_PAGER_PAGES-1
 * are served on demand, zero filled; others are refused (VG_ERR_VOID). */
#define T_PAGER_REGION		64
#define T_PAGER_BASE		((uint64_t)T_PAGER_REGION << VG_BOOT_REGION_SHIFT)
#define T_PAGER_PAGES		64
#define T_PAGER_RPAGE		30	/* read faults get an rpage first */
#define T_PAGER_BAD		300	/* refused */
static inline uint64_t
t_pager_word(unsigned page, unsigned k)
{
	return 0x9a9e000000000000ull | (uint64_t)page << 24 | k;
}

/* --- stress (tests/qemu/stress) ------------------------------------------ */

#define T_STRESS_PROGRAMS	4
#define T_STRESS_WORKERS	250	/* threads (and messengers) per program */
#define T_STRESS_RECEIVERS	10	/* ... of which receivers */
#define T_STRESS_SENDERS	(T_STRESS_WORKERS - T_STRESS_RECEIVERS)
/* A stress program's VG_SLOT_SERVICE holds a cappage of the root's whose
 * slot T_STRESS_LINK_MINE is the cappage where the program puts
 * rmessengers to its receivers (strong), and T_STRESS_LINK_NEXT the next
 * program's (weak). */
#define T_STRESS_LINK_MINE	0
#define T_STRESS_LINK_NEXT	1
#define T_STRESS_GO		0x6f67ull		/* "go" */

/* Stress program results: mailbox value[]. */
enum t_stress_value {
	T_SV_SENT,		/* messages its senders had delivered */
	T_SV_RECEIVED,		/* messages its receivers got */
	T_SV_IN_ORDER,		/* ... with the expected sequence number */
	T_SV_BAD,		/* out of sequence, duplicated, corrupt */
	T_SV_SEND_ERRORS,	/* failed sends, error activations */
	T_SV_FINISHED,		/* workers that reported they finished */
	T_SV_FINISH_DUPS,	/* ... twice */
	T_SV_COMPLETE,		/* senders whose whole sequence arrived */
	T_SV_THREADS,		/* threads created */
	T_SV_MESSENGERS,	/* messengers created */
	T_SV_SETUP_ERRORS,
	T_SV_FIRST_ERROR,	/* an enum vg_err seen first */
	T_SV_CAPS,		/* tokens received and read through */
};

/* --- trace (tests/qemu/traced, user/rpctrace) ------------------------------ */

/*
 * ttraced writes everything it prints to a console: a messenger of the
 * root that it finds in the cappages it is given (VG_SLOT_SERVICE holds
 * C1).  The root compares what arrives with and without rpctrace.
 *
 *	C1[T_TR_CONSOLE]	an rmessenger to the console
 *	C1[T_TR_C2]		cappage C2
 *	C2[T_TR_C3]		cappage C3, two cappages deep
 *	C2[T_TR_CONSOLE2]	the console again, two cappages deep
 *	C3[T_TR_PAGE]		a page holding T_TR_TEXT
 */
#define T_TR_CONSOLE	0
#define T_TR_C2		1
#define T_TR_C3		2
#define T_TR_CONSOLE2	3
#define T_TR_PAGE	0
#define T_TR_TEXT	"a page found in a cappage in a cappage"
/* Console request: w0 T_TR_WRITE, then a string (vg_msg_put_str); c0 the
 * reply messenger.  Reply: w0 OK, w1 bytes taken. */
#define T_TR_WRITE	0x7401

/* --- vmfuzz (tests/qemu/vmfuzz, tests/qemu/vmpeer) ------------------------ */

/*
 * tvmfuzz: arguments 0 the seed, 1 the number of operations (0: no
 * limit), 2 T_VF_FLAG_* bits.  It reports T_REPORT T_VF_PROGRESS (a: the
 * operations done, b: the system calls made) every T_VF_PROGRESS_EVERY
 * operations, and keeps its counters in mailbox value[] (enum
 * t_vf_value).  The page the root maps at T_SHARED holds its trace: the
 * last T_VF_TRACE operations (struct t_vf_trace), so that a run that
 * hangs can be read.
 */
#define T_VF_FLAG_RUN_THREADS	1u	/* let its own threads run (see
					 * tests/qemu/vmfuzz/vmfuzz.h) */
#define T_VF_FLAG_CHECK_ALL	2u	/* its oracles after every operation */
#define T_VF_PROGRESS		0x76660001ull
#define T_VF_PROGRESS_EVERY	10000u
#define T_VF_TRACE		64u

enum t_vf_value {
	T_VF_OPS,		/* operations done */
	T_VF_SYSCALLS,		/* system calls made */
	T_VF_DONE,		/* 1: it reached its end */
	T_VF_ORACLE,		/* its oracles' failures (kernel bugs) */
	T_VF_UNEXPECTED,	/* faults of its own it did not ask for */
	T_VF_FAULTS,		/* faults it asked for and caught */
	T_VF_ACTIVATIONS,	/* activations its handlers got */
	T_VF_WAKES,		/* suspensions ended by its waker */
	T_VF_ANSWERS,		/* answers to the kernel's requests */
	T_VF_REQUESTS,		/* requests its virtualizer got */
	T_VF_REPAIRS,		/* parts of its world it rebuilt */
	T_VF_GUEST,		/* requests its guest thread took */
	T_VF_STAGE,		/* 1 building its world, 2 running, 3 done */
	T_VF_KINDS = 16,	/* operations done, by kind (value[16 + k]) */
	/* value[T_VF_RESULTS + VG_ERR_COUNT] must be the last of T_VALUES. */
	T_VF_RESULTS = 38,	/* its vg_ipc's results, by error code
				 * (value[38 + e], the last for VF_SKIPPED) */
};

_Static_assert(T_VF_RESULTS + VG_ERR_COUNT < T_VALUES,
    "vmfuzz's results fit the mailbox");

/* The kinds of its operations (tests/qemu/vmfuzz/vmfuzz.h, enum vf_op). */
#define T_VF_NKINDS		15u
_Static_assert(T_VF_KINDS + T_VF_NKINDS <= T_VF_RESULTS,
    "vmfuzz's kinds fit below its results");

static inline const char *
t_vf_kind_name(uint64_t k)
{
	static const char *const names[T_VF_NKINDS] = {
		"ipc", "invoke", "copy", "create", "destroy", "self", "probe",
		"guest", "virt", "answer", "page", "thread", "syscall",
		"hostile", "repair",
	};

	return k < T_VF_NKINDS ? names[k] : "?";
}

struct t_vf_trace {
	uint64_t seq;		/* the operation's number */
	uint64_t kind;		/* its kind | its result << 32 */
	uint64_t a, b;		/* two of its arguments */
};

/*
 * tvmpeer: the bystanders, two copies (argument 0: role 0 or 1).  The
 * root gives both the same cappage (VG_SLOT_SERVICE); peer r puts an
 * rmessenger to its receiver in slot r and sends to slot 1 - r.  It
 * registers (VG_PARENT_REGISTER, its control messenger), waits for GO,
 * sends numbered messages until STOP, then an END carrying the count, and
 * exits when the other's END has arrived.  Every T_VP_BEAT_EVERY
 * messages it sends its parent a heartbeat (T_REPORT T_VP_BEAT, a: sent,
 * b: received; dropped if the parent is not receiving).  Counters:
 * mailbox value[] (enum t_vp_value), live.
 */
#define T_VP_GO			0x7067ull	/* "gp" */
#define T_VP_STOP		0x7073ull	/* "sp" */
#define T_VP_MAGIC		0x72656570ull	/* "peer" */
#define T_VP_END		0x646e65ull	/* "end" */
#define T_VP_PAGE_WORD		0x65676170ull	/* "page" */
#define T_VP_BEAT		0x74616562ull	/* "beat": T_REPORT's tag */
#define T_VP_BEAT_EVERY		256u		/* messages between beats */

enum t_vp_value {
	T_VP_SENT,		/* messages delivered to the other */
	T_VP_RECEIVED,		/* messages from the other */
	T_VP_IN_ORDER,		/* ... with the next number, intact */
	T_VP_BAD,		/* out of order, duplicated or corrupt */
	T_VP_ERRORS,		/* failed sends, error activations */
	T_VP_CAPS,		/* capabilities that arrived and read right */
	T_VP_OTHER_SENT,	/* the count the other's END gave */
	T_VP_ENDED,		/* 1: the other's END arrived */
	T_VP_FIRST_BAD,		/* the first bad message: its number + 1 */
};

/* The words of peer ROLE's message N (word I of its payload). */
static inline uint64_t
t_vp_word(unsigned role, uint64_t n, unsigned i)
{
	uint64_t x = (n + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)role << 60 ^
	    (uint64_t)i * 0xbf58476d1ce4e5b9ull;

	return x ^ x >> 29;
}

#endif /* TPROTO_H */
