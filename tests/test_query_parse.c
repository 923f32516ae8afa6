/* Tests of the query language parser (searcher/query_parse.c): every
 * construct by its dumped tree, precedence, errors with their exact
 * columns, limits, bad bytes, and 10,000 random queries that must each give
 * a tree or one error inside the query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../indexer/analyzer.h"
#include "../searcher/query_ast.h"

static int setup(void **state)
{
	*state = analyzer_new();
	return 0;
}

static int teardown(void **state)
{
	analyzer_free(*state);
	return 0;
}

/* Parse q and compare the dump with want (or the error with want_err). */
static void check_opts(analyzer *a, const char *q, int all, const char *want)
{
	query_parse_opts o = QUERY_PARSE_OPTS_INIT;
	o.default_and = all;
	q_node *n = NULL;
	strbuf err = STRBUF_INIT, d = STRBUF_INIT;
	int rc = query_parse(a, q, strlen(q), &o, &n, &err);
	if (rc != 0)
		print_error("query [%s]: unexpected error: %s\n", q, sb_cstr(&err));
	assert_int_equal(rc, 0);
	assert_non_null(n);
	assert_int_equal(err.len, 0);
	q_node_dump(n, &d);
	if (strcmp(sb_cstr(&d), want) != 0)
		print_error("query [%s]\n  got  %s\n  want %s\n", q, sb_cstr(&d), want);
	assert_string_equal(sb_cstr(&d), want);
	q_node_free(n);
	sb_release(&err);
	sb_release(&d);
}

static void check(analyzer *a, const char *q, const char *want)
{
	check_opts(a, q, 0, want);
}

static void check_err_len(analyzer *a, const char *q, size_t len,
                          const char *want)
{
	q_node *n = (q_node *)1;
	strbuf err = STRBUF_INIT;
	int rc = query_parse(a, q, len, NULL, &n, &err);
	if (rc == 0) {
		strbuf d = STRBUF_INIT;
		q_node_dump(n, &d);
		print_error("query [%s]: parsed as %s, want error %s\n", q,
		            sb_cstr(&d), want);
		sb_release(&d);
		q_node_free(n);
	}
	assert_int_equal(rc, -1);
	assert_null(n);
	if (strcmp(sb_cstr(&err), want) != 0)
		print_error("query [%s]\n  got  %s\n  want %s\n", q, sb_cstr(&err), want);
	assert_string_equal(sb_cstr(&err), want);
	sb_release(&err);
}

static void check_err(analyzer *a, const char *q, const char *want)
{
	check_err_len(a, q, strlen(q), want);
}

static void test_words(void **state)
{
	analyzer *a = *state;
	check(a, "raid", "raid");
	check(a, "ice raid", "(or ice raid)");
	check(a, "  ice\traid\n", "(or ice raid)");
	check(a, "ice raid sweep", "(or ice raid sweep)");
	/* lowercase operators are words */
	check(a, "ice and raid or sweep not wall", "(or ice and~ raid or~ sweep not~ wall)");
	check(a, "raid near wall", "(or raid near wall)");
	/* punctuation alone is no word */
	check(a, "raid & wall", "(or raid wall)");
	check(a, "raid - wall", "(or raid wall)");
}

static void test_default_and(void **state)
{
	analyzer *a = *state;
	check_opts(a, "ice raid", 1, "(and ice raid)");
	check_opts(a, "ice raid OR border wall", 1,
	           "(or (and ice raid) (and border wall))");
	check_opts(a, "ice raid -sweep", 1, "(and_not (and ice raid) sweep)");
	check_opts(a, "ice (raid OR sweep)", 1, "(and ice (or raid sweep))");
}

