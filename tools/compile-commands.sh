#!/bin/sh
# make compile_commands.json: the compilation database clangd and other
# tools read, recorded by bear from a clean build.
#
#   tools/compile-commands.sh OUTPUT SCRATCH MAKE-ARGUMENTS...
#
# Builds into the scratch build directory SCRATCH (removed first, so that
# every file is compiled) under bear and writes OUTPUT.  Several builds
# compile the same file with different flags -- the core is hosted,
# freestanding and checked; lib/fmt is the kernel's and libvg's -- and a
# tool wants one entry per file, so the builds run one after another,
# the freestanding kernel first, and bear keeps a file's first entry:
#
#   1. compdb-kernel   the release kernel: kernel/core, kernel/lib and
#                      lib/fmt with the freestanding flags, the platform
#   2. user qemu-tests compdb-bench
#                      libvg, the user, in-VM test and benchmark programs
#   3. compdb-hosted   the hosted platform and the unit tests
#
# Then checks that the core is there with the freestanding flags.
set -eu

out=$1
scratch=$2
shift 2
make=${MAKE:-make}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/bear.json" <<'EOF'
{
  "output": {
    "content": {
      "include_only_existing_source": true,
      "duplicate_filter_fields": "file"
    },
    "format": { "command_as_array": true, "drop_output_field": false }
  }
}
EOF

rm -rf "$scratch"
bear --config "$tmp/bear.json" --output "$tmp/compile_commands.json" -- \
    sh -c '
	set -e
	m=$1
	o=$2
	shift 2
	"$m" --no-print-directory "$@" O="$o" compdb-kernel
	"$m" --no-print-directory "$@" O="$o" user qemu-tests compdb-bench
	"$m" --no-print-directory "$@" O="$o" compdb-hosted
    ' compile-commands "$make" "$scratch" "$@"

# The core must be there as the kernel builds it.
perl -MJSON::PP -e '
	local $/;
	open(my $f, "<", $ARGV[0]) or die "$ARGV[0]: $!\n";
	my $db = decode_json(<$f>);
	my %seen;
	for my $e (@$db) {
		my $file = $e->{file};
		$file =~ s{^\Q$e->{directory}\E/}{};
		die "compile_commands.json: $file twice\n" if $seen{$file}++;
		if ($file =~ m{^kernel/core/}) {
			my $args = join(" ", @{$e->{arguments}});
			die "compile_commands.json: $file without the " .
			    "freestanding flags\n"
			    unless $args =~ /-ffreestanding/ &&
			    $args =~ /-nostdinc/ && $args !~ /-fsanitize/;
		}
	}
	for my $need ("kernel/core/api/ipc.c", "kernel/core/messenger.c",
	    "kernel/arch/x86_64/main.c", "kernel/arch/hosted/hosted.c",
	    "lib/vg/activation.c") {
		die "compile_commands.json: no entry for $need\n"
		    unless $seen{$need};
	}
	printf("compile_commands.json: %d files\n", scalar(keys %seen));
' "$tmp/compile_commands.json"
mv "$tmp/compile_commands.json" "$out"
