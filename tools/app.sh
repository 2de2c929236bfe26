#!/bin/sh
# What the root task boots for `make run APP=...` (mk/run.mk): prints
#   <QEMU -initrd list>|<kernel command line words>
# or "error: ..." and exits 1.
#
#   tools/app.sh BUILD APP ARGS TRACE
#
# APP is a list of programs and program folders (user/<name>, examples/<name>):
# a folder stands for its programs, in the order of its file "boot" (one
# program per line, by sub-folder or program name, then its arguments;
# '#' starts a comment), else in name order.  ARGS goes to every program
# whose boot line gives none.  A boot line "console <program> ..." makes
# that program the console driver (user/uart16550/boot): the root task
# gives it the device its arguments name, and the programs after it its
# console.  A boot line "devices <program> ..." makes that program the
# device manager (user/pci/boot): the root task gives it the device
# controls.  A boot line "daemon <program> ..." makes that program a
# server that runs to the end (user/virtio-blk): the root task does not
# wait for it to exit.  TRACE lists programs (or "all", or "last": the last one
# started) that the root task starts under rpctrace.  The root task is
# told the order with start=, the console driver with console=, the
# device manager with devices=, the daemons with daemons=, the
# traced ones with trace= and the tracer with tracer=.
set -u
build=$1 app=$2 args=$3 trace=$4
user=$build/user

fail() { echo "error: $*"; exit 1; }

# The programs of folder $1 with their boot lines, one per line.
folder_programs() {
	d=$1 base=$(basename "$1")
	if [ -f "$d/boot" ]; then
		sed -e 's/#.*//' -e 's/^[ 	]*//' -e 's/[ 	]*$//' "$d/boot" |
		    grep -v '^$' | while read -r p rest; do
			if [ -f "$user/$base-$p.elf" ]; then
				echo "$base-$p $rest"
			else
				echo "$p $rest"
			fi
		done
	elif ls "$d"/*.c >/dev/null 2>&1; then
		echo "$base"
	else
		for s in "$d"/*/; do
			ls "$s"*.c >/dev/null 2>&1 &&
			    echo "$base-$(basename "$s")"
		done
	fi
}

lines=
for w in $app; do
	if [ -d "examples/$w" ]; then
		l=$(folder_programs "examples/$w")
	elif [ -d "user/$w" ]; then
		l=$(folder_programs "user/$w")
	elif [ -f "$user/$w.elf" ]; then
		l=$w
	else
		fail "APP: no program or program folder is named \"$w\"" \
		    "(see examples/ and user/)"
	fi
	[ -n "$l" ] || fail "APP: \"$w\" holds no program"
	lines="$lines$l
"
done
[ -n "$lines" ] || fail "APP is empty"

modules="$user/root.elf root"
start=
console=
devices=
daemons=
names=
nl='
'
IFS_SAVE=$IFS
IFS=$nl
for line in $lines; do
	IFS=$IFS_SAVE
	set -f
	# shellcheck disable=SC2086
	set -- $line
	set +f
	if [ "$1" = console ] && [ $# -gt 1 ]; then
		shift
		[ -z "$console" ] || fail "two console drivers: $console and $1"
		console=$1
	elif [ "$1" = devices ] && [ $# -gt 1 ]; then
		shift
		[ -z "$devices" ] || fail "two device managers: $devices and $1"
		devices=$1
	elif [ "$1" = daemon ] && [ $# -gt 1 ]; then
		shift
		daemons="$daemons${daemons:+,}$1"
	fi
	p=$1
	shift
	a=$*
	[ -n "$a" ] || a=$args
	[ -f "$user/$p.elf" ] || fail "no program \"$p\" was built" \
	    "($user/$p.elf)"
	case " $names " in *" $p "*) fail "\"$p\" is named twice" ;; esac
	case "$a" in *,*|*'|'*) fail "arguments of $p: no ',' or '|'" ;; esac
	names="$names $p"
	modules="$modules,$user/$p.elf $p${a:+ $a}"
	start="$start${start:+,}$p"
	IFS=$nl
done
IFS=$IFS_SAVE

cmdline="start=$start${console:+ console=$console}${devices:+ devices=$devices}${daemons:+ daemons=$daemons}"
if [ -n "$trace" ]; then
	[ "$trace" = all ] && trace=$names
	[ "$trace" = last ] && trace=${names##* }
	t=
	for p in $trace; do
		case " $names " in
		*" $p "*) t="$t${t:+,}$p" ;;
		*) fail "TRACE: \"$p\" is not one of the programs started:$names" ;;
		esac
	done
	modules="$modules,$user/rpctrace.elf rpctrace"
	cmdline="$cmdline tracer=rpctrace trace=$t"
fi
echo "$modules|$cmdline"
