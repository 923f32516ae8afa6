/* Turning one article into the documents of a lede database: the analysis
 * half of indexing, run off the writer's thread. Everything here is
 * per-worker state; nothing touches the database. */
#ifndef LEDE_INDEX_DOC_H
#define LEDE_INDEX_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "../common/strbuf.h"
#include "../corpus/article.h"
#include "../corpus/passage.h"
#include "../shim/lx.h"
#include "analyzer.h"
#include "entities.h"

/* An article ready to be written. Owned by whoever holds it;
 * index_prepared_free releases it and its documents. */
typedef struct index_prepared {
	char *id;
	char hash[17];             /* content hash, 16 hex digits */
	uint64_t fingerprint;      /* simhash of the body, 0 when too short */
	uint64_t copy_candidate;   /* fingerprint of an earlier article it may
	                              be a copy of, 0 when none */
	uint64_t *shingles;        /* dedup_shingles of the body, to confirm a
	                              near-duplicate; only for a candidate */
	size_t nshingles;
	char *lang;
	lx_doc *article_doc;
	lx_doc **passage_docs;
	size_t npassages;
	size_t bytes;              /* title + body bytes, for MB/s */
	uint64_t read_files;       /* files opened and bytes read (on disk)
	                              when it was read, for progress; set by
	                              the pipeline */
	uint64_t read_bytes;
	char *facet_tail;          /* SLOT_FACETS after the group: set again
	                              with the group when the writer finds the
	                              article is a copy (index_set_facets) */
	size_t facet_tail_len;
	struct index_prepared *next; /* free for the holder's lists */
} index_prepared;

void index_prepared_free(index_prepared *p);
/* SLOT_FACETS of d: group, NUL, then tail (the article id, date, source
 * and entities as index_schema.h lays them out). */
void index_set_facets(lx_doc *d, const char *group, const char *tail,
                      size_t tail_len);

typedef struct index_worker index_worker;

/* A worker for one thread. gaz is shared, read-only, and must outlive it.
 * force_lang (may be NULL) overrides the article's language. Owned by the
 * caller: index_worker_free. */
index_worker *index_worker_new(const gazetteer *gaz, const passage_opts *po,
                               const char *force_lang);
void index_worker_free(index_worker *w);

/* Analyse art into *out (owned by the caller afterwards). Returns 0, or -1
 * with a reason in err (the article is then rejected, not indexed). */
int index_prepare(index_worker *w, const article *art, index_prepared **out,
                  strbuf *err);

/* The content hash of an article as stored in SLOT_HASH (16 hex digits
 * and a NUL into out). */
void index_content_hash(const article *art, char out[17]);

/* The analyzer of a worker, for callers that need one on the same thread;
 * borrowed, valid until index_worker_free. */
analyzer *index_worker_analyzer(index_worker *w);

#endif
