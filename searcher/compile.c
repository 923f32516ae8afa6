/* From the parsed query to a Xapian query over passages: the analyzer's
 * stems in every language of the index, exact forms for capitalised names,
 * title terms boosted, entity fields normalised by the gazetteer, dates by
 * year and month terms (date_filter.c). Ranking policy lives here, not in the shim. */
#include "search_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"
#include "../indexer/index_schema.h"

#define MAX_LANGS 8

typedef struct compiler {
	lede_db *db;
	const compile_opts *o;
	strbuf tmp;
	int all_caps_query;   /* a query typed in capitals is not names */
	const char *pos_prefix; /* before positional terms: "" or PFX_QUOTE */
	char langs[MAX_LANGS][16];  /* the index's languages */
	size_t nlangs;
	/* With several languages: the documents of each and of all, for
	 * per-language term weights (lang_scaled). */
	double lang_docs[MAX_LANGS], all_docs;
} compiler;

size_t search_stems(lede_db *db, const char *word, size_t len, strbuf *out)
{
	size_t count = 0, start = out->len;
	const char *l = db->langs;
	while (*l) {
		const char *e = strchr(l, ',');
		size_t ll = e ? (size_t)(e - l) : strlen(l);
		char lang[32];
		if (ll < sizeof lang) {
			memcpy(lang, l, ll);
			lang[ll] = '\0';
			size_t sl;
			const char *s = analyzer_stem(db->an, lang, word, len, &sl);
			if (!s) {
				s = word;
				sl = len;
			}
			/* skip a stem already listed */
			int dup = 0;
			for (size_t p = start; p < out->len;) {
				size_t pl = strlen(out->buf + p);
				if (pl == sl && memcmp(out->buf + p, s, sl) == 0)
					dup = 1;
				p += pl + 1;
			}
			if (!dup) {
				sb_add(out, s, sl);
				sb_addch(out, '\0');
				count++;
			}
		}
		l += ll + (e != NULL);
	}
	if (count == 0) {
		sb_add(out, word, len);
		sb_addch(out, '\0');
		count = 1;
	}
	return count;
}

static lx_query *term_query(const char *prefix, const char *s, size_t len,
                            uint32_t pos)
{
	strbuf t = STRBUF_INIT;
	sb_addstr(&t, prefix);
	sb_add(&t, s, len);
	lx_query *q = t.len <= 245 ? lx_query_term(t.buf, t.len, 1, pos)
	                           : lx_query_match_nothing();
	sb_release(&t);
	return q;
}

/* The languages of the index, split once per query into c->langs. */
static void split_langs(compiler *c)
{
	const char *l = c->db->langs;
	c->nlangs = 0;
	while (*l && c->nlangs < MAX_LANGS) {
		const char *e = strchr(l, ',');
		size_t ll = e ? (size_t)(e - l) : strlen(l);
		if (ll && ll < sizeof c->langs[0]) {
			memcpy(c->langs[c->nlangs], l, ll);
			c->langs[c->nlangs][ll] = '\0';
			c->nlangs++;
		}
		l += ll + (e != NULL);
	}
	if (c->nlangs == 0)
		c->nlangs = 1;   /* langs[0] is "": no stemmer, the word itself */
	uint64_t n = 0;
	if (c->nlangs < 2 || lx_db_doccount(c->db->db, &n) != 0)
		return;
	c->all_docs = (double)n;
	for (size_t k = 0; k < c->nlangs; k++) {
		sb_reset(&c->tmp);
		sb_addstr(&c->tmp, PFX_LANG);
		sb_addstr(&c->tmp, c->langs[k]);
		uint64_t tf = 0;
		lx_db_termfreq(c->db->db, c->tmp.buf, c->tmp.len, &tf, NULL);
		c->lang_docs[k] = (double)tf;
	}
}

/* BM25's idf of a term in n of N documents, as Xapian's BM25Weight has it
 * (a term in over half the documents keeps a small positive weight). */
