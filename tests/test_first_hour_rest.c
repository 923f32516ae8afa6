/* The rest of what a new user meets first (issue 18, items 8, 10, 12,
 * 13), end to end through the real lede binary: undated articles counted
 * and timelines that fold empty runs, passages grouped under their
 * article, indexing progress with a real ETA, and an archive split into
 * shards served by xapian-tcpsrv searched as one. */
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "lede.h"
#include "../indexer/indexer.h"
#include "helpers/e2e.h"
#include "helpers/run.h"
#include "helpers/tcpsrv.h"

/* Write dir/name with the printf-style content. */
static void write_txt(const char *dir, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void write_txt(const char *dir, const char *name, const char *fmt, ...)
{
	strbuf b = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	char *p = run_path(dir, name);
	assert_int_equal(run_write_file(p, b.buf, b.len), 0);
	free(p);
	sb_release(&b);
}

/* The last line of out that is JSON, parsed (the jsonl summary). */
static json_t *last_json_line(const strbuf *out)
{
	const char *s = sb_cstr(out);
	const char *last = NULL;
	for (const char *p = s; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1
	                                              : p + strlen(p))
		if (*p == '{')
			last = p;
	assert_non_null(last);
	json_error_t e;
	json_t *j = json_loadb(last, strcspn(last, "\n"), 0, &e);
	if (!j)
		fail_msg("not JSON: %s (%s)", last, e.text);
	return j;
}

static json_int_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("no integer \"%s\"", key);
	return json_integer_value(v);
}

static size_t count_lines(const strbuf *sb)
{
	size_t n = 0;
	for (size_t i = 0; i < sb->len; i++)
		n += sb->buf[i] == '\n';
	return n;
}

/* ---- 8. undated articles ------------------------------------------- */

/* Three stories of 2024, one of 1987, one dated by its year only (2023),
 * two without a date: all about asylum. */
static void index_dates_fixture(tmp *t)
{
	char *in = run_path(t->dir, "in");
	assert_int_equal(mkdir(in, 0700), 0);
	for (int i = 1; i <= 3; i++)
		write_txt(in, i == 1 ? "d1.txt" : i == 2 ? "d2.txt" : "d3.txt",
		          "Dated story %d\nDate: 2024-0%d-10\n\nThe asylum office "
		          "heard case number %d.\n", i, i, i);
	write_txt(in, "old.txt", "Old story\nDate: 1987-03-02\n\nThe asylum "
	          "rules of old were strict.\n");
	write_txt(in, "year.txt", "A year only\nDate: 2023\n\nAn asylum "
	          "report from some day of that year.\n");
	write_txt(in, "u1.txt", "Undated story one\n\nThe asylum office ruled "
	          "on the first case.\n");
	write_txt(in, "u2.txt", "Undated story two\n\nThe asylum office ruled "
	          "on the second case.\n");
	char *args[] = { "index", "-q", "-d", t->db, in, NULL };
	assert_int_equal(run_lede_ok(args), 0);
	free(in);
}

/* Every summary counts the undated matches; a date range says how many
 * undated articles it left out, whether given by --since/--until or by
 * date: in the query. */
