/*
 * virtualizer-client: memory served by another program.  It copies the
 * rmessenger its parent gave it into root slot VIRT_REGION, where a
 * cappage for 4 MiB of memory would be, and reads there: each page's
 * first access becomes a FAULT request to the server.
 */
#include <libvg/libvg.h>

#include "virtualizer.h"

int
main(void)
{
	struct vg_runtime *rt = vg_self();
	const char *region = VG_PTR((uint64_t)VIRT_REGION << 22);
	enum vg_err err;
	bool ok;

	err = vg_as_copy(vg_kcall(), rt->self_root, vg_boot_slot(VIRT_REGION),
	    vg_boot_slot(VG_SLOT_SERVICE), 0, (struct vg_cap_translator){ 0 });
	if (err != VG_OK) {
		printf("virtualizer-client: cannot place the region: %s\n",
		    vg_strerror(err));
		return 1;
	}
	printf("virtualizer-client: reading at %p, in the region the server "
	    "serves.\n", (const void *)region);
	printf("virtualizer-client: the first page says \"%s\".\n", region);
	printf("virtualizer-client: page 7 says \"%s\".\n",
	    region + 7 * VG_PAGE_SIZE);
	ok = strcmp(region, VIRT_GREETING) == 0 &&
	    strcmp(region + 7 * VG_PAGE_SIZE, VIRT_GREETING) == 0;

	/* Done: a message that is no kernel request tells the server so,
	 * and it answers VG_ERR_INVALID. */
	vg_call_begin(&rt->ucall, VIRT_BYE);
	err = vg_call(&rt->ucall, vg_boot_slot(VG_SLOT_SERVICE));
	printf("virtualizer-client: %s (the server said %s to my goodbye).\n",
	    ok ? "both pages hold the server's text" : "FAILED: wrong text",
	    vg_strerror(err));
	return ok && err == VG_ERR_INVALID ? 0 : 1;
}
