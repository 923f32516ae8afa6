/* The query tree: what lede's query language parser (query_parse.c) makes of
 * what a user typed, before ranking turns it into a Xapian query. Words are
 * already analysed (folded, split as the indexer split them); entity field
 * values are kept raw because normalising them is the ranking code's job.
 * The grammar is documented in query_parse.c and docs/query-language.md. */
#ifndef LEDE_QUERY_AST_H
#define LEDE_QUERY_AST_H

#include <stddef.h>
#include <stdint.h>

#include "../common/strbuf.h"
#include "../indexer/analyzer.h"

typedef enum q_kind {
	Q_TERM = 0,   /* one analysed word: terms[0] */
	Q_PHRASE,     /* terms[0..nterms) in this order, adjacent; a quoted
	                 single word is a phrase of one term (match exactly) */
	Q_AND,        /* all kids (nkids >= 2) */
	Q_OR,         /* any kid (nkids >= 2) */
	Q_AND_NOT,    /* kids[0] but not kids[1] (nkids == 2) */
	Q_AND_MAYBE,  /* kids[0] required, kids[1] only adds weight (nkids == 2):
	                 "+ice raid" */
	Q_NEAR,       /* kids (Q_TERM or Q_PHRASE, nkids >= 2) within window
	                 words of each other, any order */
	Q_FIELD,      /* field:value; see q_field */
	Q_DATE        /* date:from..to; date_from/date_to */
} q_kind;

typedef enum q_field {
	QF_TITLE = 0, /* value analysed into kids[0] (Q_TERM or Q_PHRASE) */
	QF_CITY,      /* the rest: value kept raw for gazetteer_normalize */
	QF_OFFICIAL,
	QF_AGENCY,
	QF_RESPONSE,
	QF_STATE,
	QF_SOURCE,
	QF_LANG,
	QF_ROLE,      /* an official's role: "role:mayor", "role:\"ice director\"" */
	QF_QUOTE,     /* words inside direct quotes: analysed into kids[0] as
	                 title is */
	QF_SAID,      /* the speaker of a quote: "said:bass" */
	QF_NFIELDS
} q_field;

/* "title", "city", ...; a static string. */
const char *q_field_name(q_field f);
/* The field named s[0..len) (ASCII case ignored), or -1. */
int q_field_from_name(const char *s, size_t len);

/* One analysed word of the query. */
typedef struct q_term {
	char *text;        /* folded form, NUL-terminated; owned by the node */
	uint32_t len;      /* strlen(text) */
	uint32_t off, end; /* its bytes in the query text: [off, end) */
	uint8_t an_flags;  /* the analyzer's AN_* flags: AN_CAP marks a word
	                      capitalised in the query (exact proper names) */
	uint8_t an_kind;   /* an_kind */
	uint8_t stop;      /* 1 if a stop word in English or Spanish; kept, the
	                      ranking code decides what to do with it */
} q_term;

typedef struct q_node {
	q_kind kind;
	uint32_t off, end;      /* bytes of the query this node came from */

	q_term *terms;          /* Q_TERM (1), Q_PHRASE (>= 1); owned */
	size_t nterms;

	struct q_node **kids;   /* Q_AND, Q_OR, Q_AND_NOT, Q_AND_MAYBE, Q_NEAR,
	                           Q_FIELD title (1); owned */
	size_t nkids;
	size_t kids_cap;        /* allocated slots in kids */

	unsigned window;        /* Q_NEAR: NEAR/n, default 10 */

	q_field field;          /* Q_FIELD */
	char *value;            /* Q_FIELD: the value as typed, quotes removed,
	                           NUL-terminated; owned */
	size_t value_len;

	char date_from[9];      /* Q_DATE: "YYYYMMDD", or "" for an open end */
	char date_to[9];
} q_node;

/* Constructors used by the parser (and by tests). Each returns a new node
 * owned by the caller (free with q_node_free); never NULL. */
q_node *q_node_new(q_kind kind, uint32_t off, uint32_t end);
/* Append kid to a Q_AND/Q_OR/...; n takes ownership of kid. A kid of the
 * same kind as n (Q_AND in Q_AND, Q_OR in Q_OR) is merged into n, since
 * both operators are associative. */
void q_node_add_kid(q_node *n, q_node *kid);
/* Append a term; text[0..len) is copied. */
void q_node_add_term(q_node *n, const char *text, size_t len, uint32_t off,
                     uint32_t end, uint8_t an_flags, uint8_t tok_kind,
                     uint8_t stop);

/* Free n and everything under it; NULL is a no-op. */
void q_node_free(q_node *n);

/* Append an S-expression for n to out, for tests and --explain:
 *   ice  bass^ (capitalised)  the~ (stop word)
 *   (phrase soto^ martinez^)  (and a b)  (or a b)  (and_not a b)
 *   (and_maybe a b)  (near 5 ice raid)  (field city "L.A.")
 *   (field title "sanctuary city" (phrase sanctuary city))
 *   (date 20240101 20240630)  (date * 20240630) */
void q_node_dump(const q_node *n, strbuf *out);

/* What the snippet highlighter should mark: every term and phrase that is
 * not excluded (not under the right side of Q_AND_NOT), including NEAR
 * operands and title: values. A single term is a phrase of length 1. */
typedef struct q_highlight {
	const q_term *terms;    /* borrowed from the tree: valid until
	                           q_node_free of the root */
	size_t nterms;
} q_highlight;

typedef struct q_highlights {
	q_highlight *v;         /* owned; free with q_highlights_release */
	size_t n, cap;
} q_highlights;

#define Q_HIGHLIGHTS_INIT { NULL, 0, 0 }

/* Append the highlights of n to out; a single term already in out is not
 * added twice. */
void q_collect_highlights(const q_node *n, q_highlights *out);
void q_highlights_release(q_highlights *h);

/* The parser. */
typedef struct query_parse_opts {
	unsigned version;       /* QUERY_PARSE_OPTS_VERSION */
	int default_and;        /* 1: words without an operator must all match
	                           (--all); 0: any may match, BM25 ranks */
	unsigned max_depth;     /* parentheses nesting; 0 = 64 */
	size_t max_len;         /* query bytes; 0 = 4096 */
} query_parse_opts;

#define QUERY_PARSE_OPTS_VERSION 1
#define QUERY_PARSE_OPTS_INIT { QUERY_PARSE_OPTS_VERSION, 0, 0, 0 }
#define QUERY_MAX_DEPTH 64
#define QUERY_MAX_LEN 4096
#define QUERY_NEAR_DEFAULT 10
#define QUERY_NEAR_MAX 1000

/* Parse text[0..len) (UTF-8; NUL bytes count as spaces) with analyzer a.
 * opts may be NULL for the defaults. On success returns 0 and sets *out to
 * a tree owned by the caller (q_node_free). On error returns -1, sets *out
 * to NULL and appends one line to err (no newline):
 *   "column 14: expected ')' to close '(' at column 3"
 * Columns are 1-based and count characters (UTF-8 code points), so a caret
 * can be put under them; the q_term/q_node offsets are bytes. */
int query_parse(analyzer *a, const char *text, size_t len,
                const query_parse_opts *opts, q_node **out, strbuf *err);

#endif