static void test_precedence(void **state)
{
	analyzer *a = *state;
	/* OR binds loosest, the default operator next */
	check(a, "ice raid OR border wall", "(or ice raid border wall)");
	check_opts(a, "ice raid OR wall", 1, "(or (and ice raid) wall)");
	check(a, "ice AND raid OR sweep", "(or (and ice raid) sweep)");
	check(a, "ice OR raid AND sweep", "(or ice (and raid sweep))");
	check(a, "ice AND raid sweep", "(or (and ice raid) sweep)");
	check(a, "ice AND raid AND sweep", "(and ice raid sweep)");
	/* NOT binds tighter than AND */
	check(a, "NOT ice AND raid", "(and_not raid ice)");
	check(a, "ice AND NOT raid", "(and_not ice raid)");
	check(a, "ice AND NOT raid OR sweep", "(or (and_not ice raid) sweep)");
	check(a, "ice NOT raid", "(and_not ice raid)");
	check(a, "NOT ice AND NOT raid wall", "(and_not wall (or ice raid))");
	/* NEAR binds tighter than AND */
	check(a, "ice NEAR raid AND wall", "(and (near 10 ice raid) wall)");
	check(a, "ice OR raid NEAR/2 wall", "(or ice (near 2 raid wall))");
}

static void test_plus_minus(void **state)
{
	analyzer *a = *state;
	check(a, "+ice raid -sweep", "(and_not (and_maybe ice raid) sweep)");
	check(a, "+ice +raid", "(and ice raid)");
	check(a, "+ice +raid wall", "(and_maybe (and ice raid) wall)");
	check(a, "raid -sweep -wall", "(and_not raid (or sweep wall))");
	check(a, "raid -\"border wall\"", "(and_not raid (phrase border wall))");
	check(a, "raid -(sweep OR wall)", "(and_not raid (or sweep wall))");
	check(a, "raid +\"border wall\"", "(and_maybe (phrase border wall) raid)");
	check(a, "raid +(sweep wall)", "(and_maybe (or sweep wall) raid)");
	/* a group of only exclusions subtracts from what is beside it */
	check(a, "raid (-sweep -wall)", "(and_not raid (or sweep wall))");
	/* in an AND chain + changes nothing inside, but the chain is required */
	check(a, "+ice AND raid wall", "(and_maybe (and ice raid) wall)");
	check(a, "(+raid)", "raid");
	check(a, "ice -raid NEAR wall", "(and_not ice (near 10 raid wall))");
}

static void test_nested(void **state)
{
	analyzer *a = *state;
	check(a, "((ice))", "ice");
	check(a, "(ice OR raid) AND (border (wall OR fence))",
	      "(and (or ice raid) (or border wall fence))");
	check_opts(a, "(ice OR raid) AND (border (wall OR fence))", 1,
	           "(and (or ice raid) border (or wall fence))");
	check(a, "((ice AND raid) OR (sweep AND (wall OR fence)))",
	      "(or (and ice raid) (and sweep (or wall fence)))");
	check(a, "ice(raid)", "(or ice raid)");
	check(a, "(ice)raid", "(or ice raid)");
}

static void test_near(void **state)
{
	analyzer *a = *state;
	check(a, "ice NEAR/5 raid", "(near 5 ice raid)");
	check(a, "ice NEAR raid", "(near 10 ice raid)");
	check(a, "ice NEAR/1 raid", "(near 1 ice raid)");
	check(a, "ice NEAR/1000 raid", "(near 1000 ice raid)");
	check(a, "ice NEAR/3 raid NEAR/3 wall", "(near 3 ice raid wall)");
	check(a, "\"border patrol\" NEAR/3 raid", "(near 3 (phrase border patrol) raid)");
	check(a, "Soto-Martinez NEAR Bass",
	      "(near 10 (phrase soto^ martinez^) bass^)");
	check(a, "ice NEAR/4 raid wall", "(or (near 4 ice raid) wall)");
}

