/* `lede watch`: saved searches that print what is new in the index since
 * they last ran (for cron). The state is the library's (lede_watch_*);
 * here, what a watch searches (its query and search options, kept as its
 * spec) and the order of a run that makes it at-least-once. */
#include <getopt.h>
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

/* A spec is the arguments after the name, one a line, a newline in one
 * written "\n" and a backslash "\\". */
static void spec_encode(strbuf *out, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		for (const char *c = argv[i]; *c; c++) {
			if (*c == '\n')
				sb_addstr(out, "\\n");
			else if (*c == '\\')
				sb_addstr(out, "\\\\");
			else
				sb_addch(out, *c);
		}
		sb_addch(out, '\n');
	}
}

/* The spec's arguments as an argv of *argc strings after argv[0] = cmd,
 * NULL-ended; one malloc()ed block the caller frees. */
static char **spec_decode(const char *spec, const char *cmd, int *argc)
{
	size_t n = 1, len = strlen(spec);
	for (const char *c = spec; *c; c++)
		n += *c == '\n';
	char **v = xcalloc(n + 2, sizeof *v);
	char *text = xcalloc(len + strlen(cmd) + 2, 1);
	strcpy(text, cmd);
	v[0] = text;
	char *out = text + strlen(cmd) + 1;
	int k = 1;
	v[k] = out;
	for (const char *c = spec; *c; c++) {
		if (*c == '\n') {
			*out++ = '\0';
			v[++k] = out;
		} else if (*c == '\\' && (c[1] == 'n' || c[1] == '\\')) {
			*out++ = *++c == 'n' ? '\n' : '\\';
		} else {
			*out++ = *c;
		}
	}
	v[k] = NULL;   /* the spec ends in a newline: no argument after it */
	*argc = k;
	return v;
}

/* The options of a search that make no sense saved: how to print is
 * given to watch run, and a watch prints every new match. */
static const struct {
	int code;
	const char *name;
} not_saved[] = {
	{ 'd', "-d/--db (give it before the name)" },
	{ 'f', "--format (give it to watch run)" },
	{ 'n', "--limit (a watch prints every new match)" },
	{ 'o', "--offset" },
	{ 'F', "--facets" },
};

/* Parse a watch's saved arguments into a (as search_parse_args). Returns
 * -1 to go on or an exit code. */
static int parse_spec(const char *cmd, const char *spec, search_args *a,
                      char ***argv_out)
{
	int argc;
	char **argv = spec_decode(spec, cmd, &argc);
	*argv_out = argv;
	int rc = search_parse_args(cmd, argc, argv, a);
	if (rc >= 0)
		return rc;
	for (size_t i = 0; i < sizeof not_saved / sizeof *not_saved; i++)
		if (a->given[not_saved[i].code])
			return cli_usage_error(cmd, "%s is not for a saved search",
			                       not_saved[i].name);
	if (a->queries_file || a->so.explain || a->out.no_header ||
	    a->so.exact_total)
		return cli_usage_error(cmd, "--queries, --explain, --no-header "
		                       "and --count are not for a saved search");
	if (a->query.len == 0)
		return cli_usage_error(cmd, "no QUERY given");
	return -1;
}

static void free_spec_args(char **argv)
{
	if (argv)
		free(argv[0]);
	free(argv);
}

static int db_error(const char *cmd, lede_db *db, int rc)
{
	fprintf(stderr, "lede %s: %s\n", cmd, lede_errmsg(db));
	return rc == LEDE_ENOTFOUND ? EXIT_USAGE : cli_exit_for(rc);
}

/* The watch's options before its name (-d DB, and for run --format,
 * --no-header), then the rest. Returns -1 to go on or an exit code. */
typedef struct watch_args {
	const char *db;
	output_format format;
	int no_header;
	int first;   /* index of the first argument after the options */
} watch_args;

static int parse_watch_opts(const char *cmd, int argc, char **argv, int run,
                            watch_args *w)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	w->db = NULL;
	w->format = OUT_TEXT;
	w->no_header = 0;
	optind = 0;   /* glibc: a fresh scan, in this call's mode */
	opterr = 0;
	int c;
	/* "+": stop at the name, so that the search options after it are
	 * the watch's */
	while ((c = getopt_long(argc, argv, "+:d:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': w->db = optarg; break;
		case 'f': {
			int f = output_format_parse(optarg);
			if (!run || f < 0 || f == OUT_TREC)
				return cli_usage_error("watch", "%s", run
				                       ? "--format takes text, json, jsonl, "
				                         "csv or tsv"
				                       : "--format goes with watch run");
			w->format = (output_format)f;
			break;
		}
		case 'H':
			if (!run)
				return cli_usage_error("watch", "--no-header goes with "
				                       "watch run");
			w->no_header = 1;
			break;
		case 'h': cli_help("watch", stdout); return 0;
		case ':':
			return cli_usage_error("watch", "%s needs a value",
			                       argv[optind - 1]);
		default:
			return cli_usage_error("watch", "unknown option %s for watch "
			                       "%s", argv[optind - 1], cmd);
		}
	}
	w->first = optind;
	return -1;
}

