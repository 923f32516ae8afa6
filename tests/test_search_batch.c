/* End-to-end tests of `lede search` over many queries and many matches:
 * --queries batches (tab and CSV files, bad lines), --limit all exports of
 * more than 10,000 matches in bounded memory, and totals that are exact
 * or honestly estimates and never move with -n. The real binary, fresh
 * databases. */
#include <jansson.h>
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
#include "helpers/e2e.h"
#include "helpers/gen.h"
#include "helpers/run.h"

#define EXPORT_ARTICLES 12000
/* words per article: with --snippet-bytes 1500 a dressed hit holds some
 * 2 KB, so that 12,000 of them held at once would be 25 MB more than one
 * page of them */
#define EXPORT_WORDS 200

/* One database of EXPORT_ARTICLES made-up articles for the whole suite
 * (indexing it is most of the suite's time). */
static char *suite_dir, *suite_db;

static int setup_suite(void **state)
{
	(void)state;
	suite_dir = run_mkdtemp("batch");
	suite_db = run_path(suite_dir, "db");
	strbuf in = STRBUF_INIT;
	gen_articles(&in, 0, EXPORT_ARTICLES, EXPORT_WORDS, NULL);
	char *path = run_path(suite_dir, "articles.jsonl");
	int rc = run_write_file(path, in.buf, in.len);
	char *args[] = { "index", "-q", "-d", suite_db, path, NULL };
	if (rc == 0)
		rc = run_lede_ok(args);
	free(path);
	sb_release(&in);
	return rc;
}

static int teardown_suite(void **state)
{
	(void)state;
	run_rmtree(suite_dir);
	free(suite_dir);
	free(suite_db);
	return 0;
}

/* ---- batches ---------------------------------------------------------- */

typedef struct batch_seen {
	int hits_a, hits_c, hits_q;     /* hits per qid */
	int summaries, errors, untagged;
	json_int_t error_line;
} batch_seen;

static void tally(void *ctx, json_t *o)
{
	batch_seen *b = ctx;
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *qid = json_string_value(json_object_get(o, "qid"));
	assert_non_null(type);
	if (strcmp(type, "error") == 0) {
		b->errors++;
		b->error_line = json_integer_value(json_object_get(o, "line"));
		return;
	}
	if (!qid) {
		b->untagged++;
		return;
	}
	if (strcmp(type, "summary") == 0)
		b->summaries++;
	else if (!strcmp(qid, "a"))
		b->hits_a++;
	else if (!strcmp(qid, "c,1"))
		b->hits_c++;
	else if (!strcmp(qid, "q\"2"))
		b->hits_q++;
}

/* id<TAB>query lines with bad ones among them: each bad line reported
 * once as FILE:LINE: ID: reason, the others run, every row and summary
 * carries its id, and the exit status is 4. */
static void test_batch_tab_file_bad_lines(void **state)
{
	tmp *t = *state;
	char *path = run_path(t->dir, "queries.tsv");
	const char *q = "a\traid\n"
	                "no tab on this line\n"
	                "b\t(raid\n"
	                "\n"
	                "\tnothing before the tab\n"
	                "c,1\tdawn\n";
	assert_int_equal(run_write_file(path, q, strlen(q)), 0);
	res r = { 0 };
	lede(&r, "search", "-d", suite_db, "-n", "3", "--queries", path,
	     "--format", "jsonl", NULL);
	expect_code(&r, 4);
	batch_seen b = { 0 };
	each_json_line(sb_cstr(&r.out), tally, &b);
	assert_int_equal(b.hits_a, 3);
	assert_int_equal(b.hits_c, 3);
	assert_int_equal(b.summaries, 2);
	assert_int_equal(b.errors, 3);
	assert_int_equal(b.untagged, 0);
	/* one line each, naming file, line and id */
	strbuf want = STRBUF_INIT;
	sb_addf(&want, "lede search: %s:2: expected id<TAB>query\n", path);
	assert_non_null(strstr(sb_cstr(&r.err), want.buf));
	sb_reset(&want);
	sb_addf(&want, "lede search: %s:3: b: column ", path);
	assert_non_null(strstr(sb_cstr(&r.err), want.buf));
	sb_reset(&want);
	sb_addf(&want, "lede search: %s:5: no query id\n", path);
	assert_non_null(strstr(sb_cstr(&r.err), want.buf));
	const char *e = sb_cstr(&r.err);
	int lines = 0;
	for (const char *p = e; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, 3);

	/* csv: a qid column first, the header once for the whole batch */
	lede(&r, "search", "-d", suite_db, "-n", "2", "--queries", path,
	     "--format", "csv", NULL);
	expect_code(&r, 4);
	const char *o = sb_cstr(&r.out);
	assert_int_equal(strncmp(o, "qid,rank,score,id,", 18), 0);
	assert_null(strstr(o + 1, "qid,rank"));
	assert_non_null(strstr(o, "\na,1,"));
	assert_non_null(strstr(o, "\n\"c,1\",1,"));
	/* text: each query's summary says its id */
	lede(&r, "search", "-d", suite_db, "-n", "1", "--queries", path, NULL);
	expect_code(&r, 4);
	assert_non_null(strstr(sb_cstr(&r.out), "\na: 1 shown of "));
	assert_non_null(strstr(sb_cstr(&r.out), "\nc,1: 1 shown of "));
	sb_release(&want);
	free(path);
	res_free(&r);
}

