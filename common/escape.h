/* One line of text from untrusted bytes: what every message about bad input
 * goes through before a terminal or a script that reads one message per
 * line sees it (reader rejections, `lede index`'s printer, query errors). */
#ifndef LEDE_ESCAPE_H
#define LEDE_ESCAPE_H

#include <stddef.h>

#include "strbuf.h"

/* Quoted input in a message is cut to this many bytes of output. */
#define ESC_QUOTE_MAX 60
/* A whole message (reason) is cut to this many bytes of output. */
#define ESC_LINE_MAX 400

/* Append s[0..n) to out as printable single-line text of at most max bytes
 * (0: no limit), and return the number of input bytes it consumed (n unless
 * it was cut). Escaped, so that no byte of it can end the line or drive a
 * terminal:
 *   \n \r \t \0 \e and \xHH   C0 controls and DEL
 *   \xHH                       each byte that is not valid UTF-8
 *   \u{HHHH}                   C1 controls, U+2028/U+2029 (line breaks to
 *                              JavaScript and some viewers) and the bidi
 *                              overrides and isolates (U+202A-E, U+2066-9)
 * A backslash is NOT escaped: the result of esc_line is its own escape
 * (escaping twice changes nothing), so a reader can escape a reason and the
 * command line can escape it again with the path without "\\n" creeping in.
 * When s does not fit, it is cut at a character boundary and "..." ends
 * it (the three dots count towards max). May move out->buf. */
size_t esc_line(strbuf *out, const char *s, size_t n, size_t max);

/* As esc_line for a NUL-terminated string. */
size_t esc_line_str(strbuf *out, const char *s, size_t max);

/* 1 if s[0..n) is already what esc_line makes of it: no byte that ends a
 * line or is a control, valid UTF-8. For tests and fuzz harnesses. */
int esc_is_one_line(const char *s, size_t n);

#endif
