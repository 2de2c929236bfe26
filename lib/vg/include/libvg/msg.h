/*
 * libvg: message helpers over struct vg_message (vg/message.h: a
 * messenger's buffer page).  Calls, which send messages and wait for
 * replies, are in libvg/call.h.
 */
#ifndef LIBVG_MSG_H
#define LIBVG_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include <vg/addr.h>
#include <vg/error.h>
#include <vg/message.h>

/* Capabilities a message can be said to hold (clamped as the kernel does). */
static inline uint32_t
vg_msg_ncaps(const struct vg_message *m)
{
	return m->cap_count < VG_MESSAGE_CAPS_MAX ? m->cap_count :
	    VG_MESSAGE_CAPS_MAX;
}

/* Bytes of data (clamped as the kernel does). */
static inline uint32_t
vg_msg_len(const struct vg_message *m)
{
	uint32_t max = vg_message_data_max(vg_msg_ncaps(m));

	return m->data_count < max ? m->data_count : max;
}

static inline uint32_t
vg_msg_nwords(const struct vg_message *m)
{
	return vg_msg_len(m) / (uint32_t)sizeof(uint64_t);
}

static inline const uint8_t *
vg_msg_data(const struct vg_message *m)
{
	return (const uint8_t *)&m->caps[vg_msg_ncaps(m)];
}

/* Data word I, or 0 if the message is shorter. */
uint64_t vg_msg_word(const struct vg_message *m, uint32_t i);

/* Capability address I, or void. */
vg_addr_t vg_msg_cap(const struct vg_message *m, uint32_t i);

/* True if capability I arrived (exists and is not reported void). */
bool vg_msg_cap_arrived(const struct vg_message *m, uint32_t i);

/* Append words / a capability address; 0, or -1 if there is no room. */
int vg_msg_put_word(struct vg_message *m, uint64_t w);
int vg_msg_put_words(struct vg_message *m, const uint64_t *w, uint32_t n);
int vg_msg_put_cap(struct vg_message *m, vg_addr_t a);

/*
 * Strings travel as a length word then the bytes, padded to whole words.
 * vg_msg_put_str appends S; vg_msg_get_str reads the string at word I
 * into BUF (always terminated) and returns the word after it, or 0 if
 * there is none there.
 */
int vg_msg_put_str(struct vg_message *m, const char *s);
uint32_t vg_msg_get_str(const struct vg_message *m, uint32_t i, char *buf,
    uint32_t size);

/*
 * Load a receiver's buffer page with the N slot addresses where arriving
 * capabilities are to be stored (before every receipt: a delivery
 * overwrites the addresses past the capabilities that arrived).
 */
void vg_msg_preload(struct vg_message *m, const vg_addr_t *slots, uint32_t n);

/* Pack up to 8 * N bytes of S into N words (zero padded), and back. */
void vg_words_from_str(uint64_t *w, uint32_t n, const char *s);
void vg_words_to_str(const uint64_t *w, uint32_t n, char *buf, uint32_t size);

#endif /* LIBVG_MSG_H */
