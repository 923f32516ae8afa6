/* End-to-end tests of what `lede` prints: every search output format parsed
 * back with a real parser (jansson, libcsv) and checked against the schema
 * of docs/output-format.md, exit codes, colour, show, timeline, stats, help,
 * and the example program, on the archive of tests/data/search/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <csv.h>
#include <jansson.h>

#include "../indexer/index_schema.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "helpers/run.h"

#define ARCHIVE "tests/data/search/archive.jsonl"
#define NCOLUMNS 13

typedef struct suite {
	char *dir;
	char *db;
} suite;

static suite *S;   /* the suite's database, for the helpers below */

/* Run lede with the NULL-terminated arguments; stdout in out, stderr in
 * err (both reset first); returns the exit code. */
static int lede_env(strbuf *out, strbuf *err, const char *const *env, ...)
{
	char *args[64];
	size_t n = 0;
	va_list ap;
	va_start(ap, env);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL && n < 63)
		args[n++] = (char *)a;
	va_end(ap);
	args[n] = NULL;
	if (out)
		sb_reset(out);
	if (err)
		sb_reset(err);
	run_opts o = RUN_OPTS_INIT;
	o.env = env;
	int code = -1;
	assert_int_equal(run_lede_opts(args, &o, out, err, &code), 0);
	return code;
}

#define lede(out, err, ...) lede_env(out, err, NULL, __VA_ARGS__, NULL)

static int group_setup(void **state)
{
	suite *s = xcalloc(1, sizeof *s);
	s->dir = run_mkdtemp("output");
	s->db = run_path(s->dir, "db");
	char *src = run_path(run_src_dir(), ARCHIVE);
	char *args[] = { "index", "-q", "-d", s->db, src, NULL };
	if (run_lede_ok(args) != 0)
		return -1;
	free(src);
	S = s;
	*state = s;
	return 0;
}

static int group_teardown(void **state)
{
	suite *s = *state;
	if (!s)
		return 0;
	run_rmtree(s->dir);
	free(s->dir);
	free(s->db);
	free(s);
	return 0;
}