static void test_fields(void **state)
{
	analyzer *a = *state;
	check(a, "title:raid", "(field title \"raid\" raid)");
	check(a, "title:\"sanctuary city\"",
	      "(field title \"sanctuary city\" (phrase sanctuary city))");
	check(a, "title:Soto-Martinez",
	      "(field title \"Soto-Martinez\" (phrase soto^ martinez^))");
	check(a, "city:\"L.A.\"", "(field city \"L.A.\")");
	check(a, "city:dallas", "(field city \"dallas\")");
	check(a, "City:Dallas", "(field city \"Dallas\")");
	check(a, "official:bass", "(field official \"bass\")");
	check(a, "official:\"Karen Bass\"", "(field official \"Karen Bass\")");
	check(a, "agency:ICE", "(field agency \"ICE\")");
	check(a, "response:287(g)", "(field response \"287(g)\")");
	check(a, "response:\"mass deportation\"",
	      "(field response \"mass deportation\")");
	check(a, "source:\"Valley Ledger\"", "(field source \"Valley Ledger\")");
	check(a, "lang:es", "(field lang \"es\")");
	check(a, "state:CA", "(field state \"CA\")");
	check(a, "(city:dallas)", "(field city \"dallas\")");
	check(a, "city:a:b", "(field city \"a:b\")");
	/* unknown field: plain words, the analyzer makes a phrase */
	check(a, "foo:bar", "(phrase foo bar)");
	/* filters are required beside words */
	check(a, "raid city:dallas", "(and raid (field city \"dallas\"))");
	check(a, "raid wall city:dallas",
	      "(and (or raid wall) (field city \"dallas\"))");
	check(a, "+city:dallas raid", "(and raid (field city \"dallas\"))");
	check(a, "raid OR city:dallas", "(or raid (field city \"dallas\"))");
	check(a, "raid (city:dallas OR city:houston)",
	      "(and raid (or (field city \"dallas\") (field city \"houston\")))");
	check(a, "city:dallas city:houston",
	      "(and (field city \"dallas\") (field city \"houston\"))");
	check(a, "raid lang:en lang:es source:x",
	      "(and raid (or (field lang \"en\") (field lang \"es\")) (field source \"x\"))");
	check(a, "raid -city:dallas", "(and_not raid (field city \"dallas\"))");
	check(a, "city:dallas -raid", "(and_not (field city \"dallas\") raid)");
	/* title: ranks like words */
	check(a, "title:raid ice", "(or (field title \"raid\" raid) ice)");
}

static void test_dates(void **state)
{
	analyzer *a = *state;
	check(a, "date:2024", "(date 20240101 20241231)");
	check(a, "date:2024-06", "(date 20240601 20240630)");
	check(a, "date:2024-02", "(date 20240201 20240229)");
	check(a, "date:2023-02", "(date 20230201 20230228)");
	check(a, "date:1900-02", "(date 19000201 19000228)");
	check(a, "date:2000-02", "(date 20000201 20000229)");
	check(a, "date:2024-06-15", "(date 20240615 20240615)");
	check(a, "date:2024-01..2024-06", "(date 20240101 20240630)");
	check(a, "date:2024-01-15..2024-03", "(date 20240115 20240331)");
	check(a, "date:2024..2025", "(date 20240101 20251231)");
	check(a, "date:..2024-06", "(date * 20240630)");
	check(a, "date:2023..", "(date 20230101 *)");
	check(a, "date:2024-6-1..2024-6-1", "(date 20240601 20240601)");
	check(a, "date:\"2024-01..2024-06\"", "(date 20240101 20240630)");
	check(a, "Date:2024", "(date 20240101 20241231)");
	check(a, "raid date:2024 date:2023",
	      "(and raid (or (date 20240101 20241231) (date 20230101 20231231)))");
}

