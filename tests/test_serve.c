/* lede serve's request handling, without sockets: serve_handle on made-up
 * requests against the archive of tests/data/search/ and the hostile
 * article of tests/data/serve/. The bounds (argument length and count,
 * paging, methods, bodies, Host), paths outside the assets refused, the
 * malformed-query and missing-database pages, escaping of a hostile
 * article on every page, and the API's JSON against docs/output-format.md.
 * The real server in a real browser: tests/test_serve_browser.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../searcher/serve.h"
#include "helpers/run.h"

/* main.c holds the help texts with main(); the writers linked here only
 * name cli_help for their --help, which no page calls. */
int cli_help(const char *cmd, FILE *out)
{
	(void)cmd;
	(void)out;
	return 0;
}

typedef struct suite {
	char *dir, *db;
	serve_pool *pool;
	serve_ctx ctx;
} suite;

static suite *S;

static int group_setup(void **state)
{
	suite *s = xcalloc(1, sizeof *s);
	s->dir = run_mkdtemp("serve");
	s->db = run_path(s->dir, "db");
	char *a = run_path(run_src_dir(), "tests/data/search/archive.jsonl");
	char *h = run_path(run_src_dir(), "tests/data/serve/hostile.jsonl");
	char *args[] = { "index", "-q", "-d", s->db, a, h, NULL };
	int rc = run_lede_ok(args);
	free(a);
	free(h);
	if (rc != 0)
		return -1;
	s->pool = serve_pool_new(s->db, 2);
	s->ctx.pool = s->pool;
	s->ctx.loopback_only = 1;
	S = s;
	*state = s;
	return 0;
}

static int group_teardown(void **state)
{
	suite *s = *state;
	if (!s)
		return 0;
	serve_pool_free(s->pool);
	run_rmtree(s->dir);
	free(s->dir);
	free(s->db);
	free(s);
	return 0;
}

/* GET path with the NULL-ended name, value pairs as arguments, into res
 * (released first); returns the status. */
static unsigned get_ctx(const serve_ctx *ctx, serve_response *res,
                        const char *path, ...)
{
	serve_arg args[SERVE_MAX_ARGS + 8];
	size_t n = 0;
	va_list ap;
	va_start(ap, path);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL) {
		assert_true(n < sizeof args / sizeof *args);
		args[n].name = k;
		args[n].value = va_arg(ap, const char *);
		n++;
	}
	va_end(ap);
	sb_release(&res->body);
	serve_response init = SERVE_RESPONSE_INIT;
	*res = init;
	serve_request req = { "GET", path, args, n, "127.0.0.1:8080", 0 };
	serve_handle(ctx, &req, res);
	return res->status;
}

#define get(res, ...) get_ctx(&S->ctx, res, __VA_ARGS__, NULL)

static const char *body(const serve_response *res)
{
	return sb_cstr(&res->body);
}

static void test_home_page(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	assert_int_equal(get(&r, "/"), 200);
	assert_string_equal(r.type, "text/html; charset=utf-8");
	assert_non_null(strstr(body(&r), "<form class=\"search\" action=\"/\""));
	assert_non_null(strstr(body(&r), "id=\"syntax\""));
	/* nothing from elsewhere: every link and asset is this server's */
	assert_null(strstr(body(&r), "http://"));
	assert_null(strstr(body(&r), "https://"));
	assert_null(strstr(body(&r), "<script>"));
	sb_release(&r.body);
}

static void test_search_page(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	assert_int_equal(get(&r, "/", "q", "sanctuary"), 200);
	const char *b = body(&r);
	assert_non_null(strstr(b, "<li class=\"hit\""));
	assert_non_null(strstr(b, "<mark>sanctuary</mark>"));
	assert_non_null(strstr(b, "data-facet=\"city\""));
	/* speakers are a facet too, filtering by said: */
	assert_non_null(strstr(b, "data-facet=\"speaker\""));
	assert_non_null(strstr(b, "said%3A%22elena%20marchetti%22"));
	assert_non_null(strstr(b, "<svg id=\"timeline\""));
	assert_non_null(strstr(b, "data-period=\"2017-02\""));
	assert_non_null(strstr(b, "class=\"chip city"));
	/* the search box keeps the query */
	assert_non_null(strstr(b, "value=\"sanctuary\""));
	sb_release(&r.body);
}

