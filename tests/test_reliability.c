/* End-to-end reliability tests (issue 20): readers against a writer that
 * commits often, damaged stored dates and term lists, compactions that
 * overlap or were killed. They drive the real binary ($LEDE_BIN) and the
 * library on fresh temporary databases; nothing here measures time. */
#include <errno.h>
#include <fcntl.h>
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
#include "helpers/tcpsrv.h"
#include "lede.h"

/* ---- helpers -------------------------------------------------------- */

/* JSON Lines records from..to-1, id "gen-N", each with "shelter". */
static void gen_records(strbuf *sb, unsigned from, unsigned to)
{
	static const char *const cities[] = { "Denver", "Houston", "Tucson",
		"Newark", "Seattle" };
	for (unsigned i = from; i < to; i++)
		sb_addf(sb, "{\"id\":\"gen-%u\",\"title\":\"Hearing %u in %s\","
		        "\"text\":\"The council heard item %u on shelter beds and "
		        "legal aid. Residents of ward %u asked about asylum "
		        "hearings; the mayor said case %u would wait.\","
		        "\"date\":\"20%02u-%02u-%02u\",\"source\":\"Generated "
		        "Gazette\",\"lang\":\"en\"}\n", i, i, cities[i % 5], i,
		        i % 53, i * 7 + 3, 10 + i % 15, 1 + i % 12, 1 + i % 28);
}

/* Blank lines that push what came before through the reader's buffer. */
static void pad_input(strbuf *sb)
{
	char line[4096];
	memset(line, ' ', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	for (int i = 0; i < 256; i++)
		sb_add(sb, line, sizeof line);
}

static void index_records(tmp *t, unsigned n)
{
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, n);
	char *f = run_path(t->dir, "in.jsonl");
	assert_int_equal(run_write_file(f, in.buf, in.len), 0);
	res r = { 0 };
	lede(&r, "index", "-d", t->db, f, NULL);
	expect_code(&r, 0);
	res_free(&r);
	free(f);
	sb_release(&in);
}

/* Articles committed so far; -1 while the database cannot be opened. */
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

/* Wait until min articles are committed: a bound on a wait, not a timing
 * assertion (the bound is far beyond any normal run). */
static void wait_articles(const char *db, long long min, pid_t pid)
{
	for (int i = 0; i < 6000; i++) {
		if (committed_articles(db) >= min)
			return;
		if (child_exited(pid))
			fail_msg("the writer exited before committing %lld", min);
		sleep_ms(10);
	}
	fail_msg("no %lld committed articles after a long wait", min);
}

/* ---- 1. readers while a writer commits every few articles ----------- */

