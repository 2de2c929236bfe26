/*
 * libvg: a program's starting environment and run time.
 *
 * Every program sees the layout of vg/boot.h (libvg/as.h): its stack
 * below VG_BOOT_STACK_TOP, its UTCB at VG_BOOT_UTCB, and in its root
 * cappage the slots VG_BOOT_SLOT_ACTIVITY, _THREAD, _ROOT, _FOLIO and
 * _UTCB, plus:
 *
 *	VG_SLOT_MESSENGER (133)	a messenger whose BUFFER slot holds the
 *				page at VG_MESSAGE_PAGE: what the run time
 *				makes its first kernel calls with.
 *	VG_SLOT_CONSOLE (134)	its console: printf writes there.  The
 *				root task's is the kernel's; another
 *				program's is what its parent gave it (the
 *				parent's own with VG_SPAWN_GIVE_CONSOLE, a
 *				console served at user level, or void:
 *				then printing fails with VG_ERR_VOID).
 *	VG_SLOT_POWER (135)	the machine's power: the root task's
 *				vg_exit ends the machine there.  Void in
 *				other programs unless the parent gives it
 *				(VG_SPAWN_GIVE_POWER).
 *	VG_SLOT_PARENT (136)	(not the root task) an rmessenger to its
 *				parent: registration and exit status.
 *	VG_SLOT_SERVICE (137)	(not the root task) whatever capability the
 *				parent gives it (the demo: a server).
 *	VG_SLOT_IRQ (138),	(a driver) the interrupt object and the
 *	VG_SLOT_IOPORT (139)	I/O port range of its device, where the
 *				root task holds the controls that make
 *				them (docs/drivers.md).
 *
 * The root task's page at VG_BOOT_INFO is struct vg_boot_info; any other
 * program's is struct vg_env, written by libvg's loader (libvg/elf.h).
 *
 * The root task gets its messenger from the kernel (vg/boot.h:
 * VG_BOOT_SLOT_MESSENGER, its page at VG_BOOT_MESSAGE); libvg's loader
 * gives every other program one at the same slot and address.
 */
#ifndef LIBVG_ENV_H
#define LIBVG_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/boot.h>
#include <vg/error.h>
#include <vg/utcb.h>

#include <libvg/as.h>
#include <libvg/call.h>

#define VG_SLOT_MESSENGER	VG_BOOT_SLOT_MESSENGER		/* 133 */
#define VG_SLOT_CONSOLE		VG_BOOT_SLOT_CONSOLE		/* 134 */
#define VG_SLOT_POWER		VG_BOOT_SLOT_POWER		/* 135 */
#define VG_SLOT_PARENT		136
#define VG_SLOT_SERVICE		137
#define VG_SLOT_IRQ_CONTROL	VG_BOOT_SLOT_IRQ_CONTROL	/* 138 */
#define VG_SLOT_IOPORT_CONTROL	VG_BOOT_SLOT_IOPORT_CONTROL	/* 139 */
#define VG_SLOT_IRQ		VG_SLOT_IRQ_CONTROL		/* a driver's */
#define VG_SLOT_IOPORT		VG_SLOT_IOPORT_CONTROL		/* a driver's */
#define VG_SLOT_DEVMEM_CONTROL	VG_BOOT_SLOT_DEVMEM_CONTROL	/* 140 */
#define VG_SLOT_DMA_CONTROL	VG_BOOT_SLOT_DMA_CONTROL	/* 141 */
#define VG_SLOT_FIRST_FREE	VG_BOOT_SLOT_FIRST_FREE		/* 142 */
#define VG_MESSAGE_PAGE		VG_BOOT_MESSAGE		/* 0x1ff30000 */

/* Where the run time takes pages for its buffers (libvg/as.h layout). */
#define VG_HEAP_BASE		0x1f000000u	/* regions 124, 125 */
#define VG_HEAP_END		0x1f800000u

#define VG_ENV_MAGIC	0x2121766e652d6776ull	/* "vg-env!!" */
#define VG_ENV_ARGS	8
#define VG_ENV_NAME_LEN	48	/* bytes of struct vg_env name, with its NUL */
#define VG_ENV_ARGS_LEN	256	/* bytes of struct vg_env args, with its NUL */
#define VG_ARGV_MAX	16	/* main's argv entries, argv[0] included */

/* The page at VG_BOOT_INFO of a program started by libvg's loader. */
struct vg_env {
	uint64_t magic;			/* VG_ENV_MAGIC */
	uint32_t version;		/* 1 */
	uint32_t folio_next;		/* next free object of VG_BOOT_SLOT_FOLIO */
	uint64_t utcb;			/* where its UTCB is mapped */
	uint64_t message_page;		/* VG_SLOT_MESSENGER's buffer page */
	uint64_t stack_top;
	uint64_t stack_size;
	uint32_t nargs;
	/* Not 0: the root slot holding the capability that the run time
	 * binds its messengers' address spaces to instead of its own root
	 * (its IPC root): a tracer (user/rpctrace) puts a virtualized root
	 * there.  Data accesses and messenger lookups stay on the real
	 * root; the targets and capabilities of messages go through it. */
	uint32_t ipc_root;
	uint64_t arg[VG_ENV_ARGS];	/* program arguments from the parent */
	char name[VG_ENV_NAME_LEN];
	/* Version 2: its command-line arguments, words separated by
	 * spaces, as main's argv gets them (argv[0] is NAME). */
	char args[VG_ENV_ARGS_LEN];
};

