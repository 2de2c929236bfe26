# Sourced by the test scripts that boot make run's way (tools/app.sh)
# and read the machine's log: tests/build/pci.sh, disk.sh.
#
# Before sourcing: tmp (a scratch directory), kernel, and for app_boot
# QEMU, QEMU_FLAGS, TIMEOUT, cmdline and modules.  Gives TAP's ok and
# not_ok (counting in n, failed set to 1 by a failure), check STATUS
# NAME LOG, diag LOG, has FILE PATTERN..., and app_boot NAME FLAGS.
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
