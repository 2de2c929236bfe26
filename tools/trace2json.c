/*
 * trace2json: rpctrace's event lines to a Chrome trace (the JSON trace
 * event format that Perfetto and chrome://tracing load).
 *
 *	trace2json [LOG] > trace.json
 *
 * LOG (default: standard input) is a console log: every line that starts
 * "rpctrace-event: " is an event (user/rpctrace/events.c has the
 * format), everything else is ignored.  docs/virtualizers.md, "Traces to
 * look at", describes the result:
 *
 *  - a track per traced thread, and one per server address a message
 *    went to (pid and tid: the thread's object id; for a server, ids
 *    from SERVER_ID_BASE up, above any object id);
 *  - each invocation a slice ("X") on the caller's track, from its
 *    arrival at rpctrace to its reply's delivery, its words and
 *    capabilities, result and reply in "args";
 *  - each message to a server a slice on the server's track, from
 *    rpctrace sending it on to the server's reply being sent back, and
 *    flows ("s"/"f") for the message and its reply;
 *  - times: time stamp counter ticks from the first event, divided by
 *    1000 so that one tick is one of the viewers' nanoseconds.
 *
 * Flow ends are placed strictly inside their slices (a message leaves
 * after its call arrived and reaches the server after it was sent), so
 * they bind to the right slice whatever order a viewer reads equal
 * times in.  Slices of one track that overlap without nesting (a thread
 * with two calls out at once) go to further tracks of the same process,
 * since a thread's slices must nest.
 *
 * Exit status: 0, or 1 when the log cannot be read or holds no event.
 */
#define _POSIX_C_SOURCE 200809L	/* getline */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX		"rpctrace-event: "
#define VERSION		"1"
#define MAX_FIELDS	12
/* Tracks of servers, and further tracks of overlapping slices: ids above
 * every object id (a 4 GiB storage window has 2^20 frames). */
#define SERVER_ID_BASE	0x200000u

/* The times of an invocation's steps, each seen or not: the kinds of
 * event line that carry a seq, named as the lines name them. */
enum step { CALL, SENT, DELIVERED, REPLY, RELAYED, RETURNED, FAILED,
	NSTEPS };

static const char *const step_name[NSTEPS] = {
	"call", "sent", "delivered", "reply", "relayed", "returned", "failed",
};

struct invocation {
	uint64_t seq, tid;
	uint64_t t[NSTEPS];
	bool seen[NSTEPS];
	char *type, *where, *method, *args, *caps;	/* the call */
	char *result, *words, *reply_caps;		/* the reply */
	char *failure;
};

struct lane {
	uint64_t tid;
	uint64_t *ends;		/* the open slices' ends, innermost last */
	size_t depth, room;
};

struct track {
	uint64_t pid;
	char *process, *thread;
	char *key;		/* a thread's id or a server's address */
	bool server;
	struct lane *lane;
	size_t nlanes;
};

struct slice {
	struct invocation *inv;
	struct track *track;
	uint64_t tid;		/* of the lane it was put on */
	uint64_t start, end;
	bool served;		/* the server's slice, not the caller's */
};

static struct invocation **invs;	/* by seq */
static size_t ninvs;
static struct track **tracks;
static size_t ntracks;
static uint64_t next_id = SERVER_ID_BASE;
static unsigned long malformed;
static uint64_t t0 = UINT64_MAX;	/* the first event's time */
static const char *log_name = "standard input";

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n == 0 ? 1 : n);
	if (p == NULL) {
		fprintf(stderr, "trace2json: out of memory\n");
		exit(1);
	}
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xrealloc(NULL, n), s, n);
}

static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xrealloc(NULL, (size_t)n + 1);
	va_start(ap, fmt);
	(void)vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void
warn(unsigned long line, const char *what)
{
	fprintf(stderr, "trace2json: %s:%lu: %s\n", log_name, line, what);
	malformed++;
}