static void test_undated_in_every_summary(void **state)
{
	tmp *t = *state;
	index_dates_fixture(t);
	res r = { 0 };
	lede(&r, "search", "-d", t->db, "asylum", "-f", "jsonl", NULL);
	expect_code(&r, 0);
	json_t *s = last_json_line(&r.out);
	assert_int_equal(jint(s, "total"), 7);
	assert_int_equal(jint(s, "undated"), 2);
	assert_int_equal(jint(s, "undated_outside_dates"), 0);
	json_decref(s);

	lede(&r, "search", "-d", t->db, "asylum", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "2 undated matching articles"));

	/* json's summary too */
	lede(&r, "search", "-d", t->db, "asylum", "-f", "json", NULL);
	expect_code(&r, 0);
	json_t *doc = json_loads(sb_cstr(&r.out), 0, NULL);
	assert_non_null(doc);
	assert_int_equal(jint(json_object_get(doc, "summary"), "undated"), 2);
	json_decref(doc);

	const char *ranged[][3] = {
		{ "asylum", "--since", "2020" },
		{ "asylum date:2024..", NULL, NULL },
		{ "date:..2030 asylum", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof ranged / sizeof *ranged; i++) {
		if (ranged[i][1])
			lede(&r, "search", "-d", t->db, ranged[i][0], ranged[i][1],
			     ranged[i][2], "-f", "jsonl", NULL);
		else
			lede(&r, "search", "-d", t->db, ranged[i][0], "-f", "jsonl",
			     NULL);
		expect_code(&r, 0);
		s = last_json_line(&r.out);
		assert_int_equal(jint(s, "undated"), 0);
		assert_int_equal(jint(s, "undated_outside_dates"), 2);
		json_decref(s);
	}
	lede(&r, "search", "-d", t->db, "asylum", "--until", "2023", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "2 undated matching articles "
	                       "not in the date range"));
	/* an OR with a date keeps the undated ones among the matches */
	lede(&r, "search", "-d", t->db, "asylum OR date:2024..", "-f", "jsonl",
	     NULL);
	expect_code(&r, 0);
	s = last_json_line(&r.out);
	assert_int_equal(jint(s, "undated"), 2);
	json_decref(s);
	/* more like this says the same of its matches */
	{
		/* the id of "Dated story 1" from a search */
		lede(&r, "search", "-d", t->db, "title:\"dated story 1\"", "-f",
		     "jsonl", NULL);
		expect_code(&r, 0);
		json_t *h = json_loadb(r.out.buf, strcspn(r.out.buf, "\n"), 0, NULL);
		assert_non_null(h);
		char *id = xstrdup(json_string_value(json_object_get(h, "id")));
		json_decref(h);
		lede(&r, "similar", "-d", t->db, id, "-f", "jsonl", NULL);
		expect_code(&r, 0);
		s = last_json_line(&r.out);
		json_int_t und = jint(s, "undated");
		assert_true(und >= 1);
		json_decref(s);
		lede(&r, "similar", "-d", t->db, id, "--since", "2024", "-f",
		     "jsonl", NULL);
		s = last_json_line(&r.out);
		assert_int_equal(jint(s, "undated"), 0);
		assert_int_equal(jint(s, "undated_outside_dates"), und);
		json_decref(s);
		free(id);
	}
	/* a query no undated article matches */
	lede(&r, "search", "-d", t->db, "strict", "-f", "jsonl", NULL);
	expect_code(&r, 0);
	s = last_json_line(&r.out);
	assert_int_equal(jint(s, "undated"), 0);
	json_decref(s);
	res_free(&r);
}

/* The timeline folds long empty runs, picks years for a long span and
 * months for a short one (or what --by says), and counts the undated
 * matches and, by month, those dated by their year only. */
static void test_timeline_folds_and_counts(void **state)
{
	tmp *t = *state;
	index_dates_fixture(t);
	res r = { 0 };
	lede(&r, "timeline", "-d", t->db, "asylum", NULL);
	expect_code(&r, 0);
	const char *out = sb_cstr(&r.out);
	/* 1987 to 2024: by year, 1988-2022 folded */
	assert_non_null(strstr(out, "1987 "));
	assert_non_null(strstr(out, "\xe2\x80\xa6 35 empty years \xe2\x80\xa6"));
	assert_non_null(strstr(out, "2023 "));
	assert_non_null(strstr(out, "2024 "));
	assert_null(strstr(out, "1990"));
	assert_true(count_lines(&r.out) < 10);
	assert_non_null(strstr(out, "7 matching articles"));
	assert_non_null(strstr(out, "2 undated matching articles"));

	lede(&r, "timeline", "-d", t->db, "asylum", "--by", "month", NULL);
	expect_code(&r, 0);
	out = sb_cstr(&r.out);
	assert_non_null(strstr(out, "1987-03 "));
	assert_non_null(strstr(out, "\xe2\x80\xa6 441 empty months \xe2\x80\xa6"));
	/* February 2024 lies between two months with a story: one line */
	assert_non_null(strstr(out, "2024-02 "));
	assert_non_null(strstr(out, "1 dated by year only"));
	assert_true(count_lines(&r.out) < 12);

	/* a span of three months: months without asking */
	lede(&r, "timeline", "-d", t->db, "asylum date:2024..", "-f", "json",
	     NULL);
	expect_code(&r, 0);
	json_t *j = json_loads(sb_cstr(&r.out), 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "by")), "month");
	assert_int_equal(json_array_size(json_object_get(j, "periods")), 3);
	assert_int_equal(jint(j, "undated"), 0);
	json_decref(j);

	/* machine formats keep every period: a series without holes */
	lede(&r, "timeline", "-d", t->db, "asylum", "-f", "json", NULL);
	expect_code(&r, 0);
	j = json_loads(sb_cstr(&r.out), 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "by")), "year");
	assert_int_equal(json_array_size(json_object_get(j, "periods")),
	                 2024 - 1987 + 1);
	assert_int_equal(jint(j, "undated"), 2);
	json_decref(j);
	lede(&r, "timeline", "-d", t->db, "asylum", "--by", "week", NULL);
	expect_code(&r, 2);
	res_free(&r);
}

