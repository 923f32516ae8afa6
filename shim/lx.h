/* lx: the C interface to libxapian 1.4 — the only door between lede's C code
 * and C++. Mechanism only: it knows nothing of lede's prefixes, slots or
 * weights. No C++ exception ever leaves it; every failure is a code + message.
 *
 * Conventions (read once, they hold for every call below):
 * - Calls returning int give 0 (LX_OK) or a negative LX_E* code; a few give
 *   a documented positive value too (e.g. lx_termiter_next).
 * - After a failure, the Xapian message (e.get_description(), which names
 *   the path/host involved) is kept on the handle: lx_db_errmsg(db) etc. It
 *   is borrowed, valid until the next call on that handle. Every failure in
 *   the thread ALSO sets lx_last_errmsg()/lx_last_errcode(), which is how
 *   failures of calls without a handle (opens, query constructors, closes)
 *   are read.
 * - Bytes out: "char **out, size_t *len" results are malloc()ed, owned by
 *   the caller (free()), NUL-terminated for convenience (len excludes the
 *   NUL; the bytes may contain NULs). On failure *out is NULL, *len 0.
 * - "const char **" results are borrowed; each says until when.
 * - Terms are byte strings with a length, 1 to LX_MAX_TERM bytes: glass
 *   refuses longer ones, so lx_doc_add_* refuse them up front (LX_EINVAL).
 * - Xapian's rule: when add/replace/delete fails, EVERY change since the
 *   last commit is discarded, not just that one.
 * - Freeing/closing NULL is a harmless no-op.
 * - A handle is used by one thread at a time (Xapian's own rule); different
 *   handles may be used by different threads.
 * - Docids are per database handle: with several shards combined, never
 *   store one — key documents by a unique term instead.
 */
#ifndef LEDE_LX_H
#define LEDE_LX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors -------------------------------------------------------- */

enum {
	LX_OK = 0,
	LX_ELOCKED = -1,   /* another writer holds the database's write lock */
	LX_EMODIFIED = -2, /* reader overtaken by a writer: lx_db_reopen, retry */
	LX_ENOTFOUND = -3, /* no such document / term / facet slot */
	LX_EINVAL = -4,    /* bad argument or call out of order */
	LX_ENETWORK = -5,  /* remote database: connect, timeout, protocol */
	LX_ECORRUPT = -6,  /* the database files are damaged */
	LX_ENOMEM = -7,
	LX_EOPENING = -8,  /* cannot open: missing, not a database, bad version */
	LX_EOTHER = -9     /* any other Xapian error, or an unknown exception */
};

/* Static English text for a code ("ok" for 0); never NULL. */
const char *lx_strerror(int code);
/* The message of the latest failure in this thread ("" if none). Borrowed:
 * valid until the next failing lx_* call in this thread. */
const char *lx_last_errmsg(void);
/* The code of the latest failure in this thread (LX_OK if none). */
int lx_last_errcode(void);
/* How many LX_EMODIFIED failures this thread has had so far, on any
 * handle. A reader notes it before a piece of work and compares after:
 * a change means a writer overtook it somewhere inside (even in a call
 * whose failure was ignored), so it reopens and does the work again. */
unsigned long lx_modified_count(void);
/* Xapian's version string, e.g. "1.4.22". Static. */
const char *lx_xapian_version(void);

/* Sortable encoding of a number (Xapian::sortable_serialise): byte order of
 * results matches numeric order, so it suits value ranges and sorting.
 * Writes at most LX_SORTABLE_MAX bytes to out and returns how many. */
#define LX_SORTABLE_MAX 9
size_t lx_sortable_serialise(double value, char out[LX_SORTABLE_MAX]);
double lx_sortable_unserialise(const char *bytes, size_t len);

/* The longest term glass can store, in bytes. */
#define LX_MAX_TERM 245

/* No value slot: disables collapsing (lx_enquire_set_collapse). */
#define LX_NO_SLOT 0xffffffffu

/* ---- documents (built in C, then added to a writable database) ------ */

typedef struct lx_doc lx_doc;

/* A new empty document, owned by the caller (lx_doc_free); NULL when out
 * of memory. Adding it to a database copies it: free it afterwards. */
