/* The entity tagger: one pass over the analyzer's tokens that finds
 * gazetteer entries (cities, states, agencies, responses) and officials
 * (a title followed by a capitalised name, then that name or surname alone
 * later in the same article). It reads tokens and the source bytes between
 * them; it never re-tokenizes and never scans once per gazetteer entry.
 *
 * Rules worth knowing (see also the comments at the top of each TSV):
 * - Two layers run side by side: places, agencies and people in one,
 *   responses in the other, so "ICE raids" gives the agency ICE and the
 *   response "raid". Within a layer the longest match wins.
 * - A city followed by ", State" takes that state's row (Portland, Maine)
 *   and the state is tagged too.
 * - Official roles are the title's canonical role ("mayor"); an agency
 *   right before the title (prefixes such as "acting" allowed in between)
 *   makes it "<agency key> <role>": "former acting ICE Director Tom Homan"
 *   -> agency ice, official "tom homan" with role "ice director". The
 *   mention spans the name only. */
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "gazetteer_impl.h"

/* ---- small public helpers ---- */

static const char *const type_names[ENT_NTYPES] = {
	"city", "state", "official", "agency", "response"
};

const char *ent_type_name(ent_type t)
{
	return (int)t >= 0 && t < ENT_NTYPES ? type_names[t] : "unknown";
}

int ent_type_from_name(const char *s, size_t len)
{
	for (int t = 0; t < ENT_NTYPES; t++)
		if (strlen(type_names[t]) == len && !memcmp(type_names[t], s, len))
			return t;
	return -1;
}

void ent_mentions_clear(ent_mentions *m)
{
	m->n = 0;
}

