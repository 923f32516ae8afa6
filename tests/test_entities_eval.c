/* The entity evaluation end to end: bench/eval_entities.sh and the gold
 * set's scorer on hand-worked cases (tests/data/entities-score/, a stand-in
 * lede so the figures test the scorer, not the tagger), and the entity
 * fields a reporter types (role:, hyphenated names) on the real binary. */
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
#include "helpers/run.h"

#define FIXTURE "tests/data/entities-score"

/* Run bench/eval_entities.sh with args and extra environment; its stdout
 * into out. Returns the exit code. */
static int eval_script(const char *const *env, const char *a1, const char *a2,
                       strbuf *out)
{
	char *script = run_path(run_src_dir(), "bench/eval_entities.sh");
	char *argv[] = { "sh", script, (char *)a1, (char *)a2, NULL };
	run_opts o = RUN_OPTS_INIT;
	o.env = env;
	strbuf err = STRBUF_INIT;
	int code = -1;
	if (run_program("/bin/sh", argv, &o, out, &err, &code) != 0)
		fail_msg("could not run %s: %s", script, sb_cstr(&err));
	if (code != 0)
		print_error("%s\n", sb_cstr(&err));
	sb_release(&err);
	free(script);
	return code;
}

#define HAS_LINE(out, s) do { \
	if (!strstr(sb_cstr(out), (s))) \
		fail_msg("no \"%s\" in:\n%s", (s), sb_cstr(out)); \
} while (0)

/* The figures worked by hand in tests/data/entities-score/README.md. */
static void test_scorer_hand_worked(void **state)
{
	(void)state;
	char *fake = run_path(run_src_dir(), FIXTURE "/fake_lede.sh");
	char *gold = run_path(run_src_dir(), FIXTURE "/gold.jsonl");
	strbuf env = STRBUF_INIT;
	sb_addf(&env, "LEDE_BIN=%s", fake);
	const char *envv[] = { sb_cstr(&env), NULL };
	strbuf out = STRBUF_INIT;
	int code = eval_script(envv, gold, "--show-errors", &out);
	if (strstr(sb_cstr(&out), "skipped")) {
		sb_release(&out);
		sb_release(&env);
		free(fake);
		free(gold);
		skip(); /* no score.py or python3 on this machine */
	}
	assert_int_equal(code, 0);
	HAS_LINE(&out, "city          3     3     2     2    0.667  0.667  0.667");
	HAS_LINE(&out, "state         1     2     1     1    0.500  1.000  0.667");
	HAS_LINE(&out, "official      5     5     4     3    0.800  0.600  0.686");
	HAS_LINE(&out, "agency        3     3     3     3    1.000  1.000  1.000");
	HAS_LINE(&out, "response      1     0     0     0    0.000  0.000  0.000");
	HAS_LINE(&out, "micro        13    13    10     9    0.769  0.692  0.729");
	/* --show-errors: each wrong key and each missed entity, no others */
	HAS_LINE(&out, "FP    score-a1  city:dallas tx");
	HAS_LINE(&out, "FP    score-a1  state:texas");
	HAS_LINE(&out, "FP    score-a2  official:blair");
	HAS_LINE(&out, "MISS  score-a1  response:raid");
	HAS_LINE(&out, "MISS  score-a2  city:Paris");
	HAS_LINE(&out, "MISS  score-a2  official:Tony Blair");
	HAS_LINE(&out, "MISS  score-a2  official:Cherie Blair");
	size_t nerr = 0;
	for (const char *p = sb_cstr(&out); (p = strstr(p, "\n  FP ")); p++)
		nerr++;
	for (const char *p = sb_cstr(&out); (p = strstr(p, "\n  MISS ")); p++)
		nerr++;
	assert_int_equal(nerr, 7);
	sb_release(&out);
	sb_release(&env);
	free(fake);
	free(gold);
}

/* Without the gold set the script says so and succeeds (make eval on a
 * machine without ../shared). */
static void test_scorer_skips_without_gold(void **state)
{
	(void)state;
	const char *envv[] = { "ENTITY_EVAL_DIR=/nonexistent/lede-entities", NULL };
	strbuf out = STRBUF_INIT;
	assert_int_equal(eval_script(envv, NULL, NULL, &out), 0);
	HAS_LINE(&out, "no gold set at /nonexistent/lede-entities/dev.jsonl; skipped");
	sb_release(&out);
}

/* ---- the fields, on the real binary ---- */

static const char archive[] =
	"{\"id\": \"r1\", \"title\": \"Tucson mayor and council split\", \"text\":"
	" \"Tucson Mayor Regina Romero said the city would not help with"
	" deportations. Councilmember Hugo Soto-Martinez of Los Angeles agreed."
	" Romero spoke after ICE Director Dana Whitfield called.\"}\n"
	"{\"id\": \"r2\", \"title\": \"A singer named Romero\", \"text\":"
	" \"Councilmember Ana Whitfield-Romero opened the fair. The band"
	" played on.\"}\n"
	/* two officials with two roles: role: goes with the official beside
	 * it, not with anyone in the article */
	"{\"id\": \"r3\", \"title\": \"Council backs shelter plan\", \"text\":"
	" \"Los Angeles Mayor Karen Bass signed the shelter order on Tuesday."
	" Councilmember Traci Park voted against it, and Bass said the vote"
	" would not slow the city down.\"}\n";

struct e2e {
	char *dir, *db;
};

