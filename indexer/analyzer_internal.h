/* What the analyzer's own files share and nobody else should call: the
 * analyzer struct, character classes, per-codepoint folding, the stemmer
 * table, and two switches the benchmark uses to measure the fast paths.
 * Not part of the public API; the indexer and searcher use analyzer.h. */
#ifndef LEDE_ANALYZER_INTERNAL_H
#define LEDE_ANALYZER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"

struct sb_stemmer;

/* Character classes the tokenizer cares about. */
enum an_class {
	C_OTHER = 0, /* punctuation, symbols, controls, NUL: separators */
	C_SPACE,     /* horizontal space, \r, and Unicode Zs */
	C_NL,        /* \n and U+2028 */
	C_PARA,      /* U+2029: a paragraph break by itself */
	C_LETTER,    /* any letter of a spaced script */
	C_IDEO,      /* Han, kana, Yi: each character is its own token */
	C_DIGIT,     /* decimal digit (Nd) */
	C_MARK,      /* combining mark: continues a word, never starts one */
	C_APOS,      /* ' U+2019 U+02BC U+FF07 */
	C_HYPHEN,    /* - U+2010 U+2011 */
	C_SOFT,      /* soft hyphen: invisible inside a word */
	C_DOT,       /* . */
	C_COMMA,     /* , */
	C_TERM,      /* ! ? */
	C_CLOSE      /* closing quotes and brackets: keep a sentence end open */
};

/* Class of a codepoint that is not handled by the ASCII table. */
int fold_class(int32_t cp);
/* Class of an ASCII byte, from a static table (the table is exposed so
 * that the tokenizer's hot loop can index it without a call). */
extern const unsigned char fold_ascii_class[128];
int fold_class_ascii(unsigned char c);

/* Case of a letter: 1 upper or title case, -1 lower, 0 uncased. */
int fold_case(int32_t cp);

/* Fold one codepoint (lowercase, marks stripped, compatibility forms
 * decomposed) into dst, which has room for FOLD_CP_MAX bytes. Returns the
 * bytes written (0 for a mark or an ignorable). */
#define FOLD_CP_MAX 128
size_t fold_cp(int32_t cp, char *dst);

/* Decode one codepoint at s[0..n), n >= 1. Returns its length in bytes and
 * the codepoint in *cp, or 1 with *cp = -1 for an invalid byte. */
size_t fold_decode(const unsigned char *s, size_t n, int32_t *cp);

/* Whether a folded word is one of the abbreviations after which a full stop
 * does not end a sentence (mr, gov, sen, jan...). Most count only when the
 * source word was capitalised (Miss., Wash. are also words). */
int stop_is_abbrev(const char *word, size_t len, int capitalized);

/* For the tests: the stop-word tables are sorted; their sizes. */
int stop_tables_sorted(void);
/* Whether the counted word w is in tab, n strings in strcmp order. */
int word_in_sorted(const char *const *tab, size_t n, const char *w,
                   size_t len);
size_t stop_count(const char *lang);

#define AN_MAX_STEMMERS 32

struct an_stem_cache;

struct an_stemmer {
	const char *name;            /* libstemmer's name, static */
	struct sb_stemmer *st;       /* owned */
	struct an_stem_cache *cache; /* owned, allocated on first use */
};

/* One row of corpus/gazetteer/stem_exceptions.tsv per word: (language,
 * word) -> stem, sorted by language then word (stem.c). */
struct an_stem_override {
	const char *lang;   /* libstemmer's static name */
	char *word, *stem;  /* owned by the analyzer */
};

struct analyzer {
	int ascii_fast;  /* 1: ASCII bytes skip utf8proc (default) */
	int stem_cache;  /* 1: cache stems of short words (default) */
	struct an_stemmer stemmers[AN_MAX_STEMMERS];
	int nstemmers;
	/* The lang strings seen, each with the stemmer it resolved to: a
	 * caller that alternates languages (the searcher stems every word in
	 * each language of the index) must not pay the name lookup each time. */
	struct { char lang[16]; int idx; } seen[8];
	int nseen;
	strbuf stem_out;       /* a stem that needed post-folding */
	struct an_stem_override *overrides;  /* owned; loaded on first stem */
	size_t noverrides;
	int overrides_loaded;
};

void stem_release_all(analyzer *a);

/* Benchmark switches: measure what the fast paths buy. */
void analyzer_set_ascii_fastpath(analyzer *a, int on);
void analyzer_set_stem_cache(analyzer *a, int on);

#endif
