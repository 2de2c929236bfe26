/*
 * Building the root task (see roottask.h and vg/boot.h).
 *
 * The capability tree for data follows vg/boot.h: the root cappage's
 * slot (va >> 22) holds a cappage indexing 16 KiB ranges, each of whose
 * slots holds a 1/64 part of a "leaf" cappage -- four slots, four pages.
 * One leaf cappage thus serves 64 ranges.  Pages of segments that are not
 * writable are mapped through rpage capabilities, and pages of segments
 * that are executable (PF_X) through capabilities with the execute
 * right; nothing else (stack, modules, boot information, UTCB) has it.
 *
 * The ELF image comes from the boot loader, not from a user request, but
 * it is still checked as untrusted input: every offset and size is
 * bounds-checked before use.
 */
#include <stddef.h>

#include <vg/boot.h>

#include "activity.h"
#include "arch.h"
#include "cappage.h"
#include "elf64.h"
#include "folio.h"
#include "kstring.h"
#include "messenger.h"
#include "object.h"
#include "roottask.h"
#include "storage.h"
#include "thread.h"

/* Where the builder is: objects come from folios of the root activity. */
struct builder {
	struct activity *activity;
	struct folio *folio;
	unsigned next;			/* next free slot in FOLIO */
	struct folio *first;
	struct cappage *root;
	struct vg_cap leaf;		/* current leaf cappage, or void */
	unsigned leaf_next;		/* next free 1/64 part of LEAF */
	enum vg_err err;
};

static struct vg_cap
new_object(struct builder *b, enum vg_type type)
{
	struct folio_ret r;

	if (b->err != VG_OK)
		return VG_CAP_VOID;
	if (b->folio == NULL || b->next == VG_FOLIO_OBJECTS) {
		r = folio_alloc(b->activity);
		if (r.err != VG_OK) {
			b->err = r.err;
			return VG_CAP_VOID;
		}
		b->folio = object_lookup(&r.cap);
		b->next = 0;
		if (b->first == NULL)
			b->first = b->folio;
	}
	r = folio_object_alloc(b->folio, b->next++, type, 0);
	if (r.err != VG_OK)
		b->err = r.err;
	return r.cap;
}

/* The slot that holds the page at VA, creating the levels above it. */
static struct vg_cap *
page_slot(struct builder *b, uint64_t va)
{
	unsigned region = (unsigned)(va >> VG_BOOT_REGION_SHIFT);
	unsigned range = (unsigned)(va >> VG_BOOT_LEAF_SHIFT) & 0xff;
	unsigned page = (unsigned)(va >> VG_PAGE_SHIFT) & 3;
	struct vg_cap *slot;
	struct cappage *l1, *leaf;

	if (va >= VG_BOOT_USER_LIMIT && b->err == VG_OK)
		b->err = VG_ERR_INVALID;
	if (b->err != VG_OK)
		return NULL;
	slot = &b->root->slot[region];
	if (slot->type == VG_TYPE_VOID)
		*slot = new_object(b, VG_TYPE_CAPPAGE);
	l1 = object_lookup(slot);
	if (l1 == NULL)
		return NULL;
	slot = &l1->slot[range];
	if (slot->type == VG_TYPE_VOID) {
		if (b->leaf.type == VG_TYPE_VOID || b->leaf_next == 64) {
			b->leaf = new_object(b, VG_TYPE_CAPPAGE);
			b->leaf_next = 0;
		}
		*slot = b->leaf;
		slot->subpage_log2 = 6;
		slot->subpage = (uint8_t)b->leaf_next++;
	}
	leaf = object_lookup(slot);
	if (leaf == NULL)
		return NULL;
	return &leaf->slot[slot->subpage * 4u + page];
}

/* The page at VA, created (weak if !WRITABLE) if it is not there yet;
 * executable if EXEC (a page that two segments share is executable if
 * either is). */
static uint8_t *
map_page(struct builder *b, uint64_t va, bool writable, bool exec)
{
	struct vg_cap *slot = page_slot(b, va);

	if (slot == NULL)
		return NULL;
	if (slot->type == VG_TYPE_VOID) {
		*slot = new_object(b, VG_TYPE_PAGE);
		if (!writable && slot->type == VG_TYPE_PAGE)
			slot->type = VG_TYPE_RPAGE;
	}
	if (exec && (slot->type == VG_TYPE_PAGE ||
	    slot->type == VG_TYPE_RPAGE))
		slot->rights |= VG_CAP_EXECUTE;
	return object_lookup(slot);
}

