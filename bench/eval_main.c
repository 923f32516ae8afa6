/* The C side of bench/eval.sh: turns BEIR queries into lede's query file,
 * scores a run against qrels (trec_metrics.c) and renders the comparison
 * table. The shell script only runs programs; all parsing happens here.
 *
 *   eval prep-queries QUERIES.jsonl          -> "qid<TAB>text" lines
 *   eval score [--per-query] QRELS RUN        -> "ndcg10 map r100 mrr10 nq"
 *   eval report RESULTS.tsv                   -> markdown tables */
#include <jansson.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "loo.h"
#include "trec_metrics.h"

/* Query text on one line: tabs, CR and LF become spaces, runs collapse. */
static void append_one_line(strbuf *out, const char *s)
{
	int space = 1;
	for (; *s; s++) {
		int ws = (*s == '\t' || *s == '\n' || *s == '\r' || *s == ' ');
		if (ws) {
			if (!space)
				sb_addch(out, ' ');
			space = 1;
		} else {
			sb_addch(out, *s);
			space = 0;
		}
	}
	if (out->len && out->buf[out->len - 1] == ' ')
		sb_truncate(out, out->len - 1);
}

static int cmd_prep_queries(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "eval: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	strbuf out = STRBUF_INIT;
	while ((n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		json_error_t jerr;
		json_t *obj = json_loadb(line, (size_t)n, 0, &jerr);
		json_t *id = json_object_get(obj, "_id");
		if (!id)
			id = json_object_get(obj, "id");
		json_t *text = json_object_get(obj, "text");
		if (!json_is_object(obj) || !json_is_string(text) ||
		    !(json_is_string(id) || json_is_integer(id))) {
			if (n > 1)
				fprintf(stderr, "eval: %s:%ld: not a query object with id "
					"and text\n", path, lineno);
			json_decref(obj);
			continue;
		}
		sb_reset(&out);
		if (json_is_string(id))
			append_one_line(&out, json_string_value(id));
		else
			sb_addf(&out, "%lld", (long long)json_integer_value(id));
		sb_addch(&out, '\t');
		append_one_line(&out, json_string_value(text));
		puts(sb_cstr(&out));
		json_decref(obj);
	}
	free(line);
	sb_release(&out);
	fclose(fp);
	return 0;
}

static int cmd_score(int per_query, const char *qrels_path, const char *run_path)
{
	strbuf err = STRBUF_INIT;
	trec_qrels *qrels = NULL;
	trec_run *run = NULL;
	if (trec_qrels_load(&qrels, qrels_path, &err) < 0 ||
	    trec_run_load(&run, run_path, &err) < 0) {
		fprintf(stderr, "eval: %s\n", sb_cstr(&err));
		trec_qrels_free(qrels);
		sb_release(&err);
		return 1;
	}
	trec_eval_result res;
	trec_evaluate(&res, qrels, run);
	if (res.duplicates)
		fprintf(stderr, "eval: %s: %zu repeated documents ignored\n",
			run_path, res.duplicates);
	if (res.run_only_queries)
		fprintf(stderr, "eval: %s: %zu queries without judgments ignored\n",
			run_path, res.run_only_queries);
	if (per_query)
		for (size_t i = 0; i < res.nqueries; i++) {
			const trec_query_scores *q = &res.queries[i];
			printf("%s\t%.4f\t%.4f\t%.4f\t%.4f\t%zu\t%zu\n", q->qid,
			       q->s.ndcg10, q->s.map, q->s.recall100, q->s.mrr10,
			       q->num_rel, q->rel_ret);
		}
	else
		printf("%.4f\t%.4f\t%.4f\t%.4f\t%zu\n", res.mean.ndcg10, res.mean.map,
		       res.mean.recall100, res.mean.mrr10, res.nqueries);
	trec_eval_result_free(&res);
	trec_run_free(run);
	trec_qrels_free(qrels);
	sb_release(&err);
	return 0;
}

/* One line of the results file the script accumulates:
 * collection, system, then either nDCG MAP R100 MRR nq seconds, or "NA"
 * and a note. */
typedef struct row {
	char *collection, *system, *note; /* owned */
	double m[4];
	int nq;
	double secs;
	int ok;
} row;

typedef struct table {
	row *v;
	size_t n, cap;
} table;

/* Split a tab-separated line in place; returns the field count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (n < max) {
		f[n++] = p;
		char *t = strchr(p, '\t');
		if (!t)
			break;
		*t = '\0';
		p = t + 1;
	}
	return n;
}

static int load_results(table *t, const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "eval: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, fp)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		char *f[8];
		size_t nf = split_tabs(line, f, 8);
		if (nf < 3)
			continue;
		XGROW(t->v, t->cap, t->n + 1);
		row *r = &t->v[t->n++];
		memset(r, 0, sizeof *r);
		r->collection = xstrdup(f[0]);
		r->system = xstrdup(f[1]);
		if (nf >= 7 && strcmp(f[2], "NA")) {
			r->ok = 1;
			for (int i = 0; i < 4; i++)
				r->m[i] = strtod(f[2 + i], NULL);
			r->nq = atoi(f[6]);
			r->secs = nf >= 8 ? strtod(f[7], NULL) : 0;
		} else {
			r->note = xstrdup(nf >= 4 ? f[3] : "not available");
		}
	}
	free(line);
	fclose(fp);
	return 0;
}

/* Distinct values of a column, in order of first appearance; the strings
 * are borrowed from t. */
static size_t distinct(const table *t, int system_col, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++) {
		const char *s = system_col ? t->v[i].system : t->v[i].collection;
		size_t j = 0;
		while (j < n && strcmp(out[j], s))
			j++;
		if (j == n)
			out[n++] = s;
	}
	return n;
}

