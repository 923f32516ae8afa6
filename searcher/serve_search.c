/* lede serve's search page (ranked passages with highlights and chips,
 * facets, the timeline, paging) and the similar page. The timeline is
 * drawn from the lede.timeline/1 object that `lede timeline` writes, so
 * the page and the API count alike. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve.h"

/* The facet fields shown beside the results, in order, and the query
 * field that filters by each (the same name, but said: for speakers). */
static const unsigned facet_bits[] = {
	LEDE_FACET_CITY, LEDE_FACET_OFFICIAL, LEDE_FACET_AGENCY,
	LEDE_FACET_RESPONSE, LEDE_FACET_STATE, LEDE_FACET_SPEAKER,
	LEDE_FACET_SOURCE
};
#define NFACETS (sizeof facet_bits / sizeof *facet_bits)
#define FACET_SHOWN 8          /* values shown per facet */
#define TIMELINE_MAX_MONTHS 240 /* beyond it the timeline goes by year */

/* ---- hits ------------------------------------------------------------ */

static void add_snippet(strbuf *b, const lede_hit *h)
{
	sb_addstr(b, "<p class=\"snippet\">");
	if (h->snippet_trimmed_start)
		sb_addstr(b, "\xe2\x80\xa6");
	size_t at = 0;
	for (size_t i = 0; i < h->nhighlights; i++) {
		const lede_span *s = &h->highlights[i];
		if (s->start < at || s->end > h->snippet_len || s->start > s->end)
			continue;
		html_esc(b, h->snippet + at, s->start - at);
		sb_addstr(b, "<mark>");
		html_esc(b, h->snippet + s->start, s->end - s->start);
		sb_addstr(b, "</mark>");
		at = s->end;
	}
	html_esc(b, h->snippet + at, h->snippet_len - at);
	if (h->snippet_trimmed_end)
		sb_addstr(b, "\xe2\x80\xa6");
	sb_addstr(b, "</p>");
}

static void add_hit(strbuf *b, const serve_query *q, const lede_hit *h)
{
	sb_addf(b, "<li class=\"hit\" value=\"%u\"><h2><a class=\"title\" href=\"",
	        h->rank);
	serve_article_href(b, h->article_id, q->q);
	sb_addstr(b, "\">");
	html_esc_str(b, *h->title ? h->title : "(untitled)");
	sb_addstr(b, "</a></h2><p class=\"meta\">");
	if (*h->date) {
		sb_addstr(b, "<time>");
		html_esc_str(b, h->date);
		sb_addstr(b, "</time>");
	} else {
		sb_addstr(b, "<span>undated</span>");
	}
	if (*h->source) {
		sb_addstr(b, " \xc2\xb7 <span class=\"source\">");
		html_esc_str(b, h->source);
		sb_addstr(b, "</span>");
	}
	if (h->also_in) {
		serve_query all = *q;
		all.no_dedup = 1;
		all.offset = 0;
		sb_addstr(b, " \xc2\xb7 <a class=\"also\" href=\"");
		serve_search_href(b, &all);
		sb_addf(b, "\" title=\"near-duplicate copies folded under this "
		        "one: show every copy\">also in %u other source%s</a>",
		        h->also_in, h->also_in == 1 ? "" : "s");
	}
	sb_addstr(b, " \xc2\xb7 <a class=\"sim\" href=\"/similar?id=");
	strbuf id = STRBUF_INIT;
	url_enc(&id, h->article_id);
	html_esc(b, id.buf, id.len);
	sb_release(&id);
	sb_addstr(b, "\">similar</a></p>");
	add_snippet(b, h);
	serve_add_chips(b, q, h->entities, h->nentities);
	sb_addstr(b, "</li>\n");
}

static void add_hits(strbuf *b, const serve_query *q, const lede_results *r)
{
	size_t n = lede_results_count(r);
	if (!n)
		return;
	sb_addf(b, "<ol class=\"hits\" start=\"%u\">", q->offset + 1);
	for (size_t i = 0; i < n; i++)
		add_hit(b, q, lede_results_hit(r, i));
	sb_addstr(b, "</ol>");
}