void ent_mentions_release(ent_mentions *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

/* ---- the tagger ---- */

/* At most this many officials are remembered per article, and a name has
 * at most this many words (more capitalised words is a headline). */
#define MAX_OFFICIALS 64
#define MAX_NAME_WORDS 4
#define MAX_NAME_TOKENS 10

struct official {
	const char *key, *display, *role; /* owned by the tagger's strs */
	uint16_t nwords;   /* tokens in key */
	uint16_t nsur;     /* of which the last nsur are the surname */
};

struct stem_slot {
	int32_t off[GZ_NLANGS]; /* into stems; -1 not yet, -2 none */
	uint32_t len[GZ_NLANGS];
};

struct ent_tagger {
	const gazetteer *g;
	analyzer *a;           /* owned: for stems */
	/* the current ent_tag call */
	const char *src;
	const an_tokens *toks;
	ent_mentions *out;
	struct stem_slot *sc;
	size_t cap_sc;
	strbuf stems;
	int32_t last_agency;   /* entry of the agency that ended at agency_end */
	size_t agency_end;     /* token index + 1 */
	/* the current article */
	struct official offs[MAX_OFFICIALS];
	struct official scratch;
	size_t noffs;
	char **strs;
	size_t nstrs, cap_strs;
	strbuf tmp;
};

ent_tagger *ent_tagger_new(const gazetteer *g)
{
	ent_tagger *t = xcalloc(1, sizeof *t);
	t->g = g;
	t->a = analyzer_new();
	return t;
}

void ent_tagger_begin_article(ent_tagger *t)
{
	for (size_t i = 0; i < t->nstrs; i++)
		free(t->strs[i]);
	t->nstrs = 0;
	t->noffs = 0;
}

void ent_tagger_free(ent_tagger *t)
{
	if (!t)
		return;
	ent_tagger_begin_article(t);
	free(t->strs);
	free(t->sc);
	sb_release(&t->stems);
	sb_release(&t->tmp);
	analyzer_free(t->a);
	free(t);
}

/* A copy owned by the tagger until the next article. */
static const char *keep(ent_tagger *t, const char *s, size_t n)
{
	XGROW(t->strs, t->cap_strs, t->nstrs + 1);
	char *p = xstrndup(s, n);
	t->strs[t->nstrs++] = p;
	return p;
}

/* ---- token helpers ---- */

#define TOK(i) (&t->toks->v[(i)])

static const char *term(const ent_tagger *t, size_t i)
{
	return an_term(t->toks, TOK(i));
}

/* Bytes of a possessive ending ('s or ’s) the token's source ends with. */
static size_t possessive(const ent_tagger *t, size_t i)
{
	const an_token *k = TOK(i);
	const char *s = t->src;
	if (k->kind != AN_WORD || k->term_len < 2 ||
	    term(t, i)[k->term_len - 1] != 's')
		return 0;
	if (k->end - k->start >= 3 && s[k->end - 1] == 's' && s[k->end - 2] == '\'')
		return 2;
	if (k->end - k->start >= 5 && s[k->end - 1] == 's' &&
	    !memcmp(s + k->end - 4, "\xE2\x80\x99", 3))
		return 4;
	return 0;
}

/* The folded word without a possessive 's. */
static size_t base_len(const ent_tagger *t, size_t i)
{
	return TOK(i)->term_len - (possessive(t, i) ? 1 : 0);
}

static int is_cap(const an_token *k)
{
	return (k->flags & (AN_CAP | AN_ALLCAPS)) || k->kind == AN_ACRONYM;
}

/* Title case (Bass), not an all-caps acronym. */
static int is_title_case(const an_token *k)
{
	return (k->flags & AN_CAP) && !(k->flags & AN_ALLCAPS) &&
	       k->kind == AN_WORD;
}

static int starts_sentence(const an_token *k)
{
	return k->flags & (AN_SENT_START | AN_PARA_START);
}

/* Whether the bytes between tokens i and i+1 are only spaces (and a
 * single line break). */
static int gap_space(const ent_tagger *t, size_t i)
{
	const an_token *a = TOK(i), *b = TOK(i + 1);
	if (b->flags & AN_PARA_START)
		return 0;
	for (uint32_t p = a->end; p < b->start; p++) {
		char c = t->src[p];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return 0;
	}
	return 1;
}

/* Whether the gap holds a comma (and otherwise only spaces). */
static int gap_comma(const ent_tagger *t, size_t i)
{
	const an_token *a = TOK(i), *b = TOK(i + 1);
	int comma = 0;
	for (uint32_t p = a->end; p < b->start; p++) {
		char c = t->src[p];
		if (c == ',')
			comma++;
		else if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return 0;
	}
	return comma == 1;
}

/* Whether tokens i and i+1 may belong to one multi-word name: spaces,
 * hyphens, commas, brackets ("287(g)"), "&"; a full stop only after an
 * abbreviation or acronym ("St. Louis", "U.S. Border Patrol"). */
static int gap_inside(const ent_tagger *t, size_t i)
{
	const an_token *a = TOK(i), *b = TOK(i + 1);
	if (b->flags & AN_PARA_START)
		return 0;
	int dot = 0;
	for (uint32_t p = a->end; p < b->start; p++) {
		char c = t->src[p];
		if (c == '.')
			dot = 1;
		else if (!strchr(" \t\r\n-,()&'", c))
			return 0;
	}
	if (dot)
		return a->kind == AN_ACRONYM || a->term_len <= 4;
	return !(b->flags & AN_SENT_START) || (b->flags & AN_JOINED);
}

/* Whether a full stop follows token i. The source's length is not known
 * here, so the byte after the last token is never read: an abbreviation at
 * the very end of a text does not match. */
static int dot_after(const ent_tagger *t, size_t i)
{
	const an_token *k = TOK(i);
	if (k->end > k->start && t->src[k->end - 1] == '.')
		return 1;
	return i + 1 < t->toks->n && TOK(i + 1)->start > k->end &&
	       t->src[k->end] == '.';
}

static int case_ok(const an_token *k, uint8_t req)
{
	switch (req) {
	case GZ_REQ_CAP:
		return is_cap(k);
	case GZ_REQ_UPPER:
		return (k->flags & AN_ALLCAPS) || k->kind == AN_ACRONYM;
	case GZ_REQ_LOWER:
		return !(k->flags & (AN_CAP | AN_ALLCAPS)) || starts_sentence(k);
	default:
		return 1;
	}
}

/* Stem of token i in lang, cached for this call; NULL if none. */
static const char *stem_of(ent_tagger *t, size_t i, int lang, size_t *len)
{
	struct stem_slot *s = &t->sc[i];
	if (s->off[lang] == -1) {
		size_t sl = 0;
		const char *st = analyzer_stem(t->a, gz_lang_code(lang), term(t, i),
		                               TOK(i)->term_len, &sl);
		if (!st) {
			s->off[lang] = -2;
		} else {
			s->off[lang] = (int32_t)t->stems.len;
			s->len[lang] = (uint32_t)sl;
			sb_add(&t->stems, st, sl);
		}
	}
	if (s->off[lang] < 0)
		return NULL;
	*len = s->len[lang];
	return t->stems.buf + s->off[lang];
}

/* Whether pattern p matches the tokens from i. */
static int pat_match(ent_tagger *t, size_t i, const gz_pat *p)
{
	const gazetteer *g = t->g;
	size_t n = t->toks->n;
	if (i + p->ntok > n)
		return 0;
	for (size_t k = 0; k < p->ntok; k++) {
		size_t ti = i + k;
		const gz_ptok *pt = &g->ptoks[p->tok + k];
		if (k > 0 && !gap_inside(t, ti - 1))
			return 0;
		if (p->flags & GZ_P_STEM) {
			size_t sl = 0;
			const char *st = stem_of(t, ti, p->lang, &sl);
			if (!st || sl != pt->len || memcmp(st, pt->term, sl))
				return 0;
		} else {
			const char *w = term(t, ti);
			size_t wl = TOK(ti)->term_len;
			if (!(wl == pt->len && !memcmp(w, pt->term, wl))) {
				size_t bl = base_len(t, ti);
				if (k + 1 != p->ntok || bl != pt->len ||
				    memcmp(w, pt->term, bl))
					return 0;
			}
		}
		if (!case_ok(TOK(ti), pt->req))
			return 0;
	}
	const an_token *last = TOK(i + p->ntok - 1);
	if ((p->flags & GZ_P_PERIOD) && !dot_after(t, i + p->ntok - 1))
		return 0;
	/* a lone all-caps word inside an all-caps run is a shouted headline */
	if (p->ntok == 1 && g->ptoks[p->tok].req == GZ_REQ_UPPER &&
	    last->kind != AN_ACRONYM && i > 0 && i + 1 < n &&
	    (TOK(i - 1)->flags & AN_ALLCAPS) && (TOK(i + 1)->flags & AN_ALLCAPS) &&
	    TOK(i - 1)->term_len > 1 && TOK(i + 1)->term_len > 1)
		return 0;
	return 1;
}

/* Candidate lists for token i: plain by folded word (and without 's), and
 * stemmed by each language's stem when the gate lets the word through. */
struct cands {
	const uint32_t *v[2 + GZ_NLANGS];
	uint32_t n[2 + GZ_NLANGS];
	int nlists;
};

static void cands_at(ent_tagger *t, size_t i, struct cands *c)
{
	const gazetteer *g = t->g;
	const char *w = term(t, i);
	size_t wl = TOK(i)->term_len;
	c->nlists = 0;
	c->v[c->nlists] = gz_map_get(&g->exact, w, wl, &c->n[c->nlists]);
	c->nlists++;
	size_t bl = base_len(t, i);
	if (bl != wl) {
		c->v[c->nlists] = gz_map_get(&g->exact, w, bl, &c->n[c->nlists]);
		c->nlists++;
	}
	for (int l = 0; l < GZ_NLANGS; l++) {
		if (!g->stem[l].slots || !gz_gate_test(g, l, w, wl))
			continue;
		size_t sl = 0;
		const char *st = stem_of(t, i, l, &sl);
		if (!st)
			continue;
		c->v[c->nlists] = gz_map_get(&g->stem[l], st, sl, &c->n[c->nlists]);
		c->nlists++;
	}
}

/* The state written at token i as the ", State" after a city (any state
 * alias, two-letter codes included): its entry, or -1; *len its tokens. */
static int32_t state_at(ent_tagger *t, size_t i, size_t *len)
{
	struct cands c;
	cands_at(t, i, &c);
	int32_t best = -1;
	size_t blen = 0;
	for (int l = 0; l < c.nlists; l++)
		for (uint32_t k = 0; k < c.n[l]; k++) {
			const gz_pat *p = &t->g->pats[c.v[l][k]];
			if (t->g->entries[p->entry].type != ENT_STATE ||
			    p->ntok <= blen || !pat_match(t, i, p))
				continue;
			best = (int32_t)p->entry;
			blen = p->ntok;
		}
	*len = blen;
	return best;
}

/* Words after a personal-name city ("Austin") that still make it a place. */
static int civic_word(const char *w, size_t n)
{
	static const char *const words[] = {
		"police", "city", "county", "council", "mayor", "officials",
		"area", "metro", "airport", "schools", "school", "district",
		"democrats", "republicans", "residents", "field", "office",
		"public", "immigration", "sheriff", "sheriffs", "federal", NULL
	};
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !memcmp(words[i], w, n))
			return 1;
	return 0;
}

