/*
 * In-VM test program "tfault": raises the processor exception its first
 * argument names (enum t_fault_kind) and, when its exception handler (the
 * test root, tests/qemu/root/t_fault.c) resumes it after the faulting
 * instruction, checks that its registers survived.
 *
 * Each fault is in an assembly body t_fault_body_K(magic): it loads
 * values derived from MAGIC into every callee-saved register and RDI,
 * executes the instruction at t_insn_K, and at t_resume_K (the next
 * instruction) returns 0 if all of them still hold those values, else 1.
 * The root reads these symbols from the image.
 *
 * With T_FAULT_SELF it handles a ud2 itself: its own messenger is its
 * thread's exception messenger, and its activation handler moves the
 * interrupted ip past the instruction.  With T_FAULT_NT_SYSCALL it makes
 * a system call with RFLAGS.NT set (ring 3 may set it with popf).  With
 * T_ISO_JOB + an enum t_iso_kind it attacks the hardware protections
 * (the isolation group, tests/qemu/root/t_iso_hardware.c): bodies 10..17
 * jump to, write or read t_iso_target, or store the GDT or IDT register
 * into t_iso_buf.
 * T_FAULT_NO_CONSOLE, _NO_POWER and _FORGE it tries to use authority it
 * was not given (attack(), below).
 */
#include "../common/tlib.h"

/* Written to by T_FAULT_RODATA_WRITE: in .rodata, so an rpage. */
const uint64_t t_rodata_word = 0x726f64617461ull;

/* The isolation attacks: what they aim at, what sgdt/sidt store, and
 * code in .data (initialized: not .bss). */
uint64_t t_iso_target;
uint8_t t_iso_buf[16];
static uint8_t iso_data_code[16] = { 0x90 };

#define BODY(k, setup, insn)						\
	".globl t_fault_body_" #k "\n"					\
	".type t_fault_body_" #k ", @function\n"			\
	"t_fault_body_" #k ":\n"					\
	"	pushq %rbx\n	pushq %rbp\n	pushq %r12\n"		\
	"	pushq %r13\n	pushq %r14\n	pushq %r15\n"		\
	"	movq %rdi, %rbx\n"					\
	"	leaq 1(%rdi), %rbp\n	leaq 2(%rdi), %r12\n"		\
	"	leaq 3(%rdi), %r13\n	leaq 4(%rdi), %r14\n"		\
	"	leaq 5(%rdi), %r15\n"					\
	setup								\
	".globl t_insn_" #k "\n"					\
	"t_insn_" #k ":\n"						\
	insn "\n"							\
	".globl t_resume_" #k "\n"					\
	"t_resume_" #k ":\n"						\
	"	jmp t_fault_check\n"					\
	".size t_fault_body_" #k ", . - t_fault_body_" #k "\n"

/* RCX the target, RDX where code that ran should come back to. */
#define ISO_SETUP(k)							\
	"	movq t_iso_target(%rip), %rcx\n"				\
	"	leaq t_resume_" #k "(%rip), %rdx\n"

__asm__(
	".text\n"
	/* Shared tail: RAX = 0 if the registers hold what BODY put
	 * there; then the epilogue of the body that jumped here. */
	"t_fault_check:\n"
	"	movl $1, %eax\n"
	"	cmpq %rdi, %rbx\n	jne 1f\n"
	"	leaq 1(%rbx), %rcx\n	cmpq %rcx, %rbp\n	jne 1f\n"
	"	leaq 2(%rbx), %rcx\n	cmpq %rcx, %r12\n	jne 1f\n"
	"	leaq 3(%rbx), %rcx\n	cmpq %rcx, %r13\n	jne 1f\n"
	"	leaq 4(%rbx), %rcx\n	cmpq %rcx, %r14\n	jne 1f\n"
	"	leaq 5(%rbx), %rcx\n	cmpq %rcx, %r15\n	jne 1f\n"
	"	xorl %eax, %eax\n"
	"1:	popq %r15\n	popq %r14\n	popq %r13\n"
	"	popq %r12\n	popq %rbp\n	popq %rbx\n"
	"	ret\n"
	BODY(0, "", "	movq 0, %rax")
	BODY(1, "", "	movq %rbx, t_rodata_word(%rip)")
	BODY(2, "", "	movabsq 0xffff800000000000, %rax")
	BODY(3, "", "	ud2")
	BODY(4, "	xorl %ecx, %ecx\n	xorl %edx, %edx\n	movl $7, %eax\n",
	    "	divl %ecx")
	BODY(5, "", "	hlt")
	BODY(6, "", "	cli")
	BODY(7, "", "	int $0x80")
	BODY(8, "", "	movabsq 0x8000000000000000, %rax")
	BODY(9, "", "	int3")
	/* The isolation attacks (T_ISO_BODY + enum t_iso_kind). */
	BODY(10, ISO_SETUP(10), "	jmp *%rcx")
	BODY(11, ISO_SETUP(11), "	jmp *%rcx")
	BODY(12, ISO_SETUP(12), "	jmp *%rcx")
	BODY(13, ISO_SETUP(13), "	movb %cl, (%rcx)")
	BODY(14, ISO_SETUP(14), "	movq (%rcx), %rax")
	BODY(15, ISO_SETUP(15), "	sgdt t_iso_buf(%rip)")
	BODY(16, ISO_SETUP(16), "	sidt t_iso_buf(%rip)")
	BODY(17, ISO_SETUP(17), "	jmp *%rcx")
);

