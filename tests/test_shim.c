/* Tests of the Xapian shim (shim/lx.h) on real glass databases: each case
 * gets a fresh temporary directory, indexes a handful of news-like passages
 * and checks what Xapian gives back against counts worked out by hand or by
 * brute force over the same passages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../shim/lx.h"
#include "helpers/tcpsrv.h"

/* Slots used by these tests (the shim itself has no slot policy). */
enum { SLOT_DATE = 0, SLOT_ARTICLE = 1, SLOT_NUM = 2, SLOT_SOURCE = 3 };

struct passage {
	const char *id;      /* unique term is "Q" + id */
	const char *article; /* collapse key */
	const char *source;
	const char *date;
	double num;
	const char *text;    /* words separated by single spaces */
};

static const struct passage corpus[] = {
	{"p1", "a1", "latimes", "20240105", 10,
	 "ice agents detained workers in los angeles"},
	{"p2", "a1", "latimes", "20240105", 20,
	 "the raids in los angeles drew protests from ice critics"},
	{"p3", "a1", "latimes", "20240105", 30, "mayor karen bass condemned ice"},
	{"p4", "a2", "tribune", "20240212", 40,
	 "chicago sued the federal government over ice detainers"},
	{"p5", "a3", "tribune", "20240320", 50,
	 "the national emergency declaration was blocked by a federal judge"},
	{"p6", "a4", "nytimes", "20241101", 60,
	 "national guard troops deployed to los angeles after ice raids"},
	{"p7", "a5", "nytimes", "20250115", 70,
	 "sanctuary city leaders in chicago ignored ice detainers"},
};
#define NCORPUS (sizeof corpus / sizeof corpus[0])

struct fx {
	char dir[64];
	char db[128];
	char db2[128];
	pid_t server;
};

/* ---- helpers ------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	strcpy(f->dir, "/tmp/lx-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/db", f->dir);
	snprintf(f->db2, sizeof f->db2, "%s/db2", f->dir);
	f->server = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	tcpsrv_stop(f->server);
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static lx_doc *make_doc(const struct passage *p)
{
	lx_doc *d = lx_doc_new();
	assert_non_null(d);
	const char *s = p->text;
	uint32_t pos = 1;
	while (*s) {
		size_t n = strcspn(s, " ");
		assert_int_equal(lx_doc_add_posting(d, s, n, pos++, 1), 0);
		s += n;
		s += *s == ' ';
	}
	char q[64];
	snprintf(q, sizeof q, "Q%s", p->id);
	assert_int_equal(lx_doc_add_boolean_term(d, q, strlen(q)), 0);
	snprintf(q, sizeof q, "XS%s", p->source);
	assert_int_equal(lx_doc_add_boolean_term(d, q, strlen(q)), 0);
	assert_int_equal(lx_doc_add_term(d, "Zextra", 6, 2), 0);
	assert_int_equal(lx_doc_set_value(d, SLOT_DATE, p->date, 8), 0);
	assert_int_equal(lx_doc_set_value(d, SLOT_ARTICLE, p->article,
	                                  strlen(p->article)), 0);
	assert_int_equal(lx_doc_set_value_number(d, SLOT_NUM, p->num), 0);
	assert_int_equal(lx_doc_set_value(d, SLOT_SOURCE, p->source,
	                                  strlen(p->source)), 0);
	assert_int_equal(lx_doc_set_data(d, p->text, strlen(p->text)), 0);
	return d;
}

/* Index corpus[from .. to-1] into path with replace-by-unique-term. */
static void build_range(const char *path, size_t from, size_t to)
{
	lx_wdb *w = NULL;
	assert_int_equal(lx_wdb_open(&w, path, LX_WDB_CREATE | LX_WDB_NO_SYNC), 0);
	for (size_t i = from; i < to; i++) {
		lx_doc *d = make_doc(&corpus[i]);
		char q[64];
		snprintf(q, sizeof q, "Q%s", corpus[i].id);
		uint32_t id = 0;
		assert_int_equal(lx_wdb_replace(w, q, strlen(q), d, &id), 0);
		assert_true(id > 0);
		lx_doc_free(d);
	}
	assert_int_equal(lx_wdb_close(w), 0);
}

static void build(const char *path)
{
	build_range(path, 0, NCORPUS);
}

static lx_db *open_db(const char *path)
{
	lx_db *db = NULL;
	int rc = lx_db_open(&db, path);
	if (rc)
		fail_msg("open %s: %s", path ? path : "(empty)", lx_last_errmsg());
	return db;
}

/* Does text contain word as a whole word? */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *s = text; (s = strstr(s, word)); s++)
		if ((s == text || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return 1;
	return 0;
}

static lx_query *term(const char *t)
{
	lx_query *q = lx_query_term(t, strlen(t), 1, 0);
	assert_non_null(q);
	return q;
}

/* Runs q on db; returns the hit count and fills ids (passage index by
 * data) in rank order. */
static size_t run(lx_db *db, const lx_query *q, int *found, size_t max)
{
	lx_enquire *e = NULL;
	lx_mset *ms = NULL;
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, q), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 100, 100, &ms), 0);
	size_t n = lx_mset_size(ms);
	for (size_t i = 0; i < n && i < max; i++) {
		char *data;
		size_t len;
		assert_int_equal(lx_mset_data(ms, i, &data, &len), 0);
		found[i] = -1;
		for (size_t k = 0; k < NCORPUS; k++)
			if (strcmp(corpus[k].text, data) == 0)
				found[i] = (int)k;
		free(data);
	}
	lx_mset_free(ms);
	lx_enquire_free(e);
	return n;
}

static size_t count_hits(lx_db *db, const lx_query *q)
{
	int found[NCORPUS];
	assert_non_null(q);
	return run(db, q, found, NCORPUS);
}

/* Bit set of passage indexes found by q. */
static unsigned hit_set(lx_db *db, const lx_query *q)
{
	int found[NCORPUS];
	assert_non_null(q);
	size_t n = run(db, q, found, NCORPUS);
	unsigned set = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(found[i] >= 0);
		set |= 1u << found[i];
	}
	return set;
}
#define P(n) (1u << ((n) - 1))

struct terms_seen {
	char buf[512];
	size_t n;
	int stop_after;
};

static int collect_term(void *ctx, const char *t, size_t len, uint64_t count)
{
	struct terms_seen *s = ctx;
	(void)count;
	size_t used = strlen(s->buf);
	snprintf(s->buf + used, sizeof s->buf - used, "%s%.*s", used ? "," : "",
	         (int)len, t);
	s->n++;
	return s->stop_after && (int)s->n >= s->stop_after;
}

/* ---- error handling ------------------------------------------------ */

static void test_open_missing(void **state)
{
	struct fx *f = *state;
	char path[200];
	snprintf(path, sizeof path, "%s/no-such-db", f->dir);
	lx_db *db = (lx_db *)0x1;
	int rc = lx_db_open(&db, path);
	assert_true(rc < 0);
	assert_int_equal(rc, LX_EOPENING);
	assert_null(db);
	assert_int_equal(lx_last_errcode(), LX_EOPENING);
	assert_non_null(strstr(lx_last_errmsg(), "no-such-db"));

	lx_wdb *w = (lx_wdb *)0x1;
	rc = lx_wdb_open(&w, path, 0); /* no CREATE: must exist */
	assert_true(rc < 0);
	assert_null(w);
	assert_true(strlen(lx_last_errmsg()) > 0);
	assert_int_equal(lx_wdb_open(&w, path, 1 << 9), LX_EINVAL);
}

static void test_strerror_and_null(void **state)
{
	(void)state;
	int codes[] = {LX_OK, LX_ELOCKED, LX_EMODIFIED, LX_ENOTFOUND, LX_EINVAL,
	               LX_ENETWORK, LX_ECORRUPT, LX_ENOMEM, LX_EOPENING,
	               LX_EOTHER, -1000};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		const char *s = lx_strerror(codes[i]);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
	}
	assert_string_equal(lx_strerror(LX_OK), "ok");
	/* closing / freeing NULL is a no-op */
	assert_int_equal(lx_wdb_close(NULL), 0);
	lx_db_close(NULL);
	lx_doc_free(NULL);
	lx_query_free(NULL);
	lx_enquire_free(NULL);
	lx_mset_free(NULL);
	lx_eset_free(NULL);
	lx_termiter_free(NULL);
	/* NULL handles are refused, not dereferenced */
	uint64_t n;
	assert_int_equal(lx_db_doccount(NULL, &n), LX_EINVAL);
	assert_int_equal(lx_wdb_commit(NULL), LX_EINVAL);
	assert_int_equal(lx_doc_add_term(NULL, "x", 1, 1), LX_EINVAL);
	assert_int_equal(lx_mset_size(NULL), 0);
	assert_true(strlen(lx_xapian_version()) > 0);
}

/* ---- writing ------------------------------------------------------- */