static json_t *parse_json(const strbuf *b)
{
	json_error_t e;
	json_t *j = json_loadb(b->buf ? b->buf : "", b->len, 0, &e);
	if (!j)
		print_error("bad json (line %d): %s\n%s\n", e.line, e.text,
		            sb_cstr(b));
	assert_non_null(j);
	return j;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		print_error("field %s is not a string\n", key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static json_int_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		print_error("field %s is not an integer\n", key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* Every field of a hit of lede.search/1, with its type. */
static void check_hit_object(json_t *h, json_int_t rank)
{
	assert_true(json_is_object(h));
	assert_int_equal(jint(h, "rank"), rank);
	assert_true(json_is_number(json_object_get(h, "score")));
	assert_true(strlen(jstr(h, "id")) > 0);
	assert_true(jint(h, "passage") >= 0);
	jstr(h, "title");
	const char *date = jstr(h, "date");
	assert_true(strlen(date) == 0 || strlen(date) == 4 || strlen(date) == 7 ||
	            strlen(date) == 10);
	jstr(h, "source");
	jstr(h, "url");
	jstr(h, "lang");
	json_t *snip = json_object_get(h, "snippet");
	assert_true(json_is_string(snip));
	size_t slen = json_string_length(snip);
	assert_true(json_is_boolean(json_object_get(h, "snippet_trimmed_start")));
	assert_true(json_is_boolean(json_object_get(h, "snippet_trimmed_end")));
	json_t *hl = json_object_get(h, "highlights");
	assert_true(json_is_array(hl));
	size_t i;
	json_t *p;
	json_int_t last = 0;
	json_array_foreach(hl, i, p) {
		assert_true(json_is_array(p));
		assert_int_equal(json_array_size(p), 2);
		json_int_t a = json_integer_value(json_array_get(p, 0));
		json_int_t b = json_integer_value(json_array_get(p, 1));
		assert_true(a >= last && a < b && (size_t)b <= slen);
		last = b;
	}
	json_t *po = json_object_get(h, "passage_offsets");
	assert_true(json_is_array(po));
	assert_int_equal(json_array_size(po), 2);
	assert_true(json_integer_value(json_array_get(po, 0)) <
	            json_integer_value(json_array_get(po, 1)));
	json_t *ents = json_object_get(h, "entities");
	assert_true(json_is_object(ents));
	const char *k;
	json_t *arr;
	json_object_foreach(ents, k, arr) {
		assert_true(strcmp(k, "city") == 0 || strcmp(k, "state") == 0 ||
		            strcmp(k, "official") == 0 || strcmp(k, "agency") == 0 ||
		            strcmp(k, "response") == 0);
		assert_true(json_is_array(arr));
		json_t *e;
		json_array_foreach(arr, i, e)
			assert_true(json_is_string(e));
	}
	assert_true(jint(h, "also_in") >= 0);
}

static void check_summary(json_t *s, size_t returned, const char *query)
{
	assert_string_equal(jstr(s, "type"), "summary");
	assert_string_equal(jstr(s, "schema"), "lede.search/1");
	assert_string_equal(jstr(s, "query"), query);
	assert_true(jint(s, "total") >= (json_int_t)returned);
	assert_int_equal(jint(s, "returned"), returned);
	json_t *sec = json_object_get(s, "seconds");
	assert_true(json_is_number(sec));
	assert_true(json_number_value(sec) >= 0);
}

static void test_json(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "-f", "json",
	                      "-F", "city,year,source", "-n", "50",
	                      "said OR the"), 0);
	json_t *j = parse_json(&out);
	assert_string_equal(jstr(j, "schema"), "lede.search/1");
	json_t *hits = json_object_get(j, "hits");
	assert_true(json_is_array(hits));
	assert_true(json_array_size(hits) >= 10);
	size_t i;
	json_t *h;
	json_array_foreach(hits, i, h)
		check_hit_object(h, (json_int_t)i + 1);
	json_t *sum = json_object_get(j, "summary");
	check_summary(sum, json_array_size(hits), "said OR the");
	/* all matches were returned, so the total is exact */
	assert_int_equal(jint(sum, "total"), json_array_size(hits));
	json_t *facets = json_object_get(sum, "facets");
	assert_true(json_is_object(facets));
	assert_int_equal(json_object_size(facets), 3);
	const char *names[] = { "city", "year", "source" };
	for (size_t k = 0; k < 3; k++) {
		json_t *arr = json_object_get(facets, names[k]);
		assert_true(json_is_array(arr));
		assert_true(json_array_size(arr) > 0);
		json_t *v;
		json_int_t prev = INT64_MAX;
		json_array_foreach(arr, i, v) {
			jstr(v, "value");
			json_int_t c = jint(v, "count");
			assert_true(c > 0 && c <= prev);
			prev = c;
		}
	}
	json_decref(j);
	/* no facets asked: no facets member */
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "-f", "json",
	                      "sanctuary"), 0);
	j = parse_json(&out);
	assert_null(json_object_get(json_object_get(j, "summary"), "facets"));
	json_decref(j);
	sb_release(&out);
	sb_release(&err);
}

static void test_jsonl(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT, js = STRBUF_INIT;
	assert_int_equal(lede(&out, NULL, "search", "-d", s->db, "-f", "jsonl",
	                      "-n", "50", "--no-dedup", "raids OR deportation"), 0);
	assert_int_equal(lede(&js, NULL, "search", "-d", s->db, "-f", "json",
	                      "-n", "50", "--no-dedup", "raids OR deportation"), 0);
	json_t *whole = parse_json(&js);
	json_t *hits = json_object_get(whole, "hits");
	size_t nlines = 0, nhits = 0;
	const char *p = sb_cstr(&out);
	assert_true(out.len > 0 && p[out.len - 1] == '\n');
	json_t *last = NULL;
	while (*p) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		json_error_t e;
		json_t *o = json_loadb(p, (size_t)(nl - p), 0, &e);
		assert_non_null(o);
		json_decref(last);
		last = o;
		nlines++;
		if (strcmp(jstr(o, "type"), "hit") == 0) {
			check_hit_object(o, (json_int_t)nhits + 1);
			json_t *same = json_array_get(hits, nhits);
			assert_non_null(same);
			assert_string_equal(jstr(o, "id"), jstr(same, "id"));
			assert_string_equal(jstr(o, "snippet"), jstr(same, "snippet"));
			nhits++;
		}
		p = nl + 1;
	}
	assert_non_null(last);
	check_summary(last, nhits, "raids OR deportation");
	assert_int_equal(nlines, nhits + 1);
	assert_int_equal(nhits, json_array_size(hits));
	assert_true(nhits >= 3);
	json_decref(last);
	json_decref(whole);
	sb_release(&out);
	sb_release(&js);
}

