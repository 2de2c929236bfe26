# vg: top-level build.
#
# make help lists every target and variable, one line each (mk/help.mk);
# CONTRIBUTING.md says how to build, test and add to vg.
#
# Everything is built under $(O) (default: build/), never in the source tree.

.DEFAULT_GOAL := all
O ?= build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
CC ?= gcc
LD ?= ld
NM ?= nm

# Debian packages each target needs (tools/deps.sh installs them).
DEPS_TEST := libcmocka-dev perl clang-14 libclang-rt-14-dev qemu-system-x86 jq \
	gdb
DEPS_FUZZ := clang-14 libclang-rt-14-dev
DEPS_FUZZ_COV := $(DEPS_FUZZ) llvm-14
DEPS_RUN := qemu-system-x86
DEPS_DEBUG := qemu-system-x86 gdb
# QEMU for vg and the Linux peer, gnuplot for the charts, and what
# bench/linux/run.sh builds and packs the Linux peer with.
DEPS_BENCH := qemu-system-x86 gnuplot-nox libc6-dev cpio gzip
# make compile_commands.json: bear records a build that includes the
# unit tests (cmocka); perl checks the result.
DEPS_COMPDB := bear perl libcmocka-dev

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla
INCLUDES := -Iinclude -Ikernel/include -Ilib/fmt -Ilib/elf

# --- the portable core -------------------------------------------------------

