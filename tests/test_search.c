/* Tests of the searcher through the public API (include/lede.h) on a small
 * hand-checked archive (tests/data/search/archive.jsonl), indexed once per
 * suite by the real `lede index`: ranking, fields, dates, operators,
 * collapse and near-duplicate folding, snippets, facets, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>

#include "../indexer/index_schema.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../indexer/analyzer.h"
#include "helpers/run.h"
#include "helpers/tcpsrv.h"
#include "lede.h"

#define ARCHIVE "tests/data/search/archive.jsonl"
#define NARTICLES 20

typedef struct suite {
	char *dir;        /* temporary directory holding the database */
	char *dbpath;
	lede_db *db;
	analyzer *an;     /* for folding highlighted text */
	json_t *articles; /* the archive as written: id -> object */
} suite;

static int group_setup(void **state)
{
	suite *s = xcalloc(1, sizeof *s);
	s->dir = run_mkdtemp("search");
	s->dbpath = run_path(s->dir, "db");
	char *src = run_path(run_src_dir(), ARCHIVE);
	/* short passages, so that s17 is split in three (test_passages_*) */
	char *args[] = { "index", "-q", "--passage-words", "120", "-d", s->dbpath,
	                 src, NULL };
	strbuf err = STRBUF_INIT;
	int code = -1;
	if (run_lede(args, NULL, &err, &code) != 0 || code != 0) {
		fprintf(stderr, "lede index failed (%d): %s\n", code, sb_cstr(&err));
		return -1;
	}
	sb_release(&err);
	if (lede_open(&s->db, s->dbpath) != LEDE_OK) {
		fprintf(stderr, "open: %s\n", lede_errmsg(s->db));
		return -1;
	}
	s->an = analyzer_new();
	/* the articles as written, to compare bodies with */
	s->articles = json_object();
	FILE *f = fopen(src, "r");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		if (!o)
			return -1;
		json_object_set_new(s->articles,
		                    json_string_value(json_object_get(o, "id")), o);
	}
	free(line);
	fclose(f);
	free(src);
	*state = s;
	return 0;
}

static int group_teardown(void **state)
{
	suite *s = *state;
	if (!s)
		return 0;
	lede_close(s->db);
	analyzer_free(s->an);
	json_decref(s->articles);
	run_rmtree(s->dir);
	free(s->dir);
	free(s->dbpath);
	free(s);
	return 0;
}

/* Search or fail the test with the library's message. */
static lede_results *search(suite *s, const char *q, const lede_search_opts *o)
{
	lede_results *r = NULL;
	int rc = lede_search(&r, s->db, q, o);
	if (rc != LEDE_OK)
		print_error("query [%s]: %s: %s\n", q, lede_status_string(rc),
		            lede_errmsg(s->db));
	assert_int_equal(rc, LEDE_OK);
	assert_non_null(r);
	return r;
}

