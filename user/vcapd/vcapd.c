/*
 * vcapd: a server of virtual cappages (libvg/vcappage.h; its protocol is
 * libvg/vcapd.h).
 *
 * It makes its service receiver, registers it with its parent and then
 * only waits: every request, to the service or to one of the virtual
 * cappages it made, arrives as an activation and is served in the
 * handler.  Requests come from clients and from the kernel, and may be
 * anything: each is checked before it is acted on.
 */
#include <libvg/libvg.h>
#include <libvg/vcapd.h>
#include <libvg/vcappage.h>

static struct vg_receiver svc;
static struct vg_vcappage caps[VCAPD_MAX];
static bool live[VCAPD_MAX];
/* Structures handed out, whether or not their creation succeeded: a
 * receiver that failed half way may still be registered with the
 * dispatcher, so its structure is never reused. */
static unsigned used;
static char names[VCAPD_MAX][16];

static void
refuse(struct vg_receiver *r, enum vg_err err)
{
	(void)vg_reply_begin(r, err);
	(void)vg_reply_send(r);	/* no reply messenger: nobody to tell */
}

static void
serve_create(struct vg_receiver *r, const struct vg_message *req)
{
	uint64_t bits = vg_msg_word(req, 1);
	struct vg_message *m;
	unsigned i = used;
	enum vg_err err;

	if (vg_msg_nwords(req) < 2 || bits < 1 || bits > VG_VCAP_BITS_MAX) {
		refuse(r, VG_ERR_INVALID);
		return;
	}
	if (used >= VCAPD_MAX) {
		refuse(r, VG_ERR_NO_STORAGE);
		return;
	}
	used++;
	snprintf(names[i], sizeof(names[i]), "vcap%u", i + 1);
	err = vg_vcappage_create(&caps[i], names[i], (unsigned)bits);
	if (err != VG_OK) {
		printf("vcapd: cannot make a cappage of 2^%lu slots: %s\n",
		    (unsigned long)bits, vg_strerror(err));
		refuse(r, err);
		return;
	}
	live[i] = true;
	m = vg_reply_begin(r, VG_OK);
	(void)vg_msg_put_word(m, i + 1);
	(void)vg_msg_put_cap(m, vg_vcappage_cap(&caps[i]));
	(void)vg_reply_send(r);
}

/* Add the counters of cappage I to W. */
static void
add_stats(uint64_t *w, unsigned i)
{
	const struct vg_vcappage_stats *s = vg_vcappage_stats(&caps[i]);

	w[VCAPD_STAT_INDEX] += s->index;
	w[VCAPD_STAT_STORE] += s->store;
	w[VCAPD_STAT_FAULT] += s->fault;
	w[VCAPD_STAT_ENTRIES] += vg_vcappage_entries(&caps[i]);
	w[VCAPD_STAT_STORED] += s->stored;
	w[VCAPD_STAT_DELETED] += s->deleted;
	w[VCAPD_STAT_PASSED] += s->passed;
	w[VCAPD_STAT_ERRORS] += s->errors;
	w[VCAPD_STAT_MALFORMED] += s->malformed;
	w[VCAPD_STAT_CAPPAGES]++;
}

static void
serve_stats(struct vg_receiver *r, const struct vg_message *req)
{
	uint64_t id = vg_msg_word(req, 1);
	uint64_t w[VCAPD_STAT_COUNT] = { 0 };
	struct vg_message *m;

	if (vg_msg_nwords(req) < 2 || id > used ||
	    (id != 0 && !live[id - 1])) {
		refuse(r, VG_ERR_INVALID);
		return;
	}
	for (unsigned i = 0; i < used; i++)
		if (live[i] && (id == 0 || id == i + 1))
			add_stats(w, i);
	m = vg_reply_begin(r, VG_OK);
	(void)vg_msg_put_words(m, w, VCAPD_STAT_COUNT);
	(void)vg_reply_send(r);
}

static void
serve(struct vg_receiver *r, const struct vg_message *req,
    const struct vg_activation *a)
{
	(void)a;
	switch (vg_msg_word(req, 0)) {
	case VCAPD_CREATE:
		serve_create(r, req);
		break;
	case VCAPD_STATS:
		serve_stats(r, req);
		break;
	default:
		refuse(r, VG_ERR_METHOD);
		break;
	}
}

int
main(void)
{
	enum vg_err err;

	err = vg_receiver_create(&svc, "vcapd", NULL, 0, serve, NULL);
	if (err == VG_OK)
		err = vg_receiver_arm(&svc);
	if (err == VG_OK)
		err = vg_parent_send(VG_PARENT_REGISTER, VCAPD_SERVICE_ID,
		    svc.weak);
	if (err != VG_OK) {
		printf("vcapd: cannot start serving: %s\n", vg_strerror(err));
		return 1;
	}
	/* Everything happens in the activation handler. */
	for (;;)
		vg_suspend();
}
