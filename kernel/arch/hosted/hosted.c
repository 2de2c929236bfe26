/*
 * The hosted platform (see hosted.h): arch hooks over the C library.
 *
 * Hosted threads never run: a test plays each thread's part by calling
 * the core's system call entry points on its behalf.  Their register
 * state is just an instruction and a stack pointer, and every activation
 * and run-state change is appended to an event log that tests read, and
 * what the console and power objects are asked to do is kept for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "folio.h"
#include "hosted.h"
#include "messenger.h"
#include "sched.h"
#include "storage.h"
#include "thread.h"

/* A hosted thread's registers, kept in struct thread's arch area. */
struct hosted_regs {
	uint64_t ip;
	uint64_t sp;
};

_Static_assert(sizeof(struct hosted_regs) <= ARCH_THREAD_STATE_SIZE,
    "hosted registers fit the arch area");

static void *storage;
static struct hosted_event events[HOSTED_EVENTS_MAX];
static size_t nevents;
static size_t events_lost;
static char console[HOSTED_CONSOLE_MAX];
static size_t console_len;
static unsigned power_offs;
static uint64_t power_status;
static bool irq_masked[HOSTED_IRQ_LINES];
uint8_t hosted_ports[HOSTED_PORTS];
uint64_t hosted_port_writes;

_Noreturn void
arch_panic(const char *why, const char *file, int line)
{
	fprintf(stderr, "vg panic: %s (%s:%d)\n", why, file, line);
	fflush(stderr);
	abort();
}

/* The test process goes on: the request is counted for the tests. */
void
arch_power_off(uint64_t status)
{
	power_offs++;
	power_status = status;
}

/* Kept for the tests, not printed: the fuzzer writes all sorts. */
void
arch_console_write(const char *s, size_t n)
{
	if (n > HOSTED_CONSOLE_MAX - console_len)
		n = HOSTED_CONSOLE_MAX - console_len;
	memcpy(console + console_len, s, n);
	console_len += n;
}

/* Nothing here runs with interrupts off. */
bool
arch_irqoff_take(uint64_t *longest, uint64_t *stretches)
{
	(void)longest;
	(void)stretches;
	return false;
}

/* Nothing here waits for an interrupt: it never halts. */
void
arch_idle_read(uint64_t *ticks, uint64_t *halts)
{
	*ticks = 0;
	*halts = 0;
}

static struct hosted_regs *
regs(const struct thread *t)
{
	return (struct hosted_regs *)(uintptr_t)t->arch;
}

/* Like x86-64: the lower half of a 48-bit space. */
bool
arch_user_address(uint64_t va)
{
	return va < (UINT64_C(1) << 47);
}

void
arch_thread_init(struct thread *t)
{
	memset(t->arch, 0, sizeof(t->arch));
}

struct arch_ip_sp
arch_thread_ip_sp(const struct thread *t)
{
	return (struct arch_ip_sp){ regs(t)->ip, regs(t)->sp };
}

void
arch_thread_set_ip_sp(struct thread *t, struct arch_ip_sp r)
{
	regs(t)->ip = r.ip;
	regs(t)->sp = r.sp;
}

static struct hosted_event *
record(enum hosted_event_kind kind, struct thread *t)
{
	if (nevents == HOSTED_EVENTS_MAX) {
		events_lost++;
		return NULL;
	}
	events[nevents] = (struct hosted_event){
		.kind = kind,
		.thread = storage_oid(t),
		.state = t->state,
	};
	return &events[nevents++];
}

void
arch_thread_activated(struct thread *t)
{
	(void)record(HOSTED_EVENT_ACTIVATED, t);
}

void
arch_thread_state_changed(struct thread *t)
{
	/* No thread is ever on the processor here: every runnable one
	 * waits on the queues, where the tests can pick it. */
	if (t->state == VG_THREAD_RUNNABLE)
		sched_enqueue(t);
	else
		sched_dequeue(t);
	(void)record(HOSTED_EVENT_STATE, t);
}

bool
arch_map_page(struct thread *t, uint64_t vaddr, void *frame, unsigned flags)
{
	struct hosted_event *e = record(HOSTED_EVENT_MAPPED, t);

	if (e != NULL) {
		e->page = storage_oid(frame);
		e->writable = (flags & ARCH_MAP_WRITE) != 0;
		e->executable = (flags & ARCH_MAP_EXECUTE) != 0;
		e->vaddr = vaddr;
		e->phys = arch_frame_phys(frame);
	}
	return true;
}

