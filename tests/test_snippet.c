/* Tests of snippet highlighting against a plain reference: a token is a
 * query word when its folded form is one, or when it shares a stem with one
 * in some language of the index. The snippet code skips stemming tokens
 * whose first byte no query stem has, in languages whose stemmers keep a
 * word's first byte (analyzer_stem_keeps_first_byte); these tests check
 * that rule on every distinct word of the news corpora (skipped when
 * ../shared/corpora is absent) and that skipping never changes a match. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <libstemmer.h>
#include <sys/stat.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../indexer/analyzer.h"
#include "../searcher/query_ast.h"
#include "../searcher/search_internal.h"
#include "../searcher/snippet.h"
#include "helpers/run.h"

/* ---- fixtures ------------------------------------------------------------ */

/* A database handle with only what snippets use: the analyzer and the
 * languages. Owned by the caller: fake_db_free. */
static lede_db *fake_db_new(const char *langs)
{
	lede_db *db = xcalloc(1, sizeof *db);
	db->an = analyzer_new();
	db->langs = xstrdup(langs);
	return db;
}

static void fake_db_free(lede_db *db)
{
	analyzer_free(db->an);
	free(db->langs);
	free(db);
}

/* A parsed query and its highlights; both owned by the struct. */
typedef struct parsed {
	q_node *root;
	q_highlights h;
} parsed;

static void parse(lede_db *db, const char *q, parsed *out)
{
	query_parse_opts o = QUERY_PARSE_OPTS_INIT;
	strbuf err = STRBUF_INIT;
	int rc = query_parse(db->an, q, strlen(q), &o, &out->root, &err);
	if (rc != 0)
		fail_msg("query %s: %s", q, sb_cstr(&err));
	sb_release(&err);
	out->h = (q_highlights)Q_HIGHLIGHTS_INIT;
	q_collect_highlights(out->root, &out->h);
}

static void parsed_release(parsed *p)
{
	q_highlights_release(&p->h);
	q_node_free(p->root);
}

/* The reference: whether a folded token is one of the query words, by
 * comparing every stem of it with every stem of each query word in every
 * language, nothing skipped. */
static int ref_is_query_word(lede_db *db, const q_highlights *h,
                             const char *w, size_t len)
{
	strbuf qs = STRBUF_INIT;
	int hit = 0;
	char langs[64];
	snprintf(langs, sizeof langs, "%s", db->langs);
	for (size_t i = 0; i < h->n && !hit; i++)
		for (size_t j = 0; j < h->v[i].nterms && !hit; j++) {
			const q_term *t = &h->v[i].terms[j];
			if (t->len == len && memcmp(t->text, w, len) == 0)
				hit = 1;
			sb_reset(&qs);
			size_t nq = search_stems(db, t->text, t->len, &qs);
			for (char *save = NULL, *l = strtok_r(langs, ",", &save);
			     l && !hit; l = strtok_r(NULL, ",", &save)) {
				size_t sl;
				const char *st = analyzer_stem(db->an, l, w, len, &sl);
				if (!st)
					continue;
				const char *q = sb_cstr(&qs);
				for (size_t k = 0; k < nq; k++, q += strlen(q) + 1)
					if (strlen(q) == sl && memcmp(q, st, sl) == 0)
						hit = 1;
			}
			snprintf(langs, sizeof langs, "%s", db->langs);
		}
	sb_release(&qs);
	return hit;
}

/* Every highlight of a query of single words over text, as the reference
 * finds them, must be exactly the snippet's (the whole text fits). */
static void check_against_reference(lede_db *db, const char *query,
                                    const char *text, size_t len)
{
	parsed p;
	parse(db, query, &p);
	snippet s = SNIPPET_INIT;
	snippet_make(db, text, len, &p.h, len + 1, &s);
	assert_int_equal(s.text.len, len);

	an_tokens toks = AN_TOKENS_INIT;
	analyzer_tokenize(db->an, text, len, 0, &toks);
	size_t k = 0;
	for (size_t t = 0; t < toks.n; t++) {
		const an_token *x = &toks.v[t];
		if (!ref_is_query_word(db, &p.h, an_term(&toks, x), x->term_len))
			continue;
		if (k >= s.nspans || s.spans[k].start != x->start ||
		    s.spans[k].end != x->end)
			fail_msg("query '%s': '%.*s' at %u should be highlighted "
			         "(span %zu of %zu)", query, (int)(x->end - x->start),
			         text + x->start, x->start, k, s.nspans);
		k++;
	}
	if (k != s.nspans)
		fail_msg("query '%s': %zu highlights, the reference has %zu "
		         "(extra at %u)", query, s.nspans, k, s.spans[k].start);
	an_tokens_release(&toks);
	snippet_release(&s);
	parsed_release(&p);
}