/* Whether a title pattern starts at token i. */
static int title_at(ent_tagger *t, size_t i)
{
	uint32_t n;
	const uint32_t *v = gz_map_get(&t->g->exact, term(t, i),
	                               TOK(i)->term_len, &n);
	for (uint32_t k = 0; k < n; k++) {
		const gz_pat *p = &t->g->pats[v[k]];
		if (t->g->entries[p->entry].type == GZ_TITLE && pat_match(t, i, p))
			return 1;
	}
	return 0;
}

/* The single-word checks for names that are also words or people. */
static int lone_word_ok(ent_tagger *t, size_t i, const gz_entry *e)
{
	const an_token *k = TOK(i);
	if ((e->flags & GZ_E_AMB) && starts_sentence(k))
		return 0;
	if (e->flags & GZ_E_PERSON) {
		size_t n = t->toks->n;
		if (i > 0 && is_title_case(TOK(i - 1)) &&
		    !starts_sentence(TOK(i - 1)) && gap_space(t, i - 1))
			return 0;
		if (i + 1 < n && is_title_case(TOK(i + 1)) &&
		    !starts_sentence(TOK(i + 1)) && gap_space(t, i) &&
		    !civic_word(term(t, i + 1), TOK(i + 1)->term_len) &&
		    !title_at(t, i + 1))
			return 0;
	}
	return 1;
}

