/*
 * Loading the root task: the image, stack, UTCB, boot information and
 * modules land where vg/boot.h says, reached by translation through the
 * root task's own address space; malformed images are refused.
 */
#include <string.h>

#include <vg/boot.h>

#include "elf64.h"
#include "roottask.h"
#include "vgtest.h"

/* A synthetic ELF64 executable: text at 0x400000, data+bss at 0x601000. */
struct image {
	uint8_t bytes[3 * 4096];
	size_t size;
};

static void
make_image(struct image *im)
{
	struct elf64_ehdr *eh = (struct elf64_ehdr *)im->bytes;
	struct elf64_phdr *ph = (struct elf64_phdr *)(im->bytes + sizeof(*eh));
	unsigned i;

	memset(im, 0, sizeof(*im));
	memcpy(eh->ident, "\177ELF\2\1\1", 7);
	eh->type = 2;
	eh->machine = 62;
	eh->version = 1;
	eh->entry = 0x400010;
	eh->phoff = sizeof(*eh);
	eh->ehsize = sizeof(*eh);
	eh->phentsize = sizeof(*ph);
	eh->phnum = 2;
	ph[0] = (struct elf64_phdr){ .type = 1, .flags = 5, .offset = 4096,
	    .vaddr = 0x400000, .filesz = 4096, .memsz = 4096 };
	ph[1] = (struct elf64_phdr){ .type = 1, .flags = 6, .offset = 8192,
	    .vaddr = 0x601000, .filesz = 100, .memsz = 3 * 4096 };
	for (i = 0; i < 4096; i++)
		im->bytes[4096 + i] = (uint8_t)(i * 7);
	for (i = 0; i < 4096; i++)
		im->bytes[8192 + i] = (uint8_t)(0xa0 + i);	/* past filesz */
	im->size = sizeof(im->bytes);
}

/* The capability that data address VA translates to for T. */
static struct as_result
data_at(struct thread *t, uint64_t va)
{
	return as_walk_run(as_walk_start(&t->slot[VG_THREAD_SLOT_ASPACE],
	    vg_addr_of_data(va)));
}

static uint8_t *
bytes_at(struct thread *t, uint64_t va)
{
	struct as_result r = data_at(t, va);

	assert_int_equal(r.err, VG_OK);
	assert_true(r.cap.type == VG_TYPE_PAGE || r.cap.type == VG_TYPE_RPAGE);
	return (uint8_t *)object_lookup(&r.cap) + (va & 0xfff);
}