static double bm25_idf(double n, double N)
{
	double tw = (N - n + 0.5) / (n + 0.5);
	if (tw < 2)
		tw = tw * 0.5 + 1;
	return log(tw);
}

/* q, a query of one term of language l, weighted as if that language's
 * documents were the whole collection: Xapian's idf counts every
 * document, which would lift each word of a smaller language by about
 * log(all / that language's documents), so that Spanish "mayor"
 * (bigger) outranked the English mayor in a mostly English archive.
 * Takes q over. */
static lx_query *lang_scaled(compiler *c, size_t l, const strbuf *term,
                             lx_query *q)
{
	if (c->all_docs <= 0 || c->lang_docs[l] <= 0)
		return q;
	uint64_t tf = 0;
	if (lx_db_termfreq(c->db->db, term->buf, term->len, &tf, NULL) != 0 ||
	    tf == 0)
		return q;
	double all = bm25_idf((double)tf, c->all_docs);
	double own = bm25_idf((double)tf, c->lang_docs[l]);
	if (all <= 0 || own <= 0 || fabs(own / all - 1) < 1e-3)
		return q;
	lx_query *scaled = lx_query_scale(q, own / all);
	lx_query_free(q);
	return scaled;
}

/* What word t becomes in language lang, as the indexer made it
 * (index_doc.c add_text_terms), into stem and exact (either may be NULL):
 * stem gets its stem term (prefix, the language's tag, the stem), empty
 * for a word that has none there (a stop word); exact gets its PFX_EXACT
 * term, or "" when the exact form would add nothing to the stem (the
 * word is its own stem). Returns the term that holds the word's
 * positions: stem, or exact for a stop word. */
static const strbuf *word_terms(compiler *c, const char *lang,
                                const char *prefix, const q_term *t,
                                strbuf *stem, strbuf *exact)
{
	size_t sl = t->len;
	const char *s = *lang ? analyzer_stem(c->db->an, lang, t->text, t->len,
	                                      &sl)
	                      : NULL;
	if (!s) {
		s = t->text;
		sl = t->len;
	}
	int has_stem = index_word_has_stem(sl, analyzer_is_stopword(lang,
	                                   t->text, t->len),
	                                   t->an_kind == AN_ACRONYM);
	if (stem) {
		sb_reset(stem);
		if (has_stem) {
			sb_addstr(stem, prefix);
			index_stem_tag(stem, lang);
			sb_add(stem, s, sl);
		}
	}
	if (exact) {
		sb_reset(exact);
		if (!has_stem || sl != t->len || memcmp(s, t->text, sl) != 0) {
			sb_addstr(exact, PFX_EXACT);
			sb_add(exact, t->text, t->len);
		}
	}
	return has_stem ? stem : exact;
}

/* OR of the distinct queries in qs[0..n) (taken over: freed here), or
 * match-nothing when there are none. */
static lx_query *any_of(lx_query **qs, size_t n)
{
	if (n == 0)
		return lx_query_match_nothing();
	if (n == 1)
		return qs[0];
	lx_query *q = lx_query_combine(LX_OP_OR, (const lx_query *const *)qs,
	                               n, 0);
	for (size_t i = 0; i < n; i++)
		lx_query_free(qs[i]);
	return q;
}

/* Whether the NUL-separated list seen already holds key; if not, adds it. */
static int seen_before(strbuf *seen, const strbuf *key)
{
	for (size_t p = 0; p < seen->len;) {
		size_t pl = strlen(seen->buf + p);
		if (pl == key->len && memcmp(seen->buf + p, sb_cstr(key), pl) == 0)
			return 1;
		p += pl + 1;
	}
	sb_add(seen, sb_cstr(key), key->len);
	sb_addch(seen, '\0');
	return 0;
}

/* The word's stem (with prefix) in every language of the index where it
 * has one, OR'd: languages never share a stem term, so a passage matches
 * in its own language only, weighted by that language's statistics. */
