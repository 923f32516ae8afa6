/* From the parsed query to a Xapian query over passages: the analyzer's
 * stems in every language of the index, exact forms for capitalised names,
 * title terms boosted, entity fields normalised by the gazetteer, dates by
 * year and month terms (date_filter.c). Ranking policy lives here, not in the shim. */
#include "search_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"
#include "../indexer/index_schema.h"

typedef struct compiler {
	lede_db *db;
	const compile_opts *o;
	strbuf tmp;
	int all_caps_query;   /* a query typed in capitals is not names */
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

/* OR (as one synonym) of the stems of word with prefix. */
static lx_query *stem_query(compiler *c, const char *prefix, const char *w,
                            size_t len, uint32_t pos)
{
	strbuf stems = STRBUF_INIT;
	size_t n = search_stems(c->db, w, len, &stems);
	lx_query **qs = xcalloc(n, sizeof *qs);
	const char *s = stems.buf;
	for (size_t i = 0; i < n; i++) {
		qs[i] = term_query(prefix, s, strlen(s), pos);
		s += strlen(s) + 1;
	}
	lx_query *q = n == 1 ? qs[0]
	              : lx_query_combine(LX_OP_SYNONYM,
	                                 (const lx_query *const *)qs, n, 0);
	if (n > 1)
		for (size_t i = 0; i < n; i++)
			lx_query_free(qs[i]);
	free(qs);
	sb_release(&stems);
	return q;
}

/* Whether a capitalised query word should match its exact form: only when
 * the index has that form (a name never seen capitalised falls back to the
 * stem, so a query typed in Title Case still finds something). */
static int use_exact(compiler *c, const q_term *t)
{
	if (!(t->an_flags & AN_CAP) || c->all_caps_query || t->stop)
		return 0;
	sb_reset(&c->tmp);
	sb_addstr(&c->tmp, PFX_RAW);
	sb_add(&c->tmp, t->text, t->len);
	uint64_t tf = 0;
	if (c->tmp.len > 245 ||
	    lx_db_termfreq(c->db->db, c->tmp.buf, c->tmp.len, &tf, NULL) != 0)
		return 0;
	return tf > 0;
}

/* A word of running text: its body term (title words are in it, see
 * TITLE_BODY_WDF), and, when a title weight is asked for, its title term
 * with that weight on top. */
static lx_query *word_query(compiler *c, const q_term *t, int title_only)
{
	lx_query *body;
	if (!title_only && use_exact(c, t))
		body = term_query(PFX_RAW, t->text, t->len, 0);
	else
		body = stem_query(c, title_only ? PFX_TITLE : "", t->text, t->len, 0);
	if (title_only || c->o->title_weight <= 0)
		return body;
	lx_query *title = stem_query(c, PFX_TITLE, t->text, t->len, 0);
	lx_query *scaled = lx_query_scale(title, c->o->title_weight);
	lx_query *q = lx_query_pair(LX_OP_OR, body, scaled);
	lx_query_free(body);
	lx_query_free(title);
	lx_query_free(scaled);
	return q;
}

/* PHRASE and NEAR take only terms, not a synonym of stems: one such query
 * per language of the index (a passage is stemmed in one language), the
 * distinct ones OR'd. */
static lx_query *positional_query(compiler *c, enum lx_op op,
                                  const q_term *const *terms, size_t n,
                                  uint32_t window)
{
	strbuf seen = STRBUF_INIT, key = STRBUF_INIT;
	lx_query **alts = NULL;
	size_t nalts = 0, cap = 0;
	lx_query **qs = xcalloc(n ? n : 1, sizeof *qs);
	const char *l = c->db->langs;
	do {
		const char *e = strchr(l, ',');
		size_t ll = e ? (size_t)(e - l) : strlen(l);
		char lang[32] = "";
		if (ll < sizeof lang)
			memcpy(lang, l, ll);
		sb_reset(&key);
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			/* stop words are not indexed but keep their positions: the
			 * other words must still come in order within the window */
			if (terms[i]->stop && terms[i]->an_kind != AN_ACRONYM)
				continue;
			size_t sl = terms[i]->len;
			const char *s = *lang ? analyzer_stem(c->db->an, lang,
			                                      terms[i]->text, sl, &sl)
			                      : NULL;
			if (!s) {
				s = terms[i]->text;
				sl = terms[i]->len;
			}
			qs[k++] = term_query("", s, sl, (uint32_t)i + 1);
			sb_add(&key, s, sl);
			sb_addch(&key, '\n');
		}
		/* the same stems in another language: already there */
		int dup = 0;
		for (size_t p = 0; p < seen.len && !dup;) {
			size_t pl = strlen(seen.buf + p);
			dup = pl == key.len &&
			      memcmp(seen.buf + p, sb_cstr(&key), pl) == 0;
			p += pl + 1;
		}
		if (!dup) {
			sb_add(&seen, sb_cstr(&key), key.len);
			sb_addch(&seen, '\0');
			XGROW(alts, cap, nalts + 1);
			alts[nalts++] = k == 0 ? lx_query_match_nothing()
			                : lx_query_combine(op,
			                                   (const lx_query *const *)qs,
			                                   k, window);
		}
		for (size_t i = 0; i < k; i++)
			lx_query_free(qs[i]);
		l += ll + (e != NULL);
	} while (*l);
	lx_query *q = nalts == 1 ? alts[0]
	              : lx_query_combine(LX_OP_OR, (const lx_query *const *)alts,
	                                 nalts, 0);
	if (nalts != 1)
		for (size_t i = 0; i < nalts; i++)
			lx_query_free(alts[i]);
	free(alts);
	free(qs);
	sb_release(&seen);
	sb_release(&key);
	return q;
}