static bool
number(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

static struct invocation *
invocation(uint64_t seq)
{
	if (seq >= ninvs) {
		size_t n = seq + 1 > 2 * ninvs ? seq + 1 : 2 * ninvs;

		invs = xrealloc(invs, n * sizeof(*invs));
		memset(invs + ninvs, 0, (n - ninvs) * sizeof(*invs));
		ninvs = n;
	}
	if (invs[seq] == NULL) {
		invs[seq] = xrealloc(NULL, sizeof(**invs));
		memset(invs[seq], 0, sizeof(**invs));
		invs[seq]->seq = seq;
	}
	return invs[seq];
}

static struct track *
find_track(const char *key, bool server)
{
	for (size_t i = 0; i < ntracks; i++)
		if (tracks[i]->server == server &&
		    strcmp(tracks[i]->key, key) == 0)
			return tracks[i];
	return NULL;
}

static struct track *
new_track(const char *key, bool server, uint64_t id, char *process,
    char *thread)
{
	struct track *t = xrealloc(NULL, sizeof(*t));

	*t = (struct track){ .pid = id, .process = process, .thread = thread,
	    .key = xstrdup(key), .server = server };
	t->lane = xrealloc(NULL, sizeof(*t->lane));
	t->lane[0] = (struct lane){ .tid = id };
	t->nlanes = 1;
	tracks = xrealloc(tracks, (ntracks + 1) * sizeof(*tracks));
	tracks[ntracks++] = t;
	return t;
}

static struct track *
thread_track(uint64_t tid)
{
	char key[24];
	struct track *t;

	snprintf(key, sizeof(key), "%" PRIu64, tid);
	t = find_track(key, false);
	if (t == NULL)
		t = new_track(key, false, tid, xasprintf("thread %s", key),
		    xasprintf("thread %s", key));
	return t;
}

static struct track *
server_track(const char *where)
{
	struct track *t = find_track(where, true);

	if (t == NULL)
		t = new_track(where, true, next_id++,
		    xasprintf("server at [%s]", where),
		    xasprintf("messages to [%s]", where));
	return t;
}

/* One event line, split at '|' into F[0..N-1] (F[0] the version). */
static void
event(unsigned long line, char **f, size_t n)
{
	struct invocation *inv;
	uint64_t ts, id;
	enum step k = NSTEPS;

	if (n < 4 || strcmp(f[0], VERSION) != 0 || !number(f[2], &ts) ||
	    !number(f[3], &id)) {
		warn(line, "not an event line of version " VERSION);
		return;
	}
	if (ts < t0)
		t0 = ts;
	if (strcmp(f[1], "thread") == 0) {
		struct track *t = thread_track(id);
		const char *program = n > 4 ? f[4] : "?";

		free(t->process);
		free(t->thread);
		t->process = xstrdup(program);
		t->thread = xasprintf("%s thread %" PRIu64, program, id);
		return;
	}
	for (size_t i = 0; i < NSTEPS; i++)
		if (strcmp(f[1], step_name[i]) == 0)
			k = (enum step)i;
	if (k == NSTEPS) {
		warn(line, "an event of an unknown kind");
		return;
	}
	inv = invocation(id);
	if (inv->seen[k] && k != FAILED) {
		warn(line, "a second event of this kind for the invocation");
		return;
	}
	inv->seen[k] = true;
	inv->t[k] = ts;
	if (k == CALL) {
		if (n < 8 || !number(f[4], &inv->tid)) {
			warn(line, "a call without its thread, target and name");
			inv->seen[k] = false;
			return;
		}
		inv->type = xstrdup(f[5]);
		inv->where = xstrdup(f[6]);
		inv->method = xstrdup(f[7]);
		inv->args = xstrdup(n > 8 ? f[8] : "");
		inv->caps = xstrdup(n > 9 ? f[9] : "");
	} else if (k == REPLY) {
		inv->result = xstrdup(n > 4 ? f[4] : "?");
		inv->words = xstrdup(n > 5 ? f[5] : "");
		inv->reply_caps = xstrdup(n > 6 ? f[6] : "");
	} else if (k == FAILED) {
		char *s = xasprintf("%s%s%s: %s", inv->failure != NULL ?
		    inv->failure : "", inv->failure != NULL ? "; " : "",
		    n > 4 ? f[4] : "?", n > 5 ? f[5] : "?");

		free(inv->failure);
		inv->failure = s;
	}
}

static bool
read_log(FILE *in)
{
	char *buf = NULL;
	size_t room = 0;
	unsigned long line = 0, events = 0;
	ssize_t len;

	while ((len = getline(&buf, &room, in)) >= 0) {
		char *f[MAX_FIELDS], *p;
		size_t n = 0;

		line++;
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if (strncmp(buf, PREFIX, strlen(PREFIX)) != 0)
			continue;
		events++;
		p = buf + strlen(PREFIX);
		for (;;) {
			f[n++] = p;
			p = strchr(p, '|');
			if (p == NULL || n == MAX_FIELDS)
				break;
			*p++ = '\0';
		}
		event(line, f, n);
	}
	free(buf);
	if (ferror(in)) {
		fprintf(stderr, "trace2json: %s: %s\n", log_name,
		    strerror(errno));
		return false;
	}
	if (t0 == UINT64_MAX) {
		fprintf(stderr, "trace2json: %s: no event in %lu \"%s\" "
		    "lines: was a program run under rpctrace?\n", log_name,
		    events, PREFIX);
		return false;
	}
	return true;
}

/* --- output --------------------------------------------------------------- */

static bool first_event = true;

static void
json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);	/* the log is bytes, not UTF-8 */
		else
			putchar(c);
	}
	putchar('"');
}