static lx_query *stem_query(compiler *c, const char *prefix, const q_term *t)
{
	lx_query *qs[MAX_LANGS];
	size_t n = 0;
	strbuf stem = STRBUF_INIT, seen = STRBUF_INIT;
	for (size_t l = 0; l < c->nlangs; l++) {
		word_terms(c, c->langs[l], prefix, t, &stem, NULL);
		if (stem.len && !seen_before(&seen, &stem))
			qs[n++] = lang_scaled(c, l, &stem,
			                      term_query("", stem.buf, stem.len, 0));
	}
	sb_release(&stem);
	sb_release(&seen);
	return any_of(qs, n);
}

/* Whether word t has a stem term in some language of the index. */
static int has_stem(compiler *c, const q_term *t)
{
	strbuf stem = STRBUF_INIT;
	int any = 0;
	for (size_t l = 0; l < c->nlangs && !any; l++) {
		word_terms(c, c->langs[l], "", t, &stem, NULL);
		any = stem.len > 0;
	}
	sb_release(&stem);
	return any;
}

/* Whether the index has term. */
static int term_exists(compiler *c, const strbuf *term)
{
	uint64_t tf = 0;
	return term->len && term->len <= 245 &&
	       lx_db_termfreq(c->db->db, term->buf, term->len, &tf, NULL) == 0 &&
	       tf > 0;
}

/* The query of one word of a phrase in one language: its positional term,
 * and for a capitalised word whose stem differs, its exact form as a
 * filter (which has no positions): `"Los Angeles"` is the name, `"los
 * angeles"` any inflection. */
static lx_query *phrase_word(compiler *c, const char *lang, const q_term *t,
                             uint32_t qpos, strbuf *stem, strbuf *exact,
                             lx_query **filter)
{
	const strbuf *p = word_terms(c, lang, "", t, stem, exact);
	*filter = NULL;
	if (p == stem && exact->len && (t->an_flags & AN_CAP) &&
	    !c->all_caps_query)
		*filter = term_query("", exact->buf, exact->len, 0);
	return term_query(c->pos_prefix ? c->pos_prefix : "", p->buf, p->len,
	                  qpos);
}

/* A capitalised word as a name: in each language, its stem filtered by
 * its exact form when they differ (the exact term has no weight), or the
 * stem itself when the word is its own stem. NULL when the index has the
 * word in no language (then the caller falls back to the stems, so a
 * query typed in Title Case still finds something). */
static lx_query *name_query(compiler *c, const q_term *t)
{
	if (!(t->an_flags & AN_CAP) || c->all_caps_query || t->stop)
		return NULL;
	lx_query *qs[MAX_LANGS];
	size_t n = 0;
	strbuf stem = STRBUF_INIT, exact = STRBUF_INIT, seen = STRBUF_INIT;
	for (size_t l = 0; l < c->nlangs; l++) {
		word_terms(c, c->langs[l], "", t, &stem, &exact);
		if (!stem.len)
			continue;
		const strbuf *need = exact.len ? &exact : &stem;
		if (!term_exists(c, need))
			continue;
		sb_reset(&c->tmp);
		sb_add(&c->tmp, stem.buf, stem.len);
		sb_addch(&c->tmp, '\n');
		sb_add(&c->tmp, exact.buf, exact.len);
		if (seen_before(&seen, &c->tmp))
			continue;
		lx_query *st = lang_scaled(c, l, &stem,
		                           term_query("", stem.buf, stem.len, 0));
		if (!exact.len) {
			qs[n++] = st;
			continue;
		}
		lx_query *ex = term_query("", exact.buf, exact.len, 0);
		qs[n++] = lx_query_pair(LX_OP_FILTER, st, ex);
		lx_query_free(st);
		lx_query_free(ex);
	}
	sb_release(&stem);
	sb_release(&exact);
	sb_release(&seen);
	return n ? any_of(qs, n) : NULL;
}

/* A word of running text: its body term (title words are in it, see
 * TITLE_BODY_WDF), and, when a title weight is asked for, its title term
 * with that weight on top. */
