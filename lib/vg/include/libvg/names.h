/*
 * libvg: the names of error codes, object types and kernel methods, for
 * messages and logs.
 */
#ifndef LIBVG_NAMES_H
#define LIBVG_NAMES_H

#include <stdint.h>

#include <vg/error.h>
#include <vg/types.h>

/* The name of an error code, of an object type. */
const char *vg_strerror(enum vg_err err);
const char *vg_type_name(enum vg_type type);
/* The name of kernel method METHOD (vg/method.h), or NULL if it is none. */
const char *vg_method_name(uint64_t method);
/* A dense number for kernel method METHOD: 1.. (at most 63), 0 if it is
 * none (for tables and bit sets). */
unsigned vg_method_index(uint64_t method);

#endif /* LIBVG_NAMES_H */
