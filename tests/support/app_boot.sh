# Sourced, as "$(dirname "$0")/../support/app_boot.sh", by the test
# scripts that boot make run's way (tools/app.sh) and read the machine's
# log: tests/build/pci.sh, disk.sh.
#
# Sets root (and goes there), O (VG_BUILD, absolute), QEMU, QEMU_FLAGS
# (both from the environment if set), kernel, user and tmp (a scratch
# directory, removed on exit).  Gives TAP's ok and not_ok (counting in
# n, failed set to 1 by a failure), check STATUS NAME LOG, diag LOG,
# has FILE PATTERN..., and app_boot NAME FLAGS, which also needs
# TIMEOUT, cmdline and modules.
root=$(cd "$(dirname "$0")/../.." && pwd)
O=${VG_BUILD:-build}
case $O in /*) ;; *) O=$(pwd)/$O ;; esac
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_FLAGS=${QEMU_FLAGS:-"-accel tcg -cpu qemu64,+smep,+smap,+umip -m 512M \
-display none -serial stdio -no-reboot \
-device isa-debug-exit,iobase=0xf4,iosize=4"}
kernel=$O/x86_64/vg32-checked.elf
user=$O/user
cd "$root" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
# check STATUS NAME LOG: ok if STATUS is 0, else not ok and LOG's end.
check() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; diag "$3"; fi; }
diag() { tr -d '\r' <"$1" | grep -v '\[activation\]' | tail -n 40 |
    sed 's/^/#   /'; }
# has FILE PATTERN...: every pattern (grep -E) matches a line of FILE.
has() {
	_has_f=$1
	shift
	for _has_p in "$@"; do
		grep -Eq "$_has_p" "$_has_f" ||
		    { echo "# missing: $_has_p"; return 1; }
	done
}
# app_boot NAME EXTRA-QEMU-FLAGS: a boot of $cmdline and $modules, the
# log in $tmp/NAME.log (without the root task's activation trace),
# QEMU's status in $tmp/NAME.status.
app_boot() {
	# shellcheck disable=SC2086
	timeout "$TIMEOUT" "$QEMU" $QEMU_FLAGS $2 -kernel "$kernel" \
	    -append "$cmdline" -initrd "$modules" >"$tmp/$1.raw" 2>&1
	echo $? >"$tmp/$1.status"
	tr -d '\r' <"$tmp/$1.raw" | grep -v '\[activation\]' >"$tmp/$1.log"
}
