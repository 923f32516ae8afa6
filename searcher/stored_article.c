/* Reading an article document back: its JSON header, its entities and its
 * deflated text (written by indexer/index_doc.c). */
#include "search_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"
#include "../corpus/textpack.h"
#include "../indexer/index_schema.h"
#include "passage_ref.h"

void stored_article_free(stored_article *a)
{
	if (!a)
		return;
	free(a->id);
	free(a->title);
	free(a->date);
	free(a->source);
	free(a->url);
	free(a->lang);
	free(a->authors);
	free(a->spans);
	for (size_t i = 0; i < a->nents; i++) {
		free(a->ent_types[i]);
		free(a->ent_keys[i]);
		free(a->ent_roles[i]);
		free(a->ent_wheres[i]);
	}
	free(a->ent_types);
	free(a->ent_keys);
	free(a->ent_roles);
	free(a->ent_wheres);
	sb_release(&a->body);
	free(a->group);
	free(a->quotes);
	sb_release(&a->quote_strs);
	free(a);
}

static char *str_field(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return xstrdup(s ? s : "");
}

/* The JSON header of an article document (index_doc.c). */
static int decode(stored_article *a, const char *data, size_t len)
{
	json_error_t je;
	json_t *o = json_loadb(data, len, 0, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	a->id = str_field(o, "id");
	a->title = str_field(o, "title");
	a->date = str_field(o, "date");
	a->source = str_field(o, "source");
	a->url = str_field(o, "url");
	a->lang = str_field(o, "lang");
	a->authors = str_field(o, "authors");
	json_t *spans = json_object_get(o, "passages");
	size_t n = json_array_size(spans);
	a->spans = xcalloc(n ? n : 1, sizeof *a->spans);
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(spans, i);
		a->spans[i][0] = (uint32_t)json_integer_value(json_array_get(s, 0));
		a->spans[i][1] = (uint32_t)json_integer_value(json_array_get(s, 1));
	}
	a->nspans = n;
	json_t *ents = json_object_get(o, "entities");
	n = json_array_size(ents);
	a->ent_types = xcalloc(n ? n : 1, sizeof(char *));
	a->ent_keys = xcalloc(n ? n : 1, sizeof(char *));
	a->ent_roles = xcalloc(n ? n : 1, sizeof(char *));
	a->ent_wheres = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(ents, i);
		const char *t = json_string_value(json_array_get(e, 0));
		const char *k = json_string_value(json_array_get(e, 1));
		a->ent_types[i] = xstrdup(t ? t : "");
		a->ent_keys[i] = xstrdup(k ? k : "");
		/* officials: [type, key, role, where] (format 3 headers have
		 * two elements, so both stay NULL) */
		const char *r = json_string_value(json_array_get(e, 2));
		const char *w = json_string_value(json_array_get(e, 3));
		a->ent_roles[i] = r && *r ? xstrdup(r) : NULL;
		a->ent_wheres[i] = w && *w ? xstrdup(w) : NULL;
	}
	a->nents = n;
	/* quotes: [start, end, group, speaker, display, role, cue] */
	json_t *qs = json_object_get(o, "quotes");
	n = json_array_size(qs);
	a->quotes = xcalloc(n ? n : 1, sizeof *a->quotes);
	size_t (*offs)[4] = xcalloc(n ? n : 1, sizeof *offs);
	sb_addch(&a->quote_strs, '\0');
	for (size_t i = 0; i < n; i++) {
		json_t *q = json_array_get(qs, i);
		a->quotes[i].start = (uint32_t)json_integer_value(json_array_get(q, 0));
		a->quotes[i].end = (uint32_t)json_integer_value(json_array_get(q, 1));
		json_int_t g = json_integer_value(json_array_get(q, 2));
		a->quotes[i].quote = g >= 0 && (size_t)g < n ? (unsigned)g : (unsigned)i;
		for (int k = 0; k < 4; k++) {
			const char *v = json_string_value(json_array_get(q, 3 + (size_t)k));
			offs[i][k] = 0;
			if (v && *v) {
				offs[i][k] = a->quote_strs.len;
				sb_addstr(&a->quote_strs, v);
				sb_addch(&a->quote_strs, '\0');
			}
		}
	}
	/* the strings have stopped moving: point at them */
	for (size_t i = 0; i < n; i++) {
		const char *base = a->quote_strs.buf;
		a->quotes[i].speaker = base + offs[i][0];
		a->quotes[i].speaker_display = base + offs[i][1];
		a->quotes[i].role = base + offs[i][2];
		a->quotes[i].cue = base + offs[i][3];
	}
	free(offs);
	a->nquotes = n;
	json_decref(o);
	return 0;
}

