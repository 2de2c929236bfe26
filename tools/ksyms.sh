#!/bin/sh
# The kernel's symbol table (kernel/arch/x86_64/ksyms.h), from a linked
# image's text symbols, and the check that a second link kept them:
#
#   ksyms.sh table [ELF]    the table's C source, from ELF's text symbols
#                           (without ELF, the empty table of a first link)
#   ksyms.sh same ELF1 ELF2 fail unless the two images have the same text
#                           symbols at the same addresses
#
# A text symbol is one nm -n types t, T, w or W, but the bounds linker.ld
# defines (__kernel_*).  Of several at one address the table keeps one, a
# global one if there is any.  Environment: NM (default nm).
NM=${NM:-nm}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# text_symbols ELF OUT: ELF's text symbols, sorted by address, into OUT.
text_symbols() {
	"$NM" -n "$1" >"$tmp/nm" || exit 1
	awk 'NF == 3 && $2 ~ /^[tTwW]$/ && $3 !~ /^__kernel_/' \
	    "$tmp/nm" >"$2"
}

case $1 in
table)
	: >"$tmp/syms"
	[ -n "$2" ] && text_symbols "$2" "$tmp/syms"
	awk -v src="${2:-nothing (a first link)}" '
	function fail(why) {
		print "ksyms.sh: " why > "/dev/stderr"
		bad = 1
		exit 1
	}
	BEGIN {
		n = 0
		sec = "__attribute__((section(\".ksyms\")))"
	}
	NF == 3 {
		# The image lies just above KERNEL_VIRT_BASE,
		# 0xffffffff80000000: an address is the offset from it in its
		# last seven digits.
		if (length($1) != 16 || substr($1, 1, 9) != "ffffffff8")
			fail($3 " at " $1 " is not in the kernel image")
		if ($3 !~ /^[A-Za-z0-9_.$]+$/)
			fail("a symbol name C cannot hold: " $3)
		off = "0x0" substr($1, 10)
		global = $2 ~ /^[TW]$/
		if (n > 0 && off == addr[n - 1]) {
			if (global && !glob[n - 1]) {
				name[n - 1] = $3
				glob[n - 1] = 1
			}
			next
		}
		addr[n] = off
		name[n] = $3
		glob[n] = global
		n++
	}
	END {
		if (bad)
			exit 1
		print "/* The kernel'"'"'s text symbols, from " src "."
		print " * Written by tools/ksyms.sh. */"
		print "#include \"ksyms.h\""
		print ""
		print "const uint32_t ksym_count " sec " = " n ";"
		print ""
		print "const struct ksym ksym_table[] " sec " = {"
		at = 0
		for (i = 0; i < n; i++) {
			printf "\t{ %s, %d },\n", addr[i], at
			at += length(name[i]) + 1
		}
		print "\t{ 0xffffffff, 0 },"
		print "};"
		print ""
		print "const char ksym_names[] " sec " ="
		for (i = 0; i < n; i++)
			printf "    \"%s\\0\"\n", name[i]
		print "    \"\";"
	}' "$tmp/syms"
	;;
same)
	text_symbols "$2" "$tmp/1"
	text_symbols "$3" "$tmp/2"
	if ! cmp -s "$tmp/1" "$tmp/2"; then
		echo "ksyms.sh: the text moved between $2 and $3:" >&2
		diff "$tmp/1" "$tmp/2" | head -20 >&2
		exit 1
	fi
	;;
*)
	echo "usage: ksyms.sh table [ELF] | same ELF1 ELF2" >&2
	exit 2
	;;
esac