static lx_query *phrase_query(compiler *c, const q_term *terms, size_t n,
                              int title_only)
{
	if (n == 1)
		return word_query(c, &terms[0], title_only);
	if (title_only) {
		/* titles are indexed without positions: all words required */
		lx_query **qs = xcalloc(n, sizeof *qs);
		for (size_t i = 0; i < n; i++)
			qs[i] = stem_query(c, PFX_TITLE, terms[i].text, terms[i].len, 0);
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
	lx_query *q = positional_query(c, LX_OP_PHRASE, tp, n, (uint32_t)n);
	free(tp);
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
	default: return -1;
	}
}

/* A filter field: an OR of boolean terms, without weight. */
static lx_query *field_query(compiler *c, const q_node *n)
{
	strbuf keys = STRBUF_INIT;
	size_t nkeys = 0;
	int et = field_ent_type(n->field);
	if (et >= 0) {
		const gazetteer *g = lede_db_gazetteer(c->db);
		if (!g)
			return NULL;
		nkeys = gazetteer_normalize(g, c->db->an, (ent_type)et, n->value,
		                            n->value_len, &keys);
	}
	if (nkeys == 0) {
		/* source:, lang:, or a name the gazetteer does not know: the
		 * folded value itself (a lang code is used as typed) */
		if (n->field == QF_LANG)
			sb_add(&keys, n->value, n->value_len);
		else
			analyzer_fold(c->db->an, n->value, n->value_len, &keys);
		sb_addch(&keys, '\0');
		nkeys = 1;
	}
	lx_query **qs = xcalloc(nkeys, sizeof *qs);
	const char *k = keys.buf;
	for (size_t i = 0; i < nkeys; i++) {
		qs[i] = term_query(field_prefix(n->field), k, strlen(k), 0);
		k += strlen(k) + 1;
	}
	lx_query *any = lx_query_combine(LX_OP_OR, (const lx_query *const *)qs,
	                                 nkeys, 0);
	for (size_t i = 0; i < nkeys; i++)
		lx_query_free(qs[i]);
	free(qs);
	sb_release(&keys);
	lx_query *q = lx_query_scale(any, 0);
	lx_query_free(any);
	return q;
}

static lx_query *compile(compiler *c, const q_node *n);

static lx_query *combine_kids(compiler *c, enum lx_op op, const q_node *n,
                              uint32_t window)
{
	lx_query **qs = xcalloc(n->nkids ? n->nkids : 1, sizeof *qs);
	size_t k = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		const q_node *kid = n->kids[i];
		/* stop words are not indexed: among other words they are
		 * left out (a query of stop words only matches nothing) */
		if ((op == LX_OP_OR || op == LX_OP_AND) && kid->kind == Q_TERM &&
		    kid->terms[0].stop && kid->terms[0].an_kind != AN_ACRONYM &&
		    n->nkids > 1)
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
	lx_query *q = positional_query(c, LX_OP_NEAR, tp, k, window);
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

lx_query *search_compile(lede_db *db, const q_node *n, const compile_opts *o)
{
	compiler c = { db, o, STRBUF_INIT, all_caps(n) };
	lx_query *q = compile(&c, n);
	sb_release(&c.tmp);
	if (!q)
		lede_fail(db, LEDE_EDB, "cannot build the query: %s",
		          lx_last_errmsg());
	return q;
}
