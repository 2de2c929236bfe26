/*
 * The hosted platform: the portable core running inside a Linux process,
 * with its storage window carved out of the process's heap.  Tests,
 * fuzzers and benchmarks boot a fresh core with hosted_boot and drive it
 * through the core's own API.
 */
#ifndef VG_HOSTED_H
#define VG_HOSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

/*
 * Boot a core with NCHUNKS folio-sized chunks of storage; any core booted
 * before is shut down first.  Returns what kernel_init returned.
 */
struct kernel_roots hosted_boot(uint32_t nchunks);

/* Release the storage of the core booted last. */
void hosted_shutdown(void);

/* What happened to a thread, as the platform saw it. */
enum hosted_event_kind {
	HOSTED_EVENT_ACTIVATED,		/* an activation was delivered */
	HOSTED_EVENT_STATE,		/* its run state changed */
	HOSTED_EVENT_DESTROYED,		/* it was destroyed */
	HOSTED_EVENT_MAPPED,		/* a page was mapped for it */
};

struct hosted_event {
	enum hosted_event_kind kind;
	uint32_t thread;		/* the thread's object id */
	uint32_t state;			/* its run state afterwards */
	uint32_t page;			/* MAPPED: the page's object id */
	uint32_t writable;		/* MAPPED: writable mapping */
	uint32_t executable;		/* MAPPED: executable mapping */
	uint64_t vaddr;			/* MAPPED: where */
	uint64_t phys;			/* MAPPED: the physical page */
	uint32_t uncached;		/* MAPPED: device memory, uncached
					 * (PAGE is 0 then) */
};

#define HOSTED_EVENTS_MAX 65536

/* The events since boot or the last hosted_events_clear (N of them). */
const struct hosted_event *hosted_events(size_t *n);
void hosted_events_clear(void);
/* Forget the events after the first N (a test that rewinds the state). */
void hosted_events_truncate(size_t n);

/* Events dropped because the log was full (a test should see 0). */
size_t hosted_events_lost(void);

/*
 * What the core wrote to the console (CONSOLE_WRITE) since boot or the
 * last hosted_console_clear: N bytes, not terminated; at most
 * HOSTED_CONSOLE_MAX are kept.
 */
#define HOSTED_CONSOLE_MAX 65536
const char *hosted_console(size_t *n);
void hosted_console_clear(void);

/* How often the core asked to stop the machine (POWER_OFF) since boot,
 * and with which status the last time (STATUS may be NULL). */
unsigned hosted_power_offs(uint64_t *status);

/*
 * The reaper runs to the end whenever it gets work, inside the call
 * that destroyed something, unless this is set: then the work waits for
 * folio_reclaim_step or folio_reclaim_drain (tests of destruction in progress).
 */
extern bool hosted_reclaim_later;

/*
 * Interrupt lines: HOSTED_IRQ_LINES of them, all masked at boot, line
 * HOSTED_IRQ_KERNEL kept by the "kernel" (refused to programs, as the
 * x86-64 kernel keeps its timer's).  Nothing fires by itself: a test
 * raises a line by calling the core's irq_raise (irq.h), as a real
 * platform's interrupt handler would.  hosted_irq_masked: the mask as
 * the core last set it.
 */
#define HOSTED_IRQ_LINES	16
#define HOSTED_IRQ_KERNEL	0
bool hosted_irq_masked(unsigned line);

/*
 * I/O ports: a byte array a test reads and writes as the devices would;
 * IOPORT_OUT stores into it and IOPORT_IN reads from it, little-endian.
 * Ports HOSTED_PORTS_KERNEL .. + HOSTED_PORTS_KERNEL_N - 1 are the
 * kernel's (as the x86-64 kernel keeps its console's): refused.
 */
#define HOSTED_PORTS		0x10000u
#define HOSTED_PORTS_KERNEL	0x3f8u
#define HOSTED_PORTS_KERNEL_N	8u
extern uint8_t hosted_ports[HOSTED_PORTS];
/* How many port writes (arch_ioport_out calls) there have been. */
extern uint64_t hosted_port_writes;

/*
 * Physical memory as the hosted platform pretends it is: RAM below
 * HOSTED_RAM_END, the storage window in it at HOSTED_STORAGE_PHYS (what
 * PAGE_DMA_ADDRESS answers), and one page of the "kernel's" device
 * registers at HOSTED_DEVMEM_KERNEL; every other page up to 2^52 is a
 * device's (arch_devmem_available).
 */
#define HOSTED_RAM_END		0x80000000ull
#define HOSTED_STORAGE_PHYS	0x40000000ull
#define HOSTED_DEVMEM_KERNEL	0xfee00000ull

/* Bytes of storage in NCHUNKS chunks. */
uint64_t hosted_storage_bytes(uint32_t nchunks);

#endif /* VG_HOSTED_H */
