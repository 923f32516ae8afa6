/* Splitting an article body into passages, the unit of ranking: a
 * paragraph is the natural passage, long ones are cut at sentence
 * boundaries, tiny ones are merged with the next. */
#ifndef LEDE_PASSAGE_H
#define LEDE_PASSAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct passage_opts {
	size_t target_words;  /* cut long paragraphs into windows of about this */
	size_t max_words;     /* never longer than this (a sentence over it is cut) */
	size_t min_words;     /* merge a paragraph shorter than this with the next */
} passage_opts;

/* The defaults, chosen with make eval (docs/EVALUATION.md). */
#define PASSAGE_TARGET_WORDS 500
#define PASSAGE_OPTS_INIT { PASSAGE_TARGET_WORDS, 800, 100 }

typedef struct passage_span {
	uint32_t start, end;  /* byte offsets in the body, end exclusive */
} passage_span;

typedef struct passage_list {
	passage_span *v;
	size_t n, cap;
} passage_list;

#define PASSAGE_LIST_INIT { NULL, 0, 0 }

/* Replace out's contents with the passages of body (at least one when the
 * body has any non-space byte). Spans cover text only (no leading or
 * trailing whitespace) and never overlap. */
void passage_split(const char *body, size_t len, const passage_opts *o,
                   passage_list *out);
void passage_list_release(passage_list *l);

/* Sentence boundaries within text[0..len): appends the byte offset where
 * each sentence after the first starts. Knows abbreviations (Mr., Gov.,
 * U.S., Jan., Sen.) and initials. Returns how many it appended. */
size_t passage_sentence_starts(const char *text, size_t len,
                               uint32_t **starts, size_t *n, size_t *cap);

#endif