static void test_search_loop_while_writer_commits(void **state)
{
	tmp *t = *state;
	char *fifo = run_path(t->dir, "in.jsonl");
	char *errf = run_path(t->dir, "writer.err");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	char *args[] = { "index", "-d", t->db, "--commit-every", "3", fifo,
	                 NULL };
	pid_t w = run_lede_spawn(args, NULL, NULL, errf);
	assert_true(w > 0);
	int fd = run_open_fifo_writer(fifo, w, 120);
	assert_true(fd >= 0);

	/* enough articles for B-trees of more than one level: a reader
	 * holds a root block in memory, and only the blocks below it can be
	 * overwritten under it */
	strbuf in = STRBUF_INIT;
	unsigned n = 1500;
	gen_records(&in, 0, n);
	pad_input(&in);
	assert_int_equal(run_write_all(fd, in.buf, in.len), 0);
	wait_articles(t->db, n, w);

	/* one long-lived handle, as a server would keep: the library must
	 * reopen it itself when a writer discards the revision it reads */
	lede_db *db;
	assert_int_equal(lede_open(&db, t->db), LEDE_OK);
	lede_search_opts so = LEDE_SEARCH_OPTS_INIT;
	so.facets = LEDE_FACET_CITY | LEDE_FACET_MONTH;
	unsigned failures = 0, searches = 0, rounds = 60;
	uint64_t first_total = 0, last_total = 0;
	res r = { 0 };
	for (unsigned round = 0; round < rounds; round++) {
		/* six more articles: two commits, enough to discard the
		 * revision the handle was reading */
		sb_reset(&in);
		gen_records(&in, n, n + 6);
		pad_input(&in);
		assert_int_equal(run_write_all(fd, in.buf, in.len), 0);
		n += 6;
		wait_articles(t->db, n, w);
		lede_results *res_ = NULL;
		int st = lede_search(&res_, db, "shelter beds", &so);
		searches++;
		if (st != LEDE_OK) {
			failures++;
			print_message("library search %u: %s\n", round,
			              lede_errmsg(db));
		} else {
			if (!first_total)
				first_total = lede_results_total(res_);
			last_total = lede_results_total(res_);
		}
		lede_results_free(res_);
		lede_article *a = NULL;
		char id[32];
		snprintf(id, sizeof id, "gen-%u", round % 6);
		st = lede_article_get(&a, db, id);
		searches++;
		if (st != LEDE_OK) {
			failures++;
			print_message("article %s: %s\n", id, lede_errmsg(db));
		}
		lede_article_free(a);
		lede_stats *s = NULL;
		if (round % 5 == 0) {
			st = lede_stats_get(&s, db, 3);
			searches++;
			if (st != LEDE_OK) {
				failures++;
				print_message("stats: %s\n", lede_errmsg(db));
			}
			lede_stats_free(s);
		}
		/* the command line too, with facets and a timeline */
		if (round % 4 == 0) {
			lede(&r, "search", "-d", t->db, "--facets", "all",
			     "shelter beds legal aid", NULL);
			searches++;
			if (r.code != 0) {
				failures++;
				print_message("lede search: exit %d: %s\n", r.code,
				              sb_cstr(&r.err));
			}
			lede(&r, "timeline", "-d", t->db, "shelter", NULL);
			searches++;
			if (r.code != 0) {
				failures++;
				print_message("lede timeline: exit %d: %s\n", r.code,
				              sb_cstr(&r.err));
			}
		}
	}
	close(fd);
	int code = -1;
	assert_int_equal(run_wait(w, &code, NULL), 0);
	assert_int_equal(code, 0);
	print_message("%u reads against a writer committing every 3 articles:"
	              " %u failed\n", searches, failures);
	assert_int_equal(failures, 0);
	/* the handle followed the writer: later searches saw more articles */
	assert_true(last_total > first_total);
	lede_close(db);
	res_free(&r);
	sb_release(&in);
	free(fifo);
	free(errf);
}

/* ---- 2. a damaged stored date --------------------------------------- */

/* Add a passage-like document with the word "quokka" and the date value
 * date, as damage would leave one. */
static void add_damaged_passage(const char *dbpath, const char *id,
                                const char *date)
{
	lx_wdb *w;
	assert_int_equal(lx_wdb_open(&w, dbpath, 0), 0);
	lx_doc *d = lx_doc_new();
	assert_int_equal(lx_doc_add_posting(d, "quokka", 6, 1, 1), 0);
	strbuf t = STRBUF_INIT;
	sb_addf(&t, "%s%s", PFX_ARTICLE, id);
	assert_int_equal(lx_doc_add_boolean_term(d, t.buf, t.len), 0);
	sb_reset(&t);
	sb_addf(&t, "%s\n0\n0\n6\nDamaged\n%s\nS\nU\nen\n", id, date);
	assert_int_equal(lx_doc_set_data(d, t.buf, t.len), 0);
	assert_int_equal(lx_doc_set_value(d, SLOT_DATE, date, strlen(date)), 0);
	assert_int_equal(lx_doc_set_value(d, SLOT_ARTICLE, id, strlen(id)), 0);
	assert_int_equal(lx_doc_set_value(d, SLOT_GROUP, id, strlen(id)), 0);
	assert_int_equal(lx_wdb_add(w, d, NULL), 0);
	assert_int_equal(lx_wdb_close(w), 0);
	lx_doc_free(d);
	sb_release(&t);
}