/* ---- csv ----------------------------------------------------------------- */

typedef struct table {
	char ***rows;       /* rows of NUL-terminated fields */
	size_t *nfields;
	size_t nrows, cap;
	char **cur;
	size_t ncur, curcap;
} table;

static void on_field(void *data, size_t len, void *ud)
{
	table *t = ud;
	XGROW(t->cur, t->curcap, t->ncur + 1);
	t->cur[t->ncur++] = xstrndup(data ? data : "", len);
}

static void on_row(int c, void *ud)
{
	(void)c;
	table *t = ud;
	XGROW(t->rows, t->cap, t->nrows + 1);
	t->nfields = xrealloc(t->nfields, t->cap * sizeof *t->nfields);
	t->rows[t->nrows] = t->cur;
	t->nfields[t->nrows++] = t->ncur;
	t->cur = NULL;
	t->ncur = t->curcap = 0;
}

static void table_release(table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t f = 0; f < t->nfields[r]; f++)
			free(t->rows[r][f]);
		free(t->rows[r]);
	}
	free(t->rows);
	free(t->nfields);
	memset(t, 0, sizeof *t);
}

static int no_space(unsigned char c) { (void)c; return 0; }

static void parse_csv(const strbuf *b, table *t)
{
	struct csv_parser p;
	assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	csv_set_space_func(&p, no_space);
	size_t n = csv_parse(&p, b->buf, b->len, on_field, on_row, t);
	if (n != b->len)
		print_error("csv: %s\n", csv_strerror(csv_error(&p)));
	assert_int_equal(n, b->len);
	assert_int_equal(csv_fini(&p, on_field, on_row, t), 0);
	csv_free(&p);
}

static const char *const columns[NCOLUMNS] = {
	"rank", "score", "id", "passage", "title", "date", "source", "url",
	"lang", "snippet", "highlights", "entities", "also_in"
};

static void test_csv(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT, js = STRBUF_INIT;
	const char *q = "\"no, never\" OR sanctuary OR backlog";
	assert_int_equal(lede(&out, NULL, "search", "-d", s->db, "-f", "csv",
	                      "-n", "20", q), 0);
	assert_int_equal(lede(&js, NULL, "search", "-d", s->db, "-f", "json",
	                      "-n", "20", q), 0);
	table t = { 0 };
	parse_csv(&out, &t);
	json_t *j = parse_json(&js);
	json_t *hits = json_object_get(j, "hits");
	assert_int_equal(t.nrows, json_array_size(hits) + 1);
	assert_int_equal(t.nfields[0], NCOLUMNS);
	for (size_t c = 0; c < NCOLUMNS; c++)
		assert_string_equal(t.rows[0][c], columns[c]);
	int quoted_title = 0;
	for (size_t r = 1; r < t.nrows; r++) {
		json_t *h = json_array_get(hits, r - 1);
		assert_int_equal(t.nfields[r], NCOLUMNS);
		assert_int_equal(atoi(t.rows[r][0]), (int)r);
		assert_string_equal(t.rows[r][2], jstr(h, "id"));
		assert_string_equal(t.rows[r][4], jstr(h, "title"));
		assert_string_equal(t.rows[r][5], jstr(h, "date"));
		assert_string_equal(t.rows[r][9], jstr(h, "snippet"));
		assert_int_equal(atoi(t.rows[r][12]), jint(h, "also_in"));
		/* highlights "a-b c-d" as in json */
		json_t *hl = json_object_get(h, "highlights");
		strbuf want = STRBUF_INIT;
		for (size_t k = 0; k < json_array_size(hl); k++)
			sb_addf(&want, "%s%lld-%lld", k ? " " : "",
			        (long long)json_integer_value(
			                json_array_get(json_array_get(hl, k), 0)),
			        (long long)json_integer_value(
			                json_array_get(json_array_get(hl, k), 1)));
		assert_string_equal(t.rows[r][10], sb_cstr(&want));
		sb_release(&want);
		if (strcmp(t.rows[r][2], "s13") == 0) {
			/* commas, quotes and line breaks survive the round trip */
			assert_string_equal(t.rows[r][4],
			                    "Mayor says \"no, never\" to ICE, again, in "
			                    "San Diego");
			assert_non_null(strstr(t.rows[r][9], "\"no, never\""));
			assert_non_null(strstr(t.rows[r][9], "\n\n"));
			quoted_title = 1;
		}
	}
	assert_true(quoted_title);
	table_release(&t);
	json_decref(j);
	/* --no-header */
	assert_int_equal(lede(&out, NULL, "search", "-d", s->db, "-f", "csv",
	                      "--no-header", "sanctuary"), 0);
	parse_csv(&out, &t);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][2], "s01");
	table_release(&t);
	sb_release(&out);
	sb_release(&js);
}

