/* lede serve's article page: what `lede show` prints, from the
 * lede.article/1 object the API answers (so a field added there, as the
 * quotes, reaches the page), with entity chips and similar articles. */
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "serve.h"

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
			serve_article_href(b, h->article_id, NULL);
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
	serve_page_begin(res, 200, *a->title ? a->title : "(untitled)", &q);
	strbuf *b = &res->body;
	sb_addstr(b, "<article class=\"article\">");
	if (*q.q) {
		sb_addstr(b, "<p class=\"back\"><a href=\"");
		serve_search_href(b, &q);
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
		serve_article_href(b, jstr(o, "copy_of"), NULL);
		sb_addstr(b, "\">");
		html_esc_str(b, jstr(o, "copy_of"));
		sb_addstr(b, "</a>.</p>");
	}
	serve_add_chips(b, &q, a->entities, a->nentities);
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
	serve_page_end(res, sb_cstr(&href));
	sb_release(&href);
	json_decref(o);
	lede_article_free(a);
}