static void
test_roottask_loads_image_and_environment(void **state)
{
	struct vgtest *t = *state;
	static struct image im;
	static const char mod_a[] = "first module";
	static uint8_t mod_b[5000];
	struct roottask_module mods[2] = {
		{ mod_a, sizeof(mod_a), "mod-a" },
		{ mod_b, sizeof(mod_b), "mod-b" },
	};
	struct roottask_ret r;
	struct vg_boot_info *info;
	struct as_result c;
	unsigned i;

	make_image(&im);
	for (i = 0; i < sizeof(mod_b); i++)
		mod_b[i] = (uint8_t)(i ^ 0x5a);
	r = roottask_load(&t->roots, im.bytes, im.size, mods, 2, "demo x=1");
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(r.thread->state, VG_THREAD_RUNNABLE);
	assert_int_equal(arch_thread_ip_sp(r.thread).ip, 0x400010);
	assert_int_equal(arch_thread_ip_sp(r.thread).sp, VG_BOOT_STACK_TOP);

	/* Text: read-only, executable (PF_X), the file's bytes. */
	assert_int_equal(data_at(r.thread, 0x400000).cap.type, VG_TYPE_RPAGE);
	assert_int_equal(data_at(r.thread, 0x400000).cap.rights,
	    VG_CAP_EXECUTE);
	for (i = 0; i < 4096; i += 511)
		assert_int_equal(*bytes_at(r.thread, 0x400000 + i),
		    (uint8_t)(i * 7));
	/* Data: writable, not executable, file bytes then zeros (bss),
	 * over 3 pages. */
	assert_int_equal(data_at(r.thread, 0x601000).cap.type, VG_TYPE_PAGE);
	for (i = 0; i < 3; i++)
		assert_int_equal(data_at(r.thread, 0x601000 + i * 4096).cap.rights,
		    0);
	assert_int_equal(*bytes_at(r.thread, 0x601000 + 99), (uint8_t)(0xa0 + 99));
	assert_int_equal(*bytes_at(r.thread, 0x601000 + 100), 0);
	assert_int_equal(*bytes_at(r.thread, 0x603fff), 0);
	assert_int_equal(data_at(r.thread, 0x604000).err, VG_ERR_VOID);
	/* Stack. */
	assert_int_equal(data_at(r.thread, VG_BOOT_STACK_TOP - 8).cap.type,
	    VG_TYPE_PAGE);
	assert_int_equal(data_at(r.thread, VG_BOOT_STACK_TOP -
	    VG_BOOT_STACK_SIZE).cap.type, VG_TYPE_PAGE);
	/* Nothing but the text may run: stack, UTCB, boot information,
	 * modules. */
	assert_int_equal(data_at(r.thread, VG_BOOT_STACK_TOP - 8).cap.rights,
	    0);
	assert_int_equal(data_at(r.thread, VG_BOOT_UTCB).cap.rights, 0);
	assert_int_equal(data_at(r.thread, VG_BOOT_INFO).cap.rights, 0);
	assert_int_equal(data_at(r.thread, VG_BOOT_MODULES).cap.rights, 0);
	assert_int_equal(data_at(r.thread, VG_BOOT_MODULES + 4096).cap.rights,
	    0);
	assert_int_equal(data_at(r.thread, VG_BOOT_STACK_TOP).err,
	    VG_ERR_VOID);
	/* The UTCB page is the thread's UTCB. */
	c = data_at(r.thread, VG_BOOT_UTCB);
	assert_int_equal(c.err, VG_OK);
	assert_int_equal(c.cap.oid, r.thread->slot[VG_THREAD_SLOT_UTCB].oid);
	/* Boot information and modules. */
	info = (struct vg_boot_info *)bytes_at(r.thread, VG_BOOT_INFO);
	assert_int_equal(info->magic, VG_BOOT_MAGIC);
	assert_string_equal(info->cmdline, "demo x=1");
	assert_int_equal(info->nmodules, 2);
	assert_string_equal(info->module[1].name, "mod-b");
	assert_int_equal(info->module[0].start, VG_BOOT_MODULES);
	assert_int_equal(info->module[1].start, VG_BOOT_MODULES + 4096);
	assert_int_equal(info->module[1].size, sizeof(mod_b));
	assert_memory_equal(bytes_at(r.thread, VG_BOOT_MODULES), mod_a,
	    sizeof(mod_a));
	for (i = 0; i < sizeof(mod_b); i += 97)
		assert_int_equal(*bytes_at(r.thread, VG_BOOT_MODULES + 4096 + i),
		    mod_b[i]);
	/* Capabilities, at the addresses vg/boot.h gives. */
	c = as_walk_run(as_walk_start(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_ACTIVITY)));
	assert_int_equal(c.err, VG_OK);
	assert_memory_equal(&c.cap, &t->roots.root_activity,
	    sizeof(struct vg_cap));
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_THREAD), VG_TYPE_THREAD);
	assert_int_equal(c.err, VG_OK);
	assert_ptr_equal(object_lookup(&c.cap), r.thread);
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_FOLIO), VG_TYPE_FOLIO);
	assert_int_equal(c.err, VG_OK);
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_ROOT), VG_TYPE_CAPPAGE);
	assert_int_equal(c.err, VG_OK);
	assert_int_equal(c.cap.oid,
	    r.thread->slot[VG_THREAD_SLOT_ASPACE].oid);
	/* The messenger to bootstrap with, its buffer page mapped. */
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_MESSENGER), VG_TYPE_MESSENGER);
	assert_int_equal(c.err, VG_OK);
	{
		struct messenger *m = object_lookup(&c.cap);
		struct as_result page = data_at(r.thread, VG_BOOT_MESSAGE);

		assert_int_equal(page.cap.type, VG_TYPE_PAGE);
		assert_int_equal(m->slot[VG_MESSENGER_SLOT_BUFFER].oid,
		    page.cap.oid);
		assert_ptr_equal(object_lookup(
		    &m->slot[VG_MESSENGER_SLOT_THREAD]), r.thread);
		assert_memory_equal(&m->slot[VG_MESSENGER_SLOT_ASPACE],
		    &r.thread->slot[VG_THREAD_SLOT_ASPACE],
		    sizeof(struct vg_cap));
	}
	/* The kernel's console and the machine's power: the root task is
	 * the only one that has them. */
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_CONSOLE), VG_TYPE_CONSOLE);
	assert_int_equal(c.err, VG_OK);
	assert_memory_equal(&c.cap, &t->roots.console, sizeof(struct vg_cap));
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_POWER), VG_TYPE_POWER);
	assert_int_equal(c.err, VG_OK);
	assert_memory_equal(&c.cap, &t->roots.power, sizeof(struct vg_cap));
	/* And the device controls; libvg's two slots between are void. */
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_IRQ_CONTROL), VG_TYPE_IRQ_CONTROL);
	assert_int_equal(c.err, VG_OK);
	assert_memory_equal(&c.cap, &t->roots.irq_control,
	    sizeof(struct vg_cap));
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_IOPORT_CONTROL), VG_TYPE_IOPORT_CONTROL);
	assert_int_equal(c.err, VG_OK);
	assert_memory_equal(&c.cap, &t->roots.ioport_control,
	    sizeof(struct vg_cap));
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_DEVMEM_CONTROL), VG_TYPE_DEVMEM_CONTROL);
	assert_int_equal(c.err, VG_OK);
	assert_memory_equal(&c.cap, &t->roots.devmem_control,
	    sizeof(struct vg_cap));
	c = as_lookup_object(&r.thread->slot[VG_THREAD_SLOT_ASPACE],
	    vg_boot_slot(VG_BOOT_SLOT_DMA_CONTROL), VG_TYPE_DMA_CONTROL);
	assert_int_equal(c.err, VG_OK);
	assert_memory_equal(&c.cap, &t->roots.dma_control,
	    sizeof(struct vg_cap));
	for (i = VG_BOOT_SLOT_POWER + 1; i < VG_BOOT_SLOT_IRQ_CONTROL; i++) {
		c = as_walk_run(as_walk_start(
		    &r.thread->slot[VG_THREAD_SLOT_ASPACE], vg_boot_slot(i)));
		assert_int_equal(c.cap.type, VG_TYPE_VOID);
	}
	/* The rest of the capability slots are void. */
	for (i = VG_BOOT_SLOT_FIRST_FREE; i < VG_CAPPAGE_SLOTS; i++) {
		c = as_walk_run(as_walk_start(
		    &r.thread->slot[VG_THREAD_SLOT_ASPACE], vg_boot_slot(i)));
		assert_int_equal(c.err, VG_OK);
		assert_int_equal(c.cap.type, VG_TYPE_VOID);
	}
	/* Everything is charged to the root activity. */
	assert_true(t->root_activity->usage > FOLIO_FRAMES);
}

