/* Direct quotes and their speakers: which stretches of an article's body
 * are somebody's words in quotation marks, and whose. Runs on the tokens
 * the analyzer already made for indexing (and the entity tagger's
 * mentions), plus a scan of the body's bytes for the marks themselves;
 * it never tokenises again. Rules, not a model: docs/quote-guidelines.md. */
#ifndef LEDE_QUOTES_H
#define LEDE_QUOTES_H

#include <stddef.h>
#include <stdint.h>

#include "../common/strbuf.h"
#include "analyzer.h"
#include "entities.h"

/* Bump when the quotes found for the same text change: it is part of the
 * content hash, so re-indexing re-analyses every article. */
#define QUOTES_VERSION 1

/* How a speaker was found (docs/quote-guidelines.md). */
typedef enum qt_how {
	QT_NONE = 0,   /* nobody: no cue and nobody spoke before */
	QT_CUE,        /* a name next to a speech verb ("said Mr Blair") */
	QT_PRONOUN,    /* "he said": the last speaker or person it fits */
	QT_ROLE,       /* "the mayor said": the person with that role */
	QT_FLOAT,      /* no cue: the speaker of the last quote or verb */
	QT_CONTINUED   /* a later part of a split or continued quote */
} qt_how;

/* One quote part: the words inside one pair of marks, within one
 * paragraph (a quote running over paragraphs, or split by "he said", is
 * several parts sharing `group`). Strings are offsets into the owning
 * qt_quotes' arena (qt_str), "" when absent. */
typedef struct qt_quote {
	uint32_t start, end;   /* bytes of the quoted words in the body, marks
	                          and the white space inside them excluded */
	uint32_t group;        /* index of the quote's first part */
	uint32_t speaker;      /* key: the official's entity key when the
	                          speaker is a tagged official, else the folded
	                          full name ("patricia hewitt", "home office") */
	uint32_t display;      /* "Patricia Hewitt", "Home Office" */
	uint32_t role;         /* the official's role ("mayor"), or "" */
	uint32_t cue;          /* the folded speech verb ("said", "dijo"), "" */
	uint8_t how;           /* qt_how */
} qt_quote;

typedef struct qt_quotes {
	qt_quote *v;
	size_t n, cap;
	strbuf arena;          /* NUL-terminated strings; offset 0 is "" */
} qt_quotes;

#define QT_QUOTES_INIT { NULL, 0, 0, STRBUF_INIT }

/* A string of q's arena; borrowed, valid until q changes. */
static inline const char *qt_str(const qt_quotes *q, uint32_t off)
{
	return q->arena.buf ? q->arena.buf + off : "";
}
void qt_quotes_clear(qt_quotes *q);
void qt_quotes_release(qt_quotes *q);

/* Find the quotes of body[0..len), whose tokens (analyzer_tokenize of the
 * same bytes, positions as the caller made them) are toks and whose
 * entity mentions are ents->v[from..to) (offsets in body; may be NULL).
 * lang is "en" or "es" (others: English cues). Appends to out (cleared
 * first), parts in body order. No state survives the call. */
void qt_extract(const char *body, size_t len, const an_tokens *toks,
                const ent_mentions *ents, size_t from, size_t to,
                const char *lang, qt_quotes *out);

/* For the tests: the word table is in strcmp order (binary search). */
int qt_words_sorted(void);

#endif
