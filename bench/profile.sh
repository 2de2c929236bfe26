#!/bin/sh
# Where the instructions of one benchmark iteration go: an exact,
# per-function profile of vg (kernel and user code) under QEMU.
#
#   bench/profile.sh BUILDDIR KERNEL.elf METRIC ROOT.elf PEER.elf
#   (make bench-profile PROFILE=METRIC [O=...] does this)
#
# Boots the bench images as bench/run.sh does, with "profile=METRIC" on the
# kernel command line: the bench root task runs every loop with few
# iterations and brackets the first measured iteration of METRIC (e.g.
# roundtrip, oneway_page_caps@16, translate_depth@3, queue_per_msg@10)
# between two calls of bench_profile_mark, then stops the machine.  QEMU
# runs one instruction per translation block and logs each one it
# executes (-singlestep -d exec,nochain), so the log holds every
# instruction of the run in order; the instructions between the two marks
# are attributed to the functions of the kernel (KERNEL.elf, the ELF64
# image), the root task and its partners (PEER.elf is linked at 0x800000,
# so an address says whose it is).
#
# Writes BUILDDIR/profile-METRIC.txt: the total, kernel/user split, the
# instructions of the timed window (from the first rdtsc the root task
# executes in the iteration to the last one: the window the metric
# measures) per function, and the window's path as runs of consecutive
# instructions in one function.  The log itself (some GB) is deleted.
set -eu

[ $# -eq 5 ] || {
	echo "usage: $0 BUILDDIR KERNEL.elf METRIC ROOT.elf PEER.elf" >&2
	exit 2
}
mkdir -p "$1"
O=$(cd "$1" && pwd)
kernel=$2
metric=$3
root=$4
peer=$5
QEMU=${QEMU:-qemu-system-x86_64}
OBJCOPY=${OBJCOPY:-objcopy}
NM=${NM:-nm}
# Per metric, so that several profiles can run at once.
tmp=$O/profile-$metric
img=$tmp.img
log=$tmp.log
out=$O/profile-$metric.txt

rm -rf "$img"
mkdir -p "$img"
"$OBJCOPY" -O elf32-i386 "$kernel" "$img/vg32.elf"
"$OBJCOPY" --strip-debug "$root" "$img/broot.elf"
"$OBJCOPY" --strip-debug "$peer" "$img/bpeer.elf"

mark=$("$NM" "$root" | awk '$3 == "bench_profile_mark" { print $1 }')
[ -n "$mark" ] || { echo "bench/profile: no bench_profile_mark" >&2; exit 1; }

echo "bench/profile: booting with profile=$metric (one log line per instruction)"
status=0
(cd "$img" && timeout 1200 "$QEMU" -accel tcg \
    -icount shift=0,align=off,sleep=off -m 512M \
    -display none -serial stdio -serial null -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=4 \
    -rtc base=2020-01-01T00:00:00,clock=vm \
    -kernel vg32.elf -initrd "broot.elf broot,bpeer.elf bpeer" \
    -append "profile=$metric" -singlestep -d exec,nochain -D "$log" \
    </dev/null >"$tmp.out" 2>&1) || status=$?
if [ "$status" -ne 1 ] || ! grep -q "^# bench: profiled" "$tmp.out"; then
	echo "bench/profile: the run failed (QEMU status $status):" >&2
	tail -n 5 "$tmp.out" >&2
	rm -f "$log"
	exit 1
fi

# The lines of the two marks: the iteration is between them.
lines=$(grep -n -m 2 "/$mark/" "$log" | cut -d: -f1 | tr '\n' ' ')
set -- $lines
[ $# -eq 2 ] || { echo "bench/profile: marks not found" >&2; exit 1; }
sed -n "$(($1 + 1)),$(($2 - 1))p" "$log" |
    sed -n 's/^Trace [0-9]*: [^[]*\[[0-9a-f]*\/\([0-9a-f]*\)\/.*/\1/p' \
    >"$tmp.pcs"
rm -f "$log"

# The code symbols of all three images.  Addresses are 16 hex digits in
# nm's output and QEMU's log alike, so they sort and compare as strings.
{
	"$NM" -n "$kernel" | awk '$2 ~ /^[tTwW]$/ { print $1, "k", $3 }'
	"$NM" -n "$root" | awk '$2 ~ /^[tTwW]$/ { print $1, "root", $3 }'
	"$NM" -n "$peer" | awk '$2 ~ /^[tTwW]$/ { print $1, "peer", $3 }'
} | LC_ALL=C sort >"$tmp.syms"

# The root task's rdtsc instructions: the timed window of the iteration
# runs from the first one executed to the last one.
OBJDUMP=${OBJDUMP:-objdump}
"$OBJDUMP" -d "$root" | awk '$0 ~ /\trdtsc/ {
	a = $1
	sub(/:$/, "", a)
	a = sprintf("%16s", a)
	gsub(/ /, "0", a)
	print a
}' >"$tmp.rdtsc"

LC_ALL=C awk -v metric="$metric" -v syms="$tmp.syms" \
    -v rdtsc="$tmp.rdtsc" -v pcs="$tmp.pcs" '
BEGIN {
	while ((getline line < rdtsc) > 0)
		is_rdtsc[line] = 1
	wfirst = wlast = 0
	while ((getline line < pcs) > 0) {
		k++
		if (line in is_rdtsc) {
			if (!wfirst)
				wfirst = k
			wlast = k
		}
	}
	close(pcs)
	n = 0
	while ((getline line < syms) > 0) {
		split(line, f, " ")
		n++
		# "x": compare as strings ("...408e50" would be a number).
		addr[n] = "x" f[1]; owner[n] = f[2]; name[n] = f[3]
	}
}
# The function holding PC: the last symbol at or below it.
function lookup(pc,    lo, hi, mid) {
	lo = 1; hi = n
	if (pc < addr[1])
		return "?"
	while (lo < hi) {
		mid = int((lo + hi + 1) / 2)
		if (addr[mid] <= pc)
			lo = mid
		else
			hi = mid - 1
	}
	return owner[lo] ":" name[lo]
}
{
	pc = "x" $1
	all++
	if (NR < wfirst || NR >= wlast)
		next
	if (pc in cache)
		fn = cache[pc]
	else
		fn = cache[pc] = lookup(pc)
	total++
	count[fn]++
	if (substr(fn, 1, 2) == "k:")
		kernel++
	if (fn != last) {
		if (last != "")
			path = path sprintf("  %s %d\n", last, run)
		last = fn
		run = 0
	}
	run++
}
END {
	path = path sprintf("  %s %d\n", last, run)
	printf "profile of one iteration of %s: %d instructions; %d in its " \
	    "timed window (from the first rdtsc to the last),\n%d of them in " \
	    "the kernel, %d in user mode\n\n", metric, all, total, kernel,
	    total - kernel
	print "instructions of the window per function (k: kernel, root: " \
	    "the bench root task, peer: its partners):"
	for (fn in count)
		printf "%8d  %s\n", count[fn], fn | "sort -rn"
	close("sort -rn")
	print ""
	print "the window, as runs of instructions in one function:"
	printf "%s", path
}' "$tmp.pcs" >"$out"
[ "${PROFILE_KEEP:-0}" = 1 ] ||
    rm -rf "$tmp.pcs" "$tmp.syms" "$tmp.rdtsc" "$tmp.out" "$img"
head -n 40 "$out"
echo "bench/profile: $out"
