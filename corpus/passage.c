/* The passage splitter: paragraphs become passages, tiny ones are merged
 * and long ones are cut at sentence boundaries into windows. It runs on every
 * article at indexing time, so it is linear and allocates per call, not per
 * word; it only computes offsets and never copies text. */
#include "passage.h"

#include <stdlib.h>

#include "../common/xalloc.h"

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* State of one call: the body, the options made sane, the output, and a
 * scratch array of sentence starts reused for every long group. */
typedef struct splitter {
	const unsigned char *t;
	size_t target, max, min;
	passage_list *out;
	uint32_t *starts;
	size_t nstarts, capstarts;
} splitter;

static void emit(splitter *s, size_t start, size_t end)
{
	XGROW(s->out->v, s->out->cap, s->out->n + 1);
	s->out->v[s->out->n].start = (uint32_t)start;
	s->out->v[s->out->n].end = (uint32_t)end;
	s->out->n++;
}

/* A window being filled with sentences; words == 0 means empty. */
typedef struct window {
	size_t start, end, words;
	size_t last_words;  /* words of the window emitted before, 0 if none */
} window;

static void window_flush(splitter *s, window *w)
{
	if (w->words == 0)
		return;
	emit(s, w->start, w->end);
	w->last_words = w->words;
	w->words = 0;
}

static void window_add_word(window *w, size_t start, size_t end)
{
	if (w->words == 0)
		w->start = start;
	w->end = end;
	w->words++;
}

/* Count the words of t[a..b) and note the first and last non-space byte. */
static size_t count_words(const unsigned char *t, size_t a, size_t b,
                          size_t *first, size_t *last_end)
{
	size_t words = 0;
	int in_word = 0;
	*first = *last_end = a;
	for (size_t i = a; i < b; i++) {
		if (is_space(t[i])) {
			in_word = 0;
		} else {
			if (!in_word) {
				if (words == 0)
					*first = i;
				words++;
				in_word = 1;
			}
			*last_end = i + 1;
		}
	}
	return words;
}

/* A sentence longer than max words: cut at word boundaries into windows of
 * max words; the remainder stays in w to be joined by what follows. */
static void cut_long_sentence(splitter *s, window *w, size_t a, size_t b)
{
	const unsigned char *t = s->t;
	window_flush(s, w);
	size_t i = a;
	while (i < b) {
		while (i < b && is_space(t[i]))
			i++;
		if (i >= b)
			break;
		size_t ws = i;
		while (i < b && !is_space(t[i]))
			i++;
		window_add_word(w, ws, i);
		if (w->words == s->max)
			window_flush(s, w);
	}
}

/* A group of paragraphs longer than max words: windows of whole sentences,
 * each cut at the sentence boundary nearest target words. */
static void split_group(splitter *s, size_t gs, size_t ge)
{
	s->nstarts = 0;
	passage_sentence_starts((const char *)s->t + gs, ge - gs, &s->starts,
	                        &s->nstarts, &s->capstarts);
	window w = { 0, 0, 0, 0 };
	for (size_t k = 0; k <= s->nstarts; k++) {
		size_t a = k == 0 ? gs : gs + s->starts[k - 1];
		size_t b = k == s->nstarts ? ge : gs + s->starts[k];
		size_t first, last_end;
		size_t n = count_words(s->t, a, b, &first, &last_end);
		if (n == 0)
			continue;
		if (n > s->max) {
			cut_long_sentence(s, &w, a, b);
			continue;
		}
		/* Close the window before this sentence if it would go over
		 * max, or if stopping here is nearer target than going on. */
		if (w.words > 0 &&
		    (w.words + n > s->max || 2 * w.words + n > 2 * s->target))
			window_flush(s, &w);
		if (w.words == 0)
			w.start = first;
		w.end = last_end;
		w.words += n;
	}
	/* A tiny tail joins the window before it when that fits. */
	if (w.words > 0 && w.words < s->min && w.last_words > 0 &&
	    w.last_words + w.words <= s->max && s->out->n > 0) {
		s->out->v[s->out->n - 1].end = (uint32_t)w.end;
		w.words = 0;
	}
	window_flush(s, &w);
}

static void emit_group(splitter *s, size_t gs, size_t ge, size_t words)
{
	if (words <= s->max)
		emit(s, gs, ge);
	else
		split_group(s, gs, ge);
}

void passage_split(const char *body, size_t len, const passage_opts *o,
                   passage_list *out)
{
	static const passage_opts defaults = PASSAGE_OPTS_INIT;
	if (!o)
		o = &defaults;
	out->n = 0;
	if (!body)
		return;
	if (len > UINT32_MAX)
		len = UINT32_MAX; /* offsets are 32-bit; longer bodies truncated */
	splitter s = { (const unsigned char *)body, o->target_words,
	               o->max_words, o->min_words, out, NULL, 0, 0 };
	if (s.max == 0)
		s.max = 1;
	if (s.target == 0 || s.target > s.max)
		s.target = s.max;
	if (s.min > s.max)
		s.min = s.max;

	const unsigned char *t = s.t;
	/* Groups: runs of paragraphs merged until they reach min words. The
	 * last complete group is held back ("pending") so that a tiny final
	 * paragraph can still join it. */
	size_t ps = 0, pe = 0, pw = 0;        /* pending group, pw words */
	int have_pending = 0;
	size_t gs = 0, ge = 0, gw = 0;        /* group being built */
	size_t i = 0;
	while (i < len) {
		/* One paragraph: up to a whitespace run with two newlines. */
		while (i < len && is_space(t[i]))
			i++;
		if (i >= len)
			break;
		size_t pa = i, pz = i, words = 0;
		while (i < len) {
			if (!is_space(t[i])) {
				words++;
				while (i < len && !is_space(t[i]))
					i++;
				pz = i;
				continue;
			}
			size_t j = i, nl = 0;
			while (j < len && is_space(t[j]))
				nl += t[j++] == '\n';
			i = j;
			if (nl >= 2)
				break;
		}
		if (gw == 0)
			gs = pa;
		ge = pz;
		gw += words;
		if (gw >= s.min) {
			if (have_pending)
				emit_group(&s, ps, pe, pw);
			ps = gs, pe = ge, pw = gw;
			have_pending = 1;
			gw = 0;
		}
	}
	if (gw > 0) {
		if (have_pending)
			pe = ge, pw += gw;
		else
			ps = gs, pe = ge, pw = gw;
		have_pending = 1;
	}
	if (have_pending)
		emit_group(&s, ps, pe, pw);
	free(s.starts);
}

void passage_list_release(passage_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
