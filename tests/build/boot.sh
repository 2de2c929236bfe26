#!/bin/sh
# TAP: the x86-64 kernel boots under QEMU (TCG).
#
#   boot 1, "-append test" with the smallest root task (tests/qemu/smoke.S)
#     as the module: QEMU exits with status 1 (isa-debug-exit 0), the log
#     has the banner (its first line "vg <version>", the version in
#     VERSION), the memory map and the root task's lines from ring 3
#     across timer interrupts, and no panic;
#   boot 2, "test test-ud2" and a module: the module is listed, and a
#     kernel-mode #UD is reported and panics (QEMU status 3), with a
#     backtrace from the trapping instruction: frame #0 is x86_start+0x..,
#     and kmain is named;
#   boot 3, "test-ud2" without "test": the panic ends the QEMU run just
#     the same, at once (status 3 well within a 20 s timeout);
#   boot 4, "test-panic": kpanic in x86_start is reported with a
#     backtrace from arch_panic's caller (frame #0 x86_start+0x.., then
#     kmain) and ends the run (status 3);
#   boots 5..10, the protection probes (kernel/arch/x86_64/protect.c):
#     "test test-smep" (the kernel calls a user page), test-smap (reads
#     one), test-wp (writes its text), test-wp-dmap (writes its text
#     through the direct map), test-nx (calls its data), test-nx-dmap
#     (calls a page of the direct map): each ends in a kernel #PF with
#     the error code that protection gives, and a panic (QEMU status 3).
#   Boot 1 also logs the protections on: with QEMU_FLAGS's CPU model,
#   SMEP, SMAP and UMIP as well as CR0.WP and EFER.NXE.
#
# Environment: VG_BUILD (build directory, default build), QEMU and
# QEMU_FLAGS (exported by the Makefile), VG_KERNEL (an image to boot
# instead of building $VG_BUILD/x86_64/vg32.elf with make).
root=$(cd "$(dirname "$0")/../.." && pwd)
O=${VG_BUILD:-build}
case $O in /*) ;; *) O=$(pwd)/$O ;; esac
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_FLAGS=${QEMU_FLAGS:-"-accel tcg -cpu qemu64,+smep,+smap,+umip -m 512M \
-display none -serial stdio -no-reboot \
-device isa-debug-exit,iobase=0xf4,iosize=4"}
NM=${NM:-nm}
BOOT_TIMEOUT=60
# A panic must end the run at once: the boots that check it wait less.
PANIC_TIMEOUT=20

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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
# check LOG DESCRIPTION PATTERN: the log has a line matching PATTERN.
check() {
	if grep -q -- "$3" "$1"; then ok "$2"; else not_ok "$2"; fi
}
diag() {
	echo "# serial log ($1):"
	sed 's/^/#   /' "$1"
}

echo "1..19"

if [ -n "$VG_KERNEL" ]; then
	kernel=$VG_KERNEL
	built=true
else
	kernel=$O/x86_64/vg32-checked.elf
	if make --no-print-directory -s -C "$root" O="$O" kernel \
	    >"$tmp/make.log" 2>&1; then
		built=true
	else
		built=false
	fi
fi
if $built && [ -s "$kernel" ]; then
	ok "kernel image built ($kernel)"
else
	not_ok "kernel image built ($kernel)"
	sed 's/^/# /' "$tmp/make.log" 2>/dev/null
	echo "Bail out! no kernel image"
	exit 1
fi
if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "Bail out! $QEMU not installed (make test installs qemu-system-x86)"
	exit 1
fi

# boot LOG CMDLINE [QEMU ARGS...]: boot the kernel, leave the serial log
# in LOG, return QEMU's status (124: timed out).
boot() {
	log=$1
	cmdline=$2
	shift 2
	# shellcheck disable=SC2086
	timeout "$BOOT_TIMEOUT" "$QEMU" $QEMU_FLAGS -kernel "$kernel" \
	    -append "$cmdline" "$@" </dev/null >"$log" 2>&1
}

# --- boot 1: the smallest root task ---------------------------------------
# tests/qemu/smoke.S: ring 3, page faults served from the capability
# space, timer preemption, the debug calls.
log=$tmp/boot1.log
smoke=$O/qemu/smoke.elf
make --no-print-directory -s -C "$root" O="$O" "$smoke" >"$tmp/make.log" 2>&1
boot "$log" "test" -initrd "$smoke"
status=$?
before=$failed
if [ "$status" -eq 1 ]; then
	ok "boot: QEMU exits with status 1 (isa-debug-exit 0)"
else
	not_ok "boot: QEMU exits with status 1 (isa-debug-exit 0): got $status"
fi
check "$log" "boot: banner" "^vg: booting"
version=$(cat "$root/VERSION")
if [ -n "$version" ] &&
    [ "$(grep -m1 '^vg' "$log" | tr -d '\r')" = "vg $version" ]; then
	ok "boot: the banner's first line is the version (vg $version)"
else
	not_ok "boot: the banner's first line is the version (vg $version)"
fi
if grep -q "^vg: memory map: [1-9]" "$log" &&
    grep -q "^vg:   ram 0x" "$log"; then
	ok "boot: memory map with RAM regions"
else
	not_ok "boot: memory map with RAM regions"
fi
if grep -q "^smoke: hello from ring 3" "$log" &&
    grep -q "^smoke: preempted by the timer and resumed" "$log"; then
	ok "boot: root task runs in ring 3 across timer interrupts"
else
	not_ok "boot: root task runs in ring 3 across timer interrupts"
fi
if grep -q "vg panic" "$log"; then
	not_ok "boot: no panic"
else
	ok "boot: no panic"
fi
if grep -q "^vg: protection: cr0.wp on, efer.nxe on, smep on, smap on, umip on" "$log" &&
    grep -q "^vg: kernel pages: text r-x, rodata r--, data rw- nx" "$log"; then
	ok "boot: logs the protections on (wp, nx, smep, smap, umip; kernel pages)"
else
	not_ok "boot: logs the protections on (wp, nx, smep, smap, umip; kernel pages)"
fi
[ "$failed" -ne "$before" ] && diag "$log"

# --- boot 2: a kernel-mode exception is reported --------------------------
log=$tmp/boot2.log
printf 'vg boot test module\n' >"$tmp/module"
boot "$log" "test test-ud2" -initrd "$tmp/module modarg"
status=$?
if [ "$status" -eq 3 ] &&
    grep -q "^vg: kernel trap: #UD invalid opcode" "$log" &&
    grep -q "vector 6 (#UD invalid opcode)" "$log" &&
    grep -q "^  rip ffffffff8" "$log" &&
    grep -q "^vg panic: kernel trap 6" "$log"; then
	ok "trap: kernel-mode #UD is reported and panics (status 3)"
else
	not_ok "trap: kernel-mode #UD is reported and panics (status $status)"
	diag "$log"
fi
if grep -q "^vg: modules: 1" "$log" &&
    grep -q "^vg:   module 0x.*/module modarg\"" "$log"; then
	ok "boot: modules are listed with their command lines"
