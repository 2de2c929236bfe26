#!/bin/sh
# TAP: the in-VM tests again, with the IPC fast path off ("fastpath=off"
# on the kernel command line), so that the general path alone passes
# them too (qemu.sh runs them with it on, as it boots by default); and a
# last check that every boot did run with the fast path off.
here=$(dirname "$0")
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
VG_KEEP_LOGS="$logs/kept" \
    VG_QEMU_ARGS="fastpath=off${VG_QEMU_ARGS:+ $VG_QEMU_ARGS}" \
    sh "$here/qemu.sh" >"$logs/tap"
status=$?
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$logs/tap")
grep -v '^1\.\.' "$logs/tap"
n=$((${plan:-0} + 1))
on=$(cat "$logs"/kept/boot*.log 2>/dev/null | grep -c "^vg: ipc fast path on")
off=$(cat "$logs"/kept/boot*.log 2>/dev/null | grep -c "^vg: ipc fast path off")
if [ "$off" -gt 0 ] && [ "$on" -eq 0 ]; then
	echo "ok $n - every boot ran with the fast path off ($off boots)"
else
	echo "not ok $n - every boot ran with the fast path off" \
	    "(on: $on, off: $off)"
	status=1
fi
echo "1..$n"
exit $status
