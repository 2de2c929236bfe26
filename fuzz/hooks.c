/*
 * The --wrap hooks: how the fuzzer hears of what the core does.  The
 * Makefile links with --wrap=NAME for each NAME in FUZZ_WRAP, the one
 * list of wrapped functions, so that a call of NAME from another object
 * file comes to __wrap_NAME below, which tells the ledger (or dead.c, or
 * the storage window) and calls the real function, __real_NAME.
 *
 * One hook per wrapped function, each under a banner with its name, and
 * nothing else here that knows those names.  The link fails if a name
 * in FUZZ_WRAP has no hook or a hook's name is not in FUZZ_WRAP.  It
 * does not fail if the core comes to call a wrapped function only from
 * its own object file: the hook then never runs.  VG_FUZZ_HOOKS=1 makes
 * the fuzzer print at exit how often each hook ran, and
 * tests/build/fuzz.sh fails if one never does on the seeds.
 */
#include <stdlib.h>
#include <string.h>

#include "activation.h"
#include "continuation.h"
#include "invoke.h"
#include "lifecycle.h"
#include "messenger.h"
#include "transfer.h"

#include "fuzz.h"

/*
 * A hook has the type of the function it wraps: the linker matches names
 * only, and a hook with an argument too few would call the real function
 * with garbage in its place.  Each hook's banner checks it against the
 * function's declaration.
 */
