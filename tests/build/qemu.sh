#!/bin/sh
# TAP: the in-VM tests of the x86-64 kernel.
#
# Boots the checked kernel (vg32-checked.elf: the core with its
# assertions) under QEMU (TCG) with the test root task tests/qemu/root
# (troot) and the test programs it starts (tests/qemu/*; mk/user.mk
# builds them).  troot runs groups of tests and prints TAP on the serial
# line:
#
#	# groups: ipc caps ...
#	1..N
#	# group ipc: start
#	ok 1 - ipc: ...
#	# group ipc: end
#
# and ends the machine with status 0 (all passed) or 1.  This script
# forwards those results (renumbered, with the in-VM diagnostics) and adds
# its own checks for each boot: QEMU exited with status 1, no kernel
# panic, no hang (timeout), no triple fault (with -no-reboot QEMU exits
# with status 0 on one), every result of the VM's plan reported, and
# numbered 1, 2, ... in order.
#
# The verdict is troot's alone.  Results, the plan and the group markers
# are taken only from lines that begin with them ("ok N - ", "not ok
# N - ", "1..N", "# group"), and only troot can print such a line: it
# alone holds the kernel's console and the machine's power, and the
# programs it tests print through a console of troot's that labels every
# line they write "# <program>: " (tests/qemu/root/t_console.c).  So a
# program under test can neither add a result nor end the machine (the
# isolation group checks that it cannot).
#
# A group that never ends (the kernel panicked, the machine reset or hung
# in it) is reported as failed, and the machine is booted again with the
# groups done so far and that one skipped ("skip=a,b" on the kernel
# command line), so that the later groups still run.  The plan comes
# last, since the number of boots is not known in advance.
#
# Environment: VG_BUILD (build directory, default build), QEMU and
# QEMU_FLAGS (exported by the Makefile), VG_QEMU_CLOCK (QEMU's clock
# options, default instruction counting, below), VG_QEMU_TIMEOUT (seconds per
# boot, default 90: every group takes about 10 s under TCG, the in-VM
# fuzzer half of it), VG_QEMU_BUDGET (seconds for all boots, default 240),
# VG_QEMU_ARGS (more kernel command-line words: "only=ipc,caps" runs
# those groups alone, "hang=ipc" makes group ipc hang, to test this
# script).
root=$(cd "$(dirname "$0")/../.." && pwd)
O=${VG_BUILD:-build}
case $O in /*) ;; *) O=$(pwd)/$O ;; esac
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_FLAGS=${QEMU_FLAGS:-"-accel tcg -cpu qemu64,+smep,+smap,+umip -m 512M \
-display none -serial stdio -no-reboot \
-device isa-debug-exit,iobase=0xf4,iosize=4"}
# Guest time from the instruction count (4 ns an instruction), not from
# the host's clock: the tests that bound how long a thread is kept off
# the processor (the isolation group) measure the kernel's scheduling,
# whatever else the host is running, and every run is the same.
# VG_QEMU_CLOCK= (empty) runs on the host's clock instead.
QEMU_CLOCK=${VG_QEMU_CLOCK-"-icount shift=2,align=off,sleep=off"}
BOOT_TIMEOUT=${VG_QEMU_TIMEOUT:-90}
BUDGET=${VG_QEMU_BUDGET:-240}
MAX_BOOTS=4

tmp=$(mktemp -d)
trap '[ -n "$VG_KEEP_LOGS" ] && cp -r "$tmp" "$VG_KEEP_LOGS"; rm -rf "$tmp"' EXIT

n=0
failed=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $1"
}
finish() {
	echo "1..$n"
	exit $failed
}
# tail_log LOG: the end of a serial log, as diagnostics.
tail_log() {
	echo "# the last lines of the serial log:"
	tail -n 25 "$1" | sed 's/^/#   /'
}

# --- build ---------------------------------------------------------------
if make --no-print-directory -s -C "$root" O="$O" kernel qemu-tests \
    >"$tmp/make.log" 2>&1; then
	ok "kernel and in-VM test programs built"
else
	not_ok "kernel and in-VM test programs built"
	sed 's/^/# /' "$tmp/make.log"
	finish
fi
if ! command -v "$QEMU" >/dev/null 2>&1; then
	not_ok "$QEMU is installed (make test installs qemu-system-x86)"
	finish
fi
# Boot copies, so that a rebuild of the build directory (another make
# running meanwhile) cannot change the images between boots.
mkdir "$tmp/img"
cp "$O/x86_64/vg32-checked.elf" "$tmp/img/vg32.elf"
kernel=$tmp/img/vg32.elf
# Kernel data for the isolation group to try to read: the timer's tick
# count (a .bss variable), found in the image with symbols.
kdata=$(${NM:-nm} "$O/x86_64/vg.elf" 2>/dev/null |
    awk '$3 == "x86_ticks" { print "0x" $1 }')
# shellcheck source=tests/support/test_modules.sh
. "$root/tests/support/test_modules.sh"
if ! modules=$(test_modules "$root" "$O" "$tmp/img"); then
	not_ok "test program $modules is there"
	finish
fi

# --- boots ------------------------------------------------------------------

# boots SKIP ONLY TODO: boot until every group (of ONLY, if given; except
# SKIP) has run, as described above.  With TODO (the description of a
# known kernel bug), every result is marked "# TODO <the description>":
# reported, but not counted as a failure by prove, which says
# "unexpectedly succeeded" once the bug is fixed.
boots() {
	skip=$1
	only=$2
	todo=$3
	all=""		# the groups, from the first boot
	boot=0
	while :; do
		boot=$((boot + 1))
		nboots=$((nboots + 1))
		left=$((start + BUDGET - $(date +%s)))
		t=$BOOT_TIMEOUT
		[ "$left" -lt "$t" ] && t=$left
		[ "$t" -lt 5 ] && t=5	# (timeout 0 would mean none)
		log=$tmp/boot$nboots.log
		cmdline="test${skip:+ skip=$skip}${only:+ only=$only}"
		cmdline="$cmdline${kdata:+ kdata=$kdata}"
		cmdline="$cmdline${VG_QEMU_ARGS:+ $VG_QEMU_ARGS}"
		echo "# boot $nboots: timeout $t s, kernel command line" \
		    "\"$cmdline\"${todo:+ (known bug: $todo)}"
		t0=$(date +%s)
		# shellcheck disable=SC2086
		# A second serial port, COM2, for the drivers group, and the
		# RTC on the virtual clock, as the processor's time stamp
		# counter is (QEMU's default is the host's), for its wait
		# for the RTC's periodic interrupt.
		timeout "$t" "$QEMU" $QEMU_FLAGS $QEMU_CLOCK -rtc clock=vm \
		    -serial null -kernel "$kernel" \
		    -append "$cmdline" -initrd "$modules" </dev/null \
		    >"$log.raw" 2>&1
		status=$?
		tr -d '\r' <"$log.raw" >"$log"
		echo "# boot $nboots: QEMU status $status after" \
		    "$(($(date +%s) - t0)) s"
		check_boot "$todo"
		[ -z "$rest" ] && break
		if [ -z "$current" ] && [ -z "$done_groups" ]; then
			result false "vm: groups$rest did not run (the" \
			    "machine stopped before any group)"
			break
		fi
		if [ "$boot" -ge "$MAX_BOOTS" ] ||
		    [ $((start + BUDGET - $(date +%s))) -lt 10 ]; then
			result false "vm: groups$rest did not run (no boots" \
			    "or time left)"
			break
		fi
	done
}

# result OK DESCRIPTION...: ok or not ok, marked TODO if $todo.
result() {
	r=$1
	shift
	if [ "$r" = true ]; then
		ok "$*${todo:+ # TODO $todo}"
	elif [ -n "$todo" ]; then
		n=$((n + 1))
		echo "not ok $n - $* # TODO $todo"
	else
		not_ok "$*"
	fi
}

# check_boot TODO: forward the results of $log, check the boot, and work
# out which groups are done ($skip), which one broke ($current), and
# which are left ($rest).
check_boot() {
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
	groups=$(sed -n 's/^# groups:\(.*\)$/\1/p' "$log" | head -n 1)
	[ -z "$all" ] && all=$groups
	results=0
	misnumbered=""
	current=""
	done_groups=""
	while IFS= read -r line; do
		case $line in
		"ok "[0-9]*" - "*)
			results=$((results + 1))
			number=${line#ok }
			[ "${number%% *}" = "$results" ] ||
			    misnumbered="$misnumbered ${number%% *}"
			result true "vm: ${line#ok * - }" ;;
		"not ok "[0-9]*" - "*)
			results=$((results + 1))
			number=${line#not ok }
			[ "${number%% *}" = "$results" ] ||
			    misnumbered="$misnumbered ${number%% *}"
			result false "vm: ${line#not ok * - }" ;;
		"# group "*": start"*)
			current=${line#\# group }
			current=${current%%:*}
			echo "$line" ;;
		"# group "*": end"*)
			g=${line#\# group }
			g=${g%%:*}
			done_groups="$done_groups $g"
			current=""
			echo "$line" ;;
		"#"*)
			echo "$line" ;;
		esac
	done <"$log"

	case $status in
	1) why="" ;;
	124) why="hung: no exit within $t s" ;;
	0) why="QEMU exited with status 0: a triple fault or a reset" ;;
	3) why="isa-debug-exit status 1: a test failed or the kernel panicked" ;;
	*) why="QEMU exited with status $status" ;;
	esac
	if [ -z "$why" ]; then
		result true "boot $nboots: QEMU exits with status 1 (every" \
		    "in-VM test passed)"
	else
		result false "boot $nboots: QEMU exits with status 1 ($why)"
	fi
	# The kernel's own line (a program's text is labelled "# ...").
	if grep -q "^vg panic" "$log"; then
		result false "boot $nboots: no kernel panic"
		grep -B 12 -A 36 "^vg panic" "$log" | sed 's/^/#   /'
	else
		result true "boot $nboots: no kernel panic"
	fi
	if grep -q "^vg: checked kernel: the core's assertions are on" "$log"
	then
		result true "boot $nboots: a checked kernel (the core's" \
		    "assertions on)"
	else
		result false "boot $nboots: a checked kernel (the core's" \
		    "assertions on)"
	fi
	if [ -n "$plan" ] && [ "$results" -eq "$plan" ]; then
		result true "boot $nboots: the VM reported all $plan results" \
		    "of its plan"
	else
		result false "boot $nboots: the VM reported all ${plan:-?}" \
		    "results of its plan (got $results)"
	fi
	if [ -z "$misnumbered" ]; then
		result true "boot $nboots: the VM's results are numbered 1," \
		    "2, ... in order"
	else
		result false "boot $nboots: the VM's results are numbered 1," \
		    "2, ... in order (out of place:$misnumbered)"
	fi
	[ "$status" -ne 1 ] && tail_log "$log"

	# A group that started and never ended: failed; skip it next time.
	if [ -n "$current" ]; then
		result false "vm: group $current did not finish" \
		    "(${why:-the machine stopped})"
	fi
	for g in $done_groups $current; do
		skip="$skip${skip:+,}$g"
	done
	rest=""
	for g in $all; do
		case ",$skip," in
		*",$g,"*) ;;
		*) rest="$rest $g" ;;
		esac
	done
}

# Groups that find kernel bugs not fixed yet, and the bug: a group here
# runs in boots of its own, after the others (so that a kernel it crashes
# does not take the other groups with it), and its results are TODO.
# For example, before commit 43a8fad:
#	KNOWN_BUGS="sysflags"
#	sysflags) echo "kernel bug: a system call with RFLAGS.NT set ..." ;;
KNOWN_BUGS=""
known_bug() {
	case $1 in
	*) echo "known kernel bug" ;;
	esac
}

start=$(date +%s)
nboots=0
known=$(printf '%s' "$KNOWN_BUGS" | tr ' ' ',')
boots "$known" "" ""
for g in $KNOWN_BUGS; do
	case " $VG_QEMU_ARGS " in
	*" only="*|*" skip="*) continue ;;	# the caller chose
	esac
	boots "" "$g" "$(known_bug "$g")"
done
echo "# $nboots boot(s), $(($(date +%s) - start)) s"
finish