/* The highlighted strings of query over text, joined by '|'. Owned by the
 * caller. */
static char *highlights(lede_db *db, const char *query, const char *text)
{
	parsed p;
	parse(db, query, &p);
	snippet s = SNIPPET_INIT;
	snippet_make(db, text, strlen(text), &p.h, strlen(text) + 1, &s);
	strbuf o = STRBUF_INIT;
	for (size_t i = 0; i < s.nspans; i++) {
		if (i)
			sb_addch(&o, '|');
		sb_add(&o, s.text.buf + s.spans[i].start,
		       s.spans[i].end - s.spans[i].start);
	}
	snippet_release(&s);
	parsed_release(&p);
	char *r = xstrdup(sb_cstr(&o));
	sb_release(&o);
	return r;
}

static void assert_highlights(lede_db *db, const char *query,
                              const char *text, const char *want)
{
	char *got = highlights(db, query, text);
	if (strcmp(got, want) != 0)
		fail_msg("query '%s' on '%s': highlighted '%s', want '%s'", query,
		         text, got, want);
	free(got);
}

/* ---- the languages with the property -------------------------------------- */

static void test_keeps_first_byte_languages(void **state)
{
	(void)state;
	const char *yes[] = { "en", "es", "english", "spanish", "porter", "EN" };
	const char *no[] = { "id", "indonesian", "ga", "irish", "ar", "arabic",
	                     "fr", "de", "xx", "", "englishx" };
	for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++)
		if (!analyzer_stem_keeps_first_byte(yes[k]))
			fail_msg("%s should keep first bytes", yes[k]);
	for (size_t k = 0; k < sizeof no / sizeof no[0]; k++)
		if (analyzer_stem_keeps_first_byte(no[k]))
			fail_msg("%s should not be listed", no[k]);
}

/* Why the list is short: a prefix-stripping stemmer moves the first byte. */
static void test_indonesian_moves_first_byte(void **state)
{
	(void)state;
	analyzer *a = analyzer_new();
	size_t sl;
	const char *st = analyzer_stem(a, "id", "dibuat", 6, &sl);
	assert_non_null(st);
	assert_int_equal(sl, 4);
	assert_memory_equal(st, "buat", 4);
	analyzer_free(a);
}

/* ---- the property over every word of the corpora -------------------------- */

static char corpora[4096];

static int find_corpora(void)
{
	return run_find_corpora(corpora, sizeof corpora);
}

/* Distinct folded words, as the tokenizer gives them. */
typedef struct wordset {
	strbuf arena;        /* words, NUL-terminated */
	size_t *off, n, cap;
} wordset;

static void wordset_add_text(analyzer *a, wordset *ws, const char *text,
                             size_t len, an_tokens *toks)
{
	an_tokens_clear(toks);
	analyzer_tokenize(a, text, len, 0, toks);
	for (size_t t = 0; t < toks->n; t++) {
		XGROW(ws->off, ws->cap, ws->n + 1);
		ws->off[ws->n++] = ws->arena.len;
		sb_add(&ws->arena, an_term(toks, &toks->v[t]),
		       toks->v[t].term_len);
		sb_addch(&ws->arena, '\0');
	}
}

static int read_file(const char *path, strbuf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char buf[65536];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(out, buf, got);
	fclose(f);
	return 0;
}

/* The words of every BBC article; returns how many files were read. */
static size_t add_bbc(analyzer *a, wordset *ws, an_tokens *toks)
{
	static const char *topics[] = { "business", "entertainment", "politics",
	                                 "sport", "tech" };
	size_t files = 0;
	strbuf body = STRBUF_INIT;
	for (size_t k = 0; k < sizeof topics / sizeof topics[0]; k++) {
		char dir[4200];
		snprintf(dir, sizeof dir, "%s/bbc/%s", corpora, topics[k]);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		for (struct dirent *e; (e = readdir(d)) != NULL;) {
			if (!strstr(e->d_name, ".txt"))
				continue;
			char path[4500];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			sb_reset(&body);
			if (read_file(path, &body) == 0) {
				wordset_add_text(a, ws, body.buf, body.len, toks);
				files++;
			}
		}
		closedir(d);
	}
	sb_release(&body);
	return files;
}

