/* utf8: strict validation (RFC 3629). */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t utf8_check(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp, min;

		/* ASCII eight bytes at a time: most of every input (the hot
		   path of usage ingest, which checks each line) */
		if (c < 0x80) {
			uint64_t w;
			while (i + 8 <= len && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL)))
				i += 8;
			while (i < len && s[i] < 0x80)
				i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1; cp = c & 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2; cp = c & 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return i + 1;
		}
		if (i + n >= len)
			return i + 1;   /* truncated sequence */
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i + 1;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i + 1;
		i += n + 1;
	}
	return 0;
}

size_t utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	/* back off continuation bytes (10xxxxxx) to the start of a character */
	if (n < len)
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	return n;
}