static void add_pager(strbuf *b, const serve_query *q, const lede_results *r)
{
	uint64_t total = lede_results_total(r);
	size_t n = lede_results_count(r);
	int prev = q->offset > 0;
	int next = q->offset + n < total &&
	           q->offset + q->limit <= SERVE_MAX_OFFSET;
	if (!prev && !next)
		return;
	sb_addstr(b, "<nav class=\"pager\">");
	if (prev) {
		serve_query p = *q;
		p.offset = q->offset > q->limit ? q->offset - q->limit : 0;
		sb_addstr(b, "<a rel=\"prev\" href=\"");
		serve_search_href(b, &p);
		sb_addstr(b, "\">\xe2\x86\x90 previous</a>");
	}
	unsigned long long pages = (total + q->limit - 1) / q->limit;
	sb_addf(b, "<span>page %u of %llu</span>", q->offset / q->limit + 1,
	        pages);
	if (next) {
		serve_query p = *q;
		p.offset = q->offset + q->limit;
		sb_addstr(b, "<a rel=\"next\" href=\"");
		serve_search_href(b, &p);
		sb_addstr(b, "\">next \xe2\x86\x92</a>");
	}
	sb_addstr(b, "</nav>");
}

static void add_facets(strbuf *b, const serve_query *q, const lede_results *r)
{
	sb_addstr(b, "<aside class=\"facets\" aria-label=\"filters\">");
	for (size_t k = 0; k < NFACETS; k++) {
		size_t n;
		const lede_facet_value *v = lede_results_facet(r, facet_bits[k], &n);
		if (!n)
			continue;
		const char *field = lede_facet_name(facet_bits[k]);
		sb_addf(b, "<section class=\"facet\" data-facet=\"%s\"><h3>%s</h3><ul>",
		        field, field);
		for (size_t i = 0; i < n && i < FACET_SHOWN; i++) {
			char count[24];
			snprintf(count, sizeof count, "%llu",
			         (unsigned long long)v[i].count);
			sb_addstr(b, "<li>");
			serve_filter_link(b, q, "fv",
			                  facet_bits[k] == LEDE_FACET_SPEAKER ? "said"
			                                                     : field,
			                  v[i].value, count, NULL);
			sb_addstr(b, "</li>");
		}
		sb_addstr(b, "</ul></section>");
	}
	sb_addstr(b, "</aside>");
}

/* ---- the timeline ---------------------------------------------------- */

/* The lede.timeline/1 object of r by "month" or "year", as `lede
 * timeline --by BY --format json` writes it; NULL when it cannot be read
 * back. */
static json_t *timeline_json(const lede_results *r, const char *by)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	cli_timeline_write(f, OUT_JSON, by, r);
	fclose(f);
	json_t *j = json_loadb(buf, len, 0, NULL);
	free(buf);
	return j;
}

/* Bars of matching articles per period, each a link that narrows the
 * search to it; lede.js adds dragging across bars for a range. */
static void add_timeline(strbuf *b, const serve_query *q, const lede_results *r)
{
	json_t *tl = timeline_json(r, "month");
	json_t *periods = json_object_get(tl, "periods");
	if (json_array_size(periods) > TIMELINE_MAX_MONTHS) {
		json_decref(tl);
		tl = timeline_json(r, "year");
		periods = json_object_get(tl, "periods");
	}
	size_t n = json_array_size(periods);
	if (n == 0) {
		json_decref(tl);
		return;
	}
	json_int_t max = 1;
	for (size_t i = 0; i < n; i++) {
		json_int_t c = json_integer_value(
			json_object_get(json_array_get(periods, i), "articles"));
		if (c > max)
			max = c;
	}
	const int bw = 10, h = 60;
	sb_addf(b, "<figure class=\"timeline\"><figcaption>matching articles "
	        "per %s", strcmp(json_string_value(json_object_get(tl, "by")),
	                         "year") == 0 ? "year" : "month");
	sb_addstr(b, " <span class=\"hint\">(click a bar, or drag across "
	          "bars, to narrow the dates)</span></figcaption>");
	sb_addf(b, "<svg id=\"timeline\" viewBox=\"0 0 %zu %d\" "
	        "preserveAspectRatio=\"none\" role=\"img\" "
	        "aria-label=\"matching articles per period\">", n * (size_t)bw, h);
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_array_get(periods, i);
		const char *period = json_string_value(json_object_get(p, "period"));
		json_int_t c = json_integer_value(json_object_get(p, "articles"));
		/* an empty period is a gap: nothing to narrow to */
		if (!period || strlen(period) > 7 || c <= 0)
			continue;
		int bh = (int)(c * (h - 2) / max);
		if (bh < 2)
			bh = 2;
		serve_query to = *q;
		to.since = period;
		to.until = period;
		to.offset = 0;
		sb_addstr(b, "<a href=\"");
		serve_search_href(b, &to);
		sb_addf(b, "\"><rect class=\"bar\" data-period=\"%s\" x=\"%zu\" "
		        "y=\"0\" width=\"%d\" height=\"%d\"/>"
		        "<rect class=\"fill\" x=\"%zu\" y=\"%d\" width=\"%d\" "
		        "height=\"%d\"/><title>%s: %lld</title></a>",
		        period, i * (size_t)bw, bw, h, i * (size_t)bw + 1, h - bh,
		        bw - 2, bh, period, (long long)c);
	}
	sb_addstr(b, "</svg><div class=\"axis\"><span>");
	html_esc_str(b, json_string_value(json_object_get(json_array_get(periods, 0),
	                                                  "period")));
	sb_addstr(b, "</span><span>");
	html_esc_str(b, json_string_value(json_object_get(
		json_array_get(periods, n - 1), "period")));
	sb_addstr(b, "</span></div></figure>");
	json_decref(tl);
}

