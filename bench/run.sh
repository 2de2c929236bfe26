#!/bin/sh
# make bench: vg's benchmarks under QEMU with instruction counting, the
# Linux peer the same way, and the report.
#
#   bench/run.sh BUILDDIR KERNEL RESULTS ROOT.elf PROGRAM.elf...
#
# Boots KERNEL (vg32.elf) with ROOT.elf (the bench root task) as the first
# module and the other programs after it, with exactly the QEMU flags of
# bench/linux/run.sh, then IRQOFF_KERNEL (the kernel built to measure
# interrupts-off stretches) the same way with only=irqoff, for that group
# alone, and a third machine for the block benchmark (boot_blk:
# BENCH_BLK_ELFS with a disk).  Writes BUILDDIR/vg.log, BUILDDIR/irqoff.log
# and BUILDDIR/blk.log (the serial consoles) and BUILDDIR/vg.txt (the
# BENCH lines of all), runs bench/linux/run.sh BUILDDIR/linux,
# then bench/report.sh into RESULTS (bench.md, bench.csv, the charts), and
# adds RESULTS/vg.txt, RESULTS/linux.txt (the raw lines) and
# RESULTS/targets.md (vg against its performance targets, which the end
# of this script states).
#
# BENCH_VG_ONLY=1 stops after vg's run.  BENCH_ONLY=group[,group] boots
# with "only=group,..." on the kernel command line, so that the bench root
# task runs those groups of metrics alone (bench/README.md lists them);
# such a run stops after vg's too, since a partial run makes no report.
# Without it QEMU gets no kernel command line at all.  Fails, saying why,
# unless QEMU exits with vg's success status (1) and the log ends with
# BENCH vg done.
set -eu

[ $# -ge 4 ] || {
	echo "usage: $0 BUILDDIR KERNEL RESULTS ROOT.elf PROGRAM.elf..." >&2
	exit 2
}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
O=$(cd "$1" && pwd)
kernel=$2
results=$3
shift 3
QEMU=${QEMU:-qemu-system-x86_64}
# The CPU model of the Makefile's QEMU_FLAGS, for vg and Linux alike:
# QEMU's default under TCG with SMEP, SMAP and UMIP.
QEMU_CPU=${QEMU_CPU:-qemu64,+smep,+smap,+umip}
export QEMU_CPU
OBJCOPY=${OBJCOPY:-objcopy}
TIMEOUT=${BENCH_TIMEOUT:-600}
start=$(date +%s)

fail() {
	echo "bench: $*" >&2
	exit 1
}

# --- vg ------------------------------------------------------------------------

# The images QEMU boots, under fixed names in a fixed directory: the
# command line and module names the kernel copies (and so the instructions
# it spends before the first measurement) do not depend on BUILDDIR.
# Debug sections are dropped; the symbol table stays (the root task finds
# its partners' entry points in it).
img=$O/img
rm -rf "$img"
mkdir -p "$img"
modules=
for elf in "$@"; do
	name=$(basename "$elf" .elf)
	"$OBJCOPY" --strip-debug "$elf" "$img/$name.elf"
	modules="$modules${modules:+,}$name.elf $name"
done

only=${BENCH_ONLY:-}
case $only in
*[!a-z,]*) fail "BENCH_ONLY=$only: group names separated by commas" ;;
esac