static lx_query *word_query(compiler *c, const q_term *t, int title_only)
{
	lx_query *body = title_only ? NULL : name_query(c, t);
	if (!body)
		body = stem_query(c, title_only ? PFX_TITLE : "", t);
	if (title_only || c->o->title_weight <= 0)
		return body;
	lx_query *title = stem_query(c, PFX_TITLE, t);
	lx_query *scaled = lx_query_scale(title, c->o->title_weight);
	lx_query *q = lx_query_pair(LX_OP_OR, body, scaled);
	lx_query_free(body);
	lx_query_free(title);
	lx_query_free(scaled);
	return q;
}

/* PHRASE and NEAR over the words' positional terms (stop words
 * included), per language of the index (which term holds a word's
 * positions depends on the language), the distinct ones OR'd. Their
 * weight is that of the stems in them (stop words have wdf 0). A language
 * where fewer than min_stems of the words have a stem is left out. */
static lx_query *positional_query(compiler *c, enum lx_op op,
                                  const q_term *const *terms, size_t n,
                                  uint32_t window, size_t min_stems)
{
	strbuf seen = STRBUF_INIT, key = STRBUF_INIT;
	strbuf stem = STRBUF_INIT, exact = STRBUF_INIT;
	lx_query *alts[MAX_LANGS];
	size_t nalts = 0;
	/* pq: the positional terms, then the exact filters after them */
	lx_query **pq = xcalloc(2 * n + 1, sizeof *pq);
	for (size_t l = 0; l < c->nlangs; l++) {
		sb_reset(&key);
		size_t np = 0, nf = 0;
		size_t nstems = 0;
		for (size_t i = 0; i < n; i++) {
			lx_query *f;
			pq[np++] = phrase_word(c, c->langs[l], terms[i], (uint32_t)i + 1,
			                       &stem, &exact, &f);
			nstems += stem.len > 0;
			const strbuf *p = stem.len ? &stem : &exact;
			sb_add(&key, p->buf, p->len);
			sb_addch(&key, '\n');
			if (f) {
				pq[n + 1 + nf++] = f;
				sb_add(&key, exact.buf, exact.len);
			}
			sb_addch(&key, '\n');
		}
		if (np && nstems >= min_stems && !seen_before(&seen, &key)) {
			lx_query *pos = lx_query_combine(op, (const lx_query *const *)pq,
			                                 np, window);
			if (nf) {
				pq[n] = pos;
				alts[nalts++] = lx_query_combine(LX_OP_FILTER,
				                 (const lx_query *const *)pq + n, nf + 1, 0);
				lx_query_free(pos);
			} else {
				alts[nalts++] = pos;
			}
		}
		for (size_t i = 0; i < np; i++)
			lx_query_free(pq[i]);
		for (size_t i = 0; i < nf; i++)
			lx_query_free(pq[n + 1 + i]);
	}
	free(pq);
	sb_release(&seen);
	sb_release(&key);
	sb_release(&stem);
	sb_release(&exact);
	return any_of(alts, nalts);
}

static lx_query *phrase_query(compiler *c, const q_term *terms, size_t n,
                              int title_only)
{
	if (n == 1 && !title_only) {
		/* "Homan" in quotes: the exact word, whatever its case */
		q_term t = terms[0];
		t.an_flags |= AN_CAP;
		t.stop = 0;
		int caps = c->all_caps_query;
		c->all_caps_query = 0;
		lx_query *q = name_query(c, &t);
		c->all_caps_query = caps;
		return q ? q : word_query(c, &terms[0], 0);
	}
	if (n == 1)
		return word_query(c, &terms[0], title_only);
	if (title_only) {
		/* titles are indexed without positions: all words required */
		lx_query **qs = xcalloc(n, sizeof *qs);
		for (size_t i = 0; i < n; i++)
			qs[i] = stem_query(c, PFX_TITLE, &terms[i]);
		lx_query *q = lx_query_combine(LX_OP_AND,
		                               (const lx_query *const *)qs, n, 0);
		for (size_t i = 0; i < n; i++)
			lx_query_free(qs[i]);
		free(qs);
		return q;
	}
	const q_term **tp = xcalloc(n, sizeof *tp);
	for (size_t i = 0; i < n; i++)
		tp[i] = &terms[i];
	lx_query *q = positional_query(c, LX_OP_PHRASE, tp, n, (uint32_t)n, 0);
	free(tp);
	return q;
}

