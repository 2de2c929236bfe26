/*
 * The test root task: runs the in-VM test groups and reports TAP on the
 * console (troot.h).
 */
#include <stdarg.h>

#include "troot.h"

/* --- TAP ------------------------------------------------------------------ */

void
t_ok(struct t_group *g, unsigned i, bool ok)
{
	if (i >= g->n || i >= T_GROUP_MAX)
		return;
	g->ok[i] = g->set[i] ? (g->ok[i] && ok) : ok;
	g->set[i] = true;
}

static void
vdiag(const char *fmt, va_list ap)
{
	char line[240];

	vsnprintf(line, sizeof(line), fmt, ap);
	printf("# %s\n", line);
}

void
t_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(fmt, ap);
	va_end(ap);
}

bool
t_expect(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	va_start(ap, fmt);
	vdiag(fmt, ap);
	va_end(ap);
	return false;
}

/* --- waiting and the activation log ----------------------------------------- */

volatile uint64_t t_wake;
struct t_event t_log[T_LOG_MAX];
volatile uint32_t t_nlog;

static void
log_event(const struct vg_activation *a)
{
	if (t_nlog < T_LOG_MAX)
		t_log[t_nlog] = (struct t_event){ a->messenger_id, a->reason,
		    a->error };
	t_nlog++;
}

void
t_wait_for(volatile uint64_t *counter, uint64_t n)
{
	while (*counter < n) {
		t_wake = 0;
		if (*counter >= n)
			break;
		vg_wait_nonzero(&t_wake);
	}
}

bool
t_wait_child(struct tchild *ch, volatile uint64_t *counter, uint64_t n)
{
	while (*counter < n) {
		t_wake = 0;
		if (*counter >= n)
			break;
		if (ch->faults != 0 || ch->exited != 0) {
			const struct vg_activation *f = &ch->fault;

			if (ch->faults != 0)
				t_diag("%s faulted: %s, vector %u at %#lx",
				    ch->name, vg_strerror(f->error),
				    f->exception,
				    (unsigned long)f->fault_address);
			else
				t_diag("%s exited (status %ld) before it was "
				    "done", ch->name, (long)ch->status);
			return false;
		}
		vg_wait_nonzero(&t_wake);
	}
	return true;
}

/* --- slots and pages ------------------------------------------------------- */

vg_addr_t
t_slot(void)
{
	return vg_slot_alloc(&vg_self()->slots);
}

void
t_slot_free(vg_addr_t *slot)
{
	struct vg_runtime *rt = vg_self();

	if (vg_addr_is_void(*slot))
		return;
	(void)vg_as_rubout(vg_kcall(), rt->self_root, *slot);
	vg_slot_free(&rt->slots, *slot);
	*slot = VG_ADDR_VOID;
}

unsigned
t_slots_free(void)
{
	const struct vg_slots *s = &vg_self()->slots;
	unsigned n = 0;

	for (unsigned i = s->first; i < s->end; i++)
		if (!(s->used[i / 64] & (UINT64_C(1) << (i % 64))))
			n++;
	return n;
}

#define FREE_PAGES_MAX	64
static uint64_t free_pages[FREE_PAGES_MAX];
static unsigned nfree_pages;

uint64_t
t_page(void)
{
	uint64_t va;

	if (nfree_pages > 0) {
		va = free_pages[--nfree_pages];
		memset(VG_PTR(va), 0, VG_PAGE_SIZE);
		return va;
	}
	return vg_page_alloc(1);
}

void
t_page_free(uint64_t va)
{
	if (va != 0 && nfree_pages < FREE_PAGES_MAX)
		free_pages[nfree_pages++] = va;
}

