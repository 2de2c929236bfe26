/*
 * fault-crash: writes where nothing is mapped.  The kernel cannot
 * translate the address (no capability there), so it activates this
 * program's exception messenger; libvg's default handler prints what
 * happened, reports it to the parent and stops the thread.  Under make
 * run the root task then ends the machine with a failure status.
 */
#include <libvg/libvg.h>

#define NOWHERE	0x1234u	/* region 0: never mapped */

int
main(void)
{
	printf("fault-crash: writing to %#x, where I have no page.\n", NOWHERE);
	*(volatile uint64_t *)(uintptr_t)NOWHERE = 1;
	printf("fault-crash: still here?  That is a bug.\n");
	return 0;
}
