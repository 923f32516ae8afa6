/* lede_search and lede_similar: run a query over passages, keep the best
 * passages per article (and fold near-duplicate copies), then dress each hit
 * with its article's metadata, a highlighted snippet and its entities, and
 * count facets over the whole matching set. */
#include "search_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/escape.h"
#include "../common/xalloc.h"
#include "../corpus/passage.h"
#include "../corpus/textpack.h"
#include "../indexer/index_schema.h"
#include "passage_ref.h"
#include "snippet.h"

#define NFACETS 9
#define FACET_SPEAKER 8   /* LEDE_FACET_SPEAKER's bit */

/* Defaults chosen with make eval (docs/EVALUATION.md). */
#define DEFAULT_K1 1.2
#define DEFAULT_B 0.75
#define MAX_LIMIT 10000
/* A total that the ranking left an estimate is counted again in an
 * unweighted pass that looks at this many matches at least: exact for a
 * query with fewer, and for any query one that does not move with -n.
 * Xapian's estimate from a short ranking is poor with collapsing (one
 * query gave "about 5" with -n 1, 40 with -n 10, exactly 79). The pass
 * costs about 0.7 us a match (Reuters, 20 queries, min of 11 runs: median
 * 1.7 ms without it, 2.2 ms at 300, 2.5 ms at 1000), but Xapian rounds an
 * estimate to what its bounds justify: at 300, "about 1000" for 1336 and
 * 2000 for 2491; at 1000, 1300 and 2000 for 1329 and 2489. --count makes
 * any total exact. */
#ifndef TOTAL_CHECK_AT_LEAST
#define TOTAL_CHECK_AT_LEAST 1000
#endif
/* Adjacent query words found adjacent (compile.c proximity_query). */
#ifndef PROXIMITY_WEIGHT
#define PROXIMITY_WEIGHT 0.3
#endif
/* Pseudo-relevance feedback (feedback_query). */
#ifndef FEEDBACK_DOCS
#define FEEDBACK_DOCS 10
#endif
#define FEEDBACK_MIN_DOCS 3
#ifndef FEEDBACK_MIN_WORDS
#define FEEDBACK_MIN_WORDS 3
#endif
#ifndef FEEDBACK_TERMS
#define FEEDBACK_TERMS 12
#endif
#ifndef FEEDBACK_WEIGHT
#define FEEDBACK_WEIGHT 0.15
#endif
/* A feedback term must index at least this many of the feedback passages:
 * a word of one passage only is seldom what the passages have in common,
 * and each candidate costs Xapian a frequency lookup (docs/TUNING.md:
 * 0.15-0.35 ms less per feedback query, nDCG@10 0.546 -> 0.548). */
#ifndef FEEDBACK_MIN_SHARED
#define FEEDBACK_MIN_SHARED 2
#endif
/* The expanded query re-ranks the best this many matches of the first
 * pass (one passage per story), not every match: the feedback terms are
 * common words whose postings would be walked for each match, and a story
 * outside the first pass's best few hundred does not reach the top ten on
 * a 0.15 weight (docs/TUNING.md). */
#ifndef FEEDBACK_RERANK
#define FEEDBACK_RERANK 40
#endif
/* Rank fusion: the matches BM25 ranks first are scored again with DPH
 * (Xapian's parameter-free divergence-from-randomness weight), and each
 * hit's score becomes BM25 / best BM25 + DPH_WEIGHT * DPH / best DPH.
 * BM25 wants its length normalisation b set per collection (npl and cacm,
 * short records, rank best near b 0.4; TIME and med at 0.75); DPH has no
 * such parameter, and the mix holds on all six collections of make eval
 * where neither scheme alone does (docs/TUNING.md). FUSION_DEPTH: how many
 * of BM25's best a page's order is drawn from. */
#ifndef DPH_WEIGHT
#define DPH_WEIGHT 1.0
#endif
#ifndef FUSION_DEPTH
#define FUSION_DEPTH 40
#endif

typedef struct facet_set {
	lede_facet_value *v;
	size_t n, cap;
	int asked;
	size_t *slots;          /* hash of the values: index + 1, 0 = empty */
	size_t nslots;          /* a power of two, over twice n */
} facet_set;

/* Strings and arrays a hit points to, owned by the results. */
typedef struct hit_store {
	char *id, *title, *date, *source, *url, *lang;
	snippet snip;
	lede_entity *ents;
	char **ent_strs;        /* type and key strings, 2 per entity */
	size_t nents;
	lede_quote *quotes;
	char **quote_strs;      /* PASSAGE_QUOTE_FIELDS per quote part */
	strbuf quote_text;      /* the parts' words, back to back */
	size_t nquotes;
	char *explain;
} hit_store;

struct lede_results {
	lede_hit *hits;
	hit_store *store;
	size_t n;
	uint64_t total;
	int total_exact;
	facet_set facets[NFACETS];
	strbuf pool;            /* facet value strings, NUL-separated */
	char **facet_strs;
	size_t nfacet_strs, facet_strs_cap;
	double seconds;
	strbuf warnings;        /* damaged records passed over, one a line */
	uint64_t undated;       /* matching articles without a date */
	uint64_t undated_outside; /* undated articles only the date range
	                             left out */
	strbuf said;            /* the speaker keys said: asks for, NUL-separated */
	size_t nsaid;
	int has_words;          /* the query has words to find in a quote */
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *const facet_names[NFACETS] = {
	"city", "state", "official", "agency", "response", "source", "year",
	"month", "speaker"
};

static int facet_index(unsigned bit)
{
	for (int i = 0; i < NFACETS; i++)
		if (bit == (1u << i))
			return i;
	return -1;
}

const char *lede_facet_name(unsigned field_bit)
{
	int i = facet_index(field_bit);
	return i < 0 ? NULL : facet_names[i];
}

int lede_facet_parse(const char *list)
{
	int mask = 0;
	const char *s = list;
	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		int found = 0;
		if (n == 3 && memcmp(s, "all", 3) == 0) {
			mask |= LEDE_FACET_ALL;
			found = 1;
		}
		for (int i = 0; i < NFACETS && !found; i++)
			if (strlen(facet_names[i]) == n && memcmp(s, facet_names[i], n) == 0) {
				mask |= 1 << i;
				found = 1;
			}
		if (!found && n)
			return -1;
		s += n + (e != NULL);
	}
	return mask;
}

/* The slot a facet is read from: entity facets and speakers share one
 * slot of "type\tkey" lines, year and month come from the date. */
static int entity_facet(int i)
{
	return i < 5 || i == FACET_SPEAKER;
}

static uint32_t facet_slot(int i)
{
	return entity_facet(i) ? SLOT_ENTITIES : i == 5 ? SLOT_SOURCE : SLOT_DATE;
}

#define STR2(x) #x
#define STR(x) STR2(x)
const char *lede_defaults(void)
{
	return "bm25 k1=" STR(DEFAULT_K1) " b=" STR(DEFAULT_B)
	       " fused with dph, weight " STR(DPH_WEIGHT) ", over bm25's best "
	       STR(FUSION_DEPTH)
	       "; title words count " STR(TITLE_BODY_WDF) " more in every passage"
	       "; feedback " STR(FEEDBACK_DOCS) " passages, " STR(FEEDBACK_TERMS)
	       " terms (each in " STR(FEEDBACK_MIN_SHARED) "+ of them), weight "
	       STR(FEEDBACK_WEIGHT) ", for queries of "
	       STR(FEEDBACK_MIN_WORDS) "+ words"
	       "; proximity " STR(PROXIMITY_WEIGHT) " for queries of up to 3 words"
	       "; stop words indexed for phrases, not ranked; passages of about "
	       STR(PASSAGE_TARGET_WORDS) " words";
}

size_t lede_results_count(const lede_results *r) { return r ? r->n : 0; }
uint64_t lede_results_total(const lede_results *r) { return r ? r->total : 0; }
int lede_results_total_exact(const lede_results *r)
{
	return r ? r->total_exact : 0;
}
double lede_results_seconds(const lede_results *r) { return r ? r->seconds : 0; }
uint64_t lede_results_undated(const lede_results *r)
{
	return r ? r->undated : 0;
}
uint64_t lede_results_undated_outside(const lede_results *r)
{
	return r ? r->undated_outside : 0;
}
const char *lede_results_warnings(const lede_results *r)
{
	return r ? sb_cstr(&r->warnings) : "";
}

/* One warning line (printf-style) on r. */
static void warn(lede_results *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(lede_results *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&r->warnings, fmt, ap);
	va_end(ap);
	sb_addch(&r->warnings, '\n');
}

const lede_hit *lede_results_hit(const lede_results *r, size_t i)
{
	return r && i < r->n ? &r->hits[i] : NULL;
}

const lede_facet_value *lede_results_facet(const lede_results *r,
                                           unsigned field_bit, size_t *n)
{
	int i = facet_index(field_bit);
	*n = 0;
	if (!r || i < 0 || !r->facets[i].asked)
		return NULL;
	static const lede_facet_value none[1];
	*n = r->facets[i].n;
	return r->facets[i].v ? r->facets[i].v : none;
}

static void hit_store_release(hit_store *s)
{
	free(s->id);
	free(s->title);
	free(s->date);
	free(s->source);
	free(s->url);
	free(s->lang);
	free(s->explain);
	snippet_release(&s->snip);
	for (size_t i = 0; i < PASSAGE_ENT_FIELDS * s->nents; i++)
		free(s->ent_strs[i]);
	free(s->ent_strs);
	free(s->ents);
	for (size_t i = 0; i < PASSAGE_QUOTE_FIELDS * s->nquotes; i++)
		free(s->quote_strs[i]);
	free(s->quote_strs);
	free(s->quotes);
	sb_release(&s->quote_text);
}

void lede_results_free(lede_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		hit_store_release(&r->store[i]);
	free(r->store);
	free(r->hits);
	for (int i = 0; i < NFACETS; i++) {
		free(r->facets[i].v);
		free(r->facets[i].slots);
	}
	for (size_t i = 0; i < r->nfacet_strs; i++)
		free(r->facet_strs[i]);
	free(r->facet_strs);
	sb_release(&r->pool);
	sb_release(&r->warnings);
	sb_release(&r->said);
	free(r);
}

/* The speaker keys of the said: fields of n (not those under a NOT),
 * normalised as the compiler normalises them, into r. */
static void collect_said(lede_db *db, const q_node *n, lede_results *r)
{
	if (!n)
		return;
	if (n->kind == Q_FIELD && n->field == QF_SAID) {
		const gazetteer *g = lede_db_gazetteer(db);
		size_t k = g ? gazetteer_normalize(g, db->an, ENT_OFFICIAL, n->value,
		                                   n->value_len, &r->said) : 0;
		if (!k) {
			analyzer_fold(db->an, n->value, n->value_len, &r->said);
			sb_addch(&r->said, '\0');
			k = 1;
		}
		r->nsaid += k;
		return;
	}
	size_t kids = n->kind == Q_AND_NOT ? 1 : n->nkids;
	for (size_t i = 0; i < kids && i < n->nkids; i++)
		collect_said(db, n->kids[i], r);
}

/* Whether speaker key is one of r's said: keys or ends in one ("karen
 * bass" for "bass"). */
static int said_matches(const lede_results *r, const char *key)
{
	if (!r->nsaid)
		return 1;
	size_t kl = strlen(key);
	const char *k = r->said.buf;
	for (size_t i = 0; i < r->nsaid; i++, k += strlen(k) + 1) {
		size_t l = strlen(k);
		if (l && l <= kl && !strcmp(key + kl - l, k) &&
		    (l == kl || key[kl - l - 1] == ' '))
			return 1;
	}
	return 0;
}

