/* The readers over the real corpora in ../shared/corpora (BBC, Reuters,
 * 20 Newsgroups, AG News, Spanish news): exact record counts, no rejects,
 * and the body invariants on every article. Skipped when the folder is
 * absent (a fresh checkout has no ../shared). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../corpus/article.h"
#include "helpers/run.h"

static char corpora[4096];

static int find_corpora(void)
{
	return run_find_corpora(corpora, sizeof corpora);
}

typedef struct tally {
	uint64_t articles, rejects, untitled, with_date, with_lang;
	uint64_t bad_body;      /* breaks the whitespace/UTF-8 contract */
	char first_reject[512];
	char want_in_body[64];  /* a string some article must contain */
	int found;
} tally;

static int utf8_ok(const unsigned char *s)
{
	while (*s) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		int k = (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2 :
		        (*s & 0xF8) == 0xF0 ? 3 : -1;
		if (k < 0 || *s == 0xC0 || *s == 0xC1)
			return 0;
		s++;
		while (k--) {
			if ((*s & 0xC0) != 0x80)
				return 0;
			s++;
		}
	}
	return 1;
}

static int body_ok(const char *b)
{
	size_t n = strlen(b);
	if (n && (b[0] == ' ' || b[0] == '\n' || b[n - 1] == ' ' || b[n - 1] == '\n'))
		return 0;
	if (strstr(b, "  ") || strstr(b, "\n\n\n") || strstr(b, " \n") ||
	    strstr(b, "\n ") || strchr(b, '\t') || strchr(b, '\r'))
		return 0;
	/* a lone newline never survives: only "\n\n" */
	for (const char *p = strchr(b, '\n'); p; p = strchr(p + 2, '\n'))
		if (p[1] != '\n')
			return 0;
	return utf8_ok((const unsigned char *)b);
}

static int on_article(const article *a, void *ctx)
{
	tally *t = ctx;
	t->articles++;
	if (!*a->title)
		t->untitled++;
	if (*a->date)
		t->with_date++;
	if (*a->lang)
		t->with_lang++;
	if (!body_ok(a->body) || !utf8_ok((const unsigned char *)a->title))
		t->bad_body++;
	if (t->want_in_body[0] && strstr(a->body, t->want_in_body))
		t->found = 1;
	return 0;
}

static void on_reject(const char *path, uint64_t line, const char *reason,
                      void *ctx)
{
	tally *t = ctx;
	if (!t->rejects++)
		snprintf(t->first_reject, sizeof t->first_reject, "%s:%llu: %s",
		         path, (unsigned long long)line, reason);
}

static void read_part(const char *part, tally *t)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", corpora, part);
	corpus_reader_opts o = {0};
	o.on_article = on_article;
	o.on_reject = on_reject;
	o.ctx = t;
	uint64_t before = t->articles;
	assert_int_equal(corpus_read_path(path, &o), 0);
	assert_int_equal(o.articles, t->articles - before);
	if (t->rejects)
		print_message("first reject: %s\n", t->first_reject);
}

#define NEED_CORPORA() do { if (!find_corpora()) { skip(); return; } } while (0)

static void test_bbc(void **state)
{
	(void)state;
	NEED_CORPORA();
	/* the five category folders; bbc/README.TXT (the dataset's own notes,
	 * which a walk of bbc/ reads as one more text) is left out */
	static const char *const cats[] = {"business", "entertainment",
	                                   "politics", "sport", "tech"};
	tally t = {0};
	snprintf(t.want_in_body, sizeof t.want_in_body,
	         "a \xC2\xA3" "15.8m signing");  /* sport/199.txt, Latin-1 */
	for (int i = 0; i < 5; i++) {
		char part[64];
		snprintf(part, sizeof part, "bbc/%s", cats[i]);
		read_part(part, &t);
	}
	assert_int_equal(t.articles, 2225);
	assert_int_equal(t.rejects, 0);
	assert_int_equal(t.untitled, 0);
	assert_int_equal(t.bad_body, 0);
	assert_true(t.found);
}

static void test_reuters(void **state)
{
	(void)state;
	NEED_CORPORA();
	tally t = {0};
	read_part("reuters21578.jsonl", &t);
	assert_int_equal(t.articles, 19043);
	assert_int_equal(t.rejects, 0);
	assert_int_equal(t.bad_body, 0);
	assert_int_equal(t.with_date, 19043);
	assert_int_equal(t.with_lang, 19043);
}

static void test_20newsgroups(void **state)
{
	(void)state;
	NEED_CORPORA();
	tally t = {0};
	read_part("20newsgroups", &t);
	assert_int_equal(t.articles, 18846);
	assert_int_equal(t.rejects, 0);
	assert_int_equal(t.bad_body, 0);
	/* every post has a Subject: */
	assert_true(t.untitled < 10);
}

static void test_ag_news(void **state)
{
	(void)state;
	NEED_CORPORA();
	tally t = {0};
	/* AG News writes "$" as " #36;" and newlines as "\" */
	snprintf(t.want_in_body, sizeof t.want_in_body, "the $10 million Ansari X Prize");
	read_part("ag_news_test.csv", &t);
	assert_int_equal(t.articles, 7600);
	assert_int_equal(t.rejects, 0);
	assert_int_equal(t.untitled, 0);
	assert_int_equal(t.bad_body, 0);
	assert_true(t.found);
}

static void test_spanish(void **state)
{
	(void)state;
	NEED_CORPORA();
	tally t = {0};
	read_part("spanish_news.jsonl", &t);
	assert_int_equal(t.articles, 1543);
	assert_int_equal(t.rejects, 0);
	assert_int_equal(t.bad_body, 0);
	assert_int_equal(t.with_lang, 1543);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bbc),
		cmocka_unit_test(test_reuters),
		cmocka_unit_test(test_20newsgroups),
		cmocka_unit_test(test_ag_news),
		cmocka_unit_test(test_spanish),
	};
	return cmocka_run_group_tests_name("corpus_real", tests, NULL, NULL);
}
