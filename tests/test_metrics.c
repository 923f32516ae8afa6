/* Tests for bench/trec_metrics: every expected figure is worked out by hand
 * in the comment above its assertion, using trec_eval's definitions
 * (discount 1/log2(rank+1), ties by docid descending, missing query = 0). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../bench/loo.h"
#include "../bench/trec_metrics.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#define EPS 1e-6

/* Parsed inputs and their evaluation; the qrels must outlive the result. */
typedef struct fixture {
	trec_qrels *qrels;
	trec_run *run;
	trec_eval_result res;
} fixture;

static void eval_text(fixture *fx, const char *qrels, const char *run)
{
	strbuf err = STRBUF_INIT;
	assert_int_equal(trec_qrels_parse(&fx->qrels, qrels, strlen(qrels), &err), 0);
	assert_int_equal(trec_run_parse(&fx->run, run, strlen(run), &err), 0);
	assert_int_equal(err.len, 0);
	trec_evaluate(&fx->res, fx->qrels, fx->run);
	sb_release(&err);
}

static void fixture_free(fixture *fx)
{
	trec_eval_result_free(&fx->res);
	trec_run_free(fx->run);
	trec_qrels_free(fx->qrels);
}

static void perfect_ranking(void **state)
{
	(void)state;
	fixture fx;
	eval_text(&fx, "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t1\n",
		  "q1 Q0 d1 1 2.0 t\nq1 Q0 d2 2 1.0 t\nq1 Q0 d3 3 0.5 t\n");
	assert_int_equal(fx.res.nqueries, 1);
	/* DCG = 1/log2(2) + 1/log2(3) = IDCG, so nDCG = 1. */
	assert_float_equal(fx.res.mean.ndcg10, 1.0, EPS);
	/* AP = (1/1 + 2/2) / 2 = 1. */
	assert_float_equal(fx.res.mean.map, 1.0, EPS);
	assert_float_equal(fx.res.mean.recall100, 1.0, EPS);
	assert_float_equal(fx.res.mean.mrr10, 1.0, EPS);
	assert_int_equal(fx.res.queries[0].num_rel, 2);
	assert_int_equal(fx.res.queries[0].num_ret, 3);
	assert_int_equal(fx.res.queries[0].rel_ret, 2);
	fixture_free(&fx);
}

static void reversed_ranking(void **state)
{
	(void)state;
	fixture fx;
	eval_text(&fx, "q1 d1 1\nq1 d2 1\n",
		  "q1 Q0 x 1 4 t\nq1 Q0 y 2 3 t\nq1 Q0 d1 3 2 t\nq1 Q0 d2 4 1 t\n");
	/* Relevant at ranks 3 and 4.
	 * DCG = 1/log2(4) + 1/log2(5) = 0.5 + 0.430677 = 0.930677
	 * IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.630930 = 1.630930
	 * nDCG = 0.930677 / 1.630930 = 0.570642 */
	assert_float_equal(fx.res.mean.ndcg10, 0.570642, EPS);
	/* AP = (1/3 + 2/4) / 2 = 0.416667 */
	assert_float_equal(fx.res.mean.map, 0.416667, EPS);
	assert_float_equal(fx.res.mean.recall100, 1.0, EPS);
	/* first relevant at rank 3 */
	assert_float_equal(fx.res.mean.mrr10, 1.0 / 3, EPS);
	fixture_free(&fx);
}

static void graded_gains(void **state)
{
	(void)state;
	fixture fx;
	eval_text(&fx, "q1 a 3\nq1 b 1\nq1 c 2\n",
		  "q1 Q0 b 1 3 t\nq1 Q0 a 2 2 t\nq1 Q0 c 3 1 t\n");
	/* Order b(1), a(3), c(2).
	 * DCG = 1/log2(2) + 3/log2(3) + 2/log2(4) = 1 + 1.892789 + 1 = 3.892789
	 * IDCG (3, 2, 1) = 3/1 + 2/log2(3) + 1/log2(4) = 3 + 1.261860 + 0.5
	 *      = 4.761860
	 * nDCG = 3.892789 / 4.761860 = 0.817494 */
	assert_float_equal(fx.res.mean.ndcg10, 0.817494, EPS);
	/* every retrieved document is relevant (grade > 0): AP = 1 */
	assert_float_equal(fx.res.mean.map, 1.0, EPS);
	assert_float_equal(fx.res.mean.mrr10, 1.0, EPS);
	fixture_free(&fx);
}