static void test_facet_link_filters(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	assert_int_equal(get(&r, "/", "q", "sanctuary"), 200);
	/* the facet value links to the query with its filter added */
	assert_non_null(strstr(body(&r), "href=\"/?q=sanctuary%20city%3A%22"
	                                 "chicago%20il%22\""));
	assert_int_equal(get(&r, "/", "q", "sanctuary city:\"chicago il\""), 200);
	const char *b = body(&r);
	/* shown as on, and its link takes the filter off again */
	assert_non_null(strstr(b, "class=\"fv on\" data-field=\"city\" "
	                          "href=\"/?q=sanctuary\">chicago il"));
	/* every hit is tagged with the city */
	size_t hits = 0, tagged = 0;
	for (const char *p = strstr(b, "<li class=\"hit\""); p;
	     p = strstr(p + 1, "<li class=\"hit\"")) {
		const char *end = strstr(p, "</li>\n");
		assert_non_null(end);
		const char *chip = strstr(p, "class=\"chip city on\"");
		hits++;
		tagged += chip && chip < end;
	}
	assert_true(hits > 0);
	assert_int_equal(hits, tagged);
	sb_release(&r.body);
}

static void test_sort_paging_dedup(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	assert_int_equal(get(&r, "/", "q", "immigration", "sort", "-date", "n", "3"),
	                 200);
	const char *b = body(&r);
	assert_non_null(strstr(b, "<option value=\"-date\" selected>"));
	/* dates descending */
	char prev[16] = "9999";
	int dates = 0;
	for (const char *p = strstr(b, "<time>"); p; p = strstr(p + 1, "<time>")) {
		char d[16] = "";
		assert_int_equal(sscanf(p + 6, "%15[0-9-]", d), 1);
		assert_true(strcmp(d, prev) <= 0);
		strcpy(prev, d);
		dates++;
	}
	assert_int_equal(dates, 3);   /* n=3 */
	assert_non_null(strstr(b, "rel=\"next\" href=\"/?q=immigration&amp;"
	                          "sort=-date&amp;n=3&amp;offset=3\""));
	assert_null(strstr(b, "rel=\"prev\""));
	assert_int_equal(get(&r, "/", "q", "immigration", "sort", "-date", "n", "3",
	                     "offset", "3"), 200);
	assert_non_null(strstr(body(&r), "rel=\"prev\""));
	assert_non_null(strstr(body(&r), "<ol class=\"hits\" start=\"4\">"));
	/* s07 is folded with two copies */
	assert_int_equal(get(&r, "/", "q", "date:2019-07"), 200);
	assert_non_null(strstr(body(&r), "also in 2 other sources"));
	assert_int_equal(get(&r, "/", "q", "date:2019-07", "dedup",
	                     "off"), 200);
	assert_null(strstr(body(&r), "also in 2 other sources"));
	sb_release(&r.body);
}

/* The hostile article's title, source, url and text never reach a page as
 * markup: on the search page, the article page and the similar page. */
static void test_hostile_article_is_text(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	const char *pages[][4] = {
		{ "/", "q", "quokka", NULL },
		{ "/article", "id", "x01", NULL },
		{ "/similar", "id", "s01", NULL },
	};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		assert_int_equal(get(&r, pages[i][0], pages[i][1], pages[i][2]), 200);
		const char *b = body(&r);
		assert_null(strstr(b, "<script>"));
		assert_null(strstr(b, "<img"));
		assert_null(strstr(b, "<b>"));
		assert_null(strstr(b, "href=\"javascript"));
		assert_null(strstr(b, "onerror=\""));
		/* and the hostile article is on the page, as text */
		assert_non_null(strstr(b, "&lt;script&gt;window.pwned=1"));
	}
	assert_int_equal(get(&r, "/article", "id", "x01"), 200);
	assert_non_null(strstr(body(&r), "<h1 id=\"title\">&lt;script&gt;"
	                                 "window.pwned=1&lt;/script&gt;&lt;img "
	                                 "src=x onerror=&quot;window.pwned=2&quot;"
	                                 "&gt; Quokka</h1>"));
	/* a javascript: url is not linked at all */
	assert_null(strstr(body(&r), "class=\"url\""));
	assert_int_equal(get(&r, "/article", "id", "s01"), 200);
	assert_non_null(strstr(body(&r), "class=\"url\" rel=\"noopener noreferrer "
	                                 "nofollow\" href=\"https://example.org/s01\""));
	sb_release(&r.body);
}

