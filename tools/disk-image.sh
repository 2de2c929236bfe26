#!/bin/sh
# A disk image for QEMU's virtio-blk (make run, tests/build/disk.sh,
# make bench): every 512-byte sector a line that names it,
#   "sector 000042 of vg's disk image ....\n"
# so that what a driver reads can be checked against where it read.
#
#   tools/disk-image.sh FILE [SECTORS]	(default 2048: 1 MiB)
set -eu
[ $# -ge 1 ] || { echo "usage: $0 FILE [SECTORS]" >&2; exit 2; }
n=${2:-2048}
awk -v n="$n" 'BEGIN {
	for (s = 0; s < n; s++) {
		l = sprintf("sector %06d of vg'"'"'s disk image ", s)
		while (length(l) < 511)
			l = l "."
		print l
	}
}' >"$1.tmp"
mv "$1.tmp" "$1"
