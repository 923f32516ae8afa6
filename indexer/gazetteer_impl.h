/* What gazetteer.c and entities.c share and nobody else should use: the
 * loaded tables (entries, their patterns as folded or stemmed token
 * sequences) and the hash lookup of candidate patterns by a first token. */
#ifndef LEDE_GAZETTEER_IMPL_H
#define LEDE_GAZETTEER_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "entities.h"

/* An internal entry type: a title ("Mayor", "Gov.") that makes the
 * capitalised name after it an official. Never appears in a mention. */
#define GZ_TITLE ENT_NTYPES
/* Words that, right after a city or state, make it part of another name
 * ("Milwaukee Avenue", "Ventura County", "Wells Fargo"); with GZ_E_PERSON
 * also after the name that follows a title ("Chief Sealth High School").
 * Never in a mention. */
#define GZ_SUFFIX (ENT_NTYPES + 1)
/* A word seldom capitalised mid-sentence (common_words.tsv): never a name
 * in a title-case headline. Kept in gazetteer.common, not in entries. */
#define GZ_COMMON (ENT_NTYPES + 2)

/* Entry flags (the flags column). */
#define GZ_E_AMB    0x01 /* a common word: mid-sentence capital or ", State" */
#define GZ_E_PERSON 0x02 /* a personal name: not next to a capitalised word */
#define GZ_E_QUAL   0x04 /* only with ", State" */
#define GZ_E_ALT    0x08 /* not the default among entries of the same name */
#define GZ_E_STEM   0x10 /* aliases are compared by stems */
#define GZ_E_FULL   0x20 /* title: a one-word name after it is no name
                            ("Chief Sealth", "Chief Executive") */
#define GZ_E_WHOLE  0x40 /* suffix: a whole name with a place inside
                            ("Wells Fargo"), not a word after one */
#define GZ_E_CITY   0x80 /* suffix: after a city only ("New York attorney
                            general"; "Oregon Gov." is the state) */
#define GZ_E_SUR    0x100 /* official: the surname alone names them
                             anywhere ("Thatcher", "Reagan") */
#define GZ_E_APPOS  0x400 /* title: also after a name in apposition
                             ("Rhona Brankin, the deputy health minister") */
#define GZ_E_IMMIG  0x800 /* agency: kept only in an article with
                             immigration context (ICE, INS) */
#define GZ_E_BODY   0x1000 /* title: only with a government body before
                              it or "of [the] <body>" after it */
#define GZ_E_NATIONAL 0x2000 /* agency: capitalised words right before it
                                ("Iraqi Air Force") join its key */
#define GZ_E_PLURAL 0x4000 /* title: names several, joined by commas and
                              "and" ("Lords Bingham, Steyn and Hope") */
#define GZ_E_CTX    0x200 /* city: a surname or word as often as a place
                             (Allen, Independence, Surprise): only with
                             place context - "in", "from", "at", "near"
                             before it, ", State" after it, or a dateline */

/* What a pattern token needs from the case of the text's token. */
enum { GZ_REQ_ANY, GZ_REQ_CAP, GZ_REQ_UPPER, GZ_REQ_LOWER };

/* Pattern flags. */
#define GZ_P_COMMA  0x01 /* only as the ", State" after a city */
#define GZ_P_STEM   0x02 /* terms are stems of lang */
#define GZ_P_PERIOD 0x04 /* a full stop must follow the last token */

enum { GZ_LANG_EN, GZ_LANG_ES, GZ_NLANGS };

/* Bits in the per-language filter of stem prefixes. */
#define GZ_GATE_BITS 65536u

typedef struct gz_entry {
	uint8_t type;          /* ent_type or GZ_TITLE */
	uint8_t nsur;          /* official: tokens of the surname */
	uint16_t flags;        /* GZ_E_* */
	const char *key;       /* canonical key (title: the role) */
	const char *display;
	const char *code;      /* state: folded postal code; city: its state's */
	int32_t city;          /* agency: index of its city entry, or -1 */
	/* officials: the best-known office ("prime minister"), where it was
	 * held ("united kingdom", "los angeles"), and the years
	 * (0 when open or unknown); NULL/0 for other types */
	const char *role, *where;
	uint16_t year_from, year_to;
} gz_entry;

typedef struct gz_ptok {
	const char *term;      /* folded word, or its stem for GZ_P_STEM */
	uint32_t len;
	uint8_t req;           /* GZ_REQ_* */
} gz_ptok;

typedef struct gz_pat {
	uint32_t entry;        /* index in entries */
	uint32_t tok;          /* first of ntok in ptoks */
	uint16_t ntok;
	uint8_t flags;         /* GZ_P_* */
	uint8_t lang;          /* GZ_LANG_* for GZ_P_STEM */
} gz_pat;

/* A hash table from a string to a run of uint32 values. */
typedef struct gz_slot {
	const char *key;       /* NULL: empty slot */
	uint32_t len, hash, first, n;
} gz_slot;

typedef struct gz_map {
	gz_slot *slots;
	size_t mask;
	uint32_t *vals;
} gz_map;

struct gz_chunk;

struct gazetteer {
	gz_entry *entries;
	size_t nentries, cap_entries;
	gz_pat *pats;
	size_t npats, cap_pats;
	gz_ptok *ptoks;
	size_t nptoks, cap_ptoks;
	/* first folded term -> plain patterns, longest first, then file order */
	gz_map exact;
	/* first stem -> stemmed patterns of that language, the same order */
	gz_map stem[GZ_NLANGS];
	/* 3-byte prefixes of the first stems: most words need no stemming */
	uint8_t gate[GZ_NLANGS][GZ_GATE_BITS / 8];
	/* first folded term -> GZ_SUFFIX patterns, longest first */
	gz_map suffix;
	/* first folded token of an official's surname -> official entries:
	 * "Mr Blair", "Dr Fox", and surnames flagged sur */
	gz_map surname;
	/* folded common words (values unused) */
	gz_map common;
	/* "<type><sep><folded alias>" -> entries, for gazetteer_normalize;
	 * sep is 0x1f for folded words, 0x1e+lang for stems */
	gz_map alias;
	struct gz_chunk *pool; /* every string above lives here */
};

uint32_t gz_hash(const char *s, size_t n);
/* The values stored under key, *n of them; NULL if none. Borrowed from m. */
const uint32_t *gz_map_get(const gz_map *m, const char *key, size_t len,
                           uint32_t *n);
/* Whether a folded word may have a stem that starts a stemmed pattern. */
int gz_gate_test(const gazetteer *g, int lang, const char *term, size_t len);
/* "en" or "es". Static. */
const char *gz_lang_code(int lang);

#endif
