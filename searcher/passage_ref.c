/* Decoding passage records; see passage_ref.h. */
#include "passage_ref.h"

#include "../indexer/index_schema.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"

void passage_ref_release(passage_ref *p)
{
	free(p->id);
	free(p->title);
	free(p->date);
	free(p->source);
	free(p->url);
	free(p->lang);
	for (size_t i = 0; i < PASSAGE_ENT_FIELDS * p->nents; i++)
		free(p->ents[i]);
	free(p->ents);
	for (size_t i = 0; i < PASSAGE_QUOTE_FIELDS * p->nquotes; i++)
		free(p->quotes[i]);
	free(p->quotes);
}

/* A header field of the passage data, its escapes ("\\n", "\\\\") undone;
 * owned by the caller. */
static char *unescape_field(const char *s, size_t n)
{
	char *o = xmalloc(n + 1), *w = o;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			*w++ = s[i] == 'n' ? '\n' : s[i];
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	return o;
}

/* Parse "id\nn\nstart\nend\n", the five escaped lines title, date,
 * source, url, lang, then "type\tkey\n" lines, officials with a role
 * "type\tkey\trole\twhere\n" (index_doc.c). */
/* The n tab-separated fields of c[0..le) into f (each a new string, ""
 * for those the line lacks). */
static void split_fields(char **f, int n, const char *c, const char *le)
{
	for (int k = 0; k < n; k++) {
		const char *t2 = c < le ? memchr(c, '\t', (size_t)(le - c)) : NULL;
		const char *fe = t2 ? t2 : le;
		f[k] = xstrndup(c, c < le ? (size_t)(fe - c) : 0);
		c = t2 ? t2 + 1 : le;
	}
}

int passage_ref_parse(const char *d, size_t len, passage_ref *p)
{
	memset(p, 0, sizeof *p);
	const char *end = d + len, *s = d;
	const char *fields[9];
	size_t flen[9];
	for (int i = 0; i < 9; i++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			return -1;
		fields[i] = s;
		flen[i] = (size_t)(nl - s);
		s = nl + 1;
	}
	p->id = xstrndup(fields[0], flen[0]);
	p->n = (unsigned)strtoul(fields[1], NULL, 10);
	p->start = (uint32_t)strtoul(fields[2], NULL, 10);
	p->end = (uint32_t)strtoul(fields[3], NULL, 10);
	p->title = unescape_field(fields[4], flen[4]);
	p->date = unescape_field(fields[5], flen[5]);
	p->source = unescape_field(fields[6], flen[6]);
	p->url = unescape_field(fields[7], flen[7]);
	p->lang = unescape_field(fields[8], flen[8]);
	size_t cap = 0, qcap = 0;
	size_t taglen = strlen(PASSAGE_QUOTE_TAG);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *tab = memchr(s, '\t', (size_t)(le - s));
		if (tab && (size_t)(tab - s) == taglen &&
		    !memcmp(s, PASSAGE_QUOTE_TAG, taglen)) {
			XGROW(p->quotes, qcap, PASSAGE_QUOTE_FIELDS * (p->nquotes + 1));
			split_fields(p->quotes + PASSAGE_QUOTE_FIELDS * p->nquotes,
			             PASSAGE_QUOTE_FIELDS, tab + 1, le);
			p->nquotes++;
		} else if (tab) {
			XGROW(p->ents, cap, PASSAGE_ENT_FIELDS * (p->nents + 1));
			char **f = p->ents + PASSAGE_ENT_FIELDS * p->nents;
			f[0] = xstrndup(s, (size_t)(tab - s));
			/* key, role, where: tab-separated, the last two optional */
			split_fields(f + 1, PASSAGE_ENT_FIELDS - 1, tab + 1, le);
			p->nents++;
		}
		s = le + 1;
	}
	return 0;
}
