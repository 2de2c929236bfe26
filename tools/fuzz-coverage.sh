#!/bin/sh
# make fuzz-coverage: how much of the portable core the committed fuzzer
# inputs reach.
#
#   tools/fuzz-coverage.sh BINARY DIR...
#
# BINARY is ipc_fuzz built with source-based coverage of kernel/core
# (the Makefile's FUZZ_COV_BIN).  Every file in the DIRs (fuzz/seeds,
# fuzz/corpus) runs once -- named one by one, so that libFuzzer only
# executes them and never writes into a directory -- and the profiles
# are merged (llvm-profdata-14) and reported (llvm-cov-14): kernel/core's
# .c files alone, lines covered out of lines instrumented, each file and
# then the total, whose line is the last one printed:
#
#   kernel/core lines: NN.N%
#
# The profile and the full report stay in $VG_BUILD/fuzz-cov/ (for the
# lines not reached: llvm-cov-14 show BINARY -instr-profile=... FILE).
# An input that fails (a finding) fails the run.
set -eu
cd "$(dirname "$0")/.." || exit 1
O=${VG_BUILD:-build}
bin=$1
shift
out=$O/fuzz-cov
rm -rf "$out/profraw"
mkdir -p "$out/profraw"

# One process for all inputs (a few hundred file names), or a few if
# xargs splits them: %p keeps their profiles apart.
find "$@" -type f | LC_ALL=C sort >"$out/inputs"
n=$(wc -l <"$out/inputs")
if [ "$n" -eq 0 ]; then
	echo "fuzz-coverage: no inputs in $*" >&2
	exit 1
fi
if ! LLVM_PROFILE_FILE="$out/profraw/%p.profraw" \
    xargs "$bin" <"$out/inputs" >"$out/run.log" 2>&1; then
	echo "fuzz-coverage: an input fails (a finding); see $out/run.log:" >&2
	grep -a -E 'FINDING|ERROR|Running:' "$out/run.log" | tail -5 >&2
	exit 1
fi
llvm-profdata-14 merge -sparse "$out"/profraw/*.profraw \
    -o "$out/ipc_fuzz.profdata"
llvm-cov-14 report "$bin" -instr-profile="$out/ipc_fuzz.profdata" \
    >"$out/report.txt"

echo "fuzz-coverage: $n inputs ($*), line coverage of kernel/core:"
# The report's columns without region, branch or instantiation summaries
# are: file, functions, missed, executed, lines, missed, cover.
llvm-cov-14 report "$bin" -instr-profile="$out/ipc_fuzz.profdata" \
    -show-region-summary=false -show-branch-summary=false \
    -show-instantiation-summary=false |
awk '
	$1 ~ /^kernel\/core\/.*\.c$/ && NF == 7 {
		lines += $5; missed += $6
		printf "  %-36s %5d lines %5d missed %7s\n", $1, $5, $6, $7
	}
	END {
		if (lines == 0) {
			print "fuzz-coverage: no kernel/core file in the report" \
			    > "/dev/stderr"
			exit 1
		}
		printf "kernel/core lines: %.1f%%\n", \
		    100 * (lines - missed) / lines
	}'
