/* Peer for `make eval`: SQLite FTS5 with the porter tokenizer and its
 * built-in bm25(), each query an OR of its words. Not part of lede; it
 * shares no code with lede's indexer or searcher.
 *
 *   fts5_ref index DB.sqlite CORPUS.jsonl     (records: _id or id, title, text)
 *   fts5_ref search DB.sqlite QUERIES.jsonl [K]   -> TREC run on stdout
 *   fts5_ref latency DB.sqlite QUERIES.jsonl [K]  -> "qid<TAB>seconds<TAB>hits"
 *     (for `make bench`: all queries once to warm up, then each timed alone,
 *     top K ids read; one process, one thread) */
#include <jansson.h>
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"

/* A string member of obj, "" when absent; integer ids are printed into
 * tmp. The returned pointer is borrowed from obj (or tmp): valid while
 * both live and tmp is not reused. */
static const char *json_field(json_t *obj, const char *key, strbuf *tmp)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		sb_reset(tmp);
		sb_addf(tmp, "%lld", (long long)json_integer_value(v));
		return sb_cstr(tmp);
	}
	return "";
}

static const char *record_id(json_t *obj, strbuf *tmp)
{
	const char *id = json_field(obj, "_id", tmp);
	return *id ? id : json_field(obj, "id", tmp);
}

typedef int (*record_fn)(void *ctx, json_t *obj, const char *path, long lineno);

/* Call fn for each JSON object line of path; other lines are reported and
 * skipped. Returns 0, or -1 when the file cannot be read or fn fails. */
static int each_json_line(const char *path, record_fn fn, void *ctx)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "fts5_ref: cannot open %s\n", path);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int rc = 0;
	while (rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		json_error_t jerr;
		json_t *obj = json_loadb(line, (size_t)n, 0, &jerr);
		if (!obj || !json_is_object(obj)) {
			if (n > 1)
				fprintf(stderr, "fts5_ref: %s:%ld: not a json object\n",
					path, lineno);
		} else {
			rc = fn(ctx, obj, path, lineno);
		}
		json_decref(obj);
	}
	free(line);
	fclose(fp);
	return rc;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fts5_ref: %s\n", msg ? msg : "sql error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int index_record(void *ctx, json_t *obj, const char *path, long lineno)
{
	sqlite3_stmt *ins = ctx;
	strbuf tmp = STRBUF_INIT;
	const char *id = record_id(obj, &tmp);
	int rc = 0;
	if (!*id) {
		fprintf(stderr, "fts5_ref: %s:%ld: record without id\n", path, lineno);
	} else {
		sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, json_field(obj, "title", &tmp), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, json_field(obj, "text", &tmp), -1, SQLITE_TRANSIENT);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "fts5_ref: insert: %s\n",
				sqlite3_errmsg(sqlite3_db_handle(ins)));
			rc = -1;
		}
		sqlite3_reset(ins);
	}
	sb_release(&tmp);
	return rc;
}

