/* A passage document's record (index_schema.h, "Document data"), decoded:
 * everything a hit prints but its text. */
#ifndef LEDE_PASSAGE_REF_H
#define LEDE_PASSAGE_REF_H

#include <stddef.h>
#include <stdint.h>

#define PASSAGE_ENT_FIELDS 4
#define PASSAGE_QUOTE_FIELDS 7

typedef struct passage_ref {
	char *id, *title, *date, *source, *url, *lang;
	unsigned n;
	uint32_t start, end;
	char **ents;     /* PASSAGE_ENT_FIELDS strings per entity: "type",
	                    "key", "role", "where" ("" when none) */
	size_t nents;
	char **quotes;   /* PASSAGE_QUOTE_FIELDS strings per quote part:
	                    start, end, start of its first part, speaker,
	                    display, role, cue */
	size_t nquotes;
} passage_ref;

/* Parse the record d[0..len) into p (which it overwrites). 0, or -1 when
 * it is damaged; either way p owns what it holds afterwards: release it. */
int passage_ref_parse(const char *d, size_t len, passage_ref *p);
/* Free what p owns (not p itself). */
void passage_ref_release(passage_ref *p);

#endif
