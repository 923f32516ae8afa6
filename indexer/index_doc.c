/* Analysis half of indexing: one article in, one article document and one
 * document per passage out (terms, values, data as in index_schema.h).
 * Runs on an analysis thread; it must not touch the database. */
#include "index_doc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"
#include "../corpus/simhash.h"
#include "../corpus/textpack.h"
#include "index_dedup.h"
#include "index_schema.h"
#include "quotes.h"

/* Terms (or values) of one article, back to back in an arena. */
typedef struct term_list {
	strbuf arena;
	struct { uint32_t off, len, slot; } *v;
	size_t n, cap;
} term_list;

/* What a folded word becomes in one language, cached: the stop-word test
 * and the stem are functions of (language, word) alone, and news repeats
 * its words, so most tokens cost one probe here instead of a stop-word
 * search and a stem cache lookup. Direct-mapped: a new word evicts the
 * one in its slot. Longer words (and stems) are not cached. */
#define WORD_CACHE_BITS 14
#define WORD_CACHE_SIZE (1u << WORD_CACHE_BITS)
#define WORD_CACHE_MAX 30
#define WORD_CACHE_LANGS 8
struct word_entry {
	uint8_t lang;          /* 1 + index into cache_langs; 0: empty slot */
	uint8_t wlen, slen;
	uint8_t stop;          /* a stop word in that language */
	char word[WORD_CACHE_MAX];
	char stem[WORD_CACHE_MAX];
};

struct index_worker {
	const gazetteer *gaz;
	analyzer *an;
	ent_tagger *tagger;
	passage_opts popts;
	const char *force_lang;
	an_tokens title_toks, body_toks;
	ent_mentions mentions;
	qt_quotes quotes;
	passage_list passages;
	strbuf term, tmp, packed, exact;
	strbuf facet_tail;   /* SLOT_FACETS after the group (common_prepare) */
	/* The article's language tag before its stems (index_stem_tag). */
	char tag[24];
	size_t tag_len;
	/* Per article, computed once and put on every one of its documents:
	 * the title's terms and the terms and values add_common gives. */
	term_list title_terms, common_terms;
	term_list common_values;  /* slot numbers in the lengths' place */
	/* The languages word_cache entries belong to (index + 1 in each). */
	char cache_langs[WORD_CACHE_LANGS][16];
	int ncache_langs;
	struct word_entry *word_cache;  /* WORD_CACHE_SIZE, allocated on use */
};

/* One distinct entity of an article, and the passages that mention it. */
typedef struct art_entity {
	uint8_t type;
	const char *key;
	const char *role, *where; /* officials: the first mention's that has a
	                             role; NULL when none */
} art_entity;

static void term_list_clear(term_list *l)
{
	sb_reset(&l->arena);
	l->n = 0;
}