static int e2e_setup(void **state)
{
	struct e2e *e = xcalloc(1, sizeof *e);
	e->dir = run_mkdtemp("entities-eval");
	e->db = run_path(e->dir, "db");
	char *src = run_path(e->dir, "roles.jsonl");
	if (run_write_file(src, archive, sizeof archive - 1) != 0)
		return -1;
	char *args[] = { "index", "-q", "-d", e->db, src, NULL };
	if (run_lede_ok(args) != 0)
		return -1;
	free(src);
	*state = e;
	return 0;
}

static int e2e_teardown(void **state)
{
	struct e2e *e = *state;
	run_rmtree(e->dir);
	free(e->db);
	free(e->dir);
	free(e);
	return 0;
}

/* The ids `lede search --format jsonl QUERY` returns, space-separated. */
static void ids_of(struct e2e *e, const char *query, strbuf *ids)
{
	char *args[] = { "search", "-d", e->db, "--format", "jsonl",
	                 (char *)query, NULL };
	strbuf out = STRBUF_INIT;
	int code = -1;
	sb_reset(ids);
	if (run_lede(args, &out, NULL, &code) != 0 || (code != 0 && code != 1))
		fail_msg("lede search %s: exit %d", query, code);
	for (const char *p = sb_cstr(&out); (p = strstr(p, "\"type\":\"hit\""));) {
		const char *id = strstr(p, "\"id\":\"");
		if (!id)
			break;
		id += 6;
		const char *q = strchr(id, '"');
		if (ids->len)
			sb_addch(ids, ' ');
		sb_add(ids, id, (size_t)(q - id));
		p = q;
	}
	sb_release(&out);
}

#define IDS(e, q, want) do { \
	strbuf got_ = STRBUF_INIT; \
	ids_of((e), (q), &got_); \
	if (strcmp(sb_cstr(&got_), (want))) \
		fail_msg("%s: got [%s], want [%s]", (q), sb_cstr(&got_), (want)); \
	sb_release(&got_); \
} while (0)

static void test_role_field(void **state)
{
	struct e2e *e = *state;
	IDS(e, "official:romero role:mayor", "r1");
	IDS(e, "role:councilmember", "r1 r2 r3");
	/* the agency before the title is part of the role, and its last
	 * word alone narrows too */
	IDS(e, "role:\"ice director\"", "r1");
	IDS(e, "role:director", "r1");
	IDS(e, "role:ICE-Director", "r1");
	IDS(e, "official:whitfield role:director", "r1");
	IDS(e, "role:governor", "");
}

/* official:X role:Y side by side is X as Y (docs/query-language.md). */
static void test_role_tied_to_official(void **state)
{
	struct e2e *e = *state;
	IDS(e, "official:bass role:mayor", "r3");
	IDS(e, "official:\"karen bass\" role:mayor", "r3");
	IDS(e, "role:mayor official:bass", "r3");
	IDS(e, "official:park role:councilmember", "r3");
	/* both in the article, but not the same person */
	IDS(e, "official:park role:mayor", "");
	IDS(e, "official:bass role:councilmember", "");
	IDS(e, "role:mayor official:park", "");
	/* each role with each official beside it */
	IDS(e, "official:bass official:park role:mayor", "");
	IDS(e, "official:bass role:mayor role:councilmember", "");
	/* with words to rank, the same */
	IDS(e, "shelter official:park role:mayor", "");
	IDS(e, "shelter official:bass role:mayor", "r3");
	/* not side by side (role: inside OR): both in one article, as before */
	IDS(e, "official:park (role:mayor OR role:governor)", "r3");
}

static void test_hyphenated_names(void **state)
{
	struct e2e *e = *state;
	IDS(e, "official:soto-martinez", "r1");
	IDS(e, "official:\"soto martinez\"", "r1");
	IDS(e, "official:\"hugo soto-martinez\"", "r1");
	IDS(e, "official:whitfield-romero", "r2");
	/* a part of a hyphenated surname is not the other person */
	IDS(e, "official:\"regina romero\"", "r1");
}

/* lede show --format json: "roles" next to "entities". */
static void test_show_roles(void **state)
{
	struct e2e *e = *state;
	char *args[] = { "show", "-d", e->db, "--format", "json", "r1", NULL };
	strbuf out = STRBUF_INIT;
	int code = -1;
	assert_int_equal(run_lede(args, &out, NULL, &code), 0);
	assert_int_equal(code, 0);
	const char *s = sb_cstr(&out);
	const char *roles = strstr(s, "\"roles\"");
	assert_non_null(roles);
	const char *rr = strstr(roles, "\"regina romero\"");
	assert_non_null(rr);
	/* the place before the title is the role's jurisdiction */
	assert_non_null(strstr(rr, "\"role\": \"mayor\""));
	assert_non_null(strstr(rr, "\"where\": \"tucson az\""));
	assert_non_null(strstr(roles, "\"ice director\""));
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest scorer[] = {
		cmocka_unit_test(test_scorer_hand_worked),
		cmocka_unit_test(test_scorer_skips_without_gold),
	};
	const struct CMUnitTest fields[] = {
		cmocka_unit_test(test_role_field),
		cmocka_unit_test(test_role_tied_to_official),
		cmocka_unit_test(test_hyphenated_names),
		cmocka_unit_test(test_show_roles),
	};
	int rc = cmocka_run_group_tests_name("scorer", scorer, NULL, NULL);
	rc |= cmocka_run_group_tests_name("fields", fields, e2e_setup,
	                                  e2e_teardown);
	return rc;
}
