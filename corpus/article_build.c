/* The article under construction: every field goes through here, so that
 * UTF-8 repair, whitespace normalisation, ids and defaults are decided in
 * one place, whatever the input format. Knows nothing about formats. */
#include "read_internal.h"
#include "../common/escape.h"
#include "../common/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ab_init(art_build *ab)
{
	memset(ab, 0, sizeof *ab);
}

void ab_reset(art_build *ab)
{
	sb_reset(&ab->id);
	sb_reset(&ab->title);
	sb_reset(&ab->date);
	sb_reset(&ab->source);
	sb_reset(&ab->url);
	sb_reset(&ab->lang);
	sb_reset(&ab->authors);
	sb_reset(&ab->body);
	ab->line = 0;
}

void ab_release(art_build *ab)
{
	sb_release(&ab->id);
	sb_release(&ab->title);
	sb_release(&ab->date);
	sb_release(&ab->source);
	sb_release(&ab->url);
	sb_release(&ab->lang);
	sb_release(&ab->authors);
	sb_release(&ab->body);
	sb_release(&ab->tmp);
}

/* ---- UTF-8 ----
 * Policy for invalid UTF-8 (decided per string: a field, a JSON line):
 * if the string has not a single valid multi-byte UTF-8 sequence, it is
 * taken to be Windows-1252 (a superset of Latin-1's printable range) and
 * transcoded — that is what old newsroom files (BBC's "\xA3" pound sign)
 * are, and it gives the right character instead of a replacement mark.
 * If it has valid multi-byte sequences too, it is mostly UTF-8 with some
 * damage: each invalid byte becomes U+FFFD. NUL bytes are dropped always. */

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
/* Whether a folder name reads as a newsgroup: two or more dot-separated
 * parts of lower-case letters, digits, '-' and '+' (comp.sys.mac, alt.news). */
static int newsgroup_like(const char *s)
{
	int dots = 0, part = 0;
	for (; *s; s++) {
		if (*s == '.') {
			if (!part)
				return 0;
			dots++;
			part = 0;
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		           *s == '-' || *s == '+') {
			part++;
		} else {
			return 0;
		}
	}
	return dots > 0 && part > 0;
}

/* The host of url ("https://www.lavoz.example/x" -> "lavoz.example"),
 * lower-cased, without "www.", into out; 0 when url has none. */
static int url_host(const char *url, char *out, size_t cap)
{
	const char *p = strstr(url, "://");
	if (!p)
		return 0;
	p += 3;
	size_t n = strcspn(p, "/?#:@");
	if (p[n] == '@') {   /* user@host: the host is after it */
		p += n + 1;
		n = strcspn(p, "/?#:");
	}
	if (n >= 4 && !strncasecmp(p, "www.", 4)) {
		p += 4;
		n -= 4;
	}
	if (n == 0 || n >= cap || !memchr(p, '.', n))
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[n] = '\0';
	return 1;
}

static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0;       /* overlong */
		if (c == 0xED && p[1] >= 0xA0)
			return 0;       /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && p[1] < 0x90)
			return 0;
		if (c == 0xF4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

int rd_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* ASCII runs are the common case: eight bytes at a time. */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			/* high bit set, or a zero byte */
			if ((w & 0x8080808080808080ULL) ||
			    ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] == 0)
			return 0;
		size_t k = utf8_seq(p + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

static const uint16_t cp1252_hi[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static void put_utf8(strbuf *sb, unsigned cp)
{
	char b[3];
	if (cp < 0x80) {
		sb_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		sb_add(sb, b, 2);
	} else {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		sb_add(sb, b, 3);
	}
}

const char *rd_utf8_fix(const char *s, size_t n, strbuf *tmp, size_t *out_n)
{
	if (rd_utf8_valid(s, n)) {
		*out_n = n;
		return s;
	}
	const unsigned char *p = (const unsigned char *)s;
	size_t multi = 0;
	for (size_t i = 0; i < n;) {
		size_t k = p[i] ? utf8_seq(p + i, n - i) : 1;
		if (k > 1)
			multi++;
		i += k ? k : 1;
	}
	sb_reset(tmp);
	sb_grow(tmp, n + n / 2);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == 0) {
			i++;
			continue;
		}
		if (c < 0x80) {
			sb_addch(tmp, c);
			i++;
			continue;
		}
		if (!multi) {
			put_utf8(tmp, c < 0xA0 ? cp1252_hi[c - 0x80] : c);
			i++;
			continue;
		}
		size_t k = utf8_seq(p + i, n - i);
		if (k) {
			sb_add(tmp, p + i, k);
			i += k;
		} else {
			put_utf8(tmp, 0xFFFD);
			i++;
		}
	}
	*out_n = tmp->len;
	return sb_cstr(tmp);
}

