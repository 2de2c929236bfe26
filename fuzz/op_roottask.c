/*
 * Root tasks (kernel/core/roottask.c, fuzz.h): the world boots with one
 * built from a small ELF image made here, as the kernel builds its first
 * program (the builder's whole ordinary path, every input); op_roottask
 * builds more from the same image as the input mutates it -- the file
 * header, the segments, the entry point, the size, the modules and the
 * command line -- charged to the playground's activity B, so that the
 * builder meets A's quota and the end of storage too.  The image is
 * untrusted input to the builder: it must refuse what it cannot load and
 * never read past it (ASan), and whatever it builds or half builds must
 * leave the kernel's invariants whole; B's destruction takes it all.
 */
#include <string.h>

#include <vg/boot.h>

#include "elf64.h"
#include "object.h"
#include "roottask.h"

#include "fuzz.h"

/* Text at 0x400000 (a page, r-x), data and bss at 0x601000 (100 bytes
 * of file, three pages of memory, rw-), and a header that is no segment:
 * what tests/unit/roottask_test.c loads. */
#define IMAGE_SIZE	(3 * 4096)
#define NPHDR		3

static _Alignas(8) uint8_t image[IMAGE_SIZE];
static _Alignas(8) uint8_t work[IMAGE_SIZE];
static uint8_t module_data[2 * 4096 + 100];

static void
make_image(void)
{
	struct elf64_ehdr *eh = (struct elf64_ehdr *)image;
	struct elf64_phdr *ph = (struct elf64_phdr *)(image + sizeof(*eh));
	unsigned i;

	memset(image, 0, sizeof(image));
	memcpy(eh->ident, "\177ELF\2\1\1", 7);
	eh->type = ELF_ET_EXEC;
	eh->machine = ELF_EM_X86_64;
	eh->version = 1;
	eh->entry = 0x400010;
	eh->phoff = sizeof(*eh);
	eh->ehsize = sizeof(*eh);
	eh->phentsize = sizeof(*ph);
	eh->phnum = NPHDR;
	ph[0] = (struct elf64_phdr){ .type = ELF_PT_LOAD,
	    .flags = ELF_PF_X | 4, .offset = 4096, .vaddr = 0x400000,
	    .filesz = 4096, .memsz = 4096 };
	ph[1] = (struct elf64_phdr){ .type = ELF_PT_LOAD,
	    .flags = ELF_PF_W | 4, .offset = 8192, .vaddr = 0x601000,
	    .filesz = 100, .memsz = 3 * 4096 };
	ph[2] = (struct elf64_phdr){ .type = 4 /* PT_NOTE */, .offset = 64,
	    .filesz = 8, .memsz = 8 };
	for (i = 0; i < 8192; i++)
		image[4096 + i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(module_data); i++)
		module_data[i] = (uint8_t)(i ^ 0x5a);
}

void
roottask_boot(void)
{
	static const struct roottask_module mod = {
		module_data, 100, "module",
	};
	struct roottask_ret r;

	if (image[0] == 0)
		make_image();
	r = roottask_load(world_roots(), image, sizeof(image), &mod, 1,
	    "fuzz root=1");
	if (r.err != VG_OK)
		die("boot: roottask_load: %d", r.err);
}

/* A field's new value: small, a page number, near the ends of the
 * image and of user memory, or anything. */
static uint64_t
pick_value(void)
{
	switch (take8() % 8) {
	case 0:
		return 0;
	case 1:
		return take8();
	case 2:
		return take16();
	case 3:
		return (uint64_t)take8() << 12;
	case 4:
		return VG_BOOT_USER_LIMIT - take16();
	case 5:
		return IMAGE_SIZE + take8() % 16 - 8;
	case 6:
		return 0x400000 + (uint64_t)take16();
	default:
		return take64();
	}
}

/* One change to the image in WORK. */
static void
mutate(void)
{
	struct elf64_ehdr *eh = (struct elf64_ehdr *)work;
	struct elf64_phdr *ph = (struct elf64_phdr *)(work + sizeof(*eh));
	uint8_t k = take8();
	struct elf64_phdr *h = &ph[take8() % NPHDR];

	switch (k % 12) {
	case 0:
		eh->ident[take8() % 8] ^= (uint8_t)(take8() | 1);
		break;
	case 1:
		eh->type = take16();
		break;
	case 2:
		eh->machine = take16();
		break;
	case 3:
		eh->phentsize = take16();
		break;
	case 4:
		eh->phoff = pick_value();
		break;
	case 5:
		eh->phnum = take8();
		break;
	case 6:
		eh->entry = pick_value();
		break;
	case 7:
		h->type = take8() & 1 ? ELF_PT_LOAD : take32();
		break;
	case 8:
		h->flags = take8() & 7;
		break;
	case 9:
		h->offset = pick_value();
		break;
	case 10:
		h->vaddr = pick_value();
		break;
	default:
		if (take8() & 1)
			h->filesz = pick_value();
		else
			h->memsz = pick_value();
		break;
	}
}

/* A module's size: within module_data, or one too large for the space
 * left, which the builder must refuse before it reads a byte. */
static uint64_t
pick_module_size(void)
{
	if (take8() < 230)
		return take16() % (sizeof(module_data) + 1);
	return VG_BOOT_USER_LIMIT + take16();
}

void
op_roottask(void)
{
	static const char long_text[] = "a command line or module name "
	    "longer than the boot information has room for, which the "
	    "builder cuts short rather than overrun; and then some more "
	    "of it, to be sure that it does not fit anywhere at all";
	static const char *const names[] = { "mod", "", NULL, long_text };
	struct roottask_module mods[VG_BOOT_MODULES_MAX + 1];
	struct kernel_roots roots = *world_roots();
	struct activity *b = play_subact();
	uint8_t m = take8();
	unsigned nmods = m >> 2 & 3, n = m & 3, i;
	size_t size = IMAGE_SIZE;
	const char *cmdline = names[take8() % 4];
	struct roottask_ret r;

	if (b == NULL)
		return;
	memcpy(work, image, sizeof(work));
	for (i = 0; i < n; i++)
		mutate();
	if (m & 0x80)
		size = take16() % (IMAGE_SIZE + 1);
	if (m & 0x40)
		nmods = VG_BOOT_MODULES_MAX + (take8() & 1);
	for (i = 0; i < nmods; i++) {
		mods[i].data = module_data;
		mods[i].size = pick_module_size();
		mods[i].name = names[take8() % 4];
	}
	roots.root_activity = object_cap_of(b);
	ledger_untracked_writes();	/* new objects are zeroed frames */
	r = roottask_load(&roots, work, size, mods, nmods, cmdline);
	note("roottask_load: %u mutations, size %zu, %u modules -> %d", n,
	    size, nmods, r.err);
	if ((unsigned)r.err >= VG_ERR_COUNT)
		die("roottask_load returned %d, which is no error code", r.err);
	if (r.err == VG_OK && object_lookup(&r.thread->slot[
	    VG_THREAD_SLOT_ACTIVITY]) != b)
		die("a root task built on activity B runs on another");
}