/* ---- 10. passages grouped under their article ------------------------ */

/* The jsonl hits of out, as an array of objects (summary left out). */
static json_t *jsonl_hits(const strbuf *out)
{
	json_t *hits = json_array();
	const char *p = sb_cstr(out);
	while (*p) {
		size_t n = strcspn(p, "\n");
		json_t *j = json_loadb(p, n, 0, NULL);
		assert_non_null(j);
		if (!strcmp(json_string_value(json_object_get(j, "type")), "hit"))
			json_array_append(hits, j);
		json_decref(j);
		p += n + (p[n] == '\n');
	}
	return hits;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	assert_non_null(v);
	return v;
}

/* -p 3: the articles of -p 1 in the same order, each once (a folded copy
 * never comes back as a hit of its own), each followed by its further
 * passages, best first, under one rank; -n counts articles. */
static void test_passages_grouped(void **state)
{
	tmp *t = *state;
	char *sample = run_path(run_src_dir(), "corpus/sample");
	char *idx[] = { "index", "-q", "-d", t->db, sample, NULL };
	assert_int_equal(run_lede_ok(idx), 0);
	res r1 = { 0 }, r3 = { 0 };
	lede(&r1, "search", "-d", t->db, "said", "-n", "40", "-f", "jsonl", NULL);
	expect_code(&r1, 0);
	lede(&r3, "search", "-d", t->db, "said", "-n", "40", "-p", "3", "-f",
	     "jsonl", NULL);
	expect_code(&r3, 0);
	json_t *one = jsonl_hits(&r1.out), *three = jsonl_hits(&r3.out);
	assert_int_equal(json_array_size(one), 40);
	assert_true(json_array_size(three) > 40);
	size_t a = 0, folded = 0;
	for (size_t i = 0; i < json_array_size(three); a++) {
		json_t *best = json_array_get(three, i);
		json_t *want = json_array_get(one, a);
		assert_non_null(want);
		/* the article and its best passage, as with one passage */
		assert_string_equal(jstr(best, "id"), jstr(want, "id"));
		assert_int_equal(jint(best, "passage"), jint(want, "passage"));
		assert_int_equal(jint(best, "rank"), (json_int_t)a + 1);
		folded += jint(best, "also_in") > 0;
		size_t k = i + 1;
		double last = json_real_value(json_object_get(best, "score"));
		for (; k < json_array_size(three); k++) {
			json_t *h = json_array_get(three, k);
			if (jint(h, "rank") != (json_int_t)a + 1)
				break;
			assert_string_equal(jstr(h, "id"), jstr(best, "id"));
			assert_int_not_equal(jint(h, "passage"), jint(best, "passage"));
			assert_int_equal(jint(h, "also_in"), jint(best, "also_in"));
			double sc = json_real_value(json_object_get(h, "score"));
			assert_true(sc <= last + 1e-9);
			last = sc;
		}
		assert_true(k - i <= 3);
		i = k;
	}
	assert_int_equal(a, 40);
	assert_true(folded >= 1);   /* the sample has syndicated copies */
	json_t *sum = last_json_line(&r3.out);
	assert_int_equal(jint(sum, "returned_articles"), 40);
	assert_int_equal(jint(sum, "returned"), (json_int_t)json_array_size(three));
	json_decref(sum);

	/* text: each article's heading once, its passages under it */
	lede(&r3, "search", "-d", t->db, "said", "-n", "2", "-p", "3", NULL);
	expect_code(&r3, 0);
	const char *out = sb_cstr(&r3.out);
	assert_non_null(strstr(out, " 1. "));
	assert_non_null(strstr(out, " 2. "));
	assert_null(strstr(out, " 3. "));
	assert_non_null(strstr(out, "\n    passage "));
	assert_non_null(strstr(out, "2 shown of "));   /* "about" only for an estimate */
	/* a TREC run names each article once */
	lede(&r3, "search", "-d", t->db, "said", "-n", "5", "-p", "3", "-f",
	     "trec", NULL);
	expect_code(&r3, 0);
	assert_int_equal(count_lines(&r3.out), 5);
	json_decref(one);
	json_decref(three);
	res_free(&r1);
	res_free(&r3);
	free(sample);
}

/* ---- 12. indexing progress ------------------------------------------ */

/* The ETA is the bytes still to read at the rate read so far; sizes in
 * the total's unit. */