static void test_timeline_damaged_date(void **state)
{
	tmp *t = *state;
	strbuf in = STRBUF_INIT;
	sb_addstr(&in, "{\"id\":\"q1\",\"title\":\"Quokka\",\"text\":\"A quokka "
	          "was seen near the shelter.\",\"date\":\"2021-03-04\"}\n");
	char *f = run_path(t->dir, "q.jsonl");
	assert_int_equal(run_write_file(f, in.buf, in.len), 0);
	res r = { 0 };
	lede(&r, "index", "-d", t->db, f, NULL);
	expect_code(&r, 0);
	add_damaged_passage(t->db, "bad-1", "zzzzzzzz");
	add_damaged_passage(t->db, "bad-2", "99999999999999");

	static const char *const by[] = { "month", "year" };
	for (int i = 0; i < 2; i++) {
		lede(&r, "timeline", "-d", t->db, "--by", by[i], "--format", "csv",
		     "quokka", NULL);
		expect_code(&r, 0);
		/* the sound date's period only: a header and one line */
		assert_string_equal(sb_cstr(&r.out),
		                    i == 0 ? "month,articles\n2021-03,1\n"
		                           : "year,articles\n2021,1\n");
		assert_non_null(strstr(sb_cstr(&r.err), "damaged date value "
		                                        "'zzzzzzzz'"));
		assert_non_null(strstr(sb_cstr(&r.err), "'99999999999999'"));
	}
	/* facets of a search leave them out the same way */
	lede(&r, "search", "-d", t->db, "--facets", "month", "--format", "json",
	     "quokka", NULL);
	assert_true(r.code == 0);
	assert_null(strstr(sb_cstr(&r.out), "\"9999-99\""));
	assert_null(strstr(sb_cstr(&r.out), "\"zzzz-zz\""));
	assert_non_null(strstr(sb_cstr(&r.out), "\"2021-03\""));
	free(f);
	sb_release(&in);
	res_free(&r);
}

/* ---- 3. a damaged term list ----------------------------------------- */

/* Flip one bit of the file dir/name at offset; 0 or -1 (past the end). */
static int flip_bit(const char *dir, const char *name, long offset, int bit)
{
	char *p = run_path(dir, name);
	int fd = open(p, O_RDWR);
	free(p);
	assert_true(fd >= 0);
	unsigned char c;
	int rc = -1;
	if (pread(fd, &c, 1, offset) == 1) {
		c ^= (unsigned char)(1u << bit);
		rc = pwrite(fd, &c, 1, offset) == 1 ? 0 : -1;
	}
	close(fd);
	return rc;
}

/* Copy the glass database src to dst (a fresh directory). */
static void copy_db(const char *src, const char *dst)
{
	static const char *const files[] = { "docdata.glass", "flintlock",
		"iamglass", "position.glass", "postlist.glass", "termlist.glass" };
	run_rmtree(dst);
	assert_int_equal(mkdir(dst, 0700), 0);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *s = run_path(src, files[i]), *d = run_path(dst, files[i]);
		if (access(s, F_OK) == 0)
			assert_int_equal(run_copy_file(s, d), 0);
		free(s);
		free(d);
	}
}

static int sanitizer_report(const strbuf *err)
{
	return strstr(sb_cstr(err), "Sanitizer") != NULL ||
	       strstr(sb_cstr(err), "runtime error") != NULL;
}

/* Bit flips spread over the term lists: whatever they hit, `lede
 * similar` and a feedback search end with a result or a one-line database
 * error, never a crash or a sanitizer report; a damaged list is named. */
static void test_damaged_term_list(void **state)
{
	tmp *t = *state;
	index_records(t, 40);
	char *dmg = run_path(t->dir, "dmg");
	char *tl = run_path(t->db, "termlist.glass");
	struct stat st;
	assert_int_equal(stat(tl, &st), 0);
	free(tl);
	/* 48 positions spread over the file */
	long blocks_from = 0, span = (long)st.st_size;
	assert_true(span > 0);
	unsigned named = 0, runs = 0;
	res r = { 0 };
	for (int k = 0; k < 48; k++) {
		long off = blocks_from + span * k / 48 + (k * 37) % 101;
		copy_db(t->db, dmg);
		if (flip_bit(dmg, "termlist.glass", off, k % 8) != 0)
			continue;
		char id[16];
		snprintf(id, sizeof id, "gen-%d", k % 40);
		for (int which = 0; which < 2; which++) {
			if (which == 0)
				lede(&r, "similar", "-d", dmg, id, NULL);
			else
				lede(&r, "search", "-d", dmg,
				     "shelter beds legal aid asylum", NULL);
			runs++;
			if (sanitizer_report(&r.err) || r.code > 3)
				fail_msg("flip at %ld bit %d: %s exit %d: %s", off, k % 8,
				         which ? "search" : "similar", r.code,
				         sb_cstr(&r.err));
			/* a failure names the damage, never "no terms" */
			if (r.code == 3)
				assert_null(strstr(sb_cstr(&r.err), "no terms to compare"));
			if (strstr(sb_cstr(&r.err), "term list is damaged") ||
			    strstr(sb_cstr(&r.err), "DatabaseCorruptError"))
				named++;
		}
	}
	print_message("%u runs over damaged term lists, %u named the damage\n",
	              runs, named);
	assert_true(named > 0);
	free(dmg);
	res_free(&r);
}