/* quote:word, quote:"a phrase": the words ranked as running text,
 * filtered by the same words in the same order behind PFX_QUOTE, which
 * the indexer adds for words inside quotes (wdf 0: no weight of their
 * own). */
static lx_query *quote_query(compiler *c, const q_node *k)
{
	if (!k || !k->nterms)
		return lx_query_match_nothing();
	lx_query *text = k->nterms == 1 ? word_query(c, &k->terms[0], 0)
	                                : phrase_query(c, k->terms, k->nterms, 0);
	const q_term **tp = xcalloc(k->nterms, sizeof *tp);
	for (size_t i = 0; i < k->nterms; i++)
		tp[i] = &k->terms[i];
	c->pos_prefix = PFX_QUOTE;
	lx_query *in = positional_query(c, LX_OP_PHRASE, tp, k->nterms,
	                                (uint32_t)k->nterms, 0);
	c->pos_prefix = "";
	free(tp);
	lx_query *q = lx_query_pair(LX_OP_FILTER, text, in);
	lx_query_free(text);
	lx_query_free(in);
	return q;
}

static const char *field_prefix(q_field f)
{
	switch (f) {
	case QF_CITY: return PFX_CITY;
	case QF_STATE: return PFX_STATE;
	case QF_OFFICIAL: return PFX_OFFICIAL;
	case QF_AGENCY: return PFX_AGENCY;
	case QF_RESPONSE: return PFX_RESPONSE;
	case QF_SOURCE: return PFX_SOURCE;
	case QF_LANG: return PFX_LANG;
	case QF_ROLE: return PFX_ROLE;
	case QF_SAID: return PFX_SPEAKER;
	default: return "";
	}
}

static int field_ent_type(q_field f)
{
	switch (f) {
	case QF_CITY: return ENT_CITY;
	case QF_STATE: return ENT_STATE;
	case QF_OFFICIAL: return ENT_OFFICIAL;
	case QF_AGENCY: return ENT_AGENCY;
	case QF_RESPONSE: return ENT_RESPONSE;
	/* a role's words are normalised as a name's are: folded, one space
	 * between them ("ICE-Director" -> "ice director") */
	case QF_ROLE: return ENT_OFFICIAL;
	/* a speaker's key is an official's key or a folded name: what a
	 * name typed after official: becomes */
	case QF_SAID: return ENT_OFFICIAL;
	default: return -1;
	}
}

/* The keys a field's value stands for, appended to keys as NUL-separated
 * strings; returns how many (at least 1), or 0 when the index has no
 * gazetteer to normalise with. */
static size_t field_keys(compiler *c, const q_node *n, strbuf *keys)
{
	size_t nkeys = 0;
	int et = field_ent_type(n->field);
	if (et >= 0) {
		const gazetteer *g = lede_db_gazetteer(c->db);
		if (!g)
			return 0;
		nkeys = gazetteer_normalize(g, c->db->an, (ent_type)et, n->value,
		                            n->value_len, keys);
	}
	if (nkeys == 0) {
		/* source:, lang:, or a name the gazetteer does not know: the
		 * folded value itself (a lang code is used as typed) */
		if (n->field == QF_LANG)
			sb_add(keys, n->value, n->value_len);
		else
			analyzer_fold(c->db->an, n->value, n->value_len, keys);
		sb_addch(keys, '\0');
		nkeys = 1;
	}
	return nkeys;
}

