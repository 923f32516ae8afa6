/* End-to-end tests of `lede index` and `lede rm`: they drive the real binary
 * ($LEDE_BIN) on real files, each on a fresh temporary database, and check
 * what a user sees (exit codes, stderr lines) and what the database then
 * holds (through `lede stats`/`lede search`, and the library for polling). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../indexer/index_schema.h"
#include "../shim/lx.h"
#include "helpers/e2e.h"
#include "helpers/run.h"

#define FIXTURE_ARTICLES 5  /* tests/data/cli/archive */

/* ---- helpers -------------------------------------------------------- */

static char *src_path(const char *rel)
{
	return run_path(run_src_dir(), rel);
}

typedef struct summary {
	unsigned long long added, updated, unchanged, rejected;
} summary;

/* The closing line of `lede index`; fails the test when missing. */
static summary parse_summary(const res *r)
{
	summary s = { 0 };
	const char *p = strstr(sb_cstr(&r->err), "lede index: ");
	while (p && sscanf(p, "lede index: %llu new, %llu updated, %llu "
	                   "unchanged, %llu rejected", &s.added, &s.updated,
	                   &s.unchanged, &s.rejected) != 4)
		p = strstr(p + 1, "lede index: ");
	if (!p)
		fail_msg("no summary line in stderr: %s", sb_cstr(&r->err));
	return s;
}

/* `lede stats --format json` parsed; the caller json_decref()s it. */
static json_t *stats_json(const char *db, unsigned top)
{
	res r = { 0 };
	char tops[16];
	snprintf(tops, sizeof tops, "%u", top);
	lede(&r, "stats", "-d", db, "--format", "json", "--top", tops, NULL);
	expect_code(&r, 0);
	json_error_t je;
	json_t *j = json_loadb(sb_cstr(&r.out), r.out.len, 0, &je);
	if (!j)
		fail_msg("stats output is not JSON: %s", je.text);
	res_free(&r);
	return j;
}

static long long stats_int(const char *db, const char *key)
{
	json_t *j = stats_json(db, 3);
	json_t *v = json_object_get(j, key);
	assert_true(json_is_integer(v));
	long long n = json_integer_value(v);
	json_decref(j);
	return n;
}

/* Articles committed so far (the "XTa" type term's frequency), read
 * through the shim: cheap to poll; -1 while the database cannot be opened
 * yet. */
static long long committed_articles(const char *db)
{
	lx_db *h = NULL;
	long long n = -1;
	if (lx_db_open(&h, db) == 0) {
		uint64_t tf = 0;
		if (lx_db_termfreq(h, DOCTYPE_ARTICLE, strlen(DOCTYPE_ARTICLE), &tf,
		                   NULL) == 0)
			n = (long long)tf;
		lx_db_close(h);
	}
	return n;
}

/* Wait until at least min articles are committed (a bound on a wait, not
 * a timing assertion: the bound is far beyond any normal run). */
static long long wait_articles(const char *db, long long min, pid_t pid)
{
	for (int i = 0; i < 6000; i++) {
		long long n = committed_articles(db);
		if (n >= min)
			return n;
		if (child_exited(pid))
			fail_msg("the indexer exited before committing %lld articles",
			         min);
		sleep_ms(20);
	}
	fail_msg("no %lld committed articles after a long wait", min);
	return -1;
}

static const char *const words_a[] = { "shelter", "asylum", "detention",
	"sanctuary", "court", "border", "funding" };
static const char *const words_b[] = { "council", "mayor", "judge", "county",
	"sheriff", "clinic", "school", "church", "union", "pastor", "lawyer" };
static const char *const cities[] = { "Denver", "Houston", "Tucson",
	"Newark", "Seattle" };

/* JSON Lines records number from..to-1 appended to sb; every record has
 * id "gen-N" and the word "shelter". */
static void gen_records(strbuf *sb, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++)
		sb_addf(sb, "{\"id\":\"gen-%u\",\"title\":\"%s hearing %u in %s\","
		        "\"text\":\"The %s heard item %u on %s and shelter beds. "
		        "Residents of ward %u asked about legal aid; the %s said "
		        "case %u would wait.\",\"date\":\"20%02u-%02u-%02u\","
		        "\"source\":\"Generated Gazette\",\"lang\":\"en\"}\n",
		        i, words_a[i % 7], i, cities[i % 5], words_b[i % 11], i,
		        words_a[(i / 7) % 7], i % 53, words_b[(i / 11) % 11],
		        i * 7 + 3, 10 + i % 15, 1 + i % 12, 1 + i % 28);
}

/* Blank lines (skipped by the reader) that push everything before them
 * through the reader's buffering, so the writer sees it now. */
static void pad_input(strbuf *sb)
{
	char line[4096];
	memset(line, ' ', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	for (int i = 0; i < 256; i++)
		sb_add(sb, line, sizeof line);
}

static const char *xapian_check_bin(void)
{
	static const char *const cand[] = { "/usr/bin/xapian-check",
		"/usr/local/bin/xapian-check" };
	for (size_t i = 0; i < 2; i++)
		if (access(cand[i], X_OK) == 0)
			return cand[i];
	return NULL;
}

static void expect_xapian_check_ok(const char *db)
{
	const char *xc = xapian_check_bin();
	if (!xc)
		return;  /* not installed: the lede checks below still run */
	char *argv[] = { (char *)xc, (char *)db, NULL };
	strbuf out = STRBUF_INIT;
	int code;
	assert_int_equal(run_program(xc, argv, NULL, &out, &out, &code), 0);
	if (code != 0)
		fail_msg("xapian-check %s: exit %d: %s", db, code, sb_cstr(&out));
	sb_release(&out);
}

static size_t count_lines_with(const strbuf *sb, const char *needle)
{
	size_t n = 0;
	const char *s = sb_cstr(sb);
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *line = strndup(s, len);
		if (strstr(line, needle))
			n++;
		free(line);
		s += len + (e != NULL);
	}
	return n;
}

/* Lines of stderr that report a rejected record (not the summary). */
static size_t reject_lines(const strbuf *err)
{
	return count_lines_with(err, "lede index: ") -
	       count_lines_with(err, " new, ");
}

static int has_line_with_all(const strbuf *sb, const char *a, const char *b)
{
	const char *s = sb_cstr(sb);
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *line = strndup(s, len);
		int ok = strstr(line, a) && strstr(line, b);
		free(line);
		if (ok)
			return 1;
		s += len + (e != NULL);
	}
	return 0;
}

static void index_fixture(tmp *t, res *r)
{
	char *arch = src_path("tests/data/cli/archive");
	lede(r, "index", "-d", t->db, arch, NULL);
	free(arch);
	expect_code(r, 0);
}

/* A spawned writer reading the FIFO dir/in.jsonl. */
typedef struct bg_writer {
	pid_t pid;
	int fd;
	char *fifo, *errfile;
} bg_writer;

