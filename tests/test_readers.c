/* Tests of the corpus readers (corpus/read_*.c): every format on small
 * fixtures in tests/data/readers/, gzip, directory walks, and bad input
 * (broken records, binary and empty files, overlong lines, random bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "../corpus/article.h"

/* ---- collecting what the readers report ---- */

typedef struct rec {
	char *id, *title, *date, *source, *url, *lang, *authors, *body, *path;
	size_t body_len;
	uint64_t record, line;
} rec;

typedef struct rej {
	char *path, *reason;
	uint64_t line;
} rej;

typedef struct got {
	rec a[64];
	size_t na;
	rej r[64];
	size_t nr;
	size_t total;       /* articles seen, even past the 64 kept */
	size_t rtotal;      /* rejects seen, even past the 64 kept */
	size_t stop_after;  /* stop after this many articles; 0 = never */
	corpus_reader_opts opts;
	int ret;
} got;

static int on_article(const article *art, void *ctx)
{
	got *g = ctx;
	/* every field is a valid string, never NULL */
	assert_non_null(art->id);
	assert_non_null(art->title);
	assert_non_null(art->date);
	assert_non_null(art->source);
	assert_non_null(art->url);
	assert_non_null(art->lang);
	assert_non_null(art->authors);
	assert_non_null(art->body);
	assert_int_equal(strlen(art->body), art->body_len);
	assert_true(art->id[0] != '\0');
	g->total++;
	if (g->na < 64) {
		rec *r = &g->a[g->na++];
		r->id = strdup(art->id);
		r->title = strdup(art->title);
		r->date = strdup(art->date);
		r->source = strdup(art->source);
		r->url = strdup(art->url);
		r->lang = strdup(art->lang);
		r->authors = strdup(art->authors);
		r->body = strdup(art->body);
		r->path = strdup(art->path);
		r->body_len = art->body_len;
		r->record = art->record;
		r->line = art->line;
	}
	return g->stop_after && g->total >= g->stop_after;
}

static void on_reject(const char *path, uint64_t line, const char *reason,
                      void *ctx)
{
	got *g = ctx;
	g->rtotal++;
	if (g->nr < 64) {
		g->r[g->nr].path = strdup(path);
		g->r[g->nr].reason = strdup(reason);
		g->r[g->nr].line = line;
		g->nr++;
	}
}

static void got_free(got *g)
{
	for (size_t i = 0; i < g->na; i++) {
		rec *r = &g->a[i];
		free(r->id); free(r->title); free(r->date); free(r->source);
		free(r->url); free(r->lang); free(r->authors); free(r->body);
		free(r->path);
	}
	for (size_t i = 0; i < g->nr; i++) {
		free(g->r[i].path);
		free(g->r[i].reason);
	}
	free(g);
}

static got *read_with(const char *path, corpus_format fmt, size_t max,
                      const char *default_lang)
{
	got *g = calloc(1, sizeof *g);
	assert_non_null(g);
	g->opts.format = fmt;
	g->opts.max_record_bytes = max;
	g->opts.default_lang = default_lang;
	g->opts.on_article = on_article;
	g->opts.on_reject = on_reject;
	g->opts.ctx = g;
	g->ret = corpus_read_path(path, &g->opts);
	assert_int_equal(g->opts.articles, g->total);
	assert_int_equal(g->opts.rejected, g->rtotal);
	return g;
}

static got *read_auto(const char *path)
{
	return read_with(path, CORPUS_AUTO, 0, NULL);
}

static char fixture_buf[4096];

static const char *fixture(const char *name)
{
	const char *src = getenv("LEDE_SRC");
	snprintf(fixture_buf, sizeof fixture_buf, "%s/tests/data/readers/%s",
	         src && *src ? src : ".", name);
	return fixture_buf;
}

static char src_buf[4096];

/* A file of the repository (LEDE_SRC, default "."); one static buffer. */
static const char *src_file(const char *rel)
{
	const char *src = getenv("LEDE_SRC");
	snprintf(src_buf, sizeof src_buf, "%s/%s", src && *src ? src : ".", rel);
	return src_buf;
}

/* ---- a scratch directory per test ---- */

static char tmpdir[256];

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/lede_readers_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *tpath(const char *name)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
	return buf[k];
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void write_str(const char *path, const char *s)
{
	write_file(path, s, strlen(s));
}

static void write_gz(const char *path, const void *data, size_t n)
{
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	if (n)
		assert_int_equal(gzwrite(gz, data, (unsigned)n), (int)n);
	assert_int_equal(gzclose(gz), Z_OK);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static int has_reject(const got *g, uint64_t line, const char *needle)
{
	for (size_t i = 0; i < g->nr; i++)
		if ((line == (uint64_t)-1 || g->r[i].line == line) &&
		    strstr(g->r[i].reason, needle))
			return 1;
	return 0;
}

/* ---- plain text and mail ---- */

static void test_txt_headers(void **state)
{
	(void)state;
	got *g = read_auto(fixture("article.txt"));
	assert_int_equal(g->ret, 0);
	assert_int_equal(g->na, 1);
	assert_int_equal(g->nr, 0);
	rec *a = &g->a[0];
	assert_string_equal(a->title, "Mayor announces sanctuary policy");
	assert_string_equal(a->date, "2024-11-26");
	assert_string_equal(a->source, "Daily Planet");
	assert_string_equal(a->url, "https://example.com/a1");
	assert_string_equal(a->id, "https://example.com/a1");
	assert_string_equal(a->authors, "Jane Doe");
	assert_string_equal(a->lang, "en");
	assert_string_equal(a->body, "First paragraph line one continues here."
	                             "\n\nSecond paragraph: with a colon.");
	assert_int_equal(a->record, 1);
	assert_int_equal(a->line, 1);
	got_free(g);
}

static void test_txt_plain_crlf(void **state)
{
	(void)state;
	write_str(tpath("plain.txt"),
	          "Blair: We will win\r\n\r\nFirst  para\r\nsame para.\r\n\r\n\r\n"
	          "Second para.\r\n");
	got *g = read_auto(tpath("plain.txt"));
	assert_int_equal(g->na, 1);
	/* "Blair:" is not a header we know: it stays the headline */
	assert_string_equal(g->a[0].title, "Blair: We will win");
	assert_string_equal(g->a[0].body, "First para same para.\n\nSecond para.");
	/* no id given, no URL: a stable hash */
	assert_int_equal(strlen(g->a[0].id), 18);
	assert_memory_equal(g->a[0].id, "h:", 2);
	char first[32];
	snprintf(first, sizeof first, "%s", g->a[0].id);
	got_free(g);
	g = read_auto(tpath("plain.txt"));
	assert_string_equal(g->a[0].id, first);
	got_free(g);
}

static void test_mail_usenet(void **state)
{
	(void)state;
	got *g = read_auto(fixture("usenet_post"));
	assert_int_equal(g->na, 1);
	assert_int_equal(g->nr, 0);
	rec *a = &g->a[0];
	assert_string_equal(a->title, "Re: border policy");
	assert_string_equal(a->authors, "joe@example.edu (Joe Smith)");
	assert_string_equal(a->source, "talk.politics.misc");
	assert_string_equal(a->date, "1993-04-06");
	assert_string_equal(a->body, "Body line one body line two.\n\nSecond para.");
	got_free(g);
}

static void test_mail_folder_source(void **state)
{
	(void)state;
	/* a post without Newsgroups: takes its folder's name, as in
	 * 20news-bydate; an unknown "Key:" header stays in the block */
	char dir[600];
	snprintf(dir, sizeof dir, "%s", tpath("alt.news"));
	assert_int_equal(mkdir(dir, 0755), 0);
	write_str(tpath("alt.news/1"),
	          " tail.of.a.cut.path!user\nFrom: a@b.c\nSubject: Hello\n"
	          "News-Software: VNEWS\n\nText.\n");
	got *g = read_auto(dir);
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].source, "alt.news");
	assert_string_equal(g->a[0].title, "Hello");
	assert_string_equal(g->a[0].body, "Text.");
	got_free(g);
}

