# User programs and libvg (see lib/vg and user/).  Included by the Makefile.