static void test_html_escape(void **state)
{
	strbuf b = STRBUF_INIT;
	html_esc(&b, "a<b>&\"'\x01\x7f\xff\xc3\xa9\n\0z", 15);
	assert_string_equal(sb_cstr(&b), "a&lt;b&gt;&amp;&quot;&#39;"
	                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\n"
	                    "\xef\xbf\xbdz");
	sb_reset(&b);
	/* C1 controls are not text either */
	html_esc_str(&b, "\xc2\x85x");
	assert_string_equal(sb_cstr(&b), "\xef\xbf\xbdx");
	sb_reset(&b);
	url_enc(&b, "a b&c=\"d\"/\xc3\xa9");
	assert_string_equal(sb_cstr(&b), "a%20b%26c%3D%22d%22%2F%C3%A9");
	sb_release(&b);
}

static void test_query_toggle(void **state)
{
	strbuf b = STRBUF_INIT;
	assert_int_equal(serve_query_toggle(&b, "ice raid", "city", "chicago il"), 0);
	assert_string_equal(sb_cstr(&b), "ice raid city:\"chicago il\"");
	sb_reset(&b);
	assert_int_equal(serve_query_toggle(&b, "ice city:\"chicago il\" raid",
	                                    "city", "chicago il"), 0);
	assert_string_equal(sb_cstr(&b), "ice raid");
	sb_reset(&b);
	assert_int_equal(serve_query_toggle(&b, "", "agency", "ice"), 0);
	assert_string_equal(sb_cstr(&b), "agency:\"ice\"");
	sb_reset(&b);
	/* a longer value that starts alike is another filter */
	assert_false(serve_query_has("city:\"chicago ilx\"", "city", "chicago il"));
	assert_int_equal(serve_query_toggle(&b, "x", "source", "a\"b"), -1);
	sb_release(&b);
}

static void test_bad_query_page(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	assert_int_equal(get(&r, "/", "q", "sanctuary AND ("), 400);
	const char *b = body(&r);
	assert_non_null(strstr(b, "id=\"bad-query\""));
	assert_non_null(strstr(b, "column 16"));
	/* the caret under column 16 */
	assert_non_null(strstr(b, "<pre class=\"caret\">sanctuary AND (\n"
	                          "               ^</pre>"));
	/* the box keeps what was typed, to be mended */
	assert_non_null(strstr(b, "value=\"sanctuary AND (\""));
	/* a hostile query is escaped on its error page too */
	assert_int_equal(get(&r, "/", "q", "\"<script>x"), 400);
	assert_null(strstr(body(&r), "<script>"));
	assert_non_null(strstr(body(&r), "&lt;script&gt;"));
	/* the API says the same as JSON */
	assert_int_equal(get(&r, "/api/search", "q", "sanctuary AND ("), 400);
	json_t *j = json_loads(body(&r), 0, NULL);
	assert_non_null(j);
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")),
	                       "column 16"));
	json_decref(j);
	sb_release(&r.body);
}