static int open_watch_db(const char *path, lede_db **db)
{
	int rc = lede_open(db, cli_db_path(path));
	if (rc != LEDE_OK) {
		fprintf(stderr, "lede watch: %s\n", *db ? lede_errmsg(*db)
		                                       : "out of memory");
		lede_close(*db);
		*db = NULL;
		return cli_exit_for(rc);
	}
	return 0;
}

static int watch_add(int argc, char **argv)
{
	watch_args w;
	int rc = parse_watch_opts("add", argc, argv, 0, &w);
	if (rc >= 0)
		return rc;
	if (argc - w.first < 2)
		return cli_usage_error("watch", "watch add needs a NAME and a QUERY");
	const char *name = argv[w.first];
	strbuf spec = STRBUF_INIT;
	spec_encode(&spec, argc - w.first - 1, argv + w.first + 1);
	/* the saved arguments must parse, and the query with them */
	search_args a = { 0 };
	char **sargv = NULL;
	rc = parse_spec("watch", sb_cstr(&spec), &a, &sargv);
	lede_db *db = NULL;
	if (rc < 0 && (rc = open_watch_db(w.db, &db)) == 0) {
		lede_results *r = NULL;
		lede_search_opts probe = a.so;
		probe.count_only = 1;
		int st = lede_search(&r, db, sb_cstr(&a.query), &probe);
		lede_results_free(r);
		if (st == LEDE_OK)
			st = lede_watch_add(NULL, db, name, sb_cstr(&spec));
		rc = st == LEDE_OK ? 0 : db_error("watch", db, st);
		if (st == LEDE_EUSAGE || st == LEDE_EQUERY)
			rc = EXIT_USAGE;
		if (st == LEDE_ENOTFOUND)   /* no generations: the index's state */
			rc = EXIT_DB;
	}
	if (rc == 0)
		fprintf(stderr, "lede watch: added %s: matches indexed from now on "
		        "(lede watch run %s)\n", name, name);
	lede_close(db);
	free_spec_args(sargv);
	sb_release(&a.query);
	sb_release(&spec);
	return rc;
}

/* The spec as one line for people: the arguments, quoted when they hold
 * a space. */
static void print_spec(FILE *f, const char *spec)
{
	int argc;
	char **argv = spec_decode(spec, "watch", &argc);
	for (int i = 1; i < argc; i++) {
		int q = strpbrk(argv[i], " \t\n\"'") != NULL || !*argv[i];
		fprintf(f, "%s%s", i > 1 ? " " : "", q ? "'" : "");
		for (const char *c = argv[i]; *c; c++) {
			if (*c == '\'')
				fputs("'\\''", f);
			else if (*c == '\n')
				fputs("\\n", f);
			else
				fputc(*c, f);
		}
		if (q)
			fputc('\'', f);
	}
	free_spec_args(argv);
}

static int watch_list(int argc, char **argv)
{
	watch_args w;
	int rc = parse_watch_opts("list", argc, argv, 0, &w);
	if (rc >= 0)
		return rc;
	if (argc > w.first)
		return cli_usage_error("watch", "watch list takes no arguments");
	lede_db *db;
	if ((rc = open_watch_db(w.db, &db)) != 0)
		return rc;
	lede_watch **v;
	size_t n;
	int st = lede_watch_list(&v, &n, db);
	if (st != LEDE_OK) {
		rc = db_error("watch", db, st);
		lede_close(db);
		return rc;
	}
	uint64_t gen = 0;
	int has_gen = lede_generation(db, &gen) == LEDE_OK;
	for (size_t i = 0; i < n; i++) {
		printf("%s\tseen generation %llu", v[i]->name,
		       (unsigned long long)v[i]->seen);
		if (has_gen && gen > v[i]->seen)
			printf(" of %llu", (unsigned long long)gen);
		if (v[i]->pending)
			printf(" (a run up to %llu did not finish: its matches "
			       "come again, marked repeat)",
			       (unsigned long long)v[i]->pending);
		fputc('\t', stdout);
		print_spec(stdout, v[i]->spec);
		fputc('\n', stdout);
	}
	lede_watch_list_free(v, n);
	lede_close(db);
	return n ? EXIT_RESULTS : EXIT_NONE;
}

static int watch_rm(int argc, char **argv)
{
	watch_args w;
	int rc = parse_watch_opts("rm", argc, argv, 0, &w);
	if (rc >= 0)
		return rc;
	if (argc <= w.first)
		return cli_usage_error("watch", "watch rm needs a NAME");
	lede_db *db;
	if ((rc = open_watch_db(w.db, &db)) != 0)
		return rc;
	for (int i = w.first; i < argc && rc == 0; i++) {
		int st = lede_watch_remove(db, argv[i]);
		if (st != LEDE_OK)
			rc = db_error("watch", db, st);
	}
	lede_close(db);
	return rc;
}

/* Run one watch: begin (pending := now, committed), write every new
 * match, flush, done (seen := now, committed). *any: something was
 * new. Returns 0 or an exit code. */