static void test_hyphen_caps(void **state)
{
	analyzer *a = *state;
	check(a, "Soto-Martinez", "(phrase soto^ martinez^)");
	check(a, "\"Councilmember Hugo Soto-Martinez\"",
	      "(phrase councilmember^ hugo^ soto^ martinez^)");
	check(a, "Bass bass", "(or bass^ bass)");
	check(a, "ICE", "ice^");
	check(a, "\"ice\"", "(phrase ice)");

	/* the flags and offsets reach the tree */
	q_node *n = NULL;
	strbuf err = STRBUF_INIT;
	const char *q = "raid Soto-Martinez";
	assert_int_equal(query_parse(a, q, strlen(q), NULL, &n, &err), 0);
	assert_int_equal(n->kind, Q_OR);
	assert_int_equal(n->nkids, 2);
	const q_node *ph = n->kids[1];
	assert_int_equal(ph->kind, Q_PHRASE);
	assert_int_equal(ph->nterms, 2);
	assert_string_equal(ph->terms[0].text, "soto");
	assert_true(ph->terms[0].an_flags & AN_CAP);
	assert_int_equal(ph->terms[0].off, 5);
	assert_int_equal(ph->terms[0].end, 9);
	assert_string_equal(ph->terms[1].text, "martinez");
	assert_true(ph->terms[1].an_flags & AN_JOINED);
	assert_int_equal(ph->terms[1].off, 10);
	assert_int_equal(ph->terms[1].end, 18);
	assert_false(n->kids[0]->terms[0].an_flags & AN_CAP);
	assert_int_equal(n->kids[0]->terms[0].off, 0);
	q_node_free(n);
	sb_release(&err);
}

static void test_analyzer_words(void **state)
{
	analyzer *a = *state;
	check(a, "U.S.", "us^");
	check(a, "287(g)", "287g");
	check(a, "deportación", "deportacion");
	check(a, "Deportación ICE", "(or deportacion^ ice^)");
	check(a, "DEPORTACIONES", "deportaciones");
	check(a, "the wall", "(or the~ wall)");
	check(a, "los inmigrantes", "(or los~ inmigrantes)");

	/* offsets of a word after a multi-byte one are bytes */
	q_node *n = NULL;
	strbuf err = STRBUF_INIT;
	const char *q = "deportación raid";
	assert_int_equal(query_parse(a, q, strlen(q), NULL, &n, &err), 0);
	assert_int_equal(n->kids[1]->terms[0].off, 13);
	assert_int_equal(n->kids[0]->terms[0].stop, 0);
	q_node_free(n);
	sb_release(&err);
}

static void test_highlights(void **state)
{
	analyzer *a = *state;
	q_node *n = NULL;
	strbuf err = STRBUF_INIT;
	const char *q = "+ice \"border patrol\" -sweep title:raid city:dallas "
	                "(wall NEAR/3 fence) ice -(cbp OR dhs)";
	assert_int_equal(query_parse(a, q, strlen(q), NULL, &n, &err), 0);
	q_highlights h = Q_HIGHLIGHTS_INIT;
	q_collect_highlights(n, &h);
	strbuf s = STRBUF_INIT;
	for (size_t i = 0; i < h.n; i++) {
		sb_addch(&s, '[');
		for (size_t j = 0; j < h.v[i].nterms; j++)
			sb_addf(&s, "%s%s", j ? " " : "", h.v[i].terms[j].text);
		sb_addch(&s, ']');
	}
	/* ice once, nothing excluded, no entity value */
	assert_string_equal(sb_cstr(&s), "[ice][border patrol][raid][wall][fence]");
	q_highlights_release(&h);
	q_node_free(n);
	sb_release(&s);
	sb_release(&err);
}