/*
 * Messages to the parent (VG_SLOT_PARENT): inline, word 0 the kind,
 * word 1 a value, capability 0 optional.
 */
enum vg_parent_msg {
	VG_PARENT_REGISTER = 0x7001,	/* w1: a service id; c0: a capability */
	VG_PARENT_EXIT = 0x7002,	/* w1: the exit status */
	VG_PARENT_REPORT = 0x7003,	/* w1: what, w2 w3: values */
	/* The program faulted and did not handle it (libvg/fault.h):
	 * w1 the address, w2 the ip, w3 the rest (vg_fault_pack).  It is
	 * stopped. */
	VG_PARENT_FAULT = 0x7004,
};

/* The run time of the program (one thread). */
struct vg_runtime {
	bool root;			/* started by the kernel */
	char name[48];
	struct vg_utcb *utcb;
	const struct vg_boot_info *boot;	/* root task */
	const struct vg_env *env;		/* other programs */

	vg_addr_t thread, activity, self_root, folio, messenger, parent;
	vg_addr_t console, power;	/* VG_SLOT_CONSOLE, VG_SLOT_POWER */
	/* Where its messengers' addresses resolve (struct vg_env ipc_root):
	 * normally SELF_ROOT. */
	vg_addr_t ipc_root;
	bool ipc_virtual;		/* IPC_ROOT is not SELF_ROOT */
	bool ready;			/* the call contexts exist */
	struct vg_slots slots;
	struct vg_objalloc alloc;
	struct vg_as as;		/* its own space */
	uint64_t heap_next;		/* next free page at VG_HEAP_BASE.. */

	struct vg_call bcall;		/* the boot messenger (send = reply) */
	struct vg_call kcall;		/* kernel calls of the main code */
	struct vg_call ucall;		/* calls of the main code to servers */
	struct vg_call hcall;		/* kernel calls of the handler */
	/* Console writes (libvg/console.h) of the main code and of the
	 * handler: their own, so that printing between building a request
	 * and reading its reply changes neither. */
	struct vg_call pcall, hpcall;
};

/* Called by crt0 before main: finds the environment, creates the call
 * contexts, installs the activation handler.  Stops the program if it
 * cannot. */
void vg_runtime_init(void);

struct vg_runtime *vg_self(void);

/* NPAGES fresh zeroed pages of the heap; their address, or 0. */
uint64_t vg_page_alloc(unsigned npages);

/*
 * A new messenger in a fresh slot (*M), bound to the calling thread and
 * to the program's IPC root (its own root unless a tracer virtualized
 * it), with id ID, and, if BUFFER_VA is not 0, the page mapped there as
 * its buffer page.
 */
enum vg_err vg_messenger_new(vg_addr_t *m, uint64_t buffer_va, uint64_t id);
/* The same, bound to the program's real root (ASPACE), whatever its IPC
 * root is. */
enum vg_err vg_messenger_new_in(vg_addr_t *m, uint64_t buffer_va,
    uint64_t id, vg_addr_t aspace);
/*
 * A messenger whose activations run FN: H is set to FN and NAME and
 * registered with the dispatcher, and the messenger made as
 * vg_messenger_new makes it, with H's id.  VG_ERR_NO_STORAGE if the
 * dispatcher has no room for H.
 */
enum vg_err vg_messenger_handled(vg_addr_t *m, uint64_t buffer_va,
    struct vg_act_handler *h,
    void (*fn)(struct vg_act_handler *, const struct vg_activation *),
    const char *name);

/* A weak copy (rpage, rmessenger, rcappage) of SRC in a fresh slot. */
enum vg_err vg_weak_copy(vg_addr_t src, vg_addr_t *out);

/* Send the inline message W0, W1 (and CAP unless void) to the parent. */
enum vg_err vg_parent_send(uint64_t w0, uint64_t w1, vg_addr_t cap);

/*
 * End the program.  The root task ends the machine (vg_halt); any other
 * program sends VG_PARENT_EXIT with STATUS to its parent and stops its
 * thread.
 */
_Noreturn void vg_exit(int status);

/* Suspend the thread until its next activation (and run the handler). */
void vg_suspend(void);

/* The root task's boot module for program NAME: the first word of its
 * command line ends in NAME or NAME.elf, or a later word is NAME; NULL if
 * none. */
const struct vg_boot_module *vg_boot_find_module(
    const struct vg_boot_info *bi, const char *name);

#endif /* LIBVG_ENV_H */