static void test_counts_and_stats(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	uint64_t n = 0, total = 0, tf = 0, cf = 0;
	double av = 0;
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, NCORPUS);

	/* document length = words (wdf 1 each) + Zextra (wdf 2) */
	uint64_t want_total = 0, want_ice = 0;
	for (size_t i = 0; i < NCORPUS; i++) {
		uint64_t words = 1;
		for (const char *s = corpus[i].text; *s; s++)
			words += *s == ' ';
		want_total += words + 2;
		want_ice += has_word(corpus[i].text, "ice");
	}
	assert_int_equal(lx_db_total_length(db, &total), 0);
	assert_int_equal(total, want_total);
	assert_int_equal(lx_db_avlength(db, &av), 0);
	assert_true(av > (double)want_total / NCORPUS - 1e-9 &&
	            av < (double)want_total / NCORPUS + 1e-9);
	assert_int_equal(lx_db_termfreq(db, "ice", 3, &tf, &cf), 0);
	assert_int_equal(tf, want_ice);
	assert_int_equal(cf, want_ice);
	assert_int_equal(lx_db_termfreq(db, "Zextra", 6, &tf, &cf), 0);
	assert_int_equal(tf, NCORPUS);
	assert_int_equal(cf, 2 * NCORPUS);
	assert_int_equal(lx_db_termfreq(db, "zebra", 5, &tf, &cf), 0);
	assert_int_equal(tf, 0);
	assert_int_equal(cf, 0);
	lx_db_close(db);
}

static void test_find_data_values(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_wdb *w = NULL;
	assert_int_equal(lx_wdb_open(&w, f->db, 0), 0);
	uint32_t id = 0;
	assert_int_equal(lx_wdb_find(w, "Qp4", 3, &id), 0);
	char *data = NULL, *val = NULL;
	size_t len = 0;
	assert_int_equal(lx_wdb_get_data(w, id, &data, &len), 0);
	assert_string_equal(data, corpus[3].text);
	assert_int_equal(len, strlen(corpus[3].text));
	assert_int_equal(lx_wdb_get_value(w, id, SLOT_DATE, &val, &len), 0);
	assert_string_equal(val, "20240212");
	free(data);
	free(val);
	assert_int_equal(lx_wdb_get_value(w, id, 42, &val, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(val, "");
	free(val);
	assert_int_equal(lx_wdb_find(w, "Qnope", 5, &id), LX_ENOTFOUND);
	assert_int_equal(lx_wdb_get_data(w, 9999, &data, &len), LX_ENOTFOUND);
	assert_null(data);
	assert_true(strlen(lx_wdb_errmsg(w)) > 0);

	/* an uncommitted document is found by the writer itself */
	lx_doc *d = lx_doc_new();
	assert_int_equal(lx_doc_add_boolean_term(d, "Qnew", 4), 0);
	assert_int_equal(lx_doc_set_value(d, 5, "h4sh", 4), 0);
	assert_int_equal(lx_wdb_replace(w, "Qnew", 4, d, NULL), 0);
	lx_doc_free(d);
	assert_int_equal(lx_wdb_find(w, "Qnew", 4, &id), 0);
	assert_int_equal(lx_wdb_get_value(w, id, 5, &val, &len), 0);
	assert_string_equal(val, "h4sh");
	free(val);
	uint32_t *wds = NULL;
	size_t nw = 0;
	assert_int_equal(lx_wdb_term_docids(w, "Qnew", 4, &wds, &nw), 0);
	assert_int_equal(nw, 1);
	assert_int_equal(wds[0], id);
	free(wds);
	/* ... and deleting it, still uncommitted, counts it */
	uint64_t del = 0;
	assert_int_equal(lx_wdb_delete(w, "Qnew", 4, &del), 0);
	assert_int_equal(del, 1);
	assert_int_equal(lx_wdb_find(w, "Qnew", 4, &id), LX_ENOTFOUND);
	assert_int_equal(lx_wdb_close(w), 0);

	lx_db *db = open_db(f->db);
	assert_int_equal(lx_db_find(db, "Qp6", 3, &id), 0);
	assert_int_equal(lx_db_get_data(db, id, &data, &len), 0);
	assert_string_equal(data, corpus[5].text);
	free(data);
	assert_int_equal(lx_db_get_value(db, id, SLOT_NUM, &val, &len), 0);
	assert_true(lx_sortable_unserialise(val, len) == 60.0);
	free(val);
	struct terms_seen seen = {{0}, 0, 0};
	assert_int_equal(lx_db_doc_terms(db, id, "XS", collect_term, &seen), 0);
	assert_string_equal(seen.buf, "XSnytimes");
	memset(&seen, 0, sizeof seen);
	seen.stop_after = 2;
	assert_int_equal(lx_db_doc_terms(db, id, NULL, collect_term, &seen), 0);
	assert_int_equal(seen.n, 2); /* the callback stopped it */
	assert_int_equal(lx_db_find(db, "Qnope", 5, &id), LX_ENOTFOUND);
	/* every docid of a term, ascending, as many as its frequency */
	uint32_t *ds = NULL;
	size_t nds = 0;
	uint64_t tf = 0;
	assert_int_equal(lx_db_termfreq(db, "XSnytimes", 9, &tf, NULL), 0);
	assert_true(tf >= 2);
	assert_int_equal(lx_db_term_docids(db, "XSnytimes", 9, &ds, &nds), 0);
	assert_int_equal(nds, tf);
	int has_id = 0;
	for (size_t i = 0; i < nds; i++) {
		assert_true(i == 0 || ds[i - 1] < ds[i]);
		has_id |= ds[i] == id;
	}
	assert_true(has_id);
	free(ds);
	assert_int_equal(lx_db_term_docids(db, "XSnope", 6, &ds, &nds), 0);
	assert_null(ds);
	assert_int_equal(nds, 0);
	assert_int_equal(lx_db_get_value(db, 12345, 0, &val, &len), LX_ENOTFOUND);
	assert_true(strlen(lx_db_errmsg(db)) > 0);
	lx_db_close(db);
}

static void test_replace_and_delete(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_wdb *w = NULL;
	assert_int_equal(lx_wdb_open(&w, f->db, LX_WDB_NO_SYNC), 0);
	struct passage p = corpus[0];
	p.text = "ice agents returned to los angeles";
	lx_doc *d = make_doc(&p);
	uint32_t old = 0, id = 0;
	assert_int_equal(lx_wdb_find(w, "Qp1", 3, &old), 0);
	assert_int_equal(lx_wdb_replace(w, "Qp1", 3, d, &id), 0);
	assert_int_equal(id, old);
	lx_doc_free(d);
	uint64_t n = 0, del = 99;
	assert_int_equal(lx_wdb_doccount(w, &n), 0);
	assert_int_equal(n, NCORPUS);
	assert_int_equal(lx_wdb_delete(w, "XSnytimes", 9, &del), 0);
	assert_int_equal(del, 2);
	assert_int_equal(lx_wdb_delete(w, "XSnowhere", 9, &del), 0);
	assert_int_equal(del, 0);
	assert_int_equal(lx_wdb_delete(w, "", 0, &del), LX_EINVAL);
	assert_int_equal(lx_wdb_commit(w), 0);
	assert_int_equal(lx_wdb_doccount(w, &n), 0);
	assert_int_equal(n, NCORPUS - 2);
	assert_int_equal(lx_wdb_close(w), 0);

	lx_db *db = open_db(f->db);
	assert_int_equal(lx_db_find(db, "Qp1", 3, &id), 0);
	char *data;
	size_t len;
	assert_int_equal(lx_db_get_data(db, id, &data, &len), 0);
	assert_string_equal(data, "ice agents returned to los angeles");
	free(data);
	uint64_t tf;
	assert_int_equal(lx_db_termfreq(db, "workers", 7, &tf, NULL), 0);
	assert_int_equal(tf, 0);
	assert_int_equal(lx_db_find(db, "Qp6", 3, &id), LX_ENOTFOUND);
	lx_db_close(db);
}

static void test_metadata(void **state)
{
	struct fx *f = *state;
	lx_wdb *w = NULL;
	assert_int_equal(lx_wdb_open(&w, f->db, LX_WDB_CREATE), 0);
	const char bin[] = {'v', '1', 0, (char)0xff, 'z'};
	assert_int_equal(lx_wdb_set_metadata(w, "schema", bin, sizeof bin), 0);
	assert_int_equal(lx_wdb_set_metadata(w, "", "x", 1), LX_EINVAL);
	char *v;
	size_t len;
	assert_int_equal(lx_wdb_get_metadata(w, "schema", &v, &len), 0);
	assert_int_equal(len, sizeof bin);
	assert_memory_equal(v, bin, sizeof bin);
	free(v);
	assert_int_equal(lx_wdb_commit(w), 0);
	assert_int_equal(lx_wdb_close(w), 0);

	lx_db *db = open_db(f->db);
	assert_int_equal(lx_db_get_metadata(db, "schema", &v, &len), 0);
	assert_int_equal(len, sizeof bin);
	assert_memory_equal(v, bin, sizeof bin);
	free(v);
	assert_int_equal(lx_db_get_metadata(db, "unset", &v, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(v, "");
	free(v);
	lx_db_close(db);
}

static void test_transactions(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_wdb *w = NULL;
	uint64_t n;
	assert_int_equal(lx_wdb_open(&w, f->db, LX_WDB_NO_SYNC), 0);

	/* a cancelled transaction leaves nothing behind */
	assert_int_equal(lx_wdb_begin_tx(w, 1), 0);
	lx_doc *d = lx_doc_new();
	assert_int_equal(lx_doc_add_boolean_term(d, "Qtx", 3), 0);
	assert_int_equal(lx_wdb_replace(w, "Qtx", 3, d, NULL), 0);
	assert_int_equal(lx_wdb_delete(w, "Qp1", 3, NULL), 0);
	assert_int_equal(lx_wdb_commit(w), LX_EINVAL); /* not inside a tx */
	assert_int_equal(lx_wdb_cancel_tx(w), 0);
	assert_int_equal(lx_wdb_doccount(w, &n), 0);
	assert_int_equal(n, NCORPUS);
	uint32_t id;
	assert_int_equal(lx_wdb_find(w, "Qtx", 3, &id), LX_ENOTFOUND);
	assert_int_equal(lx_wdb_find(w, "Qp1", 3, &id), 0);
	assert_int_equal(lx_wdb_cancel_tx(w), LX_EINVAL); /* none open */

	/* an unflushed one joins the pending batch */
	assert_int_equal(lx_wdb_begin_tx(w, 0), 0);
	assert_int_equal(lx_wdb_replace(w, "Qtx", 3, d, NULL), 0);
	assert_int_equal(lx_wdb_commit_tx(w), 0);
	assert_int_equal(lx_wdb_commit(w), 0);
	assert_int_equal(lx_wdb_doccount(w, &n), 0);
	assert_int_equal(n, NCORPUS + 1);

	/* close with a transaction open: reported, transaction dropped */
	assert_int_equal(lx_wdb_begin_tx(w, 1), 0);
	assert_int_equal(lx_wdb_replace(w, "Qtx2", 4, d, NULL), 0);
	lx_doc_free(d);
	assert_int_equal(lx_wdb_close(w), LX_EINVAL);
	assert_non_null(strstr(lx_last_errmsg(), "transaction"));

	lx_db *db = open_db(f->db);
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, NCORPUS + 1);
	assert_int_equal(lx_db_find(db, "Qtx2", 4, &id), LX_ENOTFOUND);
	lx_db_close(db);
}

static void test_second_writer_locked(void **state)
{
	struct fx *f = *state;
	lx_wdb *w1 = NULL, *w2 = NULL;
	assert_int_equal(lx_wdb_open(&w1, f->db, LX_WDB_CREATE), 0);
	int rc = lx_wdb_open(&w2, f->db, LX_WDB_CREATE);
	assert_int_equal(rc, LX_ELOCKED);
	assert_null(w2);
	assert_non_null(strstr(lx_last_errmsg(), "lock"));
	assert_non_null(strstr(lx_last_errmsg(), f->db));
	/* readers never block */
	lx_db *db = open_db(f->db);
	lx_db_close(db);
	assert_int_equal(lx_wdb_close(w1), 0);
	assert_int_equal(lx_wdb_open(&w2, f->db, 0), 0);
	assert_int_equal(lx_wdb_close(w2), 0);
}

static void test_reader_reopen(void **state)
{
	struct fx *f = *state;
	build_range(f->db, 0, 3);
	lx_db *db = open_db(f->db);
	uint64_t n;
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, 3);
	build_range(f->db, 3, NCORPUS);
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, 3); /* still the old revision */
	assert_int_equal(lx_db_reopen(db), 1);
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, NCORPUS);
	assert_int_equal(lx_db_reopen(db), 0);
	lx_db_close(db);
}

