# User programs and libvg (see lib/vg and user/).  Included by the Makefile.
#
#   $(O)/user/libvg.a		the user library (lib/vg)
#   $(O)/user/<prog>.elf	each of USER_PROGRAMS (user/)
#
# User code runs in ring 3 under vg: freestanding C11, no libc, static
# ELF64 at 0x400000 (lib/vg/arch/x86_64/user.ld), and no FPU/SSE
# registers, which the kernel does not save yet (-mgeneral-regs-only).

# Programs are folders.  A folder of user/ or examples/ with .c files of
# its own is one program, named after it, built from every .c file in it
# and in its sub-folders; a folder with none holds one program per
# sub-folder that has them, named <folder>-<sub> (examples/counter/server
# is counter-server).  Its sources see the headers of the folder above
# (-I): the protocol a server and its clients share lives there.  Nothing
# here names a program: a new folder is a new program.
PROGRAM_ROOTS := user examples
prog_top := $(patsubst %/,%,$(sort $(dir $(wildcard \
    $(PROGRAM_ROOTS:%=%/*/*.c)))))
prog_sub := $(filter-out $(prog_top:%=%/%),$(patsubst %/,%,$(sort \
    $(dir $(wildcard $(PROGRAM_ROOTS:%=%/*/*/*.c))))))
prog_name = $(if $(filter $(1),$(prog_top)),$(notdir $(1)),$(notdir \
    $(patsubst %/,%,$(dir $(1))))-$(notdir $(1)))

define program_folder
USER_PROGRAMS += $(call prog_name,$(1))
USER_SRC_$(call prog_name,$(1)) := $(sort $(wildcard $(1)/*.c $(1)/*/*.c))
PROGRAM_DIR_$(call prog_name,$(1)) := $(1)
$$(USER_SRC_$(call prog_name,$(1)):%.c=$$(O)/user/%.o): \
    USER_EXTRA_CFLAGS := -I$(if $(filter $(1),$(prog_top)),$(1),$(patsubst %/,%,$(dir $(1))))
endef
USER_PROGRAMS :=
$(foreach d,$(prog_top) $(prog_sub),$(eval $(call program_folder,$(d))))
ifneq ($(words $(USER_PROGRAMS)),$(words $(sort $(USER_PROGRAMS))))
$(error two program folders have the same name: $(sort $(foreach p,$(USER_PROGRAMS),$(if $(filter-out 1,$(words $(filter $(p),$(USER_PROGRAMS)))),$(p)))))
endif

# libvg's part for the machine: the system call instructions, the
# activation handler's entry and exit, crt0, the linker script, and the
# header with the handler's register frame.  The rest of lib/vg is
# portable.
LIBVG_ARCH := lib/vg/arch/x86_64
USER_LDS := $(LIBVG_ARCH)/user.ld

USER_CC ?= $(CC)
USER_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -nostdlib -nostdinc \
	-isystem $(shell $(USER_CC) -print-file-name=include) \
	-fno-pic -fno-pie -fno-stack-protector -fno-common \
	-fno-asynchronous-unwind-tables -mgeneral-regs-only -m64 \
	-Ilib/vg/include -I$(LIBVG_ARCH)/include -Iinclude -Ilib/fmt -Ilib/elf
USER_ASFLAGS := -m64 -g -Ilib/vg/include -Iinclude -Wa,--noexecstack
USER_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 --build-id=none \
	-T $(USER_LDS)

LIBVG_SRC := $(wildcard lib/vg/*.c) $(FMT_SRC)
LIBVG_ARCH_SRC := $(wildcard $(LIBVG_ARCH)/*.c)
LIBVG_ASM := $(filter-out $(LIBVG_ARCH)/crt0.S,$(wildcard $(LIBVG_ARCH)/*.S))
LIBVG_OBJ := $(LIBVG_SRC:%.c=$(O)/user/%.o) \
	$(LIBVG_ARCH_SRC:%.c=$(O)/user/%.o) $(LIBVG_ASM:%.S=$(O)/user/%.S.o)
LIBVG := $(O)/user/libvg.a
USER_CRT0 := $(O)/user/$(LIBVG_ARCH)/crt0.S.o

USER_ELFS := $(USER_PROGRAMS:%=$(O)/user/%.elf)

# The string functions must not be compiled into calls to themselves.
$(O)/user/lib/vg/string.o: USER_EXTRA_CFLAGS := \
	-fno-tree-loop-distribute-patterns

$(O)/user/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(USER_CC) $(USER_CFLAGS) $(USER_EXTRA_CFLAGS) -MMD -MP -c $< -o $@

$(O)/user/%.S.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(USER_CC) $(USER_ASFLAGS) -MMD -MP -c $< -o $@

$(LIBVG): $(LIBVG_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	$(Q)ar rcs $@ $^

define user_program
$(O)/user/$(1).elf: $(USER_CRT0) $(USER_SRC_$(1):%.c=$(O)/user/%.o) \
    $(LIBVG) $(USER_LDS)
	@echo "  LD      $$@"
	$(Q)$(LD) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) \
	    $(USER_SRC_$(1):%.c=$(O)/user/%.o) $(LIBVG)
endef
$(foreach p,$(USER_PROGRAMS),$(eval $(call user_program,$(p))))

.PHONY: user
user: $(LIBVG) $(USER_ELFS)

all: $(LIBVG) $(USER_ELFS)

# Host tests of libvg (tests/unit/libvg_test.c): libvg's portable parts
# compiled for Linux (-DLIBVG_HOSTED: no system call instruction, memory
# shared with the kernel reached through the test's hosted kernel core)
# and driven against the hosted core; it also reads the programs built
# above.  The test stands in for the system calls, the console and the
# string functions (lib/vg/console.c, lib/vg/string.c) and for the
# handler's assembly; the host is x86-64 too, so the handler's frame is
# LIBVG_ARCH's.  This rule replaces the Makefile's pattern rule for this
# test.
LIBVG_HOST_SRC := $(filter-out lib/vg/console.c lib/vg/string.c,\
    $(LIBVG_SRC))

$(O)/tests/libvg_test: tests/unit/libvg_test.c $(LIBVG_HOST_SRC) \
    $(UNIT_SUPPORT) $(HOSTED_LIB) $(USER_ELFS)
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	$(Q)$(CC) $(UNIT_CFLAGS) -DLIBVG_HOSTED -Ilib/vg/include \
	    -I$(LIBVG_ARCH)/include \
	    -DVG_USER_BUILD='"$(O)/user"' -MMD -MP $< $(LIBVG_HOST_SRC) \
	    $(UNIT_SUPPORT) $(HOSTED_LIB) -lcmocka -o $@

# --- in-VM tests (tests/qemu/, run by tests/build/qemu.sh) -------------------
#
# troot is a root task that starts the other test programs (boot modules,
# by name), plays its own part in each test, and prints TAP on the
# console.  TEST_QEMU_MODULES is the -initrd list, troot first.

TEST_PROGRAMS := troot tipc tcaps tfault tvirt tpager tstress ttraced \
    tvcap tcow tiso tvmfuzz tvmpeer
# Programs of user/ that the tests start too (boot modules of the test VM).
TEST_USER_PROGRAMS := rpctrace vcapd
TEST_COMMON := tests/qemu/common/tlib.c
USER_SRC_troot := $(wildcard tests/qemu/root/*.c)
USER_SRC_tipc := tests/qemu/ipc/ipc.c $(TEST_COMMON)
USER_SRC_tcaps := tests/qemu/caps/caps.c $(TEST_COMMON)
USER_SRC_tfault := tests/qemu/fault/fault.c $(TEST_COMMON)
USER_SRC_tvirt := tests/qemu/virt/virt.c $(TEST_COMMON)
USER_SRC_tpager := tests/qemu/pager/pager.c $(TEST_COMMON)
USER_SRC_tstress := tests/qemu/stress/stress.c $(TEST_COMMON)
USER_SRC_ttraced := tests/qemu/traced/traced.c
USER_SRC_tvcap := tests/qemu/vcap/vcap.c $(TEST_COMMON)
USER_SRC_tcow := tests/qemu/cow/cow.c $(TEST_COMMON)
USER_SRC_tiso := $(wildcard tests/qemu/iso/*.c) $(TEST_COMMON)
USER_SRC_tvmfuzz := $(wildcard tests/qemu/vmfuzz/*.c) $(TEST_COMMON)
USER_SRC_tvmpeer := tests/qemu/vmpeer/vmpeer.c $(TEST_COMMON)
TEST_ELFS := $(TEST_PROGRAMS:%=$(O)/user/%.elf) \
    $(TEST_USER_PROGRAMS:%=$(O)/user/%.elf)
TEST_QEMU_MODULES := $(shell echo $(foreach p,$(TEST_PROGRAMS) \
    $(TEST_USER_PROGRAMS),\
    $(O)/user/$(p).elf $(p)) | sed 's/\.elf \([a-z]*\) /.elf \1,/g')

$(foreach p,$(TEST_PROGRAMS),$(eval $(call user_program,$(p))))

.PHONY: qemu-tests check-qemu print-test-modules
qemu-tests: $(TEST_ELFS)

# The -initrd argument for them (tests/build/qemu.sh asks).
print-test-modules:
	@echo '$(TEST_QEMU_MODULES)'

all: $(TEST_ELFS)

# The in-VM tests alone, as TAP (make test runs them too).
check-qemu: deps-run
	@VG_BUILD=$(O) tests/build/qemu.sh
