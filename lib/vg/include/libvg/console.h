/*
 * libvg: the console and the machine's power, through the program's own
 * capabilities (libvg/env.h: VG_SLOT_CONSOLE, VG_SLOT_POWER).
 *
 * Both are objects like any other (vg/method.h: CONSOLE_WRITE,
 * POWER_OFF).  The root task gets the kernel's from the kernel; another
 * program has what its parent gave it, which may be a messenger of a
 * user-level server that answers the same requests (the test root gives
 * its programs a console that labels their lines), or nothing.
 */
#ifndef LIBVG_CONSOLE_H
#define LIBVG_CONSOLE_H

#include <stddef.h>

#include <vg/addr.h>
#include <vg/error.h>

/*
 * Write LEN bytes at BUF to the program's console, in requests of at
 * most VG_CONSOLE_WRITE_MAX bytes, each sent from a call context of its
 * own (the main code's or the handler's) and answered before the next:
 * text is neither reordered nor left behind when the program ends.  A
 * program without a console gets VG_ERR_VOID and prints nothing.  A
 * console served at user level is waited for with an activation, in the
 * handler too (where activations only queue, but wake the thread);
 * VG_ERR_WOULDBLOCK if the handler was woken very often for others
 * before the answer came.
 */
enum vg_err vg_debug_write(const void *buf, size_t len);

/*
 * Read from CONSOLE, a console served at user level (a driver's,
 * docs/drivers.md): at most MAX bytes (1 .. VG_CONSOLE_WRITE_MAX) into
 * BUF, their count in *GOT.  The answer comes once a byte is there, so
 * this waits for input; VG_ERR_METHOD from the kernel's console, which
 * has none.
 */
enum vg_err vg_console_read(vg_addr_t console, void *buf, size_t max,
    size_t *got);

/* Wait until every byte written to CONSOLE so far has left its device
 * (VG_METHOD_CONSOLE_SYNC); VG_ERR_METHOD from the kernel's console,
 * whose writes are done when answered. */
enum vg_err vg_console_sync(vg_addr_t console);

/*
 * End the machine with STATUS (0: success, at most VG_POWER_STATUS_MAX)
 * through the program's power capability.  Returns only if it could not:
 * VG_ERR_VOID for a program without one, VG_ERR_INVALID for a bad
 * status, VG_OK if a power object served at user level took the request.
 */
enum vg_err vg_halt(int status);

#endif /* LIBVG_CONSOLE_H */
