/*
 * The hosted platform: the portable core running inside a Linux process,
 * with its storage window carved out of the process's heap.  Tests,
 * fuzzers and benchmarks boot a fresh core with hosted_boot and drive it
 * through the core's own API.
 */
#ifndef VG_HOSTED_H
#define VG_HOSTED_H

#include <stdint.h>

#include "kernel.h"

/*
 * Boot a core with NCHUNKS folio-sized chunks of storage; any core booted
 * before is shut down first.  Returns what kernel_init returned.
 */
struct kernel_roots hosted_boot(uint32_t nchunks);

/* Release the storage of the core booted last. */
void hosted_shutdown(void);

/* Bytes of storage in NCHUNKS chunks. */
uint64_t hosted_storage_bytes(uint32_t nchunks);

#endif /* VG_HOSTED_H */