/* A CSV with the header id,query: quoted fields (a comma and a quote in
 * them), an unclosed quote reported, exit 4; all good: exit 0. */
static void test_batch_csv_file(void **state)
{
	tmp *t = *state;
	char *path = run_path(t->dir, "queries.csv");
	const char *q = "id,query\r\n"
	                "a,raid\r\n"
	                "\"q\"\"2\",\"raid, dawn\"\r\n"
	                "bad,\"raid\r\n";
	assert_int_equal(run_write_file(path, q, strlen(q)), 0);
	res r = { 0 };
	lede(&r, "search", "-d", suite_db, "-n", "2", "--queries", path,
	     "--format", "jsonl", NULL);
	expect_code(&r, 4);
	batch_seen b = { 0 };
	each_json_line(sb_cstr(&r.out), tally, &b);
	assert_int_equal(b.hits_a, 2);
	assert_int_equal(b.hits_q, 2);
	assert_int_equal(b.summaries, 2);
	assert_int_equal(b.untagged, 0);
	assert_int_equal(b.errors, 1);
	assert_int_equal(b.error_line, 4);
	strbuf want = STRBUF_INIT;
	sb_addf(&want, "lede search: %s:4: bad: expected id,query", path);
	assert_non_null(strstr(sb_cstr(&r.err), want.buf));
	/* without the bad line: exit 0 */
	const char *good = "id,query\na,raid\n";
	assert_int_equal(run_write_file(path, good, strlen(good)), 0);
	lede(&r, "search", "-d", suite_db, "-n", "1", "--queries", path, NULL);
	expect_code(&r, 0);
	sb_release(&want);
	free(path);
	res_free(&r);
}

/* ---- export ----------------------------------------------------------- */

/* Peak RSS (KiB) of lede search with args, its output read and dropped:
 * measured before the suite holds anything big, since a child's peak
 * counts the memory of the test process it was forked from. */
static long search_rss(const char *n)
{
	res r = { 0 };
	run_opts o = RUN_OPTS_INIT;
	o.max_output = 1;
	lede_o(&r, &o, "search", "-d", suite_db, "-n", n, "--format", "tsv",
	       "--snippet-bytes", "1500", "raid", NULL);
	expect_code(&r, 0);
	res_free(&r);
	return o.max_rss_kb;
}

/* --limit all: the peak memory of the export stays that of about one page
 * (1000 hits), not of 12,000 dressed hits; every one of the 12,000
 * matches comes once, ranks 1..N in order, with the exact total; in date
 * order too. */
