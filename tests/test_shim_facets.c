/* Tests of the shim's distinct-key facets (lx_enquire_set_facet_key) on
 * real glass databases with thousands of documents: every run, whether the
 * values come from per-document reads or from the handle's slot caches
 * (built after a few runs), must give exactly the counts a brute force over
 * the same documents gives, also after reopen and with a second shard. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../shim/lx.h"
#include "helpers/run.h"

enum { SLOT_KEY = 1, SLOT_SMALL = 3, SLOT_WIDE = 4 };
enum { NKEYS = 900 };

struct fx {
	char *dir;   /* run_mkdtemp's, owned */
	char db[4200];
	char db2[4200];
};

/* ---- the documents ------------------------------------------------- */

/* Key number of document n (1-based, in order of adding): scattered, so
 * documents of one key are far apart; 0 is the empty key (no value). */
static unsigned key_of(unsigned n)
{
	return (n * 7919u) % NKEYS;
}

/* A few values, with an empty one (not counted), an embedded NUL, and
 * prefixes of each other across the 8-byte step of the shim's hash. */
static const struct {
	const char *bytes;
	size_t len;
} small_values[] = {
	{"", 0}, {"a", 1}, {"a\0b", 3}, {"ab", 2},
	{"abcdefgh", 8}, {"abcdefghi", 9}, {"zz", 2},
};
#define NSMALL (sizeof small_values / sizeof small_values[0])

/* The values of a document depend on its key only (as an article's values
 * do on its passages), so which document of a key counts does not matter. */
static size_t small_value(unsigned key, const char **bytes)
{
	size_t i = key % NSMALL;
	*bytes = small_values[i].bytes;
	return small_values[i].len;
}

/* Hundreds of distinct values of varied length; key 3 has none. */
static size_t wide_value(unsigned key, char *buf, size_t cap)
{
	if (key == 3)
		return 0;
	int n = snprintf(buf, cap, "person\tname %u\n%.*s", key * 13u,
	                 (int)(key % 23), "padding padding padding");
	return (size_t)n;
}

/* Documents first .. last-1 into path (created if need be). Every one has
 * "all"; every third has "three". */
static void add_docs(const char *path, unsigned first, unsigned last)
{
	lx_wdb *w = NULL;
	assert_int_equal(lx_wdb_open(&w, path, LX_WDB_CREATE | LX_WDB_NO_SYNC), 0);
	for (unsigned n = first; n < last; n++) {
		lx_doc *d = lx_doc_new();
		assert_non_null(d);
		assert_int_equal(lx_doc_add_term(d, "all", 3, 1), 0);
		if (n % 3 == 0)
			assert_int_equal(lx_doc_add_term(d, "three", 5, 1), 0);
		unsigned k = key_of(n);
		char key[16];
		int kl = k ? snprintf(key, sizeof key, "g%u", k) : 0;
		assert_int_equal(lx_doc_set_value(d, SLOT_KEY, key, (size_t)kl), 0);
		const char *s;
		size_t sl = small_value(k, &s);
		assert_int_equal(lx_doc_set_value(d, SLOT_SMALL, s, sl), 0);
		char wide[96];
		size_t wl = wide_value(k, wide, sizeof wide);
		assert_int_equal(lx_doc_set_value(d, SLOT_WIDE, wide, wl), 0);
		assert_int_equal(lx_wdb_add(w, d, NULL), 0);
		lx_doc_free(d);
	}
	assert_int_equal(lx_wdb_close(w), 0);
}

/* ---- brute force --------------------------------------------------- */

struct counted {
	char bytes[96];
	size_t len;
	uint64_t count;
};

struct expect {
	uint64_t ndocs;
	struct counted small[NSMALL], wide[NKEYS];
	size_t nsmall, nwide;
};

static void count_value(struct counted *c, size_t *n, const char *b,
                        size_t len)
{
	if (!len)
		return;
	for (size_t i = 0; i < *n; i++)
		if (c[i].len == len && memcmp(c[i].bytes, b, len) == 0) {
			c[i].count++;
			return;
		}
	assert_true(len <= sizeof c[*n].bytes);
	memcpy(c[*n].bytes, b, len);
	c[*n].len = len;
	c[*n].count = 1;
	(*n)++;
}

