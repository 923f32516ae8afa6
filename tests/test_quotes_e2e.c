/* Quotes end to end: the real lede binary indexes a fixture of our own
 * sentences; show --format json's offsets point at the quoted bytes,
 * quote: matches only inside quotes, said: only a speaker's, lede quotes
 * lists them speaker first, the speaker facet counts them, and official:
 * shows the passage where the official is quoted. */
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
#include "helpers/e2e.h"

/* Article q1 has "raids" only inside Bass's quote, q2 only outside any
 * quote; q3 quotes a Home Office spokesman; q4 is long, its quote by Bass
 * in its last paragraph. */
static const char *const fixture =
	"{\"id\":\"q1\",\"title\":\"Mayor on the raids\",\"date\":\"2025-06-07\","
	"\"text\":\"Mayor Karen Bass spoke on Saturday.\\n\\n\\\"These raids must "
	"stop now,\\\" Bass told reporters. \\\"Our city stands together.\\\"\"}\n"
	"{\"id\":\"q2\",\"title\":\"Council\",\"date\":\"2025-06-08\","
	"\"text\":\"The raids went on, and the council met. \\\"We meet again "
	"on Monday,\\\" said Councillor Jane Doe.\"}\n"
	"{\"id\":\"q3\",\"title\":\"Ministry\",\"date\":\"2025-06-09\","
	"\"text\":\"A Home Office spokesman said: \\\"We do not comment on "
	"individual cases.\\\"\"}\n"
	"{\"id\":\"q4\",\"title\":\"Parks budget\",\"date\":\"2025-06-10\","
	"\"text\":\"Mayor Karen Bass opened the parks budget hearing with a "
	"long list of repairs to playgrounds, fountains and paths in every "
	"district of the city.\\n\\nThe council asked about the cost of the "
	"repairs, the schedule of the works and the contracts for the "
	"gardeners and the builders.\\n\\nThe hearing went on for hours with "
	"questions about trees, benches, lights, toilets and the many other "
	"things that parks need.\\n\\n\\\"Every child deserves a safe "
	"playground,\\\" Bass said at the end of the hearing.\"}\n";

static json_t *run_json(res *r)
{
	json_error_t je;
	json_t *j = json_loadb(r->out.buf, r->out.len, 0, &je);
	if (!j)
		fail_msg("not JSON (%s): %s", je.text, sb_cstr(&r->out));
	return j;
}

static void index_fixture(tmp *t, res *r)
{
	char *src = run_path(t->dir, "q.jsonl");
	assert_int_equal(run_write_file(src, fixture, strlen(fixture)), 0);
	lede(r, "index", "-d", t->db, "--quiet", "--passage-words", "20", src,
	     NULL);
	expect_code(r, 0);
	free(src);
}

/* The ids of a search's hits, space-separated, in rank order. */
static void hit_ids(tmp *t, res *r, const char *query, strbuf *ids)
{
	sb_reset(ids);
	lede(r, "search", "-d", t->db, "--format", "json", query, NULL);
	json_t *j = run_json(r);
	json_t *hits = json_object_get(j, "hits");
	for (size_t i = 0; i < json_array_size(hits); i++) {
		if (i)
			sb_addch(ids, ' ');
		sb_addstr(ids, json_string_value(json_object_get(
		                   json_array_get(hits, i), "id")));
	}
	json_decref(j);
}

static void show_offsets_point_at_quoted_bytes(void **state)
{
	tmp *t = *state;
	res r = { STRBUF_INIT, STRBUF_INIT, 0 };
	index_fixture(t, &r);
	lede(&r, "show", "-d", t->db, "--format", "json", "q1", NULL);
	expect_code(&r, 0);
	json_t *j = run_json(&r);
	const char *body = json_string_value(json_object_get(j, "body"));
	json_t *qs = json_object_get(j, "quotes");
	assert_int_equal(json_array_size(qs), 2);
	const char *want[] = { "These raids must stop now,",
	                       "Our city stands together." };
	for (size_t i = 0; i < 2; i++) {
		json_t *q = json_array_get(qs, i);
		size_t s = (size_t)json_integer_value(json_object_get(q, "start"));
		size_t e = (size_t)json_integer_value(json_object_get(q, "end"));
		assert_true(e <= strlen(body) && s < e);
		assert_int_equal(e - s, strlen(want[i]));
		assert_memory_equal(body + s, want[i], e - s);
		assert_string_equal(json_string_value(json_object_get(q, "speaker")),
		                    "karen bass");
		assert_string_equal(json_string_value(json_object_get(
		                        q, "speaker_display")), "Karen Bass");
		assert_string_equal(json_string_value(json_object_get(q, "role")),
		                    "mayor");
		assert_string_equal(json_string_value(json_object_get(q, "cue")),
		                    "told");
	}
	/* the second part continues the first: one quote */
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(qs, 1), "quote")), 0);
	json_decref(j);
	res_free(&r);
}

static void quote_field_matches_inside_quotes_only(void **state)
{
	tmp *t = *state;
	res r = { STRBUF_INIT, STRBUF_INIT, 0 };
	strbuf ids = STRBUF_INIT;
	index_fixture(t, &r);
	hit_ids(t, &r, "raids", &ids);
	assert_non_null(strstr(sb_cstr(&ids), "q1"));
	assert_non_null(strstr(sb_cstr(&ids), "q2"));
	hit_ids(t, &r, "quote:raids", &ids);
	assert_string_equal(sb_cstr(&ids), "q1");
	hit_ids(t, &r, "quote:\"raids must stop\"", &ids);
	assert_string_equal(sb_cstr(&ids), "q1");
	/* words on both sides of a closing mark are no quoted phrase */
	lede(&r, "search", "-d", t->db, "quote:\"now bass\"", NULL);
	expect_code(&r, 1);
	/* a word the quotes never hold */
	lede(&r, "search", "-d", t->db, "quote:council", NULL);
	expect_code(&r, 1);
	sb_release(&ids);
	res_free(&r);
}