lx_doc *lx_doc_new(void);
void lx_doc_free(lx_doc *doc);
/* Message of the last failure on doc; borrowed until the next call on it. */
const char *lx_doc_errmsg(const lx_doc *doc);
/* A term occurrence at position pos (1-based by convention), its wdf
 * raised by wdf_inc (usually 1). Phrase and NEAR need these. */
int lx_doc_add_posting(lx_doc *doc, const char *term, size_t len,
                       uint32_t pos, uint32_t wdf_inc);
/* A term without position, its wdf raised by wdf_inc. */
int lx_doc_add_term(lx_doc *doc, const char *term, size_t len,
                    uint32_t wdf_inc);
/* A boolean (filter) term: wdf 0, no position; adds no document length. */
int lx_doc_add_boolean_term(lx_doc *doc, const char *term, size_t len);
/* Value slot := the bytes (replacing any earlier value in that slot). */
int lx_doc_set_value(lx_doc *doc, uint32_t slot, const void *bytes,
                     size_t len);
/* Value slot := lx_sortable_serialise(number). */
int lx_doc_set_value_number(lx_doc *doc, uint32_t slot, double number);
/* The document data (opaque bytes stored with the document). */
int lx_doc_set_data(lx_doc *doc, const void *bytes, size_t len);

/* ---- writable database (one writer at a time) ----------------------- */

typedef struct lx_wdb lx_wdb;

enum {
	LX_WDB_CREATE = 1 << 0,     /* create if missing (else must exist) */
	LX_WDB_RETRY_LOCK = 1 << 1, /* wait for the write lock, don't fail */
	LX_WDB_NO_SYNC = 1 << 2     /* skip fsync on commit (bulk loads, tests) */
};

/* Open (or with LX_WDB_CREATE create) the glass database directory path.
 * OUT *out: the handle, owned by the caller until lx_wdb_close; NULL on
 * failure. Fails with LX_ELOCKED when another writer holds the lock (the
 * message names the database and the lock), LX_EOPENING when missing. The
 * message is in lx_last_errmsg(). */
int lx_wdb_open(lx_wdb **out, const char *path, int flags);
/* Commit pending changes, close and free the handle, ALWAYS freeing it.
 * Returns the commit's error instead of swallowing it (message then in
 * lx_last_errmsg()). A transaction still open is cancelled and reported
 * as LX_EINVAL (what was committed before it stays). */
int lx_wdb_close(lx_wdb *wdb);
/* Message of the last failure on wdb; borrowed until the next call on it. */
const char *lx_wdb_errmsg(const lx_wdb *wdb);

/* Add doc as a new document. OUT *docid (may be NULL): its docid. */
int lx_wdb_add(lx_wdb *wdb, const lx_doc *doc, uint32_t *docid);
/* Replace every document indexed by term with doc (the first keeps its
 * docid, others are deleted); add doc if none has it. doc should itself
 * carry term. OUT *docid (may be NULL). */
int lx_wdb_replace(lx_wdb *wdb, const char *term, size_t len,
                   const lx_doc *doc, uint32_t *docid);
/* Delete every document indexed by term. OUT *ndeleted (may be NULL): how
 * many there were (0 is not an error). */
int lx_wdb_delete(lx_wdb *wdb, const char *term, size_t len,
                  uint64_t *ndeleted);
/* Make every change so far durable and visible to readers that reopen.
 * Not allowed inside a transaction (LX_EINVAL). */
int lx_wdb_commit(lx_wdb *wdb);
/* Transactions: all changes between begin and commit_tx become visible
 * together; cancel_tx discards them. flushed != 0: commit pending changes
 * first and commit the transaction on commit_tx (Xapian's flushed
 * transaction); 0: the transaction's changes join the pending batch. */
int lx_wdb_begin_tx(lx_wdb *wdb, int flushed);
int lx_wdb_commit_tx(lx_wdb *wdb);
int lx_wdb_cancel_tx(lx_wdb *wdb);
/* User metadata (key must be non-empty, at most ~245 bytes; an empty value
 * deletes the key). Written with the next commit. */
