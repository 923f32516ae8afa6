/* Writing search results in the formats of `lede search --format`; the
 * schema is docs/output-format.md. */
#ifndef LEDE_OUTPUT_H
#define LEDE_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "lede.h"

/* Bump with any change of field names or meaning. */
#define OUTPUT_SCHEMA "lede.search/1"

typedef enum output_format {
	OUT_TEXT = 0, OUT_JSON, OUT_JSONL, OUT_CSV, OUT_TSV, OUT_TREC
} output_format;

/* The format named name, or -1. */
int output_format_parse(const char *name);

typedef struct output_ctx {
	FILE *out;
	output_format format;
	int color;            /* text: ANSI highlights (a tty without NO_COLOR) */
	unsigned facets;      /* lede_facet_field mask to print */
	const char *query;    /* for the json summary */
	const char *qid;      /* the query id of a batch (--queries): on every
	                         row and summary; trec: "1" when NULL */
	int no_header;        /* csv/tsv: leave out the header row */
	/* lede watch run: the watch's name on every row, with "updated" (an
	 * earlier version was indexed before) and "repeat" (generation at
	 * most repeat_upto: a run that died after writing may have shown
	 * it) */
	const char *watch;
	uint64_t repeat_upto;
	/* kept by the calls below */
	int header_done;      /* csv/tsv: the header row is out (once per
	                         stream, also over a batch) */
	uint64_t returned;    /* hits written since output_begin */
	uint64_t returned_articles; /* articles among them (--passages N) */
	int in_hits;          /* json: inside the "hits" array */
} output_ctx;

/* One search's results, whole: output_begin, output_page, output_end. */
void output_results(output_ctx *c, const lede_results *r);
/* The same in pieces, for results that come in pages (--limit all): what
 * goes before the first hit, the hits of each page (their facets and
 * totals are not read), then the summary, whose total and facets are
 * last's (total and exact give the total to print). Memory: a page at a
 * time. */
void output_begin(output_ctx *c);
void output_page(output_ctx *c, const lede_results *r);
void output_end(output_ctx *c, const lede_results *last, uint64_t total,
                int exact);
/* The lines that say how many matching articles have no date and how
 * many a date range left out for that; nothing for counts of 0. */
void output_undated_line(FILE *f, uint64_t undated, uint64_t outside);

#define OUTPUT_QUOTES_SCHEMA "lede.quotes/1"
/* lede quotes: the quote parts of r's hits that matched the query, one a
 * row, speaker first, in c's format. Returns how many. */
size_t output_quotes(const output_ctx *c, const lede_results *r);

struct json_t;
/* The lede.search/1 document that --format json prints (hits and
 * summary; c->out is not used). A new reference, owned by the caller
 * (json_decref). */
struct json_t *output_search_json(const output_ctx *c, const lede_results *r);

/* {"city": ["chicago il", ...], "agency": [...]}: entities grouped by type,
 * as every JSON output writes them. A new reference, owned by the caller
 * (json_decref). The jansson type is declared opaque here. */
struct json_t *output_entities_json(const lede_entity *e, size_t n);
/* {"karen bass": {"role": "mayor", "where": "los angeles ca"}}: the role
 * (and jurisdiction, when known) of each official that has one; a separate
 * object so that "entities" keeps its shape. A new reference, owned by the
 * caller. */
struct json_t *output_roles_json(const lede_entity *e, size_t n);
/* [{"speaker", "speaker_display", "role", "cue", "start", "end", "quote"}]
 * for quote parts q[0..n), byte offsets into the body. A new reference,
 * owned by the caller. */
struct json_t *output_quotes_json(const lede_quote *q, size_t n);

#endif
