#!/bin/sh
# TAP: debugging the kernel at source level (docs/debugging.md).
#
#   1. make debug with a batch gdb script (tests/gdb/debug.gdb) ends by
#      itself with gdb's status 0, and stops QEMU;
#   2. gdb stopped in the portable core with its source: the backtrace
#      names activation_post in kernel/core/activation.c;
#   3. the pretty-printers: a messenger prints as "messenger #OID id ...",
#      a capability as "{thread #OID vVERSION}", a thread as "thread #OID
#      <state>, priority ...";
#   4. vg-threads and vg-messengers list what storage holds (at least
#      two threads, one marked current, and the messenger at the
#      breakpoint);
#   5. vg-walk finds the current thread's first code page (an rpage with
#      the execute right) and reports a page it does not have as void;
#   6. the debug information changes no code: every file of the
#      freestanding core compiled with the kernel's flags, with and
#      without -g, disassembles the same, relocations included.
#
# Environment: VG_BUILD (build directory, default build).
cd "$(dirname "$0")/../.." || exit 1
O=${VG_BUILD:-build}

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
# check DESCRIPTION PATTERN: gdb's output has a line matching PATTERN.
check() {
	if grep -Eq -- "$2" "$tmp/out"; then ok "$1"; else not_ok "$1"; fi
}

echo "1..10"

# A port of its own, so that a make debug someone runs meanwhile is not
# disturbed.
port=$((26000 + $$ % 4000))
status=0
timeout 300 make --no-print-directory -s O="$O" debug \
    GDB_SCRIPT=tests/gdb/debug.gdb GDBPORT=$port >"$tmp/out" 2>&1 ||
	status=$?
if [ "$status" = 0 ]; then
	ok "make debug with a batch script ends with status 0"
else
	not_ok "make debug with a batch script ends with status 0 (got $status)"
	sed 's/^/#   /' "$tmp/out"
fi
# QEMU's command line names the port ([t]: not this grep's own).
left=$(grep -l "[t]cp:localhost:$port" /proc/[0-9]*/cmdline 2>/dev/null)
if [ -n "$left" ]; then
	not_ok "QEMU is stopped when gdb quits"
	for f in $left; do
		pid=${f#/proc/}
		kill "${pid%/cmdline}" 2>/dev/null
	done
else
	ok "QEMU is stopped when gdb quits"
fi
check "the backtrace is at source level in the core" \
    '^#0 .*activation_post .* at kernel/core/activation\.c:[0-9]+'
check "a messenger through the pretty-printer" \
    '^\$[0-9]+ = messenger #[0-9]+ id 0x[0-9a-f]+'
check "a capability through the pretty-printer" \
    '^\$[0-9]+ = \{thread #[0-9]+ v[0-9]+\}$'
check "a thread through the pretty-printer" \
    '^\$[0-9]+ = thread #[0-9]+ (runnable|suspended|stopped|faulted), priority'
if grep -Eq '^\*  [0-9]+ ' "$tmp/out" &&
    grep -Eq '^[0-9]+ threads$' "$tmp/out" &&
    [ "$(sed -n 's/^\([0-9]*\) threads$/\1/p' "$tmp/out")" -ge 2 ] &&
    m=$(sed -n 's/^\$[0-9]* = messenger #\([0-9]*\) .*/\1/p' "$tmp/out") &&
    [ -n "$m" ] && grep -Eq "^$m +0x" "$tmp/out" &&
    grep -Eq '^[0-9]+ messengers$' "$tmp/out"; then
	ok "vg-threads and vg-messengers list storage"
else
	not_ok "vg-threads and vg-messengers list storage"
fi
check "vg-walk finds the first code page" '^  => found: rpage$'
check "vg-walk reports a missing page as void" \
    '^  => void capability, [0-9]+ bits remain$'

# 6: the freestanding flags, as the Makefile has them.
flags=$(printf 'print-flags:\n\t@echo $(FREESTANDING_CFLAGS)\n' |
    make --no-print-directory -s -f Makefile -f - O="$O" print-flags)
nodebug=$(printf '%s\n' $flags | grep -vx -- -g | tr '\n' ' ')
same=true
for src in kernel/core/*.c kernel/lib/*.c; do
	# shellcheck disable=SC2086 # flags are words
	cc $flags -c "$src" -o "$tmp/g.o" &&
	    cc $nodebug -c "$src" -o "$tmp/n.o" || { same=false; break; }
	objdump -dr "$tmp/g.o" | tail -n +4 >"$tmp/g.dis"
	objdump -dr "$tmp/n.o" | tail -n +4 >"$tmp/n.dis"
	if ! cmp -s "$tmp/g.dis" "$tmp/n.dis"; then
		echo "# $src: code differs with -g"
		same=false
	fi
done
case $flags in *" -g "*) ;; *) same=false; echo "# no -g in the flags" ;; esac
if $same; then
	ok "-g changes no code in the freestanding core"
else
	not_ok "-g changes no code in the freestanding core"
fi
exit $failed