/* ---- the pages ------------------------------------------------------- */

void serve_page_search(const serve_ctx *ctx, const serve_request *req,
                       serve_response *res)
{
	serve_query q;
	strbuf why = STRBUF_INIT;
	if (serve_query_read(&q, req, &why) < 0) {
		serve_page_error(res, 400, "Bad request", sb_cstr(&why),
		                 serve_arg_get(req, "q"));
		sb_release(&why);
		return;
	}
	sb_release(&why);
	if (!*q.q) {
		serve_page_begin(res, 200, NULL, &q);
		serve_add_syntax_help(&res->body);
		serve_page_end(res, NULL);
		return;
	}
	lede_search_opts so;
	serve_query_opts(&so, &q);
	so.facets = LEDE_FACET_ALL;
	so.facet_limit = 0;   /* every period for the timeline */
	lede_results *r = serve_run_search(ctx, q.q, NULL, &so, 0, res);
	if (!r)
		return;
	serve_page_begin(res, 200, q.q, &q);
	strbuf *b = &res->body;
	sb_addstr(b, "<div class=\"layout\"><section class=\"results\">");
	uint64_t total = lede_results_total(r);
	/* exact: facets were counted */
	sb_addf(b, "<p class=\"summary\" id=\"summary\">%llu matching "
	        "article%s \xc2\xb7 %.3f s</p>",
	        (unsigned long long)total, total == 1 ? "" : "s",
	        lede_results_seconds(r));
	add_timeline(b, &q, r);
	if (!lede_results_count(r))
		sb_addstr(b, "<p class=\"none\">No passage matches. Fewer words, "
		          "or fewer filters, may find some.</p>");
	add_hits(b, &q, r);
	add_pager(b, &q, r);
	sb_addstr(b, "</section>");
	add_facets(b, &q, r);
	sb_addstr(b, "</div>");
	strbuf api = STRBUF_INIT;
	serve_search_url(&api, &q);
	strbuf href = STRBUF_INIT;
	sb_addstr(&href, "/api/search?");
	sb_addstr(&href, sb_cstr(&api) + 2);   /* after "/?" */
	sb_addstr(&href, "&facets=all");
	serve_page_end(res, sb_cstr(&href));
	sb_release(&href);
	sb_release(&api);
	lede_results_free(r);
}

void serve_page_similar(const serve_ctx *ctx, const serve_request *req,
                        serve_response *res)
{
	const char *id = serve_arg_get(req, "id");
	serve_query q = { 0 };
	q.q = "";
	q.limit = SERVE_PAGE_HITS;
	if (!id || !*id) {
		serve_page_error(res, 400, "No article", "The address names no "
		                 "article: /similar?id=ID.", NULL);
		return;
	}
	lede_search_opts so = LEDE_SEARCH_OPTS_INIT;
	lede_results *r = serve_run_search(ctx, NULL, id, &so, 0, res);
	if (!r)
		return;
	serve_page_begin(res, 200, "Similar articles", &q);
	strbuf *b = &res->body;
	sb_addstr(b, "<section class=\"results\"><h1>Articles like <a href=\"");
	serve_article_href(b, id, NULL);
	sb_addstr(b, "\"><code>");
	html_esc_str(b, id);
	sb_addstr(b, "</code></a></h1>");
	if (!lede_results_count(r))
		sb_addstr(b, "<p class=\"none\">None found.</p>");
	add_hits(b, &q, r);
	sb_addstr(b, "</section>");
	strbuf href = STRBUF_INIT;
	sb_addstr(&href, "/api/similar?id=");
	url_enc(&href, id);
	serve_page_end(res, sb_cstr(&href));
	sb_release(&href);
	lede_results_free(r);
}