/* Mark the quotes of hit s that answer the query (lede_quote.matched):
 * text[0..len) is the body from offset text_at. */
static void mark_quotes(const lede_results *r, hit_store *s, snippet_ctx *sc,
                        const char *text, size_t text_at, size_t len)
{
	snippet tmp = SNIPPET_INIT;
	size_t *off = xcalloc(s->nquotes ? s->nquotes : 1, sizeof *off);
	for (size_t k = 0; k < s->nquotes; k++) {
		lede_quote *q = &s->quotes[k];
		off[k] = s->quote_text.len;
		q->text_len = 0;
		if (q->start >= text_at && q->end >= q->start &&
		    q->end - text_at <= len) {
			q->text_len = q->end - q->start;
			sb_add(&s->quote_text, text + (q->start - text_at), q->text_len);
		}
	}
	/* the words have stopped moving: point at them */
	for (size_t k = 0; k < s->nquotes; k++)
		s->quotes[k].text = sb_cstr(&s->quote_text) + off[k];
	free(off);
	for (size_t k = 0; k < s->nquotes; k++) {
		lede_quote *q = &s->quotes[k];
		q->matched = said_matches(r, q->speaker);
		if (!q->matched || !r->has_words || !sc)
			continue;
		if (q->start < text_at || q->end < q->start || q->end - text_at > len) {
			q->matched = 0;
			continue;
		}
		size_t ql = q->end - q->start;
		snippet_make_ctx(sc, text + (q->start - text_at), ql, ql + 16, &tmp);
		q->matched = tmp.nspans > 0;
	}
	snippet_release(&tmp);
}

/* ---- facets ---------------------------------------------------------- */

static const char *keep_str(lede_results *r, const char *s, size_t n)
{
	XGROW(r->facet_strs, r->facet_strs_cap, r->nfacet_strs + 1);
	char *c = xstrndup(s, n);
	r->facet_strs[r->nfacet_strs++] = c;
	return c;
}

static int facet_cmp(const void *a, const void *b)
{
	const lede_facet_value *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

static uint64_t facet_hash(const char *v, size_t n)
{
	uint64_t h = 1469598103934665603u;   /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)v[i]) * 1099511628211u;
	return h;
}

/* Put value index k into f's hash (which has room). */
static void facet_hash_put(facet_set *f, size_t k)
{
	const char *v = f->v[k].value;
	size_t mask = f->nslots - 1;
	size_t j = (size_t)facet_hash(v, strlen(v)) & mask;
	while (f->slots[j])
		j = (j + 1) & mask;
	f->slots[j] = k + 1;
}

/* Add count to the value v[0..n) of f (copied on first sight). A hash,
 * not a scan: an entity facet meets thousands of distinct lists. */
static void facet_count(lede_results *r, facet_set *f, const char *v,
                        size_t n, uint64_t count)
{
	if (2 * (f->n + 1) > f->nslots) {
		free(f->slots);
		f->nslots = f->nslots ? 2 * f->nslots : 64;
		f->slots = xcalloc(f->nslots, sizeof *f->slots);
		for (size_t k = 0; k < f->n; k++)
			facet_hash_put(f, k);
	}
	size_t mask = f->nslots - 1;
	for (size_t j = (size_t)facet_hash(v, n) & mask; f->slots[j];
	     j = (j + 1) & mask) {
		lede_facet_value *fv = &f->v[f->slots[j] - 1];
		if (strnlen(fv->value, n + 1) == n &&
		    memcmp(fv->value, v, n) == 0) {
			fv->count += count;
			return;
		}
	}
	XGROW(f->v, f->cap, f->n + 1);
	f->v[f->n].value = keep_str(r, v, n);
	f->v[f->n].count = count;
	facet_hash_put(f, f->n);
	f->n++;
}

/* Whether a stored date is one the indexer writes: "YYYYMMDD", year
 * 0001-9999, month 00 (unknown) or 01-12, day 00-31. A damaged value is
 * reported, never counted: a timeline walks from the first period to the
 * last, and "zzzz" or "9999-99" would send it past the end of the
 * calendar. */
