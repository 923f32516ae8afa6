/* Decoding passage records; see passage_ref.h. */
#include "passage_ref.h"

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
	for (size_t i = 0; i < 2 * p->nents; i++)
		free(p->ents[i]);
	free(p->ents);
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
 * source, url, lang, then "type\tkey\n" lines (index_doc.c). */
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
	size_t cap = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *tab = memchr(s, '\t', (size_t)(le - s));
		if (tab) {
			XGROW(p->ents, cap, 2 * (p->nents + 1));
			p->ents[2 * p->nents] = xstrndup(s, (size_t)(tab - s));
			p->ents[2 * p->nents + 1] = xstrndup(tab + 1,
			                                     (size_t)(le - tab - 1));
			p->nents++;
		}
		s = le + 1;
	}
	return 0;
}
