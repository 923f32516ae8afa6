/* lede serve's page frame (head, search form, footer), the links every
 * page makes (to a search, to an article, filter chips), and the error
 * pages. Server-rendered with plain links and one form, so that every
 * page works without JavaScript; no inline script or style, so the
 * Content-Security-Policy of serve_http.c can forbid them. Every value
 * from an article, a query or the database goes through html_esc. */
#include <stdio.h>
#include <string.h>

#include "serve.h"

/* ---- the frame ------------------------------------------------------- */

void serve_page_begin(serve_response *res, unsigned status,
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

void serve_page_end(serve_response *res, const char *json_href)
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

void serve_search_href(strbuf *b, const serve_query *q)
{
	strbuf u = STRBUF_INIT;
	serve_search_url(&u, q);
	html_esc(b, u.buf, u.len);
	sb_release(&u);
}

void serve_article_href(strbuf *b, const char *id, const char *query)
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
void serve_filter_link(strbuf *b, const serve_query *q, const char *cls,
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
	serve_search_href(b, &to);
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
void serve_add_chips(strbuf *b, const serve_query *q, const lede_entity *e,
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
		serve_filter_link(b, q, cls, e[i].type, e[i].key, NULL, sb_cstr(&tip));
		sb_addstr(b, "</li>");
		sb_release(&tip);
	}
	sb_addstr(b, "</ul>");
}


/* ---- the error pages ------------------------------------------------ */

void serve_add_syntax_help(strbuf *b)
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
		serve_search_href(b, &q);
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
	serve_page_begin(res, status, title, &q);
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
	serve_page_end(res, NULL);
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
	serve_page_end(res, NULL);
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
	serve_add_syntax_help(b);
	serve_page_end(res, NULL);
}

