/* Plain-text articles, one per file: line 1 the headline, then optional
 * "Key: value" header lines, a blank line, paragraphs. Mail and Usenet
 * posts (an RFC 822 header block first) are the same shape with the title
 * in Subject:. Does not decode MIME: news archives rarely need it. */
#include "read_internal.h"

#include <string.h>
#include <strings.h>

/* A title line longer than this is a paragraph with no headline. */
#define TXT_MAX_TITLE 500

typedef enum hdr_kind {
	H_OTHER, H_TITLE, H_DATE, H_SOURCE, H_GROUPS, H_URL, H_LANG, H_AUTHOR,
	H_ID
} hdr_kind;

static const struct {
	const char *key;
	hdr_kind kind;
} known_headers[] = {
	{"title", H_TITLE}, {"subject", H_TITLE}, {"headline", H_TITLE},
	{"date", H_DATE}, {"published", H_DATE},
	{"source", H_SOURCE}, {"publisher", H_SOURCE}, {"newsgroups", H_GROUPS},
	{"url", H_URL}, {"link", H_URL},
	{"lang", H_LANG}, {"language", H_LANG},
	{"author", H_AUTHOR}, {"authors", H_AUTHOR}, {"by", H_AUTHOR},
	{"byline", H_AUTHOR}, {"from", H_AUTHOR},
	{"id", H_ID}, {"message-id", H_ID},
	/* mail and Usenet headers we read past */
	{"organization", H_OTHER}, {"lines", H_OTHER}, {"path", H_OTHER},
	{"distribution", H_OTHER}, {"reply-to", H_OTHER}, {"sender", H_OTHER},
	{"nntp-posting-host", H_OTHER}, {"keywords", H_OTHER},
	{"summary", H_OTHER}, {"references", H_OTHER}, {"xref", H_OTHER},
	{"followup-to", H_OTHER}, {"article-i.d.", H_OTHER},
	{"approved", H_OTHER}, {"expires", H_OTHER}, {"to", H_OTHER},
	{"cc", H_OTHER}, {"in-reply-to", H_OTHER}, {"mime-version", H_OTHER},
	{"content-type", H_OTHER}, {"content-transfer-encoding", H_OTHER},
	{"originator", H_OTHER}, {"supersedes", H_OTHER},
	{"received", H_OTHER}, {"return-path", H_OTHER},
};

/* Length of the key if s is "Key: value" or "Key:" with a key we know (or
 * an X- extension header, or with any, when generic); 0 otherwise. */
static size_t header_key(const char *s, size_t n, hdr_kind *kind, int generic)
{
	size_t k = 0;
	while (k < n && k < 40 &&
	       ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
	        (s[k] >= '0' && s[k] <= '9') || s[k] == '-' || s[k] == '.' ||
	        s[k] == '_'))
		k++;
	if (k == 0 || k >= n || s[k] != ':')
		return 0;
	if (k + 1 < n && s[k + 1] != ' ' && s[k + 1] != '\t')
		return 0;
	for (size_t i = 0; i < sizeof known_headers / sizeof known_headers[0]; i++)
		if (strlen(known_headers[i].key) == k &&
		    strncasecmp(s, known_headers[i].key, k) == 0) {
			if (kind)
				*kind = known_headers[i].kind;
			return k;
		}
	if (generic || (k > 2 && (s[0] == 'X' || s[0] == 'x') && s[1] == '-')) {
		if (kind)
			*kind = H_OTHER;
		return k;
	}
	return 0;
}

int rd_is_header_line(const char *s, size_t n)
{
	return header_key(s, n, NULL, 0) != 0;
}

/* Next line of [p, end): sets *ln, returns the start of the line after. */
static const char *next_line(const char *p, const char *end, size_t *ln)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *e = nl ? nl : end;
	*ln = (size_t)(e - p);
	if (*ln && p[*ln - 1] == '\r')
		(*ln)--;
	return nl ? nl + 1 : end;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static void apply_header(art_build *ab, hdr_kind kind, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	switch (kind) {
	case H_TITLE:  ab_set(ab, &ab->title, v, n); break;
	case H_DATE:   ab_set_date(ab, v, n); break;
	case H_SOURCE: ab_set(ab, &ab->source, v, n); break;
	case H_GROUPS: {
		/* the first newsgroup names the source */
		const char *c = memchr(v, ',', n);
		ab_set(ab, &ab->source, v, c ? (size_t)(c - v) : n);
		break;
	}
	case H_URL:    ab_set(ab, &ab->url, v, n); break;
	case H_LANG:   ab_set(ab, &ab->lang, v, n); break;
	case H_AUTHOR: ab_add_author(ab, v, n); break;
	case H_ID:     ab_set(ab, &ab->id, v, n); break;
	case H_OTHER:  break;
	}
}

/* Read a header block starting at p; returns where the body starts. A
 * header's folded continuation lines (leading whitespace) are joined. In
 * mail, any "Key: value" line belongs to the block; after a headline only
 * keys we know do (a first paragraph may well start "Word: ..."). */
static const char *read_headers(art_build *ab, const char *p, const char *end,
                                int mail)
{
	strbuf val = STRBUF_INIT;
	hdr_kind cur = H_OTHER;
	int have = 0;
	while (p < end) {
		size_t n;
		const char *after = next_line(p, end, &n);
		if (blank(p, n)) {
			p = after;
			break;
		}
		hdr_kind kind;
		size_t k;
		if ((p[0] == ' ' || p[0] == '\t') && have) {
			sb_addch(&val, ' ');
			sb_add(&val, p, n);
		} else if ((k = header_key(p, n, &kind, mail)) != 0) {
			if (have)
				apply_header(ab, cur, val.buf, val.len);
			sb_reset(&val);
			sb_add(&val, p + k + 1, n - k - 1);
			cur = kind;
			have = 1;
		} else {
			break;  /* not a header: the body starts here */
		}
		p = after;
	}
	if (have)
		apply_header(ab, cur, val.buf, val.len);
	sb_release(&val);
	return p;
}

void corpus_read_txt(rd_ctx *rc, rd_src *src)
{
	strbuf doc = STRBUF_INIT;
	art_build ab;
	ab_init(&ab);
	if (rd_src_read_all(src, &doc, rc->max) != 0) {
		rd_reject(rc, 1, "text file longer than %zu bytes", rc->max);
		goto out;
	}
	if (src->error) {
		rd_reject(rc, src->line, "read error: %s", src->errmsg);
		goto out;
	}
	const char *p = sb_cstr(&doc), *end = p + doc.len;
	while (p < end) {  /* leading blank lines */
		size_t n;
		const char *after = next_line(p, end, &n);
		if (!blank(p, n))
			break;
		p = after;
	}
	if (p == end) {
		rd_reject(rc, 1, doc.len ? "no text in file" : "empty file");
		goto out;
	}
	ab.line = 1;

	/* Mail/Usenet: the file opens with a header (possibly after the
	 * folded tail of a header cut off above it). */
	const char *q = p;
	size_t n;
	while (q < end && (*q == ' ' || *q == '\t'))
		q = next_line(q, end, &n);
	next_line(q, end, &n);
	if (q < end && rd_is_header_line(q, n)) {
		p = read_headers(&ab, q, end, 1);
	} else {
		const char *after = next_line(p, end, &n);
		if (n <= TXT_MAX_TITLE) {
			ab_set(&ab, &ab.title, p, n);
			p = read_headers(&ab, after, end, 0);
		}
	}
	ab_body_text(&ab, p, (size_t)(end - p));
	rd_emit(rc, &ab);
out:
	ab_release(&ab);
	sb_release(&doc);
}
