/* lede serve's JSON API: /api/search, /api/similar (lede.search/1),
 * /api/article (lede.article/1) and /api/timeline (lede.timeline/1),
 * written by the command line's own writers (output.c, cli_show.c,
 * cli_search.c) so that the API and `--format json` cannot drift apart.
 * Errors are {"error": message, "status": N} with that HTTP status. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "serve.h"

static int to_strbuf(const char *buf, size_t n, void *data)
{
	sb_add(data, buf, n);
	return 0;
}

/* j as the response body, then released. */
static void answer_json(serve_response *res, unsigned status, json_t *j)
{
	res->status = status;
	res->type = "application/json; charset=utf-8";
	json_dump_callback(j, to_strbuf, &res->body, JSON_INDENT(1));
	sb_addch(&res->body, '\n');
	json_decref(j);
}

void serve_api_error(serve_response *res, unsigned status, const char *message)
{
	json_t *o = json_object();
	json_t *m = json_string(message);
	json_object_set_new(o, "error", m ? m : json_string("(not UTF-8)"));
	json_object_set_new(o, "status", json_integer(status));
	answer_json(res, status, o);
}

/* What output_results writes for r in c's format, as the body. */
static void answer_stream(serve_response *res, output_ctx *c,
                          const lede_results *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f) {
		c->out = f;
		output_results(c, r);
		fclose(f);
	}
	res->status = f ? 200 : 500;
	res->type = "application/json; charset=utf-8";
	sb_add(&res->body, buf ? buf : "", buf ? len : 0);
	free(buf);
}

/* The query's options, or an error answered (returns -1). */
static int read_query(const serve_request *req, serve_response *res,
                      serve_query *q, lede_search_opts *so)
{
	strbuf why = STRBUF_INIT;
	if (serve_query_read(q, req, &why) < 0) {
		serve_api_error(res, 400, sb_cstr(&why));
		sb_release(&why);
		return -1;
	}
	sb_release(&why);
	serve_query_opts(so, q);
	const char *f = serve_arg_get(req, "facets");
	if (f && *f) {
		int m = lede_facet_parse(f);
		if (m < 0) {
			serve_api_error(res, 400, "facets takes a list of city, state, "
			                "official, agency, response, source, year, "
			                "month, or all");
			return -1;
		}
		so->facets = (unsigned)m;
	}
	return 0;
}

/* /api/search (q) and /api/similar (id): lede.search/1. */
static void api_results(const serve_ctx *ctx, const serve_request *req,
                        serve_response *res, int similar)
{
	serve_query q;
	lede_search_opts so;
	if (read_query(req, res, &q, &so) < 0)
		return;
	const char *id = serve_arg_get(req, "id");
	if (similar ? !id || !*id : !*q.q) {
		serve_api_error(res, 400, similar ? "id is the article's id, and it "
		                "is missing" : "q is the query, and it is missing");
		return;
	}
	lede_results *r = serve_run_search(ctx, similar ? NULL : q.q,
	                                   similar ? id : NULL, &so, 1, res);
	if (!r)
		return;
	output_ctx c = { 0 };
	c.format = OUT_JSON;
	c.facets = so.facets;
	c.query = similar ? "" : q.q;
	answer_stream(res, &c, r);
	lede_results_free(r);
}

void serve_api_search(const serve_ctx *ctx, const serve_request *req,
                      serve_response *res)
{
	api_results(ctx, req, res, 0);
}

void serve_api_similar(const serve_ctx *ctx, const serve_request *req,
                       serve_response *res)
{
	api_results(ctx, req, res, 1);
}

void serve_api_article(const serve_ctx *ctx, const serve_request *req,
                       serve_response *res)
{
	const char *id = serve_arg_get(req, "id");
	if (!id || !*id) {
		serve_api_error(res, 400, "id is the article's id, and it is missing");
		return;
	}
	lede_article *a = serve_run_article(ctx, id, 1, res);
	if (!a)
		return;
	answer_json(res, 200, cli_article_json(a));
	lede_article_free(a);
}

void serve_api_timeline(const serve_ctx *ctx, const serve_request *req,
                        serve_response *res)
{
	serve_query q;
	lede_search_opts so;
	if (read_query(req, res, &q, &so) < 0)
		return;
	if (!*q.q) {
		serve_api_error(res, 400, "q is the query, and it is missing");
		return;
	}
	const char *by = serve_arg_get(req, "by");
	if (by && *by && strcmp(by, "month") != 0 && strcmp(by, "year") != 0 &&
	    strcmp(by, "auto") != 0) {
		serve_api_error(res, 400, "by takes month, year or auto");
		return;
	}
	/* both, as lede timeline asks: auto chooses between them */
	so.facets = LEDE_FACET_YEAR | LEDE_FACET_MONTH;
	so.facet_limit = 0;
	so.count_only = 1;
	so.offset = 0;
	lede_results *r = serve_run_search(ctx, q.q, NULL, &so, 1, res);
	if (!r)
		return;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f) {
		cli_timeline_write(f, OUT_JSON, by && *by ? by : NULL, r);
		fclose(f);
	}
	res->status = f ? 200 : 500;
	res->type = "application/json; charset=utf-8";
	sb_add(&res->body, buf ? buf : "", buf ? len : 0);
	free(buf);
	lede_results_free(r);
}
