/* Quote extraction (indexer/quotes.c): each rule with a sentence of our
 * own, true and false cases, and offsets that point at the quoted bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../indexer/analyzer.h"
#include "../indexer/entities.h"
#include "../indexer/quotes.h"

static qt_quotes Q = QT_QUOTES_INIT;

/* The quotes of text, extracted as the indexer does (tokens, then the
 * entity tagger's mentions, then quotes). */
static const qt_quotes *run(const char *text, const char *lang)
{
	analyzer *a = analyzer_new();
	char *err = NULL;
	gazetteer *g = gazetteer_load_builtin(a, &err);
	assert_non_null(g);
	ent_tagger *t = ent_tagger_new(g);
	an_tokens toks = AN_TOKENS_INIT;
	ent_mentions m = ENT_MENTIONS_INIT;
	analyzer_tokenize(a, text, strlen(text), 0, &toks);
	ent_tagger_begin_article(t);
	ent_tagger_set_lang(t, lang);
	ent_tag(t, text, &toks, &m);
	ent_tagger_end_article(t, &m);
	qt_extract(text, strlen(text), &toks, &m, 0, m.n, lang, &Q);
	ent_mentions_release(&m);
	an_tokens_release(&toks);
	ent_tagger_free(t);
	gazetteer_free(g);
	analyzer_free(a);
	return &Q;
}

static void assert_quote(const char *text, const qt_quotes *q, size_t i,
                         const char *words, const char *speaker)
{
	assert_true(i < q->n);
	size_t n = strlen(words);
	assert_int_equal(q->v[i].end - q->v[i].start, n);
	assert_memory_equal(text + q->v[i].start, words, n);
	assert_string_equal(qt_str(q, q->v[i].speaker), speaker);
}

static void cue_after_with_title(void **state)
{
	(void)state;
	const char *s = "\"We will not let them divide us,\" said Mayor Karen Bass.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "We will not let them divide us,", "karen bass");
	assert_string_equal(qt_str(q, q->v[0].cue), "said");
}

static void cue_before_colon(void **state)
{
	(void)state;
	const char *s = "Tory leader Michael Howard said: \"The system is chaotic.\"";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "The system is chaotic.", "michael howard");
}

static void surname_to_full_name(void **state)
{
	(void)state;
	const char *s = "Patricia Hewitt spoke on Sunday.\n\n\"It is fair,\" Ms Hewitt told reporters.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "It is fair,", "patricia hewitt");
	assert_string_equal(qt_str(q, q->v[0].cue), "told");
}

static void pronoun_to_last_speaker(void **state)
{
	(void)state;
	const char *s = "David Frost said the plan was costly. \"Firms will suffer,\" he said.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "Firms will suffer,", "david frost");
}

static void split_quote_is_one(void **state)
{
	(void)state;
	const char *s = "\"We will win,\" Jane Doe said, \"because we are right.\"";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 2);
	assert_quote(s, q, 0, "We will win,", "jane doe");
	assert_quote(s, q, 1, "because we are right.", "jane doe");
	assert_int_equal(q->v[1].group, 0);
}

static void floating_quote_same_speaker(void **state)
{
	(void)state;
	const char *s = "Jane Doe said: \"We start today.\"\n\n\"Nothing will stop us.\"";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 2);
	assert_quote(s, q, 1, "Nothing will stop us.", "jane doe");
	assert_int_equal(q->v[1].how, QT_CONTINUED);
}

static void organisation_spokesman(void **state)
{
	(void)state;
	const char *s = "A Home Office spokesman said: \"We do not comment on cases.\"";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "We do not comment on cases.", "home office");
}

static void according_to(void **state)
{
	(void)state;
	const char *s = "According to John Smith, \"the figures are wrong.\"";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "the figures are wrong.", "john smith");
}

static void role_to_person(void **state)
{
	(void)state;
	const char *s = "Home Secretary Charles Clarke visited Dover. \"It works,\" the home secretary said.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "It works,", "charles clarke");
}

static void title_is_not_speech(void **state)
{
	(void)state;
	const char *s = "She watched \"Strictly Come Dancing\" with the so-called \"experts\".";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 0);
}

static void scare_quote_is_not_speech(void **state)
{
	(void)state;
	const char *s = "The council dropped the word \"illegal\" from its rules.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 0);
}

/* A quote inside reported speech is the speaker's words (the gold set's
 * convention): "dismissed the plan as "desperate"". */