/* A filter without weight: any of the n terms in terms (NUL-separated,
 * prefix already on; one too long for Xapian matches nothing, as the
 * indexer made none); NULL when n is 0 (no gazetteer: the caller
 * reports). */
static lx_query *filter_of(const strbuf *terms, size_t n)
{
	if (n == 0)
		return NULL;
	lx_query **qs = xcalloc(n, sizeof *qs);
	const char *k = terms->buf;
	for (size_t i = 0; i < n; i++) {
		qs[i] = term_query("", k, strlen(k), 0);
		k += strlen(k) + 1;
	}
	lx_query *any = lx_query_combine(LX_OP_OR, (const lx_query *const *)qs,
	                                 n, 0);
	for (size_t i = 0; i < n; i++)
		lx_query_free(qs[i]);
	free(qs);
	lx_query *q = lx_query_scale(any, 0);
	lx_query_free(any);
	return q;
}

/* official:bass prefers the passages where Bass is quoted: the filter
 * (takes ownership of q), and as optional weight a fixed bonus for
 * passages with the speaker terms (PFX_SPEAKER) of the same keys, so that
 * an article's best passage, the one shown, is one with the official's
 * own words. A fixed weight, not the terms' own: they have wdf 0, so that
 * quotes change no passage's length for BM25 (a wdf of 1 lowered TIME's
 * nDCG@10 from .674 to .666). About what half a rare term's BM25 gave. */
#define SPEAKER_BOOST 2.0
static lx_query *with_speaker_boost(lx_query *q, const strbuf *keys,
                                    size_t nkeys)
{
	lx_query **qs = xcalloc(nkeys ? nkeys : 1, sizeof *qs);
	const char *k = keys->buf;
	for (size_t i = 0; i < nkeys; i++, k += strlen(k) + 1)
		qs[i] = term_query(PFX_SPEAKER, k, strlen(k), 0);
	lx_query *any = lx_query_combine(LX_OP_OR, (const lx_query *const *)qs,
	                                 nkeys, 0);
	for (size_t i = 0; i < nkeys; i++)
		lx_query_free(qs[i]);
	free(qs);
	lx_query *bonus = lx_query_fixed_weight(SPEAKER_BOOST);
	lx_query *boost = any && bonus ? lx_query_pair(LX_OP_FILTER, bonus, any)
	                               : NULL;
	lx_query_free(bonus);
	lx_query *out = boost ? lx_query_pair(LX_OP_AND_MAYBE, q, boost) : NULL;
	lx_query_free(any);
	lx_query_free(boost);
	lx_query_free(q);
	return out;
}

/* A filter field: an OR of boolean terms, without weight. */
static lx_query *field_query(compiler *c, const q_node *n)
{
	strbuf keys = STRBUF_INIT, terms = STRBUF_INIT;
	size_t nkeys = field_keys(c, n, &keys);
	const char *k = keys.buf;
	for (size_t i = 0; i < nkeys; i++) {
		sb_addstr(&terms, field_prefix(n->field));
		sb_addstr(&terms, k);
		sb_addch(&terms, '\0');
		k += strlen(k) + 1;
	}
	lx_query *q = filter_of(&terms, nkeys);
	if (q && n->field == QF_OFFICIAL)
		q = with_speaker_boost(q, &keys, nkeys);
	sb_release(&keys);
	sb_release(&terms);
	return q;
}

/* official:X role:Y side by side: X as Y, the indexer's combined role
 * term (PFX_ROLE role ROLE_SEP name) for any of the keys of each. */
static lx_query *official_role_query(compiler *c, const q_node *off,
                                     const q_node *role)
{
	strbuf ok = STRBUF_INIT, rk = STRBUF_INIT, terms = STRBUF_INIT;
	size_t no = field_keys(c, off, &ok), nr = field_keys(c, role, &rk);
	size_t n = 0;
	const char *r = rk.buf;
	for (size_t i = 0; i < nr; i++, r += strlen(r) + 1) {
		const char *o = ok.buf;
		for (size_t j = 0; j < no; j++, o += strlen(o) + 1) {
			sb_addf(&terms, "%s%s%s%s", PFX_ROLE, r, ROLE_SEP, o);
			sb_addch(&terms, '\0');
			n++;
		}
	}
	lx_query *q = filter_of(&terms, n);
	sb_release(&ok);
	sb_release(&rk);
	sb_release(&terms);
	return q;
}