/* ---- queries ------------------------------------------------------- */

static void test_phrase_and_near(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_query *los = term("los"), *angeles = term("angeles");
	lx_query *ice = term("ice"), *raids = term("raids");

	lx_query *q = lx_query_pair(LX_OP_PHRASE, los, angeles);
	assert_int_equal(hit_set(db, q), P(1) | P(2) | P(6));
	lx_query_free(q);
	q = lx_query_pair(LX_OP_PHRASE, angeles, los);
	assert_int_equal(hit_set(db, q), 0);
	lx_query_free(q);
	/* ice...raids: adjacent in p6, 7 positions apart in p2 */
	const lx_query *pair[] = {ice, raids};
	q = lx_query_combine(LX_OP_NEAR, pair, 2, 3);
	assert_int_equal(hit_set(db, q), P(6));
	lx_query_free(q);
	q = lx_query_combine(LX_OP_NEAR, pair, 2, 10);
	assert_int_equal(hit_set(db, q), P(2) | P(6));
	lx_query_free(q);
	/* phrase of three with the window: "los angeles drew" */
	lx_query *drew = term("drew");
	const lx_query *three[] = {los, angeles, drew};
	q = lx_query_combine(LX_OP_PHRASE, three, 3, 0);
	assert_int_equal(hit_set(db, q), P(2));
	lx_query_free(q);
	lx_query_free(drew);

	lx_query_free(los);
	lx_query_free(angeles);
	lx_query_free(ice);
	lx_query_free(raids);
	lx_db_close(db);
}

static void test_boolean_ops(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_query *ice = term("ice"), *chicago = term("chicago");
	lx_query *federal = term("federal"), *la = term("angeles");
	lx_query *q;

	unsigned want_ice = 0, want_chi = 0, want_fed = 0;
	for (size_t i = 0; i < NCORPUS; i++) {
		want_ice |= has_word(corpus[i].text, "ice") ? 1u << i : 0;
		want_chi |= has_word(corpus[i].text, "chicago") ? 1u << i : 0;
		want_fed |= has_word(corpus[i].text, "federal") ? 1u << i : 0;
	}
	assert_int_equal(hit_set(db, ice), want_ice);
	q = lx_query_pair(LX_OP_AND, ice, chicago);
	assert_int_equal(hit_set(db, q), want_ice & want_chi);
	lx_query_free(q);
	q = lx_query_pair(LX_OP_OR, chicago, federal);
	assert_int_equal(hit_set(db, q), want_chi | want_fed);
	lx_query_free(q);
	q = lx_query_pair(LX_OP_AND_NOT, ice, chicago);
	assert_int_equal(hit_set(db, q), want_ice & ~want_chi);
	lx_query_free(q);
	q = lx_query_pair(LX_OP_AND_MAYBE, chicago, federal);
	assert_int_equal(hit_set(db, q), want_chi);
	lx_query_free(q);
	q = lx_query_pair(LX_OP_SYNONYM, chicago, federal);
	assert_int_equal(hit_set(db, q), want_chi | want_fed);
	lx_query_free(q);
	q = lx_query_pair(LX_OP_MAX, chicago, federal);
	assert_int_equal(hit_set(db, q), want_chi | want_fed);
	lx_query_free(q);
	const lx_query *three[] = {ice, chicago, federal};
	q = lx_query_combine(LX_OP_ELITE_SET, three, 3, 2);
	assert_non_null(q);
	assert_true(hit_set(db, q) != 0);
	lx_query_free(q);

	/* FILTER restricts without adding weight: the filtered query's
	 * weights equal the unfiltered ones */
	lx_query *src = lx_query_term("XSlatimes", 9, 1, 0);
	q = lx_query_pair(LX_OP_FILTER, la, src);
	assert_int_equal(hit_set(db, q), P(1) | P(2));
	lx_enquire *e;
	lx_mset *a, *b;
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, q), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 10, 10, &a), 0);
	assert_int_equal(lx_enquire_set_query(e, la), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 10, 10, &b), 0);
	lx_hit ha, hb;
	assert_int_equal(lx_mset_hit(a, 0, &ha), 0);
	for (size_t i = 0; i < lx_mset_size(b); i++) {
		assert_int_equal(lx_mset_hit(b, i, &hb), 0);
		if (hb.docid == ha.docid)
			assert_true(hb.weight == ha.weight);
	}
	lx_mset_free(a);
	lx_mset_free(b);
	/* scale doubles the weight */
	lx_query *scaled = lx_query_scale(la, 2.0);
	assert_int_equal(lx_enquire_set_query(e, scaled), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 1, 10, &a), 0);
	assert_int_equal(lx_enquire_set_query(e, la), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 1, 10, &b), 0);
	assert_int_equal(lx_mset_hit(a, 0, &ha), 0);
	assert_int_equal(lx_mset_hit(b, 0, &hb), 0);
	assert_true(ha.weight > 1.999 * hb.weight && ha.weight < 2.001 * hb.weight);
	lx_mset_free(a);
	lx_mset_free(b);
	lx_enquire_free(e);
	lx_query_free(scaled);
	assert_null(lx_query_scale(la, -1.0));
	assert_int_equal(lx_last_errcode(), LX_EINVAL);
	lx_query_free(q);
	lx_query_free(src);

	q = lx_query_match_all();
	assert_int_equal(count_hits(db, q), NCORPUS);
	lx_query_free(q);
	q = lx_query_match_nothing();
	assert_int_equal(count_hits(db, q), 0);
	lx_query_free(q);
	q = lx_query_combine(LX_OP_OR, NULL, 0, 0);
	assert_int_equal(count_hits(db, q), 0);
	lx_query_free(q);
	q = lx_query_wildcard("chica", 5, 0);
	assert_int_equal(hit_set(db, q), want_chi);
	lx_query_free(q);
	q = lx_query_wildcard("XS", 2, 0);
	assert_int_equal(count_hits(db, q), NCORPUS);
	char *desc = lx_query_describe(q);
	assert_non_null(desc);
	assert_non_null(strstr(desc, "WILDCARD"));
	free(desc);
	lx_query_free(q);

	/* combinators copy: freeing children first is fine */
	lx_query *t1 = term("ice"), *t2 = term("chicago");
	q = lx_query_pair(LX_OP_AND, t1, t2);
	lx_query_free(t1);
	lx_query_free(t2);
	assert_int_equal(hit_set(db, q), want_ice & want_chi);
	lx_query_free(q);

	lx_query_free(ice);
	lx_query_free(chicago);
	lx_query_free(federal);
	lx_query_free(la);
	lx_db_close(db);
}