# boot_vg NAME KERNEL MODULES [APPEND [QEMU-ARGS]]: one boot of KERNEL (a
# copy in $img) with MODULES (files in $img) and the kernel command line
# APPEND, its log in $O/NAME.log and its BENCH lines in $O/NAME.txt;
# fails unless it ended with BENCH vg done.
boot_vg() {
	# The same name for every kernel: QEMU passes it on the command
	# line the kernel copies.
	cp "$2" "$img/vg32.elf"
	echo "bench: booting vg (QEMU -icount shift=0): modules" \
	    "$3${4:+ (command line $4)}"
	status=0
	# shellcheck disable=SC2086
	(cd "$img" && timeout "$TIMEOUT" "$QEMU" -accel tcg -cpu "$QEMU_CPU" \
	    -icount shift=0,align=off,sleep=off -m 512M \
	    -display none -serial stdio -serial null -no-reboot \
	    -device isa-debug-exit,iobase=0xf4,iosize=4 \
	    -rtc base=2020-01-01T00:00:00,clock=vm \
	    -kernel vg32.elf -initrd "$3" ${4:+-append "$4"} ${5:-} \
	    </dev/null >"$O/$1.raw" 2>"$O/$1.stderr") || status=$?
	tr -d '\r' <"$O/$1.raw" >"$O/$1.log"
	rm -f "$O/$1.raw"
	grep '^BENCH vg ' "$O/$1.log" >"$O/$1.txt" || true
	if [ "$status" -ne 1 ] || ! grep -qx 'BENCH vg done' "$O/$1.txt"; then
		case $status in
		124) why="QEMU timed out after $TIMEOUT s" ;;
		3) why="the bench root task failed (QEMU status 3)" ;;
		*) why="QEMU exited with status $status" ;;
		esac
		echo "bench: FAILED: $why; last lines of $O/$1.log:" >&2
		tail -n 20 "$O/$1.log" >&2
		[ -s "$O/$1.stderr" ] && sed 's/^/qemu: /' "$O/$1.stderr" >&2
		exit 1
	fi
}

# The group blk: a machine of its own, the ordinary root task starting
# the PCI bus program, the block driver and the benchmark's client
# (BENCH_BLK_ELFS, in that order), with a virtio-blk disk attached as
# bench/linux/run.sh attaches Linux's.
boot_blk() {
	[ -n "${BENCH_BLK_ELFS:-}" ] ||
		fail "blk_read_4k needs BENCH_BLK_ELFS (the Makefile's)"
	# shellcheck disable=SC2086
	set -- $BENCH_BLK_ELFS
	[ $# -eq 4 ] || fail "BENCH_BLK_ELFS: root, pci, driver, client"
	for elf in "$@"; do
		"$OBJCOPY" --strip-debug "$elf" "$img/$(basename "$elf")"
	done
	sh "$here/../tools/disk-image.sh" "$img/disk.img" 2048
	boot_vg blk "$kernel" \
	    "root.elf root,pci.elf pci dma=1af4:1001 dma=1af4:1042,virtio-blk.elf virtio-blk,bblk.elf bblk" \
	    "start=pci,virtio-blk,bblk devices=pci daemons=virtio-blk" \
	    "-drive if=none,id=blk,file=disk.img,format=raw -device virtio-blk-pci,drive=blk"
}

# The group irqoff needs the measuring kernel (IRQOFF_KERNEL), whose
# marks would cost every other metric instructions: it has a boot of its
# own, and the other groups run under the plain kernel.  The group blk
# has a machine of its own (boot_blk).
case ,$only, in
,,) main_only= irqoff=1 blk=1 ;;
*) main_only=$(echo "$only" | tr ',' '\n' | grep -vx 'irqoff\|blk' |
	paste -sd, -) || true
   irqoff= blk=
   case ,$only, in *,irqoff,*) irqoff=1 ;; esac
   case ,$only, in *,blk,*) blk=1 ;; esac ;;
esac
[ -n "$irqoff" ] && [ -z "${IRQOFF_KERNEL:-}" ] &&
	fail "irqoff_destroy needs IRQOFF_KERNEL (the Makefile's measuring kernel)"
: >"$O/vg.txt"
if [ -z "$only" ] || [ -n "$main_only" ]; then
	boot_vg vg "$kernel" "$modules" "${main_only:+only=$main_only}"
	grep -vx 'BENCH vg done' "$O/vg.txt" >"$O/main.txt" || true
else
	: >"$O/main.txt"
