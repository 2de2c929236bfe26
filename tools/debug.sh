#!/bin/sh
# make debug: QEMU paused on its gdb stub, and gdb attached to it.
#
#   tools/debug.sh "GDB COMMAND" QEMU COMMAND...
#
# QEMU runs in the background with its input closed, so that its serial
# console writes to this terminal but leaves its mode and its input to
# gdb, which runs in the foreground.  gdb's connection retries until
# QEMU listens.  When gdb quits, QEMU is stopped; the status is gdb's.
gdb_cmd=$1
shift
"$@" < /dev/null &
qemu=$!
trap 'kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null' EXIT INT TERM
# shellcheck disable=SC2086 # the command is words: gdb and its options
$gdb_cmd