static void test_errors(void **state)
{
	analyzer *a = *state;
	/* parentheses */
	check_err(a, "(ice raid", "column 10: expected ')' to close '(' at column 1");
	check_err(a, "ice (raid (wall OR fence)",
	          "column 26: expected ')' to close '(' at column 5");
	check_err(a, "ice raid)", "column 9: unexpected ')' with no '(' to close");
	check_err(a, ")", "column 1: unexpected ')' with no '(' to close");
	check_err(a, "()", "column 2: expected a word, phrase or '(' after '(' at column 1");
	check_err(a, "ice ( )", "column 7: expected a word, phrase or '(' after '(' at column 5");
	/* quotes */
	check_err(a, "\"ice raid", "column 10: expected '\"' to close '\"' at column 1");
	check_err(a, "ice \"raid\" \"wall", "column 17: expected '\"' to close '\"' at column 12");
	check_err(a, "ice \"\"", "column 5: the phrase has no words to search for");
	check_err(a, "ice \"!!\"", "column 5: the phrase has no words to search for");
	/* dangling operators */
	check_err(a, "ice AND", "column 8: expected a word, phrase or '(' after AND at column 5");
	check_err(a, "AND ice", "column 1: expected a word, phrase or '(' before AND");
	check_err(a, "ice OR", "column 7: expected a word, phrase or '(' after OR at column 5");
	check_err(a, "OR ice", "column 1: expected a word, phrase or '(' before OR");
	check_err(a, "ice OR OR raid", "column 8: expected a word, phrase or '(' after OR at column 5");
	check_err(a, "ice AND OR raid", "column 9: expected a word, phrase or '(' after AND at column 5");
	check_err(a, "ice NOT", "column 8: expected a word, phrase or '(' after NOT at column 5");
	check_err(a, "NOT NOT ice", "column 5: expected a word, phrase or '(' after NOT at column 1");
	check_err(a, "(ice OR)", "column 8: expected a word, phrase or '(' after OR at column 6");
	check_err(a, "ice -AND raid", "column 6: expected a word, phrase or '(' after '-' at column 5");
	/* NEAR */
	check_err(a, "NEAR ice", "column 1: expected a word, phrase or '(' before NEAR");
	check_err(a, "ice NEAR", "column 9: expected a word or phrase after NEAR at column 5");
	check_err(a, "ice NEAR/5", "column 11: expected a word or phrase after NEAR at column 5");
	check_err(a, "ice NEAR (raid)", "column 10: expected a word or phrase after NEAR at column 5");
	check_err(a, "ice NEAR -raid", "column 10: expected a word or phrase after NEAR at column 5");
	check_err(a, "ice NEAR city:x", "column 10: expected a word or phrase after NEAR at column 5");
	check_err(a, "ice NEAR &", "column 10: expected a word or phrase after NEAR at column 5");
	check_err(a, "(ice raid) NEAR wall", "column 12: expected a word or phrase before NEAR");
	check_err(a, "city:x NEAR wall", "column 8: expected a word or phrase before NEAR");
	check_err(a, "ice NEAR/x raid", "column 10: expected a number from 1 to 1000 after NEAR/");
	check_err(a, "ice NEAR/ raid", "column 10: expected a number from 1 to 1000 after NEAR/");
	check_err(a, "ice NEAR/0 raid", "column 10: expected a number from 1 to 1000 after NEAR/");
	check_err(a, "ice NEAR/1001 raid", "column 10: expected a number from 1 to 1000 after NEAR/");
	check_err(a, "ice NEAR/99999999999999999999 raid",
	          "column 10: expected a number from 1 to 1000 after NEAR/");
	check_err(a, "ice NEAR/5x raid", "column 10: expected a number from 1 to 1000 after NEAR/");
	check_err(a, "ice NEAR/3 raid NEAR/4 wall",
	          "column 17: NEAR/4 after NEAR/3: one window per chain; use parentheses and AND");
	/* fields */
	check_err(a, "city:", "column 6: expected a word or a \"quoted value\" after city:");
	check_err(a, "city: dallas", "column 6: expected a word or a \"quoted value\" after city:");
	check_err(a, "(title:)", "column 8: expected a word or a \"quoted value\" after title:");
	check_err(a, "title:(raid)", "column 7: expected a word or a \"quoted value\" after title:");
	check_err(a, "city:\"\"", "column 7: empty value after city:");
	check_err(a, "official:\"  \"", "column 11: empty value after official:");
	check_err(a, "city:\"L.A.", "column 11: expected '\"' to close '\"' at column 6");
	check_err(a, "title:\"!!\"", "column 8: no words to search for after title:");
	/* dates */
	check_err(a, "date:", "column 6: expected a word or a \"quoted value\" after date:");
	check_err(a, "date:..", "column 6: expected a date before or after '..'");
	check_err(a, "date:24", "column 6: expected a date like 2024, 2024-06 or 2024-06-15");
	check_err(a, "date:2024-", "column 6: expected a date like 2024, 2024-06 or 2024-06-15");
	check_err(a, "date:2024-01-", "column 6: expected a date like 2024, 2024-06 or 2024-06-15");
	check_err(a, "date:2024/01", "column 6: expected a date like 2024, 2024-06 or 2024-06-15");
	check_err(a, "date:2024-01-15x", "column 6: expected a date like 2024, 2024-06 or 2024-06-15");
	check_err(a, "date:2024..2025-1x", "column 12: expected a date like 2024, 2024-06 or 2024-06-15");
	check_err(a, "date:2024...2025", "column 12: expected a date like 2024, 2024-06 or 2024-06-15");
	check_err(a, "date:2024-13", "column 6: 2024-13 is not a valid date");
	check_err(a, "date:2024-00", "column 6: 2024-00 is not a valid date");
	check_err(a, "date:2023-02-29", "column 6: 2023-02-29 is not a valid date");
	check_err(a, "date:2024-04-31", "column 6: 2024-04-31 is not a valid date");
	check_err(a, "date:0000", "column 6: 0000 is not a valid date");
	check_err(a, "date:2024-02..2024-01", "column 15: date range ends before it starts");
	check_err(a, "date:2024-06-15..2024-06-14", "column 18: date range ends before it starts");
	/* nothing to search for */
	check_err(a, "", "column 1: nothing to search for");
	check_err(a, "   ", "column 1: nothing to search for");
	check_err(a, "& ! ?", "column 1: nothing to search for");
	check_err(a, "-ice", "column 1: nothing to search for, only exclusions");
	check_err(a, "-ice -raid", "column 1: nothing to search for, only exclusions");
	check_err(a, "NOT ice", "column 1: nothing to search for, only exclusions");
	check_err(a, "(-ice -raid)", "column 1: nothing to search for, only exclusions");
	check_err(a, "ice OR -raid", "column 8: an exclusion alone cannot be a side of OR");
	check_err(a, "-ice OR raid", "column 1: an exclusion alone cannot be a side of OR");
	check_err(a, "ice -(-raid)", "column 5: cannot exclude an exclusion");
	check_err(a, "ice +(-raid)", "column 5: cannot require an exclusion");
	check_err(a, "ice NOT (NOT raid)", "column 5: cannot exclude an exclusion");
	/* columns count characters, not bytes */
	check_err(a, "deportación (", "column 14: expected a word, phrase or '(' after '(' at column 13");
	check_err(a, "“ice raid", "column 10: expected '\"' to close '\"' at column 1");
	/* a name that is nearly a field is a mistyped field, not two words */
	check_err(a, "officials:bass", "column 1: unknown field 'officials:' "
	          "(did you mean official:?); the fields are title:, city:, "
	          "official:, agency:, response:, state:, source:, lang:, role:, "
	          "quote:, said:, date:");
	check_err(a, "ice agnecy:ice", "column 5: unknown field 'agnecy:' "
	          "(did you mean agency:?); the fields are title:, city:, "
	          "official:, agency:, response:, state:, source:, lang:, role:, "
	          "quote:, said:, date:");
	/* one that is not stays a word split in two: a phrase */
	check(a, "foo:bar", "(phrase foo bar)");
	check(a, "time:10", "(phrase time 10)");
	/* an error in the middle wins over a later one */
	check_err(a, "ice AND ) \"", "column 9: expected a word, phrase or '(' after AND at column 5");
}

