/* `lede search`, `lede similar` and `lede timeline`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "cli.h"
#include "lede.h"
#include "output.h"

typedef struct search_args {
	const char *db;
	lede_search_opts so;
	output_ctx out;
	const char *queries_file;
	const char *by;          /* timeline: "month" or "year" */
	strbuf query;
} search_args;

enum { OPT_SINCE = 256, OPT_UNTIL, OPT_K1, OPT_B, OPT_TITLE, OPT_PROX, OPT_FBW, OPT_EXPLAIN, OPT_NODEDUP,
       OPT_QUERIES, OPT_NOFB, OPT_BY, OPT_NOHEADER, OPT_SNIPPET, OPT_PLAIN };

static const struct option search_longopts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, 'f' },
	{ "limit", required_argument, NULL, 'n' },
	{ "offset", required_argument, NULL, 'o' },
	{ "passages", required_argument, NULL, 'p' },
	{ "sort", required_argument, NULL, 's' },
	{ "all", no_argument, NULL, 'a' },
	{ "facets", required_argument, NULL, 'F' },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "no-dedup", no_argument, NULL, OPT_NODEDUP },
	{ "queries", required_argument, NULL, OPT_QUERIES },
	{ "k1", required_argument, NULL, OPT_K1 },
	{ "b", required_argument, NULL, OPT_B },
	{ "title-weight", required_argument, NULL, OPT_TITLE },
	{ "proximity", required_argument, NULL, OPT_PROX },
	{ "feedback-weight", required_argument, NULL, OPT_FBW },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "no-feedback", no_argument, NULL, OPT_NOFB },
	{ "by", required_argument, NULL, OPT_BY },
	{ "no-header", no_argument, NULL, OPT_NOHEADER },
	{ "snippet-bytes", required_argument, NULL, OPT_SNIPPET },
	{ "plain", no_argument, NULL, OPT_PLAIN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int parse_double(const char *cmd, const char *opt, const char *s,
                        double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (*end || !(v >= 0) || v > 1000)
		return cli_usage_error(cmd, "%s needs a number from 0 to 1000, not "
		                       "'%s'", opt, s);
	*out = v;
	return 0;
}

/* Parse the options of search, similar and timeline. Returns -1 to go on,
 * or an exit code. */
/* An argument that starts with '-' but holds a space ('-drill raid') is a
 * query, never an option: move each such argument after a "--" at the
 * end, keeping their order, so that getopt leaves them to the query.
 * argv is rearranged in place; it has room for the "--" (argv[argc] is
 * the NULL the caller's array ends with, replaced here and restored by
 * the caller's copy). Returns the new argc. */
static int queries_after_options(int argc, char **argv, char **spare)
{
	int nq = 0;
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && strpbrk(argv[i], " \t"))
			nq++;
	if (nq == 0)
		return argc;
	int k = 1, q = 0;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && strpbrk(argv[i], " \t"))
			spare[q++] = argv[i];
		else
			argv[k++] = argv[i];
	}
	argv[k++] = "--";
	for (int i = 0; i < q; i++)
		argv[k++] = spare[i];
	argv[k] = NULL;
	return k;
}

