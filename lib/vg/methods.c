/*
 * Typed stubs for the kernel methods (libvg/methods.h, vg/method.h,
 * docs/abi.md section 9).  Each builds the request in the call's send
 * page, invokes it, and unpacks the reply words.
 */
#include <stddef.h>
#include <stdint.h>

#include <vg/method.h>

#include <libvg/methods.h>
#include <libvg/call.h>

/* Unpack a capability operation's failure: w1 side, w2 fault. */
static enum vg_err
capop_result(struct vg_call *c, enum vg_err err, struct vg_capop_fault *f)
{
	if (err != VG_OK && f != NULL) {
		uint64_t fault = vg_call_result(c, 2);

		f->side = (uint32_t)vg_call_result(c, 1);
		f->step = (uint8_t)fault;
		f->consumed = (uint8_t)(fault >> 8);
		f->remaining = (uint8_t)(fault >> 16);
		f->found_type = (uint8_t)(fault >> 24);
	}
	return err;
}

enum vg_err
vg_object_status(struct vg_call *c, vg_addr_t obj, enum vg_type *type,
    uint32_t *oid, uint32_t *version)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_OBJECT_STATUS);
	err = vg_call_kernel(c, obj);
	if (err != VG_OK)
		return err;
	if (type != NULL)
		*type = (enum vg_type)vg_call_result(c, 1);
	if (oid != NULL)
		*oid = (uint32_t)vg_call_result(c, 2);
	if (version != NULL)
		*version = (uint32_t)vg_call_result(c, 3);
	return VG_OK;
}

enum vg_err
vg_object_discard(struct vg_call *c, vg_addr_t obj)
{
	vg_call_begin(c, VG_METHOD_OBJECT_DISCARD);
	return vg_call_kernel(c, obj);
}

enum vg_err
vg_cap_copy(struct vg_call *c, vg_addr_t root, vg_addr_t target,
    vg_addr_t source, unsigned flags, struct vg_cap_translator tr,
    vg_addr_t source_root, struct vg_capop_fault *fault)
{
	vg_call_begin(c, VG_METHOD_CAP_COPY);
	if (!vg_addr_is_void(source_root))
		vg_call_cap(c, source_root);
	vg_call_word(c, target.raw);
	vg_call_word(c, source.raw);
	vg_call_word(c, flags);
	vg_call_word(c, vg_translator_pack(tr));
	return capop_result(c, vg_call_kernel(c, root), fault);
}

enum vg_err
vg_cap_read(struct vg_call *c, vg_addr_t root, vg_addr_t addr,
    enum vg_type *type, struct vg_cap_translator *tr,
    struct vg_capop_fault *fault)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_CAP_READ);
	vg_call_word(c, addr.raw);
	err = vg_call_kernel(c, root);
	if (err != VG_OK)
		return capop_result(c, err, fault);
	if (type != NULL)
		*type = (enum vg_type)vg_call_result(c, 1);
	if (tr != NULL)
		*tr = vg_translator_unpack(vg_call_result(c, 2));
	return VG_OK;
}

enum vg_err
vg_cap_rubout(struct vg_call *c, vg_addr_t root, vg_addr_t addr,
    struct vg_capop_fault *fault)
{
	vg_call_begin(c, VG_METHOD_CAP_RUBOUT);
	vg_call_word(c, addr.raw);
	return capop_result(c, vg_call_kernel(c, root), fault);
}

enum vg_err
vg_folio_object_alloc(struct vg_call *c, vg_addr_t folio, unsigned index,
    enum vg_type type, unsigned flags, vg_addr_t slot)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_FOLIO_OBJECT_ALLOC);
	vg_call_word(c, index);
	vg_call_word(c, (uint64_t)type | flags);
	if (!vg_addr_is_void(slot))
		vg_call_expect(c, slot);
	err = vg_call_kernel(c, folio);
	/* The capability is stored on delivery; a void one (type VOID) is
	 * reported in cap_void but is what was asked for. */
	if (err == VG_OK && !vg_addr_is_void(slot) && type != VG_TYPE_VOID &&
	    !vg_call_cap_arrived(c, 0))
		return VG_ERR_VOID;	/* the slot could not be written */
	return err;
}

enum vg_err
vg_folio_free(struct vg_call *c, vg_addr_t folio)
{
	vg_call_begin(c, VG_METHOD_FOLIO_FREE);
	return vg_call_kernel(c, folio);
}