_Static_assert(T_ISO_EXEC_HEAP == 0 && T_ISO_EXEC_STACK == 1 &&
    T_ISO_EXEC_DATA == 2 && T_ISO_WRITE_KTEXT == 3 &&
    T_ISO_READ_KDATA == 4 && T_ISO_SGDT == 5 && T_ISO_SIDT == 6 &&
    T_ISO_JUMP_KTEXT == 7 && T_ISO_KINDS == 8 && T_ISO_BODY == 10,
    "bodies 10..17 are numbered by enum t_iso_kind");
_Static_assert(T_FAULT_NULL_READ == 0 && T_FAULT_RODATA_WRITE == 1 &&
    T_FAULT_KERNEL_READ == 2 && T_FAULT_UD2 == 3 && T_FAULT_DIV0 == 4 &&
    T_FAULT_HLT == 5 && T_FAULT_CLI == 6 && T_FAULT_INT80 == 7 &&
    T_FAULT_NONCANONICAL == 8 && T_FAULT_INT3 == 9 && T_FAULT_KINDS == 10,
    "the bodies above are numbered by enum t_fault_kind");

/* A no-op vg_ipc (RETURN only) made with RFLAGS.NT set.  Returns its
 * result, and in bit 32 whether NT was still set after it. */
__asm__(
	".text\n"
	".globl t_nt_syscall\n"
	".type t_nt_syscall, @function\n"
	"t_nt_syscall:\n"
	"	pushq %r12\n"
	"	pushfq\n"
	"	orq $0x4000, (%rsp)\n"
	"	popfq\n"
	"	xorl %eax, %eax\n"		/* VG_SYSCALL_IPC */
	"	movl $0x10000, %edi\n"		/* VG_IPC_RETURN */
	".globl t_nt_insn\n"
	"t_nt_insn:\n"
	"	syscall\n"
	"	pushfq\n"
	"	popq %r12\n"
	"	pushfq\n"
	"	andq $~0x4000, (%rsp)\n"
	"	popfq\n"
	"	shrq $14, %r12\n"
	"	andq $1, %r12\n"
	"	shlq $32, %r12\n"
	"	movl %eax, %eax\n"
	"	orq %r12, %rax\n"
	"	popq %r12\n"
	"	ret\n"
	".size t_nt_syscall, . - t_nt_syscall\n");
uint64_t t_nt_syscall(void);

/* A bare system call NR with RDI A and RSI B (the old debug calls'
 * registers); its result. */
static uint64_t
raw_syscall(uint64_t nr, uint64_t a, uint64_t b)
{
	register uint64_t rax __asm__("rax") = nr;
	register uint64_t rdi __asm__("rdi") = a;
	register uint64_t rsi __asm__("rsi") = b;

	__asm__ volatile("syscall" : "+r"(rax) : "r"(rdi), "r"(rsi)
	    : "rcx", "r11", "memory");
	return rax;
}

/*
 * The attacks of the isolation group.  Each records what it got in the
 * mailbox and exits: the root checks that it got nothing, and that the
 * machine, and everybody else, went on.
 */
