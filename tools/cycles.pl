#!/usr/bin/perl
# cycles.pl: the dependency circles among object files, at the symbol level.
#
#   NM=nm tools/cycles.pl a.o b.o ...
#
# Object A depends on object B when A leaves undefined a symbol that B
# defines (as nm reports them; NM names the nm to run, default nm).  The
# circles are the strongly connected components of that graph with more
# than one member: each is printed on a line of its own, its members
# (named as on the command line) sorted and separated by spaces, the
# lines sorted too.  Prints nothing where there is no circle; exits 0
# unless nm fails.
use strict;
use warnings;
no warnings 'recursion';	# Tarjan's visit goes as deep as the graph

my $nm = $ENV{NM} || 'nm';
my (%defines, %needs);		# symbol -> objects; object -> symbols
for my $obj (@ARGV) {
	open(my $fh, '-|', $nm, $obj) or die "cycles.pl: $nm $obj: $!\n";
	$needs{$obj} = [];
	while (<$fh>) {
		# "addr type name" when defined, "type name" when undefined.
		next unless /^\s*(?:[0-9a-fA-F]+\s+)?([A-Za-z])\s+(\S+)$/;
		my ($type, $sym) = ($1, $2);
		if ($type eq 'U' || $type eq 'w' || $type eq 'v') {
			push @{$needs{$obj}}, $sym;
		} elsif ($type =~ /[A-Z]/) {
			push @{$defines{$sym}}, $obj;
		}
	}
	close($fh) or die "cycles.pl: $nm $obj failed\n";
}

my %edges;			# object -> { object it depends on }
for my $obj (@ARGV) {
	for my $sym (@{$needs{$obj}}) {
		$edges{$obj}{$_} = 1 for grep { $_ ne $obj } @{$defines{$sym} || []};
	}
}

# Tarjan's algorithm.
my ($next, %index, %low, %on, @stack, @circles) = (0);
sub visit {
	my ($v) = @_;
	$index{$v} = $low{$v} = $next++;
	push @stack, $v;
	$on{$v} = 1;
	for my $w (sort keys %{$edges{$v} || {}}) {
		if (!exists $index{$w}) {
			visit($w);
			$low{$v} = $low{$w} if $low{$w} < $low{$v};
		} elsif ($on{$w} && $index{$w} < $low{$v}) {
			$low{$v} = $index{$w};
		}
	}
	return if $low{$v} != $index{$v};
	my @scc;
	my $w;
	do {
		$w = pop @stack;
		$on{$w} = 0;
		push @scc, $w;
	} while ($w ne $v);
	push @circles, join(' ', sort @scc) if @scc > 1;
}
exists $index{$_} or visit($_) for @ARGV;
print "$_\n" for sort @circles;
exit 0;
