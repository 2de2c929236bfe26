# vg's benchmarks (bench/README.md).  Included by the Makefile after
# mk/user.mk, whose compile rules, flags and libvg it uses.
#
#   $(O)/user/broot.elf	the bench root task (bench/vg/root/: the harness
#			broot.c and a file per group of metrics): the
#			first boot module, which runs every measurement
#   $(O)/user/bpeer.elf	the code of its partner threads (bench/vg/peer.c),
#			loaded into two more address spaces
#   $(O)/user/bblk.elf	the block benchmark's client (bench/vg/blk.c),
#			booted in a machine of its own with the ordinary
#			root task, user/pci, user/virtio-blk and a disk
#
# make bench builds them, the kernel and the measuring kernel (the
# Makefile's X86_KERNEL_IRQOFF, for irqoff_destroy alone), then
# bench/run.sh boots vg under
# QEMU with instruction counting, runs the Linux peer (bench/linux/run.sh)
# and writes the tables and charts to BENCH_RESULTS (bench/report.sh).

BENCH_PROGRAMS := broot bpeer bblk
BENCH_SRC_broot := $(sort $(wildcard bench/vg/root/*.c))
BENCH_SRC_bpeer := bench/vg/peer.c
BENCH_SRC_bblk := bench/vg/blk.c
BENCH_LDS_bblk := $(USER_LDS)
BENCH_ASM_broot := bench/vg/root/resume.S
BENCH_ASM_bpeer := bench/vg/peer_entry.S
# bpeer lives at 0x800000, broot at libvg's usual 0x400000.
BENCH_LDS_broot := $(USER_LDS)
BENCH_LDS_bpeer := bench/vg/peer.ld
BENCH_ELFS := $(O)/user/broot.elf $(O)/user/bpeer.elf
# The block benchmark's machine: its modules in order (bench/run.sh).
BENCH_BLK_ELFS := $(O)/user/root.elf $(O)/user/pci.elf \
	$(O)/user/virtio-blk.elf $(O)/user/bblk.elf
# The -initrd list: the root task first; bench/run.sh boots copies of
# these files (without debug sections) under fixed names.
BENCH_RESULTS ?= bench/results
BENCH_TIMEOUT ?= 600

define bench_program
$(O)/user/$(1).elf: $(USER_CRT0) $(BENCH_SRC_$(1):%.c=$(O)/user/%.o) \
    $(BENCH_ASM_$(1):%.S=$(O)/user/%.S.o) $(LIBVG) $(BENCH_LDS_$(1))
	@echo "  LD      $$@"
	$(Q)$(LD) $(filter-out -T $(USER_LDS),$(USER_LDFLAGS)) \
	    -T $(BENCH_LDS_$(1)) -o $$@ $(USER_CRT0) \
	    $(BENCH_SRC_$(1):%.c=$(O)/user/%.o) \
	    $(BENCH_ASM_$(1):%.S=$(O)/user/%.S.o) $(LIBVG)
endef
$(foreach p,$(BENCH_PROGRAMS),$(eval $(call bench_program,$(p))))

.PHONY: bench-build bench-run bench-vg bench-profile deps-bench

deps-bench:
	@tools/deps.sh $(DEPS_BENCH)

bench-build: $(X86_KERNEL) $(X86_KERNEL_IRQOFF) $(BENCH_ELFS) $(BENCH_BLK_ELFS)

# The whole run: vg, the Linux peer, the report (bench/run.sh); every
# group, whatever BENCH_ONLY says, since the report needs every metric.
bench-run: bench-build
	@BENCH_TIMEOUT=$(BENCH_TIMEOUT) QEMU=$(QEMU) OBJCOPY=$(OBJCOPY) \
	    IRQOFF_KERNEL=$(X86_KERNEL_IRQOFF) BENCH_BLK_ELFS='$(BENCH_BLK_ELFS)' \
	    BENCH_ONLY= bench/run.sh \
	    $(O)/bench $(X86_KERNEL) $(BENCH_RESULTS) $(BENCH_ELFS)

# vg alone, no Linux peer and no report: $(O)/bench/vg.txt.  With
# BENCH_ONLY=group[,group] only those groups of metrics run (the
# groups: bench/README.md).
BENCH_ONLY ?=
bench-vg: deps-bench bench-build
	@BENCH_TIMEOUT=$(BENCH_TIMEOUT) QEMU=$(QEMU) OBJCOPY=$(OBJCOPY) \
	    IRQOFF_KERNEL=$(X86_KERNEL_IRQOFF) BENCH_VG_ONLY=1 \
	    BENCH_BLK_ELFS='$(BENCH_BLK_ELFS)' \
	    BENCH_ONLY='$(BENCH_ONLY)' bench/run.sh $(O)/bench \
	    $(X86_KERNEL) $(BENCH_RESULTS) $(BENCH_ELFS)

# Where the instructions of one iteration of metric PROFILE go, function
# by function (bench/profile.sh): make bench-profile PROFILE=roundtrip.
PROFILE ?= roundtrip
bench-profile: deps-bench bench-build
	@QEMU=$(QEMU) OBJCOPY=$(OBJCOPY) NM=$(NM) bench/profile.sh $(O)/bench \
	    $(X86_ELF) $(PROFILE) $(BENCH_ELFS)