/* A failed lookup of article id (shim status rc) as a lede status, with
 * db's message set. */
static int article_lookup_failed(lede_db *db, int rc, const char *id)
{
	if (rc == LX_ENOTFOUND)
		return lede_fail(db, LEDE_ENOTFOUND, "no article with id %s", id);
	return lede_fail(db, lede_status_from_lx(rc), "%s",
	                 lx_db_errmsg(db->db));
}

/* The docid of article id: 0 or a status with db's message set. */
static int find_article(lede_db *db, const char *id, uint32_t *docid)
{
	strbuf t = STRBUF_INIT;
	index_id_term(&t, PFX_UID, id);
	int rc = t.len <= 245 ? lx_db_find(db->db, t.buf, t.len, docid)
	                      : LX_ENOTFOUND;
	sb_release(&t);
	return rc == 0 ? 0 : article_lookup_failed(db, rc, id);
}

/* The body of article id, which has npassages passages, into out: their
 * packed segments in passage order (index_segment_start). 0, or -1 when
 * a segment is missing or damaged. Passages are taken in docid order,
 * which is their order within a shard; a passage numbered out of turn
 * (another shard's copy of the same id) is passed over. */
static int load_body(lede_db *db, const char *id, size_t npassages,
                     strbuf *out)
{
	strbuf t = STRBUF_INIT;
	index_id_term(&t, PFX_ARTICLE, id);
	uint32_t *ds = NULL;
	size_t nd = 0;
	int ok = t.len <= 245 &&
	         lx_db_term_docids(db->db, t.buf, t.len, &ds, &nd) == 0;
	sb_release(&t);
	size_t got = 0;
	for (size_t i = 0; ok && i < nd && got < npassages; i++) {
		char *data = NULL;
		size_t dlen = 0;
		passage_ref p;
		memset(&p, 0, sizeof p);
		int mine = lx_db_get_data(db->db, ds[i], &data, &dlen) == 0 &&
		           passage_ref_parse(data, dlen, &p) == 0 &&
		           p.n == got && strcmp(p.id, id) == 0;
		passage_ref_release(&p);
		free(data);
		if (!mine)
			continue;
		char *packed = NULL;
		size_t plen = 0;
		ok = lx_db_get_value(db->db, ds[i], SLOT_TEXT, &packed, &plen) == 0 &&
		     textpack_decompress(packed, plen, out) == 0;
		free(packed);
		got++;
	}
	free(ds);
	return ok && got == npassages ? 0 : -1;
}

int stored_article_load(lede_db *db, const char *id, int with_body,
                        stored_article **out)
{
	*out = NULL;
	uint32_t docid;
	int rc = find_article(db, id, &docid);
	if (rc != 0)
		return rc;
	char *data = NULL, *group = NULL;
	size_t len = 0, glen = 0;
	rc = lx_db_get_data(db->db, docid, &data, &len);
	if (rc == 0)
		rc = lx_db_get_value(db->db, docid, SLOT_GROUP, &group, &glen);
	if (rc != 0) {
		free(data);
		free(group);
		return lede_fail(db, lede_status_from_lx(rc), "%s",
		                 lx_db_errmsg(db->db));
	}
	stored_article *a = xcalloc(1, sizeof *a);
	int bad = decode(a, data, len);
	free(data);
	if (!bad && with_body)
		bad = load_body(db, a->id, a->nspans ? a->nspans : 1, &a->body);
	a->group = group;
	if (bad) {
		stored_article_free(a);
		return lede_fail(db, LEDE_EDB, "article %s: stored record is "
		                 "damaged; re-index it", id);
	}
	*out = a;
	return LEDE_OK;
}
