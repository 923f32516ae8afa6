/* The analyzer: the one piece of code both the indexer and the searcher call,
 * so that a query word becomes exactly the term its text became. It splits
 * UTF-8 text into tokens with byte offsets and positions, folds case and
 * accents, stems with libstemmer, guesses English or Spanish, and knows the
 * stop words. No global mutable state: one analyzer per thread. */
#ifndef LEDE_ANALYZER_H
#define LEDE_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "../common/strbuf.h"

/* Bump when the terms produced for the same text change: the index stores it
 * and the searcher refuses a mismatch. */
#define ANALYZER_VERSION 2

/* Xapian limits a term to 245 bytes; the longest prefix we put before a
 * word is 3 bytes, so a folded word longer than this is skipped. */
#define ANALYZER_MAX_WORD 240

typedef enum an_kind {
	AN_WORD = 0,   /* letters, maybe digits: immigrants, deportación, 287g */
	AN_NUMBER,     /* digits with . or , inside: 42, 1,500, 3.5 */
	AN_ACRONYM,    /* letters with dots: U.S. -> "us", L.A. -> "la" */
	AN_EMAIL,      /* one part of an e-mail address */
	AN_URL         /* one part of a URL's host or path */
} an_kind;

/* flags */
#define AN_CAP       0x01 /* Title-case in the source (Bass, Soto), or an all-caps
                             word of 2-5 letters (ICE, CBP, DACA) */
#define AN_ALLCAPS   0x02 /* every letter uppercase in the source */
#define AN_SENT_START 0x04 /* first token of a sentence or paragraph */
#define AN_JOINED    0x08 /* joined to the previous token by a hyphen, as in
                             Soto-Martinez: a query makes the parts a phrase */
#define AN_PARA_START 0x10 /* first token after a blank line (or of the text) */

typedef struct an_token {
	uint32_t term_off;  /* folded form at arena + term_off, NUL-terminated */
	uint32_t term_len;  /* its length in bytes (<= ANALYZER_MAX_WORD) */
	uint32_t start;     /* byte offset of the token in the source */
	uint32_t end;       /* one past its last byte in the source */
	uint32_t pos;       /* 0-based word position; +1 per token */
	uint8_t kind;       /* an_kind */
	uint8_t flags;      /* AN_* flags */
} an_token;

/* Tokens of one text. Owns its memory; reuse it across calls (an_tokens_clear)
 * to avoid allocation on the hot path. */
typedef struct an_tokens {
	an_token *v;
	size_t n, cap;
	strbuf arena;       /* folded forms, back to back */
} an_tokens;

#define AN_TOKENS_INIT { NULL, 0, 0, STRBUF_INIT }

/* Borrowed; valid until the next call that adds to or clears toks. */
static inline const char *an_term(const an_tokens *toks, const an_token *t)
{
	return toks->arena.buf + t->term_off;
}
void an_tokens_clear(an_tokens *toks);
void an_tokens_release(an_tokens *toks);

typedef struct analyzer analyzer;

/* A new analyzer; owned by the caller, free with analyzer_free. Never NULL. */
analyzer *analyzer_new(void);
void analyzer_free(analyzer *a); /* NULL is a no-op */

/* Append the tokens of text[0..len) to out, positions starting at
 * first_pos (so title and body, or several passages, can share one position
 * space). Invalid UTF-8 bytes are skipped (treated as separators), NUL bytes
 * too; words longer than ANALYZER_MAX_WORD are skipped. Returns the
 * position after the last token. Offsets are relative to text. */
uint32_t analyzer_tokenize(analyzer *a, const char *text, size_t len,
                           uint32_t first_pos, an_tokens *out);

/* Fold one string as the tokenizer folds a word (lowercase, accents
 * stripped, apostrophes dropped) into out (appended). Used for gazetteer
 * keys and field values. */
void analyzer_fold(analyzer *a, const char *s, size_t len, strbuf *out);

/* Stem a folded word with the Snowball stemmer of lang: "en", "es" or any
 * libstemmer language name or code ("english", "french", "de"...).
 * Returns a borrowed pointer, valid until the next analyzer_stem call on a,
 * and its length in *out_len; NULL if the language is unknown. */
const char *analyzer_stem(analyzer *a, const char *lang,
                          const char *word, size_t len, size_t *out_len);

/* Whether a libstemmer language exists for lang ("en", "es", "english"...). */
int analyzer_lang_known(const char *lang);

/* Whether lang's stemmer only ever changes the end of a word, so that the
 * stem analyzer_stem gives for a non-empty folded word is either empty
 * (porter stems "s" to "") or begins with that word's first byte. Callers
 * use it to skip stemming a word that cannot share a non-empty stem with
 * the words they look for. True for english, spanish and porter (Snowball
 * removes or replaces suffixes only, the Spanish -ción re-accenting touches
 * the end, and the output is folded like the input; tests/test_snippet.c
 * checks every distinct word of the news corpora); 0 for every other
 * language, including those whose stemmers strip prefixes (indonesian,
 * irish, arabic), and unknown ones. */
int analyzer_stem_keeps_first_byte(const char *lang);

/* Guess "en" or "es" from stop-word profiles; "en" when unsure. Returns a
 * static string. */
const char *analyzer_detect_lang(const char *text, size_t len);

/* Whether a folded word is a stop word in lang ("en"/"es"; others: none). */
int analyzer_is_stopword(const char *lang, const char *word, size_t len);

#endif