static void bg_start(bg_writer *w, tmp *t, const char *commit_every)
{
	w->fifo = run_path(t->dir, "in.jsonl");
	w->errfile = run_path(t->dir, "writer.err");
	unlink(w->fifo);
	assert_int_equal(mkfifo(w->fifo, 0600), 0);
	char *args[] = { "index", "-d", t->db, "--commit-every",
	                 (char *)commit_every, w->fifo, NULL };
	w->pid = run_lede_spawn(args, NULL, NULL, w->errfile);
	assert_true(w->pid > 0);
	/* returns once the writer opened its input, which it does only
	 * after it has opened the database, i.e. holds the lock */
	w->fd = run_open_fifo_writer(w->fifo, w->pid, 120);
	if (w->fd < 0)
		fail_msg("the writer never opened its input");
}

static void bg_feed(bg_writer *w, const strbuf *data)
{
	assert_int_equal(run_write_all(w->fd, sb_cstr(data), data->len), 0);
}

/* Close the input, wait; returns the exit code, stderr into err. */
static int bg_finish(bg_writer *w, strbuf *err, int sig)
{
	if (sig)
		kill(w->pid, sig);
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	int code = -1;
	assert_int_equal(run_wait(w->pid, &code, NULL), 0);
	if (err)
		run_read_file(w->errfile, err);
	free(w->fifo);
	free(w->errfile);
	return code;
}

/* ---- 1. a fresh index ----------------------------------------------- */

static void test_index_fixture_counts(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	index_fixture(t, &r);
	summary s = parse_summary(&r);
	assert_int_equal(s.added, FIXTURE_ARTICLES);
	assert_int_equal(s.updated + s.unchanged + s.rejected, 0);

	json_t *j = stats_json(t->db, 10);
	long long arts = json_integer_value(json_object_get(j, "articles"));
	long long pass = json_integer_value(json_object_get(j, "passages"));
	assert_int_equal(arts, FIXTURE_ARTICLES);
	assert_true(pass > arts);  /* the long article has several passages */
	json_t *top = json_object_get(j, "top");
	const char *types[] = { "city", "official", "agency", "response" };
	for (size_t i = 0; i < 4; i++) {
		json_t *a = json_object_get(top, types[i]);
		if (!json_is_array(a) || json_array_size(a) == 0)
			fail_msg("stats: no top %s entities", types[i]);
	}
	int found_bass = 0;
	size_t k;
	json_t *v;
	json_array_foreach(json_object_get(top, "official"), k, v) {
		const char *name = json_string_value(json_object_get(v, "value"));
		if (name && strcmp(name, "karen bass") == 0)
			found_bass = 1;
	}
	assert_true(found_bass);
	json_decref(j);

	/* entity fields find the right article, and only it */
	lede(&r, "search", "-d", t->db, "--format", "jsonl", "city:\"los angeles\"",
	     NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "\"cli-bass-raids\""));
	assert_null(strstr(sb_cstr(&r.out), "\"cli-denver-shelters\""));
	lede(&r, "search", "-d", t->db, "--format", "jsonl", "official:bass", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "\"cli-bass-raids\""));
	lede(&r, "search", "-d", t->db, "--format", "jsonl", "city:denver", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "\"cli-denver-shelters\""));
	lede(&r, "search", "-d", t->db, "city:anchorage", NULL);
	expect_code(&r, 1);
	res_free(&r);
}

/* tests/data/sample_expect.tsv: rows of tab-separated fields. */
typedef struct erow {
	char *f[6];
	int n;
} erow;

typedef struct expects {
	strbuf text;  /* the file, cut in place into the fields */
	erow *rows;
	size_t n;
} expects;

/* 0, or -1 when the file or corpus/DIR is missing (the test skips). */
static int expects_load(expects *e, const char *dir)
{
	memset(e, 0, sizeof *e);
	char *expect = src_path("tests/data/sample_expect.tsv");
	char *d = src_path(dir);
	struct stat st;
	int rc = stat(d, &st) == 0 && run_read_file(expect, &e->text) == 0 &&
	         e->text.len ? 0 : -1;
	free(expect);
	free(d);
	if (rc != 0)
		return -1;
	char *save = NULL;
	for (char *line = strtok_r(e->text.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		e->rows = realloc(e->rows, (e->n + 1) * sizeof *e->rows);
		assert_non_null(e->rows);
		erow *r = &e->rows[e->n++];
		memset(r, 0, sizeof *r);
		char *fs = NULL;
		for (char *x = strtok_r(line, "\t", &fs); x && r->n < 6;
		     x = strtok_r(NULL, "\t", &fs))
			r->f[r->n++] = x;
	}
	return 0;
}

static void expects_free(expects *e)
{
	sb_release(&e->text);
	free(e->rows);
}

/* The value of the first row "key<TAB>N", or -1. */
static long long expects_int(const expects *e, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->rows[i].n == 2 && strcmp(e->rows[i].f[0], key) == 0)
			return atoll(e->rows[i].f[1]);
	return -1;
}

/* `lede show --format json ID`: its copy_of into out ("" when none);
 * returns the exit code. */
static int show_copy_of(const char *db, const char *id, char *out, size_t n)
{
	res r = { 0 };
	int code = lede(&r, "show", "-d", db, "--format", "json", id, NULL);
	out[0] = '\0';
	json_t *j = code == 0 ? json_loadb(sb_cstr(&r.out), r.out.len, 0, NULL)
	                      : NULL;
	const char *c = json_string_value(json_object_get(j, "copy_of"));
	snprintf(out, n, "%s", c ? c : "");
	json_decref(j);
	res_free(&r);
	return code;
}

/* The bundled sample, against the facts in tests/data/sample_expect.tsv:
 * article count, entity minimums, near-duplicate pairs. Every mismatch is
 * listed before the test fails. */
static void test_index_sample_matches_expectations(void **state)
{
	tmp *t = *state;
	expects e;
	if (expects_load(&e, "corpus/sample") != 0)
		skip();
	char *sample = src_path("corpus/sample");
	res r = { 0 };
	lede(&r, "index", "-d", t->db, sample, NULL);
	free(sample);
	expect_code(&r, 0);
	summary s = parse_summary(&r);
	json_t *j = stats_json(t->db, 1000);
	long long arts = json_integer_value(json_object_get(j, "articles"));
	assert_true(json_integer_value(json_object_get(j, "passages")) > arts);
	assert_int_equal(s.added, arts);

	strbuf bad = STRBUF_INIT;
	long long want = expects_int(&e, "articles");
	if (want >= 0 && want != arts)
		sb_addf(&bad, "articles: %lld, expected %lld\n", arts, want);
	for (size_t i = 0; i < e.n; i++) {
		erow *row = &e.rows[i];
		if (row->n == 4 && strcmp(row->f[0], "entity") == 0) {
			/* at least this many articles carry the entity */
			json_t *list = json_object_get(json_object_get(j, "top"),
			                               row->f[1]);
			long long got = 0;
			size_t k;
			json_t *v;
			json_array_foreach(list, k, v) {
				const char *val = json_string_value(
					json_object_get(v, "value"));
				if (val && strcmp(val, row->f[2]) == 0)
					got = json_integer_value(
						json_object_get(v, "articles"));
			}
			if (got < atoll(row->f[3]))
				sb_addf(&bad, "entity %s %s: %lld articles, expected at "
				        "least %s\n", row->f[1], row->f[2], got,
				        row->f[3]);
		} else if (row->n == 2 && strcmp(row->f[0], "dup") == 0) {
			/* "original,copy": the two fold into one group */
			char *comma = strchr(row->f[1], ',');
			assert_non_null(comma);
			*comma = '\0';
			const char *orig = row->f[1], *copy = comma + 1;
			char c1[512], c2[512];
			int e1 = show_copy_of(t->db, orig, c1, sizeof c1);
			int e2 = show_copy_of(t->db, copy, c2, sizeof c2);
			if (e1 != 0 || e2 != 0)
				sb_addf(&bad, "dup %s / %s: not both indexed\n", orig,
				        copy);
			else if (strcmp(c2, orig) != 0 && strcmp(c1, copy) != 0)
				sb_addf(&bad, "dup %s / %s: not grouped (copy_of: "
				        "'%s', '%s')\n", orig, copy, c1, c2);
			else if (strcmp(c2, orig) != 0)
				print_message("note: dup %s / %s grouped the other way "
				              "round (the later one is the original)\n",
				              orig, copy);
		}
	}
	if (bad.len)
		fail_msg("corpus/sample differs from sample_expect.tsv:\n%s",
		         bad.buf);
	sb_release(&bad);
	json_decref(j);
	res_free(&r);
	expects_free(&e);
}

