/*
 * disk: a client of the block driver (user/virtio-blk), whose service
 * its parent put in its slot VG_SLOT_SERVICE:
 *
 *	make run APP=disk		[ARGS="at=N"]
 *
 * It asks the disk's size, reads its first sector, writes sixteen
 * sectors from two pages of its own in one request (at sector 64, or
 * at=N), flushes, reads them back into two other pages and compares;
 * sends 12 reads at once, more than the driver holds in the device, each
 * from a messenger of its own and answered to a reply messenger of its
 * own; then checks what the driver must refuse.  The data moves by DMA
 * between the disk and these pages: the requests carry the pages'
 * capabilities, not their bytes.
 */
#include <libvg/libvg.h>
#include <libvg/blk.h>

#define WRITE_AT	64u
#define PAGES		2u
#define SECTORS		(PAGES * BLK_SECTORS_PER_PAGE)

#define AT_ONCE		12u	/* more than the driver's 8 tags */
#define AT_ONCE_FROM	1024u	/* the sector the first one reads */

static struct vg_call *c;
static vg_addr_t blk;
static unsigned failures;

/* Check that ERR is WANT: a refusal the protocol promises. */
static void
refused(const char *what, enum vg_err err, enum vg_err want)
{
	printf("disk: %s: %s%s\n", what, err == want ? "refused, " :
	    "NOT REFUSED AS IT SHOULD BE: ", vg_strerror(err));
	if (err != want)
		failures++;
}

/* Sector S as this program writes it: a line of 512 bytes. */
static void
pattern(char *p, uint64_t s)
{
	int n = snprintf(p, BLK_SECTOR_SIZE, "written by vg's disk example: "
	    "sector %06lu ", (unsigned long)s);

	memset(p + n, '#', BLK_SECTOR_SIZE - 1 - (size_t)n);
	p[BLK_SECTOR_SIZE - 1] = '\n';
}

/* The first line of P (at most 64 bytes), for printing. */
static void
first_line(const char *p, char *out, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && i < 64 && p[i] >= ' ' && p[i] <= '~'; i++)
		out[i] = p[i];
	out[i] = '\0';
}

/* One of the reads sent at once: its messengers, pages and answer. */
struct read {
	struct vg_act_handler h;	/* the reply messenger's: first */
	vg_addr_t send, reply, reply_weak;
	struct vg_message *sbuf, *rbuf;
	uint64_t data;
	bool answered;
};

static struct read reads[AT_ONCE];
static volatile uint64_t all_answered;
static unsigned answered;

static void
on_read_reply(struct vg_act_handler *h, const struct vg_activation *a)
{
	struct read *r = (struct read *)(void *)h;

	if (!(a->reason & VG_ACTIVATION_RECEIVED) || r->answered)
		return;
	r->answered = true;
	if (++answered == AT_ONCE)
		all_answered = 1;
}

/* Send read R of the 4 KiB at SECTOR: queued on the driver's messenger
 * if it is not receiving, and I go on at once. */
static enum vg_err
read_send(struct read *r, uint64_t sector)
{
	struct vg_ipc_args recv = {
		.flags = VG_IPC_RECEIVE | VG_IPC_RECEIVE_ACTIVATE |
		    VG_IPC_RETURN,
	}, send = {
		.flags = VG_IPC_SEND | VG_IPC_RETURN,
		.target = blk,
	};
	uint64_t pages = vg_page_alloc(3);
	enum vg_err err;

	if (pages == 0)
		return VG_ERR_NO_STORAGE;
	r->sbuf = VG_PTR(pages);
	r->rbuf = VG_PTR(pages + VG_PAGE_SIZE);
	r->data = pages + 2 * VG_PAGE_SIZE;
	err = vg_messenger_new(&r->send, pages, 0);
	if (err == VG_OK)
		err = vg_messenger_handled(&r->reply, pages + VG_PAGE_SIZE,
		    &r->h, on_read_reply, "disk.read");
	if (err == VG_OK)
		err = vg_weak_copy(r->reply, &r->reply_weak);
	if (err != VG_OK)
		return err;
	recv.recv_messenger = r->reply;
	err = vg_ipc(&recv);
	if (err != VG_OK)
		return err;
	vg_message_clear(r->sbuf);
	(void)vg_msg_put_cap(r->sbuf, r->reply_weak);
	(void)vg_msg_put_cap(r->sbuf, vg_addr_of_data(r->data));
	(void)vg_msg_put_word(r->sbuf, BLK_READ);
	(void)vg_msg_put_word(r->sbuf, sector);
	(void)vg_msg_put_word(r->sbuf, BLK_SECTORS_PER_PAGE);
	send.send_messenger = r->send;
	return vg_ipc(&send);
}

