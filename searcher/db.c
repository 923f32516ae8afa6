/* Opening a lede database for searching: the handle, its error message,
 * and the refusal of an index written in another format. */
#include "search_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/xalloc.h"
#include "../indexer/index_schema.h"

const char *lede_version(void) { return LEDE_VERSION_STRING; }

const char *lede_status_string(int status)
{
	switch (status) {
	case LEDE_OK: return "ok";
	case LEDE_EQUERY: return "query syntax error";
	case LEDE_EUSAGE: return "usage error";
	case LEDE_EDB: return "database error";
	case LEDE_ELOCKED: return "database locked";
	case LEDE_EFORMAT: return "incompatible index format";
	case LEDE_ENOTFOUND: return "not found";
	case LEDE_EIO: return "input/output error";
	case LEDE_ENOMEM: return "out of memory";
	default: return "unknown error";
	}
}

/* Whether db's message names one of its remote shards' host:port. */
static int names_a_remote(const lede_db *db)
{
	const char *r = sb_cstr(&db->remotes);
	while (*r) {
		size_t n = strcspn(r, ",");
		char one[300];
		snprintf(one, sizeof one, "%.*s", (int)(n < 299 ? n : 299), r);
		if (strstr(sb_cstr(&db->err), one))
			return 1;
		r += n;
		r += strspn(r, ", ");
	}
	return 0;
}

int lede_fail(lede_db *db, int status, const char *fmt, ...)
{
	va_list ap;
	sb_reset(&db->err);
	va_start(ap, fmt);
	sb_vaddf(&db->err, fmt, ap);
	va_end(ap);
	/* Xapian names the shard in some network errors, not all (a
	 * connection reset mid-reply): a network failure always says which
	 * remote shards there are */
	if (status == LEDE_EDB && lx_last_errcode() == LX_ENETWORK &&
	    db->remotes.len && !names_a_remote(db))
		sb_addf(&db->err, " (remote shards: %s)", db->remotes.buf);
	return status;
}

int lede_status_from_lx(int lxcode)
{
	switch (lxcode) {
	case LX_OK: return LEDE_OK;
	case LX_ELOCKED: return LEDE_ELOCKED;
	case LX_ENOTFOUND: return LEDE_ENOTFOUND;
	case LX_ENOMEM: return LEDE_ENOMEM;
	case LX_EINVAL: return LEDE_EUSAGE;
	default: return LEDE_EDB;
	}
}

const char *lede_errmsg(const lede_db *db) { return db ? sb_cstr(&db->err) : ""; }

static char *metadata(lx_db *db, const char *key)
{
	char *v = NULL;
	size_t n = 0;
	if (lx_db_get_metadata(db, key, &v, &n) != 0) {
		free(v);
		return NULL;
	}
	return v;
}

/* The languages of the index, "en,es": its metadata, which for several
 * shards is the first shard's only, so there the union of the shards'
 * language terms (PFX_LANG, on every document). Owned by the caller;
 * NULL when unknown. */
static char *index_langs(lede_db *db)
{
	size_t shards = 1;
	lx_db_shards(db->db, &shards);
	if (shards <= 1)
		return metadata(db->db, META_LANGS);
	lx_termiter *it;
	if (lx_db_allterms(db->db, PFX_LANG, &it) != 0)
		return NULL;
	strbuf out = STRBUF_INIT;
	const char *t;
	size_t len, pl = strlen(PFX_LANG);
	while (lx_termiter_next(it, &t, &len, NULL) == 1) {
		/* "Len": a language code in lower case after the prefix */
		if (len <= pl || t[pl] < 'a' || t[pl] > 'z')
			continue;
		if (out.len)
			sb_addch(&out, ',');
		sb_add(&out, t + pl, len - pl);
	}
	lx_termiter_free(it);
	return sb_detach(&out, NULL);
}

/* The index must be one this lede reads. */
static int check_format(lede_db *db, const char *path)
{
	char *fmt = metadata(db->db, META_FORMAT);
	char *ana = metadata(db->db, META_ANALYZER);
	int rc = LEDE_OK;
	char want_ana[16];
	snprintf(want_ana, sizeof want_ana, "%d", ANALYZER_VERSION);
	if (!fmt || !*fmt)
		rc = lede_fail(db, LEDE_EFORMAT, "%s: not a lede index (no format "
		               "metadata); build one with: lede index -d %s PATH...",
		               path, path);
	else if (strcmp(fmt, LEDE_INDEX_FORMAT) != 0 || !ana ||
	         strcmp(ana, want_ana) != 0)
		rc = lede_fail(db, LEDE_EFORMAT, "%s: index format %s (analyzer %s) "
		               "but this lede reads format %s (analyzer %s); rebuild "
		               "it: rm -r %s && lede index -d %s PATH...", path, fmt,
		               ana ? ana : "?", LEDE_INDEX_FORMAT, want_ana, path,
		               path);
	free(fmt);
	free(ana);
	return rc;
}