/* ---- 2. re-index: nothing changed ----------------------------------- */

static void test_reindex_unchanged(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	index_fixture(t, &r);
	long long pass = stats_int(t->db, "passages");
	index_fixture(t, &r);
	summary s = parse_summary(&r);
	assert_int_equal(s.added, 0);
	assert_int_equal(s.updated, 0);
	assert_int_equal(s.unchanged, FIXTURE_ARTICLES);
	assert_non_null(strstr(sb_cstr(&r.err), "0 new, 0 updated, 5 unchanged"));
	assert_int_equal(stats_int(t->db, "articles"), FIXTURE_ARTICLES);
	assert_int_equal(stats_int(t->db, "passages"), pass);
	res_free(&r);
}

/* ---- 3. one file edited --------------------------------------------- */

static void copy_fixture(const char *to)
{
	static const char *const files[] = { "metro/bass-raids.txt",
		"metro/chicago-detainers.txt", "wire.jsonl" };
	char *metro = run_path(to, "metro");
	assert_int_equal(mkdir(metro, 0755), 0);
	free(metro);
	for (size_t i = 0; i < 3; i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "tests/data/cli/archive/%s", files[i]);
		char *src = src_path(rel);
		char *dst = run_path(to, files[i]);
		assert_int_equal(run_copy_file(src, dst), 0);
		free(src);
		free(dst);
	}
}

static void test_reindex_one_edited_file(void **state)
{
	tmp *t = *state;
	char *arch = run_path(t->dir, "archive");
	assert_int_equal(mkdir(arch, 0755), 0);
	copy_fixture(arch);
	res r = { 0 };
	lede(&r, "index", "-d", t->db, arch, NULL);
	expect_code(&r, 0);
	lede(&r, "search", "-d", t->db, "\"heated debate\"", NULL);
	expect_code(&r, 0);

	char *f = run_path(arch, "metro/chicago-detainers.txt");
	strbuf text = STRBUF_INIT;
	assert_int_equal(run_read_file(f, &text), 0);
	char *at = strstr(text.buf, "after a long and heated debate.");
	assert_non_null(at);
	strbuf edited = STRBUF_INIT;
	sb_add(&edited, text.buf, (size_t)(at - text.buf));
	sb_addstr(&edited, "after two aldermen filibustered past midnight.");
	sb_addstr(&edited, at + strlen("after a long and heated debate."));
	assert_int_equal(run_write_file(f, edited.buf, edited.len), 0);

	lede(&r, "index", "-d", t->db, arch, NULL);
	expect_code(&r, 0);
	summary s = parse_summary(&r);
	assert_int_equal(s.added, 0);
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.unchanged, FIXTURE_ARTICLES - 1);
	assert_int_equal(stats_int(t->db, "articles"), FIXTURE_ARTICLES);

	lede(&r, "search", "-d", t->db, "--format", "jsonl",
	     "\"filibustered past midnight\"", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "\"cli-chicago-detainers\""));
	lede(&r, "search", "-d", t->db, "\"heated debate\"", NULL);
	expect_code(&r, 1);
	/* the old version's passages are gone, not merely outranked */
	lede(&r, "search", "-d", t->db, "--format", "jsonl", "aldermen", NULL);
	expect_code(&r, 0);
	assert_int_equal(count_lines_with(&r.out, "\"type\":\"hit\""), 1);

	res_free(&r);
	sb_release(&text);
	sb_release(&edited);
	free(f);
	free(arch);
}

/* The same id twice in one input: the later record wins, on every run
 * (a re-run must not bring the earlier version back). */
static void test_same_id_twice_last_wins(void **state)
{
	tmp *t = *state;
	static const char in[] =
		"{\"id\":\"twice\",\"title\":\"First draft\",\"text\":\"an "
		"early draft about Tucson shelters\"}\n"
		"{\"id\":\"other\",\"title\":\"Other\",\"text\":\"court news "
		"from Miami\"}\n"
		"{\"id\":\"twice\",\"title\":\"Final version\",\"text\":\"the "
		"corrected story about Phoenix clinics\"}\n";
	char *f = run_path(t->dir, "twice.jsonl");
	assert_int_equal(run_write_file(f, in, sizeof in - 1), 0);
	res r = { 0 };
	for (int run = 0; run < 3; run++) {
		lede(&r, "index", "-d", t->db, f, NULL);
		expect_code(&r, 0);
		assert_int_equal(stats_int(t->db, "articles"), 2);
		lede(&r, "show", "-d", t->db, "twice", NULL);
		expect_code(&r, 0);
		if (!strstr(sb_cstr(&r.out), "Final version"))
			fail_msg("run %d left the earlier version: %s", run + 1,
			         sb_cstr(&r.out));
		lede(&r, "search", "-d", t->db, "tucson", NULL);
		expect_code(&r, 1);
		lede(&r, "search", "-d", t->db, "phoenix", NULL);
		expect_code(&r, 0);
	}
	free(f);
	res_free(&r);
}

/* ---- 4. rm ---------------------------------------------------------- */