/* ---- JSON ---- */

static void test_jsonl_mapped(void **state)
{
	(void)state;
	got *g = read_with(fixture("stories.jsonl"), CORPUS_AUTO, 0, "en");
	assert_int_equal(g->na, 3);
	assert_int_equal(g->nr, 0);
	rec *a = &g->a[0];
	assert_string_equal(a->id, "1001");
	assert_string_equal(a->title, "ICE raids in Chicago");
	assert_string_equal(a->body, "Agents arrived at dawn.\n\nResidents protested.");
	assert_string_equal(a->date, "2025-01-27");
	assert_string_equal(a->url, "https://news.example/1");
	assert_string_equal(a->source, "Example Tribune");
	assert_string_equal(a->lang, "en");
	assert_string_equal(a->authors, "Ana Ruiz; Bo Li");
	assert_int_equal(a->line, 1);
	a = &g->a[1];
	assert_string_equal(a->id, "https://news.example/2");  /* URL as id */
	assert_string_equal(a->source, "Example Post");           /* media_name */
	assert_string_equal(a->authors, "Cy Young");
	assert_string_equal(a->date, "2024-11-26");
	assert_string_equal(a->lang, "en");                       /* default */
	assert_int_equal(a->line, 2);
	a = &g->a[2];
	assert_memory_equal(a->id, "h:", 2);
	assert_string_equal(a->body, "Short summary here.");      /* description */
	assert_string_equal(a->lang, "es");                       /* given wins */
	assert_string_equal(a->date, "2024-11-26");
	assert_int_equal(a->record, 3);
	got_free(g);
}

static void test_json_array(void **state)
{
	(void)state;
	got *g = read_auto(fixture("array.json"));
	assert_int_equal(g->na, 2);
	assert_int_equal(g->nr, 0);
	assert_string_equal(g->a[0].id, "a");
	assert_string_equal(g->a[0].body, "Alpha text.");
	assert_string_equal(g->a[1].title, "Second in array");
	assert_string_equal(g->a[1].body, "Beta text.");
	assert_string_equal(g->a[1].date, "2024-11-26");
	got_free(g);
}

