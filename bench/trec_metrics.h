/* Relevance metrics over a qrels file and a TREC run, computed the way
 * trec_eval computes them, so that lede's figures can be compared with
 * published ones. Pure C, no I/O beyond reading the two files; no exits. */
#ifndef LEDE_TREC_METRICS_H
#define LEDE_TREC_METRICS_H

#include <stddef.h>

#include "../common/strbuf.h"

/* Retrieved documents beyond this rank are ignored (trec_eval's usual
 * 1000-per-topic runs; MAP is "MAP cut at 1000"). */
#define TREC_MAX_RANK 1000

typedef struct trec_qrels trec_qrels; /* judgments: qid, docid, grade */
typedef struct trec_run trec_run;     /* a run: qid, docid, score */

/* The four measures of one query, or their mean over queries. */
typedef struct trec_scores {
	double ndcg10;    /* trec_eval ndcg_cut.10: gain = grade, 1/log2(rank+1) */
	double map;       /* average precision, cut at TREC_MAX_RANK */
	double recall100; /* relevant in top 100 / all relevant */
	double mrr10;     /* 1 / rank of the first relevant in the top 10, else 0 */
} trec_scores;

typedef struct trec_query_scores {
	const char *qid;  /* borrowed from the qrels; valid until trec_qrels_free */
	trec_scores s;
	size_t num_rel;   /* judged documents with grade > 0 */
	size_t num_ret;   /* distinct documents the run returned (<= TREC_MAX_RANK) */
	size_t rel_ret;   /* of those, relevant */
} trec_query_scores;

typedef struct trec_eval_result {
	trec_query_scores *queries; /* one per qrels query, sorted by qid */
	size_t nqueries;
	trec_scores mean;           /* mean over all of queries[] */
	size_t run_only_queries;    /* run queries without any judgment (ignored) */
	size_t duplicates;          /* run lines that repeated a (qid, docid) */
} trec_eval_result;

/* Parse qrels text: lines "qid docid grade" (BEIR tsv) or "qid iter docid
 * grade" (TREC), whitespace-separated. A first line whose grade is not a
 * number is a header and is skipped. Returns 0, or -1 with a message naming
 * the line in err. *out is the caller's: trec_qrels_free() it. */
int trec_qrels_parse(trec_qrels **out, const char *text, size_t len, strbuf *err);
int trec_qrels_load(trec_qrels **out, const char *path, strbuf *err);
void trec_qrels_free(trec_qrels *q); /* NULL is a no-op */

/* Parse a run: lines "qid Q0 docid rank score [tag]". The rank column is
 * ignored, as trec_eval ignores it: order is by score descending, ties by
 * docid in descending strcmp order. Returns 0 or -1 (message in err).
 * *out is the caller's: trec_run_free() it. */
int trec_run_parse(trec_run **out, const char *text, size_t len, strbuf *err);
int trec_run_load(trec_run **out, const char *path, strbuf *err);
void trec_run_free(trec_run *r); /* NULL is a no-op */

/* Evaluate run against qrels. Every query of the qrels counts, also when
 * the run has nothing for it (scores 0: trec_eval -c); queries only in the
 * run are ignored. A repeated (qid, docid) keeps its first line in score
 * order. Grades <= 0 are not relevant and carry no gain.
 * out->queries points into memory owned by out and borrows qids from
 * qrels: release with trec_eval_result_free() before trec_qrels_free(). */
void trec_evaluate(trec_eval_result *out, const trec_qrels *qrels, const trec_run *run);
void trec_eval_result_free(trec_eval_result *res);

#endif