/* Does the page at VA hold sector S as the host or this program wrote
 * it? */
static bool
holds(uint64_t va, uint64_t s)
{
	char host[48], mine[BLK_SECTOR_SIZE];
	int n = snprintf(host, sizeof(host), "sector %06lu of vg's disk "
	    "image ", (unsigned long)s);

	pattern(mine, s);
	return memcmp(VG_PTR(va), host, (size_t)n) == 0 ||
	    memcmp(VG_PTR(va), mine, BLK_SECTOR_SIZE) == 0;
}

/* AT_ONCE reads in flight together: the driver takes 8 into the device
 * and leaves the rest queued on its messenger until tags come free; the
 * answers come as the device completes them. */
static void
reads_at_once(const struct vg_blk_info *info)
{
	unsigned right = 0;
	enum vg_err err = VG_OK;

	if (info->sectors < AT_ONCE_FROM + AT_ONCE * BLK_SECTORS_PER_PAGE)
		return;
	for (unsigned i = 0; i < AT_ONCE && err == VG_OK; i++)
		err = read_send(&reads[i], AT_ONCE_FROM + (uint64_t)i *
		    BLK_SECTORS_PER_PAGE);
	if (err != VG_OK) {
		printf("disk: sending %u reads at once: %s\n", AT_ONCE,
		    vg_strerror(err));
		failures++;
		return;
	}
	vg_wait_nonzero(&all_answered);
	for (unsigned i = 0; i < AT_ONCE; i++)
		if (vg_msg_word(reads[i].rbuf, 0) == VG_OK &&
		    vg_msg_word(reads[i].rbuf, 1) == BLK_SECTORS_PER_PAGE &&
		    holds(reads[i].data, AT_ONCE_FROM + (uint64_t)i *
		    BLK_SECTORS_PER_PAGE))
			right++;
	printf("disk: %u reads sent at once, each to its own reply "
	    "messenger: %u answered, %u with the right sectors\n", AT_ONCE,
	    answered, right);
	if (right != AT_ONCE)
		failures++;
}

static void
page_caps(uint64_t va, vg_addr_t *caps, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		caps[i] = vg_addr_of_data(va + i * VG_PAGE_SIZE);
}

