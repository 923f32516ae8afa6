/* `lede index` and `lede rm`: the writer half of indexing. An analysis
 * thread reads and analyses articles (index_doc.c) into a bounded queue;
 * this thread alone talks to the writable database, commits a batch every
 * commit_every articles, and keeps the database valid at every moment: a
 * crash loses at most the batch in progress, and a re-run finishes it
 * (unchanged articles are skipped by their content hash). */
#include "indexer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/xalloc.h"
#include "../corpus/simhash.h"
#include "../corpus/textpack.h"
#include "../shim/lx.h"
#include "analyzer.h"
#include "entities.h"
#include "index_dedup.h"
#include "index_doc.h"
#include "index_db.h"
#include "index_schema.h"

_Static_assert(SIMHASH_NEAR_BITS <= 15,
               "index_dedup.c finds matches within 15 bits only");

/* Analysed articles waiting for the writer. The writer stalls for a
 * while at each commit; a deep queue keeps the analysis thread busy
 * meanwhile (Reuters+BBC+newsgroups+AG+Spanish, --no-sync: 64 articles
 * 16.9 s, 1024 14.0 s, 4096 13.0 s). Bounded in bytes too, so that huge
 * articles cannot fill memory. */
#define QUEUE_MAX 4096
#define QUEUE_MAX_BYTES ((size_t)64 << 20)

typedef struct queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	index_prepared *v[QUEUE_MAX];
	size_t head, n;
	size_t bytes;   /* text bytes of the articles in the queue */
	/* Articles the writer has written, for the producer to free: freeing
	 * a document is a walk over its term map and a free per node, and
	 * the memory came from the producer's allocator, so it is cheaper
	 * there and the writer is the busier thread. */
	index_prepared *spent;
	pthread_cond_t spent_ready;  /* for the producer, once it is done */
	int done;       /* the producer has finished */
	uint64_t pushed, popped;
	uint64_t commit_at;  /* commit once this many have been popped (the
	                        producer may block on its next input) */
	int commit_wanted;
	int writer_done;  /* the writer has taken its last article */
	int cancelled;  /* the consumer gave up: the producer stops */
} queue;

/* Ids seen so far in this run, as 64-bit hashes (0 marks a free slot).
 * Only the first sight of an id may be skipped against the committed
 * database: a later one must reach the writer, whose check sees this
 * run's own pending version (else "v1, v2" in one input would leave v1
 * on every other run). A hash collision only costs the writer's check. */
typedef struct id_set {
	uint64_t *v;
	size_t cap, n;
} id_set;

static uint64_t id_hash(const char *id)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;
}

/* Add h; returns 1 if it was there already. */
static int id_set_add(id_set *s, uint64_t h)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint64_t *v = xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->v[i])
				continue;
			size_t j = s->v[i] & (cap - 1);
			while (v[j])
				j = (j + 1) & (cap - 1);
			v[j] = s->v[i];
		}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	size_t i = h & (s->cap - 1);
	while (s->v[i]) {
		if (s->v[i] == h)
			return 1;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = h;
	s->n++;
	return 0;
}

typedef struct producer {
	const indexer_opts *opts;
	char *const *paths;
	int npaths;
	queue *q;
	index_worker *worker;
	lx_db *reader;            /* committed state, to skip unchanged early */
	dedup_table *dedup;       /* every fingerprint so far, this thread's:
	                             the lookup is off the writer's path */
	uint64_t files, rejected, unchanged;
	/* files opened and bytes read (on disk) over every path so far;
	 * each article carries them to the writer's progress line */
	uint64_t live_files, live_bytes;
	uint64_t base_files, base_bytes;  /* of the paths read before */
	id_set seen;
	strbuf err;
} producer;

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Returns 0, or -1 when the consumer has cancelled (p is then freed). */
static void free_list(index_prepared *p)
{
	while (p) {
		index_prepared *next = p->next;
		index_prepared_free(p);
		p = next;
	}
}

