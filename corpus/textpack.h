/* Stored text: each article body is deflated with zlib before it goes into
 * the index, and inflated for snippets and `lede show`. */
#ifndef LEDE_TEXTPACK_H
#define LEDE_TEXTPACK_H

#include <stddef.h>

#include "../common/strbuf.h"

/* Append the compressed form of text to out. Returns 0 or -1 (zlib error). */
int textpack_compress(const char *text, size_t len, strbuf *out);
/* Append the original text to out. Returns 0, or -1 if data is not a valid
 * packed text (corrupt or truncated); out then holds nothing new. */
int textpack_decompress(const char *data, size_t len, strbuf *out);

#endif