static void test_tsv(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT, js = STRBUF_INIT;
	const char *q = "\"no, never\" OR backlog";
	assert_int_equal(lede(&out, NULL, "search", "-d", s->db, "-f", "tsv",
	                      "-n", "20", q), 0);
	assert_int_equal(lede(&js, NULL, "search", "-d", s->db, "-f", "json",
	                      "-n", "20", q), 0);
	json_t *j = parse_json(&js);
	json_t *hits = json_object_get(j, "hits");
	size_t line = 0;
	int saw_s13 = 0;
	char *text = xstrdup(sb_cstr(&out)), *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save), line++) {
		char *f[NCOLUMNS + 1];
		size_t n = 0;
		char *p = l;
		for (;;) {
			assert_true(n <= NCOLUMNS);
			f[n++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		assert_int_equal(n, NCOLUMNS);
		if (line == 0) {
			for (size_t c = 0; c < NCOLUMNS; c++)
				assert_string_equal(f[c], columns[c]);
			continue;
		}
		json_t *h = json_array_get(hits, line - 1);
		assert_non_null(h);
		assert_string_equal(f[2], jstr(h, "id"));
		assert_string_equal(f[4], jstr(h, "title"));
		/* the snippet with its line breaks made spaces */
		char *sn = xstrdup(jstr(h, "snippet"));
		for (char *c = sn; *c; c++)
			if (*c == '\n' || *c == '\t')
				*c = ' ';
		assert_string_equal(f[9], sn);
		free(sn);
		saw_s13 |= strcmp(f[2], "s13") == 0;
	}
	assert_int_equal(line, json_array_size(hits) + 1);
	assert_true(saw_s13);
	free(text);
	json_decref(j);
	sb_release(&out);
	sb_release(&js);
}

static void test_trec(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT;
	assert_int_equal(lede(&out, NULL, "search", "-d", s->db, "-f", "trec",
	                      "-n", "30", "said OR the"), 0);
	char *text = xstrdup(sb_cstr(&out)), *save = NULL;
	int rank = 0;
	double last = 1e300;
	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char qid[32], q0[8], id[64], tag[32], extra[8];
		int r;
		double score;
		int n = sscanf(l, "%31s %7s %63s %d %lf %31s %7s", qid, q0, id, &r,
		               &score, tag, extra);
		assert_int_equal(n, 6);
		assert_string_equal(q0, "Q0");
		assert_string_equal(qid, "1");
		assert_string_equal(tag, "lede");
		assert_int_equal(r, ++rank);
		assert_true(score <= last);
		last = score;
	}
	assert_true(rank >= 10);
	free(text);
	/* every article, copies included (judgments grade each copy), the
	 * three copies of one story side by side */
	assert_int_equal(lede(&out, NULL, "search", "-d", s->db, "-f", "trec",
	                      "-n", "10", "raids"), 0);
	int ranks[3] = { 0, 0, 0 };
	const char *copies[3] = { " s07 ", " s07b ", " s07c " };
	for (int c = 0; c < 3; c++) {
		const char *at = strstr(sb_cstr(&out), copies[c]);
		assert_non_null(at);
		assert_int_equal(sscanf(at + strlen(copies[c]), "%d", &ranks[c]), 1);
	}
	int lo = ranks[0], hi = ranks[0];
	for (int c = 1; c < 3; c++) {
		lo = ranks[c] < lo ? ranks[c] : lo;
		hi = ranks[c] > hi ? ranks[c] : hi;
	}
	assert_int_equal(hi - lo, 2);
	/* a batch: one qid per query */
	char *qf = run_path(s->dir, "queries.tsv");
	const char *qs = "q1\tsanctuary\nq2\tbacklog\n";
	assert_int_equal(run_write_file(qf, qs, strlen(qs)), 0);
	assert_int_equal(lede(&out, NULL, "search", "-d", s->db, "-f", "trec",
	                      "--queries", qf), 0);
	assert_non_null(strstr(sb_cstr(&out), "q1 Q0 s01 1 "));
	assert_non_null(strstr(sb_cstr(&out), "q2 Q0 s17 1 "));
	free(qf);
	sb_release(&out);
}

