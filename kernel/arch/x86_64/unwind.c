/*
 * The DWARF CFI unwinder (see unwind.h): the FDE of a pc from
 * .eh_frame_hdr's sorted table, its CIE's and its own call-frame
 * instructions run up to the pc, and the row found applied to the
 * frame.  It understands what GCC emits for C on x86-64 (the CFA as a
 * register plus an offset, saved registers at offsets from it, the
 * state remembered and restored around an early return); a CFA given
 * as an expression, or anything malformed, stops the walk.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unwind.h"
#include "x86.h"

/* Pointer encodings (DW_EH_PE_*): a format, then what it is relative to. */
#define PE_ABSPTR	0x00
#define PE_ULEB128	0x01
#define PE_UDATA2	0x02
#define PE_UDATA4	0x03
#define PE_UDATA8	0x04
#define PE_SLEB128	0x09
#define PE_SDATA2	0x0a
#define PE_SDATA4	0x0b
#define PE_SDATA8	0x0c
#define PE_PCREL	0x10
#define PE_DATAREL	0x30
#define PE_INDIRECT	0x80

/* Call-frame instructions (DW_CFA_*): three with an operand in the low
 * six bits, then the others. */
#define CFA_ADVANCE_LOC		0x40
#define CFA_OFFSET		0x80
#define CFA_RESTORE		0xc0
#define CFA_NOP			0x00
#define CFA_SET_LOC		0x01
#define CFA_ADVANCE_LOC1	0x02
#define CFA_ADVANCE_LOC2	0x03
#define CFA_ADVANCE_LOC4	0x04
#define CFA_OFFSET_EXTENDED	0x05
#define CFA_RESTORE_EXTENDED	0x06
#define CFA_UNDEFINED		0x07
#define CFA_SAME_VALUE		0x08
#define CFA_REGISTER		0x09
#define CFA_REMEMBER_STATE	0x0a
#define CFA_RESTORE_STATE	0x0b
#define CFA_DEF_CFA		0x0c
#define CFA_DEF_CFA_REGISTER	0x0d
#define CFA_DEF_CFA_OFFSET	0x0e
#define CFA_DEF_CFA_EXPRESSION	0x0f
#define CFA_EXPRESSION		0x10
#define CFA_OFFSET_EXTENDED_SF	0x11
#define CFA_DEF_CFA_SF		0x12
#define CFA_DEF_CFA_OFFSET_SF	0x13
#define CFA_VAL_OFFSET		0x14
#define CFA_VAL_OFFSET_SF	0x15
#define CFA_VAL_EXPRESSION	0x16
#define CFA_GNU_ARGS_SIZE	0x2e

/* Nesting of remember_state: GCC uses one level. */
#define REMEMBER_MAX	4

#define REG_BIT(r)	((uint32_t)1 << (r))

/* A reader bounded by END: a read past it, or of a bad value, sets BAD. */
struct cursor {
	const uint8_t *p, *end;
	bool bad;
};

/* How a register of the caller is found (DWARF's register rules). */
enum rule_kind {
	RULE_SAME,		/* unchanged (callee-saved, never touched) */
	RULE_UNDEF,		/* lost */
	RULE_OFFSET,		/* saved at CFA + arg */
	RULE_VAL_OFFSET,	/* is CFA + arg */
	RULE_REGISTER,		/* is this frame's register arg */
	RULE_UNKNOWN,		/* given by an expression: not followed */
};

struct rule {
	uint8_t kind;
	int32_t arg;
};

/* A row of the CFI table: the CFA and every register's rule. */
struct row {
	uint64_t cfa_reg;
	int64_t cfa_off;
	bool cfa_expr;		/* the CFA is an expression */
	struct rule rule[UNWIND_NREGS];
};

struct cie {
	uint64_t code_align;
	int64_t data_align;
	uint64_t ra;		/* the return address column */
	uint8_t fde_enc;	/* how its FDEs encode their addresses */
	bool zaug;		/* FDEs carry augmentation data */
	bool signal;		/* its frames are interrupted, not calls */
	struct cursor insns;	/* the initial instructions */
};

static bool
in(uintptr_t a, const void *lo, const void *hi)
{
	return a >= (uintptr_t)lo && a < (uintptr_t)hi;
}

/* N little-endian bytes. */
static uint64_t
rd(struct cursor *c, unsigned n)
{
	uint64_t v = 0;

	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	return v;
}