static void test_value_range(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_query *q = lx_query_value_range(SLOT_DATE, "20240101", 8, "20240331", 8);
	assert_int_equal(hit_set(db, q), P(1) | P(2) | P(3) | P(4) | P(5));
	lx_query_free(q);
	q = lx_query_value_range(SLOT_DATE, "20241001", 8, NULL, 0);
	assert_int_equal(hit_set(db, q), P(6) | P(7));
	lx_query_free(q);
	q = lx_query_value_range(SLOT_DATE, NULL, 0, "20240131", 8);
	assert_int_equal(hit_set(db, q), P(1) | P(2) | P(3));
	lx_query_free(q);
	q = lx_query_value_range(SLOT_DATE, NULL, 0, NULL, 0);
	assert_int_equal(count_hits(db, q), NCORPUS);
	lx_query_free(q);
	/* a slot no document has: nothing, whatever the bounds */
	q = lx_query_value_range(9, NULL, 0, NULL, 0);
	assert_int_equal(count_hits(db, q), 0);
	lx_query_free(q);
	q = lx_query_value_range(9, "", 0, "zz", 2);
	assert_int_equal(count_hits(db, q), 0);
	lx_query_free(q);
	q = lx_query_value_range(9, NULL, 0, "zz", 2);
	assert_int_equal(count_hits(db, q), 0);
	lx_query_free(q);
	q = lx_query_value_range(9, "", 0, NULL, 0);
	assert_int_equal(count_hits(db, q), 0);
	lx_query_free(q);

	/* numbers through the sortable encoding, negative and fractional */
	char lo[LX_SORTABLE_MAX], hi[LX_SORTABLE_MAX];
	size_t nlo = lx_sortable_serialise(25.5, lo);
	size_t nhi = lx_sortable_serialise(60, hi);
	q = lx_query_value_range(SLOT_NUM, lo, nlo, hi, nhi);
	assert_int_equal(hit_set(db, q), P(3) | P(4) | P(5) | P(6));
	lx_query_free(q);
	nlo = lx_sortable_serialise(-1e9, lo);
	assert_true(lx_sortable_unserialise(lo, nlo) == -1e9);

	/* a range inside a boolean tree */
	lx_query *ice = term("ice");
	q = lx_query_value_range(SLOT_DATE, "20240201", 8, NULL, 0);
	lx_query *both = lx_query_pair(LX_OP_FILTER, ice, q);
	assert_int_equal(hit_set(db, both), P(4) | P(6) | P(7));
	lx_query_free(both);
	lx_query_free(q);
	lx_query_free(ice);
	lx_db_close(db);
}

/* A docid set selects exactly its documents, ranks nothing itself, and
 * as a FILTER lets the other side rank inside it. */
static void test_docid_set(void **state)
{
	struct fx *f = *state;
	build(f->db);
	build_range(f->db2, 0, 2);
	lx_db *db = open_db(f->db);
	size_t shards = 0;
	assert_int_equal(lx_db_shards(db, &shards), 0);
	assert_int_equal(shards, 1);

	/* any order, repeats, 0 and docids past the last are harmless */
	const uint32_t ids[] = { 6, 2, 2, 0, 99, 4 };
	lx_query *set = lx_query_docids(ids, sizeof ids / sizeof ids[0]);
	assert_non_null(set);
	assert_int_equal(hit_set(db, set), P(2) | P(4) | P(6));
	lx_query *none = lx_query_docids(NULL, 0);
	assert_int_equal(count_hits(db, none), 0);
	lx_query_free(none);

	/* p5 is in the set but has no "ice"; p1 has "ice" but is not in it */
	const uint32_t some[] = { 5, 4, 7 };
	lx_query *sub = lx_query_docids(some, 3);
	lx_query *ice = term("ice");
	lx_query *q = lx_query_pair(LX_OP_FILTER, ice, sub);
	assert_int_equal(hit_set(db, q), P(4) | P(7));
	/* the weights are the ranked side's alone */
	lx_enquire *enq;
	lx_mset *ms;
	assert_int_equal(lx_enquire_new(&enq, db), 0);
	lx_enquire_set_query(enq, q);
	assert_int_equal(lx_enquire_get_mset(enq, 0, 10, 0, &ms), 0);
	lx_hit filtered[2];
	assert_int_equal(lx_mset_size(ms), 2);
	assert_int_equal(lx_mset_hit(ms, 0, &filtered[0]), 0);
	assert_int_equal(lx_mset_hit(ms, 1, &filtered[1]), 0);
	lx_mset_free(ms);
	lx_enquire_set_query(enq, ice);
	assert_int_equal(lx_enquire_get_mset(enq, 0, 10, 0, &ms), 0);
	for (size_t i = 0; i < lx_mset_size(ms); i++) {
		lx_hit h;
		assert_int_equal(lx_mset_hit(ms, i, &h), 0);
		for (int k = 0; k < 2; k++)
			if (h.docid == filtered[k].docid)
				assert_true(h.weight == filtered[k].weight);
	}
	lx_mset_free(ms);
	lx_enquire_free(enq);
	lx_query_free(q);
	lx_query_free(ice);
	lx_query_free(sub);
	lx_query_free(set);

	/* a second database makes two shards */
	assert_int_equal(lx_db_add(db, f->db2), 0);
	assert_int_equal(lx_db_shards(db, &shards), 0);
	assert_int_equal(shards, 2);
	assert_int_equal(lx_db_shards(NULL, &shards), LX_EINVAL);
	lx_db_close(db);
}

/* lx_mset_reorder: new weights put the hits in a new order, highest
 * first, ties in their old order; every accessor follows it. */
