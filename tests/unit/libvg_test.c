/*
 * libvg on the host.
 *
 * The pure parts -- printf formatting, message helpers, the address-space
 * layout arithmetic, the command line, the slot allocator, ELF parsing --
 * are tested alone.  The rest runs against the hosted kernel core: vg_ipc
 * calls the core's ipc() for the current thread, and VG_PTR(va) finds the
 * page the current thread's address space maps at VA.  So the run time's
 * start-up, every method stub, the address-space builder, the ELF loader
 * (on the real demo programs built by mk/user.mk), the receiver and the
 * activation dispatcher (with the handler's entry and exit emulated: they
 * are assembly) are checked against the kernel itself.
 *
 * The root task's environment is the kernel's (roottask_load) plus the
 * boot messenger libvg needs (VG_SLOT_MESSENGER, lib/vg/README.md), added
 * here the way the proposed kernel change adds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vg/boot.h>

#include "ipc.h"
#include "transfer.h"
#include "roottask.h"
#include "vgtest.h"

#include <libvg/libvg.h>

#ifndef VG_USER_BUILD
#define VG_USER_BUILD "build/user"
#endif

/* --- the platform libvg expects, on the hosted core ---------------------- */

static struct thread *cur;		/* the thread libvg runs as */
static unsigned long fast_shaped;	/* vg_ipc calls of the fast path's
					 * shape (ipc.h) */
static char console[1 << 16];
static size_t console_len;
static size_t console_writes;

enum vg_err
vg_ipc(const struct vg_ipc_args *a)
{
	assert_non_null(cur);
	fast_shaped += ipc_fast_shape((uint64_t)a->flags |
	    (uint64_t)a->reserved << 32);
	return ipc(cur, a);
}

enum vg_err
vg_debug_write(const void *buf, size_t len)
{
	if (len > sizeof(console) - 1 - console_len)
		len = sizeof(console) - 1 - console_len;
	memcpy(console + console_len, buf, len);
	console_len += len;
	console[console_len] = '\0';
	console_writes++;
	return VG_OK;
}

enum vg_err
vg_halt(int status)
{
	fprintf(stderr, "vg_halt(%d)\n%s\n", status, console);
	abort();
}

/* The byte at VA, as the current thread's address space maps it. */
void *
vg_hosted_ptr(uint64_t va)
{
	struct as_result r = as_walk_run(as_walk_start(
	    &cur->slot[VG_THREAD_SLOT_ASPACE], vg_addr_of_data(va)));

	if (r.err != VG_OK ||
	    (r.cap.type != VG_TYPE_PAGE && r.cap.type != VG_TYPE_RPAGE)) {
		fprintf(stderr, "vg_hosted_ptr(%#lx): no page (%d)\n",
		    (unsigned long)va, r.err);
		abort();
	}
	return (uint8_t *)object_lookup(&r.cap) + (va & (VG_PAGE_SIZE - 1));
}

size_t
strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* activation.S's symbols: only their addresses matter here. */
char vg_activation_entry[16];
char vg_activation_exit_start[16];
char vg_activation_exit_end[16];
char vg_wait_begin[16];
char vg_wait_syscall[16];

/*
 * What activation.S does when the kernel has activated the thread: run
 * the dispatcher, leave activated mode, and go back in while activations
 * are still queued.  Returns false if the thread was not activated.
 */
static bool
run_handler(void)
{
	struct vg_act_state *st = &vg_act_stack.state;
	volatile struct vg_utcb *u = st->utcb;

	if (!(u->mode & VG_UTCB_ACTIVATED))
		return false;
	vg_activation_dispatch(st, 0);
	u->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
	while (u->pending != 0) {
		u->mode |= VG_UTCB_ACTIVATED;
		vg_activation_dispatch(st, 0);
		u->mode &= ~(uint64_t)VG_UTCB_ACTIVATED;
	}
	return true;
}

void
vg_wait_nonzero(volatile uint64_t *flag)
{
	for (int i = 0; i < 16 && *flag == 0; i++) {
		if (!run_handler())
			break;
	}
	assert_true(*flag != 0);
}

/* --- pure parts --------------------------------------------------------------- */

#define CHECK_FMT(...)							\
	do {								\
		char want[256], got[256];				\
		int nw = snprintf(want, sizeof(want), __VA_ARGS__);	\
		int ng = vg_snprintf(got, sizeof(got), __VA_ARGS__);	\
		assert_string_equal(got, want);				\
		assert_int_equal(ng, nw);				\
	} while (0)

static void
test_printf_formats(void **state)
{
	void *p = (void *)(uintptr_t)0x1234abcd;

	(void)state;
	CHECK_FMT("plain");
	CHECK_FMT("%s|%10s|%-10s|%.3s|%*s|", "abc", "right", "left",
	    "truncate", 6, "w");
	CHECK_FMT("%c%c%5c%-3c|", 'a', 'b', 'c', 'd');
	CHECK_FMT("%d %i %d %d", 0, -1, 2147483647, (int)-2147483647 - 1);
	CHECK_FMT("%5d|%-5d|%05d|%+d|% d|%.3d", 42, 42, -42, 7, 7, 5);
	CHECK_FMT("%u %x %X %#x %o %#o", 4000000000u, 0xbeefu, 0xbeefu,
	    255u, 8u, 8u);
	CHECK_FMT("%lx %lu %ld %ld", 0xfedcba9876543210ul,
	    18446744073709551615ul, -9223372036854775807l - 1, 123l);
	CHECK_FMT("%llx %llu %lld", 0x1ull, 12345678901234ull, -5ll);
	CHECK_FMT("%016lx|%-16lx|%8x", 0xabcul, 0xabcul, 0x12u);
	CHECK_FMT("%zu %hhu %hd", (size_t)77, (unsigned char)300, (short)-3);
	CHECK_FMT("%p %%", p);
	CHECK_FMT("%.*s|%-*d|", 2, "xyz", 4, 9);
}

