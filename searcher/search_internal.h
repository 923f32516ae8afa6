/* What the files of searcher/ share behind include/lede.h: the database
 * handle and the article record as stored. Not part of the public API. */
#ifndef LEDE_SEARCH_INTERNAL_H
#define LEDE_SEARCH_INTERNAL_H

#include "lede.h"

#include "../common/strbuf.h"
#include "../indexer/analyzer.h"
#include "../indexer/entities.h"
#include "../shim/lx.h"
#include "query_ast.h"

struct lede_db {
	lx_db *db;
	analyzer *an;
	gazetteer *gaz;      /* loaded on first need (entity fields) */
	char *langs;         /* languages of the index, "en,es"; owned */
	char *path;          /* as opened; owned */
	strbuf remotes;      /* "host:port, ..." of the stub's remote shards */
	unsigned nremotes;   /* how many */
	strbuf local_shards; /* a stub's local shard directories, each
	                        followed by "\n" ("" when not a stub) */
	strbuf err;
};

/* Set db's message (printf-style) and return status. */
int lede_fail(lede_db *db, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The lede status for a shim error code. */
int lede_status_from_lx(int lxcode);
/* Reopen and retry, for every read of the public API. A writer that
 * commits twice while a reader works discards the revision being read:
 * Xapian then fails the read with DatabaseModifiedError, wherever it was.
 * The read is done again on the latest revision:
 *
 *     read_retry rr = read_retry_start();
 *     do {
 *             rc = the_read(...);
 *     } while (read_retry_again(&rr, db, &rc) && (free what it made, 1));
 *
 * read_retry_again returns 1 when the read was overtaken (even if it ended
 * with LEDE_OK after ignoring a failed lookup) and db was reopened: do it
 * again. 0 when it was not, or after READ_RETRY_MAX tries (then *rc is a
 * database error saying so), or when reopening failed (*rc says why). */
#define READ_RETRY_MAX 20
typedef struct read_retry {
	unsigned long seen;   /* lx_modified_count() before this try */
	unsigned tries;
} read_retry;
read_retry read_retry_start(void);
int read_retry_again(read_retry *rr, lede_db *db, int *rc);

/* The gazetteer, loaded on first use; NULL on failure (message set). */
const gazetteer *lede_db_gazetteer(lede_db *db);

/* An article document, decoded. Strings owned by the record. */
typedef struct stored_article {
	char *id, *title, *date, *source, *url, *lang, *authors;
	uint32_t (*spans)[2];  /* passage offsets in the body */
	size_t nspans;
	char **ent_types, **ent_keys;
	char **ent_roles, **ent_wheres; /* NULL entries when none */
	size_t nents;
	strbuf body;           /* decompressed text */
	char *group;           /* SLOT_GROUP: own id or the original's */
	lede_quote *quotes;    /* strings in quote_strs */
	size_t nquotes;
	strbuf quote_strs;
} stored_article;

/* Load the article with this id. Returns 0, LEDE_ENOTFOUND, or another
 * status with db's message set. *out owned by the caller
 * (stored_article_free). with_body 0 skips decompressing the text. */
int stored_article_load(lede_db *db, const char *id, int with_body,
                        stored_article **out);
void stored_article_free(stored_article *a);

/* Compile a parsed query into a Xapian query for passages. Returns a query
 * owned by the caller, or NULL with db's message set. */
typedef struct compile_opts {
	double title_weight;
	double proximity_weight;  /* adjacent query words found adjacent; 0: off */
} compile_opts;
/* *proximity (when not NULL) gets the bonus of adjacent query words
 * (compile.c proximity_query) to add with AND_MAYBE, or NULL: apart from
 * the query, so that it need only re-rank the best matches. */
lx_query *search_compile(lede_db *db, const q_node *n, const compile_opts *o,
                         lx_query **proximity);

/* Passages dated within [from, to] (YYYYMMDD; NULL: open), as a boolean
 * query (searcher/date_filter.c). Owned by the caller; NULL with db's
 * message set. */
lx_query *search_date_range(lede_db *db, const char *from, const char *to);

/* Facets (a lede_facet_field mask, limit values each, 0 = all) over the
 * documents matching q, each article counted once; no hits. *out is owned
 * by the caller (lede_results_free). */
int search_facets(lede_results **out, lede_db *db, lx_query *q,
                  unsigned mask, unsigned limit);

/* Stems of a folded word in every language of the index, distinct,
 * appended to out as NUL-terminated strings; returns how many. */
size_t search_stems(lede_db *db, const char *word, size_t len, strbuf *out);

#endif