enum vg_err
vg_activity_folio_alloc(struct vg_call *c, vg_addr_t activity, vg_addr_t slot)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_ACTIVITY_FOLIO_ALLOC);
	if (!vg_addr_is_void(slot))
		vg_call_expect(c, slot);
	err = vg_call_kernel(c, activity);
	if (err == VG_OK && !vg_addr_is_void(slot) && !vg_call_cap_arrived(c, 0))
		return VG_ERR_VOID;
	return err;
}

enum vg_err
vg_activity_set_limit(struct vg_call *c, vg_addr_t activity,
    enum vg_activity_limit limit, uint64_t value)
{
	vg_call_begin(c, VG_METHOD_ACTIVITY_SET_LIMIT);
	vg_call_word(c, limit);
	vg_call_word(c, value);
	return vg_call_kernel(c, activity);
}

enum vg_err
vg_activity_set_quota(struct vg_call *c, vg_addr_t activity, uint64_t frames)
{
	return vg_activity_set_limit(c, activity, VG_ACTIVITY_LIMIT_QUOTA,
	    frames);
}

enum vg_err
vg_activity_info(struct vg_call *c, vg_addr_t activity, uint64_t *usage,
    uint64_t *quota, uint64_t *depth)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_ACTIVITY_INFO);
	err = vg_call_kernel(c, activity);
	if (err != VG_OK)
		return err;
	if (usage != NULL)
		*usage = vg_call_result(c, 1);
	if (quota != NULL)
		*quota = vg_call_result(c, 2);
	if (depth != NULL)
		*depth = vg_call_result(c, 3);
	return VG_OK;
}

enum vg_err
vg_activity_limits(struct vg_call *c, vg_addr_t activity,
    struct vg_activity_limits *out)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_ACTIVITY_INFO);
	err = vg_call_kernel(c, activity);
	if (err != VG_OK)
		return err;
	out->weight = vg_call_result(c, 4);
	out->priority = vg_call_result(c, 5);
	out->pt_usage = vg_call_result(c, 6);
	out->pt_quota = vg_call_result(c, 7);
	return VG_OK;
}

enum vg_err
vg_thread_exregs(struct vg_call *c, vg_addr_t thread,
    const struct vg_exregs *in, struct vg_exregs_old *old)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_THREAD_EXREGS);
	/* All seven argument words: the kernel reads as many as the
	 * control bits ask for, and these fit a buffer page. */
	vg_call_word(c, in->control);
	vg_call_word(c, in->ip);
	vg_call_word(c, in->sp);
	vg_call_word(c, in->handler_ip);
	vg_call_word(c, in->handler_sp);
	vg_call_word(c, in->exit_start);
	vg_call_word(c, in->exit_end);
	err = vg_call_kernel(c, thread);
	if (err != VG_OK || old == NULL)
		return err;
	old->state = vg_call_result(c, 1);
	old->ip = vg_call_result(c, 2);
	old->sp = vg_call_result(c, 3);
	old->handler_ip = vg_call_result(c, 4);
	old->handler_sp = vg_call_result(c, 5);
	return VG_OK;
}

/* A method with no arguments whose reply is one word. */
static enum vg_err
call_word(struct vg_call *c, vg_addr_t obj, uint64_t method, uint64_t *out)
{
	enum vg_err err;

	vg_call_begin(c, method);
	err = vg_call_kernel(c, obj);
	if (err == VG_OK && out != NULL)
		*out = vg_call_result(c, 1);
	return err;
}

enum vg_err
vg_thread_id(struct vg_call *c, vg_addr_t thread, uint64_t *id)
{
	return call_word(c, thread, VG_METHOD_THREAD_ID, id);
}

enum vg_err
vg_thread_priority(struct vg_call *c, vg_addr_t thread, uint64_t priority,
    uint64_t *old)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_THREAD_PRIORITY);
	vg_call_word(c, priority);
	err = vg_call_kernel(c, thread);
	if (err == VG_OK && old != NULL)
		*old = vg_call_result(c, 1);
	return err;
}

enum vg_err
vg_thread_activation_collect(struct vg_call *c, vg_addr_t thread,
    uint64_t *got, uint64_t *left)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_THREAD_ACTIVATION_COLLECT);
	err = vg_call_kernel(c, thread);
	if (err != VG_OK)
		return err;
	if (got != NULL)
		*got = vg_call_result(c, 1);
	if (left != NULL)
		*left = vg_call_result(c, 2);
	return VG_OK;
}