static void
test_printf_truncates_and_buffers(void **state)
{
	char buf[8];
	int n;

	(void)state;
	n = vg_snprintf(buf, sizeof(buf), "%s", "0123456789");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(vg_snprintf(NULL, 0, "%d", 12345), 5);

	/* One system call per line; nothing before the newline. */
	console_len = 0;
	console_writes = 0;
	vg_printf("partial %d", 1);
	assert_int_equal(console_writes, 0);
	vg_printf(" line\nnext");
	assert_int_equal(console_writes, 1);
	assert_string_equal(console, "partial 1 line\n");
	vg_flush();
	assert_int_equal(console_writes, 2);
	assert_string_equal(console, "partial 1 line\nnext");
	console_len = 0;
	console[0] = '\0';
}

static void
test_messages(void **state)
{
	static _Alignas(8) uint8_t page[VG_MESSAGE_SIZE];
	struct vg_message *m = (struct vg_message *)page;
	vg_addr_t slots[3] = { vg_boot_slot(140), vg_boot_slot(141),
	    vg_addr_of_data(0x1f900000) };
	uint64_t w[3];
	char s[64];
	uint32_t next;

	(void)state;
	vg_message_clear(m);
	assert_int_equal(vg_msg_put_word(m, 0x1001), 0);
	assert_int_equal(vg_msg_put_str(m, "hello, world"), 0);
	assert_int_equal(vg_msg_put_cap(m, vg_boot_slot(136)), 0);
	assert_int_equal(vg_msg_put_word(m, 99), 0);
	/* Data moved up past the new capability address. */
	assert_int_equal(vg_msg_ncaps(m), 1);
	assert_true(vg_addr_eq(vg_msg_cap(m, 0), vg_boot_slot(136)));
	assert_true(vg_addr_is_void(vg_msg_cap(m, 1)));
	assert_int_equal(vg_msg_nwords(m), 1 + 1 + 2 + 1);
	assert_int_equal(vg_msg_word(m, 0), 0x1001);
	next = vg_msg_get_str(m, 1, s, sizeof(s));
	assert_string_equal(s, "hello, world");
	assert_int_equal(next, 4);
	assert_int_equal(vg_msg_word(m, next), 99);
	assert_int_equal(vg_msg_word(m, 17), 0);
	/* A short buffer truncates; a lying length is refused. */
	vg_msg_get_str(m, 1, s, 6);
	assert_string_equal(s, "hello");
	assert_int_equal(vg_msg_get_str(m, 4, s, sizeof(s)), 0);
	assert_string_equal(s, "");

	/* Full pages refuse more. */
	vg_message_clear(m);
	while (vg_msg_put_word(m, 1) == 0)
		;
	assert_int_equal(vg_msg_len(m), vg_message_data_max(0));
	assert_int_equal(vg_msg_put_cap(m, vg_boot_slot(1)), -1);

	/* A receiver's preload; what arrived. */
	vg_msg_preload(m, slots, 3);
	assert_int_equal(m->cap_count, 3);
	assert_int_equal(m->data_count, 0);
	m->cap_count = 2;
	m->cap_void = 2;
	assert_true(vg_msg_cap_arrived(m, 0));
	assert_false(vg_msg_cap_arrived(m, 1));
	assert_false(vg_msg_cap_arrived(m, 2));
	/* The kernel's clamping of counts is applied when reading. */
	m->cap_count = 1000;
	m->data_count = 65535;
	assert_int_equal(vg_msg_ncaps(m), VG_MESSAGE_CAPS_MAX);
	assert_int_equal(vg_msg_len(m),
	    vg_message_data_max(VG_MESSAGE_CAPS_MAX));

	vg_words_from_str(w, 3, "0123456789abcdefXYZ");
	assert_int_equal(w[0], 0x3736353433323130ull);
	vg_words_to_str(w, 3, s, sizeof(s));
	assert_string_equal(s, "0123456789abcdefXYZ");
	vg_words_to_str(w, 2, s, sizeof(s));
	assert_string_equal(s, "0123456789abcdef");	/* 2 words: 16 bytes */
	vg_words_from_str(w, 3, "ab");
	assert_int_equal(w[1], 0);
	vg_words_to_str(w, 3, s, sizeof(s));
	assert_string_equal(s, "ab");
}

