/*
 * virtualizer-server: a pager in a few lines (docs/virtualizers.md).
 *
 * Its receiver's rmessenger stands, in the client's space, where a
 * cappage for 4 MiB of memory would be.  When the client touches memory
 * there, the kernel meets the rmessenger during translation, sends this
 * program a FAULT request in the client's exception messenger, and
 * resumes the client's access when the answer comes: here, always the
 * same read-only page, all bits consumed.
 */
#include <libvg/libvg.h>
#include <libvg/virt.h>

#include "virtualizer.h"

static struct vg_virtualizer v;
static vg_addr_t page;			/* an rpage of mine */
static unsigned faults;
static volatile uint64_t done;

/* In the activation handler: what the kernel asked, answered. */
static struct vg_vanswer
answer(struct vg_virtualizer *vz, const struct vg_vreq *q)
{
	unsigned bits = vg_addr_depth(q->residual);

	(void)vz;
	if (q->method != VG_METHOD_FAULT || q->write)
		return (struct vg_vanswer){ VG_ERR_NOT_INDEXABLE, bits,
		    VG_ADDR_VOID };
	faults++;
	printf("virtualizer-server: the kernel asks for page %lu of the "
	    "region (%u bits left to translate): here is my page.\n",
	    (unsigned long)vg_addr_prefix(q->residual), bits);
	return (struct vg_vanswer){ VG_OK, bits, page };
}

/* Not a kernel request: the client says it is done. */
static void
bye(struct vg_virtualizer *vz)
{
	(void)vz;
	done = 1;
}

int
main(void)
{
	uint64_t va = vg_page_alloc(1);
	enum vg_err err = va != 0 ? VG_OK : VG_ERR_NO_STORAGE;

	if (err == VG_OK) {
		strlcpy(VG_PTR(va), VIRT_GREETING, VG_PAGE_SIZE);
		err = vg_weak_copy(vg_addr_of_data(va), &page);
	}
	v.answer = answer;
	v.malformed = bye;
	/* FAULT requests carry no capability: the reply right is all. */
	if (err == VG_OK)
		err = vg_receiver_create(&v.r, "virtualizer", NULL, 0,
		    vg_virt_serve, NULL);
	if (err == VG_OK)
		err = vg_receiver_arm(&v.r);
	if (err == VG_OK)
		err = vg_parent_send(VG_PARENT_REGISTER, VIRT_SERVICE_ID,
		    v.r.weak);
	if (err != VG_OK) {
		printf("virtualizer-server: cannot set up: %s\n",
		    vg_strerror(err));
		return 1;
	}
	vg_wait_nonzero(&done);
	printf("virtualizer-server: done; I served %u faults.\n", faults);
	return faults > 0 ? 0 : 1;
}