/* The article ids of every hit, sorted and space-separated, in out. */
static void hit_ids(const lede_results *r, strbuf *out)
{
	size_t n = lede_results_count(r);
	const char **ids = xcalloc(n ? n : 1, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = lede_results_hit(r, i)->article_id;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
			const char *t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	sb_reset(out);
	for (size_t i = 0; i < n; i++)
		sb_addf(out, "%s%s", i ? " " : "", ids[i]);
	free(ids);
}

/* Sorted ids of all hits of q (limit 1000) with the given dedup setting. */
static void ids_of(suite *s, const char *q, int no_dedup, strbuf *out)
{
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 1000;
	o.no_dedup = no_dedup;
	lede_results *r = search(s, q, &o);
	hit_ids(r, out);
	lede_results_free(r);
}

static void check_ids(suite *s, const char *q, int no_dedup, const char *want)
{
	strbuf got = STRBUF_INIT;
	ids_of(s, q, no_dedup, &got);
	if (strcmp(sb_cstr(&got), want) != 0)
		print_error("query [%s]: got {%s}, want {%s}\n", q, sb_cstr(&got),
		            want);
	assert_string_equal(sb_cstr(&got), want);
	sb_release(&got);
}

static int has_hit(const lede_results *r, const char *id)
{
	for (size_t i = 0; i < lede_results_count(r); i++)
		if (strcmp(lede_results_hit(r, i)->article_id, id) == 0)
			return 1;
	return 0;
}

/* ---- ranking ----------------------------------------------------------- */

static const struct { const char *q, *first; } firsts[] = {
	{ "sanctuary", "s01" },
	{ "\"detention center\"", "s03" },
	{ "Fields", "s04" },
	{ "fields", "s05" },
	{ "ice storm", "s09" },
	{ "deportacion", "s10" },
	{ "redadas", "s19" },
	{ "backlog", "s17" },
	{ "\"mass deportation\"", "s15" },
	{ "National Guard", "s16" },
	{ "climbing wall", "s14" },
	{ "Korver", "s02" },
	{ "legal aid Quintanar", "s12" },
	{ "wall NEAR/3 money", "s06" },
	{ "title:backlog", "s17" },
	{ "emergency", "s06" },
	{ "grants -chicago", "s11" },
	{ "restraining order", "s18" },
	{ "\"no, never\"", "s13" },
	{ "\"órdenes de deportación\"", "s10" },
};

static void test_first_result(void **state)
{
	suite *s = *state;
	for (size_t i = 0; i < sizeof firsts / sizeof *firsts; i++) {
		lede_results *r = search(s, firsts[i].q, NULL);
		const lede_hit *h = lede_results_hit(r, 0);
		if (!h || strcmp(h->article_id, firsts[i].first) != 0)
			print_error("query [%s]: first %s, want %s\n", firsts[i].q,
			            h ? h->article_id : "(none)", firsts[i].first);
		assert_non_null(h);
		assert_string_equal(h->article_id, firsts[i].first);
		assert_int_equal(h->rank, 1);
		assert_true(lede_results_total(r) >= lede_results_count(r));
		/* scores never increase down the list */
		for (size_t k = 1; k < lede_results_count(r); k++)
			assert_true(lede_results_hit(r, k)->score <=
			            lede_results_hit(r, k - 1)->score + 1e-9);
		lede_results_free(r);
	}
}

/* "Fields" the sheriff is not "fields" the farmland. */
static void test_proper_name_not_common_word(void **state)
{
	suite *s = *state;
	lede_results *r = search(s, "Fields", NULL);
	assert_true(has_hit(r, "s04"));
	assert_false(has_hit(r, "s05"));
	lede_results_free(r);
	r = search(s, "fields", NULL);
	assert_true(has_hit(r, "s05"));
	lede_results_free(r);
	/* NEAR keeps words that are far apart out */
	r = search(s, "wall NEAR/3 money", NULL);
	assert_true(has_hit(r, "s06"));
	assert_false(has_hit(r, "s14"));
	lede_results_free(r);
}

static void test_entity_fields(void **state)
{
	suite *s = *state;
	check_ids(s, "city:\"L.A.\"", 0, "s07 s12 s16");
	check_ids(s, "city:\"los angeles\"", 0, "s07 s12 s16");
	check_ids(s, "City:LA", 0, "s07 s12 s16");
	check_ids(s, "city:\"L.A.\"", 1, "s07 s07b s07c s12 s16");
	check_ids(s, "official:marchetti", 0, "s01");
	check_ids(s, "official:\"elena marchetti\"", 0, "s01");
	check_ids(s, "official:Fields", 0, "s04");
	check_ids(s, "agency:ICE", 0, "s02 s04 s10 s13 s15");
	check_ids(s, "agency:\"Immigration and Customs Enforcement\"", 0,
	          "s02 s04 s10 s13 s15");
	check_ids(s, "response:287(g)", 0, "s02");
	check_ids(s, "response:\"287(g) agreement\"", 0, "s02");
	check_ids(s, "source:\"La Voz del Valle\"", 0, "s10 s19");
	check_ids(s, "lang:es", 0, "s10 s19");
	/* a filter narrows without reordering: ranked words plus a city */
	check_ids(s, "sanctuary city:chicago", 0, "s01");
	check_ids(s, "city:nowhere", 0, "");
}

static void test_dates(void **state)
{
	suite *s = *state;
	check_ids(s, "date:..2017", 0, "s01 s02");
	check_ids(s, "date:2025..", 0, "s15 s16 s17 s18");
	check_ids(s, "date:2019-07", 1, "s07 s07b s07c");
	check_ids(s, "date:2018-06-20", 0, "s03");
	check_ids(s, "date:2020-03..2020-10", 0, "s09 s10");

	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.since = "2025";
	o.until = "2025-06";
	lede_results *r = search(s, "city:\"los angeles\"", &o);
	strbuf ids = STRBUF_INIT;
	hit_ids(r, &ids);
	assert_string_equal(sb_cstr(&ids), "s16");
	lede_results_free(r);
	o.since = NULL;
	o.until = "2017-02-10";
	r = search(s, "sanctuary OR 287(g)", &o);
	hit_ids(r, &ids);
	assert_string_equal(sb_cstr(&ids), "s01");
	lede_results_free(r);
	o.until = NULL;
	o.since = "2026-01-01";
	r = search(s, "detention", &o);
	hit_ids(r, &ids);
	assert_string_equal(sb_cstr(&ids), "s18");
	lede_results_free(r);
	sb_release(&ids);
	/* a bad bound is a usage error, not an empty result */
	o.since = "20x5";
	r = (lede_results *)1;
	assert_int_equal(lede_search(&r, s->db, "detention", &o), LEDE_EUSAGE);
	assert_null(r);
	assert_true(strstr(lede_errmsg(s->db), "since") != NULL);
}

/* Date filters against a brute-force check on an archive of partial
 * dates: an article matches when the whole period its date names (a day,
 * a month, a year) lies inside the range, for every pair of ends and open
 * ends, through date: and through --since/--until. */
static const char *const dated[][2] = {
	{ "d01", "2018" },       { "d02", "2019" },       { "d03", "2019-06" },
	{ "d04", "2019-07" },    { "d05", "2019-07-01" }, { "d06", "2019-07-15" },
	{ "d07", "2019-07-31" }, { "d08", "2019-12-31" }, { "d09", "2020-01-01" },
	{ "d10", "2020-02" },    { "d11", "2020-02-29" }, { "d12", "2020-03-01" },
	{ "d13", "2021-05-05" }, { "d14", "" },
};
#define NDATED (sizeof dated / sizeof dated[0])

/* "YYYY[-MM[-DD]]" as the first (as_end: last) day it names, YYYYMMDD. */
static void date_end(const char *spec, int as_end, char out[9])
{
	int y = 0, m = 0, d = 0;
	int n = sscanf(spec, "%d-%d-%d", &y, &m, &d);
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (n < 2)
		m = as_end ? 12 : 1;
	if (n < 3) {
		int last = mdays[m - 1] + (m == 2 && y % 4 == 0 &&
		                           (y % 100 != 0 || y % 400 == 0));
		d = as_end ? last : 1;
	}
	snprintf(out, 9, "%04d%02d%02d", y, m, d);
}

static void dated_expect(const char *from, const char *to, strbuf *want)
{
	char lo[9] = "00000000", hi[9] = "99999999", a[9], b[9];
	if (from)
		date_end(from, 0, lo);
	if (to)
		date_end(to, 1, hi);
	sb_reset(want);
	for (size_t i = 0; i < NDATED; i++) {
		if (!*dated[i][1])
			continue;   /* undated: no date filter keeps it */
		date_end(dated[i][1], 0, a);
		date_end(dated[i][1], 1, b);
		if (strcmp(lo, a) <= 0 && strcmp(b, hi) <= 0)
			sb_addf(want, "%s%s", want->len ? " " : "", dated[i][0]);
	}
}

static void test_date_ranges_brute_force(void **state)
{
	(void)state;
	char *dir = run_mkdtemp("dates");
	char *src = run_path(dir, "dated.jsonl");
	char *dbp = run_path(dir, "db");
	strbuf jl = STRBUF_INIT;
	for (size_t i = 0; i < NDATED; i++)
		sb_addf(&jl, "{\"id\": \"%s\", \"date\": \"%s\", \"title\": "
		        "\"Ledger %s\", \"text\": \"The ledger entry number %zu "
		        "of the council.\"}\n", dated[i][0], dated[i][1], dated[i][0],
		        i);
	assert_int_equal(run_write_file(src, jl.buf, jl.len), 0);
	char *args[] = { "index", "-q", "-d", dbp, src, NULL };
	int code = -1;
	assert_int_equal(run_lede(args, NULL, NULL, &code), 0);
	assert_int_equal(code, 0);
	suite s = { 0 };
	assert_int_equal(lede_open(&s.db, dbp), LEDE_OK);

	const char *ends[] = { NULL, "2018", "2019", "2019-06", "2019-07",
	                       "2019-07-01", "2019-07-15", "2019-07-31",
	                       "2019-12", "2019-12-31", "2020", "2020-02",
	                       "2020-02-28", "2020-02-29", "2020-03", "2021" };
	size_t nends = sizeof ends / sizeof *ends;
	strbuf want = STRBUF_INIT, got = STRBUF_INIT, q = STRBUF_INIT;
	size_t checked = 0;
	for (size_t i = 0; i < nends; i++)
		for (size_t j = 0; j < nends; j++) {
			const char *from = ends[i], *to = ends[j];
			if (!from && !to)
				continue;
			char lo[9], hi[9];
			if (from && to) {
				date_end(from, 0, lo);
				date_end(to, 1, hi);
				if (strcmp(lo, hi) > 0)
					continue;   /* a usage error, tested elsewhere */
			}
			dated_expect(from, to, &want);
			sb_reset(&q);
			sb_addf(&q, "ledger date:%s..%s", from ? from : "",
			        to ? to : "");
			ids_of(&s, sb_cstr(&q), 1, &got);
			if (strcmp(sb_cstr(&got), sb_cstr(&want)) != 0)
				print_error("[%s]: got {%s}, want {%s}\n", sb_cstr(&q),
				            sb_cstr(&got), sb_cstr(&want));
			assert_string_equal(sb_cstr(&got), sb_cstr(&want));
			/* the same range as --since/--until */
			lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
			o.limit = 1000;
			o.no_dedup = 1;
			o.since = from;
			o.until = to;
			lede_results *r = search(&s, "ledger", &o);
			hit_ids(r, &got);
			lede_results_free(r);
			assert_string_equal(sb_cstr(&got), sb_cstr(&want));
			checked++;
		}
	assert_true(checked > 150);
	sb_release(&want);
	sb_release(&got);
	sb_release(&q);
	lede_close(s.db);
	run_rmtree(dir);
	free(dir);
	free(src);
	free(dbp);
	sb_release(&jl);
}

static void test_not_and_exclusion(void **state)
{
	suite *s = *state;
	lede_results *r = search(s, "ice", NULL);
	assert_true(has_hit(r, "s09"));
	lede_results_free(r);
	const char *qs[] = { "ice NOT storm", "ice -storm", "ice AND NOT storm" };
	for (size_t i = 0; i < 3; i++) {
		r = search(s, qs[i], NULL);
		assert_true(lede_results_count(r) > 0);
		assert_false(has_hit(r, "s09"));
		lede_results_free(r);
	}
	r = search(s, "grants", NULL);
	assert_true(has_hit(r, "s01"));
	lede_results_free(r);
	r = search(s, "grants -chicago", NULL);
	assert_false(has_hit(r, "s01"));
	lede_results_free(r);
}

/* Every hit of a boolean query really matches it: nothing ranking adds
 * (pseudo-relevance feedback) may widen the set. */
static void test_match_set_exact(void **state)
{
	suite *s = *state;
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 1000;
	o.passages = 1000;
	const struct { const char *q, *a, *b; int both; } cases[] = {
		{ "said OR dijo", "said", "dijo", 0 },
		{ "immigration AND raids", "immigra", "raids", 1 },
		{ "tuesday OR sunday", "tuesday", "sunday", 0 },
		{ "\"detention center\" OR \"immigration court\"",
		  "detention center", "immigration court", 0 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		lede_results *r = search(s, cases[c].q, &o);
		assert_true(lede_results_count(r) > 0);
		for (size_t i = 0; i < lede_results_count(r); i++) {
			const lede_hit *h = lede_results_hit(r, i);
			lede_article *a;
			assert_int_equal(lede_article_get(&a, s->db, h->article_id),
			                 LEDE_OK);
			assert_true(h->passage_end <= a->body_len);
			/* title words count for every passage of the article */
			strbuf text = STRBUF_INIT;
			sb_addf(&text, "%s\n", a->title);
			sb_add(&text, a->body + h->passage_start,
			       h->passage_end - h->passage_start);
			char *p = sb_detach(&text, NULL);
			int ha = strcasestr(p, cases[c].a) != NULL;
			int hb = strcasestr(p, cases[c].b) != NULL;
			if (cases[c].both ? !(ha && hb) : !(ha || hb))
				print_error("query [%s]: hit %s passage %u does not "
				            "match: %s\n", cases[c].q, h->article_id,
				            h->passage, p);
			assert_true(cases[c].both ? ha && hb : ha || hb);
			free(p);
			lede_article_free(a);
		}
		lede_results_free(r);
	}
}

/* Feedback re-ranks the first pass's best stories on a first page and
 * every match on a deep one; where the first pass holds every match (this
 * small index), both give the same ranking. A story's score may differ a
 * little: the first pass keeps one passage per group of copies, and with
 * feedback another copy's passage may score a word more or less (BM25
 * under 1%; DPH, fused with it, a little more). */
static void test_feedback_rerank_same_order(void **state)
{
	suite *s = *state;
	const char *qs[] = { "immigration raids los angeles",
	                     "mayor sanctuary city council vote",
	                     "federal judge blocked national emergency",
	                     "deportation flights detention center" };
	for (size_t c = 0; c < sizeof qs / sizeof *qs; c++) {
		lede_search_opts page = LEDE_SEARCH_OPTS_INIT, deep = page;
		page.limit = 10;
		deep.limit = 1000;
		lede_results *a = search(s, qs[c], &page);
		lede_results *b = search(s, qs[c], &deep);
		size_t n = lede_results_count(a);
		assert_true(n > 1);
		assert_true(lede_results_count(b) >= n);
		for (size_t i = 0; i < n; i++) {
			const lede_hit *x = lede_results_hit(a, i);
			const lede_hit *y = lede_results_hit(b, i);
			if (strcmp(x->article_id, y->article_id) != 0)
				print_error("query [%s] rank %zu: %s vs %s\n", qs[c],
				            i + 1, x->article_id, y->article_id);
			assert_string_equal(x->article_id, y->article_id);
			assert_int_equal(x->passage, y->passage);
			/* BM25 within 1%, fused with DPH within 3% */
			assert_true(x->score > y->score * 0.97 &&
			            x->score < y->score * 1.03);
		}
		lede_results_free(a);
		lede_results_free(b);
	}
}

/* Rank fusion (search.c fuse_dph): the hits are BM25's, in another order;
 * the first BM25 hit scores 1 + DPH's share; --dph-weight 0 (negative in
 * the API) ranks by BM25 alone; a version 2 struct gets the fusion. */
static void test_dph_fusion(void **state)
{
	suite *s = *state;
	const char *qs[] = { "immigration raids los angeles",
	                     "federal judge blocked national emergency",
	                     "sanctuary", "said OR dijo" };
	int reordered = 0;
	for (size_t c = 0; c < sizeof qs / sizeof *qs; c++) {
		lede_search_opts fused = LEDE_SEARCH_OPTS_INIT, bm25 = fused;
		fused.limit = bm25.limit = 100;
		bm25.dph_weight = -1;
		lede_results *a = search(s, qs[c], &fused);
		lede_results *b = search(s, qs[c], &bm25);
		strbuf ia = STRBUF_INIT, ib = STRBUF_INIT;
		hit_ids(a, &ia);
		hit_ids(b, &ib);
		assert_string_equal(sb_cstr(&ia), sb_cstr(&ib));
		size_t n = lede_results_count(a);
		assert_true(n > 1);
		for (size_t i = 1; i < n; i++) {
			assert_true(lede_results_hit(a, i - 1)->score >=
			            lede_results_hit(a, i)->score);
			assert_true(lede_results_hit(b, i - 1)->score >=
			            lede_results_hit(b, i)->score);
			reordered |= strcmp(lede_results_hit(a, i)->article_id,
			                    lede_results_hit(b, i)->article_id) != 0;
		}
		/* BM25's first hit: 1 for BM25 plus 1 (its own DPH over itself) */
		const char *top = lede_results_hit(b, 0)->article_id;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(lede_results_hit(a, i)->article_id, top))
				assert_true(fabs(lede_results_hit(a, i)->score - 2) < 1e-6);
		/* BM25 alone keeps BM25's scale */
		assert_true(fabs(lede_results_hit(b, 0)->score - 2) > 1e-3);
		sb_release(&ia);
		sb_release(&ib);
		lede_results_free(a);
		lede_results_free(b);
	}
	assert_true(reordered);
	/* a version 2 struct (before dph_weight) is fused by default */
	lede_search_opts v2 = LEDE_SEARCH_OPTS_INIT;
	v2.version = 2;
	v2.dph_weight = -1;   /* past a version 2 struct's end: not read */
	lede_search_opts v3 = LEDE_SEARCH_OPTS_INIT;
	lede_results *r = search(s, "sanctuary", &v2);
	lede_results *d = search(s, "sanctuary", &v3);
	assert_int_equal(lede_results_count(r), lede_results_count(d));
	for (size_t i = 0; i < lede_results_count(r); i++)
		assert_true(lede_results_hit(r, i)->score ==
		            lede_results_hit(d, i)->score);
	lede_results_free(r);
	lede_results_free(d);
}

static void test_match_all(void **state)
{
	suite *s = *state;
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 100;
	lede_results *r = search(s, "climbing money", &o);
	assert_true(has_hit(r, "s14"));
	assert_true(has_hit(r, "s06"));   /* money only */
	lede_results_free(r);
	o.match_all = 1;
	r = search(s, "climbing money", &o);
	assert_int_equal(lede_results_count(r), 1);
	assert_string_equal(lede_results_hit(r, 0)->article_id, "s14");
	lede_results_free(r);
}

static void test_passages_per_article(void **state)
{
	suite *s = *state;
	lede_results *r = search(s, "backlog", NULL);
	assert_int_equal(lede_results_count(r), 1);
	lede_results_free(r);
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.passages = 3;
	r = search(s, "backlog", &o);
	assert_int_equal(lede_results_count(r), 3);
	unsigned seen = 0;
	for (size_t i = 0; i < 3; i++) {
		const lede_hit *h = lede_results_hit(r, i);
		assert_string_equal(h->article_id, "s17");
		assert_true(h->passage < 3);
		seen |= 1u << h->passage;
		assert_true(h->passage_start < h->passage_end);
	}
	assert_int_equal(seen, 7);
	lede_results_free(r);
}

static void test_sort_by_date(void **state)
{
	suite *s = *state;
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 100;
	o.sort = LEDE_SORT_DATE_ASC;
	lede_results *r = search(s, "said OR dijo", &o);
	size_t n = lede_results_count(r);
	assert_true(n >= 8);
	assert_string_equal(lede_results_hit(r, 0)->article_id, "s01");
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(lede_results_hit(r, i - 1)->date,
		                   lede_results_hit(r, i)->date) <= 0);
	lede_results_free(r);
	o.sort = LEDE_SORT_DATE_DESC;
	r = search(s, "said OR dijo", &o);
	assert_int_equal(lede_results_count(r), n);
	assert_string_equal(lede_results_hit(r, 0)->article_id, "s18");
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(lede_results_hit(r, i - 1)->date,
		                   lede_results_hit(r, i)->date) >= 0);
	lede_results_free(r);
}

