/* lede — full-text search for news archives: the public C API.
 *
 * This header is the documentation. Conventions:
 * - Handles are opaque. Every function returns LEDE_OK (0) or a negative
 *   lede_status; the message of the last error is kept on the database
 *   handle (lede_errmsg) and names the column, file or database at fault.
 * - Output parameters come first and are marked OUT. What comes back through
 *   a `**out` is owned by the caller and freed with the matching *_free;
 *   a returned `const` pointer is borrowed, valid as long as the object it
 *   came from (stated on each call). Freeing NULL is a harmless no-op.
 * - Options structs carry a version: declare them with their *_INIT macro,
 *   then set the fields you need.
 * - One lede_db may be used by one thread at a time; open one per thread.
 * - Strings are UTF-8, NUL-terminated. Dates are "YYYY-MM-DD" (or shorter
 *   when only the year or month is known; "" when unknown).
 */
#ifndef LEDE_H
#define LEDE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LEDE_VERSION_STRING "0.1.0"

typedef enum lede_status {
	LEDE_OK = 0,
	LEDE_EQUERY = -1,    /* the query is malformed (message names the column) */
	LEDE_EUSAGE = -2,    /* a bad argument or option */
	LEDE_EDB = -3,       /* the database is missing, corrupt or unreadable */
	LEDE_ELOCKED = -4,   /* another process is writing this database */
	LEDE_EFORMAT = -5,   /* written by an incompatible version: rebuild it */
	LEDE_ENOTFOUND = -6, /* no article with that id */
	LEDE_EIO = -7,       /* a file could not be read or written */
	LEDE_ENOMEM = -8
} lede_status;

/* A static description of a status ("query syntax error", ...). */
const char *lede_status_string(int status);
/* Version of the library ("0.1.0"); static. */
const char *lede_version(void);
/* The default ranking and passage parameters of this library, one line
 * ("bm25 k1=1.2 b=0.75; title weight 0.1; ..."); static. */
const char *lede_defaults(void);

typedef struct lede_db lede_db;

/* Open a database for searching: a lede database directory, or a Xapian
 * stub file listing several (local or remote) databases searched as one.
 * On failure *out is still set to a handle that only carries the error
 * message (lede_errmsg), to be closed like any other; it is NULL only when
 * memory ran out. */
int lede_open(lede_db **out /* OUT */, const char *path);

#define LEDE_OPEN_OPTS_VERSION 1

/* How to open a database of shards (docs/scale-out.md). A stub file of
 * "auto DIR" (or "glass DIR") and "remote HOST:PORT" lines is read by
 * lede shard by shard, every remote one opened with these timeouts (a
 * stub line has no field for them), and a stub line naming another stub
 * is followed. A message about a shard names it: the stub, the shard's
 * number in it, and its directory or host:port. */
typedef struct lede_open_opts {
	unsigned version;            /* LEDE_OPEN_OPTS_VERSION */
	unsigned remote_timeout_ms;  /* each exchange with a remote shard, the
	                                greeting at opening included; 0:
	                                $LEDE_REMOTE_TIMEOUT (seconds), else
	                                Xapian's 10 s */
	unsigned connect_timeout_ms; /* connecting to one; 0:
	                                $LEDE_CONNECT_TIMEOUT (seconds), else
	                                the exchange timeout */
} lede_open_opts;

#define LEDE_OPEN_OPTS_INIT { LEDE_OPEN_OPTS_VERSION, 0, 0 }

/* lede_open with options (NULL: the defaults, as lede_open). *out as for
 * lede_open: a handle to close even on failure. */
int lede_open_with(lede_db **out /* OUT */, const char *path,
                   const lede_open_opts *opts);
/* The message of the last error on db, "" when none; borrowed, valid until
 * the next call on db. */
const char *lede_errmsg(const lede_db *db);
/* Pick up changes written since open (a long-lived reader calls this
 * before a search to see new articles). Every read below (search,
 * similar, article, stats, warm) calls it itself and starts again when a
 * writer committing meanwhile discarded the revision it was reading
 * (Xapian's DatabaseModifiedError), up to 20 times, so a busy writer is
 * never an error. */