enum vg_err
vg_messenger_id_get(struct vg_call *c, vg_addr_t m, uint64_t *id)
{
	return call_word(c, m, VG_METHOD_MESSENGER_ID_GET, id);
}

enum vg_err
vg_messenger_id_set(struct vg_call *c, vg_addr_t m, uint64_t id)
{
	vg_call_begin(c, VG_METHOD_MESSENGER_ID_SET);
	vg_call_word(c, id);
	return vg_call_kernel(c, m);
}

enum vg_err
vg_messenger_flags(struct vg_call *c, vg_addr_t m, uint32_t set,
    uint32_t clear, uint32_t *flags)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_MESSENGER_FLAGS);
	vg_call_word(c, set);
	vg_call_word(c, clear);
	err = vg_call_kernel(c, m);
	if (err == VG_OK && flags != NULL)
		*flags = (uint32_t)vg_call_result(c, 1);
	return err;
}

enum vg_err
vg_messenger_unblock(struct vg_call *c, vg_addr_t m)
{
	return call_word(c, m, VG_METHOD_MESSENGER_UNBLOCK, NULL);
}

enum vg_err
vg_messenger_block(struct vg_call *c, vg_addr_t m)
{
	return call_word(c, m, VG_METHOD_MESSENGER_BLOCK, NULL);
}

enum vg_err
vg_messenger_cancel(struct vg_call *c, vg_addr_t m)
{
	return call_word(c, m, VG_METHOD_MESSENGER_CANCEL, NULL);
}

enum vg_err
vg_console_write(struct vg_call *c, vg_addr_t console, const void *buf,
    size_t len)
{
	if (len > VG_CONSOLE_WRITE_MAX)
		return VG_ERR_INVALID;
	vg_call_begin(c, VG_METHOD_CONSOLE_WRITE);
	vg_call_word(c, len);
	vg_call_data(c, buf, len);
	return vg_call_kernel(c, console);
}

enum vg_err
vg_console_irqoff(struct vg_call *c, vg_addr_t console, uint64_t *longest,
    uint64_t *stretches)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_CONSOLE_IRQOFF);
	err = vg_call_kernel(c, console);
	if (err != VG_OK)
		return err;
	if (longest != NULL)
		*longest = vg_call_result(c, 1);
	if (stretches != NULL)
		*stretches = vg_call_result(c, 2);
	return VG_OK;
}

enum vg_err
vg_console_idle(struct vg_call *c, vg_addr_t console, uint64_t *ticks,
    uint64_t *halts)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_CONSOLE_IDLE);
	err = vg_call_kernel(c, console);
	if (err != VG_OK)
		return err;
	if (ticks != NULL)
		*ticks = vg_call_result(c, 1);
	if (halts != NULL)
		*halts = vg_call_result(c, 2);
	return VG_OK;
}

enum vg_err
vg_power_off(struct vg_call *c, vg_addr_t power, uint64_t status)
{
	vg_call_begin(c, VG_METHOD_POWER_OFF);
	vg_call_word(c, status);
	return vg_call_kernel(c, power);
}

/* A control's CREATE: WORDS, the folio (or for the DMA control the
 * page) as capability 1, the result at SLOT. */
static enum vg_err
create(struct vg_call *c, vg_addr_t control, uint64_t method,
    const uint64_t *words, unsigned n, vg_addr_t folio, vg_addr_t slot)
{
	enum vg_err err;

	vg_call_begin(c, method);
	vg_call_cap(c, folio);
	for (unsigned i = 0; i < n; i++)
		vg_call_word(c, words[i]);
	if (!vg_addr_is_void(slot))
		vg_call_expect(c, slot);
	err = vg_call_kernel(c, control);
	if (err == VG_OK && !vg_addr_is_void(slot) && !vg_call_cap_arrived(c, 0))
		return VG_ERR_VOID;	/* the slot could not be written */
	return err;
}

enum vg_err
vg_irq_control_create(struct vg_call *c, vg_addr_t control, unsigned line,
    vg_addr_t folio, unsigned index, vg_addr_t slot)
{
	const uint64_t w[] = { line, index };

	return create(c, control, VG_METHOD_IRQ_CONTROL_CREATE, w, 2, folio,
	    slot);
}

