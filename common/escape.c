/* esc_line: untrusted bytes to one printable line (see escape.h for the
 * escapes). Knows nothing of what the text is; callers decide the limits. */
#include "escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* Code points that must not reach a terminal or a line-based reader as
 * they are: C1 controls, the Unicode line and paragraph separators, and
 * the bidi embeddings, overrides and isolates (they reorder the rest of
 * the line on screen). */
static int escaped_cp(int32_t c)
{
	return (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* The escaped form of the character at s (n > 0 bytes left) into piece
 * (at least 12 bytes); returns its length and sets *used to the bytes of
 * s it stands for. */
static size_t piece_at(const unsigned char *s, size_t n, char *piece,
                       size_t *used)
{
	unsigned char c = s[0];
	if (c < 0x20 || c == 0x7F) {
		static const char short_esc[] = { '\n', 'n', '\r', 'r', '\t', 't',
		                                  '\0', '0', 0x1B, 'e' };
		*used = 1;
		for (size_t i = 0; i < sizeof short_esc; i += 2)
			if (c == (unsigned char)short_esc[i]) {
				piece[0] = '\\';
				piece[1] = short_esc[i + 1];
				return 2;
			}
		return (size_t)snprintf(piece, 12, "\\x%02X", c);
	}
	if (c < 0x80) {
		*used = 1;
		piece[0] = (char)c;
		return 1;
	}
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n < 4 ? n : 4),
	                                      &cp);
	if (k <= 0) {
		*used = 1;
		return (size_t)snprintf(piece, 12, "\\x%02X", c);
	}
	*used = (size_t)k;
	if (escaped_cp(cp))
		return (size_t)snprintf(piece, 12, "\\u{%04X}", (unsigned)cp);
	memcpy(piece, s, (size_t)k);
	return (size_t)k;
}

size_t esc_line(strbuf *out, const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	char piece[12];
	size_t used, i;
	/* First pass: does all of it fit? Then no dots are needed. */
	size_t total = 0;
	for (i = 0; i < n && (!max || total <= max); i += used)
		total += piece_at(p + i, n - i, piece, &used);
	int cut = max && total > max;
	size_t room = cut ? (max > 3 ? max - 3 : 0) : total;
	size_t put = 0;
	sb_grow(out, room + 3);
	for (i = 0; i < n; i += used) {
		size_t k = piece_at(p + i, n - i, piece, &used);
		if (put + k > room)
			break;
		sb_add(out, piece, k);
		put += k;
	}
	if (cut)
		sb_add(out, "...", max < 3 ? max : 3);
	return i;
}

size_t esc_line_str(strbuf *out, const char *s, size_t max)
{
	return esc_line(out, s, strlen(s), max);
}

int esc_is_one_line(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char piece[12];
	size_t used;
	for (size_t i = 0; i < n; i += used) {
		size_t k = piece_at(p + i, n - i, piece, &used);
		if (k != used || memcmp(piece, p + i, k) != 0)
			return 0;
	}
	return 1;
}
