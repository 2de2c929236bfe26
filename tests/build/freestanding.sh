#!/bin/sh
# TAP: the portable core, built freestanding for x86-64, references no
# symbol but the arch_* hooks of kernel/include/arch.h.  A libc call (or a
# compiler-inserted one that kernel/lib does not define) fails this test.
O=${VG_BUILD:-build}
NM=${NM:-nm}
core="$O/kernel/core.o"

echo "1..2"
if [ -s "$core" ]; then
	echo "ok 1 - freestanding core object exists ($core)"
else
	echo "not ok 1 - freestanding core object exists ($core)"
	exit 1
fi

undefined=$("$NM" -u "$core" | awk '{print $2}')
foreign=$(printf '%s\n' "$undefined" | grep -v '^arch_' | grep -v '^$')
if [ -z "$foreign" ]; then
	echo "ok 2 - core references only arch_* symbols:" $undefined
else
	echo "not ok 2 - core references non-arch symbols"
	printf '%s\n' "$foreign" | sed 's/^/# /'
	exit 1
fi