static _Noreturn void
attack(uint64_t kind)
{
	static const char text[] = "tfault: this must not reach any console\n";
	struct vg_runtime *rt = vg_self();
	enum vg_err err;

	switch (kind) {
	case T_FAULT_NO_CONSOLE:
		/* printf too: it must neither print nor fail loudly. */
		printf("%s", text);
		vg_flush();
		t_value(1, (uint64_t)vg_debug_write(text, sizeof(text) - 1));
		/* The system call number DEBUG_WRITE had. */
		t_value(2, raw_syscall(1, (uint64_t)(uintptr_t)text,
		    sizeof(text) - 1));
		t_value(3, (uint64_t)vg_console_write(vg_kcall(), rt->console,
		    text, sizeof(text) - 1));
		break;
	case T_FAULT_NO_POWER:
		t_value(1, (uint64_t)vg_halt(0));
		/* The number DEBUG_EXIT had, with the success status. */
		t_value(2, raw_syscall(2, 0, 0));
		/* The one console it has is the root's, which has no such
		 * method (nor has the kernel's). */
		vg_call_begin(&rt->ucall, VG_METHOD_POWER_OFF);
		vg_call_word(&rt->ucall, 0);
		err = vg_call(&rt->ucall, rt->console);
		t_value(3, (uint64_t)err);
		break;
	case T_FAULT_FORGE: {
		/* What the harness would take for a result, a failure and
		 * a plan (T_FAULT_FORGED_LINES of them), the last two in
		 * the middle of one write; and one behind a carriage
		 * return, which a terminal would show at the line's start. */
		static const char more[] = "tfault: a line that ends early\n"
		    "not ok 2 - isolation: forged by tfault\n1..1\n";

		printf("ok 1 - isolation: forged by tfault\n");
		vg_flush();
		err = vg_debug_write(more, sizeof(more) - 1);
		printf("\rok 3 - isolation: forged behind a carriage return\n");
		vg_flush();
		t_value(1, (uint64_t)err);
		break;
	}
	}
	t_finish();
}

typedef uint64_t body_fn(uint64_t magic);
extern body_fn t_fault_body_0, t_fault_body_1, t_fault_body_2,
    t_fault_body_3, t_fault_body_4, t_fault_body_5, t_fault_body_6,
    t_fault_body_7, t_fault_body_8, t_fault_body_9;

static body_fn *const bodies[T_FAULT_KINDS] = {
	t_fault_body_0, t_fault_body_1, t_fault_body_2, t_fault_body_3,
	t_fault_body_4, t_fault_body_5, t_fault_body_6, t_fault_body_7,
	t_fault_body_8, t_fault_body_9,
};

extern body_fn t_fault_body_10, t_fault_body_11, t_fault_body_12,
    t_fault_body_13, t_fault_body_14, t_fault_body_15, t_fault_body_16,
    t_fault_body_17;

static body_fn *const iso_bodies[T_ISO_KINDS] = {
	t_fault_body_10, t_fault_body_11, t_fault_body_12, t_fault_body_13,
	t_fault_body_14, t_fault_body_15, t_fault_body_16, t_fault_body_17,
};

/*
 * Attack K of enum t_iso_kind.  If the hardware stops it, the harness
 * resumes this thread after the instruction; if not, the body comes back
 * by itself (code that ran jumps to its resume point) and the mailbox
 * says what got through.
 */
static _Noreturn void
iso_attack(unsigned k, uint64_t kdata)
{
	uint8_t stack_code[16];
	uint8_t *code = NULL;
	uint64_t r;

	switch (k) {
	case T_ISO_EXEC_HEAP: {
		uint64_t page = vg_page_alloc(1);

		if (!t_check(page != 0, "no heap page"))
			t_finish();
		code = VG_PTR(page);
		break;
	}
	case T_ISO_EXEC_STACK:
		code = stack_code;
		break;
	case T_ISO_EXEC_DATA:
		code = iso_data_code;
		break;
	case T_ISO_READ_KDATA:
		t_iso_target = kdata;
		break;
	case T_ISO_WRITE_KTEXT:
	case T_ISO_JUMP_KTEXT:
		t_iso_target = T_ISO_KTEXT;
		break;
	default:
		t_iso_target = 0;
		break;
	}
	if (code != NULL) {
		/* Written here, so the page is mapped (no-execute) first. */
		((volatile uint8_t *)code)[0] = T_ISO_CODE0;
		((volatile uint8_t *)code)[1] = T_ISO_CODE1;
		t_iso_target = (uint64_t)(uintptr_t)code;
	}
	t_value(0, T_ISO_JOB + k);
	t_value(2, t_iso_target);
	printf("tfault: attack %u at %#lx\n", k, (unsigned long)t_iso_target);
	vg_flush();
	t_mailbox()->stage = T_FAULT_STAGE_ABOUT;
	r = iso_bodies[k](0x150000000ull | k << 8);
	t_mailbox()->stage = T_FAULT_STAGE_RECOVERED;
	t_value(1, r);
	/* What sgdt or sidt stored, if they ran: limit, then base. */
	t_value(3, *(volatile uint64_t *)(void *)(t_iso_buf + 2));
	t_check(r == 0, "attack %u: registers changed across the fault", k);
	t_finish();
}

extern char t_insn_3[], t_resume_3[];

static volatile uint64_t self_faults;
static struct vg_activation self_act;

