/*
 * The block protocol: what a block driver (user/virtio-blk) serves, and
 * its clients call (docs/drivers.md, "The block protocol").
 *
 * The driver registers its service with its parent (VG_PARENT_REGISTER,
 * word BLK_SERVICE_ID, an rmessenger to its request messenger).
 * Requests follow vg/method.h's convention: word 0 the method,
 * capability 0 the reply messenger (an rmessenger: the reply is sent to
 * nothing else); the reply's word 0 is an enum vg_err and the results
 * follow.  A request without a reply messenger is carried out and not
 * answered.  The numbers are a user-level protocol's (0x76xx).
 *
 * The data is never copied: a READ or WRITE carries the client's own
 * page capabilities (capabilities 1 .. n), and the device reads or
 * writes those pages by DMA.  Sector i of the transfer is bytes
 * (i % 8) * 512 .. of page i / 8.  The pages are the client's: it must
 * keep them until the reply comes (without an IOMMU a page freed under
 * a transfer is written all the same: docs/drivers.md, "DMA").
 *
 *	BLK_INFO	out: w1 the disk's size in sectors, w2 the sector
 *			     size (BLK_SECTOR_SIZE), w3 the most pages a
 *			     request may carry (BLK_PAGES_MAX), w4 enum
 *			     blk_info_flags
 *	BLK_READ	in:  w1 the first sector, w2 the count (1 .. 8 per
 *			     page sent), c1 .. cn pages (n <= BLK_PAGES_MAX)
 *			out: w1 the count read
 *			errors: INVALID (count 0, more sectors than the
 *			     pages sent hold, a range past the disk's end),
 *			     VOID (a page arrived void, or is no page),
 *			     RIGHTS (an rpage:
 *			     a read writes the pages), IO (the device
 *			     failed it)
 *	BLK_WRITE	as READ, but the pages may be rpages
 *			out: w1 the count written
 *			errors: READ's but RIGHTS, which here means a disk
 *			     the device will not write (BLK_INFO_READ_ONLY)
 *	BLK_FLUSH	out: nothing; the reply comes once every write
 *			     answered before is on the medium
 *			errors: METHOD if the device has no cache to flush
 *			     (BLK_INFO_FLUSH unset), IO
 *
 * Everything else: VG_ERR_METHOD.  A driver takes requests in order and
 * holds up to its queue's depth in the device at once; the replies come
 * as the device completes them, in any order.
 */
#ifndef LIBVG_BLK_H
#define LIBVG_BLK_H

#define BLK_SERVICE_ID	0x6b6c62ull	/* "blk" */

enum blk_method {
	BLK_INFO = 0x7601,
	BLK_READ = 0x7602,
	BLK_WRITE = 0x7603,
	BLK_FLUSH = 0x7604,
};

enum blk_info_flags {
	BLK_INFO_READ_ONLY = 1u << 0,	/* WRITE is refused */
	BLK_INFO_FLUSH = 1u << 1,	/* the device has a write cache */
};

#define BLK_SECTOR_SIZE		512u
#define BLK_SECTORS_PER_PAGE	8u
#define BLK_PAGES_MAX		4u

/* --- the client's side (lib/vg/blk.c) --------------------------------------- */

#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>

#include <libvg/call.h>

/* What BLK_INFO answers. */
struct vg_blk_info {
	uint64_t sectors;
	uint32_t sector_size;
	uint32_t pages_max;
	uint64_t flags;			/* enum blk_info_flags */
};

/*
 * Calls on the driver's service BLK (an rmessenger), through C (a
 * context of the caller's, e.g. &vg_self()->ucall): they wait for the
 * reply.  PAGES are N page capabilities of the caller's (for its own
 * memory at va: vg_addr_of_data(va)); the transfer's sector i is in
 * page i / 8.  Return the reply's error; *DONE, if not NULL, the
 * sectors moved.
 */
enum vg_err vg_blk_info(struct vg_call *c, vg_addr_t blk,
    struct vg_blk_info *info);
enum vg_err vg_blk_read(struct vg_call *c, vg_addr_t blk, uint64_t sector,
    uint32_t count, const vg_addr_t *pages, unsigned n, uint32_t *done);
enum vg_err vg_blk_write(struct vg_call *c, vg_addr_t blk, uint64_t sector,
    uint32_t count, const vg_addr_t *pages, unsigned n, uint32_t *done);
enum vg_err vg_blk_flush(struct vg_call *c, vg_addr_t blk);

#endif /* LIBVG_BLK_H */
