/*
 * libvg: loading ELF64 programs into new address spaces.
 *
 * vg_spawn_load builds a program the way the kernel builds the root task
 * (vg/boot.h), through kernel methods only: a sub-activity of the
 * caller's with its own folio, a root cappage with the 34-bit guard, the
 * PT_LOAD segments (pages of segments that are not writable through
 * rpage capabilities, and only pages of executable segments, PF_X, with
 * the execute right), a stack, a UTCB, the environment page (struct
 * vg_env), a boot messenger with its buffer page (VG_SLOT_MESSENGER), and
 * a stopped thread whose ASPACE, ACTIVITY and UTCB slots are set and
 * whose ip and sp are the entry point and the stack top.  If the image
 * has a symbol table with libvg's activation handler, the handler and its
 * exit range are set as well (the program's run time sets them again).
 * The caller's console and power go to it only if SP->give says so.
 * vg_spawn_give hands it capabilities; vg_spawn_start runs it.
 *
 * Pages are filled through temporary mappings in the caller's space
 * (vg_as_map_temp).  The image is untrusted: every offset and size is
 * checked.
 */
#ifndef LIBVG_ELF_H
#define LIBVG_ELF_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

#include <libvg/as.h>
#include <libvg/env.h>

struct vg_elf {
	const uint8_t *image;
	uint64_t size;
	uint64_t entry;
	uint64_t phoff;
	uint16_t phnum;
	uint64_t shoff;
	uint16_t shnum;
};

struct vg_elf_segment {
	uint64_t vaddr, memsz;
	uint64_t offset, filesz;
	bool writable, executable;
};

/* Check that IMAGE is an x86-64 ELF64 executable; VG_ERR_INVALID if not. */
enum vg_err vg_elf_parse(struct vg_elf *e, const void *image, uint64_t size);

/*
 * Program header I as a loadable segment.  0: not PT_LOAD (or empty),
 * 1: *S filled in, -1: malformed (out of the image, above the user limit).
 */
int vg_elf_segment(const struct vg_elf *e, unsigned i, struct vg_elf_segment *s);

/* The value of symbol NAME in the symbol table, or 0. */
uint64_t vg_elf_symbol(const struct vg_elf *e, const char *name);

struct vg_spawn {
	/* in */
	const char *name;
	const void *image;
	uint64_t size;
	uint64_t quota;			/* frames for its activity (0: none) */
	/* Its other limits (enum vg_activity_limit), set before it runs;
	 * it gets its activity without the right to change them. */
	uint64_t page_tables;		/* page-table frames (0: none) */
	uint32_t weight;		/* CPU weight (0: the default) */
	uint32_t priority;		/* highest priority, plus 1 (0: the
					 * caller's) */
	uint32_t nargs;
	uint64_t arg[VG_ENV_ARGS];
	const char *args;		/* its argv after argv[0], space-
					 * separated (NULL: none) */
	uint32_t ipc_root;		/* struct vg_env ipc_root (0: none) */
	/* VG_SPAWN_GIVE_*: which of the caller's own capabilities it gets
	 * in the same slots.  Nothing is given unless asked for: a program
	 * without a console prints nothing, and one without power cannot
	 * end the machine. */
	unsigned give;

	/* out: capabilities in the caller's slots, and what was done */
	struct vg_elf elf;
	struct vg_objalloc alloc;	/* its storage */
	struct vg_as as;		/* its space; as.base: its root */
	vg_addr_t activity, folio, thread, messenger;
	uint64_t entry;
	uint64_t handler_ip, handler_sp, exit_start, exit_end;
	uint32_t pages;			/* pages of image loaded */
	/* Where its activity was made: the caller's folio (a slot of the
	 * caller's) and the index in it (vg_spawn_destroy). */
	vg_addr_t activity_folio;
	unsigned activity_index;
};

enum vg_spawn_give {
	VG_SPAWN_GIVE_CONSOLE = 1u << 0,	/* VG_SLOT_CONSOLE */
	VG_SPAWN_GIVE_POWER = 1u << 1,		/* VG_SLOT_POWER */
};

/*
 * Build the program described by SP, with storage from a new activity
 * (a child of the activity SELF's objects are charged to).  SELF is the
 * caller's own space (vg_self()->as).
 */
enum vg_err vg_spawn_load(struct vg_spawn *sp, struct vg_as *self);

/* Copy the capability at CAP (caller's space) into the program's root
 * slot CHILD_SLOT, weakened with VG_CAP_COPY_WEAKEN in FLAGS. */
enum vg_err vg_spawn_give(struct vg_spawn *sp, struct vg_as *self,
    unsigned child_slot, vg_addr_t cap, unsigned flags);

/*
 * Give it the caller's pages at [VA, VA + SIZE) at the same addresses,
 * read-only: the caller's 4 MiB regions (root slots) that cover them are
 * copied, weakened, into its root (which must have those slots free).
 */
enum vg_err vg_spawn_share(struct vg_spawn *sp, struct vg_as *self,
    uint64_t va, uint64_t size);

/* Make its thread runnable. */
enum vg_err vg_spawn_start(struct vg_spawn *sp, struct vg_as *self);

/*
 * Destroy the program: its activity, with every folio charged to it and
 * every object in them (threads, messengers, pages, cappages), and give
 * the caller's slots that vg_spawn_load took (activity, folio, thread,
 * root cappage, leaf cappage) back to SELF's allocator.  Capabilities the
 * caller gave it stay valid; those it holds to the program read as void.
 * Works on a program whose loading failed part way, too.
 */
enum vg_err vg_spawn_destroy(struct vg_spawn *sp, struct vg_as *self);

#endif /* LIBVG_ELF_H */