static void
test_layout(void **state)
{
	struct vg_as self, other;
	vg_addr_t a;

	(void)state;
	vg_as_init_self(&self, NULL, vg_boot_slot(VG_BOOT_SLOT_ROOT), NULL,
	    NULL);
	other = self;
	other.base = vg_boot_slot(200);

	/* The own space: the page slot of VA is VA's data address. */
	for (uint64_t va = 0; va < VG_BOOT_USER_LIMIT; va += 0x1234567) {
		uint64_t page = va & ~0xfffull;

		assert_true(vg_addr_eq(vg_as_page_slot(&self, va),
		    vg_addr_of_data(page)));
		assert_int_equal(vg_as_region(va), va >> 22);
		assert_int_equal(vg_as_range(va), (va >> 14) & 255);
		assert_int_equal(vg_as_page(va), (va >> 12) & 3);
		/* Another space, through my slot 200: 8 + 18 bits. */
		a = vg_as_page_slot(&other, va);
		assert_int_equal(vg_addr_depth(a), 34 + 8 + 18);
		assert_int_equal(vg_addr_prefix(a),
		    (200ull << 18) | ((va >> 12) & 0x3ffff));
		a = vg_as_range_slot(&other, va);
		assert_int_equal(vg_addr_depth(a), 34 + 8 + 16);
		assert_int_equal(vg_addr_prefix(a),
		    (200ull << 16) | (vg_as_region(va) << 8) |
		    vg_as_range(va));
	}
	assert_true(vg_addr_eq(vg_as_root_slot(&self, 131), vg_boot_slot(131)));
	assert_true(vg_addr_eq(vg_as_region_slot(&other, 0x400000),
	    vg_addr((200 << 8) | 1, 50)));

	/* Local: the 34 guard bits dropped. */
	assert_true(vg_addr_eq(vg_as_local(vg_boot_slot(130)), vg_addr(130, 8)));
	assert_true(vg_addr_eq(vg_as_local(vg_addr_of_data(0x1ff10000)),
	    vg_addr(0x1ff10000 >> 12, 18)));
	assert_true(vg_addr_eq(vg_as_local(vg_addr_extend(vg_boot_slot(140),
	    2, 2)), vg_addr((140 << 2) | 2, 10)));
	assert_true(vg_addr_is_void(vg_as_local(vg_addr(0, 34))));
	assert_true(vg_addr_is_void(vg_as_local(VG_ADDR_ROOT)));
	assert_true(vg_addr_is_void(vg_as_local(VG_ADDR_VOID)));
	/* Guard bits not zero: not in the space. */
	assert_true(vg_addr_is_void(vg_as_local(vg_addr(1ull << 41, 42))));
}

/* The kernel command line: the first word that sets a key counts, lists
 * are split at commas, a key is matched whole. */
static void
test_cmdline(void **state)
{
	const char *cl = "vg32.elf  only=ipc,caps profile=roundtrip@3 "
	    "skip= only=virt onlyx=a";
	char buf[8] = "x";

	(void)state;
	assert_int_equal(vg_cmdline_lists(cl, "only", "ipc"), 1);
	assert_int_equal(vg_cmdline_lists(cl, "only", "caps"), 1);
	assert_int_equal(vg_cmdline_lists(cl, "only", "virt"), 0);
	assert_int_equal(vg_cmdline_lists(cl, "only", "ip"), 0);
	assert_int_equal(vg_cmdline_lists(cl, "only", "ipc,caps"), 0);
	assert_int_equal(vg_cmdline_lists(cl, "skip", "ipc"), 0);
	assert_int_equal(vg_cmdline_lists(cl, "skip", ""), 1);
	assert_int_equal(vg_cmdline_lists(cl, "hang", "ipc"), -1);
	assert_int_equal(vg_cmdline_lists(cl, "onl", "ipc"), -1);
	assert_int_equal(vg_cmdline_lists("", "only", "ipc"), -1);

	assert_false(vg_cmdline_value(cl, "hang", buf, sizeof(buf)));
	assert_string_equal(buf, "x");
	assert_true(vg_cmdline_value(cl, "only", buf, sizeof(buf)));
	assert_string_equal(buf, "ipc,cap");	/* truncated */
	assert_true(vg_cmdline_value(cl, "profile", buf, 4));
	assert_string_equal(buf, "rou");
	assert_true(vg_cmdline_value(cl, "skip", buf, sizeof(buf)));
	assert_string_equal(buf, "");
	assert_true(vg_cmdline_value(cl, "onlyx", buf, sizeof(buf)));
	assert_string_equal(buf, "a");
}

static void
test_slots(void **state)
{
	struct vg_slots s;
	vg_addr_t a[4];

	(void)state;
	vg_slots_init(&s, 250, 300);
	assert_int_equal(s.end, 256);
	for (int i = 0; i < 4; i++) {
		a[i] = vg_slot_alloc(&s);
		assert_int_equal(vg_slot_index(a[i]), 250 + i);
	}
	vg_slot_free(&s, a[1]);
	assert_int_equal(vg_slot_index(vg_slot_alloc(&s)), 251);
	assert_int_equal(vg_slot_index(vg_slot_alloc(&s)), 254);
	assert_int_equal(vg_slot_index(vg_slot_alloc(&s)), 255);
	assert_true(vg_addr_is_void(vg_slot_alloc(&s)));
	assert_int_equal(vg_slot_index(vg_addr_of_data(0x400000)), -1);
}

/* --- the demo programs' images ------------------------------------------------- */

struct file {
	uint8_t *bytes;
	size_t size;
};

static struct file
read_file(const char *name)
{
	char path[512];
	struct file f = { 0 };
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", VG_USER_BUILD, name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s (built by mk/user.mk)", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	f.size = (size_t)n;
	f.bytes = malloc(f.size);
	assert_non_null(f.bytes);
	assert_int_equal(fread(f.bytes, 1, f.size, fp), f.size);
	fclose(fp);
	return f;
}

