/* lede serve's HTML pages: search (ranked passages, entity chips, facets,
 * the timeline, paging, sort), article, similar, and the error pages.
 * Server-rendered with plain links and one form, so that every page works
 * without JavaScript (lede.js only adds the timeline's drag). Every value
 * from an article, a query or the database goes through html_esc; no
 * inline script or style, so the Content-Security-Policy of serve_http.c
 * can forbid them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve.h"

/* The facet fields shown beside the results, in order, and the query
 * field that filters by each (the same name). */
static const unsigned facet_bits[] = {
	LEDE_FACET_CITY, LEDE_FACET_OFFICIAL, LEDE_FACET_AGENCY,
	LEDE_FACET_RESPONSE, LEDE_FACET_STATE, LEDE_FACET_SOURCE
};
#define NFACETS (sizeof facet_bits / sizeof *facet_bits)
#define FACET_SHOWN 8          /* values shown per facet */
#define TIMELINE_MAX_MONTHS 240 /* beyond it the timeline goes by year */

/* ---- the frame ------------------------------------------------------- */

static void page_begin(serve_response *res, unsigned status,
                       const char *title, const serve_query *q)
{
	strbuf *b = &res->body;
	res->status = status;
	res->type = "text/html; charset=utf-8";
	sb_addstr(b, "<!doctype html>\n<html lang=\"en\"><head>"
	          "<meta charset=\"utf-8\">"
	          "<meta name=\"viewport\" content=\"width=device-width,"
	          "initial-scale=1\"><title>");
	if (title && *title) {
		html_esc_str(b, title);
		sb_addstr(b, " \xe2\x80\x94 ");
	}
	sb_addstr(b, "lede</title>"
	          "<link rel=\"stylesheet\" href=\"/assets/lede.css\">"
	          "<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\">"
	          "<script src=\"/assets/lede.js\" defer></script></head>\n"
	          "<body><header class=\"top\"><a class=\"brand\" href=\"/\">lede</a>"
	          "<form class=\"search\" action=\"/\" method=\"get\" role=\"search\">"
	          "<input id=\"q\" name=\"q\" type=\"search\" aria-label=\"query\" "
	          "placeholder=\"sanctuary city:&quot;los angeles ca&quot; "
	          "date:2024..\" autocomplete=\"off\" spellcheck=\"false\" value=\"");
	html_esc_str(b, q ? q->q : "");
	sb_addstr(b, "\"><button type=\"submit\">Search</button>"
	          "<div class=\"opts\"><label>sort <select name=\"sort\" id=\"sort\">");
	static const char *const sorts[][2] = {
		{ "relevance", "relevance" }, { "-date", "newest" }, { "date", "oldest" }
	};
	int sort = q ? q->sort : LEDE_SORT_RELEVANCE;
	int selected[3] = { sort == LEDE_SORT_RELEVANCE, sort == LEDE_SORT_DATE_DESC,
	                    sort == LEDE_SORT_DATE_ASC };
	for (int i = 0; i < 3; i++)
		sb_addf(b, "<option value=\"%s\"%s>%s</option>", sorts[i][0],
		        selected[i] ? " selected" : "", sorts[i][1]);
	sb_addstr(b, "</select></label><label>from <input name=\"since\" "
	          "id=\"since\" size=\"10\" placeholder=\"YYYY-MM\" value=\"");
	html_esc_str(b, q && q->since ? q->since : "");
	sb_addstr(b, "\"></label><label>to <input name=\"until\" id=\"until\" "
	          "size=\"10\" placeholder=\"YYYY-MM\" value=\"");
	html_esc_str(b, q && q->until ? q->until : "");
	sb_addstr(b, "\"></label>");
	if (q && q->no_dedup)
		sb_addstr(b, "<input type=\"hidden\" name=\"dedup\" value=\"off\">");
	sb_addstr(b, "</div></form></header>\n<main>");
}

static void page_end(serve_response *res, const char *json_href)
{
	strbuf *b = &res->body;
	sb_addf(b, "</main>\n<footer>lede %s", lede_version());
	if (json_href) {
		sb_addstr(b, " \xc2\xb7 <a href=\"");
		html_esc_str(b, json_href);
		sb_addstr(b, "\">this page as JSON</a>");
	}
	sb_addstr(b, "</footer></body></html>\n");
}

/* ---- links ----------------------------------------------------------- */

