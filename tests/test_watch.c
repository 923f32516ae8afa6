/* End-to-end tests of `lede watch` (saved searches over index
 * generations) and of the library's generation filter: the real binary on
 * fresh databases, across index runs, and a run killed with SIGKILL while
 * it writes. */
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
#include <unistd.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../shim/lx.h"
#include "helpers/e2e.h"
#include "helpers/gen.h"
#include "helpers/run.h"
#include "lede.h"

/* Index the articles into t's database from a file of their own. */
static void index_articles(tmp *t, const char *name, int first, int n,
                           const char *extra)
{
	strbuf in = STRBUF_INIT;
	gen_articles(&in, first, n, 40, extra);
	char *path = run_path(t->dir, name);
	assert_int_equal(run_write_file(path, in.buf, in.len), 0);
	res r = { 0 };
	lede(&r, "index", "-q", "-d", t->db, path, NULL);
	expect_code(&r, 0);
	res_free(&r);
	free(path);
	sb_release(&in);
}

/* The hits of jsonl output: ids in order into ids (NUL-separated), how
 * many had "repeat" and "updated" true; returns the number of hits. */
typedef struct hits {
	strbuf ids;
	size_t n, repeats, updated;
	int summaries;
} hits;

static void tally_hit(void *ctx, json_t *o)
{
	hits *h = ctx;
	const char *type = json_string_value(json_object_get(o, "type"));
	assert_non_null(type);
	if (strcmp(type, "hit") == 0) {
		assert_string_equal(json_string_value(json_object_get(o, "watch")),
		                    "raids");
		sb_addstr(&h->ids, json_string_value(json_object_get(o, "id")));
		sb_addch(&h->ids, '\0');
		h->n++;
		h->repeats += json_is_true(json_object_get(o, "repeat"));
		h->updated += json_is_true(json_object_get(o, "updated"));
	} else if (strcmp(type, "summary") == 0) {
		h->summaries++;
		assert_string_equal(json_string_value(json_object_get(o, "watch")),
		                    "raids");
	}
}

static void read_hits(const char *jsonl, hits *h)
{
	sb_reset(&h->ids);
	h->n = h->repeats = h->updated = 0;
	h->summaries = 0;
	each_json_line(jsonl, tally_hit, h);
}

static int has_id(const hits *h, const char *id)
{
	for (size_t i = 0, at = 0; i < h->n; i++) {
		const char *s = h->ids.buf + at;
		if (strcmp(s, id) == 0)
			return 1;
		at += strlen(s) + 1;
	}
	return 0;
}

/* add, index more, run: only the new; run again: nothing; an updated
 * article comes again, flagged; rm. */
static void test_watch_across_index_runs(void **state)
{
	tmp *t = *state;
	index_articles(t, "a.jsonl", 0, 20, NULL);
	res r = { 0 };
	lede(&r, "watch", "add", "-d", t->db, "raids", "raid", "--sort", "date",
	     NULL);
	expect_code(&r, 0);
	/* nothing new yet: exit 1, nothing on stdout (for cron) */
	lede(&r, "watch", "run", "-d", t->db, NULL);
	expect_code(&r, 1);
	assert_int_equal(r.out.len, 0);

	index_articles(t, "b.jsonl", 20, 5, NULL);
	hits h = { STRBUF_INIT, 0, 0, 0, 0 };
	lede(&r, "watch", "run", "-d", t->db, "--format", "jsonl", "raids",
	     NULL);
	expect_code(&r, 0);
	read_hits(sb_cstr(&r.out), &h);
	assert_int_equal(h.n, 5);
	assert_int_equal(h.summaries, 1);
	assert_int_equal(h.repeats + h.updated, 0);
	assert_true(has_id(&h, "w-20") && has_id(&h, "w-24"));
	assert_false(has_id(&h, "w-19"));

	lede(&r, "watch", "run", "-d", t->db, "--format", "jsonl", NULL);
	expect_code(&r, 1);
	read_hits(sb_cstr(&r.out), &h);
	assert_int_equal(h.n, 0);

	/* an edited article and a new one: both new, the edit flagged */
	index_articles(t, "c.jsonl", 3, 1, "A second raid followed.");
	index_articles(t, "d.jsonl", 30, 1, NULL);
	lede(&r, "watch", "run", "-d", t->db, "--format", "jsonl", NULL);
	expect_code(&r, 0);
	read_hits(sb_cstr(&r.out), &h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.updated, 1);
	assert_true(has_id(&h, "w-3") && has_id(&h, "w-30"));

	/* re-indexing what is there unchanged writes nothing new */
	index_articles(t, "d.jsonl", 30, 1, NULL);
	lede(&r, "watch", "run", "-d", t->db, NULL);
	expect_code(&r, 1);

	lede(&r, "watch", "list", "-d", t->db, NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "raids\t"));
	assert_non_null(strstr(sb_cstr(&r.out), "raid --sort date"));
	lede(&r, "watch", "rm", "-d", t->db, "raids", NULL);
	expect_code(&r, 0);
	lede(&r, "watch", "run", "-d", t->db, "raids", NULL);
	expect_code(&r, 2);
	assert_non_null(strstr(sb_cstr(&r.err), "no watch named raids"));
	sb_release(&h.ids);
	res_free(&r);
}