#define HOOK_TYPE(name)							\
	_Static_assert(__builtin_types_compatible_p(			\
	    __typeof__(__wrap_##name), __typeof__(name)) &&		\
	    __builtin_types_compatible_p(__typeof__(__real_##name),	\
	    __typeof__(name)), "the hooks of " #name " have its type")

/* --- counting calls ------------------------------------------------------- */

#ifndef FUZZ_WRAP_LIST
#error "the Makefile passes FUZZ_WRAP_LIST: FUZZ_WRAP, as a string"
#endif

#define HOOK_MAX	32

static const char wrapped[] = FUZZ_WRAP_LIST;
static unsigned long long hook_calls[HOOK_MAX];

/* Name I of FUZZ_WRAP (its length in *N), or NULL past the last. */
static const char *
wrapped_name(int i, size_t *n)
{
	const char *w = wrapped;

	for (;;) {
		w += strspn(w, " ");
		*n = strcspn(w, " ");
		if (*n == 0 || i-- == 0)
			return *n == 0 ? NULL : w;
		w += *n;
	}
}

/* The hook named FN ("__wrap_NAME"): NAME's place in FUZZ_WRAP. */
static int
hook_id(const char *fn)
{
	const char *name = fn + strlen("__wrap_"), *w;
	size_t len = strlen(name), n;
	int i;

	for (i = 0; i < HOOK_MAX && (w = wrapped_name(i, &n)) != NULL; i++)
		if (n == len && memcmp(w, name, n) == 0)
			return i;
	die("hook %s: %s is not in FUZZ_WRAP", fn, name);
}

/* Count a call of the hook this is in. */
#define COUNT_CALL() do {						\
	static int id_ = -1;						\
									\
	if (id_ < 0)							\
		id_ = hook_id(__func__);				\
	hook_calls[id_]++;						\
} while (0)

void
hooks_report(void)
{
	const char *w;
	size_t n;
	int i;

	for (i = 0; i < HOOK_MAX && (w = wrapped_name(i, &n)) != NULL; i++)
		fprintf(stderr, "ipc_fuzz: hook %.*s %llu\n", (int)n, w,
		    hook_calls[i]);
	/* Not a hook, but as blind if it never ran: the fast path checked
	 * against the general one (fastpath.c). */
	fprintf(stderr, "ipc_fuzz: hook ipc_fast %lu\n", fuzz_fast_taken);
	fprintf(stderr, "ipc_fuzz: hook ipc_fast_fault_answer %lu\n",
	    fuzz_fast_fault_answers);
}

/* --- msg_commit: a delivery is finished ----------------------------------- */

void __real_msg_commit(struct messenger *src, struct messenger *dst,
    uint32_t n, uint32_t cap_void);
void __wrap_msg_commit(struct messenger *src, struct messenger *dst,
    uint32_t n, uint32_t cap_void);
HOOK_TYPE(msg_commit);

void
__wrap_msg_commit(struct messenger *src, struct messenger *dst, uint32_t n,
    uint32_t cap_void)
{
	struct commit_watch d;

	COUNT_CALL();
	ledger_delivery_begin(&d, src, dst);
	__real_msg_commit(src, dst, n, cap_void);
	ledger_delivery_end(&d, src, dst, n, cap_void);
}

/* --- messenger_send_to: a program's send starts -------------------------- */

enum vg_err __real_messenger_send_to(struct messenger *m, vg_addr_t target,
    bool nonblocking);
enum vg_err __wrap_messenger_send_to(struct messenger *m, vg_addr_t target,
    bool nonblocking);
HOOK_TYPE(messenger_send_to);

enum vg_err
__wrap_messenger_send_to(struct messenger *m, vg_addr_t target, bool nonblocking)
{
	struct sent *s;
	enum vg_err err;

	COUNT_CALL();
	s = ledger_send_begin(m);
	err = __real_messenger_send_to(m, target, nonblocking);
	ledger_send_end(s, err);
	return err;
}

/* --- cont_answer: a message offered as the answer to a request ------------ */

bool __real_cont_answer(struct messenger *from, struct messenger *m);
bool __wrap_cont_answer(struct messenger *from, struct messenger *m);
HOOK_TYPE(cont_answer);

bool
__wrap_cont_answer(struct messenger *from, struct messenger *m)
{
	struct answer_watch w;
	bool taken;

	COUNT_CALL();
	ledger_answer_begin(&w, from);
	taken = __real_cont_answer(from, m);
	ledger_answer_end(&w, from, m, taken);
	return taken;
}

/* --- invoke_kernel: a message consumed by a kernel object's method -------- */

void __real_invoke_kernel(struct messenger *src, struct vg_cap target);
void __wrap_invoke_kernel(struct messenger *src, struct vg_cap target);
HOOK_TYPE(invoke_kernel);

void
__wrap_invoke_kernel(struct messenger *src, struct vg_cap target)
{
	struct commit_check c;

	COUNT_CALL();
	ledger_invoke(src, target);
	ledger_method_begin(&c, src, target);
	__real_invoke_kernel(src, target);
	ledger_method_end(&c, src, target);
}

/* --- activation_post: a thread is told of an event ------------------------ */

void __real_activation_post(struct messenger *m, uint32_t reason,
    enum vg_err err);
void __wrap_activation_post(struct messenger *m, uint32_t reason,
    enum vg_err err);
HOOK_TYPE(activation_post);

void
__wrap_activation_post(struct messenger *m, uint32_t reason, enum vg_err err)
{
	struct activation_watch w;

	COUNT_CALL();
	ledger_activation_begin(&w, m, reason, err);
	__real_activation_post(m, reason, err);
	ledger_activation_end(&w, m);
}

/* --- object_destroy_step: a messenger's or a thread's frame is dead ------ */

bool __real_object_destroy_step(enum vg_type type, void *frame,
    struct folio **next);
bool __wrap_object_destroy_step(enum vg_type type, void *frame,
    struct folio **next);
HOOK_TYPE(object_destroy_step);

bool
__wrap_object_destroy_step(enum vg_type type, void *frame,
    struct folio **next)
{
	bool done;

	COUNT_CALL();
	done = __real_object_destroy_step(type, frame, next);
	if (done && (type == VG_TYPE_MESSENGER || type == VG_TYPE_THREAD))
		dead_note(frame);
	return done;
}

/* --- aligned_alloc: hosted_boot's storage --------------------------------- */

void *__real_aligned_alloc(size_t align, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
HOOK_TYPE(aligned_alloc);

void *
__wrap_aligned_alloc(size_t align, size_t size)
{
	COUNT_CALL();
	return window_alloc(align, size, __real_aligned_alloc);
}

/* --- free: hosted_shutdown's storage -------------------------------------- */

void __real_free(void *p);
void __wrap_free(void *p);
HOOK_TYPE(free);

/* Not for coverage: frees from outside the core come here too, and
 * their edges would only be noise in the feedback. */
NO_COVERAGE
void
__wrap_free(void *p)
{
	COUNT_CALL();
	window_free(p, __real_free);
}