struct match {
	int32_t entry;   /* -1: none */
	size_t len;      /* tokens */
	int32_t state;   /* city: the ", State" entry after it, or -1 */
	size_t slen;     /* its tokens */
};

/* The longest match of layer (0: places, agencies, titles; 1: responses)
 * at token i. Titles are reported in *title apart from the rest. */
static void best_at(ent_tagger *t, size_t i, int layer, struct match *m,
                    struct match *title)
{
	const gazetteer *g = t->g;
	struct cands c;
	cands_at(t, i, &c);
	*m = (struct match){ -1, 0, -1, 0 };
	if (title)
		*title = (struct match){ -1, 0, -1, 0 };
	/* city rows sharing the matched words: resolved together below */
	size_t city_len = 0;
	for (int l = 0; l < c.nlists; l++)
		for (uint32_t k = 0; k < c.n[l]; k++) {
			const gz_pat *p = &g->pats[c.v[l][k]];
			const gz_entry *e = &g->entries[p->entry];
			if (p->flags & GZ_P_COMMA)
				continue;
			if ((e->type == ENT_RESPONSE) != (layer == 1))
				continue;
			if (e->type == GZ_TITLE) {
				if (title && p->ntok > title->len && pat_match(t, i, p))
					*title = (struct match){ (int32_t)p->entry, p->ntok,
					                         -1, 0 };
				continue;
			}
			if (p->ntok <= m->len)
				continue;
			if (e->type == ENT_CITY && p->ntok <= city_len)
				continue;
			if (!pat_match(t, i, p))
				continue;
			if (e->type != ENT_CITY) {
				int lone = p->ntok == 1 && TOK(i)->kind != AN_ACRONYM;
				if (lone && !lone_word_ok(t, i, e))
					continue;
				*m = (struct match){ (int32_t)p->entry, p->ntok, -1, 0 };
				continue;
			}
			/* a city: every row with these words is a candidate; the
			 * ", State" after them picks one, else the default row */
			city_len = p->ntok;
			size_t end = i + p->ntok;
			int32_t st = -1;
			size_t slen = 0;
			if (end < t->toks->n && gap_comma(t, end - 1))
				st = state_at(t, end, &slen);
			int32_t pick = -1, dflt = -1;
			int lone = p->ntok == 1 && TOK(i)->kind != AN_ACRONYM;
			for (int l2 = 0; l2 < c.nlists; l2++)
				for (uint32_t k2 = 0; k2 < c.n[l2]; k2++) {
					const gz_pat *q = &g->pats[c.v[l2][k2]];
					const gz_entry *qe = &g->entries[q->entry];
					if (qe->type != ENT_CITY || q->ntok != p->ntok ||
					    !pat_match(t, i, q))
						continue;
					if (st >= 0 && pick < 0 &&
					    !strcmp(qe->code, g->entries[st].code))
						pick = (int32_t)q->entry;
					if (dflt < 0 && !(qe->flags & (GZ_E_QUAL | GZ_E_ALT)) &&
					    (!lone || lone_word_ok(t, i, qe)))
						dflt = (int32_t)q->entry;
				}
			if (pick >= 0)
				*m = (struct match){ pick, p->ntok, st, slen };
			else if (dflt >= 0)
				*m = (struct match){ dflt, p->ntok, -1, 0 };
		}
}

