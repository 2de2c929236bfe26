/*
 * The names of error codes, object types and kernel methods
 * (libvg/names.h), for messages and logs.
 */
#include <stdint.h>

#include <vg/error.h>
#include <vg/method.h>
#include <vg/types.h>

#include <libvg/names.h>

const char *
vg_strerror(enum vg_err err)
{
	static const char *const names[VG_ERR_COUNT] = {
		[VG_OK] = "ok",
		[VG_ERR_INVALID] = "invalid argument",
		[VG_ERR_ADDR] = "void or malformed address",
		[VG_ERR_GUARD_MISMATCH] = "guard mismatch",
		[VG_ERR_GUARD_DEPTH] = "guard deeper than the address",
		[VG_ERR_NOT_INDEXABLE] = "not indexable",
		[VG_ERR_VOID] = "void capability",
		[VG_ERR_TYPE] = "wrong object type",
		[VG_ERR_WEAK] = "write through a weak path",
		[VG_ERR_GUARD] = "guard does not fit its depth",
		[VG_ERR_SUBPAGE] = "bad subpage selection",
		[VG_ERR_QUOTA] = "quota exhausted",
		[VG_ERR_NO_STORAGE] = "no storage",
		[VG_ERR_EXHAUSTED] = "version space exhausted",
		[VG_ERR_DEPTH] = "activity tree too deep",
		[VG_ERR_VIRTUAL] = "virtualized level",
		[VG_ERR_ADDR_SHORT] = "address too short",
		[VG_ERR_WOULDBLOCK] = "would block",
		[VG_ERR_BUSY] = "busy",
		[VG_ERR_CANCELED] = "canceled",
		[VG_ERR_DESTROYED] = "destroyed",
		[VG_ERR_METHOD] = "no such method",
		[VG_ERR_VIRTUALIZER] = "malformed virtualizer answer",
		[VG_ERR_EXCEPTION] = "processor exception",
		[VG_ERR_NO_EXECUTE] = "no execute right",
		[VG_ERR_RIGHTS] = "the capability lacks the right",
		[VG_ERR_LIMIT] = "beyond the limit its parent set",
		[VG_ERR_IN_USE] = "in use",
		[VG_ERR_IO] = "device error",
	};

	if ((unsigned)err < VG_ERR_COUNT && names[err] != NULL)
		return names[err];
	return "unknown error";
}

const char *
vg_type_name(enum vg_type type)
{
	static const char *const names[VG_TYPE_COUNT] = {
		"void", "page", "rpage", "cappage", "rcappage", "folio",
		"activity", "thread", "messenger", "rmessenger", "console",
		"power", "irq_control", "irq", "ioport_control", "ioport",
		"devmem_control", "devmem", "dma_control",
	};

	if ((unsigned)type < VG_TYPE_COUNT)
		return names[type];
	return "unknown type";
}

static const struct {
	uint16_t method;
	const char *name;
} method_names[] = {
	{ VG_METHOD_OBJECT_STATUS, "object_status" },
	{ VG_METHOD_OBJECT_DISCARD, "object_discard" },
	{ VG_METHOD_CAP_COPY, "cap_copy" },
	{ VG_METHOD_CAP_READ, "cap_read" },
	{ VG_METHOD_CAP_RUBOUT, "cap_rubout" },
	{ VG_METHOD_FOLIO_OBJECT_ALLOC, "folio_object_alloc" },
	{ VG_METHOD_FOLIO_FREE, "folio_free" },
	{ VG_METHOD_ACTIVITY_FOLIO_ALLOC, "activity_folio_alloc" },
	{ VG_METHOD_ACTIVITY_SET_LIMIT, "activity_set_limit" },
	{ VG_METHOD_ACTIVITY_INFO, "activity_info" },
	{ VG_METHOD_THREAD_EXREGS, "thread_exregs" },
	{ VG_METHOD_THREAD_ID, "thread_id" },
	{ VG_METHOD_THREAD_ACTIVATION_COLLECT,
	    "thread_activation_collect" },
	{ VG_METHOD_THREAD_PRIORITY, "thread_priority" },
	{ VG_METHOD_MESSENGER_ID_GET, "messenger_id_get" },
	{ VG_METHOD_MESSENGER_ID_SET, "messenger_id_set" },
	{ VG_METHOD_MESSENGER_FLAGS, "messenger_flags" },
	{ VG_METHOD_MESSENGER_UNBLOCK, "messenger_unblock" },
	{ VG_METHOD_MESSENGER_BLOCK, "messenger_block" },
	{ VG_METHOD_MESSENGER_CANCEL, "messenger_cancel" },
	{ VG_METHOD_INDEX, "index" },
	{ VG_METHOD_STORE, "store" },
	{ VG_METHOD_FAULT, "fault" },
	{ VG_METHOD_CONSOLE_WRITE, "console_write" },
	{ VG_METHOD_CONSOLE_IRQOFF, "console_irqoff" },
	{ VG_METHOD_CONSOLE_READ, "console_read" },
	{ VG_METHOD_CONSOLE_SYNC, "console_sync" },
	{ VG_METHOD_CONSOLE_IDLE, "console_idle" },
	{ VG_METHOD_POWER_OFF, "power_off" },
	{ VG_METHOD_IRQ_CONTROL_CREATE, "irq_control_create" },
	{ VG_METHOD_IRQ_BIND, "irq_bind" },
	{ VG_METHOD_IRQ_ACK, "irq_ack" },
	{ VG_METHOD_IRQ_UNBIND, "irq_unbind" },
	{ VG_METHOD_IRQ_FIRED, "irq_fired" },
	{ VG_METHOD_IOPORT_CONTROL_CREATE, "ioport_control_create" },
	{ VG_METHOD_IOPORT_IN, "ioport_in" },
	{ VG_METHOD_IOPORT_OUT, "ioport_out" },
	{ VG_METHOD_IOPORT_OUTS, "ioport_outs" },
	{ VG_METHOD_DEVMEM_CONTROL_CREATE, "devmem_control_create" },
	{ VG_METHOD_DEVMEM_INFO, "devmem_info" },
	{ VG_METHOD_DMA_CONTROL_GRANT, "dma_control_grant" },
	{ VG_METHOD_PAGE_DMA_ADDRESS, "page_dma_address" },
};

unsigned
vg_method_index(uint64_t method)
{
	for (unsigned i = 0; i < sizeof(method_names) /
	    sizeof(method_names[0]); i++)
		if (method_names[i].method == method)
			return i + 1;
	return 0;
}

const char *
vg_method_name(uint64_t method)
{
	unsigned i = vg_method_index(method);

	return i != 0 ? method_names[i - 1].name : NULL;
}