static void add_search_href(strbuf *b, const serve_query *q)
{
	strbuf u = STRBUF_INIT;
	serve_search_url(&u, q);
	html_esc(b, u.buf, u.len);
	sb_release(&u);
}

static void add_article_href(strbuf *b, const char *id, const char *query)
{
	strbuf u = STRBUF_INIT;
	sb_addstr(&u, "/article?id=");
	url_enc(&u, id);
	if (query && *query) {
		sb_addstr(&u, "&q=");
		url_enc(&u, query);
	}
	html_esc(b, u.buf, u.len);
	sb_release(&u);
}

/* A chip or facet value: a link that adds (or, when on, removes) the
 * filter field:"value" to the query, from the first page. */
static void add_filter_link(strbuf *b, const serve_query *q, const char *cls,
                            const char *field, const char *value,
                            const char *count, const char *tip)
{
	strbuf nq = STRBUF_INIT;
	int on = serve_query_has(q->q, field, value);
	if (serve_query_toggle(&nq, q->q, field, value) < 0) {
		/* a value the query language cannot quote: shown, not linked */
		sb_addf(b, "<span class=\"%s\">", cls);
		html_esc_str(b, value);
		sb_addstr(b, "</span>");
		sb_release(&nq);
		return;
	}
	serve_query to = *q;
	to.q = sb_cstr(&nq);
	to.offset = 0;
	sb_addf(b, "<a class=\"%s%s\" data-field=\"%s\" href=\"", cls,
	        on ? " on" : "", field);
	add_search_href(b, &to);
	sb_addstr(b, "\"");
	if (tip && *tip) {
		sb_addstr(b, " title=\"");
		html_esc_str(b, tip);
		sb_addstr(b, "\"");
	}
	sb_addstr(b, ">");
	html_esc_str(b, value);
	if (count)
		sb_addf(b, "<span class=\"n\">%s</span>", count);
	sb_addstr(b, "</a>");
	sb_release(&nq);
}

/* The entities of a hit or an article as chips. */
static void add_chips(strbuf *b, const serve_query *q, const lede_entity *e,
                      size_t n)
{
	if (!n)
		return;
	sb_addstr(b, "<ul class=\"chips\">");
	for (size_t i = 0; i < n; i++) {
		char cls[48];
		snprintf(cls, sizeof cls, "chip %.20s", e[i].type);
		strbuf tip = STRBUF_INIT;
		sb_addstr(&tip, e[i].type);
		if (e[i].role)
			sb_addf(&tip, ", %s", e[i].role);
		if (e[i].where)
			sb_addf(&tip, " (%s)", e[i].where);
		sb_addstr(b, "<li>");
		add_filter_link(b, q, cls, e[i].type, e[i].key, NULL, sb_cstr(&tip));
		sb_addstr(b, "</li>");
		sb_release(&tip);
	}
	sb_addstr(b, "</ul>");
}

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
	add_article_href(b, h->article_id, q->q);
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
		add_search_href(b, &all);
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
	add_chips(b, q, h->entities, h->nentities);
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
		add_search_href(b, &p);
		sb_addstr(b, "\">\xe2\x86\x90 previous</a>");
	}
	unsigned long long pages = (total + q->limit - 1) / q->limit;
	sb_addf(b, "<span>page %u of %llu</span>", q->offset / q->limit + 1,
	        pages);
	if (next) {
		serve_query p = *q;
		p.offset = q->offset + q->limit;
		sb_addstr(b, "<a rel=\"next\" href=\"");
		add_search_href(b, &p);
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
			add_filter_link(b, q, "fv", field, v[i].value, count, NULL);
			sb_addstr(b, "</li>");
		}
		sb_addstr(b, "</ul></section>");
	}
	sb_addstr(b, "</aside>");
}

/* ---- the timeline ---------------------------------------------------- */

/* The lede.timeline/1 object of r by bit, as `lede timeline --format
 * json` writes it; NULL when it cannot be read back. */
static json_t *timeline_json(const lede_results *r, unsigned bit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	cli_timeline_write(f, OUT_JSON, bit, r);
	fclose(f);
	json_t *j = json_loadb(buf, len, 0, NULL);
	free(buf);
	return j;
}

/* Bars of matching articles per period, each a link that narrows the
 * search to it; lede.js adds dragging across bars for a range. */