static void test_missing_db_page(void **state)
{
	char *path = run_path(S->dir, "no-such-db");
	serve_pool *p = serve_pool_new(path, 1);
	serve_ctx ctx = { p, 1 };
	serve_response r = SERVE_RESPONSE_INIT;
	assert_int_equal(get_ctx(&ctx, &r, "/", "q", "sanctuary", NULL), 503);
	assert_non_null(strstr(body(&r), "id=\"no-db\""));
	assert_non_null(strstr(body(&r), path));
	assert_non_null(strstr(body(&r), "lede index -d "));
	assert_int_equal(get_ctx(&ctx, &r, "/article", "id", "s01", NULL), 503);
	assert_int_equal(get_ctx(&ctx, &r, "/api/search", "q", "x", NULL), 503);
	assert_non_null(strstr(body(&r), "\"status\": 503"));
	/* the home page needs no database */
	assert_int_equal(get_ctx(&ctx, &r, "/", NULL), 200);
	serve_pool_free(p);
	free(path);
	sb_release(&r.body);
}

static void test_bounds(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	char *big = xmalloc(SERVE_MAX_ARG + 2);
	memset(big, 'a', SERVE_MAX_ARG + 1);
	big[SERVE_MAX_ARG + 1] = '\0';
	assert_int_equal(get(&r, "/", "q", big), 414);
	assert_int_equal(get(&r, "/api/search", "q", big), 414);
	/* at the bound: a query the library reads */
	for (size_t i = 0; i < SERVE_MAX_ARG; i++)
		big[i] = "ice "[i % 4];
	big[SERVE_MAX_ARG] = '\0';
	assert_int_equal(get(&r, "/", "q", big), 200);
	free(big);
	assert_int_equal(get(&r, "/", "q", "x", "n", "0"), 400);
	assert_int_equal(get(&r, "/", "q", "x", "n", "101"), 400);
	assert_int_equal(get(&r, "/", "q", "x", "n", "100"), 200);
	assert_int_equal(get(&r, "/", "q", "x", "offset", "10001"), 400);
	assert_int_equal(get(&r, "/", "q", "x", "offset", "-1"), 400);
	assert_int_equal(get(&r, "/", "q", "x", "offset", "99999999999999999999"),
	                 400);
	assert_int_equal(get(&r, "/", "q", "x", "sort", "nonsense"), 400);
	assert_int_equal(get(&r, "/api/timeline", "q", "x", "by", "day"), 400);
	/* too many arguments */
	serve_arg many[SERVE_MAX_ARGS + 1];
	for (size_t i = 0; i < SERVE_MAX_ARGS + 1; i++)
		many[i] = (serve_arg){ "q", "x" };
	serve_request req = { "GET", "/", many, SERVE_MAX_ARGS + 1, NULL, 0 };
	serve_handle(&S->ctx, &req, &r);
	assert_int_equal(r.status, 414);
	/* read-only: other methods, and bodies, are refused */
	static const char *const methods[] = { "POST", "PUT", "DELETE", "OPTIONS" };
	for (size_t i = 0; i < 4; i++) {
		sb_release(&r.body);
		serve_response init = SERVE_RESPONSE_INIT;
		r = init;
		serve_request m = { methods[i], "/", NULL, 0, NULL, 0 };
		serve_handle(&S->ctx, &m, &r);
		assert_int_equal(r.status, 405);
	}
	sb_release(&r.body);
	serve_response init = SERVE_RESPONSE_INIT;
	r = init;
	serve_request withbody = { "GET", "/", NULL, 0, NULL, 1 };
	serve_handle(&S->ctx, &withbody, &r);
	assert_int_equal(r.status, 413);
	/* a page elsewhere that rebinds its name to 127.0.0.1 is refused */
	static const char *const hosts[] = { "evil.example", "evil.example:8080",
	                                     "localhost.evil.example",
	                                     "127.0.0.1.evil.example", "localhost:",
	                                     "localhost:80x" };
	for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++) {
		sb_release(&r.body);
		r = init;
		serve_request h = { "GET", "/", NULL, 0, hosts[i], 0 };
		serve_handle(&S->ctx, &h, &r);
		assert_int_equal(r.status, 403);
	}
	static const char *const good[] = { "localhost", "localhost:8080",
	                                    "127.0.0.1:1", "[::1]:8080" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		sb_release(&r.body);
		r = init;
		serve_request h = { "GET", "/", NULL, 0, good[i], 0 };
		serve_handle(&S->ctx, &h, &r);
		assert_int_equal(r.status, 200);
	}
	sb_release(&r.body);
}

