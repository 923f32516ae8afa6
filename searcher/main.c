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
	  "allowed); role: narrows officials by role (official:bass role:mayor);\n"
	  "quote:word or quote:\"a phrase\" inside direct quotes, said:NAME quotes\n"
	  "by a speaker.\n"
	  "  -n, --limit N        hits to show (default 10; 0: only the total\n"
	  "                       and facets; all: every match, streamed)\n"
	  "  -o, --offset N       skip N hits (paging)\n"
	  "  -p, --passages N     passages per article (default 1), grouped under\n"
	  "                       their article, best first; -n counts articles\n"
	  "  -s, --sort S         relevance (default), date, -date (newest first)\n"
	  "  -a, --all            every word required\n"
	  "      --since D        YYYY, YYYY-MM or YYYY-MM-DD\n"
	  "      --until D        inclusive\n"
	  "      --no-dedup       show syndicated copies separately\n"
	  "  -F, --facets LIST    city,state,official,agency,response,source,year,\n"
	  "                       month,speaker or all: counts over every matching\n"
	  "                       article (speaker: the articles quoting each)\n"
	  "  -f, --format F       text, json, jsonl, csv, tsv, trec\n"
	  "      --count          count every match: an exact total (else\n"
	  "                       \"about N\" when it is an estimate)\n"
	  "      --queries FILE   run each \"id<TAB>query\" line of FILE, or each\n"
	  "                       row of a CSV with the header id,query; every\n"
	  "                       row and summary carries the id\n"
	  "      --plain          the query is plain text: no operators or fields\n"
	  "      --k1 X --b X --title-weight X   ranking parameters\n"
	  "      --proximity W    weight of adjacent words in short queries\n"
	  "                       (default 0.3; 0: off)\n"
	  "      --feedback-weight W  weight of feedback terms (default 0.15; 0: off)\n"
	  "      --dph-weight W  weight of DPH fused with BM25 (default 1; 0: BM25 alone)\n"
	  "      --explain        each hit's matched terms and what each weighs\n"
	  "      --snippet-bytes N  snippet length (default 240)\n"
	  "      --no-header      csv/tsv without the header row\n"
	  "Exit: 0 results, 1 no results, 2 malformed query or usage, 3 database,\n"
	  "4 some --queries lines were rejected (FILE:LINE: ID: reason; the rest ran)." },
	{ "quotes", cli_quotes,
	  "lede quotes [-d DB] [search options] QUERY...",
	  "The direct quotes that match QUERY, speaker first, from the passages\n"
	  "that hold quotes (docs/quote-guidelines.md). said:NAME keeps a speaker's\n"
	  "quotes (said:bass, said:\"home office\"); the query's words must stand\n"
	  "inside the quote (quote:word, quote:\"a phrase\" also search only quotes\n"
	  "in lede search). Options as lede search: -n N passages searched\n"
	  "(default 10), -p N of them per article (default 5); -f text, json,\n"
	  "jsonl, csv, tsv, trec (schema lede.quotes/1 in docs/output-format.md).\n"
	  "Exit: 0 quotes listed, 1 none, 2 malformed query or usage, 3 database." },
	{ "watch", cli_watch,
	  "lede watch add|list|rm|run [-d DB] [--format F] [--no-header] [NAME] [QUERY [search options]]",
	  "Saved searches that print what is new in the index (for cron).\n"
	  "  lede watch add NAME QUERY [search options]   save a search; matches\n"
	  "                       indexed from now on are its new ones\n"
	  "  lede watch list      every watch: its search and the generation seen\n"
	  "  lede watch rm NAME...\n"
	  "  lede watch run [NAME...]   print every match indexed since each watch\n"
	  "                       (all of them when no NAME) last ran, each hit\n"
	  "                       with its watch; updated articles count as new\n"
	  "                       and say updated\n"
	  "  -d, --db DIR         database (default $LEDE_DB, else ./lede.db)\n"
	  "  -f, --format F       watch run: text, json, jsonl, csv, tsv\n"
	  "      --no-header      watch run: csv/tsv without the header row\n"
	  "New means written by an index generation (a committed batch of lede\n"
	  "index) after the one the watch has seen. A run moves the watch on only\n"
	  "after its output is written and flushed: a run that is killed shows\n"
	  "the same matches again next time, marked repeat (at least once, never\n"
	  "lost, never repeated unmarked). Writing a watch takes the write lock,\n"
	  "waiting up to LEDE_LOCK_WAIT seconds (default 30) for an indexer.\n"
	  "Exit: 0 something new, 1 nothing new, 2 usage or no such watch,\n"
	  "3 database (locked, or an index that keeps no generations)." },
	{ "show", cli_show,
	  "lede show [-d DB] [--format text|json] ID",
	  "Print one article: its metadata, entities and whole text." },
	{ "similar", cli_similar,
	  "lede similar [-d DB] [search options] ID",
	  "Articles like article ID (more like this), from its most telling terms." },
	{ "timeline", cli_timeline,
	  "lede timeline [-d DB] [--by auto|month|year] [--format text|csv|tsv|json] QUERY...",
	  "Matching articles per month or year as a bar chart, every period from the\n"
	  "first to the last (three or more empty ones in a row: one line), then the\n"
	  "number of matches, how many have no date and, by month, how many are\n"
	  "dated by their year only. Takes the filtering options of search.\n"
	  "      --by B           auto (default: months for a span of at most 48\n"
	  "                       months, else years), month or year" },
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