static void test_export_all_bounded(void **state)
{
	(void)state;
	long page_kb = search_rss("1000");
	long all_kb = search_rss("all");
	long most_kb = search_rss("10000");   /* 10,000 held at once */
	print_message("peak RSS: one page of 1000 hits %ld KiB, --limit all "
	              "(%d) %ld KiB, -n 10000 %ld KiB\n", page_kb,
	              EXPORT_ARTICLES, all_kb, most_kb);
#if !defined(__SANITIZE_ADDRESS__)
	/* (AddressSanitizer keeps freed memory in quarantine: no measure) */
	assert_true(page_kb > 0 && all_kb > 0);
	assert_true(all_kb < page_kb + 8 * 1024);
	assert_true(all_kb < most_kb);
#endif

	res r = { 0 };
	run_opts o = RUN_OPTS_INIT;
	o.max_output = 64u << 20;
	lede_o(&r, &o, "search", "-d", suite_db, "--limit", "all", "--format",
	       "tsv", "--no-header", "raid", NULL);
	expect_code(&r, 0);
	unsigned char *seen = xcalloc(EXPORT_ARTICLES, 1);
	size_t rows = 0;
	const char *s = sb_cstr(&r.out);
	for (const char *p = s; *p; rows++) {
		unsigned rank, n;
		if (sscanf(p, "%u\t%*f\tw-%u\t", &rank, &n) != 2)
			fail_msg("row %zu: %.80s", rows, p);
		assert_int_equal(rank, rows + 1);
		assert_true(n < EXPORT_ARTICLES);
		assert_int_equal(seen[n], 0);
		seen[n] = 1;
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	assert_int_equal(rows, EXPORT_ARTICLES);
	free(seen);

	/* json: the exact total, said to be exact */
	lede_o(&r, &o, "search", "-d", suite_db, "-n", "all", "--format", "json",
	       "--sort", "date", "raid", NULL);
	expect_code(&r, 0);
	json_error_t e;
	json_t *doc = json_loads(sb_cstr(&r.out), 0, &e);
	assert_non_null(doc);
	json_t *hits = json_object_get(doc, "hits");
	json_t *sum = json_object_get(doc, "summary");
	assert_int_equal(json_array_size(hits), EXPORT_ARTICLES);
	assert_int_equal(json_integer_value(json_object_get(sum, "total")),
	                 EXPORT_ARTICLES);
	assert_true(json_is_true(json_object_get(sum, "total_exact")));
	assert_int_equal(json_integer_value(json_object_get(sum, "returned")),
	                 EXPORT_ARTICLES);
	const char *prev = "";
	for (size_t i = 0; i < json_array_size(hits); i++) {
		const char *d = json_string_value(json_object_get(
		                    json_array_get(hits, i), "date"));
		assert_true(strcmp(prev, d) <= 0);
		prev = d;
	}
	json_decref(doc);
	res_free(&r);
}

/* ---- totals ----------------------------------------------------------- */

typedef struct total {
	json_int_t total;
	int exact;
} total;

static total search_total(const char *db, const char *n, const char *query,
                          int count)
{
	res r = { 0 };
	if (count)
		lede(&r, "search", "-d", db, "-n", n, "--count", "--format",
		     "jsonl", query, NULL);
	else
		lede(&r, "search", "-d", db, "-n", n, "--format", "jsonl", query,
		     NULL);
	const char *last = strrchr(sb_cstr(&r.out), '{');
	assert_non_null(last);
	json_error_t e;
	json_t *s = json_loads(last, 0, &e);
	assert_non_null(s);
	total t = { json_integer_value(json_object_get(s, "total")),
	            json_is_true(json_object_get(s, "total_exact")) };
	json_decref(s);
	res_free(&r);
	return t;
}

/* Whether two totals of one query agree: equal when both are exact or
 * both estimates; an estimate within a quarter of the exact one (Xapian
 * rounds its estimates: about 10000 for 11740). */
static int totals_agree(total a, total b)
{
	if (a.exact == b.exact)
		return a.total == b.total;
	total x = a.exact ? a : b, e = a.exact ? b : a;
	return e.total * 4 >= x.total * 3 && e.total * 4 <= x.total * 5;
}

/* Totals do not move with -n (a bigger page may see every match and make
 * an estimate exact, nothing else); --count is exact and equals what
 * --limit all lists; an estimate says so (and the text says "about"), an
 * exact total does not. */
static void test_totals_exact_or_estimated(void **state)
{
	(void)state;
	/* matched by many but not all articles, over 1000: an estimate */
	const char *queries[] = { "raid AND NOT kamivu", "raid kamivu",
	                          "kamivu OR sifenlo", "sifenlo" };
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
		total t1 = search_total(suite_db, "1", queries[i], 0);
		total t10 = search_total(suite_db, "10", queries[i], 0);
		total t100 = search_total(suite_db, "100", queries[i], 0);
		total c = search_total(suite_db, "1", queries[i], 1);
		assert_true(c.exact);
		assert_true(totals_agree(t1, t10));
		assert_true(totals_agree(t1, t100));
		assert_true(totals_agree(t1, c));
		res r = { 0 };
		run_opts o = RUN_OPTS_INIT;
		o.max_output = 64u << 20;
		lede_o(&r, &o, "search", "-d", suite_db, "-n", "all", "--format",
		       "tsv", "--no-header", queries[i], NULL);
		size_t rows = 0;
		for (const char *p = sb_cstr(&r.out); (p = strchr(p, '\n')); p++)
			rows++;
		assert_int_equal(c.total, rows);
		if (t1.exact)
			assert_int_equal(t1.total, c.total);
		/* the text says "about" for an estimate only */
		lede(&r, "search", "-d", suite_db, "-n", "1", queries[i], NULL);
		int about = strstr(sb_cstr(&r.out), " shown of about ") != NULL;
		assert_int_equal(about, !t1.exact);
		lede(&r, "search", "-d", suite_db, "-n", "1", "--count", queries[i],
		     NULL);
		assert_null(strstr(sb_cstr(&r.out), "about"));
		res_free(&r);
	}
	/* the 12,000-article AND NOT is an estimate (a close one: above) */
	assert_false(search_total(suite_db, "10", "raid AND NOT kamivu", 0).exact);
	/* a few hundred matches: exact without asking */
	assert_true(search_total(suite_db, "1", "kamivu AND sifenlo", 0).exact);
}

