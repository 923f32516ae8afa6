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
 *   mention spans the name only.
 * - Precision guards, from indexing real archives (corpus/sample, the BBC
 *   corpus): a city or state followed by a word of city_suffixes.tsv is
 *   part of another name ("Milwaukee Avenue", "Ventura County", "New York
 *   Times") and not tagged; a line in title case (a headline) takes no
 *   name that starts with, and no name word from, common_words.tsv ("Judge
 *   Blocks Order", "Mayor Kessler Tapped" -> kessler); elsewhere a name made
 *   only of common words ("Justice Center") is none, and leading role words
 *   go ("Secretary General Kofi Annan" -> kofi annan); a possessive title
 *   names a thing ("Governor's Ball"); a name ending in a place suffix is a
 *   place ("Chief Sealth High School"); Mr/Mrs/Ms/Dr/Sir/Dame are not part
 *   of a name, and a city after one is a person ("Mr Renton"); a
 *   common-word city takes no article ("Flight of the Phoenix"); a surname
 *   seen alone after a title and later with its first name becomes the
 *   full name, earlier mentions of the article included when they went to
 *   the same ent_mentions.
 * - Officials without a title come from officials.tsv: a full name
 *   anywhere, "Mr Blair" by surname, a few surnames alone (flag sur); a
 *   titled name that is a row takes the row's key, so one person has one
 *   key across articles. A name in apposition to a title flagged appos
 *   ("X, the deputy health minister") or set off by commas after a title
 *   is an official too. Rules issue 13 measured against the gold set
 *   (docs/entity-guidelines.md): ctx cities need place context; acronyms
 *   are not read on shouted, quoted or signature lines, nor before a
 *   member number; responses and immig agencies need an article with
 *   immigration words (ent_tagger_end_article). */
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

/* Per-line marks (ent_tagger.tc). TC_TITLE: the line is in title case (a
 * headline). TC_NOACRO: the line is shouted in capitals ("BALTIC ICE
 * FORMS"), quoted Usenet text ("> ...") or in a signature (after a "-- "
 * line), where an all-caps word is no acronym of an agency: the "DoD #580"
 * of rec.motorcycles signatures, the "LA" of a Spanish headline. */
#define TC_TITLE   0x01
#define TC_NOACRO  0x02

/* At most this many officials are remembered per article, and a name has
 * at most this many words (more capitalised words is a headline). */
#define MAX_OFFICIALS 64
#define MAX_NAME_WORDS 4
#define MAX_NAME_TOKENS 10
#define MAX_PERSON_WORDS 32

struct official {
	const char *key, *display, *role; /* owned by the tagger's strs */
	const char *where;                /* or the gazetteer's */
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
	int lang;              /* GZ_LANG_* of the text; -1 not guessed yet */
	int year;              /* the article's year, 0 unknown */
	int article_lang;      /* set by ent_tagger_set_lang, or -1 */
	ent_mentions *out;
	struct stem_slot *sc;
	size_t cap_sc;
	strbuf stems;
	int32_t last_place;    /* entry of the city or state that ended at
	                          place_end: a title's jurisdiction */
	size_t place_end;
	int32_t last_agency;   /* entry of the agency that ended at agency_end */
	size_t agency_first;   /* its first token */
	size_t agency_end;     /* one past its last token */
	/* the current article */
	struct official offs[MAX_OFFICIALS];
	struct official scratch;
	/* keys of entries seen as part of a person's or company's name */
	const char *person[MAX_PERSON_WORDS];
	size_t nperson;
	size_t noffs;
	char **strs;
	size_t nstrs, cap_strs;
	strbuf tmp;
	int in_sig;            /* this call has passed a "-- " line */
	/* per token of the current call: TC_* bits of its line */
	uint8_t *tc;
	/* the article so far has immigration context (see immig_word) */
	int immig;
	size_t cap_tc;
	/* where this article's mentions go: rewritten when a lone surname
	 * turns out to be a full name (see remember) */
	ent_mentions *art_out;
	size_t art_first;
};

ent_tagger *ent_tagger_new(const gazetteer *g)
{
	ent_tagger *t = xcalloc(1, sizeof *t);
	t->g = g;
	t->a = analyzer_new();
	t->article_lang = -1;
	return t;
}

void ent_tagger_begin_article(ent_tagger *t)
{
	for (size_t i = 0; i < t->nstrs; i++)
		free(t->strs[i]);
	t->nstrs = 0;
	t->noffs = 0;
	t->nperson = 0;
	t->article_lang = -1;
	t->art_out = NULL;
	t->art_first = 0;
	t->immig = 0;
	t->year = 0;
}

void ent_tagger_set_year(ent_tagger *t, int year)
{
	t->year = year > 0 && year < 10000 ? year : 0;
}

void ent_tagger_free(ent_tagger *t)
{
	if (!t)
		return;
	ent_tagger_begin_article(t);
	free(t->strs);
	free(t->sc);
	free(t->tc);
	sb_release(&t->stems);
	sb_release(&t->tmp);
	analyzer_free(t->a);
	free(t);
}

void ent_tagger_set_lang(ent_tagger *t, const char *lang)
{
	if (lang && !strcmp(lang, "es"))
		t->article_lang = GZ_LANG_ES;
	else if (lang && !strcmp(lang, "en"))
		t->article_lang = GZ_LANG_EN;
	else
		t->article_lang = -1;
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
	if (k->kind != AN_WORD)
		return 0;
	if (k->end - k->start >= 3 && s[k->end - 1] == 's' && s[k->end - 2] == '\'')
		return 2;
	if (k->end - k->start >= 5 && s[k->end - 1] == 's' &&
	    !memcmp(s + k->end - 4, "\xE2\x80\x99", 3))
		return 4;
	return 0;
}

/* The folded word without a possessive 's: the analyzer already drops it
 * from the term ("Bass's" -> "bass") and keeps it in the source span, so
 * this is the term; only the span (display, offsets) needs trimming. */
static size_t base_len(const ent_tagger *t, size_t i)
{
	return TOK(i)->term_len;
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

/* Whether a common English word (common_words.tsv) is token i. With
 * inflect, also a regular inflection of one, as headline verbs are ("Halts",
 * "Sued" when only "halt", "sue" were counted). */
static int is_common(const ent_tagger *t, size_t i, int inflect)
{
	const gz_map *m = &t->g->common;
	const char *w = term(t, i);
	size_t n = base_len(t, i);
	uint32_t c;
	if (TOK(i)->kind != AN_WORD)
		return 0;
	if (gz_map_get(m, w, n, &c))
		return 1;
	if (!inflect || n < 5)
		return 0;
	if (w[n - 1] == 's')
		return gz_map_get(m, w, n - 1, &c) ||
		       (w[n - 2] == 'e' && gz_map_get(m, w, n - 2, &c));
	if (w[n - 2] == 'e' && w[n - 1] == 'd')
		return gz_map_get(m, w, n - 1, &c) || gz_map_get(m, w, n - 2, &c);
	return 0;
}

/* Mr, Mrs, Ms, Dr, Sir, Dame and the short military ranks (Gen, Col):
 * they say who, and are no part of the name. */
static int honorific(const ent_tagger *t, size_t i)
{
	static const char *const words[] = {
		"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof", "rev",
		"gen", "col", "capt", "maj", "sgt", "lt", "adm", NULL
	};
	const an_token *k = TOK(i);
	if (k->kind != AN_WORD || !(k->flags & AN_CAP))
		return 0;
	for (int w = 0; words[w]; w++)
		if (strlen(words[w]) == k->term_len &&
		    !memcmp(words[w], term(t, i), k->term_len))
			return 1;
	return 0;
}

/* Whether token a, the first of its line, is in quoted Usenet text or in
 * a signature: the line starts with '>' (or '|'), or a line that is only
 * "--" (the signature separator) came before it in this text. The text
 * before token 0 is read from offset 0: src is the whole text. */
static int sig_line(ent_tagger *t, size_t a)
{
	const char *s = t->src;
	uint32_t st = TOK(a)->start, ls = st;
	while (ls > 0 && s[ls - 1] != '\n')
		ls--;
	for (uint32_t p = ls; p < st; p++) {
		if (s[p] == '>' || s[p] == '|')
			return 1;
		if (s[p] != ' ' && s[p] != '\t')
			break;
	}
	if (t->in_sig)
		return 1;
	uint32_t from = a ? TOK(a - 1)->end : 0;
	for (uint32_t p = from; p + 2 <= st; p++)
		if ((p == 0 || s[p - 1] == '\n') && s[p] == '-' && s[p + 1] == '-') {
			uint32_t q = p + 2;
			while (q < st && s[q] == ' ')
				q++;
			if (q < st && (s[q] == '\n' || s[q] == '\r'))
				return t->in_sig = 1;
		}
	return 0;
}

/* Whether the line [a, b) is set in capitals: at least three all-caps
 * words of two letters or more, and twice as many as words in lower or
 * title case. */
static int shouted_line(const ent_tagger *t, size_t a, size_t b)
{
	size_t up = 0, other = 0;
	for (size_t k = a; k < b; k++) {
		const an_token *tk = TOK(k);
		if (tk->kind != AN_WORD && tk->kind != AN_ACRONYM)
			continue;
		if (tk->term_len >= 2 && (tk->flags & AN_ALLCAPS))
			up++;
		else if (tk->term_len >= 2)
			other++;
	}
	return up >= 3 && up >= 2 * other;
}

/* Mark each token whose line is in title case: at least three words that
 * are not stop words, nearly all capitalised. Headlines are written so, and
 * there "Blocks" or "Tapped" after a title is a verb, not a name. */
static void mark_title_case(ent_tagger *t)
{
	size_t n = t->toks->n;
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && !(TOK(b)->flags & AN_PARA_START) &&
		       !memchr(t->src + TOK(b - 1)->end, '\n',
		               TOK(b)->start - TOK(b - 1)->end))
			b++;
		/* headline styles keep short function words in lower case, so
		 * those say nothing; "met" in "He met UN Secretary General Kofi
		 * Annan" does */
		size_t cap = 0, low = 0;
		for (size_t k = a; k < b; k++) {
			const an_token *tk = TOK(k);
			if (tk->kind != AN_WORD || tk->term_len < 2 ||
			    (tk->flags & (AN_ALLCAPS | AN_JOINED)) ||
			    analyzer_is_stopword("en", term(t, k), tk->term_len))
				continue;
			if (tk->flags & AN_CAP)
				cap++;
			else
				low++;
		}
		uint8_t tc = cap >= 3 && low * 10 <= cap ? TC_TITLE : 0;
		if (sig_line(t, a) || shouted_line(t, a, b))
			tc |= TC_NOACRO;
		memset(t->tc + a, tc, b - a);
		a = b;
	}
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

/* Whether the bytes between tokens i and i+1 are spaces on one line. */
static int gap_blank(const ent_tagger *t, size_t i)
{
	for (uint32_t p = TOK(i)->end; p < TOK(i + 1)->start; p++)
		if (t->src[p] != ' ' && t->src[p] != '\t')
			return 0;
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

static int member_number_after(const ent_tagger *t, size_t i);

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
		/* "Sue Smith": a capital at a sentence start before another
		 * capitalised word is a name, not the verb; so is one before a
		 * comma ("Sue, see if I care": Sue is addressed) */
		if (pt->req == GZ_REQ_LOWER && (TOK(ti)->flags & AN_CAP) &&
		    ti + 1 < n && (is_title_case(TOK(ti + 1)) || gap_comma(t, ti)))
			return 0;
	}
	const an_token *last = TOK(i + p->ntok - 1);
	if ((p->flags & GZ_P_PERIOD) && !dot_after(t, i + p->ntok - 1))
		return 0;
	/* an acronym (two capitals or more: ICE, DoD, LA) on a shouted,
	 * quoted or signature line; "LONDON" in a shouted headline is still
	 * the city */
	if (p->ntok == 1 && (t->tc[i] & TC_NOACRO) &&
	    (g->ptoks[p->tok].req == GZ_REQ_UPPER ||
	     g->entries[p->entry].type == ENT_AGENCY)) {
		int up = 0;
		for (uint32_t b = last->start; b < last->end; b++)
			up += t->src[b] >= 'A' && t->src[b] <= 'Z';
		if (up >= 2)
			return 0;
	}
	if (p->ntok == 1 && g->entries[p->entry].type == ENT_AGENCY &&
	    member_number_after(t, i))
		return 0;
	/* a lone all-caps word inside an all-caps run is a shouted headline */
	if (p->ntok == 1 && g->ptoks[p->tok].req == GZ_REQ_UPPER &&
	    last->kind != AN_ACRONYM && i > 0 && i + 1 < n &&
	    (TOK(i - 1)->flags & AN_ALLCAPS) && (TOK(i + 1)->flags & AN_ALLCAPS) &&
	    TOK(i - 1)->term_len > 1 && TOK(i + 1)->term_len > 1)
		return 0;
	return 1;
}

/* English or Spanish, from the commonest function words among the first
 * tokens: cheaper than analyzer_detect_lang, which re-reads the text, and
 * only needed when no ent_tagger_set_lang was given. */
static int guess_lang(const ent_tagger *t)
{
	static const char *const en[] = { "the", "and", "of", "to", "is",
		"was", "that", "for", "with", "said", NULL };
	static const char *const es[] = { "el", "la", "los", "las", "que",
		"y", "del", "por", "con", "una", "dijo", NULL };
	int score = 0;
	size_t n = t->toks->n < 400 ? t->toks->n : 400;
	for (size_t i = 0; i < n; i++) {
		const char *w = term(t, i);
		size_t wl = TOK(i)->term_len;
		if (wl > 4)
			continue;
		for (int k = 0; en[k]; k++)
			if (strlen(en[k]) == wl && !memcmp(en[k], w, wl))
				score--;
		for (int k = 0; es[k]; k++)
			if (strlen(es[k]) == wl && !memcmp(es[k], w, wl))
				score++;
	}
	return score > 0 ? GZ_LANG_ES : GZ_LANG_EN;
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
	/* stems only in the text's language: the Spanish stem of "redada"
	 * is the English word "red". The language is guessed the first time
	 * a stem has candidates, so most texts are never guessed. */
	for (int l = 0; l < GZ_NLANGS; l++) {
		if (!g->stem[l].slots || !gz_gate_test(g, l, w, wl) ||
		    (t->lang >= 0 && t->lang != l))
			continue;
		size_t sl = 0;
		const char *st = stem_of(t, i, l, &sl);
		uint32_t nc = 0;
		const uint32_t *v = st ? gz_map_get(&g->stem[l], st, sl, &nc) : NULL;
		if (!nc)
			continue;
		if (t->lang < 0) {
			t->lang = guess_lang(t);
			if (t->lang != l)
				continue;
		}
		c->v[c->nlists] = v;
		c->n[c->nlists] = nc;
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

/* A capitalised word that is only capitalised because it starts a
 * sentence: a stop word there ("But Bass said", "Pero Bass dijo"). */
static int sentence_word(const ent_tagger *t, size_t i)
{
	const an_token *k = TOK(i);
	return starts_sentence(k) &&
	       (analyzer_is_stopword("en", term(t, i), k->term_len) ||
	        analyzer_is_stopword("es", term(t, i), k->term_len));
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

/* A city_suffixes.tsv word at token i, after a blank: its tokens (0 if
 * none) and in *flags its entry's flags. */
static size_t suffix_at(ent_tagger *t, size_t i, int *flags)
{
	const gazetteer *g = t->g;
	if (i == 0 || i >= t->toks->n || !gap_blank(t, i - 1))
		return 0;
	uint32_t n;
	const uint32_t *v = gz_map_get(&g->suffix, term(t, i), TOK(i)->term_len,
	                               &n);
	for (uint32_t k = 0; k < n; k++) { /* longest first */
		const gz_pat *p = &g->pats[v[k]];
		if (g->entries[p->entry].flags & GZ_E_WHOLE)
			continue;
		if (pat_match(t, i, p)) {
			if (flags)
				*flags = g->entries[p->entry].flags;
			return p->ntok;
		}
	}
	return 0;
}

/* Whether tokens [i, end) lie inside a whole name of city_suffixes.tsv
 * that starts a few tokens before them ("Wells Fargo"). */
static int inside_whole(ent_tagger *t, size_t i, size_t end)
{
	const gazetteer *g = t->g;
	for (size_t back = 1; back <= 3 && back <= i; back++) {
		size_t s0 = i - back;
		uint32_t n;
		const uint32_t *v = gz_map_get(&g->suffix, term(t, s0),
		                               TOK(s0)->term_len, &n);
		for (uint32_t k = 0; k < n; k++) {
			const gz_pat *p = &g->pats[v[k]];
			if ((g->entries[p->entry].flags & GZ_E_WHOLE) &&
			    s0 + p->ntok >= end && pat_match(t, s0, p))
				return 1;
		}
	}
	return 0;
}

/* The single-word checks for names that are also words or people. */
static int lone_word_ok(ent_tagger *t, size_t i, const gz_entry *e)
{
	const an_token *k = TOK(i);
	if ((e->flags & GZ_E_AMB) && starts_sentence(k))
		return 0;
	/* "Flight of the Phoenix": a city takes no article, except before a
	 * civic word ("the Phoenix area") */
	if ((e->flags & GZ_E_AMB) && i > 0 && TOK(i - 1)->term_len == 3 &&
	    !memcmp(term(t, i - 1), "the", 3) &&
	    !(i + 1 < t->toks->n &&
	      civic_word(term(t, i + 1), TOK(i + 1)->term_len)))
		return 0;
	/* Orange County is not the city of Orange */
	if ((e->flags & GZ_E_AMB) && i + 1 < t->toks->n &&
	    TOK(i + 1)->term_len == 6 && !memcmp(term(t, i + 1), "county", 6))
		return 0;
	size_t n = t->toks->n;
	/* in a headline every word has a capital: "Tucson Approves" */
	int next_name = i + 1 < n && is_title_case(TOK(i + 1)) &&
	                !starts_sentence(TOK(i + 1)) && gap_blank(t, i) &&
	                !civic_word(term(t, i + 1), TOK(i + 1)->term_len) &&
	                !title_at(t, i + 1) &&
	                !((t->tc[i] & TC_TITLE) && is_common(t, i + 1, 1));
	/* "Allen-Bradley", "Toledo-Edison": a capitalised word joined after
	 * it makes a name of its own */
	if (e->type == ENT_CITY && i + 1 < n && (TOK(i + 1)->flags & AN_JOINED) &&
	    is_cap(TOK(i + 1)))
		return 0;
	if (!(e->flags & (GZ_E_PERSON | GZ_E_AMB)))
		/* Stamford Bridge, Houston Chronicle: a name of its own */
		return e->type != ENT_CITY || !next_name;
	/* part of a longer name: Michael Jackson, T-Mobile, UK Independence
	 * Party, Mobile World Congress; remembered for the article, so a
	 * later "Jackson" alone is the person too */
	int named = (k->flags & AN_JOINED) || next_name ||
	            (i > 0 && is_cap(TOK(i - 1)) && gap_space(t, i - 1) &&
	             !sentence_word(t, i - 1) && !title_at(t, i - 1));
	if (named) {
		if (t->nperson < MAX_PERSON_WORDS)
			t->person[t->nperson++] = e->key;
		return 0;
	}
	for (size_t p = 0; p < t->nperson; p++)
		if (t->person[p] == e->key)
			return 0;
	return 1;
}

/* Whether the words around token i say it is a place (for ctx cities):
 * "in", "from", "at", "near" right before it, a civic word after it
 * ("Brent Council"), or a dateline - the name opening the text or a
 * paragraph, followed by a comma or a dash. */
static int place_context(const ent_tagger *t, size_t i)
{
	static const char *const words[] = {
		"in", "from", "at", "near", "outside", "en", "desde", NULL
	};
	if (i > 0 && gap_blank(t, i - 1)) {
		const char *w = term(t, i - 1);
		size_t n = TOK(i - 1)->term_len;
		for (int k = 0; words[k]; k++)
			if (strlen(words[k]) == n && !memcmp(words[k], w, n))
				return 1;
	}
	/* "Brent Council", "Allen police": its own civic bodies */
	if (i + 1 < t->toks->n && gap_blank(t, i) &&
	    civic_word(term(t, i + 1), TOK(i + 1)->term_len))
		return 1;
	if ((i == 0 || (TOK(i)->flags & AN_PARA_START)) && i + 1 < t->toks->n)
		for (uint32_t p = TOK(i)->end; p < TOK(i + 1)->start; p++)
			if (t->src[p] == ',' || t->src[p] == '-')
				return 1;
	return 0;
}

/* Whether the place at token i is the tail of another name: "Duke of
 * Edinburgh", "Archbishop of Canterbury", "University of Michigan",
 * "Universidad de Michigan" (a title of nobility or of the church, or an
 * institution's kind, then of/de/del), "lago Michigan", "Lake Michigan", and for a city
 * "South West Edinburgh" (a compass word before it: a constituency). */
static int inside_of_name(ent_tagger *t, size_t i, int city)
{
	static const char *const water[] = {
		"lake", "lago", "river", "rio", "mount", "monte", "gulf", "golfo",
		"bay", "bahia", NULL
	};
	static const char *const compass[] = {
		"north", "south", "east", "west", NULL
	};
	if (i == 0 || !gap_blank(t, i - 1))
		return 0;
	const char *w = term(t, i - 1);
	size_t n = TOK(i - 1)->term_len;
	for (int k = 0; water[k]; k++)
		if (strlen(water[k]) == n && !memcmp(water[k], w, n))
			return 1;
	/* "South Texas" is still Texas */
	if (city && is_title_case(TOK(i - 1)) && !starts_sentence(TOK(i - 1)))
		for (int k = 0; compass[k]; k++)
			if (strlen(compass[k]) == n && !memcmp(compass[k], w, n))
				return 1;
	if (i < 2 || !gap_blank(t, i - 2) ||
	    !((n == 2 && (!memcmp(w, "of", 2) || !memcmp(w, "de", 2))) ||
	      (n == 3 && !memcmp(w, "del", 3))))
		return 0;
	/* the heads of such names; "Breslube Enterprises of Toronto" is in
	 * Toronto */
	static const char *const heads[] = {
		"duke", "duchess", "earl", "archbishop", "bishop", "prince",
		"princess", "marquess", "university", "universidad", "college",
		"colegio", "treaty", "battle", "siege", "club", "lord", "lady",
		"baron", "baroness", "viscount", "count", "universitat", NULL
	};
	size_t h = i - 2;
	if (!is_cap(TOK(h)))
		return 0;
	w = term(t, h);
	n = TOK(h)->term_len;
	for (int k = 0; heads[k]; k++)
		if (strlen(heads[k]) == n && !memcmp(heads[k], w, n))
			return 1;
	return 0;
}

/* "DoD #580", "DoD# 1138", "Dod:9733", "DoD 1069": a member number after
 * an acronym, as in rec.motorcycles signatures, makes it a club's, not an
 * agency's; "DoD: #0861", "DoD#= 0536" too. Only spaces and at most two
 * of '#', ':', '=' between them. */
static int member_number_after(const ent_tagger *t, size_t i)
{
	if (i + 1 >= t->toks->n || TOK(i + 1)->kind != AN_NUMBER)
		return 0;
	int marks = 0;
	for (uint32_t p = TOK(i)->end; p < TOK(i + 1)->start; p++) {
		char c = t->src[p];
		if (c == '#' || c == ':' || c == '=')
			marks++;
		else if (c != ' ')
			return 0;
	}
	if (marks == 0) {
		/* "the DoD 2004 budget": a year, not a member number */
		const an_token *k = TOK(i + 1);
		if (k->end - k->start == 4 &&
		    (!memcmp(t->src + k->start, "19", 2) ||
		     !memcmp(t->src + k->start, "20", 2)))
			return 0;
	}
	return marks <= 2;
}

struct match {
	int32_t entry;   /* -1: none */
	size_t len;      /* tokens */
	int pflags;      /* GZ_P_* of the pattern */
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
	*m = (struct match){ -1, 0, 0, -1, 0 };
	if (title)
		*title = (struct match){ -1, 0, 0, -1, 0 };
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
					                         p->flags, -1, 0 };
				continue;
			}
			if (p->ntok <= m->len)
				continue;
			if (e->type == ENT_CITY && p->ntok <= city_len)
				continue;
			if (!pat_match(t, i, p))
				continue;
			/* Milwaukee Avenue, Ventura County, Pennsylvania Avenue */
			/* "said Mr Renton": a person */
			if (e->type == ENT_CITY && i > 0 && honorific(t, i - 1) &&
			    gap_inside(t, i - 1)) {
				city_len = p->ntok;
				continue;
			}
			if ((e->type == ENT_CITY || e->type == ENT_STATE) &&
			    inside_of_name(t, i, e->type == ENT_CITY)) {
				if (e->type == ENT_CITY)
					city_len = p->ntok;
				continue;
			}
			int sfl = 0;
			if ((e->type == ENT_CITY || e->type == ENT_STATE) &&
			    ((suffix_at(t, i + p->ntok, &sfl) &&
			      (e->type == ENT_CITY || !(sfl & GZ_E_CITY))) ||
			     inside_whole(t, i, i + p->ntok))) {
				if (e->type == ENT_CITY)
					city_len = p->ntok;
				continue;
			}
			if (e->type != ENT_CITY) {
				int lone = p->ntok == 1 && TOK(i)->kind != AN_ACRONYM;
				if (lone && !lone_word_ok(t, i, e))
					continue;
				*m = (struct match){ (int32_t)p->entry, p->ntok, p->flags,
				                     -1, 0 };
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
					    (!lone || lone_word_ok(t, i, qe)) &&
					    (!(qe->flags & GZ_E_CTX) || place_context(t, i)))
						dflt = (int32_t)q->entry;
				}
			if (pick >= 0)
				*m = (struct match){ pick, p->ntok, p->flags, st, slen };
			else if (dflt >= 0)
				*m = (struct match){ dflt, p->ntok, p->flags, -1, 0 };
		}
}

