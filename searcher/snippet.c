/* Snippet windows and highlight offsets; see snippet.h. */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"

/* At most this many query words are looked for (a query of more is
 * highlighted on its first 64 words). */
#define MAX_QUERY_WORDS 64

/* Distinct token forms remembered per search; past this, forms are
 * stemmed each time (memory stays bounded on any input). */
#define CACHE_MAX_FORMS 8192

struct snippet_ctx {
	lede_db *db;
	const q_highlights *h;
	const q_term *qt[MAX_QUERY_WORDS];
	size_t qoff[MAX_QUERY_WORDS], qn[MAX_QUERY_WORDS], nq;
	strbuf qstems;
	char langs[8][16];       /* the index's languages, split once */
	uint8_t keeps_first[8];  /* analyzer_stem_keeps_first_byte, per language */
	size_t nlangs;
	int all_keep_first;      /* every language has keeps_first */
	/* The first bytes of the query words and of all their stems, a bit
	 * each: in a language whose stems keep a word's first byte, a token
	 * starting with any other byte can share a stem with no query word,
	 * so it is not stemmed there (Snowball is most of a snippet's cost).
	 * Such a language may still stem a word to "" (porter: "s"), so an
	 * empty query stem turns the skipping off (keeps_first all 0). */
	uint64_t first_bytes[4];
	an_tokens toks;
	uint64_t *tm;
	size_t tm_cap;
	/* form -> mask: open addressing, slots hold entry index + 1 */
	uint32_t *slots;
	size_t nslots;
	struct form { size_t off; uint32_t len; uint64_t mask; } *forms;
	size_t nforms, forms_cap;
	strbuf arena;            /* the forms' bytes */
};

static void add_first_byte(snippet_ctx *c, unsigned char b)
{
	c->first_bytes[b >> 6] |= (uint64_t)1 << (b & 63);
}

/* Whether word could be a query word or have one's stem in a language that
 * keeps first bytes (an empty word is never ruled out). */
static int first_byte_may_match(const snippet_ctx *c, const char *word,
                                size_t len)
{
	if (len == 0)
		return 1;
	unsigned char b = (unsigned char)word[0];
	return (int)(c->first_bytes[b >> 6] >> (b & 63) & 1);
}

/* Which query words token t matches, as a bit mask: the same folded form,
 * or a shared stem in a language of the index. */
static uint64_t token_matches(snippet_ctx *c, const char *word, size_t len)
{
	uint64_t m = 0;
	int may = first_byte_may_match(c, word, len);
	for (size_t l = 0; l < c->nlangs; l++) {
		if (!may && c->keeps_first[l])
			continue;   /* its stem here starts with no query stem's byte */
		/* analyzer_stem's buffer dies at the next call: only the last
		 * stem can be borrowed, so compare as we go */
		size_t sl;
		const char *st = analyzer_stem(c->db->an, c->langs[l], word, len,
		                               &sl);
		if (!st)
			continue;
		for (size_t i = 0; i < c->nq; i++) {
			const char *q = sb_cstr(&c->qstems) + c->qoff[i];
			for (size_t j = 0; j < c->qn[i]; j++) {
				size_t n = strlen(q);
				if (n == sl && memcmp(q, st, sl) == 0)
					m |= (uint64_t)1 << i;
				q += n + 1;
			}
		}
	}
	for (size_t i = 0; i < c->nq; i++)
		if (c->qt[i]->len == len && memcmp(c->qt[i]->text, word, len) == 0)
			m |= (uint64_t)1 << i;
	return m;
}

static uint64_t form_hash(const char *w, size_t n)
{
	uint64_t h = 1469598103934665603u;   /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 1099511628211u;
	return h;
}

/* Double the hash table (kept under half full) and re-place the forms. */
static void grow_slots(snippet_ctx *c)
{
	free(c->slots);
	c->nslots *= 2;
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	size_t mask = c->nslots - 1;
	for (size_t k = 0; k < c->nforms; k++) {
		const struct form *f = &c->forms[k];
		size_t j = (size_t)form_hash(c->arena.buf + f->off, f->len) & mask;
		while (c->slots[j])
			j = (j + 1) & mask;
		c->slots[j] = (uint32_t)(k + 1);
	}
}