static int parse_args_in(const char *cmd, int argc, char **argv,
                         search_args *a)
{
	lede_search_opts init = LEDE_SEARCH_OPTS_INIT;
	a->so = init;
	a->out.out = stdout;
	a->out.format = OUT_TEXT;
	const char *no_color = getenv("NO_COLOR");
	a->out.color = isatty(1) && !(no_color && *no_color);
	int c;
	long n;
	optind = 1;
	opterr = 0;   /* the unknown option is named below, once */
	while ((c = getopt_long(argc, argv, ":d:f:n:o:p:s:aF:h", search_longopts,
	                        NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'f': {
			int f = output_format_parse(optarg);
			if (f < 0)
				return cli_usage_error(cmd, "unknown format '%s' (text, json, "
				                       "jsonl, csv, tsv, trec)", optarg);
			a->out.format = (output_format)f;
			break;
		}
		case 'n':
			if ((n = cli_parse_count(optarg)) < 0 || n > 10000)
				return cli_usage_error(cmd, "--limit needs a number from 0 "
				                       "(no hits: totals and facets only) "
				                       "to 10000");
			if (n == 0)
				a->so.count_only = 1;
			else
				a->so.limit = (unsigned)n;
			break;
		case 'o':
			if ((n = cli_parse_count(optarg)) < 0)
				return cli_usage_error(cmd, "--offset needs a number");
			a->so.offset = (unsigned)n;
			break;
		case 'p':
			if ((n = cli_parse_count(optarg)) < 1 || n > 1000)
				return cli_usage_error(cmd, "--passages needs a number from "
				                       "1 to 1000");
			a->so.passages = (unsigned)n;
			break;
		case 's':
			if (strcmp(optarg, "date") == 0)
				a->so.sort = LEDE_SORT_DATE_ASC;
			else if (strcmp(optarg, "-date") == 0)
				a->so.sort = LEDE_SORT_DATE_DESC;
			else if (strcmp(optarg, "relevance") == 0)
				a->so.sort = LEDE_SORT_RELEVANCE;
			else
				return cli_usage_error(cmd, "--sort takes date, -date or "
				                       "relevance");
			break;
		case 'a': a->so.match_all = 1; break;
		case 'F': {
			int m = lede_facet_parse(optarg);
			if (m < 0)
				return cli_usage_error(cmd, "--facets takes a list of city, "
				                       "state, official, agency, response, "
				                       "source, year, month, or all");
			a->so.facets = (unsigned)m;
			a->out.facets = (unsigned)m;
			break;
		}
		case OPT_SINCE: a->so.since = optarg; break;
		case OPT_UNTIL: a->so.until = optarg; break;
		case OPT_NODEDUP: a->so.no_dedup = 1; break;
		case OPT_QUERIES: a->queries_file = optarg; break;
		case OPT_K1:
			if (parse_double(cmd, "--k1", optarg, &a->so.bm25_k1))
				return EXIT_USAGE;
			break;
		case OPT_B:
			if (parse_double(cmd, "--b", optarg, &a->so.bm25_b) ||
			    a->so.bm25_b > 1)
				return cli_usage_error(cmd, "--b needs a number from 0 to 1");
			break;
		case OPT_TITLE:
			if (parse_double(cmd, "--title-weight", optarg,
			                 &a->so.title_weight))
				return EXIT_USAGE;
			break;
		case OPT_PROX:
			if (parse_double(cmd, "--proximity", optarg,
			                 &a->so.proximity_weight))
				return EXIT_USAGE;
			if (a->so.proximity_weight == 0)
				a->so.proximity_weight = -1;   /* 0 on the command line: off */
			break;
		case OPT_FBW:
			if (parse_double(cmd, "--feedback-weight", optarg,
			                 &a->so.feedback_weight))
				return EXIT_USAGE;
			if (a->so.feedback_weight == 0)
				a->so.no_feedback = 1;   /* 0 on the command line: off */
			break;
		case OPT_NOFB: a->so.no_feedback = 1; break;
		case OPT_EXPLAIN: a->so.explain = 1; break;
		case OPT_BY:
			if (strcmp(optarg, "month") && strcmp(optarg, "year"))
				return cli_usage_error(cmd, "--by takes month or year");
			a->by = optarg;
			break;
		case OPT_NOHEADER: a->out.no_header = 1; break;
		case OPT_PLAIN: a->so.plain = 1; break;
		case OPT_SNIPPET:
			if ((n = cli_parse_count(optarg)) < 20 || n > 100000)
				return cli_usage_error(cmd, "--snippet-bytes needs a number "
				                       "from 20 to 100000");
			a->so.snippet_bytes = (unsigned)n;
			break;
		case 'h': cli_help(cmd, stdout); return 0;
		case ':':
			return cli_usage_error(cmd, "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(cmd, "unknown option %s (a query that "
			                       "starts with '-' goes after --: lede %s "
			                       "-- -word)", argv[optind - 1], cmd);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			sb_addch(&a->query, ' ');
		sb_addstr(&a->query, argv[i]);
	}
	a->out.query = sb_cstr(&a->query);
	/* A run file needs ids and scores only, and lists every article:
	 * judgments are per article, so a near-duplicate copy is a result of
	 * its own (it ranks right by its original, having the same text);
	 * folding is for a person reading the list. */
	if (a->out.format == OUT_TREC) {
		a->so.ids_only = 1;
		a->so.no_dedup = 1;
	}
	return -1;
}

/* parse_args_in on a copy of argv with room for the "--" that
 * queries_after_options may add; what a takes from argv points into the
 * strings, not the array, so the copy goes when parsing is done. */
static int parse_args(const char *cmd, int argc, char **argv, search_args *a)
{
	char **av = xcalloc((size_t)argc + 2, sizeof *av);
	char **spare = xcalloc((size_t)argc + 1, sizeof *spare);
	for (int i = 0; i < argc; i++)
		av[i] = argv[i];
	int n = queries_after_options(argc, av, spare);
	int rc = parse_args_in(cmd, n, av, a);
	free(spare);
	free(av);
	return rc;
}

static int open_db(const char *cmd, const char *path, lede_db **db)
{
	int rc = lede_open(db, cli_db_path(path));
	if (rc != LEDE_OK) {
		fprintf(stderr, "lede %s: %s\n", cmd, *db ? lede_errmsg(*db)
		                                          : "out of memory");
		lede_close(*db);
		*db = NULL;
		return cli_exit_for(rc);
	}
	return 0;
}

static int report(const char *cmd, lede_db *db, int rc)
{
	fprintf(stderr, "lede %s: %s\n", cmd, lede_errmsg(db));
	return cli_exit_for(rc);
}

/* Whether a search found something: hits, or for -n 0 a total. */
static int found(const lede_results *r, const lede_search_opts *so)
{
	return lede_results_count(r) > 0 ||
	       (so->count_only && lede_results_total(r) > 0);
}

/* The search's warnings on stderr, one "lede CMD: warning: ..." each. */
static void print_warnings(const char *cmd, const lede_results *r)
{
	const char *w = lede_results_warnings(r);
	while (*w) {
		const char *nl = strchr(w, '\n');
		int n = nl ? (int)(nl - w) : (int)strlen(w);
		fprintf(stderr, "lede %s: warning: %.*s\n", cmd, n, w);
		w += n + (nl != NULL);
	}
}

/* Print the results of a search that returned st (or its error), free
 * them, and give the exit code: 0 with matches, 1 without. */
static int finish(const char *cmd, lede_db *db, int st, const output_ctx *out,
                  const lede_search_opts *so, lede_results *r)
{
	if (st != LEDE_OK)
		return report(cmd, db, st);
	print_warnings(cmd, r);
	output_results(out, r);
	int rc = found(r, so) ? EXIT_RESULTS : EXIT_NONE;
	lede_results_free(r);
	return rc;
}

/* --queries FILE: one "qid<TAB>query" per line, each searched in turn (for
 * evaluation and batch work). A bad query is reported and skipped (exit
 * 2 at the end); a database error (a dead or stopped remote shard, a
 * damaged index) stops the batch at once with exit 3: the next query
 * would only wait out the same timeout and fail the same way. */
static int run_batch(search_args *a, lede_db *db)
{
	FILE *f = strcmp(a->queries_file, "-") == 0 ? stdin
	          : fopen(a->queries_file, "r");
	if (!f) {
		fprintf(stderr, "lede search: %s: cannot open\n", a->queries_file);
		return EXIT_USAGE;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int any = 0, bad = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab || !*(tab + 1)) {
			if (len)
				fprintf(stderr, "lede search: %s:%lu: expected "
				        "qid<TAB>query\n", a->queries_file, lineno);
			continue;
		}
		*tab = '\0';
		a->out.qid = line;
		a->out.query = tab + 1;
		lede_results *r;
		int rc = lede_search(&r, db, tab + 1, &a->so);
		if (rc != LEDE_OK) {
			fprintf(stderr, "lede search: %s:%lu: %s\n", a->queries_file,
			        lineno, lede_errmsg(db));
			if (rc == LEDE_EQUERY || rc == LEDE_EUSAGE) {
				bad = 1;
				continue;
			}
			fprintf(stderr, "lede search: %s: stopped at line %lu: the "
			        "database failed, not the query\n", a->queries_file,
			        lineno);
			bad = EXIT_DB;
			break;
		}
		any |= found(r, &a->so);
		print_warnings("search", r);
		output_results(&a->out, r);
		/* each query's results as they come, for a reader downstream */
		fflush(a->out.out);
		lede_results_free(r);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return bad == EXIT_DB ? EXIT_DB : bad ? EXIT_USAGE
	       : any ? EXIT_RESULTS : EXIT_NONE;
}

int cli_search(int argc, char **argv)
{
	search_args a = { 0 };
	int rc = parse_args("search", argc, argv, &a);
	if (rc >= 0) {
		sb_release(&a.query);
		return rc;
	}
	if (!a.queries_file && a.query.len == 0) {
		sb_release(&a.query);
		return cli_usage_error("search", "no QUERY given");
	}
	lede_db *db;
	if ((rc = open_db("search", a.db, &db)) != 0) {
		sb_release(&a.query);
		return rc;
	}
	if (a.queries_file) {
		/* a batch counts facets many times: read their values once */
		if (a.so.facets && lede_warm(db, a.so.facets) != LEDE_OK)
			fprintf(stderr, "lede search: %s\n", lede_errmsg(db));
		rc = run_batch(&a, db);
	} else {
		lede_results *r;
		int st = lede_search(&r, db, sb_cstr(&a.query), &a.so);
		rc = finish("search", db, st, &a.out, &a.so, r);
	}
	lede_close(db);
	sb_release(&a.query);
	return rc;
}

int cli_similar(int argc, char **argv)
{
	search_args a = { 0 };
	int rc = parse_args("similar", argc, argv, &a);
	if (rc >= 0) {
		sb_release(&a.query);
		return rc;
	}
	if (argc - optind != 1) {
		sb_release(&a.query);
		return cli_usage_error("similar", "expected one article ID");
	}
	lede_db *db;
	if ((rc = open_db("similar", a.db, &db)) != 0) {
		sb_release(&a.query);
		return rc;
	}
	lede_results *r;
	int st = lede_similar(&r, db, argv[optind], &a.so);
	rc = finish("similar", db, st, &a.out, &a.so, r);
	lede_close(db);
	sb_release(&a.query);
	return rc;
}

/* A period "YYYY" or "YYYY-MM" as a number that counts up by one per
 * period (years, or months since year 0), or -1 when it is not one: the
 * walk from the first period to the last goes by these numbers, so it
 * ends, whatever the stored dates were. */
static long period_number(const char *p, int by_month)
{
	size_t n = strlen(p);
	if (n != (by_month ? 7u : 4u))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (i == 4 ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
			return -1;
	long y = atol(p);
	if (y < 1 || y > 9999)
		return -1;
	if (!by_month)
		return y;
	long m = atol(p + 5);
	return m >= 1 && m <= 12 ? y * 12 + m - 1 : -1;
}

/* k is a period_number: 9999-12 at most */
static void period_name(long k, int by_month, char out[16])
{
	unsigned u = (unsigned)k % 120000u;
	if (by_month)
		snprintf(out, 16, "%04u-%02u", u / 12 % 10000u, u % 12 + 1);
	else
		snprintf(out, 16, "%04u", u % 10000u);
}

static int period_cmp(const void *x, const void *y)
{
	return strcmp(((const lede_facet_value *)x)->value,
	              ((const lede_facet_value *)y)->value);
}

size_t cli_timeline_write(FILE *f, output_format fmt, unsigned bit,
                          const lede_results *r)
{
	int by_month = bit == LEDE_FACET_MONTH;
	size_t nfv;
	const lede_facet_value *fv = lede_results_facet(r, bit, &nfv);
	lede_facet_value *v = malloc((nfv ? nfv : 1) * sizeof *v);
	size_t n = 0;
	/* the library leaves damaged dates out; a period that is still not
	 * one is reported here, never walked to */
	for (size_t j = 0; j < nfv; j++) {
		if (period_number(fv[j].value, by_month) < 0)
			fprintf(stderr, "lede timeline: warning: a stored date gives "
			        "the period '%.16s', which is not one: left out\n",
			        fv[j].value);
		else
			v[n++] = fv[j];
	}
	if (n)
		qsort(v, n, sizeof *v, period_cmp);
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].count > max)
			max = v[i].count;
	const char *label = bit == LEDE_FACET_YEAR ? "year" : "month";
	if (fmt == OUT_CSV || fmt == OUT_TSV)
		fprintf(f, "%s%c%s\n", label, fmt == OUT_TSV ? '\t' : ',',
		        "articles");
	else if (fmt == OUT_JSON || fmt == OUT_JSONL)
		fprintf(f, "{\"schema\":\"lede.timeline/1\",\"by\":\"%s\",\"periods\":[",
		        label);
	/* every period from the first to the last, empty ones too: at most
	 * 9999 years of 12 months */
	char period[16] = "";
	size_t i = 0;
	int first = 1;
	long k = n ? period_number(v[0].value, by_month) : 0;
	while (i < n) {
		uint64_t count = 0;
		period_name(k, by_month, period);
		if (period_number(v[i].value, by_month) == k)
			count = v[i++].count;
		switch (fmt) {
		case OUT_CSV:
		case OUT_TSV:
			fprintf(f, "%s%c%llu\n", period,
			        fmt == OUT_TSV ? '\t' : ',',
			        (unsigned long long)count);
			break;
		case OUT_JSON:
		case OUT_JSONL:
			fprintf(f, "%s{\"period\":\"%s\",\"articles\":%llu}",
			        first ? "" : ",", period, (unsigned long long)count);
			break;
		default: {
			int width = max ? (int)(count * 50 / max) : 0;
			if (count && !width)
				width = 1;
			fprintf(f, "%-7s %6llu ", period, (unsigned long long)count);
			for (int b = 0; b < width; b++)
				fputs("\xe2\x96\x88", f);
			fputc('\n', f);
		}
		}
		first = 0;
		k++;
	}
	if (fmt == OUT_JSON || fmt == OUT_JSONL)
		fprintf(f, "],\"total\":%llu}\n",
		        (unsigned long long)lede_results_total(r));
	free(v);
	return n;
}

int cli_timeline(int argc, char **argv)
{
	search_args a = { 0 };
	int rc = parse_args("timeline", argc, argv, &a);
	if (rc >= 0) {
		sb_release(&a.query);
		return rc;
	}
	if (a.query.len == 0) {
		sb_release(&a.query);
		return cli_usage_error("timeline", "no QUERY given");
	}
	unsigned bit = a.by && strcmp(a.by, "year") == 0 ? LEDE_FACET_YEAR
	                                                  : LEDE_FACET_MONTH;
	a.so.facets = bit;
	a.so.facet_limit = 0;
	a.so.limit = 1;
	lede_db *db;
	if ((rc = open_db("timeline", a.db, &db)) != 0) {
		sb_release(&a.query);
		return rc;
	}
	lede_results *r;
	int st = lede_search(&r, db, sb_cstr(&a.query), &a.so);
	if (st != LEDE_OK) {
		rc = report("timeline", db, st);
		lede_close(db);
		sb_release(&a.query);
		return rc;
	}
	print_warnings("timeline", r);
	size_t n = cli_timeline_write(stdout, a.out.format, bit, r);
	rc = n ? EXIT_RESULTS : EXIT_NONE;
	lede_results_free(r);
	lede_close(db);
	sb_release(&a.query);
	return rc;
}