static int date_value_ok(const char *v, size_t len)
{
	if (len != 8)
		return 0;
	for (size_t i = 0; i < 8; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	int m = (v[4] - '0') * 10 + (v[5] - '0');
	int d = (v[6] - '0') * 10 + (v[7] - '0');
	return memcmp(v, "0000", 4) != 0 && m <= 12 && d <= 31;
}

/* Add count to every key of the given type in the entity lines v[0..len)
 * ("type\tkey\n" each). */
static void count_entities(lede_results *r, facet_set *f, const char *type,
                           size_t tl, const char *v, size_t len,
                           uint64_t count)
{
	size_t s = 0;
	while (s < len) {
		const char *nl = memchr(v + s, '\n', len - s);
		size_t e = nl ? (size_t)(nl - v) : len;
		if (e - s > tl + 1 && memcmp(v + s, type, tl) == 0 &&
		    v[s + tl] == '\t')
			facet_count(r, f, v + s + tl + 1, e - s - tl - 1, count);
		s = e + 1;
	}
}

/* Most frequent first, at most limit values (0: all). */
static void facet_finish(facet_set *f, unsigned limit)
{
	if (f->n)
		qsort(f->v, f->n, sizeof *f->v, facet_cmp);
	if (limit && f->n > limit)
		f->n = limit;
}

/* A stored date value quoted in the warning that leaves it out of the
 * counts of facet fi. */
static void warn_bad_date(lede_results *r, const char *v, size_t len,
                          uint64_t count, int fi)
{
	strbuf q = STRBUF_INIT;
	esc_line(&q, v, len, ESC_QUOTE_MAX);
	warn(r, "%llu passage(s) have a damaged date value '%s' (not "
	     "YYYYMMDD): left out of the %s counts; re-index them",
	     (unsigned long long)count, sb_cstr(&q), facet_names[fi]);
	sb_release(&q);
}

/* Facet fi from the counts of its slot. Entity lists hold one
 * "type\tkey" line per entity: each distinct list's count goes to every key
 * of the wanted type in it, which gives exact per-key counts. Dates
 * "YYYYMMDD" are summed by year or month. */
static void collect_facet(lede_results *r, lx_mset *ms, int fi,
                          unsigned limit)
{
	facet_set *f = &r->facets[fi];
	f->asked = 1;
	size_t nvalues = 0;
	uint32_t slot = facet_slot(fi);
	if (lx_mset_facet_size(ms, slot, &nvalues, NULL) != 0)
		return;
	const char *type = entity_facet(fi) ? facet_names[fi] : NULL;
	size_t tl = type ? strlen(type) : 0;
	for (size_t i = 0; i < nvalues; i++) {
		const char *v;
		size_t len;
		uint64_t count;
		if (lx_mset_facet_get(ms, slot, i, &v, &len, &count) != 0)
			continue;
		if ((fi == 6 || fi == 7) && !date_value_ok(v, len)) {
			warn_bad_date(r, v, len, count, fi);
		} else if (fi == 5) {
			facet_count(r, f, v, len, count);
		} else if (fi == 6) {
			facet_count(r, f, v, 4, count);
		} else if (fi == 7 && memcmp(v + 4, "00", 2) != 0) {
			char ym[8] = { v[0], v[1], v[2], v[3], '-', v[4], v[5], 0 };
			facet_count(r, f, ym, 7, count);
		} else if (type) {
			count_entities(r, f, type, tl, v, len, count);
		}
	}
	facet_finish(f, limit);
}

/* ---- hits ------------------------------------------------------------ */

static uint64_t copies_of(lede_db *db, const char *group)
{
	/* articles in a group: the original and its copies */
	uint64_t n = 0;
	strbuf t = STRBUF_INIT;
	index_id_term(&t, PFX_GROUP, group);
	lx_db_termfreq(db->db, t.buf, t.len, &n, NULL);
	sb_release(&t);
	return n > 1 ? n - 1 : 0;
}

static void take_str(char **dst, char **src)
{
	free(*dst);
	*dst = *src;
	*src = NULL;
}

/* The generation values of hit mi into hit (0 where absent). */
static void hit_generations(lx_mset *ms, size_t mi, lede_hit *hit)
{
	uint32_t slots[2] = { SLOT_GENERATION, SLOT_FIRST_GENERATION };
	uint64_t *to[2] = { &hit->generation, &hit->first_generation };
	for (int k = 0; k < 2; k++) {
		char *v = NULL;
		size_t n = 0;
		*to[k] = 0;
		if (lx_mset_value(ms, mi, slots[k], &v, &n) == 0 && n)
			*to[k] = (uint64_t)lx_sortable_unserialise(v, n);
		free(v);
	}
}

/* A hit that cannot be dressed because its passage's record is damaged:
 * dress_hit returns this (db's message saying which), and the search
 * skips the hit with a warning instead of failing. */
#define HIT_DAMAGED 1

static int damaged(lede_db *db, const char *article, const char *what)
{
	lede_fail(db, LEDE_EDB, "%s: passage of article %s: %s is damaged; "
	          "skipped (re-index the article)", db->path,
	          article && *article ? article : "?", what);
	return HIT_DAMAGED;
}

/* HIT_DAMAGED for a shim failure that is damage on disk, else the lede
 * status of the failure, db's message set either way. */
static int hit_failure(lede_db *db, lx_mset *ms, const lx_hit *h)
{
	if (lx_last_errcode() != LX_ECORRUPT)
		return lede_fail(db, LEDE_EDB, "%s", lx_mset_errmsg(ms));
	lede_fail(db, LEDE_EDB, "%s: document %u: %s; skipped", db->path,
	          h ? h->docid : 0, lx_mset_errmsg(ms));
	return HIT_DAMAGED;
}

/* Append to out the text of hit mi's passage segment (which starts at
 * text_at in the body) up to the passage's end; *full_len gets the
 * segment's length. 0, or a status with db's message set. */
static int passage_text(lede_db *db, lx_mset *ms, size_t mi,
                        const passage_ref *p, size_t text_at, strbuf *out,
                        size_t *full_len)
{
	char *packed = NULL;
	size_t plen = 0;
	if (lx_mset_value(ms, mi, SLOT_TEXT, &packed, &plen) != 0) {
		free(packed);
		return lede_fail(db, LEDE_EDB, "%s", lx_mset_errmsg(ms));
	}
	size_t want = p->end > text_at ? p->end - text_at : 0;
	int bad = textpack_decompress_prefix(packed, plen, want, out, full_len);
	free(packed);
	if (bad)
		return damaged(db, p->id, "its stored text");
	return 0;
}

/* Fill hit i of r from mset entry mi. Everything but the text comes from
 * the passage data; the text is the passage's own packed segment of the
 * body, inflated up to the passage's end. */
static int dress_hit(lede_db *db, lede_results *r, size_t i, lx_mset *ms,
                     size_t mi, snippet_ctx *sc,
                     const lede_search_opts *o, unsigned rank)
{
	lx_hit h;
	char *data = NULL, *group = NULL;
	size_t dlen = 0, glen = 0;
	/* the collapse key is the passage's group (SLOT_GROUP); with no_dedup
	 * the group is not needed */
	if (lx_mset_hit(ms, mi, &h) != 0)
		return lede_fail(db, LEDE_EDB, "%s", lx_mset_errmsg(ms));
	if (lx_mset_data(ms, mi, &data, &dlen) != 0 ||
	    (!o->no_dedup && lx_mset_collapse_key(ms, mi, &group, &glen) != 0)) {
		free(data);
		free(group);
		return hit_failure(db, ms, &h);
	}
	passage_ref p;
	int bad = passage_ref_parse(data, dlen, &p);
	free(data);
	if (bad) {
		passage_ref_release(&p);
		free(group);
		lede_fail(db, LEDE_EDB, "%s: document %u: its passage record is "
		          "damaged; skipped (re-index the database)", db->path,
		          h.docid);
		return HIT_DAMAGED;
	}
	/* A folded group is shown as its original, whichever copy's passage
	 * ranked best (a word more or less changes BM25's length factor): the
	 * same passage of the original. Not with several passages per group,
	 * where two copies could map to one passage. */
	stored_article *orig = NULL;
	if (!o->no_dedup && o->passages <= 1 && group && *group &&
	    strcmp(group, p.id) != 0 &&
	    stored_article_load(db, group, 1, &orig) == 0) {
		if (orig->nspans) {
			if (p.n >= orig->nspans)
				p.n = 0;
			p.start = orig->spans[p.n][0];
			p.end = orig->spans[p.n][1];
			take_str(&p.id, &orig->id);
			take_str(&p.title, &orig->title);
			take_str(&p.date, &orig->date);
			take_str(&p.source, &orig->source);
			take_str(&p.url, &orig->url);
			take_str(&p.lang, &orig->lang);
			take_str(&group, &orig->group);
		} else {
			stored_article_free(orig);
			orig = NULL;
		}
	}
	/* The text: the original's body, or this passage's own segment of
	 * it, inflated up to the passage's end; text_at is the segment's
	 * offset in the body. */
	strbuf prefix = STRBUF_INIT;
	const strbuf *body = &prefix;
	size_t full_len = 0, text_at = 0;
	if (orig) {
		body = &orig->body;
		full_len = orig->body.len;
	} else {
		text_at = index_segment_start(p.n, p.start);
		int rc = passage_text(db, ms, mi, &p, text_at, &prefix, &full_len);
		if (rc != 0) {
			passage_ref_release(&p);
			free(group);
			return rc;
		}
	}
	hit_store *s = &r->store[i];
	lede_hit *hit = &r->hits[i];
	take_str(&s->id, &p.id);
	take_str(&s->title, &p.title);
	take_str(&s->date, &p.date);
	take_str(&s->source, &p.source);
	take_str(&s->url, &p.url);
	take_str(&s->lang, &p.lang);
	/* the passage within the text read; nothing when the record and
	 * the text disagree */
	size_t ps = p.start - text_at, pe = p.end - text_at;
	if (p.start < text_at || p.end < p.start || pe > full_len)
		ps = pe = 0;
	snippet_make_ctx(sc, sb_cstr(body) + ps, pe - ps,
	                 o->snippet_bytes ? o->snippet_bytes : 240, &s->snip);
	if (pe == 0 && full_len == 0)
		snippet_make_ctx(sc, s->title, strlen(s->title),
		                 o->snippet_bytes ? o->snippet_bytes : 240,
		                 &s->snip);
	s->nquotes = p.nquotes;
	s->quote_strs = p.quotes;
	s->quotes = xcalloc(p.nquotes ? p.nquotes : 1, sizeof *s->quotes);
	for (size_t k = 0; k < p.nquotes; k++) {
		char **f = p.quotes + PASSAGE_QUOTE_FIELDS * k;
		lede_quote *q = &s->quotes[k];
		q->start = (uint32_t)strtoul(f[0], NULL, 10);
		q->end = (uint32_t)strtoul(f[1], NULL, 10);
		uint32_t first = (uint32_t)strtoul(f[2], NULL, 10);
		q->quote = (unsigned)k;
		for (size_t j = 0; j < k; j++)
			if (s->quotes[j].start == first)
				q->quote = (unsigned)j;
		q->speaker = f[3];
		q->speaker_display = f[4];
		q->role = f[5];
		q->cue = f[6];
	}
	p.quotes = NULL;
	p.nquotes = 0;
	mark_quotes(r, s, sc, sb_cstr(body), text_at, full_len);
	sb_release(&prefix);
	stored_article_free(orig);
	s->nents = p.nents;
	s->ent_strs = p.ents;
	s->ents = xcalloc(p.nents ? p.nents : 1, sizeof *s->ents);
	for (size_t k = 0; k < p.nents; k++) {
		char **f = p.ents + PASSAGE_ENT_FIELDS * k;
		s->ents[k].type = f[0];
		s->ents[k].key = f[1];
		s->ents[k].role = *f[2] ? f[2] : NULL;
		s->ents[k].where = *f[3] ? f[3] : NULL;
	}
	p.ents = NULL;
	p.nents = 0;

	hit->rank = rank;
	hit->score = h.weight;
	hit->article_id = s->id;
	hit->passage = p.n;
	hit->title = s->title;
	hit->date = s->date;
	hit->source = s->source;
	hit->url = s->url;
	hit->lang = s->lang;
	hit->snippet = sb_cstr(&s->snip.text);
	hit->snippet_len = s->snip.text.len;
	hit->snippet_trimmed_start = s->snip.trimmed_start;
	hit->snippet_trimmed_end = s->snip.trimmed_end;
	hit->highlights = s->snip.spans;
	hit->nhighlights = s->snip.nspans;
	hit->passage_start = p.start;
	hit->passage_end = p.end;
	hit->entities = s->ents;
	hit->nentities = s->nents;
	hit->quotes = s->quotes;
	hit->nquotes = s->nquotes;
	hit->also_in = o->no_dedup || !group ? 0
	               : (unsigned)copies_of(db, group);
	hit_generations(ms, mi, hit);
	free(group);
	passage_ref_release(&p);
	return 0;
}

/* A hit with its id, passage number and score only. */
static int bare_hit(lede_db *db, lede_results *r, size_t i, lx_mset *ms,
                    size_t mi, unsigned rank)
{
	lx_hit h;
	char *data = NULL;
	size_t dlen = 0;
	if (lx_mset_hit(ms, mi, &h) != 0)
		return lede_fail(db, LEDE_EDB, "%s", lx_mset_errmsg(ms));
	if (lx_mset_data(ms, mi, &data, &dlen) != 0) {
		free(data);
		return hit_failure(db, ms, &h);
	}
	const char *nl = memchr(data, '\n', dlen);
	hit_store *s = &r->store[i];
	s->id = xstrndup(data, nl ? (size_t)(nl - data) : dlen);
	s->title = xstrdup("");
	lede_hit *hit = &r->hits[i];
	hit->rank = rank;
	hit->score = h.weight;
	hit->article_id = s->id;
	hit->passage = nl ? (unsigned)strtoul(nl + 1, NULL, 10) : 0;
	hit->title = hit->date = hit->source = hit->url = hit->lang = s->title;
	hit->snippet = s->title;
	hit_generations(ms, mi, hit);
	free(data);
	return 0;
}

/* ---- the search ------------------------------------------------------ */

/* YYYY[-MM[-DD]] to YYYYMMDD, as the start (first day) or the end (last
 * possible day: 31 is fine for string comparison). */
static int date_bound(const char *s, int end, char out[9])
{
	int y, m = 0, d = 0;
	size_t n = strlen(s);
	/* sscanf alone would take "20x5" as the year 20 */
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '-' && (i == 4 || i == 7))))
			return -1;
	if (!((n == 4 && sscanf(s, "%4d", &y) == 1) ||
	      (n == 7 && sscanf(s, "%4d-%2d", &y, &m) == 2) ||
	      (n == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3)))
		return -1;
	if (y < 0 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31)
		return -1;
	if (!m)
		m = end ? 12 : 1;
	if (!d)
		d = end ? 31 : 1;
	snprintf(out, 9, "%04u%02u%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
	return 0;
}

/* q restricted to passages (documents without the article type term) and
 * to the --since/--until dates. text_only: q cannot match a document
 * without text terms (see may_match_articles), so the article exclusion,
 * which costs the matcher a third of a simple query's time, is left out. */
static lx_query *with_filters(lede_db *db, lx_query *q,
                              const lede_search_opts *o, int text_only,
                              int *err)
{
	lx_query *range = NULL;
	if (o->since || o->until) {
		char from[9], to[9];
		if ((o->since && date_bound(o->since, 0, from) != 0) ||
		    (o->until && date_bound(o->until, 1, to) != 0)) {
			*err = lede_fail(db, LEDE_EUSAGE, "--since/--until: expected "
			                 "YYYY, YYYY-MM or YYYY-MM-DD");
			return NULL;
		}
		range = search_date_range(db, o->since ? from : NULL,
		                          o->until ? to : NULL);
		if (!range) {
			*err = LEDE_EDB;
			return NULL;
		}
	}
	if (o->after_generation || o->upto_generation) {
		/* generations after after_generation up to upto_generation, as
		 * a range of their sortable values (absent: never matches) */
		char lo[LX_SORTABLE_MAX], hi[LX_SORTABLE_MAX];
		size_t lol = lx_sortable_serialise((double)o->after_generation + 1,
		                                   lo);
		size_t hil = o->upto_generation
		             ? lx_sortable_serialise((double)o->upto_generation, hi)
		             : 0;
		lx_query *gens = lx_query_value_range(SLOT_GENERATION, lo, lol,
		                                      o->upto_generation ? hi : NULL,
		                                      hil);
		if (gens && range) {
			lx_query *both = lx_query_pair(LX_OP_AND, range, gens);
			lx_query_free(gens);
			gens = both;
		}
		lx_query_free(range);
		range = gens;
		if (!range) {
			*err = lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
			return NULL;
		}
	}
	lx_query *ranged = range ? lx_query_pair(LX_OP_FILTER, q, range) : q;
	lx_query *f;
	if (text_only) {
		/* a query the caller owns, as in the other case: an AND of one
		 * is that one */
		const lx_query *one[1] = { q };
		f = range ? ranged : lx_query_combine(LX_OP_AND, one, 1, 0);
	} else {
		lx_query *art = lx_query_term(DOCTYPE_ARTICLE,
		                              strlen(DOCTYPE_ARTICLE), 1, 0);
		f = lx_query_pair(LX_OP_AND_NOT, ranged, art);
		lx_query_free(art);
		if (range)
			lx_query_free(ranged);
	}
	if (range)
		lx_query_free(range);
	if (f && o->quotes_only) {
		lx_query *qt = lx_query_term(DOCTYPE_QUOTED, strlen(DOCTYPE_QUOTED),
		                             1, 0);
		lx_query *g = lx_query_pair(LX_OP_FILTER, f, qt);
		lx_query_free(qt);
		lx_query_free(f);
		f = g;
	}
	return f;
}

static void set_ranking(lx_enquire *enq, const lede_search_opts *o)
{
	double p[5] = { o->bm25_k1 > 0 ? o->bm25_k1 : DEFAULT_K1, 0, 1,
	                o->bm25_b > 0 ? o->bm25_b : DEFAULT_B, 0.5 };
	lx_enquire_set_weighting(enq, "bm25", p, 5);
}

/* The weight of DPH in the fused ranking; 0: BM25 alone. */
static double dph_weight(const lede_search_opts *o)
{
	return o->dph_weight < 0 ? 0 : o->dph_weight > 0 ? o->dph_weight
	                                                 : DPH_WEIGHT;
}