/* Images that are not usable are refused. */
static void
test_roottask_rejects_bad_images(void **state)
{
	struct vgtest *t = *state;
	static struct image im;
	struct elf64_ehdr *eh = (struct elf64_ehdr *)im.bytes;
	struct elf64_phdr *ph = (struct elf64_phdr *)(im.bytes + sizeof(*eh));

	make_image(&im);
	im.bytes[1] = 'X';
	assert_int_equal(roottask_load(&t->roots, im.bytes, im.size, NULL, 0,
	    "").err, VG_ERR_INVALID);
	make_image(&im);
	assert_int_equal(roottask_load(&t->roots, im.bytes, 40, NULL, 0,
	    "").err, VG_ERR_INVALID);
	make_image(&im);
	eh->phoff = im.size - 10;
	assert_int_equal(roottask_load(&t->roots, im.bytes, im.size, NULL, 0,
	    "").err, VG_ERR_INVALID);
	make_image(&im);
	ph[1].filesz = ph[1].memsz + 1;
	assert_int_equal(roottask_load(&t->roots, im.bytes, im.size, NULL, 0,
	    "").err, VG_ERR_INVALID);
	make_image(&im);
	ph[0].offset = im.size;
	ph[0].filesz = 1;
	assert_int_equal(roottask_load(&t->roots, im.bytes, im.size, NULL, 0,
	    "").err, VG_ERR_INVALID);
	make_image(&im);
	ph[1].vaddr = VG_BOOT_USER_LIMIT - 4096;
	assert_int_equal(roottask_load(&t->roots, im.bytes, im.size, NULL, 0,
	    "").err, VG_ERR_INVALID);
	make_image(&im);
	eh->machine = 3;
	assert_int_equal(roottask_load(&t->roots, im.bytes, im.size, NULL, 0,
	    "").err, VG_ERR_INVALID);
}

/* Program headers at an offset that is no multiple of 8 (found by the
 * fuzzer: the builder read them in place, a misaligned access): loaded
 * all the same. */
static void
test_roottask_unaligned_headers(void **state)
{
	struct vgtest *t = *state;
	static struct image im;
	struct elf64_ehdr *eh = (struct elf64_ehdr *)im.bytes;
	struct roottask_ret r;

	make_image(&im);
	memmove(im.bytes + eh->phoff + 4, im.bytes + eh->phoff,
	    2 * sizeof(struct elf64_phdr));
	eh->phoff += 4;
	r = roottask_load(&t->roots, im.bytes, im.size, NULL, 0, "");
	assert_int_equal(r.err, VG_OK);
	assert_int_equal(*bytes_at(r.thread, 0x400000 + 511),
	    (uint8_t)(511 * 7));
	assert_int_equal(data_at(r.thread, 0x601000).cap.type, VG_TYPE_PAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_roottask_loads_image_and_environment, vgtest_setup,
		    vgtest_teardown),
		cmocka_unit_test_setup_teardown(
		    test_roottask_rejects_bad_images, vgtest_setup,
		    vgtest_teardown),
		cmocka_unit_test_setup_teardown(
		    test_roottask_unaligned_headers, vgtest_setup,
		    vgtest_teardown),
	};

	return cmocka_run_group_tests_name("roottask", tests, NULL, NULL);
}
