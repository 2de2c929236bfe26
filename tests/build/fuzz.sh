#!/bin/sh
# TAP: a bounded run of the IPC fuzzer (fuzz/, fuzz/README.md):
# VG_FUZZ_TIME seconds (default 60) from the seeds and the committed
# corpus, with a fixed seed.  A finding -- a crash, a sanitizer report, a
# broken kernel invariant, a message lost or duplicated -- fails, and its
# input is kept in $VG_BUILD/fuzz/check (rerun it with VG_FUZZ_TRACE=1 to
# see its operations).  Test 1 replays every past finding (fuzz/crashes/),
# all fixed, as regression inputs.  Test 2 runs the seeds and the corpus
# (fuzz/corpus/, a few seconds) and fails if one of them fails or if one
# of the --wrap hooks (fuzz/hooks.c) never ran: then the core calls that
# function only from its own object file, and the fuzzer is blind to it.
set -u
cd "$(dirname "$0")/../.." || exit 1
O=${VG_BUILD:-build}
TIME=${VG_FUZZ_TIME:-60}
dir="$O/fuzz/check"

echo "1..3"
rm -rf "$dir"
mkdir -p "$dir/corpus"
if ! make --no-print-directory O="$O" fuzz-build >"$dir/build.log" 2>&1; then
	echo "not ok 1 - ipc_fuzz: the fuzzer does not build"
	echo "not ok 2 - ipc_fuzz: every --wrap hook runs"
	echo "not ok 3 - ipc_fuzz: bounded run"
	tail -20 "$dir/build.log" | sed 's/^/# /'
	exit 1
fi
failed=0
for f in fuzz/crashes/*; do
	if ! "$O/fuzz/ipc_fuzz" "$f" >"$dir/replay.log" 2>&1; then
		failed=1
		echo "# past finding $f fails again:"
		grep -a -E 'FINDING|ERROR' "$dir/replay.log" | head -5 |
		    sed 's/^/#   /'
	fi
done
if [ "$failed" -eq 0 ]; then
	echo "ok 1 - ipc_fuzz: every past finding (fuzz/crashes) replays clean"
else
	echo "not ok 1 - ipc_fuzz: a past finding (fuzz/crashes) fails again"
fi
# Named one by one: libFuzzer runs each once and writes nothing.
inputs=$(find fuzz/seeds fuzz/corpus -type f 2>/dev/null | LC_ALL=C sort)
# shellcheck disable=SC2086
VG_FUZZ_HOOKS=1 "$O/fuzz/ipc_fuzz" $inputs >"$dir/hooks.log" 2>&1
report=$(awk '$1 == "ipc_fuzz:" && $2 == "hook" { print $3, $4 }' \
    "$dir/hooks.log")
never=$(echo "$report" | awk 'NF == 2 && $2 == 0 { print $1 }' | tr '\n' ' ')
ninputs=$(echo "$inputs" | grep -c .)
if [ -n "$report" ] && [ -z "$never" ]; then
	echo "ok 2 - ipc_fuzz: the seeds and the corpus ($ninputs inputs) run" \
	    "clean, every --wrap hook runs (calls:" \
	    "$(echo "$report" | tr '\n' ' ' | sed 's/ $//'))"
else
	failed=1
	echo "not ok 2 - ipc_fuzz: the seeds and the corpus run clean, every" \
	    "--wrap hook runs"
	if [ -z "$report" ]; then
		echo "# no hook report (VG_FUZZ_HOOKS=1): did an input fail?"
		grep -a -E 'FINDING|ERROR' "$dir/hooks.log" | head -5 |
		    sed 's/^/#   /'
	else
		echo "# never ran: $never-- is the function called only from"
		echo "# its own object file now, or no longer from the core?"
	fi
fi
cp fuzz/seeds/* "$dir/corpus/"
[ -d fuzz/corpus ] && cp fuzz/corpus/* "$dir/corpus/" 2>/dev/null
"$O/fuzz/ipc_fuzz" -seed=1 -max_total_time="$TIME" -max_len=4096 \
    -timeout=30 -print_final_stats=1 -artifact_prefix="$dir/" \
    "$dir/corpus" >"$dir/log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log")
if [ "$rc" -eq 0 ]; then
	echo "ok 3 - ipc_fuzz: ${runs:-?} runs, no finding (${eps:-?} exec/s)"
	exit $failed
fi
echo "not ok 3 - ipc_fuzz: finding after ${runs:-?} runs (${eps:-?} exec/s)"
grep -a -E 'FINDING|panic|ERROR|SUMMARY' "$dir/log" | head -20 |
    sed 's/^/# /'
for f in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
	[ -e "$f" ] && echo "# input: $f"
done
exit 1