uint64_t
t_hash(const void *p, uint64_t n)
{
	const uint8_t *s = p;
	uint64_t h = 1469598103934665603ull;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

/* --- probes ------------------------------------------------------------------- */

static void
probe_on_activation(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct probe *p = (struct probe *)(void *)h;

	log_event(a);
	p->last = *a;
	if (a->reason & VG_ACTIVATION_RECEIVED) {
		p->last_received = *a;
		p->received++;
	}
	if (a->reason & VG_ACTIVATION_DELIVERED)
		p->delivered++;
	if (a->reason & VG_ACTIVATION_FAULT) {
		p->last_fault = *a;
		p->faults++;
	}
	if (a->reason & VG_ACTIVATION_ERROR) {
		if (p->errors == 0)
			p->first_error = a->error;
		p->errors++;
	}
	if (p->hook != NULL)
		p->hook(p, a);
	p->events++;
	t_wake = 1;
}

enum vg_err
probe_init(struct probe *p, const char *name, bool page)
{
	enum vg_err err;

	*p = (struct probe){
		.h = { .fn = probe_on_activation, .name = name },
		.m = VG_ADDR_VOID,
		.weak = VG_ADDR_VOID,
	};
	if (page) {
		p->page_va = t_page();
		if (p->page_va == 0)
			return VG_ERR_NO_STORAGE;
		p->page = VG_PTR(p->page_va);
	}
	if (vg_act_register(&p->h) != 0)
		return VG_ERR_NO_STORAGE;
	err = vg_messenger_new(&p->m, p->page_va, vg_act_id(&p->h));
	if (err == VG_OK)
		err = vg_weak_copy(p->m, &p->weak);
	return err;
}

void
probe_fini(struct probe *p)
{
	vg_act_unregister(&p->h);
	t_slot_free(&p->weak);
	t_slot_free(&p->m);
	t_page_free(p->page_va);
	p->page_va = 0;
	p->page = NULL;
}

enum vg_err
probe_arm_inline(struct probe *p, vg_addr_t cap_slot)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
		.recv_messenger = p->m,
		.recv_inline_cap = cap_slot,
	};

	return vg_ipc(&a);
}

enum vg_err
probe_arm_page(struct probe *p, const vg_addr_t *slots, uint32_t n)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = p->m,
	};

	if (p->page == NULL)
		return VG_ERR_INVALID;
	vg_msg_preload(p->page, slots, n);
	return vg_ipc(&a);
}

/* --- test programs ---------------------------------------------------------- */

const struct vg_boot_info *
t_boot(void)
{
	return vg_self()->boot;
}

/* Receive the next report, inline: up to four words and, until the
 * program registered, a capability. */
static enum vg_err
child_arm(struct tchild *ch)
{
	struct vg_ipc_args a = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RECEIVE_INLINE | VG_IPC_RETURN,
		.recv_messenger = ch->parent,
		.recv_inline_cap = ch->registered ? VG_ADDR_VOID : ch->inbox,
	};

	return vg_ipc(&a);
}

static void
child_on_report(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct tchild *ch = (struct tchild *)(void *)h;
	enum vg_err err;

	log_event(a);
	if (a->reason & VG_ACTIVATION_FAULT) {
		ch->fault = *a;
		ch->faults++;
	}
	if (a->reason & VG_ACTIVATION_RECEIVED) {
		switch (a->inline_words[0]) {
		case VG_PARENT_REGISTER:
			ch->reg_value = a->inline_words[1];
			if (a->inline_ncaps == 1 && !(a->cap_void & 1))
				ch->service = ch->inbox;
			ch->registered++;
			break;
		case VG_PARENT_EXIT:
			ch->status = (int64_t)a->inline_words[1];
			ch->exited++;
			break;
		case VG_PARENT_REPORT:
			if (ch->preports < T_PREPORTS_MAX) {
				uint64_t *r = ch->preport[ch->preports++];

				r[0] = a->inline_words[1];
				r[1] = a->inline_words[2];
				r[2] = a->inline_words[3];
			}
			break;
		case T_REPORT:
			ch->report[0] = a->inline_words[1];
			ch->report[1] = a->inline_words[2];
			ch->report[2] = a->inline_words[3];
			ch->reports++;
			break;
		default:
			printf("troot: %s sent an unknown report %#lx\n",
			    ch->name, (unsigned long)a->inline_words[0]);
			break;
		}
		err = child_arm(ch);
		if (err != VG_OK)
			printf("troot: cannot listen to %s: %s\n", ch->name,
			    vg_strerror(err));
	}
	ch->events++;
	t_wake = 1;
}

enum vg_err
child_load(struct tchild *ch, const char *name, unsigned quota_folios,
    unsigned nargs, const uint64_t *args, bool exceptions)
{
	return child_load_limited(ch, name, quota_folios, NULL, nargs, args,
	    exceptions);
}

