#!/bin/sh
# The Linux peer of vg's benchmarks: boot Debian's own kernel under QEMU
# with instruction counting, run pingpong.c as /init, keep its BENCH lines.
#
#   bench/linux/run.sh BUILDDIR
#
# Writes BUILDDIR/linux.log (the serial console) and BUILDDIR/linux.txt
# (the BENCH lines).  The kernel package is downloaded into BUILDDIR once
# (apt-get download, never installed on the host) and unpacked there: its
# boot/ and the modules the virtio-blk disk needs, which go into the
# initramfs.  The disk is BUILDDIR/disk.img, made afresh every run.
# Fails, with a message, unless QEMU exits with pingpong's success status
# and the log ends its run with "BENCH linux done".
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILDDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$1"
O=$(cd "$1" && pwd)
CC=${CC:-gcc}
QEMU=${QEMU:-qemu-system-x86_64}
# bench/run.sh's CPU model (the Makefile's): the same machine as vg's.
QEMU_CPU=${QEMU_CPU:-qemu64,+smep,+smap,+umip}
start=$(date +%s)

fail() {
	echo "bench/linux: $*" >&2
	exit 1
}

"$root/tools/deps.sh" qemu-system-x86 libc6-dev cpio gzip binutils perl-base

# --- the kernel: the image package a metapackage depends on -----------------

# image_pkg META: the versioned linux-image-* package META depends on.
image_pkg() {
	apt-cache depends "$1" 2>/dev/null |
	    awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

# fetch PKG: BUILDDIR/kernel/PKG/ holds the unpacked package.
fetch() {
	dir=$O/kernel/$1
	[ -d "$dir/boot" ] && return 0
	deb=$(ls "$O/kernel/$1"_*.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$deb" ]; then
		echo "bench/linux: downloading $1" >&2
		# As root apt would otherwise warn that _apt cannot write here.
		sandbox=
		[ "$(id -u)" -eq 0 ] && sandbox="-o APT::Sandbox::User=root"
		# shellcheck disable=SC2086
		(cd "$O/kernel" && apt-get -qq $sandbox download "$1") ||
		    fail "apt-get download $1 failed"
		deb=$(ls "$O/kernel/$1"_*.deb | tail -n 1)
	fi
	rm -rf "$dir.tmp"
	# Only boot/ (vmlinuz, config): the modules are 100 MB, of which the
	# disk needs six (extracted below).
	mkdir -p "$dir.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -xf - -C "$dir.tmp" ./boot
	mv "$dir.tmp" "$dir"
}

# usable PKG: its kernel has, built in, all pingpong needs.
usable() {
	config=$(ls "$O/kernel/$1"/boot/config-* 2>/dev/null | head -n 1)
	[ -n "$config" ] || return 1
	for opt in SERIAL_8250 SERIAL_8250_CONSOLE BLK_DEV_INITRD RD_GZIP \
	    EVENTFD FUTEX UNIX MODULES TICK_ONESHOT PROC_FS; do
		grep -qx "CONFIG_$opt=y" "$config" || {
			echo "bench/linux: $1 lacks CONFIG_$opt=y" >&2
			return 1
		}
	done
	# The disk's: built in, or modules run.sh puts in the initramfs.
	for opt in VIRTIO VIRTIO_PCI VIRTIO_BLK; do
		grep -qx "CONFIG_$opt=[ym]" "$config" || {
			echo "bench/linux: $1 lacks CONFIG_$opt" >&2
			return 1
		}
	done
}

# cached META: an image package for META unpacked here before (offline).
cached() {
	case $1 in
	linux-image-cloud-amd64) pat='linux-image-[0-9]*-cloud-amd64' ;;
	*) pat='linux-image-[0-9]*-amd64' ;;
	esac
	# shellcheck disable=SC2086
	(cd "$O/kernel" && ls -d $pat 2>/dev/null) |
	    if [ "$1" = linux-image-cloud-amd64 ]; then cat; else grep -v cloud; fi |
	    tail -n 1
}

mkdir -p "$O/kernel"
if [ -z "$(image_pkg linux-image-cloud-amd64)" ] && [ "$(id -u)" -eq 0 ]; then
	apt-get update -qq >&2 || true
