#!/bin/sh
# TAP: make trace -- the demo booted as make run boots it, its client
# under rpctrace, and the Chrome trace tools/trace2json makes of the log
# (docs/virtualizers.md, "Traces to look at").  Into VG_BUILD, as
# make trace does: $VG_BUILD/trace.log and $VG_BUILD/trace.json.
#
#   - make trace succeeds (QEMU status 1: the demo passed);
#   - jq parses trace.json;
#   - every event has the fields its phase needs in the trace event
#     format (M: process_name or thread_name with args.name; X: ts, dur,
#     cat, args; s and f: id, ts, cat, and "bp":"e" on f), and no other
#     phase appears;
#   - every track that has events is named (thread_name, and
#     process_name for its pid);
#   - flows pair up: each id has one "s" and one "f", of the same name
#     and cat, the f not before the s, at least one (the demo's client
#     sends to its server), and each end lies inside a slice of its
#     track whose invocation is the flow's (id = 2 seq, 2 seq + 1);
#   - the slices match the text log: one invocation slice per
#     "rpctrace: N <type> [<address>] ..." line, with the same seq,
#     target, method name and result (from the "N -> result" line), in
#     the same order; and one server slice per message to a server.
#
# Environment: VG_BUILD (build directory, default build); jq (make test
# installs it).
root=$(cd "$(dirname "$0")/../.." && pwd)
O=${VG_BUILD:-build}
case $O in /*) ;; *) O=$(pwd)/$O ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}
not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $*"
}
finish() {
	echo "1..$n"
	exit $failed
}
# show FILE: as TAP comments.
show() {
	sed 's/^/#   /' "$1"
}

if ! command -v jq >/dev/null 2>&1; then
	echo "Bail out! jq is not installed (make test installs jq)"
	exit 1
fi

log=$O/trace.log
json=$O/trace.json
rm -f "$log" "$json"
if make --no-print-directory -s -C "$root" O="$O" trace \
    >"$tmp/make.log" 2>&1; then
	ok "make trace boots the demo with its client under rpctrace, and" \
	    "the demo succeeds"
else
	not_ok "make trace boots the demo with its client under rpctrace," \
	    "and the demo succeeds"
	show "$tmp/make.log"
	[ -f "$log" ] && show "$log"
fi
if [ ! -s "$json" ]; then
	not_ok "make trace wrote $json"
	finish
fi

if jq -e '.traceEvents | type == "array"' "$json" >/dev/null \
    2>"$tmp/jq.err"; then
	ok "trace.json parses as JSON, with a traceEvents array"
else
	not_ok "trace.json parses as JSON, with a traceEvents array"
	show "$tmp/jq.err"
	finish
fi

# jq -e PROGRAM over the trace: ok if it prints nothing, else not ok
# and the offending events as comments.
none() {
	jq -c "$2" "$json" >"$tmp/bad" 2>&1
	if [ ! -s "$tmp/bad" ]; then
		ok "$1"
	else
		not_ok "$1"
		head -n 20 "$tmp/bad" | sed 's/^/#   /'
	fi
}

none "every event has the fields its phase requires, and no other phase" \
    'def num: type == "number"; def str: type == "string";
    .traceEvents[] | select(
	(.ph | str | not) or (.name | str | not) or
	(.pid | num | not) or (.tid | num | not) or
	(if .ph == "M" then
		(.name == "process_name" or .name == "thread_name" | not) or
		(.args.name | str | not)
	elif .ph == "X" then
		(.ts | num | not) or (.dur | num | not) or .ts < 0 or
		.dur < 0 or (.cat | str | not) or
		(.args | type == "object" | not)
	elif .ph == "s" or .ph == "f" then
		(.id | num | not) or (.ts | num | not) or
		(.cat | str | not) or (.ph == "f" and .bp != "e")
	else true end))'

none "every track with events has a thread_name, its pid a process_name" \
    '.traceEvents as $e |
    ([$e[] | select(.ph == "M" and .name == "thread_name") |
	"\(.pid)/\(.tid)"]) as $threads |
    ([$e[] | select(.ph == "M" and .name == "process_name") | .pid])
	as $procs |
    $e[] | select(.ph != "M") | "\(.pid)/\(.tid)" as $k | .pid as $p |
    select((any($threads[]; . == $k) | not) or
	(any($procs[]; . == $p) | not))'

flows=$(jq '[.traceEvents[] | select(.ph == "s")] | length' "$json")
none "flows pair up: each id has one s and one f, same name and cat, \
the f not before the s ($flows flows)" \
    '[.traceEvents[] | select(.ph == "s" or .ph == "f")] |
    group_by(.id)[] |
    select(length != 2 or (map(.ph) | sort) != ["f", "s"] or
	(map(.name) | unique | length) != 1 or
	(map(.cat) | unique | length) != 1 or
	((map(select(.ph == "s")) | .[0].ts) >
	 (map(select(.ph == "f")) | .[0].ts)))'

if [ "$flows" -gt 0 ] 2>/dev/null; then
	ok "the trace has flows: the client's messages to its server"
else
	not_ok "the trace has flows: the client's messages to its server"
fi

# Each flow end inside a slice of its own track, the innermost one being
# the flow's invocation.
none "each flow end lies inside a slice of its track, of its invocation" \
    '[.traceEvents[] | select(.ph == "X")] as $x |
    .traceEvents[] | select(.ph == "s" or .ph == "f") | . as $p |
    ([$x[] | select(.pid == $p.pid and .tid == $p.tid and
	.ts <= $p.ts and $p.ts <= .ts + .dur)] | sort_by(.dur) | .[0])
	as $in |
    select($in == null or $in.args.seq != (($p.id / 2) | floor))'

# The text log against the slices: seq, target, method, result.
tr -d '\r' <"$log" >"$tmp/log"
sed -n 's/^rpctrace: \([0-9][0-9]*\) -> \(.*\)$/\1	\2/p' "$tmp/log" |
    sed 's/ (.*//; s/ caps \[.*//' >"$tmp/results"
sed -n 's/^rpctrace: \([0-9][0-9]*\) \([a-z_]*\) \[\([^]]*\)\] \(.*\)$/\1	\2 [\3]	\4/p' \
    "$tmp/log" | sed 's/(.*//; s/ *$//' >"$tmp/calls"
awk -F '	' 'NR == FNR { r[$1] = $2; next }
    { print $1 "\t" $2 "\t" $3 "\t" ($1 in r ? r[$1] : "") }' \
    "$tmp/results" "$tmp/calls" >"$tmp/text"
jq -r '.traceEvents[] | select(.ph == "X" and .cat == "invocation") |
    [.args.seq, .args.target, .name, (.args.result // "")] | @tsv' \
    "$json" >"$tmp/slices"
calls=$(wc -l <"$tmp/text")
if [ "$calls" -gt 0 ] && diff "$tmp/text" "$tmp/slices" >"$tmp/diff"; then
	ok "one invocation slice per traced invocation of the text log," \
	    "same seq, target, method and result, same order ($calls)"
else
	not_ok "one invocation slice per traced invocation of the text" \
	    "log, same seq, target, method and result, same order" \
	    "($calls in the text)"
	show "$tmp/diff"
fi

messages=$(grep -c '^[0-9]*	rmessenger ' "$tmp/text")
served=$(jq '[.traceEvents[] | select(.ph == "X" and .cat == "message")] |
    length' "$json")
if [ "$messages" -gt 0 ] && [ "$messages" = "$served" ] &&
    jq -e '[.traceEvents[] | select(.ph == "X")] |
    (map(select(.cat == "invocation")) | map("\(.pid)/\(.tid)")) as $c |
    map(select(.cat == "message") | "\(.pid)/\(.tid)") |
    all(. as $t | any($c[]; . == $t) | not)' "$json" >/dev/null; then
	ok "one slice on a server track, not the caller's, per message to" \
	    "a server ($messages)"
else
	not_ok "one slice on a server track, not the caller's, per message" \
	    "to a server ($messages in the text, $served slices)"
fi

finish
