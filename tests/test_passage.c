/* Tests of the passage splitter and the sentence boundary finder: merging,
 * cutting, abbreviations, exact offsets, coverage, and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../corpus/passage.h"

static int is_sp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static size_t words_in(const char *t, size_t a, size_t b)
{
	size_t n = 0;
	for (size_t i = a; i < b; i++)
		if (!is_sp((unsigned char)t[i]) &&
		    (i == a || is_sp((unsigned char)t[i - 1])))
			n++;
	return n;
}

/* The contract every split must keep, whatever the input: spans trimmed,
 * in order, not overlapping, covering every non-space byte, and never
 * over max words. */
static void check_invariants(const char *body, size_t len,
                             const passage_opts *o, const passage_list *l)
{
	size_t prev_end = 0;
	for (size_t k = 0; k < l->n; k++) {
		size_t a = l->v[k].start, b = l->v[k].end;
		assert_true(a < b);
		assert_true(b <= len);
		assert_true(a >= prev_end);
		assert_false(is_sp((unsigned char)body[a]));
		assert_false(is_sp((unsigned char)body[b - 1]));
		assert_true(words_in(body, a, b) <= o->max_words);
		/* Between passages only whitespace. */
		for (size_t i = prev_end; i < a; i++)
			assert_true(is_sp((unsigned char)body[i]));
		prev_end = b;
	}
	for (size_t i = prev_end; i < len; i++)
		assert_true(is_sp((unsigned char)body[i]));
}

static void split(const char *body, size_t len, const passage_opts *o,
                  passage_list *l)
{
	passage_split(body, len, o, l);
	check_invariants(body, len, o, l);
}

static int span_is(const char *body, const passage_span *p, const char *want)
{
	size_t n = strlen(want);
	return p->end - p->start == n && memcmp(body + p->start, want, n) == 0;
}

/* Sentences of n words each, "Wordk wordk ... wordk." */
static void add_sentences(strbuf *sb, int count, int words)
{
	for (int s = 0; s < count; s++) {
		if (s)
			sb_addch(sb, ' ');
		sb_addf(sb, "Sentence%d", s);
		for (int w = 1; w < words; w++)
			sb_addf(sb, " w%d", w);
		sb_addch(sb, '.');
	}
}

static void test_empty_and_blank(void **state)
{
	(void)state;
	passage_opts o = PASSAGE_OPTS_INIT;
	passage_list l = PASSAGE_LIST_INIT;
	split("", 0, &o, &l);
	assert_int_equal(l.n, 0);
	split(" \n\n\t \r\n  ", 9, &o, &l);
	assert_int_equal(l.n, 0);
	passage_split(NULL, 0, &o, &l);
	assert_int_equal(l.n, 0);
	split("  one  ", 7, &o, &l);
	assert_int_equal(l.n, 1);
	assert_true(span_is("  one  ", &l.v[0], "one"));
	passage_list_release(&l);
}

static void test_paragraphs_are_passages(void **state)
{
	(void)state;
	passage_opts o = { 120, 200, 3 };
	passage_list l = PASSAGE_LIST_INIT;
	const char *body = "The first paragraph has words.\n\n"
	                   "The second one has more words.\n\n"
	                   "And a third paragraph closes it.";
	split(body, strlen(body), &o, &l);
	assert_int_equal(l.n, 3);
	assert_true(span_is(body, &l.v[0], "The first paragraph has words."));
	assert_true(span_is(body, &l.v[1], "The second one has more words."));
	assert_true(span_is(body, &l.v[2], "And a third paragraph closes it."));
	passage_list_release(&l);
}

static void test_short_paragraphs_merged(void **state)
{
	(void)state;
	passage_opts o = { 120, 200, 6 };
	passage_list l = PASSAGE_LIST_INIT;
	/* Headline-like lines of 2 words join the paragraph after them. */
	const char *body = "CHICAGO (AP)\n\nBy Dana Okafor\n\n"
	                   "Federal agents arrived in the city on Tuesday morning.\n\n"
	                   "The mayor said the city would not help them at all.";
	split(body, strlen(body), &o, &l);
	assert_int_equal(l.n, 2);
	assert_true(span_is(body, &l.v[0],
	        "CHICAGO (AP)\n\nBy Dana Okafor\n\n"
	        "Federal agents arrived in the city on Tuesday morning."));
	assert_true(span_is(body, &l.v[1],
	        "The mayor said the city would not help them at all."));
	passage_list_release(&l);
}

static void test_last_tiny_paragraph_joins_previous(void **state)
{
	(void)state;
	passage_opts o = { 120, 200, 6 };
	passage_list l = PASSAGE_LIST_INIT;
	const char *body = "The council voted on the sanctuary ordinance late Monday.\n\n"
	                   "The vote was close and contested.\n\n"
	                   "Contact us.";
	split(body, strlen(body), &o, &l);
	assert_int_equal(l.n, 2);
	assert_true(span_is(body, &l.v[1],
	        "The vote was close and contested.\n\nContact us."));
	/* A whole article shorter than min words is still one passage. */
	split("Tiny.\n\nText.", 12, &o, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].start, 0);
	assert_int_equal(l.v[0].end, 12);
	passage_list_release(&l);
}