/* One hit per article (per group of copies) unless asked otherwise. */
static void test_collapse_and_paging(void **state)
{
	suite *s = *state;
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 100;
	o.no_dedup = 1;
	lede_results *all = search(s, "said OR the OR la", &o);
	size_t n = lede_results_count(all);
	assert_true(n >= 15);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(lede_results_hit(all, i)->article_id,
			                        lede_results_hit(all, j)->article_id);
	/* paging: offset k, limit 1 is hit k of the full list */
	for (unsigned k = 0; k < 5; k++) {
		lede_search_opts p = o;
		p.offset = k;
		p.limit = 1;
		lede_results *r = search(s, "said OR the OR la", &p);
		assert_int_equal(lede_results_count(r), 1);
		assert_string_equal(lede_results_hit(r, 0)->article_id,
		                    lede_results_hit(all, k)->article_id);
		assert_int_equal(lede_results_hit(r, 0)->rank, k + 1);
		lede_results_free(r);
	}
	lede_results_free(all);
	/* a limit of 0 means the default, 10 */
	o.limit = 0;
	lede_results *r = search(s, "said OR the OR la", &o);
	assert_int_equal(lede_results_count(r), 10);
	lede_results_free(r);
}

static void test_near_duplicates(void **state)
{
	suite *s = *state;
	const char *q = "raids expected nine cities";
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 100;
	lede_results *r = search(s, q, &o);
	int copies = 0;
	for (size_t i = 0; i < lede_results_count(r); i++) {
		const lede_hit *h = lede_results_hit(r, i);
		if (strncmp(h->article_id, "s07", 3) == 0) {
			copies++;
			assert_int_equal(h->also_in, 2);
		} else {
			assert_int_equal(h->also_in, 0);
		}
	}
	assert_int_equal(copies, 1);
	/* the group is shown as its original, with the original's text */
	const lede_hit *top = lede_results_hit(r, 0);
	assert_string_equal(top->article_id, "s07");
	assert_string_equal(top->source, "Valley Ledger");
	lede_article *orig;
	assert_int_equal(lede_article_get(&orig, s->db, "s07"), LEDE_OK);
	assert_true(top->passage_end <= orig->body_len);
	assert_non_null(memmem(orig->body + top->passage_start,
	                       top->passage_end - top->passage_start,
	                       top->snippet, top->snippet_len));
	lede_article_free(orig);
	lede_results_free(r);
	/* also when a copy's own words rank it first */
	r = search(s, "\"Several church leaders\"", &o);
	assert_int_equal(lede_results_count(r), 1);
	assert_string_equal(lede_results_hit(r, 0)->article_id, "s07");
	assert_int_equal(lede_results_hit(r, 0)->also_in, 2);
	lede_results_free(r);

	o.no_dedup = 1;
	r = search(s, q, &o);
	assert_true(has_hit(r, "s07"));
	assert_true(has_hit(r, "s07b"));
	assert_true(has_hit(r, "s07c"));
	for (size_t i = 0; i < lede_results_count(r); i++)
		assert_int_equal(lede_results_hit(r, i)->also_in, 0);
	lede_results_free(r);

	lede_article *a;
	assert_int_equal(lede_article_get(&a, s->db, "s07c"), LEDE_OK);
	assert_string_equal(a->copy_of, "s07");
	lede_article_free(a);
	assert_int_equal(lede_article_get(&a, s->db, "s07"), LEDE_OK);
	assert_string_equal(a->copy_of, "");
	lede_article_free(a);
}