static int queue_push(queue *q, index_prepared *p)
{
	pthread_mutex_lock(&q->mu);
	index_prepared *spent = q->spent;
	q->spent = NULL;
	pthread_mutex_unlock(&q->mu);
	free_list(spent);
	pthread_mutex_lock(&q->mu);
	while ((q->n == QUEUE_MAX || (q->n && q->bytes >= QUEUE_MAX_BYTES)) &&
	       !q->cancelled)
		pthread_cond_wait(&q->not_full, &q->mu);
	if (q->cancelled) {
		pthread_mutex_unlock(&q->mu);
		index_prepared_free(p);
		return -1;
	}
	q->v[(q->head + q->n) % QUEUE_MAX] = p;
	q->n++;
	q->pushed++;
	q->bytes += p->bytes;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

/* The producer is about to read an input that may block (a FIFO, a
 * pipe on stdin): the writer should commit what it has been given so
 * far rather than hold it uncommitted while the producer waits. */
static void queue_request_commit(queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->commit_at = q->pushed;
	q->commit_wanted = 1;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
}

/* The next article, or NULL when the producer is done. done (may be
 * NULL) is the article popped before, written: the producer frees it.
 * *commit: set when the writer should commit before it writes the
 * article returned (or before waiting for one). */
static index_prepared *queue_pop(queue *q, index_prepared *done, int *commit)
{
	*commit = 0;
	pthread_mutex_lock(&q->mu);
	if (done) {
		done->next = q->spent;
		q->spent = done;
		if (q->done)
			pthread_cond_signal(&q->spent_ready);
	}
	while (q->n == 0 && !q->done &&
	       !(q->commit_wanted && q->popped >= q->commit_at))
		pthread_cond_wait(&q->not_empty, &q->mu);
	index_prepared *p = NULL;
	if (q->commit_wanted && q->popped >= q->commit_at) {
		q->commit_wanted = 0;
		*commit = 1;
	} else if (q->n) {
		p = q->v[q->head];
		q->head = (q->head + 1) % QUEUE_MAX;
		q->n--;
		q->popped++;
		q->bytes -= p->bytes;
		pthread_cond_signal(&q->not_full);
	} else {
		q->writer_done = 1;
		pthread_cond_signal(&q->spent_ready);
	}
	pthread_mutex_unlock(&q->mu);
	return p;
}

/* After a failure: take every article left (the producer, cancelled,
 * frees them), ignoring commit requests. */
static void queue_drain(queue *q, index_prepared *written)
{
	index_prepared *p;
	int commit;
	while ((p = queue_pop(q, written, &commit)) != NULL || commit)
		written = p;
}

static void queue_cancel(queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->cancelled = 1;
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->mu);
}

static void report_reject(const indexer_opts *o, const char *path,
                          uint64_t line, const char *reason)
{
	if (o->on_reject)
		o->on_reject(path, line, reason, o->ctx);
}

static void on_reject(const char *path, uint64_t line, const char *reason,
                      void *ctx)
{
	producer *pr = ctx;
	pr->rejected++;
	report_reject(pr->opts, path, line, reason);
}

static void on_warn(const char *path, uint64_t line, const char *reason,
                    void *ctx)
{
	producer *pr = ctx;
	pr->opts->on_warn(path, line, reason, pr->opts->ctx);
}

/* Whether the committed database already holds this article unchanged. */
static int already_indexed(producer *pr, const article *art)
{
	if (!pr->reader)
		return 0;
	strbuf t = STRBUF_INIT;
	index_id_term(&t, PFX_UID, art->id);
	uint32_t docid;
	int same = 0;
	if (t.len <= 245 && lx_db_find(pr->reader, t.buf, t.len, &docid) == 0) {
		char *v = NULL;
		size_t n = 0;
		if (lx_db_get_value(pr->reader, docid, SLOT_HASH, &v, &n) == 0 &&
		    n == 16) {
			char h[17];
			index_content_hash(art, h);
			same = memcmp(h, v, 16) == 0;
		}
		free(v);
	}
	sb_release(&t);
	return same;
}

