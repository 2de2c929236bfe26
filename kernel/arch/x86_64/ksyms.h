/*
 * The kernel's own symbol table, for backtraces: the image's text
 * symbols sorted by address.  tools/ksyms.sh writes it from a first link
 * of the image (with an empty table) and the second link puts it in
 * .ksyms, after the text (linker.ld), so that no text address differs
 * between the two; the build checks that none does.
 */
#ifndef VG_X86_64_KSYMS_H
#define VG_X86_64_KSYMS_H

#include <stdbool.h>
#include <stdint.h>

struct ksym {
	uint32_t addr;		/* from KERNEL_VIRT_BASE */
	uint32_t name;		/* into ksym_names */
};

/* The generated table: ksym_count entries, then one that ends it. */
extern const uint32_t ksym_count;
extern const struct ksym ksym_table[];
extern const char ksym_names[];

/*
 * The symbol at or before ADDR, its name and address: false unless ADDR
 * lies in the image's text and the table has a symbol below it.
 */
bool ksym_lookup(uint64_t addr, const char **name, uint64_t *start);

#endif /* VG_X86_64_KSYMS_H */