bool
arch_map_device(struct thread *t, uint64_t vaddr, uint64_t phys,
    unsigned flags)
{
	struct hosted_event *e = record(HOSTED_EVENT_MAPPED, t);

	if (e != NULL) {
		e->writable = (flags & ARCH_MAP_WRITE) != 0;
		e->vaddr = vaddr;
		e->phys = phys;
		e->uncached = 1;
	}
	return true;
}

bool
arch_devmem_available(uint64_t phys, uint64_t npages)
{
	uint64_t end = phys + npages * FRAME_SIZE;

	return phys >= HOSTED_RAM_END && (end <= HOSTED_DEVMEM_KERNEL ||
	    phys >= HOSTED_DEVMEM_KERNEL + FRAME_SIZE);
}

uint64_t
arch_frame_phys(const void *frame)
{
	return HOSTED_STORAGE_PHYS +
	    (uint64_t)((const char *)frame - (const char *)storage);
}

bool hosted_reclaim_later;

void
arch_reclaim_wake(void)
{
	static bool draining;

	/* At once, as if destruction were one step, unless a test wants
	 * to see it in progress; a step that pushes more work lands in
	 * the loop already running. */
	if (hosted_reclaim_later || draining)
		return;
	draining = true;
	folio_reclaim_drain();
	draining = false;
}

void
arch_thread_destroyed(struct thread *t)
{
	(void)record(HOSTED_EVENT_DESTROYED, t);
}

const struct hosted_event *
hosted_events(size_t *n)
{
	*n = nevents;
	return events;
}

void
hosted_events_clear(void)
{
	nevents = 0;
	events_lost = 0;
}

void
hosted_events_truncate(size_t n)
{
	if (n < nevents)
		nevents = n;
}

size_t
hosted_events_lost(void)
{
	return events_lost;
}

const char *
hosted_console(size_t *n)
{
	*n = console_len;
	return console;
}

void
hosted_console_clear(void)
{
	console_len = 0;
}

unsigned
hosted_power_offs(uint64_t *status)
{
	if (status != NULL)
		*status = power_status;
	return power_offs;
}

unsigned
arch_irq_lines(void)
{
	return HOSTED_IRQ_LINES;
}

bool
arch_irq_available(unsigned line)
{
	return line < HOSTED_IRQ_LINES && line != HOSTED_IRQ_KERNEL;
}

void
arch_irq_mask(unsigned line)
{
	if (!arch_irq_available(line))
		arch_panic("arch_irq_mask: a line that is not the programs'",
		    __FILE__, __LINE__);
	irq_masked[line] = true;
}

void
arch_irq_unmask(unsigned line)
{
	if (!arch_irq_available(line))
		arch_panic("arch_irq_unmask: a line that is not the programs'",
		    __FILE__, __LINE__);
	irq_masked[line] = false;
}

bool
hosted_irq_masked(unsigned line)
{
	return line >= HOSTED_IRQ_LINES || irq_masked[line];
}

bool
arch_ioport_available(uint32_t first, uint32_t count)
{
	return count != 0 && first < HOSTED_PORTS &&
	    count <= HOSTED_PORTS - first &&
	    (first + count <= HOSTED_PORTS_KERNEL ||
	    first >= HOSTED_PORTS_KERNEL + HOSTED_PORTS_KERNEL_N);
}

uint32_t
arch_ioport_in(uint16_t port, unsigned width)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)hosted_ports[(port + i) % HOSTED_PORTS] << (8 * i);
	return v;
}

void
arch_ioport_out(uint16_t port, unsigned width, uint32_t value)
{
	hosted_port_writes++;
	for (unsigned i = 0; i < width; i++)
		hosted_ports[(port + i) % HOSTED_PORTS] =
		    (uint8_t)(value >> (8 * i));
}

uint64_t
hosted_storage_bytes(uint32_t nchunks)
{
	return (uint64_t)nchunks * FOLIO_FRAMES * FRAME_SIZE;
}

struct kernel_roots
hosted_boot(uint32_t nchunks)
{
	hosted_shutdown();
	storage = aligned_alloc(FRAME_SIZE, hosted_storage_bytes(nchunks));
	if (storage == NULL)
		return (struct kernel_roots){ .err = VG_ERR_NO_STORAGE };
	return kernel_init(storage, nchunks);
}

void
hosted_shutdown(void)
{
	free(storage);
	storage = NULL;
	hosted_events_clear();
	hosted_console_clear();
	power_offs = 0;
	power_status = 0;
	for (unsigned i = 0; i < HOSTED_IRQ_LINES; i++)
		irq_masked[i] = true;
	memset(hosted_ports, 0, sizeof(hosted_ports));
}