static void add_timeline(strbuf *b, const serve_query *q, const lede_results *r)
{
	json_t *tl = timeline_json(r, LEDE_FACET_MONTH);
	json_t *periods = json_object_get(tl, "periods");
	if (json_array_size(periods) > TIMELINE_MAX_MONTHS) {
		json_decref(tl);
		tl = timeline_json(r, LEDE_FACET_YEAR);
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
		add_search_href(b, &to);
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

static void add_syntax_help(strbuf *b)
{
	static const char *const ex[][2] = {
		{ "sanctuary ordinance", "either word, ranked" },
		{ "\"national guard\"", "a phrase" },
		{ "ice AND raid -drill", "boolean operators, exclusion" },
		{ "deport NEAR/5 judge", "within 5 words" },
		{ "title:sanctuary", "in the headline" },
		{ "city:\"los angeles ca\"", "tagged with a city" },
		{ "official:bass role:mayor", "an official, in a role" },
		{ "agency:ice response:\"287(g)\"", "agencies, federal responses" },
		{ "source:\"valley ledger\" lang:es", "source, language" },
		{ "date:2024-01..2024-06", "a date range (open ends allowed)" },
	};
	sb_addstr(b, "<section class=\"help\" id=\"syntax\"><h2>The query "
	          "language</h2><table>");
	for (size_t i = 0; i < sizeof ex / sizeof *ex; i++) {
		serve_query q = { 0 };
		q.q = ex[i][0];
		sb_addstr(b, "<tr><td><a href=\"");
		add_search_href(b, &q);
		sb_addstr(b, "\"><code>");
		html_esc_str(b, ex[i][0]);
		sb_addf(b, "</code></a></td><td>%s</td></tr>", ex[i][1]);
	}
	sb_addstr(b, "</table></section>");
}

/* An error page's frame, whatever was written before, with query in the
 * box. */
static strbuf *error_begin(serve_response *res, unsigned status,
                           const char *title, const char *query)
{
	sb_reset(&res->body);
	serve_query q = { 0 };
	q.q = query ? query : "";
	page_begin(res, status, title, &q);
	return &res->body;
}

void serve_page_error(serve_response *res, unsigned status, const char *title,
                      const char *message, const char *query)
{
	error_begin(res, status, title, query);
	sb_addstr(&res->body, "<section class=\"error\"><h1>");
	html_esc_str(&res->body, title);
	sb_addstr(&res->body, "</h1><p>");
	html_esc_str(&res->body, message);
	sb_addstr(&res->body, "</p></section>");
	page_end(res, NULL);
}

void serve_page_no_db(serve_response *res, const char *path,
                      const char *message, const char *query)
{
	strbuf *b = error_begin(res, 503, "No database", query);
	sb_addstr(b, "<section class=\"error\" id=\"no-db\"><h1>No database to "
	          "search</h1><p>The database <code>");
	html_esc_str(b, path);
	sb_addstr(b, "</code> cannot be opened: ");
	html_esc_str(b, message);
	sb_addstr(b, "</p><p>Index an archive into it, then reload this page "
	          "(the server need not be restarted):</p><pre>lede index -d ");
	html_esc_str(b, path);
	sb_addstr(b, " ~/archive/</pre></section>");
	page_end(res, NULL);
}

void serve_page_bad_query(serve_response *res, const char *query,
                          const char *message)
{
	strbuf *b = error_begin(res, 400, "Malformed query", query);
	sb_addstr(b, "<section class=\"error\" id=\"bad-query\"><h1>The query "
	          "is malformed</h1><p class=\"why\">");
	html_esc_str(b, message);
	sb_addstr(b, "</p>");
	/* the library's messages start "column N: " (in characters) */
	unsigned long col = 0;
	if (query && sscanf(message, "column %lu", &col) == 1 && col > 0 &&
	    col <= SERVE_MAX_ARG + 1) {
		sb_addstr(b, "<pre class=\"caret\">");
		html_esc_str(b, query);
		sb_addch(b, '\n');
		for (unsigned long i = 1; i < col; i++)
			sb_addch(b, ' ');
		sb_addstr(b, "^</pre>");
	}
	sb_addstr(b, "</section>");
	add_syntax_help(b);
	page_end(res, NULL);
}

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
		page_begin(res, 200, NULL, &q);
		add_syntax_help(&res->body);
		page_end(res, NULL);
		return;
	}
	lede_search_opts so;
	serve_query_opts(&so, &q);
	so.facets = LEDE_FACET_ALL;
	so.facet_limit = 0;   /* every period for the timeline */
	lede_results *r = serve_run_search(ctx, q.q, NULL, &so, 0, res);
	if (!r)
		return;
	page_begin(res, 200, q.q, &q);
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
	page_end(res, sb_cstr(&href));
	sb_release(&href);
	sb_release(&api);
	lede_results_free(r);
}

