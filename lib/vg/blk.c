/*
 * The block protocol's client calls (libvg/blk.h): each one request to
 * the driver, answered when the device has done it.
 */
#include <libvg/blk.h>

enum vg_err
vg_blk_info(struct vg_call *c, vg_addr_t blk, struct vg_blk_info *info)
{
	enum vg_err err;

	vg_call_begin(c, BLK_INFO);
	err = vg_call(c, blk);
	if (err == VG_OK && vg_call_nresults(c) < 5)
		err = VG_ERR_INVALID;
	if (err != VG_OK)
		return err;
	info->sectors = vg_call_result(c, 1);
	info->sector_size = (uint32_t)vg_call_result(c, 2);
	info->pages_max = (uint32_t)vg_call_result(c, 3);
	info->flags = vg_call_result(c, 4);
	return VG_OK;
}

static enum vg_err
transfer(struct vg_call *c, vg_addr_t blk, uint64_t method, uint64_t sector,
    uint32_t count, const vg_addr_t *pages, unsigned n, uint32_t *done)
{
	enum vg_err err;

	vg_call_begin(c, method);
	vg_call_word(c, sector);
	vg_call_word(c, count);
	for (unsigned i = 0; i < n; i++)
		vg_call_cap(c, pages[i]);
	err = vg_call(c, blk);
	if (done != NULL)
		*done = err == VG_OK ? (uint32_t)vg_call_result(c, 1) : 0;
	return err;
}

enum vg_err
vg_blk_read(struct vg_call *c, vg_addr_t blk, uint64_t sector, uint32_t count,
    const vg_addr_t *pages, unsigned n, uint32_t *done)
{
	return transfer(c, blk, BLK_READ, sector, count, pages, n, done);
}

enum vg_err
vg_blk_write(struct vg_call *c, vg_addr_t blk, uint64_t sector, uint32_t count,
    const vg_addr_t *pages, unsigned n, uint32_t *done)
{
	return transfer(c, blk, BLK_WRITE, sector, count, pages, n, done);
}

enum vg_err
vg_blk_flush(struct vg_call *c, vg_addr_t blk)
{
	vg_call_begin(c, BLK_FLUSH);
	return vg_call(c, blk);
}
