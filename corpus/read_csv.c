/* CSV and TSV exports (Media Cloud, AG News) through libcsv: a header row
 * names the columns (mapped like JSON keys); without one, the last column
 * is the text and the one before it the title (AG News' class,title,
 * description). Input is fed one physical line at a time so that rejects
 * can name a line, and no field may outgrow max_record_bytes. */
#include "read_internal.h"
#include "../common/xalloc.h"

#include <csv.h>
#include <string.h>

typedef struct csv_state {
	rd_ctx *rc;
	art_build ab;
	strbuf row;          /* fields, each followed by a NUL */
	size_t *off;         /* start of each field in row */
	size_t nf, off_cap;
	rd_field *map;       /* per column, once the header is known */
	size_t ncols;
	int have_header;
	int overflow;        /* this row grew past max */
	int unterminated;    /* the input ended inside a quoted field */
	int escapes;         /* "\n" is always an escape here (escape_style) */
	uint64_t line;       /* physical line being fed */
	uint64_t row_start;  /* line where the current row began */
	uint64_t quote_line; /* where the row's first field holding a line
	                        break (a quoted one) opened; 0: none */
	strbuf dec;          /* decoded field */
} csv_state;

static void on_field(void *data, size_t n, void *vp)
{
	csv_state *st = vp;
	if (st->overflow || st->row.len + n + 1 > st->rc->max) {
		st->overflow = 1;
		return;
	}
	/* the field ends on the line being fed: it opened as many lines up
	 * as it holds line breaks */
	if (!st->quote_line && data && memchr(data, '\n', n)) {
		uint64_t breaks = 0;
		for (const char *p = data, *e = p + n;
		     (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
			breaks++;
		st->quote_line = st->line > breaks ? st->line - breaks : 1;
	}
	XGROW(st->off, st->off_cap, st->nf + 1);
	st->off[st->nf++] = st->row.len;
	sb_add(&st->row, data ? data : "", data ? n : 0);
	sb_addch(&st->row, '\0');
}

/* Numeric character reference to UTF-8 in out; Windows-1252 for 128-159
 * (feeds and exports write &#146; meaning a right quote). */
static void put_ref(strbuf *out, unsigned long cp)
{
	static const uint16_t cp1252[32] = {
		0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
		0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
	};
	if (cp >= 128 && cp < 160)
		cp = cp1252[cp - 128];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
		cp = 0xFFFD;
	char b[4];
	int k;
	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	sb_add(out, b, (size_t)k);
}

/* An entity at s (after '&' or AG News' stand-in space): its length
 * including ';', or 0. */
static size_t entity(const char *s, size_t n, strbuf *out)
{
	static const struct { const char *name; const char *text; } named[] = {
		{"quot;", "\""}, {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"},
		{"apos;", "'"}, {"nbsp;", " "},
	};
	if (n >= 3 && s[0] == '#') {
		size_t i = 1;
		unsigned long v = 0;
		while (i < n && i < 8 && s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (unsigned long)(s[i++] - '0');
		if (i > 1 && i < n && s[i] == ';') {
			put_ref(out, v);
			return i + 1;
		}
		return 0;
	}
	for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
		size_t l = strlen(named[k].name);
		if (n >= l && memcmp(s, named[k].name, l) == 0) {
			sb_addstr(out, named[k].text);
			return l;
		}
	}
	return 0;
}

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Two ways of writing line breaks inside a column, told apart per file:
 * exports that escape them ("office.\n\nThe orders", sample/tsv) and AG
 * News, which writes a bare backslash ("after\talks", "a\network": the
 * word after it starts with t or n). A "\n" or "\t" followed by a
 * backslash, a capital, a digit or a quote is escape style; AG News never
 * writes one (none in its 7,600 test rows). Once seen, it holds for the
 * rest of the file. */
static int escape_style(const char *s, size_t n)
{
	for (const char *p = memchr(s, '\\', n); p && p + 2 < s + n;
	     p = memchr(p + 1, '\\', (size_t)(s + n - p - 1))) {
		char c = p[2];
		if ((p[1] == 'n' || p[1] == 't') &&
		    (c == '\\' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '"' || c == '\''))
			return 1;
	}
	return 0;
}

/* Undo the escapes that exports leave in text columns:
 * - "\n" and "\t" are a line break/tab; in a file not in escape style
 *   (see escape_style) only when not the start of a word, and a lone
 *   backslash is a line break: AG News writes its newlines as "\";
 * - HTML entities, including AG News' mangled form " #39;" (the '&' turned
 *   into a space).
 * Returns s itself when there is nothing to undo, else st->dec's buffer
 * (valid until the next call). */
static const char *decode_text(csv_state *st, const char *s, size_t n,
                               size_t *out_n)
{
	if (!memchr(s, '\\', n) && !memchr(s, '&', n) && !memchr(s, ';', n)) {
		*out_n = n;
		return s;
	}
	strbuf *o = &st->dec;
	sb_reset(o);
	if (!st->escapes)
		st->escapes = escape_style(s, n);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\') {
			char d = i + 1 < n ? s[i + 1] : 0;
			char e = i + 2 < n ? s[i + 2] : 0;
			/* in escape style "\n" and "\t" are escapes even before a
			 * letter ("\nthe next line"): news text holds no paths */
			if ((d == 'n' || d == 't') && (st->escapes || !is_letter(e))) {
				sb_addch(o, d == 'n' ? '\n' : '\t');
				i++;
			} else if (d == '\\') {
				sb_addch(o, '\\');
				i++;
			} else {
				sb_addch(o, '\n');
			}
			continue;
		}
		if (c == '&' || (c == ' ' && i + 1 < n &&
		                 (s[i + 1] == '#' || is_letter(s[i + 1])))) {
			size_t k = entity(s + i + 1, n - i - 1, o);
			if (k) {
				i += k;
				continue;
			}
		}
		sb_addch(o, c);
	}
	*out_n = o->len;
	return o->buf;
}

static void map_header(csv_state *st)
{
	st->ncols = st->nf;
	st->map = xcalloc(st->ncols ? st->ncols : 1, sizeof *st->map);
	int any = 0;
	for (size_t i = 0; i < st->nf; i++) {
		st->map[i] = rd_field_from_name(st->row.buf + st->off[i]);
		any |= st->map[i] != RF_NONE;
	}
	st->have_header = any;
	if (!any && st->ncols >= 2) {
		st->map[st->ncols - 1] = RF_BODY;
		st->map[st->ncols - 2] = RF_TITLE;
	} else if (!any && st->ncols == 1) {
		st->map[0] = RF_BODY;
	}
}

static void take_row(csv_state *st)
{
	rd_ctx *rc = st->rc;
	art_build *ab = &st->ab;
	ab_reset(ab);
	ab->line = st->row_start;
	size_t fallback = (size_t)-1;
	int have_body = 0;
	for (size_t i = 0; i < st->nf; i++) {
		const char *s = st->row.buf + st->off[i];
		size_t n = (i + 1 < st->nf ? st->off[i + 1] : st->row.len) - st->off[i] - 1;
		if (!n)
			continue;
		switch (st->map[i]) {
		case RF_ID:     if (!ab->id.len) ab_set(ab, &ab->id, s, n); break;
		case RF_TITLE:
			if (!ab->title.len) {
				size_t m;
				const char *t = decode_text(st, s, n, &m);
				ab_set(ab, &ab->title, t, m);
			}
			break;
		case RF_BODY:
			if (!have_body) {
				size_t m;
				const char *t = decode_text(st, s, n, &m);
				ab_body_text(ab, t, m);
				have_body = ab->body.len > 0;
			}
			break;
		case RF_BODY_FALLBACK:
			if (fallback == (size_t)-1)
				fallback = i;
			break;
		case RF_DATE:   if (!ab->date.len) ab_set_date(ab, s, n); break;
		case RF_URL:    if (!ab->url.len) ab_set(ab, &ab->url, s, n); break;
		case RF_SOURCE: if (!ab->source.len) ab_set(ab, &ab->source, s, n); break;
		case RF_LANG:   if (!ab->lang.len) ab_set(ab, &ab->lang, s, n); break;
		case RF_AUTHORS:
			if (!ab->authors.len) {
				/* a list in one cell: "A; B" or "A, B" as given */
				ab_add_author(ab, s, n);
			}
			break;
		case RF_NONE:
			break;
		}
	}
	if (!have_body && fallback != (size_t)-1) {
		const char *s = st->row.buf + st->off[fallback];
		size_t n = (fallback + 1 < st->nf ? st->off[fallback + 1] : st->row.len) -
		           st->off[fallback] - 1;
		size_t m;
		const char *t = decode_text(st, s, n, &m);
		ab_body_text(ab, t, m);
	}
	rd_emit(rc, ab);
}

static void on_row(int term, void *vp)
{
	(void)term;
	csv_state *st = vp;
	rd_ctx *rc = st->rc;
	if (rc->stopped)
		goto next;
	if (st->overflow) {
		rd_reject(rc, st->row_start, "record longer than %zu bytes", rc->max);
		goto next;
	}
	if (!st->map) {
		map_header(st);
		if (st->have_header)
			goto next;
	}
	if (st->unterminated) {
		rd_reject(rc, st->row_start, "quoted field never closed (it "
		          "opened on line %llu; every line after it was read "
		          "into it)",
		          (unsigned long long)(st->quote_line ? st->quote_line
		                                              : st->row_start));
		goto next;
	}
	if (st->nf == 1 && st->row.len == 1)
		goto next;  /* an empty line */
	if (st->nf != st->ncols && st->quote_line && st->line > st->row_start) {
		/* an unbalanced quote swallows the rows after it: name them */
		rd_reject(rc, st->row_start, "row has %zu fields, expected %zu: "
		          "the quote opened on line %llu is not closed before "
		          "line %llu, so lines %llu-%llu were read as one row",
		          st->nf, st->ncols, (unsigned long long)st->quote_line,
		          (unsigned long long)st->line,
		          (unsigned long long)st->row_start,
		          (unsigned long long)st->line);
		goto next;
	}
	if (st->nf != st->ncols) {
		rd_reject(rc, st->row_start, "row has %zu fields, expected %zu",
		          st->nf, st->ncols);
		goto next;
	}
	take_row(st);
next:
	sb_reset(&st->row);
	st->nf = 0;
	st->overflow = 0;
	st->quote_line = 0;
	st->row_start = st->line + 1;
}

static void parser_init(struct csv_parser *p, char delim)
{
	csv_init(p, CSV_APPEND_NULL);
	csv_set_delim(p, (unsigned char)delim);
}

void corpus_read_csv(rd_ctx *rc, rd_src *src, char delim)
{
	csv_state st;
	memset(&st, 0, sizeof st);
	st.rc = rc;
	ab_init(&st.ab);
	st.line = 1;
	st.row_start = 1;
	struct csv_parser p;
	parser_init(&p, delim);
	unsigned char *chunk = xmalloc(RD_CHUNK);
	int skipping = 0;   /* after an overlong field: drop the rest of a line */
	int any = 0;
	size_t n;
	while (!rc->stopped && (n = rd_src_read(src, chunk, RD_CHUNK)) > 0) {
		if (!any)  /* decided before the first row, so it holds for all */
			st.escapes = escape_style((const char *)chunk, n);
		any = 1;
		size_t i = 0;
		while (i < n && !rc->stopped) {
			unsigned char *nl = memchr(chunk + i, '\n', n - i);
			size_t seg = nl ? (size_t)(nl - (chunk + i)) + 1 : n - i;
			if (!skipping) {
				if (csv_parse(&p, chunk + i, seg, on_field, on_row, &st) != seg) {
					rd_reject(rc, st.row_start, "csv: %s",
					          csv_strerror(csv_error(&p)));
					skipping = 1;
				} else if (st.row.len + p.entry_pos > rc->max) {
					/* the field being read, with the row so far: the
					 * same count as on_field's, so the bound is exact */
					rd_reject(rc, st.row_start, "record longer than %zu bytes",
					          rc->max);
					skipping = 1;
				}
				if (skipping) {
					/* start afresh after this line */
					csv_free(&p);
					parser_init(&p, delim);
					sb_reset(&st.row);
					st.nf = 0;
					st.overflow = 0;
				}
			}
			i += seg;
			if (nl) {
				st.line++;
				if (skipping) {
					skipping = 0;
					st.row_start = st.line;
				}
			}
		}
	}
	if (!rc->stopped) {
		/* libcsv's states: 2 is "inside a field"; quoted and still
		 * inside at the end means the closing quote never came, and
		 * the row has swallowed every line after its opening quote */
		st.unterminated = p.pstate == 2 && p.quoted;
		csv_fini(&p, on_field, on_row, &st);
	}
	if (!any && !src->error)
		rd_reject(rc, 1, "empty file");
	if (src->error)
		rd_reject(rc, st.line, "read error: %s", src->errmsg);
	csv_free(&p);
	free(chunk);
	free(st.off);
	free(st.map);
	sb_release(&st.row);
	sb_release(&st.dec);
	ab_release(&st.ab);
}
