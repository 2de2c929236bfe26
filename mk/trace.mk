# make trace: boot vg as make run does, keep the serial log, and turn
# rpctrace's events in it into a Chrome trace (docs/virtualizers.md,
# "Traces to look at").  Included by the Makefile after mk/user.mk.
#
#   $(O)/tools/trace2json	the converter (tools/trace2json.c), a host
#				program
#   $(O)/trace.log		the serial output of the run
#   $(O)/trace.json		the trace: open it in ui.perfetto.dev or
#				chrome://tracing
#
# What is booted comes from make run's variables: the checked kernel,
# QEMU_FLAGS, QEMU_BOOT (QEMU_MODULES for the -initrd list, VG_CMDLINE
# for the command line) and TRACE_FILES, the module files to build
# first (make run's: every program, and APP checked).  The trace has what rpctrace printed:
# the boot must run some program under it.

TRACE2JSON := $(O)/tools/trace2json
TRACE_LOG := $(O)/trace.log
TRACE_JSON := $(O)/trace.json
TRACE_FILES ?= $(USER_ELFS) app-check
# make trace APP=x traces the last program x starts (the demo: its
# client, as make run does) unless TRACE= names one.  One: each tracer
# numbers the invocations it sees on its own, and tools/trace2json reads
# the events of one.
trace: TRACE = last

$(TRACE2JSON): tools/trace2json.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) -std=c11 -O2 -g $(WARN) -o $@ $<

all: $(TRACE2JSON)

# QEMU's status as make run reads it: 1 is vg's success.  The trace is
# written whatever the status, since a failed run's trace is the one
# worth reading; make fails after it.
.PHONY: trace
trace: deps-run $(X86_KERNEL_CHECKED) $(TRACE_FILES) $(TRACE2JSON)
	@echo "  QEMU    $(X86_KERNEL_CHECKED)" \
	    "$(strip $(APP_CMDLINE) $(VG_CMDLINE)) > $(TRACE_LOG)"
	@status=0; timeout --foreground $(QEMU_TIMEOUT) \
	    $(QEMU) $(QEMU_FLAGS) $(QEMU_BOOT) </dev/null >$(TRACE_LOG) \
	    || status=$$?; \
	case $$status in \
	1) ;; \
	124) echo "make trace: QEMU timed out after $(QEMU_TIMEOUT) s" >&2 ;; \
	*) echo "make trace: QEMU exited with status $$status" \
	    "(vg's success is 1)" >&2 ;; \
	esac; \
	echo "  TRACE   $(TRACE_JSON)"; rm -f $(TRACE_JSON); \
	$(TRACE2JSON) $(TRACE_LOG) >$(TRACE_JSON).tmp && \
	    mv $(TRACE_JSON).tmp $(TRACE_JSON) || \
	    { rm -f $(TRACE_JSON).tmp; exit 1; }; \
	echo "make trace: $(TRACE_JSON) from $(TRACE_LOG);" \
	    "open it at ui.perfetto.dev (Open trace file) or in" \
	    "chrome://tracing (Load)"; \
	test $$status = 1