static void ties_broken_by_docid_descending(void **state)
{
	(void)state;
	fixture fx;
	/* a and b tie at 1.0; the rank column says a first, but trec_eval
	 * ignores it and puts the greater docid (b) first. */
	eval_text(&fx, "q1 a 1\n", "q1 Q0 a 1 1.0 t\nq1 Q0 b 2 1.0 t\n");
	/* a at rank 2: nDCG = (1/log2(3)) / (1/log2(2)) = 0.630930 */
	assert_float_equal(fx.res.mean.ndcg10, 0.630930, EPS);
	/* AP = (1/2) / 1 = 0.5; RR = 1/2 */
	assert_float_equal(fx.res.mean.map, 0.5, EPS);
	assert_float_equal(fx.res.mean.mrr10, 0.5, EPS);
	fixture_free(&fx);
}

static void rank_column_is_ignored(void **state)
{
	(void)state;
	fixture fx;
	/* Ranks claim d2 first, scores say d1 first: scores win. */
	eval_text(&fx, "q1 d1 1\n", "q1 Q0 d2 1 0.1 t\nq1 Q0 d1 2 0.9 t\n");
	assert_float_equal(fx.res.mean.mrr10, 1.0, EPS);
	fixture_free(&fx);
}

static void no_relevant_retrieved(void **state)
{
	(void)state;
	fixture fx;
	eval_text(&fx, "q1 a 1\nq1 z 0\n", "q1 Q0 x 1 2 t\nq1 Q0 z 2 1 t\n");
	/* z is judged but grade 0: not relevant, no gain. Everything is 0. */
	assert_float_equal(fx.res.mean.ndcg10, 0.0, EPS);
	assert_float_equal(fx.res.mean.map, 0.0, EPS);
	assert_float_equal(fx.res.mean.recall100, 0.0, EPS);
	assert_float_equal(fx.res.mean.mrr10, 0.0, EPS);
	assert_int_equal(fx.res.queries[0].num_rel, 1);
	assert_int_equal(fx.res.queries[0].rel_ret, 0);
	fixture_free(&fx);
}

static void missing_query_counts_zero(void **state)
{
	(void)state;
	fixture fx;
	/* q2 is judged but absent from the run; q3 is only in the run. */
	eval_text(&fx, "q1 a 1\nq2 b 1\n", "q1 Q0 a 1 1 t\nq3 Q0 b 1 1 t\n");
	assert_int_equal(fx.res.nqueries, 2);
	assert_int_equal(fx.res.run_only_queries, 1);
	/* q1 scores 1 on everything, q2 scores 0: means (1 + 0) / 2 = 0.5 */
	assert_float_equal(fx.res.mean.ndcg10, 0.5, EPS);
	assert_float_equal(fx.res.mean.map, 0.5, EPS);
	assert_float_equal(fx.res.mean.recall100, 0.5, EPS);
	assert_float_equal(fx.res.mean.mrr10, 0.5, EPS);
	assert_string_equal(fx.res.queries[1].qid, "q2");
	assert_int_equal(fx.res.queries[1].num_ret, 0);
	fixture_free(&fx);
}

static void query_with_only_zero_grades(void **state)
{
	(void)state;
	fixture fx;
	/* trec_eval -c still counts q2 (judged, nothing relevant): it adds 0. */
	eval_text(&fx, "q1 a 1\nq2 b 0\n", "q1 Q0 a 1 1 t\nq2 Q0 b 1 1 t\n");
	assert_int_equal(fx.res.nqueries, 2);
	assert_float_equal(fx.res.mean.ndcg10, 0.5, EPS);
	assert_float_equal(fx.res.mean.map, 0.5, EPS);
	fixture_free(&fx);
}

/* Build a run for q1: "r1" at rank 1, filler, and "r2" at rank last_rank. */
static char *run_with_second_at(int last_rank)
{
	strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "q1 Q0 r1 1 %d t\n", 100000);
	for (int i = 2; i < last_rank; i++)
		sb_addf(&sb, "q1 Q0 junk%d %d %d t\n", i, i, 100000 - i);
	sb_addf(&sb, "q1 Q0 r2 %d %d t\n", last_rank, 100000 - last_rank);
	return sb_detach(&sb, NULL);
}

