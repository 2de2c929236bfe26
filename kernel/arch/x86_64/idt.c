/*
 * The interrupt descriptor table (see idt.h).  #DF, NMI and #MC run on
 * their own IST stacks (gdt.c), so that a kernel stack overflow or an NMI
 * right after syscall still lands on a good stack.
 */
#include <stdint.h>

#include "gdt.h"
#include "idt.h"
#include "trap.h"
#include "x86.h"

/* A 64-bit interrupt gate (SDM vol. 3, 6.14.1). */
struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;		/* bits 0..2: IST slot, 0 for none */
	uint8_t type_attr;	/* P, DPL, type */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "64-bit gate layout");

#define GATE_P		0x80
#define GATE_DPL(n)	((n) << 5)
#define GATE_INTR	0x0e	/* interrupt gate: clears IF */

static struct idt_gate idt[256] __attribute__((aligned(16)));

static void
set_gate(unsigned vec, uint64_t handler, unsigned dpl, unsigned ist)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = GDT_KERNEL_CS,
		.ist = (uint8_t)ist,
		.type_attr = (uint8_t)(GATE_P | GATE_DPL(dpl) | GATE_INTR),
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void
idt_init(void)
{
	for (unsigned v = 0; v < T_NVECTORS; v++)
		set_gate(v, trap_stubs[v], v == T_BP ? 3 : 0, 0);
	set_gate(T_DF, trap_stubs[T_DF], 0, IST_DOUBLE_FAULT);
	set_gate(T_NMI, trap_stubs[T_NMI], 0, IST_NMI);
	set_gate(T_MC, trap_stubs[T_MC], 0, IST_MACHINE_CHECK);
	lidt(idt, sizeof(idt) - 1);
}