static void term_list_release(term_list *l)
{
	sb_release(&l->arena);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Append prefix + s (as one entry, with slot) to l. */
static void term_list_add(term_list *l, const char *prefix, const char *s,
                          size_t len, uint32_t slot)
{
	XGROW(l->v, l->cap, l->n + 1);
	size_t off = l->arena.len;
	sb_addstr(&l->arena, prefix);
	sb_add(&l->arena, s, len);
	l->v[l->n].off = (uint32_t)off;
	l->v[l->n].len = (uint32_t)(l->arena.len - off);
	l->v[l->n].slot = slot;
	l->n++;
}

/* Entry i of l: borrowed, valid until l changes. */
static const char *term_list_at(const term_list *l, size_t i)
{
	return l->arena.buf + l->v[i].off;
}

index_worker *index_worker_new(const gazetteer *gaz, const passage_opts *po,
                               const char *force_lang)
{
	index_worker *w = xcalloc(1, sizeof *w);
	w->gaz = gaz;
	w->an = analyzer_new();
	w->tagger = gaz ? ent_tagger_new(gaz) : NULL;
	w->popts = *po;
	w->force_lang = force_lang;
	return w;
}

void index_worker_free(index_worker *w)
{
	if (!w)
		return;
	ent_tagger_free(w->tagger);
	analyzer_free(w->an);
	an_tokens_release(&w->title_toks);
	an_tokens_release(&w->body_toks);
	ent_mentions_release(&w->mentions);
	qt_quotes_release(&w->quotes);
	passage_list_release(&w->passages);
	sb_release(&w->term);
	sb_release(&w->tmp);
	sb_release(&w->packed);
	sb_release(&w->facet_tail);
	sb_release(&w->exact);
	term_list_release(&w->title_terms);
	term_list_release(&w->common_terms);
	term_list_release(&w->common_values);
	free(w->word_cache);
	free(w);
}

analyzer *index_worker_analyzer(index_worker *w) { return w->an; }

void index_set_facets(lx_doc *d, const char *group, const char *tail,
                      size_t tail_len)
{
	strbuf v = STRBUF_INIT;
	sb_addstr(&v, group);
	sb_addch(&v, '\0');
	sb_add(&v, tail, tail_len);
	lx_doc_set_value(d, SLOT_FACETS, v.buf, v.len);
	sb_release(&v);
}

void index_prepared_free(index_prepared *p)
{
	if (!p)
		return;
	lx_doc_free(p->article_doc);
	for (size_t i = 0; i < p->npassages; i++)
		lx_doc_free(p->passage_docs[i]);
	free(p->passage_docs);
	free(p->facet_tail);
	free(p->shingles);
	free(p->id);
	free(p->lang);
	free(p);
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	/* a separator, so that ("ab","c") and ("a","bc") differ */
	h ^= 0xff;
	h *= 0x100000001b3ULL;
	return h;
}

void index_content_hash(const article *art, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	/* what analysis makes of the same text changes with these: an
	 * article indexed by older rules is analysed again */
	char versions[48];
	snprintf(versions, sizeof versions, "a%d e%d q%d", ANALYZER_VERSION,
	         ENTITIES_VERSION, QUOTES_VERSION);
	h = fnv1a(h, versions, strlen(versions));
	const char *fields[] = { art->title, art->date, art->source, art->url,
	                         art->lang, art->authors };
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		h = fnv1a(h, fields[i], strlen(fields[i]));
	h = fnv1a(h, art->body, art->body_len);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* prefix + s into w->term; returns its length. */
static size_t make_term(index_worker *w, const char *prefix, const char *s,
                        size_t len)
{
	sb_reset(&w->term);
	sb_addstr(&w->term, prefix);
	sb_add(&w->term, s, len);
	return w->term.len;
}

static void add_bool(index_worker *w, lx_doc *d, const char *prefix,
                     const char *s, size_t len)
{
	size_t n = make_term(w, prefix, s, len);
	if (n <= 245)
		lx_doc_add_boolean_term(d, w->term.buf, n);
}

static const char *ent_prefix(int type)
{
	switch (type) {
	case ENT_CITY: return PFX_CITY;
	case ENT_STATE: return PFX_STATE;
	case ENT_OFFICIAL: return PFX_OFFICIAL;
	case ENT_AGENCY: return PFX_AGENCY;
	default: return PFX_RESPONSE;
	}
}

static int entity_cmp(const void *a, const void *b)
{
	const art_entity *x = a, *y = b;
	if (x->type != y->type)
		return x->type - y->type;
	return strcmp(x->key, y->key);
}

/* The distinct entities among mentions m[from..to), sorted. Caller frees. */
static art_entity *distinct_entities(const ent_mentions *m, size_t from,
                                     size_t to, size_t *n_out)
{
	size_t n = to - from;
	art_entity *v = xmalloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].type = m->v[from + i].type;
		v[i].key = m->v[from + i].key;
		v[i].role = m->v[from + i].role;
		v[i].where = m->v[from + i].where;
	}
	/* stable for equal keys would keep the first role; qsort is not, so
	 * a later mention's role may win: any role the article gives is
	 * true of the person */
	qsort(v, n, sizeof *v, entity_cmp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k == 0 || entity_cmp(&v[k - 1], &v[i]) != 0) {
			v[k++] = v[i];
		} else if (!v[k - 1].role && v[i].role) {
			v[k - 1].role = v[i].role;
			v[k - 1].where = v[i].where;
		} else if (v[k - 1].role && !v[k - 1].where && v[i].where &&
		           !strcmp(v[k - 1].role, v[i].role)) {
			v[k - 1].where = v[i].where;
		}
	}
	*n_out = k;
	return v;
}

/* A term that fits Xapian's limit into l (longer ones are dropped, as
 * add_bool drops them). */
static void common_term(term_list *l, const char *prefix, const char *s,
                        size_t len)
{
	if (strlen(prefix) + len <= 245)
		term_list_add(l, prefix, s, len, 0);
}

