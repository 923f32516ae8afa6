/* Entity tagging: who (officials), where (cities, states), which agency and
 * what federal response a text is about. Gazetteers (the .tsv files of corpus/gazetteer/,
 * compiled into the library) give cities, states, agencies and responses
 * with their aliases; officials come from title patterns ("Mayor Karen
 * Bass"), from the officeholders' gazetteer (officials.tsv: "Tony Blair"
 * with no title, with role and jurisdiction) and later mentions of the
 * same surname in the same article.
 * Matching is one pass over the analyzer's tokens. */
#ifndef LEDE_ENTITIES_H
#define LEDE_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"

/* Bump when the gazetteers or the tagging rules change. */
#define ENTITIES_VERSION 6

typedef enum ent_type {
	ENT_CITY = 0,
	ENT_STATE,
	ENT_OFFICIAL,
	ENT_AGENCY,
	ENT_RESPONSE,
	ENT_NTYPES
} ent_type;

/* "city", "state", "official", "agency", "response"; static strings. */
const char *ent_type_name(ent_type t);
/* The type whose name is s, or -1. */
int ent_type_from_name(const char *s, size_t len);

/* Canonical keys are folded (analyzer_fold), words joined by one space:
 *   city      "los angeles ca"   (name and state code)
 *   state     "california"
 *   agency    "ice"              (the short name: ice, cbp, dhs, lapd ...)
 *   response  "mass deportation", "287g", "sanctuary policy" ...
 *   official  "karen bass"       (full name as first seen with a title;
 *                                 role kept apart) */
typedef struct ent_mention {
	uint8_t type;          /* ent_type */
	const char *key;       /* canonical key; borrowed, see ent_tag */
	const char *display;   /* for people: "Los Angeles, CA", "ICE",
	                          "Karen Bass"; borrowed like key */
	const char *role;      /* officials: folded role ("mayor",
	                          "councilmember", "border czar"); else NULL */
	const char *where;     /* officials: the jurisdiction of the role when
	                          the text or the officeholders' gazetteer
	                          gives it ("los angeles ca", "united
	                          kingdom"); else NULL. Borrowed like key */
	uint32_t tok_first;    /* index of the first token in toks */
	uint32_t tok_last;     /* index of the last token (inclusive) */
	uint32_t start, end;   /* byte offsets in the source text */
} ent_mention;

typedef struct ent_mentions {
	ent_mention *v;
	size_t n, cap;
} ent_mentions;

#define ENT_MENTIONS_INIT { NULL, 0, 0 }
void ent_mentions_clear(ent_mentions *m);
void ent_mentions_release(ent_mentions *m);

typedef struct gazetteer gazetteer;

/* The gazetteers compiled into the library. Read-only once loaded: one may
 * be shared by every thread. Owned by the caller (gazetteer_free). On error
 * returns NULL and sets *err to a malloc'd message (caller frees). */
gazetteer *gazetteer_load_builtin(analyzer *a, char **err);
/* The same from a directory of *.tsv files (for tests and users who extend
 * them); errors name the file and line. */
gazetteer *gazetteer_load_dir(analyzer *a, const char *dir, char **err);
void gazetteer_free(gazetteer *g);

/* Normalise what a user typed after city:, official:, agency:, response:,
 * state: to the canonical keys it stands for, appended to out as
 * NUL-separated strings; returns how many. "L.A." and "los angeles" give
 * "los angeles ca"; for officials any name gives its folded words
 * ("bass" -> "bass", "Karen Bass" -> "karen bass"): the index stores an
 * official under the full key and under the surname alone. */
size_t gazetteer_normalize(const gazetteer *g, analyzer *a, ent_type type,
                           const char *text, size_t len, strbuf *out);

typedef struct ent_tagger ent_tagger;

/* One per thread; g must outlive it. Owned by the caller. */
ent_tagger *ent_tagger_new(const gazetteer *g);
void ent_tagger_free(ent_tagger *t);
/* Forget the surnames of the previous article. */
void ent_tagger_begin_article(ent_tagger *t);
/* The article's language, "en" or "es" (NULL or anything else: guess from
 * each text). Decides which stemmed response patterns apply ("redadas" is
 * Spanish, "raids" English). Lasts until the next begin_article. */
void ent_tagger_set_lang(ent_tagger *t, const char *lang);
/* The article's year (0: unknown), until the next begin_article: picks
 * among officeholders who share a surname the one in office nearest it. */
void ent_tagger_set_year(ent_tagger *t, int year);
/* Tag the tokens toks of src (as produced by analyzer_tokenize on src),
 * appending mentions to out. Keys, displays and roles are borrowed from the
 * gazetteer or from the tagger and stay valid until the next
 * ent_tagger_begin_article or ent_tagger_free. */
void ent_tag(ent_tagger *t, const char *src, const an_tokens *toks,
             ent_mentions *out);

/* The article is over: drop its responses when nothing in it (title and
 * text, every ent_tag call since begin_article that appended to out) was
 * about immigration, borders, asylum or refugees. Mentions before the
 * article's in out are kept. */
void ent_tagger_end_article(ent_tagger *t, ent_mentions *out);

#endif