fi
if [ -n "$irqoff" ]; then
	boot_vg irqoff "$IRQOFF_KERNEL" "$modules" only=irqoff
	grep -vx 'BENCH vg done' "$O/irqoff.txt" >>"$O/main.txt" || true
fi
if [ -n "$blk" ]; then
	boot_blk
	grep -vx 'BENCH vg done' "$O/blk.txt" >>"$O/main.txt" || true
fi
echo 'BENCH vg done' >>"$O/main.txt"
mv "$O/main.txt" "$O/vg.txt"
cat "$O/vg.txt"
echo "bench: vg ok in $(($(date +%s) - start)) s; lines in $O/vg.txt"
[ "${BENCH_VG_ONLY:-0}" = 1 ] || [ -n "$only" ] && exit 0

# --- Linux, and the report -------------------------------------------------------

"$here/linux/run.sh" "$O/linux" || fail "the Linux peer failed"
"$here/report.sh" "$O/vg.txt" "$O/linux/linux.txt" "$results"
cp "$O/vg.txt" "$results/vg.txt"
cp "$O/linux/linux.txt" "$results/linux.txt"

# What was measured: BENCH_SOURCE, or the commit of this tree (and whether
# the sources built from it had changes not committed).
root=$(cd "$here/.." && pwd)
source=${BENCH_SOURCE:-}
if [ -z "$source" ] && git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
	source="commit $(git -C "$root" rev-parse --short=12 HEAD)"
	[ -n "$(git -C "$root" status --porcelain -- kernel include lib \
	    bench/vg mk Makefile)" ] && source="$source with uncommitted changes"
fi

# vg against its performance targets (a report, never a failure: no
# test depends on timing).  The targets are the rows below.
awk -v source="${source:-unknown sources}" '
$1 == "BENCH" {
	key = $2 " " $3
	for (i = 4; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "param")
			key = key "@" kv[2]
		else if (kv[1] == "median")
			med[key] = kv[2]
	}
}
function row(what, metric, value, target, ok) {
	printf "| %s | %s | %s | %s | %s |\n", what, metric, value, target,
	    ok ? "met" : "**missed**"
}
END {
	rt = med["vg roundtrip"]
	ev = med["linux eventfd_rtt"]
	print "# vg against its performance targets"
	print ""
	print "Medians, in guest instructions (see bench.md and ../README.md), " \
	    "measured on " source "."
	print ""
	print "| target | vg metric | vg | target | |"
	print "| --- | --- | ---: | ---: | --- |"
	row("round trip <= 1,000 instructions", "roundtrip", rt, 1000,
	    rt <= 1000)
	if (ev != "")
		row("round trip <= 1/10 of Linux eventfd round trip",
		    "roundtrip", rt, int(ev / 10), rt * 10 <= ev)
	ns = med["vg null_syscall"]
	row("null system call <= 120", "null_syscall", ns, 120, ns <= 120)
	for (k = 1; k <= 3; k++) {
		m = k == 1 ? "virt_index_rtt" : k == 2 ? \
		    "virt_index_rtt_offpath" : "virt_index_rtt_static"
		v = med["vg " m]
		row("virtualized index round trip <= 2x plain", m, v, 2 * rt,
		    v <= 2 * rt)
	}
	q1 = med["vg queue_per_msg@1"]
	q1000 = med["vg queue_per_msg@1000"]
	flat = q1000 <= q1 * 1.1 && q1000 >= q1 * 0.9
	printf "| per-message cost flat from 1 to 1,000 senders | " \
	    "queue_per_msg | %s at 1, %s at 1,000 | flat | %s |\n", q1, q1000,
	    flat ? "met (within 10%)" : "**missed**"
}' "$results/vg.txt" "$results/linux.txt" >"$results/targets.md"
# The tables of bench.md (vg, Linux, side by side), then the targets.
sed -n '/^## /,$p' "$results/bench.md" | grep -v '^!\[' | cat -s
echo
cat "$results/targets.md"
echo "bench: done in $(($(date +%s) - start)) s; results in $results"
