/*
 * The contract between the portable core and a platform.
 *
 * The core calls only these hooks (plus memcpy/memset/memmove/memcmp, which
 * kernel/lib supplies in freestanding builds).  Every platform -- x86_64
 * for the real machine, hosted for tests on Linux -- implements all of
 * them; the core never includes a platform header.
 */
#ifndef VG_KERNEL_ARCH_H
#define VG_KERNEL_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct thread;

/* Bytes reserved in every thread for the platform's register state. */
#define ARCH_THREAD_STATE_SIZE	1024

/* Stop the machine (or the test process) after a kernel bug. */
_Noreturn void arch_panic(const char *why, const char *file, int line);

/*
 * Stop the machine with STATUS (the power object's POWER_OFF; status 0 is
 * success).  Returns only on a platform that cannot stop (the hosted one
 * records the request for the tests).
 */
void arch_power_off(uint64_t status);

/* Write N bytes to the console: kernel log text, and the console
 * object's CONSOLE_WRITE. */
void arch_console_write(const char *s, size_t n);

/*
 * The console object's CONSOLE_IRQOFF: the longest stretch with
 * interrupts off since the last call, in time-stamp-counter units, and
 * how many stretches there were, both then reset.  False on a platform,
 * or a build, that does not measure them.
 */
bool arch_irqoff_take(uint64_t *longest, uint64_t *stretches);

/*
 * The console object's CONSOLE_IDLE: the time-stamp-counter ticks the
 * processor spent halted in the idle loop, with nothing to run, and how
 * many times it halted, both since boot.  0 and 0 on a platform that
 * never halts (hosted).
 */
void arch_idle_read(uint64_t *ticks, uint64_t *halts);

/* A thread's user instruction and stack pointers. */
struct arch_ip_sp {
	uint64_t ip;
	uint64_t sp;
};

/* Set up the register state of a new thread (all zero, user mode). */
void arch_thread_init(struct thread *t);

/*
 * True if VA is in the part of the address space user threads run in:
 * an instruction pointer must be; a stack pointer, or the end of a
 * range, may also be its end.  The core checks every pointer a program
 * sets for a thread.
 */
bool arch_user_address(uint64_t va);

/* Read and write the user instruction and stack pointers of T. */
struct arch_ip_sp arch_thread_ip_sp(const struct thread *t);
void arch_thread_set_ip_sp(struct thread *t, struct arch_ip_sp r);

/*
 * T was just activated: its UTCB is filled in and its ip/sp point at its
 * activation handler.  The platform makes it run (and the hosted platform
 * records the activation for tests to observe), and clears the state a
 * handler must not inherit from the code it interrupted (the trap flag:
 * a handler that single-steps would trap for ever).
 */
void arch_thread_activated(struct thread *t);

/* T's run state (enum vg_thread_state) changed. */
void arch_thread_state_changed(struct thread *t);

/* How arch_map_page maps a page: read-only and no-execute without these. */
enum arch_map_flags {
	ARCH_MAP_WRITE = 1u << 0,	/* writable (a page, not an rpage) */
	ARCH_MAP_EXECUTE = 1u << 1,	/* executable (VG_CAP_EXECUTE) */
};

/*
 * Map the page FRAME at user address VADDR for T, as FLAGS (enum
 * arch_map_flags) say: the result of resolving a data fault.  Page
 * tables are a cache; the platform may drop the mapping whenever it
 * likes.  The page-table frames it takes are charged to T's activity
 * (activity_pt_charge): when that refuses, the platform drops page
 * tables of that activity's own threads to make room, and fails (false)
 * only if nothing it may drop is enough.
 */
bool arch_map_page(struct thread *t, uint64_t vaddr, void *frame,
    unsigned flags);

/*
 * arch_map_page for device memory: map physical page PHYS (a page of a
 * device-memory object, which arch_devmem_available accepted) at VADDR,
 * uncached and never executable, writable if FLAGS has ARCH_MAP_WRITE.
 */
bool arch_map_device(struct thread *t, uint64_t vaddr, uint64_t phys,
    unsigned flags);

/*
 * Device memory (the device-memory objects): true if the NPAGES pages
 * from physical PHYS (page-aligned; the core checked that the range does
 * not wrap) exist as physical addresses and none is memory the platform
 * knows: RAM or anything else the boot memory map lists, the storage
 * window, the kernel's image and the device registers it drives itself.
 */
bool arch_devmem_available(uint64_t phys, uint64_t npages);

/* The physical address of FRAME, a frame of the storage window: where a
 * device reaches it (PAGE_DMA_ADDRESS). */
uint64_t arch_frame_phys(const void *frame);

/*
 * The reaper has work (reclaim.h): run reclaim_step until it has none,
 * in bounded steps with interrupts allowed between them -- the platform
 * decides when (x86-64: as the scheduler's reaper member).
 */
void arch_reclaim_wake(void);

/* T is being destroyed; forget it (current thread, page tables). */
void arch_thread_destroyed(struct thread *t);

/*
 * Interrupt lines (irq.h).  The platform numbers its lines 0 ..
 * arch_irq_lines() - 1 (x86-64: the IOAPICs' GSIs); arch_irq_available says
 * whether user space may have line LINE, false for a line the kernel
 * keeps (its timer, its console) or one that does not exist.  A line a
 * program may have is masked until the core unmasks it; mask and unmask
 * are O(1) and called with interrupts off.  When such a line fires, the
 * platform's interrupt handler acknowledges it to the interrupt
 * controller and calls irq_raise(line, stamp) with interrupts off -- STAMP
 * the time stamp counter as its handler began -- at a point where the
 * core's state is whole (user mode, the idle loop, a window
 * between two of the reaper's steps).
 */
unsigned arch_irq_lines(void);
bool arch_irq_available(unsigned line);
void arch_irq_mask(unsigned line);
void arch_irq_unmask(unsigned line);

/*
 * I/O ports (the I/O port range objects).  arch_ioport_available: true
 * if ports FIRST .. FIRST + COUNT - 1 exist and none is the kernel's.
 * In and out move WIDTH (1, 2 or 4) bytes at PORT, which the core has
 * checked against a range.
 */
bool arch_ioport_available(uint32_t first, uint32_t count);
uint32_t arch_ioport_in(uint16_t port, unsigned width);
void arch_ioport_out(uint16_t port, unsigned width, uint32_t value);

#endif /* VG_KERNEL_ARCH_H */
