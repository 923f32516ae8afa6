/* lede_stats_get: what a database holds — articles, passages, terms, size
 * on disk, languages, and the most frequent entities of each type counted
 * over articles. */
#include "search_internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/dir_bytes.h"
#include "../common/xalloc.h"
#include "../indexer/index_schema.h"

typedef struct stats_box {
	lede_stats pub;
	char *langs, *format;
	lede_results *facets;  /* owns the top[] arrays */
} stats_box;

static uint64_t termfreq(lede_db *db, const char *term)
{
	uint64_t n = 0;
	lx_db_termfreq(db->db, term, strlen(term), &n, NULL);
	return n;
}

/* Top entities of each type, counted over article documents. */
static int top_entities(lede_db *db, stats_box *b, unsigned top_n)
{
	lx_query *q = lx_query_term(DOCTYPE_ARTICLE, strlen(DOCTYPE_ARTICLE), 1,
	                            0);
	int rc = search_facets(&b->facets, db, q,
	                       LEDE_FACET_CITY | LEDE_FACET_STATE |
	                       LEDE_FACET_OFFICIAL | LEDE_FACET_AGENCY |
	                       LEDE_FACET_RESPONSE, top_n);
	lx_query_free(q);
	if (rc)
		return rc;
	for (int t = 0; t < 5; t++)
		b->pub.top[t] = lede_results_facet(b->facets, 1u << t,
		                                   &b->pub.ntop[t]);
	return 0;
}

static int stats_once(lede_stats **out, lede_db *db, unsigned top_n)
{
	stats_box *b = xcalloc(1, sizeof *b);
	b->pub.articles = termfreq(db, DOCTYPE_ARTICLE);
	uint64_t docs = 0;
	lx_db_doccount(db->db, &docs);
	/* every document that is not an article is a passage */
	b->pub.passages = docs - b->pub.articles;
	/* a stub: its local shards' (a remote one's size is the server's
	 * to tell) */
	if (db->local_shards.len || db->nremotes) {
		for (const char *p = sb_cstr(&db->local_shards); *p;) {
			const char *nl = strchr(p, '\n');
			char *dir = xstrndup(p, (size_t)(nl - p));
			b->pub.disk_bytes += dir_file_bytes(dir);
			free(dir);
			p = nl + 1;
		}
	} else {
		b->pub.disk_bytes = dir_file_bytes(db->path);
	}
	b->pub.remote_shards = db->nremotes;
	lx_termiter *it;
	if (lx_db_allterms(db->db, NULL, &it) == 0) {
		const char *t;
		size_t len;
		while (lx_termiter_next(it, &t, &len, NULL) == 1)
			if (len && !(t[0] >= 'A' && t[0] <= 'Z'))
				b->pub.terms++;
		lx_termiter_free(it);
	}
	char *v = NULL;
	size_t n = 0;
	lx_db_get_metadata(db->db, META_FORMAT, &v, &n);
	b->format = v ? v : xstrdup("");
	b->langs = xstrdup(db->langs);
	b->pub.format = b->format;
	b->pub.langs = b->langs;
	int rc = top_entities(db, b, top_n);
	if (rc) {
		lede_stats_free(&b->pub);
		return rc;
	}
	*out = &b->pub;
	return LEDE_OK;
}

int lede_stats_get(lede_stats **out, lede_db *db, unsigned top_n)
{
	*out = NULL;
	if (!db || !db->db)
		return LEDE_EUSAGE;
	read_retry rr = read_retry_start();
	int rc;
	do {
		rc = stats_once(out, db, top_n);
	} while (read_retry_again(&rr, db, &rc) &&
	         (lede_stats_free(*out), *out = NULL, 1));
	if (rc != LEDE_OK) {
		lede_stats_free(*out);
		*out = NULL;
	}
	return rc;
}

void lede_stats_free(lede_stats *pub)
{
	if (!pub)
		return;
	stats_box *b = (stats_box *)pub;
	free(b->langs);
	free(b->format);
	lede_results_free(b->facets);
	free(b);
}