static void test_rm_article_and_passages(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	index_fixture(t, &r);
	long long pass0 = stats_int(t->db, "passages");
	lede(&r, "search", "-d", t->db, "\"welcoming city ordinance\"", NULL);
	expect_code(&r, 0);
	lede(&r, "search", "-d", t->db, "\"rapid response teams\"", NULL);
	expect_code(&r, 0);

	lede(&r, "rm", "-d", t->db, "cli-chicago-detainers", NULL);
	expect_code(&r, 0);
	lede(&r, "search", "-d", t->db, "\"welcoming city ordinance\"", NULL);
	expect_code(&r, 1);
	assert_int_equal(stats_int(t->db, "articles"), FIXTURE_ARTICLES - 1);
	long long pass1 = stats_int(t->db, "passages");
	assert_true(pass1 < pass0);

	/* the long article: every one of its passages goes */
	lede(&r, "rm", "-d", t->db, "cli-bass-raids", NULL);
	expect_code(&r, 0);
	lede(&r, "search", "-d", t->db, "\"rapid response teams\"", NULL);
	expect_code(&r, 1);
	lede(&r, "search", "-d", t->db, "official:\"karen bass\"", NULL);
	expect_code(&r, 1);
	assert_int_equal(stats_int(t->db, "articles"), FIXTURE_ARTICLES - 2);
	assert_true(stats_int(t->db, "passages") <= pass1 - 2);
	lede(&r, "show", "-d", t->db, "cli-bass-raids", NULL);
	assert_int_not_equal(r.code, 0);

	lede(&r, "rm", "-d", t->db, "no-such-article", NULL);
	expect_code(&r, 1);
	assert_non_null(strstr(sb_cstr(&r.err), "no-such-article"));
	assert_int_equal(stats_int(t->db, "articles"), FIXTURE_ARTICLES - 2);

	/* no database: a database error, and nothing gets created */
	char *none = run_path(t->dir, "missing");
	lede(&r, "rm", "-d", none, "cli-bass-raids", NULL);
	expect_code(&r, 3);
	assert_int_not_equal(access(none, F_OK), 0);
	free(none);
	res_free(&r);
}

/* ---- compaction ------------------------------------------------------ */

/* Searches of the fixture as JSON Lines, the timing field dropped. */
static void search_outputs(const char *db, strbuf *out)
{
	static const char *const qs[] = { "sanctuary", "\"rapid response teams\"",
	                                  "official:\"karen bass\"", "raids -ice",
	                                  "date:2025 city:\"los angeles\"" };
	sb_reset(out);
	res r = { 0 };
	for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
		lede(&r, "search", "-d", db, "--format", "jsonl", "--facets", "all",
		     "-n", "50", qs[i], NULL);
		for (const char *l = sb_cstr(&r.out); *l;) {
			size_t n = strcspn(l, "\n");
			/* the summary line carries the time taken */
			if (!memmem(l, n, "\"seconds\"", 9))
				sb_add(out, l, n);
			sb_addch(out, '\n');
			l += n + (l[n] == '\n');
		}
		sb_addf(out, "exit %d\n", r.code);
	}
	res_free(&r);
}

static void test_compact(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	index_fixture(t, &r);
	strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	search_outputs(t->db, &before);
	long long arts = stats_int(t->db, "articles");
	long long pass = stats_int(t->db, "passages");
	long long bytes = stats_int(t->db, "disk_bytes");

	/* a leftover copy from a killed run is cleared first */
	char *copy = xstrdup(t->db);
	copy = xrealloc(copy, strlen(copy) + 16);
	strcat(copy, ".compacting");
	assert_int_equal(mkdir(copy, 0700), 0);
	char *junk = run_path(copy, "postlist.glass");
	assert_int_equal(run_write_file(junk, "x", 1), 0);

	lede(&r, "compact", "-d", t->db, NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.err), "MB ->"));
	assert_int_not_equal(access(copy, F_OK), 0);
	expect_xapian_check_ok(t->db);
	search_outputs(t->db, &after);
	assert_string_equal(sb_cstr(&after), sb_cstr(&before));
	assert_int_equal(stats_int(t->db, "articles"), arts);
	assert_int_equal(stats_int(t->db, "passages"), pass);
	assert_true(stats_int(t->db, "disk_bytes") < bytes);

	/* still a working lede database: unchanged articles are skipped,
	 * new ones go in */
	char *arch = src_path("tests/data/cli/archive");
	lede(&r, "index", "-d", t->db, arch, NULL);
	expect_code(&r, 0);
	assert_int_equal(parse_summary(&r).unchanged, arts);
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, 30);
	char *jl = run_path(t->dir, "more.jsonl");
	assert_int_equal(run_write_file(jl, in.buf, in.len), 0);
	lede(&r, "index", "-d", t->db, jl, NULL);
	expect_code(&r, 0);
	assert_int_equal(stats_int(t->db, "articles"), arts + 30);

	/* no database: a database error, nothing created */
	char *none = run_path(t->dir, "missing");
	lede(&r, "compact", "-d", none, NULL);
	expect_code(&r, 3);
	assert_int_not_equal(access(none, F_OK), 0);
	lede(&r, "compact", "-d", t->db, "extra", NULL);
	expect_code(&r, 2);
	free(none);
	free(jl);
	free(arch);
	free(junk);
	free(copy);
	sb_release(&in);
	sb_release(&before);
	sb_release(&after);
	res_free(&r);
}

/* ---- 5. rejected records -------------------------------------------- */

static void test_bad_records_rejected_rest_indexed(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	char *bad = src_path("tests/data/cli/bad");
	lede(&r, "index", "-d", t->db, bad, NULL);
	expect_code(&r, 4);
	/* bad.jsonl lines 2, 4, 5 and the empty file */
	assert_int_equal(reject_lines(&r.err), 4);
	assert_true(has_line_with_all(&r.err, "bad.jsonl:2:", "invalid JSON"));
	assert_true(has_line_with_all(&r.err, "bad.jsonl:4:", "bad.jsonl"));
	assert_true(has_line_with_all(&r.err, "bad.jsonl:5:", "bad.jsonl"));
	assert_true(has_line_with_all(&r.err, "empty.txt", "empty"));
	summary s = parse_summary(&r);
	assert_int_equal(s.rejected, 4);
	static const char *const good[] = { "bad-ok1", "bad-ok3", "bad-ok7" };
	for (size_t i = 0; i < 3; i++) {
		lede(&r, "show", "-d", t->db, good[i], NULL);
		if (r.code != 0)
			fail_msg("good record %s missing", good[i]);
	}
	assert_int_equal(stats_int(t->db, "articles"), 3);
	free(bad);
	res_free(&r);
}

/* corpus/sample-bad against the bad_* rows of sample_expect.tsv (see
 * corpus/sample-bad/README.md): exit 4, one line per rejected record
 * naming its file, every good record in, no rejected one. */