static int on_article(const article *art, void *ctx)
{
	producer *pr = ctx;
	int again = id_set_add(&pr->seen, id_hash(art->id));
	if (!again && already_indexed(pr, art)) {
		pr->unchanged++;
		return 0;
	}
	index_prepared *p;
	strbuf why = STRBUF_INIT;
	if (index_prepare(pr->worker, art, &p, &why) != 0) {
		pr->rejected++;
		strbuf line = STRBUF_INIT;
		sb_addf(&line, "record %llu: %s", (unsigned long long)art->record,
		        sb_cstr(&why));
		report_reject(pr->opts, art->path, art->line, line.buf);
		sb_release(&line);
		sb_release(&why);
		return 0;
	}
	sb_release(&why);
	/* A near-duplicate candidate among everything indexed before this
	 * article, in input order; the writer confirms it on the texts. */
	p->copy_candidate = dedup_table_find(pr->dedup, p->fingerprint,
	                                     SIMHASH_NEAR_BITS);
	if (p->copy_candidate)
		p->nshingles = dedup_shingles(art->body, art->body_len,
		                              &p->shingles);
	dedup_table_add(pr->dedup, p->fingerprint);
	/* where reading stood: once the writer has written it, this much
	 * of the input is done */
	p->read_files = pr->live_files;
	p->read_bytes = pr->live_bytes;
	return queue_push(pr->q, p) == 0 ? 0 : 1;
}

static void on_progress(uint64_t files, uint64_t disk_bytes, void *ctx)
{
	producer *pr = ctx;
	pr->live_files = pr->base_files + files;
	pr->live_bytes = pr->base_bytes + disk_bytes;
}

static void *producer_main(void *arg)
{
	producer *pr = arg;
	for (int i = 0; i < pr->npaths; i++) {
		corpus_reader_opts ro = { 0 };
		ro.format = pr->opts->format;
		ro.default_lang = pr->opts->lang;
		ro.default_source = pr->opts->source;
		ro.on_article = on_article;
		ro.on_reject = on_reject;
		ro.on_warn = pr->opts->on_warn ? on_warn : NULL;
		/* where reading stands is for the progress line only (a
		 * gzipped input's offset is a system call per article) */
		ro.on_progress = pr->opts->progress ? on_progress : NULL;
		ro.ctx = pr;
		/* a FIFO or a pipe on stdin may keep the reader waiting:
		 * everything read before it is committed first */
		struct stat st;
		const char *path = pr->paths[i];
		if (i > 0 && (strcmp(path, "-") == 0 ||
		              (stat(path, &st) == 0 && S_ISFIFO(st.st_mode))))
			queue_request_commit(pr->q);
		int rc = corpus_read_path(path, &ro);
		pr->files += ro.files;
		pr->base_files += ro.files;
		pr->base_bytes += ro.disk_bytes;
		if (rc < 0)
			break;  /* the writer cancelled */
	}
	queue *q = pr->q;
	pthread_mutex_lock(&q->mu);
	q->done = 1;
	pthread_cond_broadcast(&q->not_empty);
	/* Keep freeing what the writer has written until it has all: the
	 * queue may hold thousands of articles still. */
	while (!q->writer_done) {
		index_prepared *spent = q->spent;
		q->spent = NULL;
		if (!spent) {
			pthread_cond_wait(&q->spent_ready, &q->mu);
			continue;
		}
		pthread_mutex_unlock(&q->mu);
		free_list(spent);
		pthread_mutex_lock(&q->mu);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

static void set_meta(lx_wdb *db, const char *key, const char *value)
{
	lx_wdb_set_metadata(db, key, value, strlen(value));
}

/* Record the parameters the index was built with, and generation: the
 * newest generation with documents once this commit is done. */
static void write_metadata(lx_wdb *db, const indexer_opts *o,
                           const char *langs, uint64_t generation)
{
	char buf[64];
	set_meta(db, META_FORMAT, LEDE_INDEX_FORMAT);
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)generation);
	set_meta(db, META_GENERATION, buf);
	snprintf(buf, sizeof buf, "%d", ANALYZER_VERSION);
	set_meta(db, META_ANALYZER, buf);
	snprintf(buf, sizeof buf, "%d", ENTITIES_VERSION);
	set_meta(db, META_ENTITIES, buf);
	snprintf(buf, sizeof buf, "%zu,%zu,%zu", o->passages.target_words,
	         o->passages.max_words, o->passages.min_words);
	set_meta(db, META_PASSAGE, buf);
	set_meta(db, META_LANGS, langs);
}