/* The role terms of one official's role r, tied to the name by
 * ROLE_SEP when name is not NULL: the role whole and its last word
 * ("ice director", "director"), each alone or with the name. */
static void role_name_terms(term_list *t, strbuf *buf, const char *r,
                            const char *name)
{
	const char *last = strrchr(r, ' ');
	for (int part = 0; part < (last ? 2 : 1); part++) {
		const char *rp = part ? last + 1 : r;
		sb_reset(buf);
		sb_addstr(buf, rp);
		if (name) {
			sb_addstr(buf, ROLE_SEP);
			sb_addstr(buf, name);
		}
		common_term(t, PFX_ROLE, buf->buf, buf->len);
	}
}

/* Role terms from every official mention that has a role, not only the
 * one role the article's entity list keeps: an article may call one
 * person "Senator" and later "Governor", and each is true of them. The
 * combined terms ("XBmayor:karen bass", "XBmayor:bass") let
 * official:bass role:mayor mean Bass as mayor (searcher/compile.c); the
 * name goes whole and by each trailing part, as the XO terms do. */
static void role_terms(index_worker *w, const ent_mentions *m)
{
	term_list *t = &w->common_terms;
	strbuf buf = STRBUF_INIT;
	for (size_t i = 0; i < m->n; i++) {
		const ent_mention *e = &m->v[i];
		if (e->type != ENT_OFFICIAL || !e->role || !*e->role)
			continue;
		/* once per (name, role): keys and roles of one article are
		 * short lists, a quadratic look back is cheap */
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = m->v[j].type == ENT_OFFICIAL && m->v[j].role &&
			       !strcmp(m->v[j].key, e->key) &&
			       !strcmp(m->v[j].role, e->role);
		if (seen)
			continue;
		role_name_terms(t, &buf, e->role, NULL);
		role_name_terms(t, &buf, e->role, e->key);
		for (const char *sp = strchr(e->key, ' '); sp;
		     sp = strchr(sp + 1, ' '))
			role_name_terms(t, &buf, e->role, sp + 1);
	}
	sb_release(&buf);
}

/* Terms and values that every document of the article carries: language,
 * source, date, entities. Only what a filter, a collapse or a facet reads:
 * every posting costs the writer time (docs/index-format.md). Made once
 * per article into w->common_terms and w->common_values; add_common puts
 * them on each document. */
static void common_prepare(index_worker *w, const article *art,
                           const char *lang, const art_entity *ents,
                           size_t nents, const ent_mentions *m)
{
	term_list *t = &w->common_terms, *v = &w->common_values;
	term_list_clear(t);
	term_list_clear(v);
	strbuf *ft = &w->facet_tail;
	sb_reset(ft);
	sb_addstr(ft, art->id);
	sb_addch(ft, '\0');
	common_term(t, PFX_LANG, lang, strlen(lang));
	size_t dl = strlen(art->date);
	if (dl >= 4) {
		char ymd[9] = "00000000";
		memcpy(ymd, art->date, 4);
		if (dl >= 7)
			memcpy(ymd + 4, art->date + 5, 2);
		if (dl >= 10)
			memcpy(ymd + 6, art->date + 8, 2);
		term_list_add(v, "", ymd, 8, SLOT_DATE);
		sb_add(ft, ymd, 8);
		/* date filters walk these with the words instead of reading
		 * every candidate's date (searcher/date_filter.c) */
		common_term(t, PFX_YEAR, ymd, 4);
		common_term(t, PFX_MONTH, ymd, 6);
	} else {
		/* undated: counted in every summary without reading a
		 * date (searcher/search.c count_undated) */
		common_term(t, PFX_UNDATED, "", 0);
	}
	sb_addch(ft, '\0');
	if (*art->source) {
		/* folded for the filter and the facet alike: "El País" and
		 * "El país" are one source (hits show it as written) */
		sb_reset(&w->tmp);
		analyzer_fold(w->an, art->source, strlen(art->source), &w->tmp);
		if (w->tmp.len) {
			common_term(t, PFX_SOURCE, w->tmp.buf, w->tmp.len);
			term_list_add(v, "", w->tmp.buf, w->tmp.len, SLOT_SOURCE);
			sb_add(ft, w->tmp.buf, w->tmp.len);
		}
	}
	sb_addch(ft, '\0');
	term_list_add(v, "", art->id, strlen(art->id), SLOT_ARTICLE);
	term_list_add(v, "", art->id, strlen(art->id), SLOT_GROUP);

	sb_reset(&w->tmp);
	for (size_t i = 0; i < nents; i++) {
		const char *key = ents[i].key;
		size_t kl = strlen(key);
		common_term(t, ent_prefix(ents[i].type), key, kl);
		if (ents[i].type == ENT_OFFICIAL) {
			/* official:bass finds "karen bass", official:soto-martinez
			 * "hugo soto martinez": every trailing part of the name */
			for (const char *sp = strchr(key, ' '); sp;
			     sp = strchr(sp + 1, ' '))
				common_term(t, PFX_OFFICIAL, sp + 1, strlen(sp + 1));
		}
		sb_addf(&w->tmp, "%s\t%s\n", ent_type_name(ents[i].type), key);
	}
	/* speakers, for the speaker facet: each key once */
	const qt_quotes *q = &w->quotes;
	for (size_t i = 0; i < q->n; i++) {
		const char *key = qt_str(q, q->v[i].speaker);
		int seen = !*key;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(qt_str(q, q->v[j].speaker), key);
		if (!seen)
			sb_addf(&w->tmp, "speaker\t%s\n", key);
	}
	role_terms(w, m);
	if (w->tmp.len)
		term_list_add(v, "", w->tmp.buf, w->tmp.len, SLOT_ENTITIES);
	sb_add(ft, w->tmp.buf ? w->tmp.buf : "", w->tmp.len);
}

