/*
 * The methods of each kind of kernel object (kernel/core/api/, one file
 * per kind of object), as the dispatcher calls them (invoke.c).  Each
 * reads the request from INV and builds the reply there (invocation.h).
 */
#ifndef VG_KERNEL_METHODS_H
#define VG_KERNEL_METHODS_H

#include "invocation.h"

void object_methods(struct invocation *inv);	/* any object */
void cap_methods(struct invocation *inv);	/* CAP_* on a space root */
void folio_methods(struct invocation *inv);
void activity_methods(struct invocation *inv);
void thread_methods(struct invocation *inv);
void messenger_methods(struct invocation *inv);

#endif /* VG_KERNEL_METHODS_H */
