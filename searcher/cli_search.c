/* `lede search`, `lede similar` and `lede timeline`. */
#include <getopt.h>
#include <jansson.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "cli.h"
#include "cli_search.h"
#include "lede.h"
#include "output.h"

enum { OPT_SINCE = 256, OPT_UNTIL, OPT_K1, OPT_B, OPT_TITLE, OPT_PROX, OPT_FBW, OPT_DPH, OPT_EXPLAIN, OPT_NODEDUP,
       OPT_QUERIES, OPT_NOFB, OPT_BY, OPT_NOHEADER, OPT_SNIPPET, OPT_PLAIN,
       OPT_COUNT };

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
	{ "dph-weight", required_argument, NULL, OPT_DPH },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "no-feedback", no_argument, NULL, OPT_NOFB },
	{ "by", required_argument, NULL, OPT_BY },
	{ "no-header", no_argument, NULL, OPT_NOHEADER },
	{ "snippet-bytes", required_argument, NULL, OPT_SNIPPET },
	{ "plain", no_argument, NULL, OPT_PLAIN },
	{ "count", no_argument, NULL, OPT_COUNT },
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
	optind = 0;   /* glibc: start again, forgetting an earlier "+" mode */
	opterr = 0;   /* the unknown option is named below, once */
	while ((c = getopt_long(argc, argv, ":d:f:n:o:p:s:aF:h", search_longopts,
	                        NULL)) != -1) {
		if (c > 0 && c < SEARCH_OPT_CODES)
			a->given[c] = 1;
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
			if (strcmp(optarg, "all") == 0) {
				a->all_hits = 1;
				break;
			}
			if ((n = cli_parse_count(optarg)) < 0 || n > 10000)
				return cli_usage_error(cmd, "--limit needs a number from 0 "
				                       "(no hits: totals and facets only) "
				                       "to 10000, or all (every match)");
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
				                       "source, year, month, speaker, or all");
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
		case OPT_DPH:
			if (parse_double(cmd, "--dph-weight", optarg,
			                 &a->so.dph_weight))
				return EXIT_USAGE;
			if (a->so.dph_weight == 0)
				a->so.dph_weight = -1;   /* 0 on the command line: BM25 alone */
			break;
		case OPT_NOFB: a->so.no_feedback = 1; break;
		case OPT_EXPLAIN: a->so.explain = 1; break;
		case OPT_BY:
			if (strcmp(optarg, "month") && strcmp(optarg, "year") &&
			    strcmp(optarg, "auto"))
				return cli_usage_error(cmd, "--by takes month, year or "
				                       "auto");
			a->by = optarg;
			break;
		case OPT_NOHEADER: a->out.no_header = 1; break;
		case OPT_PLAIN: a->so.plain = 1; break;
		case OPT_COUNT: a->so.exact_total = 1; break;
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
	/* getopt moved the options before them in this copy of argv: the
	 * caller's argv[optind] need not be one */
	a->nargs = argc - optind;
	a->arg0 = optind < argc ? argv[optind] : NULL;
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
int search_parse_args(const char *cmd, int argc, char **argv, search_args *a)
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
static int found_any(const lede_results *r, const lede_search_opts *so)
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

/* Hits per page of --limit all: the memory of a page of dressed hits
 * (about 3 KB each with snippet and entities) at a time; each page is
 * a search from the first match, so fewer, bigger pages are faster. */
#define EXPORT_PAGE 1000

/* The lede program allocates with jemalloc, which keeps the pages freed
 * by a page of hits for ten seconds; Xapian's ranking of the next page is
 * bigger (it holds an entry for every match up to the page's end), so it
 * cannot reuse them, and an export's memory grew by about 2 KB a match
 * (36,000 matches: 80 MB, against 19 MB with the pages given back).
 * Weak: under another allocator (sanitizer builds) there is none, and
 * nothing to do. */
extern int mallctl(const char *name, void *oldp, size_t *oldlenp,
                   void *newp, size_t newlen) __attribute__((weak));

static void give_back_freed_pages(void)
{
	if (mallctl)
		mallctl("arena.4096.purge", NULL, NULL, NULL, 0);  /* all arenas */
}

