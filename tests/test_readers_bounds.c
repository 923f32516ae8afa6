/* The readers' bounds on hostile input, as the README states them, tested
 * at the bound: the largest record (max_record_bytes, 16 MiB by default)
 * in every format, the deepest nesting (JSON 2048 levels, XML and HTML 256
 * enclosing elements), each just under (read) and just over (rejected on
 * one line, nothing else lost). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/escape.h"
#include "../corpus/article.h"
#include "helpers/run.h"

#define MAX 4096  /* the bound set for the small cases */

typedef struct outcome {
	size_t articles, rejects, warnings;
	size_t body_len;        /* of the last article */
	char reason[ESC_LINE_MAX + 1];  /* the last rejection */
} outcome;

static int on_article(const article *a, void *ctx)
{
	outcome *o = ctx;
	o->articles++;
	o->body_len = a->body_len;
	return 0;
}

/* A rejection or a warning: one printable line, kept as the last reason. */
static void note_reason(outcome *o, const char *reason)
{
	assert_true(esc_is_one_line(reason, strlen(reason)));
	snprintf(o->reason, sizeof o->reason, "%s", reason);
}

static void on_reject(const char *path, uint64_t line, const char *reason,
                      void *ctx)
{
	outcome *o = ctx;
	o->rejects++;
	note_reason(o, reason);
}

static void on_warn(const char *path, uint64_t line, const char *reason,
                    void *ctx)
{
	outcome *o = ctx;
	o->warnings++;
	note_reason(o, reason);
}

/* Read data (n bytes) as a file called name with the record bound max
 * (0: the default). */
static outcome read_as(const char *name, const char *data, size_t n,
                       size_t max)
{
	char *dir = run_mkdtemp("bounds");
	char *path = run_path(dir, name);
	assert_int_equal(run_write_file(path, data, n), 0);
	outcome o;
	memset(&o, 0, sizeof o);
	corpus_reader_opts opts = {
		.max_record_bytes = max, .on_article = on_article,
		.on_reject = on_reject, .on_warn = on_warn, .ctx = &o,
	};
	assert_int_equal(corpus_read_path(path, &opts), 0);
	run_rmtree(dir);
	free(path);
	free(dir);
	return o;
}

/* A buffer of n bytes: head, then filler words, then tail. */
static char *fill(size_t n, const char *head, const char *tail)
{
	size_t h = strlen(head), t = strlen(tail);
	assert_true(n >= h + t);
	char *b = malloc(n + 1);
	assert_non_null(b);
	memcpy(b, head, h);
	for (size_t i = h; i < n - t; i++)
		b[i] = (i % 6 == 5) ? ' ' : 'a' + (char)(i % 5);
	memcpy(b + n - t, tail, t);
	b[n] = '\0';
	return b;
}

static void expect_read(const char *name, char *data, size_t n, size_t max)
{
	outcome o = read_as(name, data, n, max);
	if (o.rejects)
		print_error("%s of %zu bytes: %s\n", name, n, o.reason);
	assert_int_equal(o.rejects, 0);
	assert_int_equal(o.articles, 1);
	free(data);
}

static void expect_too_long(const char *name, char *data, size_t n,
                            size_t max)
{
	outcome o = read_as(name, data, n, max);
	assert_int_equal(o.articles, 0);
	assert_int_equal(o.rejects, 1);
	char want[64];
	snprintf(want, sizeof want, "longer than %zu bytes", max ? max
	         : (size_t)16 << 20);
	assert_non_null(strstr(o.reason, want));
	free(data);
}

/* ---- the largest record -------------------------------------------- */

static void txt_record_at_bound(void **state)
{
	(void)state;
	expect_read("a.txt", fill(MAX, "Title\n\n", "\n"), MAX, MAX);
	expect_too_long("a.txt", fill(MAX + 1, "Title\n\n", "\n"), MAX + 1, MAX);
}

/* A JSON Lines record is its line, without the line break. */
static void jsonl_record_at_bound(void **state)
{
	(void)state;
	const char *h = "{\"title\":\"t\",\"text\":\"";
	expect_read("a.jsonl", fill(MAX + 1, h, "\"}\n"), MAX + 1, MAX);
	expect_too_long("a.jsonl", fill(MAX + 2, h, "\"}\n"), MAX + 2, MAX);
}

/* A .json document is the whole file. */
static void json_document_at_bound(void **state)
{
	(void)state;
	const char *h = "[\n{\"title\":\"t\",\n\"text\":\"";
	expect_read("a.json", fill(MAX, h, "\"}\n]\n"), MAX, MAX);
	expect_too_long("a.json", fill(MAX + 1, h, "\"}\n]\n"), MAX + 1, MAX);
}

/* A CSV record is its fields as decoded, one byte more per field. */
static void csv_record_at_bound(void **state)
{
	(void)state;
	const char *h = "text\n\"";
	size_t head = strlen(h);
	/* one field of MAX - 1 bytes: MAX with its terminator */
	size_t n = head + (MAX - 1) + 2;
	expect_read("a.csv", fill(n, h, "\"\n"), n, MAX);
	expect_too_long("a.csv", fill(n + 1, h, "\"\n"), n + 1, MAX);
}