static int is_field(const q_node *n, q_field f)
{
	return n->kind == Q_FIELD && n->field == f;
}

static lx_query *compile(compiler *c, const q_node *n);

static lx_query *combine_kids(compiler *c, enum lx_op op, const q_node *n,
                              uint32_t window)
{
	/* An AND with official: and role: among its own kids ties each role
	 * to each official beside it (docs/query-language.md): their pairs
	 * take the place of both fields. */
	size_t noff = 0, nrole = 0;
	if (op == LX_OP_AND)
		for (size_t i = 0; i < n->nkids; i++) {
			noff += is_field(n->kids[i], QF_OFFICIAL);
			nrole += is_field(n->kids[i], QF_ROLE);
		}
	int tie = noff && nrole;
	lx_query **qs = xcalloc(n->nkids + noff * nrole + 1, sizeof *qs);
	size_t k = 0;
	if (tie)
		for (size_t i = 0; i < n->nkids; i++) {
			if (!is_field(n->kids[i], QF_OFFICIAL))
				continue;
			for (size_t j = 0; j < n->nkids; j++)
				if (is_field(n->kids[j], QF_ROLE))
					qs[k++] = official_role_query(c, n->kids[i],
					                              n->kids[j]);
		}
	for (size_t i = 0; i < n->nkids; i++) {
		const q_node *kid = n->kids[i];
		if (tie && (is_field(kid, QF_OFFICIAL) || is_field(kid, QF_ROLE)))
			continue;
		/* a stop word in every language of the index has no stem to
		 * rank by: among other words it is left out (a query of stop
		 * words only matches nothing; a phrase still finds them) */
		if ((op == LX_OP_OR || op == LX_OP_AND) && kid->kind == Q_TERM &&
		    n->nkids > 1 && !has_stem(c, &kid->terms[0]))
			continue;
		qs[k++] = compile(c, kid);
	}
	lx_query *q = k == 1 && op != LX_OP_NEAR
	              ? qs[0]
	              : lx_query_combine(op, (const lx_query *const *)qs, k,
	                                 window);
	if (!(k == 1 && op != LX_OP_NEAR))
		for (size_t i = 0; i < k; i++)
			lx_query_free(qs[i]);
	free(qs);
	return q;
}

/* NEAR works on terms: the operands' terms, in order. */
static lx_query *near_query(compiler *c, const q_node *n)
{
	size_t total = 0;
	for (size_t i = 0; i < n->nkids; i++)
		total += n->kids[i]->nterms;
	const q_term **tp = xcalloc(total ? total : 1, sizeof *tp);
	size_t k = 0;
	for (size_t i = 0; i < n->nkids; i++)
		for (size_t j = 0; j < n->kids[i]->nterms; j++)
			tp[k++] = &n->kids[i]->terms[j];
	uint32_t window = n->window + (uint32_t)k;
	lx_query *q = positional_query(c, LX_OP_NEAR, tp, k, window, 0);
	free(tp);
	return q;
}

