/* Snippet windows and highlight offsets; see snippet.h. */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"

/* The stems of one word, NUL-separated, and how many. */
typedef struct stems {
	strbuf s;
	size_t n;
} stems;

static int stems_meet(const stems *a, const stems *b)
{
	const char *x = sb_cstr(&a->s);
	for (size_t i = 0; i < a->n; i++) {
		const char *y = sb_cstr(&b->s);
		for (size_t j = 0; j < b->n; j++) {
			if (strcmp(x, y) == 0)
				return 1;
			y += strlen(y) + 1;
		}
		x += strlen(x) + 1;
	}
	return 0;
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
	/* stems of each query term, then of each token */
	size_t nq = 0;
	for (size_t i = 0; i < h->n; i++)
		nq += h->v[i].nterms;
	stems *qs = xcalloc(nq ? nq : 1, sizeof *qs);
	size_t k = 0;
	for (size_t i = 0; i < h->n; i++)
		for (size_t j = 0; j < h->v[i].nterms; j++, k++)
			qs[k].n = search_stems(db, h->v[i].terms[j].text,
			                       h->v[i].terms[j].len, &qs[k].s);
	stems *ts = xcalloc(toks.n ? toks.n : 1, sizeof *ts);
	for (size_t t = 0; t < toks.n; t++)
		ts[t].n = search_stems(db, an_term(&toks, &toks.v[t]),
		                       toks.v[t].term_len, &ts[t].s);

	snippet all = SNIPPET_INIT;
	k = 0;
	for (size_t i = 0; i < h->n; i++) {
		size_t n = h->v[i].nterms;
		for (size_t t = 0; n && t + n <= toks.n; t++) {
			size_t m = 0;
			while (m < n && stems_meet(&ts[t + m], &qs[k + m]))
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
	for (size_t i = 0; i < nq; i++)
		sb_release(&qs[i].s);
	for (size_t t = 0; t < toks.n; t++)
		sb_release(&ts[t].s);
	free(qs);
	free(ts);
	an_tokens_release(&toks);
}

void snippet_release(snippet *s)
{
	sb_release(&s->text);
	free(s->spans);
	s->spans = NULL;
	s->nspans = s->cap = 0;
}
