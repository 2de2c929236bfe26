#!/bin/sh
# TAP: the processor state vg leaves behind, read from outside the guest.
#
# Boots the checked kernel with the in-VM test programs, group ipc alone
# and made to hang ("only=ipc hang=ipc": troot never ends the machine), so
# that a user program's address space is current (troot's, which waits
# for ever while the processor halts in the kernel's idle loop) when
# QEMU's monitor (on a pair of pipes) stops the machine and prints its
# registers ("info registers") and the current page tables ("info tlb").
# Checked there, not by the kernel's own word:
#
#   CR0.PG and CR0.WP, EFER.NXE; CR4.PGE (global kernel pages), and
#   SMEP, SMAP and UMIP as QEMU_FLAGS's CPU model offers them;
#   CR4.PCIDE exactly as the boot log says ("pcid on" / "pcid off");
#   with PCID on, CR3 carries a PCID other than 0 (the kernel's own);
#   every kernel mapping (upper half) global and supervisor-only, every
#   user mapping (lower half) user and not global, so that a switch of
#   address space keeps the kernel's TLB entries and drops the user's;
#   the local APIC's and the IOAPIC's registers mapped uncached
#   (PCD|PWT) in the kernel half;
#   the interrupt controllers ("info lapic", "info pic"): the local APIC
#   enabled with spurious vector 127, its timer periodic on vector 112
#   and unmasked, stopped if the processor is halted (troot waits, so
#   the kernel is in its idle loop, which stops the timer while it
#   halts) and counting if not, LINT0 (the 8259's virtual wire) masked;
#   both 8259s remapped (bases 0x20 and 0x28) with every line masked;
#   every IOAPIC pin masked on vector 48 + its number, ISA IRQ 0's line
#   (pin 2) edge-triggered.
#
# TCG offers no PCID, so under TCG the PCID checks see it off; on a
# processor with PCID (QEMU_FLAGS with -accel kvm) they check it on.
#
# Environment: VG_BUILD (build directory, default build), QEMU and
# QEMU_FLAGS (exported by the Makefile).
root=$(cd "$(dirname "$0")/../.." && pwd)
O=${VG_BUILD:-build}
case $O in /*) ;; *) O=$(pwd)/$O ;; esac
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_FLAGS=${QEMU_FLAGS:-"-accel tcg -cpu qemu64,+smep,+smap,+umip -m 512M \
-display none -serial stdio -no-reboot \
-device isa-debug-exit,iobase=0xf4,iosize=4"}
BOOT_TIMEOUT=90

tmp=$(mktemp -d)
qemu_pid=""
trap '[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

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
check() {
	if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; fi
}
finish() {
	echo "1..$n"
	exit $failed
}

# --- build and images -------------------------------------------------------
if make --no-print-directory -s -C "$root" O="$O" kernel qemu-tests \
    >"$tmp/make.log" 2>&1; then
	ok "kernel and in-VM test programs built"
else
	not_ok "kernel and in-VM test programs built"
	sed 's/^/# /' "$tmp/make.log"
	finish
fi
mkdir "$tmp/img"
cp "$O/x86_64/vg32-checked.elf" "$tmp/img/vg32.elf"
# shellcheck source=tests/support/test_modules.sh
. "$root/tests/support/test_modules.sh"
if ! modules=$(test_modules "$root" "$O" "$tmp/img"); then
	not_ok "test program $modules is there"
	finish
fi

# --- boot, stop, ask ---------------------------------------------------------
mkfifo "$tmp/mon.in" "$tmp/mon.out"
cat "$tmp/mon.out" >"$tmp/mon.log" &
# shellcheck disable=SC2086
timeout "$BOOT_TIMEOUT" "$QEMU" $QEMU_FLAGS -monitor "pipe:$tmp/mon" \
    -kernel "$tmp/img/vg32.elf" -initrd "$modules" \
    -append "only=ipc hang=ipc" >"$tmp/serial.log" 2>&1 &
qemu_pid=$!
exec 3>"$tmp/mon.in"
started=1
i=0
while [ $i -lt $((BOOT_TIMEOUT * 5)) ]; do
	if grep -q '^# group ipc: start' "$tmp/serial.log"; then
		started=0
		break
	fi
	kill -0 "$qemu_pid" 2>/dev/null || break
	sleep 0.2
	i=$((i + 1))
done
check $started "the machine reached group ipc"
if [ $started != 0 ]; then
	tail -n 20 "$tmp/serial.log" | sed 's/^/#   /'
	finish
fi
# Let it settle: troot waits for ever, its address space the current one.
sleep 1
printf 'stop\ninfo registers\ninfo lapic\ninfo pic\ninfo tlb\n' >&3
# Quit once every answer is out, its prompt after it (one more than the
# commands): a QEMU that quits with output still buffered for a slow
# reader loses its end, info tlb's last mappings.
i=0
while [ $i -lt $((BOOT_TIMEOUT * 5)) ] &&
    [ "$(grep -o '(qemu)' "$tmp/mon.log" | wc -l)" -lt 6 ]; do
	kill -0 "$qemu_pid" 2>/dev/null || break
	sleep 0.2
	i=$((i + 1))
done
printf 'quit\n' >&3
exec 3>&-
wait "$qemu_pid"
qemu_pid=""
wait

# The monitor echoes what it is sent with line editing, and ends its
# lines with CR LF.
reg() {
	sed -n "s/.*[^A-Z]$1=\([0-9a-f]*\).*/\1/p; s/^$1=\([0-9a-f]*\).*/\1/p" \
	    "$tmp/mon.log" | head -n 1
}
bit() {
	# bit HEX N: 0 if bit N of HEX is set
	[ -n "$1" ] && [ $(( (0x$1 >> $2) & 1 )) = 1 ]
}
cr0=$(reg CR0)
cr3=$(reg CR3)
cr4=$(reg CR4)
efer=$(reg EFER)
echo "# CR0=$cr0 CR3=$cr3 CR4=$cr4 EFER=$efer"
[ -n "$cr4" ] || { not_ok "the monitor printed the registers"; finish; }

