# make help: every user-facing target and variable, one line each.
# Included by the Makefile.  This list is the one place they are
# described for the command line (the Makefile's header points here):
# a target added for users gets its line here, one that is only a step
# of others goes into HELP_INTERNAL (tests/build/help.sh checks that
# every .PHONY target is in one or the other).

HELP_INTERNAL := bench-build bench-run compdb-bench compdb-hosted \
	compdb-kernel deps-bench deps-compdb deps-debug deps-run deps-test \
	fuzz-build print-test-modules qemu-tests app-check

define HELP_TEXT
Usage: make [TARGET...] [VARIABLE=value...]

Targets:
  make, make all       build everything: the hosted core and its unit tests,
                       the kernels (release, checked, measuring), libvg, the
                       user programs and the in-VM test programs
  make test            build and run every test under prove (TAP); installs
                       what it needs (CONTRIBUTING.md: the test groups)
  make run             boot vg under QEMU with a program (APP=; default: the
                       demo)
  make qemu            the same as make run
  make qemu-gdb        QEMU paused, waiting for gdb on its stub
  make debug           QEMU and gdb together, with the project's gdb script
  make trace           run a program under rpctrace and write
                       $(O)/trace.json (Chrome trace format)
  make bench           benchmarks, vg and Linux under the same QEMU, into
                       bench/results/ (bench/README.md)
  make bench-vg        vg's benchmarks alone (BENCH_ONLY=group,... selects)
  make bench-profile   where one iteration's instructions go (PROFILE=)
  make fuzz            the libFuzzer target, open-ended (FUZZ_ARGS=)
  make fuzz-check      a bounded fuzzing run as TAP (make test runs it too)
  make fuzz-coverage   kernel/core's line coverage from the fuzzer's inputs
  make fuzz-vm         the in-VM fuzzer on the real kernel, open-ended
                       (FUZZ_SEED=, VMFUZZ_CALLS=, VMFUZZ_TIME=)
  make check-qemu      the in-VM tests alone, as TAP
  make kernel          the release and the checked kernel images
  make user            libvg and the user programs alone
  make compile_commands.json
                       the compilation database at the top of the tree, for
                       clangd (a clean build in $(O)/compile-commands)
  make clean           remove the build directory $(O)
  make help            this list

Variables:
  O=dir                build directory (default build; now $(O))
  V=1                  show the commands
  APP="a b"            the programs make run, make trace and make debug boot,
                       in order: a folder user/<name>/ or examples/<name>/
                       (one with sub-folders holds one program per
                       sub-folder, <folder>-<sub>, started in the order of
                       its file boot), or a program's name
  ARGS="x y"           arguments for them (main's argv)
  TRACE=name           programs to run under rpctrace (all; last)
  VG_CMDLINE=...       the kernel command line for make run and make debug
  QEMU_TIMEOUT=s       how long make run lets QEMU run (default 60)
  DISK=file            the machine's virtio-blk disk image (default
                       $(O)/disk.img, made once and kept; DISK= for none)
  GDBPORT=n            the port of QEMU's gdb stub (make qemu-gdb, make debug)
  GDB_SCRIPT=file      make debug: run gdb in batch mode on this script
endef
export HELP_TEXT

.PHONY: help
help:
	@printf '%s\n' "$$HELP_TEXT"