/* The words of quote part v: its "text", or body[start:end] (the shape
 * of lede.article/1's quotes: byte offsets into the body). */
static int quote_words(json_t *v, const char *body, size_t body_len,
                       const char **text, size_t *len)
{
	const char *t = json_string_value(v);
	if (!t)
		t = json_string_value(json_object_get(v, "text"));
	if (t) {
		*text = t;
		*len = strlen(t);
		return 1;
	}
	json_int_t start = json_integer_value(json_object_get(v, "start"));
	json_int_t end = json_integer_value(json_object_get(v, "end"));
	if (!json_is_integer(json_object_get(v, "start")) || start < 0 ||
	    end < start || (size_t)end > body_len)
		return 0;
	*text = body + start;
	*len = (size_t)(end - start);
	return 1;
}

/* Quotes, when the article object carries them (lede.article/1's
 * "quotes": parts with speaker, speaker_display, role, cue, start, end
 * and the index of the quote each belongs to): one blockquote per quote,
 * its parts joined, with its speaker. */
void serve_add_quotes(strbuf *b, json_t *article)
{
	json_t *qs = json_object_get(article, "quotes");
	if (!json_is_array(qs) || json_array_size(qs) == 0)
		return;
	const char *body = json_string_value(json_object_get(article, "body"));
	size_t body_len = body ? strlen(body) : 0;
	sb_addstr(b, "<section class=\"quotes\"><h2>Quotes</h2>");
	size_t n = json_array_size(qs);
	for (size_t i = 0; i < n;) {
		json_t *first = json_array_get(qs, i);
		json_t *qi = json_object_get(first, "quote");
		strbuf words = STRBUF_INIT;
		size_t k = i;
		/* the parts of one quote follow each other */
		do {
			const char *t;
			size_t len;
			if (quote_words(json_array_get(qs, k), body, body_len, &t, &len)) {
				if (words.len)
					sb_addstr(&words, " \xe2\x80\xa6 ");
				sb_addstr(&words, "\xe2\x80\x9c");
				html_esc(&words, t, len);
				sb_addstr(&words, "\xe2\x80\x9d");
			}
			k++;
		} while (k < n && json_is_integer(qi) &&
		         json_equal(json_object_get(json_array_get(qs, k), "quote"), qi));
		i = k;
		if (!words.len) {
			sb_release(&words);
			continue;   /* offsets that are not the body's: nothing to show */
		}
		sb_addstr(b, "<blockquote><p>");
		sb_add(b, words.buf, words.len);
		sb_release(&words);
		sb_addstr(b, "</p>");
		const char *who = json_string_value(json_object_get(first,
		                                                    "speaker_display"));
		if (!who || !*who)
			who = json_string_value(json_object_get(first, "speaker"));
		const char *role = json_string_value(json_object_get(first, "role"));
		if (who && *who) {
			sb_addstr(b, "<footer>\xe2\x80\x94 ");
			html_esc_str(b, who);
			if (role && *role) {
				sb_addstr(b, ", ");
				html_esc_str(b, role);
			}
			sb_addstr(b, "</footer>");
		}
		sb_addstr(b, "</blockquote>");
	}
	sb_addstr(b, "</section>");
}

