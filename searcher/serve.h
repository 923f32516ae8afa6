/* `lede serve`: the local web page over the library, read-only. The parts:
 *   serve_http.c    libmicrohttpd (the only file that knows it): sockets,
 *                   threads, request bounds, headers
 *   serve_route.c   one request in, one response out: what the unit tests
 *                   call; the handle pool
 *   serve_pages.c   the page frame, links, chips, the error pages
 *   serve_search.c  the search and similar pages
 *   serve_article.c the article page
 *   serve_api.c     the JSON API: the documented lede.search/1,
 *                   lede.article/1, lede.timeline/1 objects, from the same
 *                   writers as the command line
 *   serve_html.c    HTML escaping and URL building
 *   serve_assets/   CSS, JavaScript and the icon, compiled into the binary
 * Nothing here writes to a database or reads a file other than the
 * database: every byte served is compiled in or comes from the library,
 * and every byte of an article is escaped before it reaches a page. */
#ifndef LEDE_SERVE_H
#define LEDE_SERVE_H

#include <stddef.h>

#include "../common/strbuf.h"
#include "lede.h"

/* Bounds on a request; over them the answer is an error page. */
#define SERVE_MAX_ARG 4096      /* bytes of one argument: the query
                                   language's own bound */
#define SERVE_MAX_ARGS 32       /* arguments in one query string */
#define SERVE_MAX_HEADER (32u << 10) /* request line and headers, bytes */
#define SERVE_MAX_OFFSET 10000  /* paging stops here */
#define SERVE_MAX_LIMIT 100     /* hits per page or API call */
#define SERVE_PAGE_HITS 10      /* hits per page by default */

/* ---- the handle pool: one lede_db per worker thread ---------------- */

typedef struct serve_pool serve_pool;

/* A pool of up to n handles on the database at path, each opened when
 * first needed (so a database indexed after the server started is found).
 * Owned by the caller: serve_pool_free. path is copied. */
serve_pool *serve_pool_new(const char *path, unsigned n);
/* Closes every handle; none may be borrowed. NULL is a no-op. */
void serve_pool_free(serve_pool *p);
/* The database path given to serve_pool_new; borrowed, valid until
 * serve_pool_free. */
const char *serve_pool_path(const serve_pool *p);
/* Borrow a handle for one request (waits while all n are in use). On
 * failure (missing or unreadable database) returns the lede_status and
 * appends the library's message to err; *db is then NULL. A borrowed
 * handle is for this thread alone until serve_pool_put. */
int serve_pool_get(serve_pool *p, lede_db **db /* OUT */, strbuf *err);
void serve_pool_put(serve_pool *p, lede_db *db);

/* ---- one request, one response -------------------------------------- */

typedef struct serve_arg {
	const char *name, *value;   /* decoded; borrowed from the request */
} serve_arg;

typedef struct serve_request {
	const char *method;         /* "GET", "HEAD", ... */
	const char *path;           /* the URL's path, without the query */
	const serve_arg *args;      /* the query string's arguments */
	size_t nargs;
	const char *host;           /* the Host header, NULL when none */
	int has_body;               /* the request carries a body */
} serve_request;

typedef struct serve_response {
	unsigned status;            /* HTTP status */
	const char *type;           /* Content-Type; static */
	int cacheable;              /* an asset: may be cached an hour */
	strbuf body;                /* the body, owned; or: */
	const unsigned char *fixed; /* a compiled-in asset, static (fixed_len
	                               bytes); body is empty then */
	size_t fixed_len;
} serve_response;

#define SERVE_RESPONSE_INIT { 0, NULL, 0, STRBUF_INIT, NULL, 0 }

typedef struct serve_ctx {
	serve_pool *pool;
	int loopback_only;          /* answer only Host: localhost, 127.0.0.1,
	                               [::1] (bound to a loopback address:
	                               a page elsewhere cannot rebind a name
	                               to it and read the archive) */
} serve_ctx;

/* Answer req into res (an initialised response; the caller releases
 * res->body). Never fails: a bad request gets an error page. */
void serve_handle(const serve_ctx *ctx, const serve_request *req,
                  serve_response *res);
/* The value of argument name in req, NULL when absent; borrowed. */
const char *serve_arg_get(const serve_request *req, const char *name);

/* ---- running a read for a page or an API call (serve_route.c) ------ */

/* Borrow a handle and run lede_search on query (similar_id NULL) or
 * lede_similar on similar_id, then give the handle back. On failure NULL,
 * and res is the error: for a page (api 0) the malformed-query page
 * (400, with the column), the missing-database page (503) or a not-found
 * page (404); for the API the same statuses as JSON. The results are the
 * caller's (lede_results_free). */
lede_results *serve_run_search(const serve_ctx *ctx, const char *query,
                               const char *similar_id,
                               const lede_search_opts *so, int api,
                               serve_response *res);
/* The same for lede_article_get; the article is the caller's
 * (lede_article_free). */
lede_article *serve_run_article(const serve_ctx *ctx, const char *id,
                                int api, serve_response *res);

/* ---- the pages and the API (serve_search.c, serve_article.c,
 *      serve_pages.c, serve_api.c) ------------------------------------ */