static int do_index(const char *dbpath, const char *corpus)
{
	unlink(dbpath);
	sqlite3 *db;
	if (sqlite3_open(dbpath, &db) != SQLITE_OK) {
		fprintf(stderr, "fts5_ref: %s: %s\n", dbpath, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_stmt *ins = NULL;
	int rc = exec_sql(db, "CREATE VIRTUAL TABLE docs USING fts5("
			  "docid UNINDEXED, title, text, tokenize='porter');"
			  "BEGIN;");
	if (rc == 0 && sqlite3_prepare_v2(db, "INSERT INTO docs(docid, title, text) "
					  "VALUES (?, ?, ?)", -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5_ref: %s\n", sqlite3_errmsg(db));
		rc = -1;
	}
	if (rc == 0)
		rc = each_json_line(corpus, index_record, ins);
	sqlite3_finalize(ins);
	if (rc == 0)
		rc = exec_sql(db, "COMMIT;");
	sqlite3_close(db);
	return rc;
}

/* The query as an FTS5 OR of quoted words: runs of ASCII letters and
 * digits, and any non-ASCII byte (UTF-8 letters), so punctuation can never
 * be read as FTS5 syntax. Empty when the text has no word. */
static void fts5_or_query(strbuf *out, const char *text)
{
	sb_reset(out);
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		while (*p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') ||
			       ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
			p++;
		if (!*p)
			break;
		if (out->len)
			sb_addstr(out, " OR ");
		sb_addch(out, '"');
		while (*p >= 0x80 || (*p >= '0' && *p <= '9') ||
		       ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
			sb_addch(out, *p++);
		sb_addch(out, '"');
	}
}

typedef struct search_ctx {
	sqlite3_stmt *sel;
	int k;
	strbuf match;
} search_ctx;

static int search_query(void *vctx, json_t *obj, const char *path, long lineno)
{
	search_ctx *ctx = vctx;
	strbuf tmp = STRBUF_INIT;
	const char *qid = record_id(obj, &tmp);
	char *qid_copy = xstrdup(qid); /* tmp is reused for the text below */
	fts5_or_query(&ctx->match, json_field(obj, "text", &tmp));
	int rc = 0;
	if (!*qid_copy) {
		fprintf(stderr, "fts5_ref: %s:%ld: query without id\n", path, lineno);
	} else if (ctx->match.len) {
		sqlite3_bind_text(ctx->sel, 1, sb_cstr(&ctx->match), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(ctx->sel, 2, ctx->k);
		int rank = 0, step;
		while ((step = sqlite3_step(ctx->sel)) == SQLITE_ROW)
			/* bm25() is smaller for better matches: negate it so
			 * that higher is better, as TREC runs expect. */
			printf("%s Q0 %s %d %.6f fts5\n", qid_copy,
			       (const char *)sqlite3_column_text(ctx->sel, 0), ++rank,
			       -sqlite3_column_double(ctx->sel, 1));
		if (step != SQLITE_DONE) {
			fprintf(stderr, "fts5_ref: query %s: %s\n", qid_copy,
				sqlite3_errmsg(sqlite3_db_handle(ctx->sel)));
			rc = -1;
		}
		sqlite3_reset(ctx->sel);
	}
	free(qid_copy);
	sb_release(&tmp);
	return rc;
}

static int do_search(const char *dbpath, const char *queries, int k)
{
	sqlite3 *db;
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5_ref: %s: %s\n", dbpath, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	search_ctx ctx = { NULL, k, STRBUF_INIT };
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT docid, bm25(docs) FROM docs WHERE docs MATCH ? "
			       "ORDER BY bm25(docs) LIMIT ?", -1, &ctx.sel, NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5_ref: %s\n", sqlite3_errmsg(db));
		rc = -1;
	}
	if (rc == 0)
		rc = each_json_line(queries, search_query, &ctx);
	sqlite3_finalize(ctx.sel);
	sb_release(&ctx.match);
	sqlite3_close(db);
	return rc;
}

typedef struct query_list {
	char **qid, **match; /* owned; match is the FTS5 expression */
	size_t n, cap_qid, cap_match;
} query_list;

static int collect_query(void *vctx, json_t *obj, const char *path, long lineno)
{
	(void)path;
	(void)lineno;
	query_list *ql = vctx;
	strbuf tmp = STRBUF_INIT, match = STRBUF_INIT;
	XGROW(ql->qid, ql->cap_qid, ql->n + 1);
	XGROW(ql->match, ql->cap_match, ql->n + 1);
	ql->qid[ql->n] = xstrdup(record_id(obj, &tmp));
	fts5_or_query(&match, json_field(obj, "text", &tmp));
	ql->match[ql->n++] = xstrdup(sb_cstr(&match));
	sb_release(&tmp);
	sb_release(&match);
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run one prepared query; the number of rows, or -1 on error. */
static int run_match(sqlite3_stmt *sel, const char *match, int k)
{
	if (!*match)
		return 0;
	sqlite3_bind_text(sel, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int(sel, 2, k);
	int rows = 0, step;
	size_t bytes = 0;
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		bytes += (size_t)sqlite3_column_bytes(sel, 0);
		rows++;
	}
	sqlite3_reset(sel);
	return step == SQLITE_DONE ? (bytes ? rows : 0) : -1;
}

static int do_latency(const char *dbpath, const char *queries, int k)
{
	query_list ql = { 0 };
	if (each_json_line(queries, collect_query, &ql))
		return -1;
	sqlite3 *db;
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5_ref: %s: %s\n", dbpath, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_stmt *sel = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT docid, bm25(docs) FROM docs WHERE docs MATCH ? "
			       "ORDER BY bm25(docs) LIMIT ?", -1, &sel, NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5_ref: %s\n", sqlite3_errmsg(db));
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < ql.n; i++)
		run_match(sel, ql.match[i], k);
	for (size_t i = 0; rc == 0 && i < ql.n; i++) {
		double t0 = now_seconds();
		int hits = run_match(sel, ql.match[i], k);
		double secs = now_seconds() - t0;
		if (hits < 0) {
			fprintf(stderr, "fts5_ref: query %s: %s\n", ql.qid[i], sqlite3_errmsg(db));
			rc = -1;
		} else {
			printf("%s\t%.9f\t%d\n", ql.qid[i], secs, hits);
		}
	}
	sqlite3_finalize(sel);
	sqlite3_close(db);
	for (size_t i = 0; i < ql.n; i++) {
		free(ql.qid[i]);
		free(ql.match[i]);
	}
	free(ql.qid);
	free(ql.match);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 4 || (strcmp(argv[1], "index") && strcmp(argv[1], "search") &&
			 strcmp(argv[1], "latency"))) {
		fprintf(stderr, "usage: fts5_ref index DB.sqlite CORPUS.jsonl\n"
			"       fts5_ref search DB.sqlite QUERIES.jsonl [K]\n"
			"       fts5_ref latency DB.sqlite QUERIES.jsonl [K]\n");
		return 2;
	}
	if (!strcmp(argv[1], "index"))
		return do_index(argv[2], argv[3]) ? 1 : 0;
	int k = argc > 4 ? atoi(argv[4]) : 1000;
	if (!strcmp(argv[1], "latency"))
		return do_latency(argv[2], argv[3], k > 0 ? k : 10) ? 1 : 0;
	return do_search(argv[2], argv[3], k > 0 ? k : 1000) ? 1 : 0;
}