/* ---- whitespace ---- */

/* Append s to out with whitespace normalised. In paragraph mode a
 * whitespace run holding two or more line breaks becomes "\n\n", any other
 * run one space; otherwise every run is one space. Leading and trailing
 * whitespace go; C0 controls and DEL are dropped. join: what to put before
 * the first word if out is not empty (0 none, 1 space, 2 paragraph). */
static void norm_append(strbuf *out, const char *s, size_t n, int paras,
                        int join)
{
	const unsigned char *p = (const unsigned char *)s;
	/* Output is at most the input plus a leading "\n\n", except that a
	 * lone form feed between two words becomes "\n\n" too: one byte in,
	 * two out (found by fuzz_csv, tests/fuzz/crashes/csv/). */
	size_t room = n + 2;
	if (paras)
		for (const unsigned char *f = p; (f = memchr(f, '\f', n - (size_t)(f - p)));
		     f++)
			room++;
	sb_grow(out, room);
	char *o = out->buf + out->len;
	char *start = out->buf;
	int ws = 0, nl = 0;
	int pending = out->len ? join : 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c <= ' ' || c == 0x7F ||
		    (c == 0xC2 && i + 1 < n && p[i + 1] == 0xA0)) {
			switch (c) {
			case ' ': case '\t': case '\r': case '\v':
				ws = 1;
				break;
			case '\n':
				ws = 1;
				nl++;
				break;
			case '\f':
				ws = 1;
				nl += 2;
				break;
			case 0xC2:  /* no-break space */
				ws = 1;
				i++;
				break;
			default:
				break;  /* other controls (NUL too) dropped */
			}
			continue;
		}
		if (ws | pending) {
			if (o != start) {
				if ((paras && nl >= 2) || pending == 2) {
					*o++ = '\n';
					*o++ = '\n';
				} else {
					*o++ = ' ';
				}
			}
			ws = nl = pending = 0;
		}
		*o++ = (char)c;
	}
	out->len = (size_t)(o - out->buf);
	out->buf[out->len] = '\0';
}

void ab_set(art_build *ab, strbuf *field, const char *s, size_t n)
{
	size_t m;
	const char *t = rd_utf8_fix(s, n, &ab->tmp, &m);
	if (!field->len) {
		norm_append(field, t, m, 0, 0);
		return;
	}
	strbuf tmpfield = STRBUF_INIT;
	norm_append(&tmpfield, t, m, 0, 0);
	if (tmpfield.len) {
		sb_release(field);
		*field = tmpfield;
	} else {
		sb_release(&tmpfield);
	}
}

void ab_add_author(art_build *ab, const char *s, size_t n)
{
	size_t m;
	const char *t = rd_utf8_fix(s, n, &ab->tmp, &m);
	size_t before = ab->authors.len;
	if (before)
		sb_addstr(&ab->authors, "; ");
	size_t mark = ab->authors.len;
	norm_append(&ab->authors, t, m, 0, 0);
	if (ab->authors.len == mark)
		sb_truncate(&ab->authors, before);
}

void ab_set_date(art_build *ab, const char *s, size_t n)
{
	char raw[128], out[11];
	if (n >= sizeof raw)
		n = sizeof raw - 1;
	memcpy(raw, s, n);
	raw[n] = '\0';
	if (corpus_parse_date(raw, out) == 0) {
		sb_reset(&ab->date);
		sb_addstr(&ab->date, out);
	}
}

void ab_body_text(art_build *ab, const char *s, size_t n)
{
	size_t m;
	const char *t = rd_utf8_fix(s, n, &ab->tmp, &m);
	norm_append(&ab->body, t, m, 1, 2);
}

void ab_body_para(art_build *ab, const char *s, size_t n)
{
	size_t m;
	const char *t = rd_utf8_fix(s, n, &ab->tmp, &m);
	norm_append(&ab->body, t, m, 0, 2);
}

