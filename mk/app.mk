# Which programs make run (and make debug, make qemu, make trace) boots.
# Included by the Makefile.
#
#   make run APP=hello			examples/hello
#   make run APP=counter		examples/counter: its programs, in the
#					order of examples/counter/boot
#   make run APP="hello counter"	several, one after the other
#   make run APP=hello ARGS="a b"	with arguments (main's argv)
#   make run TRACE=all			every program under rpctrace (TRACE=last:
#					the last one; TRACE=name: that one)
#
# APP defaults to the demo (user/demo), whose client runs under rpctrace.
# tools/app.sh turns APP, ARGS and TRACE into the boot modules (each "file
# name arguments") and the kernel command line words that tell the root
# task what to start (start=, trace=, tracer=; user/root/root.c).

APP ?= demo
ARGS ?=
TRACE ?= $(if $(filter demo,$(APP)),demo-client)

# Computed once, when first used: "modules|command line", or "error: ...".
APP_BOOT = $(eval APP_BOOT := $$(shell sh tools/app.sh '$$(O)' '$$(APP)' \
    '$$(ARGS)' '$$(TRACE)'))$(APP_BOOT)
APP_ERROR = $(filter error:%,$(firstword $(APP_BOOT)))
APP_CMDLINE = $(if $(APP_ERROR),,$(subst $(sep),$(space),$(word 2,$(subst |, ,$(subst $(space),$(sep),$(APP_BOOT))))))
APP_MODULES = $(if $(APP_ERROR),,$(subst $(sep),$(space),$(firstword $(subst |, ,$(subst $(space),$(sep),$(APP_BOOT))))))

empty :=
space := $(empty) $(empty)
sep := ^

.PHONY: app-check
# The programs are built first: tools/app.sh checks their files; and the
# machine's disk is made (the Makefile's DISK).
app-check: $(USER_ELFS) $(DISK)
	@boot=$$(sh tools/app.sh '$(O)' '$(APP)' '$(ARGS)' '$(TRACE)'); \
	case "$$boot" in error:*) echo "make: $$boot" >&2; exit 1 ;; esac
