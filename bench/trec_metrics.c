/* trec_eval-compatible nDCG@10, MAP, Recall@100 and MRR@10 over a qrels
 * file and a TREC run (see trec_metrics.h for the exact definitions).
 * Input is untrusted text: every malformed line is an error naming it. */
#include "trec_metrics.h"

#include "../common/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One judgment or one run line; strings owned by the containing set. */
typedef struct trec_entry {
	char *qid;
	char *docid;
	double score; /* run: similarity; qrels: grade */
	size_t order; /* line order, to keep a stable "first" among duplicates */
} trec_entry;

/* Both qrels and runs are a flat array sorted by qid (then docid for qrels,
 * score for runs), so a query's lines are one contiguous slice. */
typedef struct trec_set {
	trec_entry *v;
	size_t n, cap;
} trec_set;

struct trec_qrels { trec_set set; };
struct trec_run { trec_set set; };

static void set_free(trec_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].qid);
		free(s->v[i].docid);
	}
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Split line (no NUL inside) into at most max whitespace-separated fields;
 * returns how many there were (may exceed max; extra ones are not stored). */
static size_t split_fields(const char *line, size_t len, const char **f,
			   size_t *flen, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i >= len)
			break;
		size_t start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			i++;
		if (n < max) {
			f[n] = line + start;
			flen[n] = i - start;
		}
		n++;
	}
	return n;
}

