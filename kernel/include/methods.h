/*
 * The methods of each kind of kernel object (kernel/core/api/, one file
 * per kind of object), as the dispatcher calls them (invoke.c).  Each
 * reads the request from INV and builds the reply there (invocation.h).
 */
#ifndef VG_KERNEL_METHODS_H
#define VG_KERNEL_METHODS_H

#include "invocation.h"

struct messenger;

void object_methods(struct invocation *inv);	/* any object */
void cap_methods(struct invocation *inv);	/* CAP_* on a space root */
void folio_methods(struct invocation *inv);
void activity_methods(struct invocation *inv);
void thread_methods(struct invocation *inv);
void messenger_methods(struct invocation *inv);
/* The console's and the power object's methods, and VG_ERR_METHOD for
 * any other type (device_methods.c).  The console reads the bytes of a
 * request from its sender's message (SRC), past the words the
 * dispatcher copies. */
void device_methods(struct invocation *inv, struct messenger *src);
/* The folio capability 1 designates, for a control's CREATE; NULL, with
 * the reply set, if it is none (device_methods.c). */
struct folio *device_request_folio(struct invocation *inv);
/* The device-memory control and objects, the DMA control and a page's
 * PAGE_DMA_ADDRESS (devmem_methods.c). */
void devmem_methods(struct invocation *inv);

#endif /* VG_KERNEL_METHODS_H */