/* ---- snippets ------------------------------------------------------------ */

/* Folded, with punctuation and runs of spaces made one space. */
static void fold_words(suite *s, const char *p, size_t n, strbuf *out)
{
	strbuf f = STRBUF_INIT;
	analyzer_fold(s->an, p, n, &f);
	sb_reset(out);
	int space = 0;
	for (size_t i = 0; i < f.len; i++) {
		unsigned char c = (unsigned char)f.buf[i];
		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (space && out->len)
				sb_addch(out, ' ');
			space = 0;
			sb_addch(out, (char)c);
		} else {
			space = 1;
		}
	}
	sb_release(&f);
}

static const struct { const char *q; const char *forms; } hl_cases[] = {
	{ "deportacion", "|deportacion|deportation|deportaciones|" },
	{ "\"detention center\"", "|detention center|" },
	{ "sanctuary", "|sanctuary|" },
	{ "ice storm", "|ice|storm|" },
	{ "Fields", "|fields|" },
	{ "\"no, never\"", "|no never|" },
	{ "backlog -storm", "|backlog|" },
	{ "wall NEAR/3 money", "|wall|money|" },
	{ "raids city:\"L.A.\"", "|raids|" },
	{ "title:backlog court", "|backlog|court|courts|" },
};

static void test_snippet_highlights(void **state)
{
	suite *s = *state;
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 100;
	o.passages = 5;
	strbuf w = STRBUF_INIT, pat = STRBUF_INIT;
	for (size_t c = 0; c < sizeof hl_cases / sizeof *hl_cases; c++) {
		lede_results *r = search(s, hl_cases[c].q, &o);
		size_t marked = 0;
		for (size_t i = 0; i < lede_results_count(r); i++) {
			const lede_hit *h = lede_results_hit(r, i);
			assert_int_equal(strlen(h->snippet), h->snippet_len);
			assert_true(h->snippet_len <= 240 + 16);
			for (size_t k = 0; k < h->nhighlights; k++) {
				lede_span sp = h->highlights[k];
				assert_true(sp.start < sp.end);
				assert_true(sp.end <= h->snippet_len);
				if (k)
					assert_true(h->highlights[k - 1].end <= sp.start);
				fold_words(s, h->snippet + sp.start, sp.end - sp.start, &w);
				sb_reset(&pat);
				sb_addf(&pat, "|%s|", sb_cstr(&w));
				if (!strstr(hl_cases[c].forms, sb_cstr(&pat)))
					print_error("query [%s] hit %s: highlighted '%.*s'\n",
					            hl_cases[c].q, h->article_id,
					            (int)(sp.end - sp.start),
					            h->snippet + sp.start);
				assert_non_null(strstr(hl_cases[c].forms, sb_cstr(&pat)));
				marked++;
			}
		}
		if (!marked)
			print_error("query [%s]: nothing highlighted\n", hl_cases[c].q);
		assert_true(marked > 0);
		lede_results_free(r);
	}
	sb_release(&w);
	sb_release(&pat);

	/* the snippet keeps the text's own spelling */
	lede_results *r = search(s, "deportacion", NULL);
	const lede_hit *h = lede_results_hit(r, 0);
	assert_string_equal(h->article_id, "s10");
	int accented = 0;
	for (size_t k = 0; k < h->nhighlights; k++) {
		lede_span sp = h->highlights[k];
		if (sp.end - sp.start == strlen("Deportación") &&
		    memcmp(h->snippet + sp.start, "Deportación", sp.end - sp.start) == 0)
			accented = 1;
	}
	assert_true(accented);
	lede_results_free(r);
}

