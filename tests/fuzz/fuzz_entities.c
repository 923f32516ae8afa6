/* Fuzz harness: the text passes that run over an article's tokens after
 * the analyzer: the entity pass (indexer/entities.c) and the quote pass
 * (indexer/quotes.c). Each input is one article: tokenized, then every
 * pass of passes[] runs over it. Mentions and quotes must lie inside the
 * text and the token list, with keys that are non-empty UTF-8. */
#include "fuzz.h"
#include "../../indexer/entities.h"
#include "../../indexer/quotes.h"

#include <stdlib.h>
#include <string.h>

static analyzer *an;
static gazetteer *gaz;
static ent_tagger *tagger;

static void release(void)
{
	ent_tagger_free(tagger);
	gazetteer_free(gaz);
	analyzer_free(an);
}

static void setup(void)
{
	char *err = NULL;
	an = analyzer_new();
	gaz = gazetteer_load_builtin(an, &err);
	FUZZ_CHECK(gaz != NULL);
	tagger = ent_tagger_new(gaz);
	atexit(release);
}

static void entity_pass(const char *text, size_t n, const an_tokens *toks)
{
	ent_mentions m = ENT_MENTIONS_INIT;
	ent_tagger_begin_article(tagger);
	ent_tagger_set_lang(tagger, (n & 1) ? "es" : NULL);
	ent_tag(tagger, text, toks, &m);
	for (size_t i = 0; i < m.n; i++) {
		const ent_mention *e = &m.v[i];
		FUZZ_CHECK(e->type < ENT_NTYPES);
		FUZZ_CHECK(e->start <= e->end && e->end <= n);
		FUZZ_CHECK(e->tok_first <= e->tok_last && e->tok_last < toks->n);
		FUZZ_CHECK(e->key && e->key[0]);
		FUZZ_CHECK(fuzz_utf8_ok(e->key, strlen(e->key)));
		FUZZ_CHECK(e->display && fuzz_utf8_ok(e->display, strlen(e->display)));
	}
	ent_mentions_release(&m);
}

/* Quotes on the entity pass's mentions, as indexing runs them: parts in
 * order, inside the text, not empty, each in a group that starts at or
 * before it; speakers, displays, roles and cues valid UTF-8. */
static void quote_pass(const char *text, size_t n, const an_tokens *toks)
{
	ent_mentions m = ENT_MENTIONS_INIT;
	qt_quotes q = QT_QUOTES_INIT;
	ent_tagger_begin_article(tagger);
	ent_tagger_set_lang(tagger, (n & 1) ? "es" : NULL);
	ent_tag(tagger, text, toks, &m);
	qt_extract(text, n, toks, &m, 0, m.n, (n & 1) ? "es" : "en", &q);
	uint32_t prev = 0;
	for (size_t i = 0; i < q.n; i++) {
		const qt_quote *x = &q.v[i];
		FUZZ_CHECK(x->start < x->end && x->end <= n);
		FUZZ_CHECK(x->start >= prev);
		prev = x->end;
		FUZZ_CHECK(x->group <= i);
		const uint32_t f[4] = { x->speaker, x->display, x->role, x->cue };
		for (int k = 0; k < 4; k++) {
			const char *v = qt_str(&q, f[k]);
			FUZZ_CHECK(f[k] < q.arena.len);
			FUZZ_CHECK(fuzz_utf8_ok(v, strlen(v)));
		}
	}
	qt_quotes_release(&q);
	ent_mentions_release(&m);
}

/* The passes over an article's tokens, in the order indexing runs them. */
static void (*const passes[])(const char *, size_t, const an_tokens *) = {
	entity_pass,
	quote_pass,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!an)
		setup();
	const char *text = (const char *)data;
	an_tokens toks = AN_TOKENS_INIT;
	analyzer_tokenize(an, text, size, 0, &toks);
	for (size_t i = 0; i < sizeof passes / sizeof *passes; i++)
		passes[i](text, size, &toks);
	an_tokens_release(&toks);
	return 0;
}
