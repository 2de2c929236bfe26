#!/bin/sh
# vg's benchmark numbers beside Linux's.
#
#   bench/report.sh VG.txt LINUX.txt OUTDIR
#
# Each input holds lines
#
#	BENCH <system> <metric> [param=<k>] median=<n> min=<n> max=<n> iters=<n>
#
# (others, such as "BENCH linux done", are ignored; the system is read
# from the line, not from which file it is in).  Writes OUTDIR/bench.csv,
# OUTDIR/bench.md and, with gnuplot, OUTDIR/roundtrip.png (vg's round trip
# against each Linux round trip) and OUTDIR/<system>_<metric>.png for every
# metric measured at several params (vg_queue_per_msg.png, ...).  A
# metric missing from an input only drops the rows and plots that need it.
set -eu

[ $# -eq 3 ] || { echo "usage: $0 VG.txt LINUX.txt OUTDIR" >&2; exit 2; }
for f in "$1" "$2"; do
	[ -r "$f" ] || { echo "bench/report: cannot read $f" >&2; exit 1; }
done
root=$(cd "$(dirname "$0")/.." && pwd)
out=$3
mkdir -p "$out"
# A stale chart would outlive a metric now missing.
rm -f "$out/roundtrip.png"
"$root/tools/deps.sh" gnuplot-nox

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One awk pass: the CSV, the markdown, and a .dat file per plot in $tmp.
tr -d '\r' <"$1" >"$tmp/in"
tr -d '\r' <"$2" >>"$tmp/in"
awk -v csv="$out/bench.csv" -v md="$out/bench.md" -v tmp="$tmp" '
# 1234567 -> 1,234,567
function commas(n,    s, r) {
	s = n ""
	r = ""
	while (length(s) > 3) {
		r = "," substr(s, length(s) - 2) r
		s = substr(s, 1, length(s) - 3)
	}
	return s r
}
function name(sys) { return sys == "vg" ? "vg" : sys == "linux" ? "Linux" : sys }
function table(sys,    i, k) {
	print "| metric | param | median | min | max | iters |" > md
	print "| --- | ---: | ---: | ---: | ---: | ---: |" > md
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]
		if (ksys[k] != sys)
			continue
		printf "| %s | %s | %s | %s | %s | %s |\n", kmetric[k],
		    kparam[k], commas(med[k]), commas(mn[k]), commas(mx[k]),
		    it[k] > md
	}
	print "" > md
}
$1 == "BENCH" && NF >= 4 {
	sys = $2; metric = $3
	param = ""; m = ""; lo = ""; hi = ""; n = ""
	for (i = 4; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "param") param = kv[2]
		else if (kv[1] == "median") m = kv[2]
		else if (kv[1] == "min") lo = kv[2]
		else if (kv[1] == "max") hi = kv[2]
		else if (kv[1] == "iters") n = kv[2]
	}
	if (m !~ /^[0-9]+$/)
		next
	k = sys SUBSEP metric SUBSEP param
	if (!(k in med)) {
		keys[++nkeys] = k
		ksys[k] = sys; kmetric[k] = metric; kparam[k] = param
		systems[sys] = 1
		if (param != "")
			nparams[sys SUBSEP metric]++
	}
	med[k] = m; mn[k] = lo; mx[k] = hi; it[k] = n
}
END {
	print "system,metric,param,median,min,max,iters" > csv
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]
		print ksys[k] "," kmetric[k] "," kparam[k] "," med[k] "," \
		    mn[k] "," mx[k] "," it[k] > csv
	}

	print "# vg against Linux" > md
	print "" > md
	print "Guest instructions (rdtsc under QEMU -icount shift=0), the" \
	    " median of each iteration timed on its own." > md
	print "" > md
	if ("vg" in systems) {
		print "## vg" > md
		print "" > md
		table("vg")
	}
	if ("linux" in systems) {
		print "## Linux" > md
		print "" > md
		table("linux")
	}

	# Each Linux metric against the vg metric of the same name, or
	# vg'"'"'s round trip for a Linux round trip.
	vrt = "vg" SUBSEP "roundtrip" SUBSEP ""
	rows = 0
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]
		if (ksys[k] != "linux" || kparam[k] != "")
			continue
		v = "vg" SUBSEP kmetric[k] SUBSEP ""
		if (!(v in med) && kmetric[k] ~ /_rtt$/)
			v = vrt
		if (!(v in med) || med[v] == 0)
			continue
		if (!rows++) {
			print "## Side by side" > md
			print "" > md
			print "| vg | median | Linux | median | Linux / vg |" > md
			print "| --- | ---: | --- | ---: | ---: |" > md
		}
		label = kmetric[k]
		sub(/_rtt$/, " round trip", label)
		gsub(/_/, " ", label)
		vlabel = v == vrt ? "round trip" : label
		printf "| vg %s | %s | Linux %s | %s | %.1fx |\n", vlabel,
		    commas(med[v]), label, commas(med[k]),
		    med[k] / med[v] > md
	}
	if (rows)
		print "" > md

	# The round trips, for the bar chart: "label" median system-index.
	nbars = 0
	if (vrt in med) {
		print "\"vg\"", med[vrt], 1 > (tmp "/roundtrip.dat")
		nbars++
	}
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]
		if (ksys[k] != "linux" || kparam[k] != "" ||
		    kmetric[k] !~ /_rtt$/)
			continue
		label = kmetric[k]
		sub(/_rtt$/, "", label)
		print "\"Linux " label "\"", med[k], 2 > (tmp "/roundtrip.dat")
		nbars++
	}
	if (nbars) {
		close(tmp "/roundtrip.dat")
		print "![round trips](roundtrip.png)" > md
		print "" > md
	}

	# Series: one .dat per system and metric with params, "x median min".
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]
		s = ksys[k] SUBSEP kmetric[k]
		if (kparam[k] == "" || nparams[s] < 2)
			continue
		f = tmp "/series." ksys[k] "." kmetric[k] ".dat"
		print kparam[k], med[k], mn[k] > f
		if (!(s in plotted)) {
			plotted[s] = 1
			print ksys[k], kmetric[k] > (tmp "/series.list")
			print "![" ksys[k] " " kmetric[k] "](" ksys[k] "_" \
			    kmetric[k] ".png)" > md
			print "" > md
		}
	}
}' "$tmp/in"