static void emit(ent_tagger *t, int type, const char *key, const char *display,
                 const char *role, size_t first, size_t last, uint32_t end)
{
	ent_mentions *o = t->out;
	XGROW(o->v, o->cap, o->n + 1);
	o->v[o->n++] = (ent_mention){
		(uint8_t)type, key, display, role, (uint32_t)first, (uint32_t)last,
		TOK(first)->start, end };
}

static void emit_entry(ent_tagger *t, int32_t entry, size_t first, size_t last)
{
	const gz_entry *e = &t->g->entries[entry];
	emit(t, e->type, e->key, e->display, NULL, first, last, TOK(last)->end);
	if (e->type == ENT_AGENCY) {
		t->last_agency = entry;
		t->agency_end = last + 1;
		if (e->city >= 0) {
			const gz_entry *c = &t->g->entries[e->city];
			emit(t, ENT_CITY, c->key, c->display, NULL, first, last,
			     TOK(last)->end);
		}
	}
}

/* Words that sit between an agency and a title ("ICE acting Director"). */
static int title_prefix(const char *w, size_t n)
{
	static const char *const words[] = {
		"former", "acting", "interim", "then", "ex", "outgoing",
		"incoming", "late", "current", "new", "top", NULL
	};
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !memcmp(words[i], w, n))
			return 1;
	return 0;
}

/* Capitalised words that end a name rather than continue it. */
static int name_stop(const char *w, size_t n)
{
	static const char *const words[] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday", "january", "february", "march", "april",
		"june", "july", "august", "september", "october", "november",
		"december", "jr", "sr", "ii", "iii", "administration",
		"department", "office", "agency", "court", "police", "county",
		"city", "state", "house", "senate", "committee", "council",
		"democrats", "republicans", "democrat", "republican", "said",
		"says", "and", "the", "of", "on", "in", "lunes", "martes",
		"miercoles", "jueves", "viernes", "sabado", "domingo", "enero",
		"febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
		"septiembre", "octubre", "noviembre", "diciembre", "dijo", NULL
	};
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !memcmp(words[i], w, n))
			return 1;
	return 0;
}