int lede_reopen(lede_db *db);
void lede_close(lede_db *db);
/* For a long-lived handle (a server, a batch of queries): read now what
 * facet counting over the fields of mask (a lede_facet_field mask) keeps in
 * memory, about 4 bytes per passage per field plus each distinct value,
 * instead of after the first several facet searches. Searches give the
 * same results either way. Returns LEDE_OK or LEDE_EDB. */
int lede_warm(lede_db *db, unsigned facet_mask);

enum lede_sort {
	LEDE_SORT_RELEVANCE = 0,
	LEDE_SORT_DATE_DESC = 1,  /* newest first */
	LEDE_SORT_DATE_ASC = 2    /* oldest first */
};

/* Facet fields, as a bit mask for lede_search_opts.facets. */
enum lede_facet_field {
	LEDE_FACET_CITY = 1 << 0,
	LEDE_FACET_STATE = 1 << 1,
	LEDE_FACET_OFFICIAL = 1 << 2,
	LEDE_FACET_AGENCY = 1 << 3,
	LEDE_FACET_RESPONSE = 1 << 4,
	LEDE_FACET_SOURCE = 1 << 5,
	LEDE_FACET_YEAR = 1 << 6,
	LEDE_FACET_MONTH = 1 << 7,
	LEDE_FACET_SPEAKER = 1 << 8,  /* articles quoting each speaker */
	LEDE_FACET_ALL = (1 << 9) - 1
};

/* "city", "state", "official", "agency", "response", "source", "year",
 * "month", "speaker"; static. NULL for an unknown bit. */
const char *lede_facet_name(unsigned field_bit);
/* Parse "city,official" or "all" into a mask; -1 with an unknown name. */
int lede_facet_parse(const char *list);

#define LEDE_SEARCH_OPTS_VERSION 4

typedef struct lede_search_opts {
	unsigned version;        /* LEDE_SEARCH_OPTS_VERSION */
	unsigned offset;         /* skip this many hits (paging) */
	unsigned limit;          /* hits to return; default 10, at most 10000 */
	unsigned passages;       /* passages per article; default 1. With
	                            more, each article's best passage is
	                            followed by its next best ones, sharing
	                            its rank; offset and limit count
	                            articles, and copies folded into an
	                            article add none of their own */
	int sort;                /* enum lede_sort */
	int match_all;           /* every plain word required (--all) */
	int no_dedup;            /* show syndicated copies separately */
	const char *since;       /* "YYYY[-MM[-DD]]" or NULL */
	const char *until;       /* inclusive; "YYYY[-MM[-DD]]" or NULL */
	unsigned facets;         /* lede_facet_field mask; 0 = none */
	unsigned facet_limit;    /* values per facet; default 10; 0 = all */
	unsigned snippet_bytes;  /* about this long; default 240 */
	/* Ranking; 0 means the default chosen with make eval. */
	double bm25_k1;
	double bm25_b;
	double title_weight;     /* extra weight of title (S) terms; 0: none,
	                            title words already count in every passage */
	int no_feedback;         /* turn pseudo-relevance feedback off */
	int plain;               /* the query is plain text: no operators,
	                            fields or quotes; any text is valid */
	int ids_only;            /* hits carry id, passage, rank and score
	                            only: no titles, snippets or entities
	                            (fast, for evaluation and scripts) */
	/* Since version 2: the weight of adjacent query words that stand
	 * adjacent in a passage ("los angeles" as the city); 0 the default,
	 * negative turns it off. A version 1 struct (without it) is still
	 * accepted and gets the default. */
	double proximity_weight;
	/* Since version 2: the weight of pseudo-relevance feedback's terms;
	 * 0 the default (no_feedback turns it off). */
	double feedback_weight;
	/* Since version 2: no hits, only the total and the facets (lede
	 * search -n 0): a facet-only query. */
	int count_only;
	/* Since version 2: each hit's explain says which terms matched and
	 * what each weighs in that passage (lede search --explain). */
	int explain;
	/* Since version 3: the weight of DPH in the ranking fused with
	 * BM25's (a hit scores BM25 / best BM25 + dph_weight * DPH / best
	 * DPH over BM25's best matches); 0 the default, negative: BM25
	 * alone. Version 1 and 2 structs are still accepted and get the
	 * default. */
	double dph_weight;
	/* Since version 3 too: only passages that hold a direct quote (lede
	 * quotes); the quotes that match the query are marked (matched).
	 * Version 1 and 2 structs are still accepted: 0. */
	int quotes_only;
	/* Since version 4: only what index generations after_generation + 1
	 * .. upto_generation wrote (see lede_generation): "new since", for
	 * saved searches. 0 and 0: any. upto 0: no upper bound. Documents
	 * written before the index kept generations never match a filter
	 * with after_generation > 0 or upto_generation > 0. A version 1, 2 or 3
	 * struct (without these fields) is still accepted and gets 0s. */
	uint64_t after_generation;
	uint64_t upto_generation;
	/* Since version 4: count every match, so that lede_results_total is
	 * exact (lede search --count); costs a pass over all matches. */
	int exact_total;
} lede_search_opts;