static void test_long_paragraph_cut_at_sentences(void **state)
{
	(void)state;
	passage_opts o = { 20, 30, 5 };
	passage_list l = PASSAGE_LIST_INIT;
	strbuf sb = STRBUF_INIT;
	add_sentences(&sb, 10, 8); /* 80 words, sentences of 8 */
	split(sb.buf, sb.len, &o, &l);
	/* Windows close at the sentence nearest 20 words: 24, 24, 24, 8 -> the
	 * tail of 8 is over min, so it stays. Every window is whole
	 * sentences: starts at "Sentence", ends at a full stop. */
	assert_true(l.n >= 3 && l.n <= 5);
	for (size_t k = 0; k < l.n; k++) {
		assert_memory_equal(sb.buf + l.v[k].start, "Sentence", 8);
		assert_int_equal(sb.buf[l.v[k].end - 1], '.');
		size_t w = words_in(sb.buf, l.v[k].start, l.v[k].end);
		assert_true(w <= 30);
		if (k + 1 < l.n)
			assert_true(w >= 16);
	}
	sb_release(&sb);
	passage_list_release(&l);
}

static void test_tail_merge_in_long_paragraph(void **state)
{
	(void)state;
	passage_opts o = { 20, 30, 5 };
	passage_list l = PASSAGE_LIST_INIT;
	strbuf sb = STRBUF_INIT;
	add_sentences(&sb, 4, 10); /* 40 words */
	sb_addstr(&sb, " Short end.");
	split(sb.buf, sb.len, &o, &l);
	/* 20 + 20 + 2: the 2-word tail joins the second window (22 <= 30). */
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[1].end, sb.len);
	assert_int_equal(words_in(sb.buf, l.v[1].start, l.v[1].end), 22);
	sb_release(&sb);
	passage_list_release(&l);
}

static void test_huge_paragraph_without_punctuation(void **state)
{
	(void)state;
	passage_opts o = PASSAGE_OPTS_INIT;
	passage_list l = PASSAGE_LIST_INIT;
	size_t len = 1 << 20;
	char *body = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		body[i] = (i % 6 == 5) ? ' ' : "abcde"[i % 6];
	split(body, len, &o, &l);
	size_t total = words_in(body, 0, len);
	assert_int_equal(l.n, (total + o.max_words - 1) / o.max_words);
	for (size_t k = 0; k + 1 < l.n; k++)
		assert_int_equal(words_in(body, l.v[k].start, l.v[k].end),
		                 o.max_words);
	/* One word of 1 MB: one passage, it cannot be cut. */
	memset(body, 'x', len);
	split(body, len, &o, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].end, len);
	free(body);
	passage_list_release(&l);
}

static void test_offsets_exact_with_crlf_and_tabs(void **state)
{
	(void)state;
	passage_opts o = { 120, 200, 1 };
	passage_list l = PASSAGE_LIST_INIT;
	const char *body = "\t  Lead line here. \r\n \r\n\tSecond para.\r\n\r\n\n   ";
	split(body, strlen(body), &o, &l);
	assert_int_equal(l.n, 2);
	assert_true(span_is(body, &l.v[0], "Lead line here."));
	assert_true(span_is(body, &l.v[1], "Second para."));
	passage_list_release(&l);
}

static void test_random_bytes(void **state)
{
	(void)state;
	passage_opts opts[] = { PASSAGE_OPTS_INIT, { 5, 8, 3 }, { 0, 0, 0 },
	                        { 50, 10, 100 } };
	passage_list l = PASSAGE_LIST_INIT;
	char *body = xmalloc(4096);
	uint32_t seed = 12345;
	for (int round = 0; round < 400; round++) {
		size_t len = (size_t)(round * 37) % 4096;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned v = seed >> 16;
			/* Bias towards the bytes the splitter looks at. */
			body[i] = (v % 4 == 0) ? " \n.!?\"A\xe2\x80\x9d"[v % 10]
			                       : (char)(v & 0xff);
		}
		passage_opts o = opts[round % 4];
		passage_split(body, len, &o, &l);
		passage_opts eff = o;
		if (eff.max_words == 0)
			eff.max_words = 1;
		check_invariants(body, len, &eff, &l);
	}
	free(body);
	passage_list_release(&l);
}

/* ---- sentence boundaries ---- */

static size_t sentences(const char *text, uint32_t **starts)
{
	size_t n = 0, cap = 0;
	*starts = NULL;
	return passage_sentence_starts(text, strlen(text), starts, &n, &cap);
}

static void test_sentences_basic(void **state)
{
	(void)state;
	uint32_t *s;
	const char *t = "Agents came. Did they leave? No! \"We stay,\" she said. "
	                "(Then quiet.) 2024 was hard.";
	size_t n = sentences(t, &s);
	assert_int_equal(n, 5);
	assert_string_equal(t + s[0], "Did they leave? No! \"We stay,\" she said. "
	                              "(Then quiet.) 2024 was hard.");
	assert_memory_equal(t + s[1], "No!", 3);
	assert_memory_equal(t + s[2], "\"We stay", 8);
	assert_memory_equal(t + s[3], "(Then", 5);
	assert_memory_equal(t + s[4], "2024", 4);
	free(s);
}

