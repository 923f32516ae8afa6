/* The `lede` command line: one function per subcommand, each taking the
 * arguments after the subcommand's name and returning the exit code of
 * ../shared/DESIGN.md (0 results, 1 none, 2 usage, 3 database, 4 some
 * inputs rejected). Only these functions print or decide exit codes. */
#ifndef LEDE_CLI_H
#define LEDE_CLI_H

#include <stdio.h>

#include "lede.h"
#include "output.h"

enum {
	EXIT_RESULTS = 0,
	EXIT_NONE = 1,
	EXIT_USAGE = 2,
	EXIT_DB = 3,
	EXIT_REJECTED = 4
};

int cli_index(int argc, char **argv);
int cli_rm(int argc, char **argv);
int cli_compact(int argc, char **argv);
int cli_search(int argc, char **argv);
int cli_similar(int argc, char **argv);
int cli_quotes(int argc, char **argv);
int cli_timeline(int argc, char **argv);
int cli_show(int argc, char **argv);
int cli_stats(int argc, char **argv);
int cli_watch(int argc, char **argv);
int cli_serve(int argc, char **argv);

/* The lede.article/1 object that `lede show --format json` prints. A new
 * reference, owned by the caller (json_decref). */
struct json_t *cli_article_json(const lede_article *a);
/* The timeline of r (a search that asked for the facets LEDE_FACET_YEAR
 * and LEDE_FACET_MONTH with facet_limit 0) to f as `lede timeline --by
 * BY --format fmt` prints it (by "month", "year", or NULL or "auto": by
 * month when the matches span at most four years): text bars, csv/tsv
 * rows, or the lede.timeline/1 object (json, jsonl). Returns whether
 * there was anything to count (a period, an undated match). */
int cli_timeline_write(FILE *f, output_format fmt, const char *by,
                       const lede_results *r);

/* The help text of a subcommand (NULL: the overview), to out. Returns 0, or
 * 2 for an unknown command. */
int cli_help(const char *cmd, FILE *out);

/* -d DIR, else $LEDE_DB, else ./lede.db. Static or borrowed. */
const char *cli_db_path(const char *given);
/* "lede CMD: message" on stderr, then a pointer to `lede help CMD`;
 * returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Exit code for a lede_status. */
int cli_exit_for(int status);
/* Parse a non-negative integer option; -1 when not one. */
long cli_parse_count(const char *s);

#endif
