/* `lede index` and `lede rm`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/dir_bytes.h"
#include "../common/escape.h"
#include "../common/strbuf.h"
#include "../indexer/indexer.h"
#include "cli.h"

/* One line per rejection, whatever the file name or the reason holds: a
 * name may carry a newline or an escape sequence too, and a reason from a
 * library caller's own reader may not have been escaped. esc_line is its
 * own escape, so reasons the readers escaped pass through unchanged. */
static void print_reject(const char *path, uint64_t line, const char *reason,
                         void *ctx)
{
	(void)ctx;
	strbuf out = STRBUF_INIT;
	sb_addstr(&out, "lede index: ");
	esc_line_str(&out, path, 0);
	if (line)
		sb_addf(&out, ":%llu", (unsigned long long)line);
	sb_addstr(&out, ": ");
	esc_line_str(&out, reason, ESC_LINE_MAX);
	sb_addch(&out, '\n');
	fwrite(out.buf, 1, out.len, stderr);
	sb_release(&out);
}

/* A record indexed only in part: the same line, marked a warning. */
static void print_warn(const char *path, uint64_t line, const char *reason,
                       void *ctx)
{
	strbuf r = STRBUF_INIT;
	sb_addstr(&r, "warning: ");
	sb_addstr(&r, reason);
	print_reject(path, line, sb_cstr(&r), ctx);
	sb_release(&r);
}

int cli_index(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "source", required_argument, NULL, 's' },
		{ "commit-every", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-sync", no_argument, NULL, 'S' },
		{ "passage-words", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	indexer_opts o = INDEXER_OPTS_INIT;
	const char *db = NULL;
	int quiet = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:f:l:s:c:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'f': {
			int f = corpus_format_from_name(optarg);
			if (f < 0)
				return cli_usage_error("index", "unknown format '%s' "
				                       "(txt, json, jsonl, csv, tsv, html, "
				                       "rss, atom)", optarg);
			o.format = (corpus_format)f;
			break;
		}
		case 'l': o.lang = optarg; break;
		case 's': o.source = optarg; break;
		case 'c': {
			long n = cli_parse_count(optarg);
			if (n <= 0)
				return cli_usage_error("index", "--commit-every needs a "
				                       "positive number, not '%s'", optarg);
			o.commit_every = (unsigned)n;
			break;
		}
		case 'P': {
			long n = cli_parse_count(optarg);
			if (n < 10)
				return cli_usage_error("index", "--passage-words needs a "
				                       "number of at least 10");
			o.passages.target_words = (size_t)n;
			o.passages.max_words = (size_t)n * 8 / 5;
			o.passages.min_words = (size_t)n / 5;
			break;
		}
		case 'q': quiet = 1; break;
		case 'S': o.no_sync = 1; break;
		case 'h': cli_help("index", stdout); return 0;
		default: return cli_usage_error("index", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("index", "no PATH to index (a file, a "
		                       "directory, or - for standard input)");
	o.db_path = cli_db_path(db);
	o.progress = !quiet && isatty(2);
	o.on_reject = print_reject;
	o.on_warn = print_warn;
	indexer_summary s;
	strbuf err = STRBUF_INIT;
	int rc = indexer_run(&o, argv + optind, argc - optind, &s, &err);
	if (rc != 0) {
		fprintf(stderr, "lede index: %s\n", sb_cstr(&err));
		sb_release(&err);
		return EXIT_DB;
	}
	sb_release(&err);
	if (!quiet)
		fprintf(stderr, "lede index: %llu new, %llu updated, %llu "
		        "unchanged, %llu rejected articles (%llu near-duplicate "
		        "copies); %llu passages; %.2f s, %.1f MB/s\n",
		        (unsigned long long)s.added, (unsigned long long)s.updated,
		        (unsigned long long)s.unchanged,
		        (unsigned long long)s.rejected, (unsigned long long)s.copies,
		        (unsigned long long)s.passages, s.seconds,
		        s.seconds > 0 ? s.bytes / 1e6 / s.seconds : 0.0);
	return s.rejected ? EXIT_REJECTED : 0;
}

/* Options of a command that takes only -d DB: *db set, and -1 to go on,
 * or the exit code to return (help shown, bad option). */
static int db_only_opts(const char *cmd, int argc, char **argv,
                        const char **db)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	*db = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': *db = optarg; break;
		case 'h': cli_help(cmd, stdout); return 0;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	return -1;
}

int cli_rm(int argc, char **argv)
{
	const char *db;
	int done = db_only_opts("rm", argc, argv, &db);
	if (done >= 0)
		return done;
	if (optind >= argc)
		return cli_usage_error("rm", "no article ID given");
	uint64_t removed = 0;
	strbuf err = STRBUF_INIT;
	int rc = indexer_remove(cli_db_path(db), argv + optind, argc - optind,
	                        &removed, &err);
	if (err.len)
		fprintf(stderr, "lede rm: %s%s", sb_cstr(&err),
		        err.buf[err.len - 1] == '\n' ? "" : "\n");
	sb_release(&err);
	if (rc != 0)
		return EXIT_DB;
	fprintf(stderr, "lede rm: removed %llu article%s\n",
	        (unsigned long long)removed, removed == 1 ? "" : "s");
	return removed ? 0 : EXIT_NONE;
}

int cli_compact(int argc, char **argv)
{
	const char *db;
	int done = db_only_opts("compact", argc, argv, &db);
	if (done >= 0)
		return done;
	if (optind < argc)
		return cli_usage_error("compact", "unexpected '%s'", argv[optind]);
	const char *path = cli_db_path(db);
	uint64_t before = dir_file_bytes(path);
	strbuf err = STRBUF_INIT;
	int rc = indexer_compact(path, &err);
	if (err.len)
		fprintf(stderr, "lede compact: %s\n", sb_cstr(&err));
	sb_release(&err);
	if (rc != 0)
		return EXIT_DB;
	fprintf(stderr, "lede compact: %s: %.1f MB -> %.1f MB\n", path,
	        (double)before / 1e6, (double)dir_file_bytes(path) / 1e6);
	return 0;
}