int lx_wdb_set_metadata(lx_wdb *wdb, const char *key, const void *value,
                        size_t len);
/* OUT *value, *len: malloc()ed, caller frees; "" (len 0) when unset. */
int lx_wdb_get_metadata(lx_wdb *wdb, const char *key, char **value,
                        size_t *len);
/* OUT *n: documents in the database, pending changes included. */
int lx_wdb_doccount(lx_wdb *wdb, uint64_t *n);
/* The lowest docid indexed by term. OUT *docid. LX_ENOTFOUND if none. */
int lx_wdb_find(lx_wdb *wdb, const char *term, size_t len, uint32_t *docid);
/* Data / value of document docid (pending changes included). OUT malloc()ed
 * bytes, caller frees; a missing value is "" (len 0). LX_ENOTFOUND for a
 * docid that does not exist. */
int lx_wdb_get_data(lx_wdb *wdb, uint32_t docid, char **out, size_t *len);
int lx_wdb_get_value(lx_wdb *wdb, uint32_t docid, uint32_t slot, char **out,
                     size_t *len);
/* Every docid indexed by term, ascending (pending changes included). OUT
 * *docids malloc()ed, caller frees (NULL when there are none); *n. */
int lx_wdb_term_docids(lx_wdb *wdb, const char *term, size_t len,
                       uint32_t **docids, size_t *n);

/* ---- readable database (one, or several searched as one) ----------- */

typedef struct lx_db lx_db;

/* Open a database directory or a stub database file (which may list local
 * and remote shards: lines "auto DIR" and "remote HOST:PORT"). path NULL: an empty database to which shards are
 * added with lx_db_add*. OUT *out: owned by the caller until lx_db_close;
 * NULL on failure (message in lx_last_errmsg()). */
int lx_db_open(lx_db **out, const char *path);
/* Add another database (directory or stub) to be searched with db. Add
 * every shard before making enquires: an enquire searches the shards db
 * had when it was made. */
int lx_db_add(lx_db *db, const char *path);
/* Add a remote database served by xapian-tcpsrv at host:port. timeout_ms
 * bounds each exchange with it, the greeting that opening reads
 * included (0: Xapian's default 10 s); connect_ms bounds connecting (0:
 * timeout_ms). */
int lx_db_add_remote(lx_db *db, const char *host, unsigned port,
                     unsigned timeout_ms, unsigned connect_ms);
/* Move to the latest committed revision. Returns 1 if it moved, 0 if it
 * was already the latest, or a negative code. Enquires made on db see the
 * new revision; lx_mset results made before must not be used after it. */
int lx_db_reopen(lx_db *db);
/* Close and free; closing NULL is a no-op. Enquires, msets and iterators
 * made from db must be freed before. */
void lx_db_close(lx_db *db);

/* Write a compacted copy of the database at src (B-tree blocks filled,
 * free space dropped; Xapian's FULL level) to dst, which must not exist.
 * Docids are kept. src may be open elsewhere, even for writing: the copy
 * is of its last committed revision. 0 or a negative code (message in
 * lx_last_errmsg()). */
int lx_compact(const char *src, const char *dst);
/* Message of the last failure on db; borrowed until the next call on it. */
const char *lx_db_errmsg(const lx_db *db);
/* OUT *n: how many databases db spans (1 unless lx_db_add or
 * lx_db_add_remote added more). */
int lx_db_shards(lx_db *db, size_t *n);

/* Statistics over all shards. OUT parameters. */
int lx_db_doccount(lx_db *db, uint64_t *n);
int lx_db_avlength(lx_db *db, double *avlen);
int lx_db_total_length(lx_db *db, uint64_t *total);
/* OUT *termfreq: documents indexed by term; *collfreq: total occurrences
 * (sum of wdf). Either may be NULL. 0 and 0 for an unknown term. */
int lx_db_termfreq(lx_db *db, const char *term, size_t len,
                   uint64_t *termfreq, uint64_t *collfreq);
/* OUT malloc()ed value, caller frees; "" when unset. With several shards,
 * the first shard's value. */
int lx_db_get_metadata(lx_db *db, const char *key, char **value,
                       size_t *len);
