/*
 * hello: the smallest vg program.  libvg's start-up code has set up
 * everything a program needs (its messengers, its activation handler,
 * its exception messenger) before main runs; printf writes to the
 * console capability its parent gave it.
 */
#include <libvg/libvg.h>

int
main(int argc, char **argv)
{
	printf("hello: hello, world!  I am \"%s\", a program in an address "
	    "space of my own.\n", argv[0]);
	for (int i = 1; i < argc; i++)
		printf("hello: argument %d is \"%s\"\n", i, argv[i]);
	return 0;
}
