/* The indexing pipeline behind `lede index` and `lede rm`: articles from the
 * corpus readers are analysed (passages, stems, entities, fingerprint,
 * compressed text) off the writer's thread and written through the shim
 * in batches, each batch committed before the next begins. */
#ifndef LEDE_INDEXER_H
#define LEDE_INDEXER_H

#include <stdint.h>

#include "../common/strbuf.h"
#include "../corpus/article.h"
#include "../corpus/passage.h"

typedef struct indexer_opts {
	const char *db_path;
	corpus_format format;     /* CORPUS_AUTO: by extension */
	const char *lang;         /* force this language; NULL: given or detected */
	const char *source;       /* source of records that name none; NULL:
	                             the host of their URL, if any */
	unsigned commit_every;    /* articles per batch; 0: the default */
	int progress;             /* progress lines on stderr */
	int no_sync;              /* skip the one fsync at the end (batches are
	                             never fsynced: see index_run.c) */
	passage_opts passages;
	/* Called for each rejected record or file (one line each). */
	void (*on_reject)(const char *path, uint64_t line, const char *reason,
	                  void *ctx);
	/* Called for a record indexed only in part (may be NULL). */
	void (*on_warn)(const char *path, uint64_t line, const char *reason,
	                void *ctx);
	void *ctx;
} indexer_opts;

#define INDEXER_COMMIT_EVERY 2000

#define INDEXER_OPTS_INIT \
	{ NULL, CORPUS_AUTO, NULL, NULL, 0, 0, 0, PASSAGE_OPTS_INIT, NULL, NULL, NULL }

typedef struct indexer_summary {
	uint64_t files, added, updated, unchanged, rejected, copies;
	uint64_t passages, bytes;
	double seconds;
} indexer_summary;

/* Where a run stands, for the progress line on a terminal. */
typedef struct indexer_progress {
	uint64_t files, total_files;  /* files opened so far, of total_files
	                                 (found by a stat walk before reading;
	                                 0: unknown, as for standard input) */
	uint64_t bytes, total_bytes;  /* bytes read from them as on disk, of
	                                 total_bytes (0: unknown) */
	uint64_t articles, passages;  /* written so far */
	double seconds;               /* since the run began */
} indexer_progress;

/* The progress line into out (appended; no "\r", no newline):
 * "indexing: 3 of 10 files, 1.2 of 4.5 MB, 120 articles, 300 passages,
 * 2.1 MB/s, ETA 2 s". The ETA is the bytes still to read at the rate
 * read so far; left out while nothing is known of either. */
void indexer_progress_line(strbuf *out, const indexer_progress *p);

enum {
	INDEXER_OK = 0,
	INDEXER_EDB = -3,      /* database could not be opened or written */
	INDEXER_ELOCKED = -4,  /* another writer holds the lock */
	INDEXER_EFORMAT = -5   /* database of an incompatible format */
};

/* Index every path (files, directories, "-" for stdin) into opts->db_path,
 * creating it if needed. Rejected records are reported through
 * opts->on_reject and counted; they do not make this fail. On error, err
 * gets one line naming the database and the reason; everything committed
 * before the error stays. */
int indexer_run(const indexer_opts *opts, char *const *paths, int npaths,
                indexer_summary *sum, strbuf *err);

/* Remove articles (and their passages) by id. *removed counts those found.
 * Ids not in the index are reported in err as a warning line each, not an
 * error. */
int indexer_remove(const char *db_path, char *const *ids, int nids,
                   uint64_t *removed, strbuf *err);

/* Rewrite the database at db_path compacted (full B-tree blocks: about
 * half the size after a bulk load), holding the write lock until the swap
 * and db_path + ".compacting.lock" (flock) until the cleanup is done, so a
 * second compaction fails with INDEXER_ELOCKED instead of racing; the copy
 * is built at db_path + ".compacting" and swapped in atomically. A copy
 * left there by a compaction that was killed is removed, and err says so
 * (err may thus hold a note on success). Searches running meanwhile
 * finish on the old files. On error, err gets one line and the database
 * is as it was. */
int indexer_compact(const char *db_path, strbuf *err);

#endif
