/* lede serve in a real browser: the real `lede serve` on the archive of
 * tests/data/search/ and the hostile article of tests/data/serve/, and
 * Debian's headless Chromium driven through chromedriver's W3C WebDriver
 * API (tests/helpers/http.c speaks it). Type a query, see results, click
 * a facet and see the filter applied, click a timeline bar and drag
 * across the timeline, open an article; a title that is a <script> shows
 * as text and runs nothing; the API parses as JSON with the schema's
 * fields. Then, on the socket: bounds and paths refused, eight clients at
 * once. Every wait polls with a limit; nothing is timed. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "helpers/e2e.h"
#include "helpers/http.h"
#include "helpers/run.h"

#define ELEMENT_KEY "element-6066-11e4-a52e-4f735466cecf"
#define WAIT_S 30          /* a page, a server, a driver: at most this */
#define HOSTILE_TITLE "<script>window.pwned=1</script><img src=x " \
	"onerror=\"window.pwned=2\"> Quokka"

typedef struct suite {
	char *dir, *db, *out;
	pid_t server, driver;
	unsigned port, dport;
	char session[128];
} suite;

static suite *S;

/* ---- WebDriver ------------------------------------------------------- */

/* method on the session's path (path NULL: the session itself) with a
 * JSON body (taken); the answer's "value" (a new reference), or NULL with
 * the error printed. */
static json_t *wd(const char *method, const char *path, json_t *body)
{
	strbuf p = STRBUF_INIT, out = STRBUF_INIT;
	sb_addf(&p, "/session/%s%s", S->session, path ? path : "");
	char *b = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	int status = http_request(S->dport, method, sb_cstr(&p), b, &out, NULL,
	                          WAIT_S * 2);
	free(b);
	json_t *j = json_loads(sb_cstr(&out), 0, NULL);
	json_t *v = json_incref(json_object_get(j, "value"));
	if (status != 200) {
		print_error("webdriver %s %s: %d %.300s\n", method, sb_cstr(&p),
		            status, sb_cstr(&out));
		json_decref(v);
		v = NULL;
	}
	json_decref(j);
	sb_release(&p);
	sb_release(&out);
	return v;
}

static void wd_go(const char *path)
{
	char url[512];
	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", S->port, path);
	json_t *v = wd("POST", "/url", json_pack("{s:s}", "url", url));
	assert_non_null(v);
	json_decref(v);
}

/* Run script (a function body) in the page; its value, a new reference. */
static json_t *wd_js(const char *script)
{
	return wd("POST", "/execute/sync",
	          json_pack("{s:s,s:[]}", "script", script, "args"));
}

/* Poll script until it returns true, at most WAIT_S seconds. */
static int wait_true(const char *script)
{
	for (int i = 0; i < WAIT_S * 10; i++) {
		json_t *v = wd_js(script);
		int ok = json_is_true(v);
		json_decref(v);
		if (ok)
			return 1;
		sleep_ms(100);
	}
	print_error("still false after %d s: %s\n", WAIT_S, script);
	return 0;
}

/* The first element matching css (its id, malloc()ed), or NULL. */
static char *wd_find(const char *css)
{
	json_t *v = wd("POST", "/element",
	               json_pack("{s:s,s:s}", "using", "css selector", "value", css));
	const char *id = json_string_value(json_object_get(v, ELEMENT_KEY));
	char *r = id ? xstrdup(id) : NULL;
	json_decref(v);
	return r;
}

static json_t *wd_el(const char *method, const char *el, const char *what,
                     json_t *body)
{
	char p[256];
	snprintf(p, sizeof p, "/element/%s%s", el, what);
	return wd(method, p, body);
}

static void wd_click(const char *css)
{
	char *el = wd_find(css);
	assert_non_null(el);
	json_t *v = wd_el("POST", el, "/click", json_object());
	assert_non_null(v);
	json_decref(v);
	free(el);
}

/* The text of the first element matching css, malloc()ed. */
static char *wd_text(const char *css)
{
	char *el = wd_find(css);
	assert_non_null(el);
	json_t *v = wd_el("GET", el, "/text", NULL);
	assert_true(json_is_string(v));
	char *t = xstrdup(json_string_value(v));
	json_decref(v);
	free(el);
	return t;
}

/* ---- the processes --------------------------------------------------- */

/* The port lede serve printed ("lede serve: http://127.0.0.1:PORT/"), 0
 * until it has. */
static unsigned server_port(void)
{
	strbuf b = STRBUF_INIT;
	unsigned port = 0;
	if (run_read_file(S->out, &b) == 0) {
		const char *p = strstr(sb_cstr(&b), "http://127.0.0.1:");
		if (p)
			port = (unsigned)atoi(p + 17);
	}
	sb_release(&b);
	return port;
}