static void test_limits(void **state)
{
	analyzer *a = *state;
	strbuf q = STRBUF_INIT;
	for (int i = 0; i < 64; i++)
		sb_addch(&q, '(');
	sb_addstr(&q, "ice");
	for (int i = 0; i < 64; i++)
		sb_addch(&q, ')');
	check(a, sb_cstr(&q), "ice");

	sb_reset(&q);
	for (int i = 0; i < 65; i++)
		sb_addch(&q, '(');
	sb_addstr(&q, "ice");
	for (int i = 0; i < 65; i++)
		sb_addch(&q, ')');
	check_err(a, sb_cstr(&q), "column 65: parentheses nested deeper than 64");

	/* a smaller limit from the options */
	query_parse_opts o = QUERY_PARSE_OPTS_INIT;
	o.max_depth = 2;
	q_node *n = NULL;
	strbuf err = STRBUF_INIT;
	assert_int_equal(query_parse(a, "((ice))", 7, &o, &n, &err), 0);
	q_node_free(n);
	assert_int_equal(query_parse(a, "(((ice)))", 9, &o, &n, &err), -1);
	assert_string_equal(sb_cstr(&err), "column 3: parentheses nested deeper than 2");
	sb_release(&err);

	/* 4096 bytes pass, 4097 do not */
	sb_reset(&q);
	while (q.len + 5 <= 4096)
		sb_addstr(&q, "raid ");
	while (q.len < 4096)
		sb_addch(&q, 'x');
	n = NULL;
	assert_int_equal(query_parse(a, q.buf, q.len, NULL, &n, &err), 0);
	assert_int_equal(n->kind, Q_OR);
	q_node_free(n);
	sb_addch(&q, 'x');
	check_err_len(a, q.buf, q.len, "column 4097: query longer than 4096 bytes");

	/* deep nesting of operators without parentheses stays flat */
	sb_reset(&q);
	sb_addstr(&q, "ice");
	for (int i = 0; i < 300; i++)
		sb_addstr(&q, " AND NOT raid");
	n = NULL;
	assert_int_equal(query_parse(a, q.buf, q.len, NULL, &n, &err), 0);
	assert_int_equal(n->kind, Q_AND_NOT);
	q_node_free(n);
	sb_release(&q);
}