static void
test_elf_parse(void **state)
{
	struct file f = read_file("demo-server.elf");
	struct vg_elf e;
	struct vg_elf_segment s;
	int loads = 0;

	(void)state;
	assert_int_equal(vg_elf_parse(&e, f.bytes, f.size), VG_OK);
	assert_int_equal(e.entry, 0x400000);
	for (unsigned i = 0; i < e.phnum; i++) {
		int r = vg_elf_segment(&e, i, &s);

		assert_true(r >= 0);
		if (r == 0)
			continue;
		loads++;
		assert_int_equal(s.vaddr & 0xfff, 0);
		if (loads == 1)
			assert_true(s.executable && !s.writable);
	}
	assert_int_equal(loads, 3);	/* text, rodata, data+bss */
	assert_int_not_equal(vg_elf_symbol(&e, "vg_activation_entry"), 0);
	assert_int_not_equal(vg_elf_symbol(&e, "main"), 0);
	assert_int_equal(vg_elf_symbol(&e, "no_such_symbol"), 0);
	assert_int_equal(vg_elf_symbol(&e, "vg_activation"), 0); /* prefix */

	/* Untrusted images. */
	assert_int_equal(vg_elf_parse(&e, f.bytes, 40), VG_ERR_INVALID);
	f.bytes[1] = 'X';
	assert_int_equal(vg_elf_parse(&e, f.bytes, f.size), VG_ERR_INVALID);
	f.bytes[1] = 'E';
	{
		uint64_t phoff;

		memcpy(&phoff, f.bytes + 32, 8);
		memcpy(f.bytes + 32, &(uint64_t){ f.size - 10 }, 8);
		assert_int_equal(vg_elf_parse(&e, f.bytes, f.size),
		    VG_ERR_INVALID);
		memcpy(f.bytes + 32, &phoff, 8);
		/* A segment past the end of the image. */
		assert_int_equal(vg_elf_parse(&e, f.bytes, f.size), VG_OK);
		memcpy(f.bytes + phoff + 8, &(uint64_t){ f.size }, 8);
		assert_int_equal(vg_elf_segment(&e, 0, &s), -1);
	}
	free(f.bytes);
}

/* --- against the hosted kernel ------------------------------------------------ */

static struct vgtest core;
static struct thread *root_thread;
static struct file images[3];

static struct as_result
walk(struct thread *t, vg_addr_t a)
{
	return as_walk_run(as_walk_start(&t->slot[VG_THREAD_SLOT_ASPACE], a));
}

static void *
object_at(struct thread *t, vg_addr_t a, enum vg_type type)
{
	struct as_result r = as_lookup_object(&t->slot[VG_THREAD_SLOT_ASPACE],
	    a, type);

	assert_int_equal(r.err, VG_OK);
	return object_lookup(&r.cap);
}

static uint8_t *
bytes_at(struct thread *t, uint64_t va)
{
	struct as_result r = walk(t, vg_addr_of_data(va));

	assert_int_equal(r.err, VG_OK);
	assert_true(r.cap.type == VG_TYPE_PAGE || r.cap.type == VG_TYPE_RPAGE);
	return (uint8_t *)object_lookup(&r.cap) + (va & 0xfff);
}

static int
setup_core(void **state)
{
	struct roottask_module mods[2];
	struct roottask_ret r;

	(void)state;
	images[0] = read_file("root.elf");
	images[1] = read_file("demo-server.elf");
	images[2] = read_file("demo-client.elf");
	core = vgtest_boot(64);
	mods[0] = (struct roottask_module){ images[1].bytes, images[1].size,
	    "build/user/demo-server.elf demo-server" };
	mods[1] = (struct roottask_module){ images[2].bytes, images[2].size,
	    "build/user/demo-client.elf demo-client" };
	r = roottask_load(&core.roots, images[0].bytes, images[0].size, mods,
	    2, "libvg-test");
	assert_int_equal(r.err, VG_OK);
	root_thread = r.thread;
	/* The kernel gives the root task its boot messenger. */
	(void)object_at(root_thread, vg_boot_slot(VG_BOOT_SLOT_MESSENGER),
	    VG_TYPE_MESSENGER);
	cur = root_thread;
	return 0;
}

static int
teardown_core(void **state)
{
	(void)state;
	hosted_shutdown();
	for (int i = 0; i < 3; i++)
		free(images[i].bytes);
	return 0;
}

static void
test_runtime_starts_root_task(void **state)
{
	struct vg_runtime *rt;
	struct messenger *m;
	struct vg_message *buf;

	(void)state;
	cur = root_thread;
	console_len = 0;
	vg_runtime_init();
	rt = vg_self();
	assert_true(rt->root);
	assert_string_equal(rt->name, "root");
	assert_ptr_equal(rt->boot, vg_hosted_ptr(VG_BOOT_INFO));
	assert_int_equal(rt->boot->nmodules, 2);
	assert_int_equal(console_len, 0);	/* nothing went wrong */
	assert_ptr_equal(vg_kcall(), &rt->kcall);

	/* The handler and its exit range are installed. */
	assert_int_equal(root_thread->handler_ip,
	    (uint64_t)(uintptr_t)vg_activation_entry);
	assert_int_equal(root_thread->handler_sp,
	    (uint64_t)(uintptr_t)&vg_act_stack.state);
	assert_int_equal(root_thread->exit_start,
	    (uint64_t)(uintptr_t)vg_activation_exit_start);
	assert_int_equal(root_thread->exit_end,
	    (uint64_t)(uintptr_t)vg_activation_exit_end);
	assert_ptr_equal(vg_act_stack.state.utcb,
	    vg_hosted_ptr(VG_BOOT_UTCB));

	/* Each context: two messengers bound to the thread and space, with
	 * heap pages as buffers and the handlers' ids. */
	m = object_at(root_thread, rt->kcall.send, VG_TYPE_MESSENGER);
	assert_int_equal(m->id, vg_act_id(&rt->kcall.on_send));
	assert_int_equal(m->slot[VG_MESSENGER_SLOT_THREAD].oid,
	    object_cap_of(root_thread).oid);
	assert_int_equal(m->slot[VG_MESSENGER_SLOT_ASPACE].guard_depth, 34);
	buf = msg_buffer_page(m, true);
	assert_ptr_equal(buf, rt->kcall.send_buf);
	assert_ptr_equal(buf, vg_hosted_ptr(VG_HEAP_BASE));
	m = object_at(root_thread, rt->hcall.reply, VG_TYPE_MESSENGER);
	assert_int_equal(m->id, vg_act_id(&rt->hcall.on_reply));
	assert_int_equal(walk(root_thread, rt->ucall.reply_weak).cap.type,
	    VG_TYPE_RMESSENGER);
	vgtest_check_invariants();
}