static const row *find_row(const table *t, const char *coll, const char *sys)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].collection, coll) && !strcmp(t->v[i].system, sys))
			return &t->v[i];
	return NULL;
}

static void table_release(table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].collection);
		free(t->v[i].system);
		free(t->v[i].note);
	}
	free(t->v);
}

static int cmd_report(const char *path)
{
	table t = { NULL, 0, 0 };
	if (load_results(&t, path) < 0)
		return 1;
	const char **colls = xmalloc((t.n + 1) * sizeof *colls);
	const char **systems = xmalloc((t.n + 1) * sizeof *systems);
	size_t nc = distinct(&t, 0, colls), ns = distinct(&t, 1, systems);

	printf("| collection | system | nDCG@10 | MAP | R@100 | MRR@10 | queries | seconds |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	for (size_t c = 0; c < nc; c++)
		for (size_t s = 0; s < ns; s++) {
			const row *r = find_row(&t, colls[c], systems[s]);
			if (!r)
				continue;
			if (r->ok)
				printf("| %s | %s | %.3f | %.3f | %.3f | %.3f | %d | %.1f |\n",
				       r->collection, r->system, r->m[0], r->m[1], r->m[2],
				       r->m[3], r->nq, r->secs);
			else
				printf("| %s | %s | %s | | | | | |\n", r->collection,
				       r->system, r->note);
		}

	/* Mean over collections, per system; only systems with every
	 * collection get one, so the means compare like with like. */
	printf("\nMean over the %zu collections (each collection weighs the same):\n\n", nc);
	printf("| system | nDCG@10 | MAP | R@100 | MRR@10 |\n|---|---|---|---|---|\n");
	double *mean_ndcg = xcalloc(ns ? ns : 1, sizeof *mean_ndcg);
	int *complete = xcalloc(ns ? ns : 1, sizeof *complete);
	for (size_t s = 0; s < ns; s++) {
		double sum[4] = { 0, 0, 0, 0 };
		size_t have = 0;
		for (size_t c = 0; c < nc; c++) {
			const row *r = find_row(&t, colls[c], systems[s]);
			if (!r || !r->ok)
				continue;
			have++;
			for (int i = 0; i < 4; i++)
				sum[i] += r->m[i];
		}
		complete[s] = (have == nc && nc > 0);
		if (!complete[s]) {
			printf("| %s | not available | | | |\n", systems[s]);
			continue;
		}
		mean_ndcg[s] = sum[0] / (double)nc;
		printf("| %s | %.3f | %.3f | %.3f | %.3f |\n", systems[s], mean_ndcg[s],
		       sum[1] / (double)nc, sum[2] / (double)nc, sum[3] / (double)nc);
	}

	/* lede against the best peer, per collection and on the average. */
	size_t lede = ns;
	for (size_t s = 0; s < ns; s++)
		if (!strcmp(systems[s], "lede"))
			lede = s;
	printf("\nlede vs best peer, nDCG@10 (ratio > 1 means lede is better):\n\n");
	if (lede == ns || !complete[lede]) {
		printf("- lede: not available yet\n");
	} else {
		for (size_t c = 0; c < nc; c++) {
			double best = 0;
			const char *who = "-";
			for (size_t s = 0; s < ns; s++) {
				const row *r = find_row(&t, colls[c], systems[s]);
				if (s != lede && r && r->ok && r->m[0] > best) {
					best = r->m[0];
					who = systems[s];
				}
			}
			const row *l = find_row(&t, colls[c], "lede");
			if (best > 0)
				printf("- %s: %.3f / %.3f (%s) = %.3f\n", colls[c], l->m[0],
				       best, who, l->m[0] / best);
		}
		double best = 0;
		const char *who = "-";
		for (size_t s = 0; s < ns; s++)
			if (s != lede && complete[s] && mean_ndcg[s] > best) {
				best = mean_ndcg[s];
				who = systems[s];
			}
		if (best > 0)
			printf("- average nDCG@10: %.3f / %.3f (%s) = **%.3f**\n",
			       mean_ndcg[lede], best, who, mean_ndcg[lede] / best);
	}

	free(mean_ndcg);
	free(complete);
	free(colls);
	free(systems);
	table_release(&t);
	return 0;
}

/* The leave-one-out table: the peers from results_path, lede's candidate
 * settings from grid_path (rows as in the results, the setting's name in
 * the system column, the shipped default first). */
static int cmd_loo(const char *results_path, const char *grid_path)
{
	table peers = { NULL, 0, 0 }, grid = { NULL, 0, 0 };
	if (load_results(&peers, results_path) < 0 ||
	    load_results(&grid, grid_path) < 0)
		return 1;
	const char **colls = xmalloc((grid.n + 1) * sizeof *colls);
	const char **sets = xmalloc((grid.n + 1) * sizeof *sets);
	size_t nc = distinct(&grid, 0, colls), ns = distinct(&grid, 1, sets);
	double *score = xmalloc((nc * ns + 1) * sizeof *score);
	for (size_t c = 0; c < nc; c++)
		for (size_t s = 0; s < ns; s++) {
			const row *r = find_row(&grid, colls[c], sets[s]);
			score[c * ns + s] = r && r->ok ? r->m[0] : NAN;
		}
	printf("nDCG@10 of each candidate setting (the first is the default):\n\n| setting |");
	for (size_t c = 0; c < nc; c++)
		printf(" %s |", colls[c]);
	printf(" mean |\n|---|");
	for (size_t c = 0; c <= nc; c++)
		printf("---|");
	printf("\n");
	for (size_t s = 0; s < ns; s++) {
		double sum = 0;
		printf("| %s |", sets[s]);
		for (size_t c = 0; c < nc; c++) {
			sum += score[c * ns + s];
			printf(" %.3f |", score[c * ns + s]);
		}
		printf(" %.3f |\n", nc ? sum / (double)nc : 0);
	}
	size_t *chosen = xmalloc((nc + 1) * sizeof *chosen);
	if (nc < 2 || loo_choose(score, nc, ns, chosen) != 0) {
		printf("\nleave-one-out: needs two collections or more, each with every setting\n");
	} else {
		printf("\nLeave one collection out: each collection scored with the "
		       "setting that is best on the other %zu\n\n", nc - 1);
		printf("| collection | chosen on the others | nDCG@10 | best peer | ratio |\n");
		printf("|---|---|---|---|---|\n");
		double sum = 0, peer_sum = 0;
		int all_peers = 1;
		for (size_t c = 0; c < nc; c++) {
			double v = score[c * ns + chosen[c]], best = 0;
			const char *who = "-";
			for (size_t i = 0; i < peers.n; i++) {
				const row *r = &peers.v[i];
				if (!strcmp(r->collection, colls[c]) && r->ok &&
				    strcmp(r->system, "lede") && r->m[0] > best) {
					best = r->m[0];
					who = r->system;
				}
			}
			sum += v;
			peer_sum += best;
			all_peers &= best > 0;
			if (best > 0)
				printf("| %s | %s | %.3f | %.3f (%s) | %.3f |\n", colls[c],
				       sets[chosen[c]], v, best, who, v / best);
			else
				printf("| %s | %s | %.3f | - | - |\n", colls[c],
				       sets[chosen[c]], v);
		}
		if (all_peers)
			printf("\n- leave-one-out mean nDCG@10: %.3f / %.3f (best peer per "
			       "collection, averaged) = **%.3f**\n", sum / (double)nc,
			       peer_sum / (double)nc, sum / peer_sum);
	}
	free(chosen);
	free(score);
	free(colls);
	free(sets);
	table_release(&peers);
	table_release(&grid);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: eval prep-queries QUERIES.jsonl\n"
		"       eval score [--per-query] QRELS RUN\n"
		"       eval report RESULTS.tsv\n"
		"       eval loo RESULTS.tsv GRID.tsv\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "prep-queries"))
		return cmd_prep_queries(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "score"))
		return cmd_score(0, argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "score") && !strcmp(argv[2], "--per-query"))
		return cmd_score(1, argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "report"))
		return cmd_report(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "loo"))
		return cmd_loo(argv[2], argv[3]);
	return usage();
}