/* Facets over the whole matching set, each article (or, folding copies,
 * each group of near-duplicates) counted once: the passages carry their
 * article's entity lists, and the shim counts distinct collapse keys. An
 * unweighted pass of its own: ranking every match with BM25 and collapse
 * to count them cost several times more than counting alone. *total, when
 * not NULL: the exact number of articles (groups) matching. */
/* A counting pass over every document matching q, unweighted: the
 * values of the slots of mask (facet_slot), or of SLOT_FACETS alone
 * when mask is 0, each document counted, or with key (not LX_NO_SLOT)
 * each distinct key once. OUT *enq and *ms, owned by the caller
 * (lx_mset_free, then lx_enquire_free). 0, or a status with db's
 * message set (and nothing to free). */
static int count_pass(lede_db *db, lx_query *q, unsigned mask, uint32_t key,
                      lx_enquire **enq, lx_mset **ms)
{
	if (lx_enquire_new(enq, db->db) != 0)
		return lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
	lx_enquire_set_query(*enq, q);
	lx_enquire_set_weighting(*enq, "bool", NULL, 0);
	lx_enquire_set_docid_order(*enq, LX_DOCID_DONT_CARE);
	if (key != LX_NO_SLOT)
		lx_enquire_set_facet_key(*enq, key);
	if (!mask)
		lx_enquire_add_facet(*enq, SLOT_FACETS);
	for (int i = 0; i < NFACETS; i++)
		if (mask & (1u << i))
			lx_enquire_add_facet(*enq, facet_slot(i));
	uint64_t docs = 0;
	lx_db_doccount(db->db, &docs);
	int rc = lx_enquire_get_mset(*enq, 0, 0, (uint32_t)docs, ms);
	if (rc != 0) {
		rc = lede_fail(db, lede_status_from_lx(rc), "%s",
		               lx_enquire_errmsg(*enq));
		lx_enquire_free(*enq);
		*enq = NULL;
	}
	return rc;
}

/* One article's SLOT_FACETS value, split (index_schema.h). */
typedef struct facet_record {
	const char *group, *article, *date, *source, *ents;
	size_t group_len, article_len, date_len, source_len, ents_len;
} facet_record;

/* 0, or -1 when v is not five NUL-separated fields. */
static int facet_record_parse(const char *v, size_t len, facet_record *f)
{
	const char *part[5];
	size_t plen[5], at = 0;
	for (int i = 0; i < 5; i++) {
		const char *nul = i < 4 ? memchr(v + at, '\0', len - at) : NULL;
		if (i < 4 && !nul)
			return -1;
		part[i] = v + at;
		plen[i] = i < 4 ? (size_t)(nul - (v + at)) : len - at;
		at += plen[i] + 1;
	}
	*f = (facet_record){ part[0], part[1], part[2], part[3], part[4],
	                     plen[0], plen[1], plen[2], plen[3], plen[4] };
	return 0;
}

/* Count one article's record into the facets of mask. */
static void count_record(lede_results *r, const facet_record *fr,
                         unsigned mask)
{
	for (int fi = 0; fi < NFACETS; fi++) {
		if (!(mask & (1u << fi)))
			continue;
		facet_set *f = &r->facets[fi];
		if (entity_facet(fi)) {
			count_entities(r, f, facet_names[fi], strlen(facet_names[fi]),
			               fr->ents, fr->ents_len, 1);
		} else if (fi == 5) {
			if (fr->source_len)
				facet_count(r, f, fr->source, fr->source_len, 1);
		} else if (!fr->date_len) {
			continue;   /* undated: in no year or month */
		} else if (!date_value_ok(fr->date, fr->date_len)) {
			warn_bad_date(r, fr->date, fr->date_len, 1, fi);
		} else if (fi == 6) {
			facet_count(r, f, fr->date, 4, 1);
		} else if (memcmp(fr->date + 4, "00", 2) != 0) {
			const char *d = fr->date;
			char ym[8] = { d[0], d[1], d[2], d[3], '-', d[4], d[5], 0 };
			facet_count(r, f, ym, 7, 1);
		}
	}
}

/* Facets through remote shards, which run Xapian's own ValueCountMatchSpy
 * and no spy of ours: it counts the SLOT_FACETS values of the matching
 * passages, and each distinct value is one article (its group, id, date,
 * source and entities), so counting the values here, once each, counts
 * articles exactly. A group of copies counts once (unless no_dedup): as
 * its original when the original matched, else as its matching member of
 * the lowest id, whatever shard holds which. The values of every
 * matching article travel from the servers: a facet query over a large
 * match costs about 100 bytes per matching article. */
static int remote_facets(lede_db *db, lede_results *r, lx_query *passage_q,
                         const lede_search_opts *o, uint64_t *total,
                         uint64_t *undated)
{
	lx_enquire *enq;
	lx_mset *ms;
	int rc = count_pass(db, passage_q, 0, LX_NO_SLOT, &enq, &ms);
	if (rc != 0)
		return rc;
	size_t nv = 0;
	uint64_t ndocs = 0, counted = 0, articles = 0, no_date = 0;
	lx_mset_facet_size(ms, SLOT_FACETS, &nv, &ndocs);
	facet_record best = { 0 }, fr;
	int have = 0, bad = 0;
	for (int fi = 0; fi < NFACETS; fi++)
		r->facets[fi].asked = (o->facets & (1u << fi)) != 0;
	for (size_t i = 0; i <= nv; i++) {
		const char *v = NULL;
		size_t len = 0;
		uint64_t count = 0;
		int end = i == nv;
		if (!end) {
			if (lx_mset_facet_get(ms, SLOT_FACETS, i, &v, &len, &count) != 0 ||
			    facet_record_parse(v, len, &fr) != 0) {
				bad++;
				continue;
			}
			counted += count;
		}
		/* the values come in byte order, so a group's are together */
		int same = !end && have && !o->no_dedup &&
		           fr.group_len == best.group_len &&
		           memcmp(fr.group, best.group, fr.group_len) == 0;
		if (same) {
			/* the original, when it matched */
			if (fr.article_len == fr.group_len &&
			    memcmp(fr.article, fr.group, fr.group_len) == 0)
				best = fr;
			continue;
		}
		if (have) {
			count_record(r, &best, o->facets);
			articles++;
			no_date += best.date_len == 0;
		}
		if (!end) {
			best = fr;
			have = 1;
		}
	}
	for (int fi = 0; fi < NFACETS; fi++)
		if (o->facets & (1u << fi))
			facet_finish(&r->facets[fi], o->facet_limit);
	lx_mset_free(ms);
	lx_enquire_free(enq);
	/* a passage without the value (an index written before it) would
	 * go uncounted: refuse rather than count wrong */
	if (bad || counted != ndocs)
		return lede_fail(db, LEDE_EDB, "%s: %llu matching passages have no "
		                 "facet record (slot %d): a shard was indexed by an "
		                 "older lede; re-index it to count facets through "
		                 "remote shards", db->path,
		                 (unsigned long long)(ndocs - counted + bad),
		                 SLOT_FACETS);
	if (total)
		*total = articles;
	if (undated)
		*undated = no_date;
	return 0;
}

/* Facets of o->facets over the articles matching passage_q (see
 * remote_facets for remote shards). OUT *total (may be NULL): the
 * matching articles; *undated (may be NULL): how many of them have no
 * date, from the same pass (the date slot is counted too). */
static int run_facets(lede_db *db, lede_results *r, lx_query *passage_q,
                      const lede_search_opts *o, uint64_t *total,
                      uint64_t *undated)
{
	if (db->remotes.len)
		return remote_facets(db, r, passage_q, o, total, undated);
	lx_enquire *enq;
	lx_mset *ms;
	unsigned count = o->facets | (undated ? LEDE_FACET_YEAR : 0);
	int rc = count_pass(db, passage_q, count,
	                    o->no_dedup ? SLOT_ARTICLE : SLOT_GROUP, &enq, &ms);
	if (rc != 0)
		return rc;
	for (int i = 0; i < NFACETS; i++)
		if (o->facets & (1u << i))
			collect_facet(r, ms, i, o->facet_limit);
	uint64_t articles = 0;
	size_t nv = 0;
	lx_mset_facet_size(ms, SLOT_DATE, &nv, &articles);
	if (undated) {
		/* each article once, with its date if it has one */
		uint64_t dated = 0;
		for (size_t i = 0; i < nv; i++) {
			const char *v;
			size_t len;
			uint64_t c;
			if (lx_mset_facet_get(ms, SLOT_DATE, i, &v, &len, &c) == 0)
				dated += c;
		}
		*undated = articles > dated ? articles - dated : 0;
	}
	if (total && count) {
		int first = 0;
		while (!(count & (1u << first)))
			first++;
		lx_mset_facet_size(ms, facet_slot(first), NULL, total);
	}
	lx_mset_free(ms);
	lx_enquire_free(enq);
	return 0;
}

static int warm_once(lede_db *db, unsigned facet_mask)
{
	/* the group is the key of every facet count but --no-dedup's */
	int rc = lx_db_cache_slot(db->db, SLOT_GROUP, 1);
	for (int i = 0; rc == 0 && i < NFACETS; i++)
		if (facet_mask & (1u << i))
			rc = lx_db_cache_slot(db->db, facet_slot(i), 0);
	return rc ? lede_fail(db, LEDE_EDB, "%s", lx_db_errmsg(db->db))
	          : LEDE_OK;
}

int lede_warm(lede_db *db, unsigned facet_mask)
{
	if (!db || !db->db)
		return LEDE_EUSAGE;
	read_retry rr = read_retry_start();
	int rc;
	do
		rc = warm_once(db, facet_mask);
	while (read_retry_again(&rr, db, &rc));
	return rc;
}

/* Facets of mask over documents that are each one article (the article
 * documents): Xapian's ValueCountMatchSpy on each slot, no key, so it
 * works through remote shards too. */
static int article_facets(lede_db *db, lede_results *r, lx_query *q,
                          unsigned mask, unsigned limit)
{
	lx_enquire *enq;
	lx_mset *ms;
	int rc = count_pass(db, q, mask, LX_NO_SLOT, &enq, &ms);
	if (rc != 0)
		return rc;
	for (int i = 0; i < NFACETS; i++)
		if (mask & (1u << i))
			collect_facet(r, ms, i, limit);
	lx_mset_free(ms);
	lx_enquire_free(enq);
	return 0;
}