static void
test_method_stubs(void **state)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = vg_kcall();
	uint64_t id, usage, quota, depth, got, left, page;
	uint32_t oid, version, flags;
	enum vg_type type;
	struct vg_cap_translator tr;
	struct vg_capop_fault fault;
	struct vg_exregs_old old;
	struct vg_exregs none = { 0 };
	vg_addr_t act, folio, m, s;

	(void)state;
	cur = root_thread;
	assert_int_equal(vg_thread_id(c, rt->thread, &id), VG_OK);
	assert_int_equal(id, object_cap_of(root_thread).oid);
	assert_int_equal(vg_object_status(c, rt->thread, &type, &oid,
	    &version), VG_OK);
	assert_int_equal(type, VG_TYPE_THREAD);
	assert_int_equal(oid, id);
	assert_int_equal(vg_thread_exregs(c, rt->thread, &none, &old), VG_OK);
	assert_int_equal(old.state, VG_THREAD_RUNNABLE);
	assert_int_equal(old.handler_ip,
	    (uint64_t)(uintptr_t)vg_activation_entry);
	assert_int_equal(vg_thread_activation_collect(c, rt->thread, &got,
	    &left), VG_OK);
	assert_int_equal(got, 0);
	assert_int_equal(left, 0);

	/* Activities and folios. */
	assert_int_equal(vg_activity_info(c, rt->activity, &usage, &quota,
	    &depth), VG_OK);
	assert_int_equal(usage, core.root_activity->usage);
	assert_int_equal(depth, 0);
	act = vg_slot_alloc(&rt->slots);
	folio = vg_slot_alloc(&rt->slots);
	assert_int_equal(vg_obj_alloc(c, &rt->alloc, VG_TYPE_ACTIVITY, act),
	    VG_OK);
	assert_int_equal(vg_activity_set_quota(c, act, 300), VG_OK);
	assert_int_equal(vg_activity_folio_alloc(c, act, folio), VG_OK);
	assert_int_equal(vg_activity_info(c, act, &usage, &quota, &depth),
	    VG_OK);
	assert_int_equal(usage, 129);
	assert_int_equal(quota, 300);
	assert_int_equal(depth, 1);
	assert_int_equal(vg_folio_object_alloc(c, folio, 127, VG_TYPE_PAGE, 0,
	    VG_ADDR_VOID), VG_OK);
	assert_int_equal(vg_folio_object_alloc(c, folio, 128, VG_TYPE_PAGE, 0,
	    VG_ADDR_VOID), VG_ERR_INVALID);
	assert_int_equal(vg_folio_free(c, folio), VG_OK);
	assert_int_equal(vg_activity_info(c, act, &usage, NULL, NULL), VG_OK);
	assert_int_equal(usage, 0);
	/* 300 frames: two folios of 129, not three. */
	assert_int_equal(vg_activity_folio_alloc(c, act, folio), VG_OK);
	assert_int_equal(vg_activity_folio_alloc(c, act, folio), VG_OK);
	assert_int_equal(vg_activity_folio_alloc(c, act, folio),
	    VG_ERR_QUOTA);

	/* Capability operations in my space, and their faults. */
	s = vg_slot_alloc(&rt->slots);
	assert_int_equal(vg_as_copy(c, rt->self_root, s, rt->thread,
	    VG_CAP_COPY_GUARD, (struct vg_cap_translator){ .guard = 5,
	    .guard_depth = 3 }), VG_OK);
	/* A guarded slot is named with its guard bits appended. */
	assert_int_equal(vg_as_read(c, rt->self_root, s, &type, &tr),
	    VG_ERR_GUARD_DEPTH);
	assert_int_equal(vg_as_read(c, rt->self_root, vg_addr_extend(s, 5, 3),
	    &type, &tr), VG_OK);
	assert_int_equal(type, VG_TYPE_THREAD);
	assert_int_equal(tr.guard, 5);
	assert_int_equal(tr.guard_depth, 3);
	assert_int_equal(vg_as_rubout(c, rt->self_root,
	    vg_addr_extend(s, 5, 3)), VG_OK);
	assert_int_equal(vg_as_read(c, rt->self_root, vg_addr_extend(s, 5, 3),
	    &type, &tr), VG_OK);
	assert_int_equal(type, VG_TYPE_VOID);
	assert_int_equal(tr.guard_depth, 3);	/* the slot keeps its guard */
	assert_int_equal(vg_cap_copy(c, rt->self_root, vg_addr(250, 8),
	    vg_addr((251 << 8) | 4, 16), 0, (struct vg_cap_translator){ 0 },
	    VG_ADDR_VOID, &fault), VG_ERR_VOID);
	assert_int_equal(fault.side, 1);
	assert_int_equal(fault.found_type, VG_TYPE_VOID);
	assert_int_equal(vg_cap_read(c, rt->self_root, VG_ADDR_VOID, &type,
	    &tr, &fault), VG_ERR_ADDR);
	assert_int_equal(vg_cap_rubout(c, rt->thread, vg_addr(1, 1), &fault),
	    VG_ERR_ADDR_SHORT);

	/* Messengers. */
	assert_int_equal(vg_messenger_new(&m, 0, 77), VG_OK);
	assert_int_equal(vg_messenger_id_get(c, m, &id), VG_OK);
	assert_int_equal(id, 77);
	assert_int_equal(vg_messenger_id_set(c, m, 78), VG_OK);
	assert_int_equal(vg_messenger_id_get(c, m, &id), VG_OK);
	assert_int_equal(id, 78);
	assert_int_equal(vg_messenger_flags(c, m, VG_MESSENGER_ACTIVATE_ON_SEND,
	    0, &flags), VG_OK);
	assert_int_equal(flags, VG_MESSENGER_BLOCKED |
	    VG_MESSENGER_ACTIVATE_ON_SEND);
	assert_int_equal(vg_messenger_flags(c, m, VG_MESSENGER_BLOCKED, 0,
	    &flags), VG_ERR_INVALID);
	assert_int_equal(vg_messenger_unblock(c, m), VG_OK);
	assert_int_equal(vg_messenger_flags(c, m, 0,
	    VG_MESSENGER_ACTIVATE_ON_SEND, &flags), VG_OK);
	assert_int_equal(flags, 0);
	assert_int_equal(vg_messenger_block(c, m), VG_OK);
	assert_int_equal(vg_messenger_cancel(c, m), VG_ERR_INVALID);
	assert_int_equal(vg_object_status(c, m, &type, NULL, NULL), VG_OK);
	assert_int_equal(type, VG_TYPE_MESSENGER);

	/* Pages: the heap, discard. */
	page = vg_page_alloc(1);
	assert_int_not_equal(page, 0);
	/* Heap pages never have the execute right. */
	assert_int_equal(walk(root_thread, vg_addr_of_data(page)).cap.type,
	    VG_TYPE_PAGE);
	assert_int_equal(walk(root_thread, vg_addr_of_data(page)).cap.rights,
	    0);
	memset(vg_hosted_ptr(page), 0xa5, 64);
	assert_int_equal(vg_object_discard(c, vg_addr_of_data(page)), VG_OK);
	assert_int_equal(*(uint8_t *)vg_hosted_ptr(page + 63), 0);
	assert_int_equal(vg_object_discard(c, rt->thread), VG_ERR_TYPE);

	/* Errors of the system call itself, and of the method. */
	vg_call_begin(c, VG_METHOD_THREAD_ID);
	assert_int_equal(vg_call_kernel(c, vg_boot_slot(250)), VG_ERR_VOID);
	vg_call_begin(c, 0x7777);
	assert_int_equal(vg_call_kernel(c, rt->thread), VG_ERR_METHOD);
	/* A request too big for one page is refused before any call. */
	vg_call_begin(c, VG_METHOD_THREAD_ID);
	for (int i = 0; i < 600; i++)
		vg_call_word(c, 0);
	assert_int_equal(vg_call_kernel(c, rt->thread), VG_ERR_INVALID);
	vgtest_check_invariants();
}