static void test_sample_bad(void **state)
{
	tmp *t = *state;
	expects e;
	if (expects_load(&e, "corpus/sample-bad") != 0)
		skip();
	char *dir = src_path("corpus/sample-bad");
	res r = { 0 };
	lede(&r, "index", "-d", t->db, dir, NULL);
	free(dir);
	expect_code(&r, 4);
	/* each reject line names its file under sample-bad */
	assert_int_equal(count_lines_with(&r.err, "sample-bad/"),
	                 reject_lines(&r.err));

	strbuf bad = STRBUF_INIT;
	long long want = expects_int(&e, "bad_rejects");
	if (want >= 0 && (long long)reject_lines(&r.err) != want)
		sb_addf(&bad, "%zu reject lines, expected %lld\n",
		        reject_lines(&r.err), want);
	want = expects_int(&e, "bad_good_records");
	long long arts = stats_int(t->db, "articles");
	if (want >= 0 && arts != want)
		sb_addf(&bad, "%lld articles, expected %lld\n", arts, want);
	res sr = { 0 };
	for (size_t i = 0; i < e.n; i++) {
		erow *row = &e.rows[i];
		if (row->n == 4 && strcmp(row->f[0], "bad_file") == 0) {
			char needle[300];
			snprintf(needle, sizeof needle, "/%s:", row->f[1]);
			size_t got = count_lines_with(&r.err, needle);
			if ((long long)got != atoll(row->f[3]))
				sb_addf(&bad, "%s: %zu reject lines, expected %s\n",
				        row->f[1], got, row->f[3]);
		} else if (row->n == 2 && strcmp(row->f[0], "bad_good") == 0) {
			if (lede(&sr, "show", "-d", t->db, row->f[1], NULL) != 0)
				sb_addf(&bad, "good record %s missing\n", row->f[1]);
		} else if (row->n == 2 && strcmp(row->f[0], "bad_rejected") == 0) {
			if (lede(&sr, "show", "-d", t->db, row->f[1], NULL) == 0)
				sb_addf(&bad, "rejected record %s was indexed\n",
				        row->f[1]);
		}
	}
	if (bad.len)
		fail_msg("corpus/sample-bad differs from sample_expect.tsv:\n%s"
		         "stderr was:\n%s", bad.buf, sb_cstr(&r.err));
	sb_release(&bad);
	res_free(&sr);
	res_free(&r);
	expects_free(&e);
}

/* ---- 6. two writers ------------------------------------------------- */

static void test_second_writer_locked_out(void **state)
{
	tmp *t = *state;
	bg_writer w;
	bg_start(&w, t, "100");
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, 1000);
	pad_input(&in);
	bg_feed(&w, &in);

	res r = { 0 };
	char *arch = src_path("tests/data/cli/archive");
	lede(&r, "index", "-d", t->db, arch, NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), t->db));
	assert_non_null(strstr(sb_cstr(&r.err), "locked"));
	assert_non_null(strstr(sb_cstr(&r.err), "flintlock"));
	assert_int_equal(count_lines_with(&r.err, ""), 1);
	/* rm is a writer too */
	lede(&r, "rm", "-d", t->db, "gen-1", NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), "lock"));
	/* and so is compact, which must not swap files under a writer */
	lede(&r, "compact", "-d", t->db, NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), "flintlock"));

	strbuf err = STRBUF_INIT;
	assert_int_equal(bg_finish(&w, &err, 0), 0);
	assert_non_null(strstr(sb_cstr(&err), "1000 new"));
	assert_int_equal(stats_int(t->db, "articles"), 1000);
	/* the lock is released: now the second one goes in */
	lede(&r, "index", "-d", t->db, arch, NULL);
	expect_code(&r, 0);
	assert_int_equal(stats_int(t->db, "articles"), 1000 + FIXTURE_ARTICLES);
	sb_release(&err);
	sb_release(&in);
	free(arch);
	res_free(&r);
}

/* ---- 7. kill -9 ----------------------------------------------------- */

#define KILL_TOTAL 3000
#define KILL_BATCH 50

/* Kill a writer fed records [0, fed) (re-fed from 0: the committed ones
 * are skipped) once it has committed want articles, or right away when
 * want is 0; returns the committed count it left. */
static long long index_and_kill(tmp *t, unsigned fed, long long want)
{
	bg_writer w;
	bg_start(&w, t, "50");
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, fed);
	if (want)
		pad_input(&in);
	bg_feed(&w, &in);
	if (want)
		assert_int_equal(wait_articles(t->db, want, w.pid), want);
	int code = bg_finish(&w, NULL, SIGKILL);
	/* it may have finished the input and exited on its own: the FIFO's
	 * end came only with the kill, so it cannot have */
	assert_int_equal(code, 128 + SIGKILL);
	sb_release(&in);

	expect_xapian_check_ok(t->db);
	long long n = stats_int(t->db, "articles");
	assert_true(n % KILL_BATCH == 0);
	res r = { 0 };
	lede(&r, "search", "-d", t->db, "shelter", NULL);
	expect_code(&r, n ? 0 : 1);
	res_free(&r);
	return n;
}

static void test_kill9_loses_only_the_open_batch(void **state)
{
	tmp *t = *state;
	/* blocked after 120 records: two batches committed, 20 pending */
	assert_int_equal(index_and_kill(t, 120, 100), 100);
	/* again from the start: 100 skipped, 300 new = six more batches */
	assert_int_equal(index_and_kill(t, 400, 400), 400);
	/* and mid-work: killed while it still has input to write */
	long long n = index_and_kill(t, KILL_TOTAL, 0);
	assert_true(n >= 400 && n <= KILL_TOTAL);

	/* the same command over the whole input finishes the job */
	char *all = run_path(t->dir, "all.jsonl");
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, KILL_TOTAL);
	assert_int_equal(run_write_file(all, in.buf, in.len), 0);
	res r = { 0 };
	lede(&r, "index", "-d", t->db, "--commit-every", "50", all, NULL);
	expect_code(&r, 0);
	summary s = parse_summary(&r);
	assert_int_equal(s.added, KILL_TOTAL - n);
	assert_int_equal(s.unchanged, n);
	assert_int_equal(s.updated + s.rejected, 0);
	assert_int_equal(stats_int(t->db, "articles"), KILL_TOTAL);
	expect_xapian_check_ok(t->db);
	/* gen-2999, the last record (--no-dedup: the generated records are
	 * near-duplicates of each other, folded by default) */
	lede(&r, "show", "-d", t->db, "gen-2999", NULL);
	expect_code(&r, 0);
	lede(&r, "search", "-d", t->db, "--no-dedup", "--format", "jsonl",
	     "\"case 20996\"", NULL);
	expect_code(&r, 0);
	if (!strstr(sb_cstr(&r.out), "\"gen-2999\""))
		fail_msg("the last record's phrase finds: %s", sb_cstr(&r.out));
	sb_release(&in);
	free(all);
	res_free(&r);
}

/* ---- 8. readers during a write -------------------------------------- */

static void test_search_while_indexing(void **state)
{
	tmp *t = *state;
	bg_writer w;
	bg_start(&w, t, "50");
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, 120);
	pad_input(&in);
	bg_feed(&w, &in);
	wait_articles(t->db, 100, w.pid);

	res r = { 0 };
	lede(&r, "search", "-d", t->db, "shelter", NULL);
	if (r.code != 0 && r.code != 1)
		fail_msg("search during indexing: exit %d: %s", r.code,
		         sb_cstr(&r.err));
	assert_int_equal(r.code, 0);
	lede(&r, "search", "-d", t->db, "city:tucson", NULL);
	assert_int_equal(r.code, 0);
	lede(&r, "stats", "-d", t->db, NULL);
	expect_code(&r, 0);
	lede(&r, "show", "-d", t->db, "gen-7", NULL);
	expect_code(&r, 0);

	sb_reset(&in);
	gen_records(&in, 120, 300);
	bg_feed(&w, &in);
	strbuf err = STRBUF_INIT;
	assert_int_equal(bg_finish(&w, &err, 0), 0);
	assert_non_null(strstr(sb_cstr(&err), "300 new"));
	assert_int_equal(stats_int(t->db, "articles"), 300);
	sb_release(&err);
	sb_release(&in);
	res_free(&r);
}