int search_facets(lede_results **out, lede_db *db, lx_query *q,
                  unsigned mask, unsigned limit)
{
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.facets = mask;
	o.facet_limit = limit;
	o.no_dedup = 1;
	lede_results *r = xcalloc(1, sizeof *r);
	int rc = db->remotes.len ? article_facets(db, r, q, mask, limit)
	                         : run_facets(db, r, q, &o, NULL, NULL);
	if (rc) {
		lede_results_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* Hits on the page asked for: the default 10, at most MAX_LIMIT. */
static unsigned page_limit(const lede_search_opts *o)
{
	if (o->count_only)
		return 0;
	unsigned limit = o->limit ? o->limit : 10;
	return limit > MAX_LIMIT ? MAX_LIMIT : limit;
}

/* The matches a ranking must look at: all of them for an exact total,
 * else as few as it likes (count_estimate counts what it left open). A
 * ranking that looked at 1000 matches to count them made the median
 * query twice as slow (Reuters, 20 queries: 1.5 ms to 3.2 ms). */
static uint32_t check_at_least(lede_db *db, const lede_search_opts *o)
{
	if (!o->exact_total)
		return 0;
	uint64_t docs = 0;
	lx_db_doccount(db->db, &docs);
	return docs > UINT32_MAX ? UINT32_MAX : (uint32_t)docs;
}

/* The number of matching articles of ms, asked to look at least at
 * least matches, into *total; 1 when it is exact, 0 for an estimate.
 * With collapsing, Xapian 1.4 makes its bounds meet only when the page
 * held every match; otherwise the lower bound is the articles it found
 * (lower 66, estimate 80, upper 117 for 66 articles). It stops short of
 * the end only after finding least of them (an unweighted pass: a copy of
 * an article found already is rejected, not counted; a weighted one
 * prunes only after least), so fewer than least found means it saw every
 * match, as does an upper bound (passages) within least. */
static int count_matches(const lx_mset *ms, uint32_t least, uint64_t *total)
{
	uint64_t lo = 0, est = 0, hi = 0;
	lx_mset_counts(ms, &lo, &est, &hi);
	int exact = lo == hi || (least && (lo < least || hi <= least));
	*total = exact ? lo : est;
	return exact;
}

/* The first pass of a re-ranking (feedback, proximity): the passages the
 * re-ranking query orders, and the number of matches it estimated. */
typedef struct rerank_set {
	uint32_t docids[FEEDBACK_RERANK];
	size_t n;
	uint64_t total;
	int exact;
} rerank_set;

/* The matched terms of one hit, gathered by lx_mset_matching_terms. */
typedef struct term_list_ctx {
	strbuf terms;   /* NUL-separated */
	size_t n;
} term_list_ctx;

static int add_matched(void *ctx, const char *term, size_t len,
                       uint64_t count)
{
	(void)count;
	term_list_ctx *t = ctx;
	if (t->n < 64) {
		sb_add(&t->terms, term, len);
		sb_addch(&t->terms, '\0');
		t->n++;
	}
	return 0;
}

/* --explain: for hit i, each index term of the query that its passage
 * holds, with the weight that term alone gives the passage under the
 * same ranking (one small search per term, restricted to the passage: an
 * explanation is asked for a page, not for every match). */
static void explain_hit(lede_db *db, lede_results *r, size_t i, size_t at,
                        lx_mset *ms, const lede_search_opts *o)
{
	lx_hit h;
	term_list_ctx t = { STRBUF_INIT, 0 };
	if (lx_mset_hit(ms, at, &h) != 0 ||
	    lx_mset_matching_terms(ms, at, add_matched, &t) != 0) {
		sb_release(&t.terms);
		return;
	}
	strbuf out = STRBUF_INIT;
	lx_query *only = lx_query_docids(&h.docid, 1);
	const char *term = t.terms.buf;
	for (size_t k = 0; k < t.n && only; k++) {
		size_t len = strlen(term);
		double w = 0;
		lx_query *tq = lx_query_term(term, len, 1, 0);
		lx_query *q = tq ? lx_query_pair(LX_OP_FILTER, tq, only) : NULL;
		lx_enquire *enq = NULL;
		lx_mset *one = NULL;
		if (q && lx_enquire_new(&enq, db->db) == 0) {
			lx_enquire_set_query(enq, q);
			set_ranking(enq, o);
			if (lx_enquire_get_mset(enq, 0, 1, 0, &one) == 0) {
				lx_hit th;
				if (lx_mset_size(one) && lx_mset_hit(one, 0, &th) == 0)
					w = th.weight;
				lx_mset_free(one);
			}
			lx_enquire_free(enq);
		}
		lx_query_free(q);
		lx_query_free(tq);
		sb_addf(&out, "%s %.4f\n", term, w);
		term += len + 1;
	}
	lx_query_free(only);
	sb_release(&t.terms);
	r->store[i].explain = sb_detach(&out, NULL);
	r->hits[i].explain = r->store[i].explain;
}

/* A docid and where its hit stands in an mset, for fuse_dph's lookup. */
typedef struct hit_pos {
	uint32_t docid;
	size_t i;
} hit_pos;

static int cmp_hit_pos(const void *a, const void *b)
{
	uint32_t x = ((const hit_pos *)a)->docid, y = ((const hit_pos *)b)->docid;
	return x < y ? -1 : x > y;
}

/* Rank fusion (DPH_WEIGHT): ms holds BM25's best matches of q in BM25's
 * order; they are scored with DPH too, and ms is re-ordered by
 * BM25 / BM25 of the first hit + w * DPH / DPH of the first hit. Both are
 * scaled by the first hit, which every depth and every page share, so that
 * a page's order does not depend on how many matches were drawn. The DPH
 * pass is restricted to ms's passages; a database with remote shards
 * cannot take a docid set, so there it ranks every match, and a hit
 * outside DPH's best as many counts 0 for DPH. Any failure keeps BM25's
 * order: a ranking a little less good, not an error. */
static void fuse_dph(lede_db *db, lx_query *q, lx_mset *ms, double w)
{
	size_t n = lx_mset_size(ms);
	if (n < 2)
		return;
	hit_pos *pos = xmalloc(n * sizeof *pos);
	double *bm25 = xmalloc(n * sizeof *bm25);
	double *dph = xcalloc(n, sizeof *dph);
	uint32_t *ids = xmalloc(n * sizeof *ids);
	lx_enquire *enq = NULL;
	lx_mset *dm = NULL;
	for (size_t i = 0; i < n; i++) {
		lx_hit h;
		if (lx_mset_hit(ms, i, &h) != 0)
			goto out;
		ids[i] = h.docid;
		pos[i].docid = h.docid;
		pos[i].i = i;
		bm25[i] = h.weight;
	}
	if (bm25[0] <= 0 || lx_enquire_new(&enq, db->db) != 0)
		goto out;
	/* no collapse: ms holds one passage per story already, and every
	 * passage must be scored, whichever DPH prefers (so the remote
	 * pass below ranks passages too) */
	lx_enquire_set_weighting(enq, "dph", NULL, 0);
	lx_query *set = lx_query_docids(ids, n);
	lx_query *only = set ? lx_query_pair(LX_OP_FILTER, q, set) : NULL;
	int rc = -1;
	if (only) {
		lx_enquire_set_query(enq, only);
		rc = lx_enquire_get_mset(enq, 0, (uint32_t)n, 0, &dm);
	}
	lx_query_free(only);
	lx_query_free(set);
	if (rc != 0) {
		lx_enquire_set_query(enq, q);
		if (lx_enquire_get_mset(enq, 0, (uint32_t)(4 * n), 0, &dm) != 0)
			goto out;
	}
	qsort(pos, n, sizeof *pos, cmp_hit_pos);
	for (size_t j = 0; j < lx_mset_size(dm); j++) {
		lx_hit h;
		if (lx_mset_hit(dm, j, &h) != 0)
			continue;
		hit_pos key = { h.docid, 0 };
		hit_pos *p = bsearch(&key, pos, n, sizeof *pos, cmp_hit_pos);
		if (p)
			dph[p->i] = h.weight;
	}
	/* the first hit's DPH, or (remote, outside DPH's best) the best */
	double ref = dph[0];
	if (ref <= 0)
		lx_mset_max_weight(dm, NULL, &ref);
	if (ref <= 0)
		goto out;
	double top = bm25[0];
	for (size_t i = 0; i < n; i++)
		bm25[i] = bm25[i] / top + w * dph[i] / ref;
	lx_mset_reorder(ms, bm25, n);
out:
	lx_mset_free(dm);
	lx_enquire_free(enq);
	free(ids);
	free(dph);
	free(bm25);
	free(pos);
}

/* With passages > 1: each hit of r (the best passage of an article, or
 * of a group of copies shown as its original) followed by up to
 * passages - 1 more passages of that same article, best first, with the
 * article's rank: passages are grouped under their article and the limit
 * counts articles. Copies never add passages of their own: a folded
 * copy's text is the original's. One small search per article, q
 * filtered to the article's passages (a filter leaves the weights as
 * they are). 0, or a status with db's message set. */
static int more_passages(lede_db *db, lede_results *r, lx_query *q,
                         snippet_ctx *sc, const lede_search_opts *o)
{
	/* grown as passages come: -n 10000 -p 1000 must not allocate ten
	 * million hits up front */
	size_t cap = 0, scap = 0, k = 0;
	lede_hit *hits = NULL;
	hit_store *store = NULL;
	lede_search_opts one = *o;
	one.passages = 1;
	one.no_dedup = 1;   /* the article's own passages: nothing to fold */
	int rc = 0;
	strbuf t = STRBUF_INIT;
	for (size_t i = 0; i < r->n; i++) {
		/* the hit itself: moved, its pointers go with it */
		size_t head = k;
		XGROW(hits, cap, k + 1);
		XGROW(store, scap, k + 1);
		hits[k] = r->hits[i];
		store[k++] = r->store[i];
		if (rc != 0)
			continue;
		sb_reset(&t);
		index_id_term(&t, PFX_ARTICLE, hits[head].article_id);
		lx_query *mine = lx_query_term(t.buf, t.len, 1, 0);
		lx_query *only = mine ? lx_query_pair(LX_OP_FILTER, q, mine) : NULL;
		lx_query_free(mine);
		lx_enquire *enq = NULL;
		lx_mset *ms = NULL;
		if (!only || lx_enquire_new(&enq, db->db) != 0) {
			rc = lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
			lx_query_free(only);
			continue;
		}
		lx_enquire_set_query(enq, only);
		set_ranking(enq, o);
		/* as many as wanted in all: the hit's own passage is among
		 * them (and skipped), unless the hit is a copy's shown as
		 * its original's */
		rc = lx_enquire_get_mset(enq, 0, o->passages, 0, &ms);
		if (rc != 0) {
			rc = lede_fail(db, lede_status_from_lx(rc), "%s",
			               lx_enquire_errmsg(enq));
		} else {
			size_t m = lx_mset_size(ms);
			for (size_t j = 0; j < m && k - head < o->passages; j++) {
				/* dressed into a scratch slot of r, then moved */
				hit_store scratch_store = { 0 };
				lede_hit scratch_hit = { 0 };
				hit_store *keep_s = r->store;
				lede_hit *keep_h = r->hits;
				r->store = &scratch_store;
				r->hits = &scratch_hit;
				int dr = o->ids_only
				         ? bare_hit(db, r, 0, ms, j, hits[head].rank)
				         : dress_hit(db, r, 0, ms, j, sc, &one,
				                     hits[head].rank);
				r->store = keep_s;
				r->hits = keep_h;
				if (dr == HIT_DAMAGED) {
					warn(r, "%s", lede_errmsg(db));
					hit_store_release(&scratch_store);
					continue;
				}
				if (dr != 0) {
					hit_store_release(&scratch_store);
					rc = dr;
					break;
				}
				if (scratch_hit.passage == hits[head].passage) {
					hit_store_release(&scratch_store);
					continue;
				}
				scratch_hit.also_in = hits[head].also_in;
				XGROW(hits, cap, k + 1);
				XGROW(store, scap, k + 1);
				hits[k] = scratch_hit;
				store[k++] = scratch_store;
			}
		}
		lx_mset_free(ms);
		lx_enquire_free(enq);
		lx_query_free(only);
	}
	sb_release(&t);
	free(r->hits);
	free(r->store);
	r->hits = hits;
	r->store = store;
	r->n = k;
	return rc;
}

/* The matching articles of q (its filtered query without re-ranking
 * extras) counted by a pass of its own with no hits, no weights and the
 * same collapse, looking at TOTAL_CHECK_AT_LEAST matches at least, into
 * *total: exact when there are no more, else an estimate that depends on
 * q alone. The ranking pass's estimate moved with the page asked for (one
 * query: about 10000 with -n 1, 12000 with -n 100): the pruning of a
 * weighted ranking depends on how many hits it keeps and on the
 * re-ranking terms. Weighted, this pass estimated closer (11900 for
 * 11740, against 10000) but doubled the median query's time; unweighted
 * it costs about a tenth of the ranking. 1 when exact, 0 for an
 * estimate, -1 on failure. */
static int count_estimate(lede_db *db, lx_query *q,
                          const lede_search_opts *o, uint64_t *total)
{
	lx_enquire *enq;
	if (lx_enquire_new(&enq, db->db) != 0)
		return -1;
	lx_enquire_set_query(enq, q);
	lx_enquire_set_weighting(enq, "bool", NULL, 0);
	/* one per article (group), as the ranking collapses */
	lx_enquire_set_collapse(enq, o->no_dedup ? SLOT_ARTICLE : SLOT_GROUP, 1);
	lx_mset *ms;
	uint32_t least = TOTAL_CHECK_AT_LEAST;
	int exact = -1;
	if (lx_enquire_get_mset(enq, 0, 1, least, &ms) == 0) {
		exact = count_matches(ms, least, total);
		lx_mset_free(ms);
	}
	/* nor more than there are articles (Xapian said 20000 of 12000) */
	uint64_t articles = 0;
	if (exact == 0 &&
	    lx_db_termfreq(db->db, DOCTYPE_ARTICLE, strlen(DOCTYPE_ARTICLE),
	                   &articles, NULL) == 0 && articles && *total > articles)
		*total = articles;
	lx_enquire_free(enq);
	return exact;
}

/* Run q (already filtered to passages) and dress the hits. With rs, q only
 * re-ranks rs's passages. The total is counted on count_q (what q
 * matches, without re-ranking extras). */
static int run(lede_results **out, lede_db *db, lx_query *q,
               lx_query *count_q, const rerank_set *rs,
               const q_highlights *hl,
               const lede_search_opts *o, double t0, const strbuf *warns,
               const q_node *tree)
{
	lede_results *r = xcalloc(1, sizeof *r);
	collect_said(db, tree, r);
	for (size_t i = 0; i < hl->n && !r->has_words; i++)
		for (size_t j = 0; j < hl->v[i].nterms; j++)
			r->has_words |= !hl->v[i].terms[j].stop;
	if (warns && warns->len)
		sb_add(&r->warnings, warns->buf, warns->len);
	lx_enquire *enq;
	int rc = lx_enquire_new(&enq, db->db);
	if (rc != 0) {
		lede_results_free(r);
		return lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
	}
	unsigned limit = page_limit(o);
	if (rs) {
		lx_query *set = lx_query_docids(rs->docids, rs->n);
		lx_query *only = set ? lx_query_pair(LX_OP_FILTER, q, set) : NULL;
		lx_enquire_set_query(enq, only ? only : q);
		lx_query_free(only);
		lx_query_free(set);
	} else {
		lx_enquire_set_query(enq, q);
	}
	set_ranking(enq, o);
	/* one hit per article (group) here; more passages of each are
	 * fetched below (more_passages) */
	uint32_t cslot = o->no_dedup ? SLOT_ARTICLE : SLOT_GROUP;
	lx_enquire_set_collapse(enq, cslot, 1);
	if (o->sort == LEDE_SORT_DATE_DESC || o->sort == LEDE_SORT_DATE_ASC)
		/* undated articles last, newest or oldest first alike */
		lx_enquire_set_sort(enq, LX_SORT_VALUE_THEN_RELEVANCE_MISSING_LAST,
		                    SLOT_DATE, o->sort == LEDE_SORT_DATE_DESC);
	/* fused, a page is cut from the fused order of BM25's best depth */
	double dw = o->sort == LEDE_SORT_RELEVANCE && limit ? dph_weight(o) : 0;
	uint32_t first = o->offset, depth = limit;
	if (dw > 0) {
		first = 0;
		depth = o->offset + limit;
		if (depth < FUSION_DEPTH)
			depth = FUSION_DEPTH;
	}
	lx_mset *ms;
	uint32_t least = rs ? 0 : check_at_least(db, o), rs_least = least;
	rc = lx_enquire_get_mset(enq, first, depth, least, &ms);
	if (rc != 0 && rs) {
		/* a docid set cannot travel to a remote server: rank them all */
		lx_enquire_set_query(enq, q);
		rs = NULL;
		rs_least = check_at_least(db, o);
		rc = lx_enquire_get_mset(enq, first, depth, rs_least, &ms);
	}
	if (rc != 0) {
		rc = lede_fail(db, lede_status_from_lx(rc), "%s",
		               lx_enquire_errmsg(enq));
		lx_enquire_free(enq);
		lede_results_free(r);
		return rc;
	}
	/* with facets the whole set is counted anyway: the total is exact,
	 * as lede.h promises (below); else Xapian's estimate */
	if (rs) {
		r->total = rs->total;
		r->total_exact = rs->exact;
	} else {
		r->total_exact = count_matches(ms, rs_least, &r->total);
	}
	if (!r->total_exact && !o->facets) {
		/* an estimate: one that does not move with the page (a
		 * failure keeps the ranking's) */
		uint64_t t = 0;
		int ex = count_estimate(db, count_q, o, &t);
		if (ex >= 0) {
			r->total = t;
			r->total_exact = ex;
		}
	}
	size_t skip = 0, n = lx_mset_size(ms);
	if (dw > 0) {
		fuse_dph(db, q, ms, dw);
		skip = o->offset < n ? o->offset : n;
		if (n > skip + limit)
			n = skip + limit;
	}
	r->hits = xcalloc(n - skip ? n - skip : 1, sizeof *r->hits);
	r->store = xcalloc(n - skip ? n - skip : 1, sizeof *r->store);
	size_t *at = xcalloc(n - skip ? n - skip : 1, sizeof *at);
	snippet_ctx *sc = o->ids_only || n == skip ? NULL
	                                           : snippet_ctx_new(db, hl);
	/* the best passage of each group, shown as its original, as for
	 * one passage an article; the others come from that article alone */
	lede_search_opts one = *o;
	one.passages = 1;
	const lede_search_opts *ho = o;
	o = &one;
	/* k: hits kept; a damaged passage is skipped with a warning, not a
	 * failure of every query that finds it; at[k]: its place in ms */
	size_t k = 0;
	for (size_t i = skip; i < n; i++) {
		unsigned rank = o->offset + (unsigned)k + 1;
		rc = o->ids_only ? bare_hit(db, r, k, ms, i, rank)
		                 : dress_hit(db, r, k, ms, i, sc, o, rank);
		if (rc == HIT_DAMAGED) {
			warn(r, "%s", lede_errmsg(db));
			hit_store_release(&r->store[k]);
			memset(&r->store[k], 0, sizeof r->store[k]);
			memset(&r->hits[k], 0, sizeof r->hits[k]);
			rc = 0;
			continue;
		}
		if (rc != 0)
			break;
		at[k] = i;
		r->n = ++k;
	}
	if (rc == 0 && o->explain)
		for (size_t i = 0; i < r->n; i++)
			explain_hit(db, r, i, at[i], ms, o);
	free(at);
	lx_mset_free(ms);
	lx_enquire_free(enq);
	o = ho;
	if (rc == 0 && o->passages > 1 && r->n)
		rc = more_passages(db, r, q, sc, o);
	snippet_ctx_free(sc);
	if (rc == 0 && o->facets) {
		rc = run_facets(db, r, q, o, &r->total,
		                o->ids_only ? NULL : &r->undated);
		r->total_exact = 1;
	}
	if (rc != 0) {
		lede_results_free(r);
		return rc;
	}
	r->seconds = now() - t0;
	*out = r;
	return LEDE_OK;
}

/* Plain text as a query: operator characters become spaces (a hyphen
 * inside a word stays), and the operator keywords are dropped, so any text
 * parses and means its words. */
static void plain_query(const char *q, strbuf *out)
{
	size_t n = strlen(q);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)q[i];
		int inner_hyphen = c == '-' && i > 0 && i + 1 < n &&
		                   isalnum((unsigned char)q[i - 1]) &&
		                   isalnum((unsigned char)q[i + 1]);
		if (strchr("()\"+:*", c) || (c == '-' && !inner_hyphen))
			sb_addch(out, ' ');
		else
			sb_addch(out, c);
	}
	/* drop AND OR NOT NEAR NEAR/n standing as words */
	strbuf clean = STRBUF_INIT;
	const char *s = sb_cstr(out);
	while (*s) {
		size_t sp = strspn(s, " \t\r\n");
		sb_add(&clean, s, sp);
		s += sp;
		size_t w = strcspn(s, " \t\r\n");
		int kw = (w == 3 && (!memcmp(s, "AND", 3) || !memcmp(s, "NOT", 3))) ||
		         (w == 2 && !memcmp(s, "OR", 2)) ||
		         (w >= 4 && !memcmp(s, "NEAR", 4));
		if (!kw)
			sb_add(&clean, s, w);
		s += w;
	}
	sb_release(out);
	*out = clean;
}