font='font "DejaVu Sans,10"'
if [ -s "$tmp/roundtrip.dat" ]; then
	gnuplot <<EOF
set terminal pngcairo noenhanced size 900,540 $font
set output "$out/roundtrip.png"
set title "IPC round trip (guest instructions, median; log scale)"
set logscale y
set yrange [10:*]
set ylabel "instructions"
set grid ytics
set style fill solid 0.8 border -1
set boxwidth 0.6
set xtics nomirror
unset key
plot "$tmp/roundtrip.dat" using 0:2:(\$3 == 1 ? 0x2e8b57 : 0x4169e1):xtic(1) \
	with boxes lc rgb variable, \
     "" using 0:2:(sprintf("%d", \$2)) with labels offset 0,0.8
EOF
fi

if [ -s "$tmp/series.list" ]; then
	while read -r sys metric; do
		xscale=""
		case $metric in
		queue_*)
			# 1, 10, 100, 1,000: evenly spaced on a log axis.
			xl="queue length (log scale)"
			xscale="set logscale x 10"
			;;
		translate_depth) xl="depth" ;;
		*) xl="param" ;;
		esac
		dat="$tmp/series.$sys.$metric.dat"
		sort -n -o "$dat" "$dat"
		gnuplot <<EOF
set terminal pngcairo noenhanced size 800,500 $font
set output "$out/${sys}_$metric.png"
set title "$sys $metric (guest instructions)"
set xlabel "$xl"
$xscale
set ylabel "instructions"
set grid
set key below
set yrange [0:*]
set offsets graph 0.03, graph 0.03, graph 0.08, 0
plot "$dat" using 1:2 with linespoints pt 7 title "median", \
     "" using 1:3 with lines dt 2 title "min"
EOF
	done <"$tmp/series.list"
fi

echo "bench/report: $out/bench.md, $out/bench.csv$(cd "$out" &&
    for p in *.png; do [ -e "$p" ] && printf ', %s' "$p"; done)"