static pid_t start_driver(unsigned port)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);   /* the driver and its browsers, stopped as one */
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		char arg[32];
		snprintf(arg, sizeof arg, "--port=%u", port);
		execlp("chromedriver", "chromedriver", arg, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

static int new_session(void)
{
	char ud[512];
	snprintf(ud, sizeof ud, "--user-data-dir=%s/chromium", S->dir);
	/* as root, in a closed network: without these Chromium stalls (with
	 * a proxy to look for, over 100 s before the first page) */
	json_t *args = json_pack("[s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s]", "--headless",
	                         "--no-sandbox", "--disable-gpu", "--disable-quic",
	                         "--no-first-run", "--disable-background-networking",
	                         "--disable-component-update", "--disable-sync",
	                         "--disable-dev-shm-usage", "--no-proxy-server",
	                         "--disable-extensions", "--disable-breakpad",
	                         "--disable-crash-reporter", "--password-store=basic",
	                         "--window-size=1200,900", ud);
	json_t *caps = json_pack("{s:{s:{s:{s:s,s:o}}}}", "capabilities", "alwaysMatch",
	                         "goog:chromeOptions", "binary", "/usr/bin/chromium",
	                         "args", args);
	char *body = json_dumps(caps, JSON_COMPACT);
	json_decref(caps);
	strbuf out = STRBUF_INIT;
	int status = http_request(S->dport, "POST", "/session", body, &out, NULL,
	                          WAIT_S * 2);
	free(body);
	json_t *j = json_loads(sb_cstr(&out), 0, NULL);
	const char *id = json_string_value(
		json_object_get(json_object_get(j, "value"), "sessionId"));
	int ok = status == 200 && id && strlen(id) < sizeof S->session;
	if (ok)
		snprintf(S->session, sizeof S->session, "%s", id);
	else
		fprintf(stderr, "test_browser: no WebDriver session: %d %.400s\n",
		        status, sb_cstr(&out));
	json_decref(j);
	sb_release(&out);
	return ok ? 0 : -1;
}

static int group_setup(void **state)
{
	suite *s = xcalloc(1, sizeof *s);
	S = s;
	*state = s;
	s->dir = run_mkdtemp("browser");
	s->db = run_path(s->dir, "db");
	s->out = run_path(s->dir, "serve.out");
	char *a = run_path(run_src_dir(), "tests/data/search/archive.jsonl");
	char *h = run_path(run_src_dir(), "tests/data/serve/hostile.jsonl");
	char *idx[] = { "index", "-q", "-d", s->db, a, h, NULL };
	int rc = run_lede_ok(idx);
	free(a);
	free(h);
	if (rc != 0)
		return -1;
	char *serve[] = { "serve", "-d", s->db, "--port", "0", NULL };
	char *err = run_path(s->dir, "serve.err");
	s->server = run_lede_spawn(serve, NULL, s->out, err);
	free(err);
	for (int i = 0; i < WAIT_S * 10 && !(s->port = server_port()); i++)
		sleep_ms(100);
	if (!s->port) {
		fprintf(stderr, "test_browser: lede serve printed no address\n");
		return -1;
	}
	s->dport = http_free_port();
	s->driver = start_driver(s->dport);
	if (s->driver < 0)
		return -1;
	int up = 0;
	for (int i = 0; i < WAIT_S * 10 && !up; i++) {
		strbuf st = STRBUF_INIT;
		up = http_request(s->dport, "GET", "/status", NULL, &st, NULL, 5) == 200;
		sb_release(&st);
		if (!up) {
			if (child_exited(s->driver)) {
				fprintf(stderr, "test_browser: chromedriver would not start "
				        "(tools/deps.sh installs chromium-driver)\n");
				return -1;
			}
			sleep_ms(100);
		}
	}
	if (!up) {
		fprintf(stderr, "test_browser: chromedriver never answered\n");
		return -1;
	}
	return new_session();
}

static void stop_driver(suite *s)
{
	if (s->session[0]) {
		json_t *v = wd("DELETE", NULL, NULL);
		json_decref(v);
		s->session[0] = '\0';
	}
	if (s->driver > 0) {
		kill(-s->driver, SIGTERM);
		for (int i = 0; i < 50 && !child_exited(s->driver); i++)
			sleep_ms(100);
		kill(-s->driver, SIGKILL);
		waitpid(s->driver, NULL, 0);
		s->driver = 0;
	}
}

static int group_teardown(void **state)
{
	suite *s = *state;
	if (!s)
		return 0;
	stop_driver(s);
	if (s->server > 0) {
		kill(s->server, SIGKILL);
		waitpid(s->server, NULL, 0);
	}
	run_rmtree(s->dir);
	free(s->dir);
	free(s->db);
	free(s->out);
	free(s);
	return 0;
}

/* ---- the tests ------------------------------------------------------- */

static void test_type_a_query(void **state)
{
	wd_go("/");
	char *q = wd_find("#q");
	assert_non_null(q);
	json_t *v = wd_el("POST", q, "/value",
	                  json_pack("{s:s}", "text", "immigration"));
	assert_non_null(v);
	json_decref(v);
	free(q);
	wd_click("form.search button[type=submit]");
	assert_true(wait_true("return document.querySelectorAll('li.hit')"
	                      ".length > 0"));
	json_t *n = wd_js("return document.querySelectorAll('li.hit').length");
	assert_true(json_integer_value(n) >= 5);
	json_decref(n);
	assert_true(wait_true("return location.search.indexOf('q=immigration')"
	                      " >= 0"));
	/* the query words are highlighted, the timeline drawn */
	assert_true(wait_true("return document.querySelectorAll('li.hit mark')"
	                      ".length > 0 && !!document.getElementById("
	                      "'timeline')"));
}

static void test_click_a_facet(void **state)
{
	wd_go("/?q=immigration");
	assert_true(wait_true("return !!document.querySelector("
	                      "'.facets a.fv[data-field=city]')"));
	/* the link's text is the value, then its count in a span */
	json_t *jv = wd_js("return document.querySelector("
	                   "'.facets a.fv[data-field=city]').firstChild"
	                   ".textContent.trim()");
	assert_true(json_is_string(jv));
	char *value = xstrdup(json_string_value(jv));
	json_decref(jv);
	wd_click(".facets a.fv[data-field=city]");
	assert_true(wait_true("return document.getElementById('q').value"
	                      ".indexOf('city:\"') >= 0"));
	json_t *qv = wd_js("return document.getElementById('q').value");
	char want[256];
	snprintf(want, sizeof want, "immigration city:\"%s\"", value);
	assert_string_equal(json_string_value(qv), want);
	json_decref(qv);
	/* the facet is on, and every hit carries the city */
	assert_true(wait_true("return !!document.querySelector("
	                      "'.facets a.fv.on[data-field=city]')"));
	json_t *all = wd_js("var h = document.querySelectorAll('li.hit');"
	                    "if (!h.length) return false;"
	                    "for (var i = 0; i < h.length; i++)"
	                    " if (!h[i].querySelector('a.chip.city.on'))"
	                    "  return false;"
	                    "return true;");
	assert_true(json_is_true(all));
	json_decref(all);
	free(value);
}

static void test_click_a_timeline_bar(void **state)
{
	wd_go("/?q=immigration");
	assert_true(wait_true("return !!document.querySelector("
	                      "'#timeline rect.fill')"));
	/* a bar's own link (the page works without a drag) */
	json_t *p = wd_js("var f = document.querySelector("
	                  "'#timeline rect.fill');"
	                  "var a = f.closest('a');"
	                  "var per = a.querySelector('.bar')"
	                  ".getAttribute('data-period');"
	                  "location.href = a.getAttribute('href');"
	                  "return per;");
	assert_true(json_is_string(p));
	char script[256];
	snprintf(script, sizeof script, "return document.getElementById('since')"
	         " && document.getElementById('since').value === '%s' && "
	         "document.getElementById('until').value === '%s'",
	         json_string_value(p), json_string_value(p));
	assert_true(wait_true(script));
	assert_true(wait_true("return document.querySelectorAll('li.hit')"
	                      ".length > 0"));
	json_decref(p);
}

/* A drag from the first bar to the last searches that range (lede.js). */
static void test_drag_across_the_timeline(void **state)
{
	wd_go("/?q=immigration");
	assert_true(wait_true("return document.querySelectorAll("
	                      "'#timeline rect.bar').length > 1"));
	json_t *ends = wd_js("var b = document.querySelectorAll('#timeline "
	                     "rect.bar'); return [b[0].getAttribute('data-period'),"
	                     " b[b.length - 1].getAttribute('data-period')]");
	char *first = wd_find("#timeline a:first-of-type rect.bar");
	char *last = wd_find("#timeline a:last-of-type rect.bar");
	assert_non_null(first);
	assert_non_null(last);
	json_t *at_first = json_pack("{s:s}", ELEMENT_KEY, first);
	json_t *at_last = json_pack("{s:s}", ELEMENT_KEY, last);
	json_t *acts = json_pack(
		"{s:[{s:s,s:s,s:{s:s},s:[{s:s,s:o,s:i,s:i},{s:s,s:i},"
		"{s:s,s:o,s:i,s:i,s:i},{s:s,s:i}]}]}",
		"actions", "type", "pointer", "id", "mouse", "parameters",
		"pointerType", "mouse", "actions",
		"type", "pointerMove", "origin", at_first, "x", 0, "y", 0,
		"type", "pointerDown", "button", 0,
		"type", "pointerMove", "origin", at_last, "x", 0, "y", 0,
		"duration", 200,
		"type", "pointerUp", "button", 0);
	json_t *v = wd("POST", "/actions", acts);
	assert_non_null(v);
	json_decref(v);
	char script[256];
	snprintf(script, sizeof script, "return location.search.indexOf("
	         "'since=%s') >= 0 && location.search.indexOf('until=%s') >= 0",
	         json_string_value(json_array_get(ends, 0)),
	         json_string_value(json_array_get(ends, 1)));
	assert_true(wait_true(script));
	free(first);
	free(last);
	json_decref(ends);
}

static void test_open_an_article(void **state)
{
	wd_go("/?q=sanctuary");
	assert_true(wait_true("return !!document.querySelector('li.hit h2 a')"));
	char *title = wd_text("li.hit h2 a");
	wd_click("li.hit h2 a");
	assert_true(wait_true("return location.pathname === '/article'"));
	assert_true(wait_true("return !!document.getElementById('title')"));
	char *h1 = wd_text("#title");
	assert_string_equal(h1, title);
	assert_true(wait_true("return document.querySelectorAll("
	                      "'.article .body p').length > 0"));
	free(h1);
	free(title);
}

static void test_script_title_is_text(void **state)
{
	wd_go("/?q=quokka");
	assert_true(wait_true("return !!document.querySelector('li.hit h2 a')"));
	char *t = wd_text("li.hit h2 a");
	assert_string_equal(t, HOSTILE_TITLE);
	free(t);
	json_t *v = wd_js("return typeof window.pwned");
	assert_string_equal(json_string_value(v), "undefined");
	json_decref(v);
	wd_click("li.hit h2 a");
	assert_true(wait_true("return location.pathname === '/article'"));
	assert_true(wait_true("return !!document.getElementById('title')"));
	t = wd_text("#title");
	assert_string_equal(t, HOSTILE_TITLE);
	free(t);
	/* no element of the article's markup exists in the page */
	v = wd_js("return [typeof window.pwned,"
	          " document.querySelectorAll('main script, main img,"
	          " main a[href^=javascript]').length]");
	assert_string_equal(json_string_value(json_array_get(v, 0)), "undefined");
	assert_int_equal(json_integer_value(json_array_get(v, 1)), 0);
	json_decref(v);
}

static json_t *api(const char *path)
{
	strbuf out = STRBUF_INIT;
	assert_int_equal(http_request(S->port, "GET", path, NULL, &out, NULL,
	                              WAIT_S), 200);
	json_error_t e;
	json_t *j = json_loads(sb_cstr(&out), 0, &e);
	if (!j)
		print_error("%s: not JSON: %s\n", path, e.text);
	assert_non_null(j);
	sb_release(&out);
	return j;
}

static void test_api_is_json(void **state)
{
	json_t *j = api("/api/search?q=immigration&facets=city&n=5");
	assert_string_equal(json_string_value(json_object_get(j, "schema")),
	                    "lede.search/1");
	json_t *hits = json_object_get(j, "hits");
	assert_int_equal(json_array_size(hits), 5);
	static const char *const fields[] = {
		"rank", "score", "id", "passage", "title", "date", "source", "url",
		"lang", "snippet", "snippet_trimmed_start", "snippet_trimmed_end",
		"highlights", "passage_offsets", "entities", "roles", "also_in"
	};
	for (size_t i = 0; i < json_array_size(hits); i++)
		for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
			assert_non_null(json_object_get(json_array_get(hits, i),
			                                fields[k]));
	json_t *sum = json_object_get(j, "summary");
	assert_string_equal(json_string_value(json_object_get(sum, "schema")),
	                    "lede.search/1");
	assert_true(json_is_array(json_object_get(json_object_get(sum, "facets"),
	                                          "city")));
	json_decref(j);
	j = api("/api/article?id=x01");
	assert_string_equal(json_string_value(json_object_get(j, "schema")),
	                    "lede.article/1");
	assert_string_equal(json_string_value(json_object_get(j, "title")),
	                    HOSTILE_TITLE);
	json_decref(j);
	j = api("/api/timeline?q=immigration&by=year");
	assert_string_equal(json_string_value(json_object_get(j, "schema")),
	                    "lede.timeline/1");
	assert_true(json_array_size(json_object_get(j, "periods")) > 0);
	json_decref(j);
	/* every answer says where scripts may come from */
	strbuf hdr = STRBUF_INIT;
	assert_int_equal(http_request(S->port, "GET", "/", NULL, NULL, &hdr,
	                              WAIT_S), 200);
	assert_non_null(strstr(sb_cstr(&hdr), "Content-Security-Policy: "
	                                      "default-src 'none'; script-src 'self'"));
	sb_release(&hdr);
}

/* What serve_http.c and libmicrohttpd refuse on the socket itself. */
static void test_socket_bounds(void **state)
{
	static const struct {
		const char *request;
		int status;
	} cases[] = {
		/* the raw path, never normalised by a client */
		{ "GET /assets/../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		  "Connection: close\r\n\r\n", 404 },
		{ "GET /assets/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: "
		  "127.0.0.1\r\nConnection: close\r\n\r\n", 404 },
		{ "GET / HTTP/1.1\r\nHost: attacker.example\r\n"
		  "Connection: close\r\n\r\n", 403 },
		{ "POST /api/search?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		  "Content-Length: 3\r\nConnection: close\r\n\r\nabc", 405 },
		{ "GET /?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n"
		  "Connection: close\r\n\r\nabc", 413 },
		{ "GET /assets/lede.css HTTP/1.1\r\nHost: localhost\r\n"
		  "Connection: close\r\n\r\n", 200 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		strbuf out = STRBUF_INIT;
		int st = http_raw(S->port, cases[i].request, strlen(cases[i].request),
		                  &out, NULL, WAIT_S);
		if (st != cases[i].status)
			print_error("%.60s: %d\n", cases[i].request, st);
		assert_int_equal(st, cases[i].status);
		assert_null(strstr(sb_cstr(&out), "root:"));
		sb_release(&out);
	}
	/* a request line longer than the 32 KiB of header memory */
	strbuf big = STRBUF_INIT;
	sb_addstr(&big, "GET /?q=");
	for (int i = 0; i < 40000; i++)
		sb_addch(&big, 'a');
	sb_addstr(&big, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
	int st = http_raw(S->port, big.buf, big.len, NULL, NULL, WAIT_S);
	assert_true(st == 414 || st == 431);
	sb_release(&big);
}

#define CLIENTS 8
#define REQUESTS 12

static void *client(void *arg)
{
	static const char *const paths[] = {
		"/?q=immigration", "/api/search?q=sanctuary&facets=all",
		"/article?id=s01", "/api/timeline?q=ice"
	};
	long *ok = arg;
	for (int i = 0; i < REQUESTS; i++) {
		strbuf out = STRBUF_INIT;
		int st = http_request(S->port, "GET", paths[i % 4], NULL, &out, NULL,
		                      WAIT_S);
		*ok += st == 200 && out.len > 100;
		sb_release(&out);
	}
	return NULL;
}

/* Eight clients at once on four workers: every answer whole. */
static void test_concurrent_requests(void **state)
{
	pthread_t t[CLIENTS];
	long ok[CLIENTS] = { 0 };
	for (int i = 0; i < CLIENTS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, client, &ok[i]), 0);
	long total = 0;
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(t[i], NULL);
		total += ok[i];
	}
	assert_int_equal(total, CLIENTS * REQUESTS);
}

/* SIGTERM stops the server with exit 0 (under the sanitizers: nothing
 * leaked, the handle pool closed). */
static void test_server_stops(void **state)
{
	stop_driver(S);
	kill(S->server, SIGTERM);
	int code = -1;
	for (int i = 0; i < WAIT_S * 10 && !child_exited(S->server); i++)
		sleep_ms(100);
	/* still running: the teardown kills it */
	assert_true(child_exited(S->server));
	assert_int_equal(run_wait(S->server, &code, NULL), 0);
	S->server = 0;
	assert_int_equal(code, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_a_query),
		cmocka_unit_test(test_click_a_facet),
		cmocka_unit_test(test_click_a_timeline_bar),
		cmocka_unit_test(test_drag_across_the_timeline),
		cmocka_unit_test(test_open_an_article),
		cmocka_unit_test(test_script_title_is_text),
		cmocka_unit_test(test_api_is_json),
		cmocka_unit_test(test_socket_bounds),
		cmocka_unit_test(test_concurrent_requests),
		cmocka_unit_test(test_server_stops),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