/* Lower-case particles inside names (Ana de la Cruz, Oscar van Dam). */
static int name_particle(const char *w, size_t n)
{
	static const char *const words[] = {
		"de", "del", "la", "las", "los", "van", "von", "da", "di", "du",
		"dos", "das", "y", "bin", "al", "le", NULL
	};
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !memcmp(words[i], w, n))
			return 1;
	return 0;
}

static int name_word(const ent_tagger *t, size_t i)
{
	const an_token *k = TOK(i);
	if (!(k->flags & AN_CAP) && k->kind != AN_ACRONYM)
		return 0;
	if (k->kind == AN_ACRONYM)
		return k->term_len <= 3;
	if (k->kind != AN_WORD)
		return 0;
	/* long all-caps words are shouting, not names (JD is fine) */
	if ((k->flags & AN_ALLCAPS) && k->term_len > 2)
		return 0;
	return !name_stop(term(t, i), base_len(t, i));
}

/* Whether lower-case particles from token k lead to a capitalised word. */
static int particles_then_name(const ent_tagger *t, size_t k)
{
	size_t n = t->toks->n;
	for (size_t j = k; j < n && j < k + 3; j++) {
		const an_token *tk = TOK(j);
		if ((tk->flags & (AN_CAP | AN_ALLCAPS)) ||
		    !name_particle(term(t, j), tk->term_len) || j + 1 >= n ||
		    !gap_space(t, j))
			return 0;
		if (name_word(t, j + 1))
			return 1;
	}
	return 0;
}

/* The name starting at token i right after a title (after_abbrev: the title
 * ended in a full stop, so a sentence-start flag on the name is the
 * tokenizer being careful). Returns the index one past the name, and in
 * *nsur the tokens of its last word; i when there is no name. */
static size_t name_at(ent_tagger *t, size_t i, int after_abbrev, size_t *nsur)
{
	size_t n = t->toks->n;
	if (i >= n || !name_word(t, i))
		return i;
	if (starts_sentence(TOK(i)) && !after_abbrev)
		return i;
	size_t k = i, words = 0, last_word = i;
	while (k < n && k - i < MAX_NAME_TOKENS) {
		const an_token *tk = TOK(k);
		if (k > i && (tk->flags & AN_JOINED)) {
			/* Soto-Martinez: the same word */
		} else if (name_word(t, k)) {
			if (++words > MAX_NAME_WORDS)
				return i; /* a capitalised run: a headline */
			last_word = k;
		} else if (k > i && particles_then_name(t, k)) {
			/* part of the name if a capitalised word follows */
		} else {
			break;
		}
		k++;
		if (possessive(t, k - 1) || k >= n)
			break;
		const an_token *nx = TOK(k);
		if (nx->flags & AN_JOINED)
			continue;
		if (gap_space(t, k - 1)) {
			if (starts_sentence(nx))
				break;
			continue;
		}
		/* "J. Luis Correa": a full stop after an initial */
		const an_token *pv = TOK(k - 1);
		if (pv->term_len == 1 && pv->kind == AN_WORD &&
		    t->src[pv->end] == '.' && nx->start == pv->end + 2 &&
		    t->src[pv->end + 1] == ' ')
			continue;
		break;
	}
	/* a particle may not end a name */
	while (k > i + 1 && !(TOK(k - 1)->flags & AN_CAP) &&
	       TOK(k - 1)->kind == AN_WORD && !(TOK(k - 1)->flags & AN_JOINED))
		k--;
	if (words == 0)
		return i;
	*nsur = k - last_word;
	return k;
}

/* Folded words of tokens [a, b) joined by spaces, into sb. */
static void join_terms(ent_tagger *t, size_t a, size_t b, strbuf *sb)
{
	sb_reset(sb);
	for (size_t k = a; k < b; k++) {
		if (k > a)
			sb_addch(sb, ' ');
		sb_add(sb, term(t, k), k + 1 == b ? base_len(t, k) : TOK(k)->term_len);
	}
}

/* How many tokens from i spell the words of s (space-separated), each
 * capitalised; 0 if they do not. */