/* ---- 9. a database of another format -------------------------------- */

/* Format 3, the one before stop words and language tags (what an upgrading
 * user has), is refused like any other. */
static void test_incompatible_format(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	index_fixture(t, &r);
	lx_wdb *w = NULL;
	assert_int_equal(lx_wdb_open(&w, t->db, 0), 0);
	assert_int_equal(lx_wdb_set_metadata(w, "lede.format", "3", 1), 0);
	assert_int_equal(lx_wdb_close(w), 0);

	lede(&r, "search", "-d", t->db, "sanctuary", NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), "rebuild"));
	assert_non_null(strstr(sb_cstr(&r.err), t->db));
	char *arch = src_path("tests/data/cli/archive");
	lede(&r, "index", "-d", t->db, arch, NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), "rebuild"));
	lede(&r, "rm", "-d", t->db, "cli-bass-raids", NULL);
	expect_code(&r, 3);
	/* nothing was written: the format mark is still the old one */
	assert_int_equal(lx_wdb_open(&w, t->db, 0), 0);
	char *v = NULL;
	size_t n = 0;
	assert_int_equal(lx_wdb_get_metadata(w, "lede.format", &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], '3');
	free(v);
	uint64_t docs = 0;
	lx_wdb_doccount(w, &docs);
	assert_true(docs > FIXTURE_ARTICLES);
	assert_int_equal(lx_wdb_close(w), 0);
	free(arch);
	res_free(&r);
}

/* A directory that is not a database at all. */
static void test_not_a_database(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	char *junk = run_path(t->dir, "junk");
	assert_int_equal(mkdir(junk, 0755), 0);
	char *f = run_path(junk, "notes.txt");
	assert_int_equal(run_write_file(f, "hello\n", 6), 0);
	lede(&r, "search", "-d", junk, "hello", NULL);
	expect_code(&r, 3);
	char *missing = run_path(t->dir, "missing");
	lede(&r, "search", "-d", missing, "hello", NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), missing));
	free(missing);
	free(f);
	free(junk);
	res_free(&r);
}

/* ---- 10. standard input --------------------------------------------- */

static void test_index_stdin(void **state)
{
	tmp *t = *state;
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, 20);
	run_opts o = RUN_OPTS_INIT;
	o.stdin_data = in.buf;
	o.stdin_len = in.len;
	res r = { 0 };
	lede_o(&r, &o, "index", "--format", "jsonl", "-d", t->db, "-", NULL);
	expect_code(&r, 0);
	assert_int_equal(parse_summary(&r).added, 20);
	assert_int_equal(stats_int(t->db, "articles"), 20);
	lede(&r, "show", "-d", t->db, "gen-19", NULL);
	expect_code(&r, 0);

	/* without --format: sniffed; the same records are unchanged */
	lede_o(&r, &o, "index", "-d", t->db, "-", NULL);
	expect_code(&r, 0);
	assert_int_equal(parse_summary(&r).unchanged, 20);

	/* empty input: nothing to do, and no error */
	run_opts e = RUN_OPTS_INIT;
	e.stdin_data = "";
	lede_o(&r, &e, "index", "--format", "jsonl", "-d", t->db, "-", NULL);
	assert_true(r.code == 0 || r.code == 4);
	assert_int_equal(stats_int(t->db, "articles"), 20);
	sb_release(&in);
	res_free(&r);
}

/* Ids longer than a Xapian term (long URLs with tracking parameters) are
 * indexed, shown, replaced and removed like any other, and two long ids
 * that share their first 200 bytes stay apart. */
static void test_long_ids(void **state)
{
	tmp *t = *state;
	strbuf in = STRBUF_INIT, id1 = STRBUF_INIT, id2 = STRBUF_INIT;
	sb_addstr(&id1, "https://news.example.com/");
	for (int i = 0; i < 300; i++)
		sb_addch(&id1, 'a' + i % 26);
	sb_add(&id2, id1.buf, id1.len);
	sb_addstr(&id1, "?utm_source=one");
	sb_addstr(&id2, "?utm_source=two");
	sb_addf(&in, "{\"id\": \"%s\", \"title\": \"First long id\", "
	        "\"text\": \"The council kept its sanctuary policy in place.\"}\n",
	        id1.buf);
	sb_addf(&in, "{\"id\": \"%s\", \"title\": \"Second long id\", "
	        "\"text\": \"The mayor vetoed the detainer ordinance.\"}\n",
	        id2.buf);
	run_opts o = RUN_OPTS_INIT;
	o.stdin_data = in.buf;
	o.stdin_len = in.len;
	res r = { 0 };
	lede_o(&r, &o, "index", "--format", "jsonl", "-d", t->db, "-", NULL);
	expect_code(&r, 0);
	assert_int_equal(parse_summary(&r).added, 2);
	lede(&r, "show", "-d", t->db, id1.buf, NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "First long id"));
	assert_non_null(strstr(sb_cstr(&r.out), id1.buf));
	lede(&r, "rm", "-d", t->db, id1.buf, NULL);
	expect_code(&r, 0);
	assert_int_equal(stats_int(t->db, "articles"), 1);
	lede(&r, "search", "-d", t->db, "sanctuary", NULL);
	expect_code(&r, 1);
	lede(&r, "show", "-d", t->db, id2.buf, NULL);
	expect_code(&r, 0);
	/* the same input again: the survivor is unchanged, the other new */
	lede_o(&r, &o, "index", "--format", "jsonl", "-d", t->db, "-", NULL);
	expect_code(&r, 0);
	assert_int_equal(parse_summary(&r).unchanged, 1);
	assert_int_equal(parse_summary(&r).added, 1);
	sb_release(&in);
	sb_release(&id1);
	sb_release(&id2);
	res_free(&r);
}

/* ---- 11. progress only on a terminal -------------------------------- */

static void test_no_progress_when_not_a_tty(void **state)
{
	tmp *t = *state;
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, 1500);
	char *f = run_path(t->dir, "many.jsonl");
	assert_int_equal(run_write_file(f, in.buf, in.len), 0);
	res r = { 0 };
	lede(&r, "index", "-d", t->db, f, NULL);
	expect_code(&r, 0);
	assert_null(memchr(sb_cstr(&r.err), '\r', r.err.len));
	assert_null(strstr(sb_cstr(&r.err), "\033["));
	assert_int_equal(count_lines_with(&r.err, ""), 1);  /* the summary */

	lede(&r, "index", "--quiet", "-d", t->db, f, NULL);
	expect_code(&r, 0);
	assert_int_equal(r.err.len, 0);

	/* on a terminal: progress lines, cleared before the summary */
	char *db2 = run_path(t->dir, "db2");
	run_opts o = RUN_OPTS_INIT;
	o.stderr_tty = 1;
	lede_o(&r, &o, "index", "-d", db2, f, NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.err), "\rindexing: "));
	assert_non_null(strstr(sb_cstr(&r.err), "\r\033[K"));
	assert_non_null(strstr(sb_cstr(&r.err), "1500 new"));
	/* --quiet is quiet on a terminal too */
	lede_o(&r, &o, "index", "--quiet", "-d", db2, f, NULL);
	expect_code(&r, 0);
	assert_int_equal(r.err.len, 0);
	free(db2);
	free(f);
	sb_release(&in);
	res_free(&r);
}