/* ---- exit codes and errors ----------------------------------------------- */

static size_t count_lines(const strbuf *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->len; i++)
		n += b->buf[i] == '\n';
	return n;
}

static void test_exit_codes(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "sanctuary"), 0);
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "zzyzxq"), 1);
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "-f", "json",
	                      "zzyzxq"), 1);
	json_t *j = parse_json(&out);   /* still a document, with no hits */
	assert_int_equal(json_array_size(json_object_get(j, "hits")), 0);
	json_decref(j);

	const char *bad[] = { "(ice raid", "ice AND", "city:", "\"open" };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(lede(&out, &err, "search", "-d", s->db, bad[i]), 2);
		assert_int_equal(count_lines(&err), 1);
		assert_non_null(strstr(sb_cstr(&err), "column"));
		assert_int_equal(out.len, 0);
	}
	/* bytes that are not UTF-8 still give valid JSON, query included */
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "-f", "jsonl",
	                      "sanctuary \xff\xfe"), 0);
	const char *lastline = out.buf + out.len - 1;
	while (lastline > out.buf && lastline[-1] != '\n')
		lastline--;
	j = json_loads(lastline, 0, NULL);
	assert_non_null(j);
	assert_string_equal(jstr(j, "type"), "summary");
	assert_non_null(strstr(jstr(j, "query"), "sanctuary "));
	json_decref(j);
	/* a query far too long: one error line, no crash */
	strbuf huge = STRBUF_INIT;
	for (int i = 0; i < 20000; i++)
		sb_addstr(&huge, "raid ");
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, sb_cstr(&huge)),
	                 2);
	assert_int_equal(count_lines(&err), 1);
	assert_non_null(strstr(sb_cstr(&err), "column"));
	sb_release(&huge);
	/* bad options */
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "-n", "-1", "x"),
	                 2);
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "-n", "10001",
	                      "x"), 2);
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "-f", "xml",
	                      "x"), 2);
	assert_non_null(strstr(sb_cstr(&err), "xml"));
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "--bogus", "x"),
	                 2);
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "--since",
	                      "soon", "x"), 2);
	assert_int_equal(lede(&out, &err, "search", "-d", s->db), 2);
	assert_int_equal(lede(&out, &err, "search", "-d", s->db, "-F", "color",
	                      "x"), 2);
	assert_int_equal(lede(&out, &err, "frobnicate"), 2);
	assert_int_equal(lede(&out, &err, "show", "-d", s->db), 2);
	/* a missing database */
	char *missing = run_path(s->dir, "no-such-db");
	assert_int_equal(lede(&out, &err, "search", "-d", missing, "x"), 3);
	assert_non_null(strstr(sb_cstr(&err), missing));
	assert_int_equal(lede(&out, &err, "show", "-d", missing, "s01"), 3);
	assert_int_equal(lede(&out, &err, "stats", "-d", missing), 3);
	assert_int_equal(lede(&out, &err, "timeline", "-d", missing, "x"), 3);
	free(missing);
	/* $LEDE_DB stands in for -d */
	strbuf env_db = STRBUF_INIT;
	sb_addf(&env_db, "LEDE_DB=%s", s->db);
	const char *env[] = { sb_cstr(&env_db), NULL };
	assert_int_equal(lede_env(&out, &err, env, "search", "sanctuary", NULL),
	                 0);
	assert_non_null(strstr(sb_cstr(&out), "s01"));
	sb_release(&env_db);
	sb_release(&out);
	sb_release(&err);
}