static uint64_t served;

static void
serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	assert_true(vg_in_activation());
	assert_true(a->reason & VG_ACTIVATION_RECEIVED);
	assert_true(vg_msg_cap_arrived(req, 0));	/* the reply messenger */
	served = vg_msg_word(req, 1);
	vg_reply_begin(r, VG_OK);
	vg_msg_put_word(r->rbuf, served * 2);
	assert_int_equal(vg_reply_send(r), VG_OK);
}

static void
test_call_receiver_and_dispatcher(void **state)
{
	struct vg_runtime *rt = vg_self();
	struct vg_receiver rx;
	struct vg_call *c = &rt->ucall;
	uint64_t handled = vg_act_stack.state.handled;

	(void)state;
	cur = root_thread;
	assert_int_equal(vg_receiver_create(&rx, "test", NULL, 0, serve, NULL),
	    VG_OK);
	assert_int_equal(walk(root_thread, rx.weak).cap.type,
	    VG_TYPE_RMESSENGER);
	assert_int_equal(vg_receiver_arm(&rx), VG_OK);

	/* A call to a user-level server (here: this very thread). */
	for (uint64_t round = 1; round <= 3; round++) {
		vg_call_begin(c, 0x1000);
		vg_call_word(c, 21 * round);
		assert_int_equal(vg_call(c, rx.weak), VG_OK);
		assert_int_equal(served, 21 * round);
		assert_int_equal(vg_call_result(c, 1), 42 * round);
		assert_false(vg_in_activation());
		/* request received, request delivered, reply received, reply
		 * delivered: four activations, some collected. */
		assert_int_equal(vg_act_stack.state.handled, handled + 4 * round);
	}
	assert_int_equal(rx.requests, 3);
	/* A call to a kernel object works the same way. */
	vg_call_begin(c, VG_METHOD_THREAD_ID);
	assert_int_equal(vg_call(c, rt->thread), VG_OK);
	assert_int_equal(vg_call_result(c, 1), object_cap_of(root_thread).oid);
	vgtest_check_invariants();
}

/* The server end of the channel test: answer W0 * 2, W1 + 1 from the
 * dispatcher. */
static void
serve_channel(struct vg_channel *ch)
{
	uint64_t w[2] = { ch->in[0] * 2, ch->in[1] + 1 };

	assert_true(vg_in_activation());
	assert_int_equal(ch->nwords, 2);
	assert_int_equal(vg_channel_reply(ch, w, 2), VG_OK);
}

/*
 * A channel: no capability in any message once the ends hold each
 * other's send rights, and the client's call has the fast path's shape
 * (the kernel's fast path would take it with the server waiting in
 * another thread; here both ends are one thread, so the general path
 * runs it).
 */
