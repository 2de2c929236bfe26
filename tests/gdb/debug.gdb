# make debug's batch check (tests/build/debug.sh): stop the kernel at
# the demo's first activation, print a messenger, a capability and a
# thread through the pretty-printers, list the threads and messengers,
# and walk capability addresses in the address space of the thread that
# entered the kernel (x86_current): its first code page, and a page it
# does not have.
hbreak activation_post
continue
bt 2
print *m
print m->slot[0]
print *x86_current
vg-threads
vg-messengers
vg-walk x86_current 0x400/52
vg-walk x86_current 0x12345/52
