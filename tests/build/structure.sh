#!/bin/sh
# TAP: the source tree keeps the structure docs/architecture.md describes.
#
#  - the portable core's modules depend on each other in exactly one
#    circle, the inherent one (docs/architecture.md, "Modules"); libvg's
#    in at most one;
#  - the source map of docs/architecture.md names every source file under
#    kernel/, lib/ and user/, and nothing that is not there;
#  - nothing cites a document outside the repository, and every document
#    the sources cite is in docs/.
cd "$(dirname "$0")/../.." || exit 1
n=0
fails=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	fails=$((fails + 1))
	echo "not ok $n - $1"
}
# Lines of $2 as TAP diagnostics.
diag() {
	printf '%s\n' "$1" | sed '/^$/d; s/^/#   /'
}

echo "1..7"

# 1. The core's one circle: a request is a send, an invocation a message.
core=$(tools/depgraph.pl include kernel/core/*.c kernel/core/api/*.c \
    kernel/include/*.h)
if [ "$core" = "continuation invoke messenger" ]; then
	ok "kernel/core: one dependency circle, messenger -> continuation/invoke -> messenger"
else
	not_ok "kernel/core: one dependency circle, messenger -> continuation/invoke -> messenger"
	diag "$(tools/depgraph.pl -v include kernel/core/*.c \
	    kernel/core/api/*.c kernel/include/*.h)"
fi

# 2. libvg: at most the activation <-> call circle.
libvg=$(find lib/vg -name '*.[ch]' | sort)
circles=$(tools/depgraph.pl include $libvg | grep -c .)
if [ "$circles" -le 1 ]; then
	ok "lib/vg: at most one dependency circle ($circles)"
else
	not_ok "lib/vg: at most one dependency circle ($circles)"
	diag "$(tools/depgraph.pl -v include $libvg)"
fi

# 3 and 4. The source map: the code block under "## Source map".  A line
# at column 0 ending in "/" (a first word, that is) opens a directory;
# indented entries name files in it ("a.h, a.c"), column-0 entries whole
# paths.
listed=$(awk '
	/^## Source map/ { inmap = 1; next }
	inmap && /^```/ { if (++fence == 2) exit; next }
	!inmap || fence != 1 { next }
	/^[^ ]/ {
		split($0, w, "  ")
		if (w[1] ~ /\/$/) { dir = w[1]; next }
		sub(/[ ]+$/, "", w[1])
		print w[1]
		next
	}
	/^  [^ ]/ {
		line = substr($0, 3)
		split(line, w, "  ")
		n = split(w[1], names, ", ")
		for (i = 1; i <= n; i++)
			if (names[i] !~ /\.\.\./)
				print dir names[i]
	}' docs/architecture.md | sort -u)
sources=$(find kernel lib user -type f \( -name '*.c' -o -name '*.h' \
    -o -name '*.S' -o -name '*.ld' -o -name '*.mk' \) | sort)
missing=$(printf '%s\n' "$sources" | while read -r f; do
	printf '%s\n' "$listed" | grep -qxF "$f" || echo "$f"
done)
if [ -z "$missing" ]; then
	ok "docs/architecture.md's source map names every source file under kernel/, lib/, user/"
else
	not_ok "docs/architecture.md's source map names every source file under kernel/, lib/, user/"
	diag "not in the map: $(echo $missing)"
fi
stale=$(printf '%s\n' "$listed" | while read -r f; do
	[ -e "$f" ] || echo "$f"
done)
if [ -z "$stale" ]; then
	ok "every path in the source map exists"
else
	not_ok "every path in the source map exists"
	diag "no such file: $(echo $stale)"
fi

# 5. Nothing points outside the repository.  (The patterns are split so
# that this file does not match itself.)
tree=$(find . -path ./.git -prune -o -path './build*' -prune -o -type f \
    \( -name '*.[chS]' -o -name '*.md' -o -name '*.sh' -o -name '*.py' \
    -o -name '*.pl' -o -name '*.mk' -o -name '*.ld' -o -name Makefile \
    -o -name run \) -print | sort)
outside=$(grep -nE 'DESIGN[.]md|STYLE[.]md|[.][.]/shared|[Ii]ssue #[0-9]' \
    $tree 2>/dev/null)
if [ -z "$outside" ]; then
	ok "no file cites a document or an issue outside the repository"
else
	not_ok "no file cites a document or an issue outside the repository"
	diag "$outside"
fi

# 6. Every docs/*.md the tree cites exists.
cited=$(grep -ohE 'docs/[A-Za-z0-9_-]+[.]md' $tree | sort -u)
absent=$(for d in $cited; do [ -e "$d" ] || echo "$d"; done)
if [ -z "$absent" ]; then
	ok "every document the tree cites is in docs/ ($(echo $cited | wc -w) cited)"
else
	not_ok "every document the tree cites is in docs/"
	diag "missing: $(echo $absent)"
fi

# 7. Every section of docs/design.md the tree cites ("design.md §N")
# exists: its headings are "## N. Title".
sections=$(grep -ohE 'design[.]md[^§]{0,3}§[0-9]+' $tree | sed 's/.*§//' | \
    sort -un)
nosuch=$(for k in $sections; do
	grep -qE "^## $k[.] " docs/design.md || echo "§$k"
done)
if [ -z "$nosuch" ]; then
	ok "every cited section of docs/design.md exists ($(echo $sections))"
else
	not_ok "every cited section of docs/design.md exists"
	diag "no such section: $(echo $nosuch)"
fi

[ "$fails" -eq 0 ]