static void test_paths_refused(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	static const char *const bad[] = {
		"/assets/../lede.css", "/assets/../../etc/passwd", "/../etc/passwd",
		"/etc/passwd", "/assets/", "/assets", "/assets/lede.css/",
		"/assets/./lede.css", "/assets//lede.css", "/assets/%2e%2e/etc/passwd",
		"/assets/LEDE.CSS", "//etc/passwd", "/article/../etc/passwd",
		"/api/", "/api/search/x", "/searcher/serve_pages.c", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(get(&r, bad[i]), 404);
		assert_null(strstr(body(&r), "root:"));
	}
	assert_int_equal(get(&r, "/assets/lede.css"), 200);
	assert_string_equal(r.type, "text/css; charset=utf-8");
	assert_true(r.fixed_len > 100);
	assert_int_equal(get(&r, "/assets/lede.js"), 200);
	assert_string_equal(r.type, "text/javascript; charset=utf-8");
	sb_release(&r.body);
}

/* A lede.search/1 hit has the fields of docs/output-format.md. */
static void check_hit(json_t *h)
{
	static const char *const str[] = { "id", "title", "date", "source", "url",
	                                   "lang", "snippet" };
	for (size_t i = 0; i < sizeof str / sizeof *str; i++)
		assert_true(json_is_string(json_object_get(h, str[i])));
	static const char *const num[] = { "rank", "passage", "also_in" };
	for (size_t i = 0; i < sizeof num / sizeof *num; i++)
		assert_true(json_is_integer(json_object_get(h, num[i])));
	assert_true(json_is_number(json_object_get(h, "score")));
	assert_true(json_is_boolean(json_object_get(h, "snippet_trimmed_start")));
	assert_true(json_is_array(json_object_get(h, "highlights")));
	assert_true(json_is_array(json_object_get(h, "passage_offsets")));
	assert_true(json_is_object(json_object_get(h, "entities")));
	assert_true(json_is_object(json_object_get(h, "roles")));
}

static void test_api_json(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	assert_int_equal(get(&r, "/api/search", "q", "immigration", "n", "3",
	                     "facets", "city,source"), 200);
	assert_string_equal(r.type, "application/json; charset=utf-8");
	json_error_t e;
	json_t *j = json_loads(body(&r), 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "schema")),
	                    "lede.search/1");
	json_t *hits = json_object_get(j, "hits");
	assert_int_equal(json_array_size(hits), 3);
	for (size_t i = 0; i < 3; i++)
		check_hit(json_array_get(hits, i));
	json_t *sum = json_object_get(j, "summary");
	assert_string_equal(json_string_value(json_object_get(sum, "query")),
	                    "immigration");
	assert_true(json_integer_value(json_object_get(sum, "total")) >= 3);
	assert_int_equal(json_integer_value(json_object_get(sum, "returned")), 3);
	json_t *fc = json_object_get(json_object_get(sum, "facets"), "city");
	assert_true(json_array_size(fc) > 0);
	assert_true(json_is_string(json_object_get(json_array_get(fc, 0), "value")));
	json_decref(j);

	assert_int_equal(get(&r, "/api/article", "id", "x01"), 200);
	j = json_loads(body(&r), 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "schema")),
	                    "lede.article/1");
	assert_non_null(strstr(json_string_value(json_object_get(j, "title")),
	                       "<script>"));
	assert_true(json_is_string(json_object_get(j, "body")));
	assert_true(json_is_object(json_object_get(j, "entities")));
	assert_true(json_is_integer(json_object_get(j, "passages")));
	json_decref(j);
	assert_int_equal(get(&r, "/api/article", "id", "no-such"), 404);

	assert_int_equal(get(&r, "/api/timeline", "q", "sanctuary", "by", "month"),
	                 200);
	j = json_loads(body(&r), 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "schema")),
	                    "lede.timeline/1");
	assert_string_equal(json_string_value(json_object_get(j, "by")), "month");
	json_t *periods = json_object_get(j, "periods");
	json_int_t sum_articles = 0;
	for (size_t i = 0; i < json_array_size(periods); i++)
		sum_articles += json_integer_value(
			json_object_get(json_array_get(periods, i), "articles"));
	assert_true(sum_articles > 0);
	assert_true(sum_articles <= json_integer_value(json_object_get(j, "total")));
	json_decref(j);

	assert_int_equal(get(&r, "/api/similar", "id", "s01"), 200);
	j = json_loads(body(&r), 0, &e);
	assert_non_null(j);
	assert_true(json_array_size(json_object_get(j, "hits")) > 0);
	json_decref(j);
	assert_int_equal(get(&r, "/api/search"), 400);
	sb_release(&r.body);
}