static void test_mset_reorder(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_enquire *enq;
	lx_mset *ms;
	lx_query *ice = term("ice");
	assert_int_equal(lx_enquire_new(&enq, db), 0);
	lx_enquire_set_query(enq, ice);
	assert_int_equal(lx_enquire_get_mset(enq, 0, 10, 0, &ms), 0);
	size_t n = lx_mset_size(ms);
	assert_true(n >= 3);
	uint32_t before[16];
	char *data_last = NULL;
	size_t len = 0;
	for (size_t i = 0; i < n && i < 16; i++) {
		lx_hit h;
		assert_int_equal(lx_mset_hit(ms, i, &h), 0);
		before[i] = h.docid;
	}
	assert_int_equal(lx_mset_data(ms, n - 1, &data_last, &len), 0);
	/* reversed: the last becomes the first; two ties keep their order */
	double w[16];
	for (size_t i = 0; i < n; i++)
		w[i] = (double)i;
	w[0] = w[1] = -1;
	assert_int_equal(lx_mset_reorder(ms, w, n), 0);
	lx_hit h;
	assert_int_equal(lx_mset_hit(ms, 0, &h), 0);
	assert_int_equal(h.docid, before[n - 1]);
	assert_true(h.weight == (double)(n - 1));
	assert_int_equal(h.rank, 0);
	double attained = 0;
	lx_mset_max_weight(ms, NULL, &attained);
	assert_true(attained == (double)(n - 1));
	assert_int_equal(lx_mset_hit(ms, n - 2, &h), 0);
	assert_int_equal(h.docid, before[0]);
	assert_int_equal(h.rank, n - 2);
	assert_int_equal(lx_mset_hit(ms, n - 1, &h), 0);
	assert_int_equal(h.docid, before[1]);
	char *data_first = NULL;
	size_t len2 = 0;
	assert_int_equal(lx_mset_data(ms, 0, &data_first, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(data_last, data_first, len);
	free(data_first);
	free(data_last);
	/* a second reorder starts from the first's order */
	for (size_t i = 0; i < n; i++)
		w[i] = i == n - 1 ? 100 : 0;
	assert_int_equal(lx_mset_reorder(ms, w, n), 0);
	assert_int_equal(lx_mset_hit(ms, 0, &h), 0);
	assert_int_equal(h.docid, before[1]);
	/* one weight per hit, no fewer */
	assert_int_equal(lx_mset_reorder(ms, w, n - 1), LX_EINVAL);
	assert_int_equal(lx_mset_reorder(NULL, w, n), LX_EINVAL);
	lx_mset_free(ms);
	lx_enquire_free(enq);
	lx_query_free(ice);
	lx_db_close(db);
}

/* lx_query_fixed_weight: each document weighs the weight, whatever the
 * scheme; filtered by a term, a bonus for having it. */
static void test_fixed_weight(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_query *ice = term("ice");
	lx_query *bonus = lx_query_fixed_weight(2.5);
	assert_non_null(bonus);
	lx_query *q = lx_query_pair(LX_OP_FILTER, bonus, ice);
	assert_int_equal(hit_set(db, q), hit_set(db, ice));
	static const char *const schemes[] = { "bm25", "dph" };
	for (size_t s = 0; s < 2; s++) {
		lx_enquire *enq;
		lx_mset *ms;
		assert_int_equal(lx_enquire_new(&enq, db), 0);
		lx_enquire_set_query(enq, q);
		assert_int_equal(lx_enquire_set_weighting(enq, schemes[s], NULL, 0), 0);
		assert_int_equal(lx_enquire_get_mset(enq, 0, 10, 0, &ms), 0);
		assert_true(lx_mset_size(ms) > 0);
		for (size_t i = 0; i < lx_mset_size(ms); i++) {
			lx_hit h;
			assert_int_equal(lx_mset_hit(ms, i, &h), 0);
			assert_true(h.weight == 2.5);
		}
		lx_mset_free(ms);
		lx_enquire_free(enq);
	}
	/* as a bonus: each hit weighs what it weighed plus the weight */
	lx_query *plus = lx_query_pair(LX_OP_AND_MAYBE, ice, q);
	lx_enquire *enq;
	lx_mset *a, *b;
	assert_int_equal(lx_enquire_new(&enq, db), 0);
	lx_enquire_set_query(enq, ice);
	assert_int_equal(lx_enquire_get_mset(enq, 0, 10, 0, &a), 0);
	lx_enquire_set_query(enq, plus);
	assert_int_equal(lx_enquire_get_mset(enq, 0, 10, 0, &b), 0);
	assert_int_equal(lx_mset_size(a), lx_mset_size(b));
	assert_true(lx_mset_size(a) > 0);
	for (size_t i = 0; i < lx_mset_size(a); i++) {
		lx_hit ha, hb;
		assert_int_equal(lx_mset_hit(a, i, &ha), 0);
		assert_int_equal(lx_mset_hit(b, i, &hb), 0);
		assert_int_equal(ha.docid, hb.docid);
		assert_true(fabs(hb.weight - (ha.weight + 2.5)) < 1e-9);
	}
	lx_mset_free(a);
	lx_mset_free(b);
	lx_enquire_free(enq);
	lx_query_free(plus);
	assert_null(lx_query_fixed_weight(-1));
	lx_query_free(q);
	lx_query_free(bonus);
	lx_query_free(ice);
	lx_db_close(db);
}

/* A compacted copy holds the same documents under the same docids. */
static void test_compact_copy(void **state)
{
	struct fx *f = *state;
	build(f->db);
	assert_int_equal(lx_compact(f->db, f->db2), 0);
	lx_db *a = open_db(f->db), *b = open_db(f->db2);
	uint64_t na = 0, nb = 0;
	assert_int_equal(lx_db_doccount(a, &na), 0);
	assert_int_equal(lx_db_doccount(b, &nb), 0);
	assert_int_equal(nb, na);
	lx_query *ice = term("ice");
	assert_int_equal(hit_set(b, ice), hit_set(a, ice));
	lx_query_free(ice);
	char *da = NULL, *db = NULL;
	size_t la = 0, lb = 0;
	assert_int_equal(lx_db_get_data(a, 4, &da, &la), 0);
	assert_int_equal(lx_db_get_data(b, 4, &db, &lb), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	free(da);
	free(db);
	lx_db_close(a);
	lx_db_close(b);
	assert_int_equal(lx_compact(NULL, f->db2), LX_EINVAL);
	char missing[200];
	snprintf(missing, sizeof missing, "%s/missing", f->dir);
	assert_true(lx_compact(missing, f->db2) < 0);
	assert_true(strlen(lx_last_errmsg()) > 0);
}

/* ---- enquire ------------------------------------------------------- */

static void test_collapse(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_enquire *e;
	lx_mset *ms;
	lx_query *ice = term("ice");
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, ice), 0);
	assert_int_equal(lx_enquire_set_collapse(e, SLOT_ARTICLE, 1), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 10, 100, &ms), 0);

	/* ice is in p1 p2 p3 (article a1), p4 (a2), p6 (a4), p7 (a5) */
	assert_int_equal(lx_mset_size(ms), 4);
	uint64_t lo, est, hi;
	lx_mset_counts(ms, &lo, &est, &hi);
	assert_int_equal(lo, 4);
	assert_int_equal(est, 4);
	assert_int_equal(hi, 4);
	int seen_a1 = 0;
	for (size_t i = 0; i < lx_mset_size(ms); i++) {
		lx_hit h;
		char *key;
		size_t len;
		assert_int_equal(lx_mset_hit(ms, i, &h), 0);
		assert_int_equal(h.rank, i);
		assert_int_equal(lx_mset_collapse_key(ms, i, &key, &len), 0);
		if (strcmp(key, "a1") == 0) {
			seen_a1++;
			assert_int_equal(h.collapse_count, 2);
		} else {
			assert_int_equal(h.collapse_count, 0);
		}
		free(key);
	}
	assert_int_equal(seen_a1, 1);
	lx_mset_free(ms);

	/* two per article */
	assert_int_equal(lx_enquire_set_collapse(e, SLOT_ARTICLE, 2), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 10, 100, &ms), 0);
	assert_int_equal(lx_mset_size(ms), 5);
	lx_mset_free(ms);
	/* off again */
	assert_int_equal(lx_enquire_set_collapse(e, LX_NO_SLOT, 0), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 10, 100, &ms), 0);
	assert_int_equal(lx_mset_size(ms), 6);
	lx_mset_free(ms);
	lx_enquire_free(e);
	lx_query_free(ice);
	lx_db_close(db);
}

static void check_facets(lx_db *db, const char *const *words, size_t nwords)
{
	lx_query *subs[4];
	assert_true(nwords <= 4);
	for (size_t i = 0; i < nwords; i++)
		subs[i] = term(words[i]);
	lx_query *q = lx_query_combine(LX_OP_OR, (const lx_query *const *)subs,
	                               nwords, 0);
	lx_enquire *e;
	lx_mset *ms;
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, q), 0);
	assert_int_equal(lx_enquire_add_facet(e, SLOT_SOURCE), 0);
	assert_int_equal(lx_enquire_add_facet(e, SLOT_SOURCE), 0);
	assert_int_equal(lx_enquire_add_facet(e, SLOT_DATE), 0);
	/* one hit asked for, no extra checking: facets still exact */
	assert_int_equal(lx_enquire_get_mset(e, 0, 1, 0, &ms), 0);

	/* brute force over the passages */
	const char *sources[] = {"latimes", "nytimes", "tribune"};
	uint64_t want[3] = {0, 0, 0}, want_docs = 0;
	for (size_t k = 0; k < NCORPUS; k++) {
		int m = 0;
		for (size_t i = 0; i < nwords; i++)
			m |= has_word(corpus[k].text, words[i]);
		if (!m)
			continue;
		want_docs++;
		for (size_t s = 0; s < 3; s++)
			want[s] += strcmp(corpus[k].source, sources[s]) == 0;
	}
	size_t nvalues, expect_values = 0;
	uint64_t ndocs;
	for (size_t s = 0; s < 3; s++)
		expect_values += want[s] > 0;
	assert_int_equal(lx_mset_facet_size(ms, SLOT_SOURCE, &nvalues, &ndocs), 0);
	assert_int_equal(nvalues, expect_values);
	assert_int_equal(ndocs, want_docs);
	size_t vi = 0;
	for (size_t s = 0; s < 3; s++) {
		if (!want[s])
			continue;
		const char *v;
		size_t len;
		uint64_t count;
		assert_int_equal(lx_mset_facet_get(ms, SLOT_SOURCE, vi++, &v, &len,
		                                   &count), 0);
		assert_int_equal(len, strlen(sources[s]));
		assert_memory_equal(v, sources[s], len);
		assert_int_equal(count, want[s]);
	}
	const char *v;
	size_t len;
	assert_int_equal(lx_mset_facet_get(ms, SLOT_SOURCE, vi, &v, &len, NULL),
	                 LX_EINVAL);
	assert_int_equal(lx_mset_facet_size(ms, SLOT_DATE, NULL, &ndocs), 0);
	assert_int_equal(ndocs, want_docs);
	assert_int_equal(lx_mset_facet_size(ms, SLOT_NUM, NULL, NULL), LX_ENOTFOUND);
	lx_mset_free(ms);

	/* a second run counts afresh, not on top of the first */
	assert_int_equal(lx_enquire_get_mset(e, 0, 1, 0, &ms), 0);
	assert_int_equal(lx_mset_facet_size(ms, SLOT_SOURCE, NULL, &ndocs), 0);
	assert_int_equal(ndocs, want_docs);
	lx_mset_free(ms);
	assert_int_equal(lx_enquire_clear_facets(e), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 1, 0, &ms), 0);
	assert_int_equal(lx_mset_facet_size(ms, SLOT_SOURCE, NULL, NULL),
	                 LX_ENOTFOUND);
	lx_mset_free(ms);
	lx_enquire_free(e);
	lx_query_free(q);
	for (size_t i = 0; i < nwords; i++)
		lx_query_free(subs[i]);
}