/* Document lookups, as for lx_wdb_find/get_data/get_value/term_docids. */
int lx_db_find(lx_db *db, const char *term, size_t len, uint32_t *docid);
int lx_db_term_docids(lx_db *db, const char *term, size_t len,
                      uint32_t **docids, size_t *n);
int lx_db_get_data(lx_db *db, uint32_t docid, char **out, size_t *len);
int lx_db_get_value(lx_db *db, uint32_t docid, uint32_t slot, char **out,
                    size_t *len);

/* Callback for term lists. term is borrowed (valid during the call only);
 * count is the wdf for a document's terms, the termfreq for the others.
 * Return 0 to go on, non-zero to stop (the calling function then returns
 * 0). Callbacks run after the Xapian work is done, never inside it. */
typedef int (*lx_term_fn)(void *ctx, const char *term, size_t len,
                          uint64_t count);
/* The terms of document docid starting with prefix ("" or NULL: all), in
 * byte order, count = wdf. */
int lx_db_doc_terms(lx_db *db, uint32_t docid, const char *prefix,
                    lx_term_fn fn, void *ctx);
/* The user metadata keys starting with prefix (NULL or "": all), in byte
 * order, count 0; the callback runs after the Xapian work.
 * With several shards, the keys of every shard. */
int lx_db_metadata_keys(lx_db *db, const char *prefix, lx_term_fn fn,
                        void *ctx);

/* Check that the term lists of documents docids[0..n) are sound before
 * anything reads them whole (the expand set does). Xapian 1.4's glass
 * decoder trusts each term's length byte, and a damaged one makes it read
 * past the end of the list's buffer; so the lists are walked, with checks
 * (byte order, term count, wdfs adding up to the document length), in a
 * forked child process, where such a read harms only the child, and the
 * document it died on counts as damaged. OUT sound[i]: 1 when document i
 * is sound. Returns LX_OK when all are, LX_ECORRUPT (message naming the
 * first damaged document) when not, or another code. Sound lists are
 * remembered until the handle is reopened, so a document is checked once
 * per revision: about the cost of reading its list, plus one fork per
 * call that has lists to check. A no-op on remote shards, whose lists
 * the server decodes. */
int lx_db_check_termlists(lx_db *db, const uint32_t *docids, size_t n,
                          unsigned char *sound);

/* Iterate over all terms of db starting with prefix, in byte order (merged
 * across shards). The iterator is owned by the caller (lx_termiter_free)
 * and must be freed before db is closed or reopened. */
typedef struct lx_termiter lx_termiter;
int lx_db_allterms(lx_db *db, const char *prefix, lx_termiter **out);
/* Advance. Returns 1 with *term, *len, *termfreq set (term borrowed until the
 * next call on it), 0 at the end, or a negative code (message in
 * lx_last_errmsg()). termfreq may be NULL. */
int lx_termiter_next(lx_termiter *it, const char **term, size_t *len,
                     uint64_t *termfreq);
void lx_termiter_free(lx_termiter *it);

/* ---- queries -------------------------------------------------------
 * A query is an immutable owned object. Constructors COPY their children
 * (cheap: Xapian shares the tree), so the caller frees every query it got,
 * children included, whenever it likes. Constructors return a new query
 * owned by the caller (lx_query_free), or NULL on failure (message in
 * lx_last_errmsg()). A NULL child makes a combinator return NULL, so a tree
 * may be built first and checked once at the root. */

typedef struct lx_query lx_query;

enum lx_op {
	LX_OP_AND,
	LX_OP_OR,
	LX_OP_AND_NOT,   /* first, minus documents matching any later one */
	LX_OP_AND_MAYBE, /* first; later ones only add weight */
	LX_OP_FILTER,    /* first, restricted by the later ones, no weight */
	LX_OP_SYNONYM,   /* the children weighted as one term */
	LX_OP_PHRASE,    /* children in order within window positions */
	LX_OP_NEAR,      /* children in any order within window positions */
	LX_OP_ELITE_SET, /* OR of the window best-weighted children */
	LX_OP_MAX        /* the highest-weighted child */
};

/* A term with within-query frequency wqf (1 usually) at query position pos
 * (0: none). */
