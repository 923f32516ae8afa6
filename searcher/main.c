/* The `lede` program: dispatch to a subcommand, and the help texts. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lede.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
} command;

static const command commands[] = {
	{ "index", cli_index,
	  "lede index [-d DB] [--format F] [--lang L] [--source NAME] [--commit-every N] [--quiet] PATH...",
	  "Read articles from files, directories (recursively) or - (standard input)\n"
	  "and add them to the database, creating it if needed. Formats by extension:\n"
	  ".txt (first line the title, optional Key: value header lines), mail and\n"
	  "Usenet posts, .json/.jsonl/.ndjson, .csv/.tsv with a header row, .html,\n"
	  ".rss/.atom/.xml feeds, and any of these gzipped (.gz).\n"
	  "Re-indexing an article with the same id replaces it; unchanged articles are\n"
	  "skipped. A bad record is reported on one line (file, line, reason) and\n"
	  "skipped; the rest goes in.\n"
	  "  -d, --db DIR          database (default $LEDE_DB, else ./lede.db)\n"
	  "  -f, --format F        txt, json, jsonl, csv, tsv, html, rss, atom\n"
	  "  -l, --lang L          language of every article (en, es, or any\n"
	  "                        Snowball language); default: given or detected\n"
	  "  -s, --source NAME     source of the articles that name none (default:\n"
	  "                        the host of their URL)\n"
	  "  -c, --commit-every N  articles per committed batch (default 2000)\n"
	  "      --no-sync         skip the sync to disk at the end (batches are\n"
	  "                        committed as they go; a crash keeps them)\n"
	  "      --passage-words N target passage length in words (default 500;\n"
	  "                        paragraphs shorter than a fifth of it are merged)\n"
	  "  -q, --quiet           no progress and no summary line\n"
	  "Exit: 0 done, 3 database error (locked, incompatible), 4 some inputs\n"
	  "were rejected (the rest was indexed)." },
	{ "search", cli_search,
	  "lede search [-d DB] [options] QUERY...",
	  "Find the passages that best match QUERY, best passage per article.\n"
	  "Query language (docs/query-language.md): words (ranked), \"phrases\",\n"
	  "AND OR NOT, -word +word, ( ), a NEAR/5 b, title: city: official: agency:\n"
	  "response: state: source: lang: role:, date:2024-01..2024-06 (open ends\n"
	  "allowed); role: narrows officials by role (official:bass role:mayor).\n"
	  "  -n, --limit N        hits to show (default 10; 0: only the total\n"
	  "                       and facets)\n"
	  "  -o, --offset N       skip N hits (paging)\n"
	  "  -p, --passages N     passages per article (default 1)\n"
	  "  -s, --sort S         relevance (default), date, -date (newest first)\n"
	  "  -a, --all            every word required\n"
	  "      --since D        YYYY, YYYY-MM or YYYY-MM-DD\n"
	  "      --until D        inclusive\n"
	  "      --no-dedup       show syndicated copies separately\n"
	  "  -F, --facets LIST    city,state,official,agency,response,source,year,\n"
	  "                       month or all: counts over every matching article\n"
	  "  -f, --format F       text, json, jsonl, csv, tsv, trec\n"
	  "      --queries FILE   run each \"qid<TAB>query\" line of FILE\n"
	  "      --plain          the query is plain text: no operators or fields\n"
	  "      --k1 X --b X --title-weight X   ranking parameters\n"
	  "      --proximity W    weight of adjacent words in short queries\n"
	  "                       (default 0.3; 0: off)\n"
	  "      --feedback-weight W  weight of feedback terms (default 0.15; 0: off)\n"
	  "      --explain        each hit's matched terms and what each weighs\n"
	  "      --snippet-bytes N  snippet length (default 240)\n"
	  "      --no-header      csv/tsv without the header row\n"
	  "Exit: 0 results, 1 no results, 2 malformed query or usage, 3 database." },
	{ "show", cli_show,
	  "lede show [-d DB] [--format text|json] ID",
	  "Print one article: its metadata, entities and whole text." },
	{ "similar", cli_similar,
	  "lede similar [-d DB] [search options] ID",
	  "Articles like article ID (more like this), from its most telling terms." },
	{ "timeline", cli_timeline,
	  "lede timeline [-d DB] [--by month|year] [--format text|csv|tsv|json] QUERY...",
	  "Matching articles per month (or year) as a bar chart, every period from\n"
	  "the first to the last shown, empty ones too." },
	{ "stats", cli_stats,
	  "lede stats [-d DB] [--format text|json] [--top N]",
	  "Articles, passages, terms, size on disk, languages, and the most\n"
	  "mentioned cities, states, officials, agencies and federal responses." },
	{ "serve", cli_serve,
	  "lede serve [-d DB] [--port N] [--bind ADDR] [--threads N]",
	  "Serve a web page for searching the database, read-only: the query\n"
	  "language in one box, ranked passages with highlights, entity chips and\n"
	  "facets that filter, a timeline of matches per month, articles with\n"
	  "their entities and similar articles, and a JSON API (/api/search,\n"
	  "/api/article, /api/timeline, /api/similar: the lede.search/1,\n"
	  "lede.article/1 and lede.timeline/1 objects). Runs until interrupted.\n"
	  "  -d, --db DIR        database (default $LEDE_DB, else ./lede.db)\n"
	  "  -p, --port N        port (default 8080; 0: any free port, printed)\n"
	  "  -b, --bind ADDR     address to listen on (default 127.0.0.1; any\n"
	  "                      other lets the network read the archive)\n"
	  "  -t, --threads N     worker threads, one database handle each\n"
	  "                      (default 4)\n"
	  "Exit: 0 when stopped (SIGINT, SIGTERM), 2 usage, 3 cannot listen." },
	{ "rm", cli_rm,
	  "lede rm [-d DB] ID...",
	  "Remove articles (and their passages) by id." },
	{ "compact", cli_compact,
	  "lede compact [-d DB]",
	  "Rewrite the database with full B-tree blocks: after a bulk load about\n"
	  "half the size on disk, and faster to search. Holds the write lock\n"
	  "throughout; the compacted copy is built beside it (DB.compacting)\n"
	  "and swapped in with one atomic rename, so searches keep working and\n"
	  "an interrupted run leaves the database as it was.\n"
	  "Exit: 0 done, 3 database (locked, missing, not lede's, disk full)." },
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

int cli_help(const char *cmd, FILE *out)
{
	if (!cmd) {
		fprintf(out, "lede %s — full-text search for news archives\n\n"
		        "usage: lede COMMAND [options] [args]\n\ncommands:\n",
		        lede_version());
		for (size_t i = 0; i < NCOMMANDS; i++)
			fprintf(out, "  %s\n", commands[i].usage);
		fprintf(out, "  lede help [COMMAND]\n  lede --version\n\n"
		        "The database is -d DIR, else $LEDE_DB, else ./lede.db.\n"
		        "Exit codes: 0 results, 1 no results, 2 usage, 3 database,\n"
		        "4 some inputs rejected.\n");
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(cmd, commands[i].name) == 0) {
			fprintf(out, "usage: %s\n\n%s\n", commands[i].usage,
			        commands[i].help);
			return 0;
		}
	fprintf(stderr, "lede help: no command '%s' (try: lede help)\n", cmd);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cli_help(NULL, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("lede %s\ndefaults: %s\n", lede_version(), lede_defaults());
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		return cli_help(NULL, stdout);
	if (strcmp(cmd, "help") == 0)
		return cli_help(argc > 2 ? argv[2] : NULL, stdout);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "lede: no command '%s' (try: lede help)\n", cmd);
	return EXIT_USAGE;
}