static void test_progress_line_eta(void **state)
{
	(void)state;
	indexer_progress p = { 3, 10, 1000000, 4000000, 120, 300, 10.0 };
	strbuf b = STRBUF_INIT;
	indexer_progress_line(&b, &p);
	assert_string_equal(sb_cstr(&b), "indexing: 3 of 10 files, 1.0 of 4.0 MB, "
	                    "120 articles, 300 passages, 0.1 MB/s, ETA 30 s");
	/* long: minutes, then hours */
	indexer_progress q = { 1, 2, 1000000, 900000000, 5, 5, 10.0 };
	sb_reset(&b);
	indexer_progress_line(&b, &q);
	assert_non_null(strstr(sb_cstr(&b), "1.0 of 900.0 MB"));
	assert_non_null(strstr(sb_cstr(&b), "ETA 2 h 29 min"));
	q.total_bytes = 20000000;
	sb_reset(&b);
	indexer_progress_line(&b, &q);
	assert_non_null(strstr(sb_cstr(&b), "ETA 3 min"));
	/* nothing read yet, or standard input (no total): no ETA */
	indexer_progress z = { 0, 4, 0, 5000, 0, 0, 0.5 };
	sb_reset(&b);
	indexer_progress_line(&b, &z);
	assert_null(strstr(sb_cstr(&b), "ETA"));
	assert_non_null(strstr(sb_cstr(&b), "0 of 4 files, 0 of 5 KB"));
	indexer_progress in = { 1, 0, 3000000, 0, 10, 10, 1.0 };
	sb_reset(&b);
	indexer_progress_line(&b, &in);
	assert_string_equal(sb_cstr(&b), "indexing: 1 file, 3.0 MB, 10 articles, "
	                    "10 passages, 3.0 MB/s");
	sb_release(&b);
}

/* On a terminal, a folder's files are counted as they are read, against
 * the total found before (not 0 until the folder is done), and so are
 * its bytes. */
static void test_progress_counts_files_in_folder(void **state)
{
	tmp *t = *state;
	char *in = run_path(t->dir, "in");
	assert_int_equal(mkdir(in, 0700), 0);
	char *sub = run_path(in, "sub");
	assert_int_equal(mkdir(sub, 0700), 0);
	/* a note in the folder is not read, so not counted */
	write_txt(in, "README", "about this archive\n");
	for (int i = 0; i < 4; i++) {
		char name[32];
		snprintf(name, sizeof name, "s%d.txt", i);
		write_txt(i < 2 ? in : sub, name, "Story %d\nDate: 2024-01-0%d\n\n"
		          "The council voted on the shelter budget, item %d.\n",
		          i, i + 1, i);
	}
	run_opts o = RUN_OPTS_INIT;
	o.stderr_tty = 1;
	res r = { 0 };
	lede_o(&r, &o, "index", "-d", t->db, in, NULL);
	expect_code(&r, 0);
	const char *err = sb_cstr(&r.err);
	const char *line = strstr(err, "indexing: ");
	assert_non_null(line);
	/* the first line comes with the first article: its file is counted */
	assert_true(strncmp(line, "indexing: 0 ", 12) != 0);
	assert_non_null(strstr(line, " of 4 files, "));
	assert_non_null(strstr(line, " KB, "));
	assert_non_null(strstr(err, "4 new"));
	res_free(&r);
	free(sub);
	free(in);
}

/* ---- 13. remote shards -------------------------------------------- */

/* A made-up archive of n articles for shard k (k < 0: none) into out, as
 * JSON Lines: cities, officials, agencies, responses, sources and dates
 * that vary, some undated, some dated by year only, and every fifth
 * article followed by a syndicated copy from another source (copies stay
 * in their original's shard: near-duplicates are found within a
 * database). */
