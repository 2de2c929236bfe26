/*
 * The trace for tools: one line per event, beside the text lines of
 * log.c, each written in one console write so that no other program's
 * output can split it.  tools/trace2json reads them; the format is
 * theirs to share (docs/virtualizers.md, "Traces to look at"):
 *
 *	rpctrace-event: 1|<kind>|<ticks>|<seq or id>|<fields>...
 *
 * "1" is the format's version, <ticks> the time stamp counter when I
 * saw the event (libvg/arch/clock.h).  Kinds:
 *
 *	thread|t|tid|program		the program's thread, before it runs
 *	call|t|seq|tid|type|address|name|arguments|capabilities
 *					the program's invocation arrived
 *	sent|t|seq			forwarded to its server
 *	delivered|t|seq			... and delivered there
 *	reply|t|seq|result|words|capabilities
 *					the reply came (from the server, or
 *					from the kernel object I called)
 *	relayed|t|seq			sent on to the program
 *	returned|t|seq			... and delivered to it
 *	failed|t|seq|what|why		forwarding or relaying failed
 *
 * No field holds "|" or a line break: text that could (a program's
 * name) has them replaced.
 */
#include <libvg/arch/clock.h>

#include "rpctrace.h"

#define EVENT_LINE	250	/* within libvg's console line (256) */

uint64_t
event_now(void)
{
	return vg_clock_ticks();
}

/* LINE, cut to one console line and ended. */
static void
put(char *line, int n)
{
	if (n < 0 || n >= EVENT_LINE - 1)
		n = EVENT_LINE - 2;
	line[n] = '\n';
	line[n + 1] = '\0';
	printf("%s", line);
}

void
event_thread(uint64_t ts, uint64_t tid, const char *program)
{
	char name[48], line[EVENT_LINE];
	size_t i;

	for (i = 0; program[i] != '\0' && i + 1 < sizeof(name); i++)
		name[i] = program[i] == '|' || (unsigned char)program[i] < ' ' ?
		    '_' : program[i];
	name[i] = '\0';
	put(line, vg_snprintf(line, sizeof(line),
	    "rpctrace-event: 1|thread|%lu|%lu|%s", (unsigned long)ts,
	    (unsigned long)tid, name));
}

void
event_call(uint64_t ts, uint64_t seq, const struct trace_call *c)
{
	char line[EVENT_LINE];

	put(line, vg_snprintf(line, sizeof(line),
	    "rpctrace-event: 1|call|%lu|%lu|%lu|%s|%s|%s|%.64s|%.64s",
	    (unsigned long)ts, (unsigned long)seq,
	    (unsigned long)tr.tracee_tid, c->type, c->where, c->name,
	    c->args, c->caps));
}

void
event_reply(uint64_t ts, uint64_t seq, const struct trace_result *r)
{
	char line[EVENT_LINE];

	put(line, vg_snprintf(line, sizeof(line),
	    "rpctrace-event: 1|reply|%lu|%lu|%s|%.100s|%.64s", (unsigned long)ts,
	    (unsigned long)seq, r->result, r->words, r->caps));
}

static void
simple(const char *kind, uint64_t ts, uint64_t seq)
{
	char line[EVENT_LINE];

	put(line, vg_snprintf(line, sizeof(line), "rpctrace-event: 1|%s|%lu|%lu",
	    kind, (unsigned long)ts, (unsigned long)seq));
}

/* S's message left: to a server, or back to the program. */
void
event_sent(uint64_t ts, const struct sender *s)
{
	simple(s->job == SENDER_FORWARD ? "sent" : "relayed", ts, s->seq);
}

/* S's message reached its receiver: a server, or the program. */
void
event_delivered(uint64_t ts, const struct sender *s)
{
	simple(s->job == SENDER_FORWARD ? "delivered" : "returned", ts, s->seq);
}

void
event_failed(uint64_t ts, uint64_t seq, const char *what, const char *why)
{
	char line[EVENT_LINE];

	put(line, vg_snprintf(line, sizeof(line),
	    "rpctrace-event: 1|failed|%lu|%lu|%s|%s", (unsigned long)ts,
	    (unsigned long)seq, what, why));
}
