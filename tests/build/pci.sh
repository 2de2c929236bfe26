#!/bin/sh
# TAP: the PCI bus program (user/pci) and a driver's claim (examples/
# pci-list), booted as make run APP="pci pci-list" does, on a machine with
# a virtio-blk function (its disk a small file made here), then on one
# without.
#
#   1  tools/app.sh makes the boot line "devices pci" the device manager
#      (devices=pci) and keeps its dma= arguments
#   2  with virtio-blk: the machine ends as the root task says on success
#      (QEMU status 1), pci-list exiting with 0
#   3  the enumeration: the host bridge 8086:1237, the PIIX3 8086:7000,
#      the virtio-blk function with its I/O BAR and interrupt line
#   4  the claim: pci-list read its vendor:device through PCI_CONFIG_READ,
#      got a port range it reads the device through, device-memory
#      objects, the interrupt object of the line and the DMA right
#   5  the refusals: the function claimed twice, a function that is not
#      there, offsets past the function's 256 bytes or unaligned, BAR
#      and ROM writes
#   6  without virtio-blk: the host bridge is claimed instead, and the
#      DMA right and bus mastering are refused to it (dma= names it not)
#
# Environment: VG_BUILD (the build make test built), QEMU, QEMU_FLAGS.
. "$(dirname "$0")/../support/app_boot.sh"
TIMEOUT=${VG_PCI_TIMEOUT:-90}

echo "1..6"
for f in "$kernel" "$user/root.elf" "$user/pci.elf" "$user/pci-list.elf"; do
	[ -f "$f" ] || { echo "Bail out! $f is not built (make all)"; exit 1; }
done

boot=$(sh tools/app.sh "$O" "pci pci-list" '' '')
modules=${boot%%|*}
cmdline=${boot#*|}
case "$cmdline" in
*"start=pci,pci-list"*"devices=pci"*)
	case "$modules" in
	*"pci.elf pci dma=1af4:1001 dma=1af4:1042,"*)
		ok "tools/app.sh: \"devices pci\" makes it the device manager (devices=pci), its dma= kept" ;;
	*) not_ok "tools/app.sh: \"devices pci\" makes it the device manager (devices=pci), its dma= kept"
	   echo "# $boot" ;;
	esac ;;
*) not_ok "tools/app.sh: \"devices pci\" makes it the device manager (devices=pci), its dma= kept"
   echo "# $boot" ;;
esac


dd if=/dev/zero of="$tmp/disk.img" bs=64k count=1 2>/dev/null
app_boot virtio "-drive if=none,id=d,file=$tmp/disk.img,format=raw -device virtio-blk-pci,drive=d"
app_boot bare ""
log=$tmp/virtio.log

[ "$(cat "$tmp/virtio.status")" = 1 ] &&
    has "$log" '^root: pci is the device manager' \
    '^root: pci-list exited with status 0' '^root: SUCCESS'
check $? "with virtio-blk: the machine ends with success (QEMU status $(cat "$tmp/virtio.status"))" "$log"

has "$log" '^pci: 00:00\.0 8086:1237 class 060000 host bridge' \
    '^pci: 00:01\.0 8086:7000 class 060100 ISA bridge' \
    '^pci: [0-9a-f:.]+ 1af4:10(01|42) class 01' \
    '^pci:   BAR0 I/O 0x[0-9a-f]+, 0x[0-9a-f]+ bytes' \
    '^pci:   interrupt pin INTA, line (5|9|10|11)$' \
    '^pci: ready: drivers claim their function'
check $? "the enumeration: host bridge 8086:1237, PIIX3 8086:7000, virtio-blk with its BARs and line" "$log"

has "$log" '^pci: [0-9a-f:.]+ 1af4:10(01|42) claimed \(may do DMA\)' \
    '^pci-list: claimed [0-9a-f:.]+: 1af4:10(01|42), class 01[0-9a-f]+ \(read through PCI_CONFIG_READ: ok\)' \
    '^pci-list: BAR[0-5]: I/O ports 0x[0-9a-f]+, [0-9]+ of them: a port range' \
    '^pci-list: BAR[0-5]: memory 0x[0-9a-f]+, 0x[0-9a-f]+ bytes: a device-memory object .* \(ok\)$' \
    '^pci-list: interrupt: line (5|9|10|11), an interrupt object' \
    '^pci-list: DMA: my page with the DMA right is at physical 0x[0-9a-f]+ \(ok\)' \
    '^pci-list: done'
check $? "the claim: ids through PCI_CONFIG_READ, its BARs' port range and device memory, its interrupt object, DMA" "$log"

has "$log" '^pci: [0-9a-f:.]+ 1af4:10(01|42) claimed again: refused' \
    '^pci-list: claiming it again: refused, in use' \
    '^pci-list: claiming 1234:5678, which is not there: refused' \
    '^pci-list: config offset 0x100, past my function.s space: refused' \
    '^pci-list: config offset 0x1000 .*: refused' \
    '^pci-list: config offset 0x2, unaligned: refused' \
    '^pci-list: writing BAR0: refused' \
    '^pci-list: writing the expansion ROM.s BAR: refused' &&
    ! grep -q 'NOT REFUSED' "$log"
check $? "the refusals: a second claim, no such function, other offsets, BAR and ROM writes" "$log"

log=$tmp/bare.log
[ "$(cat "$tmp/bare.status")" = 1 ] &&
    has "$log" '^pci-list: no virtio-blk function here' \
    '^pci-list: claimed 00:00\.0: 8086:1237' \
    '^pci-list: the DMA right for a page: refused, ' \
    '^pci-list: setting bus mastering without DMA: refused' \
    '^root: SUCCESS' && ! grep -q 'NOT REFUSED\|^pci: .*1af4:' "$log"
check $? "without virtio-blk: the host bridge is claimed, DMA and bus mastering refused to it" "$log"
exit $failed