/* token_matches, remembered per form for the whole search. */
static uint64_t cached_matches(snippet_ctx *c, const char *word, size_t len)
{
	if (c->nq == 0)
		return 0;
	/* Stemmed nowhere and not a query word's form: no need to look it up */
	if (c->all_keep_first && !first_byte_may_match(c, word, len))
		return 0;
	size_t mask = c->nslots - 1;
	size_t j = (size_t)form_hash(word, len) & mask;
	for (; c->slots[j]; j = (j + 1) & mask) {
		const struct form *f = &c->forms[c->slots[j] - 1];
		if (f->len == len && memcmp(c->arena.buf + f->off, word, len) == 0)
			return f->mask;
	}
	uint64_t m = token_matches(c, word, len);
	if (c->nforms < CACHE_MAX_FORMS) {
		if (2 * (c->nforms + 1) > c->nslots) {
			grow_slots(c);
			mask = c->nslots - 1;
			j = (size_t)form_hash(word, len) & mask;
			while (c->slots[j])
				j = (j + 1) & mask;
		}
		XGROW(c->forms, c->forms_cap, c->nforms + 1);
		c->forms[c->nforms].off = c->arena.len;
		c->forms[c->nforms].len = (uint32_t)len;
		c->forms[c->nforms].mask = m;
		sb_add(&c->arena, word, len);
		c->slots[j] = (uint32_t)++c->nforms;
	}
	return m;
}

snippet_ctx *snippet_ctx_new(lede_db *db, const q_highlights *h)
{
	snippet_ctx *c = xcalloc(1, sizeof *c);
	c->db = db;
	c->h = h;
	for (size_t i = 0; i < h->n; i++)
		for (size_t j = 0; j < h->v[i].nterms && c->nq < MAX_QUERY_WORDS;
		     j++) {
			c->qt[c->nq] = &h->v[i].terms[j];
			c->qoff[c->nq] = c->qstems.len;
			c->qn[c->nq] = search_stems(db, c->qt[c->nq]->text,
			                            c->qt[c->nq]->len, &c->qstems);
			c->nq++;
		}
	const char *l = db->langs;
	while (*l && c->nlangs < 8) {
		const char *e = strchr(l, ',');
		size_t ll = e ? (size_t)(e - l) : strlen(l);
		if (ll < sizeof c->langs[0]) {
			memcpy(c->langs[c->nlangs], l, ll);
			c->langs[c->nlangs][ll] = '\0';
			c->nlangs++;
		}
		l += ll + (e != NULL);
	}
	int empty_stem = 0;
	for (size_t i = 0; i < c->nq; i++) {
		if (c->qt[i]->len)
			add_first_byte(c, (unsigned char)c->qt[i]->text[0]);
		const char *q = sb_cstr(&c->qstems) + c->qoff[i];
		for (size_t j = 0; j < c->qn[i]; j++) {
			size_t n = strlen(q);
			if (n)
				add_first_byte(c, (unsigned char)q[0]);
			else
				empty_stem = 1;
			q += n + 1;
		}
	}
	c->all_keep_first = !empty_stem;
	for (size_t k = 0; k < c->nlangs; k++) {
		c->keeps_first[k] = (uint8_t)(!empty_stem &&
			analyzer_stem_keeps_first_byte(c->langs[k]));
		c->all_keep_first &= c->keeps_first[k];
	}
	c->nslots = 256;
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	return c;
}

void snippet_ctx_free(snippet_ctx *c)
{
	if (!c)
		return;
	sb_release(&c->qstems);
	sb_release(&c->arena);
	an_tokens_release(&c->toks);
	free(c->tm);
	free(c->slots);
	free(c->forms);
	free(c);
}

static void add_span(snippet *o, uint32_t s, uint32_t e)
{
	XGROW(o->spans, o->cap, o->nspans + 1);
	o->spans[o->nspans].start = s;
	o->spans[o->nspans].end = e;
	o->nspans++;
}

static int span_cmp(const void *a, const void *b)
{
	const lede_span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? 1 : (x->end > y->end ? -1 : 0);
}