enum vg_err
child_load_limited(struct tchild *ch, const char *name,
    unsigned quota_folios, const struct t_limits *limits, unsigned nargs,
    const uint64_t *args, bool exceptions)
{
	struct vg_runtime *rt = vg_self();
	const struct vg_boot_module *mod = vg_boot_find_module(t_boot(), name);
	struct t_mailbox *mb;
	vg_addr_t weak = VG_ADDR_VOID;
	enum vg_err err;

	*ch = (struct tchild){
		.h = { .fn = child_on_report, .name = name },
		.name = name,
		.parent = VG_ADDR_VOID,
		.inbox = VG_ADDR_VOID,
		.service = VG_ADDR_VOID,
	};
	if (mod == NULL) {
		t_diag("no boot module is named \"%s\"", name);
		return VG_ERR_INVALID;
	}
	if (vg_act_register(&ch->h) != 0)
		return VG_ERR_NO_STORAGE;
	ch->inbox = t_slot();
	if (vg_addr_is_void(ch->inbox))
		return VG_ERR_NO_STORAGE;
	err = vg_messenger_new(&ch->parent, 0, vg_act_id(&ch->h));
	if (err == VG_OK)
		err = child_arm(ch);
	if (err != VG_OK)
		return err;

	ch->sp.name = name;
	ch->sp.image = VG_PTR(mod->start);
	ch->sp.size = mod->size;
	ch->sp.quota = (uint64_t)quota_folios * 129;
	if (limits != NULL) {
		ch->sp.page_tables = limits->page_tables;
		ch->sp.weight = limits->weight;
		ch->sp.priority = limits->priority;
	}
	ch->sp.nargs = nargs < VG_ENV_ARGS ? nargs : VG_ENV_ARGS;
	for (unsigned i = 0; i < ch->sp.nargs; i++)
		ch->sp.arg[i] = args[i];
	err = vg_spawn_load(&ch->sp, &rt->as);
	ch->loaded = true;	/* whatever it got so far is destroyed */
	if (err != VG_OK)
		return err;
	err = vg_weak_copy(ch->parent, &weak);
	if (err == VG_OK)
		err = vg_spawn_give(&ch->sp, &rt->as, VG_SLOT_PARENT, weak, 0);
	t_slot_free(&weak);
	/* Never mine, nor the power: a console of mine (t_console.c). */
	if (err == VG_OK)
		err = t_console_give(ch);
	if (err != VG_OK)
		return err;

	/* The mailbox: a page of mine at T_MAILBOX in its space. */
	ch->mailbox_va = t_page();
	if (ch->mailbox_va == 0)
		return VG_ERR_NO_STORAGE;
	mb = ch->mb = VG_PTR(ch->mailbox_va);
	memset(mb, 0, sizeof(*mb));
	mb->magic = T_MAILBOX_MAGIC;
	err = child_map(ch, T_MAILBOX, ch->mailbox_va);
	if (err == VG_OK && exceptions)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(ch->sp.thread, VG_THREAD_SLOT_EXCEPTION, 2),
		    ch->parent, 0, (struct vg_cap_translator){ 0 });
	return err;
}

enum vg_err
child_map(struct tchild *ch, uint64_t child_va, uint64_t my_va)
{
	return vg_as_copy(vg_kcall(), vg_self()->self_root,
	    vg_as_page_slot(&ch->sp.as, child_va), vg_addr_of_data(my_va), 0,
	    (struct vg_cap_translator){ 0 });
}

enum vg_err
child_give(struct tchild *ch, unsigned slot, vg_addr_t cap, bool weak)
{
	return vg_spawn_give(&ch->sp, &vg_self()->as, slot, cap,
	    weak ? VG_CAP_COPY_WEAKEN : 0);
}

enum vg_err
child_start(struct tchild *ch)
{
	return vg_spawn_start(&ch->sp, &vg_self()->as);
}

uint64_t
child_symbol(struct tchild *ch, const char *name)
{
	return vg_elf_symbol(&ch->sp.elf, name);
}

void
child_destroy(struct tchild *ch)
{
	struct vg_runtime *rt = vg_self();
	enum vg_err err;

	if (ch->loaded) {
		err = vg_spawn_destroy(&ch->sp, &rt->as);
		if (err != VG_OK)
			t_diag("cannot destroy %s: %s", ch->name,
			    vg_strerror(err));
		ch->loaded = false;
	}
	t_console_take(ch);
	vg_act_unregister(&ch->h);
	t_slot_free(&ch->parent);
	t_slot_free(&ch->inbox);
	ch->service = VG_ADDR_VOID;
	t_page_free(ch->mailbox_va);
	ch->mailbox_va = 0;
	ch->mb = NULL;
}

bool
child_destroy_reaped(struct tchild *ch, uint64_t timeout, uint64_t *cycles)
{
	vg_addr_t folio = ch->sp.activity_folio;
	unsigned index = ch->sp.activity_index;
	bool made = ch->loaded && !vg_addr_is_void(folio);
	uint64_t t0 = t_rdtsc();
	enum vg_err err = VG_OK;

	child_destroy(ch);
	/* Its activity's slot is the reaper's until it is all back. */
	while (made && (err = vg_folio_object_alloc(vg_kcall(), folio, index,
	    VG_TYPE_VOID, 0, VG_ADDR_VOID)) == VG_ERR_BUSY &&
	    t_rdtsc() - t0 < timeout)
		;
	if (cycles != NULL)
		*cycles = t_rdtsc() - t0;
	return t_expect(err == VG_OK, "%s: its activity's slot: %s", ch->name,
	    vg_strerror(err));
}