static void emit(ent_tagger *t, int type, const char *key, const char *display,
                 const char *role, size_t first, size_t last, uint32_t end)
{
	ent_mentions *o = t->out;
	XGROW(o->v, o->cap, o->n + 1);
	o->v[o->n++] = (ent_mention){
		(uint8_t)type, key, display, role, NULL, (uint32_t)first,
		(uint32_t)last, TOK(first)->start, end };
}

static void emit_entry(ent_tagger *t, int32_t entry, size_t first, size_t last)
{
	const gz_entry *e = &t->g->entries[entry];
	emit(t, e->type, e->key, e->display, NULL, first, last, TOK(last)->end);
	if (e->type == ENT_CITY || e->type == ENT_STATE) {
		t->last_place = entry;
		t->place_end = last + 1;
	}
	if (e->type == ENT_AGENCY) {
		t->last_agency = entry;
		t->agency_first = first;
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
		"december", "jr", "sr", "ii", "iii", "qc", "administration",
		"department", "office", "agency", "court", "police", "county",
		"city", "state", "house", "senate", "committee", "council",
		"democrats", "republicans", "democrat", "republican", "said",
		"says", "and", "the", "of", "on", "in", "lunes", "martes",
		"miercoles", "jueves", "viernes", "sabado", "domingo", "enero",
		"febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
		"septiembre", "octubre", "noviembre", "diciembre", "dijo",
		/* "Lord Jesus Christ", "Lord God" are no peers */
		"jesus", "christ", "god", "almighty", NULL
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
	if (!(k->flags & AN_CAP) && k->kind != AN_ACRONYM &&
	    !((k->flags & AN_ALLCAPS) && k->term_len == 1))
		return 0;
	if (k->kind == AN_ACRONYM)
		return k->term_len <= 3;
	if (k->kind != AN_WORD)
		return 0;
	/* a lone capital is an initial only with its full stop: in text set
	 * in capitals, "AMBASSADOR A HALF..." has no official "a" (the byte
	 * after the last token is not read: ent_tag has no length) */
	if (k->term_len == 1 &&
	    (i + 1 >= t->toks->n || t->src[k->end] != '.'))
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
	/* two-letter words in capitals alone ("DE" of "DE GAULLE" set in
	 * capitals, where GAULLE reads as shouting) are not a name; "Xi" and
	 * "Li" in ordinary text are */
	int shouted = 1;
	for (size_t j = i; j < k && shouted; j++)
		shouted = TOK(j)->term_len <= 2 && (TOK(j)->flags & AN_ALLCAPS);
	if (shouted)
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

/* Official o, known by a surname alone so far, is the full name in tokens
 * [a, b): its key and display become the full name's, and so do those of
 * the mentions already made in this article (when they went to the
 * ent_mentions of this call), so that one person has one key. */
static void official_upgrade(ent_tagger *t, struct official *o, size_t a,
                             size_t b, const char *role)
{
	join_terms(t, a, b, &t->tmp);
	const char *old = o->key;
	o->key = keep(t, t->tmp.buf, t->tmp.len);
	uint32_t end = TOK(b - 1)->end - (uint32_t)possessive(t, b - 1);
	o->display = keep(t, t->src + TOK(a)->start, end - TOK(a)->start);
	o->nwords = (uint16_t)(b - a);
	if (role)
		o->role = role;
	ent_mentions *out = t->art_out;
	for (size_t m = t->art_first; out && m < out->n; m++)
		if (out->v[m].type == ENT_OFFICIAL && out->v[m].key == old) {
			out->v[m].key = o->key;
			out->v[m].display = o->display;
		}
}

/* Whether token i may be the first name before a remembered surname:
 * "Wade Kessler" after a headline's "Chief Kessler". */
static int first_name_at(ent_tagger *t, size_t i)
{
	return i + 1 < t->toks->n && is_title_case(TOK(i)) && !possessive(t, i) &&
	       !(TOK(i + 1)->flags & AN_JOINED) && gap_blank(t, i) &&
	       !(TOK(i + 1)->flags & AN_SENT_START) && !sentence_word(t, i) &&
	       !honorific(t, i) && !is_common(t, i, 0) && !title_at(t, i) &&
	       !name_stop(term(t, i), TOK(i)->term_len);
}

/* Whether a capitalised word right before token i may be a first name
 * ("Lance" of Lance Bass): not a stop word or a common word that is only
 * capitalised because it starts the sentence ("Later Reagan flew"), not
 * an honorific. */
static int first_name_before(ent_tagger *t, size_t i)
{
	if (i == 0 || !is_title_case(TOK(i - 1)) || !gap_space(t, i - 1) ||
	    sentence_word(t, i - 1) || honorific(t, i - 1))
		return 0;
	return !(starts_sentence(TOK(i - 1)) && is_common(t, i - 1, 0));
}

/* A remembered official at token i: by full name, or by surname alone when
 * no other capitalised word comes right before it. */
static size_t memory_at(ent_tagger *t, size_t i, struct official **who)
{
	if (!is_cap(TOK(i)) || (TOK(i)->flags & AN_JOINED))
		return 0;
	size_t best = 0;
	for (size_t k = t->noffs; k-- > 0;) {
		struct official *o = &t->offs[k];
		size_t got = spell(t, i, o->key, o->nwords);
		/* a first name before a surname known alone: the full name */
		if (!got && o->nwords == o->nsur && first_name_at(t, i) &&
		    spell(t, i + 1, o->key, o->nwords)) {
			official_upgrade(t, o, i, i + 1 + o->nwords, NULL);
			*who = o;
			return o->nwords;
		}
		if (!got && o->nsur < o->nwords) {
			const char *sur = o->key;
			for (size_t w = 0; w < (size_t)(o->nwords - o->nsur); w++)
				sur = strchr(sur, ' ') + 1;
			got = spell(t, i, sur, o->nsur);
			if (got && first_name_before(t, i))
				got = 0; /* Lance Bass is not Karen Bass; Mr Bass is */
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
	/* a surname first seen alone ("la alcaldesa Marquez" in a headline),
	 * now with its first name */
	if (nwords > nsur) {
		const char *sur = t->tmp.buf;
		for (size_t w = 0; w < nwords - nsur; w++)
			sur = strchr(sur, ' ') + 1;
		for (size_t k = t->noffs; k-- > 0;) {
			struct official *o = &t->offs[k];
			if (o->nwords == o->nsur && o->nsur == nsur && !strcmp(o->key, sur)) {
				official_upgrade(t, o, a, b, role);
				return o;
			}
		}
	}
	/* memory full: the mention is still tagged, just not remembered */
	struct official *o = t->noffs < MAX_OFFICIALS ? &t->offs[t->noffs++]
	                                               : &t->scratch;
	o->key = keep(t, t->tmp.buf, t->tmp.len);
	uint32_t end = TOK(b - 1)->end - (uint32_t)possessive(t, b - 1);
	o->display = keep(t, t->src + TOK(a)->start, end - TOK(a)->start);
	o->role = role;
	o->where = NULL;
	o->nwords = (uint16_t)nwords;
	o->nsur = (uint16_t)nsur;
	return o;
}

/* An official of the officeholders' gazetteer, remembered under its own
 * key (not the words of the text, which may be an alias: "Yassir
 * Arafat") so that a later surname alone resolves to it. */
static const struct official *remember_entry(ent_tagger *t, int32_t entry)
{
	const gz_entry *e = &t->g->entries[entry];
	for (size_t k = t->noffs; k-- > 0;)
		if (t->offs[k].key == e->key)
			return &t->offs[k];
	struct official *o = t->noffs < MAX_OFFICIALS ? &t->offs[t->noffs++]
	                                               : &t->scratch;
	o->key = e->key;
	o->display = e->display;
	o->role = e->role;
	o->where = e->where;
	size_t nw = 1;
	for (const char *c = e->key; *c; c++)
		nw += *c == ' ';
	o->nwords = (uint16_t)nw;
	o->nsur = e->nsur;
	return o;
}

/* The surname words of an official's key (its last nsur words). */
static const char *surname_of(const char *key, size_t nwords, size_t nsur)
{
	for (size_t w = 0; w + nsur < nwords; w++)
		key = strchr(key, ' ') + 1;
	return key;
}

/* Years between year and the office of official e (0 within it); large
 * when either is unknown. */
static int office_distance(const gz_entry *e, int year)
{
	if (!year || !e->year_from)
		return 1 << 20;
	int to = e->year_to ? e->year_to : 9999;
	if (year < e->year_from)
		return e->year_from - year;
	return year > to ? year - to : 0;
}

/* A gazetteer official named by surname at token i: after an honorific
 * ("Mr Blair", "Dr Fox"; honored) or alone when the row says the surname
 * is enough ("Thatcher"). Returns the surname's tokens, 0 if none; *entry
 * is the official, or -1 when several share the surname (the surname alone
 * is then the key: the text does not say which) and neither the title's
 * role nor the article's year (ent_tagger_set_year) picks one. */
static size_t surname_at(ent_tagger *t, size_t i, int honored,
                         const char *role, int32_t *entry)
{
	const gazetteer *g = t->g;
	if (!is_title_case(TOK(i)) || (TOK(i)->flags & AN_JOINED))
		return 0;
	uint32_t n;
	const uint32_t *v = gz_map_get(&g->surname, term(t, i),
	                               TOK(i)->term_len, &n);
	size_t len = 0;
	int32_t who = -1;
	int several = 0;
	/* several namesakes: the one whose office is nearest the article's
	 * year, when clearly nearer than the others (a 1987 "President Bush"
	 * is George H. W. Bush, a 2004 one George W. Bush) */
	int best_d = 1 << 30, next_d = 1 << 30;
	for (uint32_t k = 0; k < n; k++) {
		const gz_entry *e = &g->entries[v[k]];
		if (!honored && !(e->flags & GZ_E_SUR))
			continue;
		size_t nw = 1;
		for (const char *c = e->key; *c; c++)
			nw += *c == ' ';
		size_t got = spell(t, i, surname_of(e->key, nw, e->nsur), e->nsur);
		if (!got || (i + got < t->toks->n &&
		             (TOK(i + got)->flags & AN_JOINED)))
			continue;
		if (got < len)
			continue;
		if (got > len) {
			len = got;
			who = (int32_t)v[k];
			several = 0;
			best_d = next_d = 1 << 30;
		} else if (who >= 0 && strcmp(g->entries[who].key, e->key)) {
			several = 1;
		}
		int d = office_distance(e, t->year);
		/* "President Bush": a president before a governor */
		if (role && e->role && !strcmp(role, e->role))
			d -= 1 << 21;
		if (d < best_d) {
			if (who != (int32_t)v[k] && strcmp(g->entries[who].key, e->key))
				next_d = best_d;
			best_d = d;
			who = (int32_t)v[k];
		} else if (d < next_d && strcmp(g->entries[who].key, e->key)) {
			next_d = d;
		}
	}
	if (several && next_d - best_d >= 4 && best_d < (1 << 20))
		several = 0;
	if (!len)
		return 0;
	if (!honored) {
		/* "Cherie Blair", "Blair Witch": part of another name */
		if (first_name_before(t, i) && !title_at(t, i - 1))
			return 0;
		size_t nx = i + len;
		if (nx < t->toks->n && !(t->tc[i] & TC_TITLE) && is_title_case(TOK(nx)) &&
		    gap_blank(t, nx - 1) && !starts_sentence(TOK(nx)) &&
		    !name_stop(term(t, nx), TOK(nx)->term_len))
			return 0;
	}
	*entry = several ? -1 : who;
	return len;
}

static void emit_official(ent_tagger *t, const struct official *o,
                          const char *role, size_t a, size_t b)
{
	uint32_t end = TOK(b - 1)->end - (uint32_t)possessive(t, b - 1);
	emit(t, ENT_OFFICIAL, o->key, o->display, role, a, b - 1, end);
	t->out->v[t->out->n - 1].where = o->where;
}

/* Second thoughts on the name [*pa, b) found after a title (see the rules
 * at the top). Returns its end, *pa when it is no name; may move *pa past
 * leading role words and sets *nsur. full: the title needs two words. */
static size_t name_check(ent_tagger *t, size_t *pa, size_t b, size_t *nsur,
                         int full)
{
	size_t a = *pa;
	size_t ws[MAX_NAME_TOKENS]; /* first token of each word */
	size_t nw = 0;
	for (size_t k = a; k < b && nw < MAX_NAME_TOKENS; k++)
		if (!(TOK(k)->flags & AN_JOINED) &&
		    ((TOK(k)->flags & (AN_CAP | AN_ALLCAPS)) ||
		     TOK(k)->kind == AN_ACRONYM))
			ws[nw++] = k;
	/* "Chief Superintendent Mick Deats", "Chief Treasury Secretary Paul
	 * Boateng": a title inside has the name */
	if (nw == 0)
		return a;
	for (size_t w = 0; w < nw; w++)
		if (title_at(t, ws[w]))
			return a;
	/* "Chief Sealth High School", "Mayor Daley Center" */
	for (size_t w = 0; w < nw; w++) {
		int fl = 0;
		size_t sl = suffix_at(t, ws[w], &fl);
		if (sl && (fl & GZ_E_PERSON) && ws[w] + sl >= b)
			return a;
	}
	int fl = 0;
	if (suffix_at(t, b, &fl) && (fl & GZ_E_PERSON))
		return a;
	if (t->tc[a] & TC_TITLE) {
		/* a headline: "Judge Blocks Order", "Mayor Kessler Tapped as" */
		if (is_common(t, ws[0], 1))
			return a;
		for (size_t w = 1; w < nw; w++)
			if (is_common(t, ws[w], 1)) {
				b = ws[w];
				nw = w;
				break;
			}
		/* a particle may not end a name */
		while (b > a + 1 && TOK(b - 1)->kind == AN_WORD &&
		       !(TOK(b - 1)->flags & (AN_CAP | AN_ALLCAPS | AN_JOINED)))
			b--;
	} else {
		size_t nc = 0;
		for (size_t w = 0; w < nw; w++)
			nc += is_common(t, ws[w], 0);
		/* "Justice Center", "Criminal Justice Act" */
		if (nc == nw)
			return a;
		/* "Chief Executive Martin Sorrell", "Secretary General Kofi
		 * Annan": role words, then a first name and a surname */
		size_t skip = 0;
		while (nw - skip > 2 && is_common(t, ws[skip], 0))
			skip++;
		if (skip) {
			a = ws[skip];
			memmove(ws, ws + skip, (nw - skip) * sizeof *ws);
			nw -= skip;
		}
	}
	if (full && nw < 2)
		return *pa;
	*pa = a;
	*nsur = b - ws[nw - 1];
	return b;
}

/* The official named by tokens [j, e) after title te (role: the title's,
 * maybe with its agency; where: the place before the title, or NULL):
 * remembered and emitted. A name that is an officeholder of the gazetteer
 * ("President Reagan", "President George Bush") takes the gazetteer's
 * key, so that one person has one key across articles; several rows with
 * the surname and nothing to choose between them: the text's words. */
static void titled_official(ent_tagger *t, const gz_entry *te,
                            const char *role, size_t j, size_t e, size_t nsur,
                            const char *where)
{
	const gazetteer *g = t->g;
	int32_t gent = -1;
	struct match gm;
	best_at(t, j, 0, &gm, NULL);
	if (gm.entry >= 0 && g->entries[gm.entry].type == ENT_OFFICIAL &&
	    j + gm.len == e)
		gent = gm.entry;
	else if (nsur == e - j && surname_at(t, j, 1, te->key, &gent) != e - j)
		gent = -1;
	const struct official *o = gent >= 0 ? remember_entry(t, gent)
	                                     : remember(t, j, e, nsur, role);
	emit_official(t, o, role, j, e);
	/* "Los Angeles Mayor Karen Bass": the place right before the title
	 * (or its prefixes) is the role's jurisdiction */
	if (where)
		t->out->v[t->out->n - 1].where = where;
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
	/* "Governor's Ball", "President's Day", "Judge's Order" */
	if (possessive(t, i + title->len - 1))
		return i;
	/* "Secretary of Homeland Security Kristi Noem" */
	size_t agency_first = 0, agency_len = 0;
	int32_t of_agency = -1;
	/* "director de Migración Colombia Christian Krüger" in Spanish */
	if (j + 1 < n && gap_space(t, j - 1) &&
	    (!strcmp(term(t, j), "of") || !strcmp(term(t, j), "de") ||
	     !strcmp(term(t, j), "del"))) {
		size_t k = j + 1;
		if (k + 1 < n && (!strcmp(term(t, k), "the") ||
		                  !strcmp(term(t, k), "la") ||
		                  !strcmp(term(t, k), "el")))
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
	/* "chairman" and its kind name an official only with the body they
	 * chair ("Fed Chairman", "chairman of the Commission for Racial
	 * Equality"): a company's chairman is none */
	if ((te->flags & GZ_E_BODY) && agency < 0 && of_agency < 0)
		return i;
	/* only spaces before the name, or the title's own full stop ("Gov.");
	 * or a comma when the name is set off by commas, as in "the Scottish
	 * Conservative leader, David McLetchie, said" (two words at least) */
	const an_token *tl = TOK(j - 1);
	int after_abbrev = 0, in_commas = 0;
	if (j == i + title->len && gap_comma(t, j - 1)) {
		in_commas = 1;
		after_abbrev = 1; /* a capital after the comma is no sentence start */
	} else if (!gap_space(t, j - 1)) {
		if (j != i + title->len || !(title->pflags & GZ_P_PERIOD) ||
		    !dot_after(t, j - 1))
			return i;
		for (uint32_t p = tl->end + 1; p < TOK(j)->start; p++)
			if (t->src[p] != ' ')
				return i;
		after_abbrev = 1;
	}
	/* "spokesman Mr Kemp", "Dr. Ana Ruiz" */
	if (j + 1 < n && honorific(t, j)) {
		if (gap_space(t, j)) {
			j++;
		} else if (dot_after(t, j) && TOK(j + 1)->start == TOK(j)->end + 2 &&
		           t->src[TOK(j)->end + 1] == ' ') {
			j++;
			after_abbrev = 1;
		}
	}
	size_t nsur = 0;
	size_t e = name_at(t, j, after_abbrev, &nsur);
	if (e == j)
		return i;
	if (in_commas && (e - j < 2 || e >= n || !gap_comma(t, e - 1) ||
	                  nsur == e - j))
		return i;
	/* "Border Patrol Chief Kessler": an agency's chief may go by surname */
	e = name_check(t, &j, e, &nsur,
	               (te->flags & GZ_E_FULL) && agency < 0 && of_agency < 0);
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
	titled_official(t, te, role, j, e, nsur,
	                agency < 0 && t->last_place >= 0 && t->place_end == back
	                ? g->entries[t->last_place].key : NULL);
	/* "Lords Bingham, Steyn, Hope and Carswell", "Senators Kerry and
	 * Kennedy": a plural title, then names joined by commas and "and" */
	while ((te->flags & GZ_E_PLURAL) && e < n) {
		size_t k = e;
		if (gap_comma(t, e - 1)) {
			if (!strcmp(term(t, k), "and") && k + 1 < n && gap_space(t, k))
				k++;
		} else if (gap_space(t, e - 1) && !strcmp(term(t, k), "and") &&
		           k + 1 < n && gap_space(t, k)) {
			k++;
		} else {
			break;
		}
		size_t ns = 0;
		size_t ke = name_at(t, k, 1, &ns);
		if (ke == k)
			break;
		size_t ka = k;
		ke = name_check(t, &ka, ke, &ns, 0);
		if (ke == ka)
			break;
		titled_official(t, te, role, ka, ke, ns, NULL);
		e = ke;
	}
	return e;
}

/* Words between the comma and the title of an apposition. */
static int appos_filler(const char *w, size_t n)
{
	static const char *const words[] = {
		"the", "a", "an", "now", "former", "ex", "then", "acting", "deputy",
		"junior", "new", "its", "his", "her", "el", "la", "exministro", NULL
	};
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !memcmp(words[i], w, n))
			return 1;
	return 0;
}

/* A name in apposition to a title at token i: "Rhona Brankin, the deputy
 * health minister", "Ed Balls, ex-chief economic adviser to the Treasury".
 * The name has two words at least; after its comma come at most five words
 * on the same clause, then a title flagged appos, or any title followed by
 * "of", "to" or "for" [the] and a government body. Returns the token after
 * the name (i when there is none); the role goes to *role. */
static size_t appos_at(ent_tagger *t, size_t i, const char **role)
{
	size_t n = t->toks->n;
	if (!is_title_case(TOK(i)) || honorific(t, i) || is_common(t, i, 0) ||
	    title_at(t, i) ||
	    analyzer_is_stopword("en", term(t, i), TOK(i)->term_len) ||
	    analyzer_is_stopword("es", term(t, i), TOK(i)->term_len))
		return i;
	/* a person is not "the" or "del" anything: "del Aeropuerto de Gran
	 * Canaria, el Delegado del Gobierno" */
	static const char *const articles[] = {
		"the", "a", "an", "of", "el", "la", "los", "las", "del", "de", "al",
		"un", "una", NULL
	};
	if (i > 0 && !starts_sentence(TOK(i)))
		for (int k = 0; articles[k]; k++)
			if (strlen(articles[k]) == TOK(i - 1)->term_len &&
			    !memcmp(articles[k], term(t, i - 1), TOK(i - 1)->term_len))
				return i;
	size_t nsur = 0;
	size_t e = name_at(t, i, 1, &nsur);
	if (e <= i + 1 || e >= n || !gap_comma(t, e - 1))
		return i;
	size_t a = i;
	size_t e2 = name_check(t, &a, e, &nsur, 1);
	if (e2 != e || a != i)
		return i;
	/* "Aeropuerto de Gran Canaria, el Delegado del Gobierno, ...": a
	 * name with a place or a body in it is a thing; so is one with "al"
	 * or "y" in it ("Volvió al Hotel del Puerto, la delegada ...") */
	for (size_t k = i; k < e; k++) {
		if (!(TOK(k)->flags & (AN_CAP | AN_JOINED)) &&
		    ((TOK(k)->term_len == 2 && !memcmp(term(t, k), "al", 2)) ||
		     (TOK(k)->term_len == 1 && term(t, k)[0] == 'y')))
			return i;
		struct match m;
		best_at(t, k, 0, &m, NULL);
		if (m.entry >= 0 && t->g->entries[m.entry].type != ENT_OFFICIAL)
			return i;
	}
	for (size_t k = e; k < n && k < e + 6; k++) {
		if (k > e && !gap_inside(t, k - 1))
			return i;
		if (k > e && gap_comma(t, k - 1))
			return i;
		struct match m, title;
		best_at(t, k, 0, &m, &title);
		if (title.entry >= 0) {
			const gz_entry *te = &t->g->entries[title.entry];
			size_t j = k + title.len;
			if (te->flags & GZ_E_APPOS) {
				*role = te->key;
				return e;
			}
			if (j + 1 < n && (!strcmp(term(t, j), "of") ||
			                  !strcmp(term(t, j), "to") ||
			                  !strcmp(term(t, j), "for"))) {
				j++;
				if (j + 1 < n && !strcmp(term(t, j), "the"))
					j++;
				best_at(t, j, 0, &m, NULL);
				if (m.entry >= 0 &&
				    t->g->entries[m.entry].type == ENT_AGENCY) {
					*role = te->key;
					return e;
				}
			}
			return i;
		}
		if (!appos_filler(term(t, k), TOK(k)->term_len) &&
		    (TOK(k)->flags & (AN_CAP | AN_ALLCAPS)) && m.entry < 0)
			return i; /* another name: "Bob Lee, Acme Corp chairman" */
	}
	return i;
}

/* "Iraqi Air Force", "Royal Moroccan Air Force": an armed force (flag
 * national) after one or two capitalised words on its line, not a title,
 * a place or a sentence's first stop word, is that country's, keyed with
 * those words. Emits it and returns 1; 0 when the force stands alone. */
static int g_national(ent_tagger *t, int32_t entry, size_t i, size_t next)
{
	const gz_entry *e = &t->g->entries[entry];
	if (!(e->flags & GZ_E_NATIONAL) || (TOK(i)->flags & AN_ALLCAPS))
		return 0;
	size_t a = i;
	while (a > 0 && i - a < 2 && is_title_case(TOK(a - 1)) &&
	       gap_blank(t, a - 1) && !sentence_word(t, a - 1) &&
	       !title_at(t, a - 1) && !honorific(t, a - 1) &&
	       !(t->tc[a - 1] & TC_TITLE))
		a--;
	if (a == i)
		return 0;
	/* "the U.S. Army" has its own row; a place before it ("Texas Army
	 * National Guard") is tagged as the place */
	struct match m;
	best_at(t, a, 0, &m, NULL);
	if (m.entry >= 0 && m.len < next - a)
		return 0;
	join_terms(t, a, next, &t->tmp);
	const char *key = keep(t, t->tmp.buf, t->tmp.len);
	const char *disp = keep(t, t->src + TOK(a)->start,
	                        TOK(next - 1)->end - TOK(a)->start);
	emit(t, ENT_AGENCY, key, disp, NULL, a, next - 1, TOK(next - 1)->end);
	return 1;
}

/* Places, agencies and people at token i. Returns the first token not
 * consumed (i when nothing matched). */
static size_t layer_a(ent_tagger *t, size_t i)
{
	struct match m, title;
	best_at(t, i, 0, &m, &title);
	if (title.entry >= 0 && title.len >= m.len) {
		size_t e = official_at(t, i, &title);
		if (e > i)
			return e;
	}
	struct official *who = NULL;
	size_t ml = memory_at(t, i, &who);
	if (ml && ml >= m.len) {
		emit_official(t, who, who->role, i, i + ml);
		return i + ml;
	}
	if (m.entry >= 0 && t->g->entries[m.entry].type == ENT_OFFICIAL) {
		const struct official *o = remember_entry(t, m.entry);
		emit_official(t, o, o->role, i, i + m.len);
		return i + m.len;
	}
	const char *arole = NULL;
	size_t ae = m.entry < 0 ? appos_at(t, i, &arole) : i;
	if (ae > i) {
		size_t nsur = 1;
		while (nsur < ae - i && (TOK(ae - nsur)->flags & AN_JOINED))
			nsur++;
		const struct official *o = remember(t, i, ae, nsur, arole);
		emit_official(t, o, arole, i, ae);
		return ae;
	}
	/* "Mr Blair", "Thatcher": officeholders by surname */
	int honored = i + 1 < t->toks->n && honorific(t, i) &&
	              (gap_space(t, i) || (dot_after(t, i) &&
	                                   TOK(i + 1)->start <= TOK(i)->end + 2));
	int32_t sent = -1;
	size_t sl = m.entry < 0 ? surname_at(t, honored ? i + 1 : i, honored, NULL,
	                                     &sent)
	                        : 0;
	if (sl) {
		size_t a = honored ? i + 1 : i;
		const struct official *o = sent >= 0 ? remember_entry(t, sent)
		                                     : remember(t, a, a + sl, sl, NULL);
		emit_official(t, o, o->role, a, a + sl);
		return a + sl;
	}
	if (m.entry < 0)
		return i;
	size_t next = i + m.len;
	if (g_national(t, m.entry, i, next))
		return next;
	emit_entry(t, m.entry, i, next - 1);
	if (m.state >= 0) {
		emit_entry(t, m.state, next, next + m.slen - 1);
		next += m.slen;
	}
	return next;
}

/* Whether folded word w says the text is about immigration, borders,
 * asylum or refugees: the context that responses need (GUIDELINES: a
 * lawsuit or an arrest elsewhere is none). Word starts, both languages. */
static int immig_word(const char *w, size_t n)
{
	static const char *const roots[] = {
		"immigra", "inmigra", "emigra", "migra", "migrant", "asylum",
		"asilo", "refugee", "refugiad", "deport", "border", "frontera",
		"fronteriz", "sanctuary", "santuario", "undocumented", "detainer",
		"indocumentad", "naturaliz", "nationality", "citizenship",
		"ciudadan", NULL
	};
	for (int k = 0; roots[k]; k++) {
		size_t rl = strlen(roots[k]);
		if (n >= rl && !memcmp(w, roots[k], rl))
			return 1;
	}
	return 0;
}

/* Whether mention m needs immigration context: a response, or an agency
 * flagged immig (ICE, INS, CBP: acronyms that are words or other things
 * outside immigration coverage - hockey's ice, an inertial navigation
 * system). */
static int needs_context(ent_tagger *t, const ent_mention *m)
{
	if (m->type == ENT_RESPONSE)
		return 1;
	if (m->type != ENT_AGENCY)
		return 0;
	strbuf *k = &t->tmp;
	sb_reset(k);
	sb_addch(k, '0' + ENT_AGENCY);
	sb_addch(k, 0x1f);
	sb_addstr(k, m->key);
	uint32_t n;
	const uint32_t *v = gz_map_get(&t->g->alias, k->buf, k->len, &n);
	for (uint32_t i = 0; i < n; i++)
		if (t->g->entries[v[i]].key == m->key &&
		    (t->g->entries[v[i]].flags & GZ_E_IMMIG))
			return 1;
	return 0;
}

void ent_tagger_end_article(ent_tagger *t, ent_mentions *out)
{
	if (t->immig || t->art_out != out)
		return;
	size_t k = t->art_first;
	for (size_t m = t->art_first; m < out->n; m++)
		if (!needs_context(t, &out->v[m]))
			out->v[k++] = out->v[m];
	out->n = k;
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
	t->lang = t->article_lang;
	t->last_agency = -1;
	t->agency_end = 0;
	t->last_place = -1;
	t->place_end = 0;
	if (t->cap_sc < n) {
		free(t->sc);
		t->cap_sc = n;
		t->sc = xmalloc(n * sizeof *t->sc);
	}
	memset(t->sc, 0xff, n * sizeof *t->sc); /* every off -1: not yet */
	sb_reset(&t->stems);
	if (t->cap_tc < n) {
		free(t->tc);
		t->cap_tc = n;
		t->tc = xmalloc(n);
	}
	t->in_sig = 0;
	mark_title_case(t);
	if (t->art_out != out || out->n < t->art_first) {
		t->art_out = out;
		t->art_first = out->n;
	}

	for (size_t i = 0; i < n && !t->immig; i++)
		t->immig = immig_word(term(t, i), TOK(i)->term_len);
	size_t next_a = 0, next_b = 0;
	for (size_t i = 0; i < n; i++) {
		if (i >= next_a)
			next_a = layer_a(t, i);
		if (i < next_b)
			continue;
		struct match m;
		best_at(t, i, 1, &m, NULL);
		/* not inside an agency's name ("Office of Refugee Resettlement") */
		if (m.entry >= 0 && !(t->last_agency >= 0 &&
		                      i >= t->agency_first &&
		                      i + m.len <= t->agency_end)) {
			emit_entry(t, m.entry, i, i + m.len - 1);
			next_b = i + m.len;
		}
	}
	t->src = NULL;
	t->toks = NULL;
	t->out = NULL;
}