static void test_article_page(void **state)
{
	serve_response r = SERVE_RESPONSE_INIT;
	assert_int_equal(get(&r, "/article", "id", "s01", "q", "sanctuary"), 200);
	const char *b = body(&r);
	assert_non_null(strstr(b, "<h1 id=\"title\">Chicago mayor vows"));
	assert_non_null(strstr(b, "class=\"chip official\""));
	assert_non_null(strstr(b, "<section class=\"similar\">"));
	assert_non_null(strstr(b, "href=\"/?q=sanctuary\">\xe2\x86\x90 back"));
	assert_non_null(strstr(b, "href=\"/api/article?id=s01\""));
	/* a copy names its original */
	assert_int_equal(get(&r, "/article", "id", "s07b"), 200);
	assert_non_null(strstr(body(&r), "A near-duplicate of <a href=\"/article"
	                                 "?id=s07\">"));
	assert_int_equal(get(&r, "/article", "id", "no-such"), 404);
	assert_int_equal(get(&r, "/article"), 400);
	sb_release(&r.body);
}

/* The quotes array that lede.article/1 is to carry: parts as offsets
 * into the body, grouped by "quote", escaped. */
static void test_article_quotes(void **state)
{
	json_t *a = json_loads(
		"{\"body\": \"Bass said: <we stay> and <we fight>. Other.\","
		" \"quotes\": ["
		"  {\"speaker\": \"karen bass\", \"speaker_display\": \"Karen Bass\","
		"   \"role\": \"mayor\", \"cue\": \"said\", \"start\": 11,"
		"   \"end\": 20, \"quote\": 0},"
		"  {\"speaker\": \"karen bass\", \"speaker_display\": \"Karen Bass\","
		"   \"role\": \"mayor\", \"cue\": \"said\", \"start\": 25,"
		"   \"end\": 35, \"quote\": 0},"
		"  {\"speaker\": \"\", \"speaker_display\": \"\", \"start\": 37,"
		"   \"end\": 999, \"quote\": 2}]}", 0, NULL);
	assert_non_null(a);
	strbuf b = STRBUF_INIT;
	serve_add_quotes(&b, a);
	assert_string_equal(sb_cstr(&b),
		"<section class=\"quotes\"><h2>Quotes</h2><blockquote><p>"
		"\xe2\x80\x9c&lt;we stay&gt;\xe2\x80\x9d \xe2\x80\xa6 "
		"\xe2\x80\x9c&lt;we fight&gt;\xe2\x80\x9d</p><footer>\xe2\x80\x94 "
		"Karen Bass, mayor</footer></blockquote>"
		/* offsets past the body: left out */
		"</section>");
	json_decref(a);
	/* no quotes: nothing */
	sb_reset(&b);
	a = json_loads("{\"body\": \"x\"}", 0, NULL);
	serve_add_quotes(&b, a);
	assert_int_equal(b.len, 0);
	json_decref(a);
	sb_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_home_page),
		cmocka_unit_test(test_search_page),
		cmocka_unit_test(test_facet_link_filters),
		cmocka_unit_test(test_sort_paging_dedup),
		cmocka_unit_test(test_hostile_article_is_text),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_query_toggle),
		cmocka_unit_test(test_bad_query_page),
		cmocka_unit_test(test_missing_db_page),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_paths_refused),
		cmocka_unit_test(test_api_json),
		cmocka_unit_test(test_article_page),
		cmocka_unit_test(test_article_quotes),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