/* A damaged passage record is skipped with a warning: the other hits of
 * the query still come back. */
static void test_damaged_passage_skipped(void **state)
{
	tmp *t = *state;
	index_records(t, 5);
	lx_wdb *w;
	assert_int_equal(lx_wdb_open(&w, t->db, 0), 0);
	lx_doc *d = lx_doc_new();
	assert_int_equal(lx_doc_add_posting(d, "shelter", 7, 1, 5), 0);
	assert_int_equal(lx_doc_set_data(d, "no record here", 14), 0);
	assert_int_equal(lx_wdb_add(w, d, NULL), 0);
	assert_int_equal(lx_wdb_close(w), 0);
	lx_doc_free(d);
	res r = { 0 };
	lede(&r, "search", "-d", t->db, "-n", "20", "--format", "tsv",
	     "shelter", NULL);
	expect_code(&r, 0);
	if (!strstr(sb_cstr(&r.err), "warning: "))
		fail_msg("no warning; stderr: %s; stdout: %s", sb_cstr(&r.err),
		         sb_cstr(&r.out));
	assert_non_null(strstr(sb_cstr(&r.err), "passage record is damaged"));
	/* the five sound articles, each on one line after the header */
	size_t lines = 0;
	for (const char *s = sb_cstr(&r.out); *s; s++)
		lines += *s == '\n';
	assert_int_equal(lines, 6);
	res_free(&r);
}

/* ---- 4. compactions ------------------------------------------------- */

/* The compaction lock and the copy beside the database. */
static char *sibling(const tmp *t, const char *suffix)
{
	strbuf s = STRBUF_INIT;
	sb_addf(&s, "%s%s", t->db, suffix);
	return sb_detach(&s, NULL);
}

/* Start `lede compact` that waits after its swap on the FIFO pause
 * (LEDE_TEST_COMPACT_PAUSE); returns its pid once it is there, and the
 * FIFO's write end in *fd: closing it lets the compaction finish. */
static pid_t compact_paused(tmp *t, const char *pause, const char *errf,
                            int *fd)
{
	assert_int_equal(mkfifo(pause, 0600), 0);
	setenv("LEDE_TEST_COMPACT_PAUSE", pause, 1);
	char *args[] = { "compact", "-d", t->db, NULL };
	pid_t pid = run_lede_spawn(args, NULL, NULL, errf);
	unsetenv("LEDE_TEST_COMPACT_PAUSE");
	assert_true(pid > 0);
	*fd = run_open_fifo_writer(pause, pid, 120);
	if (*fd < 0)
		fail_msg("the compaction never reached its pause after the swap");
	return pid;
}

static void test_two_compactions(void **state)
{
	tmp *t = *state;
	index_records(t, 40);
	char *pause = run_path(t->dir, "pause");
	char *errf = run_path(t->dir, "first.err");
	int fd;
	pid_t first = compact_paused(t, pause, errf, &fd);

	/* the first has swapped and not cleaned up: the second must not
	 * start (its copy would be the first one's to delete) */
	res r = { 0 };
	lede(&r, "compact", "-d", t->db, NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), "another compaction is running"));
	assert_non_null(strstr(sb_cstr(&r.err), ".compacting.lock"));

	close(fd);
	int code = -1;
	assert_int_equal(run_wait(first, &code, NULL), 0);
	strbuf err = STRBUF_INIT;
	run_read_file(errf, &err);
	if (code != 0)
		fail_msg("first compaction: exit %d: %s", code, sb_cstr(&err));
	assert_null(strstr(sb_cstr(&err), "yourself"));
	char *copy = sibling(t, ".compacting");
	assert_int_not_equal(access(copy, F_OK), 0);

	/* now a second one runs */
	lede(&r, "compact", "-d", t->db, NULL);
	expect_code(&r, 0);
	lede(&r, "stats", "-d", t->db, "--format", "json", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "\"articles\": 40"));
	free(copy);
	free(pause);
	free(errf);
	sb_release(&err);
	res_free(&r);
}