/* Facets count the matching documents before collapsing. */
static void test_facets_with_collapse(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_query *ice = term("ice");
	lx_enquire *e;
	lx_mset *ms;
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, ice), 0);
	assert_int_equal(lx_enquire_set_collapse(e, SLOT_ARTICLE, 1), 0);
	assert_int_equal(lx_enquire_add_facet(e, SLOT_SOURCE), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 10, 0, &ms), 0);
	assert_int_equal(lx_mset_size(ms), 4);
	uint64_t ndocs = 0;
	assert_int_equal(lx_mset_facet_size(ms, SLOT_SOURCE, NULL, &ndocs), 0);
	assert_int_equal(ndocs, 6); /* p1 p2 p3 p4 p6 p7, not 4 articles */
	const char *v;
	size_t len;
	uint64_t count;
	assert_int_equal(lx_mset_facet_get(ms, SLOT_SOURCE, 0, &v, &len, &count), 0);
	assert_memory_equal(v, "latimes", len);
	assert_int_equal(count, 3);
	lx_mset_free(ms);
	lx_enquire_free(e);
	lx_query_free(ice);
	lx_db_close(db);
}

static void test_facets(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	const char *w1[] = {"ice"};
	const char *w2[] = {"chicago", "national"};
	const char *w3[] = {"los", "federal", "mayor"};
	check_facets(db, w1, 1);
	check_facets(db, w2, 2);
	check_facets(db, w3, 3);
	lx_db_close(db);
}

static void test_sort_and_order(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_enquire *e;
	lx_mset *ms;
	lx_query *all = lx_query_match_all();
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, all), 0);
	for (int desc = 0; desc <= 1; desc++) {
		assert_int_equal(lx_enquire_set_sort(e, LX_SORT_VALUE, SLOT_NUM,
		                                     desc), 0);
		assert_int_equal(lx_enquire_get_mset(e, 0, 100, 0, &ms), 0);
		assert_int_equal(lx_mset_size(ms), NCORPUS);
		double prev = desc ? 1e9 : -1e9;
		for (size_t i = 0; i < lx_mset_size(ms); i++) {
			char *v;
			size_t len;
			assert_int_equal(lx_mset_value(ms, i, SLOT_NUM, &v, &len), 0);
			double x = lx_sortable_unserialise(v, len);
			free(v);
			assert_true(desc ? x <= prev : x >= prev);
			prev = x;
		}
		lx_mset_free(ms);
	}
	/* offset: the third by ascending number is p3 (30) */
	assert_int_equal(lx_enquire_set_sort(e, LX_SORT_VALUE, SLOT_NUM, 0), 0);
	assert_int_equal(lx_enquire_get_mset(e, 2, 1, 0, &ms), 0);
	assert_int_equal(lx_mset_size(ms), 1);
	lx_hit h;
	assert_int_equal(lx_mset_hit(ms, 0, &h), 0);
	assert_int_equal(h.rank, 2);
	char *data;
	size_t len;
	assert_int_equal(lx_mset_data(ms, 0, &data, &len), 0);
	assert_string_equal(data, corpus[2].text);
	free(data);
	assert_int_equal(lx_mset_hit(ms, 1, &h), LX_EINVAL);
	assert_true(strlen(lx_mset_errmsg(ms)) > 0);
	lx_mset_free(ms);

	/* value then relevance: dates non-increasing */
	lx_query *la = term("angeles");
	assert_int_equal(lx_enquire_set_query(e, la), 0);
	assert_int_equal(lx_enquire_set_sort(e, LX_SORT_VALUE_THEN_RELEVANCE,
	                                     SLOT_DATE, 1), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 100, 0, &ms), 0);
	assert_int_equal(lx_mset_size(ms), 3);
	char *first;
	assert_int_equal(lx_mset_value(ms, 0, SLOT_DATE, &first, &len), 0);
	assert_string_equal(first, "20241101");
	free(first);
	lx_mset_free(ms);
	assert_int_equal(lx_enquire_set_sort(e, LX_SORT_RELEVANCE_THEN_VALUE,
	                                     SLOT_DATE, 0), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 100, 0, &ms), 0);
	assert_int_equal(lx_mset_size(ms), 3);
	lx_mset_free(ms);

	/* bool weighting + docid order: hits come in docid order */
	assert_int_equal(lx_enquire_set_sort(e, LX_SORT_RELEVANCE, 0, 0), 0);
	assert_int_equal(lx_enquire_set_weighting(e, "bool", NULL, 0), 0);
	for (int o = LX_DOCID_ASC; o <= LX_DOCID_DESC; o++) {
		assert_int_equal(lx_enquire_set_docid_order(e, o), 0);
		assert_int_equal(lx_enquire_get_mset(e, 0, 100, 0, &ms), 0);
		uint32_t prev = o == LX_DOCID_ASC ? 0 : UINT32_MAX;
		for (size_t i = 0; i < lx_mset_size(ms); i++) {
			assert_int_equal(lx_mset_hit(ms, i, &h), 0);
			assert_true(h.weight == 0);
			assert_true(o == LX_DOCID_ASC ? h.docid > prev : h.docid < prev);
			prev = h.docid;
		}
		lx_mset_free(ms);
	}
	assert_int_equal(lx_enquire_set_docid_order(e, LX_DOCID_DONT_CARE), 0);
	assert_int_equal(lx_enquire_set_sort(e, 99, 0, 0), LX_EINVAL);
	lx_enquire_free(e);
	lx_query_free(la);
	lx_query_free(all);
	lx_db_close(db);
}

static void test_weighting_schemes(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_enquire *e;
	lx_mset *ms;
	lx_query *ice = term("ice"), *chi = term("chicago");
	lx_query *q = lx_query_pair(LX_OP_OR, ice, chi);
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, q), 0);

	static const struct {
		const char *name;
		double params[6];
		size_t n;
	} schemes[] = {
		{"bm25", {0}, 0},
		{"bm25", {1.2, 0, 1, 0.75, 0.5}, 5},
		{"bm25+", {1.2, 0, 1, 0.75, 0.5, 1}, 6},
		{"tfidf", {0}, 0},
		{"tfidf:ntn", {0}, 0},
		{"pl2", {1.5}, 1},
		{"dph", {0}, 0},
		{"lm", {0}, 0},
	};
	for (size_t s = 0; s < sizeof schemes / sizeof schemes[0]; s++) {
		assert_int_equal(lx_enquire_set_weighting(e, schemes[s].name,
		                                          schemes[s].params,
		                                          schemes[s].n), 0);
		assert_int_equal(lx_enquire_get_mset(e, 0, 10, 10, &ms), 0);
		assert_int_equal(lx_mset_size(ms), 6); /* all but p5 */
		lx_mset_free(ms);
	}
	double p0[] = {0, 0, 1, 0.5, 0.5};
	assert_int_equal(lx_enquire_set_weighting(e, "bm25", p0, 5), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 10, 10, &ms), 0);
	double possible, attained;
	lx_mset_max_weight(ms, &possible, &attained);
	assert_true(attained > 0 && possible >= attained);
	lx_mset_free(ms);

	assert_int_equal(lx_enquire_set_weighting(e, "nope", NULL, 0), LX_EINVAL);
	assert_non_null(strstr(lx_enquire_errmsg(e), "nope"));
	double seven[7] = {1, 1, 1, 1, 1, 1, 1};
	assert_int_equal(lx_enquire_set_weighting(e, "bm25", seven, 7), LX_EINVAL);
	assert_int_equal(lx_enquire_set_weighting(e, "dph", seven, 1), LX_EINVAL);
	assert_int_equal(lx_enquire_set_weighting(e, "tfidf:???", NULL, 0),
	                 LX_EINVAL);
	assert_int_equal(lx_enquire_set_cutoff(e, 101, 0), LX_EINVAL);
	assert_int_equal(lx_enquire_set_cutoff(e, 0, 0), 0);
	lx_enquire_free(e);
	lx_query_free(q);
	lx_query_free(ice);
	lx_query_free(chi);
	lx_db_close(db);
}

