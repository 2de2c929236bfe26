/*
 * A user-level ELF64 loader (libvg/elf.h), over the ELF64 definitions of
 * lib/elf/elf64.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/boot.h>
#include <vg/method.h>

#include <libvg/activation.h>
#include <libvg/as.h>
#include <libvg/elf.h>
#include <libvg/env.h>
#include <libvg/methods.h>
#include <libvg/string.h>

#include "elf64.h"

/* The image is untrusted and may be unaligned: copy headers out. */
static void
get(void *dst, const struct vg_elf *e, uint64_t off, size_t n)
{
	memcpy(dst, e->image + off, n);
}

static bool
in_image(const struct vg_elf *e, uint64_t off, uint64_t n)
{
	return off <= e->size && n <= e->size - off;
}

enum vg_err
vg_elf_parse(struct vg_elf *e, const void *image, uint64_t size)
{
	struct elf64_ehdr eh;

	*e = (struct vg_elf){ .image = image, .size = size };
	if (size < sizeof(eh))
		return VG_ERR_INVALID;
	get(&eh, e, 0, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF", 4) != 0 || eh.ident[4] != 2 ||
	    eh.ident[5] != 1 || eh.type != ELF_ET_EXEC ||
	    eh.machine != ELF_EM_X86_64 ||
	    eh.phentsize != sizeof(struct elf64_phdr) ||
	    !in_image(e, eh.phoff,
	    (uint64_t)eh.phnum * sizeof(struct elf64_phdr)) ||
	    eh.entry == 0 || eh.entry >= VG_BOOT_USER_LIMIT)
		return VG_ERR_INVALID;
	e->entry = eh.entry;
	e->phoff = eh.phoff;
	e->phnum = eh.phnum;
	if (eh.shentsize == sizeof(struct elf64_shdr) &&
	    in_image(e, eh.shoff,
	    (uint64_t)eh.shnum * sizeof(struct elf64_shdr))) {
		e->shoff = eh.shoff;
		e->shnum = eh.shnum;
	}
	return VG_OK;
}