CORE_SRC := $(wildcard kernel/core/*.c kernel/core/api/*.c)
KLIB_SRC := $(wildcard kernel/lib/*.c)
# The printf engine and console line buffer shared with libvg.
FMT_SRC := lib/fmt/format.c lib/fmt/line.c

# Hosted: the core inside a Linux process, under ASan and UBSan.
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
HOSTED_CFLAGS := -std=c11 -g -O1 $(WARN) $(SANITIZE) -DVG_DEBUG \
	$(INCLUDES) -Ikernel/arch/hosted
HOSTED_SRC := $(CORE_SRC) $(wildcard kernel/arch/hosted/*.c)
HOSTED_OBJ := $(HOSTED_SRC:%.c=$(O)/hosted/%.o)
HOSTED_LIB := $(O)/hosted/libvgcore.a

$(O)/hosted/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(HOSTED_CFLAGS) -MMD -MP -c $< -o $@

$(HOSTED_LIB): $(HOSTED_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	$(Q)ar rcs $@ $^

# Freestanding: the core as the x86-64 kernel will link it.  No libc
# headers resolve (-nostdinc keeps only the compiler's own), and the
# relocatable result may reference nothing but arch_* hooks.
include kernel/arch/x86_64/arch.mk
FREESTANDING_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -fno-common \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-stack-protector -fno-pic $(ARCH_CFLAGS) $(INCLUDES)
FREESTANDING_OBJ := $(CORE_SRC:%.c=$(O)/kernel/%.o) \
	$(KLIB_SRC:%.c=$(O)/kernel/%.o) $(FMT_SRC:%.c=$(O)/kernel/%.o)
CORE_RELOC := $(O)/kernel/core.o

$(O)/kernel/kernel/lib/%.o: kernel/lib/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(FREESTANDING_CFLAGS) -fno-builtin \
	    -fno-tree-loop-distribute-patterns -MMD -MP -c $< -o $@

$(O)/kernel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(FREESTANDING_CFLAGS) -MMD -MP -c $< -o $@

$(CORE_RELOC): $(FREESTANDING_OBJ)
	@echo "  LD      $@"
	$(Q)$(LD) -r -nostdlib -o $@ $^

# The checked core: the same, with the core's own assertions (VG_ASSERT)
# compiled in.  The in-VM tests and make run boot the checked kernel;
# make bench measures the release one.
CHECKED_OBJ := $(FREESTANDING_OBJ:$(O)/kernel/%=$(O)/kernel-checked/%)
CORE_RELOC_CHECKED := $(O)/kernel-checked/core.o

$(O)/kernel-checked/kernel/lib/%.o: kernel/lib/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(FREESTANDING_CFLAGS) -DVG_DEBUG -fno-builtin \
	    -fno-tree-loop-distribute-patterns -MMD -MP -c $< -o $@

$(O)/kernel-checked/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(FREESTANDING_CFLAGS) -DVG_DEBUG -MMD -MP -c $< -o $@

$(CORE_RELOC_CHECKED): $(CHECKED_OBJ)
	@echo "  LD      $@"
	$(Q)$(LD) -r -nostdlib -o $@ $^

# --- tests ---------------------------------------------------------------------

UNIT_SRC := $(wildcard tests/unit/*_test.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
UNIT_SUPPORT := $(filter-out %_test.c,$(wildcard tests/unit/*.c)) \
	$(wildcard tests/support/*.c)
UNIT_CFLAGS := $(HOSTED_CFLAGS) -Itests/unit -Itests/support

$(O)/tests/%: tests/unit/%.c $(UNIT_SUPPORT) $(HOSTED_LIB)
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	$(Q)$(CC) $(UNIT_CFLAGS) -MMD -MP $< $(UNIT_SUPPORT) $(HOSTED_LIB) \
	    -lcmocka -o $@

# madt_test compiles the x86-64 kernel's MADT parser and its kprintf in.
$(O)/tests/madt_test: kernel/arch/x86_64/madt.c kernel/arch/x86_64/madt.h \
    kernel/arch/x86_64/acpi.h kernel/lib/printf.c $(FMT_SRC)

# uart_test compiles the UART driver's rings and protocol in.
$(O)/tests/uart_test: $(wildcard user/uart16550/*.[ch])

# virtq_test compiles the block driver's virtqueue in.
$(O)/tests/virtq_test: user/virtio-blk/virtq.c user/virtio-blk/virtq.h

# Shell tests (TAP producers) that check builds rather than behaviour.
SCRIPT_TESTS := $(wildcard tests/build/*.sh)

# --- fuzzing -------------------------------------------------------------------

# libFuzzer targets: fuzz/*.c with the hosted core and tests/support,
# built with clang under ASan and UBSan.
FUZZ_CC := clang-14
FUZZ_CFLAGS := -std=c11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -DVG_DEBUG \
	$(INCLUDES) -Ikernel/arch/hosted -Itests/support
# The functions whose calls between object files come through the hooks
# of fuzz/hooks.c (--wrap): the core's deliveries, sends, answers,
# invocations, activations and destructions, and the allocation of its
# storage.  The one list of them: hooks.c gets it too, and the link fails
# unless it has a hook for each name here and for no other.
FUZZ_WRAP := msg_commit messenger_send_to cont_answer invoke_kernel \
	activation_post object_destroy_step aligned_alloc free
FUZZ_TARGET_SRC := $(wildcard fuzz/*.c)
FUZZ_TARGET_OBJ := $(FUZZ_TARGET_SRC:%.c=$(O)/fuzz/obj/%.o)
FUZZ_SRC := $(HOSTED_SRC) $(wildcard tests/support/*.c)
FUZZ_OBJ := $(FUZZ_SRC:%.c=$(O)/fuzz/obj/%.o)
FUZZ_BIN := $(O)/fuzz/ipc_fuzz
FUZZ_ARGS ?=

$(O)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

# The checkers walk all of storage after every operation: instrumenting
# them for coverage would only slow the fuzzer and blur its feedback.
$(O)/fuzz/obj/tests/support/%.o: tests/support/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(FUZZ_CC) $(filter-out -fsanitize=fuzzer%,$(FUZZ_CFLAGS)) \
	    -fsanitize=address,undefined -MMD -MP -c $< -o $@

# hooks.c counts each hook's calls under its name in FUZZ_WRAP (and is
# rebuilt when the list changes).
$(O)/fuzz/obj/fuzz/hooks.o: FUZZ_CFLAGS += -DFUZZ_WRAP_LIST='"$(FUZZ_WRAP)"'
$(O)/fuzz/obj/fuzz/hooks.o: Makefile

# Objects, not an archive: hooks.o must be linked whichever object first
# refers to a __wrap_ symbol, and its __real_ references resolve against
# the core's objects under --wrap.
$(FUZZ_BIN): $(FUZZ_TARGET_OBJ) $(FUZZ_OBJ)
	@echo "  CCLD    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_WRAP:%=-Wl,--wrap=%) \
	    $(FUZZ_TARGET_OBJ) $(FUZZ_OBJ) -o $@

# The same target built a second time for source-based coverage of the
# core: kernel/core's objects with clang's -fprofile-instr-generate
# -fcoverage-mapping, everything else as above (and not in the report).
# make fuzz-coverage runs it over the committed inputs (fuzz/seeds,
# fuzz/corpus) and reports kernel/core's line coverage
# (tools/fuzz-coverage.sh).
FUZZ_COV_FLAGS := -fprofile-instr-generate -fcoverage-mapping
FUZZ_COV_CORE := $(CORE_SRC:%.c=$(O)/fuzz-cov/obj/%.o)
FUZZ_COV_OBJ := $(FUZZ_TARGET_OBJ) \
	$(filter-out $(CORE_SRC:%.c=$(O)/fuzz/obj/%.o),$(FUZZ_OBJ)) \
	$(FUZZ_COV_CORE)
FUZZ_COV_BIN := $(O)/fuzz-cov/ipc_fuzz
FUZZ_CORPUS := fuzz/corpus

$(O)/fuzz-cov/obj/kernel/core/%.o: kernel/core/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@ (coverage)"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV_FLAGS) -MMD -MP -c $< -o $@

$(FUZZ_COV_BIN): $(FUZZ_COV_OBJ)
	@echo "  CCLD    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV_FLAGS) \
	    $(FUZZ_WRAP:%=-Wl,--wrap=%) $(FUZZ_COV_OBJ) -o $@

# --- x86-64 kernel -------------------------------------------------------------

# The bootable kernel: every .c and .S in kernel/arch/x86_64 linked with
# the freestanding core.  vg.elf is the ELF64 image (for gdb; vg.sym and
# vg.asm are its symbol table and disassembly); vg32.elf is the same image
# as ELF32, the form QEMU's multiboot loader (-kernel) accepts.
# --eh-frame-hdr indexes the unwind tables that the panic's backtrace
# reads (unwind.c).
X86_DIR := kernel/arch/x86_64
X86_C_SRC := $(wildcard $(X86_DIR)/*.c)
X86_S_SRC := $(wildcard $(X86_DIR)/*.S)
X86_OBJ := $(X86_S_SRC:$(X86_DIR)/%.S=$(O)/x86_64/%.S.o) \
	$(X86_C_SRC:$(X86_DIR)/%.c=$(O)/x86_64/%.o)
X86_CFLAGS := $(FREESTANDING_CFLAGS) -g -I$(X86_DIR)
X86_ASFLAGS := -m64 -g $(INCLUDES) -I$(X86_DIR) -Wa,--noexecstack
X86_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 --eh-frame-hdr \
	-T $(X86_DIR)/linker.ld
X86_ELF := $(O)/x86_64/vg.elf
X86_KERNEL := $(O)/x86_64/vg32.elf
OBJCOPY ?= objcopy
OBJDUMP ?= objdump

$(O)/x86_64/%.S.o: $(X86_DIR)/%.S
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(CC) $(X86_ASFLAGS) -MMD -MP -c $< -o $@

$(O)/x86_64/%.o: $(X86_DIR)/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(X86_CFLAGS) -MMD -MP -c $< -o $@

$(O)/x86_64/fastpath.o: X86_CFLAGS += $(X86_FASTPATH_CFLAGS)

# Each image is linked twice, for its own symbol table (ksyms.h): first
# with an empty table (.pass1.elf), from which tools/ksyms.sh writes the
# table of its text symbols (.ksyms.c), then with that table, in a section
# after the text (linker.ld).  The text is the same in both links; the
# second fails unless its text symbols are exactly the first's.
# kernel_image ELF OBJECTS: the rules for ELF, linked from OBJECTS.
KSYMS_EMPTY := $(O)/x86_64/ksyms-empty.o

$(O)/x86_64/ksyms-empty.c: tools/ksyms.sh
	@mkdir -p $(@D)
	@echo "  KSYMS   $@"
	$(Q)NM=$(NM) sh tools/ksyms.sh table > $@.tmp && mv $@.tmp $@

$(KSYMS_EMPTY): $(O)/x86_64/ksyms-empty.c
	@echo "  CC      $@"
	$(Q)$(CC) $(X86_CFLAGS) -c $< -o $@

define kernel_image
$(1:.elf=.pass1.elf): $(2) $(KSYMS_EMPTY) $(X86_DIR)/linker.ld
	@echo "  LD      $$@"
	$(Q)$(LD) $(X86_LDFLAGS) -o $$@ $(2) $(KSYMS_EMPTY)

$(1:.elf=.ksyms.c): $(1:.elf=.pass1.elf) tools/ksyms.sh
	@echo "  KSYMS   $$@"
	$(Q)NM=$(NM) sh tools/ksyms.sh table $$< > $$@.tmp && mv $$@.tmp $$@

$(1:.elf=.ksyms.o): $(1:.elf=.ksyms.c)
	@echo "  CC      $$@"
	$(Q)$(CC) $(X86_CFLAGS) -c $$< -o $$@

$(1): $(1:.elf=.pass1.elf) $(1:.elf=.ksyms.o)
	@echo "  LD      $$@"
	$(Q)$(LD) $(X86_LDFLAGS) -o $$@ $(2) $(1:.elf=.ksyms.o)
	$(Q)NM=$(NM) sh tools/ksyms.sh same $(1:.elf=.pass1.elf) $$@ || \
	    { rm -f $$@; exit 1; }
endef

$(eval $(call kernel_image,$(X86_ELF),$(X86_OBJ) $(CORE_RELOC)))

$(O)/x86_64/vg.sym: $(X86_ELF)
	$(Q)$(NM) -n $< > $@

$(O)/x86_64/vg.asm: $(X86_ELF)
	$(Q)$(OBJDUMP) -d -S $< > $@

$(X86_KERNEL): $(X86_ELF) $(O)/x86_64/vg.sym $(O)/x86_64/vg.asm
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# The checked kernel: the same platform code with the checked core.
X86_ELF_CHECKED := $(O)/x86_64/vg-checked.elf
X86_KERNEL_CHECKED := $(O)/x86_64/vg32-checked.elf

$(eval $(call kernel_image,$(X86_ELF_CHECKED),$(X86_OBJ) $(CORE_RELOC_CHECKED)))

$(O)/x86_64/vg-checked.sym: $(X86_ELF_CHECKED)
	$(Q)$(NM) -n $< > $@

$(X86_KERNEL_CHECKED): $(X86_ELF_CHECKED) $(O)/x86_64/vg-checked.sym
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# The measuring kernel: the release kernel with the platform code built
# to time every interrupts-off stretch (kernel/arch/x86_64/irqoff.h),
# for make bench's irqoff_destroy alone: the marks cost instructions on
# every entry, so no other figure is measured with it.
X86_IRQOFF_OBJ := $(X86_OBJ:$(O)/x86_64/%=$(O)/x86_64-irqoff/%)
X86_ELF_IRQOFF := $(O)/x86_64-irqoff/vg.elf
X86_KERNEL_IRQOFF := $(O)/x86_64-irqoff/vg32.elf

$(O)/x86_64-irqoff/%.S.o: $(X86_DIR)/%.S
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(CC) $(X86_ASFLAGS) -DVG_MEASURE_IRQOFF -MMD -MP -c $< -o $@

$(O)/x86_64-irqoff/%.o: $(X86_DIR)/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(X86_CFLAGS) -DVG_MEASURE_IRQOFF -MMD -MP -c $< -o $@

$(eval $(call kernel_image,$(X86_ELF_IRQOFF),$(X86_IRQOFF_OBJ) $(CORE_RELOC)))

$(X86_KERNEL_IRQOFF): $(X86_ELF_IRQOFF)
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# The version the kernel's banner prints (VERSION).
include mk/version.mk

# In-VM test programs that need no library: assembly against the system
# call ABI alone, linked at the user base.
QEMU_SMOKE := $(O)/qemu/smoke.elf

all: $(X86_KERNEL) $(X86_KERNEL_CHECKED) $(X86_KERNEL_IRQOFF) $(QEMU_SMOKE)

$(O)/qemu/%.elf: tests/qemu/%.S
	@mkdir -p $(@D)
	@echo "  AS+LD   $@"
	$(Q)$(CC) $(X86_ASFLAGS) -c $< -o $(@:.elf=.o)
	$(Q)$(LD) -static -nostdlib -z max-page-size=0x1000 -Ttext=0x400000 \
	    -e _start -o $@ $(@:.elf=.o)

# Booting it.  QEMU_FLAGS is the machine, shared by make run, make debug
# and the tests (exported: tests/build/boot.sh reads it).  vg ends a run
# through isa-debug-exit: QEMU's status is (value << 1) | 1, so 1 means
# success, and a panic ends it with status 3.  VG_CMDLINE is the kernel
# command line; QEMU_MODULES, comma-separated "file args" entries, become
# multiboot modules.  QEMU_CPU is QEMU's default
# model under TCG with the protections the kernel turns on
# (kernel/arch/x86_64/protect.c); bench/run.sh and bench/linux/run.sh
# boot vg and Linux with the same.
QEMU ?= qemu-system-x86_64
QEMU_CPU := qemu64,+smep,+smap,+umip
QEMU_FLAGS := -accel tcg -cpu $(QEMU_CPU) -m 512M -display none \
	-serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4
QEMU_TIMEOUT ?= 60
comma := ,
# make run's serial lines: COM1 (the kernel's console) and COM2 (the
# UART user/uart16550 drives: make run APP="uart16550 echo") share the
# terminal through one multiplexed stdio.  QEMU gives the input to the
# last line attached, COM2; control-A c switches, control-A x quits.
QEMU_RUN_FLAGS := $(subst -serial stdio,-chardev stdio$(comma)id=serial$(comma)mux=on \
	-serial chardev:serial -serial chardev:serial,$(QEMU_FLAGS))
# What the root task starts: APP (mk/app.mk) unless QEMU_MODULES says.
QEMU_MODULES ?= $(APP_MODULES)
VG_CMDLINE ?=
# The machine's disk: QEMU's virtio-blk (user/virtio-blk drives it: make
# run APP=disk) over DISK, an image made once by tools/disk-image.sh and
# kept, so what one run writes the next one reads.  DISK= leaves it out.
DISK ?= $(O)/disk.img
QEMU_DISK = $(if $(DISK),-drive if=none$(comma)id=disk$(comma)file=$(DISK)$(comma)format=raw \
	-device virtio-blk-pci$(comma)drive=disk)
QEMU_BOOT = -kernel $(X86_KERNEL_CHECKED) \
	-append "$(strip $(APP_CMDLINE) $(VG_CMDLINE))" \
	$(if $(QEMU_MODULES),-initrd "$(QEMU_MODULES)") $(QEMU_DISK)
GDBPORT := $(shell expr `id -u` % 5000 + 25000)
DEBUG_TIMEOUT ?= 3600
export QEMU QEMU_FLAGS

.PHONY: kernel deps-run deps-debug

kernel: $(X86_KERNEL) $(X86_KERNEL_CHECKED)

deps-run:
	@tools/deps.sh $(DEPS_RUN)

deps-debug:
	@tools/deps.sh $(DEPS_DEBUG)

# --- user programs ---------------------------------------------------------------

# libvg and the programs (mk/user.mk), and which of them make run boots
# (mk/app.mk: APP=).
include mk/user.mk
include mk/app.mk
# The benchmarks' programs and make bench's run (bench/README.md).
include mk/bench.mk
# make trace: make run's boot, its rpctrace events as a Chrome trace.
include mk/trace.mk

# make compile_commands.json (after every compile rule).
include mk/compdb.mk
# make help.
include mk/help.mk

# --- targets -------------------------------------------------------------------

.PHONY: all test run bench fuzz fuzz-build fuzz-check fuzz-coverage fuzz-vm \
	debug clean \
	deps-test

all: $(HOSTED_LIB) $(CORE_RELOC) $(UNIT_BIN)

deps-test:
	@tools/deps.sh $(DEPS_TEST)

test: deps-test
	@$(MAKE) --no-print-directory all
	CMOCKA_MESSAGE_OUTPUT=TAP VG_BUILD=$(O) NM=$(NM) \
	    prove --exec '' $(UNIT_BIN) $(SCRIPT_TESTS)

run: deps-run $(X86_KERNEL_CHECKED) $(USER_ELFS) app-check
	@echo "  QEMU    $(X86_KERNEL_CHECKED) $(strip $(APP_CMDLINE) $(VG_CMDLINE))"
	@status=0; timeout --foreground $(QEMU_TIMEOUT) \
	    $(QEMU) $(QEMU_RUN_FLAGS) $(QEMU_BOOT) || status=$$?; \
	case $$status in \
	1) exit 0 ;; \
	124) echo "make run: QEMU timed out after $(QEMU_TIMEOUT) s" >&2 ;; \
	*) echo "make run: QEMU exited with status $$status" \
	    "(vg's success is 1)" >&2 ;; \
	esac; exit 1

# vg and Linux under QEMU with instruction counting; the tables and
# charts go to $(BENCH_RESULTS) (mk/bench.mk, bench/README.md).
bench: deps-bench
	@$(MAKE) --no-print-directory bench-run

fuzz-build:
	@tools/deps.sh $(DEPS_FUZZ)
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

# Open-ended, on a corpus that persists in $(O)/fuzz/corpus; findings go
# to $(O)/fuzz/findings.  FUZZ_ARGS passes libFuzzer options (-jobs=2 ...).
fuzz: fuzz-build
	@mkdir -p $(O)/fuzz/corpus $(O)/fuzz/findings
	@cp -n fuzz/seeds/* $(O)/fuzz/corpus/
	$(FUZZ_BIN) -max_len=4096 -artifact_prefix=$(O)/fuzz/findings/ \
	    $(FUZZ_ARGS) $(O)/fuzz/corpus

fuzz-check:
	@VG_BUILD=$(O) tests/build/fuzz.sh

# kernel/core's line coverage from the committed inputs (fuzz/seeds and
# $(FUZZ_CORPUS)), each file and the total (tools/fuzz-coverage.sh).
fuzz-coverage:
	@tools/deps.sh $(DEPS_FUZZ_COV)
	@$(MAKE) --no-print-directory $(FUZZ_COV_BIN)
	@VG_BUILD=$(O) tools/fuzz-coverage.sh $(FUZZ_COV_BIN) fuzz/seeds \
	    $(FUZZ_CORPUS)

# The in-VM fuzzer (tests/qemu/vmfuzz) on the real kernel, open-ended: a
# random seed unless FUZZ_SEED= gives one, VMFUZZ_CALLS= operations
# (default 2,000,000; 0: until VMFUZZ_TIME= seconds), VMFUZZ_THREADS=0
# to keep its own threads stopped, VMFUZZ_CHECK=1 for its oracles after every
# operation (tools/fuzz-vm.sh).  Ends with the verdict.
FUZZ_SEED ?=
VMFUZZ_CALLS ?=
VMFUZZ_TIME ?=
VMFUZZ_THREADS ?=
VMFUZZ_CHECK ?=
fuzz-vm: deps-run
	@VG_BUILD=$(O) FUZZ_SEED='$(FUZZ_SEED)' VMFUZZ_CALLS='$(VMFUZZ_CALLS)' \
	    VMFUZZ_TIME='$(VMFUZZ_TIME)' VMFUZZ_THREADS='$(VMFUZZ_THREADS)' \
	    VMFUZZ_CHECK='$(VMFUZZ_CHECK)' tools/fuzz-vm.sh

# Debugging (docs/debugging.md).  make qemu is make run; make qemu-gdb
# boots the same paused on QEMU's gdb stub, for a gdb started by hand
# with $(O)/gdbinit (the checked kernel's symbols, the project's helpers,
# tools/gdb/vg.py, and the connection); make debug starts both, QEMU's
# serial output on the terminal (its input is gdb's), and stops QEMU
# when gdb quits.
# GDB_SCRIPT=file runs gdb in batch mode on that script instead.
GDB ?= gdb
GDB_SCRIPT ?=
GDB_INIT := $(O)/gdbinit
QEMU_GDB_STUB = -S -gdb tcp:localhost:$(GDBPORT)

.PHONY: qemu qemu-gdb
qemu: run

# Written every time (FORCE has no rule, so it is always out of date):
# it holds the port, which a command line may set.
$(GDB_INIT): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' 'set pagination off' 'set confirm off' \
	    'set architecture i386:x86-64' \
	    'file $(abspath $(X86_ELF_CHECKED))' \
	    'source $(abspath tools/gdb/vg.py)' \
	    'target remote localhost:$(GDBPORT)' \
	    'echo vg: paused before the first instruction (try: hbreak x86_syscall,\n' \
	    'echo continue, vg-threads, help vg-walk; docs/debugging.md)\n' \
	    > $@

qemu-gdb: deps-debug $(X86_KERNEL_CHECKED) $(USER_ELFS) $(GDB_INIT) app-check
	@echo "make qemu-gdb: QEMU waits for gdb on port $(GDBPORT); in another" \
	    "terminal: $(GDB) -x $(GDB_INIT)"
	timeout --foreground $(DEBUG_TIMEOUT) $(QEMU) $(QEMU_FLAGS) \
	    $(QEMU_BOOT) $(QEMU_GDB_STUB)

debug: deps-debug $(X86_KERNEL_CHECKED) $(USER_ELFS) $(GDB_INIT) app-check
	@tools/debug.sh "$(GDB) -q -x $(GDB_INIT)$(if $(GDB_SCRIPT), -batch -x $(GDB_SCRIPT))" \
	    timeout $(DEBUG_TIMEOUT) $(QEMU) $(QEMU_FLAGS) $(QEMU_BOOT) \
	    $(QEMU_GDB_STUB)

clean:
	rm -rf $(O)

$(O)/disk.img:
	@mkdir -p $(@D)
	@echo "  DISK    $@"
	$(Q)sh tools/disk-image.sh $@

FORCE:

-include $(shell find $(O) -name '*.d' 2>/dev/null)