/* Add lang to the comma-separated set langs (if not there). */
static void langs_add(strbuf *langs, const char *lang)
{
	size_t n = strlen(lang);
	const char *s = sb_cstr(langs);
	while (*s) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == n && memcmp(s, lang, n) == 0)
			return;
		s += len + (e != NULL);
	}
	if (langs->len)
		sb_addch(langs, ',');
	sb_add(langs, lang, n);
}

/* Every fingerprint already in the database, from its XF terms. */
static void load_fingerprints(lx_db *db, dedup_table *t)
{
	lx_termiter *it;
	if (!db || lx_db_allterms(db, PFX_FINGERPRINT, &it) != 0)
		return;
	const char *term;
	size_t len;
	while (lx_termiter_next(it, &term, &len, NULL) == 1) {
		if (len != 18)
			continue;
		char hex[17];
		memcpy(hex, term + 2, 16);
		hex[16] = '\0';
		dedup_table_add(t, strtoull(hex, NULL, 16));
	}
	lx_termiter_free(it);
}

/* The body of the article whose document is docid, into body: its
 * passages' segments in order (one write adds an article's passages in
 * order, so their docids ascend). 0, or -1 when it cannot be read. */
static int stored_body(lx_wdb *db, uint32_t docid, strbuf *body)
{
	char *id = NULL;
	size_t idl = 0;
	if (lx_wdb_get_value(db, docid, SLOT_ARTICLE, &id, &idl) != 0 || !idl) {
		free(id);
		return -1;
	}
	strbuf t = STRBUF_INIT;
	index_id_term(&t, PFX_ARTICLE, id);
	free(id);
	uint32_t *ds = NULL;
	size_t nd = 0;
	int ok = lx_wdb_term_docids(db, t.buf, t.len, &ds, &nd) == 0 && nd > 0;
	sb_release(&t);
	for (size_t i = 0; ok && i < nd; i++) {
		char *packed = NULL;
		size_t plen = 0;
		ok = lx_wdb_get_value(db, ds[i], SLOT_TEXT, &packed, &plen) == 0 &&
		     textpack_decompress(packed, plen, body) == 0;
		free(packed);
	}
	free(ds);
	return ok ? 0 : -1;
}

/* The group id of the article whose fingerprint is fp, if its text
 * confirms that p is a copy of it. Caller frees. */
static char *group_of(lx_wdb *db, uint64_t fp, const index_prepared *p)
{
	char term[32];
	int n = snprintf(term, sizeof term, "%s%016llx", PFX_FINGERPRINT,
	                 (unsigned long long)fp);
	uint32_t docid;
	if (lx_wdb_find(db, term, (size_t)n, &docid) != 0)
		return NULL;
	strbuf body = STRBUF_INIT;
	int ok = stored_body(db, docid, &body) == 0;
	uint64_t *sh = NULL;
	size_t nsh = ok ? dedup_shingles(body.buf, body.len, &sh) : 0;
	sb_release(&body);
	double r = dedup_resemblance(p->shingles, p->nshingles, sh, nsh);
	free(sh);
	if (r < DEDUP_MIN_RESEMBLANCE)
		return NULL;
	char *v = NULL;
	size_t len = 0;
	if (lx_wdb_get_value(db, docid, SLOT_GROUP, &v, &len) != 0 || !len) {
		free(v);
		return NULL;
	}
	return v;
}