/* The undated count of a summary is exact where the total is an estimate
 * (an estimate from Xapian's posting sizes said 17,385 for 5,058), and a
 * date range filtering the whole query holds none, the rest said to be
 * outside it. 6000 undated articles of their own (indexed in under a
 * second). */
#define UNDATED_ARTICLES 6000
#define UNDATED_NOT_HARBOUR (UNDATED_ARTICLES - 40)
static json_t *last_summary(const res *r)
{
	const char *last = strrchr(sb_cstr(&r->out), '{');
	assert_non_null(last);
	json_error_t e;
	json_t *s = json_loads(last, 0, &e);
	assert_non_null(s);
	return s;
}

static void test_undated_count_exact(void **state)
{
	(void)state;
	char *dir = run_mkdtemp("undated");
	char *db = run_path(dir, "db"), *path = run_path(dir, "undated.jsonl");
	strbuf in = STRBUF_INIT;
	for (int i = 0; i < UNDATED_ARTICLES; i++)
		sb_addf(&in, "{\"id\": \"u%d\", \"title\": \"Raid %d\", "
		        "\"text\": \"Agents raided workplace %d%s.\"}\n", i, i, i,
		        i < 40 ? " near the harbour" : "");
	assert_int_equal(run_write_file(path, in.buf, in.len), 0);
	char *args[] = { "index", "-q", "-d", db, path, NULL };
	assert_int_equal(run_lede_ok(args), 0);
	res r = { 0 };
	/* the total an estimate, the undated count exact */
	const char *q = "raid AND NOT harbour";
	lede(&r, "search", "-d", db, "-n", "1", "--format", "jsonl", q, NULL);
	json_t *s = last_summary(&r);
	assert_false(json_is_true(json_object_get(s, "total_exact")));
	assert_int_equal(json_integer_value(json_object_get(s, "undated")),
	                 UNDATED_NOT_HARBOUR);
	json_decref(s);
	lede(&r, "search", "-d", db, "-n", "1", q, NULL);
	strbuf want = STRBUF_INIT;
	sb_addf(&want, "\n%d undated matching articles", UNDATED_NOT_HARBOUR);
	assert_non_null(strstr(sb_cstr(&r.out), want.buf));
	/* a range over the whole query: none inside, all outside */
	lede(&r, "search", "-d", db, "-n", "1", "--since", "2020", "--format",
	     "jsonl", q, NULL);
	s = last_summary(&r);
	assert_int_equal(json_integer_value(json_object_get(s, "undated")), 0);
	assert_int_equal(json_integer_value(
	                         json_object_get(s, "undated_outside_dates")),
	                 UNDATED_NOT_HARBOUR);
	json_decref(s);
	/* few */
	lede(&r, "search", "-d", db, "-n", "1", "--format", "jsonl", "harbour",
	     NULL);
	s = last_summary(&r);
	assert_int_equal(json_integer_value(json_object_get(s, "undated")), 40);
	json_decref(s);
	res_free(&r);
	sb_release(&want);
	sb_release(&in);
	run_rmtree(dir);
	free(path);
	free(db);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_all_bounded),   /* first: see search_rss */
		cmocka_unit_test_setup_teardown(test_batch_tab_file_bad_lines,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_batch_csv_file, setup_tmp,
		                                teardown_tmp),
		cmocka_unit_test(test_totals_exact_or_estimated),
		cmocka_unit_test(test_undated_count_exact),
	};
	return cmocka_run_group_tests(tests, setup_suite, teardown_suite);
}