lx_query *lx_query_term(const char *term, size_t len, uint32_t wqf,
                        uint32_t pos);
/* Combine n children with op (an enum lx_op; taken as int so that a bad
 * value is an error, not undefined behaviour in C++). window: the PHRASE/NEAR window in positions
 * (0: the number of children), the ELITE_SET size (0: Xapian's default);
 * ignored by other ops. n == 0 gives match-nothing. */
lx_query *lx_query_combine(int op, const lx_query *const *subs,
                           size_t n, uint32_t window);
/* Shorthand for lx_query_combine of two. */
lx_query *lx_query_pair(int op, const lx_query *a, const lx_query *b);
/* Documents with a value in slot lying in [begin, end] (byte comparison).
 * begin NULL or empty: no lower bound; end NULL: no upper bound. Documents
 * without a value in slot never match. */
lx_query *lx_query_value_range(uint32_t slot, const char *begin,
                               size_t begin_len, const char *end,
                               size_t end_len);
/* Terms starting with prefix, ORed (as a synonym); max_expansion > 0
 * limits how many terms (the most frequent are kept). */
lx_query *lx_query_wildcard(const char *prefix, size_t len,
                            uint32_t max_expansion);
/* q with its weights multiplied by factor (>= 0; 0 makes it boolean). */
lx_query *lx_query_scale(const lx_query *q, double factor);
lx_query *lx_query_match_all(void);
/* Every document, each weighing weight (>= 0) whatever the weighting
 * scheme: filtered by a boolean term, a constant bonus for having it
 * (Xapian's FixedWeightPostingSource, which remote servers run too). */
lx_query *lx_query_fixed_weight(double weight);
lx_query *lx_query_match_nothing(void);
/* Exactly the documents docids[0..n) (copied; any order, repeats allowed),
 * without weight: a filter to re-rank a set found before. Docids are those
 * of a database of one shard (see lx_db_shards): with several, each shard
 * would read them as its own. */
lx_query *lx_query_docids(const uint32_t *docids, size_t n);
/* Xapian's description of q, for debugging and tests. malloc()ed, caller
 * frees; NULL on failure. */
char *lx_query_describe(const lx_query *q);
void lx_query_free(lx_query *q);

/* ---- enquire: running a query --------------------------------------- */

typedef struct lx_enquire lx_enquire;
typedef struct lx_mset lx_mset;
typedef struct lx_eset lx_eset;

/* A new enquire on db; owned by the caller (lx_enquire_free), which must
 * happen before db is closed. */
int lx_enquire_new(lx_enquire **out, lx_db *db);
void lx_enquire_free(lx_enquire *enq);
/* Message of the last failure on enq; borrowed until the next call on it. */
const char *lx_enquire_errmsg(const lx_enquire *enq);
/* The query to run (copied: q may be freed right after). */
int lx_enquire_set_query(lx_enquire *enq, const lx_query *q);
/* Weighting scheme by name; params (may be NULL when nparams == 0) are the
 * scheme's numbers in Xapian's constructor order, missing ones default:
 *   "bm25"   k1 k2 k3 b min_normlen   (defaults 1 0 1 0.5 0.5)
 *   "bm25+"  k1 k2 k3 b min_normlen delta (1 0 1 0.5 0.5 1)
 *   "tfidf" or "tfidf:XYZ" with SMART normalisations XYZ (default "ntn")
 *   "bool"   no weights: every match 0
 *   "pl2" c (1); "dph"; "lm" (Xapian's defaults only)
 * LX_EINVAL for an unknown name. */
int lx_enquire_set_weighting(lx_enquire *enq, const char *name,
                             const double *params, size_t nparams);
/* Keep at most max hits per distinct value of slot (LX_NO_SLOT: off). */
int lx_enquire_set_collapse(lx_enquire *enq, uint32_t slot, uint32_t max);

