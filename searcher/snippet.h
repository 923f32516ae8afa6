/* Snippets: the part of a passage to show, with every query word and whole
 * phrase marked at its byte offsets. A token counts as a query word when
 * they share a stem in one of the index's languages, exactly as ranking
 * matched it. */
#ifndef LEDE_SNIPPET_H
#define LEDE_SNIPPET_H

#include <stddef.h>

#include "search_internal.h"

typedef struct snippet {
	strbuf text;             /* the snippet's bytes */
	lede_span *spans;        /* highlights, offsets into text, sorted */
	size_t nspans, cap;
	int trimmed_start, trimmed_end;
} snippet;

#define SNIPPET_INIT { STRBUF_INIT, NULL, 0, 0, 0, 0 }

/* What every snippet of one search shares: the query words and their
 * stems, the token buffers, and which query words each token form seen so
 * far matches (a form is stemmed once per search, not once per sight). */
typedef struct snippet_ctx snippet_ctx;

/* A context for the highlights h of one search on db; both must outlive
 * it. Owned by the caller: snippet_ctx_free. */
snippet_ctx *snippet_ctx_new(lede_db *db, const q_highlights *h);
void snippet_ctx_free(snippet_ctx *c);

/* Fill out (its previous contents replaced) from text[0..len): at most
 * about max_bytes around the densest run of highlights, cut at word
 * boundaries. */
void snippet_make_ctx(snippet_ctx *c, const char *text, size_t len,
                      size_t max_bytes, snippet *out);
/* The same with a context of its own (one snippet). */
void snippet_make(lede_db *db, const char *text, size_t len,
                  const q_highlights *h, size_t max_bytes, snippet *out);
void snippet_release(snippet *s);

#endif