static void test_mset_details(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_query *t[3] = {term("chicago"), term("zebra"), term("ice")};
	lx_query *q = lx_query_combine(LX_OP_OR, (const lx_query *const *)t, 3, 0);
	lx_query *q2 = lx_query_pair(LX_OP_OR, q, t[0]); /* chicago twice */
	lx_enquire *e;
	lx_mset *ms;
	assert_int_equal(lx_enquire_new(&e, db), 0);
	lx_mset *none = (lx_mset *)0x1;
	assert_int_equal(lx_enquire_get_mset(e, 0, 10, 0, &none), LX_EINVAL);
	assert_null(none);
	assert_int_equal(lx_enquire_set_query(e, q2), 0);
	/* huge count and check_at_least are clamped, not allocated */
	assert_int_equal(lx_enquire_get_mset(e, 0, UINT32_MAX, UINT32_MAX, &ms), 0);
	assert_int_equal(lx_mset_size(ms), 6);
	uint64_t lo, hi, tf;
	lx_mset_counts(ms, &lo, NULL, &hi);
	assert_int_equal(lo, 6);
	assert_int_equal(hi, 6);
	assert_int_equal(lx_mset_termfreq(ms, "chicago", 7, &tf), 0);
	assert_int_equal(tf, 2);
	assert_int_equal(lx_mset_termfreq(ms, "federal", 7, &tf), 0);
	assert_int_equal(tf, 2);

	/* the top hits have both words: p4 and p7 */
	for (size_t i = 0; i < 2; i++) {
		char *data;
		size_t len;
		assert_int_equal(lx_mset_data(ms, i, &data, &len), 0);
		assert_true(has_word(data, "chicago") && has_word(data, "ice"));
		free(data);
		struct terms_seen seen = {{0}, 0, 0};
		assert_int_equal(lx_mset_matching_terms(ms, i, collect_term, &seen), 0);
		assert_string_equal(seen.buf, "chicago,ice");
		memset(&seen, 0, sizeof seen);
		assert_int_equal(lx_mset_doc_terms(ms, i, "Q", collect_term, &seen), 0);
		assert_true(strcmp(seen.buf, "Qp4") == 0 || strcmp(seen.buf, "Qp7") == 0);
		memset(&seen, 0, sizeof seen);
		assert_int_equal(lx_mset_doc_terms(ms, i, "XS", collect_term, &seen), 0);
		assert_true(strcmp(seen.buf, "XStribune") == 0 ||
		            strcmp(seen.buf, "XSnytimes") == 0);
	}
	struct terms_seen seen = {{0}, 0, 0};
	assert_int_equal(lx_mset_matching_terms(ms, 5, collect_term, &seen), 0);
	assert_string_equal(seen.buf, "ice");
	assert_int_equal(lx_mset_matching_terms(ms, 6, collect_term, &seen),
	                 LX_EINVAL);
	char *v;
	size_t len;
	assert_int_equal(lx_mset_value(ms, 0, 77, &v, &len), 0);
	assert_int_equal(len, 0);
	free(v);
	lx_hit h0, h5;
	assert_int_equal(lx_mset_hit(ms, 0, &h0), 0);
	assert_int_equal(lx_mset_hit(ms, 5, &h5), 0);
	assert_true(h0.weight >= h5.weight);
	assert_true(h0.percent >= h5.percent && h0.percent <= 100);
	lx_mset_free(ms);
	lx_enquire_free(e);
	lx_query_free(q2);
	lx_query_free(q);
	for (int i = 0; i < 3; i++)
		lx_query_free(t[i]);
	lx_db_close(db);
}

struct term_probe {
	const char *term;
	size_t len;
	int found;
};

static int probe_term(void *ctx, const char *t, size_t len, uint64_t count)
{
	struct term_probe *p = ctx;
	(void)count;
	if (len == p->len && memcmp(t, p->term, len) == 0)
		p->found = 1;
	return p->found;
}

/* Whether document docid is indexed by term. */
static int doc_has_term(lx_db *db, uint32_t docid, const char *term,
                        size_t len)
{
	char prefix[256];
	snprintf(prefix, sizeof prefix, "%.*s", (int)len, term);
	struct term_probe p = { term, len, 0 };
	assert_int_equal(lx_db_doc_terms(db, docid, prefix, probe_term, &p), 0);
	return p.found;
}

static void test_eset(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_enquire *e;
	lx_eset *es;
	uint32_t ids[2];
	assert_int_equal(lx_db_find(db, "Qp4", 3, &ids[0]), 0);
	assert_int_equal(lx_db_find(db, "Qp7", 3, &ids[1]), 0);
	lx_query *chi = term("chicago");
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, chi), 0);

	assert_int_equal(lx_enquire_get_eset(e, ids, 2, 50, 0, NULL,
	                                     LX_ESET_UNPREFIXED_ONLY, &es), 0);
	assert_true(lx_eset_size(es) > 0);
	int saw_detainers = 0;
	double prev = 1e300;
	for (size_t i = 0; i < lx_eset_size(es); i++) {
		const char *t;
		size_t len;
		double w;
		assert_int_equal(lx_eset_get(es, i, &t, &len, &w), 0);
		assert_false(t[0] >= 'A' && t[0] <= 'Z');
		assert_false(len == 7 && memcmp(t, "chicago", 7) == 0);
		assert_true(w <= prev);
		prev = w;
		saw_detainers |= len == 9 && memcmp(t, "detainers", 9) == 0;
	}
	assert_true(saw_detainers); /* in both documents */
	const char *t;
	size_t len;
	assert_int_equal(lx_eset_get(es, lx_eset_size(es), &t, &len, NULL),
	                 LX_EINVAL);
	/* a word of one document only is weighed without a floor... */
	char lone[64] = "";
	for (size_t i = 0; i < lx_eset_size(es) && !*lone; i++) {
		assert_int_equal(lx_eset_get(es, i, &t, &len, NULL), 0);
		if (len < sizeof lone &&
		    doc_has_term(db, ids[0], t, len) != doc_has_term(db, ids[1], t, len))
			snprintf(lone, sizeof lone, "%.*s", (int)len, t);
	}
	assert_true(*lone);
	size_t all = lx_eset_size(es);
	lx_eset_free(es);
	/* ... and left out when a term must index both */
	assert_int_equal(lx_enquire_get_eset(e, ids, 2, 50, 2, NULL,
	                                     LX_ESET_UNPREFIXED_ONLY, &es), 0);
	assert_true(lx_eset_size(es) > 0 && lx_eset_size(es) < all);
	saw_detainers = 0;
	for (size_t i = 0; i < lx_eset_size(es); i++) {
		assert_int_equal(lx_eset_get(es, i, &t, &len, NULL), 0);
		assert_true(doc_has_term(db, ids[0], t, len));
		assert_true(doc_has_term(db, ids[1], t, len));
		assert_false(len == strlen(lone) && memcmp(t, lone, len) == 0);
		saw_detainers |= len == 9 && memcmp(t, "detainers", 9) == 0;
	}
	assert_true(saw_detainers);
	lx_eset_free(es);
	/* a floor above the number of documents leaves nothing */
	assert_int_equal(lx_enquire_get_eset(e, ids, 2, 50, 3, NULL,
	                                     LX_ESET_UNPREFIXED_ONLY, &es), 0);
	assert_int_equal(lx_eset_size(es), 0);
	lx_eset_free(es);

	assert_int_equal(lx_enquire_get_eset(e, ids, 2, 10, 0, "XS",
	                                     LX_ESET_INCLUDE_QUERY_TERMS, &es), 0);
	assert_true(lx_eset_size(es) >= 1);
	for (size_t i = 0; i < lx_eset_size(es); i++) {
		assert_int_equal(lx_eset_get(es, i, &t, &len, NULL), 0);
		assert_memory_equal(t, "XS", 2);
	}
	lx_eset_free(es);
	assert_int_equal(lx_enquire_get_eset(e, ids, 0, 10, 0, NULL, 0, &es),
	                 LX_EINVAL);
	lx_enquire_free(e);
	lx_query_free(chi);
	lx_db_close(db);
}

static void test_allterms(void **state)
{
	struct fx *f = *state;
	build(f->db);
	lx_db *db = open_db(f->db);
	lx_termiter *it;
	assert_int_equal(lx_db_allterms(db, "XS", &it), 0);
	const char *t;
	size_t len;
	uint64_t tf;
	static const struct { const char *term; uint64_t tf; } want[] = {
		{"XSlatimes", 3}, {"XSnytimes", 2}, {"XStribune", 2}};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(lx_termiter_next(it, &t, &len, &tf), 1);
		assert_int_equal(len, strlen(want[i].term));
		assert_memory_equal(t, want[i].term, len);
		assert_int_equal(tf, want[i].tf);
	}
	assert_int_equal(lx_termiter_next(it, &t, &len, &tf), 0);
	assert_int_equal(lx_termiter_next(it, &t, &len, NULL), 0);
	lx_termiter_free(it);

	assert_int_equal(lx_db_allterms(db, "nothing-has-this", &it), 0);
	assert_int_equal(lx_termiter_next(it, &t, &len, NULL), 0);
	lx_termiter_free(it);

	/* every term, in byte order, no repeats */
	assert_int_equal(lx_db_allterms(db, NULL, &it), 0);
	char prev[300] = "";
	size_t n = 0;
	while (lx_termiter_next(it, &t, &len, NULL) == 1) {
		assert_true(len < sizeof prev);
		assert_true(n == 0 || strncmp(prev, t, len + 1) < 0);
		memcpy(prev, t, len);
		prev[len] = '\0';
		n++;
	}
	assert_true(n > 30);
	lx_termiter_free(it);
	lx_db_close(db);
}

/* ---- several databases -------------------------------------------- */

static void test_two_local_databases(void **state)
{
	struct fx *f = *state;
	build_range(f->db, 0, 4);
	build_range(f->db2, 4, NCORPUS);
	lx_db *db = open_db(NULL);
	assert_int_equal(lx_db_add(db, f->db), 0);
	assert_int_equal(lx_db_add(db, f->db2), 0);
	char missing[200];
	snprintf(missing, sizeof missing, "%s/missing", f->dir);
	assert_int_equal(lx_db_add(db, missing), LX_EOPENING);
	assert_non_null(strstr(lx_db_errmsg(db), "missing"));
	uint64_t n, tf;
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, NCORPUS);
	assert_int_equal(lx_db_termfreq(db, "ice", 3, &tf, NULL), 0);
	assert_int_equal(tf, 6);
	lx_query *ice = term("ice"), *chi = term("chicago");
	assert_int_equal(count_hits(db, ice), 6);
	lx_query *q = lx_query_pair(LX_OP_AND, ice, chi);
	assert_int_equal(hit_set(db, q), P(4) | P(7)); /* one in each shard */
	lx_query_free(q);
	lx_db_close(db);

	/* the same through a stub database file */
	char stub[200];
	snprintf(stub, sizeof stub, "%s/all.stub", f->dir);
	FILE *fp = fopen(stub, "w");
	assert_non_null(fp);
	fprintf(fp, "auto %s\nauto %s\n", f->db, f->db2);
	fclose(fp);
	db = open_db(stub);
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, NCORPUS);
	assert_int_equal(count_hits(db, ice), 6);
	lx_db_close(db);
	lx_query_free(ice);
	lx_query_free(chi);
}