static void
test_channel(void **state)
{
	struct vg_channel c, srv;

	(void)state;
	cur = root_thread;
	assert_int_equal(vg_channel_open(&srv, "test.channel.server",
	    serve_channel), VG_OK);
	assert_int_equal(vg_channel_open(&c, "test.channel.client", NULL),
	    VG_OK);
	assert_int_equal(walk(root_thread, c.recv_weak).cap.type,
	    VG_TYPE_RMESSENGER);
	vg_channel_connect(&c, srv.recv_weak);
	vg_channel_connect(&srv, c.recv_weak);
	assert_int_equal(vg_channel_listen(&srv), VG_OK);
	for (uint64_t round = 1; round <= 3; round++) {
		uint64_t w[2] = { 21 * round, round };
		unsigned long shaped = fast_shaped;

		assert_int_equal(vg_channel_call(&c, w, 2), VG_OK);
		assert_int_equal(fast_shaped, shaped + 1);
		assert_int_equal(c.nwords, 2);
		assert_int_equal(c.in[0], 42 * round);
		assert_int_equal(c.in[1], round + 1);
		assert_int_equal(srv.received, round);
		assert_int_equal(c.received, round);
		assert_false(vg_in_activation());
	}
	/* More words than a message holds inline. */
	assert_int_equal(vg_channel_call(&c, (uint64_t[5]){ 0 }, 5),
	    VG_ERR_INVALID);
	vg_act_unregister(&c.on_recv);
	vg_act_unregister(&srv.on_recv);
	vgtest_check_invariants();
}