else
	not_ok "boot: modules are listed with their command lines"
	diag "$log"
fi
# backtrace LOG: the log's backtrace starts in x86_start and names kmain.
backtrace() {
	sed -n '/^vg: backtrace:/,/^  (end: /p' "$1" >"$1.bt"
	grep -q "^  #0 ffffffff8[0-9a-f]* x86_start+0x[0-9a-f]" "$1.bt" &&
	    grep -q "^  #[1-9][0-9]* ffffffff8[0-9a-f]* kmain+0x[0-9a-f]" \
	    "$1.bt" && grep -q "^  (end: " "$1.bt"
}
what="the backtrace starts at the trap (#0 x86_start+0x..), names kmain"
if backtrace "$log"; then
	ok "trap: $what"
else
	not_ok "trap: $what"
	diag "$log"
fi

# --- boot 3: a panic ends the run in every mode --------------------------
log=$tmp/boot3.log
BOOT_TIMEOUT=$PANIC_TIMEOUT
boot "$log" "test-ud2"
status=$?
BOOT_TIMEOUT=60
what="without \"test\" too, QEMU exits at once"
if [ "$status" -eq 3 ] && grep -q "^vg panic: kernel trap 6" "$log"; then
	ok "panic: $what (status 3)"
else
	not_ok "panic: $what (status $status; 124: timed out)"
	diag "$log"
fi

# --- boot 4: kpanic's own report --------------------------------------------
log=$tmp/boot4.log
BOOT_TIMEOUT=$PANIC_TIMEOUT
boot "$log" "test-panic"
status=$?
BOOT_TIMEOUT=60
what="kpanic is reported with a backtrace from its caller"
if [ "$status" -eq 3 ] && grep -q "^vg panic: x86_start: test-panic on the \
command line (kernel/arch/x86_64/start.c:[0-9]*)" "$log" && backtrace "$log"
then
	ok "panic: $what (#0 x86_start+0x.., kmain; status 3)"
else
	not_ok "panic: $what (status $status)"
	diag "$log"
fi

# --- boots 5..10: the kernel breaks each protection and traps ------------
# probe WORD ERROR CR2 WHAT: "test test-WORD" must end in a kernel #PF
# with error code ERROR (hex) at an address matching CR2, and a panic.
probe() {
	log=$tmp/probe-$1.log
	boot "$log" "test test-$1"
	status=$?
	if [ "$status" -eq 3 ] && grep -q "^vg: probe: " "$log" &&
	    grep -q "^vg: kernel trap: #PF page fault" "$log" &&
	    grep -q "vector 14 (#PF page fault) error 0x$2 " "$log" &&
	    grep -q "^  cr2 $3 " "$log" &&
	    grep -q "^vg panic: kernel trap 14" "$log"; then
		ok "protection: $4 (kernel #PF, error 0x$2)"
	else
		not_ok "protection: $4 (status $status)"
		diag "$log"
	fi
}
probe smep 11 0000000000400000 "SMEP: the kernel cannot run a user page"
probe smap 1 0000000000400000 "SMAP: the kernel cannot read a user page"
probe wp 3 ffffffff801[0-9a-f]* "the kernel cannot write its own text (CR0.WP, r-x)"
probe wp-dmap 3 ffff8000001[0-9a-f]* \
    "nor its text through the direct map (r-- there)"
probe nx 11 ffffffff801[0-9a-f]* "the kernel cannot run its data (NX)"
probe nx-dmap 11 ffff8000[0-9a-f]* "the kernel cannot run the direct map (NX)"
exit $failed