/* The OR of the best max stems (of every language) of documents docids
 * (at most 64), as feedback and more-like-this use them; NULL when there
 * are none. Owned by the caller. A document whose term list is damaged is
 * left out with a line on warns; any other failure sets *err (a status,
 * db's message set) and gives NULL. */
static lx_query *expand_query(lede_db *db, lx_enquire *enq,
                              const uint32_t *docids, size_t nd,
                              uint32_t max, uint32_t min_docs, strbuf *warns,
                              int *err)
{
	uint32_t sound[64];
	unsigned char ok[64];
	size_t ns = 0;
	*err = 0;
	if (nd > 64)
		nd = 64;
	int crc = lx_db_check_termlists(db->db, docids, nd, ok);
	if (crc != 0 && crc != LX_ECORRUPT) {
		*err = lede_fail(db, lede_status_from_lx(crc), "%s",
		                 lx_db_errmsg(db->db));
		return NULL;
	}
	for (size_t i = 0; i < nd; i++) {
		if (ok[i]) {
			sound[ns++] = docids[i];
		} else {
			char *id = NULL;
			size_t len = 0;
			lx_db_get_value(db->db, docids[i], SLOT_ARTICLE, &id, &len);
			sb_addf(warns, "%s: passage of article %s (document %u): "
			        "term list is damaged; left out (re-index the "
			        "article)\n", db->path, id && *id ? id : "?",
			        docids[i]);
			free(id);
		}
	}
	lx_eset *es;
	if (!ns)
		return NULL;
	/* stems: English ones unprefixed, other languages' behind their
	 * PFX_STEM_LANG tag (index_schema.h) */
	int rc = lx_enquire_get_eset(enq, sound, ns, max, min_docs,
	                             PFX_STEM_LANG,
	                             LX_ESET_UNPREFIXED_ONLY | LX_ESET_OR_PREFIX |
	                             LX_ESET_CHECKED, &es);
	if (rc != 0) {
		*err = lede_fail(db, lede_status_from_lx(rc), "%s",
		                 lx_enquire_errmsg(enq));
		return NULL;
	}
	size_t n = lx_eset_size(es);
	lx_query **qs = xcalloc(n ? n : 1, sizeof *qs);
	for (size_t i = 0; i < n; i++) {
		const char *term;
		size_t len;
		double w;
		lx_eset_get(es, i, &term, &len, &w);
		qs[i] = lx_query_term(term, len, 1, 0);
	}
	lx_query *any = n ? lx_query_combine(LX_OP_OR,
	                                     (const lx_query *const *)qs, n, 0)
	                  : NULL;
	for (size_t i = 0; i < n; i++)
		lx_query_free(qs[i]);
	free(qs);
	lx_eset_free(es);
	return any;
}