static int is_web_url(const char *u)
{
	return strncasecmp(u, "http://", 7) == 0 ||
	       strncasecmp(u, "https://", 8) == 0;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Up to 5 articles like id, as links; nothing when that search fails. */
static void add_similar(strbuf *b, const serve_ctx *ctx, const char *id)
{
	lede_search_opts so = LEDE_SEARCH_OPTS_INIT;
	so.limit = 5;
	serve_response scratch = SERVE_RESPONSE_INIT;
	lede_results *r = serve_run_search(ctx, NULL, id, &so, 1, &scratch);
	sb_release(&scratch.body);
	if (!r)
		return;
	if (lede_results_count(r)) {
		sb_addstr(b, "<section class=\"similar\"><h2>Similar</h2><ol>");
		for (size_t i = 0; i < lede_results_count(r); i++) {
			const lede_hit *h = lede_results_hit(r, i);
			sb_addstr(b, "<li><a href=\"");
			add_article_href(b, h->article_id, NULL);
			sb_addstr(b, "\">");
			html_esc_str(b, *h->title ? h->title : "(untitled)");
			sb_addstr(b, "</a> <span class=\"meta\">");
			html_esc_str(b, h->date);
			sb_addstr(b, " ");
			html_esc_str(b, h->source);
			sb_addstr(b, "</span></li>");
		}
		sb_addstr(b, "</ol></section>");
	}
	lede_results_free(r);
}

void serve_page_article(const serve_ctx *ctx, const serve_request *req,
                        serve_response *res)
{
	const char *id = serve_arg_get(req, "id");
	serve_query q = { 0 };
	q.q = serve_arg_get(req, "q") ? serve_arg_get(req, "q") : "";
	q.limit = SERVE_PAGE_HITS;
	if (!id || !*id) {
		serve_page_error(res, 400, "No article", "The address names no "
		                 "article: /article?id=ID.", q.q);
		return;
	}
	lede_article *a = serve_run_article(ctx, id, 0, res);
	if (!a)
		return;
	json_t *o = cli_article_json(a);
	page_begin(res, 200, *a->title ? a->title : "(untitled)", &q);
	strbuf *b = &res->body;
	sb_addstr(b, "<article class=\"article\">");
	if (*q.q) {
		sb_addstr(b, "<p class=\"back\"><a href=\"");
		add_search_href(b, &q);
		sb_addstr(b, "\">\xe2\x86\x90 back to the results</a></p>");
	}
	sb_addstr(b, "<h1 id=\"title\">");
	html_esc_str(b, *jstr(o, "title") ? jstr(o, "title") : "(untitled)");
	sb_addstr(b, "</h1><p class=\"meta\">");
	html_esc_str(b, *jstr(o, "date") ? jstr(o, "date") : "undated");
	static const char *const fields[] = { "source", "authors", "lang" };
	for (size_t i = 0; i < 3; i++)
		if (*jstr(o, fields[i])) {
			sb_addf(b, " \xc2\xb7 <span class=\"%s\">", fields[i]);
			html_esc_str(b, jstr(o, fields[i]));
			sb_addstr(b, "</span>");
		}
	sb_addstr(b, " \xc2\xb7 id <code>");
	html_esc_str(b, jstr(o, "id"));
	sb_addstr(b, "</code>");
	if (is_web_url(jstr(o, "url"))) {
		sb_addstr(b, " \xc2\xb7 <a class=\"url\" rel=\"noopener noreferrer "
		          "nofollow\" href=\"");
		html_esc_str(b, jstr(o, "url"));
		sb_addstr(b, "\">original</a>");
	}
	sb_addstr(b, "</p>");
	if (*jstr(o, "copy_of")) {
		sb_addstr(b, "<p class=\"copy\">A near-duplicate of <a href=\"");
		add_article_href(b, jstr(o, "copy_of"), NULL);
		sb_addstr(b, "\">");
		html_esc_str(b, jstr(o, "copy_of"));
		sb_addstr(b, "</a>.</p>");
	}
	add_chips(b, &q, a->entities, a->nentities);
	serve_add_quotes(b, o);
	sb_addstr(b, "<div class=\"body\">");
	const char *body = jstr(o, "body");
	for (const char *p = body; *p;) {
		const char *e = strstr(p, "\n\n");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n) {
			sb_addstr(b, "<p>");
			html_esc(b, p, n);
			sb_addstr(b, "</p>");
		}
		p += n;
		while (*p == '\n')
			p++;
	}
	sb_addstr(b, "</div></article>");
	add_similar(b, ctx, a->id);
	strbuf href = STRBUF_INIT;
	sb_addstr(&href, "/api/article?id=");
	url_enc(&href, a->id);
	page_end(res, sb_cstr(&href));
	sb_release(&href);
	json_decref(o);
	lede_article_free(a);
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
	page_begin(res, 200, "Similar articles", &q);
	strbuf *b = &res->body;
	sb_addstr(b, "<section class=\"results\"><h1>Articles like <a href=\"");
	add_article_href(b, id, NULL);
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
	page_end(res, sb_cstr(&href));
	sb_release(&href);
	lede_results_free(r);
}
