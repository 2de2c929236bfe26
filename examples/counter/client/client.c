/*
 * counter-client: adds 1, 2, ... N to the counter (N is its argument,
 * 3 by default) through the send right its parent put in its slot
 * VG_SLOT_SERVICE, and checks each total against the server's page,
 * which it got as a capability and reads directly.
 */
#include <libvg/libvg.h>

#include "counter.h"

int
main(int argc, char **argv)
{
	struct vg_runtime *rt = vg_self();
	struct vg_call *c = &rt->ucall;
	vg_addr_t counter = vg_boot_slot(VG_SLOT_SERVICE);
	const volatile uint64_t *seen = VG_PTR(COUNTER_WINDOW);
	uint64_t n = 3, sum = 0;
	enum vg_err err;

	if (argc > 1)
		n = strtoul(argv[1], NULL, 10);

	/* Ask for the page: its capability lands in my page slot for
	 * COUNTER_WINDOW, so that reading there reads the server's page. */
	err = vg_as_ensure(&rt->as, COUNTER_WINDOW);
	if (err == VG_OK) {
		vg_call_begin(c, COUNTER_VIEW);
		vg_call_expect(c, vg_addr_of_data(COUNTER_WINDOW));
		err = vg_call(c, counter);
	}
	if (err != VG_OK || !vg_call_cap_arrived(c, 0)) {
		printf("counter-client: no page from the server: %s\n",
		    vg_strerror(err));
		return 1;
	}
	printf("counter-client: the server's page arrived; it says %lu.\n",
	    (unsigned long)*seen);

	for (uint64_t i = 1; i <= n; i++) {
		vg_call_begin(c, COUNTER_ADD);
		vg_call_word(c, i);
		err = vg_call(c, counter);
		sum += i;
		if (err != VG_OK || vg_call_result(c, 1) != sum ||
		    *seen != sum) {
			printf("counter-client: ADD %lu: %s, total %lu, page "
			    "%lu, expected %lu\n", (unsigned long)i,
			    vg_strerror(err), (unsigned long)vg_call_result(c,
			    1), (unsigned long)*seen, (unsigned long)sum);
			return 1;
		}
		printf("counter-client: added %lu: the total is %lu, and the "
		    "page says so too.\n", (unsigned long)i,
		    (unsigned long)sum);
	}
	vg_call_begin(c, COUNTER_BYE);
	err = vg_call(c, counter);
	printf("counter-client: BYE: %s.\n", vg_strerror(err));
	return err == VG_OK ? 0 : 1;
}