/* In my activation handler: my own fault.  Resume after the ud2. */
static void
on_exception(struct vg_act_handler *h, const struct vg_activation *a)
{
	(void)h;
	self_act = *a;
	self_faults++;
	if ((a->reason & VG_ACTIVATION_FAULT) &&
	    vg_act_stack.state.frame.rip == (uint64_t)(uintptr_t)t_insn_3)
		vg_act_stack.state.frame.rip = (uint64_t)(uintptr_t)t_resume_3;
}

static void
self_handled(void)
{
	static struct vg_act_handler h = { .fn = on_exception,
	    .name = "exception" };
	uint64_t r;
	enum vg_err err = t_faults_to_me(&h);

	if (!t_check(err == VG_OK, "my exception messenger: %s",
	    vg_strerror(err)))
		return;
	t_mailbox()->stage = T_FAULT_STAGE_ABOUT;
	r = t_fault_body_3(0x5e1f);
	t_mailbox()->stage = T_FAULT_STAGE_RECOVERED;
	t_value(1, r);
	t_value(2, self_faults);
	t_value(3, self_act.fault_address);
	t_check(self_faults == 1, "%lu fault activations",
	    (unsigned long)self_faults);
	t_check(self_act.reason == (VG_ACTIVATION_FAULT | VG_ACTIVATION_ERROR) &&
	    self_act.messenger_id == vg_act_id(&h) &&
	    self_act.error == VG_ERR_EXCEPTION && self_act.exception == 6 &&
	    self_act.fault_address == (uint64_t)(uintptr_t)t_insn_3 &&
	    self_act.interrupted_ip == (uint64_t)(uintptr_t)t_insn_3,
	    "my fault activation: reason %#x, error %d, vector %u, address "
	    "%#lx, interrupted at %#lx", self_act.reason, self_act.error,
	    self_act.exception, (unsigned long)self_act.fault_address,
	    (unsigned long)self_act.interrupted_ip);
	t_check(r == 0, "registers changed across my own fault handling");
}

int
main(void)
{
	struct t_mailbox *mb = t_mailbox();
	uint64_t kind = t_arg(0, T_FAULT_KINDS);
	uint64_t magic = 0x1234567800000000ull | kind << 8;
	uint64_t r;

	if (kind == T_FAULT_SELF) {
		self_handled();
		t_finish();
	}
	if (kind >= T_FAULT_NO_CONSOLE && kind <= T_FAULT_FORGE)
		attack(kind);
	if (kind == T_FAULT_SPIN) {
		volatile uint64_t *counter = &mb->value[5];

		(void)t_parent_report(T_FAULT_SPIN, 0, 0);
		for (;;)
			(*counter)++;
	}
	if (kind == T_FAULT_FREE_SELF) {
		enum vg_err err;

		(void)t_parent_report(T_FAULT_FREE_SELF, 0, 0);
		/* The folio holds this thread, its code, stack and UTCB:
		 * the system call destroys its own caller. */
		err = vg_folio_free(vg_kcall(),
		    vg_boot_slot(VG_BOOT_SLOT_FOLIO));
		mb->value[6] = (uint64_t)err + 1;
		t_check(false, "FOLIO_FREE of my own folio returned: %s",
		    vg_strerror(err));
		t_finish();
	}
	if (kind == T_FAULT_NT_SYSCALL) {
		printf("tfault: a system call with RFLAGS.NT set\n");
		vg_flush();
		mb->stage = T_FAULT_STAGE_ABOUT;
		r = t_nt_syscall();
		mb->stage = T_FAULT_STAGE_RECOVERED;
		t_value(1, r);
		t_check((uint32_t)r == VG_OK, "the system call returned %s",
		    vg_strerror((enum vg_err)(uint32_t)r));
		printf("tfault: survived it (NT %s afterwards)\n",
		    r >> 32 ? "still set" : "clear");
		t_finish();
	}
	if (kind >= T_ISO_JOB && kind < T_ISO_JOB + T_ISO_KINDS)
		iso_attack((unsigned)(kind - T_ISO_JOB), t_arg(1, 0));
	if (!t_check(kind < T_FAULT_KINDS, "no such fault kind %lu",
	    (unsigned long)kind))
		t_finish();
	t_value(0, kind);
	printf("tfault: raising fault kind %lu\n", (unsigned long)kind);
	vg_flush();
	mb->stage = T_FAULT_STAGE_ABOUT;
	r = bodies[kind](magic);
	mb->stage = T_FAULT_STAGE_RECOVERED;
	t_value(1, r);
	t_check(r == 0, "kind %lu: registers changed across the fault",
	    (unsigned long)kind);
	t_check(*(const volatile uint64_t *)&t_rodata_word ==
	    0x726f64617461ull, "the read-only word changed to %#lx",
	    (unsigned long)*(const volatile uint64_t *)&t_rodata_word);
	t_finish();
}
