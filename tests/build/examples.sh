#!/bin/sh
# TAP: the newcomer's path works as docs/first-program.md tells it.
#
#   - the code in docs/first-program.md, docs/virtualizers.md and
#     docs/drivers.md is the code in examples/ and user/ (each block after a "<!-- file: PATH -->" line
#     is PATH, verbatim), so the tutorials cannot drift from what runs;
#   - every program folder of examples/ was built (make all) and is one
#     APP names;
#   - make run boots the demo and each example as the tutorial says, and
#     ends as it says: hello with its arguments, counter adding up, the
#     virtualizer's pages, and fault ending the run with a failure that
#     names the program, the access, the address and how far the
#     translation got -- ended by the root task, not by the timeout;
#   - an APP that names nothing is refused before QEMU starts.
#
# Environment: VG_BUILD (the build directory make test built).
root=$(cd "$(dirname "$0")/../.." && pwd)
O=${VG_BUILD:-build}
case $O in /*) ;; *) O=$(pwd)/$O ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 1

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
diag() { sed 's/^/#   /' "$1" | tail -n "${2:-40}"; }

echo "1..11"

# The blocks of doc $1 that name a file, compared with the files.
doc_matches() {
	awk -v dir="$tmp/doc" '
	/^<!-- file: .* -->$/ { f = $3; want = 1; next }
	want && /^```/ { want = 0; gsub("/", "_", f); out = dir "/" f;
	    printf "" > out; copying = 1; next }
	copying && /^```$/ { copying = 0; close(out); next }
	copying { print > out }
	' "$1"
}
for doc in docs/first-program.md docs/virtualizers.md docs/drivers.md; do
	rm -rf "$tmp/doc"
	mkdir -p "$tmp/doc"
	doc_matches "$doc"
	count=0
	bad=
	for f in $(grep -o '^<!-- file: [^ ]* -->$' "$doc" | cut -d' ' -f3); do
		count=$((count + 1))
		g=$(echo "$f" | tr / _)
		cmp -s "$f" "$tmp/doc/$g" || bad="$bad $f"
	done
	if [ "$count" -gt 0 ] && [ -z "$bad" ]; then
		ok "$doc shows $count files of the tree as they are"
	else
		not_ok "$doc shows $count files of the tree as they are"
		echo "# differ:$bad"
	fi
done

missing=
for d in examples/*/; do
	boot=$(sh tools/app.sh "$O" "$(basename "$d")" '' '')
	case $boot in error:*) missing="$missing $d: $boot" ;; esac
done
if [ -z "$missing" ]; then
	ok "every folder of examples/ is built and bootable by its name"
else
	not_ok "every folder of examples/ is built and bootable by its name"
	echo "# $missing"
fi

# run NAME MAKE-ARGUMENTS...: make run into $tmp/NAME.log, status in
# $tmp/NAME.status.
run() {
	name=$1
	shift
	make --no-print-directory -s O="$O" run "$@" >"$tmp/$name.log" 2>&1
	echo $? >"$tmp/$name.status"
}
status() { cat "$tmp/$1.status"; }
has() { grep -q -- "$2" "$tmp/$1.log"; }

run demo
if [ "$(status demo)" -eq 0 ] && has demo "^root: SUCCESS" &&
    has demo "^client: all checks passed" &&
    has demo "^rpctrace: [0-9]* invocations traced"; then
	ok "make run: the demo succeeds, its client traced"
else
	not_ok "make run: the demo succeeds, its client traced"
	diag "$tmp/demo.log"
fi

run hello APP=hello ARGS="Ada Lovelace"
if [ "$(status hello)" -eq 0 ] && has hello '^hello: hello, world!' &&
    has hello '^hello: argument 1 is "Ada"' &&
    has hello '^hello: argument 2 is "Lovelace"'; then
	ok "make run APP=hello ARGS=...: the program gets its arguments"
else
	not_ok "make run APP=hello ARGS=...: the program gets its arguments"
	diag "$tmp/hello.log"
fi

run counter APP=counter ARGS=5
if [ "$(status counter)" -eq 0 ] &&
    has counter "^counter-client: added 5: the total is 15, and the page" &&
    has counter "^counter-server: done after 7 requests; the total is 15"
then
	ok "make run APP=counter: a server and a client pass a capability"
else
	not_ok "make run APP=counter: a server and a client pass a capability"
	diag "$tmp/counter.log"
fi

run virt APP=virtualizer
if [ "$(status virt)" -eq 0 ] &&
    has virt "^virtualizer-client: both pages hold the server's text" &&
    has virt "^virtualizer-server: done; I served 2 faults"; then
	ok "make run APP=virtualizer: the tutorial's pager serves two faults"
else
	not_ok "make run APP=virtualizer: the tutorial's pager serves two faults"
	diag "$tmp/virt.log"
fi

run fault APP=fault
if [ "$(status fault)" -ne 0 ] &&
    has fault "^fault-handled: the writes went through after 2 faults" &&
    has fault '^root: FAILURE: the program "fault-crash" (thread [0-9]*) faulted: write at 0x1234, ip 0x4[0-9a-f]*: void capability (the capability translation stopped after 42 bits, 10 left)' &&
    has fault "^make run: QEMU exited with status 3" &&
    ! has fault "timed out"; then
	ok "make run APP=fault: one program handles its faults, the other ends the run, named"
else
	not_ok "make run APP=fault: one program handles its faults, the other ends the run, named"
	diag "$tmp/fault.log"
fi

# make trace APP=counter: a slice per invocation the text log shows,
# the counter's messages among them, and a flow for each message.
make --no-print-directory -s O="$O" trace APP=counter ARGS=2 \
    >"$tmp/trace.out" 2>&1
st=$?
inv=$(grep -c '^rpctrace: [0-9]* ->' "$O/trace.log" 2>/dev/null)
got=$(jq '[.traceEvents[] | select(.ph == "X" and .cat == "invocation")]
    | length' "$O/trace.json" 2>/dev/null)
adds=$(jq '[.traceEvents[] | select(.ph == "X" and .cat == "message" and
    .name == "message 0x2000")] | length' "$O/trace.json" 2>/dev/null)
flows=$(jq '[.traceEvents[] | select(.ph == "s")] | length' \
    "$O/trace.json" 2>/dev/null)
if [ "$st" -eq 0 ] && [ -n "$inv" ] && [ "$inv" -gt 0 ] &&
    [ "$got" = "$inv" ] && [ "$adds" = 2 ] && [ "${flows:-0}" -ge 8 ]; then
	ok "make trace APP=counter: $got invocations, the 2 ADDs, $flows flows"
else
	not_ok "make trace APP=counter: one slice per traced invocation"
	echo "# status $st, log $inv, slices $got, ADD messages $adds, flows $flows"
	diag "$tmp/trace.out"
fi

run nope APP=no-such-program
if [ "$(status nope)" -ne 0 ] &&
    has nope 'no program or program folder is named "no-such-program"' &&
    ! has nope "QEMU "; then
	ok "make run APP=<unknown> is refused before QEMU starts"
else
	not_ok "make run APP=<unknown> is refused before QEMU starts"
	diag "$tmp/nope.log"
fi