static void add_common(index_worker *w, lx_doc *d)
{
	const term_list *t = &w->common_terms, *v = &w->common_values;
	for (size_t i = 0; i < t->n; i++)
		lx_doc_add_boolean_term(d, term_list_at(t, i), t->v[i].len);
	for (size_t i = 0; i < v->n; i++)
		lx_doc_set_value(d, v->v[i].slot, term_list_at(v, i), v->v[i].len);
}

/* The cache slot of lang, 1-based; 0 when lang cannot have one (then
 * words in it bypass the cache). */
static int word_cache_lang(index_worker *w, const char *lang)
{
	for (int k = 0; k < w->ncache_langs; k++)
		if (!strcmp(w->cache_langs[k], lang))
			return k + 1;
	size_t n = strlen(lang);
	if (n >= sizeof w->cache_langs[0] || w->ncache_langs == WORD_CACHE_LANGS)
		return 0;
	memcpy(w->cache_langs[w->ncache_langs], lang, n + 1);
	return ++w->ncache_langs;
}

/* What word becomes in lang: *stop says whether it is a stop word there;
 * returns its stem (the word itself when lang has no stemmer) and the
 * stem's length in *slen. Borrowed: valid until the next call. */
static const char *word_term(index_worker *w, int lang_id, const char *lang,
                             const char *word, size_t len, size_t *slen,
                             int *stop)
{
	struct word_entry *e = NULL;
	if (lang_id && len && len <= WORD_CACHE_MAX) {
		if (!w->word_cache)
			w->word_cache = xcalloc(WORD_CACHE_SIZE, sizeof *w->word_cache);
		uint32_t h = 2166136261u ^ (uint32_t)lang_id;
		for (size_t k = 0; k < len; k++)
			h = (h ^ (unsigned char)word[k]) * 16777619u;
		h ^= h >> 15;
		e = &w->word_cache[h & (WORD_CACHE_SIZE - 1)];
		if (e->lang == lang_id && e->wlen == len &&
		    !memcmp(e->word, word, len)) {
			*stop = e->stop;
			*slen = e->slen;
			return e->stem;
		}
	}
	*stop = analyzer_is_stopword(lang, word, len);
	const char *stem = analyzer_stem(w->an, lang, word, len, slen);
	if (!stem) {
		stem = word;
		*slen = len;
	}
	if (e && *slen <= WORD_CACHE_MAX) {
		e->lang = (uint8_t)lang_id;
		e->wlen = (uint8_t)len;
		memcpy(e->word, word, len);
		e->slen = (uint8_t)*slen;
		memcpy(e->stem, stem, *slen);
		e->stop = (uint8_t)*stop;
		return e->stem;
	}
	return stem;
}

/* A word inside a quote: its term again behind PFX_QUOTE, at the same
 * position (quote:"phrase" is a phrase of these) and wdf 0, so that
 * BM25 and document lengths are what they were without quotes. */