#define LEDE_SEARCH_OPTS_INIT \
	{ LEDE_SEARCH_OPTS_VERSION, 0, 10, 1, LEDE_SORT_RELEVANCE, 0, 0, NULL, \
	  NULL, 0, 10, 240, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

typedef struct lede_span {
	uint32_t start, end;     /* byte offsets, end exclusive */
} lede_span;

typedef struct lede_entity {
	const char *type;        /* "city", "state", "official", "agency",
	                            "response" */
	const char *key;         /* canonical key: "los angeles ca", "ice" */
	const char *role;        /* officials: the role the article gives or the
	                            officeholders' gazetteer knows ("mayor",
	                            "ice director"); NULL when none. Borrowed
	                            like key */
	const char *where;       /* officials: the role's jurisdiction ("los
	                            angeles ca", "united kingdom"); NULL when
	                            none */
} lede_entity;

/* A direct quote part: the words inside one pair of quotation marks in
 * one paragraph, and who said them (docs/quote-guidelines.md). A quote
 * that runs on into the next paragraph, or is split by its cue ("...," he
 * said, "..."), is several parts with the same `quote`. The quote and its
 * strings are borrowed from what holds them, never NULL: a hit's until
 * lede_results_free, an article's until lede_article_free. */
typedef struct lede_quote {
	const char *speaker;     /* key: the official's entity key when the
	                            speaker is a tagged official ("karen bass"),
	                            else the folded name ("home office"); ""
	                            when nobody could be named */
	const char *speaker_display; /* "Karen Bass", "Home Office", "" */
	const char *role;        /* the official's role ("mayor"), or "" */
	const char *cue;         /* the folded speech verb ("said", "dijo",
	                            "according to"); "" when none (a floating
	                            quote takes the last speaker) */
	uint32_t start, end;     /* byte offsets of the quoted words in the
	                            article body, marks excluded */
	unsigned quote;          /* index (in the article's quotes) of the
	                            quote's first part */
	const char *text;        /* the quoted words (body[start..end)), not
	                            NUL-terminated: text_len bytes; borrowed
	                            like speaker ("" when the stored text is
	                            damaged) */
	size_t text_len;
	int matched;             /* hits: 1 when the part answers the query:
	                            its speaker is one said: names (if any),
	                            and it holds a query word (if the query
	                            has words); lede_article_get: always 1 */
} lede_quote;

typedef struct lede_hit {
	unsigned rank;           /* the article's, 1-based, counting from
	                            offset (an article's passages share it) */
	double score;
	const char *article_id;
	unsigned passage;        /* 0-based passage number in the article */
	const char *title;
	const char *date;
	const char *source;
	const char *url;
	const char *lang;
	const char *snippet;     /* passage text, trimmed to snippet_bytes at
	                            word boundaries */
	size_t snippet_len;
	int snippet_trimmed_start; /* text was cut before the snippet */
	int snippet_trimmed_end;   /* text was cut after it */
	const lede_span *highlights; /* query words and phrases, in snippet
	                                byte offsets, sorted, not overlapping */
	size_t nhighlights;
	uint32_t passage_start;  /* the passage's offsets in the article body */
	uint32_t passage_end;
	const lede_entity *entities; /* entities this passage mentions (an
	                                official named earlier in the article
	                                and referred to here by surname counts) */
	size_t nentities;
	unsigned also_in;        /* near-duplicate copies folded under this hit */
	const char *explain;     /* with opts.explain: "term weight" per matched
	                            index term, one a line (its BM25 weight in
	                            this passage, before any query-level scale:
	                            title, proximity, feedback); else NULL */
	const lede_quote *quotes;  /* quote parts that start in this passage,
	                              offsets into the article body (not the
	                              snippet); quote = index among these, or
	                              the part's own index when its first part
	                              is in an earlier passage */
	size_t nquotes;
	/* The index generation that wrote this version of the article, and
	 * the one that wrote its first version (lower: the article was
	 * updated since); 0 when written before the index kept generations.
	 * Set with ids_only too. Since library 0.1.0 with opts version 4;
	 * the struct only grows at its end. */
	uint64_t generation;
	uint64_t first_generation;
} lede_hit;

typedef struct lede_facet_value {
	const char *value;
	uint64_t count;          /* matching articles with this value */
} lede_facet_value;

typedef struct lede_results lede_results;

/* Run a query (the language of docs/query-language.md). opts may be NULL
 * for the defaults. On LEDE_EQUERY the message (lede_errmsg) names the
 * column. *out is NULL on error; otherwise free it with lede_results_free.
 * Hits, facets and everything they point to are owned by the results. */
int lede_search(lede_results **out /* OUT */, lede_db *db, const char *query,
                const lede_search_opts *opts);
/* Articles like the given one (more like this). */
int lede_similar(lede_results **out /* OUT */, lede_db *db,
                 const char *article_id, const lede_search_opts *opts);
size_t lede_results_count(const lede_results *r);
/* Number of matching articles: exact when lede_results_total_exact says
 * so (facets or opts.exact_total asked, or fewer than about 1000 matching
 * articles), else Xapian's estimate, which does not depend on opts.limit
 * (a bigger page may see every match and make it exact). */
uint64_t lede_results_total(const lede_results *r);
/* 1 when lede_results_total is the exact count, 0 for an estimate. */
int lede_results_total_exact(const lede_results *r);
/* Borrowed; valid until lede_results_free. NULL when i is out of range. */
const lede_hit *lede_results_hit(const lede_results *r, size_t i);
/* The values of one facet field (a single LEDE_FACET_* bit), most frequent
 * first; borrowed, valid until lede_results_free. NULL with *n = 0 when the
 * facet was not asked for. */
const lede_facet_value *lede_results_facet(const lede_results *r,
                                           unsigned field_bit, size_t *n);
/* Damaged records the search passed over instead of failing (a passage
 * whose stored record, text or term list cannot be read, a date value that
 * is not a date), one line each ending in "\n", naming the record; "" when
 * none. Borrowed, valid until lede_results_free. */
const char *lede_results_warnings(const lede_results *r);
/* Matching articles that have no date (groups of copies once, unless
 * no_dedup), exact: sorted by date they come last, and no timeline
 * period holds them. 0 with ids_only. */
uint64_t lede_results_undated(const lede_results *r);
/* Undated articles that match the query but were left out by its date
 * range (since/until, or a date: standing at the top of the query or
 * beside its words): a range cannot hold an article without a date.
 * 0 without a range, with ids_only, or when the date: stands deeper in
 * the query (date:2024 OR ice), where nothing can be taken away cleanly. */
uint64_t lede_results_undated_outside(const lede_results *r);
/* Wall time of the search, seconds. */
double lede_results_seconds(const lede_results *r);
void lede_results_free(lede_results *r);

typedef struct lede_article {
	const char *id, *title, *date, *source, *url, *lang, *authors;
	const char *body;        /* the whole text, paragraphs split by "\n\n" */
	size_t body_len;
	const lede_entity *entities;
	size_t nentities;
	const char *copy_of;     /* id of the article this is a near-duplicate
	                            of, "" when none */
	unsigned passages;       /* how many passages it was split into */
	const lede_quote *quotes;  /* every quote part, in body order */
	size_t nquotes;
} lede_article;

/* Fetch one article, its text decompressed. *out is owned by the caller:
 * lede_article_free. LEDE_ENOTFOUND when no such id. */
int lede_article_get(lede_article **out /* OUT */, lede_db *db,
                     const char *id);
void lede_article_free(lede_article *a);

typedef struct lede_stats {
	uint64_t articles, passages, terms;
	uint64_t disk_bytes;     /* the database's, or a stub's local shards' */
	const char *langs;       /* "en,es" */
	const char *format;      /* index format version */
	/* Top entities per type, most frequent first. */
	const lede_facet_value *top[5];   /* city, state, official, agency,
	                                     response */
	size_t ntop[5];
	/* Remote shards of a stub file, whose size on disk disk_bytes does
	 * not hold (it is their local shards' for a stub). */
	unsigned remote_shards;
} lede_stats;

/* Counts and top entities of a database; owned by the caller. */
int lede_stats_get(lede_stats **out /* OUT */, lede_db *db, unsigned top_n);
void lede_stats_free(lede_stats *s);

/* ---- generations and saved searches (watches) ----------------------
 * Every batch `lede index` commits with articles in it is the next index
 * generation (1, 2, ...), stored with its documents and written in the
 * same atomic commit, so a reader that sees generation G sees all of
 * G's documents. "New since G" is a search with after_generation = G.
 *
 * A watch is a saved search kept in the database's metadata: its name,
 * a spec (what to search: opaque to the library; lede's command line
 * keeps its query and options there), the generation it has seen, and
 * the generation a delivery in progress goes up to. The protocol, which
 * gives at-least-once delivery with possible repeats flagged:
 *   lede_generation(db, &now);
 *   lede_watch_begin(db, w, now);           pending := now (committed)
 *   search after_generation = w->seen, upto_generation = now;
 *     a hit with generation <= the pending found at load time may have
 *     been delivered by a run that died before lede_watch_done
 *   deliver the hits (write and flush them);
 *   lede_watch_done(db, w);                 seen := pending, pending := 0
 * A crash before lede_watch_done leaves seen where it was: the next run
 * delivers those matches again, and says they may be repeats.
 * Writing a watch takes the database's write lock (waiting up to
 * LEDE_LOCK_WAIT seconds, default 30, for an indexer to finish); a stub
 * of several shards holds no watches (LEDE_EUSAGE). */

/* The newest committed generation of db (after reopening to the latest
 * revision). LEDE_ENOTFOUND when the index keeps none (written by a lede
 * before generations: the next `lede index` into it starts them). */
int lede_generation(lede_db *db, uint64_t *out /* OUT */);

#define LEDE_WATCH_NAME_MAX 64

typedef struct lede_watch {
	char *name;              /* [A-Za-z0-9._-], 1..LEDE_WATCH_NAME_MAX */
	char *spec;              /* what it searches (opaque here) */
	uint64_t seen;           /* the generation it has delivered up to */
	uint64_t pending;        /* a delivery begun up to this generation and
	                            not done: 0 when none */
} lede_watch;

/* Create a watch named name with spec, having seen everything up to the
 * current generation (LEDE_ENOTFOUND when the index keeps none: say so,
 * nothing is saved). LEDE_EUSAGE for a bad name or one already used.
 * OUT *out (may be NULL): the new watch, owned by the caller. */
int lede_watch_add(lede_watch **out /* OUT */, lede_db *db, const char *name,
                   const char *spec);
/* Load one watch; LEDE_ENOTFOUND when there is none of that name.
 * *out is owned by the caller: lede_watch_free. */
int lede_watch_get(lede_watch **out /* OUT */, lede_db *db,
                   const char *name);
/* Every watch of db, by name; *out is an array of *n watches owned by the
 * caller: lede_watch_list_free(*out, *n). */
int lede_watch_list(lede_watch ***out /* OUT */, size_t *n /* OUT */,
                    lede_db *db);
/* Delete the watch; LEDE_ENOTFOUND when there is none of that name. */
int lede_watch_remove(lede_db *db, const char *name);
/* Start a delivery up to generation upto: w->pending := upto, committed
 * before this returns (a pending delivery already there is raised to
 * upto, never lowered). */
int lede_watch_begin(lede_db *db, lede_watch *w, uint64_t upto);
/* The delivery is done: w->seen := w->pending, w->pending := 0,
 * committed before this returns. */
int lede_watch_done(lede_db *db, lede_watch *w);
void lede_watch_free(lede_watch *w);
void lede_watch_list_free(lede_watch **v, size_t n);

#ifdef __cplusplus
}
#endif

#endif
