#!/usr/bin/perl
# The dependency circles of a set of modules.
#
#   tools/depgraph.pl include FILE...    modules from sources: X.c and X.h
#                                        are module X; X depends on Y if
#                                        it includes "Y.h" (or <dir/Y.h>)
#   tools/depgraph.pl symbols OBJECT...  modules from objects: X.o depends
#                                        on Y.o if it uses a symbol Y.o
#                                        defines ($NM, default nm)
#
# Prints each strongly connected component with more than one member --
# each set of modules that depend on each other, directly or not -- as
# one line of its members, sorted; with -v, the edges inside it after
# it, indented.  Only dependencies between the modules given count.
use strict;
use warnings;

my $verbose = 0;
if (@ARGV && $ARGV[0] eq '-v') {
	$verbose = 1;
	shift @ARGV;
}
my $mode = shift @ARGV // '';
die "usage: $0 [-v] include|symbols FILE...\n"
    unless $mode eq 'include' || $mode eq 'symbols';

my (%nodes, %edges);	# $edges{a}{b} = what makes a depend on b

sub module_of {
	my ($path) = @_;
	my ($m) = $path =~ m{([^/]+)\.[a-zA-Z]+$};
	return $m;
}

if ($mode eq 'include') {
	for my $f (@ARGV) {
		my $m = module_of($f);
		$nodes{$m} = 1;
		open my $h, '<', $f or die "$f: $!\n";
		while (<$h>) {
			next unless /^\s*#\s*include\s+["<]([^">]+)\.h[">]/;
			my $d = module_of("$1.h");
			$edges{$m}{$d} = $f if $d ne $m;
		}
		close $h;
	}
} else {
	my $nm = $ENV{NM} // 'nm';
	my (%def, %use);
	for my $o (@ARGV) {
		my $m = module_of($o);
		$nodes{$m} = 1;
		for (`$nm $o`) {
			if (/^\s*[0-9a-f]*\s+[TDBRCVW]\s+(\S+)/) {
				$def{$1} = $m;
			} elsif (/^\s+U\s+(\S+)/) {
				push @{$use{$m}}, $1;
			}
		}
	}
	for my $m (keys %use) {
		for my $s (@{$use{$m}}) {
			my $d = $def{$s};
			next unless defined $d && $d ne $m;
			$edges{$m}{$d} = defined $edges{$m}{$d} ?
			    "$edges{$m}{$d},$s" : $s;
		}
	}
}
for my $m (keys %edges) {
	for my $d (keys %{$edges{$m}}) {
		delete $edges{$m}{$d} unless $nodes{$d};
	}
}

# Tarjan's algorithm.
my $next = 0;
my (%index, %low, %on, @stack, @components);
sub visit {
	my ($v) = @_;
	$index{$v} = $low{$v} = $next++;
	push @stack, $v;
	$on{$v} = 1;
	for my $w (sort keys %{$edges{$v} // {}}) {
		if (!exists $index{$w}) {
			visit($w);
			$low{$v} = $low{$w} if $low{$w} < $low{$v};
		} elsif ($on{$w}) {
			$low{$v} = $index{$w} if $index{$w} < $low{$v};
		}
	}
	return unless $low{$v} == $index{$v};
	my @c;
	my $w;
	do {
		$w = pop @stack;
		$on{$w} = 0;
		push @c, $w;
	} while ($w ne $v);
	push @components, [sort @c] if @c > 1;
}
for my $v (sort keys %nodes) {
	visit($v) unless exists $index{$v};
}
for my $c (sort { "@$a" cmp "@$b" } @components) {
	print join(' ', @$c), "\n";
	next unless $verbose;
	my %in = map { $_ => 1 } @$c;
	for my $a (@$c) {
		for my $b (sort keys %{$edges{$a}}) {
			print "  $a -> $b ($edges{$a}{$b})\n" if $in{$b};
		}
	}
}