static void add_quoted(index_worker *w, lx_doc *d, const char *term,
                       size_t len, uint32_t pos)
{
	size_t pl = strlen(PFX_QUOTE);
	if (pl + len > 245)
		return;
	sb_reset(&w->tmp);
	sb_addstr(&w->tmp, PFX_QUOTE);
	sb_add(&w->tmp, term, len);
	lx_doc_add_posting(d, w->tmp.buf, w->tmp.len, pos, 0);
}

/* The speakers of the quotes that overlap the passage [ps, pe): a
 * boolean PFX_SPEAKER term for the key and each trailing part of it
 * (said:bass, said:"karen bass"), as official: has them; and DOCTYPE_QUOTED
 * on a passage that holds a quote. */
static void add_speakers(index_worker *w, lx_doc *d, uint32_t ps, uint32_t pe)
{
	const qt_quotes *q = &w->quotes;
	int any = 0;
	for (size_t i = 0; i < q->n; i++) {
		if (q->v[i].end <= ps || q->v[i].start >= pe)
			continue;
		any = 1;
		if (!q->v[i].speaker)
			continue;
		/* boolean, so that quotes change no passage's length for
		 * BM25; official: gives these passages a fixed bonus instead
		 * (compile.c with_speaker_boost) */
		const char *key = qt_str(q, q->v[i].speaker);
		add_bool(w, d, PFX_SPEAKER, key, strlen(key));
		for (const char *sp = strchr(key, ' '); sp; sp = strchr(sp + 1, ' '))
			add_bool(w, d, PFX_SPEAKER, sp + 1, strlen(sp + 1));
	}
	if (any)
		add_bool(w, d, "", DOCTYPE_QUOTED, strlen(DOCTYPE_QUOTED));
}

/* The text terms of tokens toks[from..to) into d (index_schema.h): a
 * word's stem behind the article's language tag, with its position; a
 * stop word as its exact PFX_EXACT term, with its position and wdf 0
 * (phrases match it, BM25 and document lengths never see it); and the
 * exact form of a capitalised word whose stem differs, wdf 0 and no
 * position, so that a capitalised query word matches the name only. */
static void add_text_terms(index_worker *w, lx_doc *d, const an_tokens *toks,
                           size_t from, size_t to, const char *lang,
                           int lang_id, size_t *qi)
{
	strbuf *st = &w->term, *ex = &w->exact;
	const qt_quotes *qs = &w->quotes;
	sb_reset(st);
	sb_add(st, w->tag, w->tag_len);
	sb_reset(ex);
	sb_addstr(ex, PFX_EXACT);
	size_t exl = ex->len;
	for (size_t i = from; i < to; i++) {
		const an_token *t = &toks->v[i];
		const char *word = an_term(toks, t);
		size_t slen;
		int stop;
		const char *stem = word_term(w, lang_id, lang, word, t->term_len,
		                             &slen, &stop);
		uint32_t pos = t->pos + 1;
		while (qi && *qi < qs->n && qs->v[*qi].end <= t->start)
			(*qi)++;
		int quoted = qi && *qi < qs->n && qs->v[*qi].start <= t->start &&
		             t->end <= qs->v[*qi].end;
		if (!index_word_has_stem(slen, stop, t->kind == AN_ACRONYM)) {
			sb_truncate(ex, exl);
			sb_add(ex, word, t->term_len);
			if (ex->len <= 245)
				lx_doc_add_posting(d, ex->buf, ex->len, pos, 0);
			if (quoted)
				add_quoted(w, d, ex->buf, ex->len, pos);
			continue;
		}
		sb_truncate(st, w->tag_len);
		sb_add(st, stem, slen);
		if (st->len <= 245)
			lx_doc_add_posting(d, st->buf, st->len, pos, 1);
		if (quoted)
			add_quoted(w, d, st->buf, st->len, pos);
		if ((t->flags & AN_CAP) &&
		    (slen != t->term_len || memcmp(stem, word, slen) != 0)) {
			sb_truncate(ex, exl);
			sb_add(ex, word, t->term_len);
			if (ex->len <= 245)
				lx_doc_add_term(d, ex->buf, ex->len, 0);
		}
	}
}

/* The title's stems (PFX_TITLE, then the language tag), once per article,
 * into w->title_terms (one entry per occurrence: each adds 1 to the term's
 * wdf on every passage). */