static void test_killed_compaction_leftover(void **state)
{
	tmp *t = *state;
	index_records(t, 40);
	char *pause = run_path(t->dir, "pause");
	char *errf = run_path(t->dir, "first.err");
	int fd;
	pid_t first = compact_paused(t, pause, errf, &fd);
	/* killed between its swap and its cleanup: the old files stay */
	kill(first, SIGKILL);
	int code = -1;
	assert_int_equal(run_wait(first, &code, NULL), 0);
	close(fd);
	char *copy = sibling(t, ".compacting");
	assert_int_equal(access(copy, F_OK), 0);

	res r = { 0 };
	lede(&r, "search", "-d", t->db, "shelter", NULL);
	expect_code(&r, 0);
	lede(&r, "compact", "-d", t->db, NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.err), "left by a compaction that was "
	                                        "stopped"));
	assert_non_null(strstr(sb_cstr(&r.err), copy));
	assert_int_not_equal(access(copy, F_OK), 0);
	lede(&r, "stats", "-d", t->db, "--format", "json", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "\"articles\": 40"));
	free(copy);
	free(pause);
	free(errf);
	res_free(&r);
}

/* ---- 6. remote shards under faults ---------------------------------- */

/* dir/remote.stub naming the shard at port; malloc()ed path. */
static char *write_stub(const tmp *t, int port)
{
	char *stub = run_path(t->dir, "remote.stub");
	char line[64];
	int n = snprintf(line, sizeof line, "remote 127.0.0.1:%d\n", port);
	assert_int_equal(run_write_file(stub, line, (size_t)n), 0);
	return stub;
}

/* xapian-tcpsrv serving t's database (*port). tools/deps.sh installs it
 * (xapian-tools): a missing server is a failure, not a pass. */
static pid_t start_shard(tmp *t, int *port)
{
	index_records(t, 20);
	pid_t srv = tcpsrv_start(t->db, port);
	if (srv == 0)
		print_error("xapian-tcpsrv not installed (tools/deps.sh)\n");
	assert_true(srv > 0);
	return srv;
}

static size_t count_of(const strbuf *sb, const char *needle)
{
	size_t n = 0;
	for (const char *s = sb_cstr(sb); (s = strstr(s, needle)) != NULL; s++)
		n++;
	return n;
}

/* A stopped server (it accepts, never answers): the timeout asked for,
 * not Xapian's 10 s per query, and one error for the whole batch. */
static void test_remote_stopped_shard(void **state)
{
	tmp *t = *state;
	int port;
	pid_t srv = start_shard(t, &port);
	char *stub = write_stub(t, port);
	strbuf q = STRBUF_INIT;
	for (int i = 0; i < 20; i++)
		sb_addf(&q, "q%d\tshelter beds\n", i);
	char *qf = run_path(t->dir, "queries.tsv");
	assert_int_equal(run_write_file(qf, q.buf, q.len), 0);
	res r = { 0 };
	lede(&r, "search", "-d", stub, "--queries", qf, NULL);
	expect_code(&r, 0);

	kill(srv, SIGSTOP);
	const char *env[] = { "LEDE_REMOTE_TIMEOUT=1", NULL };
	run_opts o = RUN_OPTS_INIT;
	o.env = env;
	/* a safety net well below 20 queries of 10 s, far above one of 1 s */
	o.timeout_s = 60;
	char *args[] = { "search", "-d", stub, "--queries", qf, NULL };
	res_free(&r);
	int rc = run_lede_opts(args, &o, &r.out, &r.err, &r.code);
	kill(srv, SIGCONT);
	tcpsrv_stop(srv);
	assert_int_equal(rc, 0);
	expect_code(&r, 3);
	char hostport[32];
	snprintf(hostport, sizeof hostport, "127.0.0.1:%d", port);
	assert_non_null(strstr(sb_cstr(&r.err), hostport));
	assert_non_null(strstr(sb_cstr(&r.err), "Timeout"));
	assert_int_equal(count_of(&r.err, "Timeout expired"), 1);
	free(stub);
	free(qf);
	sb_release(&q);
	res_free(&r);
}

/* A server killed in the middle of a batch: exit 3 naming the shard,
 * after one error, not one per remaining query with the usage code. */