/* What re-ranks the first pass: pseudo-relevance feedback (the best terms
 * of the first passages found, added with a small weight, find the
 * passages that say the same thing in other words) when feedback is set,
 * and the proximity bonus prox (NULL: none). fq is the filtered query, q
 * the query alone. Returns the filtered, re-ranking query (owned by the
 * caller), or NULL to keep fq (nothing to add: no ranked terms, too few
 * hits). When it need only re-rank the first pass's best matches,
 * *rerank is set (rs filled), else cleared. */
static lx_query *rerank_query(lede_db *db, lx_query *fq, lx_query *q,
                              lx_query *prox, int feedback,
                              const lede_search_opts *o, int text_only,
                              int *err, rerank_set *rs, int *rerank,
                              strbuf *warns)
{
	*rerank = 0;
	lx_enquire *enq;
	if (lx_enquire_new(&enq, db->db) != 0)
		return NULL;
	lx_enquire_set_query(enq, fq);
	set_ranking(enq, o);
	lx_enquire_set_collapse(enq, SLOT_GROUP, 1);
	/* Re-ranking a set is exact only for a one-shard database (docids)
	 * and pages inside the set (facets count every match in a pass of
	 * their own) */
	size_t shards = 0;
	lx_db_shards(db->db, &shards);
	unsigned limit = page_limit(o);
	int can_rerank = shards == 1 && !o->no_dedup &&
	                 o->passages <= 1 &&
	                 (uint64_t)o->offset + limit <= FEEDBACK_RERANK / 2;
	lx_mset *ms;
	lx_query *out = NULL;
	if (lx_enquire_get_mset(enq, 0, can_rerank ? FEEDBACK_RERANK
	                                          : FEEDBACK_DOCS,
	                        check_at_least(db, o), &ms) != 0) {
		lx_enquire_free(enq);
		return NULL;
	}
	double possible = 0;
	lx_mset_max_weight(ms, &possible, NULL);
	rs->n = 0;
	for (size_t i = 0; i < lx_mset_size(ms) && rs->n < FEEDBACK_RERANK; i++) {
		lx_hit h;
		if (lx_mset_hit(ms, i, &h) == 0)
			rs->docids[rs->n++] = h.docid;
	}
	rs->exact = count_matches(ms, check_at_least(db, o), &rs->total);
	lx_mset_free(ms);
	size_t nd = rs->n < FEEDBACK_DOCS ? rs->n : FEEDBACK_DOCS;
	/* without feedback terms (a failure, damaged passages) the query
	 * runs as it was given */
	int xerr = 0;
	lx_query *any = feedback && possible > 0 && nd >= FEEDBACK_MIN_DOCS
	                ? expand_query(db, enq, rs->docids, nd, FEEDBACK_TERMS,
	                               FEEDBACK_MIN_SHARED, warns, &xerr)
	                : NULL;
	lx_query *extra[2];
	size_t nextra = 0;
	if (any) {
		extra[nextra++] = lx_query_scale(any, o->feedback_weight > 0
		                                      ? o->feedback_weight
		                                      : FEEDBACK_WEIGHT);
		lx_query_free(any);
	}
	if (prox && rs->n)
		extra[nextra++] = prox;
	if (nextra) {
		/* AND_MAYBE: re-ranking reorders the matches, never adds to
		 * them (AND, NOT, phrases, facets and timelines stay exact) */
		lx_query *subs[3] = { q, extra[0], nextra > 1 ? extra[1] : NULL };
		lx_query *both = lx_query_combine(LX_OP_AND_MAYBE,
		                                  (const lx_query *const *)subs,
		                                  nextra + 1, 0);
		out = with_filters(db, both, o, text_only, err);
		lx_query_free(both);
		*rerank = can_rerank && out;
	}
	if (any)
		lx_query_free(extra[0]);
	lx_enquire_free(enq);
	return out;
}

/* Whether n could match a document that has no text terms (an article
 * document): only filters (fields, dates) match without a word. */
static int may_match_articles(const q_node *n)
{
	switch (n->kind) {
	case Q_TERM:
	case Q_PHRASE:
	case Q_NEAR:
		return 0;
	case Q_FIELD:
		/* quotes and speakers are on passages only */
		return n->field != QF_TITLE && n->field != QF_QUOTE &&
		       n->field != QF_SAID;
	case Q_DATE:
		return 1;
	case Q_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!may_match_articles(n->kids[i]))
				return 0;
		return 1;
	case Q_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (may_match_articles(n->kids[i]))
				return 1;
		return 0;
	case Q_AND_NOT:
	case Q_AND_MAYBE:
		return may_match_articles(n->kids[0]);
	}
	return 1;
}

/* Words of the query that rank (not excluded, not stop words): feedback
 * helps descriptive queries and makes short ones drift ("ice storm" pulled
 * towards ICE), so it waits for FEEDBACK_MIN_WORDS of them. */
static size_t ranked_words(const q_node *tree)
{
	q_highlights hl = Q_HIGHLIGHTS_INIT;
	q_collect_highlights(tree, &hl);
	size_t n = 0;
	for (size_t i = 0; i < hl.n; i++)
		for (size_t j = 0; j < hl.v[i].nterms; j++)
			n += !hl.v[i].terms[j].stop;
	q_highlights_release(&hl);
	return n;
}

/* An older struct is shorter: a version 1 one ends before
 * proximity_weight, a version 2 one before dph_weight (version 3 added it
 * and quotes_only), a version 3 one before after_generation. Copied into
 * a current one with the defaults in the fields it lacks (only its own
 * bytes are read). */
static const lede_search_opts *current_opts(const lede_search_opts *o,
                                            lede_search_opts *copy)
{
	size_t known;
	if (o->version == 1)
		known = offsetof(lede_search_opts, proximity_weight);
	else if (o->version == 2)
		known = offsetof(lede_search_opts, dph_weight);
	else if (o->version == 3)
		known = offsetof(lede_search_opts, after_generation);
	else
		return o;
	lede_search_opts init = LEDE_SEARCH_OPTS_INIT;
	*copy = init;
	memcpy(copy, o, known);
	copy->version = LEDE_SEARCH_OPTS_VERSION;
	return copy;
}

static int check_opts(lede_db *db, const lede_search_opts *o)
{
	if (o->version != LEDE_SEARCH_OPTS_VERSION)
		return lede_fail(db, LEDE_EUSAGE, "lede_search_opts version %u, "
		                 "this library knows %d", o->version,
		                 LEDE_SEARCH_OPTS_VERSION);
	return 0;
}

/* ---- undated articles ---------------------------------------------- */

/* The documents without a date, as a boolean query owned by the caller,
 * or NULL (*err 0) when the index has none. Every dated document has one
 * year term (XY), so the undated ones number the documents less the year
 * terms' frequencies; an index whose undated documents all carry the XU
 * term (every one written since it exists) is filtered by that term, an
 * older one by "no year term" (slower: each match is checked against the
 * year terms). NULL with *err set on a failure. */
static lx_query *undated_docs(lede_db *db, int *err)
{
	*err = 0;
	uint64_t docs = 0, dated = 0, xu = 0;
	lx_termiter *it;
	if (lx_db_doccount(db->db, &docs) != 0 ||
	    lx_db_allterms(db->db, PFX_YEAR, &it) != 0) {
		*err = lede_fail(db, LEDE_EDB, "%s", lx_db_errmsg(db->db));
		return NULL;
	}
	const char *t;
	size_t len;
	uint64_t tf;
	int rc;
	while ((rc = lx_termiter_next(it, &t, &len, &tf)) == 1)
		dated += tf;
	lx_termiter_free(it);
	if (rc < 0) {
		*err = lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
		return NULL;
	}
	if (dated >= docs)
		return NULL;
	lx_db_termfreq(db->db, PFX_UNDATED, strlen(PFX_UNDATED), &xu, NULL);
	lx_query *q;
	if (xu == docs - dated) {
		q = lx_query_term(PFX_UNDATED, strlen(PFX_UNDATED), 1, 0);
	} else {
		lx_query *all = lx_query_match_all();
		lx_query *years = lx_query_wildcard(PFX_YEAR, strlen(PFX_YEAR), 0);
		q = lx_query_pair(LX_OP_AND_NOT, all, years);
		lx_query_free(all);
		lx_query_free(years);
	}
	if (!q)
		*err = lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
	return q;
}

/* Articles (groups of copies once, unless no_dedup) matching fq that are
 * undated (undated: undated_docs), exact: the facet pass counts them.
 * (Estimates were tried and dropped: Xapian's estimates of "fq AND
 * undated" over "fq", read without a document, said 17,385 where 5,058
 * were undated.) */
static int count_undated(lede_db *db, lx_query *fq, lx_query *undated,
                         const lede_search_opts *o, uint64_t *n)
{
	*n = 0;
	lx_query *q = lx_query_pair(LX_OP_FILTER, fq, undated);
	if (!q)
		return lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
	/* the date slot is counted, which an undated passage lacks: the
	 * cheapest slot to count (measured against the key slot itself) */
	lede_search_opts c = *o;
	c.facets = LEDE_FACET_YEAR;
	c.facet_limit = 0;
	lede_results *tmp = xcalloc(1, sizeof *tmp);
	int rc = run_facets(db, tmp, q, &c, n, NULL);
	lede_results_free(tmp);
	lx_query_free(q);
	return rc;
}

/* Whether the query's match set is cut by dates: --since/--until, or a
 * date: anywhere in the tree. */
static int has_dates(const q_node *n)
{
	if (n->kind == Q_DATE)
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (has_dates(n->kids[i]))
			return 1;
	return 0;
}

/* Whether a date range filters the whole query: --since/--until, or a
 * date: that is the query or a kid of its top AND. */
static int dates_on_top(const q_node *tree, const lede_search_opts *o)
{
	if (o->since || o->until)
		return 1;
	if (!tree)
		return 0;
	if (tree->kind == Q_DATE)
		return 1;
	if (tree->kind == Q_AND)
		for (size_t i = 0; i < tree->nkids; i++)
			if (tree->kids[i]->kind == Q_DATE)
				return 1;
	return 0;
}

/* The query without its date range, compiled and filtered to passages:
 * the tree without date: nodes at its top (the query itself, or the
 * kids of its top AND), and no --since/--until. NULL (*err 0) when the
 * dates stand deeper (date:2024 OR ice: nothing to take away cleanly). */
static lx_query *without_dates(lede_db *db, const q_node *tree,
                               const lede_search_opts *o, int *err)
{
	*err = 0;
	const q_node *const *kids = (const q_node *const *)&tree;
	size_t nk = 1;
	if (tree->kind == Q_AND) {
		kids = (const q_node *const *)tree->kids;
		nk = tree->nkids;
	}
	lx_query **qs = xcalloc(nk, sizeof *qs);
	size_t n = 0;
	int deep = 0;
	compile_opts co = { 0, 0 };
	for (size_t i = 0; i < nk && !deep; i++) {
		if (kids[i]->kind == Q_DATE)
			continue;
		if (has_dates(kids[i])) {
			deep = 1;
			break;
		}
		qs[n] = search_compile(db, kids[i], &co, NULL);
		if (!qs[n]) {
			*err = LEDE_EDB;
			break;
		}
		n++;
	}
	lx_query *q = NULL;
	if (!deep && !*err)
		q = n ? lx_query_combine(LX_OP_AND, (const lx_query *const *)qs, n,
		                         0)
		      : lx_query_match_all();
	for (size_t i = 0; i < n; i++)
		lx_query_free(qs[i]);
	free(qs);
	if (!q)
		return NULL;
	lede_search_opts c = *o;
	c.since = c.until = NULL;
	lx_query *f = with_filters(db, q, &c, 0, err);
	lx_query_free(q);
	return f;
}

