/* lede serve: which page a request gets, the request bounds checked before
 * anything is searched, and the pool of database handles (one per worker
 * thread, as include/lede.h requires). Knows nothing of sockets: the unit
 * tests call serve_handle directly. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"
#include "serve.h"

/* ---- the pool ------------------------------------------------------- */

struct serve_pool {
	char *path;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	lede_db **idle;     /* opened handles not in use */
	size_t nidle;
	unsigned out, max;  /* handles borrowed, and the bound */
};

serve_pool *serve_pool_new(const char *path, unsigned n)
{
	serve_pool *p = xcalloc(1, sizeof *p);
	p->path = xstrdup(path);
	p->max = n ? n : 1;
	p->idle = xcalloc(p->max, sizeof *p->idle);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	return p;
}

void serve_pool_free(serve_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nidle; i++)
		lede_close(p->idle[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	free(p->idle);
	free(p->path);
	free(p);
}

const char *serve_pool_path(const serve_pool *p)
{
	return p->path;
}

int serve_pool_get(serve_pool *p, lede_db **db, strbuf *err)
{
	*db = NULL;
	pthread_mutex_lock(&p->lock);
	while (p->out >= p->max)
		pthread_cond_wait(&p->freed, &p->lock);
	p->out++;
	if (p->nidle)
		*db = p->idle[--p->nidle];
	pthread_mutex_unlock(&p->lock);
	if (*db)
		return LEDE_OK;
	/* opened outside the lock: a slow open must not hold up the others */
	lede_db *h = NULL;
	int rc = lede_open(&h, p->path);
	if (rc == LEDE_OK) {
		*db = h;
		return LEDE_OK;
	}
	sb_addstr(err, h ? lede_errmsg(h) : "out of memory");
	lede_close(h);
	serve_pool_put(p, NULL);
	return rc;
}

void serve_pool_put(serve_pool *p, lede_db *db)
{
	pthread_mutex_lock(&p->lock);
	if (db)
		p->idle[p->nidle++] = db;
	p->out--;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

/* ---- requests ------------------------------------------------------- */

const char *serve_arg_get(const serve_request *req, const char *name)
{
	for (size_t i = 0; i < req->nargs; i++)
		if (strcmp(req->args[i].name, name) == 0)
			return req->args[i].value;
	return NULL;
}

/* A non-negative number of at most max, or -1. */
static long arg_count(const char *s, long max)
{
	if (!s || !*s || strlen(s) > 9)
		return -1;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 || v > max ? -1 : v;
}

int serve_query_read(serve_query *out, const serve_request *req, strbuf *why)
{
	memset(out, 0, sizeof *out);
	const char *q = serve_arg_get(req, "q");
	out->q = q ? q : "";
	out->limit = SERVE_PAGE_HITS;
	const char *v;
	if ((v = serve_arg_get(req, "sort")) && *v) {
		if (strcmp(v, "relevance") == 0)
			out->sort = LEDE_SORT_RELEVANCE;
		else if (strcmp(v, "-date") == 0 || strcmp(v, "newest") == 0)
			out->sort = LEDE_SORT_DATE_DESC;
		else if (strcmp(v, "date") == 0 || strcmp(v, "oldest") == 0)
			out->sort = LEDE_SORT_DATE_ASC;
		else {
			sb_addstr(why, "sort takes relevance, date or -date");
			return -1;
		}
	}
	if ((v = serve_arg_get(req, "since")) && *v)
		out->since = v;
	if ((v = serve_arg_get(req, "until")) && *v)
		out->until = v;
	const char *lim = serve_arg_get(req, "n");
	if (!lim)
		lim = serve_arg_get(req, "limit");
	if (lim && *lim) {
		long n = arg_count(lim, SERVE_MAX_LIMIT);
		if (n < 1) {
			sb_addf(why, "n takes a number from 1 to %d", SERVE_MAX_LIMIT);
			return -1;
		}
		out->limit = (unsigned)n;
	}
	if ((v = serve_arg_get(req, "offset")) && *v) {
		long n = arg_count(v, SERVE_MAX_OFFSET);
		if (n < 0) {
			sb_addf(why, "offset takes a number from 0 to %d",
			        SERVE_MAX_OFFSET);
			return -1;
		}
		out->offset = (unsigned)n;
	}
	if ((v = serve_arg_get(req, "dedup")) && strcmp(v, "off") == 0)
		out->no_dedup = 1;
	return 0;
}

/* Host: localhost, 127.0.0.1 or [::1], with or without a port. */
static int host_is_loopback(const char *host)
{
	static const char *const names[] = { "localhost", "127.0.0.1", "[::1]" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		size_t n = strlen(names[i]);
		if (strncmp(host, names[i], n) != 0)
			continue;
		const char *p = host + n;
		if (*p == '\0')
			return 1;
		if (*p++ != ':' || !*p)
			return 0;
		return strspn(p, "0123456789") == strlen(p);
	}
	return 0;
}

typedef void (*serve_fn)(const serve_ctx *, const serve_request *,
                         serve_response *);

static const struct route {
	const char *path;
	serve_fn fn;
	int api;
} routes[] = {
	{ "/", serve_page_search, 0 },
	{ "/article", serve_page_article, 0 },
	{ "/similar", serve_page_similar, 0 },
	{ "/api/search", serve_api_search, 1 },
	{ "/api/article", serve_api_article, 1 },
	{ "/api/timeline", serve_api_timeline, 1 },
	{ "/api/similar", serve_api_similar, 1 },
};

static void refuse(serve_response *res, int api, unsigned status,
                   const char *title, const char *msg)
{
	if (api)
		serve_api_error(res, status, msg);
	else
		serve_page_error(res, status, title, msg, NULL);
}

void serve_handle(const serve_ctx *ctx, const serve_request *req,
                  serve_response *res)
{
	const char *path = req->path ? req->path : "";
	int api = strncmp(path, "/api/", 5) == 0;
	if (ctx->loopback_only && req->host && !host_is_loopback(req->host)) {
		refuse(res, api, 403, "Not served to this address",
		       "This server answers requests for localhost, 127.0.0.1 "
		       "and [::1] only.");
		return;
	}
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		refuse(res, api, 405, "Method not allowed",
		       "This server is read-only: GET and HEAD only.");
		return;
	}
	if (req->has_body) {
		refuse(res, api, 413, "Request too large",
		       "A request to this server carries no body.");
		return;
	}
	if (req->nargs > SERVE_MAX_ARGS) {
		refuse(res, api, 414, "Request too long",
		       "Too many arguments in the address.");
		return;
	}
	for (size_t i = 0; i < req->nargs; i++)
		if (strlen(req->args[i].value) > SERVE_MAX_ARG ||
		    strlen(req->args[i].name) > 64) {
			refuse(res, api, 414, "Request too long",
			       "An argument is longer than 4096 bytes (a query "
			       "may be at most 4096 bytes).");
			return;
		}
	if (strncmp(path, "/assets/", 8) == 0) {
		size_t len;
		const char *type;
		const unsigned char *a = serve_asset(path + 8, &len, &type);
		if (a) {
			res->status = 200;
			res->type = type;
			res->cacheable = 1;
			res->fixed = a;
			res->fixed_len = len;
			return;
		}
	}
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
		if (strcmp(path, routes[i].path) == 0) {
			routes[i].fn(ctx, req, res);
			return;
		}
	if (strcmp(path, "/favicon.ico") == 0) {
		/* browsers ask for it whatever the page says */
		res->status = 204;
		res->type = "image/x-icon";
		return;
	}
	refuse(res, api, 404, "Not found",
	       "There is no such page here. The pages are / (search), "
	       "/article?id=ID and /similar?id=ID; the API is /api/search, "
	       "/api/article, /api/timeline and /api/similar.");
}

/* ---- reads ---------------------------------------------------------- */

static void read_failed(serve_response *res, const serve_ctx *ctx, int api,
                        int rc, const char *msg, const char *query)
{
	if (api) {
		unsigned status = rc == LEDE_EQUERY || rc == LEDE_EUSAGE ? 400
		                  : rc == LEDE_ENOTFOUND ? 404 : 503;
		serve_api_error(res, status, msg);
	} else if (rc == LEDE_EQUERY) {
		serve_page_bad_query(res, query, msg);
	} else if (rc == LEDE_EUSAGE) {
		/* a date of the from/to boxes, not the query */
		serve_page_error(res, 400, "Bad request", msg, query);
	} else if (rc == LEDE_ENOTFOUND) {
		serve_page_error(res, 404, "No such article", msg, NULL);
	} else {
		serve_page_no_db(res, serve_pool_path(ctx->pool), msg, query);
	}
}

lede_results *serve_run_search(const serve_ctx *ctx, const char *query,
                               const char *similar_id,
                               const lede_search_opts *so, int api,
                               serve_response *res)
{
	lede_db *db;
	strbuf err = STRBUF_INIT;
	int rc = serve_pool_get(ctx->pool, &db, &err);
	lede_results *r = NULL;
	if (rc == LEDE_OK) {
		rc = similar_id ? lede_similar(&r, db, similar_id, so)
		                : lede_search(&r, db, query, so);
		if (rc != LEDE_OK)
			sb_addstr(&err, lede_errmsg(db));
		serve_pool_put(ctx->pool, db);
	}
	if (rc != LEDE_OK)
		read_failed(res, ctx, api, rc, sb_cstr(&err), query);
	sb_release(&err);
	return rc == LEDE_OK ? r : NULL;
}

lede_article *serve_run_article(const serve_ctx *ctx, const char *id,
                                int api, serve_response *res)
{
	lede_db *db;
	strbuf err = STRBUF_INIT;
	int rc = serve_pool_get(ctx->pool, &db, &err);
	lede_article *a = NULL;
	if (rc == LEDE_OK) {
		rc = lede_article_get(&a, db, id);
		if (rc != LEDE_OK)
			sb_addstr(&err, lede_errmsg(db));
		serve_pool_put(ctx->pool, db);
	}
	if (rc != LEDE_OK)
		read_failed(res, ctx, api, rc, sb_cstr(&err), NULL);
	sb_release(&err);
	return rc == LEDE_OK ? a : NULL;
}

void serve_query_opts(lede_search_opts *so, const serve_query *q)
{
	lede_search_opts init = LEDE_SEARCH_OPTS_INIT;
	*so = init;
	so->sort = q->sort;
	so->since = q->since;
	so->until = q->until;
	so->offset = q->offset;
	so->limit = q->limit;
	so->no_dedup = q->no_dedup;
}
