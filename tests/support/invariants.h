/*
 * The kernel's structural invariants, checked over all of storage.
 *
 * Unit tests (tests/unit/vgtest.c) and the fuzzers (fuzz/) call this
 * between operations, when no kernel path is running: it walks every
 * object of every folio in use and follows every intrusive link the core
 * keeps (messenger.h, continuation.h, thread.h, the reaper's stack of
 * reclaim.h: a folio being reclaimed is on it, not on an activity's
 * list).  It only reads.
 */
#ifndef VG_TESTS_INVARIANTS_H
#define VG_TESTS_INVARIANTS_H

/*
 * NULL if every invariant holds; otherwise a description of the first
 * violation found, in a static buffer that the next call overwrites.
 */
const char *vg_check_invariants(void);

#endif /* VG_TESTS_INVARIANTS_H */