static void test_bad_bytes(void **state)
{
	analyzer *a = *state;
	/* NUL is a space */
	static const char nul[] = "ice\0raid";
	q_node *n = NULL;
	strbuf err = STRBUF_INIT, d = STRBUF_INIT;
	assert_int_equal(query_parse(a, nul, sizeof nul - 1, NULL, &n, &err), 0);
	q_node_dump(n, &d);
	assert_string_equal(sb_cstr(&d), "(or ice raid)");
	q_node_free(n);
	static const char nulval[] = "city:\"a\0b\"";
	assert_int_equal(query_parse(a, nulval, sizeof nulval - 1, NULL, &n, &err), 0);
	assert_int_equal(n->value_len, 3);
	assert_string_equal(n->value, "a b");
	q_node_free(n);
	check_err_len(a, "\0\0\0", 3, "column 1: nothing to search for");
	/* invalid UTF-8 is skipped by the analyzer */
	check(a, "ice \xff\xfe raid", "(or ice raid)");
	check_err(a, "\xff", "column 1: nothing to search for");
	check_err(a, "\xc3", "column 1: nothing to search for");
	/* NULL text is the empty query */
	assert_int_equal(query_parse(a, NULL, 5, NULL, &n, &err), -1);
	assert_null(n);
	/* a huge query is refused before any work */
	size_t big = 1u << 20;
	char *h = xmalloc(big);
	memset(h, '(', big);
	sb_reset(&err);
	assert_int_equal(query_parse(a, h, big, NULL, &n, &err), -1);
	assert_string_equal(sb_cstr(&err), "column 4097: query longer than 4096 bytes");
	free(h);
	sb_release(&err);
	sb_release(&d);
}

/* xorshift64*: the same random queries on every run */
static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (uint32_t)((rnd_state * 2685821657736338717ull) >> 33) % n;
}