static int cmp_counted(const void *a, const void *b)
{
	const struct counted *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->bytes, y->bytes, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* What documents 1 .. ndocs matching "all" (every_third: "three") give. */
static void brute_force(struct expect *e, unsigned ndocs, int every_third)
{
	memset(e, 0, sizeof *e);
	char seen[NKEYS] = {0};
	for (unsigned n = 1; n <= ndocs; n++) {
		if (every_third && n % 3 != 0)
			continue;
		unsigned k = key_of(n);
		if (seen[k])
			continue;
		seen[k] = 1;
		e->ndocs++;
		const char *s;
		size_t sl = small_value(k, &s);
		count_value(e->small, &e->nsmall, s, sl);
		char wide[96];
		size_t wl = wide_value(k, wide, sizeof wide);
		count_value(e->wide, &e->nwide, wide, wl);
	}
	qsort(e->small, e->nsmall, sizeof *e->small, cmp_counted);
	qsort(e->wide, e->nwide, sizeof *e->wide, cmp_counted);
}

static void check_slot(lx_mset *ms, uint32_t slot, const struct counted *c,
                       size_t n, uint64_t ndocs)
{
	size_t nvalues = 0;
	uint64_t got_docs = 0;
	assert_int_equal(lx_mset_facet_size(ms, slot, &nvalues, &got_docs), 0);
	assert_int_equal(got_docs, ndocs);
	assert_int_equal(nvalues, n);
	for (size_t i = 0; i < n; i++) {
		const char *v;
		size_t len;
		uint64_t count;
		assert_int_equal(lx_mset_facet_get(ms, slot, i, &v, &len, &count), 0);
		assert_int_equal(len, c[i].len);
		assert_memory_equal(v, c[i].bytes, len);
		assert_int_equal(count, c[i].count);
	}
}

/* Runs the facets of "all" or "three" on enq and checks them against the
 * first ndocs documents. */
static void check_run(lx_enquire *e, unsigned ndocs, int every_third)
{
	lx_query *q = lx_query_term(every_third ? "three" : "all",
	                            every_third ? 5 : 3, 1, 0);
	assert_non_null(q);
	assert_int_equal(lx_enquire_set_query(e, q), 0);
	lx_query_free(q);
	lx_mset *ms = NULL;
	assert_int_equal(lx_enquire_get_mset(e, 0, 3, 0, &ms), 0);
	struct expect *want = malloc(sizeof *want);
	assert_non_null(want);
	brute_force(want, ndocs, every_third);
	check_slot(ms, SLOT_SMALL, want->small, want->nsmall, want->ndocs);
	check_slot(ms, SLOT_WIDE, want->wide, want->nwide, want->ndocs);
	free(want);
	lx_mset_free(ms);
}

static lx_enquire *facet_enquire(lx_db *db)
{
	lx_enquire *e = NULL;
	assert_int_equal(lx_enquire_new(&e, db), 0);
	assert_int_equal(lx_enquire_set_facet_key(e, SLOT_KEY), 0);
	assert_int_equal(lx_enquire_add_facet(e, SLOT_SMALL), 0);
	assert_int_equal(lx_enquire_add_facet(e, SLOT_WIDE), 0);
	return e;
}

/* ---- fixtures ------------------------------------------------------ */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = run_mkdtemp("lx-facet");
	snprintf(f->db, sizeof f->db, "%s/db", f->dir);
	snprintf(f->db2, sizeof f->db2, "%s/db2", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	run_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* ---- cases --------------------------------------------------------- */

/* Many runs on one handle: the first ones read per document, later ones
 * use the slot caches; every run must match the brute force. */
static void test_distinct_facets_repeated(void **state)
{
	struct fx *f = *state;
	add_docs(f->db, 1, 3001);
	lx_db *db = NULL;
	assert_int_equal(lx_db_open(&db, f->db), 0);
	lx_enquire *e = facet_enquire(db);
	for (int run = 0; run < 12; run++)
		check_run(e, 3000, run % 2);
	lx_enquire_free(e);
	/* a fresh enquire on the same handle shares its caches */
	e = facet_enquire(db);
	check_run(e, 3000, 1);
	check_run(e, 3000, 0);
	lx_enquire_free(e);
	lx_db_close(db);
}

/* A key slot that is also a facet, and a facet slot nobody set. */
static void test_distinct_facets_key_as_facet(void **state)
{
	struct fx *f = *state;
	add_docs(f->db, 1, 1201);
	lx_db *db = NULL;
	assert_int_equal(lx_db_open(&db, f->db), 0);
	lx_enquire *e = facet_enquire(db);
	assert_int_equal(lx_enquire_add_facet(e, SLOT_KEY), 0);
	assert_int_equal(lx_enquire_add_facet(e, 9), 0);
	lx_query *q = lx_query_term("all", 3, 1, 0);
	assert_int_equal(lx_enquire_set_query(e, q), 0);
	lx_query_free(q);
	for (int run = 0; run < 8; run++) {
		lx_mset *ms = NULL;
		assert_int_equal(lx_enquire_get_mset(e, 0, 1, 0, &ms), 0);
		size_t nvalues = 0;
		uint64_t ndocs = 0;
		/* every key once (the empty one is a key but not a value) */
		assert_int_equal(lx_mset_facet_size(ms, SLOT_KEY, &nvalues, &ndocs), 0);
		assert_int_equal(ndocs, NKEYS);
		assert_int_equal(nvalues, NKEYS - 1);
		const char *v;
		size_t len;
		uint64_t count;
		assert_int_equal(lx_mset_facet_get(ms, SLOT_KEY, 0, &v, &len, &count), 0);
		assert_int_equal(len, 2);
		assert_memory_equal(v, "g1", 2);
		assert_int_equal(count, 1);
		assert_int_equal(lx_mset_facet_size(ms, 9, &nvalues, &ndocs), 0);
		assert_int_equal(nvalues, 0);
		assert_int_equal(ndocs, NKEYS);
		lx_mset_free(ms);
	}
	lx_enquire_free(e);
	lx_db_close(db);
}

/* New documents after a reopen are counted: caches of the old revision
 * are dropped, not used with the new docids. */
static void test_distinct_facets_after_reopen(void **state)
{
	struct fx *f = *state;
	add_docs(f->db, 1, 1501);
	lx_db *db = NULL;
	assert_int_equal(lx_db_open(&db, f->db), 0);
	lx_enquire *e = facet_enquire(db);
	for (int run = 0; run < 6; run++)
		check_run(e, 1500, 0);
	add_docs(f->db, 1501, 3001);
	assert_int_equal(lx_db_reopen(db), 1);
	for (int run = 0; run < 6; run++)
		check_run(e, 3000, run % 2);
	lx_enquire_free(e);
	e = facet_enquire(db);
	for (int run = 0; run < 6; run++)
		check_run(e, 3000, run % 2);
	lx_enquire_free(e);
	lx_db_close(db);
}

/* Two shards interleave docids; an enquire made before the second shard
 * was added keeps its one-shard view and must not use the new caches. */
static void test_distinct_facets_two_shards(void **state)
{
	struct fx *f = *state;
	add_docs(f->db, 1, 1501);
	add_docs(f->db2, 1501, 3001);
	lx_db *db = NULL;
	assert_int_equal(lx_db_open(&db, f->db), 0);
	lx_enquire *old = facet_enquire(db);
	for (int run = 0; run < 6; run++)
		check_run(old, 1500, 0);
	assert_int_equal(lx_db_add(db, f->db2), 0);
	lx_enquire *e = facet_enquire(db);
	for (int run = 0; run < 8; run++) {
		check_run(e, 3000, run % 2);
		check_run(old, 1500, run % 2);
	}
	lx_enquire_free(old);
	lx_enquire_free(e);
	lx_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_distinct_facets_repeated,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_distinct_facets_key_as_facet,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_distinct_facets_after_reopen,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_distinct_facets_two_shards,
		                                setup, teardown),
	};
	return cmocka_run_group_tests_name("shim_facets", tests, NULL, NULL);
}