static void recall_cut_at_100(void **state)
{
	(void)state;
	fixture fx;
	char *run = run_with_second_at(101);
	eval_text(&fx, "q1 r1 1\nq1 r2 1\n", run);
	/* r2 at rank 101: outside the top 100, so R@100 = 1/2; MAP still
	 * counts it: AP = (1/1 + 2/101) / 2 = 0.509901.
	 * nDCG@10 = 1 / (1 + 1/log2(3)) = 0.613147 */
	assert_float_equal(fx.res.mean.recall100, 0.5, EPS);
	assert_float_equal(fx.res.mean.map, 0.509901, EPS);
	assert_float_equal(fx.res.mean.ndcg10, 0.613147, EPS);
	fixture_free(&fx);
	free(run);
}

static void map_cut_at_1000(void **state)
{
	(void)state;
	fixture fx;
	char *run = run_with_second_at(TREC_MAX_RANK + 1);
	eval_text(&fx, "q1 r1 1\nq1 r2 1\n", run);
	/* r2 at rank 1001 is not seen: AP = (1/1) / 2 = 0.5 */
	assert_float_equal(fx.res.mean.map, 0.5, EPS);
	assert_int_equal(fx.res.queries[0].num_ret, TREC_MAX_RANK);
	fixture_free(&fx);
	free(run);
}

static void mrr_only_counts_top_10(void **state)
{
	(void)state;
	fixture fx;
	char *run = run_with_second_at(11);
	eval_text(&fx, "q1 r2 1\n", run);
	/* the only relevant document is at rank 11: RR@10 = 0, nDCG@10 = 0,
	 * AP = (1/11) / 1 = 0.090909 */
	assert_float_equal(fx.res.mean.mrr10, 0.0, EPS);
	assert_float_equal(fx.res.mean.ndcg10, 0.0, EPS);
	assert_float_equal(fx.res.mean.map, 1.0 / 11, EPS);
	fixture_free(&fx);
	free(run);
}

static void duplicate_docs_count_once(void **state)
{
	(void)state;
	fixture fx;
	/* a appears twice; the copy after x is dropped, so a, x: rank of b = 3
	 * not 4. AP = (1/1 + 2/3) / 2 = 0.833333 */
	eval_text(&fx, "q1 a 1\nq1 b 1\n",
		  "q1 Q0 a 1 4 t\nq1 Q0 x 2 3 t\nq1 Q0 a 3 2 t\nq1 Q0 b 4 1 t\n");
	assert_int_equal(fx.res.duplicates, 1);
	assert_float_equal(fx.res.mean.map, 0.833333, EPS);
	fixture_free(&fx);
}

static void trec_qrels_format_and_duplicates(void **state)
{
	(void)state;
	fixture fx;
	/* 4-column TREC qrels; (q1, a) judged twice keeps the higher grade 2.
	 * Run: a first. DCG = 2; IDCG = 2 + 1/log2(3) = 2.630930;
	 * nDCG = 2 / 2.630930 = 0.760188 */
	eval_text(&fx, "q1 0 a 1\nq1 0 a 2\nq1 0 b 1\n", "q1 Q0 a 1 1 t\n");
	assert_int_equal(fx.res.queries[0].num_rel, 2);
	assert_float_equal(fx.res.mean.ndcg10, 0.760188, EPS);
	fixture_free(&fx);
}

static void negative_grade_is_not_relevant(void **state)
{
	(void)state;
	fixture fx;
	/* b has grade -1: no gain, not relevant; only a counts (num_rel 1). */
	eval_text(&fx, "q1 a 1\nq1 b -1\n", "q1 Q0 b 1 2 t\nq1 Q0 a 2 1 t\n");
	assert_int_equal(fx.res.queries[0].num_rel, 1);
	/* a at rank 2: AP = 1/2, nDCG = 1/log2(3) = 0.630930 */
	assert_float_equal(fx.res.mean.map, 0.5, EPS);
	assert_float_equal(fx.res.mean.ndcg10, 0.630930, EPS);
	fixture_free(&fx);
}