enum lx_sort {
	LX_SORT_RELEVANCE,            /* the default */
	LX_SORT_VALUE,                /* by the value in slot only */
	LX_SORT_VALUE_THEN_RELEVANCE, /* value, ties by weight */
	LX_SORT_RELEVANCE_THEN_VALUE, /* weight, ties by value */
	LX_SORT_VALUE_THEN_RELEVANCE_MISSING_LAST /* as VALUE_THEN_RELEVANCE,
	                                 documents without the value last in
	                                 either direction */
};
/* how: an enum lx_sort. descending != 0: larger values first (relevance
 * is always best first). */
int lx_enquire_set_sort(lx_enquire *enq, int how, uint32_t slot,
                        int descending);

enum lx_docid_order {
	LX_DOCID_ASC,       /* the default: ties broken by ascending docid */
	LX_DOCID_DESC,
	LX_DOCID_DONT_CARE  /* fastest */
};
/* o: an enum lx_docid_order. */
int lx_enquire_set_docid_order(lx_enquire *enq, int o);
/* Drop hits below percent_cutoff % of the best, or below weight_cutoff
 * (0, 0: off). */
int lx_enquire_set_cutoff(lx_enquire *enq, int percent_cutoff,
                          double weight_cutoff);
/* Count the values of slot over the WHOLE matching set at each
 * lx_enquire_get_mset (a Xapian ValueCountMatchSpy). While any facet is
 * registered, get_mset raises check_at_least to the document count so the
 * counts are exact. With collapsing on, the counts are of matching
 * documents BEFORE collapsing (each passage, not each article). Works
 * across remote shards too. Registering a slot twice is a no-op. */
int lx_enquire_add_facet(lx_enquire *enq, uint32_t slot);
int lx_enquire_clear_facets(lx_enquire *enq);
/* Count each facet over distinct keys instead of documents: a document
 * counts only the first time its value in key_slot is seen (facets over
 * articles when the matching documents are passages that carry their
 * article's values). LX_NO_SLOT (the default): count every document. Not
 * available with remote shards (get_mset then fails with LX_EOTHER).
 * Memory: once a handle of one local shard has read about as many values
 * of a facet or key slot one document at a time as the slot holds, it
 * reads the slot whole and keeps it (4 bytes per docid plus each distinct
 * value once) until lx_db_reopen moves, lx_db_add or lx_db_close: later
 * facet queries then count by array index. */
int lx_enquire_set_facet_key(lx_enquire *enq, uint32_t key_slot);
/* Read slot whole into that cache now, as a facet slot or (as_key) as a
 * facet key slot, instead of waiting for the reads above: for a long-lived
 * handle that knows it will count facets. A no-op where caches are not
 * kept (several or remote shards, over 16M docids). */
int lx_db_cache_slot(lx_db *db, uint32_t slot, int as_key);

/* Run the query: hits offset .. offset+count-1 of the ranking, checking at
 * least check_at_least documents (makes the estimates exact when >= the
 * document count; clamped to it). OUT *out: the results, owned by the
 * caller (lx_mset_free), which must happen before the enquire is freed or
 * the database reopened or closed. No query set: LX_EINVAL. */
int lx_enquire_get_mset(lx_enquire *enq, uint32_t offset, uint32_t count,
                        uint32_t check_at_least, lx_mset **out);

enum {
	LX_ESET_INCLUDE_QUERY_TERMS = 1 << 0, /* else the query's terms are left out */
	LX_ESET_UNPREFIXED_ONLY = 1 << 1,     /* only terms not starting with A-Z */
	LX_ESET_OR_PREFIX = 1 << 2,           /* with UNPREFIXED_ONLY: unprefixed
	                                         terms or terms with prefix */
	LX_ESET_CHECKED = 1 << 3   /* the caller ran lx_db_check_termlists on
	                              the documents: don't look again */
};
/* Expand set: the best (up to max) terms to add to the query, drawn from
 * documents docids (ndocids >= 1), as for more-like-this and pseudo-
 * relevance feedback. Only terms that index at least min_docs of the
 * documents are weighed (0 or 1: any term); every term weighed costs a
 * lookup of its frequency, so a higher floor makes the set cheaper.
 * prefix (NULL or "": any) keeps only terms with that prefix. The docids
 * must come from this enquire's database. Each document's term list is
 * first checked as by lx_db_check_termlists (unless LX_ESET_CHECKED): a
 * damaged one fails the call with LX_ECORRUPT naming it. OUT *out: owned
 * by the caller (lx_eset_free); independent of enq afterwards. */