fi
pkg=
for meta in linux-image-cloud-amd64 linux-image-amd64; do
	p=$(image_pkg "$meta")
	[ -n "$p" ] || p=$(cached "$meta" || true)
	[ -n "$p" ] || { echo "bench/linux: no package for $meta" >&2; continue; }
	fetch "$p"
	if usable "$p"; then
		pkg=$p
		break
	fi
	echo "bench/linux: $p will not do; trying the next kernel" >&2
done
[ -n "$pkg" ] || fail "no usable Debian kernel"
vmlinuz=$(ls "$O/kernel/$pkg"/boot/vmlinuz-* | head -n 1)
version=$(dpkg-deb -f "$(ls "$O/kernel/$pkg"_*.deb | tail -n 1)" Version \
    2>/dev/null || echo "?")
echo "bench/linux: kernel $pkg ($version), ${vmlinuz##*/}"

# --- the disk's modules: virtio_pci and virtio_blk, with what they need ------

# The cloud kernel builds them as modules (CONFIG_VIRTIO{,_PCI,_BLK}=m).  The
# package has no modules.dep (depmod writes it on install), so each
# module's own .modinfo "depends=" gives what to load before it.
kdir=$O/kernel/$pkg
deb=$(ls "$O/kernel/$pkg"_*.deb | tail -n 1)
mkdir -p "$kdir/ko"
if [ ! -s "$kdir/ko.list" ]; then
	dpkg-deb --fsys-tarfile "$deb" | tar -tf - |
	    grep '^\./lib/modules/.*\.ko\(\.xz\)\{0,1\}$' >"$kdir/ko.list.tmp" ||
	    fail "no modules in $deb"
	mv "$kdir/ko.list.tmp" "$kdir/ko.list"
fi

# modpath NAME: the member of the package that is module NAME ('-' = '_').
modpath() {
	awk -v n="$1" '{
		b = $0; sub(/.*\//, "", b); sub(/\.ko(\.xz)?$/, "", b)
		gsub(/-/, "_", b)
		if (b == n) { print; exit }
	}' "$kdir/ko.list"
}

# moddeps NAME: the modules NAME depends on, from its .modinfo.
moddeps() {
	objcopy -O binary -j .modinfo "$kdir/ko/$1.ko" /dev/stdout |
	    tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}

# Extract (once) what is wanted, then what that depends on, and so on.
config=$(ls "$kdir"/boot/config-* | head -n 1)
need=
for m in virtio_pci virtio_blk; do
	grep -qx "CONFIG_$(echo "$m" | tr '[:lower:]' '[:upper:]')=y" "$config" ||
	    need="$need $m"
done
all=
while [ -n "$need" ]; do
	members=
	for m in $need; do
		p=$(modpath "$m")
		[ -n "$p" ] || fail "no module $m in $deb"
		[ -f "$kdir/ko/$m.ko" ] || members="$members $p"
	done
	if [ -n "$members" ]; then
		# shellcheck disable=SC2086
		dpkg-deb --fsys-tarfile "$deb" | tar -xf - -C "$kdir" $members
		for p in $members; do
			b=${p##*/}
			case $p in
			*.xz)
				"$root/tools/deps.sh" xz-utils
				xz -dc "$kdir/$p" >"$kdir/ko/$b.tmp" ;;
			*) cp "$kdir/$p" "$kdir/ko/$b.tmp" ;;
			esac
			b=${b%.xz}
			b=$(echo "${b%.ko}" | tr - _)
			mv "$kdir/ko/${p##*/}.tmp" "$kdir/ko/$b.ko"
		done
		rm -rf "${kdir:?}/lib"
	fi
	all="$all $need"
	next=
	for m in $need; do
		for d in $(moddeps "$m"); do
			case " $all $next " in *" $d "*) ;; *) next="$next $d" ;; esac
		done
	done
	need=$next
