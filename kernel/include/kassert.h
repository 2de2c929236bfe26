/*
 * Assertions in three tiers:
 *
 *	VG_STATIC_ASSERT	layouts the ABI or assembly depends on
 *	VG_ASSERT		debug-only checks of the kernel's own invariants
 *	kpanic			always-on stop for cheap memory-safety checks
 *
 * None of them is ever used on a value user space controls: bad user input
 * is rejected with an error code, never asserted on.
 */
#ifndef VG_KERNEL_KASSERT_H
#define VG_KERNEL_KASSERT_H

#include "arch.h"

#define VG_STATIC_ASSERT(cond, why) _Static_assert(cond, why)

#define kpanic(why) arch_panic((why), __FILE__, __LINE__)

#ifdef VG_DEBUG
#define VG_ASSERT(cond)                                                   \
	do {                                                              \
		if (!(cond))                                              \
			arch_panic("assertion failed: " #cond, __FILE__, \
			    __LINE__);                                    \
	} while (0)
#else
#define VG_ASSERT(cond) ((void)0)
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#endif /* VG_KERNEL_KASSERT_H */
