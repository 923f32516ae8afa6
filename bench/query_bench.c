/* Bench helper: lede's query latency through the C library (include/lede.h),
 * one process, one thread: lede_warm, then every query of the set once to
 * warm the caches,
 * then each one timed alone — top 10 with titles, snippets and collapse
 * (the defaults), plus every facet for the queries of kind "facet".
 * Not part of lede; it only calls the public API.
 *
 *   query_bench DB QUERIES.txt [no-feedback]
 *     -> stdout: "qid<TAB>seconds<TAB>hits"; no-feedback turns lede's
 *     pseudo-relevance feedback off (to see what it costs) 
 * QUERIES.txt: qid<TAB>kind<TAB>lede query<TAB>peer query, '#' comments.
 * A query lede rejects is reported on stderr and printed with hits -1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lede.h"

typedef struct bench_query {
	char *qid, *kind, *text; /* owned; point into one line copy */
	char *line;
} bench_query;

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The queries of path; *n set. NULL when unreadable. Owned by the caller. */
static bench_query *load_queries(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return NULL;
	bench_query *qs = NULL;
	size_t cap = 0, len = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t got;
	while ((got = getline(&line, &lcap, fp)) > 0) {
		if (line[got - 1] == '\n')
			line[--got] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		char *copy = strdup(line);
		char *t1 = copy ? strchr(copy, '\t') : NULL;
		char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2) {
			fprintf(stderr, "query_bench: %s: skipped a line without 3 columns\n", path);
			free(copy);
			continue;
		}
		*t1 = *t2 = 0;
		char *t3 = strchr(t2 + 1, '\t');
		if (t3)
			*t3 = 0;
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			bench_query *grown = realloc(qs, cap * sizeof *qs);
			if (!grown) {
				free(copy);
				break;
			}
			qs = grown;
		}
		qs[len].line = copy;
		qs[len].qid = copy;
		qs[len].kind = t1 + 1;
		qs[len].text = t2 + 1;
		len++;
	}
	free(line);
	fclose(fp);
	*n = len;
	return qs;
}

/* Run one query the way a results page would use it; the number of hits,
 * or -1 when lede rejects it. */
static long run_query(lede_db *db, const bench_query *q, int off, size_t *sink)
{
	lede_search_opts opts = LEDE_SEARCH_OPTS_INIT;
	opts.limit = 10;
	opts.no_feedback = off & 1;
	if (off & 2)
		opts.proximity_weight = -1;
	if (off & 4)
		opts.dph_weight = -1;
	if (!strcmp(q->kind, "facet"))
		opts.facets = LEDE_FACET_ALL;
	lede_results *r = NULL;
	if (lede_search(&r, db, q->text, &opts) != LEDE_OK)
		return -1;
	size_t n = lede_results_count(r);
	for (size_t i = 0; i < n; i++) {
		const lede_hit *h = lede_results_hit(r, i);
		*sink += strlen(h->title) + h->snippet_len + strlen(h->article_id);
	}
	lede_results_free(r);
	return (long)n;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4 ||
	    (argc == 4 && strcmp(argv[3], "no-feedback") &&
	     strcmp(argv[3], "no-proximity") && strcmp(argv[3], "neither") &&
	     strcmp(argv[3], "bm25-alone"))) {
		fprintf(stderr, "usage: query_bench DB QUERIES.txt "
		        "[no-feedback|no-proximity|neither|bm25-alone]\n");
		return 2;
	}
	/* bit 0: feedback off, bit 1: proximity off, bit 2: no DPH fusion */
	int off = argc < 4 ? 0
	                  : !strcmp(argv[3], "no-feedback") ? 1
	                  : !strcmp(argv[3], "no-proximity") ? 2
	                  : !strcmp(argv[3], "neither") ? 3 : 4;
	size_t nq = 0;
	bench_query *qs = load_queries(argv[2], &nq);
	if (!qs || !nq) {
		fprintf(stderr, "query_bench: no queries in %s\n", argv[2]);
		return 1;
	}
	lede_db *db = NULL;
	int rc = lede_open(&db, argv[1]);
	if (rc != LEDE_OK) {
		fprintf(stderr, "query_bench: %s: %s\n", argv[1],
			db ? lede_errmsg(db) : lede_status_string(rc));
		lede_close(db);
		return 1;
	}
	/* as a server would at start: facet values read once, not after the
	 * first several facet queries (lede.h, lede_warm) */
	if (lede_warm(db, LEDE_FACET_ALL) != LEDE_OK)
		fprintf(stderr, "query_bench: warm: %s\n", lede_errmsg(db));
	size_t sink = 0;
	for (size_t i = 0; i < nq; i++)
		if (run_query(db, &qs[i], off, &sink) < 0)
			fprintf(stderr, "query_bench: %s: %s: %s\n", qs[i].qid, qs[i].text,
				lede_errmsg(db));
	for (size_t i = 0; i < nq; i++) {
		double t0 = now_seconds();
		long hits = run_query(db, &qs[i], off, &sink);
		printf("%s\t%.9f\t%ld\n", qs[i].qid, now_seconds() - t0, hits);
	}
	lede_close(db);
	for (size_t i = 0; i < nq; i++)
		free(qs[i].line);
	free(qs);
	/* sink keeps the reads of titles and snippets from being optimised out */
	return sink == (size_t)-1 ? 1 : 0;
}
