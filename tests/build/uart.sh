#!/bin/sh
# TAP: the UART driver (user/uart16550) on QEMU's COM2, from the host.
#
# Boots the root task with the driver as its console driver (console=)
# and examples/echo after it, as make run APP="uart16550 echo" does, but
# with COM2 on a pipe pair this script holds: it reads everything the
# UART sends and, once echo has greeted, writes into it what a person
# would type -- a line in two pieces, a second apart, then control-D.
#
#   1  the machine ends as the root task says on success (QEMU status
#      1), after echo exited with 0 and the driver synced
#   2  transmit: echo's printf -- CONSOLE_WRITE requests on the driver's
#      messenger, the console libvg prints to, unchanged -- comes out of
#      COM2 (LF sent as CR LF), and not on the kernel's COM1
#   3  receive: the bytes fed into COM2 come back out of it, echoed, and
#      echo read them as one line: its CONSOLE_READs, waiting when the
#      bytes were not there yet, were answered as they arrived
#   4  SYNC: echo's last line, written just before it exited, was out of
#      COM2 before the machine ended
#   5  the kernel's messages and the root task's stay on COM1
#
# Environment: VG_BUILD (the build make test built), QEMU, QEMU_FLAGS.
O=${VG_BUILD:-build}
case $O in /*) ;; *) O=$(pwd)/$O ;; esac
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_FLAGS=${QEMU_FLAGS:-"-accel tcg -cpu qemu64,+smep,+smap,+umip -m 512M \
-display none -serial stdio -no-reboot \
-device isa-debug-exit,iobase=0xf4,iosize=4"}
TIMEOUT=${VG_UART_TIMEOUT:-90}
kernel=$O/x86_64/vg32-checked.elf
user=$O/user

tmp=$(mktemp -d)
reader=
trap '[ -n "$reader" ] && kill "$reader" 2>/dev/null; rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag() { echo "# $1:"; tr -d '\r' <"$2" | grep -v '\[activation\]' |
    tail -n 25 | sed 's/^/#   /'; }

echo "1..5"
for f in "$kernel" "$user/root.elf" "$user/uart16550.elf" "$user/echo.elf"; do
	[ -f "$f" ] || { echo "Bail out! $f is not built (make all)"; exit 1; }
done

# COM2: QEMU opens com2.in and com2.out read-write, so neither blocks.
mkfifo "$tmp/com2.in" "$tmp/com2.out" || exit 1
cat "$tmp/com2.out" >"$tmp/com2.log" &
reader=$!
exec 3<>"$tmp/com2.in"

# shellcheck disable=SC2086
timeout "$TIMEOUT" "$QEMU" $QEMU_FLAGS \
    -chardev pipe,id=com2,path="$tmp/com2" -serial chardev:com2 \
    -kernel "$kernel" -append "start=uart16550,echo console=uart16550" \
    -initrd "$user/root.elf root,$user/uart16550.elf uart16550 port=0x2f8 irq=3,$user/echo.elf echo" \
    >"$tmp/com1.log" 2>&1 &
qemu=$!

# Type once echo is listening: a byte before the driver has set the UART
# up is the UART's to drop.
t=0
until grep -q 'echo: type a line' "$tmp/com2.log" 2>/dev/null; do
	sleep 0.2
	t=$((t + 1))
	if [ $t -ge $((TIMEOUT * 5)) ] || ! kill -0 "$qemu" 2>/dev/null; then
		break
	fi
done
printf 'hello, ' >&3
sleep 1
printf 'uart\r' >&3
sleep 1
printf '\004' >&3
wait "$qemu"
status=$?
exec 3>&-
sleep 0.2
kill "$reader" 2>/dev/null
reader=

tr -d '\r' <"$tmp/com2.log" >"$tmp/com2.txt"
if [ "$status" -eq 1 ] &&
    grep -q 'root: echo exited with status 0' "$tmp/com1.log" &&
    grep -q 'root: the console driver has sent everything: ok' \
    "$tmp/com1.log" && grep -q 'root: SUCCESS' "$tmp/com1.log"; then
	ok "the root task ends the machine with success (QEMU status $status)"
else
	not_ok "the root task ends the machine with success (QEMU status $status)"
	diag "COM1" "$tmp/com1.log"
	diag "COM2" "$tmp/com2.log"
fi
if grep -q '^echo: type a line' "$tmp/com2.txt" &&
    grep -q "$(printf 'read\\.\r$')" "$tmp/com2.log" &&
    ! grep -q 'echo: type a line' "$tmp/com1.log"; then
	ok "echo's printf (CONSOLE_WRITE on the driver) comes out of COM2, LF as CR LF, not COM1"
else
	not_ok "echo's printf (CONSOLE_WRITE on the driver) comes out of COM2, LF as CR LF, not COM1"
	diag "COM2" "$tmp/com2.log"
fi
if grep -q '^hello, uart$' "$tmp/com2.txt" &&
    grep -q '^echo: you typed "hello, uart"$' "$tmp/com2.txt"; then
	ok "bytes fed into COM2 come back out of it, read as they arrived"
else
	not_ok "bytes fed into COM2 come back out of it, read as they arrived"
	diag "COM2" "$tmp/com2.log"
fi
if grep -q '^echo: 12 bytes read; bye\.$' "$tmp/com2.txt"; then
	ok "control-D ends echo, and its last line is out before the machine ends (SYNC)"
else
	not_ok "control-D ends echo, and its last line is out before the machine ends (SYNC)"
	diag "COM2" "$tmp/com2.log"
fi
if grep -q '^vg: power off with status 0' "$tmp/com1.log" &&
    grep -q '^root: uart16550 is the console driver' "$tmp/com1.log" &&
    ! grep -q '^root: \|^vg: ' "$tmp/com2.txt"; then
	ok "the kernel's and the root task's messages stay on COM1"
else
	not_ok "the kernel's and the root task's messages stay on COM1"
	diag "COM1" "$tmp/com1.log"
fi
exit $failed
