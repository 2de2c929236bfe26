# vg: top-level build.
#
#   make            build the hosted core, its tests and the freestanding core
#   make test       build and run every test (installs what it needs)
#   make run        boot vg under QEMU with its demo
#   make bench      benchmarks          make fuzz    fuzzers
#   make debug      QEMU paused with its gdb stub
#   make clean
#
# V=1 shows the commands.
#
# Everything is built under $(O) (default: build/), never in the source tree.

O ?= build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
CC ?= gcc
LD ?= ld
NM ?= nm

# Debian packages each target needs (tools/deps.sh installs them).
DEPS_TEST := libcmocka-dev perl

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla
INCLUDES := -Iinclude -Ikernel/include

# --- the portable core -------------------------------------------------------

CORE_SRC := $(wildcard kernel/core/*.c kernel/core/api/*.c)
KLIB_SRC := $(wildcard kernel/lib/*.c)

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
FREESTANDING_CFLAGS := -std=c11 -O2 $(WARN) -ffreestanding -fno-common \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-stack-protector -fno-pic $(ARCH_CFLAGS) $(INCLUDES)
FREESTANDING_OBJ := $(CORE_SRC:%.c=$(O)/kernel/%.o) \
	$(KLIB_SRC:%.c=$(O)/kernel/%.o)
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

# Shell tests (TAP producers) that check builds rather than behaviour.
SCRIPT_TESTS := $(wildcard tests/build/*.sh)

# --- targets -------------------------------------------------------------------

.PHONY: all test run bench fuzz debug clean deps-test

all: $(HOSTED_LIB) $(CORE_RELOC) $(UNIT_BIN)

deps-test:
	@tools/deps.sh $(DEPS_TEST)

test: deps-test
	@$(MAKE) --no-print-directory all
	CMOCKA_MESSAGE_OUTPUT=TAP VG_BUILD=$(O) NM=$(NM) \
	    prove --exec '' $(UNIT_BIN) $(SCRIPT_TESTS)

run:
	@echo "make run: vg does not boot yet; the x86-64 port is issue #5." >&2
	@exit 2

bench:
	@echo "make bench: no benchmarks yet; they come with issue #7." >&2
	@exit 2

fuzz:
	@echo "make fuzz: no fuzz targets yet; they come with issue #4." >&2
	@exit 2

debug:
	@echo "make debug: vg does not boot yet; the x86-64 port is issue #5." >&2
	@exit 2

clean:
	rm -rf $(O)

-include $(shell find $(O) -name '*.d' 2>/dev/null)