static size_t spell(ent_tagger *t, size_t i, const char *s, size_t nwords)
{
	size_t n = t->toks->n;
	if (i + nwords > n)
		return 0;
	for (size_t k = 0; k < nwords; k++) {
		const char *sp = strchr(s, ' ');
		size_t wl = sp ? (size_t)(sp - s) : strlen(s);
		size_t ti = i + k;
		if (!is_cap(TOK(ti)) && !(TOK(ti)->flags & AN_JOINED))
			return 0;
		if (k > 0 && !(TOK(ti)->flags & AN_JOINED) && !gap_space(t, ti - 1))
			return 0;
		size_t tl = k + 1 == nwords ? base_len(t, ti) : TOK(ti)->term_len;
		if (tl != wl || memcmp(term(t, ti), s, wl))
			return 0;
		if (k + 1 < nwords && possessive(t, ti))
			return 0;
		s += wl + (sp ? 1 : 0);
	}
	return nwords;
}

/* A remembered official at token i: by full name, or by surname alone when
 * no other capitalised word comes right before it. */
static size_t memory_at(ent_tagger *t, size_t i, const struct official **who)
{
	if (!is_cap(TOK(i)) || (TOK(i)->flags & AN_JOINED))
		return 0;
	size_t best = 0;
	for (size_t k = t->noffs; k-- > 0;) {
		const struct official *o = &t->offs[k];
		size_t got = spell(t, i, o->key, o->nwords);
		if (!got && o->nsur < o->nwords) {
			const char *sur = o->key;
			for (size_t w = 0; w < (size_t)(o->nwords - o->nsur); w++)
				sur = strchr(sur, ' ') + 1;
			got = spell(t, i, sur, o->nsur);
			if (got && i > 0 && is_title_case(TOK(i - 1)) &&
			    !starts_sentence(TOK(i - 1)) && gap_space(t, i - 1))
				got = 0; /* Lance Bass is not Karen Bass */
		}
		if (got && i + got < t->toks->n &&
		    (TOK(i + got)->flags & AN_JOINED))
			got = 0;
		if (got > best) {
			best = got;
			*who = o;
		}
	}
	return best;
}

static const struct official *remember(ent_tagger *t, size_t a, size_t b,
                                       size_t nsur, const char *role)
{
	join_terms(t, a, b, &t->tmp);
	size_t nwords = b - a;
	/* the same person seen before: by full key, or a lone surname that
	 * matches a remembered surname */
	for (size_t k = t->noffs; k-- > 0;) {
		const struct official *o = &t->offs[k];
		if (!strcmp(o->key, t->tmp.buf))
			return o;
		if (nwords == nsur && o->nsur == nsur) {
			const char *sur = o->key;
			for (size_t w = 0; w < (size_t)(o->nwords - o->nsur); w++)
				sur = strchr(sur, ' ') + 1;
			if (!strcmp(sur, t->tmp.buf))
				return o;
		}
	}
	/* memory full: the mention is still tagged, just not remembered */
	struct official *o = t->noffs < MAX_OFFICIALS ? &t->offs[t->noffs++]
	                                               : &t->scratch;
	o->key = keep(t, t->tmp.buf, t->tmp.len);
	uint32_t end = TOK(b - 1)->end - (uint32_t)possessive(t, b - 1);
	o->display = keep(t, t->src + TOK(a)->start, end - TOK(a)->start);
	o->role = role;
	o->nwords = (uint16_t)nwords;
	o->nsur = (uint16_t)nsur;
	return o;
}

static void emit_official(ent_tagger *t, const struct official *o,
                          const char *role, size_t a, size_t b)
{
	uint32_t end = TOK(b - 1)->end - (uint32_t)possessive(t, b - 1);
	emit(t, ENT_OFFICIAL, o->key, o->display, role, a, b - 1, end);
}

/* A title at token i (title->len tokens): find the name after it, maybe
 * after "of [the] <agency>". Returns the token after the name, or i. */