static void test_remote_killed_during_batch(void **state)
{
	tmp *t = *state;
	int port;
	pid_t srv = start_shard(t, &port);
	char *stub = write_stub(t, port);
	char *fifo = run_path(t->dir, "queries.fifo");
	char *outf = run_path(t->dir, "batch.out");
	char *errf = run_path(t->dir, "batch.err");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	char *args[] = { "search", "-d", stub, "--format", "tsv", "--queries",
	                 fifo, NULL };
	pid_t b = run_lede_spawn(args, NULL, outf, errf);
	assert_true(b > 0);
	int fd = run_open_fifo_writer(fifo, b, 120);
	assert_true(fd >= 0);
	const char *first = "q0\tshelter beds\n";
	assert_int_equal(run_write_all(fd, first, strlen(first)), 0);
	/* wait (bounded) until the first query's hits are out */
	strbuf out = STRBUF_INIT;
	for (int i = 0; i < 6000 && !strstr(sb_cstr(&out), "gen-"); i++) {
		sb_reset(&out);
		run_read_file(outf, &out);
		if (child_exited(b))
			break;
		sleep_ms(10);
	}
	assert_non_null(strstr(sb_cstr(&out), "gen-"));
	/* the server and the process serving this connection */
	kill(-srv, SIGKILL);
	waitpid(srv, NULL, 0);
	strbuf q = STRBUF_INIT;
	for (int i = 1; i < 300; i++)
		sb_addf(&q, "q%d\tshelter beds\n", i);
	/* the batch may have stopped already: a broken pipe here is fine */
	signal(SIGPIPE, SIG_IGN);
	run_write_all(fd, q.buf, q.len);
	close(fd);
	int code = -1;
	assert_int_equal(run_wait(b, &code, NULL), 0);
	strbuf err = STRBUF_INIT;
	run_read_file(errf, &err);
	if (code != 3)
		fail_msg("exit %d: %s", code, sb_cstr(&err));
	char hostport[32];
	snprintf(hostport, sizeof hostport, "127.0.0.1:%d", port);
	if (!strstr(sb_cstr(&err), hostport))
		fail_msg("the error does not name %s: %s", hostport, sb_cstr(&err));
	assert_int_equal(count_of(&err, "NetworkError"), 1);
	assert_non_null(strstr(sb_cstr(&err), "stopped at line 2"));
	free(stub);
	free(fifo);
	free(outf);
	free(errf);
	sb_release(&q);
	sb_release(&out);
	sb_release(&err);
}

static void test_index_into_stub_refused(void **state)
{
	tmp *t = *state;
	index_records(t, 2);
	char *stub = run_path(t->dir, "local.stub");
	strbuf line = STRBUF_INIT;
	sb_addf(&line, "auto %s\n", t->db);
	assert_int_equal(run_write_file(stub, line.buf, line.len), 0);
	strbuf in = STRBUF_INIT;
	gen_records(&in, 5, 6);
	char *f = run_path(t->dir, "one.jsonl");
	assert_int_equal(run_write_file(f, in.buf, in.len), 0);
	res r = { 0 };
	lede(&r, "index", "-d", stub, f, NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), "stub database file"));
	assert_null(strstr(sb_cstr(&r.err), "mkdir"));
	/* and searching through it works */
	lede(&r, "search", "-d", stub, "shelter", NULL);
	expect_code(&r, 0);
	free(stub);
	free(f);
	sb_release(&line);
	sb_release(&in);
	res_free(&r);
}

/* ---- 7. smaller ----------------------------------------------------- */

/* A newline in a file name is escaped: one rejected record, one line. */
static void test_reject_line_escapes_newline(void **state)
{
	tmp *t = *state;
	char *dir = run_path(t->dir, "in\nside");
	assert_int_equal(mkdir(dir, 0700), 0);
	char *f = run_path(dir, "bad.jsonl");
	assert_int_equal(run_write_file(f, "{\"id\":\"x\"", 9), 0);
	res r = { 0 };
	lede(&r, "index", "-d", t->db, dir, NULL);
	expect_code(&r, 4);
	/* the reject and the summary: two lines */
	assert_int_equal(count_of(&r.err, "\n"), 2);
	assert_non_null(strstr(sb_cstr(&r.err), "in\\nside/bad.jsonl:1: "));
	free(f);
	free(dir);
	res_free(&r);
}

/* A FIFO named after other inputs: what came before it is committed while
 * the reader waits on it; a FIFO nothing writes to is given up, with a
 * reject naming it. */