bit "$cr0" 31 && bit "$cr0" 16; check $? "CR0.PG and CR0.WP set"
bit "$efer" 11; check $? "EFER.NXE set"
bit "$cr4" 7; check $? "CR4.PGE set: the kernel's pages are global"
case $QEMU_FLAGS in
*+smep*) bit "$cr4" 20; check $? "CR4.SMEP set (the CPU offers it)" ;;
esac
case $QEMU_FLAGS in
*+smap*) bit "$cr4" 21; check $? "CR4.SMAP set (the CPU offers it)" ;;
esac
case $QEMU_FLAGS in
*+umip*) bit "$cr4" 11; check $? "CR4.UMIP set (the CPU offers it)" ;;
esac

if grep -q 'vg: tlb: .*pcid on' "$tmp/serial.log"; then
	bit "$cr4" 17; check $? "CR4.PCIDE set, as the boot log says"
	[ $(( 0x$cr3 & 0xfff )) != 0 ]
	check $? "CR3 carries the running space's PCID (not 0)"
elif grep -q 'vg: tlb: .*pcid off' "$tmp/serial.log"; then
	! bit "$cr4" 17; check $? "CR4.PCIDE clear, as the boot log says"
else
	not_ok "the boot log says whether PCID is on"
fi

# info tlb: "VADDR: PADDR FLAGS", FLAGS as XGPDACTUW with - for clear.
tr -d '\r' <"$tmp/mon.log" |
    awk '/^[0-9a-f]+: [0-9a-f]+ [-A-Z]+$/ { print $1, $3 }' >"$tmp/maps"
kernel=$(awk '$1 ~ /^ffff/' "$tmp/maps" | wc -l)
user=$(awk '$1 !~ /^ffff/' "$tmp/maps" | wc -l)
echo "# mappings: $kernel kernel, $user user"
[ "$kernel" -ge 100 ] && [ "$user" -ge 1 ]
check $? "the page tables map the kernel and a user program"
bad=$(awk '$1 ~ /^ffff/ && (substr($2, 2, 1) != "G" ||
    substr($2, 8, 1) == "U")' "$tmp/maps" | wc -l)
check "$bad" "every kernel mapping global and supervisor-only ($bad not)"
bad=$(awk '$1 !~ /^ffff/ && (substr($2, 2, 1) == "G" ||
    substr($2, 8, 1) != "U")' "$tmp/maps" | wc -l)
check "$bad" "every user mapping user and not global ($bad not)"
tr -d '\r' <"$tmp/mon.log" >"$tmp/mon.txt"
for pa in fee00000 fec00000; do
	uc=$(awk -v pa="00000000$pa" '$1 ~ /^ffff/ && $2 == pa &&
	    substr($3, 6, 2) == "CT" && substr($3, 8, 1) != "U"' \
	    "$tmp/mon.txt")
	[ -n "$uc" ]
	check $? "the registers at 0x$pa are mapped uncached (PCD|PWT) for the kernel"
done

# info lapic and info pic, in the monitor's words.
mon() {
	grep -q -- "$1" "$tmp/mon.txt"
}
mon '^SPIV.*APIC enabled.*spurious vec 127'
check $? "the local APIC is enabled, spurious interrupts on vector 127"
halted=$(reg HLT)
echo "# HLT=$halted"
if [ "$halted" = 1 ]; then
	counting='initial_count = 0 '
	how="stopped while the processor is halted (tickless idle)"
else
	counting='initial_count = [1-9]'
	how="counting while the processor runs"
fi
mon '^LVTT[[:space:]].*periodic.*(vec 112)' &&
    ! mon '^LVTT[[:space:]].*masked' &&
    mon "^Timer.*$counting"
check $? "its timer is periodic on vector 112, unmasked, $how"
mon '^LVT0.*masked'
check $? "its LINT0 (the 8259s' virtual wire) is masked"
mon '^pic0: .*imr=ff .*irq_base=20 ' && mon '^pic1: .*imr=ff .*irq_base=28 '
check $? "both 8259s remapped to 0x20 and 0x28, every line masked"
pins=$(grep -c '^  pin [0-9]' "$tmp/mon.txt")
bad=$(awk '/^  pin [0-9]/ { if ($0 !~ / masked / || $5 != "vec=" $2 + 48)
    print }' "$tmp/mon.txt" | wc -l)
[ "$pins" -ge 16 ] && [ "$bad" = 0 ]
check $? "every IOAPIC pin masked on vector 48 + pin ($pins pins, $bad not)"
mon '^  pin 2 .* edge '
check $? "pin 2 (ISA IRQ 0 by the override) is edge-triggered"
finish