static void title_prepare(index_worker *w, const char *lang, int lang_id)
{
	const an_tokens *toks = &w->title_toks;
	term_list_clear(&w->title_terms);
	/* the prefix of every title term: PFX_TITLE, then the language tag */
	sb_reset(&w->tmp);
	sb_addstr(&w->tmp, PFX_TITLE);
	sb_add(&w->tmp, w->tag, w->tag_len);
	for (size_t i = 0; i < toks->n; i++) {
		const an_token *t = &toks->v[i];
		const char *word = an_term(toks, t);
		size_t slen;
		int stop;
		const char *stem = word_term(w, lang_id, lang, word, t->term_len,
		                             &slen, &stop);
		if (!index_word_has_stem(slen, stop, t->kind == AN_ACRONYM) ||
		    w->tmp.len + slen > 245)
			continue;
		term_list_add(&w->title_terms, w->tmp.buf, stem, slen, 0);
	}
}

/* The title's S terms, and its stems counted into the body's
 * (TITLE_BODY_WDF). */
static void add_title_terms(index_worker *w, lx_doc *d)
{
	const term_list *l = &w->title_terms;
	size_t pl = strlen(PFX_TITLE);
	for (size_t i = 0; i < l->n; i++) {
		const char *t = term_list_at(l, i);
		lx_doc_add_term(d, t, l->v[i].len, 1);
		lx_doc_add_term(d, t + pl, l->v[i].len - pl, TITLE_BODY_WDF);
	}
}

static void json_set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

/* The article document's data: a JSON header (the body is packed in
 * segments, one per passage, into the passages' SLOT_TEXT). */
static int article_data(index_worker *w, const article *art,
                        const char *lang, const art_entity *ents, size_t nents,
                        strbuf *out)
{
	json_t *o = json_object();
	json_set_str(o, "id", art->id);
	json_set_str(o, "title", art->title);
	json_set_str(o, "date", art->date);
	json_set_str(o, "source", art->source);
	json_set_str(o, "url", art->url);
	json_set_str(o, "lang", lang);
	json_set_str(o, "authors", art->authors);
	json_t *spans = json_array();
	for (size_t i = 0; i < w->passages.n; i++) {
		json_t *s = json_array();
		json_array_append_new(s, json_integer(w->passages.v[i].start));
		json_array_append_new(s, json_integer(w->passages.v[i].end));
		json_array_append_new(spans, s);
	}
	json_object_set_new(o, "passages", spans);
	json_t *ej = json_array();
	for (size_t i = 0; i < nents; i++) {
		json_t *e = json_array();
		json_array_append_new(e, json_string(ent_type_name(ents[i].type)));
		json_array_append_new(e, json_string(ents[i].key));
		if (ents[i].role) {
			json_array_append_new(e, json_string(ents[i].role));
			json_array_append_new(e, json_string(ents[i].where ? ents[i].where
			                                                   : ""));
		}
		json_array_append_new(ej, e);
	}
	json_object_set_new(o, "entities", ej);
	json_t *qj = json_array();
	const qt_quotes *q = &w->quotes;
	for (size_t i = 0; i < q->n; i++) {
		const qt_quote *x = &q->v[i];
		json_array_append_new(qj, json_pack("[iiissss]", (json_int_t)x->start,
		                                    (json_int_t)x->end,
		                                    (json_int_t)x->group,
		                                    qt_str(q, x->speaker),
		                                    qt_str(q, x->display),
		                                    qt_str(q, x->role),
		                                    qt_str(q, x->cue)));
	}
	json_object_set_new(o, "quotes", qj);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		return -1;
	sb_addstr(out, s);
	free(s);
	return 0;
}

/* One header field of the passage data on its own line: a newline and a
 * backslash are escaped ("\\n", "\\\\") so a title can never shift the
 * lines after it. Text jansson would not store in the article header
 * (invalid UTF-8) is stored as "", as the article header has it. */
static void passage_field(strbuf *out, const char *v)
{
	json_t *probe = json_string(v);
	if (probe)
		for (const char *c = v; *c; c++) {
			if (*c == '\n')
				sb_add(out, "\\n", 2);
			else if (*c == '\\')
				sb_add(out, "\\\\", 2);
			else
				sb_addch(out, *c);
		}
	json_decref(probe);
	sb_addch(out, '\n');
}

/* The passage document's data: "id\nn\nstart\nend\n", then what a hit
 * prints besides the text, one escaped line each: title, date, source,
 * url, lang (so a hit is dressed without reading the article header), then
 * one line per entity the passage mentions, "type\tkey". */
