/* Snippet windows and highlight offsets; see snippet.h. */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"

/* At most this many query words are looked for (a query of more is
 * highlighted on its first 64 words). */
#define MAX_QUERY_WORDS 64

/* Which query words token t matches, as a bit mask: the same folded form,
 * or a shared stem in a language of the index. qstems holds each query
 * word's stems, NUL-separated, at qoff[i] (qn[i] of them). No allocation:
 * this runs for every token of every snippet. */
static uint64_t token_matches(lede_db *db, const char *word, size_t len,
                              const q_term *const *qt, size_t nq,
                              const char *qstems, const size_t *qoff,
                              const size_t *qn)
{
	uint64_t m = 0;
	size_t ns = 0;
	const char *l = db->langs;
	while (*l && ns < 8) {
		const char *e = strchr(l, ',');
		size_t ll = e ? (size_t)(e - l) : strlen(l);
		char lang[16];
		if (ll < sizeof lang) {
			memcpy(lang, l, ll);
			lang[ll] = '\0';
			/* analyzer_stem's buffer dies at the next call: only the
			 * last stem can be borrowed, so compare as we go */
			size_t sl;
			const char *st = analyzer_stem(db->an, lang, word, len, &sl);
			if (st) {
				for (size_t i = 0; i < nq; i++) {
					const char *q = qstems + qoff[i];
					for (size_t j = 0; j < qn[i]; j++) {
						size_t n = strlen(q);
						if (n == sl && memcmp(q, st, sl) == 0)
							m |= (uint64_t)1 << i;
						q += n + 1;
					}
				}
			}
			ns++;
		}
		l += ll + (e != NULL);
	}
	for (size_t i = 0; i < nq; i++)
		if (qt[i]->len == len && memcmp(qt[i]->text, word, len) == 0)
			m |= (uint64_t)1 << i;
	return m;
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
	sb_reset(&out->text);
	out->nspans = 0;
	out->trimmed_start = out->trimmed_end = 0;

	an_tokens toks = AN_TOKENS_INIT;
	analyzer_tokenize(db->an, text, len, 0, &toks);
	/* the query words, and the stems of each */
	const q_term *qt[MAX_QUERY_WORDS];
	size_t qoff[MAX_QUERY_WORDS], qn[MAX_QUERY_WORDS], nq = 0;
	strbuf qstems = STRBUF_INIT;
	for (size_t i = 0; i < h->n; i++)
		for (size_t j = 0; j < h->v[i].nterms && nq < MAX_QUERY_WORDS; j++) {
			qt[nq] = &h->v[i].terms[j];
			qoff[nq] = qstems.len;
			qn[nq] = search_stems(db, qt[nq]->text, qt[nq]->len, &qstems);
			nq++;
		}
	uint64_t *tm = xcalloc(toks.n ? toks.n : 1, sizeof *tm);
	for (size_t t = 0; t < toks.n; t++)
		tm[t] = token_matches(db, an_term(&toks, &toks.v[t]),
		                      toks.v[t].term_len, qt, nq, sb_cstr(&qstems),
		                      qoff, qn);

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
	sb_release(&qstems);
	free(tm);
	an_tokens_release(&toks);
}

void snippet_release(snippet *s)
{
	sb_release(&s->text);
	free(s->spans);
	s->spans = NULL;
	s->nspans = s->cap = 0;
}