int
vg_elf_segment(const struct vg_elf *e, unsigned i, struct vg_elf_segment *s)
{
	struct elf64_phdr ph;

	if (i >= e->phnum)
		return -1;
	get(&ph, e, e->phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
	if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
		return 0;
	if (ph.filesz > ph.memsz || !in_image(e, ph.offset, ph.filesz) ||
	    ph.vaddr >= VG_BOOT_USER_LIMIT ||
	    ph.memsz > VG_BOOT_USER_LIMIT - ph.vaddr)
		return -1;
	*s = (struct vg_elf_segment){
		.vaddr = ph.vaddr,
		.memsz = ph.memsz,
		.offset = ph.offset,
		.filesz = ph.filesz,
		.writable = (ph.flags & ELF_PF_W) != 0,
		.executable = (ph.flags & ELF_PF_X) != 0,
	};
	return 1;
}

uint64_t
vg_elf_symbol(const struct vg_elf *e, const char *name)
{
	size_t len = strlen(name);

	for (unsigned i = 0; i < e->shnum; i++) {
		struct elf64_shdr sh, str;

		get(&sh, e, e->shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
		if (sh.type != ELF_SHT_SYMTAB ||
		    sh.entsize != sizeof(struct elf64_sym) ||
		    !in_image(e, sh.offset, sh.size) || sh.link >= e->shnum)
			continue;
		get(&str, e, e->shoff + (uint64_t)sh.link * sizeof(str),
		    sizeof(str));
		if (!in_image(e, str.offset, str.size))
			continue;
		for (uint64_t k = 0; k < sh.size / sizeof(struct elf64_sym);
		    k++) {
			struct elf64_sym sy;

			get(&sy, e, sh.offset + k * sizeof(sy), sizeof(sy));
			if (sy.name >= str.size || len >= str.size - sy.name)
				continue;
			if (memcmp(e->image + str.offset + sy.name, name,
			    len + 1) == 0)
				return sy.value;
		}
	}
	return 0;
}

/* --- loading ------------------------------------------------------------------ */

/* True if a writable (EXEC: an executable) segment covers part of the
 * page at PAGE. */
static bool
page_touched(const struct vg_elf *e, uint64_t page, bool exec)
{
	struct vg_elf_segment s;

	for (unsigned i = 0; i < e->phnum; i++) {
		if (vg_elf_segment(e, i, &s) == 1 &&
		    (exec ? s.executable : s.writable) &&
		    s.vaddr < page + VG_PAGE_SIZE && page < s.vaddr + s.memsz)
			return true;
	}
	return false;
}

/* Copy the file bytes of segment S that fall in the page at PAGE. */
static enum vg_err
fill_page(struct vg_spawn *sp, struct vg_as *self, const struct vg_elf_segment *s,
    uint64_t page)
{
	uint64_t from = s->vaddr > page ? s->vaddr : page;
	uint64_t to = s->vaddr + s->filesz;
	uint8_t *p;

	if (to > page + VG_PAGE_SIZE)
		to = page + VG_PAGE_SIZE;
	if (from >= to)
		return VG_OK;		/* only zeros (bss) here */
	p = vg_as_map_temp(self, 0, vg_as_page_slot(&sp->as, page));
	if (p == NULL)
		return VG_ERR_INVALID;
	memcpy(p + (from - page), sp->elf.image + s->offset + (from - s->vaddr),
	    to - from);
	return VG_OK;
}

static enum vg_err
load_segments(struct vg_spawn *sp, struct vg_as *self)
{
	struct vg_elf_segment s;
	enum vg_err err;

	for (unsigned i = 0; i < sp->elf.phnum; i++) {
		int r = vg_elf_segment(&sp->elf, i, &s);
		uint64_t page;

		if (r < 0)
			return VG_ERR_INVALID;
		if (r == 0)
			continue;
		for (page = s.vaddr & ~(uint64_t)(VG_PAGE_SIZE - 1);
		    page < s.vaddr + s.memsz; page += VG_PAGE_SIZE) {
			enum vg_type type;

			err = vg_as_ensure(&sp->as, page);
			if (err == VG_OK)
				err = vg_as_page_type(&sp->as, page, &type);
			if (err == VG_OK && type == VG_TYPE_VOID) {
				/* The execute right only for code
				 * (PF_X). */
				err = vg_as_map_new(&sp->as, page,
				    VG_PAGE_SIZE, VG_AS_WRITE |
				    (page_touched(&sp->elf, page, true) ?
				    VG_AS_EXECUTE : 0));
				sp->pages++;
			}
			if (err == VG_OK)
				err = fill_page(sp, self, &s, page);
			if (err != VG_OK)
				return err;
		}
	}
	/* Pages that no writable segment touches become rpages. */
	for (unsigned i = 0; i < sp->elf.phnum; i++) {
		uint64_t page;

		if (vg_elf_segment(&sp->elf, i, &s) != 1 || s.writable)
			continue;
		for (page = s.vaddr & ~(uint64_t)(VG_PAGE_SIZE - 1);
		    page < s.vaddr + s.memsz; page += VG_PAGE_SIZE) {
			if (page_touched(&sp->elf, page, false))
				continue;
			err = vg_as_weaken_page(&sp->as, page);
			if (err != VG_OK)
				return err;
		}
	}
	return VG_OK;
}

/* Copy the capability at SRC (caller's space) into SLOT, with TR's guard
 * if GUARD. */
static enum vg_err
put(struct vg_as *self, vg_addr_t slot, vg_addr_t src, unsigned flags,
    unsigned guard_depth)
{
	return vg_as_copy(vg_as_call(self), self->self_root, slot, src, flags,
	    (struct vg_cap_translator){ .guard_depth = (uint8_t)guard_depth });
}

static enum vg_err
write_env(struct vg_spawn *sp, struct vg_as *self)
{
	struct vg_env *env = vg_as_map_temp(self, 0,
	    vg_as_page_slot(&sp->as, VG_BOOT_INFO));

	if (env == NULL)
		return VG_ERR_INVALID;
	memset(env, 0, sizeof(*env));
	env->magic = VG_ENV_MAGIC;
	env->version = 2;
	env->folio_next = sp->alloc.next;
	env->utcb = VG_BOOT_UTCB;
	env->message_page = VG_MESSAGE_PAGE;
	env->stack_top = VG_BOOT_STACK_TOP;
	env->stack_size = VG_BOOT_STACK_SIZE;
	env->nargs = sp->nargs < VG_ENV_ARGS ? sp->nargs : VG_ENV_ARGS;
	env->ipc_root = sp->ipc_root;
	for (unsigned i = 0; i < env->nargs; i++)
		env->arg[i] = sp->arg[i];
	strlcpy(env->name, sp->name != NULL ? sp->name : "?",
	    sizeof(env->name));
	strlcpy(env->args, sp->args != NULL ? sp->args : "",
	    sizeof(env->args));
	return VG_OK;
}

enum vg_err
vg_spawn_load(struct vg_spawn *sp, struct vg_as *self)
{
	struct vg_call *c = vg_as_call(self);
	struct vg_as *as = &sp->as;
	vg_addr_t msgr;
	enum vg_err err;

	err = vg_elf_parse(&sp->elf, sp->image, sp->size);
	if (err != VG_OK)
		return err;
	sp->entry = sp->elf.entry;

	/*
	 * Storage: an activity of its own -- FOLIO_OBJECT_ALLOC makes it a
	 * child of the activity of the folio it is created in, the caller's
	 * -- and a folio charged to it for all its objects.
	 */
	sp->activity = vg_slot_alloc(self->slots);
	sp->folio = vg_slot_alloc(self->slots);
	sp->thread = vg_slot_alloc(self->slots);
	if (vg_addr_is_void(sp->thread))
		return VG_ERR_NO_STORAGE;
	sp->activity_folio = VG_ADDR_VOID;
	err = vg_obj_alloc(c, self->alloc, VG_TYPE_ACTIVITY, sp->activity);
	if (err == VG_OK) {
		sp->activity_folio = self->alloc->folio;
		sp->activity_index = self->alloc->next - 1;
	}
	if (err == VG_OK && sp->quota != 0)
		err = vg_activity_set_quota(c, sp->activity, sp->quota);
	if (err == VG_OK && sp->page_tables != 0)
		err = vg_activity_set_limit(c, sp->activity,
		    VG_ACTIVITY_LIMIT_PAGE_TABLES, sp->page_tables);
	if (err == VG_OK && sp->weight != 0)
		err = vg_activity_set_limit(c, sp->activity,
		    VG_ACTIVITY_LIMIT_WEIGHT, sp->weight);
	if (err == VG_OK && sp->priority != 0)
		err = vg_activity_set_limit(c, sp->activity,
		    VG_ACTIVITY_LIMIT_PRIORITY, sp->priority - 1);
	if (err == VG_OK)
		err = vg_activity_folio_alloc(c, sp->activity, sp->folio);
	if (err != VG_OK)
		return err;
	sp->alloc = (struct vg_objalloc){
		.activity = sp->activity,
		.folio = sp->folio,
		.slots = self->slots,
		.folios = 1,
	};

	/* The address space, its image, stack, UTCB, environment page and
	 * boot messenger page. */
	err = vg_as_create(as, c, self->self_root, &sp->alloc, self->slots);
	if (err == VG_OK)
		err = load_segments(sp, self);
	if (err == VG_OK)
		err = vg_as_map_new(as, VG_BOOT_STACK_TOP - VG_BOOT_STACK_SIZE,
		    VG_BOOT_STACK_SIZE, VG_AS_WRITE);
	if (err == VG_OK)
		err = vg_as_map_new(as, VG_BOOT_UTCB, VG_PAGE_SIZE, VG_AS_WRITE);
	if (err == VG_OK)
		err = vg_as_map_new(as, VG_BOOT_INFO, VG_PAGE_SIZE, VG_AS_WRITE);
	if (err == VG_OK)
		err = vg_as_map_new(as, VG_MESSAGE_PAGE, VG_PAGE_SIZE, VG_AS_WRITE);
	if (err != VG_OK)
		return err;

	/* The thread: its address space (the root with the 34-bit zero
	 * guard), activity and UTCB. */
	err = vg_obj_alloc(c, &sp->alloc, VG_TYPE_THREAD, sp->thread);
	if (err == VG_OK)
		err = put(self, vg_addr_extend(sp->thread,
		    VG_THREAD_SLOT_ASPACE, 2), as->base, VG_CAP_COPY_GUARD,
		    VG_BOOT_ROOT_GUARD_DEPTH);
	if (err == VG_OK)
		err = put(self, vg_addr_extend(sp->thread,
		    VG_THREAD_SLOT_ACTIVITY, 2), sp->activity,
		    VG_CAP_COPY_NO_LIMIT, 0);
	if (err == VG_OK)
		err = put(self, vg_addr_extend(sp->thread,
		    VG_THREAD_SLOT_UTCB, 2),
		    vg_as_page_slot(as, VG_BOOT_UTCB), 0, 0);

	/* Its boot messenger, right in its slot, bound to it. */
	msgr = vg_as_root_slot(as, VG_SLOT_MESSENGER);
	sp->messenger = msgr;
	if (err == VG_OK)
		err = vg_obj_alloc(c, &sp->alloc, VG_TYPE_MESSENGER, msgr);
	if (err == VG_OK)
		err = put(self, vg_addr_extend(msgr,
		    VG_MESSENGER_SLOT_BUFFER, 2),
		    vg_as_page_slot(as, VG_MESSAGE_PAGE), 0, 0);
	if (err == VG_OK)
		err = put(self, vg_addr_extend(msgr,
		    VG_MESSENGER_SLOT_THREAD, 2), sp->thread, 0, 0);
	if (err == VG_OK)
		err = put(self, vg_addr_extend(msgr,
		    VG_MESSENGER_SLOT_ASPACE, 2), as->base, VG_CAP_COPY_GUARD,
		    VG_BOOT_ROOT_GUARD_DEPTH);

	/* The slots of vg/boot.h. */
	if (err == VG_OK)
		err = put(self, vg_as_root_slot(as, VG_BOOT_SLOT_ACTIVITY),
		    sp->activity, VG_CAP_COPY_NO_LIMIT, 0);
	if (err == VG_OK)
		err = put(self, vg_as_root_slot(as, VG_BOOT_SLOT_THREAD),
		    sp->thread, 0, 0);
	if (err == VG_OK)
		err = put(self, vg_as_root_slot(as, VG_BOOT_SLOT_ROOT),
		    as->base, 0, 0);
	if (err == VG_OK)
		err = put(self, vg_as_root_slot(as, VG_BOOT_SLOT_FOLIO),
		    sp->alloc.folio, 0, 0);
	if (err == VG_OK)
		err = put(self, vg_as_root_slot(as, VG_BOOT_SLOT_UTCB),
		    vg_as_page_slot(as, VG_BOOT_UTCB), 0, 0);
	if (err == VG_OK && (sp->give & VG_SPAWN_GIVE_CONSOLE))
		err = put(self, vg_as_root_slot(as, VG_SLOT_CONSOLE),
		    vg_self()->console, 0, 0);
	if (err == VG_OK && (sp->give & VG_SPAWN_GIVE_POWER))
		err = put(self, vg_as_root_slot(as, VG_SLOT_POWER),
		    vg_self()->power, 0, 0);
	if (err == VG_OK)
		err = write_env(sp, self);
	(void)vg_as_unmap_temp(self, 0);
	if (err != VG_OK)
		return err;

	/* Registers: entry and stack; libvg's handler if it has one. */
	{
		uint64_t stack = vg_elf_symbol(&sp->elf, "vg_act_stack");
		struct vg_exregs x = {
			.control = VG_EXREGS_SET_IP | VG_EXREGS_SET_SP,
			.ip = sp->entry,
			.sp = VG_BOOT_STACK_TOP,
		};

		sp->handler_ip = vg_elf_symbol(&sp->elf, "vg_activation_entry");
		sp->exit_start = vg_elf_symbol(&sp->elf,
		    "vg_activation_exit_start");
		sp->exit_end = vg_elf_symbol(&sp->elf,
		    "vg_activation_exit_end");
		if (sp->handler_ip != 0 && stack != 0 && sp->exit_start != 0 &&
		    sp->exit_end > sp->exit_start) {
			sp->handler_sp = stack + offsetof(struct vg_act_stack,
			    state);
			x.control |= VG_EXREGS_SET_HANDLER |
			    VG_EXREGS_SET_EXIT_RANGE;
			x.handler_ip = sp->handler_ip;
			x.handler_sp = sp->handler_sp;
			x.exit_start = sp->exit_start;
			x.exit_end = sp->exit_end;
		}
		return vg_thread_exregs(c, sp->thread, &x, NULL);
	}
}

enum vg_err
vg_spawn_give(struct vg_spawn *sp, struct vg_as *self, unsigned child_slot,
    vg_addr_t cap, unsigned flags)
{
	if (child_slot < VG_BOOT_DATA_SLOTS || child_slot >= VG_CAPPAGE_SLOTS)
		return VG_ERR_INVALID;
	return put(self, vg_as_root_slot(&sp->as, child_slot), cap,
	    flags & VG_CAP_COPY_WEAKEN, 0);
}

enum vg_err
vg_spawn_share(struct vg_spawn *sp, struct vg_as *self, uint64_t va,
    uint64_t size)
{
	enum vg_err err = VG_OK;

	if (size == 0 || va >= VG_BOOT_DATA_SLOTS * (1ull << VG_BOOT_REGION_SHIFT) ||
	    size > VG_BOOT_DATA_SLOTS * (1ull << VG_BOOT_REGION_SHIFT) - va)
		return VG_ERR_INVALID;
	for (uint64_t r = va / (1ull << VG_BOOT_REGION_SHIFT);
	    err == VG_OK && r * (1ull << VG_BOOT_REGION_SHIFT) < va + size; r++)
		err = put(self, vg_as_root_slot(&sp->as, (unsigned)r),
		    vg_as_root_slot(self, (unsigned)r), VG_CAP_COPY_WEAKEN, 0);
	return err;
}

enum vg_err
vg_spawn_start(struct vg_spawn *sp, struct vg_as *self)
{
	struct vg_exregs x = { .control = VG_EXREGS_START };

	return vg_thread_exregs(vg_as_call(self), sp->thread, &x, NULL);
}

enum vg_err
vg_spawn_destroy(struct vg_spawn *sp, struct vg_as *self)
{
	enum vg_err err = VG_OK;
	vg_addr_t *slots[] = {
		&sp->activity, &sp->folio, &sp->alloc.folio, &sp->thread,
		&sp->as.base, &sp->as.leaf,
	};

	/* Allocating "void" in its slot destroys the activity and,
	 * through it, everything charged to it. */
	if (!vg_addr_is_void(sp->activity_folio))
		err = vg_folio_object_alloc(vg_as_call(self),
		    sp->activity_folio, sp->activity_index, VG_TYPE_VOID, 0,
		    VG_ADDR_VOID);
	sp->activity_folio = VG_ADDR_VOID;
	for (unsigned i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		vg_addr_t a = *slots[i];

		if (vg_addr_is_void(a))
			continue;
		/* The same slot may be named twice (folio, alloc.folio). */
		for (unsigned k = i; k < sizeof(slots) / sizeof(slots[0]); k++)
			if (vg_addr_eq(*slots[k], a))
				*slots[k] = VG_ADDR_VOID;
		(void)vg_as_rubout(vg_as_call(self), self->self_root, a);
		vg_slot_free(self->slots, a);
	}
	sp->messenger = VG_ADDR_VOID;
	return err;
}
