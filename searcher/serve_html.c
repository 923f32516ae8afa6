/* HTML escaping and the URLs of lede serve's pages. Every string that
 * reaches a page from an article, a query or a database goes through
 * html_esc: articles are hostile input. Nothing here decides layout. */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "serve.h"

void html_esc(strbuf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *ent = NULL;
		switch (c) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: break;
		}
		if (ent) {
			sb_addstr(out, ent);
			i++;
			continue;
		}
		if (c < 0x80) {
			if (c < 0x20 && c != '\n' && c != '\t')
				sb_addstr(out, "\xef\xbf\xbd");
			else if (c == 0x7f)
				sb_addstr(out, "\xef\xbf\xbd");
			else
				sb_addch(out, c);
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (k > 0 && !(cp >= 0x80 && cp < 0xa0)) {
			sb_add(out, s + i, (size_t)k);
			i += (size_t)k;
		} else {
			sb_addstr(out, "\xef\xbf\xbd");
			i += k > 0 ? (size_t)k : 1;
		}
	}
}

void html_esc_str(strbuf *out, const char *s)
{
	if (s)
		html_esc(out, s, strlen(s));
}

void url_enc(strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			sb_addch(out, c);
		} else {
			sb_addch(out, '%');
			sb_addch(out, hex[c >> 4]);
			sb_addch(out, hex[c & 15]);
		}
	}
}

void serve_search_url(strbuf *out, const serve_query *q)
{
	sb_addstr(out, "/?q=");
	url_enc(out, q->q);
	if (q->sort == LEDE_SORT_DATE_DESC)
		sb_addstr(out, "&sort=-date");
	else if (q->sort == LEDE_SORT_DATE_ASC)
		sb_addstr(out, "&sort=date");
	if (q->since && *q->since) {
		sb_addstr(out, "&since=");
		url_enc(out, q->since);
	}
	if (q->until && *q->until) {
		sb_addstr(out, "&until=");
		url_enc(out, q->until);
	}
	if (q->no_dedup)
		sb_addstr(out, "&dedup=off");
	if (q->limit && q->limit != SERVE_PAGE_HITS)
		sb_addf(out, "&n=%u", q->limit);
	if (q->offset)
		sb_addf(out, "&offset=%u", q->offset);
}

/* Where `field:"value"` stands in q as a whole clause, or NULL. */
static const char *find_filter(const char *q, const char *field,
                               const char *value, size_t *len)
{
	strbuf f = STRBUF_INIT;
	sb_addf(&f, "%s:\"%s\"", field, value);
	const char *at = NULL;
	for (const char *p = strstr(q, sb_cstr(&f)); p;
	     p = strstr(p + 1, sb_cstr(&f))) {
		char after = p[f.len];
		if ((p == q || p[-1] == ' ') && (after == '\0' || after == ' ')) {
			at = p;
			break;
		}
	}
	*len = f.len;
	sb_release(&f);
	return at;
}

int serve_query_has(const char *q, const char *field, const char *value)
{
	size_t len;
	return find_filter(q, field, value, &len) != NULL;
}

int serve_query_toggle(strbuf *out, const char *q, const char *field,
                       const char *value)
{
	if (strchr(value, '"'))
		return -1;
	size_t len;
	const char *at = find_filter(q, field, value, &len);
	if (at) {
		size_t before = (size_t)(at - q);
		const char *rest = at + len;
		while (before && q[before - 1] == ' ')
			before--;
		sb_add(out, q, before);
		if (before && *rest)
			sb_addch(out, ' ');
		while (*rest == ' ')
			rest++;
		sb_addstr(out, rest);
		return 0;
	}
	size_t n = strlen(q);
	while (n && q[n - 1] == ' ')
		n--;
	sb_add(out, q, n);
	sb_addf(out, "%s%s:\"%s\"", n ? " " : "", field, value);
	return 0;
}