/* Copy N bytes of SRC to VA (creating pages), then zero to VA + SIZE. */
static void
map_bytes(struct builder *b, uint64_t va, const uint8_t *src, uint64_t n,
    uint64_t size, bool writable, bool exec)
{
	uint64_t off = 0;

	while (off < size && b->err == VG_OK) {
		uint64_t at = va + off;
		uint64_t in_page = at & (VG_PAGE_SIZE - 1);
		uint64_t chunk = VG_PAGE_SIZE - in_page;
		uint8_t *p = map_page(b, at, writable, exec);

		if (p == NULL)
			return;
		if (chunk > size - off)
			chunk = size - off;
		if (off < n) {
			uint64_t copy = n - off < chunk ? n - off : chunk;

			memcpy(p + in_page, src + off, copy);
		}
		off += chunk;
	}
}

/* Load the PT_LOAD segments of ELF; returns the entry point or 0.  The
 * headers are copied out: nothing makes the image's offsets aligned. */
static uint64_t
load_elf(struct builder *b, const uint8_t *elf, size_t size)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	uint16_t i;

	if (size < sizeof(eh))
		return 0;
	memcpy(&eh, elf, sizeof(eh));
	if (eh.ident[0] != 0x7f || eh.ident[1] != 'E' ||
	    eh.ident[2] != 'L' || eh.ident[3] != 'F' || eh.ident[4] != 2 ||
	    eh.ident[5] != 1 || eh.type != ELF_ET_EXEC ||
	    eh.machine != ELF_EM_X86_64 ||
	    eh.phentsize != sizeof(struct elf64_phdr) ||
	    eh.phoff > size ||
	    (uint64_t)eh.phnum * sizeof(struct elf64_phdr) > size - eh.phoff)
		return 0;
	for (i = 0; i < eh.phnum; i++) {
		memcpy(&ph, elf + eh.phoff + i * sizeof(struct elf64_phdr),
		    sizeof(ph));
		if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
			continue;
		if (ph.filesz > ph.memsz || ph.offset > size ||
		    ph.filesz > size - ph.offset ||
		    ph.vaddr >= VG_BOOT_USER_LIMIT ||
		    ph.memsz > VG_BOOT_USER_LIMIT - ph.vaddr)
			return 0;
		map_bytes(b, ph.vaddr, elf + ph.offset, ph.filesz,
		    ph.memsz, (ph.flags & ELF_PF_W) != 0,
		    (ph.flags & ELF_PF_X) != 0);
	}
	if (eh.entry == 0 || eh.entry >= VG_BOOT_USER_LIMIT)
		return 0;
	return eh.entry;
}