static void test_json_object_forms(void **state)
{
	(void)state;
	write_str(tpath("one.json"),
	          "{\n  \"title\": \"Pretty printed\",\n  \"text\": \"Body.\"\n}\n");
	got *g = read_auto(tpath("one.json"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Pretty printed");
	got_free(g);

	write_str(tpath("wrapped.json"),
	          "{\"status\": \"ok\", \"articles\": [{\"title\": \"W1\", "
	          "\"content\": \"x\"}, {\"title\": \"W2\", \"content\": \"y\"}]}");
	g = read_auto(tpath("wrapped.json"));
	assert_int_equal(g->na, 2);
	assert_string_equal(g->a[1].title, "W2");
	got_free(g);

	/* .json holding JSON lines */
	write_str(tpath("lines.json"),
	          "{\"title\": \"L1\", \"text\": \"a\"}\n{\"title\": \"L2\", \"text\": \"b\"}\n");
	g = read_auto(tpath("lines.json"));
	assert_int_equal(g->na, 2);
	got_free(g);

	/* escaped NUL inside a string is dropped, not fatal */
	write_str(tpath("nul.jsonl"), "{\"title\": \"a\\u0000b\", \"text\": \"c\"}\n");
	g = read_auto(tpath("nul.jsonl"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "ab");
	got_free(g);
}

static void test_json_bad_line(void **state)
{
	(void)state;
	got *g = read_auto(fixture("bad.jsonl"));
	assert_int_equal(g->na, 3);
	assert_string_equal(g->a[0].id, "ok1");
	assert_string_equal(g->a[1].id, "ok3");
	assert_string_equal(g->a[2].id, "ok6");
	assert_int_equal(g->a[2].line, 6);
	assert_int_equal(g->nr, 2);
	assert_int_equal(g->r[0].line, 2);
	assert_non_null(strstr(g->r[0].reason, "invalid JSON"));
	assert_non_null(strstr(g->r[0].path, "bad.jsonl"));
	assert_int_equal(g->r[1].line, 5);
	got_free(g);
}

/* A headline with no text is kept (RSS items, wire alerts); only a record
 * with neither title nor text is rejected. */
static void test_json_headline_only(void **state)
{
	(void)state;
	write_str(tpath("hl.jsonl"),
	          "{\"id\": \"h1\", \"title\": \"Alert: shelter full\"}\n"
	          "{\"id\": \"h2\", \"title\": \"Null text\", \"text\": null}\n"
	          "{\"id\": \"h3\", \"title\": \"Empty text\", \"text\": \"  \"}\n"
	          "{\"id\": \"h4\", \"date\": \"2024-01-02\"}\n");
	got *g = read_auto(tpath("hl.jsonl"));
	assert_int_equal(g->na, 3);
	assert_string_equal(g->a[0].id, "h1");
	assert_string_equal(g->a[0].title, "Alert: shelter full");
	assert_string_equal(g->a[0].body, "");
	assert_int_equal(g->a[0].body_len, 0);
	assert_string_equal(g->a[1].id, "h2");
	assert_string_equal(g->a[2].id, "h3");
	assert_int_equal(g->nr, 1);
	assert_true(has_reject(g, 4, "neither title nor text"));
	got_free(g);
}

/* Raw NUL bytes inside a JSON line (a corrupt disk block) are dropped and
 * the record kept: a repair, not a reject. */
static void test_json_raw_nul_repaired(void **state)
{
	(void)state;
	static const char data[] =
		"{\"id\": \"n1\", \"title\": \"One\", \"text\": \"first\"}\n"
		"{\"id\": \"n2\", \"title\": \"Two\", \"text\": \"over\0\0\0\0written\"}\n"
		"{\"id\": \"n3\", \"title\": \"Th\0ree\", \"text\": \"third\"}\n";
	write_file(tpath("nul.jsonl"), data, sizeof data - 1);
	got *g = read_auto(tpath("nul.jsonl"));
	assert_int_equal(g->nr, 0);
	assert_int_equal(g->na, 3);
	assert_string_equal(g->a[1].id, "n2");
	assert_string_equal(g->a[1].body, "overwritten");
	assert_int_equal(g->a[1].line, 2);
	assert_string_equal(g->a[2].title, "Three");
	got_free(g);
	/* the same inside a .json array */
	static const char arr[] = "[{\"title\": \"A\", \"text\": \"x\0y\"}]\n";
	write_file(tpath("nul.json"), arr, sizeof arr - 1);
	g = read_auto(tpath("nul.json"));
	assert_int_equal(g->nr, 0);
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].body, "xy");
	got_free(g);
}

/* ---- CSV / TSV ---- */

static void test_csv_quotes_newlines(void **state)
{
	(void)state;
	got *g = read_auto(fixture("export.csv"));
	assert_int_equal(g->na, 3);
	rec *a = &g->a[0];
	assert_string_equal(a->id, "11");
	assert_string_equal(a->title, "Council votes, again");
	assert_string_equal(a->body,
	                    "First para, with \"quotes\".\n\nSecond para spans lines.");
	assert_string_equal(a->date, "2024-11-26");
	assert_string_equal(a->source, "City Wire");
	assert_string_equal(a->url, "https://x.example/11");
	assert_int_equal(a->line, 2);
	assert_string_equal(g->a[1].id, "12");
	assert_int_equal(g->a[1].line, 6);
	assert_string_equal(g->a[2].id, "15");
	/* one row too long, one too short: each named by its line */
	assert_int_equal(g->nr, 2);
	assert_true(has_reject(g, 7, "8 fields"));
	assert_true(has_reject(g, 8, "4 fields"));
	got_free(g);
}

static void test_tsv(void **state)
{
	(void)state;
	got *g = read_auto(fixture("export.tsv"));
	assert_int_equal(g->na, 2);
	assert_int_equal(g->nr, 0);
	assert_string_equal(g->a[0].id, "t1");
	assert_string_equal(g->a[0].title, "Tab title");
	assert_string_equal(g->a[0].date, "2024-03-05");
	assert_string_equal(g->a[0].body, "Tab body one");
	assert_string_equal(g->a[1].date, "1987-02-26");
	got_free(g);
}

/* Exports write line breaks in a text column as "\\n": decoded always, even
 * before a capital ("\\n\\nThe orders"), so paragraphs survive. */
static void test_tsv_escapes(void **state)
{
	(void)state;
	write_str(tpath("esc.tsv"),
	          "id\ttitle\ttext\n"
	          "e1\tOrders signed\tHours after taking office.\\n\\nThe orders "
	          "also direct agencies.\\n\\nIn Texas, officials vowed to sue.\n"
	          "e2\tTabs\tcol one\\tcol two and a \\\\ backslash\n");
	got *g = read_auto(tpath("esc.tsv"));
	assert_int_equal(g->nr, 0);
	assert_int_equal(g->na, 2);
	assert_string_equal(g->a[0].body,
	                    "Hours after taking office.\n\nThe orders also direct "
	                    "agencies.\n\nIn Texas, officials vowed to sue.");
	assert_null(strchr(g->a[0].body, '\\'));
	/* "\\tcol" is an escape too, though a word follows: the file showed
	 * escape style ("\\n\\nThe"), unlike AG News' bare backslashes
	 * (test_csv_headerless_agnews). A tab is whitespace in the body; an
	 * escaped backslash stays one. */
	assert_string_equal(g->a[1].body, "col one col two and a \\ backslash");
	got_free(g);

	/* the bundled sample's TSV export: real paragraphs, no escapes left */
	g = read_auto(src_file("corpus/sample/tsv/southwest-wire-2021.tsv"));
	assert_int_equal(g->nr, 0);
	assert_true(g->na >= 1);
	for (size_t i = 0; i < g->na; i++) {
		assert_null(strstr(g->a[i].body, "\\n"));
		assert_non_null(strstr(g->a[i].body, "\n\n"));
	}
	assert_string_equal(g->a[0].id, "sw-20210121-executive-orders-reversal");
	assert_non_null(strstr(g->a[0].body, ".\n\nThe orders"));
	got_free(g);
}

/* A quote opened and never closed swallows the rest of the file: that row
 * is rejected with the reason, the rows before it kept. */
static void test_csv_unterminated_quote(void **state)
{
	(void)state;
	write_str(tpath("uq.csv"),
	          "id,title,text\n"
	          "u1,Fine,\"quoted, with \"\"doubled\"\" quotes\"\n"
	          "u2,\"Never closed,text\n"
	          "u3,swallowed,text\n");
	got *g = read_auto(tpath("uq.csv"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].body, "quoted, with \"doubled\" quotes");
	assert_int_equal(g->nr, 1);
	assert_true(has_reject(g, 3, "quoted field never closed"));
	got_free(g);
}

static void test_csv_headerless_agnews(void **state)
{
	(void)state;
	got *g = read_auto(fixture("headerless.csv"));
	assert_int_equal(g->na, 2);
	assert_int_equal(g->nr, 0);
	assert_string_equal(g->a[0].title, "Fears for pension after talks");
	assert_string_equal(g->a[0].body,
	                    "Unions say they are 'disappointed' after talks with the firm.");
	assert_string_equal(g->a[1].body, "A line and a network of $10 deals & more.");
	got_free(g);
}

static void test_csv_overlong_field(void **state)
{
	(void)state;
	size_t big = 20000;
	char *s = malloc(big + 200);
	assert_non_null(s);
	strcpy(s, "title,text\nA,short one\nB,\"");
	size_t n = strlen(s);
	memset(s + n, 'x', big);
	n += big;
	strcpy(s + n, "\"\nC,short three\n");
	write_str(tpath("long.csv"), s);
	free(s);
	got *g = read_with(tpath("long.csv"), CORPUS_AUTO, 1000, NULL);
	assert_int_equal(g->na, 2);
	assert_string_equal(g->a[0].title, "A");
	assert_string_equal(g->a[1].title, "C");
	assert_true(has_reject(g, 3, "longer"));
	got_free(g);
}

/* ---- HTML ---- */

static void test_html_article(void **state)
{
	(void)state;
	got *g = read_auto(fixture("page.html"));
	assert_int_equal(g->na, 1);
	rec *a = &g->a[0];
	assert_string_equal(a->title, "Council approves shelter funding");
	assert_string_equal(a->date, "2024-11-26");
	assert_string_equal(a->authors, "Dana Reporter");
	assert_string_equal(a->url, "https://example.com/news/shelter");
	assert_string_equal(a->source, "Example News");
	assert_string_equal(a->lang, "en-US");
	assert_string_equal(a->body,
	                    "The council voted 7\xE2\x80\x93" "2 on Tuesday & approved the plan."
	                    "\n\nWhat happens next\n\nFunding starts in January."
	                    "\n\nFirst item\n\nSecond item");
	assert_null(strstr(a->body, "junk"));
	assert_null(strstr(a->body, "Home"));
	assert_null(strstr(a->body, "Related"));
	got_free(g);
}

static void test_html_densest(void **state)
{
	(void)state;
	got *g = read_auto(fixture("nodense.html"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Dense page title");
	assert_string_equal(g->a[0].body,
	                    "Paragraph one of the story is the longest part of this page by far."
	                    "\n\nParagraph two continues the story with more words in it."
	                    "\n\nParagraph three ends it.");
	got_free(g);
}

static void test_html_h1_title(void **state)
{
	(void)state;
	write_str(tpath("h1.htm"), "<body><h1>Only &eacute;h1</h1><p>Text</p></body>");
	got *g = read_auto(tpath("h1.htm"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Only \xC3\xA9h1");
	assert_string_equal(g->a[0].body, "Text");
	got_free(g);
}

static void test_html_encodings(void **state)
{
	(void)state;
	/* raw UTF-8 with no charset declared, and declared Latin-1 */
	write_str(tpath("u.html"), "<html><head><title>Caf\xC3\xA9</title></head>"
	          "<body><p>Se\xC3\xB1or \xE2\x80\x9Cq\xE2\x80\x9D</p></body></html>");
	write_str(tpath("l.html"), "<html><head><meta charset=\"iso-8859-1\">"
	          "<title>Caf\xE9</title></head><body><p>Se\xF1or</p></body></html>");
	got *g = read_auto(tpath("u.html"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Caf\xC3\xA9");
	assert_string_equal(g->a[0].body, "Se\xC3\xB1or \xE2\x80\x9Cq\xE2\x80\x9D");
	got_free(g);
	g = read_auto(tpath("l.html"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Caf\xC3\xA9");
	assert_string_equal(g->a[0].body, "Se\xC3\xB1or");
	got_free(g);
}

static void test_bom(void **state)
{
	(void)state;
	write_str(tpath("bom.csv"), "\xEF\xBB\xBFtitle,text\nT,B\n");
	got *g = read_auto(tpath("bom.csv"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "T");
	assert_string_equal(g->a[0].body, "B");
	got_free(g);
	write_str(tpath("bom.txt"), "\xEF\xBB\xBFHeadline\n\nText.\n");
	g = read_auto(tpath("bom.txt"));
	assert_string_equal(g->a[0].title, "Headline");
	got_free(g);
	write_str(tpath("bom.jsonl"), "\xEF\xBB\xBF{\"title\": \"J\"}\n");
	g = read_auto(tpath("bom.jsonl"));
	assert_int_equal(g->na, 1);
	got_free(g);
}

/* stdin ("-"): the format is sniffed, gzip inflated; stdin stays open. */
static void test_stdin(void **state)
{
	(void)state;
	size_t n;
	char *s = slurp(fixture("feed.rss"), &n);
	write_gz(tpath("in.gz"), s, n);
	free(s);
	/* fixture() returns one static buffer: copy each */
	char *inputs[4] = {strdup(fixture("stories.jsonl")),
	                   strdup(fixture("feed.rss")),
	                   strdup(fixture("usenet_post")), strdup(tpath("in.gz"))};
	size_t want[] = {3, 2, 1, 2};
	for (int i = 0; i < 4; i++) {
		int saved = dup(0);
		assert_true(saved >= 0);
		FILE *f = fopen(inputs[i], "rb");
		assert_non_null(f);
		assert_true(dup2(fileno(f), 0) == 0);
		fclose(f);
		got *g = read_auto("-");
		assert_true(dup2(saved, 0) == 0);
		close(saved);
		assert_int_equal(g->na, want[i]);
		assert_int_equal(g->nr, 0);
		assert_string_equal(g->a[0].path, "-");
		got_free(g);
	}
	for (int i = 0; i < 4; i++)
		free(inputs[i]);
}

/* ---- feeds ---- */

static void test_rss(void **state)
{
	(void)state;
	got *g = read_auto(fixture("feed.rss"));
	assert_int_equal(g->na, 2);
	assert_int_equal(g->nr, 0);
	rec *a = &g->a[0];
	assert_string_equal(a->title, "Deportation flights resume");
	assert_string_equal(a->id, "wire-123");
	assert_string_equal(a->url, "https://wire.example/flights");
	assert_string_equal(a->date, "2024-11-26");
	assert_string_equal(a->authors, "Eve Writer");
	assert_string_equal(a->source, "Example Wire");
	assert_string_equal(a->lang, "en-us");
	assert_string_equal(a->body, "Flights resumed on Monday.\n\nOfficials & lawyers reacted.");
	a = &g->a[1];
	assert_string_equal(a->id, "https://wire.example/second");
	assert_string_equal(a->date, "2024-11-27");
	assert_string_equal(a->body, "Escaped HTML body.\n\nTwo.");
	got_free(g);
}

static void test_atom(void **state)
{
	(void)state;
	got *g = read_auto(fixture("feed.atom"));
	assert_int_equal(g->na, 2);
	rec *a = &g->a[0];
	assert_string_equal(a->title, "Nueva ley migratoria");
	assert_string_equal(a->url, "https://noticias.example/1");
	assert_string_equal(a->id, "urn:uuid:1");
	assert_string_equal(a->date, "2024-11-26");  /* published, not updated */
	assert_string_equal(a->authors, "Luis P\xC3\xA9rez");
	assert_string_equal(a->lang, "es");
	assert_string_equal(a->source, "Noticias Ejemplo");
	assert_string_equal(a->body, "El congreso aprob\xC3\xB3 la ley.\n\nSegundo p\xC3\xA1rrafo.");
	assert_string_equal(g->a[1].date, "2024-11-28");
	assert_string_equal(g->a[1].body, "Uno.\n\nDos.");
	got_free(g);
}

static void test_feed_billion_laughs(void **state)
{
	(void)state;
	got *g = read_auto(fixture("lol.xml"));
	/* whatever comes out, it is small: entities are not expanded */
	for (size_t i = 0; i < g->na; i++) {
		assert_true(strlen(g->a[i].title) < 1000);
		assert_true(g->a[i].body_len < 1000);
	}
	got_free(g);
}

/* A feed cut off inside its third item: the two whole items are kept, the
 * cut one is dropped and reported once, naming the item's line and the
 * line where the XML breaks. */
static void test_feed_truncated(void **state)
{
	(void)state;
	write_str(tpath("cut.rss"),
	          "<?xml version=\"1.0\"?>\n"                        /* 1 */
	          "<rss version=\"2.0\"><channel><title>W</title>\n" /* 2 */
	          "<item><guid>g1</guid><title>One</title>\n"        /* 3 */
	          "<description>First.</description></item>\n"       /* 4 */
	          "<item><guid>g2</guid><title>Two</title>\n"        /* 5 */
	          "<description>Second.</description></item>\n"      /* 6 */
	          "<item><guid>g3</guid><title>Three</title>\n"      /* 7 */
	          "<description>Half a sen");                        /* 8 */
	got *g = read_auto(tpath("cut.rss"));
	assert_int_equal(g->na, 2);
	assert_string_equal(g->a[0].id, "g1");
	assert_string_equal(g->a[1].id, "g2");
	assert_string_equal(g->a[1].body, "Second.");
	assert_int_equal(g->nr, 1);
	assert_int_equal(g->r[0].line, 7);
	assert_non_null(strstr(g->r[0].reason, "not well-formed XML at line 8: "));
	assert_non_null(strstr(g->r[0].reason, "<description>"));
	assert_non_null(strstr(g->r[0].reason, "item not complete"));
	got_free(g);

	/* Atom: the same for an entry */
	write_str(tpath("cut.atom"),
	          "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title>\n"
	          "<entry><id>e1</id><title>One</title><content>x</content></entry>\n"
	          "<entry><id>e2</id><title>Two</title><content>y</con");
	g = read_auto(tpath("cut.atom"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].id, "e1");
	assert_int_equal(g->nr, 1);
	assert_true(has_reject(g, 3, "entry not complete"));
	got_free(g);

	/* cut after the last item: every item is whole, nothing to report */
	write_str(tpath("tail.rss"),
	          "<rss><channel><item><title>A</title></item>\n"
	          "<item><title>B</title></item>\n");
	g = read_auto(tpath("tail.rss"));
	assert_int_equal(g->na, 2);
	assert_int_equal(g->nr, 0);
	got_free(g);

	/* a missing end tag: the item it breaks is dropped (recovery nests the
	 * rest inside it), the one before is kept */
	write_str(tpath("mismatch.rss"),
	          "<rss><channel><item><title>Good</title></item>\n"
	          "<item><title>Broken</item>\n"
	          "</channel></rss>\n");
	g = read_auto(tpath("mismatch.rss"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Good");
	assert_int_equal(g->nr, 1);
	assert_true(has_reject(g, 2, "not well-formed XML at line 2"));
	got_free(g);

	/* every item broken: each reported once, in bounded time */
	size_t items = 20000, cap = items * 40 + 64, n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	n += (size_t)snprintf(s + n, cap - n, "<rss><channel>\n");
	for (size_t i = 0; i < items; i++)
		n += (size_t)snprintf(s + n, cap - n,
		                      "<item><title>t</titl></item>\n");
	n += (size_t)snprintf(s + n, cap - n, "</channel></rss>\n");
	write_file(tpath("allbad.rss"), s, n);
	free(s);
	g = read_auto(tpath("allbad.rss"));
	assert_int_equal(g->na, 0);
	assert_int_equal(g->opts.rejected, items);
	assert_int_equal(g->r[9].line, 11);
	got_free(g);
}

/* Character-level damage leaves the structure whole: &nbsp; undeclared in
 * XML, a stray control byte, Latin-1 bytes. Such items are kept. */
static void test_feed_repairable_errors(void **state)
{
	(void)state;
	write_str(tpath("rep.rss"),
	          "<rss><channel>\n"
	          "<item><title>A&nbsp;B</title></item>\n"
	          "<item><title>C\x0b" "D</title></item>\n"
	          "<item><title>ni\xf1o</title></item>\n"
	          "</channel></rss>\n");
	got *g = read_auto(tpath("rep.rss"));
	assert_int_equal(g->nr, 0);
	assert_int_equal(g->na, 3);
	assert_string_equal(g->a[1].title, "CD");
	got_free(g);
}

/* ---- gzip ---- */

static void test_gzip(void **state)
{
	(void)state;
	size_t n;
	char *s = slurp(fixture("stories.jsonl"), &n);
	write_gz(tpath("stories.jsonl.gz"), s, n);
	free(s);
	got *g = read_auto(tpath("stories.jsonl.gz"));
	assert_int_equal(g->na, 3);
	assert_int_equal(g->nr, 0);
	assert_string_equal(g->a[0].source, "Example Tribune");
	assert_int_equal(g->opts.bytes, n);  /* decompressed bytes */
	got_free(g);

	s = slurp(fixture("page.html"), &n);
	write_gz(tpath("page.html.gz"), s, n);
	free(s);
	g = read_auto(tpath("page.html.gz"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Council approves shelter funding");
	got_free(g);
}

static void test_gzip_truncated(void **state)
{
	(void)state;
	size_t cap = 1 << 20, n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(s + n, cap - n,
		                      "{\"id\": \"r%d\", \"title\": \"T %d\", \"text\": \"body %d %x\"}\n",
		                      i, i, i * 7919, i * 104729);
	write_gz(tpath("all.jsonl.gz"), s, n);
	free(s);
	size_t gn;
	char *gz = slurp(tpath("all.jsonl.gz"), &gn);
	write_file(tpath("cut.jsonl.gz"), gz, gn / 2);
	free(gz);
	got *g = read_auto(tpath("cut.jsonl.gz"));
	assert_true(g->total > 0);
	assert_true(g->total < 5000);
	assert_true(g->nr >= 1);
	assert_true(has_reject(g, (uint64_t)-1, "unexpected end of file") ||
	            has_reject(g, (uint64_t)-1, "read error"));
	/* zlib's "<fd:N>: " prefix changes from run to run: not shown */
	assert_false(has_reject(g, (uint64_t)-1, "<fd:"));
	got_free(g);
}

static void test_gzip_bomb(void **state)
{
	(void)state;
	/* 64 MB of one character compresses to ~64 KB; a whole-document
	 * format must refuse it at max_record_bytes, a line format skip the
	 * overlong line, neither holding it in memory */
	size_t big = 64u << 20;
	char *s = malloc(big);
	assert_non_null(s);
	memset(s, 'a', big);
	memcpy(s, "<html><body><p>", 15);
	write_gz(tpath("bomb.html.gz"), s, big);
	s[big - 1] = '\n';
	memcpy(s, "{\"a\": \"", 7);
	write_gz(tpath("bomb.jsonl.gz"), s, big);
	free(s);
	got *g = read_with(tpath("bomb.html.gz"), CORPUS_AUTO, 1 << 20, NULL);
	assert_int_equal(g->na, 0);
	assert_true(has_reject(g, (uint64_t)-1, "longer than"));
	got_free(g);
	g = read_with(tpath("bomb.jsonl.gz"), CORPUS_AUTO, 1 << 20, NULL);
	assert_int_equal(g->na, 0);
	assert_true(has_reject(g, 1, "line longer than"));
	got_free(g);
}

/* ---- bad input ---- */

static void test_binary_file(void **state)
{
	(void)state;
	unsigned char buf[8192];
	unsigned x = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	write_file(tpath("blob.bin"), buf, sizeof buf);
	write_file(tpath("blob"), buf, sizeof buf);
	write_file(tpath("blob.txt"), buf, sizeof buf);
	const char *names[] = {"blob.bin", "blob", "blob.txt"};
	for (int i = 0; i < 3; i++) {
		got *g = read_auto(tpath(names[i]));
		assert_int_equal(g->na, 0);
		assert_int_equal(g->nr, 1);
		assert_non_null(strstr(g->r[0].reason, "binary"));
		got_free(g);
	}
}

/* A PNG saved under any article extension, or forced through any reader,
 * is rejected as binary before a format parser sees it. */
static void test_binary_any_extension(void **state)
{
	(void)state;
	size_t n;
	char *png = slurp(src_file("corpus/sample-bad/binary.html"), &n);
	assert_true(n > 8);
	assert_memory_equal(png, "\x89PNG", 4);
	const char *names[] = {"img.html", "img.rss", "img.jsonl", "img.json",
	                       "img.csv", "img.tsv", "img.txt", "img"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		write_file(tpath(names[i]), png, n);
		got *g = read_auto(tpath(names[i]));
		assert_int_equal(g->na, 0);
		assert_int_equal(g->nr, 1);
		assert_string_equal(g->r[0].reason, "binary file");
		assert_int_equal(g->r[0].line, 0);
		got_free(g);
	}
	for (int f = CORPUS_TXT; f <= CORPUS_FEED; f++) {
		got *g = read_with(tpath("img.html"), (corpus_format)f, 0, NULL);
		assert_int_equal(g->na, 0);
		assert_int_equal(g->nr, 1);
		assert_string_equal(g->r[0].reason, "binary file");
		got_free(g);
	}
	/* gzipped, too: the sniff sees the inflated bytes */
	write_gz(tpath("img.html.gz"), png, n);
	got *g = read_auto(tpath("img.html.gz"));
	assert_int_equal(g->na, 0);
	assert_int_equal(g->nr, 1);
	assert_string_equal(g->r[0].reason, "binary file");
	got_free(g);
	free(png);

	/* a known signature is enough, even when the rest reads as text */
	write_str(tpath("doc.html"), "%PDF-1.7\n<html><body><p>text</p></body></html>\n");
	g = read_auto(tpath("doc.html"));
	assert_int_equal(g->na, 0);
	assert_true(has_reject(g, 0, "binary file"));
	got_free(g);
}

/* What the sniff must not call binary: text the readers can repair. */
static void test_binary_not_text(void **state)
{
	(void)state;
	/* a few NULs in a line (see corpus/sample-bad/nul-bytes.jsonl) */
	got *g = read_auto(src_file("corpus/sample-bad/nul-bytes.jsonl"));
	assert_int_equal(g->nr, 0);
	assert_int_equal(g->na, 3);
	assert_string_equal(g->a[1].id, "bad-nul-02");
	assert_null(memchr(g->a[1].body, '\0', g->a[1].body_len));
	got_free(g);
	/* Latin-1 text */
	g = read_auto(src_file("corpus/sample-bad/latin1.txt"));
	assert_int_equal(g->nr, 0);
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Ciudad Ju\xC3\xA1rez abre un nuevo "
	                    "albergue para familias deportadas");
	got_free(g);
	assert_int_equal(corpus_sniff_format("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), -1);
	assert_int_equal(corpus_sniff_format("GIF89a", 6), -1);
	static const char txt[] = "PNG is a format\n\nText.";
	assert_int_equal(corpus_sniff_format(txt, sizeof txt - 1), CORPUS_TXT);
}

static void test_empty_files(void **state)
{
	(void)state;
	const char *names[] = {"e.txt", "e.jsonl", "e.json", "e.csv", "e.html",
	                       "e.rss", "e", "e.jsonl.gz"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strstr(names[i], ".gz"))
			write_gz(tpath(names[i]), "", 0);
		else
			write_str(tpath(names[i]), "");
		got *g = read_auto(tpath(names[i]));
		assert_int_equal(g->na, 0);
		assert_int_equal(g->nr, 1);
		assert_non_null(strstr(g->r[0].reason, "empty"));
		assert_int_equal(g->opts.files, 1);
		got_free(g);
	}
	/* whitespace only */
	write_str(tpath("ws.txt"), " \n\n\t\n");
	got *g = read_auto(tpath("ws.txt"));
	assert_int_equal(g->na, 0);
	assert_int_equal(g->nr, 1);
	got_free(g);
}

static void test_overlong_line(void **state)
{
	(void)state;
	size_t big = 100000;
	char *s = malloc(big + 200);
	assert_non_null(s);
	strcpy(s, "{\"title\": \"first\", \"text\": \"1\"}\n{\"title\": \"");
	size_t n = strlen(s);
	memset(s + n, 'y', big);
	n += big;
	strcpy(s + n, "\"}\n{\"title\": \"third\", \"text\": \"3\"}\n");
	write_str(tpath("long.jsonl"), s);
	/* the same text as a .txt file goes over the bound as a whole */
	write_str(tpath("long.txt"), s);
	free(s);
	got *g = read_with(tpath("long.jsonl"), CORPUS_AUTO, 1000, NULL);
	assert_int_equal(g->na, 2);
	assert_string_equal(g->a[0].title, "first");
	assert_string_equal(g->a[1].title, "third");
	assert_int_equal(g->a[1].line, 3);
	assert_int_equal(g->nr, 1);
	assert_int_equal(g->r[0].line, 2);
	assert_non_null(strstr(g->r[0].reason, "longer than 1000"));
	got_free(g);
	g = read_with(tpath("long.txt"), CORPUS_AUTO, 1000, NULL);
	assert_int_equal(g->na, 0);
	assert_int_equal(g->nr, 1);
	got_free(g);
}

static void test_encoding_repair(void **state)
{
	(void)state;
	/* Latin-1 pound sign, as in BBC sport/199.txt: transcoded */
	write_str(tpath("latin1.txt"), "Mutu fee\n\na \xA3" "15.8m signing \x93quoted\x94\n");
	got *g = read_auto(tpath("latin1.txt"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].body,
	                    "a \xC2\xA3" "15.8m signing \xE2\x80\x9Cquoted\xE2\x80\x9D");
	got_free(g);
	/* mostly UTF-8 with one stray byte: U+FFFD */
	write_str(tpath("mixed.txt"), "Caf\xC3\xA9 title\n\nna\xC3\xAFve \xFF end\n");
	g = read_auto(tpath("mixed.txt"));
	assert_string_equal(g->a[0].body, "na\xC3\xAFve \xEF\xBF\xBD end");
	got_free(g);
	/* NUL bytes dropped */
	write_file(tpath("nul.txt"), "Ti\0tle\n\nbo\0dy\n", 14);
	g = read_auto(tpath("nul.txt"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "Title");
	assert_string_equal(g->a[0].body, "body");
	got_free(g);
	/* invalid UTF-8 inside a JSON line is repaired, not rejected */
	write_str(tpath("latin1.jsonl"), "{\"title\": \"ni\xF1o\", \"text\": \"x\"}\n");
	g = read_auto(tpath("latin1.jsonl"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "ni\xC3\xB1o");
	got_free(g);
}

static void test_missing_path(void **state)
{
	(void)state;
	got *g = read_auto(tpath("does-not-exist.txt"));
	assert_int_equal(g->ret, 0);
	assert_int_equal(g->na, 0);
	assert_int_equal(g->nr, 1);
	got_free(g);
}

/* Random bytes and damaged fixtures, under every extension: no crash, no
 * hang, every record reported one way or the other. */
static void test_fuzz(void **state)
{
	(void)state;
	const char *exts[] = {"txt", "json", "jsonl", "csv", "tsv", "html", "rss",
	                      "atom", "xml", "dat"};
	const char *fix[] = {"article.txt", "stories.jsonl", "array.json",
	                     "export.csv", "page.html", "feed.rss", "feed.atom",
	                     "usenet_post"};
	unsigned x = 777;
	for (int round = 0; round < 60; round++) {
		size_t n;
		char *s = slurp(fixture(fix[round % 8]), &n);
		for (int k = 0; k < 8; k++) {
			x = x * 1103515245u + 12345u;
			size_t at = (x >> 8) % n;
			x = x * 1103515245u + 12345u;
			s[at] = (char)(x >> 16);
		}
		char name[64];
		snprintf(name, sizeof name, "f%d.%s", round, exts[round % 10]);
		write_file(tpath(name), s, n);
		free(s);
		got *g = read_with(tpath(name), CORPUS_AUTO, 4096, NULL);
		assert_int_equal(g->opts.files, 1);
		got_free(g);
		/* the same, forced through each reader */
		for (int f = CORPUS_TXT; f <= CORPUS_FEED; f++) {
			g = read_with(tpath(name), (corpus_format)f, 4096, NULL);
			got_free(g);
		}
	}
}

/* Pathological nesting must not exhaust the stack in our tree walks. */
static void test_deep_nesting(void **state)
{
	(void)state;
	size_t depth = 100000, cap = depth * 11 + 200, n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	n += (size_t)snprintf(s + n, cap - n, "<html><body>");
	for (size_t i = 0; i < depth; i++)
		n += (size_t)snprintf(s + n, cap - n, "<div>");
	n += (size_t)snprintf(s + n, cap - n, "<p>deep</p>");
	for (size_t i = 0; i < depth; i++)
		n += (size_t)snprintf(s + n, cap - n, "</div>");
	write_file(tpath("deep.html"), s, n);
	got *g = read_auto(tpath("deep.html"));
	assert_int_equal(g->na + g->nr, 1);
	got_free(g);
	/* the same inside a feed item */
	n = (size_t)snprintf(s, cap, "<rss><channel><item><title>t</title>");
	for (size_t i = 0; i < depth; i++)
		n += (size_t)snprintf(s + n, cap - n, "<a>");
	write_file(tpath("deep.rss"), s, n);
	g = read_auto(tpath("deep.rss"));
	assert_true(g->na + g->nr >= 1);
	got_free(g);
	free(s);
}

/* ---- directories ---- */

static void test_dir_walk(void **state)
{
	(void)state;
	char root[600];
	snprintf(root, sizeof root, "%s", tpath("tree"));
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(mkdir(tpath("tree/sub"), 0755), 0);
	assert_int_equal(mkdir(tpath("tree/.git"), 0755), 0);
	write_str(tpath("tree/b.txt"), "B title\n\nb body\n");
	write_str(tpath("tree/a.txt"), "A title\n\na body\n");
	write_str(tpath("tree/Z.txt"), "Z title\n\nz body\n");
	write_str(tpath("tree/sub/c.txt"), "C title\n\nc body\n");
	write_str(tpath("tree/.hidden.txt"), "Hidden\n\nh\n");
	write_str(tpath("tree/.git/d.txt"), "D\n\nd\n");
	/* a loop: tree/sub/up -> tree, and a second link to sub */
	assert_int_equal(symlink("..", tpath("tree/sub/up")), 0);
	assert_int_equal(symlink("sub", tpath("tree/sublink")), 0);
	got *g = read_auto(root);
	assert_int_equal(g->ret, 0);
	assert_int_equal(g->na, 4);
	assert_int_equal(g->opts.files, 4);
	/* byte order: "Z" < "a" < "b" < "sub" */
	assert_string_equal(g->a[0].title, "Z title");
	assert_string_equal(g->a[1].title, "A title");
	assert_string_equal(g->a[2].title, "B title");
	assert_string_equal(g->a[3].title, "C title");
	/* a folder is not a source (topic folders, export folders); one
	 * named like a newsgroup is (test_mail_folder_source) */
	assert_string_equal(g->a[3].source, "");
	assert_string_equal(g->a[1].source, "");
	assert_non_null(strstr(g->a[3].path, "tree/sub/c.txt"));
	got_free(g);

	/* a trailing slash changes nothing */
	char withslash[700];
	snprintf(withslash, sizeof withslash, "%s/", root);
	g = read_auto(withslash);
	assert_int_equal(g->na, 4);
	assert_string_equal(g->a[1].title, "A title");
	got_free(g);
}

/* An archive's own notes (README*, LICENSE*, COPYING*, *.md) are skipped in
 * a directory walk, at any depth; named directly, they are read. */
static void test_dir_walk_skips_notes(void **state)
{
	(void)state;
	char root[600];
	snprintf(root, sizeof root, "%s", tpath("arch"));
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(mkdir(tpath("arch/sub"), 0755), 0);
	write_str(tpath("arch/story.txt"), "Story title\n\nstory body\n");
	write_str(tpath("arch/README.md"), "# About this archive\n\nNotes.\n");
	write_str(tpath("arch/readme.txt"), "Readme\n\nnotes\n");
	write_str(tpath("arch/LICENSE"), "License\n\nterms\n");
	write_str(tpath("arch/COPYING.txt"), "Copying\n\nterms\n");
	write_str(tpath("arch/sub/CHANGES.md"), "Changes\n\nlist\n");
	write_str(tpath("arch/sub/README"), "Readme\n\nsub notes\n");
	write_str(tpath("arch/sub/s.jsonl"), "{\"title\": \"J\", \"text\": \"j\"}\n");
	got *g = read_auto(root);
	assert_int_equal(g->nr, 0);
	assert_int_equal(g->na, 2);
	assert_int_equal(g->opts.files, 2);
	assert_string_equal(g->a[0].title, "Story title");  /* "story" < "sub" */
	assert_string_equal(g->a[1].title, "J");
	got_free(g);

	/* named directly: read like any file */
	g = read_auto(tpath("arch/README.md"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "# About this archive");
	assert_int_equal(g->opts.files, 1);
	got_free(g);
	g = read_auto(tpath("arch/LICENSE"));
	assert_int_equal(g->na, 1);
	got_free(g);

	/* the bundled archives keep a README.md at their top */
	g = read_auto(src_file("corpus/sample-bad"));
	for (size_t i = 0; i < g->na; i++)
		assert_null(strstr(g->a[i].path, "README"));
	for (size_t i = 0; i < g->nr; i++)
		assert_null(strstr(g->r[i].path, "README"));
	got_free(g);
}

/* Count the rows "key<TAB>..." of tests/data/sample_expect.tsv whose first
 * fields are key and a; returns the n-th field (1-based) of the first match
 * as a number, or -1. */
static long expect_field(const char *key, const char *a, int field)
{
	size_t n;
	char *s = slurp(src_file("tests/data/sample_expect.tsv"), &n);
	long out = -1;
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		char *f[8] = {0};
		int nf = 0;
		for (char *p = line; p && nf < 8;) {
			f[nf++] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (nf > field && strcmp(f[0], key) == 0 &&
		    (!a || strcmp(f[1], a) == 0)) {
			out = atol(f[field]);
			break;
		}
	}
	free(s);
	return out;
}

/* The readers on corpus/sample-bad agree with its README and the bad_*
 * rows of sample_expect.tsv: per file, the good records and the rejects. */
static void test_sample_bad_expect(void **state)
{
	(void)state;
	static const char *const files[] = {
		"invalid-line.jsonl", "missing-body.jsonl", "truncated.json",
		"broken.csv", "binary.html", "truncated.rss", "latin1.txt",
		"empty.txt", "truncated.jsonl.gz", "nul-bytes.jsonl",
	};
	size_t good = 0, rejects = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "corpus/sample-bad/%s", files[i]);
		long want_good = expect_field("bad_file", files[i], 2);
		long want_rej = expect_field("bad_file", files[i], 3);
		assert_true(want_good >= 0 && want_rej >= 0);
		got *g = read_auto(src_file(rel));
		if ((long)g->na != want_good || (long)g->nr != want_rej)
			fail_msg("%s: %zu good, %zu rejects; expected %ld, %ld",
			         files[i], g->na, g->nr, want_good, want_rej);
		good += g->na;
		rejects += g->nr;
		got_free(g);
	}
	assert_int_equal(good, expect_field("bad_good_records", NULL, 1));
	assert_int_equal(rejects, expect_field("bad_rejects", NULL, 1));

	/* the whole folder: the same totals, README.md not among them */
	got *g = read_auto(src_file("corpus/sample-bad"));
	assert_int_equal(g->na, good);
	assert_int_equal(g->nr, rejects);
	assert_int_equal(g->opts.files, sizeof files / sizeof files[0]);
	/* the specific decisions */
	assert_true(has_reject(g, 0, "binary file"));
	assert_true(has_reject(g, 22, "not well-formed XML at line 27: "));
	int mb2 = 0, nul2 = 0, elpaso = 0;
	for (size_t i = 0; i < g->na; i++) {
		mb2 |= !strcmp(g->a[i].id, "bad-mb-02");
		nul2 |= !strcmp(g->a[i].id, "bad-nul-02");
		elpaso |= strstr(g->a[i].id, "el-paso-shelter-drop") != NULL;
	}
	assert_true(mb2);
	assert_true(nul2);
	assert_false(elpaso);
	got_free(g);
}

static void test_stop(void **state)
{
	(void)state;
	got *g = calloc(1, sizeof *g);
	assert_non_null(g);
	g->stop_after = 1;
	g->opts.on_article = on_article;
	g->opts.on_reject = on_reject;
	g->opts.ctx = g;
	int ret = corpus_read_path(fixture("stories.jsonl"), &g->opts);
	assert_true(ret < 0);
	assert_int_equal(g->total, 1);
	assert_int_equal(g->opts.articles, 1);
	got_free(g);
}

static void test_forced_format(void **state)
{
	(void)state;
	size_t n;
	char *s = slurp(fixture("stories.jsonl"), &n);
	write_file(tpath("stories.dat"), s, n);
	free(s);
	got *g = read_with(tpath("stories.dat"), CORPUS_JSON, 0, NULL);
	assert_int_equal(g->na, 3);
	got_free(g);
	/* no extension: sniffed */
	write_file(tpath("stories"), "{\"title\": \"t\", \"text\": \"b\"}\n", 28);
	g = read_auto(tpath("stories"));
	assert_int_equal(g->na, 1);
	assert_string_equal(g->a[0].title, "t");
	got_free(g);
}

/* ---- sniffing and names ---- */

static void test_sniff(void **state)
{
	(void)state;
#define SNIFF(s) corpus_sniff_format((s), sizeof(s) - 1)
	assert_int_equal(SNIFF("{\"title\": 1}\n"), CORPUS_JSON);
	assert_int_equal(SNIFF("\xEF\xBB\xBF  [ {} ]"), CORPUS_JSON);
	assert_int_equal(SNIFF("<!DOCTYPE html><html><p>x"), CORPUS_HTML);
	assert_int_equal(SNIFF("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"), CORPUS_FEED);
	assert_int_equal(SNIFF("<?xml version=\"1.0\"?><feed xmlns=\"x\">"), CORPUS_FEED);
	assert_int_equal(SNIFF("title,text,date\na,b,c\n"), CORPUS_CSV);
	assert_int_equal(SNIFF("\"id\",\"headline\"\n1,x\n"), CORPUS_CSV);
	assert_int_equal(SNIFF("id\ttitle\tbody\n"), CORPUS_TSV);
	assert_int_equal(SNIFF("From: a@b\nSubject: x\n\nbody"), CORPUS_TXT);
	assert_int_equal(SNIFF("Just a headline, with a comma\n\nText."), CORPUS_TXT);
	assert_int_equal(SNIFF(""), CORPUS_TXT);
	assert_int_equal(SNIFF("\x1f\x8b\x08\x00"), -1);
	assert_int_equal(SNIFF("\x01\x02\x03\x00\x00\x00\x05\x06\xff\xfe\x80\x81"), -1);
#undef SNIFF
}

static void test_format_names(void **state)
{
	(void)state;
	assert_int_equal(corpus_format_from_name("txt"), CORPUS_TXT);
	assert_int_equal(corpus_format_from_name("json"), CORPUS_JSON);
	assert_int_equal(corpus_format_from_name("jsonl"), CORPUS_JSON);
	assert_int_equal(corpus_format_from_name("CSV"), CORPUS_CSV);
	assert_int_equal(corpus_format_from_name("tsv"), CORPUS_TSV);
	assert_int_equal(corpus_format_from_name("html"), CORPUS_HTML);
	assert_int_equal(corpus_format_from_name("rss"), CORPUS_FEED);
	assert_int_equal(corpus_format_from_name("atom"), CORPUS_FEED);
	assert_int_equal(corpus_format_from_name("feed"), CORPUS_FEED);
	assert_int_equal(corpus_format_from_name("docx"), -1);
	assert_int_equal(corpus_format_from_name(NULL), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_tmp, teardown_tmp)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_txt_headers),
		T(test_txt_plain_crlf),
		T(test_mail_usenet),
		T(test_mail_folder_source),
		T(test_jsonl_mapped),
		T(test_json_array),
		T(test_json_object_forms),
		T(test_json_bad_line),
		T(test_json_headline_only),
		T(test_json_raw_nul_repaired),
		T(test_csv_quotes_newlines),
		T(test_tsv),
		T(test_tsv_escapes),
		T(test_csv_unterminated_quote),
		T(test_csv_headerless_agnews),
		T(test_csv_overlong_field),
		T(test_html_article),
		T(test_html_densest),
		T(test_html_h1_title),
		T(test_html_encodings),
		T(test_bom),
		T(test_stdin),
		T(test_rss),
		T(test_atom),
		T(test_feed_billion_laughs),
		T(test_feed_truncated),
		T(test_feed_repairable_errors),
		T(test_gzip),
		T(test_gzip_truncated),
		T(test_gzip_bomb),
		T(test_binary_file),
		T(test_binary_any_extension),
		T(test_binary_not_text),
		T(test_empty_files),
		T(test_overlong_line),
		T(test_encoding_repair),
		T(test_missing_path),
		T(test_fuzz),
		T(test_deep_nesting),
		T(test_dir_walk),
		T(test_dir_walk_skips_notes),
		T(test_sample_bad_expect),
		T(test_stop),
		T(test_forced_format),
		T(test_sniff),
		T(test_format_names),
	};
	return cmocka_run_group_tests_name("readers", tests, NULL, NULL);
}
