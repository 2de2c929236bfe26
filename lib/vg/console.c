/*
 * The console and the machine's power (libvg/console.h), through the
 * capabilities in VG_SLOT_CONSOLE and VG_SLOT_POWER; reading and
 * synchronizing a console served at user level.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vg/ipc.h>
#include <vg/method.h>

#include <libvg/activation.h>
#include <libvg/call.h>
#include <libvg/console.h>
#include <libvg/env.h>
#include <libvg/msg.h>
#include <libvg/string.h>
#include <libvg/syscall.h>

/* How often the handler wakes up before it gives up on a late reply. */
#define WAKE_MAX	(1u << 20)

/* A messenger busy with its last message is retried this often. */
#define BUSY_TRIES	1000000u

/* Has the reply come?  The kernel fills the page behind our back. */
static bool
arrived(const struct vg_call *c)
{
	return *(const volatile uint16_t *)&c->reply_buf->data_count >=
	    sizeof(uint64_t);
}

/*
 * Send the request built in C to TARGET and wait for its reply; return
 * the reply's error.  vg_call_kernel receives on the reply messenger
 * (without activation), sends and returns in one system call: a kernel
 * object's reply is there at once, and no activation is spent on it.  A
 * server's comes later (vg_call_kernel found none: VG_ERR_INVALID with
 * the reply page as it left it): then the reply messenger's activation
 * is turned on (it is receiving already, so a receive with activation
 * changes only the flag -- a non-blocking one would fail with nothing
 * queued and, failing, change nothing) and waited for.  The main code waits as vg_call does.  In the handler activations
 * only queue, but one queued wakes a suspended thread (or keeps it from
 * suspending): the handler sleeps until the reply is there, leaving its
 * activation for the dispatcher, and gives up after WAKE_MAX wake-ups
 * for others.
 */
static enum vg_err
call(struct vg_call *c, vg_addr_t target)
{
	struct vg_ipc_args wake = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
		.recv_messenger = c->reply,
	};
	enum vg_err err;

	c->done = 0;
	c->error = VG_OK;
	err = vg_call_kernel(c, target);
	if (err != VG_ERR_INVALID || c->overflow || arrived(c))
		return err;
	(void)vg_ipc(&wake);
	if (vg_in_activation()) {
		for (uint32_t i = 0; i < WAKE_MAX && !arrived(c); i++)
			vg_suspend();
	} else {
		while (!arrived(c) && c->error == VG_OK) {
			vg_wait_nonzero(&c->done);
			c->done = 0;
		}
	}
	if (c->error != VG_OK)
		return (enum vg_err)c->error;
	if (!arrived(c))
		return VG_ERR_WOULDBLOCK;
	return (enum vg_err)vg_msg_word(c->reply_buf, 0);
}

/*
 * Before the run time has its call contexts: from the boot messenger, in
 * its page, asking for no reply.  The kernel's console writes at once; a
 * server's gets the request when it receives.
 */
static enum vg_err
send_early(vg_addr_t target, uint64_t method, uint64_t word,
    const void *buf, size_t n)
{
	struct vg_runtime *rt = vg_self();
	struct vg_message *m = rt->bcall.send_buf;
	struct vg_ipc_args a = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.target = target,
		.send_messenger = rt->messenger,
	};
	enum vg_err err;

	vg_message_clear(m);
	if (vg_message_append_word(m, method) != 0 ||
	    vg_message_append_word(m, word) != 0 ||
	    vg_message_append_data(m, buf, (uint32_t)n) != 0)
		return VG_ERR_INVALID;
	for (unsigned tries = 0;; tries++) {
		err = vg_ipc(&a);
		if (err != VG_ERR_BUSY || tries == BUSY_TRIES)
			return err;
	}
}

enum vg_err
vg_debug_write(const void *buf, size_t len)
{
	struct vg_runtime *rt = vg_self();
	const char *p = buf;
	enum vg_err err;

	do {
		size_t n = len < VG_CONSOLE_WRITE_MAX ? len :
		    VG_CONSOLE_WRITE_MAX;

		if (!rt->ready) {
			err = send_early(rt->console, VG_METHOD_CONSOLE_WRITE,
			    n, p, n);
		} else {
			struct vg_call *c = vg_in_activation() ? &rt->hpcall :
			    &rt->pcall;

			vg_call_begin(c, VG_METHOD_CONSOLE_WRITE);
			vg_call_word(c, n);
			vg_call_data(c, p, n);
			err = call(c, rt->console);
		}
		if (err != VG_OK)
			return err;
		p += n;
		len -= n;
	} while (len > 0);
	return VG_OK;
}

static struct vg_call *
context(void)
{
	struct vg_runtime *rt = vg_self();

	return vg_in_activation() ? &rt->hpcall : &rt->pcall;
}

enum vg_err
vg_console_read(vg_addr_t console, void *buf, size_t max, size_t *got)
{
	struct vg_call *c = context();
	const struct vg_message *r = c->reply_buf;
	enum vg_err err;
	uint64_t n;

	*got = 0;
	if (max == 0 || max > VG_CONSOLE_WRITE_MAX)
		return VG_ERR_INVALID;
	vg_call_begin(c, VG_METHOD_CONSOLE_READ);
	vg_call_word(c, max);
	err = call(c, console);
	if (err != VG_OK)
		return err;
	/* A server's reply is checked like any untrusted message. */
	n = vg_msg_word(r, 1);
	if (vg_msg_nwords(r) < 2 || n > max ||
	    n > vg_msg_len(r) - VG_CONSOLE_WRITE_DATA)
		return VG_ERR_INVALID;
	memcpy(buf, vg_msg_data(r) + VG_CONSOLE_WRITE_DATA, n);
	*got = n;
	return VG_OK;
}

enum vg_err
vg_console_sync(vg_addr_t console)
{
	struct vg_call *c = context();

	vg_call_begin(c, VG_METHOD_CONSOLE_SYNC);
	return call(c, console);
}

enum vg_err
vg_halt(int status)
{
	struct vg_runtime *rt = vg_self();

	if (status < 0 || (unsigned)status > VG_POWER_STATUS_MAX)
		return VG_ERR_INVALID;
	/* No reply is asked for: a machine that stops sends none. */
	return send_early(rt->power, VG_METHOD_POWER_OFF, (uint64_t)status,
	    NULL, 0);
}