int
main(int argc, char **argv)
{
	struct vg_runtime *rt = vg_self();
	struct vg_blk_info info;
	uint64_t at = WRITE_AT, out, in, first, ro;
	vg_addr_t outc[PAGES], inc[PAGES], firstc, roc, empty;
	uint32_t done = 0;
	char line[72];
	enum vg_err err;

	c = &rt->ucall;
	empty = vg_slot_alloc(&rt->slots);
	blk = vg_boot_slot(VG_SLOT_SERVICE);
	for (int i = 1; i < argc; i++)
		(void)vg_cmdline_number(argv[i], "at", &at);
	err = vg_blk_info(c, blk, &info);
	if (err != VG_OK) {
		printf("disk: no block driver in my slot %u: %s\n",
		    VG_SLOT_SERVICE, vg_strerror(err));
		return 1;
	}
	printf("disk: the driver's disk has %lu sectors of %u bytes (%lu "
	    "KiB); at most %u pages a request%s%s.\n",
	    (unsigned long)info.sectors, info.sector_size,
	    (unsigned long)(info.sectors * info.sector_size / 1024),
	    info.pages_max, (info.flags & BLK_INFO_READ_ONLY) ?
	    ", read-only" : "", (info.flags & BLK_INFO_FLUSH) ?
	    ", with a write cache to flush" : "");
	if (info.sectors < at + SECTORS) {
		printf("disk: too small to write at sector %lu\n",
		    (unsigned long)at);
		return 1;
	}

	out = vg_page_alloc(PAGES);
	in = vg_page_alloc(PAGES);
	first = vg_page_alloc(1);
	ro = vg_page_alloc(1);
	if (out == 0 || in == 0 || first == 0 || ro == 0) {
		printf("disk: no memory\n");
		return 1;
	}
	page_caps(out, outc, PAGES);
	page_caps(in, inc, PAGES);
	firstc = vg_addr_of_data(first);
	roc = vg_addr_of_data(ro);

	err = vg_blk_read(c, blk, 0, 1, &firstc, 1, &done);
	first_line(VG_PTR(first), line, sizeof(line));
	printf("disk: sector 0 reads (%s, %u sector): \"%s\"\n",
	    vg_strerror(err), done, line);
	if (err != VG_OK || done != 1)
		failures++;

	for (unsigned s = 0; s < SECTORS; s++)
		pattern((char *)VG_PTR(out) + s * BLK_SECTOR_SIZE, at + s);
	err = vg_blk_write(c, blk, at, SECTORS, outc, PAGES, &done);
	printf("disk: wrote sectors %lu..%lu from %u pages of mine in one "
	    "request: %s, %u sectors\n", (unsigned long)at,
	    (unsigned long)(at + SECTORS - 1), PAGES, vg_strerror(err), done);
	if (err != VG_OK || done != SECTORS)
		failures++;
	if (info.flags & BLK_INFO_FLUSH) {
		err = vg_blk_flush(c, blk);
		printf("disk: flushed the device's cache: %s\n",
		    vg_strerror(err));
		if (err != VG_OK)
			failures++;
	}
	err = vg_blk_read(c, blk, at, SECTORS, inc, PAGES, &done);
	if (err == VG_OK && done == SECTORS && memcmp(VG_PTR(in), VG_PTR(out),
	    PAGES * VG_PAGE_SIZE) == 0) {
		first_line(VG_PTR(in), line, sizeof(line));
		printf("disk: read them back into two other pages: the same "
		    "%u bytes (\"%s\")\n", PAGES * VG_PAGE_SIZE, line);
	} else {
		printf("disk: read them back: %s, %u sectors, %s\n",
		    vg_strerror(err), done, err == VG_OK ? "DIFFERENT BYTES" :
		    "");
		failures++;
	}

	reads_at_once(&info);

	refused("reading past the disk's end", vg_blk_read(c, blk,
	    info.sectors - 1, 2, inc, 1, NULL), VG_ERR_INVALID);
	refused("reading 9 sectors into one page", vg_blk_read(c, blk, 0, 9,
	    inc, 1, NULL), VG_ERR_INVALID);
	refused("reading with no page", vg_blk_read(c, blk, 0, 1, NULL, 0,
	    NULL), VG_ERR_INVALID);
	refused("reading into an empty slot", vg_blk_read(c, blk, 0, 1,
	    &empty, 1, NULL), VG_ERR_VOID);
	err = vg_as_weaken_page(&rt->as, ro);
	refused("reading into a page I may only read", err != VG_OK ? err :
	    vg_blk_read(c, blk, 0, 1, &roc, 1, NULL), VG_ERR_RIGHTS);
	refused("an unknown method", (vg_call_begin(c, BLK_INFO + 0x40),
	    vg_call(c, blk)), VG_ERR_METHOD);
	if (failures != 0) {
		printf("disk: %u checks failed.\n", failures);
		return 1;
	}
	printf("disk: done: the sectors went to the disk and back through "
	    "my own pages.\n");
	return 0;
}