static void test_remote_database(void **state)
{
	struct fx *f = *state;
	build_range(f->db, 0, 4);
	build_range(f->db2, 4, NCORPUS);
	int port = 0;
	f->server = tcpsrv_start(f->db2, &port);
	if (f->server == 0) {
		print_message("xapian-tcpsrv not installed: skipping remote test\n");
		skip();
	}
	assert_true(f->server > 0);

	/* one local shard plus the remote one */
	lx_db *db = open_db(f->db);
	int rc = lx_db_add_remote(db, "127.0.0.1", (unsigned)port, 5000, 0);
	if (rc)
		fail_msg("remote: %s", lx_db_errmsg(db));
	uint64_t n;
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, NCORPUS);
	lx_query *ice = term("ice"), *chi = term("chicago");
	lx_query *q = lx_query_pair(LX_OP_AND, ice, chi);
	assert_int_equal(hit_set(db, q), P(4) | P(7));
	assert_int_equal(count_hits(db, ice), 6);
	/* facets across local + remote */
	lx_enquire *e;
	lx_mset *ms;
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_query(e, ice), 0);
	assert_int_equal(lx_enquire_add_facet(e, SLOT_SOURCE), 0);
	assert_int_equal(lx_enquire_get_mset(e, 0, 1, 0, &ms), 0);
	uint64_t ndocs;
	assert_int_equal(lx_mset_facet_size(ms, SLOT_SOURCE, NULL, &ndocs), 0);
	assert_int_equal(ndocs, 6);
	lx_mset_free(ms);
	lx_enquire_free(e);
	lx_query_free(q);
	lx_db_close(db);

	/* a stub file naming the local shard and the remote one */
	char stub[200];
	snprintf(stub, sizeof stub, "%s/mixed.stub", f->dir);
	FILE *fp = fopen(stub, "w");
	assert_non_null(fp);
	fprintf(fp, "auto %s\nremote 127.0.0.1:%d\n", f->db, port);
	fclose(fp);
	db = open_db(stub);
	assert_int_equal(lx_db_doccount(db, &n), 0);
	assert_int_equal(n, NCORPUS);
	assert_int_equal(count_hits(db, ice), 6);
	lx_db_close(db);
	lx_query_free(ice);
	lx_query_free(chi);

	/* nobody listening: a network error with a message, quickly */
	tcpsrv_stop(f->server);
	f->server = -1;
	db = open_db(NULL);
	rc = lx_db_add_remote(db, "127.0.0.1", (unsigned)port, 2000, 0);
	assert_int_equal(rc, LX_ENETWORK);
	assert_true(strlen(lx_db_errmsg(db)) > 0);
	assert_int_equal(lx_db_add_remote(db, "127.0.0.1", 0, 0, 0), LX_EINVAL);
	lx_db_close(db);
}

/* ---- bad input ----------------------------------------------------- */

static void test_bad_input(void **state)
{
	struct fx *f = *state;
	lx_wdb *w;
	assert_int_equal(lx_wdb_open(&w, f->db, LX_WDB_CREATE | LX_WDB_NO_SYNC), 0);

	/* random bytes, NULs included, as terms, values and data */
	unsigned seed = 12345;
	char junk[200];
	for (size_t i = 0; i < sizeof junk; i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (char)(seed >> 16);
	}
	junk[3] = '\0';
	lx_doc *d = lx_doc_new();
	assert_int_equal(lx_doc_add_posting(d, junk, 40, 1, 1), 0);
	assert_int_equal(lx_doc_add_boolean_term(d, "Qjunk", 5), 0);
	assert_int_equal(lx_doc_set_value(d, 0, junk, sizeof junk), 0);
	assert_int_equal(lx_doc_set_data(d, junk, sizeof junk), 0);
	assert_int_equal(lx_doc_set_data(d, NULL, 5), LX_EINVAL);
	assert_int_equal(lx_doc_add_term(d, NULL, 1, 1), LX_EINVAL);
	assert_int_equal(lx_doc_set_value(d, LX_NO_SLOT, "x", 1), LX_EINVAL);
	assert_true(strlen(lx_doc_errmsg(d)) > 0);
	assert_int_equal(lx_wdb_replace(w, "Qjunk", 5, d, NULL), 0);
	lx_doc_free(d);

	/* an over-long or empty term is refused by the document, so it
	 * cannot make the add fail (which would drop the pending Qjunk) */
	char big[300];
	memset(big, 'x', sizeof big);
	d = lx_doc_new();
	assert_int_equal(lx_doc_add_term(d, big, sizeof big, 1), LX_EINVAL);
	assert_int_equal(lx_doc_add_posting(d, big, LX_MAX_TERM + 1, 1, 1),
	                 LX_EINVAL);
	assert_int_equal(lx_doc_add_boolean_term(d, "", 0), LX_EINVAL);
	assert_non_null(strstr(lx_doc_errmsg(d), "term"));
	assert_int_equal(lx_doc_add_term(d, big, LX_MAX_TERM, 1), 0);
	assert_int_equal(lx_wdb_add(w, d, NULL), 0);
	lx_doc_free(d);
	assert_int_equal(lx_wdb_commit(w), 0);
	int rc;

	/* a huge data blob (1 MiB) round-trips */
	size_t hn = 1 << 20;
	char *huge = malloc(hn);
	assert_non_null(huge);
	memset(huge, 'n', hn);
	d = lx_doc_new();
	assert_int_equal(lx_doc_add_boolean_term(d, "Qhuge", 5), 0);
	assert_int_equal(lx_doc_set_data(d, huge, hn), 0);
	assert_int_equal(lx_wdb_replace(w, "Qhuge", 5, d, NULL), 0);
	lx_doc_free(d);
	assert_int_equal(lx_wdb_close(w), 0);

	lx_db *db = open_db(f->db);
	uint32_t id;
	char *out;
	size_t len;
	assert_int_equal(lx_db_find(db, "Qhuge", 5, &id), 0);
	assert_int_equal(lx_db_get_data(db, id, &out, &len), 0);
	assert_int_equal(len, hn);
	assert_memory_equal(out, huge, hn);
	free(out);
	free(huge);
	assert_int_equal(lx_db_find(db, "Qjunk", 5, &id), 0);
	assert_int_equal(lx_db_get_value(db, id, 0, &out, &len), 0);
	assert_int_equal(len, sizeof junk);
	assert_memory_equal(out, junk, sizeof junk);
	free(out);
	lx_query *jq = lx_query_term(junk, 40, 1, 0);
	assert_int_equal(count_hits(db, jq), 1);
	lx_query_free(jq);
	lx_query *longq = lx_query_term(big, sizeof big, 1, 0);
	assert_non_null(longq); /* simply matches nothing */
	assert_int_equal(count_hits(db, longq), 0);
	lx_query_free(longq);

	/* queries: empty terms and NULL children give NULL, not a crash */
	assert_null(lx_query_term("", 0, 1, 0));
	assert_int_equal(lx_last_errcode(), LX_EINVAL);
	assert_null(lx_query_term(NULL, 3, 1, 0));
	lx_query *a = term("ice");
	assert_null(lx_query_pair(LX_OP_AND, a, NULL));
	assert_null(lx_query_pair(LX_OP_AND, NULL, lx_query_term("", 0, 1, 0)));
	assert_null(lx_query_pair(99, a, a));
	assert_null(lx_query_scale(NULL, 1));
	assert_null(lx_query_describe(NULL));
	assert_null(lx_query_wildcard(NULL, 2, 0));
	/* a phrase over a non-term is rejected when run */
	lx_query *all = lx_query_match_all();
	lx_query *bad = lx_query_pair(LX_OP_PHRASE, a, all);
	lx_enquire *e;
	lx_mset *ms = NULL;
	assert_int_equal(lx_enquire_new(&e, db), 0);
	if (bad) {
		assert_int_equal(lx_enquire_set_query(e, bad), 0);
		rc = lx_enquire_get_mset(e, 0, 10, 0, &ms);
		if (rc == 0)
			lx_mset_free(ms);
		else
			assert_true(strlen(lx_enquire_errmsg(e)) > 0);
	}
	assert_int_equal(lx_enquire_set_query(e, NULL), LX_EINVAL);
	assert_int_equal(lx_enquire_add_facet(e, LX_NO_SLOT), LX_EINVAL);
	lx_enquire_free(e);
	lx_query_free(bad);
	lx_query_free(all);
	lx_query_free(a);
	uint64_t tf;
	assert_int_equal(lx_db_termfreq(db, "", 0, &tf, NULL), 0);
	assert_int_equal(tf, 0);
	lx_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strerror_and_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_and_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_data_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_writer_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phrase_and_near, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boolean_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_docid_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mset_reorder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixed_weight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collapse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facets_with_collapse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_and_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weighting_schemes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mset_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allterms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_local_databases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remote_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};
	return cmocka_run_group_tests_name("shim", tests, NULL, NULL);
}