/* main's argv: the name, then the words of the arguments. */
static void
test_args_split(void **state)
{
	(void)state;
	vg_args_init("prog", "  a bb   ccc ");
	assert_int_equal(vg_argc, 4);
	assert_string_equal(vg_argv[0], "prog");
	assert_string_equal(vg_argv[1], "a");
	assert_string_equal(vg_argv[2], "bb");
	assert_string_equal(vg_argv[3], "ccc");
	assert_null(vg_argv[4]);
	vg_args_init("prog", NULL);
	assert_int_equal(vg_argc, 1);
	assert_null(vg_argv[1]);
	/* No more than VG_ARGV_MAX entries, argv[0] included. */
	vg_args_init("p", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18");
	assert_int_equal(vg_argc, VG_ARGV_MAX);
	assert_string_equal(vg_argv[VG_ARGV_MAX - 1], "15");
	assert_null(vg_argv[VG_ARGV_MAX]);
}

/* A fault as the parent gets it is the fault the program saw, and reads
 * as a person would say it. */
static void
test_fault_report(void **state)
{
	struct vg_fault f = { .address = 0x1234, .ip = 0x40005c,
	    .error = VG_ERR_VOID, .vector = 14,
	    .info = VG_FAULT_INFO_ACCESS | VG_FAULT_INFO_TRANSLATION,
	    .access = VG_FAULT_WRITE, .consumed = 42, .remaining = 10 };
	struct vg_fault g;
	uint64_t w[3];
	char buf[160];

	(void)state;
	vg_fault_pack(&f, w);
	vg_fault_unpack(w, &g);
	assert_memory_equal(&f, &g, sizeof(f));
	vg_fault_describe(&g, buf, sizeof(buf));
	assert_string_equal(buf, "write at 0x1234, ip 0x40005c: void "
	    "capability (the capability translation stopped after 42 bits, "
	    "10 left)");
	g = (struct vg_fault){ .address = 0x400010, .ip = 0x400010,
	    .error = VG_ERR_EXCEPTION, .vector = 6 };
	vg_fault_describe(&g, buf, sizeof(buf));
	assert_string_equal(buf, "#UD invalid opcode (vector 6) at ip "
	    "0x400010");
}

static void
test_loader_builds_program(void **state)
{
	struct vg_runtime *rt = vg_self();
	struct vg_spawn sp = { .name = "server", .image = images[1].bytes,
	    .size = images[1].size, .quota = 4 * 129, .nargs = 2,
	    .arg = { 11, 22 }, .args = "one  two", .give = VG_SPAWN_GIVE_CONSOLE };
	struct vg_elf_segment s;
	struct thread *t;
	struct vg_env *env;
	struct messenger *m;
	struct as_result r;
	vg_addr_t gift;

	(void)state;
	cur = root_thread;
	assert_int_equal(vg_spawn_load(&sp, &rt->as), VG_OK);
	t = object_at(root_thread, sp.thread, VG_TYPE_THREAD);
	assert_int_equal(t->state, VG_THREAD_STOPPED);
	assert_int_equal(arch_thread_ip_sp(t).ip, sp.elf.entry);
	assert_int_equal(arch_thread_ip_sp(t).sp, VG_BOOT_STACK_TOP);
	assert_int_equal(t->handler_ip,
	    vg_elf_symbol(&sp.elf, "vg_activation_entry"));
	assert_int_equal(t->handler_sp, vg_elf_symbol(&sp.elf, "vg_act_stack") +
	    offsetof(struct vg_act_stack, state));
	assert_int_equal(t->exit_end,
	    vg_elf_symbol(&sp.elf, "vg_activation_exit_end"));
	assert_int_equal(t->slot[VG_THREAD_SLOT_ASPACE].guard_depth, 34);
	assert_int_equal(t->slot[VG_THREAD_SLOT_ASPACE].guard, 0);

	/* The image: file bytes, rpages for what is not writable, zeros;
	 * the execute right for the pages of executable segments (text)
	 * only. */
	for (unsigned i = 0; i < sp.elf.phnum; i++) {
		unsigned code = 0;

		if (vg_elf_segment(&sp.elf, i, &s) != 1)
			continue;
		for (uint64_t off = 0; off < s.memsz; off += 509) {
			uint8_t want = off < s.filesz ?
			    images[1].bytes[s.offset + off] : 0;

			assert_int_equal(*bytes_at(t, s.vaddr + off), want);
		}
		r = walk(t, vg_addr_of_data(s.vaddr));
		assert_int_equal(r.cap.type, s.writable ? VG_TYPE_PAGE :
		    VG_TYPE_RPAGE);
		for (uint64_t p = s.vaddr & ~(uint64_t)0xfff;
		    p < s.vaddr + s.memsz; p += 4096) {
			r = walk(t, vg_addr_of_data(p));
			assert_int_equal(r.cap.rights, s.executable ?
			    VG_CAP_EXECUTE : 0);
			code += s.executable;
		}
		if (s.executable)
			assert_true(code > 0 && !s.writable);
	}
	/* The stack, UTCB, environment and message page cannot run. */
	assert_int_equal(walk(t, vg_addr_of_data(VG_BOOT_STACK_TOP - 1)).cap.rights,
	    0);
	assert_int_equal(walk(t, vg_addr_of_data(VG_BOOT_UTCB)).cap.rights, 0);
	assert_int_equal(walk(t, vg_addr_of_data(VG_BOOT_INFO)).cap.rights, 0);
	assert_int_equal(walk(t, vg_addr_of_data(VG_MESSAGE_PAGE)).cap.rights,
	    0);
	assert_int_equal(walk(t, vg_addr_of_data(VG_BOOT_STACK_TOP - 1)).cap.type,
	    VG_TYPE_PAGE);
	assert_int_equal(walk(t, vg_addr_of_data(VG_BOOT_STACK_TOP -
	    VG_BOOT_STACK_SIZE)).cap.type, VG_TYPE_PAGE);
	assert_int_equal(walk(t, vg_addr_of_data(VG_BOOT_STACK_TOP)).err,
	    VG_ERR_VOID);
	assert_int_equal(walk(t, vg_addr_of_data(VG_BOOT_UTCB)).cap.oid,
	    t->slot[VG_THREAD_SLOT_UTCB].oid);

	/* Its environment. */
	env = (struct vg_env *)bytes_at(t, VG_BOOT_INFO);
	assert_int_equal(env->magic, VG_ENV_MAGIC);
	assert_string_equal(env->name, "server");
	assert_int_equal(env->version, 2);
	assert_string_equal(env->args, "one  two");
	assert_int_equal(env->utcb, VG_BOOT_UTCB);
	assert_int_equal(env->nargs, 2);
	assert_int_equal(env->arg[1], 22);
	assert_int_equal(env->folio_next, sp.alloc.next);

	/* Its slots, as it sees them. */
	assert_ptr_equal(object_at(t, vg_boot_slot(VG_BOOT_SLOT_THREAD),
	    VG_TYPE_THREAD), t);
	assert_int_equal(walk(t, vg_boot_slot(VG_BOOT_SLOT_ROOT)).cap.oid,
	    t->slot[VG_THREAD_SLOT_ASPACE].oid);
	assert_int_equal(walk(t, vg_boot_slot(VG_BOOT_SLOT_ROOT)).cap.guard_depth,
	    0);
	(void)object_at(t, vg_boot_slot(VG_BOOT_SLOT_FOLIO), VG_TYPE_FOLIO);
	(void)object_at(t, vg_boot_slot(VG_BOOT_SLOT_ACTIVITY),
	    VG_TYPE_ACTIVITY);
	m = object_at(t, vg_boot_slot(VG_SLOT_MESSENGER), VG_TYPE_MESSENGER);
	assert_int_equal(m->slot[VG_MESSENGER_SLOT_BUFFER].oid,
	    walk(t, vg_addr_of_data(VG_MESSAGE_PAGE)).cap.oid);
	assert_int_equal(m->slot[VG_MESSENGER_SLOT_BUFFER].type, VG_TYPE_PAGE);
	/* My console, because I said so; the power never unless I do. */
	(void)object_at(t, vg_boot_slot(VG_SLOT_CONSOLE), VG_TYPE_CONSOLE);
	assert_int_equal(walk(t, vg_boot_slot(VG_SLOT_POWER)).cap.type,
	    VG_TYPE_VOID);

	/* Gifts and start. */
	assert_int_equal(vg_weak_copy(rt->ucall.reply, &gift), VG_OK);
	assert_int_equal(vg_spawn_give(&sp, &rt->as, VG_SLOT_PARENT, gift, 0),
	    VG_OK);
	assert_int_equal(walk(t, vg_boot_slot(VG_SLOT_PARENT)).cap.type,
	    VG_TYPE_RMESSENGER);
	assert_int_equal(vg_spawn_give(&sp, &rt->as, 5, gift, 0),
	    VG_ERR_INVALID);
	assert_int_equal(vg_spawn_start(&sp, &rt->as), VG_OK);
	assert_int_equal(t->state, VG_THREAD_RUNNABLE);
	vgtest_check_invariants();

	/* The program's own run time starts in what the loader built. */
	cur = t;
	vg_runtime_init();
	assert_false(vg_self()->root);
	assert_string_equal(vg_self()->name, "server");
	assert_int_equal(t->handler_sp, (uint64_t)(uintptr_t)&vg_act_stack.state);
	assert_int_equal(vg_parent_send(VG_PARENT_EXIT, 0, VG_ADDR_VOID),
	    VG_OK);
	/* It reached the parent messenger (the root's reply messenger, here):
	 * queued, since that one is blocked. */
	m = object_at(root_thread, gift, VG_TYPE_RMESSENGER);
	assert_int_equal(m->wait_count, 1);
	vgtest_check_invariants();
	cur = root_thread;
}

int
main(void)
{
	/* One group (one TAP plan).  The tests against the hosted core run
	 * in order on one core: the first boots it, the last shuts it. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_formats),
		cmocka_unit_test(test_printf_truncates_and_buffers),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_elf_parse),
		cmocka_unit_test_setup(test_runtime_starts_root_task,
		    setup_core),
		cmocka_unit_test(test_method_stubs),
		cmocka_unit_test(test_call_receiver_and_dispatcher),
		cmocka_unit_test(test_channel),
		cmocka_unit_test(test_args_split),
		cmocka_unit_test(test_fault_report),
		cmocka_unit_test_teardown(test_loader_builds_program,
		    teardown_core),
	};

	return cmocka_run_group_tests_name("libvg", tests, NULL, NULL);
}