/* A short snippet of a long passage is cut at word boundaries around the
 * query words, and says it was cut. */
static void test_snippet_trimmed(void **state)
{
	suite *s = *state;
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.snippet_bytes = 60;
	lede_results *r = search(s, "folder", &o);
	const lede_hit *h = lede_results_hit(r, 0);
	assert_non_null(h);
	assert_string_equal(h->article_id, "s17");
	assert_true(h->snippet_len <= 60);
	assert_true(h->snippet_trimmed_start || h->snippet_trimmed_end);
	assert_true(h->nhighlights >= 1);
	assert_memory_equal(h->snippet + h->highlights[0].start, "folder", 6);
	assert_true(h->snippet[0] != ' ');
	assert_true(h->snippet[h->snippet_len - 1] != ' ');
	lede_results_free(r);
}

/* ---- facets -------------------------------------------------------------- */

typedef struct tally {
	char *value[64];
	uint64_t count[64];
	size_t n;
} tally;

static void tally_add(tally *t, const char *v)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->value[i], v) == 0) {
			t->count[i]++;
			return;
		}
	assert_true(t->n < 64);
	t->value[t->n] = xstrdup(v);
	t->count[t->n++] = 1;
}

static void tally_release(tally *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->value[i]);
	t->n = 0;
}

/* Facet counts of lede_results_facet against counting every hit by hand. */
static void check_facets(suite *s, const char *q, int no_dedup,
                         const unsigned *bits, size_t nbits)
{
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 1000;
	o.no_dedup = no_dedup;
	o.facet_limit = 0;
	for (size_t b = 0; b < nbits; b++)
		o.facets |= bits[b];
	lede_results *r = search(s, q, &o);
	assert_true(lede_results_count(r) > 5);
	assert_int_equal(lede_results_total(r), lede_results_count(r));
	for (size_t b = 0; b < nbits; b++) {
		tally t = { .n = 0 };
		const char *name = lede_facet_name(bits[b]);
		for (size_t i = 0; i < lede_results_count(r); i++) {
			const lede_hit *h = lede_results_hit(r, i);
			if (bits[b] == LEDE_FACET_SOURCE) {
				/* facets count the folded source: "El País" is "el pais" */
				strbuf f = STRBUF_INIT;
				analyzer_fold(s->an, h->source, strlen(h->source), &f);
				tally_add(&t, sb_cstr(&f));
				sb_release(&f);
			} else if (bits[b] == LEDE_FACET_YEAR) {
				char y[5];
				snprintf(y, sizeof y, "%.4s", h->date);
				tally_add(&t, y);
			} else {
				lede_article *a;
				assert_int_equal(lede_article_get(&a, s->db, h->article_id),
				                 LEDE_OK);
				for (size_t e = 0; e < a->nentities; e++)
					if (strcmp(a->entities[e].type, name) == 0)
						tally_add(&t, a->entities[e].key);
				lede_article_free(a);
			}
		}
		size_t n;
		const lede_facet_value *v = lede_results_facet(r, bits[b], &n);
		assert_non_null(v);
		if (n != t.n)
			print_error("facet %s of [%s]: %zu values, counted %zu\n", name,
			            q, n, t.n);
		assert_int_equal(n, t.n);
		for (size_t i = 0; i < n; i++) {
			int found = 0;
			for (size_t k = 0; k < t.n; k++)
				if (strcmp(t.value[k], v[i].value) == 0) {
					if (t.count[k] != v[i].count)
						print_error("facet %s=%s: %llu, counted %llu\n", name,
						            v[i].value,
						            (unsigned long long)v[i].count,
						            (unsigned long long)t.count[k]);
					assert_int_equal(t.count[k], v[i].count);
					found = 1;
				}
			assert_true(found);
			if (i)
				assert_true(v[i - 1].count >= v[i].count);
		}
		tally_release(&t);
	}
	size_t n = 99;
	assert_null(lede_results_facet(r, LEDE_FACET_MONTH, &n));
	assert_int_equal(n, 0);
	lede_results_free(r);
}

/* Facets of a few broad queries against brute force, with and without
 * folding copies. */
static void check_facet_set(suite *s)
{
	const unsigned all[] = { LEDE_FACET_CITY, LEDE_FACET_AGENCY,
	                         LEDE_FACET_SOURCE, LEDE_FACET_YEAR };
	check_facets(s, "said OR the OR la", 1, all, 4);
	check_facets(s, "immigration OR city OR ciudad", 1, all, 4);
	/* folded copies share their original's date and entities */
	check_facets(s, "said OR the OR la", 0, all, 2);
	check_facets(s, "said OR the OR la", 0, all + 3, 1);
}

static void test_facets_match_counts(void **state)
{
	suite *s = *state;
	check_facet_set(s);

	/* facet_limit keeps the most frequent */
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.facets = LEDE_FACET_CITY;
	o.facet_limit = 1;
	lede_results *r = search(s, "said OR the OR la", &o);
	size_t n;
	const lede_facet_value *v = lede_results_facet(r, LEDE_FACET_CITY, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].value, "los angeles ca");
	lede_results_free(r);

	/* with facets the total is exact even when few hits are returned */
	o.facet_limit = 0;
	o.limit = 1000;
	r = search(s, "said OR dijo", &o);
	uint64_t every = lede_results_count(r);
	lede_results_free(r);
	o.limit = 1;
	r = search(s, "said OR dijo", &o);
	assert_int_equal(lede_results_count(r), 1);
	assert_int_equal(lede_results_total(r), every);
	lede_results_free(r);
}

/* lede_warm reads the facet values into memory: counts stay exact after
 * it (the cached path), with and without folding, and the total counts
 * articles, not passages, when several passages per article are shown. */
static void test_facets_after_warm(void **state)
{
	suite *s = *state;
	assert_int_equal(lede_warm(s->db, LEDE_FACET_ALL), LEDE_OK);
	assert_int_equal(lede_warm(NULL, LEDE_FACET_ALL), LEDE_EUSAGE);
	for (int round = 0; round < 2; round++)
		check_facet_set(s);
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.facets = LEDE_FACET_CITY;
	o.passages = 3;
	o.limit = 1000;
	o.no_dedup = 1;
	lede_results *r = search(s, "said OR the OR la", &o);
	strbuf ids = STRBUF_INIT;
	hit_ids(r, &ids);
	/* hit_ids sorted the ids: count the distinct ones */
	size_t articles = 0, prev_len = 0;
	const char *prev = NULL;
	for (const char *p = sb_cstr(&ids); *p;) {
		size_t n = strcspn(p, " ");
		if (!prev || prev_len != n || memcmp(prev, p, n) != 0)
			articles++;
		prev = p;
		prev_len = n;
		p += n;
		p += *p == ' ';
	}
	assert_true(lede_results_count(r) > articles);   /* s17 has three */
	assert_int_equal(lede_results_total(r), articles);
	lede_results_free(r);
	sb_release(&ids);
}