static void html_document_at_bound(void **state)
{
	(void)state;
	const char *h = "<html><head><title>t</title></head><body><p>";
	expect_read("a.html", fill(MAX, h, "</p></body></html>\n"), MAX, MAX);
	expect_too_long("a.html", fill(MAX + 1, h, "</p></body></html>\n"),
	                MAX + 1, MAX);
}

static void feed_document_at_bound(void **state)
{
	(void)state;
	const char *h = "<rss><channel><item><title>t</title><description>";
	const char *t = "</description></item></channel></rss>\n";
	expect_read("a.rss", fill(MAX, h, t), MAX, MAX);
	expect_too_long("a.rss", fill(MAX + 1, h, t), MAX + 1, MAX);
}

/* The default bound itself, with the cheapest reader: 16 MiB of text is
 * read whole, one byte more is refused without being kept. */
static void default_bound_is_16_mib(void **state)
{
	(void)state;
	size_t max = (size_t)16 << 20;
	expect_read("big.txt", fill(max, "Title\n\n", "\n"), max, 0);
	expect_too_long("big.txt", fill(max + 1, "Title\n\n", "\n"), max + 1, 0);
}

/* ---- the deepest nesting ------------------------------------------- */

/* s repeated k times, between head and tail; malloc'd, *n its length. */
static char *nest(const char *head, const char *open, const char *mid,
                  const char *close, const char *tail, size_t k, size_t *n)
{
	strbuf sb = STRBUF_INIT;
	sb_addstr(&sb, head);
	for (size_t i = 0; i < k; i++)
		sb_addstr(&sb, open);
	sb_addstr(&sb, mid);
	for (size_t i = 0; i < k; i++)
		sb_addstr(&sb, close);
	sb_addstr(&sb, tail);
	return sb_detach(&sb, n);
}

/* Read, as the file name, head + k times open + mid + k times close +
 * tail. */
static outcome read_nested(const char *name, const char *head,
                           const char *open, const char *mid,
                           const char *close, const char *tail, size_t k)
{
	size_t n;
	char *d = nest(head, open, mid, close, tail, k, &n);
	outcome o = read_as(name, d, n, 0);
	free(d);
	return o;
}

/* jansson's limit: 2048 levels, the record's own object included. */
static void json_depth_at_bound(void **state)
{
	(void)state;
	const char *h = "{\"title\":\"t\",\"x\":";
	outcome o = read_nested("d.jsonl", h, "[", "", "]", "}\n", 2047);
	assert_int_equal(o.rejects, 0);
	assert_int_equal(o.articles, 1);
	o = read_nested("d.jsonl", h, "[", "", "]", "}\n", 2048);
	assert_int_equal(o.articles, 0);
	assert_int_equal(o.rejects, 1);
	assert_non_null(strstr(o.reason, "maximum parsing depth"));
}

/* libxml2's limit: an element inside at most 256 others. In a feed, the
 * item holding it is rejected, and libxml2 reads nothing after it. */
static void feed_depth_at_bound(void **state)
{
	(void)state;
	/* rss, channel, item, x: the deepest <b> of k has k + 3 around it */
	const char *h = "<rss><channel><item><title>deep</title><x>";
	const char *t = "</x></item><item><title>next</title>"
	                "<description>kept</description></item></channel></rss>\n";
	outcome o = read_nested("d.rss", h, "<b>", "w", "</b>", t, 253);
	assert_int_equal(o.articles, 2);
	assert_int_equal(o.rejects, 0);
	o = read_nested("d.rss", h, "<b>", "w", "</b>", t, 254);
	assert_int_equal(o.rejects, 1);
	/* libxml2 stops reading there: the items after it are lost, and
	 * the reason says so */
	assert_non_null(strstr(o.reason, "elements nested deeper than 256 "
	                       "(the rest of the file is not read)"));
	assert_int_equal(o.articles, 0);
}

/* HTML: libxml2 stops at the same limit and would drop the rest of the
 * page without a word; the reader indexes what was read and warns that
 * the rest is lost. */
static void html_depth_at_bound(void **state)
{
	(void)state;
	/* html, body: the <p> inside k divs has k + 2 around it */
	const char *h = "<html><head><title>t</title></head><body>";
	const char *t = "<p>after the divs</p></body></html>\n";
	const char *deep = "<p>deep</p>";
	outcome o = read_nested("d.html", h, "<div>", deep, "</div>", t, 254);
	assert_int_equal(o.rejects, 0);
	assert_int_equal(o.articles, 1);
	assert_true(o.body_len >= strlen("deep\n\nafter the divs"));
	assert_int_equal(o.warnings, 0);
	o = read_nested("d.html", h, "<div>", deep, "</div>", t, 255);
	assert_int_equal(o.articles, 1);
	assert_int_equal(o.rejects, 0);
	assert_int_equal(o.warnings, 1);
	assert_non_null(strstr(o.reason, "the text after that point is not "
	                       "indexed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(txt_record_at_bound),
		cmocka_unit_test(jsonl_record_at_bound),
		cmocka_unit_test(json_document_at_bound),
		cmocka_unit_test(csv_record_at_bound),
		cmocka_unit_test(html_document_at_bound),
		cmocka_unit_test(feed_document_at_bound),
		cmocka_unit_test(default_bound_is_16_mib),
		cmocka_unit_test(json_depth_at_bound),
		cmocka_unit_test(feed_depth_at_bound),
		cmocka_unit_test(html_depth_at_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