static void partial_quote_in_reported_speech(void **state)
{
	(void)state;
	const char *s = "Jane Doe dismissed the plan as \"desperate\", while the "
	                "Greens said it was fine.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "desperate", "jane doe");
	assert_string_equal(qt_str(q, q->v[0].cue), "dismissed");
}

/* A quote running on into the next paragraph is one part per paragraph
 * (the gold set's convention), both parts one quote. */
static void quote_over_paragraphs(void **state)
{
	(void)state;
	const char *s = "Jane Doe said: \"We start today.\n\n\"Nothing will stop us.\"";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 2);
	assert_quote(s, q, 0, "We start today.", "jane doe");
	assert_quote(s, q, 1, "Nothing will stop us.", "jane doe");
	assert_int_equal(q->v[1].group, 0);
}

static void curly_marks_and_pronoun_gender(void **state)
{
	(void)state;
	const char *s = "Mr John Smith and Mrs Ann Lee met. Mrs Lee spoke first. "
	                "\xE2\x80\x9CWe agree,\xE2\x80\x9D she said.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "We agree,", "ann lee");
}

static void said_without_quote_marks_is_no_quote(void **state)
{
	(void)state;
	const qt_quotes *q = run("The mayor said the raids must stop.", "en");
	assert_int_equal(q->n, 0);
}

/* English inverts after a comma too: the speaker of the next "he said" */
static void inverted_said_after_comma(void **state)
{
	(void)state;
	const char *s = "Orders rose, said Andrew Sheaf, head of sales at the firm. "
	                "\"Last week was the busiest,\" he said.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "Last week was the busiest,", "andrew sheaf");
}

/* A committee in a person's title does not make the person a body */
static void title_with_a_body_in_it(void **state)
{
	(void)state;
	const char *s = "Finance Committee Chairman Dan Ross said he was reluctant. "
	                "\"It is a bad bill,\" he said.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "It is a bad bill,", "dan ross");
}

/* "a company spokeswoman": the company the article is about */
static void company_spokeswoman(void **state)
{
	(void)state;
	const char *s = "Acme Widgets Corp said it cut prices. \"Demand is weak,\" "
	                "a company spokeswoman said.";
	const qt_quotes *q = run(s, "en");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "Demand is weak,", "acme widgets corp");
}

static void word_table_sorted(void **state)
{
	(void)state;
	assert_true(qt_words_sorted());
}

static void spanish_guillemets(void **state)
{
	(void)state;
	const char *s = "«Vamos a ganar», dijo el ministro Juan Pérez.";
	const qt_quotes *q = run(s, "es");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "Vamos a ganar", "juan perez");
	assert_string_equal(qt_str(q, q->v[0].cue), "dijo");
}

static void spanish_dash_dialogue(void **state)
{
	(void)state;
	const char *s = "Ana López habló.\n\xE2\x80\x94" "No nos iremos \xE2\x80\x94" "afirmó.";
	const qt_quotes *q = run(s, "es");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "No nos iremos", "ana lopez");
}

static void segun_source(void **state)
{
	(void)state;
	const char *s = "Según Pedro Ruiz, \"no hay dinero\".";
	const qt_quotes *q = run(s, "es");
	assert_int_equal(q->n, 1);
	assert_quote(s, q, 0, "no hay dinero", "pedro ruiz");
}

static int teardown_all(void **state)
{
	(void)state;
	qt_quotes_release(&Q);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cue_after_with_title),
		cmocka_unit_test(cue_before_colon),
		cmocka_unit_test(surname_to_full_name),
		cmocka_unit_test(pronoun_to_last_speaker),
		cmocka_unit_test(split_quote_is_one),
		cmocka_unit_test(floating_quote_same_speaker),
		cmocka_unit_test(organisation_spokesman),
		cmocka_unit_test(according_to),
		cmocka_unit_test(role_to_person),
		cmocka_unit_test(title_is_not_speech),
		cmocka_unit_test(scare_quote_is_not_speech),
		cmocka_unit_test(partial_quote_in_reported_speech),
		cmocka_unit_test(quote_over_paragraphs),
		cmocka_unit_test(curly_marks_and_pronoun_gender),
		cmocka_unit_test(said_without_quote_marks_is_no_quote),
		cmocka_unit_test(inverted_said_after_comma),
		cmocka_unit_test(title_with_a_body_in_it),
		cmocka_unit_test(company_spokeswoman),
		cmocka_unit_test(word_table_sorted),
		cmocka_unit_test(spanish_guillemets),
		cmocka_unit_test(spanish_dash_dialogue),
		cmocka_unit_test(segun_source),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