static void test_facet_names(void **state)
{
	(void)state;
	assert_int_equal(lede_facet_parse("city,official"),
	                 LEDE_FACET_CITY | LEDE_FACET_OFFICIAL);
	assert_int_equal(lede_facet_parse("all"), LEDE_FACET_ALL);
	assert_int_equal(lede_facet_parse("city,bogus"), -1);
	assert_int_equal(lede_facet_parse(""), 0);
	assert_string_equal(lede_facet_name(LEDE_FACET_YEAR), "year");
	assert_null(lede_facet_name(3));
	assert_null(lede_facet_name(1u << 9));
}

/* ---- errors ---------------------------------------------------------------- */

static void test_malformed_queries(void **state)
{
	suite *s = *state;
	const char *bad[] = {
		"(ice raid", "ice AND", "OR ice", "ice)", "\"open phrase",
		"ice NEAR/0 raid", "city:", "date:2023-02-29", "date:2024..2023",
		"-ice", "", "   ", "date:..",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		lede_results *r = (lede_results *)1;
		int rc = lede_search(&r, s->db, bad[i], NULL);
		if (rc != LEDE_EQUERY)
			print_error("query [%s]: %d\n", bad[i], rc);
		assert_int_equal(rc, LEDE_EQUERY);
		assert_null(r);
		assert_non_null(strstr(lede_errmsg(s->db), "column"));
		assert_null(strchr(lede_errmsg(s->db), '\n'));
	}
	/* too long */
	char *huge = xmalloc(100001);
	memset(huge, 'a', 100000);
	for (size_t i = 5; i < 100000; i += 6)
		huge[i] = ' ';
	huge[100000] = '\0';
	lede_results *r;
	assert_int_equal(lede_search(&r, s->db, huge, NULL), LEDE_EQUERY);
	assert_non_null(strstr(lede_errmsg(s->db), "column"));
	free(huge);
	/* a wrong options version */
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.version = 99;
	assert_int_equal(lede_search(&r, s->db, "ice", &o), LEDE_EUSAGE);
	/* the handle still works after errors */
	r = search(s, "sanctuary", NULL);
	assert_int_equal(lede_results_count(r) > 0, 1);
	lede_results_free(r);
}

