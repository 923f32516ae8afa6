/* Shared plumbing of the corpus readers (private to corpus/read_*.c and
 * article_build.c): a bounded buffered input over zlib, the article under
 * construction, and the reporting of articles and rejects. Not public API. */
#ifndef LEDE_READ_INTERNAL_H
#define LEDE_READ_INTERNAL_H

#include "article.h"
#include "../common/strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <zlib.h>

/* Buffered input: a file, stdin or a gzip stream (zlib reads plain files
 * through unchanged), read in fixed chunks so that no line or document can
 * make it allocate more than the caller's bound. */
typedef struct rd_src {
	gzFile gz;
	unsigned char *buf;   /* owned, RD_CHUNK bytes */
	size_t pos, len;
	uint64_t line;        /* lines consumed so far */
	uint64_t offset;      /* decompressed bytes consumed so far */
	int eof;
	int error;            /* a read error (e.g. truncated gzip) happened */
	char errmsg[128];
} rd_src;

#define RD_CHUNK (128 * 1024)

/* Open path ("-" = stdin). Returns 0, or -1 with errno set. */
int rd_src_open(rd_src *src, const char *path);
void rd_src_close(rd_src *src);
/* Make at least n bytes (n <= RD_CHUNK) visible from buf+pos if the input
 * has them; returns how many are visible. Used for sniffing. */
size_t rd_src_peek(rd_src *src, size_t n);
/* Read one line (without its '\n', a trailing '\r' dropped) into line.
 * Returns 1 for a line, 0 at end of input. A line longer than max is not
 * stored: *overlong is set, the rest of it is skipped without being kept,
 * and line holds nothing. */
int rd_src_getline(rd_src *src, strbuf *line, size_t max, int *overlong);
/* Read everything left into out. Returns 0, or -1 if it is longer than max
 * (out is then emptied and the input drained without keeping it). */
int rd_src_read_all(rd_src *src, strbuf *out, size_t max);
/* The whole of a one-document file (HTML, feeds) into buf, at most rc->max
 * bytes. Returns 0, or -1 after one reject line: "<what> longer than N
 * bytes", a read error, or "empty file". */
struct rd_ctx;
int rd_src_read_document(struct rd_ctx *rc, rd_src *src, strbuf *buf,
                         const char *what);
/* Up to n bytes into dst; returns the count, 0 at end (or error). */
size_t rd_src_read(rd_src *src, void *dst, size_t n);

/* One file being read. */
typedef struct rd_ctx {
	corpus_reader_opts *opts;
	const char *path;
	const char *folder;   /* source fallback (parent folder), or "" */
	uint64_t record;      /* records seen so far, emitted or rejected */
	size_t max;           /* effective max_record_bytes */
	int stopped;          /* on_article asked to stop */
	rd_src *src;          /* the input, for progress; may be NULL */
} rd_ctx;

/* Tell opts->on_progress where reading stands (rc's file at its current
 * offset on disk). */
void rd_progress(rd_ctx *rc);

/* The article under construction; fields are normalised when set. */
typedef struct art_build {
	strbuf id, title, date, source, url, lang, authors, body;
	strbuf tmp;           /* scratch for repairs */
	uint64_t line;
} art_build;

void ab_init(art_build *ab);
void ab_reset(art_build *ab);
void ab_release(art_build *ab);
/* Set a one-line field (title, source, ...): whitespace collapsed, UTF-8
 * repaired. An empty value leaves the field as it was, so that the first
 * non-empty of several candidate names wins when callers test sb->len. */
void ab_set(art_build *ab, strbuf *field, const char *s, size_t n);
/* Add one author; joined with "; ". */
void ab_add_author(art_build *ab, const char *s, size_t n);
/* Parse s as a date; unparseable dates leave the field "" (not a reject). */
void ab_set_date(art_build *ab, const char *s, size_t n);
/* Add plain text to the body: blank lines separate paragraphs, any other
 * whitespace run is one space. */
void ab_body_text(art_build *ab, const char *s, size_t n);
/* Add s as one paragraph of its own (HTML <p>, feed items). */
void ab_body_para(art_build *ab, const char *s, size_t n);

/* Complete the record (id, lang default, source fallback) and hand it to
 * on_article. Returns non-zero if reading must stop. Resets ab. */
int rd_emit(rd_ctx *rc, art_build *ab);
/* Report a record that was read only in part (not a reject). */
void rd_warn(rd_ctx *rc, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Report a rejected record or file. */
void rd_reject(rd_ctx *rc, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Repair s (n bytes) into valid UTF-8 without NULs. Returns s itself when it
 * already is (no copy), else a pointer into tmp (valid until tmp changes);
 * *out_n gets the length. See article_build.c for the policy. */
const char *rd_utf8_fix(const char *s, size_t n, strbuf *tmp, size_t *out_n);
/* 1 if s is valid UTF-8 with no NUL byte. */
int rd_utf8_valid(const char *s, size_t n);

/* 1 if the line looks like a mail/Usenet header line ("Key: value"). */
int rd_is_header_line(const char *s, size_t n);

/* The readers. Each reads src to its end, reporting through rc. */
void corpus_read_txt(rd_ctx *rc, rd_src *src);
void corpus_read_json(rd_ctx *rc, rd_src *src, int lines_only);
void corpus_read_csv(rd_ctx *rc, rd_src *src, char delim);
void corpus_read_html(rd_ctx *rc, rd_src *src);
void corpus_read_feed(rd_ctx *rc, rd_src *src);

/* HTML fragment (feed content) to paragraphs added to ab's body. */
void rd_html_fragment_to_body(art_build *ab, const char *html, size_t n);
/* The same for an already parsed tree (an xmlNode *, and its siblings):
 * Atom's type="xhtml" content. */
void rd_html_tree_to_body(art_build *ab, void *first_node);

/* Field-name mapping shared by JSON and CSV: which article field a column
 * or key feeds. */
typedef enum rd_field {
	RF_NONE, RF_ID, RF_TITLE, RF_BODY, RF_BODY_FALLBACK, RF_DATE, RF_URL,
	RF_SOURCE, RF_LANG, RF_AUTHORS
} rd_field;
rd_field rd_field_from_name(const char *name);

#endif
