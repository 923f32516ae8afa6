/* lede_stats_get: what a database holds — articles, passages, terms, size
 * on disk, languages, and the most frequent entities of each type counted
 * over articles. */
#include "search_internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/xalloc.h"
#include "../indexer/index_schema.h"

static const char *const type_name[5] = {
	"city", "state", "official", "agency", "response"
};

typedef struct stats_box {
	lede_stats pub;
	char *langs, *format;
	lede_facet_value *top[5];
	strbuf pool;
	char **strs;
	size_t nstrs, cap;
} stats_box;

static uint64_t termfreq(lede_db *db, const char *term)
{
	uint64_t n = 0;
	lx_db_termfreq(db->db, term, strlen(term), &n, NULL);
	return n;
}

/* Bytes of the files of a database directory (not recursive: glass keeps
 * its tables side by side). */
static uint64_t dir_bytes(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return 0;
	uint64_t total = 0;
	struct dirent *e;
	strbuf p = STRBUF_INIT;
	while ((e = readdir(d)) != NULL) {
		sb_reset(&p);
		sb_addf(&p, "%s/%s", path, e->d_name);
		struct stat st;
		if (stat(p.buf, &st) == 0 && S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
	}
	sb_release(&p);
	closedir(d);
	return total;
}

static int value_cmp(const void *a, const void *b)
{
	const lede_facet_value *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* Top entities of each type, counted over article documents from their
 * entity-list slots. */
static int top_entities(lede_db *db, stats_box *b, unsigned top_n)
{
	lx_enquire *enq;
	if (lx_enquire_new(&enq, db->db) != 0)
		return lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
	lx_query *q = lx_query_term(DOCTYPE_ARTICLE, strlen(DOCTYPE_ARTICLE), 1,
	                            0);
	lx_enquire_set_query(enq, q);
	lx_query_free(q);
	lx_enquire_set_weighting(enq, "bool", NULL, 0);
	lx_enquire_add_facet(enq, SLOT_ENTITIES);
	uint64_t docs = 0;
	lx_db_doccount(db->db, &docs);
	lx_mset *ms;
	int rc = lx_enquire_get_mset(enq, 0, 0, (uint32_t)docs, &ms);
	if (rc != 0) {
		rc = lede_fail(db, lede_status_from_lx(rc), "%s",
		               lx_enquire_errmsg(enq));
		lx_enquire_free(enq);
		return rc;
	}
	for (int t = 0; t < 5; t++) {
		lede_facet_value *v = NULL;
		size_t n = 0, cap = 0, nvalues = 0;
		uint32_t slot = SLOT_ENTITIES;
		const char *type = type_name[t];
		size_t tl = strlen(type);
		lx_mset_facet_size(ms, slot, &nvalues, NULL);
		for (size_t i = 0; i < nvalues; i++) {
			const char *val;
			size_t len;
			uint64_t count;
			if (lx_mset_facet_get(ms, slot, i, &val, &len, &count) != 0)
				continue;
			size_t s = 0;
			while (s < len) {
				const char *nl = memchr(val + s, '\n', len - s);
				size_t e = nl ? (size_t)(nl - val) : len;
				/* "type\tkey" lines of this type */
				if (e - s > tl + 1 && memcmp(val + s, type, tl) == 0 &&
				    val[s + tl] == '\t') {
					const char *key = val + s + tl + 1;
					size_t kl = e - s - tl - 1, j;
					for (j = 0; j < n; j++)
						if (strlen(v[j].value) == kl &&
						    memcmp(v[j].value, key, kl) == 0)
							break;
					if (j == n) {
						XGROW(v, cap, n + 1);
						XGROW(b->strs, b->cap, b->nstrs + 1);
						b->strs[b->nstrs] = xstrndup(key, kl);
						v[n].value = b->strs[b->nstrs++];
						v[n].count = 0;
						n++;
					}
					v[j].count += count;
				}
				s = e + 1;
			}
		}
		if (n)
			qsort(v, n, sizeof *v, value_cmp);
		if (top_n && n > top_n)
			n = top_n;
		b->top[t] = v;
		b->pub.top[t] = v;
		b->pub.ntop[t] = n;
	}
	lx_mset_free(ms);
	lx_enquire_free(enq);
	return 0;
}

int lede_stats_get(lede_stats **out, lede_db *db, unsigned top_n)
{
	*out = NULL;
	if (!db || !db->db)
		return LEDE_EUSAGE;
	stats_box *b = xcalloc(1, sizeof *b);
	b->pub.articles = termfreq(db, DOCTYPE_ARTICLE);
	uint64_t docs = 0;
	lx_db_doccount(db->db, &docs);
	/* every document that is not an article is a passage */
	b->pub.passages = docs - b->pub.articles;
	b->pub.disk_bytes = dir_bytes(db->path);
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

void lede_stats_free(lede_stats *pub)
{
	if (!pub)
		return;
	stats_box *b = (stats_box *)pub;
	free(b->langs);
	free(b->format);
	for (int t = 0; t < 5; t++)
		free(b->top[t]);
	for (size_t i = 0; i < b->nstrs; i++)
		free(b->strs[i]);
	free(b->strs);
	sb_release(&b->pool);
	free(b);
}
