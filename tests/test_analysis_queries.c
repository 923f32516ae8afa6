/* Phrases, names and languages as a reporter types them, end to end: a
 * fixture archive of our own writing (tests/data/analysis/archive.jsonl,
 * English and Spanish) indexed by the real `lede index`, then a table of
 * queries, each with the articles that must come first and the ones that
 * must not match at all. What it guards: stop words inside phrases
 * ("Los Angeles" is not the Angels), adjacency in plain words (los angeles
 * ranks the city first), languages kept apart (deportación is not sport,
 * an English word never meets a Spanish one through a stem), the stem
 * exceptions, and capitalised names (Homan is not home). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../shim/lx.h"
#include "helpers/run.h"
#include "lede.h"

#define ARCHIVE "tests/data/analysis/archive.jsonl"

typedef struct suite {
	char *dir;
	char *dbpath;
	lede_db *db;
} suite;

static int group_setup(void **state)
{
	suite *s = xcalloc(1, sizeof *s);
	s->dir = run_mkdtemp("analysis");
	char *db = run_path(s->dir, "db");
	char *src = run_path(run_src_dir(), ARCHIVE);
	char *args[] = { "index", "-q", "-d", db, src, NULL };
	if (run_lede_ok(args) != 0)
		return -1;
	free(src);
	if (lede_open(&s->db, db) != LEDE_OK) {
		fprintf(stderr, "open: %s\n", lede_errmsg(s->db));
		return -1;
	}
	s->dbpath = db;
	*state = s;
	return 0;
}

static int group_teardown(void **state)
{
	suite *s = *state;
	lede_close(s->db);
	run_rmtree(s->dir);
	free(s->dir);
	free(s->dbpath);
	free(s);
	return 0;
}

/* Every match of q (the fixture has 21 articles), one hit per article. */
static lede_results *search_all(suite *s, const char *q)
{
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 50;
	o.no_feedback = 1;
	lede_results *r = NULL;
	int rc = lede_search(&r, s->db, q, &o);
	if (rc != LEDE_OK)
		fail_msg("%s: %s", q, lede_errmsg(s->db));
	return r;
}

/* Whether id is in the space-separated list. */
static int listed(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = list; (p = strstr(p, id)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

static size_t words(const char *list)
{
	size_t n = 0;
	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		n++;
		while (*p && *p != ' ')
			p++;
	}
	return n;
}

/* first: the articles that must take the first places, in any order;
 * absent: articles that must not match. */
static const struct {
	const char *q, *first, *absent;
} cases[] = {
	/* stop words are part of a phrase */
	{ "\"Los Angeles\"", "en-la-council es-alcalde",
	  "en-angels-win en-angels-needles" },
	{ "\"los angeles\"", "en-la-council es-alcalde",
	  "en-angels-win en-angels-needles" },
	{ "\"los ángeles\"", "en-la-council es-alcalde", "en-angels-win" },
	{ "Los NEAR/1 Angeles", "en-la-council es-alcalde",
	  "en-angels-win en-angels-needles" },
	{ "\"El Paso\"", "en-el-paso", "en-paso-robles es-paso" },
	{ "\"Las Vegas\"", "en-las-vegas es-las-vegas", "en-vega" },
	{ "\"Zelina Vega\"", "en-vega", "en-las-vegas es-las-vegas" },
	{ "\"city of new york\"", "en-city-new-york", "en-new-york-city" },
	{ "\"The Who\"", "en-the-who", "en-who-mayor" },
	{ "\"to be or not to be\"", "en-hamlet", "en-not-to-be" },
	{ "\"sanctuary ordinance\"", "en-la-council", "es-alcalde" },
	/* adjacent plain words rank above the same words scattered */
	{ "los angeles", "en-la-council", "" },
	{ "el paso", "en-el-paso", "" },
	/* in Spanish "las" is a stop word: no pair, the stem ranks */
	{ "las vegas", "en-las-vegas", "" },
	{ "new york city", "en-city-new-york en-new-york-city", "" },
	/* a capitalised word is the name */
	{ "Homan", "en-homan", "en-home" },
	{ "homan", "en-homan", "en-home" },
	{ "Angeles", "en-la-council es-alcalde",
	  "en-angels-win en-angels-needles" },
	{ "angels", "en-angels-needles en-angels-win en-la-council", "" },
	/* languages never share a stem */
	{ "deportación", "es-deportacion", "es-deportes en-homan" },
	{ "deportados", "es-deportacion", "es-deportes" },
	{ "deportar", "es-deportacion", "es-deportes" },
	{ "deportes lang:es", "es-deportes", "es-deportacion" },
	{ "deportistas", "es-deportes", "es-deportacion" },
	{ "deportivo", "es-deportes", "es-deportacion" },
	{ "deportation", "en-homan", "es-deportacion es-deportes" },
	{ "deportations lang:es", "", "es-deportacion es-deportes en-homan" },
	{ "mayoría", "es-alcalde", "es-mayor en-la-council en-who-mayor" },
	{ "mayor lang:es", "es-mayor", "es-alcalde" },
	{ "mayor lang:en", "en-la-council en-who-mayor", "es-mayor" },
	{ "pasaron", "es-paso", "en-paso-robles en-el-paso" },
	{ "passed", "en-paso-robles en-new-york-city en-la-council "
	  "en-not-to-be", "es-paso" },
	{ "ciudad", "es-mayor es-deportacion", "" },
	{ "ciudades", "es-mayor es-deportacion", "" },
	{ "home", "en-home", "en-homan" },
};

static void test_query_table(void **state)
{
	suite *s = *state;
	int failures = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		lede_results *r = search_all(s, cases[i].q);
		size_t n = lede_results_count(r), want = words(cases[i].first);
		strbuf got = STRBUF_INIT;
		for (size_t k = 0; k < n; k++)
			sb_addf(&got, "%s%s", k ? " " : "",
			        lede_results_hit(r, k)->article_id);
		int ok = n >= want;
		for (size_t k = 0; k < want && k < n; k++)
			ok &= listed(cases[i].first, lede_results_hit(r, k)->article_id);
		for (size_t k = 0; k < n; k++)
			ok &= !listed(cases[i].absent, lede_results_hit(r, k)->article_id);
		if (!ok) {
			print_error("%s: want first {%s}, none of {%s}; got [%s]\n",
			            cases[i].q, cases[i].first, cases[i].absent,
			            sb_cstr(&got));
			failures++;
		}
		sb_release(&got);
		lede_results_free(r);
	}
	assert_int_equal(failures, 0);
	assert_true(sizeof cases / sizeof cases[0] >= 30);
}