static void mark_copy(index_prepared *p, const char *group)
{
	size_t gl = strlen(group);
	for (size_t i = 0; i <= p->npassages; i++) {
		lx_doc *d = i < p->npassages ? p->passage_docs[i] : p->article_doc;
		lx_doc_set_value(d, SLOT_GROUP, group, gl);
		if (i < p->npassages)
			index_set_facets(d, group, p->facet_tail, p->facet_tail_len);
		lx_doc_add_boolean_term(d, PFX_COPY "copy", strlen(PFX_COPY) + 4);
	}
}

typedef struct writer {
	lx_wdb *db;
	const indexer_opts *opts;
	strbuf langs;
	indexer_summary *sum;
	unsigned in_batch;
	/* The batch in progress is generation gen; last is the newest one
	 * committed with documents (META_GENERATION). A batch that wrote
	 * nothing takes no number. */
	uint64_t gen, last;
} writer;

/* The generation number of the batch in progress, after metadata's. */
static void read_generation(writer *w)
{
	char *v = NULL;
	size_t n = 0;
	w->last = 0;
	if (lx_wdb_get_metadata(w->db, META_GENERATION, &v, &n) == 0 && n)
		w->last = strtoull(v, NULL, 10);
	free(v);
	w->gen = w->last + 1;
}

/* Commit the batch in progress with the metadata. 0, or the indexer
 * status with err set. */
static int commit_batch(writer *w, strbuf *err)
{
	uint64_t last = w->in_batch ? w->gen : w->last;
	write_metadata(w->db, w->opts, sb_cstr(&w->langs), last);
	int cr = lx_wdb_commit(w->db);
	if (cr != 0) {
		sb_addf(err, "%s: commit: %s", w->opts->db_path,
		        lx_wdb_errmsg(w->db));
		return index_map_lx_error(cr);
	}
	if (w->in_batch) {
		w->last = w->gen;
		w->gen++;
	}
	w->in_batch = 0;
	return 0;
}

/* A generation value of an article document (SLOT_GENERATION or
 * SLOT_FIRST_GENERATION); 0 when it has none. */
static uint64_t doc_generation(lx_wdb *db, uint32_t docid, uint32_t slot)
{
	char *v = NULL;
	size_t n = 0;
	uint64_t g = 0;
	if (lx_wdb_get_value(db, docid, slot, &v, &n) == 0 && n)
		g = (uint64_t)lx_sortable_unserialise(v, n);
	free(v);
	return g;
}

/* Stamp p's documents with the generation being written, and the one
 * that first wrote the article (first: the same for a new article). */
static void stamp_generation(index_prepared *p, uint64_t gen, uint64_t first)
{
	for (size_t i = 0; i <= p->npassages; i++) {
		lx_doc *d = i < p->npassages ? p->passage_docs[i] : p->article_doc;
		lx_doc_set_value_number(d, SLOT_GENERATION, (double)gen);
		lx_doc_set_value_number(d, SLOT_FIRST_GENERATION, (double)first);
	}
}

/* Write one article (replacing an earlier version and its passages).
 * Returns 0 or an lx error code. */