/* Sort and merge overlapping spans. */
static void normalise_spans(snippet *o)
{
	if (!o->nspans)
		return;   /* spans is NULL: qsort must not see it */
	if (o->nspans)
		qsort(o->spans, o->nspans, sizeof *o->spans, span_cmp);
	size_t k = 0;
	for (size_t i = 0; i < o->nspans; i++) {
		if (k && o->spans[i].start < o->spans[k - 1].end) {
			if (o->spans[i].end > o->spans[k - 1].end)
				o->spans[k - 1].end = o->spans[i].end;
		} else {
			o->spans[k++] = o->spans[i];
		}
	}
	o->nspans = k;
}

static int is_space(char c) { return c == ' ' || c == '\n' || c == '\t'; }

void snippet_make(lede_db *db, const char *text, size_t len,
                  const q_highlights *h, size_t max_bytes, snippet *out)
{
	snippet_ctx *c = snippet_ctx_new(db, h);
	snippet_make_ctx(c, text, len, max_bytes, out);
	snippet_ctx_free(c);
}

void snippet_make_ctx(snippet_ctx *ctx, const char *text, size_t len,
                      size_t max_bytes, snippet *out)
{
	sb_reset(&out->text);
	out->nspans = 0;
	out->trimmed_start = out->trimmed_end = 0;

	const q_highlights *h = ctx->h;
	an_tokens *tp = &ctx->toks;
	an_tokens_clear(tp);
	analyzer_tokenize(ctx->db->an, text, len, 0, tp);
	an_tokens toks = *tp;   /* a view: the context owns it */
	size_t nq = ctx->nq;
	XGROW(ctx->tm, ctx->tm_cap, toks.n ? toks.n : 1);
	uint64_t *tm = ctx->tm;
	for (size_t t = 0; t < toks.n; t++)
		tm[t] = cached_matches(ctx, an_term(&toks, &toks.v[t]),
		                       toks.v[t].term_len);

	snippet all = SNIPPET_INIT;
	size_t k = 0;
	for (size_t i = 0; i < h->n; i++) {
		size_t n = h->v[i].nterms;
		if (k + n > nq)
			break;
		for (size_t t = 0; n && t + n <= toks.n; t++) {
			size_t m = 0;
			while (m < n && (tm[t + m] >> (k + m) & 1))
				m++;
			if (m == n)
				add_span(&all, toks.v[t].start, toks.v[t + n - 1].end);
		}
		k += n;
	}
	normalise_spans(&all);

	/* The window: start a little before the first highlight that begins
	 * the densest stretch, end at max_bytes, both at spaces. */
	size_t from = 0, to = len;
	if (len > max_bytes) {
		size_t best = 0, best_count = 0;
		for (size_t i = 0; i < all.nspans; i++) {
			size_t c = 0;
			for (size_t j = i; j < all.nspans &&
			     all.spans[j].end <= all.spans[i].start + max_bytes; j++)
				c++;
			if (c > best_count) {
				best_count = c;
				best = i;
			}
		}
		if (best_count) {
			size_t lead = max_bytes / 5;
			from = all.spans[best].start > lead
			       ? all.spans[best].start - lead : 0;
		}
		if (from + max_bytes < len)
			to = from + max_bytes;
		else if (len > max_bytes)
			from = len - max_bytes;
		while (from > 0 && !is_space(text[from - 1]))
			from--;
		if (to < len) {
			size_t cut = to;
			while (cut > from && !is_space(text[cut]))
				cut--;
			if (cut > from)
				to = cut;
		}
		while (to > from && is_space(text[to - 1]))
			to--;
	}
	out->trimmed_start = from > 0;
	out->trimmed_end = to < len;
	sb_add(&out->text, text + from, to - from);
	for (size_t i = 0; i < all.nspans; i++)
		if (all.spans[i].start >= from && all.spans[i].end <= to)
			add_span(out, all.spans[i].start - (uint32_t)from,
			         all.spans[i].end - (uint32_t)from);

	snippet_release(&all);
}

void snippet_release(snippet *s)
{
	sb_release(&s->text);
	free(s->spans);
	s->spans = NULL;
	s->nspans = s->cap = 0;
}