int search_stream(const char *cmd, lede_db *db, const char *query,
                  const lede_search_opts *so, int all_hits, output_ctx *out,
                  int *found)
{
	lede_search_opts o = *so;
	*found = 0;
	if (all_hits) {
		/* the first page counts every match (the export goes through
		 * them all anyway), later pages neither count nor facet */
		o.limit = EXPORT_PAGE;
		o.count_only = 0;
		o.exact_total = 1;
	}
	lede_results *first = NULL, *r = NULL;
	int began = 0;
	for (;;) {
		int st = lede_search(&r, db, query, &o);
		if (st != LEDE_OK) {
			/* a page that fails after others were written ends the
			 * output where it is: the error says why */
			lede_results_free(first);
			return st;
		}
		print_warnings(cmd, r);
		if (!began) {
			output_begin(out);
			began = 1;
		}
		output_page(out, r);
		size_t n = lede_results_count(r);
		if (!first) {
			first = r;
			*found = found_any(r, so);
		} else {
			lede_results_free(r);
			give_back_freed_pages();
		}
		/* a page of fewer hits than asked is the last (a damaged
		 * passage skipped with a warning may end it early) */
		if (!all_hits || n < EXPORT_PAGE)
			break;
		fflush(out->out);
		o.offset += EXPORT_PAGE;
		o.facets = 0;
		o.exact_total = 0;
		/* The fusion with DPH re-orders BM25's best offset + limit, so
		 * page k fused over k pages would move hits across the pages
		 * before it (one lost, another twice). The first page is the
		 * fused order of BM25's best EXPORT_PAGE, the same set as
		 * BM25's; the pages after it go on in BM25's order. */
		o.dph_weight = -1;
	}
	output_end(out, first, lede_results_total(first),
	           lede_results_total_exact(first));
	lede_results_free(first);
	return 0;
}

/* Print the results of a search (or its error) and give the exit code: 0
 * with matches, 1 without. */
static int finish(const char *cmd, lede_db *db, const char *query,
                  search_args *a)
{
	int any = 0;
	int st = search_stream(cmd, db, query, &a->so, a->all_hits, &a->out,
	                       &any);
	return st ? report(cmd, db, st) : any ? EXIT_RESULTS : EXIT_NONE;
}

/* One query of a batch file: the id and the text (pointing into the
 * line read), or a reason it is not one. */
typedef struct batch_line {
	char *id, *query;
	const char *why;
} batch_line;

/* A CSV field starting at *p (quoted with "" for a quote, or bare up to
 * the next comma), unquoted in place; *p moves past it and its comma.
 * NULL when a quote is not closed. */
static char *csv_field_at(char **p)
{
	char *s = *p, *out = s, *start = s;
	if (*s != '"') {
		char *comma = strchr(s, ',');
		*p = comma ? comma + 1 : s + strlen(s);
		if (comma)
			*comma = '\0';
		return start;
	}
	for (s++;; s++) {
		if (!*s)
			return NULL;
		if (*s == '"') {
			if (s[1] != '"')
				break;
			s++;
		}
		*out++ = *s;
	}
	s++;   /* past the closing quote */
	if (*s && *s != ',')
		return NULL;
	*p = *s ? s + 1 : s;
	*out = '\0';
	return start;
}

static void batch_parse(char *line, int csv, batch_line *b)
{
	b->id = b->query = NULL;
	b->why = NULL;
	if (csv) {
		char *p = line;
		b->id = csv_field_at(&p);
		b->query = b->id ? csv_field_at(&p) : NULL;
		if (!b->id || !b->query)
			b->why = "expected id,query (a quote is not closed)";
		else if (*p)
			b->why = "expected id,query (more fields than two; quote "
			         "a query that holds a comma)";
	} else {
		char *tab = strchr(line, '\t');
		if (!tab) {
			b->why = "expected id<TAB>query";
			return;
		}
		*tab = '\0';
		b->id = line;
		b->query = tab + 1;
	}
	if (!b->why && !*b->id)
		b->why = "no query id";
	else if (!b->why && !*b->query)
		b->why = "no query after the id";
}

/* Whether line is the CSV header "id,query" (any case, quoted or not). */
static int csv_header(const char *line)
{
	return strcasecmp(line, "id,query") == 0 ||
	       strcasecmp(line, "\"id\",\"query\"") == 0;
}

/* A rejected line of a batch: "lede search: FILE:LINE: ID: reason" on
 * stderr, and a record of it in json and jsonl output, so that a reader
 * of the output sees every id. */
static void batch_reject(search_args *a, unsigned long lineno,
                         const char *id, const char *why)
{
	fprintf(stderr, "lede search: %s:%lu: %s%s%s\n", a->queries_file, lineno,
	        id && *id ? id : "", id && *id ? ": " : "", why);
	if (a->out.format != OUT_JSON && a->out.format != OUT_JSONL)
		return;
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("error"));
	json_object_set_new(o, "schema", json_string(OUTPUT_SCHEMA));
	if (id && *id)
		json_object_set_new(o, "qid", json_string(id));
	json_object_set_new(o, "line", json_integer((json_int_t)lineno));
	json_object_set_new(o, "error", json_string(why));
	json_dumpf(o, a->out.out, JSON_COMPACT);
	fputc('\n', a->out.out);
	json_decref(o);
}