static void test_no_color(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT;
	const char *env[] = { "NO_COLOR=1", NULL };
	assert_int_equal(lede_env(&out, NULL, env, "search", "-d", s->db, "-F",
	                          "city", "sanctuary", NULL), 0);
	assert_null(memchr(out.buf, '\033', out.len));
	assert_non_null(strstr(sb_cstr(&out), "[sanctuary]"));
	assert_non_null(strstr(sb_cstr(&out), "id: s01"));
	assert_non_null(strstr(sb_cstr(&out), "chicago il"));
	/* not a terminal: no colour even without NO_COLOR */
	assert_int_equal(lede(&out, NULL, "search", "-d", s->db, "sanctuary"), 0);
	assert_null(memchr(out.buf, '\033', out.len));
	assert_int_equal(lede(&out, NULL, "timeline", "-d", s->db, "sanctuary"), 0);
	assert_null(memchr(out.buf, '\033', out.len));
	assert_int_equal(lede(&out, NULL, "show", "-d", s->db, "s01"), 0);
	assert_null(memchr(out.buf, '\033', out.len));
	sb_release(&out);
}

/* ---- show, timeline, stats, help ------------------------------------------- */

static void test_show(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	assert_int_equal(lede(&out, &err, "show", "-d", s->db, "s13"), 0);
	assert_non_null(strstr(sb_cstr(&out),
	                       "Mayor says \"no, never\" to ICE, again, in San "
	                       "Diego"));
	assert_non_null(strstr(sb_cstr(&out), "id: s13"));
	assert_non_null(strstr(sb_cstr(&out), "Council members, divided, said "
	                                      "little."));
	assert_non_null(strstr(sb_cstr(&out), "official: luis arvizu"));
	assert_non_null(strstr(sb_cstr(&out), "city: san diego ca"));
	assert_int_equal(lede(&out, &err, "show", "-d", s->db, "-f", "json",
	                      "s07c"), 0);
	json_t *j = parse_json(&out);
	assert_string_equal(jstr(j, "schema"), "lede.article/1");
	assert_string_equal(jstr(j, "id"), "s07c");
	assert_string_equal(jstr(j, "copy_of"), "s07");
	assert_string_equal(jstr(j, "date"), "2019-07-13");
	assert_string_equal(jstr(j, "source"), "Border Courier");
	assert_string_equal(jstr(j, "lang"), "en");
	jstr(j, "url");
	jstr(j, "authors");
	jstr(j, "title");
	assert_true(jint(j, "passages") >= 1);
	assert_non_null(strstr(jstr(j, "body"), "Several church leaders"));
	json_t *cities = json_object_get(json_object_get(j, "entities"), "city");
	assert_true(json_is_array(cities));
	assert_string_equal(json_string_value(json_array_get(cities, 0)),
	                    "los angeles ca");
	json_decref(j);
	/* an unknown id: nothing found, said on stderr */
	assert_int_equal(lede(&out, &err, "show", "-d", s->db, "nope"), 1);
	assert_int_equal(out.len, 0);
	assert_non_null(strstr(sb_cstr(&err), "nope"));
	/* similar through the command line */
	assert_int_equal(lede(&out, &err, "similar", "-d", s->db, "-f", "json",
	                      "s17"), 0);
	j = parse_json(&out);
	json_t *hits = json_object_get(j, "hits");
	assert_true(json_array_size(hits) > 0);
	size_t i;
	json_t *h;
	json_array_foreach(hits, i, h)
		assert_string_not_equal(jstr(h, "id"), "s17");
	json_decref(j);
	sb_release(&out);
	sb_release(&err);
}

