/*
 * The kernel's command line (libvg/cmdline.h).  Root tasks parse it at
 * start-up only, so this is plain scanning: no table, no allocation.
 */
#include <libvg/cmdline.h>
#include <libvg/string.h>

/* The value of the first word of CMDLINE that sets KEY, and its length
 * in *LEN; NULL if none does. */
static const char *
find(const char *cmdline, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *s = cmdline;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return NULL;
		if (strncmp(s, key, klen) == 0 && s[klen] == '=') {
			const char *v = s + klen + 1, *e = v;

			while (*e != '\0' && *e != ' ')
				e++;
			*len = (size_t)(e - v);
			return v;
		}
		while (*s != '\0' && *s != ' ')
			s++;
	}
}

int
vg_cmdline_lists(const char *cmdline, const char *key, const char *word)
{
	size_t len, wlen = strlen(word);
	const char *v = find(cmdline, key, &len), *end;

	if (v == NULL)
		return -1;
	end = v + len;
	for (;;) {
		const char *w = v;

		while (v < end && *v != ',')
			v++;
		if ((size_t)(v - w) == wlen && strncmp(w, word, wlen) == 0)
			return 1;
		if (v == end)
			return 0;
		v++;
	}
}

bool
vg_cmdline_value(const char *cmdline, const char *key, char *buf,
    size_t size)
{
	size_t len;
	const char *v = find(cmdline, key, &len);

	if (v == NULL)
		return false;
	if (size == 0)
		return true;
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return true;
}

bool
vg_cmdline_number(const char *cmdline, const char *key, uint64_t *out)
{
	size_t len;
	const char *v = find(cmdline, key, &len);
	unsigned base = 10;
	uint64_t n = 0;

	if (v == NULL || len == 0)
		return false;
	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		v += 2;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++) {
		char c = v[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (d >= base || n > (UINT64_MAX - d) / base)
			return false;
		n = n * base + d;
	}
	*out = n;
	return true;
}
