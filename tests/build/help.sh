#!/bin/sh
# TAP: make help and the Makefile agree (mk/help.mk).
#
#   1. make help lists targets and the variables O, V and APP;
#   2. every .PHONY target of the Makefile and mk/*.mk is either in make
#      help ("make <target>") or in HELP_INTERNAL, the steps of others;
#   3. every name in HELP_INTERNAL is a .PHONY target.
#
# Environment: VG_BUILD (build directory, default build; nothing is
# built).
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

echo "1..3"
make --no-print-directory -s O="$O" help >"$tmp/help" 2>&1
# The database of rules and variables, without building anything.
make --no-print-directory -pq O="$O" >"$tmp/db" 2>/dev/null
phony=$(sed -n 's/^\.PHONY: //p' "$tmp/db" | tr ' ' '\n' | sed '/^$/d' |
    sort -u)
internal=$(sed -n 's/^HELP_INTERNAL := //p' "$tmp/db" | tr ' ' '\n' |
    sed '/^$/d' | sort -u)

if grep -q '^  make test ' "$tmp/help" && grep -q '^  O=' "$tmp/help" &&
    grep -q '^  V=' "$tmp/help" && grep -q '^  APP=' "$tmp/help"; then
	ok "make help lists the targets and the variables O, V, APP"
else
	not_ok "make help lists the targets and the variables O, V, APP"
	sed 's/^/# /' "$tmp/help"
fi

missing=$(for t in $phony; do
	printf '%s\n' "$internal" | grep -qxF -- "$t" && continue
	grep -qE -- "(^|[ ,])make $t( |,|$)" "$tmp/help" || echo "$t"
done)
if [ -n "$phony" ] && [ -z "$missing" ]; then
	ok "every .PHONY target is in make help or HELP_INTERNAL ($(echo "$phony" | wc -l) targets)"
else
	not_ok "every .PHONY target is in make help or HELP_INTERNAL"
	echo "#   neither: $(echo $missing)"
fi

stale=$(for t in $internal; do
	printf '%s\n' "$phony" | grep -qxF -- "$t" || echo "$t"
done)
if [ -n "$internal" ] && [ -z "$stale" ]; then
	ok "every name in HELP_INTERNAL is a .PHONY target"
else
	not_ok "every name in HELP_INTERNAL is a .PHONY target"
	echo "#   no such target: $(echo $stale)"
fi
exit $failed