/* Usage: bad names, a name used twice, options that are not saved, a
 * malformed query; each says why and saves nothing. */
static void test_watch_usage(void **state)
{
	tmp *t = *state;
	index_articles(t, "a.jsonl", 0, 3, NULL);
	res r = { 0 };
	lede(&r, "watch", "add", "-d", t->db, "bad name", "raid", NULL);
	expect_code(&r, 2);
	lede(&r, "watch", "add", "-d", t->db, "x", "raid", "-n", "5", NULL);
	expect_code(&r, 2);
	assert_non_null(strstr(sb_cstr(&r.err), "--limit"));
	lede(&r, "watch", "add", "-d", t->db, "x", "raid AND", NULL);
	expect_code(&r, 2);
	assert_non_null(strstr(sb_cstr(&r.err), "column"));
	lede(&r, "watch", "add", "-d", t->db, "x", "raid", NULL);
	expect_code(&r, 0);
	lede(&r, "watch", "add", "-d", t->db, "x", "raid", NULL);
	expect_code(&r, 2);
	assert_non_null(strstr(sb_cstr(&r.err), "already"));
	lede(&r, "watch", "list", "-d", t->db, NULL);
	expect_code(&r, 0);
	/* one watch, the first x */
	assert_int_equal(strncmp(sb_cstr(&r.out), "x\t", 2), 0);
	assert_string_equal(strchr(sb_cstr(&r.out), '\n'), "\n");
	res_free(&r);
}

/* Killed with SIGKILL while it writes (blocked on a pipe nobody reads),
 * after it has marked the delivery pending: the next run shows every
 * match again, each marked repeat, and then the watch has moved on. */