/* The words of every title and text of the Spanish news; returns how many
 * records were read. */
static size_t add_spanish(analyzer *a, wordset *ws, an_tokens *toks)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/spanish_news.jsonl", corpora);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t records = 0;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		if (!o)
			continue;
		const char *keys[] = { "title", "text" };
		for (size_t k = 0; k < 2; k++) {
			json_t *v = json_object_get(o, keys[k]);
			if (json_is_string(v))
				wordset_add_text(a, ws, json_string_value(v),
				                 json_string_length(v), toks);
		}
		json_decref(o);
		records++;
	}
	free(line);
	fclose(f);
	return records;
}

static const char *ws_arena;

static int off_cmp(const void *x, const void *y)
{
	return strcmp(ws_arena + *(const size_t *)x, ws_arena + *(const size_t *)y);
}

static void test_keeps_first_byte_on_corpora(void **state)
{
	(void)state;
	if (!find_corpora())
		skip();
	analyzer *a = analyzer_new();
	wordset ws = { STRBUF_INIT, NULL, 0, 0 };
	an_tokens toks = AN_TOKENS_INIT;
	size_t files = add_bbc(a, &ws, &toks);
	size_t records = add_spanish(a, &ws, &toks);
	if (files == 0 && records == 0)
		skip();
	ws_arena = ws.arena.buf;
	qsort(ws.off, ws.n, sizeof *ws.off, off_cmp);

	/* every language that claims the property, so that one added to the
	 * list is checked here too */
	const char *langs[64];
	size_t nlangs = 0;
	for (const char **l = sb_stemmer_list(); *l && nlangs < 64; l++)
		if (analyzer_stem_keeps_first_byte(*l))
			langs[nlangs++] = *l;
	assert_true(nlangs >= 3);
	size_t distinct = 0;
	for (size_t k = 0; k < ws.n; k++) {
		const char *w = ws.arena.buf + ws.off[k];
		if (k && strcmp(w, ws.arena.buf + ws.off[k - 1]) == 0)
			continue;
		distinct++;
		size_t len = strlen(w);
		for (size_t l = 0; l < nlangs; l++) {
			size_t sl;
			const char *st = analyzer_stem(a, langs[l], w, len, &sl);
			assert_non_null(st);
			if (sl && st[0] != w[0])
				fail_msg("%s stems '%s' to '%.*s'", langs[l], w,
				         (int)sl, st);
		}
	}
	print_message("%zu distinct words (%zu BBC files, %zu Spanish records), "
	              "%zu languages\n", distinct, files, records, nlangs);
	/* a corpus that was read at all has many thousands of words */
	assert_true(distinct > 1000);
	an_tokens_release(&toks);
	sb_release(&ws.arena);
	free(ws.off);
	analyzer_free(a);
}

/* ---- skipping never changes a match ---------------------------------------- */

static const char english_text[] =
	"Immigrants and immigration: the Home Office said asylum seekers were "
	"running out of time. Dying, lying and tying are odd stems; so are "
	"skies, news, U.S. officials, e-mail and 1,500 yachts. Ministers "
	"deported 42 people, and a deportation flight left on Tuesday.";

static const char spanish_text[] =
	"La deportación de inmigrantes en la frontera: el Gobierno español "
	"anunció deportaciones y nuevas medidas de inmigración. Los niños "
	"ácidos corrían; el Ministerio del Interior informó el martes.";

static void test_prefilter_matches_reference_en_es(void **state)
{
	(void)state;
	lede_db *db = fake_db_new("en,es");
	const char *queries[] = {
		"immigration asylum", "deportation running", "dying lies ties",
		"sky yacht", "news official", "the of and", "gobierno deportación",
		"inmigrantes fronteras", "niño ácido corría", "ministerio interior",
		"u.s. email", "1,500 42", "Tuesday martes",
	};
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		check_against_reference(db, queries[q], english_text,
		                        sizeof english_text - 1);
		check_against_reference(db, queries[q], spanish_text,
		                        sizeof spanish_text - 1);
	}
	fake_db_free(db);
}

/* Queries made of words picked from each BBC article, run over it: many
 * tokens are stemmed, many more skipped, and the reference must agree. */
