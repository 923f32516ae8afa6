/* Index generations and saved searches (watches): the state of each watch
 * in the database's metadata, written through a short-lived writable
 * handle. Not the search itself (search.c filters by generation), nor what
 * a watch's spec means (the command line's business). */
#include "search_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../common/xalloc.h"
#include "../indexer/index_schema.h"

#define WATCH_RECORD "lede.watch/1"

/* Seconds a watch write waits for the write lock: LEDE_LOCK_WAIT, else
 * 30. */
static double lock_wait(void)
{
	const char *s = getenv("LEDE_LOCK_WAIT");
	char *end;
	double v = s && *s ? strtod(s, &end) : -1;
	return s && *s && !*end && v >= 0 && v <= 86400 ? v : 30;
}

int lede_generation(lede_db *db, uint64_t *out)
{
	*out = 0;
	if (!db || !db->db)
		return LEDE_EUSAGE;
	int rc = lede_reopen(db);
	if (rc != LEDE_OK)
		return rc;
	char *v = NULL;
	size_t n = 0;
	if (lx_db_get_metadata(db->db, META_GENERATION, &v, &n) != 0) {
		free(v);
		return lede_fail(db, LEDE_EDB, "%s: %s", db->path,
		                 lx_db_errmsg(db->db));
	}
	rc = n ? LEDE_OK
	       : lede_fail(db, LEDE_ENOTFOUND, "%s: this index keeps no "
	                   "generations (it was written by a lede before "
	                   "watches); the next `lede index -d %s` into it "
	                   "starts them (what is in it now counts as seen)",
	                   db->path, db->path);
	if (n)
		*out = strtoull(v, NULL, 10);
	free(v);
	return rc;
}

static int name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > LEDE_WATCH_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
			return 0;
	return 1;
}

static int bad_name(lede_db *db, const char *name)
{
	return lede_fail(db, LEDE_EUSAGE, "'%.80s' is not a watch name (1 to %d "
	                 "letters, digits, '.', '_' or '-')", name ? name : "",
	                 LEDE_WATCH_NAME_MAX);
}

void lede_watch_free(lede_watch *w)
{
	if (!w)
		return;
	free(w->name);
	free(w->spec);
	free(w);
}

void lede_watch_list_free(lede_watch **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		lede_watch_free(v[i]);
	free(v);
}

/* The record: a version line, "seen N", "pending N", an empty line, then
 * the spec as it is. */
static void encode(const lede_watch *w, strbuf *out)
{
	sb_addf(out, "%s\nseen %llu\npending %llu\n\n%s", WATCH_RECORD,
	        (unsigned long long)w->seen, (unsigned long long)w->pending,
	        w->spec ? w->spec : "");
}

static lede_watch *decode(const char *name, const char *v, size_t n)
{
	unsigned long long seen, pending;
	int used = 0;
	if (n < sizeof WATCH_RECORD || memcmp(v, WATCH_RECORD "\n",
	                                      sizeof WATCH_RECORD) != 0 ||
	    sscanf(v + sizeof WATCH_RECORD, "seen %llu\npending %llu\n\n%n",
	           &seen, &pending, &used) != 2 || !used)
		return NULL;
	lede_watch *w = xcalloc(1, sizeof *w);
	w->name = xstrdup(name);
	w->spec = xstrndup(v + sizeof WATCH_RECORD + used,
	                   n - sizeof WATCH_RECORD - (size_t)used);
	w->seen = seen;
	w->pending = pending;
	return w;
}

static void watch_key(strbuf *k, const char *name)
{
	sb_addstr(k, META_WATCH);
	sb_addstr(k, name);
}

int lede_watch_get(lede_watch **out, lede_db *db, const char *name)
{
	*out = NULL;
	if (!db || !db->db)
		return LEDE_EUSAGE;
	if (!name_ok(name))
		return bad_name(db, name);
	int rc = lede_reopen(db);
	if (rc != LEDE_OK)
		return rc;
	strbuf k = STRBUF_INIT;
	watch_key(&k, name);
	char *v = NULL;
	size_t n = 0;
	if (lx_db_get_metadata(db->db, k.buf, &v, &n) != 0)
		rc = lede_fail(db, LEDE_EDB, "%s: %s", db->path,
		               lx_db_errmsg(db->db));
	else if (!n)
		rc = lede_fail(db, LEDE_ENOTFOUND, "%s: no watch named %s (lede "
		               "watch list shows them)", db->path, name);
	else if (!(*out = decode(name, v, n)))
		rc = lede_fail(db, LEDE_EDB, "%s: the record of watch %s is "
		               "damaged; remove it (lede watch rm %s) and add it "
		               "again", db->path, name, name);
	free(v);
	sb_release(&k);
	return rc;
}

typedef struct key_list {
	char **v;
	size_t n, cap;
} key_list;

static int add_key(void *ctx, const char *key, size_t len, uint64_t count)
{
	(void)count;
	key_list *l = ctx;
	XGROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = xstrndup(key, len);
	return 0;
}

int lede_watch_list(lede_watch ***out, size_t *n, lede_db *db)
{
	*out = NULL;
	*n = 0;
	if (!db || !db->db)
		return LEDE_EUSAGE;
	int rc = lede_reopen(db);
	if (rc != LEDE_OK)
		return rc;
	key_list keys = { 0 };
	if (lx_db_metadata_keys(db->db, META_WATCH, add_key, &keys) != 0)
		rc = lede_fail(db, LEDE_EDB, "%s: %s", db->path,
		               lx_db_errmsg(db->db));
	lede_watch **v = xcalloc(keys.n ? keys.n : 1, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < keys.n; i++) {
		if (rc == LEDE_OK) {
			int g = lede_watch_get(&v[k], db,
			                       keys.v[i] + strlen(META_WATCH));
			if (g == LEDE_OK)
				k++;
			else if (g != LEDE_ENOTFOUND)   /* removed meanwhile */
				rc = g;
		}
		free(keys.v[i]);
	}
	free(keys.v);
	if (rc != LEDE_OK) {
		lede_watch_list_free(v, k);
		return rc;
	}
	*out = v;
	*n = k;
	return LEDE_OK;
}