static void shard_articles(strbuf *out, int k, int n)
{
	static const char *const cities[] = { "Los Angeles", "Chicago",
	                                      "Houston", "El Paso", "Denver" };
	static const char *const agencies[] = {
		"Immigration and Customs Enforcement", "Border Patrol", "FEMA" };
	static const char *const responses[] = { "mass deportation",
	                                         "sanctuary", "national guard",
	                                         "asylum" };
	static const char *const sources[] = { "Valley Ledger", "Harbor Times",
	                                       "El Pa\xc3\xads", "Gulf Wire" };
	static const char *const mayors[] = { "Karen Bass", "Brandon Johnson",
	                                      "John Whitmire" };
	for (int i = 0; i < n; i++) {
		int a = k * 1000 + i;
		char date[16];
		if (a % 11 == 3)
			date[0] = '\0';
		else if (a % 13 == 5)
			snprintf(date, sizeof date, "%d", 2019 + a % 6);
		else
			snprintf(date, sizeof date, "%d-%02d-%02d", 2019 + a % 6,
			         1 + a % 12, 1 + a % 27);
		strbuf text = STRBUF_INIT;
		sb_addf(&text, "Officials in %s said on Monday that %s agents had "
		        "begun an operation, and Mayor %s said the city would "
		        "answer the %s push in court. Story number %d of the "
		        "series notes the shelter count rose by %d families.\\n\\n"
		        "A second paragraph about %s and the %s plan, with the "
		        "council vote %d to %d and a hearing set for the week.",
		        cities[a % 5], agencies[a % 3], mayors[a % 3],
		        responses[a % 4], a, a % 97, cities[(a + 2) % 5],
		        responses[(a + 1) % 4], a % 9, a % 7);
		/* words of its own, so that no two stories but a copy look
		 * alike to the near-duplicate finder */
		static const char *const words[] = {
			"budget", "school", "transit", "harbor", "permit", "zoning",
			"library", "water", "fire", "clinic", "bridge", "tax", "park",
			"union", "strike", "rent", "housing", "police", "court",
			"jail", "election", "ballot", "drought", "storm", "museum",
			"airport", "rail", "farm", "wage", "nurse", "teacher",
			"pension", "audit", "contract", "grant", "tariff" };
		uint32_t x = (uint32_t)a * 2654435761u + 12345u;
		sb_addstr(&text, "\\n\\nAlso:");
		for (int w = 0; w < 60; w++) {
			x = x * 1103515245u + 12345u;
			sb_addf(&text, " %s", words[(x >> 16) % 36]);
		}
		sb_addch(&text, '.');
		for (int copy = 0; copy <= (i % 5 == 0); copy++)
			sb_addf(out, "{\"id\":\"s%d-%d%s\",\"title\":\"Story %d from "
			        "%s\",\"date\":\"%s\",\"source\":\"%s\",\"text\":\"%s\"}\n",
			        k, i, copy ? "-copy" : "", a, cities[a % 5], date,
			        sources[(a + copy) % 4], text.buf);
		sb_release(&text);
	}
	/* Spanish in the last shard only: the stub's first shard knows no
	 * Spanish, and a query must still be read in every language */
	if (k == 2)
		sb_addstr(out, "{\"id\":\"es-1\",\"lang\":\"es\",\"title\":"
		          "\"La alcaldesa y la deportaci\u00f3n masiva\",\"date\":"
		          "\"2024-05-02\",\"source\":\"El Pa\u00eds\",\"text\":"
		          "\"La alcaldesa de Los \u00c1ngeles dijo que la ciudad "
		          "rechaza las deportaciones masivas anunciadas por el "
		          "gobierno federal y que defender\u00e1 a las familias en "
		          "los tribunales.\"}\n");
}

typedef struct shards {
	pid_t srv[3];
	int port[3];
	char *stub, *whole;
} shards;

static void shards_stop(shards *sh);

/* The shards of the test running: static, so that its teardown stops
 * the servers even when an assertion ends the test early. */
static shards live_shards;

static int teardown_shards(void **state)
{
	shards_stop(&live_shards);
	return teardown_tmp(state);
}

/* Three shard databases served by xapian-tcpsrv on free loopback ports,
 * a stub listing them, and one database of the same articles. The test
 * is skipped when xapian-tcpsrv is not installed. */
static void shards_start(tmp *t, shards *sh)
{
	memset(sh, 0, sizeof *sh);
	sh->whole = run_path(t->dir, "whole");
	strbuf stub = STRBUF_INIT;
	char *files[3];
	for (int k = 0; k < 3; k++) {
		char name[32];
		snprintf(name, sizeof name, "shard%d.jsonl", k);
		files[k] = run_path(t->dir, name);
		strbuf in = STRBUF_INIT;
		shard_articles(&in, k, 24);
		assert_int_equal(run_write_file(files[k], in.buf, in.len), 0);
		sb_release(&in);
		snprintf(name, sizeof name, "shard%d.db", k);
		char *db = run_path(t->dir, name);
		char *args[] = { "index", "-q", "-d", db, files[k], NULL };
		assert_int_equal(run_lede_ok(args), 0);
		sh->srv[k] = tcpsrv_start(db, &sh->port[k]);
		free(db);
		if (sh->srv[k] == 0) {
			for (int j = 0; j <= k; j++)
				free(files[j]);
			sb_release(&stub);
			shards_stop(sh);
			print_message("xapian-tcpsrv not installed: skipping\n");
			skip();
		}
		assert_true(sh->srv[k] > 0);
		sb_addf(&stub, "remote 127.0.0.1:%d\n", sh->port[k]);
	}
	char *whole[] = { "index", "-q", "-d", sh->whole, files[0], files[1],
	                  files[2], NULL };
	assert_int_equal(run_lede_ok(whole), 0);
	sh->stub = run_path(t->dir, "shards.stub");
	assert_int_equal(run_write_file(sh->stub, stub.buf, stub.len), 0);
	sb_release(&stub);
	for (int k = 0; k < 3; k++)
		free(files[k]);
}