static void passage_data(strbuf *out, const article *art, const char *lang,
                         size_t n, const passage_span *sp,
                         const art_entity *ents, size_t nents,
                         const qt_quotes *q)
{
	sb_addf(out, "%s\n%zu\n%u\n%u\n", art->id, n, sp->start, sp->end);
	passage_field(out, art->title);
	passage_field(out, art->date);
	passage_field(out, art->source);
	passage_field(out, art->url);
	passage_field(out, lang);
	for (size_t i = 0; i < nents; i++) {
		sb_addf(out, "%s\t%s", ent_type_name(ents[i].type), ents[i].key);
		if (ents[i].role)
			sb_addf(out, "\t%s\t%s", ents[i].role,
			        ents[i].where ? ents[i].where : "");
		sb_addch(out, '\n');
	}
	/* the quote parts that start here: PASSAGE_QUOTE_TAG, start, end,
	 * the group's first part's start, speaker, display, role, cue (none
	 * of which holds a tab or a newline: folded keys, and names made of
	 * words) */
	for (size_t i = 0; i < q->n; i++) {
		const qt_quote *x = &q->v[i];
		if (x->start < sp->start || x->start >= sp->end)
			continue;
		sb_addf(out, "%s\t%u\t%u\t%u\t", PASSAGE_QUOTE_TAG, x->start,
		        x->end, q->v[x->group].start);
		const uint32_t f[4] = { x->speaker, x->display, x->role, x->cue };
		for (int k = 0; k < 4; k++) {
			for (const char *c = qt_str(q, f[k]); *c; c++)
				sb_addch(out, *c == '\t' || *c == '\n' ? ' ' : *c);
			sb_addch(out, k < 3 ? '\t' : '\n');
		}
	}
}