done
# Order them so that each comes after what it depends on.
order=
left=$all
while [ -n "$left" ]; do
	rest=
	for m in $left; do
		ready=1
		for d in $(moddeps "$m"); do
			case " $order " in *" $d "*) ;; *) ready= ;; esac
		done
		if [ -n "$ready" ]; then order="$order $m"; else rest="$rest $m"; fi
	done
	[ "$rest" != "$left" ] || fail "modules depend on each other:$rest"
	left=$rest
done
echo "bench/linux: modules$order"

# --- the disk: 1 MiB, each 4 KiB block 1024 words 0x76670000 + its number ----

# As little-endian 32-bit words; pingpong.c checks every word it reads.
rm -f "$O/disk.img"
perl -e 'print pack("V", 0x76670000 + $_) x 1024 for 0 .. 255' >"$O/disk.img"
case $O in *,*) fail "QEMU's -drive cannot take a path with a comma: $O" ;; esac

# --- the initramfs: pingpong as /init, and the modules -------------------------

rm -rf "$O/initramfs"
mkdir -p "$O/initramfs/dev" "$O/initramfs/sys" "$O/initramfs/proc" \
    "$O/initramfs/lib/modules"
for m in $order; do
	cp "$kdir/ko/$m.ko" "$O/initramfs/lib/modules/$m.ko"
	echo "$m"
done >"$O/initramfs/lib/modules/order"
$CC -std=c11 -static -O2 -Wall -Wextra -Werror -Wshadow \
    -Wstrict-prototypes -Wmissing-prototypes \
    -o "$O/initramfs/init" "$here/pingpong.c"
# Byte-identical every time (fixed mtimes, order, owners): the kernel spends
# instructions unpacking it, and any shift moves where timer ticks land.
find "$O/initramfs" -exec touch -h -d @1577836800 {} +
(cd "$O/initramfs" && find . | LC_ALL=C sort |
    cpio -o -H newc --quiet --reproducible -R 0:0) |
    gzip -9 -n >"$O/initramfs.cpio.gz"

# --- the run -------------------------------------------------------------------

# nokaslr, norandmaps, randomize_kstack_offset=off: no layout differs from
# one run to the next.  panic=-1 and -no-reboot: a panic ends QEMU with
# status 0, never pingpong's success, 1.  stdin is /dev/null and stdout a
# file, so nothing the host does reaches the guest.
cmdline="console=ttyS0 quiet nokaslr norandmaps randomize_kstack_offset=off panic=-1"
status=0
timeout 600 "$QEMU" -accel tcg -cpu "$QEMU_CPU" \
    -icount shift=0,align=off,sleep=off -m 512M \
    -display none -serial stdio -serial null -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=4 \
    -rtc base=2020-01-01T00:00:00,clock=vm \
    -drive if=none,id=blk,file="$O/disk.img",format=raw \
    -device virtio-blk-pci,drive=blk \
    -kernel "$vmlinuz" -initrd "$O/initramfs.cpio.gz" \
    -append "$cmdline" \
    </dev/null >"$O/linux.raw" 2>"$O/qemu.stderr" || status=$?
tr -d '\r' <"$O/linux.raw" >"$O/linux.log"
rm -f "$O/linux.raw"
grep '^BENCH linux ' "$O/linux.log" >"$O/linux.txt" || true

elapsed=$(($(date +%s) - start))
if [ "$status" -ne 1 ] || ! grep -qx 'BENCH linux done' "$O/linux.txt"; then
	case $status in
	124) why="QEMU timed out after 600 s" ;;
	3) why="pingpong failed (QEMU status 3)" ;;
	0) why="the kernel panicked or powered off (QEMU status 0)" ;;
	1) why="QEMU status 1 but no 'BENCH linux done'" ;;
	*) why="QEMU exited with status $status" ;;
	esac
	echo "bench/linux: FAILED: $why; last lines of $O/linux.log:" >&2
	tail -n 20 "$O/linux.log" >&2
	[ -s "$O/qemu.stderr" ] && sed 's/^/qemu: /' "$O/qemu.stderr" >&2
	exit 1
fi
grep '^# kernel' "$O/linux.log" | sed 's/^# /bench\/linux: /' || true
cat "$O/linux.txt"
echo "bench/linux: ok in ${elapsed} s; lines in $O/linux.txt"
