#!/bin/sh
# make fuzz-vm: the in-VM fuzzer (tests/qemu/vmfuzz, troot's group
# vmfuzz), open-ended.
#
# Boots the checked kernel under QEMU with troot's vmfuzz group alone,
# on a random seed or FUZZ_SEED's, for VMFUZZ_CALLS operations (default
# 2,000,000; 0: no limit, the run ends after VMFUZZ_TIME seconds,
# default 600).  VMFUZZ_THREADS=0 keeps the fuzzer's own threads stopped,
# VMFUZZ_CHECK=1 checks its oracles after every operation (to find the
# one that broke something; slow).  The log is kept in $O/fuzz-vm/.
#
# The verdict: a kernel panic, a hang (no progress line for
# VMFUZZ_STALL seconds, default 60, or troot's own watchdog), a test
# result that failed, or a machine that reset are findings (exit status
# 1); otherwise no finding (0).  Either way it says how to run the same
# seed again.  (The seed replays the fuzzer's operations; their
# interleaving with the other programs, which the timer decides, does
# not replay exactly.)
root=$(cd "$(dirname "$0")/.." && pwd)
O=${VG_BUILD:-build}
case $O in /*) ;; *) O=$root/$O ;; esac
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_FLAGS=${QEMU_FLAGS:-"-accel tcg -m 512M -display none -serial stdio \
-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4"}
# 64 bits: those above 32 also vary the mix of operations.
seed=${FUZZ_SEED:-0x$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}
case $seed in 0x*|0X*) ;; *[!0-9]*) seed=0x$seed ;; esac
calls=${VMFUZZ_CALLS:-2000000}
threads=${VMFUZZ_THREADS:-1}
check=${VMFUZZ_CHECK:-0}
stall=${VMFUZZ_STALL:-60}
[ "$check" = 1 ] && stall=${VMFUZZ_STALL:-1200}
if [ "$calls" = 0 ]; then
	limit=${VMFUZZ_TIME:-600}
else
	# About 25,000 operations a second under TCG; room for slower
	# machines and for VMFUZZ_CHECK.
	limit=$((120 + calls / 1000))
	[ "$check" = 1 ] && limit=$((limit * 20))
fi

if ! make --no-print-directory -s -C "$root" O="$O" kernel qemu-tests \
    >"$O/fuzz-vm-make.log" 2>&1; then
	cat "$O/fuzz-vm-make.log"
	echo "make fuzz-vm: the build failed" >&2
	exit 2
fi
mkdir -p "$O/fuzz-vm"
log=$O/fuzz-vm/seed-$seed.log
modules=$(make --no-print-directory -s -C "$root" O="$O" print-test-modules)
cmdline="test only=vmfuzz vmfuzz_seed=$seed vmfuzz_calls=$calls"
cmdline="$cmdline vmfuzz_threads=$threads vmfuzz_check=$check"
again="make fuzz-vm FUZZ_SEED=$seed VMFUZZ_CALLS=$calls"
[ "$threads" = 0 ] && again="$again VMFUZZ_THREADS=0"

echo "make fuzz-vm: seed $seed, $calls operations$([ "$calls" = 0 ] &&
    echo " (no limit: $limit s)"), kernel command line \"$cmdline\""
echo "make fuzz-vm: log in $log"
start=$(date +%s)
# shellcheck disable=SC2086
"$QEMU" $QEMU_FLAGS -kernel "$O/x86_64/vg32-checked.elf" \
    -append "$cmdline" -initrd "$modules" </dev/null >"$log.raw" 2>&1 &
pid=$!
last=$start
seen=0
why=""
while kill -0 "$pid" 2>/dev/null; do
	sleep 2
	now=$(date +%s)
	n=$(grep -c '^# vmfuzz: [0-9]* operations' "$log.raw")
	if [ "$n" != "$seen" ]; then
		seen=$n
		last=$now
	fi
	if [ $((now - last)) -ge "$stall" ]; then
		why="hang: no progress for $stall s"
		kill "$pid"
		break
	fi
	if [ $((now - start)) -ge "$limit" ]; then
		[ "$calls" != 0 ] && why="hang: not done after $limit s"
		kill "$pid"
		break
	fi
done
wait "$pid"
status=$?
tr -d '\r' <"$log.raw" >"$log"
rm -f "$log.raw"
ops=$(sed -n 's/^# vmfuzz: \([0-9]*\) operations.*/\1/p' "$log" | tail -n 1)

if grep -q "vg panic" "$log"; then
	why="the kernel panicked"
elif [ -z "$why" ]; then
	case $status in
	1) ;;
	0) why="the machine reset (QEMU exited with status 0)" ;;
	3) why="a test failed" ;;
	143|137) [ "$calls" != 0 ] && why="killed" ;;
	*) why="QEMU exited with status $status" ;;
	esac
fi
grep -q "^not ok" "$log" && why=${why:-a test failed}
grep -q "it hangs" "$log" && why="hang: the fuzzer stopped (troot's watchdog)"

if [ -z "$why" ]; then
	echo "make fuzz-vm: no finding: seed $seed, ${ops:-0} operations in" \
	    "$(($(date +%s) - start)) s"
	exit 0
fi
echo "make fuzz-vm: FINDING: $why: seed $seed, ${ops:-0} operations in" \
    "$(($(date +%s) - start)) s"
grep -B 20 -A 36 "vg panic" "$log" | sed 's/^/  /'
grep -E "^not ok|^# vmfuzz" "$log" | grep -v "a line written by" |
    tail -n 40 | sed 's/^/  /'
echo "make fuzz-vm: the last lines of the log:"
tail -n 8 "$log" | cut -c 1-160 | sed 's/^/  /'
echo "make fuzz-vm: run it again with: $again"
exit 1
