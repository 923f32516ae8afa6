/* The layout of a lede database: every term prefix and value slot, in one
 * place, shared by the indexer (which writes them) and the searcher (which
 * reads them). docs/index-format.md is the same table for people; change
 * both together and bump LEDE_INDEX_FORMAT when old databases can no longer
 * be read. */
#ifndef LEDE_INDEX_SCHEMA_H
#define LEDE_INDEX_SCHEMA_H

#include <stdint.h>
#include <string.h>

#include "../common/strbuf.h"

/* Stored in the database metadata "lede.format"; the searcher refuses any
 * other value with a message saying how to rebuild. */
#define LEDE_INDEX_FORMAT "5"

/* Term prefixes. The words of a passage (index_doc.c add_text_terms):
 * - a word that has a stem (not a stop word, or an acronym: U.S. is
 *   "us") is its stem, with wdf and positions: an English stem
 *   unprefixed ("angel"), a stem of another language behind its
 *   language tag ("ZESdeport"), so that languages never share a stem;
 * - a stop word is its exact folded form behind PFX_EXACT, with
 *   positions and wdf 0 ("Wlos", "Wthe"): phrases and NEAR match it,
 *   while BM25 and document lengths never see it;
 * - a capitalised word whose stem differs also has its exact form behind
 *   PFX_EXACT, wdf 0 and no positions ("Wangeles"): a capitalised query
 *   word matches the name only. */
#define PFX_TITLE     "S"   /* the title's stems (language-tagged as in the
                               body: "SZESdeport"), on every passage */
/* Each title word also adds this to its stem's wdf on every passage of
 * the article (no positions): the headline ranks as part of every passage
 * without a second clause per query word (docs/TUNING.md). */
#define TITLE_BODY_WDF 2
#define PFX_EXACT     "W"   /* exact folded form: of a stop word (positions),
                               of a capitalised word (no positions); wdf 0 */
#define PFX_STEM_LANG "Z"   /* + upper-case language code: stems of a
                               language other than English */
#define PFX_UID       "Q"   /* unique id of an article: "Q<id>" */
#define PFX_ARTICLE   "XA"  /* on passages: the id of their article, so all
                               of an article's passages go with one call */
#define PFX_TYPE      "XT"  /* "XTa" on article documents, "XTq" on passages
                               with a quote; passages carry
                               no type term (they are everything else) */
#define PFX_LANG      "L"   /* "Len", "Les" */
#define PFX_YEAR      "XY"  /* "XY1987": the year of the article's date */
#define PFX_MONTH     "XM"  /* "XM198703" ("XM198700": year known only) */
#define PFX_UNDATED   "XU"  /* the term "XU" alone: the article has no date
                               (no XY, XM or date value); on both */
#define PFX_SOURCE    "XS"  /* folded source: "XSvalley ledger" */
#define PFX_CITY      "XC"  /* canonical entity keys (indexer/entities.h) */
#define PFX_STATE     "XP"
#define PFX_OFFICIAL  "XO"  /* full name, and each trailing part of it
                               ("hugo soto martinez", "soto martinez",
                               "martinez") */
#define PFX_ROLE      "XB"  /* an official's role, whole and its last word
                               ("XBice director", "XBdirector"): role:;
                               and each of those + ROLE_SEP + the
                               official's key or a trailing part of it
                               ("XBmayor:karen bass", "XBmayor:bass"):
                               official: and role: side by side */
#define ROLE_SEP      ":"   /* never in a folded role or key */
#define PFX_AGENCY    "XG"
#define PFX_RESPONSE  "XR"
#define PFX_FINGERPRINT "XF" /* on articles: "XF" + simhash in 16 hex digits,
                               so the next run can load every fingerprint */
#define PFX_GROUP     "XK"  /* on articles: "XK" + the id of the first
                               article of its near-duplicate group (its own
                               id when original); termfreq - 1 = copies */
#define PFX_COPY      "XD"  /* "XDcopy" on articles and passages that are
                               near-duplicates of an earlier article */

#define PFX_QUOTE     "U"   /* a word inside a direct quote: its stem or
                               exact term again behind this ("Udeport",
                               "UZESdeport", "UWthe"), same position, wdf
                               0: quote:word and quote:"a phrase" */
#define PFX_SPEAKER   "XQ"  /* on passages: the key of the speaker of a
                               quote in the passage, and each trailing part
                               of it ("XQkaren bass", "XQbass"): said:;
                               boolean (wdf 0), no positions */

#define DOCTYPE_ARTICLE "XTa"
#define DOCTYPE_QUOTED  "XTq"  /* on passages that hold a quote part:
                                  lede quotes searches these only */

/* The term that names an article id under prefix (PFX_UID, PFX_ARTICLE,
 * PFX_GROUP), appended to out. Xapian terms stop at 245 bytes and an id
 * may be a long URL: an id too long for a term is cut to 180 bytes and
 * followed by "#" and a 64-bit FNV-1a hash of the whole id in hex. Values
 * and data keep the id whole. */
#define ID_TERM_MAX 200
static inline void index_id_term(strbuf *out, const char *prefix,
                                 const char *id)
{
	size_t pl = strlen(prefix), n = strlen(id);
	sb_addstr(out, prefix);
	if (pl + n <= ID_TERM_MAX) {
		sb_add(out, id, n);
		return;
	}
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)id[i];
		h *= 0x100000001b3ULL;
	}
	sb_add(out, id, 180);
	sb_addf(out, "#%016llx", (unsigned long long)h);
}