/* ---- bad input end to end ------------------------------------------- */

static void test_huge_line_rejected_memory_bounded(void **state)
{
	tmp *t = *state;
	char *f = run_path(t->dir, "huge.jsonl");
	FILE *fp = fopen(f, "w");
	assert_non_null(fp);
	fputs("{\"id\":\"huge\",\"title\":\"Huge\",\"text\":\"", fp);
	char chunk[1 << 16];
	for (size_t i = 0; i < sizeof chunk; i += 8)
		memcpy(chunk + i, "migrant ", 8);
	for (int i = 0; i < 1600; i++)  /* 100 MiB */
		assert_int_equal(fwrite(chunk, 1, sizeof chunk, fp), sizeof chunk);
	fputs("\"}\n", fp);
	fputs("{\"id\":\"after-huge\",\"title\":\"Small\",\"text\":\"a small "
	      "record after the huge one\"}\n", fp);
	assert_int_equal(fclose(fp), 0);

	/* under AddressSanitizer, freed blocks wait in its quarantine (256 MiB
	 * by default) and would count as the program's: keep it small */
	strbuf asan = STRBUF_INIT;
	const char *prev = getenv("ASAN_OPTIONS");
	sb_addf(&asan, "ASAN_OPTIONS=%s%squarantine_size_mb=16",
	        prev ? prev : "", prev && *prev ? ":" : "");
	const char *env[] = { asan.buf, NULL };
	run_opts o = RUN_OPTS_INIT;
	o.env = env;
	res r = { 0 };
	lede_o(&r, &o, "index", "-d", t->db, f, NULL);
	sb_release(&asan);
	unlink(f);
	expect_code(&r, 4);
	assert_int_equal(reject_lines(&r.err), 1);
	assert_true(has_line_with_all(&r.err, "huge.jsonl:1:", "longer"));
	if (o.max_rss_kb >= 300 * 1024)
		fail_msg("peak RSS %ld KiB indexing a 100 MiB line", o.max_rss_kb);
	print_message("huge line: peak RSS %ld KiB\n", o.max_rss_kb);
	lede(&r, "show", "-d", t->db, "after-huge", NULL);
	expect_code(&r, 0);
	assert_int_equal(stats_int(t->db, "articles"), 1);
	free(f);
	res_free(&r);
}

static void test_nul_bytes(void **state)
{
	tmp *t = *state;
	char *dir = run_path(t->dir, "in");
	assert_int_equal(mkdir(dir, 0755), 0);
	static const char jl[] =
		"{\"id\":\"nul-1\",\"title\":\"Before\",\"text\":\"clean text\"}\n"
		"{\"id\":\"nul-2\",\"title\":\"Has\0NUL\",\"text\":\"x\0y\"}\n"
		"\0\0\0\n"
		"{\"id\":\"nul-3\",\"title\":\"After\",\"text\":\"more clean text\"}\n";
	char *f1 = run_path(dir, "nul.jsonl");
	assert_int_equal(run_write_file(f1, jl, sizeof jl - 1), 0);
	static const char tx[] = "A title\n\nBody with\0 a NUL\0\0 in it.\n";
	char *f2 = run_path(dir, "nul.txt");
	assert_int_equal(run_write_file(f2, tx, sizeof tx - 1), 0);
	unsigned char rnd[4096];
	unsigned s = 12345;
	for (size_t i = 0; i < sizeof rnd; i++) {
		s = s * 1103515245u + 12345u;
		rnd[i] = (unsigned char)(s >> 16);
	}
	char *f3 = run_path(dir, "random.jsonl");
	assert_int_equal(run_write_file(f3, rnd, sizeof rnd), 0);

	res r = { 0 };
	lede(&r, "index", "-d", t->db, dir, NULL);
	if (r.code != 0 && r.code != 4)
		fail_msg("exit %d: %s", r.code, sb_cstr(&r.err));
	lede(&r, "show", "-d", t->db, "nul-1", NULL);
	expect_code(&r, 0);
	lede(&r, "show", "-d", t->db, "nul-3", NULL);
	expect_code(&r, 0);
	expect_xapian_check_ok(t->db);
	lede(&r, "search", "-d", t->db, "clean", NULL);
	expect_code(&r, 0);
	free(f1);
	free(f2);
	free(f3);
	free(dir);
	res_free(&r);
}

static void test_symlink_loop(void **state)
{
	tmp *t = *state;
	char *dir = run_path(t->dir, "tree");
	char *sub = run_path(dir, "sub");
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	char *f = run_path(sub, "one.jsonl");
	static const char rec[] =
		"{\"id\":\"loop-1\",\"title\":\"Loop\",\"text\":\"only once\"}\n";
	assert_int_equal(run_write_file(f, rec, sizeof rec - 1), 0);
	char *up = run_path(sub, "up");
	char *self = run_path(dir, "self");
	char *dangling = run_path(dir, "dangling.txt");
	assert_int_equal(symlink("..", up), 0);
	assert_int_equal(symlink(".", self), 0);
	assert_int_equal(symlink("nowhere", dangling), 0);

	res r = { 0 };
	lede(&r, "index", "-d", t->db, dir, NULL);
	if (r.code != 0 && r.code != 4)
		fail_msg("exit %d: %s", r.code, sb_cstr(&r.err));
	summary s = parse_summary(&r);
	assert_int_equal(s.added, 1);
	assert_int_equal(stats_int(t->db, "articles"), 1);
	free(f);
	free(up);
	free(self);
	free(dangling);
	free(sub);
	free(dir);
	res_free(&r);
}

/* Usage errors are exit 2 and create nothing. */
static void test_usage_errors(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	lede(&r, "index", "-d", t->db, NULL);
	expect_code(&r, 2);
	lede(&r, "index", "-d", t->db, "--commit-every", "0", "x", NULL);
	expect_code(&r, 2);
	lede(&r, "index", "-d", t->db, "--format", "docx", "x", NULL);
	expect_code(&r, 2);
	lede(&r, "rm", "-d", t->db, NULL);
	expect_code(&r, 2);
	assert_int_not_equal(access(t->db, F_OK), 0);
	/* a missing input file is a rejected input, not a crash */
	char *missing = run_path(t->dir, "nope.jsonl");
	lede(&r, "index", "-d", t->db, missing, NULL);
	expect_code(&r, 4);
	assert_non_null(strstr(sb_cstr(&r.err), missing));
	free(missing);
	res_free(&r);
}

/* What a new user types first: a query that starts with '-', a mistyped
 * field, a facet-only search (-n 0), an unknown option. */
