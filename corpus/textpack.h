/* Stored text: each article body is deflated with zlib before it goes into
 * the index, and inflated for snippets and `lede show`. */
#ifndef LEDE_TEXTPACK_H
#define LEDE_TEXTPACK_H

#include <stddef.h>

#include "../common/strbuf.h"

/* Append the compressed form of text to out (with the preset news
 * dictionary, see textpack_dict.c). Returns 0, or -1 on a zlib error or a
 * text over 1 GiB; out then holds nothing new. May move out->buf. */
int textpack_compress(const char *text, size_t len, strbuf *out);

/* Preset dictionaries, by the id stored in each packed text's header. */
#define TEXTPACK_DICT_NONE 0
#define TEXTPACK_DICT_NEWS1 1
#define TEXTPACK_DICT_NEWS1_16K 2 /* the last 16 KiB of NEWS1 */
/* As textpack_compress with a chosen dictionary and zlib level (1-9): for
 * measuring, and for tests that old formats stay readable. */
int textpack_compress_with(const char *text, size_t len, int dict_id,
                           int level, strbuf *out);
/* Append the original text to out. Returns 0, or -1 if data is not a valid
 * packed text (corrupt or truncated, unknown dictionary, or a header that
 * claims more than 1 GiB or more than deflate could expand to); out then
 * holds nothing new. Allocates the claimed length only after those checks.
 * May move out->buf. */
int textpack_decompress(const char *data, size_t len, strbuf *out);
/* As textpack_decompress, but stop once the first want bytes of the text
 * are out (all of it when want >= its length): a snippet needs the text up
 * to its passage's end only. Appends min(want, length) bytes; *full_len
 * (may be NULL) gets the length of the whole text from the header. Returns
 * 0, or -1 as textpack_decompress (a stream cut short before want bytes is
 * refused; damage after them may go unseen). May move out->buf. */
int textpack_decompress_prefix(const char *data, size_t len, size_t want,
                               strbuf *out, size_t *full_len);

#endif