/* Random bytes as queries: a result or a query error, never a crash. */
static void test_random_queries(void **state)
{
	suite *s = *state;
	static const char alphabet[] = "ab \"()-+:/.NEARORANDT\xc3\xb3\xff\x01"
	                               "city:date:2024..title:";
	uint32_t seed = 12345;
	char q[64];
	for (int i = 0; i < 400; i++) {
		size_t n = 1 + i % 60;
		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			q[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		q[n] = '\0';
		lede_results *r = NULL;
		int rc = lede_search(&r, s->db, q, NULL);
		assert_true(rc == LEDE_OK || rc == LEDE_EQUERY);
		if (rc == LEDE_OK)
			assert_non_null(r);
		else
			assert_non_null(strstr(lede_errmsg(s->db), "column"));
		lede_results_free(r);
	}
}

/* ---- articles, similar, stats, open ---------------------------------------- */

static void test_article_get(void **state)
{
	suite *s = *state;
	const char *ids[] = { "s17", "s13", "s10", "s01" };
	for (size_t i = 0; i < 4; i++) {
		lede_article *a = NULL;
		assert_int_equal(lede_article_get(&a, s->db, ids[i]), LEDE_OK);
		json_t *o = json_object_get(s->articles, ids[i]);
		const char *text = json_string_value(json_object_get(o, "text"));
		assert_int_equal(a->body_len, strlen(text));
		assert_memory_equal(a->body, text, a->body_len);
		assert_string_equal(a->title,
		                    json_string_value(json_object_get(o, "title")));
		assert_string_equal(a->date,
		                    json_string_value(json_object_get(o, "date")));
		assert_string_equal(a->source,
		                    json_string_value(json_object_get(o, "source")));
		assert_string_equal(a->id, ids[i]);
		assert_true(a->passages >= 1);
		lede_article_free(a);
	}
	lede_article *a;
	assert_int_equal(lede_article_get(&a, s->db, "s17"), LEDE_OK);
	assert_int_equal(a->passages, 3);
	assert_string_equal(a->lang, "en");
	int chicago = 0, eoir = 0;
	for (size_t i = 0; i < a->nentities; i++) {
		chicago |= strcmp(a->entities[i].type, "city") == 0 &&
		           strcmp(a->entities[i].key, "chicago il") == 0;
		eoir |= strcmp(a->entities[i].type, "agency") == 0 &&
		        strcmp(a->entities[i].key, "eoir") == 0;
	}
	assert_true(chicago);
	assert_true(eoir);
	lede_article_free(a);
	assert_int_equal(lede_article_get(&a, s->db, "s04"), LEDE_OK);
	int fields = 0;
	for (size_t i = 0; i < a->nentities; i++)
		fields |= strcmp(a->entities[i].type, "official") == 0 &&
		          strcmp(a->entities[i].key, "marta fields") == 0;
	assert_true(fields);
	lede_article_free(a);

	/* every article: its passages' segments joined are the body as
	 * written, byte for byte (text before the first passage, the gaps
	 * between passages and after the last included) */
	const char *key;
	json_t *o;
	json_object_foreach(s->articles, key, o) {
		const char *text = json_string_value(json_object_get(o, "text"));
		assert_int_equal(lede_article_get(&a, s->db, key), LEDE_OK);
		if (a->body_len != strlen(text) ||
		    memcmp(a->body, text, a->body_len) != 0)
			print_error("%s: body of %zu bytes, written %zu\n", key,
			            a->body_len, strlen(text));
		assert_int_equal(a->body_len, strlen(text));
		assert_memory_equal(a->body, text, a->body_len);
		lede_article_free(a);
	}

	a = (lede_article *)1;
	assert_int_equal(lede_article_get(&a, s->db, "no-such-id"),
	                 LEDE_ENOTFOUND);
	assert_null(a);
	assert_int_equal(lede_article_get(&a, s->db, ""), LEDE_ENOTFOUND);
	lede_article_free(NULL);
}

/* What a hit prints comes from the passage record, the text from the
 * article: both must agree with the article as stored, for every hit of
 * several queries, with and without folding copies, and with several
 * passages per article. */
static void test_hit_fields_match_article(void **state)
{
	suite *s = *state;
	const char *qs[] = { "sanctuary", "immigration agents", "ice raids",
	                     "city council funding" };
	for (size_t qi = 0; qi < sizeof qs / sizeof *qs; qi++)
		for (int variant = 0; variant < 3; variant++) {
			lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
			o.limit = 50;
			o.no_dedup = variant == 1;
			o.passages = variant == 2 ? 3 : 1;
			lede_results *r = search(s, qs[qi], &o);
			for (size_t i = 0; i < lede_results_count(r); i++) {
				const lede_hit *h = lede_results_hit(r, i);
				lede_article *a = NULL;
				assert_int_equal(lede_article_get(&a, s->db, h->article_id),
				                 LEDE_OK);
				assert_string_equal(h->title, a->title);
				assert_string_equal(h->date, a->date);
				assert_string_equal(h->source, a->source);
				assert_string_equal(h->url, a->url);
				assert_string_equal(h->lang, a->lang);
				assert_true(h->passage < a->passages);
				assert_true(h->passage_start <= h->passage_end);
				assert_true(h->passage_end <= a->body_len);
				/* the snippet is a piece of the passage's text */
				const char *ps = a->body + h->passage_start;
				size_t pl = h->passage_end - h->passage_start;
				assert_true(h->snippet_len <= pl || pl == 0);
				if (pl)
					assert_non_null(memmem(ps, pl, h->snippet,
					                       h->snippet_len));
				lede_article_free(a);
			}
			lede_results_free(r);
		}
}

/* Titles, sources and urls with newlines, backslashes and tabs survive
 * the passage record's escaping, on an archive of its own. */
static void test_hit_fields_escaped(void **state)
{
	(void)state;
	char *dir = run_mkdtemp("escape");
	char *db = run_path(dir, "db"), *src = run_path(dir, "a.jsonl");
	const char *jsonl =
		"{\"id\": \"e1\", \"date\": \"2019-03-04\", \"source\": \"Back\\\\slash "
		"Times\", \"url\": \"http://x.test/a\\\\n\\\\b\", \"title\": "
		"\"Zebra crossing\\nsecond line\\\\n not a newline\\tTab\", "
		"\"text\": \"The zebra crossing on Main Street reopened.\"}\n"
		"{\"id\": \"e2\", \"title\": \"\", \"text\": \"A zebra escaped.\"}\n";
	assert_int_equal(run_write_file(src, jsonl, strlen(jsonl)), 0);
	char *args[] = { "index", "-q", "-d", db, src, NULL };
	int code = -1;
	assert_int_equal(run_lede(args, NULL, NULL, &code), 0);
	assert_int_equal(code, 0);
	lede_db *d = NULL;
	assert_int_equal(lede_open(&d, db), LEDE_OK);
	lede_results *r = NULL;
	assert_int_equal(lede_search(&r, d, "zebra", NULL), LEDE_OK);
	assert_int_equal(lede_results_count(r), 2);
	for (size_t i = 0; i < 2; i++) {
		const lede_hit *h = lede_results_hit(r, i);
		lede_article *a = NULL;
		assert_int_equal(lede_article_get(&a, d, h->article_id), LEDE_OK);
		assert_string_equal(h->title, a->title);
		assert_string_equal(h->source, a->source);
		assert_string_equal(h->url, a->url);
		assert_string_equal(h->date, a->date);
		assert_string_equal(h->lang, a->lang);
		if (strcmp(h->article_id, "e1") == 0) {
			assert_non_null(strstr(h->title, "\\n not"));
			assert_non_null(strstr(h->source, "\\"));
		}
		lede_article_free(a);
	}
	lede_results_free(r);
	lede_close(d);
	run_rmtree(dir);
	free(db);
	free(src);
	free(dir);
}

static void test_similar(void **state)
{
	suite *s = *state;
	lede_results *r = NULL;
	assert_int_equal(lede_similar(&r, s->db, "s17", NULL), LEDE_OK);
	assert_true(lede_results_count(r) > 0);
	assert_false(has_hit(r, "s17"));
	lede_results_free(r);
	/* nor its near-duplicate copies, folded or not */
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	for (int nd = 0; nd < 2; nd++) {
		o.no_dedup = nd;
		const char *ids[] = { "s07", "s07b", "s07c" };
		for (size_t k = 0; k < 3; k++) {
			assert_int_equal(lede_similar(&r, s->db, ids[k], &o), LEDE_OK);
			assert_true(lede_results_count(r) > 0);
			for (size_t j = 0; j < 3; j++)
				assert_false(has_hit(r, ids[j]));
			lede_results_free(r);
		}
	}
	r = (lede_results *)1;
	assert_int_equal(lede_similar(&r, s->db, "no-such-id", NULL),
	                 LEDE_ENOTFOUND);
	assert_null(r);
}

/* The archive indexed twice, searched as one through a stub file: an
 * article's passages then come from both shards, interleaved, and its
 * body must still be one copy's segments in order, not both. */
static void test_article_in_two_shards(void **state)
{
	suite *s = *state;
	char *db2 = run_path(s->dir, "db2");
	char *src = run_path(run_src_dir(), ARCHIVE);
	char *args[] = { "index", "-q", "--passage-words", "120", "-d", db2,
	                 src, NULL };
	int code = -1;
	assert_int_equal(run_lede(args, NULL, NULL, &code), 0);
	assert_int_equal(code, 0);
	char *stub = run_path(s->dir, "two.stub");
	strbuf lines = STRBUF_INIT;
	sb_addf(&lines, "auto %s\nauto %s\n", s->dbpath, db2);
	assert_int_equal(run_write_file(stub, lines.buf, lines.len), 0);
	lede_db *both = NULL;
	assert_int_equal(lede_open(&both, stub), LEDE_OK);
	const char *ids[] = { "s17", "s01", "s13" };
	for (size_t i = 0; i < 3; i++) {
		json_t *o = json_object_get(s->articles, ids[i]);
		const char *text = json_string_value(json_object_get(o, "text"));
		lede_article *a = NULL;
		assert_int_equal(lede_article_get(&a, both, ids[i]), LEDE_OK);
		assert_int_equal(a->body_len, strlen(text));
		assert_memory_equal(a->body, text, a->body_len);
		lede_article_free(a);
	}
	/* and a hit's text is its own passage's */
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.passages = 3;
	lede_results *r = NULL;
	assert_int_equal(lede_search(&r, both, "backlog", &o), LEDE_OK);
	assert_true(lede_results_count(r) > 0);
	for (size_t i = 0; i < lede_results_count(r); i++) {
		const lede_hit *h = lede_results_hit(r, i);
		json_t *a = json_object_get(s->articles, h->article_id);
		const char *text = json_string_value(json_object_get(a, "text"));
		assert_true(h->passage_end <= strlen(text));
		assert_non_null(memmem(text + h->passage_start,
		                       h->passage_end - h->passage_start,
		                       h->snippet, h->snippet_len));
	}
	lede_results_free(r);
	lede_close(both);
	sb_release(&lines);
	free(stub);
	free(src);
	run_rmtree(db2);
	free(db2);
}

/* Two result lists are the same page: ids, passages, snippets, highlights,
 * scores (within float noise) and folded copies. */
static void assert_same_hits(const char *what, const lede_results *a,
                             const lede_results *b)
{
	if (lede_results_count(a) != lede_results_count(b))
		print_error("%s: %zu hits vs %zu\n", what, lede_results_count(a),
		            lede_results_count(b));
	assert_int_equal(lede_results_count(a), lede_results_count(b));
	for (size_t i = 0; i < lede_results_count(a); i++) {
		const lede_hit *x = lede_results_hit(a, i), *y = lede_results_hit(b, i);
		if (strcmp(x->article_id, y->article_id) != 0)
			print_error("%s rank %zu: %s vs %s\n", what, i + 1,
			            x->article_id, y->article_id);
		assert_string_equal(x->article_id, y->article_id);
		assert_int_equal(x->passage, y->passage);
		/* within 3% (boolean queries score 0): a remote shard re-ranks
		 * every match after feedback, where a local first page re-ranks
		 * the first pass's best passage per story, and for a folded
		 * group another copy's passage may win (its length differs),
		 * as in test_feedback_rerank_same_order; BM25 differs by under
		 * 1% then, and the DPH it is fused with by more */
		int same = fabs(x->score - y->score) <= 3e-2 * fabs(y->score) + 1e-12;
		if (!same)
			print_error("%s rank %zu: score %g vs %g\n", what, i + 1,
			            x->score, y->score);
		assert_true(same);
		assert_int_equal(x->snippet_len, y->snippet_len);
		assert_memory_equal(x->snippet, y->snippet, x->snippet_len);
		assert_int_equal(x->nhighlights, y->nhighlights);
		assert_int_equal(x->also_in, y->also_in);
	}
}

/* The same archive served by xapian-tcpsrv through a stub file: every
 * search, feedback included, gives the local page; stored articles come
 * back whole; facets are the local ones. */
static void test_remote_same_results(void **state)
{
	suite *s = *state;
	int port = 0;
	pid_t server = tcpsrv_start(s->dbpath, &port);
	if (server == 0) {
		print_message("xapian-tcpsrv not installed: skipping\n");
		skip();
	}
	assert_true(server > 0);
	char *stub = run_path(s->dir, "remote.stub");
	char line[64];
	int n = snprintf(line, sizeof line, "remote 127.0.0.1:%d\n", port);
	assert_int_equal(run_write_file(stub, line, (size_t)n), 0);
	lede_db *rdb = NULL;
	if (lede_open(&rdb, stub) != LEDE_OK)
		print_error("open %s: %s\n", stub, lede_errmsg(rdb));
	assert_non_null(rdb);

	const char *qs[] = { "sanctuary", "\"detention center\"", "Korver",
	                     "official:\"marta fields\"", "wall NEAR/3 money",
	                     "legal aid Quintanar",
	                     "immigration raids los angeles",
	                     "mayor sanctuary city council vote",
	                     "federal judge blocked national emergency" };
	for (size_t i = 0; i < sizeof qs / sizeof *qs; i++)
		for (int deep = 0; deep < 2; deep++) {
			lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
			o.limit = deep ? 1000 : 10;
			lede_results *local = search(s, qs[i], &o), *remote = NULL;
			int rc = lede_search(&remote, rdb, qs[i], &o);
			if (rc != LEDE_OK)
				print_error("remote [%s]: %s\n", qs[i], lede_errmsg(rdb));
			assert_int_equal(rc, LEDE_OK);
			assert_true(lede_results_count(local) > 0);
			assert_same_hits(qs[i], local, remote);
			lede_results_free(local);
			lede_results_free(remote);
		}

	lede_article *a = NULL, *b = NULL;
	assert_int_equal(lede_article_get(&a, s->db, "s17"), LEDE_OK);
	assert_int_equal(lede_article_get(&b, rdb, "s17"), LEDE_OK);
	assert_int_equal(a->body_len, b->body_len);
	assert_memory_equal(a->body, b->body, a->body_len);
	lede_article_free(a);
	lede_article_free(b);

	/* facets, counted by Xapian's own match spy on the server, are the
	 * local ones, and so is the exact total they give */
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.facets = LEDE_FACET_ALL;
	o.facet_limit = 0;
	lede_results *r = NULL, *l = search(s, "sanctuary", &o);
	if (lede_search(&r, rdb, "sanctuary", &o) != LEDE_OK)
		print_error("remote facets: %s\n", lede_errmsg(rdb));
	assert_non_null(r);
	assert_int_equal(lede_results_total(r), lede_results_total(l));
	for (unsigned bit = 1; bit <= LEDE_FACET_MONTH; bit <<= 1) {
		size_t nl, nr;
		const lede_facet_value *fl = lede_results_facet(l, bit, &nl);
		const lede_facet_value *fr = lede_results_facet(r, bit, &nr);
		assert_int_equal(nl, nr);
		for (size_t i = 0; i < nl; i++) {
			assert_string_equal(fl[i].value, fr[i].value);
			assert_int_equal(fl[i].count, fr[i].count);
		}
	}
	lede_results_free(l);
	lede_results_free(r);

	lede_close(rdb);
	free(stub);
	tcpsrv_stop(server);
}

static void test_stats(void **state)
{
	suite *s = *state;
	unsigned passages = 0;
	const char *key;
	json_t *v;
	json_object_foreach(s->articles, key, v) {
		lede_article *a;
		assert_int_equal(lede_article_get(&a, s->db, key), LEDE_OK);
		passages += a->passages;
		lede_article_free(a);
	}
	lede_stats *st = NULL;
	assert_int_equal(lede_stats_get(&st, s->db, 3), LEDE_OK);
	assert_int_equal(st->articles, NARTICLES);
	assert_int_equal(st->passages, passages);
	assert_true(st->terms > 100);
	assert_true(st->disk_bytes > 0);
	assert_non_null(strstr(st->langs, "en"));
	assert_non_null(strstr(st->langs, "es"));
	assert_string_equal(st->format, LEDE_INDEX_FORMAT);
	assert_true(st->ntop[0] >= 1 && st->ntop[0] <= 3);
	assert_string_equal(st->top[0][0].value, "los angeles ca");
	for (size_t i = 1; i < st->ntop[0]; i++)
		assert_true(st->top[0][i - 1].count >= st->top[0][i].count);
	lede_stats_free(st);
	lede_stats_free(NULL);
}

static void test_open_missing(void **state)
{
	(void)state;
	const char *path = "/nonexistent/lede-test/missing.db";
	lede_db *db = NULL;
	assert_int_equal(lede_open(&db, path), LEDE_EDB);
	assert_non_null(db);
	assert_non_null(strstr(lede_errmsg(db), path));
	lede_results *r = (lede_results *)1;
	assert_true(lede_search(&r, db, "ice", NULL) < 0);
	assert_null(r);
	lede_close(db);
	lede_close(NULL);
	/* a directory that is not a database */
	char *dir = run_mkdtemp("notadb");
	assert_int_equal(lede_open(&db, dir), LEDE_EDB);
	assert_non_null(strstr(lede_errmsg(db), dir));
	lede_close(db);
	run_rmtree(dir);
	free(dir);
	assert_true(strlen(lede_status_string(LEDE_EQUERY)) > 0);
	assert_string_equal(lede_version(), LEDE_VERSION_STRING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_result),
		cmocka_unit_test(test_proper_name_not_common_word),
		cmocka_unit_test(test_entity_fields),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_date_ranges_brute_force),
		cmocka_unit_test(test_not_and_exclusion),
		cmocka_unit_test(test_match_set_exact),
		cmocka_unit_test(test_feedback_rerank_same_order),
		cmocka_unit_test(test_dph_fusion),
		cmocka_unit_test(test_match_all),
		cmocka_unit_test(test_passages_per_article),
		cmocka_unit_test(test_sort_by_date),
		cmocka_unit_test(test_collapse_and_paging),
		cmocka_unit_test(test_near_duplicates),
		cmocka_unit_test(test_snippet_highlights),
		cmocka_unit_test(test_snippet_trimmed),
		cmocka_unit_test(test_facets_match_counts),
		cmocka_unit_test(test_facets_after_warm),
		cmocka_unit_test(test_facet_names),
		cmocka_unit_test(test_malformed_queries),
		cmocka_unit_test(test_random_queries),
		cmocka_unit_test(test_article_get),
		cmocka_unit_test(test_hit_fields_match_article),
		cmocka_unit_test(test_hit_fields_escaped),
		cmocka_unit_test(test_similar),
		cmocka_unit_test(test_article_in_two_shards),
		cmocka_unit_test(test_remote_same_results),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_open_missing),
	};
	return cmocka_run_group_tests_name("search", tests, group_setup,
	                                   group_teardown);
}