static void
copy_name(char *dst, size_t cap, const char *src)
{
	size_t i;

	for (i = 0; src != NULL && src[i] != '\0' && i + 1 < cap; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

struct roottask_ret
roottask_load(const struct kernel_roots *roots, const void *elf,
    size_t elf_size, const struct roottask_module *mods, unsigned nmods,
    const char *cmdline)
{
	struct builder b = { .activity = object_lookup(&roots->root_activity) };
	struct vg_cap root, thread_cap, utcb;
	struct vg_boot_info info;
	struct thread *t;
	uint64_t entry, va = VG_BOOT_MODULES;
	unsigned i;

	if (b.activity == NULL || nmods > VG_BOOT_MODULES_MAX)
		return (struct roottask_ret){ .err = VG_ERR_INVALID };
	root = new_object(&b, VG_TYPE_CAPPAGE);
	thread_cap = new_object(&b, VG_TYPE_THREAD);
	utcb = new_object(&b, VG_TYPE_PAGE);
	if (b.err != VG_OK)
		return (struct roottask_ret){ .err = b.err };
	b.root = object_lookup(&root);
	t = object_lookup(&thread_cap);

	entry = load_elf(&b, elf, elf_size);
	if (entry == 0 && b.err == VG_OK)
		b.err = VG_ERR_INVALID;
	map_bytes(&b, VG_BOOT_STACK_TOP - VG_BOOT_STACK_SIZE, NULL, 0,
	    VG_BOOT_STACK_SIZE, true, false);

	memset(&info, 0, sizeof(info));
	info.magic = VG_BOOT_MAGIC;
	info.storage_frames = (uint64_t)storage_nchunks * FOLIO_FRAMES;
	copy_name(info.cmdline, sizeof(info.cmdline), cmdline);
	for (i = 0; i < nmods && b.err == VG_OK; i++) {
		info.module[i].start = va;
		info.module[i].size = mods[i].size;
		copy_name(info.module[i].name, sizeof(info.module[i].name),
		    mods[i].name);
		if (mods[i].size > VG_BOOT_STACK_TOP - VG_BOOT_STACK_SIZE -
		    va) {
			b.err = VG_ERR_NO_STORAGE;
			break;
		}
		map_bytes(&b, va, mods[i].data, mods[i].size, mods[i].size,
		    true, false);
		va += (mods[i].size + VG_PAGE_SIZE - 1) &
		    ~(uint64_t)(VG_PAGE_SIZE - 1);
	}
	info.nmodules = i;
	map_bytes(&b, VG_BOOT_INFO, (const uint8_t *)&info, sizeof(info),
	    sizeof(info), false, false);
	if (b.err != VG_OK)
		return (struct roottask_ret){ .err = b.err };

	/* The UTCB is both the thread's UTCB and mapped for it to read. */
	{
		struct vg_cap *slot = page_slot(&b, VG_BOOT_UTCB);

		if (slot == NULL)
			return (struct roottask_ret){ .err = b.err };
		*slot = utcb;
	}

	/* The messenger it bootstraps everything else with. */
	{
		struct vg_cap msgr = new_object(&b, VG_TYPE_MESSENGER);
		struct vg_cap *page;
		struct messenger *m;

		(void)map_page(&b, VG_BOOT_MESSAGE, true, false);
		page = page_slot(&b, VG_BOOT_MESSAGE);
		m = object_lookup(&msgr);
		if (page == NULL || m == NULL)
			return (struct roottask_ret){ .err = b.err != VG_OK ?
			    b.err : VG_ERR_NO_STORAGE };
		m->slot[VG_MESSENGER_SLOT_BUFFER] = *page;
		m->slot[VG_MESSENGER_SLOT_THREAD] = thread_cap;
		m->slot[VG_MESSENGER_SLOT_ASPACE] = root;
		m->slot[VG_MESSENGER_SLOT_ASPACE].guard_depth =
		    VG_BOOT_ROOT_GUARD_DEPTH;
		b.root->slot[VG_BOOT_SLOT_MESSENGER] = msgr;
	}

	b.root->slot[VG_BOOT_SLOT_ACTIVITY] = roots->root_activity;
	b.root->slot[VG_BOOT_SLOT_THREAD] = thread_cap;
	b.root->slot[VG_BOOT_SLOT_ROOT] = root;
	b.root->slot[VG_BOOT_SLOT_FOLIO] = folio_cap(b.first);
	b.root->slot[VG_BOOT_SLOT_UTCB] = utcb;
	b.root->slot[VG_BOOT_SLOT_CONSOLE] = roots->console;
	b.root->slot[VG_BOOT_SLOT_POWER] = roots->power;
	b.root->slot[VG_BOOT_SLOT_IRQ_CONTROL] = roots->irq_control;
	b.root->slot[VG_BOOT_SLOT_IOPORT_CONTROL] = roots->ioport_control;
	b.root->slot[VG_BOOT_SLOT_DEVMEM_CONTROL] = roots->devmem_control;
	b.root->slot[VG_BOOT_SLOT_DMA_CONTROL] = roots->dma_control;

	t->slot[VG_THREAD_SLOT_ASPACE] = root;
	t->slot[VG_THREAD_SLOT_ASPACE].guard_depth = VG_BOOT_ROOT_GUARD_DEPTH;
	t->slot[VG_THREAD_SLOT_ACTIVITY] = roots->root_activity;
	t->slot[VG_THREAD_SLOT_UTCB] = utcb;
	/* At entry the stack is 16-byte aligned, as the SysV ABI says. */
	arch_thread_set_ip_sp(t, (struct arch_ip_sp){ entry,
	    VG_BOOT_STACK_TOP });
	thread_set_state(t, VG_THREAD_RUNNABLE);
	return (struct roottask_ret){ .err = VG_OK, .thread = t };
}
