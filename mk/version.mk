# vg's version: the one line of VERSION, which a release changes (and
# CHANGELOG.md with it).  Included by the Makefile after the x86-64
# kernel's rules.
#
# The kernel prints it in its boot banner (kernel/arch/x86_64/main.c:
# "vg <version>"), so the platform's C objects are compiled with it and
# depend on VERSION: a changed flag alone would not rebuild them.

VG_VERSION := $(shell cat VERSION 2>/dev/null)

ifeq ($(VG_VERSION),)
$(error VERSION is missing or empty)
endif

X86_CFLAGS += -DVG_VERSION='"$(VG_VERSION)"'

$(filter-out %.S.o,$(X86_OBJ) $(X86_IRQOFF_OBJ)): VERSION