/* Parse a finite number from a field. Returns 0 or -1. */
static int parse_number(const char *s, size_t len, double *out)
{
	char tmp[64];
	if (len == 0 || len >= sizeof tmp)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	char *end;
	errno = 0;
	double d = strtod(tmp, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

static void set_add(trec_set *s, const char *qid, size_t qlen,
		    const char *doc, size_t dlen, double score)
{
	XGROW(s->v, s->cap, s->n + 1);
	trec_entry *e = &s->v[s->n];
	e->qid = xstrndup(qid, qlen);
	e->docid = xstrndup(doc, dlen);
	e->score = score;
	e->order = s->n;
	s->n++;
}

/* Walk text line by line, calling per_line for each non-blank line.
 * Stops at the first error. */
typedef int (*line_fn)(trec_set *s, size_t lineno, const char *line,
		       size_t len, strbuf *err);

static int parse_lines(trec_set *s, const char *text, size_t len,
		       line_fn per_line, strbuf *err)
{
	size_t pos = 0, lineno = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		lineno++;
		const char *line = text + pos;
		size_t llen = end - pos;
		if (memchr(line, '\0', llen)) {
			sb_addf(err, "line %zu: NUL byte", lineno);
			return -1;
		}
		const char *f[1];
		size_t fl[1];
		if (split_fields(line, llen, f, fl, 1) > 0 &&
		    per_line(s, lineno, line, llen, err) < 0)
			return -1;
		pos = end + 1;
	}
	return 0;
}

static int qrels_line(trec_set *s, size_t lineno, const char *line,
		      size_t len, strbuf *err)
{
	const char *f[4];
	size_t fl[4];
	size_t n = split_fields(line, len, f, fl, 4);
	if (n != 3 && n != 4) {
		sb_addf(err, "qrels line %zu: expected 3 or 4 fields, got %zu",
			lineno, n);
		return -1;
	}
	size_t gi = n - 1, di = n - 2;
	double grade;
	if (parse_number(f[gi], fl[gi], &grade) < 0) {
		if (lineno == 1 && s->n == 0)
			return 0; /* the BEIR header "query-id corpus-id score" */
		sb_addf(err, "qrels line %zu: grade is not a number", lineno);
		return -1;
	}
	set_add(s, f[0], fl[0], f[di], fl[di], grade);
	return 0;
}

static int run_line(trec_set *s, size_t lineno, const char *line,
		    size_t len, strbuf *err)
{
	const char *f[6];
	size_t fl[6];
	size_t n = split_fields(line, len, f, fl, 6);
	if (n != 5 && n != 6) {
		sb_addf(err, "run line %zu: expected 6 fields "
			"(qid Q0 docid rank score tag), got %zu", lineno, n);
		return -1;
	}
	double score;
	if (parse_number(f[4], fl[4], &score) < 0) {
		sb_addf(err, "run line %zu: score is not a finite number", lineno);
		return -1;
	}
	set_add(s, f[0], fl[0], f[2], fl[2], score);
	return 0;
}

static int cmp_qid_doc(const void *a, const void *b)
{
	const trec_entry *x = a, *y = b;
	int c = strcmp(x->qid, y->qid);
	if (c)
		return c;
	c = strcmp(x->docid, y->docid);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* trec_eval's order within a query: score descending, then docid
 * descending by strcmp; line order makes it total (duplicates). */
static int cmp_qid_score(const void *a, const void *b)
{
	const trec_entry *x = a, *y = b;
	int c = strcmp(x->qid, y->qid);
	if (c)
		return c;
	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	c = strcmp(y->docid, x->docid);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

int trec_qrels_parse(trec_qrels **out, const char *text, size_t len, strbuf *err)
{
	*out = NULL;
	trec_qrels *q = xcalloc(1, sizeof *q);
	if (parse_lines(&q->set, text, len, qrels_line, err) < 0) {
		trec_qrels_free(q);
		return -1;
	}
	if (q->set.n)
		qsort(q->set.v, q->set.n, sizeof *q->set.v, cmp_qid_doc);
	/* A pair judged twice keeps its highest grade, so lookups see one. */
	size_t w = 0;
	for (size_t i = 0; i < q->set.n; i++) {
		trec_entry *e = &q->set.v[i];
		if (w > 0 && !strcmp(q->set.v[w - 1].qid, e->qid) &&
		    !strcmp(q->set.v[w - 1].docid, e->docid)) {
			if (e->score > q->set.v[w - 1].score)
				q->set.v[w - 1].score = e->score;
			free(e->qid);
			free(e->docid);
			continue;
		}
		q->set.v[w++] = *e;
	}
	q->set.n = w;
	*out = q;
	return 0;
}

int trec_run_parse(trec_run **out, const char *text, size_t len, strbuf *err)
{
	*out = NULL;
	trec_run *r = xcalloc(1, sizeof *r);
	if (parse_lines(&r->set, text, len, run_line, err) < 0) {
		trec_run_free(r);
		return -1;
	}
	if (r->set.n)
		qsort(r->set.v, r->set.n, sizeof *r->set.v, cmp_qid_score);
	*out = r;
	return 0;
}

/* Read a whole file into sb. Returns 0 or -1 (message in err). */
static int read_file(strbuf *sb, const char *path, strbuf *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		sb_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		sb_add(sb, chunk, n);
	int bad = ferror(fp);
	fclose(fp);
	if (bad) {
		sb_addf(err, "%s: read error", path);
		return -1;
	}
	return 0;
}

/* Prefix the message with the path so the user knows which file it was. */
static int load_with(const char *path, strbuf *err, void **out,
		     int (*parse)(void **, const char *, size_t, strbuf *))
{
	strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	int rc = read_file(&text, path, err);
	if (rc == 0) {
		rc = parse(out, sb_cstr(&text), text.len, &msg);
		if (rc < 0)
			sb_addf(err, "%s: %s", path, sb_cstr(&msg));
	}
	sb_release(&text);
	sb_release(&msg);
	return rc;
}

static int parse_qrels_v(void **out, const char *t, size_t n, strbuf *e)
{
	trec_qrels *q;
	int rc = trec_qrels_parse(&q, t, n, e);
	*out = q;
	return rc;
}

static int parse_run_v(void **out, const char *t, size_t n, strbuf *e)
{
	trec_run *r;
	int rc = trec_run_parse(&r, t, n, e);
	*out = r;
	return rc;
}

int trec_qrels_load(trec_qrels **out, const char *path, strbuf *err)
{
	void *p = NULL;
	int rc = load_with(path, err, &p, parse_qrels_v);
	*out = p;
	return rc;
}

int trec_run_load(trec_run **out, const char *path, strbuf *err)
{
	void *p = NULL;
	int rc = load_with(path, err, &p, parse_run_v);
	*out = p;
	return rc;
}

void trec_qrels_free(trec_qrels *q)
{
	if (!q)
		return;
	set_free(&q->set);
	free(q);
}

void trec_run_free(trec_run *r)
{
	if (!r)
		return;
	set_free(&r->set);
	free(r);
}

/* End of the slice of entries (starting at i) that share v[i].qid. */
static size_t slice_end(const trec_set *s, size_t i)
{
	size_t j = i + 1;
	while (j < s->n && !strcmp(s->v[j].qid, s->v[i].qid))
		j++;
	return j;
}

/* First index in the (qid-sorted) set whose qid is >= qid. */
static size_t lower_bound_qid(const trec_set *s, const char *qid)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->v[mid].qid, qid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Grade of docid within the qrels slice [lo, hi) sorted by docid; 0 when
 * unjudged. */
static double grade_of(const trec_set *q, size_t lo, size_t hi, const char *docid)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(q->v[mid].docid, docid);
		if (c == 0)
			return q->v[mid].score;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int cmp_double_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x > y ? -1 : x < y;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Score one query: judgments q->v[qlo..qhi), run lines r->v[rlo..rhi) in
 * trec_eval order. */
static void score_query(trec_query_scores *out, size_t *dups,
			const trec_set *q, size_t qlo, size_t qhi,
			const trec_set *r, size_t rlo, size_t rhi)
{
	size_t nj = qhi - qlo;
	double *ideal = xmalloc((nj ? nj : 1) * sizeof *ideal);
	size_t num_rel = 0;
	for (size_t i = qlo; i < qhi; i++) {
		double g = q->v[i].score > 0 ? q->v[i].score : 0;
		ideal[i - qlo] = g;
		if (g > 0)
			num_rel++;
	}
	qsort(ideal, nj, sizeof *ideal, cmp_double_desc);
	double idcg = 0;
	for (size_t i = 0; i < nj && i < 10; i++)
		idcg += ideal[i] / log2((double)i + 2);
	free(ideal);

	/* Distinct documents in rank order: the first occurrence wins. */
	size_t nr = rhi - rlo;
	char **seen = xmalloc((nr ? nr : 1) * sizeof *seen);
	size_t nseen = 0;
	double dcg = 0, ap = 0, mrr = 0;
	size_t rank = 0, rel_ret = 0, rel_100 = 0;
	for (size_t i = rlo; i < rhi && rank < TREC_MAX_RANK; i++) {
		const char *doc = r->v[i].docid;
		/* seen[] stays sorted: a binary search finds repeats, and
		 * at most TREC_MAX_RANK insertions bound the shifting. */
		char *key = r->v[i].docid;
		if (nseen && bsearch(&key, seen, nseen, sizeof *seen, cmp_str_ptr)) {
			(*dups)++;
			continue;
		}
		size_t at = nseen;
		while (at > 0 && strcmp(seen[at - 1], key) > 0) {
			seen[at] = seen[at - 1];
			at--;
		}
		seen[at] = key;
		nseen++;

		rank++;
		double g = grade_of(q, qlo, qhi, doc);
		if (g <= 0)
			continue;
		rel_ret++;
		if (rank <= 10) {
			dcg += g / log2((double)rank + 1);
			if (mrr == 0)
				mrr = 1.0 / (double)rank;
		}
		if (rank <= 100)
			rel_100++;
		ap += (double)rel_ret / (double)rank;
	}
	free(seen);

	out->num_rel = num_rel;
	out->num_ret = rank;
	out->rel_ret = rel_ret;
	out->s.ndcg10 = idcg > 0 ? dcg / idcg : 0;
	out->s.map = num_rel ? ap / (double)num_rel : 0;
	out->s.recall100 = num_rel ? (double)rel_100 / (double)num_rel : 0;
	out->s.mrr10 = mrr;
}

void trec_evaluate(trec_eval_result *out, const trec_qrels *qrels, const trec_run *run)
{
	memset(out, 0, sizeof *out);
	const trec_set *q = &qrels->set, *r = &run->set;
	size_t cap = 0;
	for (size_t i = 0; i < q->n; i = slice_end(q, i)) {
		size_t qhi = slice_end(q, i);
		size_t rlo = lower_bound_qid(r, q->v[i].qid), rhi = rlo;
		if (rlo < r->n && !strcmp(r->v[rlo].qid, q->v[i].qid))
			rhi = slice_end(r, rlo);
		XGROW(out->queries, cap, out->nqueries + 1);
		trec_query_scores *qs = &out->queries[out->nqueries++];
		qs->qid = q->v[i].qid;
		score_query(qs, &out->duplicates, q, i, qhi, r, rlo, rhi);
		out->mean.ndcg10 += qs->s.ndcg10;
		out->mean.map += qs->s.map;
		out->mean.recall100 += qs->s.recall100;
		out->mean.mrr10 += qs->s.mrr10;
	}
	if (out->nqueries) {
		double n = (double)out->nqueries;
		out->mean.ndcg10 /= n;
		out->mean.map /= n;
		out->mean.recall100 /= n;
		out->mean.mrr10 /= n;
	}
	for (size_t i = 0; i < r->n; i = slice_end(r, i)) {
		size_t lo = lower_bound_qid(q, r->v[i].qid);
		if (lo >= q->n || strcmp(q->v[lo].qid, r->v[i].qid))
			out->run_only_queries++;
	}
}

void trec_eval_result_free(trec_eval_result *res)
{
	if (!res)
		return;
	free(res->queries);
	memset(res, 0, sizeof *res);
}
