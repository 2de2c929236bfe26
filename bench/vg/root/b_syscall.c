/*
 * The floor under every measurement: the timing window itself, the
 * cheapest system call that does something (through libvg's stub and
 * without it) and one that does nothing but enter and leave the kernel.
 * Every other figure includes these costs.
 */
#include "broot.h"

static void
bench_syscall(void)
{
	struct vg_ipc_args a = { .flags = VG_IPC_RETURN };

	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("empty_window", -1, i, warmup);
		uint64_t t0 = bench_tsc(), t1 = bench_tsc();

		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report("empty_window", -1, samples, iters);

	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("null_syscall", -1, i, warmup);
		uint64_t t0 = bench_tsc(), t1;
		enum vg_err err = vg_ipc(&a);

		t1 = bench_tsc();
		if (err != VG_OK)
			die("null_syscall: %s", vg_strerror(err));
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report("null_syscall", -1, samples, iters);

	/* The same call as a bare syscall instruction (no stub). */
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("null_syscall_asm", -1, i, warmup);
		register uint64_t rax __asm__("rax");
		register uint64_t rdi __asm__("rdi") = VG_IPC_RETURN;
		uint64_t t0 = bench_tsc(), t1;

		rax = VG_SYSCALL_IPC;
		__asm__ volatile("syscall" : "+r"(rax) : "r"(rdi)
		    : "rcx", "r11", "memory");
		t1 = bench_tsc();
		if (rax != VG_OK)
			die("null_syscall_asm: %s", vg_strerror(rax));
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report("null_syscall_asm", -1, samples, iters);

	/* An unknown system call number: the kernel's entry and exit and
	 * nothing else. */
	for (unsigned i = 0; i < warmup + iters; i++) {
		prof("syscall_unknown", -1, i, warmup);
		register uint64_t rax __asm__("rax");
		uint64_t t0 = bench_tsc(), t1;

		rax = VG_SYSCALL_COUNT;
		__asm__ volatile("syscall" : "+r"(rax) : : "rcx", "r11",
		    "memory");
		t1 = bench_tsc();
		if (rax != VG_ERR_METHOD)
			die("syscall_unknown: %s", vg_strerror(rax));
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report("syscall_unknown", -1, samples, iters);
}


const struct bench_group bench_group_syscall = { "syscall", bench_syscall };