static lx_query *compile(compiler *c, const q_node *n)
{
	switch (n->kind) {
	case Q_TERM:
		return word_query(c, &n->terms[0], 0);
	case Q_PHRASE:
		return phrase_query(c, n->terms, n->nterms, 0);
	case Q_AND:
		return combine_kids(c, LX_OP_AND, n, 0);
	case Q_OR:
		return combine_kids(c, LX_OP_OR, n, 0);
	case Q_AND_NOT:
		return combine_kids(c, LX_OP_AND_NOT, n, 0);
	case Q_AND_MAYBE:
		return combine_kids(c, LX_OP_AND_MAYBE, n, 0);
	case Q_NEAR:
		return near_query(c, n);
	case Q_FIELD:
		if (n->field == QF_TITLE) {
			const q_node *k = n->nkids ? n->kids[0] : NULL;
			if (!k || !k->nterms)
				return lx_query_match_nothing();
			return phrase_query(c, k->terms, k->nterms, 1);
		}
		if (n->field == QF_QUOTE)
			return quote_query(c, n->nkids ? n->kids[0] : NULL);
		return field_query(c, n);
	case Q_DATE:
		return search_date_range(c->db, n->date_from[0] ? n->date_from : NULL,
		                         n->date_to[0] ? n->date_to : NULL);
	}
	return lx_query_match_nothing();
}

/* Whether every letter of the query's words is upper case (TIME's queries,
 * headlines pasted in capitals). */
static int all_caps(const q_node *n)
{
	for (size_t i = 0; i < n->nterms; i++)
		if (!(n->terms[i].an_flags & AN_ALLCAPS))
			return 0;
	for (size_t i = 0; i < n->nkids; i++)
		if (!all_caps(n->kids[i]))
			return 0;
	return 1;
}

/* Proximity, for short queries: each pair of adjacent words ("los
 * angeles", "el paso sanctuary": el paso, paso sanctuary) that stands as
 * a phrase in a passage adds that phrase's weight times
 * o->proximity_weight, so the city ranks above the angels without quotes
 * (a sequential-dependence feature). A pair counts in a language where
 * both words have a stem ("los" has one in English, none in Spanish:
 * counting a stop word too cost TIME 0.004 nDCG@10).
 * Only queries of at most PROXIMITY_MAX_WORDS ranked words get it: on
 * the six test collections, whose queries run to 11-51 words, every form
 * and weight tried lowered nDCG@10 on long queries, while a name typed in
 * two or three words is what this is for (docs/TUNING.md). Returns the
 * bonus query (owned by the caller), or NULL when n has no such pair. */
#define PROXIMITY_MAX_WORDS 3
static lx_query *proximity_query(compiler *c, const q_node *n)
{
	if (n->kind == Q_AND_MAYBE || n->kind == Q_AND_NOT)
		n = n->kids[0];
	if (n->kind != Q_OR && n->kind != Q_AND)
		return NULL;
	size_t ranked = 0;
	for (size_t i = 0; i < n->nkids; i++)
		ranked += n->kids[i]->kind == Q_TERM &&
		          has_stem(c, &n->kids[i]->terms[0]);
	if (ranked > PROXIMITY_MAX_WORDS)
		return NULL;
	lx_query *qs[PROXIMITY_MAX_WORDS];
	size_t k = 0;
	for (size_t i = 0; i + 1 < n->nkids && k < PROXIMITY_MAX_WORDS; i++) {
		const q_node *a = n->kids[i], *b = n->kids[i + 1];
		if (a->kind != Q_TERM || b->kind != Q_TERM)
			continue;
		const q_term *pair[2] = { &a->terms[0], &b->terms[0] };
		qs[k++] = positional_query(c, LX_OP_PHRASE, pair, 2, 2, 2);
	}
	if (k == 0)
		return NULL;
	lx_query *any = any_of(qs, k);
	lx_query *q = lx_query_scale(any, c->o->proximity_weight);
	lx_query_free(any);
	return q;
}

lx_query *search_compile(lede_db *db, const q_node *n, const compile_opts *o,
                         lx_query **proximity)
{
	compiler c = { db, o, STRBUF_INIT, all_caps(n), "", { "" }, 0, { 0 }, 0 };
	split_langs(&c);
	lx_query *q = compile(&c, n);
	if (proximity)
		*proximity = q && o->proximity_weight > 0 ? proximity_query(&c, n)
		                                          : NULL;
	sb_release(&c.tmp);
	if (!q)
		lede_fail(db, LEDE_EDB, "cannot build the query: %s",
		          lx_last_errmsg());
	return q;
}