static void
skip(struct cursor *c, uint64_t n)
{
	if (c->bad || (uint64_t)(c->end - c->p) < n)
		c->bad = true;
	else
		c->p += n;
}

static uint64_t
rd_uleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	do {
		b = (uint8_t)rd(c, 1);
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while ((b & 0x80) != 0);
	return v;
}

static int64_t
rd_sleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	do {
		b = (uint8_t)rd(c, 1);
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while ((b & 0x80) != 0);
	if (shift < 64 && (b & 0x40) != 0)
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

/* A pointer in encoding ENC; DATAREL is the base of a data-relative one. */
static uint64_t
rd_enc(struct cursor *c, uint8_t enc, uint64_t datarel)
{
	uint64_t at = (uint64_t)(uintptr_t)c->p, v;

	switch (enc & 0x0f) {
	case PE_ABSPTR:
	case PE_UDATA8:
	case PE_SDATA8:
		v = rd(c, 8);
		break;
	case PE_ULEB128:
		v = rd_uleb(c);
		break;
	case PE_UDATA2:
		v = rd(c, 2);
		break;
	case PE_SDATA2:
		v = (uint64_t)(int64_t)(int16_t)rd(c, 2);
		break;
	case PE_UDATA4:
		v = rd(c, 4);
		break;
	case PE_SDATA4:
		v = (uint64_t)(int64_t)(int32_t)rd(c, 4);
		break;
	case PE_SLEB128:
		v = (uint64_t)rd_sleb(c);
		break;
	default:
		c->bad = true;
		return 0;
	}
	switch (enc & 0x70) {
	case 0:
		return v;
	case PE_PCREL:
		return v + at;
	case PE_DATAREL:
		return v + datarel;
	default:
		c->bad = true;
		return 0;
	}
}

/*
 * Open the .eh_frame record at AT: C covers its contents after the
 * length.  False unless it is a whole record inside .eh_frame.
 */
static bool
record(uintptr_t at, struct cursor *c)
{
	uint64_t len;

	if (!in(at, __eh_frame_start, __eh_frame_end))
		return false;
	c->p = (const uint8_t *)at;
	c->end = (const uint8_t *)__eh_frame_end;
	c->bad = false;
	len = rd(c, 4);
	/* 0 ends the section; 0xffffffff is a 64-bit length, never here. */
	if (c->bad || len == 0 || len == 0xffffffff ||
	    len > (uint64_t)(c->end - c->p))
		return false;
	c->end = c->p + len;
	return true;
}

static bool
parse_cie(uintptr_t at, struct cie *ci)
{
	struct cursor c;
	const char *aug;
	const uint8_t *augend;
	uint64_t version, len;
	uint8_t enc;

	if (!record(at, &c) || rd(&c, 4) != 0 || c.bad)
		return false;		/* not a CIE */
	version = rd(&c, 1);
	if (version != 1 && version != 3)
		return false;
	aug = (const char *)c.p;
	while (rd(&c, 1) != 0)
		;
	ci->code_align = rd_uleb(&c);
	ci->data_align = rd_sleb(&c);
	ci->ra = version == 1 ? rd(&c, 1) : rd_uleb(&c);
	ci->fde_enc = PE_ABSPTR;
	ci->zaug = false;
	ci->signal = false;
	if (c.bad)
		return false;
	if (aug[0] == 'z') {
		ci->zaug = true;
		len = rd_uleb(&c);
		if (c.bad || len > (uint64_t)(c.end - c.p))
			return false;
		augend = c.p + len;
		for (unsigned i = 1; aug[i] != '\0' && !c.bad; i++) {
			if (aug[i] == 'R') {
				ci->fde_enc = (uint8_t)rd(&c, 1);
			} else if (aug[i] == 'P') {
				/* The personality routine: read past. */
				enc = (uint8_t)rd(&c, 1);
				(void)rd_enc(&c, enc & ~PE_INDIRECT, 0);
			} else if (aug[i] == 'L') {
				(void)rd(&c, 1);
			} else if (aug[i] == 'S') {
				ci->signal = true;
			} else {
				break;	/* the length skips the rest */
			}
		}
		if (c.bad || c.p > augend)
			return false;
		c.p = augend;
	} else if (aug[0] != '\0') {
		return false;
	}
	if (ci->ra >= UNWIND_NREGS)
		return false;
	ci->insns = c;
	return true;
}

/* The hdr table's entry I: its initial location and its FDE. */
static void
hdr_entry(const uint8_t *table, uint64_t i, uint64_t *loc, uint64_t *fde)
{
	uint64_t base = (uint64_t)(uintptr_t)__eh_frame_hdr_start;
	struct cursor c = { table + 8 * i, table + 8 * i + 8, false };

	*loc = rd_enc(&c, PE_DATAREL | PE_SDATA4, base);
	*fde = rd_enc(&c, PE_DATAREL | PE_SDATA4, base);
}

/*
 * The FDE that covers PC: its CIE, its instructions and its first
 * location.
 */
static enum unwind_status
find_fde(uint64_t pc, struct cie *ci, struct cursor *insns, uint64_t *begin)
{
	const uint8_t *hdr = (const uint8_t *)__eh_frame_hdr_start;
	struct cursor c = { hdr, (const uint8_t *)__eh_frame_hdr_end, false };
	uint64_t base = (uint64_t)(uintptr_t)hdr, count, lo, hi, mid, loc;
	uint64_t fde, id, range, len;
	const uint8_t *table, *at;
	uint8_t ptr_enc, count_enc, table_enc;

	if (rd(&c, 1) != 1)
		return UNWIND_BAD_CFI;	/* the hdr's version */
	ptr_enc = (uint8_t)rd(&c, 1);
	count_enc = (uint8_t)rd(&c, 1);
	table_enc = (uint8_t)rd(&c, 1);
	(void)rd_enc(&c, ptr_enc, base);
	count = rd_enc(&c, count_enc, base);
	/* ld writes the table in one encoding, 4-byte offsets from the hdr. */
	if (c.bad || table_enc != (PE_DATAREL | PE_SDATA4) ||
	    count > (uint64_t)(c.end - c.p) / 8)
		return UNWIND_BAD_CFI;
	table = c.p;

	/* The last entry at or below PC. */
	lo = 0;
	hi = count;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		hdr_entry(table, mid, &loc, &fde);
		if (loc <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return UNWIND_NO_FDE;
	hdr_entry(table, lo - 1, &loc, &fde);

	if (!record(fde, &c))
		return UNWIND_BAD_CFI;
	at = c.p;
	id = rd(&c, 4);		/* back from here to the CIE */
	if (c.bad || id == 0 ||
	    id > (uint64_t)((uintptr_t)at - (uintptr_t)__eh_frame_start))
		return UNWIND_BAD_CFI;
	if (!parse_cie((uintptr_t)at - id, ci))
		return UNWIND_BAD_CFI;
	*begin = rd_enc(&c, ci->fde_enc, 0);
	range = rd_enc(&c, ci->fde_enc & 0x0f, 0);
	if (c.bad)
		return UNWIND_BAD_CFI;
	/* Past the end of the nearest function: a gap, or assembly. */
	if (pc < *begin || pc - *begin >= range)
		return UNWIND_NO_FDE;
	if (ci->zaug) {
		len = rd_uleb(&c);
		skip(&c, len);
		if (c.bad)
			return UNWIND_BAD_CFI;
	}
	*insns = c;
	return UNWIND_OK;
}

static void
set_rule(struct row *row, uint64_t reg, enum rule_kind kind, int64_t arg)
{
	/* Registers the walk does not follow (SSE, ...) need no rule. */
	if (reg >= UNWIND_NREGS)
		return;
	if (arg < INT32_MIN || arg > INT32_MAX) {
		kind = RULE_UNKNOWN;
		arg = 0;
	}
	row->rule[reg].kind = (uint8_t)kind;
	row->rule[reg].arg = (int32_t)arg;
}

static bool
restore(struct row *row, uint64_t reg, const struct row *init)
{
	if (init == NULL)
		return false;	/* in a CIE: nothing to restore to */
	if (reg < UNWIND_NREGS)
		row->rule[reg] = init->rule[reg];
	return true;
}

/*
 * Run the instructions C on ROW from location LOC while it is at or
 * below PC.  INIT is the row the CIE's instructions left (for restore),
 * NULL while they run.
 */
static bool
run(struct cursor c, const struct cie *ci, uint64_t loc, uint64_t pc,
    struct row *row, const struct row *init)
{
	struct row saved[REMEMBER_MAX];
	unsigned depth = 0;
	uint64_t reg, v;
	uint8_t op;

	while (c.p < c.end && !c.bad) {
		op = (uint8_t)rd(&c, 1);
		switch (op & 0xc0) {
		case CFA_ADVANCE_LOC:
			loc += (op & 0x3f) * ci->code_align;
			if (loc > pc)
				return true;
			continue;
		case CFA_OFFSET:
			v = rd_uleb(&c);
			set_rule(row, op & 0x3f, RULE_OFFSET,
			    (int64_t)v * ci->data_align);
			continue;
		case CFA_RESTORE:
			if (!restore(row, op & 0x3f, init))
				return false;
			continue;
		}
		switch (op) {
		case CFA_NOP:
			break;
		case CFA_SET_LOC:
		case CFA_ADVANCE_LOC1:
		case CFA_ADVANCE_LOC2:
		case CFA_ADVANCE_LOC4:
			if (op == CFA_SET_LOC)
				loc = rd_enc(&c, ci->fde_enc, 0);
			else
				loc += rd(&c, op == CFA_ADVANCE_LOC1 ? 1 :
				    op == CFA_ADVANCE_LOC2 ? 2 : 4) *
				    ci->code_align;
			if (loc > pc)
				return !c.bad;
			break;
		case CFA_OFFSET_EXTENDED:
			reg = rd_uleb(&c);
			v = rd_uleb(&c);
			set_rule(row, reg, RULE_OFFSET,
			    (int64_t)v * ci->data_align);
			break;
		case CFA_OFFSET_EXTENDED_SF:
		case CFA_VAL_OFFSET_SF:
			reg = rd_uleb(&c);
			set_rule(row, reg, op == CFA_VAL_OFFSET_SF ?
			    RULE_VAL_OFFSET : RULE_OFFSET,
			    rd_sleb(&c) * ci->data_align);
			break;
		case CFA_VAL_OFFSET:
			reg = rd_uleb(&c);
			v = rd_uleb(&c);
			set_rule(row, reg, RULE_VAL_OFFSET,
			    (int64_t)v * ci->data_align);
			break;
		case CFA_RESTORE_EXTENDED:
			if (!restore(row, rd_uleb(&c), init))
				return false;
			break;
		case CFA_UNDEFINED:
			set_rule(row, rd_uleb(&c), RULE_UNDEF, 0);
			break;
		case CFA_SAME_VALUE:
			set_rule(row, rd_uleb(&c), RULE_SAME, 0);
			break;
		case CFA_REGISTER:
			reg = rd_uleb(&c);
			v = rd_uleb(&c);
			set_rule(row, reg, v < UNWIND_NREGS ? RULE_REGISTER :
			    RULE_UNKNOWN, (int64_t)(v & 0xff));
			break;
		case CFA_REMEMBER_STATE:
			if (depth == REMEMBER_MAX)
				return false;
			saved[depth++] = *row;
			break;
		case CFA_RESTORE_STATE:
			/* The whole row, CFA included: GCC relies on it. */
			if (depth == 0)
				return false;
			*row = saved[--depth];
			break;
		case CFA_DEF_CFA:
			row->cfa_reg = rd_uleb(&c);
			row->cfa_off = (int64_t)rd_uleb(&c);
			row->cfa_expr = false;
			break;
		case CFA_DEF_CFA_SF:
			row->cfa_reg = rd_uleb(&c);
			row->cfa_off = rd_sleb(&c) * ci->data_align;
			row->cfa_expr = false;
			break;
		case CFA_DEF_CFA_REGISTER:
			row->cfa_reg = rd_uleb(&c);
			break;
		case CFA_DEF_CFA_OFFSET:
			row->cfa_off = (int64_t)rd_uleb(&c);
			break;
		case CFA_DEF_CFA_OFFSET_SF:
			row->cfa_off = rd_sleb(&c) * ci->data_align;
			break;
		case CFA_DEF_CFA_EXPRESSION:
			skip(&c, rd_uleb(&c));
			row->cfa_expr = true;
			break;
		case CFA_EXPRESSION:
		case CFA_VAL_EXPRESSION:
			reg = rd_uleb(&c);
			skip(&c, rd_uleb(&c));
			set_rule(row, reg, RULE_UNKNOWN, 0);
			break;
		case CFA_GNU_ARGS_SIZE:
			(void)rd_uleb(&c);
			break;
		default:
			return false;
		}
	}
	return !c.bad;
}

/* The 8 bytes at A, if they lie on the stack S and are aligned. */
static bool
read_stack(const struct unwind_stack *s, uint64_t a, uint64_t *v)
{
	if ((a & 7) != 0 || a < s->lo || a >= s->hi || s->hi - a < 8)
		return false;
	*v = *(const uint64_t *)(uintptr_t)a;
	return true;
}

enum unwind_status
unwind_step(struct unwind_frame *f, const struct unwind_stack *s)
{
	struct cie ci;
	struct cursor insns;
	struct row init, row;
	struct unwind_frame up;
	enum unwind_status st;
	uint64_t pc, begin, cfa, v;
	unsigned i;

	if ((f->known & REG_BIT(UNWIND_RIP)) == 0 ||
	    (f->known & REG_BIT(UNWIND_RSP)) == 0)
		return UNWIND_BAD_CFI;
	pc = f->reg[UNWIND_RIP];
	/* A return address may lie just past a call that ends its function:
	 * the call is what belongs to the frame. */
	if (!f->exact)
		pc--;
	st = find_fde(pc, &ci, &insns, &begin);
	if (st != UNWIND_OK)
		return st;

	init.cfa_reg = UNWIND_NREGS;	/* none until the CIE says */
	init.cfa_off = 0;
	init.cfa_expr = false;
	for (i = 0; i < UNWIND_NREGS; i++)
		set_rule(&init, i, RULE_SAME, 0);
	if (!run(ci.insns, &ci, 0, UINT64_MAX, &init, NULL))
		return UNWIND_BAD_CFI;
	row = init;
	if (!run(insns, &ci, begin, pc, &row, &init))
		return UNWIND_BAD_CFI;

	if (row.cfa_expr || row.cfa_reg >= UNWIND_NREGS ||
	    (f->known & REG_BIT(row.cfa_reg)) == 0)
		return UNWIND_BAD_CFI;
	cfa = f->reg[row.cfa_reg] + (uint64_t)row.cfa_off;
	/* The caller's frame lies above this one, on the same stack: the
	 * walk makes progress and ends. */
	if ((cfa & 7) != 0 || cfa <= f->reg[UNWIND_RSP] || cfa > s->hi)
		return UNWIND_BAD_STACK;

	up.known = 0;
	up.exact = ci.signal;
	for (i = 0; i < UNWIND_NREGS; i++) {
		const struct rule *r = &row.rule[i];

		up.reg[i] = 0;
		switch (r->kind) {
		case RULE_SAME:
			if ((f->known & REG_BIT(i)) == 0)
				continue;
			v = f->reg[i];
			break;
		case RULE_OFFSET:
			if (!read_stack(s, cfa + (uint64_t)(int64_t)r->arg, &v))
				return UNWIND_BAD_STACK;
			break;
		case RULE_VAL_OFFSET:
			v = cfa + (uint64_t)(int64_t)r->arg;
			break;
		case RULE_REGISTER:
			if ((f->known & REG_BIT(r->arg)) == 0)
				continue;
			v = f->reg[r->arg];
			break;
		default:
			continue;
		}
		up.reg[i] = v;
		up.known |= REG_BIT(i);
	}
	if (row.rule[ci.ra].kind == RULE_UNDEF)
		return UNWIND_END;
	if ((up.known & REG_BIT(ci.ra)) == 0)
		return UNWIND_BAD_CFI;
	up.reg[UNWIND_RIP] = up.reg[ci.ra];
	up.known |= REG_BIT(UNWIND_RIP);
	if (up.reg[UNWIND_RIP] == 0)
		return UNWIND_END;
	up.reg[UNWIND_RSP] = cfa;
	up.known |= REG_BIT(UNWIND_RSP);
	*f = up;
	return UNWIND_OK;
}

const char *
unwind_status_name(enum unwind_status st)
{
	switch (st) {
	case UNWIND_OK:
		return "unwound";
	case UNWIND_END:
		return "the outermost frame";
	case UNWIND_NO_FDE:
		return "no unwind information";
	case UNWIND_BAD_CFI:
		return "unwind information not understood";
	case UNWIND_BAD_STACK:
		return "a frame outside the stack";
	}
	return "?";
}