int lx_enquire_get_eset(lx_enquire *enq, const uint32_t *docids,
                        size_t ndocids, uint32_t max, uint32_t min_docs,
                        const char *prefix, int flags, lx_eset **out);

/* ---- results -------------------------------------------------------- */

void lx_mset_free(lx_mset *ms);
/* Message of the last failure on ms; borrowed until the next call on it. */
const char *lx_mset_errmsg(const lx_mset *ms);
/* Hits held (at most the count asked for). */
size_t lx_mset_size(const lx_mset *ms);
/* Estimates of the number of matching documents (after collapsing). Any
 * pointer may be NULL. */
void lx_mset_counts(const lx_mset *ms, uint64_t *lower, uint64_t *estimated,
                    uint64_t *upper);
/* The highest weight any document could get for the query (cheap, known
 * without looking at documents) and the highest one a hit got. */
void lx_mset_max_weight(const lx_mset *ms, double *possible,
                        double *attained);

typedef struct lx_hit {
	uint32_t docid;
	uint32_t rank;           /* 0-based rank in the whole ranking */
	double weight;
	int percent;             /* Xapian's percentage score (of Xapian's
	                            weight, not lx_mset_reorder's) */
	uint32_t collapse_count; /* lower bound of the hits collapsed into it */
} lx_hit;
/* Hit i (0 .. size-1). OUT *hit. LX_EINVAL when i is out of range. */
int lx_mset_hit(lx_mset *ms, size_t i, lx_hit *hit);
/* Puts the hits in a new order: weights[i] (n = lx_mset_size) becomes hit
 * i's weight, and the hits are sorted by it, highest first, ties in their
 * order before. For a ranking combined from several passes; every call on
 * ms after it sees the new order. */
int lx_mset_reorder(lx_mset *ms, const double *weights, size_t n);
/* Bytes of hit i, malloc()ed, caller frees: its collapse key, its data,
 * its value in slot ("" when absent). */
int lx_mset_collapse_key(lx_mset *ms, size_t i, char **out, size_t *len);
int lx_mset_data(lx_mset *ms, size_t i, char **out, size_t *len);
int lx_mset_value(lx_mset *ms, size_t i, uint32_t slot, char **out,
                  size_t *len);
/* The terms of hit i's document that start with prefix, count = wdf. */
int lx_mset_doc_terms(lx_mset *ms, size_t i, const char *prefix,
                      lx_term_fn fn, void *ctx);
/* The query's terms that hit i's document contains (as
 * Enquire::get_matching_terms: presence only, even for a phrase that did
 * not match), in query order, each once; count = how many times the term
 * occurs in the query. For snippets and explanations. */
int lx_mset_matching_terms(lx_mset *ms, size_t i, lx_term_fn fn, void *ctx);
/* OUT *termfreq: how many documents of the database contain term (any term
 * of the query is cheap; others are looked up). */
int lx_mset_termfreq(lx_mset *ms, const char *term, size_t len,
                     uint64_t *termfreq);

/* Facets (see lx_enquire_add_facet). OUT *nvalues: distinct values seen;
 * *ndocs: matching documents counted. Either may be NULL. LX_ENOTFOUND
 * when slot was not registered. */
int lx_mset_facet_size(const lx_mset *ms, uint32_t slot, size_t *nvalues,
                       uint64_t *ndocs);
/* Value i of slot's facet, in ascending byte order. OUT *value: borrowed
 * until lx_mset_free (NUL-terminated, may contain NULs); *len; *count:
 * matching documents that have it. */
int lx_mset_facet_get(const lx_mset *ms, uint32_t slot, size_t i,
                      const char **value, size_t *len, uint64_t *count);

size_t lx_eset_size(const lx_eset *es);
/* Term i (0 .. size-1), best first: *term borrowed until lx_eset_free. */
int lx_eset_get(const lx_eset *es, size_t i, const char **term, size_t *len,
                double *weight);
void lx_eset_free(lx_eset *es);

#ifdef __cplusplus
}
#endif

#endif