static void shards_stop(shards *sh)
{
	for (int k = 0; k < 3; k++) {
		if (sh->srv[k] > 0)
			kill(sh->srv[k], SIGCONT);
		tcpsrv_stop(sh->srv[k]);
		sh->srv[k] = 0;
	}
	free(sh->stub);
	free(sh->whole);
	sh->stub = sh->whole = NULL;
}

static int hit_cmp(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	double sa = json_real_value(json_object_get(a, "score"));
	double sb = json_real_value(json_object_get(b, "score"));
	/* scores equal to rounding: by id, as docids break ties per shard */
	if (sa - sb > 1e-9 * (sa > 0 ? sa : 1))
		return -1;
	if (sb - sa > 1e-9 * (sb > 0 ? sb : 1))
		return 1;
	int c = strcmp(json_string_value(json_object_get(a, "id")),
	               json_string_value(json_object_get(b, "id")));
	return c ? c : (int)(json_integer_value(json_object_get(a, "passage")) -
	                     json_integer_value(json_object_get(b, "passage")));
}

/* The same page from the shards as from the one database: the same
 * articles and passages with the same scores (ties in any order), the
 * same summary counts and facets. */
static void expect_same_search(const shards *sh, const char *const *extra,
                               size_t nextra)
{
	res r[2];
	memset(r, 0, sizeof r);
	for (int w = 0; w < 2; w++) {
		char *args[24] = { "search", "-d", w ? sh->stub : sh->whole, "-f",
		                   "jsonl", "--facets", "all" };
		size_t n = 7;
		for (size_t i = 0; i < nextra; i++)
			args[n++] = (char *)extra[i];
		args[n] = NULL;
		int rc = run_lede(args, &r[w].out, &r[w].err, &r[w].code);
		assert_int_equal(rc, 0);
		if (r[w].code != 0)
			fail_msg("%s: exit %d: %s", w ? "shards" : "one database",
			         r[w].code, sb_cstr(&r[w].err));
	}
	json_t *h[2], *sum[2];
	for (int w = 0; w < 2; w++) {
		h[w] = jsonl_hits(&r[w].out);
		sum[w] = last_json_line(&r[w].out);
	}
	static const char *const counts[] = { "total", "returned",
	                                      "returned_articles", "undated",
	                                      "undated_outside_dates" };
	for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
		if (jint(sum[0], counts[i]) != jint(sum[1], counts[i]))
			fail_msg("%s [%s]: %lld from one database, %lld from the "
			         "shards", counts[i], extra[nextra - 1],
			         (long long)jint(sum[0], counts[i]),
			         (long long)jint(sum[1], counts[i]));
	char *f0 = json_dumps(json_object_get(sum[0], "facets"), JSON_SORT_KEYS);
	char *f1 = json_dumps(json_object_get(sum[1], "facets"), JSON_SORT_KEYS);
	if (strcmp(f0, f1))
		fail_msg("facets [%s]:\n one database %s\n shards       %s",
		         extra[nextra - 1], f0, f1);
	assert_true(strlen(f0) > 40);
	free(f0);
	free(f1);
	size_t n = json_array_size(h[0]);
	assert_int_equal(n, json_array_size(h[1]));
	json_t **v[2];
	for (int w = 0; w < 2; w++) {
		v[w] = xcalloc(n ? n : 1, sizeof *v[w]);
		for (size_t i = 0; i < n; i++)
			v[w][i] = json_array_get(h[w], i);
		qsort(v[w], n, sizeof *v[w], hit_cmp);
	}
	/* the page ends inside a run of equal scores: which of them make
	 * it is docid order, which sharding changes; only their scores
	 * must agree. A page that holds every match has no such run: all
	 * of it is compared (a boolean query's hits all score 0). */
	int whole = jint(sum[0], "total") == (json_int_t)n;
	double cut = n && !whole
	             ? json_real_value(json_object_get(v[0][n - 1], "score"))
	             : -1;
	for (size_t i = 0; i < n; i++) {
		double s0 = json_real_value(json_object_get(v[0][i], "score"));
		double s1 = json_real_value(json_object_get(v[1][i], "score"));
		if (fabs(s0 - s1) > 1e-6 * (fabs(s0) + 1e-9))
			fail_msg("[%s] hit %zu: score %g from one database, %g from "
			         "the shards", extra[nextra - 1], i, s0, s1);
		if (!whole && s0 - cut <= 1e-9 * (fabs(cut) + 1e-9))
			continue;
		assert_string_equal(jstr(v[0][i], "id"), jstr(v[1][i], "id"));
		assert_int_equal(jint(v[0][i], "passage"), jint(v[1][i], "passage"));
		assert_int_equal(jint(v[0][i], "also_in"), jint(v[1][i], "also_in"));
	}
	for (int w = 0; w < 2; w++) {
		free(v[w]);
		json_decref(h[w]);
		json_decref(sum[w]);
		res_free(&r[w]);
	}
}