static void test_search_first_tries(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	index_fixture(t, &r);
	/* '-drill raids' is a query, not options */
	lede(&r, "search", "-d", t->db, "-f", "tsv", "--no-header",
	     "-drill raids", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "cli-bass-raids"));
	/* a mistyped field names the fields instead of finding nothing */
	lede(&r, "search", "-d", t->db, "officials:bass", NULL);
	expect_code(&r, 2);
	assert_non_null(strstr(sb_cstr(&r.err), "did you mean official:"));
	/* -n 0: the total and the facets, no hits, and exit 0 */
	lede(&r, "search", "-d", t->db, "-n", "0", "-f", "json", "--facets",
	     "city", "raids", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "\"hits\": []"));
	assert_non_null(strstr(sb_cstr(&r.out), "\"los angeles ca\""));
	assert_non_null(strstr(sb_cstr(&r.out), "\"total\": 1"));
	lede(&r, "search", "-d", t->db, "-n", "0", "zzqqzz", NULL);
	expect_code(&r, 1);
	/* an unknown option says so once, and how to search for -word */
	lede(&r, "search", "-d", t->db, "--bogus", "raids", NULL);
	expect_code(&r, 2);
	assert_non_null(strstr(sb_cstr(&r.err), "unknown option --bogus"));
	assert_null(strstr(sb_cstr(&r.err), "unrecognized"));
	lede(&r, "search", "-d", t->db, "raids", "-n", NULL);
	expect_code(&r, 2);
	assert_non_null(strstr(sb_cstr(&r.err), "-n needs a value"));
	/* --explain: each hit names its matched terms and their weights */
	lede(&r, "search", "-d", t->db, "-f", "json", "--explain", "raids", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "\"explain\": ["));
	assert_non_null(strstr(sb_cstr(&r.out), "\"term\": \"raid\""));
	assert_null(strstr(sb_cstr(&r.out), "\"weight\": 0.0,"));
	lede(&r, "search", "-d", t->db, "--explain", "raids", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "from the terms: raid "));
	lede(&r, "search", "-d", t->db, "-f", "json", "raids", NULL);
	assert_null(strstr(sb_cstr(&r.out), "\"explain\""));
	res_free(&r);
}

/* Sources: one spelling with and without capitals and accents is one
 * source; a record without one takes --source, else its URL's host, never
 * its folder's name. */
static void test_sources(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	char *dir = run_path(t->dir, "politics");
	assert_int_equal(mkdir(dir, 0755), 0);
	char *a = run_path(dir, "a.jsonl");
	const char *rows =
	    "{\"id\":\"p1\",\"title\":\"Uno\",\"text\":\"frontera uno\",\"source\":\"El Pa\u00eds\"}\n"
	    "{\"id\":\"p2\",\"title\":\"Dos\",\"text\":\"frontera dos\",\"source\":\"El pa\u00eds\"}\n"
	    "{\"id\":\"p3\",\"title\":\"Tres\",\"text\":\"frontera tres\",\"url\":\"https://www.heraldo.example/x/3\"}\n"
	    "{\"id\":\"p4\",\"title\":\"Cuatro\",\"text\":\"frontera cuatro\"}\n";
	assert_int_equal(run_write_file(a, rows, strlen(rows)), 0);
	lede(&r, "index", "-q", "-d", t->db, dir, NULL);
	expect_code(&r, 0);
	lede(&r, "search", "-d", t->db, "-n", "0", "-F", "source", "-f", "json",
	     "frontera", NULL);
	expect_code(&r, 0);
	const char *o = sb_cstr(&r.out);
	assert_non_null(strstr(o, "\"el pais\""));
	assert_non_null(strstr(o, "\"count\": 2"));
	assert_non_null(strstr(o, "\"heraldo.example\""));
	assert_null(strstr(o, "politics"));
	lede(&r, "search", "-d", t->db, "-f", "tsv", "--no-header",
	     "source:\"EL PAIS\" frontera", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "p1"));
	assert_non_null(strstr(sb_cstr(&r.out), "p2"));
	/* --source names the records that name none */
	char *b = run_path(t->dir, "b.jsonl");
	const char *more = "{\"id\":\"p5\",\"title\":\"Cinco\",\"text\":\"frontera cinco\"}\n"
	                   "{\"id\":\"p6\",\"title\":\"Seis\",\"text\":\"frontera seis\",\"source\":\"Propio\"}\n";
	assert_int_equal(run_write_file(b, more, strlen(more)), 0);
	lede(&r, "index", "-q", "-d", t->db, "--source", "Wire Desk", b, NULL);
	expect_code(&r, 0);
	lede(&r, "search", "-d", t->db, "-f", "tsv", "--no-header",
	     "source:\"wire desk\"", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "p5"));
	assert_null(strstr(sb_cstr(&r.out), "p6"));
	free(a);
	free(b);
	free(dir);
	res_free(&r);
}

/* Sorted by date, undated articles come last, oldest or newest first. */
static void test_sort_undated_last(void **state)
{
	tmp *t = *state;
	res r = { 0 };
	char *a = run_path(t->dir, "d.jsonl");
	const char *rows =
	    "{\"id\":\"u1\",\"title\":\"Sin fecha\",\"text\":\"levee levee levee\"}\n"
	    "{\"id\":\"d2\",\"title\":\"Later\",\"text\":\"levee\",\"date\":\"2021-05-01\"}\n"
	    "{\"id\":\"d1\",\"title\":\"Earlier\",\"text\":\"levee\",\"date\":\"1999-05-01\"}\n";
	assert_int_equal(run_write_file(a, rows, strlen(rows)), 0);
	lede(&r, "index", "-q", "-d", t->db, a, NULL);
	expect_code(&r, 0);
	const char *orders[][2] = { { "date", "d1 d2 u1 " }, { "-date", "d2 d1 u1 " } };
	for (int k = 0; k < 2; k++) {
		lede(&r, "search", "-d", t->db, "-f", "tsv", "--no-header", "--sort",
		     orders[k][0], "levee", NULL);
		expect_code(&r, 0);
		strbuf ids = STRBUF_INIT;
		char *text = xstrdup(sb_cstr(&r.out)), *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			char *f = strchr(l, '\t');
			f = f ? strchr(f + 1, '\t') : NULL;   /* the third column: id */
			if (f)
				sb_addf(&ids, "%.*s ", (int)strcspn(f + 1, "\t"), f + 1);
		}
		assert_string_equal(sb_cstr(&ids), orders[k][1]);
		free(text);
		sb_release(&ids);
	}
	free(a);
	res_free(&r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_tmp, teardown_tmp)

int main(void)
{
	const char *bin = run_lede_bin();
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "test_cli_index: no lede binary at %s (set LEDE_BIN "
		        "or LEDE_SRC)\n", bin);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		T(test_index_fixture_counts),
		T(test_index_sample_matches_expectations),
		T(test_reindex_unchanged),
		T(test_reindex_one_edited_file),
		T(test_same_id_twice_last_wins),
		T(test_rm_article_and_passages),
		T(test_compact),
		T(test_bad_records_rejected_rest_indexed),
		T(test_sample_bad),
		T(test_second_writer_locked_out),
		T(test_kill9_loses_only_the_open_batch),
		T(test_search_while_indexing),
		T(test_incompatible_format),
		T(test_not_a_database),
		T(test_index_stdin),
		T(test_no_progress_when_not_a_tty),
		T(test_huge_line_rejected_memory_bounded),
		T(test_nul_bytes),
		T(test_symlink_loop),
		T(test_usage_errors),
		T(test_search_first_tries),
		T(test_sources),
		T(test_sort_undated_last),
		T(test_long_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