static void empty_inputs(void **state)
{
	(void)state;
	fixture fx;
	eval_text(&fx, "", "");
	assert_int_equal(fx.res.nqueries, 0);
	assert_float_equal(fx.res.mean.ndcg10, 0.0, EPS);
	fixture_free(&fx);

	/* a header alone, blank lines and CRLF are all fine */
	eval_text(&fx, "query-id corpus-id score\r\n\r\n\nq1 a 1\r\n", "\n\n");
	assert_int_equal(fx.res.nqueries, 1);
	assert_float_equal(fx.res.mean.map, 0.0, EPS);
	fixture_free(&fx);
}

static void expect_error(int is_run, const char *text, size_t len,
			 const char *needle)
{
	strbuf err = STRBUF_INIT;
	int rc;
	if (is_run) {
		trec_run *r = (trec_run *)1;
		rc = trec_run_parse(&r, text, len, &err);
		assert_null(r);
	} else {
		trec_qrels *q = (trec_qrels *)1;
		rc = trec_qrels_parse(&q, text, len, &err);
		assert_null(q);
	}
	assert_int_equal(rc, -1);
	assert_non_null(strstr(sb_cstr(&err), needle));
	sb_release(&err);
}

static void malformed_lines_are_errors(void **state)
{
	(void)state;
	expect_error(0, "q1 a 1\nq1 a\n", 12, "line 2");
	expect_error(0, "q1 a 1\nq1 a x\n", 14, "grade is not a number");
	expect_error(1, "q1 Q0 a 1 x t\n", 14, "score is not a finite number");
	expect_error(1, "q1 Q0 a 1 nan t\n", 16, "not a finite");
	expect_error(1, "q1 Q0 a 1 1e999 t\n", 18, "not a finite");
	expect_error(1, "q1 Q0 a\n", 8, "expected 6 fields");
	expect_error(1, "q1 Q0 a 1 1 t extra\n", 20, "got 7");
	/* a NUL byte inside the text */
	expect_error(1, "q1 Q0 a 1 1 t\nq1 Q0 \0 2 1 t\n", 28, "line 2: NUL");
	/* a 1 MB single field */
	size_t n = 1 << 20;
	char *big = xmalloc(n);
	memset(big, 'x', n);
	expect_error(1, big, n, "got 1");
	expect_error(0, big, n, "got 1");
	free(big);
}

static void random_bytes_do_not_crash(void **state)
{
	(void)state;
	unsigned seed = 12345;
	char buf[4096];
	for (int round = 0; round < 200; round++) {
		size_t len = (size_t)(round * 20) % sizeof buf;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* bias towards the characters the parser cares about */
			unsigned c = (seed >> 16) & 0xff;
			const char *common = " \t\n0123456789.eQ";
			buf[i] = (c & 1) ? common[(c >> 1) % 16] : (char)c;
		}
		strbuf err = STRBUF_INIT;
		trec_qrels *q = NULL;
		trec_run *r = NULL;
		int rq = trec_qrels_parse(&q, buf, len, &err);
		int rr = trec_run_parse(&r, buf, len, &err);
		assert_true(rq == 0 || q == NULL);
		assert_true(rr == 0 || r == NULL);
		if (q && r) {
			trec_eval_result res;
			trec_evaluate(&res, q, r);
			assert_true(res.mean.ndcg10 >= 0 && res.mean.ndcg10 <= 1 + EPS);
			assert_true(res.mean.map >= 0 && res.mean.map <= 1 + EPS);
			trec_eval_result_free(&res);
		}
		trec_run_free(r);
		trec_qrels_free(q);
		sb_release(&err);
	}
}

static void large_run_is_bounded(void **state)
{
	(void)state;
	/* 50,000 lines for one query, all with equal scores: only the first
	 * 1000 in trec_eval order count, and it finishes. The docid-descending
	 * order puts d9999 first, which is the relevant one: RR = 1. */
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 50000; i++)
		sb_addf(&sb, "q1 Q0 d%d %d 1.0 t\n", i % 10000, i + 1);
	fixture fx;
	eval_text(&fx, "q1 d9999 1\n", sb_cstr(&sb));
	assert_int_equal(fx.res.queries[0].num_ret, TREC_MAX_RANK);
	assert_true(fx.res.duplicates > 0);
	assert_float_equal(fx.res.mean.mrr10, 1.0, EPS);
	fixture_free(&fx);
	sb_release(&sb);
}