/* Run lede with args (NULL-ended) on db into out; the exit code. */
static int lede_on(const char *cmd, const char *db, strbuf *out,
                   const char *a1, const char *a2, const char *a3)
{
	char *args[] = { (char *)cmd, "-d", (char *)db, (char *)a1, (char *)a2,
	                 (char *)a3, NULL };
	int code = -1;
	strbuf err = STRBUF_INIT;
	assert_int_equal(run_lede(args, out, &err, &code), 0);
	if (code != 0)
		print_error("lede %s -d %s: %s\n", cmd, db, sb_cstr(&err));
	sb_release(&err);
	return code;
}

/* An archive split into three shards served by xapian-tcpsrv, searched
 * through a stub file, gives the pages, totals and facets of one
 * database of the same articles, and so do stats and timelines. */
static void test_shards_same_as_one(void **state)
{
	tmp *t = *state;
	shards *sh = &live_shards;
	shards_start(t, sh);
	const char *q1[] = { "mayor" };
	const char *q2[] = { "-n", "50", "shelter families" };
	const char *q3[] = { "--no-dedup", "-n", "30", "city:chicago OR agency:ice" };
	const char *q4[] = { "-p", "3", "-n", "5", "council vote" };
	const char *q5[] = { "--since", "2022", "sanctuary" };
	const char *q6[] = { "-n", "0", "official:bass" };
	const char *q7[] = { "deportaciones familias" };
	expect_same_search(sh, q1, 1);
	expect_same_search(sh, q2, 3);
	expect_same_search(sh, q3, 4);
	expect_same_search(sh, q4, 5);
	expect_same_search(sh, q5, 3);
	expect_same_search(sh, q6, 3);
	expect_same_search(sh, q7, 1);

	/* a stub of a local shard (relative to the stub), a remote one and
	 * a nested stub naming the third: the same as one database too */
	char *inner = run_path(t->dir, "inner.stub");
	char line[64];
	int len = snprintf(line, sizeof line, "remote 127.0.0.1:%d\n", sh->port[2]);
	assert_int_equal(run_write_file(inner, line, (size_t)len), 0);
	char *mixed = run_path(t->dir, "mixed.stub");
	strbuf m = STRBUF_INIT;
	sb_addf(&m, "# local, remote, nested\nauto shard0.db\nremote 127.0.0.1:%d\n"
	        "auto inner.stub\n", sh->port[1]);
	assert_int_equal(run_write_file(mixed, m.buf, m.len), 0);
	sb_release(&m);
	char *keep = sh->stub;
	sh->stub = mixed;
	expect_same_search(sh, q1, 1);
	expect_same_search(sh, q7, 1);
	sh->stub = keep;
	free(mixed);
	free(inner);

	/* stats: the same counts and top entities (not the size on disk) */
	strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	assert_int_equal(lede_on("stats", sh->whole, &a, "-f", "json", NULL), 0);
	assert_int_equal(lede_on("stats", sh->stub, &b, "-f", "json", NULL), 0);
	json_t *ja = json_loads(sb_cstr(&a), 0, NULL);
	json_t *jb = json_loads(sb_cstr(&b), 0, NULL);
	assert_non_null(ja);
	assert_non_null(jb);
	assert_int_equal(jint(jb, "remote_shards"), 3);
	json_object_del(ja, "disk_bytes");
	json_object_del(jb, "disk_bytes");
	json_object_del(ja, "remote_shards");
	json_object_del(jb, "remote_shards");
	char *sa = json_dumps(ja, JSON_SORT_KEYS);
	char *sb = json_dumps(jb, JSON_SORT_KEYS);
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(ja);
	json_decref(jb);
	/* timelines, text and json */
	const char *tq[][2] = { { "mayor", NULL }, { "sanctuary", "--by" } };
	for (size_t i = 0; i < 2; i++) {
		sb_reset(&a);
		sb_reset(&b);
		assert_int_equal(lede_on("timeline", sh->whole, &a, tq[i][0],
		                         tq[i][1] ? "--by" : NULL,
		                         tq[i][1] ? "month" : NULL), 0);
		assert_int_equal(lede_on("timeline", sh->stub, &b, tq[i][0],
		                         tq[i][1] ? "--by" : NULL,
		                         tq[i][1] ? "month" : NULL), 0);
		assert_string_equal(sb_cstr(&a), sb_cstr(&b));
		assert_non_null(strstr(sb_cstr(&a), "undated"));
	}
	sb_release(&a);
	sb_release(&b);
	shards_stop(sh);
}

