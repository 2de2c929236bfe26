#!/bin/sh
# TAP: the block driver (user/virtio-blk) and its client (examples/disk),
# booted as make run APP=disk does, with QEMU's virtio-blk over a disk
# image made here (tools/disk-image.sh: every sector a line naming it);
# after QEMU exits the image itself is checked on the host.
#
#   1  tools/app.sh makes the boot line "daemon virtio-blk" a daemon
#      (daemons=), after the device manager
#   2  the machine ends as the root task says on success (QEMU status 1),
#      disk exiting with 0
#   3  the driver claimed the virtio-blk function from user/pci, and says
#      its size (2048 sectors) and its write cache
#   4  the client read sector 0 as the host wrote it, wrote 16 sectors
#      from two pages in one request, flushed, and read back the same
#      and 12 reads sent at once (more than the driver's 8 tags) all
#      came back with the right sectors
#   5  the refusals: past the end, more sectors than pages, no page, a
#      void page, an rpage to read into, an unknown method
#   6  on the host: sectors 64..79 of the image hold what the client
#      wrote, every other sector what the host wrote
#   7  a read-only disk: the driver says so, the write is refused
#      (RIGHTS), and the image is the host's, unchanged
#   8  without a disk: the driver says there is none and exits, the
#      client finds no driver, and nothing faults
#
# Environment: VG_BUILD (the build make test built), QEMU, QEMU_FLAGS.
. "$(dirname "$0")/../support/app_boot.sh"
TIMEOUT=${VG_DISK_TIMEOUT:-90}

echo "1..8"
for f in "$kernel" "$user/root.elf" "$user/pci.elf" "$user/virtio-blk.elf" \
    "$user/disk.elf"; do
	[ -f "$f" ] || { echo "Bail out! $f is not built (make all)"; exit 1; }
done

boot=$(sh tools/app.sh "$O" disk '' '')
modules=${boot%%|*}
cmdline=${boot#*|}
case "$cmdline" in
"start=pci,virtio-blk,disk devices=pci daemons=virtio-blk")
	ok "tools/app.sh: \"daemon virtio-blk\" makes it a daemon (daemons=), after the device manager" ;;
*) not_ok "tools/app.sh: \"daemon virtio-blk\" makes it a daemon (daemons=), after the device manager"
   echo "# $boot" ;;
esac

disk() {
	echo "-drive if=none,id=d,file=$1,format=raw$2 -device virtio-blk-pci,drive=d"
}

sh tools/disk-image.sh "$tmp/host.img" 2048
cp "$tmp/host.img" "$tmp/disk.img"
cp "$tmp/host.img" "$tmp/ro.img"
app_boot rw "$(disk "$tmp/disk.img" '')"
app_boot ro "$(disk "$tmp/ro.img" ',readonly=on')"
app_boot none ""
log=$tmp/rw.log

[ "$(cat "$tmp/rw.status")" = 1 ] &&
    has "$log" '^root: virtio-blk registered service 0x6b6c62' \
    '^root: disk exited with status 0' '^root: SUCCESS'
check $? "the machine ends with success (QEMU status $(cat "$tmp/rw.status"))" "$log"

has "$log" '^pci: 00:04\.0 1af4:1001 claimed \(may do DMA\)' \
    '^virtio-blk: 00:04\.0, line [0-9]+: 2048 sectors \(1024 KiB\), write cache; 8 requests at once'
check $? "the driver claimed virtio-blk from the PCI bus program: 2048 sectors, a write cache" "$log"

has "$log" '^disk: the driver.s disk has 2048 sectors of 512 bytes' \
    '^disk: sector 0 reads \(ok, 1 sector\): "sector 000000 of vg.s disk image \.\.\.' \
    '^disk: wrote sectors 64\.\.79 from 2 pages of mine in one request: ok, 16 sectors' \
    '^disk: flushed the device.s cache: ok' \
    '^disk: read them back into two other pages: the same 8192 bytes \("written by vg.s disk example: sector 000064 #' \
    '^disk: 12 reads sent at once, each to its own reply messenger: 12 answered, 12 with the right sectors'
check $? "sector 0 read as the host wrote it; 16 sectors written from two pages, flushed, read back the same; 12 reads at once" "$log"

has "$log" '^disk: reading past the disk.s end: refused, invalid' \
    '^disk: reading 9 sectors into one page: refused, invalid' \
    '^disk: reading with no page: refused, invalid' \
    '^disk: reading into an empty slot: refused, void' \
    '^disk: reading into a page I may only read: refused, the capability lacks the right' \
    '^disk: an unknown method: refused, no such method' &&
    ! grep -q 'NOT REFUSED' "$log"
check $? "the refusals: past the end, too few pages, no page, a void one, an rpage, an unknown method" "$log"

# The image as the client should have left it: the host's, with sectors
# 64..79 as examples/disk writes them.
awk 'BEGIN {
	for (s = 64; s < 80; s++) {
		l = sprintf("written by vg'"'"'s disk example: sector %06d ", s)
		while (length(l) < 511)
			l = l "#"
		print l
	}
}' >"$tmp/written"
# sectors IMAGE FIRST [COUNT]: those sectors of IMAGE (to its end).
sectors() { dd if="$1" bs=512 skip="$2" ${3:+count=$3} 2>/dev/null; }
sectors "$tmp/disk.img" 80 >"$tmp/tail.vg"
sectors "$tmp/host.img" 80 >"$tmp/tail.host"
[ "$(wc -c <"$tmp/disk.img")" = 1048576 ] &&
    cmp -s -n 32768 "$tmp/disk.img" "$tmp/host.img" &&
    sectors "$tmp/disk.img" 64 16 | cmp -s - "$tmp/written" &&
    cmp -s "$tmp/tail.vg" "$tmp/tail.host"
s=$?
if [ $s = 0 ]; then
	ok "on the host: sectors 64..79 of the image hold what the client wrote, the rest what the host wrote"
else
	not_ok "on the host: sectors 64..79 of the image hold what the client wrote, the rest what the host wrote"
	dd if="$tmp/disk.img" bs=512 skip=64 count=1 2>/dev/null | head -c 80 |
	    sed 's/^/#   sector 64: /'
	echo
fi

log=$tmp/ro.log
has "$log" '^virtio-blk: .*: 2048 sectors \(1024 KiB\), read-only' \
    '^disk: wrote sectors 64\.\.79 .*: the capability lacks the right, 0 sectors' &&
    cmp -s "$tmp/ro.img" "$tmp/host.img"
check $? "a read-only disk: the driver says so, the write is refused, the image unchanged" "$log"

log=$tmp/none.log
has "$log" '^virtio-blk: no disk to serve .*: invalid argument' \
    '^root: virtio-blk exited with status 1' \
    '^disk: no block driver in my slot 137: no such method' \
    '^root: disk exited with status 1' '^root: FAILURE' &&
    ! grep -q 'faulted\|panic' "$log"
check $? "without a disk: the driver says so and exits, the client finds no driver, nothing faults" "$log"
exit $failed
