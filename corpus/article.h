/* The article record, and the readers that turn a newsroom's files (text,
 * JSON, CSV/TSV, HTML, RSS/Atom, any of them gzipped) into articles.
 * Readers report bad records through a callback and go on; they never exit. */
#ifndef LEDE_ARTICLE_H
#define LEDE_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

/* Every string is owned by the article, UTF-8, NUL-terminated, never NULL
 * ("" when absent). The reader frees them after the callback returns: copy
 * what you keep. */
typedef struct article {
	const char *id;      /* given id, else the URL, else "h:" + 16 hex
	                        digits of a stable hash of path and record no. */
	const char *title;
	const char *date;    /* "YYYY-MM-DD" or "YYYY-MM" or "YYYY" or "" */
	const char *source;  /* publisher, or the newsgroup it came from, or
	                        lede index --source, or its URL's host */
	const char *url;
	const char *lang;    /* "en", "es" ... as given; "" when not given */
	const char *authors; /* "; "-separated */
	const char *body;    /* whitespace normalised: one space between words,
	                        paragraphs separated by exactly "\n\n" */
	size_t body_len;
	const char *path;    /* the file it came from ("-" for stdin) */
	uint64_t record;     /* 1-based record number within the file */
	uint64_t line;       /* 1-based line where the record starts, or 0 */
} article;

typedef enum corpus_format {
	CORPUS_AUTO = 0,     /* by extension, then by sniffing the first bytes */
	CORPUS_TXT,
	CORPUS_JSON,         /* .json (array or one object), .jsonl, .ndjson */
	CORPUS_CSV,
	CORPUS_TSV,
	CORPUS_HTML,
	CORPUS_FEED          /* RSS 2.0 or Atom */
} corpus_format;

/* "txt", "json", "jsonl", "csv", "tsv", "html", "rss", "atom", "feed"; -1
 * when unknown. */
int corpus_format_from_name(const char *name);

/* Called for each article; return non-zero to stop reading. */
typedef int (*corpus_article_fn)(const article *art, void *ctx);
/* Called for each rejected record or unreadable file with one line such as
 * "data/x.jsonl:17: invalid JSON: unexpected token at column 12"; the
 * reader goes on with the next record. */
typedef void (*corpus_reject_fn)(const char *path, uint64_t line,
                                 const char *reason, void *ctx);

typedef struct corpus_reader_opts {
	corpus_format format;      /* CORPUS_AUTO by default */
	const char *default_lang;  /* used when a record has none; may be NULL */
	const char *default_source; /* likewise (lede index --source); NULL:
	                              the host of the record's URL, if any */
	size_t max_record_bytes;   /* a longer record is rejected; 0 = 16 MiB */
	corpus_article_fn on_article;
	corpus_reject_fn on_reject;
	/* Called for a record that was read but not whole (what was kept is
	 * indexed; it is not a reject), e.g. HTML nested deeper than the
	 * parser follows; NULL: not reported. */
	corpus_reject_fn on_warn;
	void *ctx;
	/* Called as reading goes on (may be NULL): when a file is opened,
	 * after each record and when a file is done, with the files opened
	 * and the bytes read from them as they are on disk (a .gz file's
	 * compressed bytes), both since corpus_read_path began. */
	void (*on_progress)(uint64_t files, uint64_t disk_bytes, void *ctx);
	/* filled in by corpus_read_path: */
	uint64_t files, articles, rejected, bytes;
	uint64_t disk_bytes;       /* bytes read as on disk (for progress) */
} corpus_reader_opts;

/* Read a file, or a directory recursively (hidden entries skipped, symlink
 * loops not followed), or standard input when path is "-". .gz files are
 * inflated on the fly. Returns 0, or a negative value if the callback
 * stopped it. Unreadable files are reported through on_reject. */
int corpus_read_path(const char *path, corpus_reader_opts *opts);
/* What corpus_read_path(path) would read, found by a walk of stat calls
 * with the same rules (hidden entries, archive notes and symlink loops
 * skipped; nothing is opened): OUT *files and *bytes (on disk), added
 * to. Standard input ("-") and FIFOs add a file of unknown size (0). */
void corpus_input_size(const char *path, uint64_t *files, uint64_t *bytes);

/* Parse a date as found in news data (ISO 8601, RFC 2822, "November 26,
 * 2024", "Nov. 26, 2024", "26-FEB-1987 15:01:01.79", ...) into
 * "YYYY-MM-DD" (or "YYYY-MM", "YYYY" for partial dates) in out (at least 11
 * bytes). Returns 0, or -1 if not a date or ambiguous (03/04/2024). */
int corpus_parse_date(const char *s, char out[11]);
/* Days in month m (1-12) of year y, leap years counted. */
int corpus_days_in_month(int y, int m);

/* Guess the format of a document from its first bytes (a few KiB are
 * enough): JSON, HTML, RSS/Atom, CSV/TSV (a header row with known column
 * names), else CORPUS_TXT (plain text or mail/Usenet). Returns -1 when the
 * bytes look binary. Used for stdin and files without a known extension;
 * gzip is inflated before sniffing. */
int corpus_sniff_format(const void *p, size_t n);

#endif