/* A shard that stops answering fails the search within the timeout
 * asked for, naming that shard; one that is gone fails at once, named. */
static void test_stopped_shard_named_in_time(void **state)
{
	tmp *t = *state;
	shards *sh = &live_shards;
	shards_start(t, sh);
	static const char *const cmds[][4] = {
		{ "search", "--facets", "city", "mayor" },
		{ "timeline", "mayor", NULL, NULL },
		{ "stats", NULL, NULL, NULL },
	};
	kill(sh->srv[1], SIGSTOP);
	const char *env[] = { "LEDE_REMOTE_TIMEOUT=1", NULL };
	char hostport[32];
	snprintf(hostport, sizeof hostport, "127.0.0.1:%d", sh->port[1]);
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		run_opts o = RUN_OPTS_INIT;
		o.env = env;
		o.timeout_s = 30;   /* a safety net: the test asks for 1 s */
		char *args[8] = { (char *)cmds[i][0], "-d", sh->stub };
		for (int k = 1; k < 4 && cmds[i][k]; k++)
			args[2 + k] = (char *)cmds[i][k];
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		res r = { 0 };
		assert_int_equal(run_lede_opts(args, &o, &r.out, &r.err, &r.code), 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double secs = (double)(t1.tv_sec - t0.tv_sec) +
		              (t1.tv_nsec - t0.tv_nsec) / 1e9;
		expect_code(&r, 3);
		if (!strstr(sb_cstr(&r.err), hostport))
			fail_msg("lede %s: the error does not name %s: %s", cmds[i][0],
			         hostport, sb_cstr(&r.err));
		/* opening waits at most one timeout, the search one more */
		assert_true(secs < 8);
		res_free(&r);
	}
	/* through the API: the timeouts of lede_open_opts, whatever the
	 * environment says */
	lede_open_opts oo = LEDE_OPEN_OPTS_INIT;
	oo.remote_timeout_ms = 300;
	oo.connect_timeout_ms = 300;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lede_db *db = NULL;
	assert_int_equal(lede_open_with(&db, sh->stub, &oo), LEDE_EDB);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
	              (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_non_null(strstr(lede_errmsg(db), hostport));
	assert_non_null(strstr(lede_errmsg(db), "shard 2"));
	assert_true(secs < 3);
	lede_close(db);
	oo.version = 99;
	assert_int_equal(lede_open_with(&db, sh->stub, &oo), LEDE_EUSAGE);
	lede_close(db);
	kill(sh->srv[1], SIGCONT);
	/* a shard that is gone: refused at once */
	tcpsrv_stop(sh->srv[2]);
	sh->srv[2] = 0;
	snprintf(hostport, sizeof hostport, "127.0.0.1:%d", sh->port[2]);
	res r = { 0 };
	lede(&r, "search", "-d", sh->stub, "mayor", NULL);
	expect_code(&r, 3);
	if (!strstr(sb_cstr(&r.err), hostport) ||
	    !strstr(sb_cstr(&r.err), "shard 3"))
		fail_msg("the error does not name shard 3 (%s): %s", hostport,
		         sb_cstr(&r.err));
	res_free(&r);
	shards_stop(sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_undated_in_every_summary,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_timeline_folds_and_counts,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_passages_grouped,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test(test_progress_line_eta),
		cmocka_unit_test_setup_teardown(test_progress_counts_files_in_folder,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_shards_same_as_one, setup_tmp,
		                                teardown_shards),
		cmocka_unit_test_setup_teardown(test_stopped_shard_named_in_time,
		                                setup_tmp, teardown_shards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