/* A time: ticks since the first event, in the format's microseconds. */
static void
json_time(const char *key, uint64_t ticks)
{
	printf(",\"%s\":%" PRIu64 ".%03" PRIu64, key, ticks / 1000,
	    ticks % 1000);
}

/* "a, b" as ["a","b"]. */
static void
json_list(const char *s)
{
	const char *p = s;

	putchar('[');
	while (*p != '\0') {
		const char *e = strstr(p, ", ");
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		char *item = xrealloc(NULL, n + 1);

		memcpy(item, p, n);
		item[n] = '\0';
		if (p != s)
			putchar(',');
		json_string(item);
		free(item);
		p += n;
		if (e != NULL)
			p += 2;
	}
	putchar(']');
}

/* The start of an event: ph, name, cat, pid, tid. */
static void
begin(char ph, const char *name, const char *cat, uint64_t pid, uint64_t tid)
{
	printf("%s\n{\"ph\":\"%c\",\"name\":", first_event ? "" : ",", ph);
	first_event = false;
	json_string(name);
	if (cat != NULL) {
		printf(",\"cat\":");
		json_string(cat);
	}
	printf(",\"pid\":%" PRIu64 ",\"tid\":%" PRIu64, pid, tid);
}

static void
metadata(const char *kind, uint64_t pid, uint64_t tid, const char *name)
{
	begin('M', kind, NULL, pid, tid);
	printf(",\"args\":{\"name\":");
	json_string(name);
	printf("}}");
}

static void
emit_slice(const struct slice *s)
{
	const struct invocation *inv = s->inv;

	begin('X', inv->method, s->served ? "message" : "invocation",
	    s->track->pid, s->tid);
	json_time("ts", s->start - t0);
	json_time("dur", s->end - s->start);
	printf(",\"args\":{\"seq\":%" PRIu64 ",\"target\":", inv->seq);
	{
		char *target = xasprintf("%s [%s]", inv->type, inv->where);

		json_string(target);
		free(target);
	}
	printf(",\"method\":");
	json_string(inv->method);
	printf(",\"arguments\":");
	json_string(inv->args);
	printf(",\"capabilities\":");
	json_list(inv->caps);
	if (s->served) {
		printf(",\"from\":");
		json_string(thread_track(inv->tid)->thread);
	}
	if (inv->seen[REPLY]) {
		printf(",\"result\":");
		json_string(inv->result);
		printf(",\"reply\":");
		json_string(inv->words);
		printf(",\"reply_capabilities\":");
		json_list(inv->reply_caps);
	}
	if (inv->failure != NULL) {
		printf(",\"failure\":");
		json_string(inv->failure);
	}
	printf(",\"ticks\":{");
	for (size_t k = 0, n = 0; k < NSTEPS; k++)
		if (inv->seen[k])
			printf("%s\"%s\":%" PRIu64, n++ ? "," : "",
			    step_name[k], inv->t[k]);
	printf("}}}");
}

static void
emit_flow(char ph, const char *name, uint64_t id, const struct slice *s,
    uint64_t ts)
{
	begin(ph, name, "flow", s->track->pid, s->tid);
	printf(",\"id\":%" PRIu64, id);
	json_time("ts", ts - t0);
	if (ph == 'f')
		printf(",\"bp\":\"e\"");	/* the slice around it */
	putchar('}');
}

/* Put S on the first lane of its track where it nests. */
static void
place(struct slice *s)
{
	struct track *t = s->track;
	size_t i;

	for (i = 0;; i++) {
		struct lane *l;

		if (i == t->nlanes) {
			t->lane = xrealloc(t->lane,
			    (t->nlanes + 1) * sizeof(*t->lane));
			t->lane[i] = (struct lane){ .tid = next_id++ };
			t->nlanes++;
		}
		l = &t->lane[i];
		while (l->depth > 0 && l->ends[l->depth - 1] <= s->start)
			l->depth--;
		if (l->depth == 0 || l->ends[l->depth - 1] >= s->end) {
			if (l->depth == l->room) {
				l->room = l->room ? 2 * l->room : 8;
				l->ends = xrealloc(l->ends,
				    l->room * sizeof(*l->ends));
			}
			l->ends[l->depth++] = s->end;
			s->tid = l->tid;
			return;
		}
	}
}