static int write_article(writer *w, index_prepared *p)
{
	strbuf t = STRBUF_INIT;
	index_id_term(&t, PFX_UID, p->id);
	uint32_t docid;
	int exists = lx_wdb_find(w->db, t.buf, t.len, &docid) == 0;
	int rc = 0;
	if (exists) {
		char *h = NULL;
		size_t hl = 0;
		int same = lx_wdb_get_value(w->db, docid, SLOT_HASH, &h, &hl) == 0 &&
		           hl == 16 && memcmp(h, p->hash, 16) == 0;
		free(h);
		if (same) {  /* the same article twice in one run */
			w->sum->unchanged++;
			sb_release(&t);
			return 0;
		}
		/* an update: "first" stays the first version's generation (its
		 * own generation when it has no first, 0 before generations) */
		uint64_t first = doc_generation(w->db, docid, SLOT_FIRST_GENERATION);
		if (!first)
			first = doc_generation(w->db, docid, SLOT_GENERATION);
		stamp_generation(p, w->gen, first);
		strbuf a = STRBUF_INIT;
		index_id_term(&a, PFX_ARTICLE, p->id);
		rc = lx_wdb_delete(w->db, a.buf, a.len, NULL);
		sb_release(&a);
	}
	if (!exists)
		stamp_generation(p, w->gen, w->gen);
	uint64_t match = p->copy_candidate;
	char *group = NULL;
	if (match && !exists) {
		group = group_of(w->db, match, p);
		if (group && strcmp(group, p->id) != 0) {
			mark_copy(p, group);
			w->sum->copies++;
		}
	}
	if (rc == 0) {
		/* the group term of the article document: copies are counted
		 * by its term frequency */
		strbuf g = STRBUF_INIT;
		index_id_term(&g, PFX_GROUP, group ? group : p->id);
		lx_doc_add_boolean_term(p->article_doc, g.buf, g.len);
		sb_release(&g);
		/* a new id is a plain add: replace would look the id term up
		 * again, only to add the document with the same docid */
		rc = exists ? lx_wdb_replace(w->db, t.buf, t.len, p->article_doc,
		                             NULL)
		            : lx_wdb_add(w->db, p->article_doc, NULL);
	}
	free(group);
	for (size_t i = 0; rc == 0 && i < p->npassages; i++)
		rc = lx_wdb_add(w->db, p->passage_docs[i], NULL);
	sb_release(&t);
	if (rc != 0)
		return rc;
	langs_add(&w->langs, p->lang);
	if (exists)
		w->sum->updated++;
	else
		w->sum->added++;
	w->sum->passages += p->npassages;
	w->sum->bytes += p->bytes;
	return 0;
}

/* n bytes for people: "850 KB", "12.3 MB", "1.20 GB". */
static void add_size(strbuf *out, uint64_t n)
{
	if (n < 1000000)
		sb_addf(out, "%.0f KB", n / 1e3);
	else if (n < 1000000000)
		sb_addf(out, "%.1f MB", n / 1e6);
	else
		sb_addf(out, "%.2f GB", n / 1e9);
}

void indexer_progress_line(strbuf *out, const indexer_progress *p)
{
	sb_addf(out, "indexing: %llu", (unsigned long long)p->files);
	if (p->total_files >= p->files && p->total_files)
		sb_addf(out, " of %llu", (unsigned long long)p->total_files);
	sb_addstr(out, p->files == 1 && !p->total_files ? " file, " : " files, ");
	if (p->total_bytes >= p->bytes && p->total_bytes) {
		/* both in the unit of the total: "1.2 of 4.5 MB" */
		strbuf tot = STRBUF_INIT;
		add_size(&tot, p->total_bytes);
		const char *unit = strchr(sb_cstr(&tot), ' ');
		double div = unit && unit[1] == 'K' ? 1e3 : unit && unit[1] == 'M'
		             ? 1e6 : 1e9;
		sb_addf(out, div == 1e3 ? "%.0f of %s" : div == 1e6 ? "%.1f of %s"
		        : "%.2f of %s", p->bytes / div, sb_cstr(&tot));
		sb_release(&tot);
	} else {
		add_size(out, p->bytes);
	}
	double rate = p->seconds > 0 ? p->bytes / p->seconds : 0;
	sb_addf(out, ", %llu articles, %llu passages, %.1f MB/s",
	        (unsigned long long)p->articles, (unsigned long long)p->passages,
	        rate / 1e6);
	if (p->total_bytes > p->bytes && rate > 0) {
		double eta = (double)(p->total_bytes - p->bytes) / rate;
		if (eta < 120)
			sb_addf(out, ", ETA %.0f s", eta < 1 ? 1 : eta);
		else if (eta < 7200)
			sb_addf(out, ", ETA %.0f min", eta / 60);
		else
			sb_addf(out, ", ETA %.0f h %02.0f min", (double)(long)(eta / 3600),
			        (double)((long)eta % 3600 / 60));
	}
}