/* --queries FILE: "id<TAB>query" lines, or a CSV whose first line is the
 * header "id,query"; each query searched in turn, its id on every row and
 * summary of its output. A line that is not a query, or a malformed
 * query, is reported with its line and id and the rest still run (exit
 * 4 at the end); a database error (a dead or stopped remote shard, a
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
	int any = 0, bad = 0, csv = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1 && csv_header(line)) {
			csv = 1;
			continue;
		}
		if (!len)
			continue;
		if (memchr(line, '\0', (size_t)len)) {
			batch_reject(a, lineno, NULL, "a NUL byte in the line");
			bad = 1;
			continue;
		}
		batch_line b;
		batch_parse(line, csv, &b);
		if (b.why) {
			batch_reject(a, lineno, b.id, b.why);
			bad = 1;
			continue;
		}
		a->out.qid = b.id;
		a->out.query = b.query;
		/* a query that cannot run has written nothing */
		int found = 0;
		int st = search_stream("search", db, b.query, &a->so, a->all_hits,
		                       &a->out, &found);
		if (st == LEDE_EQUERY || st == LEDE_EUSAGE) {
			batch_reject(a, lineno, b.id, lede_errmsg(db));
			bad = 1;
			continue;
		}
		if (st != LEDE_OK) {
			report("search", db, st);
			fprintf(stderr, "lede search: %s: stopped at line %lu (%s): "
			        "the database failed, not the query\n",
			        a->queries_file, lineno, b.id);
			bad = EXIT_DB;
			break;
		}
		any |= found;
		/* each query's results as they come, for a reader downstream */
		fflush(a->out.out);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return bad == EXIT_DB ? EXIT_DB : bad ? EXIT_REJECTED
	       : any ? EXIT_RESULTS : EXIT_NONE;
}

int cli_search(int argc, char **argv)
{
	search_args a = { 0 };
	int rc = search_parse_args("search", argc, argv, &a);
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
		rc = finish("search", db, sb_cstr(&a.query), &a);
	}
	lede_close(db);
	sb_release(&a.query);
	return rc;
}

/* lede quotes: search the passages that hold quotes, list the quotes
 * that match (said: names the speaker; words must stand in the quote). */
int cli_quotes(int argc, char **argv)
{
	search_args a = { 0 };
	int rc = search_parse_args("quotes", argc, argv, &a);
	if (rc >= 0) {
		sb_release(&a.query);
		return rc;
	}
	if (a.query.len == 0) {
		sb_release(&a.query);
		return cli_usage_error("quotes", "no QUERY given");
	}
	if (a.queries_file || a.so.count_only || a.all_hits) {
		sb_release(&a.query);
		return cli_usage_error("quotes", "--queries, -n 0 and -n all are for "
		                       "search");
	}
	lede_db *db;
	if ((rc = open_db("quotes", a.db, &db)) != 0) {
		sb_release(&a.query);
		return rc;
	}
	a.so.quotes_only = 1;
	/* an article's quotes are in several passages */
	if (a.so.passages <= 1)
		a.so.passages = 5;
	lede_results *r;
	int st = lede_search(&r, db, sb_cstr(&a.query), &a.so);
	if (st != LEDE_OK) {
		rc = report("quotes", db, st);
	} else {
		print_warnings("quotes", r);
		rc = output_quotes(&a.out, r) ? EXIT_RESULTS : EXIT_NONE;
		lede_results_free(r);
	}
	lede_close(db);
	sb_release(&a.query);
	return rc;
}