static void load_from_files(void **state)
{
	(void)state;
	char qpath[] = "/tmp/lede-test-qrels-XXXXXX";
	char rpath[] = "/tmp/lede-test-run-XXXXXX";
	int qfd = mkstemp(qpath), rfd = mkstemp(rpath);
	assert_true(qfd >= 0 && rfd >= 0);
	const char *qt = "query-id\tcorpus-id\tscore\n7\t70\t2\n";
	const char *rt = "7 Q0 70 1 3.5 sys\n";
	assert_int_equal(write(qfd, qt, strlen(qt)), (ssize_t)strlen(qt));
	assert_int_equal(write(rfd, rt, strlen(rt)), (ssize_t)strlen(rt));
	close(qfd);
	close(rfd);

	strbuf err = STRBUF_INIT;
	trec_qrels *q;
	trec_run *r;
	assert_int_equal(trec_qrels_load(&q, qpath, &err), 0);
	assert_int_equal(trec_run_load(&r, rpath, &err), 0);
	trec_eval_result res;
	trec_evaluate(&res, q, r);
	assert_float_equal(res.mean.ndcg10, 1.0, EPS);
	trec_eval_result_free(&res);
	trec_run_free(r);
	trec_qrels_free(q);
	unlink(qpath);
	unlink(rpath);

	/* a missing file names itself in the message */
	assert_int_equal(trec_run_load(&r, qpath, &err), -1);
	assert_null(r);
	assert_non_null(strstr(sb_cstr(&err), qpath));
	sb_release(&err);
}

/* The leave-one-out choice (bench/loo.c), worked by hand: three
 * collections, three settings. Without A, the means of (B, C) are
 * s0 .55, s1 .60, s2 .50: s1. Without B: s0 .45, s1 .40, s2 .45: s0 by
 * the tie rule (the earlier setting). Without C: s0 .50, s1 .50, s2 .55:
 * s2. A setting missing on a collection is not chosen where that
 * collection counts. */
static void test_loo_choose(void **state)
{
	(void)state;
	const double scores[] = {
		/* s0   s1   s2 */
		0.40, 0.20, 0.50, /* A */
		0.60, 0.80, 0.60, /* B */
		0.50, 0.40, 0.40, /* C */
	};
	size_t chosen[3];
	assert_int_equal(loo_choose(scores, 3, 3, chosen), 0);
	assert_int_equal(chosen[0], 1);
	assert_int_equal(chosen[1], 0);
	assert_int_equal(chosen[2], 2);
	double gap[] = { 0.9, NAN, 0.1, 0.1, 0.9, 0.1 };
	/* s1 lacks collection A: it may win only where A is held out */
	assert_int_equal(loo_choose(gap, 2, 3, chosen), 0);
	assert_int_equal(chosen[0], 1);
	assert_int_equal(chosen[1], 0);
	double none[] = { NAN, NAN };
	assert_int_equal(loo_choose(none, 2, 1, chosen), 2);
	assert_int_equal(chosen[0], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loo_choose),
		cmocka_unit_test(perfect_ranking),
		cmocka_unit_test(reversed_ranking),
		cmocka_unit_test(graded_gains),
		cmocka_unit_test(ties_broken_by_docid_descending),
		cmocka_unit_test(rank_column_is_ignored),
		cmocka_unit_test(no_relevant_retrieved),
		cmocka_unit_test(missing_query_counts_zero),
		cmocka_unit_test(query_with_only_zero_grades),
		cmocka_unit_test(recall_cut_at_100),
		cmocka_unit_test(map_cut_at_1000),
		cmocka_unit_test(mrr_only_counts_top_10),
		cmocka_unit_test(duplicate_docs_count_once),
		cmocka_unit_test(trec_qrels_format_and_duplicates),
		cmocka_unit_test(negative_grade_is_not_relevant),
		cmocka_unit_test(empty_inputs),
		cmocka_unit_test(malformed_lines_are_errors),
		cmocka_unit_test(random_bytes_do_not_crash),
		cmocka_unit_test(large_run_is_bounded),
		cmocka_unit_test(load_from_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