/* "YYYY-MM" or "YYYY" after p, same form. */
static void next_period(const char *p, char *out)
{
	int y = atoi(p), m = strlen(p) > 4 ? atoi(p + 5) : 0;
	if (!m) {
		sprintf(out, "%04d", y + 1);
		return;
	}
	if (++m > 12) {
		m = 1;
		y++;
	}
	sprintf(out, "%04d-%02d", y, m);
}

static void test_timeline(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT;
	const char *q = "said OR dijo";
	/* json: every month from the first to the last, counts add up */
	assert_int_equal(lede(&out, NULL, "timeline", "-d", s->db, "-f", "json",
	                      "--by", "month", q), 0);
	json_t *j = parse_json(&out);
	assert_string_equal(jstr(j, "schema"), "lede.timeline/1");
	assert_string_equal(jstr(j, "by"), "month");
	json_t *periods = json_object_get(j, "periods");
	assert_true(json_array_size(periods) > 12);
	assert_string_equal(jstr(json_array_get(periods, 0), "period"), "2017-02");
	assert_string_equal(jstr(json_array_get(periods,
	                                        json_array_size(periods) - 1),
	                         "period"), "2026-02");
	json_int_t sum = 0;
	char want[16] = "";
	size_t i;
	json_t *p;
	json_array_foreach(periods, i, p) {
		if (i)
			assert_string_equal(jstr(p, "period"), want);
		next_period(jstr(p, "period"), want);
		sum += jint(p, "articles");
	}
	assert_int_equal(sum + jint(j, "undated") + jint(j, "year_only"),
	                 jint(j, "total"));
	json_decref(j);
	/* the library's count of the same query */
	strbuf js = STRBUF_INIT;
	assert_int_equal(lede(&js, NULL, "search", "-d", s->db, "-f", "json",
	                      "-n", "100", q), 0);
	j = parse_json(&js);
	assert_int_equal(sum, json_array_size(json_object_get(j, "hits")));
	json_decref(j);
	sb_release(&js);

	/* csv by year: header, then consecutive years */
	assert_int_equal(lede(&out, NULL, "timeline", "-d", s->db, "-f", "csv",
	                      "--by", "year", q), 0);
	table t = { 0 };
	parse_csv(&out, &t);
	assert_string_equal(t.rows[0][0], "year");
	assert_string_equal(t.rows[0][1], "articles");
	assert_string_equal(t.rows[1][0], "2017");
	assert_int_equal(t.nrows, 1 + 10);  /* 2017 .. 2026 */
	for (size_t r = 2; r < t.nrows; r++) {
		next_period(t.rows[r - 1][0], want);
		assert_string_equal(t.rows[r][0], want);
	}
	assert_string_equal(t.rows[5][0], "2021");
	assert_string_equal(t.rows[5][1], "0");   /* an empty year is shown */
	table_release(&t);

	/* text: one line a period (a single empty year is not folded), then
	 * the number of matching articles */
	assert_int_equal(lede(&out, NULL, "timeline", "-d", s->db, "--by", "year",
	                      q), 0);
	assert_int_equal(count_lines(&out), 10 + 1);
	assert_non_null(strstr(sb_cstr(&out), " matching articles\n"));
	assert_non_null(strstr(sb_cstr(&out), "2021"));
	/* nothing matches */
	assert_int_equal(lede(&out, NULL, "timeline", "-d", s->db, "zzyzxq"), 1);
	assert_int_equal(lede(&out, NULL, "timeline", "-d", s->db, "--by",
	                      "week", q), 2);
	sb_release(&out);
}

