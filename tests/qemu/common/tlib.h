/*
 * The test programs' side of the in-VM tests: checks recorded in the
 * mailbox the test root gave them (tproto.h), program arguments, and
 * reports to the parent.
 */
#ifndef TLIB_H
#define TLIB_H

#include <stdbool.h>
#include <stdint.h>

#include <libvg/libvg.h>

#include "tproto.h"

/* The mailbox (a scratch page if the root gave none). */
struct t_mailbox *t_mailbox(void);

/* Record a check; a failure is printed and logged in the mailbox. */
bool t_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Mailbox result I := V. */
void t_value(unsigned i, uint64_t v);

/* Program argument I (from the loader's environment), or DEF. */
uint64_t t_arg(unsigned i, uint64_t def);

/* Inline T_REPORT to the parent: TAG, A, B. */
enum vg_err t_parent_report(uint64_t tag, uint64_t a, uint64_t b);

/* End with status 0 if every check passed, else 1. */
_Noreturn void t_finish(void);

/*
 * Waiting for activation handlers: handlers set t_wake; t_wait suspends
 * until *COUNTER >= N or (with STOP) *STOP != 0.
 */
extern volatile uint64_t t_wake;
void t_wait(volatile uint64_t *counter, uint64_t n, volatile uint64_t *stop);

/* The time stamp counter. */
static inline uint64_t
t_rdtsc_now(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/*
 * A messenger of the program's: bound to its thread and space, with a
 * buffer page if PAGE, an rmessenger to it, and (if FN is not NULL) a
 * handler for its activations, registered under its id.
 */
struct t_msgr {
	struct vg_act_handler h;	/* first: the id */
	vg_addr_t m, weak;
	uint64_t page_va;
	struct vg_message *page;
};

enum vg_err t_msgr_new(struct t_msgr *m, const char *name, bool page,
    void (*fn)(struct vg_act_handler *, const struct vg_activation *));
/* Receive on M, with activation: inline (a capability goes to CAP_SLOT,
 * unless void), or into its page with N slots preloaded. */
enum vg_err t_msgr_arm_inline(const struct t_msgr *m, vg_addr_t cap_slot);
enum vg_err t_msgr_arm_page(const struct t_msgr *m, const vg_addr_t *slots,
    uint32_t n);

/* FNV-1a over N bytes. */
uint64_t t_hash(const void *p, uint64_t n);

/* Make a new messenger of mine, activating handler H (registered here),
 * my thread's exception messenger: my faults come back to me. */
enum vg_err t_faults_to_me(struct vg_act_handler *h);

#endif /* TLIB_H */