static size_t official_at(ent_tagger *t, size_t i, const struct match *title)
{
	const gazetteer *g = t->g;
	const gz_entry *te = &g->entries[title->entry];
	size_t n = t->toks->n;
	size_t j = i + title->len;
	int32_t agency = -1;
	/* "ICE Director", "ICE acting Director" */
	size_t back = i;
	while (back > 0 && title_prefix(term(t, back - 1), TOK(back - 1)->term_len))
		back--;
	if (t->last_agency >= 0 && t->agency_end == back)
		agency = t->last_agency;
	/* "Secretary of Homeland Security Kristi Noem" */
	size_t agency_first = 0, agency_len = 0;
	int32_t of_agency = -1;
	if (j + 1 < n && !strcmp(term(t, j), "of") && gap_space(t, j - 1)) {
		size_t k = j + 1;
		if (!strcmp(term(t, k), "the") && k + 1 < n)
			k++;
		struct match m;
		best_at(t, k, 0, &m, NULL);
		if (m.entry >= 0 && g->entries[m.entry].type == ENT_AGENCY) {
			of_agency = m.entry;
			agency_first = k;
			agency_len = m.len;
			j = k + m.len;
		}
	}
	if (j >= n)
		return i;
	/* only spaces before the name, or the title's own full stop ("Gov.") */
	const an_token *tl = TOK(j - 1);
	int after_abbrev = 0;
	if (!gap_space(t, j - 1)) {
		if (j != i + title->len || tl->term_len > 5 || !dot_after(t, j - 1))
			return i;
		for (uint32_t p = tl->end + 1; p < TOK(j)->start; p++)
			if (t->src[p] != ' ')
				return i;
		after_abbrev = 1;
	}
	size_t nsur = 0;
	size_t e = name_at(t, j, after_abbrev, &nsur);
	if (e == j)
		return i;
	if (of_agency >= 0) {
		emit_entry(t, of_agency, agency_first, agency_first + agency_len - 1);
		agency = of_agency;
	}
	const char *role = te->key;
	if (agency >= 0) {
		sb_reset(&t->tmp);
		sb_addf(&t->tmp, "%s %s", g->entries[agency].key, te->key);
		role = keep(t, t->tmp.buf, t->tmp.len);
	}
	const struct official *o = remember(t, j, e, nsur, role);
	emit_official(t, o, role, j, e);
	return e;
}

void ent_tag(ent_tagger *t, const char *src, const an_tokens *toks,
             ent_mentions *out)
{
	if (!toks || toks->n == 0 || !src)
		return;
	size_t n = toks->n;
	t->src = src;
	t->toks = toks;
	t->out = out;
	t->last_agency = -1;
	t->agency_end = 0;
	if (t->cap_sc < n) {
		free(t->sc);
		t->cap_sc = n;
		t->sc = xmalloc(n * sizeof *t->sc);
	}
	memset(t->sc, 0xff, n * sizeof *t->sc); /* every off -1: not yet */
	sb_reset(&t->stems);

	size_t next_a = 0, next_b = 0;
	for (size_t i = 0; i < n; i++) {
		if (i >= next_b) {
			struct match m;
			best_at(t, i, 1, &m, NULL);
			if (m.entry >= 0) {
				emit_entry(t, m.entry, i, i + m.len - 1);
				next_b = i + m.len;
			}
		}
		if (i < next_a)
			continue;
		struct match m, title;
		best_at(t, i, 0, &m, &title);
		if (title.entry >= 0 && title.len >= m.len) {
			size_t e = official_at(t, i, &title);
			if (e > i) {
				next_a = e;
				continue;
			}
		}
		const struct official *who = NULL;
		size_t ml = memory_at(t, i, &who);
		if (ml && ml >= m.len) {
			emit_official(t, who, who->role, i, i + ml);
			next_a = i + ml;
			continue;
		}
		if (m.entry >= 0) {
			emit_entry(t, m.entry, i, i + m.len - 1);
			next_a = i + m.len;
			if (m.state >= 0) {
				emit_entry(t, m.state, next_a, next_a + m.slen - 1);
				next_a += m.slen;
			}
		}
	}
	t->src = NULL;
	t->toks = NULL;
	t->out = NULL;
}