static void test_sentences_abbreviations(void **state)
{
	(void)state;
	uint32_t *s;
	const char *no_split[] = {
		"Gov. Gavin Newsom signed the bill.",
		"Agents of the U.S. Border Patrol detained him.",
		"The order takes effect Jan. 20 at noon.",
		"She met Mr. Alvarez and Dr. Chen at St. Paul.",
		"John F. Kennedy spoke in Washington, D.C. Tuesday.",
		"The vote was Sen. Ortiz vs. Rep. Hale on No. 4.",
		"Acme Corp. Chief Executive Lena Ruiz said so.",
		"The U.N. Refugee Agency met Sept. 3 and Oct. 9.",
		"Sr. Gómez y Sra. López hablaron con Dña. Elena.",
		"Lt. Gen. Ward and Sgt. Moss of Springfield, Ill. Police arrived.",
		"The meeting ran until 9 p.m. Friday.",
	};
	for (size_t i = 0; i < sizeof no_split / sizeof *no_split; i++) {
		size_t n = sentences(no_split[i], &s);
		if (n != 0)
			print_error("split inside: %s\n", no_split[i]);
		assert_int_equal(n, 0);
		free(s);
	}
	/* A real boundary after an ordinary word still splits. */
	assert_int_equal(sentences("He left the office. Gov. Ruiz stayed.", &s), 1);
	free(s);
	/* "no." is a word when lower case. */
	assert_int_equal(sentences("She said no. Then she left.", &s), 1);
	free(s);
}

static void test_sentences_quotes_and_spanish(void **state)
{
	(void)state;
	uint32_t *s;
	const char *t = "\xe2\x80\x9cWe will sue,\xe2\x80\x9d she said."
	                "\xe2\x80\x9d \xe2\x80\x9cNow.\xe2\x80\x9d "
	                "La ley entr\xc3\xb3 en vigor. \xc2\xbfPor qu\xc3\xa9? "
	                "\xc3\x89l no sab\xc3\xad""a.";
	size_t n = sentences(t, &s);
	assert_int_equal(n, 4);
	assert_memory_equal(t + s[0], "\xe2\x80\x9cNow", 6);
	assert_memory_equal(t + s[1], "La ley", 6);
	assert_memory_equal(t + s[2], "\xc2\xbfPor", 5);
	assert_memory_equal(t + s[3], "\xc3\x89l", 3);
	free(s);
	/* Lower case after a full stop, and decimals, do not split. */
	assert_int_equal(sentences("It rose 3.5 percent. e.g. this one.", &s), 0);
	free(s);
}

static void test_sentences_paragraph_break(void **state)
{
	(void)state;
	uint32_t *s;
	const char *t = "HEADLINE WITHOUT STOP\n\nbody starts lower case";
	assert_int_equal(sentences(t, &s), 1);
	assert_string_equal(t + s[0], "body starts lower case");
	free(s);
	/* Appends after what is already there. */
	uint32_t *v = NULL;
	size_t n = 0, cap = 0;
	passage_sentence_starts("Ab cd. Ef gh.", 13, &v, &n, &cap);
	assert_int_equal(passage_sentence_starts("Ab cd. Ef gh.", 13, &v, &n, &cap), 1);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], 7);
	assert_int_equal(v[1], 7);
	free(v);
}

static void test_abbreviation_keeps_passage_whole(void **state)
{
	(void)state;
	/* Windows are cut only at real sentence ends, never after "Gov.". */
	passage_opts o = { 6, 12, 2 };
	passage_list l = PASSAGE_LIST_INIT;
	const char *body = "Federal agents raided a warehouse near the river. "
	                   "Gov. Gavin Newsom called the raid unlawful today. "
	                   "The U.S. Border Patrol chief defended it on Jan. 20 again.";
	split(body, strlen(body), &o, &l);
	assert_true(l.n >= 2);
	for (size_t k = 0; k < l.n; k++) {
		const char *p = body + l.v[k].start;
		assert_true(strncmp(p, "Gavin", 5) != 0);
		assert_true(strncmp(p, "Border", 6) != 0);
		assert_true(strncmp(p, "20 again", 8) != 0);
	}
	passage_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_paragraphs_are_passages),
		cmocka_unit_test(test_short_paragraphs_merged),
		cmocka_unit_test(test_last_tiny_paragraph_joins_previous),
		cmocka_unit_test(test_long_paragraph_cut_at_sentences),
		cmocka_unit_test(test_tail_merge_in_long_paragraph),
		cmocka_unit_test(test_huge_paragraph_without_punctuation),
		cmocka_unit_test(test_offsets_exact_with_crlf_and_tabs),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_sentences_basic),
		cmocka_unit_test(test_sentences_abbreviations),
		cmocka_unit_test(test_sentences_quotes_and_spanish),
		cmocka_unit_test(test_sentences_paragraph_break),
		cmocka_unit_test(test_abbreviation_keeps_passage_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