/* The progress line on stderr, over the one before: the input as far as
 * the last article written (done is that article; reading runs ahead of
 * writing by up to the queue, so this is what is really done). */
static void progress_line(const indexer_summary *s, const index_prepared *done,
                          double t0, uint64_t total_files,
                          uint64_t total_bytes)
{
	indexer_progress p = {
		done->read_files, total_files, done->read_bytes, total_bytes,
		s->added + s->updated, s->passages, now_seconds() - t0
	};
	strbuf line = STRBUF_INIT;
	indexer_progress_line(&line, &p);
	fprintf(stderr, "\r%s\033[K", sb_cstr(&line));
	sb_release(&line);
}

int indexer_run(const indexer_opts *opts, char *const *paths, int npaths,
                indexer_summary *sum, strbuf *err)
{
	memset(sum, 0, sizeof *sum);
	double t0 = now_seconds();
	/* Batches are committed without fsync: a killed process loses
	 * nothing the kernel has, and every batch committed before the kill
	 * stays (Xapian's commit is atomic). One sync of the whole database at
	 * the end makes it durable against power loss too. */
	int flags = LX_WDB_CREATE | LX_WDB_NO_SYNC;
	lx_wdb *db;
	int rc = lx_wdb_open(&db, opts->db_path, flags);
	if (rc != 0)
		return index_open_failed(err, opts->db_path, rc);
	rc = index_check_format(db, opts->db_path, err);
	if (rc != 0) {
		lx_wdb_close(db);
		return rc;
	}

	char *gerr = NULL;
	analyzer *ga = analyzer_new();
	gazetteer *gaz = gazetteer_load_builtin(ga, &gerr);
	analyzer_free(ga);
	if (!gaz) {
		sb_addf(err, "gazetteer: %s", gerr ? gerr : "cannot load");
		free(gerr);
		lx_wdb_close(db);
		return INDEXER_EDB;
	}

	writer w = { db, opts, STRBUF_INIT, sum, 0, 0, 0 };
	read_generation(&w);
	char *old_langs = NULL;
	size_t ol = 0;
	if (lx_wdb_get_metadata(db, META_LANGS, &old_langs, &ol) == 0 && ol)
		sb_add(&w.langs, old_langs, ol);
	free(old_langs);

	queue q = { .mu = PTHREAD_MUTEX_INITIALIZER,
	            .not_empty = PTHREAD_COND_INITIALIZER,
	            .not_full = PTHREAD_COND_INITIALIZER,
	            .spent_ready = PTHREAD_COND_INITIALIZER };
	producer pr = { 0 };
	pr.opts = opts;
	pr.paths = paths;
	pr.npaths = npaths;
	pr.q = &q;
	pr.worker = index_worker_new(gaz, &opts->passages, opts->lang);
	if (lx_db_open(&pr.reader, opts->db_path) != 0)
		pr.reader = NULL;
	pr.dedup = dedup_table_new();
	load_fingerprints(pr.reader, pr.dedup);

	pthread_t th;
	if (pthread_create(&th, NULL, producer_main, &pr) != 0) {
		sb_addstr(err, "cannot start the analysis thread");
		rc = INDEXER_EDB;
		goto out_nothread;
	}
	unsigned every = opts->commit_every ? opts->commit_every
	                                    : INDEXER_COMMIT_EVERY;
	/* what will be read, for the ETA: a walk of stat calls, cheap
	 * beside reading (and only for a terminal) */
	uint64_t total_files = 0, total_bytes = 0;
	for (int i = 0; opts->progress && i < npaths; i++)
		corpus_input_size(paths[i], &total_files, &total_bytes);
	double last_progress = 0;
	index_prepared *p, *written = NULL;
	int commit_now;
	while ((p = queue_pop(&q, written, &commit_now)) != NULL || commit_now) {
		written = p;
		if (commit_now) {
			/* the producer may block on its next input: what came
			 * before it is committed now, not held */
			if (w.in_batch && (rc = commit_batch(&w, err)) != 0) {
				queue_cancel(&q);
				queue_drain(&q, NULL);
				break;
			}
			continue;
		}
		int wr = write_article(&w, p);
		if (wr != 0) {
			sb_addf(err, "%s: %s", opts->db_path, lx_wdb_errmsg(db));
			rc = index_map_lx_error(wr);
			queue_cancel(&q);
			queue_drain(&q, written);
			break;
		}
		if (++w.in_batch >= every && (rc = commit_batch(&w, err)) != 0) {
			queue_cancel(&q);
			queue_drain(&q, written);
			break;
		}
		if (opts->progress && now_seconds() - last_progress > 0.5) {
			last_progress = now_seconds();
			progress_line(sum, p, t0, total_files, total_bytes);
		}
	}
	pthread_join(th, NULL);
	/* what the producer left: the last queue_pop took the last article */
	free_list(q.spent);
	q.spent = NULL;
	if (opts->progress)
		fputs("\r\033[K", stderr);

out_nothread:
	if (rc == 0)
		write_metadata(db, opts, sb_cstr(&w.langs),
		               w.in_batch ? w.gen : w.last);
	int cr = lx_wdb_close(db);
	if (rc == 0 && cr != 0) {
		sb_addf(err, "%s: commit: %s", opts->db_path, lx_last_errmsg());
		rc = index_map_lx_error(cr);
	}
	if (rc == 0 && !opts->no_sync && index_sync_dir(opts->db_path) != 0) {
		sb_addf(err, "%s: cannot sync to disk: %s", opts->db_path,
		        strerror(errno));
		rc = INDEXER_EDB;
	}
	sum->files = pr.files;
	sum->rejected += pr.rejected;
	sum->unchanged += pr.unchanged;
	sum->seconds = now_seconds() - t0;
	lx_db_close(pr.reader);
	free(pr.seen.v);
	index_worker_free(pr.worker);
	dedup_table_free(pr.dedup);
	gazetteer_free(gaz);
	sb_release(&w.langs);
	sb_release(&pr.err);
	return rc;
}