/* ---- emitting ---- */

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int rd_emit(rd_ctx *rc, art_build *ab)
{
	corpus_reader_opts *o = rc->opts;
	rc->record++;
	if (!ab->title.len && !ab->body.len) {
		uint64_t line = ab->line;
		ab_reset(ab);
		rc->record--;  /* rd_reject counts it */
		rd_reject(rc, line, "record has neither title nor text");
		return rc->stopped;
	}
	char hashid[24];
	const char *id = sb_cstr(&ab->id);
	if (!ab->id.len)
		id = sb_cstr(&ab->url);
	if (!*id) {
		char num[32];
		int k = snprintf(num, sizeof num, "%llu",
		                 (unsigned long long)rc->record);
		uint64_t h = fnv1a(0xcbf29ce484222325ULL, rc->path,
		                   strlen(rc->path) + 1);
		h = fnv1a(h, num, (size_t)k);
		snprintf(hashid, sizeof hashid, "h:%016llx", (unsigned long long)h);
		id = hashid;
	}
	const char *lang = sb_cstr(&ab->lang);
	if (!*lang && o->default_lang)
		lang = o->default_lang;
	/* A record that does not name its source: the one given for the
	 * run, else its folder when that is named like a newsgroup
	 * (20news-bydate keeps alt.atheism's posts in alt.atheism/), else
	 * its URL's host. Not any folder: archives are sorted into folders
	 * by topic or by export ("politics", "corpora"). */
	const char *source = sb_cstr(&ab->source);
	char host[256];
	if (!*source && o->default_source && *o->default_source)
		source = o->default_source;
	else if (!*source && rc->folder && newsgroup_like(rc->folder))
		source = rc->folder;
	else if (!*source && url_host(sb_cstr(&ab->url), host, sizeof host))
		source = host;
	article a = {
		.id = id,
		.title = sb_cstr(&ab->title),
		.date = sb_cstr(&ab->date),
		.source = source,
		.url = sb_cstr(&ab->url),
		.lang = lang,
		.authors = sb_cstr(&ab->authors),
		.body = sb_cstr(&ab->body),
		.body_len = ab->body.len,
		.path = rc->path,
		.record = rc->record,
		.line = ab->line,
	};
	o->articles++;
	int stop = o->on_article ? o->on_article(&a, o->ctx) : 0;
	ab_reset(ab);
	rd_progress(rc);
	if (stop)
		rc->stopped = 1;
	return rc->stopped;
}

void rd_warn(rd_ctx *rc, uint64_t line, const char *fmt, ...)
{
	if (!rc->opts->on_warn)
		return;
	strbuf msg = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	rc->opts->on_warn(rc->path, line, sb_cstr(&msg), rc->opts->ctx);
	sb_release(&msg);
}

void rd_reject(rd_ctx *rc, uint64_t line, const char *fmt, ...)
{
	strbuf msg = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	rc->record++;
	rc->opts->rejected++;
	/* whatever a reader quoted, the reason reaches the callback as one
	 * printable line (the readers cut their quotes shorter still) */
	strbuf line1 = STRBUF_INIT;
	esc_line(&line1, msg.buf ? msg.buf : "", msg.len, ESC_LINE_MAX);
	if (rc->opts->on_reject)
		rc->opts->on_reject(rc->path, line, sb_cstr(&line1), rc->opts->ctx);
	sb_release(&line1);
	sb_release(&msg);
}

/* ---- field names (JSON keys, CSV columns) ---- */

static const struct {
	const char *name;
	rd_field f;
} field_names[] = {
	{"id", RF_ID}, {"_id", RF_ID}, {"stories_id", RF_ID},
	{"story_id", RF_ID}, {"guid", RF_ID}, {"doc_id", RF_ID},
	{"title", RF_TITLE}, {"headline", RF_TITLE},
	{"text", RF_BODY}, {"body", RF_BODY}, {"content", RF_BODY},
	{"article", RF_BODY}, {"full_text", RF_BODY}, {"maintext", RF_BODY},
	{"description", RF_BODY_FALLBACK}, {"summary", RF_BODY_FALLBACK},
	{"abstract", RF_BODY_FALLBACK},
	{"date", RF_DATE}, {"published", RF_DATE}, {"publish_date", RF_DATE},
	{"pubdate", RF_DATE}, {"publishedat", RF_DATE},
	{"published_at", RF_DATE}, {"publication_date", RF_DATE},
	{"date_published", RF_DATE},
	{"url", RF_URL}, {"link", RF_URL}, {"permalink", RF_URL},
	{"source", RF_SOURCE}, {"media_name", RF_SOURCE},
	{"publisher", RF_SOURCE}, {"media", RF_SOURCE}, {"outlet", RF_SOURCE},
	{"site_name", RF_SOURCE},
	{"lang", RF_LANG}, {"language", RF_LANG},
	{"authors", RF_AUTHORS}, {"author", RF_AUTHORS}, {"byline", RF_AUTHORS},
	{"creator", RF_AUTHORS},
};

rd_field rd_field_from_name(const char *name)
{
	while (*name == ' ' || *name == '\t')
		name++;
	for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
		if (strcasecmp(name, field_names[i].name) == 0)
			return field_names[i].f;
	return RF_NONE;
}