static void test_fifo_on_command_line(void **state)
{
	tmp *t = *state;
	strbuf in = STRBUF_INIT;
	gen_records(&in, 0, 7);
	char *f = run_path(t->dir, "first.jsonl");
	assert_int_equal(run_write_file(f, in.buf, in.len), 0);
	char *fifo = run_path(t->dir, "late.fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);

	/* waiting for ever (LEDE_FIFO_TIMEOUT=0): the first file is
	 * committed meanwhile; then the FIFO's record goes in too */
	setenv("LEDE_FIFO_TIMEOUT", "0", 1);
	char *args[] = { "index", "-d", t->db, f, fifo, NULL };
	pid_t w = run_lede_spawn(args, NULL, NULL, NULL);
	unsetenv("LEDE_FIFO_TIMEOUT");
	assert_true(w > 0);
	wait_articles(t->db, 7, w);
	int fd = run_open_fifo_writer(fifo, w, 120);
	assert_true(fd >= 0);
	sb_reset(&in);
	gen_records(&in, 7, 8);
	assert_int_equal(run_write_all(fd, in.buf, in.len), 0);
	close(fd);
	int code = -1;
	assert_int_equal(run_wait(w, &code, NULL), 0);
	assert_int_equal(code, 0);
	assert_int_equal(committed_articles(t->db), 8);

	/* nothing ever writes to it: given up after the timeout */
	const char *env[] = { "LEDE_FIFO_TIMEOUT=0.2", NULL };
	run_opts o = RUN_OPTS_INIT;
	o.env = env;
	res r = { 0 };
	sb_reset(&in);
	gen_records(&in, 8, 10);
	assert_int_equal(run_write_file(f, in.buf, in.len), 0);
	lede_o(&r, &o, "index", "-d", t->db, f, fifo, NULL);
	expect_code(&r, 4);
	assert_non_null(strstr(sb_cstr(&r.err), "late.fifo: a FIFO that nothing "
	                                        "was written to"));
	assert_int_equal(committed_articles(t->db), 10);
	free(f);
	free(fifo);
	sb_release(&in);
	res_free(&r);
}

/* An unbalanced CSV quote: the reject says where it opened and which
 * lines it swallowed. */
static void test_csv_unbalanced_quote_named(void **state)
{
	tmp *t = *state;
	char *f = run_path(t->dir, "q.csv");
	const char *two = "id,title,text\na1,One,\"first text\n"
	                  "a2,Two,second\",extra\na3,Three,third\n";
	assert_int_equal(run_write_file(f, two, strlen(two)), 0);
	res r = { 0 };
	lede(&r, "index", "-d", t->db, f, NULL);
	expect_code(&r, 4);
	assert_non_null(strstr(sb_cstr(&r.err), "q.csv:2: "));
	assert_non_null(strstr(sb_cstr(&r.err), "quote opened on line 2"));
	assert_non_null(strstr(sb_cstr(&r.err), "lines 2-3 were read as one"));
	assert_non_null(strstr(sb_cstr(&r.err), "1 new"));
	const char *open_end = "id,title,text\na1,One,first\n"
	                       "a2,Two,\"never closed\na3,Three,third\n";
	assert_int_equal(run_write_file(f, open_end, strlen(open_end)), 0);
	lede(&r, "index", "-d", t->db, f, NULL);
	expect_code(&r, 4);
	assert_non_null(strstr(sb_cstr(&r.err), "q.csv:3: quoted field never "
	                                        "closed (it opened on line 3"));
	free(f);
	res_free(&r);
}

/* HTML nested a million deep: what the parser kept is indexed, and the
 * loss is said; a normal page says nothing. */
static void test_html_too_deep_warned(void **state)
{
	tmp *t = *state;
	strbuf h = STRBUF_INIT;
	sb_addstr(&h, "<html><head><title>Deep page</title></head><body>"
	          "<p>Intro text about asylum.</p>");
	for (int i = 0; i < 1000000; i++)
		sb_addstr(&h, "<div>");
	sb_addstr(&h, "<p>Deep text about shelters.</p></body></html>");
	char *f = run_path(t->dir, "deep.html");
	assert_int_equal(run_write_file(f, h.buf, h.len), 0);
	res r = { 0 };
	lede(&r, "index", "-d", t->db, f, NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.err), "deep.html:1: warning: elements "
	                                        "nested 256 deep"));
	lede(&r, "search", "-d", t->db, "asylum", NULL);
	expect_code(&r, 0);
	char *sample = run_path(run_src_dir(), "corpus/sample/html");
	lede(&r, "index", "-d", t->db, sample, NULL);
	expect_code(&r, 0);
	assert_null(strstr(sb_cstr(&r.err), "warning"));
	free(sample);
	free(f);
	sb_release(&h);
	res_free(&r);
}