static void test_fuzz(void **state)
{
	analyzer *a = *state;
	static const char *const atoms[] = {
		"(", ")", "\"", "-", "+", ":", " AND ", " OR ", " NOT ", " NEAR/",
		" NEAR ", "NEAR/3", "ice", "raid", "Bass", "Soto-Martinez",
		"deportación", "U.S.", "287(g)", "city:", "title:", "date:",
		"2024", "-06", "..", "official:", "foo:", " ", " ", "\xff", "“",
		"0", "lang:", "&", "NOT", "AND", "OR",
	};
	const size_t natoms = sizeof atoms / sizeof atoms[0];
	strbuf q = STRBUF_INIT, err = STRBUF_INIT, d = STRBUF_INIT;
	int parsed = 0, failed = 0;
	for (int iter = 0; iter < 10000; iter++) {
		sb_reset(&q);
		sb_reset(&err);
		int k = 1 + (int)rnd(14);
		for (int i = 0; i < k; i++)
			sb_addstr(&q, atoms[rnd((uint32_t)natoms)]);
		q_node *n = (q_node *)1;
		query_parse_opts o = QUERY_PARSE_OPTS_INIT;
		o.default_and = iter & 1;
		int rc = query_parse(a, q.buf, q.len, &o, &n, &err);
		if (rc == 0) {
			parsed++;
			assert_non_null(n);
			assert_int_equal(err.len, 0);
			sb_reset(&d);
			q_node_dump(n, &d);
			assert_true(d.len > 0);
			q_highlights h = Q_HIGHLIGHTS_INIT;
			q_collect_highlights(n, &h);
			for (size_t i = 0; i < h.n; i++)
				for (size_t j = 0; j < h.v[i].nterms; j++)
					assert_true(h.v[i].terms[j].end <= q.len);
			q_highlights_release(&h);
			q_node_free(n);
		} else {
			failed++;
			assert_int_equal(rc, -1);
			assert_null(n);
			unsigned long col = 0;
			int used = 0;
			if (sscanf(err.buf, "column %lu: %n", &col, &used) != 1 || used == 0)
				print_error("query [%s]: bad error [%s]\n", q.buf, err.buf);
			assert_true(used > 0);
			assert_true(col >= 1 && col <= q.len + 1);
			assert_null(strchr(err.buf, '\n'));
			assert_true(err.buf[used] >= 'a' && err.buf[used] <= 'z');
		}
	}
	/* the alphabet makes both outcomes common */
	assert_true(parsed > 1000);
	assert_true(failed > 1000);
	sb_release(&q);
	sb_release(&err);
	sb_release(&d);
}

/* Random bytes, NUL and invalid UTF-8 included: a tree or one error. */
static void test_fuzz_bytes(void **state)
{
	analyzer *a = *state;
	char buf[256];
	strbuf err = STRBUF_INIT;
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = rnd(sizeof buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = iter & 1 ? (char)rnd(256) : " ()\"-+:aZ\xc3\xa9"[rnd(12)];
		q_node *n = NULL;
		sb_reset(&err);
		if (query_parse(a, buf, len, NULL, &n, &err) == 0) {
			assert_non_null(n);
			q_node_free(n);
		} else {
			unsigned long col = 0;
			assert_null(n);
			assert_int_equal(sscanf(err.buf, "column %lu:", &col), 1);
			assert_true(col >= 1 && col <= len + 1);
		}
	}
	sb_release(&err);
}

static void test_dump_and_free(void **state)
{
	(void)state;
	q_node_free(NULL);
	strbuf d = STRBUF_INIT;
	q_node_dump(NULL, &d);
	assert_string_equal(sb_cstr(&d), "()");
	sb_release(&d);
	assert_string_equal(q_field_name(QF_OFFICIAL), "official");
	assert_int_equal(q_field_from_name("AGENCY", 6), QF_AGENCY);
	assert_int_equal(q_field_from_name("date", 4), -1);
	assert_int_equal(q_field_from_name("cit", 3), -1);

	/* a value with quotes and backslashes dumps escaped */
	q_node *n = q_node_new(Q_FIELD, 0, 0);
	n->field = QF_SOURCE;
	n->value = xstrdup("a\"b\\c");
	n->value_len = 5;
	q_node_dump(n, &d);
	assert_string_equal(sb_cstr(&d), "(field source \"a\\\"b\\\\c\")");
	q_node_free(n);
	sb_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_default_and),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_plus_minus),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_near),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_hyphen_caps),
		cmocka_unit_test(test_analyzer_words),
		cmocka_unit_test(test_highlights),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_fuzz_bytes),
		cmocka_unit_test(test_dump_and_free),
	};
	return cmocka_run_group_tests_name("query_parse", tests, setup, teardown);
}
