/*
 * Message helpers (libvg/msg.h): reading and building the messages of
 * buffer pages, clamped as the kernel clamps.
 */
#include <stdbool.h>
#include <stdint.h>

#include <libvg/msg.h>

uint64_t
vg_msg_word(const struct vg_message *m, uint32_t i)
{
	const uint8_t *p = vg_msg_data(m) + (uint64_t)i * sizeof(uint64_t);
	uint64_t w = 0;

	if (i >= vg_msg_nwords(m))
		return 0;
	for (unsigned b = 0; b < sizeof(w); b++)
		w |= (uint64_t)p[b] << (8 * b);
	return w;
}

vg_addr_t
vg_msg_cap(const struct vg_message *m, uint32_t i)
{
	if (i >= vg_msg_ncaps(m))
		return VG_ADDR_VOID;
	return m->caps[i];
}

bool
vg_msg_cap_arrived(const struct vg_message *m, uint32_t i)
{
	return i < vg_msg_ncaps(m) && !(m->cap_void & (1u << i));
}

int
vg_msg_put_word(struct vg_message *m, uint64_t w)
{
	return vg_message_append_word(m, w);
}

int
vg_msg_put_words(struct vg_message *m, const uint64_t *w, uint32_t n)
{
	if ((uint64_t)n * sizeof(uint64_t) >
	    vg_message_data_max(m->cap_count) - m->data_count)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		(void)vg_message_append_word(m, w[i]);
	return 0;
}

int
vg_msg_put_cap(struct vg_message *m, vg_addr_t a)
{
	return vg_message_append_cap(m, a);
}

void
vg_words_from_str(uint64_t *w, uint32_t n, const char *s)
{
	uint32_t i, end = 0;

	for (i = 0; i < n; i++)
		w[i] = 0;
	for (i = 0; i < n * 8; i++) {
		if (end || s[i] == '\0') {
			end = 1;
			continue;
		}
		w[i / 8] |= (uint64_t)(uint8_t)s[i] << (8 * (i % 8));
	}
}

void
vg_words_to_str(const uint64_t *w, uint32_t n, char *buf, uint32_t size)
{
	uint32_t i;

	if (size == 0)
		return;
	for (i = 0; i < n * 8 && i + 1 < size; i++) {
		char c = (char)(w[i / 8] >> (8 * (i % 8)));

		if (c == '\0')
			break;
		buf[i] = c;
	}
	buf[i] = '\0';
}

int
vg_msg_put_str(struct vg_message *m, const char *s)
{
	uint32_t len = 0, words;
	uint8_t *dst;

	while (s[len] != '\0')
		len++;
	words = (len + 7) / 8;
	if ((uint64_t)(1 + words) * 8 >
	    vg_message_data_max(m->cap_count) - m->data_count)
		return -1;
	(void)vg_message_append_word(m, len);
	dst = vg_message_data(m) + m->data_count;
	for (uint32_t i = 0; i < words * 8; i++)
		dst[i] = i < len ? (uint8_t)s[i] : 0;
	m->data_count = (uint16_t)(m->data_count + words * 8);
	return 0;
}

uint32_t
vg_msg_get_str(const struct vg_message *m, uint32_t i, char *buf,
    uint32_t size)
{
	uint32_t nwords = vg_msg_nwords(m);
	uint64_t len;
	const uint8_t *p;
	uint32_t n;

	if (size > 0)
		buf[0] = '\0';
	if (i >= nwords)
		return 0;
	len = vg_msg_word(m, i);
	if (len > (uint64_t)(nwords - i - 1) * 8)
		return 0;
	p = vg_msg_data(m) + (uint64_t)(i + 1) * 8;
	n = (uint32_t)len;
	if (size > 0) {
		uint32_t c = n < size - 1 ? n : size - 1;

		for (uint32_t k = 0; k < c; k++)
			buf[k] = (char)p[k];
		buf[c] = '\0';
	}
	return i + 1 + (n + 7) / 8;
}

void
vg_msg_preload(struct vg_message *m, const vg_addr_t *slots, uint32_t n)
{
	if (n > VG_MESSAGE_CAPS_MAX)
		n = VG_MESSAGE_CAPS_MAX;
	m->cap_count = (uint16_t)n;
	m->data_count = 0;
	m->cap_void = 0;
	for (uint32_t i = 0; i < n; i++)
		m->caps[i] = slots[i];
}