/* r->undated and r->undated_outside for the query tree filtered to fq;
 * without a tree (more like this), bare is the query before its
 * filters. */
static int note_undated(lede_db *db, lede_results *r, const q_node *tree,
                        lx_query *bare, lx_query *fq,
                        const lede_search_opts *o)
{
	int ranged = o->since || o->until || (tree && has_dates(tree));
	if (o->facets && !ranged)
		return 0;   /* the facet pass counted them */
	int err = 0;
	lx_query *undated = undated_docs(db, &err);
	if (!undated)
		return err;
	/* a range filtering the whole query holds no undated article: no
	 * pass needed to say 0 */
	int rc = 0;
	if (!o->facets && !(ranged && dates_on_top(tree, o)))
		rc = count_undated(db, fq, undated, o, &r->undated);
	if (rc == 0 && ranged) {
		lx_query *wide;
		if (tree) {
			wide = without_dates(db, tree, o, &rc);
		} else {
			/* more like this: its terms, without --since/--until */
			lede_search_opts c = *o;
			c.since = c.until = NULL;
			wide = with_filters(db, bare, &c, 1, &rc);
		}
		uint64_t all = 0;
		if (wide && (rc = count_undated(db, wide, undated, o, &all)) == 0)
			r->undated_outside = all > r->undated ? all - r->undated : 0;
		lx_query_free(wide);
	}
	lx_query_free(undated);
	return rc;
}

static int search_once(lede_results **out, lede_db *db, const char *query,
                       const lede_search_opts *opts)
{
	double t0 = now();
	*out = NULL;
	if (!db || !db->db)
		return db ? lede_fail(db, LEDE_EDB, "%s", sb_cstr(&db->err))
		          : LEDE_EUSAGE;
	lede_search_opts defaults = LEDE_SEARCH_OPTS_INIT, v1;
	const lede_search_opts *o = current_opts(opts ? opts : &defaults, &v1);
	int rc = check_opts(db, o);
	if (rc)
		return rc;
	query_parse_opts po = QUERY_PARSE_OPTS_INIT;
	po.default_and = o->match_all;
	q_node *tree;
	strbuf perr = STRBUF_INIT, plain = STRBUF_INIT;
	if (o->plain) {
		plain_query(query, &plain);
		query = sb_cstr(&plain);
	}
	int prc = query_parse(db->an, query, strlen(query), &po, &tree, &perr);
	sb_release(&plain);
	if (prc != 0) {
		rc = lede_fail(db, LEDE_EQUERY, "%s", sb_cstr(&perr));
		sb_release(&perr);
		return rc;
	}
	sb_release(&perr);
	compile_opts co = {
		o->title_weight > 0 ? o->title_weight : 0,
		o->proximity_weight < 0 ? 0
		: o->proximity_weight > 0 ? o->proximity_weight : PROXIMITY_WEIGHT };
	lx_query *prox = NULL;
	lx_query *q = search_compile(db, tree, &co, &prox);
	if (!q) {
		q_node_free(tree);
		return LEDE_EDB;
	}
	int ferr = 0, rerank = 0;
	strbuf warns = STRBUF_INIT;
	int text_only = !may_match_articles(tree);
	lx_query *fq = with_filters(db, q, o, text_only, &ferr);
	rerank_set *rs = NULL;
	lx_query *plain_fq = NULL;   /* fq before re-ranking, when re-ranked */
	int feedback = !o->no_feedback && FEEDBACK_DOCS > 0 &&
	               ranked_words(tree) >= FEEDBACK_MIN_WORDS;
	if (fq && o->sort == LEDE_SORT_RELEVANCE && !o->count_only &&
	    (feedback || prox)) {
		rs = xmalloc(sizeof *rs);
		lx_query *x = rerank_query(db, fq, q, prox, feedback, o, text_only,
		                           &ferr, rs, &rerank, &warns);
		if (x) {
			/* the matches are fq's: counting walks fq, not the
			 * re-ranking terms' long posting lists */
			plain_fq = fq;
			fq = x;
		}
	}
	lx_query_free(prox);
	lx_query_free(q);
	if (!fq) {
		q_node_free(tree);
		sb_release(&warns);
		free(rs);
		return ferr ? ferr : lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
	}
	q_highlights hl = Q_HIGHLIGHTS_INIT;
	q_collect_highlights(tree, &hl);
	rc = run(out, db, fq, plain_fq ? plain_fq : fq, rerank ? rs : NULL, &hl,
	         o, t0, &warns, tree);
	if (rc == LEDE_OK && !o->ids_only) {
		rc = note_undated(db, *out, tree, NULL, plain_fq ? plain_fq : fq, o);
		(*out)->seconds = now() - t0;
	}
	sb_release(&warns);
	free(rs);
	q_highlights_release(&hl);
	lx_query_free(fq);
	lx_query_free(plain_fq);
	q_node_free(tree);
	return rc;
}

/* The passages of a's near-duplicate group (itself, its original, the
 * other copies), or NULL when it has none: "more like this" must not offer
 * the same story from another source. */
static lx_query *own_group(lede_db *db, const stored_article *a)
{
	if (!a->group || !*a->group)
		return NULL;
	strbuf t = STRBUF_INIT;
	index_id_term(&t, PFX_GROUP, a->group);
	lx_query *members = lx_query_term(t.buf, t.len, 1, 0);
	lx_enquire *enq = NULL;
	lx_mset *ms = NULL;
	lx_query *q = NULL;
	if (members && lx_enquire_new(&enq, db->db) == 0) {
		lx_enquire_set_query(enq, members);
		if (lx_enquire_get_mset(enq, 0, 1000, 0, &ms) == 0 &&
		    lx_mset_size(ms) > 1) {
			size_t n = lx_mset_size(ms), k = 0;
			/* the members include a itself: its group term is its own */
			lx_query **qs = xcalloc(n, sizeof *qs);
			for (size_t i = 0; i < n; i++) {
				lx_hit h;
				char *id = NULL;
				size_t len = 0;
				if (lx_mset_hit(ms, i, &h) == 0 &&
				    lx_db_get_value(db->db, h.docid, SLOT_ARTICLE, &id,
				                    &len) == 0) {
					sb_reset(&t);
					index_id_term(&t, PFX_ARTICLE, id);
					if (t.len <= 245)
						qs[k++] = lx_query_term(t.buf, t.len, 1, 0);
				}
				free(id);
			}
			q = lx_query_combine(LX_OP_OR, (const lx_query *const *)qs, k,
			                     0);
			for (size_t i = 0; i < k; i++)
				lx_query_free(qs[i]);
			free(qs);
		}
	}
	lx_mset_free(ms);
	lx_enquire_free(enq);
	lx_query_free(members);
	sb_release(&t);
	return q;
}

/* More like this: the best terms of the article's passages, as a query. */
static int similar_once(lede_results **out, lede_db *db,
                        const char *article_id, const lede_search_opts *opts)
{
	double t0 = now();
	*out = NULL;
	lede_search_opts defaults = LEDE_SEARCH_OPTS_INIT, v1;
	const lede_search_opts *o = current_opts(opts ? opts : &defaults, &v1);
	int rc = check_opts(db, o);
	if (rc)
		return rc;
	stored_article *a;
	rc = stored_article_load(db, article_id, 0, &a);
	if (rc)
		return rc;
	/* the article's passages */
	strbuf t = STRBUF_INIT;
	index_id_term(&t, PFX_ARTICLE, article_id);
	lx_query *mine = lx_query_term(t.buf, t.len, 1, 0);
	lx_enquire *enq;
	rc = lx_enquire_new(&enq, db->db);
	uint32_t docids[64];
	size_t nd = 0;
	if (rc == 0) {
		lx_enquire_set_query(enq, mine);
		lx_mset *ms;
		if (lx_enquire_get_mset(enq, 0, 64, 0, &ms) == 0) {
			for (size_t i = 0; i < lx_mset_size(ms); i++) {
				lx_hit h;
				if (lx_mset_hit(ms, i, &h) == 0)
					docids[nd++] = h.docid;
			}
			lx_mset_free(ms);
		}
	}
	lx_query *q = NULL;
	strbuf warns = STRBUF_INIT;
	int xerr = 0;
	lx_query *any = nd ? expand_query(db, enq, docids, nd, 40, 0, &warns,
	                                  &xerr)
	                   : NULL;
	if (any) {
		/* not the article itself, nor its near-duplicate copies */
		lx_query *own = own_group(db, a);
		q = lx_query_pair(LX_OP_AND_NOT, any, own ? own : mine);
		lx_query_free(own);
		lx_query_free(any);
	}
	lx_enquire_free(enq);
	lx_query_free(mine);
	sb_release(&t);
	stored_article_free(a);
	if (!q) {
		/* every passage damaged: the warnings say which */
		if (!xerr && warns.len) {
			sb_truncate(&warns, strcspn(sb_cstr(&warns), "\n"));
			xerr = lede_fail(db, LEDE_EDB, "%s", sb_cstr(&warns));
		}
		sb_release(&warns);
		return xerr ? xerr
		            : lede_fail(db, LEDE_EDB, "article %s has no terms to "
		                        "compare", article_id);
	}
	int ferr = 0;
	/* the expansion terms are words: only passages have them */
	lx_query *fq = with_filters(db, q, o, 1, &ferr);
	if (!fq) {
		lx_query_free(q);
		sb_release(&warns);
		return ferr ? ferr : LEDE_EDB;
	}
	q_highlights hl = Q_HIGHLIGHTS_INIT;
	rc = run(out, db, fq, fq, NULL, &hl, o, t0, &warns, NULL);
	if (rc == LEDE_OK && !o->ids_only) {
		rc = note_undated(db, *out, NULL, q, fq, o);
		(*out)->seconds = now() - t0;
	}
	lx_query_free(q);
	sb_release(&warns);
	lx_query_free(fq);
	return rc;
}

/* The public reads: done again on the latest revision when a writer
 * overtook them (read_retry_again). once is the read itself. */
typedef int (*read_once_fn)(lede_results **out, lede_db *db, const char *arg,
                            const lede_search_opts *opts);

static int read_with_retry(read_once_fn once, lede_results **out,
                           lede_db *db, const char *arg,
                           const lede_search_opts *opts)
{
	read_retry rr = read_retry_start();
	int rc;
	do {
		rc = once(out, db, arg, opts);
	} while (read_retry_again(&rr, db, &rc) &&
	         (lede_results_free(*out), *out = NULL, 1));
	if (rc != LEDE_OK) {
		lede_results_free(*out);
		*out = NULL;
	}
	return rc;
}

int lede_search(lede_results **out, lede_db *db, const char *query,
                const lede_search_opts *opts)
{
	if (!db || !db->db)
		return search_once(out, db, query, opts);
	return read_with_retry(search_once, out, db, query, opts);
}

int lede_similar(lede_results **out, lede_db *db, const char *article_id,
                 const lede_search_opts *opts)
{
	*out = NULL;
	if (!db || !db->db)
		return db ? lede_fail(db, LEDE_EDB, "%s", sb_cstr(&db->err))
		          : LEDE_EUSAGE;
	return read_with_retry(similar_once, out, db, article_id, opts);
}
