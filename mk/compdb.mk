# make compile_commands.json: the compilation database at the top of the
# tree (gitignored), for clangd and other tools.  Included by the
# Makefile after every compile rule.
#
# bear records a clean build into a scratch directory, $(COMPDB_O):
# first the freestanding kernel, then libvg, the user, in-VM test and
# benchmark programs, then the hosted platform and the unit tests; one
# entry per file, the first build's (tools/compile-commands.sh), so the
# core has the freestanding flags it is linked into the kernel with.

COMPDB_O := $(O)/compile-commands

.PHONY: compile_commands.json compdb-kernel compdb-bench compdb-hosted \
	deps-compdb

deps-compdb:
	@tools/deps.sh $(DEPS_COMPDB)

compile_commands.json: deps-compdb
	@echo "  BEAR    $@ (a clean build in $(COMPDB_O))"
	@MAKE='$(MAKE)' tools/compile-commands.sh $@ $(COMPDB_O)

# The builds it records, in its order (O is the scratch directory then).
compdb-kernel: $(X86_KERNEL)
compdb-bench: $(BENCH_ELFS)
compdb-hosted: $(HOSTED_LIB) $(UNIT_BIN)