int cli_similar(int argc, char **argv)
{
	search_args a = { 0 };
	int rc = search_parse_args("similar", argc, argv, &a);
	if (rc >= 0) {
		sb_release(&a.query);
		return rc;
	}
	if (a.nargs != 1) {
		sb_release(&a.query);
		return cli_usage_error("similar", "expected one article ID");
	}
	if (a.all_hits || a.queries_file) {
		sb_release(&a.query);
		return cli_usage_error("similar", "--limit all and --queries are "
		                       "for lede search");
	}
	lede_db *db;
	if ((rc = open_db("similar", a.db, &db)) != 0) {
		sb_release(&a.query);
		return rc;
	}
	lede_results *r;
	int st = lede_similar(&r, db, a.arg0, &a.so);
	if (st != LEDE_OK) {
		rc = report("similar", db, st);
	} else {
		print_warnings("similar", r);
		output_results(&a.out, r);
		rc = found_any(r, &a.so) ? EXIT_RESULTS : EXIT_NONE;
		lede_results_free(r);
	}
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

/* A run of at least this many empty periods is one line of the text
 * chart ("... 37 empty months ..."): an archive of 1987 and 2024 is two
 * bars, not 450 lines of nothing. */
#define TIMELINE_FOLD 3
/* --by auto: months when the dated matches span at most this many months
 * (four years: at most 48 bars), years beyond. */
#define TIMELINE_AUTO_MONTHS 48

/* The valid periods of facet bit of r, sorted, into *out (malloc()ed,
 * caller frees); a period that is not one is reported and left out. */
static size_t timeline_periods(const lede_results *r, unsigned bit,
                               lede_facet_value **out, uint64_t *sum)
{
	int by_month = bit == LEDE_FACET_MONTH;
	size_t nfv;
	const lede_facet_value *fv = lede_results_facet(r, bit, &nfv);
	lede_facet_value *v = xmalloc((nfv ? nfv : 1) * sizeof *v);
	size_t n = 0;
	*sum = 0;
	/* the library leaves damaged dates out; a period that is still not
	 * one is reported here, never walked to */
	for (size_t j = 0; j < nfv; j++) {
		if (period_number(fv[j].value, by_month) < 0) {
			fprintf(stderr, "lede timeline: warning: a stored date gives "
			        "the period '%.16s', which is not one: left out\n",
			        fv[j].value);
		} else {
			*sum += fv[j].count;
			v[n++] = fv[j];
		}
	}
	if (n)
		qsort(v, n, sizeof *v, period_cmp);
	*out = v;
	return n;
}

int cli_timeline_write(FILE *f, output_format fmt, const char *by,
                       const lede_results *r)
{
	lede_facet_value *years, *months;
	uint64_t in_years, in_months;
	size_t ny = timeline_periods(r, LEDE_FACET_YEAR, &years, &in_years);
	size_t nm = timeline_periods(r, LEDE_FACET_MONTH, &months, &in_months);
	int by_month;
	if (by && strcmp(by, "auto") != 0)
		by_month = strcmp(by, "month") == 0;
	else
		by_month = nm > 0 &&
		           period_number(months[nm - 1].value, 1) -
		           period_number(months[0].value, 1) < TIMELINE_AUTO_MONTHS;
	lede_facet_value *v = by_month ? months : years;
	size_t n = by_month ? nm : ny;
	/* dated by year only: in a year, in no month */
	uint64_t year_only = by_month && in_years > in_months
	                     ? in_years - in_months : 0;
	uint64_t undated = lede_results_undated(r);
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].count > max)
			max = v[i].count;
	const char *label = by_month ? "month" : "year";
	if (fmt == OUT_CSV || fmt == OUT_TSV)
		fprintf(f, "%s%c%s\n", label, fmt == OUT_TSV ? '\t' : ',',
		        "articles");
	else if (fmt == OUT_JSON || fmt == OUT_JSONL)
		fprintf(f, "{\"schema\":\"lede.timeline/1\",\"by\":\"%s\",\"periods\":[",
		        label);
	/* every period from the first to the last, empty ones too (folded
	 * in text): at most 9999 years of 12 months */
	char period[16] = "";
	size_t i = 0;
	int first = 1;
	long k = n ? period_number(v[0].value, by_month) : 0;
	while (i < n) {
		uint64_t count = 0;
		long next = period_number(v[i].value, by_month);
		if (next == k)
			count = v[i++].count;
		else if (fmt == OUT_TEXT && next - k >= TIMELINE_FOLD) {
			fprintf(f, "\xe2\x80\xa6 %ld empty %ss \xe2\x80\xa6\n", next - k,
			        label);
			k = next;
			continue;
		}
		period_name(k, by_month, period);
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
	if (fmt == OUT_JSON || fmt == OUT_JSONL) {
		fprintf(f, "],\"total\":%llu,\"undated\":%llu",
		        (unsigned long long)lede_results_total(r),
		        (unsigned long long)undated);
		if (by_month)
			fprintf(f, ",\"year_only\":%llu", (unsigned long long)year_only);
		fputs("}\n", f);
	} else if (fmt == OUT_TEXT) {
		fprintf(f, "%llu matching articles\n",
		        (unsigned long long)lede_results_total(r));
		if (year_only)
			fprintf(f, "%llu dated by year only (in no month; --by year "
			        "counts them)\n", (unsigned long long)year_only);
		output_undated_line(f, undated, 0);
	}
	int found = n || undated || year_only;
	free(years);
	free(months);
	return found;
}

int cli_timeline(int argc, char **argv)
{
	search_args a = { 0 };
	int rc = search_parse_args("timeline", argc, argv, &a);
	if (rc >= 0) {
		sb_release(&a.query);
		return rc;
	}
	if (a.query.len == 0) {
		sb_release(&a.query);
		return cli_usage_error("timeline", "no QUERY given");
	}
	/* both, so that auto can choose and a month chart can say how many
	 * articles are dated by their year only */
	a.so.facets = LEDE_FACET_YEAR | LEDE_FACET_MONTH;
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
	rc = cli_timeline_write(stdout, a.out.format, a.by, r) ? EXIT_RESULTS
	                                                    : EXIT_NONE;
	lede_results_free(r);
	lede_close(db);
	sb_release(&a.query);
	return rc;
}