static void said_filters_by_speaker(void **state)
{
	tmp *t = *state;
	res r = { STRBUF_INIT, STRBUF_INIT, 0 };
	strbuf ids = STRBUF_INIT;
	index_fixture(t, &r);
	hit_ids(t, &r, "said:bass", &ids);
	assert_non_null(strstr(sb_cstr(&ids), "q1"));
	assert_non_null(strstr(sb_cstr(&ids), "q4"));
	assert_null(strstr(sb_cstr(&ids), "q2"));
	hit_ids(t, &r, "said:\"home office\"", &ids);
	assert_string_equal(sb_cstr(&ids), "q3");
	hit_ids(t, &r, "said:doe", &ids);
	assert_string_equal(sb_cstr(&ids), "q2");
	hit_ids(t, &r, "said:bass quote:raids", &ids);
	assert_string_equal(sb_cstr(&ids), "q1");
	sb_release(&ids);
	res_free(&r);
}

/* A quote row of lede quotes: counted, said by Bass, and its keys in the
 * documented order (type, rank, then the speaker). */
static void speaker_row(void *ctx, json_t *o)
{
	size_t *rows = ctx;
	const char *type = json_string_value(json_object_get(o, "type"));
	assert_non_null(type);
	if (strcmp(type, "quote") != 0)
		return;
	(*rows)++;
	assert_string_equal(json_string_value(json_object_get(o, "speaker")),
	                    "karen bass");
	static const char *const order[] = { "type", "rank", "speaker_display",
	                                     "speaker" };
	void *it = json_object_iter(o);
	for (size_t k = 0; k < 4; k++, it = json_object_iter_next(o, it)) {
		assert_non_null(it);
		assert_string_equal(json_object_iter_key(it), order[k]);
	}
}

static void quotes_command_lists_speaker_first(void **state)
{
	tmp *t = *state;
	res r = { STRBUF_INIT, STRBUF_INIT, 0 };
	index_fixture(t, &r);
	lede(&r, "quotes", "-d", t->db, "--format", "jsonl", "said:bass", NULL);
	expect_code(&r, 0);
	size_t rows = 0;
	each_json_line(sb_cstr(&r.out), speaker_row, &rows);
	assert_int_equal(rows, 3);
	lede(&r, "quotes", "-d", t->db, "playground", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out), "Karen Bass (mayor) said: "));
	assert_non_null(strstr(sb_cstr(&r.out), "Every child deserves a safe playground,"));
	lede(&r, "quotes", "-d", t->db, "said:bass gardeners", NULL);
	expect_code(&r, 1);
	lede(&r, "quotes", "-d", t->db, "--format", "csv", "said:doe", NULL);
	expect_code(&r, 0);
	assert_non_null(strstr(sb_cstr(&r.out),
	                       "1,Jane Doe,jane doe,councilmember,said,\"We meet again on Monday,\",q2,"));
	res_free(&r);
}

static void speaker_facet_counts_articles(void **state)
{
	tmp *t = *state;
	res r = { STRBUF_INIT, STRBUF_INIT, 0 };
	index_fixture(t, &r);
	lede(&r, "search", "-d", t->db, "--format", "json", "-F", "speaker",
	     "date:2025..", NULL);
	expect_code(&r, 0);
	json_t *j = run_json(&r);
	json_t *f = json_object_get(json_object_get(json_object_get(j, "summary"),
	                                            "facets"), "speaker");
	assert_true(json_array_size(f) >= 3);
	json_t *top = json_array_get(f, 0);
	assert_string_equal(json_string_value(json_object_get(top, "value")),
	                    "karen bass");
	assert_int_equal(json_integer_value(json_object_get(top, "count")), 2);
	json_decref(j);
	res_free(&r);
}

static void official_prefers_the_quoted_passage(void **state)
{
	tmp *t = *state;
	res r = { STRBUF_INIT, STRBUF_INIT, 0 };
	index_fixture(t, &r);
	lede(&r, "search", "-d", t->db, "--format", "json", "official:bass",
	     "title:parks", NULL);
	expect_code(&r, 0);
	json_t *j = run_json(&r);
	json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
	assert_string_equal(json_string_value(json_object_get(hit, "id")), "q4");
	assert_true(json_integer_value(json_object_get(hit, "passage")) > 0);
	assert_non_null(strstr(json_string_value(json_object_get(hit, "snippet")),
	                       "Every child deserves"));
	json_t *qs = json_object_get(hit, "quotes");
	assert_int_equal(json_array_size(qs), 1);
	json_decref(j);
	res_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(show_offsets_point_at_quoted_bytes,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(quote_field_matches_inside_quotes_only,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(said_filters_by_speaker,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(quotes_command_lists_speaker_first,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(speaker_facet_counts_articles,
		                                setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(official_prefers_the_quoted_passage,
		                                setup_tmp, teardown_tmp),
	};
	return cmocka_run_group_tests_name("quotes_e2e", tests, NULL, NULL);
}