static void test_watch_kill9_repeats_flagged(void **state)
{
	tmp *t = *state;
	index_articles(t, "a.jsonl", 0, 2, NULL);
	res r = { 0 };
	lede(&r, "watch", "add", "-d", t->db, "raids", "raid", NULL);
	expect_code(&r, 0);
	/* text output of 400 hits is well over a pipe's 64 KiB */
	enum { NEW = 400 };
	index_articles(t, "b.jsonl", 100, NEW, NULL);

	char *fifo = run_path(t->dir, "out.fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	char *args[] = { "watch", "run", "-d", t->db, NULL };
	pid_t pid = run_lede_spawn(args, NULL, fifo, NULL);
	assert_true(pid > 0);
	/* wait until the run has committed its pending mark (it blocks on
	 * the full pipe after that: output comes after the mark) */
	int pending = 0;
	for (int i = 0; i < 3000 && !pending && !child_exited(pid); i++) {
		lede(&r, "watch", "list", "-d", t->db, NULL);
		pending = strstr(sb_cstr(&r.out), "did not finish") != NULL;
		if (!pending)
			sleep_ms(10);
	}
	assert_true(pending);
	assert_false(child_exited(pid));
	kill(pid, SIGKILL);
	int code = 0;
	assert_int_equal(run_wait(pid, &code, NULL), 0);
	assert_int_equal(code, 128 + SIGKILL);
	close(rd);

	hits h = { STRBUF_INIT, 0, 0, 0, 0 };
	lede(&r, "watch", "run", "-d", t->db, "--format", "jsonl", NULL);
	expect_code(&r, 0);
	read_hits(sb_cstr(&r.out), &h);
	assert_int_equal(h.n, NEW);       /* nothing lost */
	assert_int_equal(h.repeats, NEW); /* and every repeat said so */
	lede(&r, "watch", "run", "-d", t->db, NULL);
	expect_code(&r, 1);
	lede(&r, "watch", "list", "-d", t->db, NULL);
	assert_null(strstr(sb_cstr(&r.out), "did not finish"));
	free(fifo);
	sb_release(&h.ids);
	res_free(&r);
}

/* A database written before generations (no lede.generation metadata)
 * is searched as before; a watch on it says why it cannot be. */
static void test_watch_needs_generations(void **state)
{
	tmp *t = *state;
	index_articles(t, "a.jsonl", 0, 3, NULL);
	/* what an older lede left: the metadata key absent */
	lx_wdb *w;
	assert_int_equal(lx_wdb_open(&w, t->db, 0), 0);
	assert_int_equal(lx_wdb_set_metadata(w, "lede.generation", "", 0), 0);
	assert_int_equal(lx_wdb_close(w), 0);
	res r = { 0 };
	lede(&r, "search", "-d", t->db, "raid", NULL);
	expect_code(&r, 0);
	lede(&r, "watch", "add", "-d", t->db, "raids", "raid", NULL);
	expect_code(&r, 3);
	assert_non_null(strstr(sb_cstr(&r.err), "keeps no generations"));
	res_free(&r);
}

/* The library: the generation filter of a version 4 options struct, the
 * hits' generations, and a version 2 struct still accepted. */
static void test_library_generation_filter(void **state)
{
	tmp *t = *state;
	index_articles(t, "a.jsonl", 0, 4, NULL);
	index_articles(t, "b.jsonl", 10, 3, NULL);
	lede_db *db;
	assert_int_equal(lede_open(&db, t->db), LEDE_OK);
	uint64_t gen = 0;
	assert_int_equal(lede_generation(db, &gen), LEDE_OK);
	assert_int_equal(gen, 2);
	lede_search_opts o = LEDE_SEARCH_OPTS_INIT;
	o.limit = 100;
	o.after_generation = 1;
	lede_results *r;
	assert_int_equal(lede_search(&r, db, "raid", &o), LEDE_OK);
	assert_int_equal(lede_results_count(r), 3);
	for (size_t i = 0; i < 3; i++) {
		const lede_hit *h = lede_results_hit(r, i);
		assert_int_equal(h->generation, 2);
		assert_int_equal(h->first_generation, 2);
	}
	lede_results_free(r);
	o.after_generation = 0;
	o.upto_generation = 1;
	assert_int_equal(lede_search(&r, db, "raid", &o), LEDE_OK);
	assert_int_equal(lede_results_count(r), 4);
	lede_results_free(r);
	/* a caller built against version 2 or 3 knows nothing of the new
	 * fields: only its own bytes are read (garbage after them is not) */
	for (unsigned v = 2; v <= 3; v++) {
		lede_search_opts old = LEDE_SEARCH_OPTS_INIT;
		old.version = v;
		old.limit = 100;
		old.after_generation = 5;   /* read, it would leave 0 hits */
		assert_int_equal(lede_search(&r, db, "raid", &old), LEDE_OK);
		assert_int_equal(lede_results_count(r), 7);
		assert_true(lede_results_total_exact(r));
		assert_int_equal(lede_results_total(r), 7);
		lede_results_free(r);
	}

	/* the watch API itself */
	lede_watch *w;
	assert_int_equal(lede_watch_add(&w, db, "lib", "raid"), LEDE_OK);
	assert_int_equal(w->seen, 2);
	assert_int_equal(lede_watch_begin(db, w, 2), LEDE_OK);
	lede_watch *again;
	assert_int_equal(lede_watch_get(&again, db, "lib"), LEDE_OK);
	assert_int_equal(again->pending, 2);
	lede_watch_free(again);
	assert_int_equal(lede_watch_done(db, w), LEDE_OK);
	assert_int_equal(w->pending, 0);
	lede_watch **v;
	size_t n;
	assert_int_equal(lede_watch_list(&v, &n, db), LEDE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0]->spec, "raid");
	lede_watch_list_free(v, n);
	assert_int_equal(lede_watch_remove(db, "lib"), LEDE_OK);
	assert_int_equal(lede_watch_remove(db, "lib"), LEDE_ENOTFOUND);
	lede_watch_free(w);
	lede_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_watch_across_index_runs,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_watch_usage, setup_tmp,
		                                teardown_tmp),
		cmocka_unit_test_setup_teardown(test_watch_kill9_repeats_flagged,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_watch_needs_generations,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_library_generation_filter,
		                                setup_tmp, teardown_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
