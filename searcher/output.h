/* Writing search results in the formats of `lede search --format`; the
 * schema is docs/output-format.md. */
#ifndef LEDE_OUTPUT_H
#define LEDE_OUTPUT_H

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
	const char *qid;      /* trec: the query id */
	int no_header;        /* csv/tsv: leave out the header row */
} output_ctx;

void output_results(const output_ctx *c, const lede_results *r);

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

#endif