/* ---- 5. memory on one large record ---------------------------------- */

/* A JSON Lines file of one record whose text is about size bytes. */
static void write_big_record(const char *path, size_t size)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("{\"id\":\"big\",\"title\":\"Big\",\"text\":\"", fp);
	static const char *const words[] = { "council", "shelter", "funding",
		"asylum", "court", "detention", "mayor", "police", "federal",
		"ruling", "sanctuary", "deportation" };
	size_t n = 0;
	unsigned x = 1;
	while (n < size) {
		x = x * 1103515245u + 12345u;
		const char *w = words[(x >> 16) % 12];
		fputs(w, fp);
		n += strlen(w);
		/* sentences of 12 words, paragraphs of 10 sentences */
		const char *sep = (x >> 8) % 12 ? " " : (x >> 4) % 10 ? ". "
		                                                     : ".\\n\\n";
		fputs(sep, fp);
		n += strlen(sep);
	}
	fputs("\"}\n", fp);
	assert_int_equal(fclose(fp), 0);
}

static void test_large_record_memory_bound(void **state)
{
	tmp *t = *state;
	/* under AddressSanitizer freed blocks wait in its quarantine: keep
	 * it small, so the peak is the program's */
	strbuf asan = STRBUF_INIT;
	const char *prev = getenv("ASAN_OPTIONS");
	sb_addf(&asan, "ASAN_OPTIONS=%s%squarantine_size_mb=16",
	        prev ? prev : "", prev && *prev ? ":" : "");
	const char *env[] = { asan.buf, NULL };
	char *f = run_path(t->dir, "big.jsonl");

	/* over the bound: rejected, naming it, without reading it whole */
	write_big_record(f, (size_t)20 << 20);
	run_opts o = RUN_OPTS_INIT;
	o.env = env;
	res r = { 0 };
	lede_o(&r, &o, "index", "-d", t->db, f, NULL);
	expect_code(&r, 4);
	assert_non_null(strstr(sb_cstr(&r.err), "big.jsonl:1: "));
	assert_non_null(strstr(sb_cstr(&r.err), "longer than 16777216 bytes"));
	print_message("20 MiB record rejected: peak RSS %ld KiB\n", o.max_rss_kb);
	assert_true(o.max_rss_kb > 0);   /* measured at all */
	assert_true(o.max_rss_kb < 300 * 1024);

	/* under it: indexed whole, within the memory README states (about
	 * 250 MB; sanitizer builds take more, hence the margin) */
	write_big_record(f, (size_t)15 << 20);
	run_opts o2 = RUN_OPTS_INIT;
	o2.env = env;
	lede_o(&r, &o2, "index", "-d", t->db, f, NULL);
	expect_code(&r, 0);
	print_message("15 MiB record indexed: peak RSS %ld KiB\n",
	              o2.max_rss_kb);
	assert_true(o2.max_rss_kb > 0);
	assert_true(o2.max_rss_kb < 1200 * 1024);
	/* the whole text went in (read through the library: the run
	 * helpers keep 8 MiB of output) */
	lede_db *db;
	assert_int_equal(lede_open(&db, t->db), LEDE_OK);
	lede_article *a = NULL;
	assert_int_equal(lede_article_get(&a, db, "big"), LEDE_OK);
	assert_true(a->body_len > ((size_t)14 << 20));
	lede_article_free(a);
	lede_close(db);
	unlink(f);
	free(f);
	sb_release(&asan);
	res_free(&r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_tmp, teardown_tmp)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_search_loop_while_writer_commits),
		T(test_timeline_damaged_date),
		T(test_damaged_term_list),
		T(test_damaged_passage_skipped),
		T(test_two_compactions),
		T(test_killed_compaction_leftover),
		T(test_remote_stopped_shard),
		T(test_remote_killed_during_batch),
		T(test_index_into_stub_refused),
		T(test_reject_line_escapes_newline),
		T(test_fifo_on_command_line),
		T(test_csv_unbalanced_quote_named),
		T(test_html_too_deep_warned),
		T(test_large_record_memory_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