bool
child_mailbox_ok(struct tchild *ch)
{
	const struct t_mailbox *mb = ch->mb;
	const char *s, *e;

	if (mb == NULL)
		return false;
	s = mb->log;
	while (s < mb->log + mb->log_len && *s != '\0') {
		e = s;
		while (e < mb->log + mb->log_len && *e != '\n' && *e != '\0')
			e++;
		t_diag("%s: %.*s", ch->name, (int)(e - s), s);
		s = e + 1;
	}
	return mb->failures == 0;
}

/* --- main ---------------------------------------------------------------------- */

/* The groups of libvg's user-level virtualizers: vcapd's virtual
 * cappages and the copy-on-write pager (t_vcap.c, t_cow.c); the in-VM
 * fuzzer (t_vmfuzz.c), last, since it may well stop the machine. */
extern struct t_group t_group_vcap, t_group_cow, t_group_vmfuzz;

static struct t_group *const groups[] = {
	&t_group_ipc, &t_group_caps, &t_group_fault, &t_group_virt,
	&t_group_pager, &t_group_stress, &t_group_lifecycle,
	&t_group_remap, &t_group_trace, &t_group_vcap, &t_group_cow,
	&t_group_iso_faults, &t_group_iso_hardware, &t_group_iso_authority,
	&t_group_iso_resources, &t_group_iso_cpu, &t_group_iso_pages,
	&t_group_sysflags, &t_group_drivers, &t_group_devmem,
	&t_group_vmfuzz,
};
#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))

static bool
selected(const struct t_group *g)
{
	const char *cmdline = t_boot()->cmdline;

	return vg_cmdline_lists(cmdline, "skip", g->name) != 1 &&
	    vg_cmdline_lists(cmdline, "only", g->name) != 0;
}

/*
 * My own faults: a bug of the harness (or a kernel that broke my space).
 * Report and end the machine rather than stop silently.
 */
static void
on_my_fault(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	printf("# troot: my own thread faulted: %s, vector %u, address %#lx, "
	    "at ip %#lx; stopping the machine\n", vg_strerror(a->error),
	    a->exception, (unsigned long)a->fault_address,
	    (unsigned long)a->interrupted_ip);
	vg_flush();
	(void)vg_halt(1);
}

static void
catch_my_faults(void)
{
	static struct vg_act_handler h = { .fn = on_my_fault,
	    .name = "troot.exception" };
	struct vg_runtime *rt = vg_self();
	vg_addr_t e = VG_ADDR_VOID;
	enum vg_err err;

	vg_act_register(&h);
	err = vg_messenger_new(&e, 0, vg_act_id(&h));
	if (err == VG_OK)
		err = vg_as_copy(vg_kcall(), rt->self_root,
		    vg_addr_extend(rt->thread, VG_THREAD_SLOT_EXCEPTION, 2), e,
		    0, (struct vg_cap_translator){ 0 });
	if (err != VG_OK)
		printf("# troot: no exception messenger for myself: %s\n",
		    vg_strerror(err));
}

int
main(void)
{
	unsigned total = 0, n = 0, failed = 0;

	catch_my_faults();
	printf("troot: the in-VM tests (kernel command line \"%s\")\n",
	    t_boot()->cmdline);
	printf("# groups:");
	for (unsigned i = 0; i < NGROUPS; i++) {
		if (selected(groups[i])) {
			total += groups[i]->n;
			printf(" %s", groups[i]->name);
		}
	}
	printf("\n1..%u\n", total);
	for (unsigned i = 0; i < NGROUPS; i++) {
		struct t_group *g = groups[i];
		uint64_t t0;

		if (!selected(g))
			continue;
		printf("# group %s: start (%u slots free)\n", g->name,
		    t_slots_free());
		t0 = t_rdtsc();
		/* To test the harness: "hang=NAME" makes group NAME wait
		 * for an activation that never comes. */
		if (vg_cmdline_lists(t_boot()->cmdline, "hang", g->name) > 0) {
			static volatile uint64_t never;

			t_wait_for(&never, 1);
		}
		g->run(g);
		for (unsigned k = 0; k < g->n; k++) {
			bool ok = g->set[k] && g->ok[k];

			n++;
			if (!ok)
				failed++;
			printf("%sok %u - %s: %s%s\n", ok ? "" : "not ", n,
			    g->name, g->names[k],
			    g->set[k] ? "" : " (not reached)");
		}
		printf("# group %s: end (%lu Mcycles, %u slots free)\n",
		    g->name, (unsigned long)((t_rdtsc() - t0) >> 20),
		    t_slots_free());
	}
	printf("# troot: %u of %u tests passed\n", n - failed, n);
	return failed == 0 && n == total ? 0 : 1;
}