enum vg_err
vg_irq_bind(struct vg_call *c, vg_addr_t irq, vg_addr_t messenger)
{
	vg_call_begin(c, VG_METHOD_IRQ_BIND);
	vg_call_cap(c, messenger);
	return vg_call_kernel(c, irq);
}

enum vg_err
vg_irq_ack(struct vg_call *c, vg_addr_t irq)
{
	vg_call_begin(c, VG_METHOD_IRQ_ACK);
	return vg_call_kernel(c, irq);
}

enum vg_err
vg_irq_unbind(struct vg_call *c, vg_addr_t irq)
{
	vg_call_begin(c, VG_METHOD_IRQ_UNBIND);
	return vg_call_kernel(c, irq);
}

enum vg_err
vg_ioport_control_create(struct vg_call *c, vg_addr_t control, uint32_t first,
    uint32_t count, vg_addr_t folio, unsigned index, vg_addr_t slot)
{
	const uint64_t w[] = { first, count, index };

	return create(c, control, VG_METHOD_IOPORT_CONTROL_CREATE, w, 3,
	    folio, slot);
}

enum vg_err
vg_ioport_in(struct vg_call *c, vg_addr_t range, uint32_t port,
    unsigned width, uint32_t *value)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_IOPORT_IN);
	vg_call_word(c, port);
	vg_call_word(c, width);
	err = vg_call_kernel(c, range);
	if (err == VG_OK && value != NULL)
		*value = (uint32_t)vg_call_result(c, 1);
	return err;
}

enum vg_err
vg_ioport_out(struct vg_call *c, vg_addr_t range, uint32_t port,
    unsigned width, uint32_t value)
{
	vg_call_begin(c, VG_METHOD_IOPORT_OUT);
	vg_call_word(c, port);
	vg_call_word(c, width);
	vg_call_word(c, value);
	return vg_call_kernel(c, range);
}

enum vg_err
vg_ioport_outs(struct vg_call *c, vg_addr_t range, uint32_t port,
    const void *buf, size_t n)
{
	if (n == 0 || n > VG_IOPORT_STRING_MAX)
		return VG_ERR_INVALID;
	vg_call_begin(c, VG_METHOD_IOPORT_OUTS);
	vg_call_word(c, port);
	vg_call_word(c, n);
	vg_call_data(c, buf, n);
	return vg_call_kernel(c, range);
}

enum vg_err
vg_devmem_control_create(struct vg_call *c, vg_addr_t control, uint64_t base,
    unsigned log2, vg_addr_t folio, unsigned index, vg_addr_t slot)
{
	const uint64_t w[] = { base, log2, index };

	return create(c, control, VG_METHOD_DEVMEM_CONTROL_CREATE, w, 3,
	    folio, slot);
}

enum vg_err
vg_devmem_info(struct vg_call *c, vg_addr_t devmem, uint64_t *base,
    unsigned *log2)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_DEVMEM_INFO);
	err = vg_call_kernel(c, devmem);
	if (err == VG_OK && base != NULL)
		*base = vg_call_result(c, 1);
	if (err == VG_OK && log2 != NULL)
		*log2 = (unsigned)vg_call_result(c, 2);
	return err;
}

enum vg_err
vg_dma_control_grant(struct vg_call *c, vg_addr_t control, vg_addr_t page,
    vg_addr_t slot)
{
	return create(c, control, VG_METHOD_DMA_CONTROL_GRANT, NULL, 0, page,
	    slot);
}

enum vg_err
vg_dma_control_grant_address(struct vg_call *c, vg_addr_t control,
    vg_addr_t page, vg_addr_t dst, uint64_t *phys, bool *writable)
{
	enum vg_err err = create(c, control, VG_METHOD_DMA_CONTROL_GRANT,
	    NULL, 0, page, dst);

	if (err == VG_OK && phys != NULL)
		*phys = vg_call_result(c, 1);
	if (err == VG_OK && writable != NULL)
		*writable = vg_call_result(c, 2) != 0;
	return err;
}

enum vg_err
vg_page_dma_address(struct vg_call *c, vg_addr_t page, uint64_t *phys,
    bool *writable)
{
	enum vg_err err;

	vg_call_begin(c, VG_METHOD_PAGE_DMA_ADDRESS);
	err = vg_call_kernel(c, page);
	if (err == VG_OK && phys != NULL)
		*phys = vg_call_result(c, 1);
	if (err == VG_OK && writable != NULL)
		*writable = vg_call_result(c, 2) != 0;
	return err;
}