int indexer_remove(const char *db_path, char *const *ids, int nids,
                   uint64_t *removed, strbuf *err)
{
	*removed = 0;
	lx_wdb *db;
	int rc = lx_wdb_open(&db, db_path, 0);
	if (rc != 0)
		return index_open_failed(err, db_path, rc);
	rc = index_check_format(db, db_path, err);
	strbuf t = STRBUF_INIT;
	for (int i = 0; rc == 0 && i < nids; i++) {
		uint64_t n = 0;
		sb_reset(&t);
		index_id_term(&t, PFX_UID, ids[i]);
		int r = t.len <= 245 ? lx_wdb_delete(db, t.buf, t.len, &n) : 0;
		if (r == 0 && n) {
			sb_reset(&t);
			index_id_term(&t, PFX_ARTICLE, ids[i]);
			r = lx_wdb_delete(db, t.buf, t.len, NULL);
			(*removed)++;
		} else if (r == 0) {
			sb_addf(err, "%s: no article with id %s\n", db_path, ids[i]);
		}
		if (r != 0) {
			sb_addf(err, "%s: %s", db_path, lx_wdb_errmsg(db));
			rc = index_map_lx_error(r);
		}
	}
	sb_release(&t);
	int cr = lx_wdb_close(db);
	if (rc == 0 && cr != 0) {
		sb_addf(err, "%s: commit: %s", db_path, lx_last_errmsg());
		rc = index_map_lx_error(cr);
	}
	return rc;
}