static int run_one(lede_db *db, lede_watch *wt, const watch_args *w,
                   uint64_t now, int *header_done, int *any)
{
	search_args a = { 0 };
	char **sargv = NULL;
	int rc = parse_spec("watch", wt->spec, &a, &sargv);
	if (rc >= 0) {
		fprintf(stderr, "lede watch: watch %s: its saved search no longer "
		        "parses (above); remove it and add it again\n", wt->name);
		free_spec_args(sargv);
		sb_release(&a.query);
		return rc;
	}
	rc = 0;
	/* what a run that died after writing may have shown already */
	uint64_t repeat_upto = wt->pending;
	uint64_t after = wt->seen;
	if (now < wt->seen) {
		fprintf(stderr, "lede watch: watch %s: the index is at generation "
		        "%llu, below the %llu this watch has seen: it was rebuilt; "
		        "everything in it counts as new\n", wt->name,
		        (unsigned long long)now, (unsigned long long)wt->seen);
		after = 0;
		repeat_upto = 0;
	}
	if (now == after && !wt->pending) {
		free_spec_args(sargv);
		sb_release(&a.query);
		if (w->format == OUT_JSON || w->format == OUT_JSONL)
			printf("{\"type\":\"summary\",\"schema\":\"%s\",\"watch\":\"%s\","
			       "\"total\":0,\"total_exact\":true,\"returned\":0}\n",
			       OUTPUT_SCHEMA, wt->name);
		return 0;
	}
	int st = lede_watch_begin(db, wt, now);
	if (st == LEDE_OK) {
		lede_search_opts so = a.so;
		so.after_generation = after;
		so.upto_generation = now;
		output_ctx out = { 0 };
		out.out = stdout;
		out.format = w->format;
		out.no_header = w->no_header;
		out.header_done = *header_done;
		out.color = a.out.color;
		out.query = sb_cstr(&a.query);
		out.watch = wt->name;
		out.repeat_upto = repeat_upto;
		int found = 0;
		st = search_stream("watch", db, sb_cstr(&a.query), &so, 1, &out,
		                   &found);
		*header_done = out.header_done;
		*any |= found;
		/* the state moves only once the output is out: written, flushed
		 * and, for a file, on disk */
		if (st == LEDE_OK && (fflush(stdout) != 0 || ferror(stdout))) {
			fprintf(stderr, "lede watch: watch %s: cannot write the "
			        "output; the watch is as it was\n", wt->name);
			rc = EXIT_DB;
		} else if (st == LEDE_OK) {
			fsync(fileno(stdout));
			st = lede_watch_done(db, wt);
		}
	}
	if (st != LEDE_OK)
		rc = db_error("watch", db, st);
	free_spec_args(sargv);
	sb_release(&a.query);
	return rc;
}

static int watch_run(int argc, char **argv)
{
	watch_args w;
	int rc = parse_watch_opts("run", argc, argv, 1, &w);
	if (rc >= 0)
		return rc;
	lede_db *db;
	if ((rc = open_watch_db(w.db, &db)) != 0)
		return rc;
	uint64_t now = 0;
	int st = lede_generation(db, &now);
	if (st != LEDE_OK) {   /* no generations: the database's state */
		rc = db_error("watch", db, st);
		lede_close(db);
		return st == LEDE_ENOTFOUND ? EXIT_DB : rc;
	}
	lede_watch **v = NULL;
	size_t n = 0;
	if (argc == w.first) {
		st = lede_watch_list(&v, &n, db);
		if (st == LEDE_OK && n == 0) {
			fprintf(stderr, "lede watch: no watches in %s (lede watch add "
			        "NAME QUERY)\n", cli_db_path(w.db));
			lede_close(db);
			return EXIT_NONE;
		}
	} else {
		n = (size_t)(argc - w.first);
		v = xcalloc(n, sizeof *v);
		for (size_t i = 0; i < n && st == LEDE_OK; i++)
			st = lede_watch_get(&v[i], db, argv[w.first + (int)i]);
	}
	if (st != LEDE_OK) {   /* a name that is no watch: usage (2) */
		rc = db_error("watch", db, st);
		lede_watch_list_free(v, n);
		lede_close(db);
		return rc;
	}
	int any = 0, header_done = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = run_one(db, v[i], &w, now, &header_done, &any);
	lede_watch_list_free(v, n);
	lede_close(db);
	return rc ? rc : any ? EXIT_RESULTS : EXIT_NONE;
}

int cli_watch(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("watch", "expected add, list, rm or run");
	const char *sub = argv[1];
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
		return cli_help("watch", stdout);
	if (strcmp(sub, "add") == 0)
		return watch_add(argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return watch_list(argc - 1, argv + 1);
	if (strcmp(sub, "rm") == 0)
		return watch_rm(argc - 1, argv + 1);
	if (strcmp(sub, "run") == 0)
		return watch_run(argc - 1, argv + 1);
	return cli_usage_error("watch", "no watch command '%s' (add, list, rm, "
	                       "run)", sub);
}