static void test_prefilter_matches_reference_bbc(void **state)
{
	(void)state;
	if (!find_corpora())
		skip();
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/bbc/politics", corpora);
	DIR *d = opendir(dir);
	if (!d)
		skip();
	lede_db *db = fake_db_new("en,es");
	an_tokens toks = AN_TOKENS_INIT;
	strbuf body = STRBUF_INIT, q = STRBUF_INIT;
	size_t done = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL && done < 60;) {
		if (!strstr(e->d_name, ".txt"))
			continue;
		char path[4500];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		sb_reset(&body);
		if (read_file(path, &body) != 0)
			continue;
		an_tokens_clear(&toks);
		analyzer_tokenize(db->an, body.buf, body.len, 0, &toks);
		if (toks.n < 50)
			continue;
		sb_reset(&q);
		for (size_t t = 7; t < toks.n; t += toks.n / 5) {
			const an_token *x = &toks.v[t];
			if (x->kind != AN_WORD)
				continue;
			sb_add(&q, body.buf + x->start, x->end - x->start);
			sb_addch(&q, ' ');
		}
		if (q.len == 0)
			continue;
		check_against_reference(db, sb_cstr(&q), body.buf, body.len);
		done++;
	}
	closedir(d);
	assert_true(done > 10);
	sb_release(&body);
	sb_release(&q);
	an_tokens_release(&toks);
	fake_db_free(db);
}

/* A language without the property is stemmed for every token: "dibuat"
 * stems to "buat" in Indonesian though it starts with another byte, alone
 * and next to English (whose stemming of it is skipped). */
static void test_prefix_stripping_language_still_stems(void **state)
{
	(void)state;
	const char *text = "Rumah itu dibuat kemarin, buatan lokal.";
	lede_db *id = fake_db_new("id");
	assert_highlights(id, "buat", text, "dibuat|buatan");
	check_against_reference(id, "buat", text, strlen(text));
	fake_db_free(id);
	lede_db *mixed = fake_db_new("en,id");
	assert_highlights(mixed, "buat", text, "dibuat|buatan");
	check_against_reference(mixed, "buat rumah", text, strlen(text));
	fake_db_free(mixed);
	/* and English alone does not make "dibuat" a form of "buat" */
	lede_db *en = fake_db_new("en");
	assert_highlights(en, "buat", text, "");
	fake_db_free(en);
}

/* Porter stems "s" to "": an empty stem is not a first byte, and a query
 * with one must still find every token that stems to it. */
static void test_empty_stem(void **state)
{
	(void)state;
	lede_db *db = fake_db_new("en,porter");
	size_t sl;
	assert_non_null(analyzer_stem(db->an, "porter", "s", 1, &sl));
	assert_int_equal(sl, 0);
	const char *text = "Plan S, plan s and the letters s, ss and sss.";
	check_against_reference(db, "s", text, strlen(text));
	check_against_reference(db, "plan letters", text, strlen(text));
	assert_highlights(db, "s", text, "S|s|s");
	fake_db_free(db);
}

/* Stop words, phrases of them, and the exact-form comparison (the only one
 * left when no language of the index has a stemmer). */
static void test_stop_words_and_exact_forms(void **state)
{
	(void)state;
	lede_db *db = fake_db_new("en,es");
	assert_highlights(db, "\"city of los angeles\"",
	                  "Police in the City of Los Angeles said, of course.",
	                  "City of Los Angeles");
	assert_highlights(db, "the", "The cat, the dog and those owners.",
	                  "The|the");
	assert_highlights(db, "de la", "La casa de la playa.", "La|de|la");
	assert_highlights(db, "\"tony blair\"", "Tony Blair met Tony Benn.",
	                  "Tony Blair");
	fake_db_free(db);

	lede_db *none = fake_db_new("xx");
	assert_highlights(none, "running", "Running runs and running.",
	                  "Running|running");
	fake_db_free(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_first_byte_languages),
		cmocka_unit_test(test_indonesian_moves_first_byte),
		cmocka_unit_test(test_keeps_first_byte_on_corpora),
		cmocka_unit_test(test_prefilter_matches_reference_en_es),
		cmocka_unit_test(test_prefilter_matches_reference_bbc),
		cmocka_unit_test(test_prefix_stripping_language_still_stems),
		cmocka_unit_test(test_empty_stem),
		cmocka_unit_test(test_stop_words_and_exact_forms),
	};
	return cmocka_run_group_tests_name("snippet", tests, NULL, NULL);
}