/* The snippet marks a phrase whole, its stop words included. */
static void test_phrase_highlight_whole(void **state)
{
	suite *s = *state;
	static const struct { const char *q, *marked; } hl[] = {
		{ "\"city of new york\"", "City of New York" },
		{ "\"The Who\"", "The Who" },
		{ "\"to be or not to be\"", "to be or not to be" },
		{ "\"Los Angeles\"", "Los Angeles" },
	};
	for (size_t i = 0; i < sizeof hl / sizeof hl[0]; i++) {
		lede_results *r = search_all(s, hl[i].q);
		assert_true(lede_results_count(r) > 0);
		/* the hit whose text has the words as written */
		int found = 0, seen = 0;
		for (size_t j = 0; j < lede_results_count(r); j++) {
			const lede_hit *h = lede_results_hit(r, j);
			if (!memmem(h->snippet, h->snippet_len, hl[i].marked,
			            strlen(hl[i].marked)))
				continue;
			seen = 1;
			for (size_t k = 0; k < h->nhighlights; k++) {
				const lede_span *sp = &h->highlights[k];
				found |= sp->end - sp->start == strlen(hl[i].marked) &&
				         memcmp(h->snippet + sp->start, hl[i].marked,
				                strlen(hl[i].marked)) == 0;
			}
		}
		if (!seen || !found)
			fail_msg("%s: no highlight of \"%s\"", hl[i].q, hl[i].marked);
		lede_results_free(r);
	}
}

/* The terms format 4 makes (indexer/index_schema.h): stop words as exact
 * W terms and never as stems, a capitalised inflected word's exact form,
 * Spanish stems behind their tag, no R terms. */
static void test_term_layout(void **state)
{
	suite *s = *state;
	lx_db *db = NULL;
	assert_int_equal(lx_db_open(&db, s->dbpath), 0);
	static const struct { const char *term; int present; } t[] = {
		{ "Wthe", 1 }, { "the", 0 }, { "Wof", 1 }, { "Wlos", 1 },
		{ "Wangeles", 1 }, { "angel", 1 }, { "los", 1 },
		{ "ZESangel", 1 }, { "ZESdeport", 1 }, { "ZESdeporte", 1 },
		{ "ZESdeportist", 1 }, { "ZESmayori", 1 }, { "ZESmayor", 1 },
		{ "deport", 1 }, { "ZESlos", 0 }, { "Rangeles", 0 },
		{ "Sangel", 1 }, { "SZESdeporte", 1 }, { "Wdeportes", 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint64_t tf = 0;
		assert_int_equal(lx_db_termfreq(db, t[i].term, strlen(t[i].term),
		                                &tf, NULL), 0);
		if ((tf > 0) != t[i].present)
			fail_msg("term %s: termfreq %llu", t[i].term,
			         (unsigned long long)tf);
	}
	lx_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_table),
		cmocka_unit_test(test_phrase_highlight_whole),
		cmocka_unit_test(test_term_layout),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