/* Open db's directory for writing, waiting up to lock_wait() seconds for
 * another writer (an indexer) to let go. */
static int open_writer(lede_db *db, lx_wdb **w)
{
	struct stat st;
	*w = NULL;
	if (stat(db->path, &st) == 0 && !S_ISDIR(st.st_mode))
		return lede_fail(db, LEDE_EUSAGE, "%s: a stub of several shards "
		                 "keeps no watches; add them to a database "
		                 "directory", db->path);
	double wait = lock_wait(), waited = 0;
	for (;;) {
		/* synced: a watch's state must outlast a power cut as the
		 * output it stands for does */
		int rc = lx_wdb_open(w, db->path, 0);
		if (rc == 0)
			return LEDE_OK;
		if (rc != LX_ELOCKED)
			return lede_fail(db, lede_status_from_lx(rc), "%s: %s",
			                 db->path, lx_last_errmsg());
		if (waited >= wait)
			return lede_fail(db, LEDE_ELOCKED, "%s: database is locked by "
			                 "another writer (Xapian write lock "
			                 "%s/flintlock) for over %.0f s "
			                 "(LEDE_LOCK_WAIT); the watch is as it was",
			                 db->path, db->path, wait);
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		waited += 0.1;
	}
}

/* Set (value non-NULL) or delete the metadata key of watch name, and
 * commit. must_exist: 1 the key must be there, -1 it must not, 0 either.
 * The check and the write are under the write lock, so two writers of one
 * watch cannot both pass it. */
static int write_watch(lede_db *db, const char *name, const strbuf *value,
                       int must_exist)
{
	lx_wdb *w;
	int rc = open_writer(db, &w);
	if (rc != LEDE_OK)
		return rc;
	strbuf k = STRBUF_INIT;
	watch_key(&k, name);
	char *old = NULL;
	size_t ol = 0;
	int lrc = lx_wdb_get_metadata(w, k.buf, &old, &ol);
	free(old);
	if (lrc != 0)
		rc = lede_fail(db, LEDE_EDB, "%s: %s", db->path, lx_wdb_errmsg(w));
	else if (must_exist > 0 && !ol)
		rc = lede_fail(db, LEDE_ENOTFOUND, "%s: no watch named %s (lede "
		               "watch list shows them)", db->path, name);
	else if (must_exist < 0 && ol)
		rc = lede_fail(db, LEDE_EUSAGE, "%s: there is a watch named %s "
		               "already (lede watch rm %s first)", db->path, name,
		               name);
	else if (lx_wdb_set_metadata(w, k.buf, value ? value->buf : "",
	                             value ? value->len : 0) != 0 ||
	         lx_wdb_commit(w) != 0)
		rc = lede_fail(db, LEDE_EDB, "%s: writing watch %s: %s", db->path,
		               name, lx_wdb_errmsg(w));
	sb_release(&k);
	int cr = lx_wdb_close(w);
	if (rc == LEDE_OK && cr != 0)
		rc = lede_fail(db, LEDE_EDB, "%s: writing watch %s: %s", db->path,
		               name, lx_last_errmsg());
	return rc;
}

static int save(lede_db *db, const lede_watch *w, int must_exist)
{
	strbuf v = STRBUF_INIT;
	encode(w, &v);
	int rc = write_watch(db, w->name, &v, must_exist);
	sb_release(&v);
	return rc;
}

int lede_watch_add(lede_watch **out, lede_db *db, const char *name,
                   const char *spec)
{
	if (out)
		*out = NULL;
	if (!db || !db->db)
		return LEDE_EUSAGE;
	if (!name_ok(name))
		return bad_name(db, name);
	uint64_t gen;
	int rc = lede_generation(db, &gen);
	if (rc != LEDE_OK)
		return rc;
	lede_watch *w = xcalloc(1, sizeof *w);
	w->name = xstrdup(name);
	w->spec = xstrdup(spec ? spec : "");
	w->seen = gen;
	rc = save(db, w, -1);
	if (rc != LEDE_OK || !out)
		lede_watch_free(w);
	else
		*out = w;
	return rc;
}

int lede_watch_remove(lede_db *db, const char *name)
{
	if (!db || !db->db)
		return LEDE_EUSAGE;
	if (!name_ok(name))
		return bad_name(db, name);
	return write_watch(db, name, NULL, 1);
}

int lede_watch_begin(lede_db *db, lede_watch *w, uint64_t upto)
{
	if (!db || !db->db || !w)
		return LEDE_EUSAGE;
	uint64_t was = w->pending;
	if (upto > w->pending)
		w->pending = upto;
	int rc = save(db, w, 1);
	if (rc != LEDE_OK)
		w->pending = was;
	return rc;
}

int lede_watch_done(lede_db *db, lede_watch *w)
{
	if (!db || !db->db || !w)
		return LEDE_EUSAGE;
	if (!w->pending)
		return LEDE_OK;   /* nothing begun */
	lede_watch next = *w;
	next.seen = w->pending;
	next.pending = 0;
	int rc = save(db, &next, 1);
	if (rc == LEDE_OK) {
		w->seen = next.seen;
		w->pending = 0;
	}
	return rc;
}