static int
by_start(const void *a, const void *b)
{
	const struct slice *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)			/* the outer one first */
		return x->end > y->end ? -1 : 1;
	return x->inv->seq < y->inv->seq ? -1 : x->inv->seq > y->inv->seq;
}

static uint64_t
last_step(const struct invocation *inv)
{
	uint64_t end = inv->t[CALL];

	for (size_t k = 0; k < NSTEPS; k++)
		if (inv->seen[k] && inv->t[k] > end)
			end = inv->t[k];
	return end;
}

/* The server's slice: from SENT to the reply sent on (or the last step
 * seen of those). */
static uint64_t
served_end(const struct invocation *inv)
{
	static const enum step order[] = { RELAYED, REPLY, DELIVERED };

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (inv->seen[order[i]])
			return inv->t[order[i]];
	return inv->t[SENT];
}

static const struct slice *
slice_of(const struct slice *v, size_t n, uint64_t seq, bool served)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].inv->seq == seq && v[i].served == served)
			return &v[i];
	return NULL;
}

static void
write_trace(void)
{
	struct slice *v = xrealloc(NULL, 2 * ninvs * sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < ninvs; i++) {
		struct invocation *inv = invs[i];

		if (inv == NULL)
			continue;
		if (!inv->seen[CALL]) {
			fprintf(stderr, "trace2json: %s: events of invocation "
			    "%" PRIu64 " but not its call\n", log_name,
			    inv->seq);
			malformed++;
			continue;
		}
		v[n++] = (struct slice){ .inv = inv,
		    .track = thread_track(inv->tid), .start = inv->t[CALL],
		    .end = last_step(inv) };
		if (strcmp(inv->type, "rmessenger") == 0 && inv->seen[SENT])
			v[n++] = (struct slice){ .inv = inv,
			    .track = server_track(inv->where),
			    .start = inv->t[SENT], .end = served_end(inv),
			    .served = true };
	}
	qsort(v, n, sizeof(*v), by_start);
	for (size_t i = 0; i < n; i++)
		place(&v[i]);

	printf("{\"displayTimeUnit\":\"ns\",\"otherData\":{"
	    "\"producer\":\"vg tools/trace2json from rpctrace's events\","
	    "\"clock\":\"time stamp counter ticks since the first event; "
	    "ts and dur are ticks / 1000, so a viewer's ns is one tick\","
	    "\"first_tick\":%" PRIu64 "},\"traceEvents\":[", t0);
	for (size_t i = 0; i < ntracks; i++) {
		struct track *t = tracks[i];

		metadata("process_name", t->pid, t->lane[0].tid, t->process);
		for (size_t l = 0; l < t->nlanes; l++) {
			char *name = l == 0 ? xstrdup(t->thread) :
			    xasprintf("%s (overlapping, %zu)", t->thread,
			    l + 1);

			metadata("thread_name", t->pid, t->lane[l].tid, name);
			free(name);
		}
	}
	for (size_t i = 0; i < n; i++)
		emit_slice(&v[i]);
	for (size_t i = 0; i < n; i++) {
		const struct invocation *inv = v[i].inv;
		const struct slice *c, *s;

		if (v[i].served)
			continue;
		c = &v[i];
		s = slice_of(v, n, inv->seq, true);
		if (s == NULL)
			continue;
		if (inv->seen[DELIVERED]) {
			emit_flow('s', "message", 2 * inv->seq, c,
			    inv->t[SENT]);
			emit_flow('f', "message", 2 * inv->seq, s,
			    inv->t[DELIVERED]);
		}
		if (inv->seen[REPLY] && inv->seen[RELAYED]) {
			emit_flow('s', "reply", 2 * inv->seq + 1, s,
			    inv->t[REPLY]);
			emit_flow('f', "reply", 2 * inv->seq + 1, c,
			    inv->t[RELAYED]);
		}
	}
	printf("\n]}\n");
	free(v);
}

int
main(int argc, char **argv)
{
	FILE *in = stdin;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
		fprintf(stderr, "usage: trace2json [LOG] > trace.json\n");
		return 1;
	}
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		log_name = argv[1];
		in = fopen(log_name, "r");
		if (in == NULL) {
			fprintf(stderr, "trace2json: %s: %s\n", log_name,
			    strerror(errno));
			return 1;
		}
	}
	if (!read_log(in))
		return 1;
	write_trace();
	if (malformed > 0)
		fprintf(stderr, "trace2json: %lu event lines of %s not used\n",
		    malformed, log_name);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "trace2json: writing: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