/* An environment variable of seconds (may have a fraction) as
 * milliseconds; 0 when unset or not a number of seconds up to an hour. */
static unsigned env_ms(const char *name)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return 0;
	char *end;
	double v = strtod(s, &end);
	if (*end || !(v > 0) || v > 3600)
		return 0;
	return v * 1000 < 1 ? 1 : (unsigned)(v * 1000);
}

/* Whether line is a stub line this reader takes: "auto|glass PATH" or
 * "remote HOST:PORT" (a comment or a blank line: *skip). Xapian's other
 * kinds (a remote program, other backends) leave the stub to Xapian. */
static int stub_line(const char *line, char kind[16], char arg[4000],
                     int *skip)
{
	*skip = line[0] == '#' || strspn(line, " \t\r\n") == strlen(line);
	if (*skip)
		return 1;
	return sscanf(line, "%15s %3999s", kind, arg) == 2 &&
	       (strcmp(kind, "remote") == 0 || strcmp(kind, "auto") == 0 ||
	        strcmp(kind, "glass") == 0) &&
	       (strcmp(kind, "remote") != 0 || strchr(arg, ':'));
}

/* Whether path is a regular file whose every line stub_line takes. */
static int is_stub(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[4096], kind[16], arg[4000];
	int ok = 1, skip;
	size_t n = 0;
	while (ok && fgets(line, sizeof line, f)) {
		ok = stub_line(line, kind, arg, &skip);
		n += ok && !skip;
	}
	fclose(f);
	return ok && n > 0;
}

typedef struct remote_times {
	unsigned exchange, connect;   /* ms; 0: Xapian's 10 s */
} remote_times;

#define STUB_MAX_DEPTH 8

/* Add the shards of the stub file path to db->db, one by one, so that
 * each remote one gets the timeouts (Xapian's own stub reader has 10 s
 * and no way to change it) and the name of each failing one is in the
 * message. A stub line naming another stub is followed (up to
 * STUB_MAX_DEPTH deep). Relative paths are relative to the stub's own
 * folder. 0, or a status with db's message set naming the shard. */
static int add_stub(lede_db *db, const char *path, const remote_times *t,
                    int depth, unsigned *shard)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return lede_fail(db, LEDE_EDB, "%s: cannot open", path);
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	char line[4096], kind[16], arg[4000];
	int rc = 0, skip;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		if (!stub_line(line, kind, arg, &skip) || skip)
			continue;
		++*shard;
		if (strcmp(kind, "remote") == 0) {
			char *colon = strrchr(arg, ':');
			*colon = '\0';
			const char *host = *arg ? arg : "127.0.0.1";
			sb_addf(&db->remotes, "%s%s:%s", db->remotes.len ? ", " : "",
			        host, colon + 1);
			db->nremotes++;
			int lrc = lx_db_add_remote(db->db, host,
			                           (unsigned)atoi(colon + 1),
			                           t->exchange, t->connect);
			if (lrc)
				rc = lede_fail(db, lede_status_from_lx(lrc), "%s: shard %u "
				               "(remote %s:%s): %s", path, *shard, host,
				               colon + 1, lx_db_errmsg(db->db));
			continue;
		}
		strbuf p = STRBUF_INIT;
		if (arg[0] != '/')
			sb_addstr(&p, dir);
		sb_addstr(&p, arg);
		if (is_stub(sb_cstr(&p))) {
			--*shard;
			rc = depth >= STUB_MAX_DEPTH
			     ? lede_fail(db, LEDE_EDB, "%s: stubs nested more than %d "
			                 "deep", path, STUB_MAX_DEPTH)
			     : add_stub(db, sb_cstr(&p), t, depth + 1, shard);
		} else {
			int lrc = lx_db_add(db->db, sb_cstr(&p));
			sb_addstr(&db->local_shards, sb_cstr(&p));
			sb_addch(&db->local_shards, '\n');
			if (lrc)
				rc = lede_fail(db, lede_status_from_lx(lrc), "%s: shard %u "
				               "(%s): %s", path, *shard, sb_cstr(&p),
				               lx_db_errmsg(db->db));
		}
		sb_release(&p);
	}
	free(dir);
	fclose(f);
	return rc;
}

