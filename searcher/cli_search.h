/* What `lede search` and `lede watch` share (cli_search.c): the parsed
 * search options and the search that streams every match. */
#ifndef LEDE_CLI_SEARCH_H
#define LEDE_CLI_SEARCH_H

#include "../common/strbuf.h"
#include "lede.h"
#include "output.h"

/* Options a command line may give, by getopt code: which were given. */
#define SEARCH_OPT_CODES 512

typedef struct search_args {
	const char *db;
	lede_search_opts so;
	output_ctx out;
	const char *queries_file;
	const char *by;          /* timeline: "month", "year", "auto" (NULL) */
	int all_hits;            /* --limit all: every match, in pages */
	strbuf query;
	int nargs;               /* arguments that are not options */
	const char *arg0;        /* the first of them (borrowed from argv) */
	unsigned char given[SEARCH_OPT_CODES];  /* getopt codes seen */
} search_args;

/* Parse the options and query of search, similar, timeline (and a
 * watch's saved ones) into a, which starts zeroed. Returns -1 to go on,
 * or an exit code (help printed, usage error reported as cmd's). What a
 * points to lives in argv's strings; release a->query after. */
int search_parse_args(const char *cmd, int argc, char **argv, search_args *a);

/* Search query with so and write the hits to out, every match of them
 * (so.offset on) with a->all_hits, in pages of bounded memory; else one
 * page. *found: whether anything matched. Returns LEDE_OK or the status
 * of the search that failed (db's message says why; nothing is written
 * when the first page fails). */
int search_stream(const char *cmd, lede_db *db, const char *query,
                  const lede_search_opts *so, int all_hits, output_ctx *out,
                  int *found);

#endif