static void test_stats(void **state)
{
	suite *s = *state;
	strbuf out = STRBUF_INIT;
	assert_int_equal(lede(&out, NULL, "stats", "-d", s->db, "--format",
	                      "json", "--top", "2"), 0);
	json_t *j = parse_json(&out);
	assert_string_equal(jstr(j, "schema"), "lede.stats/1");
	assert_int_equal(jint(j, "articles"), 20);
	assert_true(jint(j, "passages") >= 20);
	assert_true(jint(j, "terms") > 100);
	assert_true(jint(j, "disk_bytes") > 0);
	assert_string_equal(jstr(j, "langs"), "en,es");
	assert_string_equal(jstr(j, "format"), LEDE_INDEX_FORMAT);
	json_t *top = json_object_get(j, "top");
	const char *types[] = { "city", "state", "official", "agency", "response" };
	for (size_t t = 0; t < 5; t++) {
		json_t *arr = json_object_get(top, types[t]);
		assert_true(json_is_array(arr));
		assert_true(json_array_size(arr) <= 2);
		size_t i;
		json_t *v;
		json_array_foreach(arr, i, v) {
			jstr(v, "value");
			assert_true(jint(v, "articles") > 0);
		}
	}
	assert_string_equal(jstr(json_array_get(json_object_get(top, "city"), 0),
	                         "value"), "los angeles ca");
	json_decref(j);
	assert_int_equal(lede(&out, NULL, "stats", "-d", s->db), 0);
	assert_non_null(strstr(sb_cstr(&out), "articles"));
	sb_release(&out);
}

static void test_help_and_version(void **state)
{
	(void)state;
	strbuf out = STRBUF_INIT;
	assert_int_equal(lede(&out, NULL, "help", "search"), 0);
	assert_non_null(strstr(sb_cstr(&out), "--since"));
	assert_int_equal(lede(&out, NULL, "search", "--help"), 0);
	assert_non_null(strstr(sb_cstr(&out), "usage: lede search"));
	assert_int_equal(lede(&out, NULL, "--version"), 0);
	/* the version on the first line, the defaults after it */
	const char *want = "lede 0.1.0\ndefaults: bm25 k1=";
	assert_true(strncmp(sb_cstr(&out), want, strlen(want)) == 0);
	assert_int_equal(lede(&out, NULL, "--help"), 0);
	const char *cmds[] = { "index", "search", "show", "similar", "timeline",
	                       "stats", "rm" };
	for (size_t i = 0; i < 7; i++) {
		assert_non_null(strstr(sb_cstr(&out), cmds[i]));
		strbuf h = STRBUF_INIT;
		assert_int_equal(lede(&h, NULL, "help", cmds[i]), 0);
		assert_true(h.len > 0);
		sb_release(&h);
	}
	assert_int_equal(lede(&out, NULL, "help", "nosuch"), 2);
	sb_release(&out);
}

/* The example program of examples/ runs against the test database. */
static void test_example_program(void **state)
{
	suite *s = *state;
	const char *build = getenv("LEDE_BUILD");
	char *prog = build ? run_path(build, "examples/search_example")
	                   : run_path(run_src_dir(), "build/examples/search_example");
	if (access(prog, X_OK) != 0) {
		print_message("skipping: %s not built (make test builds it)\n", prog);
		free(prog);
		skip();
	}
	char *argv[] = { prog, s->db, "deportacion", NULL };
	run_opts o = RUN_OPTS_INIT;
	strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int code = -1;
	assert_int_equal(run_program(prog, argv, &o, &out, &err, &code), 0);
	if (code != 0)
		print_error("%s", sb_cstr(&err));
	assert_int_equal(code, 0);
	assert_non_null(strstr(sb_cstr(&out), "[s10]"));
	assert_non_null(strstr(sb_cstr(&out), "[Deportación]"));
	assert_non_null(strstr(sb_cstr(&out), "article s10"));
	/* a missing database: a message, not a crash */
	char *missing = run_path(s->dir, "missing");
	char *argv2[] = { prog, missing, "x", NULL };
	assert_int_equal(run_program(prog, argv2, &o, &out, &err, &code), 0);
	assert_int_equal(code, 1);
	assert_non_null(strstr(sb_cstr(&err), missing));
	free(missing);
	free(prog);
	sb_release(&out);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_tsv),
		cmocka_unit_test(test_trec),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_example_program),
	};
	return cmocka_run_group_tests_name("output", tests, group_setup,
	                                   group_teardown);
}