/* The parameters of a search page or API call, read from the request and
 * bounded. Strings are borrowed from the request. */
typedef struct serve_query {
	const char *q;              /* "" when none */
	const char *since, *until;  /* NULL when none */
	int sort;                   /* enum lede_sort */
	unsigned offset, limit;
	int no_dedup;
} serve_query;

/* Read q, sort, since, until, page/offset, n/limit, dedup from req. 0, or
 * -1 with a reason appended to why (a bad value). */
int serve_query_read(serve_query *out /* OUT */, const serve_request *req,
                     strbuf *why);

/* The search options for q: its sort, dates, paging, dedup; the rest
 * the library's defaults. */
void serve_query_opts(lede_search_opts *so /* OUT */, const serve_query *q);

void serve_page_search(const serve_ctx *ctx, const serve_request *req,
                       serve_response *res);
void serve_page_article(const serve_ctx *ctx, const serve_request *req,
                        serve_response *res);
void serve_page_similar(const serve_ctx *ctx, const serve_request *req,
                        serve_response *res);
/* A page with a title and one escaped message, status given; query (may
 * be NULL) refills the search box. */
void serve_page_error(serve_response *res, unsigned status,
                      const char *title, const char *message,
                      const char *query);
/* The page for a database that cannot be opened (503). */
void serve_page_no_db(serve_response *res, const char *path,
                      const char *message, const char *query);
/* The page for a malformed query (400): the library's message, and a
 * caret under the column it names. */
void serve_page_bad_query(serve_response *res, const char *query,
                          const char *message);

void serve_api_search(const serve_ctx *ctx, const serve_request *req,
                      serve_response *res);
void serve_api_article(const serve_ctx *ctx, const serve_request *req,
                       serve_response *res);
void serve_api_timeline(const serve_ctx *ctx, const serve_request *req,
                        serve_response *res);
void serve_api_similar(const serve_ctx *ctx, const serve_request *req,
                       serve_response *res);
/* {"error": message, "status": status} as the response. */
void serve_api_error(serve_response *res, unsigned status,
                     const char *message);

/* ---- what the pages share (serve_pages.c) ------------------------- */

/* The head of every page (status, title, the search form filled from q,
 * which may be NULL) into res->body; then the page's own HTML, then
 * serve_page_end (the footer, with a link to json_href when not NULL). */
void serve_page_begin(serve_response *res, unsigned status,
                      const char *title, const serve_query *q);
void serve_page_end(serve_response *res, const char *json_href);
/* href values, escaped for HTML: the search page for q; the article id
 * (with the query to go back to, when not NULL or ""). */
void serve_search_href(strbuf *b, const serve_query *q);
void serve_article_href(strbuf *b, const char *id, const char *query);
/* A link of class cls that adds the filter field:"value" to q (or takes
 * it out, when q holds it: class "on"), from the first page; count and
 * tip (a title) may be NULL. A value the query language cannot quote is
 * shown, not linked. */
void serve_filter_link(strbuf *b, const serve_query *q, const char *cls,
                       const char *field, const char *value,
                       const char *count, const char *tip);
/* Entities as chips that add (or take out) their filter in q. */
void serve_add_chips(strbuf *b, const serve_query *q, const lede_entity *e,
                     size_t n);
/* The query language's examples, as links (the home and error pages). */
void serve_add_syntax_help(strbuf *b);

struct json_t;
/* The article page's quotes section, from a lede.article/1 object's
 * "quotes" (nothing when it has none): each quote's parts (body[start:end],
 * or a "text") joined in one blockquote, with its speaker_display (else
 * speaker) and role. Appended to b, escaped. */
void serve_add_quotes(strbuf *b, struct json_t *article);

/* ---- compiled-in assets (serve_assets/, embedded by tools/embed.sh) -- */

/* The asset served at /assets/NAME, exactly NAME (no path is ever
 * resolved); NULL when there is none. OUT type: its Content-Type. */
const unsigned char *serve_asset(const char *name, size_t *len,
                                 const char **type);

/* ---- HTML and URLs (serve_html.c) ----------------------------------- */

/* Append s[0..n) as HTML text or attribute value: & < > " ' as entities,
 * controls other than tab and newline, and bytes that are not UTF-8, as
 * U+FFFD. May move out->buf. */
void html_esc(strbuf *out, const char *s, size_t n);
void html_esc_str(strbuf *out, const char *s);
/* Append s percent-encoded for a URL's query string (all but A-Z a-z 0-9
 * - . _ ~). May move out->buf. */
void url_enc(strbuf *out, const char *s);
/* Append the URL of the search page for q (escaped for a query string,
 * not yet for HTML): "/?q=...&sort=...". offset 0 and the default sort
 * are left out. */
void serve_search_url(strbuf *out, const serve_query *q);
/* The query q with the filter `field:"value"` added, or, when q already
 * holds exactly that filter, removed. Appended to out. value must not hold
 * '"' (the query language cannot quote it): returns -1 then. */
int serve_query_toggle(strbuf *out, const char *q, const char *field,
                       const char *value);
/* 1 when q holds the filter `field:"value"`. */
int serve_query_has(const char *q, const char *field, const char *value);

#endif
