#!/bin/sh
# TAP: docs/abi.md names every constant of the public ABI's enums.
#
# The names come from the headers themselves, not from a list kept here:
# each include/vg/*.h is stripped of its comments by the preprocessor
# (-fpreprocessed: nothing is expanded), and every "enum NAME { ... }"
# body is split into its enumerators.  A C program built from the result
# then prints each name's value, so a name the parse got wrong does not
# compile, and the compiler's debug information counts the enumerators
# again, so a name the parse missed is noticed too.
#
#   1      the extraction: the headers define enum vg_method, enum vg_err
#          and enum vg_cap_rights, every name compiles, and the parse
#          found as many enumerators as the compiler did;
#   then   one line per enum, header by header (the methods, the error
#          codes and the rights among them): every name appears in
#          docs/abi.md as a whole word; the missing ones are listed;
#   last   two lines for the numbers: each method's heading gives its
#          number ("`VG_METHOD_X` (0x...)") and each error code's row in
#          section 1 its value ("| N | `VG_ERR_X` |").
#
# Environment: CC (default gcc), READELF (default readelf).
cd "$(dirname "$0")/../.." || exit 1
CC=${CC:-gcc}
READELF=${READELF:-readelf}
doc=docs/abi.md

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
diag() {
	printf '%s\n' "$1" | sed '/^$/d; s/^/#   /'
}

# "header enum name" for every enumerator of every enum in include/vg.
for h in include/vg/*.h; do
	"$CC" -fpreprocessed -dD -E -P "$h" 2>>"$tmp/cpp.err" |
	    awk -v h="$h" '
	{ text = text " " $0 }
	END {
		# Each "enum NAME {": the enumerators up to its "}".
		while (match(text, /enum[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*\{[^}]*\}/)) {
			decl = substr(text, RSTART, RLENGTH)
			text = substr(text, RSTART + RLENGTH)
			name = decl
			sub(/^enum[ \t]+/, "", name)
			sub(/[ \t{].*/, "", name)
			body = decl
			sub(/^[^{]*\{/, "", body)
			sub(/\}$/, "", body)
			k = split(body, m, ",")
			for (i = 1; i <= k; i++) {
				e = m[i]
				sub(/^[ \t]+/, "", e)
				if (match(e, /^[A-Za-z_][A-Za-z0-9_]*/))
					print h, name, substr(e, 1, RLENGTH)
			}
		}
	}'
done >"$tmp/names"

# Check 1: the parse against the compiler.
{
	echo '#include <stdio.h>'
	for h in include/vg/*.h; do echo "#include <${h#include/}>"; done
	echo 'int main(void) {'
	awk '{ printf "\tprintf(\"%%s %%lld\\n\", \"%s\", (long long)%s);\n", $3, $3 }' \
	    "$tmp/names"
	echo '	return 0;'
	echo '}'
} >"$tmp/names.c"
parsed=$(wc -l <"$tmp/names")
enums=$(awk '{ print $2 }' "$tmp/names" | sort -u | wc -l)
problems=""
for e in vg_method vg_err vg_cap_rights; do
	grep -q " $e " "$tmp/names" || problems="$problems
no enum $e found in include/vg"
done
if "$CC" -std=c11 -g -fno-eliminate-unused-debug-types -Iinclude \
    "$tmp/names.c" -o "$tmp/names.bin" 2>"$tmp/cc.err" &&
    "$tmp/names.bin" >"$tmp/values"; then
	counted=$("$READELF" --debug-dump=info "$tmp/names.bin" |
	    grep -c 'DW_TAG_enumerator')
	[ "$counted" -eq "$parsed" ] || problems="$problems
the parse found $parsed enumerators, the compiler's debug information $counted"
else
	problems="$problems
the names do not compile:
$(cat "$tmp/cpp.err" "$tmp/cc.err")"
	: >"$tmp/values"
fi
if [ -z "$problems" ] && [ "$parsed" -gt 0 ]; then
	ok "the headers' enum constants extracted ($parsed names in $enums enums, as many as the compiler counts)"
else
	not_ok "the headers' enum constants extracted"
	diag "$problems"
fi

# One line per enum: every name mentioned.
awk '{ print $1, $2 }' "$tmp/names" | uniq | while read -r h e; do
	missing=$(awk -v h="$h" -v e="$e" '$1 == h && $2 == e { print $3 }' \
	    "$tmp/names" | while read -r name; do
		grep -qw -- "$name" "$doc" || echo "$name"
	done)
	count=$(awk -v h="$h" -v e="$e" '$1 == h && $2 == e' "$tmp/names" |
	    wc -l)
	if [ -z "$missing" ]; then
		echo "ok - $h: enum $e ($count names) in $doc"
	else
		echo "not ok - $h: enum $e: names missing from $doc"
		diag "$(echo $missing)"
	fi
done >"$tmp/groups"
while read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done <"$tmp/groups"

# The numbers: a method's heading, an error code's row.
wrong=$(grep '^VG_METHOD_' "$tmp/values" | while read -r name value; do
	hex=$(printf '0x%03x' "$value")
	awk -v want="\`$name\` ($hex)" '/^### / && index($0, want) { found = 1 }
	    END { exit !found }' "$doc" || echo "$name ($hex)"
done)
if [ -s "$tmp/values" ] && [ -z "$wrong" ]; then
	ok "every method's number is in its heading (\`VG_METHOD_X\` (0x...))"
else
	not_ok "every method's number is in its heading (\`VG_METHOD_X\` (0x...))"
	diag "no such heading for: $(echo $wrong)"
fi
errs=$(awk '$1 == "include/vg/error.h" && $2 == "vg_err" { print $3 }' \
    "$tmp/names")
wrong=$(for name in $errs; do
	[ "$name" = VG_ERR_COUNT ] && continue
	value=$(awk -v k="$name" '$1 == k { print $2 }' "$tmp/values")
	grep -qF -- "| $value | \`$name\` |" "$doc" || echo "$name ($value)"
done)
if [ -s "$tmp/values" ] && [ -n "$errs" ] && [ -z "$wrong" ]; then
	ok "every error code's row in section 1 gives its value (| N | \`VG_ERR_X\` |)"
else
	not_ok "every error code's row in section 1 gives its value (| N | \`VG_ERR_X\` |)"
	diag "no such row for: $(echo $wrong)"
fi

echo "1..$n"
exit $failed