/* The tag before a stem of lang (see PFX_STEM_LANG) into out (appended):
 * nothing for English, "ZES" for Spanish, "Z" and the code in upper case
 * for any other language. Returns the bytes added. */
static inline size_t index_stem_tag(strbuf *out, const char *lang)
{
	if (!lang || !*lang || !strcmp(lang, "en") || !strcmp(lang, "english"))
		return 0;
	size_t before = out->len;
	sb_addstr(out, PFX_STEM_LANG);
	for (const char *c = lang; *c && out->len - before < 16; c++)
		sb_addch(out, *c >= 'a' && *c <= 'z' ? (char)(*c - 32) : *c);
	return out->len - before;
}

/* Whether a word has a stem term (else it is indexed as PFX_EXACT with
 * positions): a non-empty stem of a word that is not a stop word, or of
 * an acronym (U.S. folds to the stop word "us"). The indexer and the
 * query compiler both decide with this, so a phrase asks for the terms
 * the text made. */
static inline int index_word_has_stem(size_t slen, int stop, int acronym)
{
	return slen > 0 && (acronym || !stop);
}

/* Document data. An article's: a JSON header (index_doc.c article_data).
 * A passage's (passage_data): "id\nn\nstart\nend\n", then the article's
 * title, date, source, url and lang, one line each (a newline in them
 * stored as backslash + 'n', a backslash doubled), then "type\tkey\n" per
 * entity the passage mentions: everything a hit prints but the text, which
 * is the passage's own SLOT_TEXT (see index_segment_start). */

/* A passage data line that holds a quote part instead of an entity:
 * "quote\tstart\tend\tgroup_start\tspeaker\tdisplay\trole\tcue"; never an
 * entity type name. */
#define PASSAGE_QUOTE_TAG "quote"

/* The body is stored in segments, one per passage, in the passages'
 * SLOT_TEXT: passage n's segment starts here (offsets in the body) and
 * ends where passage n + 1 starts, the last one at the end of the body.
 * The first segment takes any text before the first passage, each later
 * one the gap before its passage; in passage order they are the body. */
static inline size_t index_segment_start(size_t n, size_t passage_start)
{
	return n == 0 ? 0 : passage_start;
}

/* Value slots. */
enum lede_slot {
	SLOT_DATE = 0,        /* "YYYYMMDD" (string order = date order; "00"
	                         for an unknown month or day); absent when the
	                         article has no date. Date filters are value
	                         ranges, year and month facets are read from it */
	SLOT_ARTICLE = 1,     /* article id: collapse key for passages */
	SLOT_FINGERPRINT = 2, /* simhash, 8 bytes big-endian (articles) */
	SLOT_SOURCE = 3,      /* source, folded as the XS term is (facets:
	                         "El País" and "El país" are one) */
	SLOT_HASH = 4,        /* content hash, 16 hex digits (articles): an
	                         unchanged article is skipped on re-index */
	SLOT_GROUP = 5,       /* id of the first article of its near-duplicate
	                         group (its own id when original): collapse key
	                         that folds syndicated copies */
	SLOT_ENTITIES = 6,    /* entity keys of the article, for facets: one
	                         "type\tkey\n" line each (type as in
	                         ent_type_name) */
	SLOT_TEXT = 7,        /* passages: their segment of the body (see
	                         index_segment_start), packed by
	                         corpus/textpack.c. A value, not the document
	                         data, because Xapian deflates data again
	                         (wasted time on packed text) and values it
	                         stores as they are */
	SLOT_FACETS = 8,      /* passages: everything a facet counts, in one
	                         value, so that Xapian's own ValueCountMatchSpy
	                         (the only spy a remote server runs) counts
	                         per article: group NUL article NUL date
	                         ("YYYYMMDD" or "") NUL folded source NUL
	                         entities ("type\tkey\n" lines). Each distinct
	                         value is one article: facets over remote
	                         shards (searcher/search.c remote_facets) */
	SLOT_GENERATION = 9,  /* articles and passages: the index generation
	                         (committed batch, META_GENERATION) that wrote
	                         this version, lx_sortable_serialise'd so that
	                         "new since generation G" is a value range.
	                         Absent in documents written before lede kept
	                         generations: they never count as new */
	SLOT_FIRST_GENERATION = 10 /* articles and passages: the generation that
	                         first wrote this article id (an update keeps
	                         it; 0 when the first version came before
	                         generations), sortable like SLOT_GENERATION:
	                         lower than it means "updated" */
};

/* Metadata keys. */
#define META_FORMAT      "lede.format"
#define META_ANALYZER    "lede.analyzer"   /* ANALYZER_VERSION */
#define META_ENTITIES    "lede.entities"   /* ENTITIES_VERSION */
#define META_LANGS       "lede.langs"      /* languages present: "en,es" */
#define META_PASSAGE     "lede.passage"    /* "target,max,min" words */
/* The newest committed generation, decimal: each batch `lede index`
 * commits with articles in it is the next generation, written in the same
 * commit as its documents (so a reader that sees the number sees them).
 * Absent in a database written before generations (format 4 still). */
#define META_GENERATION  "lede.generation"
/* Saved searches (lede watch): META_WATCH + name, see searcher/watch.c. */
#define META_WATCH       "lede.watch."

#endif
