/* lede_article_get: one article as stored, text decompressed. */
#include "search_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"

/* The public record and the stored one it points into. */
typedef struct article_box {
	lede_article pub;
	stored_article *a;
	lede_entity *ents;
	char *copy_of;
} article_box;

int lede_article_get(lede_article **out, lede_db *db, const char *id)
{
	*out = NULL;
	if (!db || !db->db)
		return LEDE_EUSAGE;
	stored_article *a = NULL;
	read_retry rr = read_retry_start();
	int rc;
	do {
		stored_article_free(a);
		a = NULL;
		rc = stored_article_load(db, id, 1, &a);
	} while (read_retry_again(&rr, db, &rc));
	if (rc) {
		stored_article_free(a);
		return rc;
	}
	article_box *b = xcalloc(1, sizeof *b);
	b->a = a;
	b->pub.id = a->id;
	b->pub.title = a->title;
	b->pub.date = a->date;
	b->pub.source = a->source;
	b->pub.url = a->url;
	b->pub.lang = a->lang;
	b->pub.authors = a->authors;
	b->pub.body = sb_cstr(&a->body);
	b->pub.body_len = a->body.len;
	b->ents = xcalloc(a->nents ? a->nents : 1, sizeof *b->ents);
	for (size_t i = 0; i < a->nents; i++) {
		b->ents[i].type = a->ent_types[i];
		b->ents[i].key = a->ent_keys[i];
		b->ents[i].role = a->ent_roles[i];
		b->ents[i].where = a->ent_wheres[i];
	}
	b->pub.entities = b->ents;
	b->pub.nentities = a->nents;
	b->copy_of = xstrdup(a->group && strcmp(a->group, a->id) != 0 ? a->group
	                                                              : "");
	b->pub.copy_of = b->copy_of;
	b->pub.passages = (unsigned)a->nspans;
	for (size_t i = 0; i < a->nquotes; i++) {
		lede_quote *q = &a->quotes[i];
		q->matched = 1;
		int ok = q->end >= q->start && q->end <= a->body.len;
		q->text = ok ? sb_cstr(&a->body) + q->start : "";
		q->text_len = ok ? q->end - q->start : 0;
	}
	b->pub.quotes = a->quotes;
	b->pub.nquotes = a->nquotes;
	/* the public record is the first member: callers free through it */
	*out = &b->pub;
	return LEDE_OK;
}

void lede_article_free(lede_article *pub)
{
	if (!pub)
		return;
	article_box *b = (article_box *)pub;
	stored_article_free(b->a);
	free(b->ents);
	free(b->copy_of);
	free(b);
}