/* path as a stub file read by add_stub: 1 when it is one (opened, or
 * failed: *rc set, message on db), 0 when it is not (a directory, a stub
 * with a line kind of Xapian's only): Xapian opens it then. */
static int open_stub(lede_db *db, const char *path,
                     const lede_open_opts *o, int *rc)
{
	if (!is_stub(path))
		return 0;
	remote_times t = { o && o->remote_timeout_ms ? o->remote_timeout_ms
	                                             : env_ms("LEDE_REMOTE_TIMEOUT"),
	                   o && o->connect_timeout_ms ? o->connect_timeout_ms
	                                              : env_ms("LEDE_CONNECT_TIMEOUT") };
	int lrc = lx_db_open(&db->db, NULL);
	if (lrc) {
		*rc = lede_fail(db, lede_status_from_lx(lrc), "%s: %s", path,
		                lx_last_errmsg());
		return 1;
	}
	unsigned shard = 0;
	*rc = add_stub(db, path, &t, 0, &shard);
	return 1;
}

int lede_open(lede_db **out, const char *path)
{
	return lede_open_with(out, path, NULL);
}

int lede_open_with(lede_db **out, const char *path, const lede_open_opts *o)
{
	lede_db *db = calloc(1, sizeof *db);
	*out = db;
	if (!db)
		return LEDE_ENOMEM;
	if (!path || !*path)
		return lede_fail(db, LEDE_EUSAGE, "no database path given");
	if (o && o->version != LEDE_OPEN_OPTS_VERSION)
		return lede_fail(db, LEDE_EUSAGE, "lede_open_opts version %u, this "
		                 "library knows %d", o->version,
		                 LEDE_OPEN_OPTS_VERSION);
	db->path = xstrdup(path);
	int rc = 0;
	if (open_stub(db, path, o, &rc)) {
		if (rc != 0) {
			lx_db_close(db->db);
			db->db = NULL;
			return rc;
		}
	} else if ((rc = lx_db_open(&db->db, path)) != 0) {
		return lede_fail(db, lede_status_from_lx(rc), "%s: %s", path,
		                 lx_last_errmsg());
	}
	read_retry rr = read_retry_start();
	do {
		free(db->langs);
		rc = check_format(db, path);
		db->langs = index_langs(db);
	} while (read_retry_again(&rr, db, &rc));
	if (rc != 0)
		return rc;
	if (!db->langs || !*db->langs) {
		free(db->langs);
		db->langs = xstrdup("en");
	}
	db->an = analyzer_new();
	return LEDE_OK;
}

int lede_reopen(lede_db *db)
{
	if (!db || !db->db)
		return LEDE_EUSAGE;
	int rc = lx_db_reopen(db->db);
	if (rc < 0)
		return lede_fail(db, lede_status_from_lx(rc), "reopen: %s",
		                 lx_db_errmsg(db->db));
	char *langs = index_langs(db);
	if (langs && *langs) {
		free(db->langs);
		db->langs = langs;
	} else {
		free(langs);
	}
	return LEDE_OK;
}

read_retry read_retry_start(void)
{
	read_retry rr = { lx_modified_count(), 0 };
	return rr;
}

int read_retry_again(read_retry *rr, lede_db *db, int *rc)
{
	if (lx_modified_count() == rr->seen)
		return 0;
	if (++rr->tries >= READ_RETRY_MAX) {
		*rc = lede_fail(db, LEDE_EDB, "%s: a writer kept replacing the "
		                "revision being read (%u tries); try again",
		                db->path, rr->tries);
		return 0;
	}
	int st = lede_reopen(db);
	rr->seen = lx_modified_count();
	if (st != LEDE_OK) {
		*rc = st;
		return 0;
	}
	return 1;
}

const gazetteer *lede_db_gazetteer(lede_db *db)
{
	if (db->gaz)
		return db->gaz;
	char *err = NULL;
	db->gaz = gazetteer_load_builtin(db->an, &err);
	if (!db->gaz)
		lede_fail(db, LEDE_EDB, "gazetteer: %s", err ? err : "cannot load");
	free(err);
	return db->gaz;
}

void lede_close(lede_db *db)
{
	if (!db)
		return;
	gazetteer_free(db->gaz);
	analyzer_free(db->an);
	lx_db_close(db->db);
	free(db->langs);
	free(db->path);
	sb_release(&db->err);
	sb_release(&db->remotes);
	sb_release(&db->local_shards);
	free(db);
}