int index_prepare(index_worker *w, const article *art, index_prepared **out,
                  strbuf *err)
{
	*out = NULL;
	size_t idlen = strlen(art->id);
	if (idlen == 0 || idlen > 4096) {
		sb_addf(err, "article id is %s", idlen ? "over 4096 bytes" : "empty");
		return -1;
	}
	if (art->body_len == 0 && !*art->title) {
		sb_addstr(err, "article has neither title nor text");
		return -1;
	}
	const char *lang = w->force_lang && *w->force_lang ? w->force_lang
	                   : *art->lang ? art->lang
	                   : analyzer_detect_lang(art->body, art->body_len);
	if (!analyzer_lang_known(lang))
		lang = analyzer_detect_lang(art->body, art->body_len);

	an_tokens_clear(&w->title_toks);
	an_tokens_clear(&w->body_toks);
	ent_mentions_clear(&w->mentions);
	analyzer_tokenize(w->an, art->title, strlen(art->title), 0,
	                  &w->title_toks);
	analyzer_tokenize(w->an, art->body, art->body_len, 0, &w->body_toks);

	/* Entities: the title's and the body's, one article for surnames. */
	size_t title_mentions = 0;
	if (w->tagger) {
		ent_tagger_begin_article(w->tagger);
		ent_tagger_set_lang(w->tagger, lang);
		ent_tagger_set_year(w->tagger, atoi(art->date));
		ent_tag(w->tagger, art->title, &w->title_toks, &w->mentions);
		title_mentions = w->mentions.n;
		ent_tag(w->tagger, art->body, &w->body_toks, &w->mentions);
		ent_tagger_end_article(w->tagger, &w->mentions);
	}
	/* Quotes: on the same tokens and the body's mentions */
	qt_extract(art->body, art->body_len, &w->body_toks, &w->mentions,
	           title_mentions, w->mentions.n, lang, &w->quotes);
	size_t nents;
	art_entity *ents = distinct_entities(&w->mentions, 0, w->mentions.n,
	                                     &nents);

	passage_split(art->body, art->body_len, &w->popts, &w->passages);
	int lang_id = word_cache_lang(w, lang);
	sb_reset(&w->tmp);
	w->tag_len = index_stem_tag(&w->tmp, lang);
	if (w->tag_len >= sizeof w->tag)
		w->tag_len = sizeof w->tag - 1;
	memcpy(w->tag, w->tmp.buf ? w->tmp.buf : "", w->tag_len);
	title_prepare(w, lang, lang_id);
	common_prepare(w, art, lang, ents, nents, &w->mentions);

	index_prepared *p = xcalloc(1, sizeof *p);
	p->id = xstrdup(art->id);
	p->facet_tail = sb_detach(&w->facet_tail, &p->facet_tail_len);
	p->lang = xstrdup(lang);
	p->bytes = strlen(art->title) + art->body_len;
	index_content_hash(art, p->hash);
	/* too short to tell a copy from a templated brief: no fingerprint
	 * (the shingles that confirm a copy are made only for candidates) */
	p->fingerprint = w->body_toks.n >= DEDUP_MIN_WORDS
	                 ? simhash_text(art->body, art->body_len) : 0;

	/* A title without a body still makes one passage: the title. */
	size_t np = w->passages.n ? w->passages.n : 1;
	p->passage_docs = xcalloc(np, sizeof *p->passage_docs);
	p->npassages = np;
	size_t tok = 0, men = title_mentions, qi = 0;
	for (size_t i = 0; i < np; i++) {
		passage_span sp = { 0, 0 };
		if (w->passages.n)
			sp = w->passages.v[i];
		lx_doc *d = lx_doc_new();
		if (!d)
			xalloc_die("lx_doc_new");
		p->passage_docs[i] = d;
		size_t from = tok;
		while (tok < w->body_toks.n && w->body_toks.v[tok].start < sp.end)
			tok++;
		add_text_terms(w, d, &w->body_toks, from, tok, lang, lang_id, &qi);
		add_title_terms(w, d);
		add_speakers(w, d, sp.start, sp.end);
		size_t mfrom = men;
		while (men < w->mentions.n && w->mentions.v[men].start < sp.end)
			men++;
		size_t npents;
		art_entity *pents = distinct_entities(&w->mentions, mfrom, men,
		                                      &npents);
		sb_reset(&w->term);
		index_id_term(&w->term, PFX_ARTICLE, art->id);
		lx_doc_add_boolean_term(d, w->term.buf, w->term.len);
		add_common(w, d);
		index_set_facets(d, art->id, p->facet_tail, p->facet_tail_len);
		sb_reset(&w->tmp);
		passage_data(&w->tmp, art, lang, i, &sp, pents, npents, &w->quotes);
		lx_doc_set_data(d, w->tmp.buf, w->tmp.len);
		free(pents);
		/* the passage's segment of the body, packed: a hit inflates
		 * its own text only, and the segments in order are the body */
		size_t seg_start = index_segment_start(i, sp.start);
		size_t seg_end = i + 1 < w->passages.n ? w->passages.v[i + 1].start
		                                       : art->body_len;
		sb_reset(&w->packed);
		if (seg_end < seg_start ||
		    textpack_compress(art->body + seg_start, seg_end - seg_start,
		                      &w->packed) != 0) {
			index_prepared_free(p);
			free(ents);
			sb_addstr(err, "could not compress the article text");
			return -1;
		}
		lx_doc_set_value(d, SLOT_TEXT, w->packed.buf, w->packed.len);
	}

	lx_doc *a = lx_doc_new();
	if (!a)
		xalloc_die("lx_doc_new");
	p->article_doc = a;
	add_bool(w, a, "", DOCTYPE_ARTICLE, strlen(DOCTYPE_ARTICLE));
	sb_reset(&w->term);
	index_id_term(&w->term, PFX_UID, art->id);
	lx_doc_add_boolean_term(a, w->term.buf, w->term.len);
	add_common(w, a);
	lx_doc_set_value(a, SLOT_HASH, p->hash, 16);
	unsigned char fp[8];
	for (int i = 0; i < 8; i++)
		fp[i] = (unsigned char)(p->fingerprint >> (56 - 8 * i));
	lx_doc_set_value(a, SLOT_FINGERPRINT, fp, 8);
	if (p->fingerprint) {
		char hex[17];
		snprintf(hex, sizeof hex, "%016llx",
		         (unsigned long long)p->fingerprint);
		add_bool(w, a, PFX_FINGERPRINT, hex, 16);
	}
	sb_reset(&w->tmp);
	int rc = article_data(w, art, lang, ents, nents, &w->tmp);
	free(ents);
	if (rc != 0) {
		index_prepared_free(p);
		sb_addstr(err, "could not write the article record");
		return -1;
	}
	lx_doc_set_data(a, w->tmp.buf, w->tmp.len);
	*out = p;
	return 0;
}
