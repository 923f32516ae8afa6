/* Entry point of the readers: a file, a directory tree or stdin, gzipped or
 * not; picks the reader by extension, by opts->format or by sniffing the
 * first bytes. Directory walks are sorted (byte order, not locale) so that
 * runs are reproducible, skip hidden entries, and never enter a directory
 * twice (dev/ino), which also defeats symlink loops. */
#include "read_internal.h"
#include "../common/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The longest record read (bytes of one JSON line, CSV row, HTML page,
 * feed item...). Indexing an article costs about 16 times its size in
 * memory (its passages, terms, positions and packed text, all held until
 * the article is written): 16 MiB keeps one article near 250 MB, where
 * the 64 MiB of before let a 60 MB record take 2.4 GB (issue 20). */
#define DEFAULT_MAX_RECORD ((size_t)16 << 20)
#define SNIFF_BYTES 4096

/* Reader chosen for one file: a corpus_format, or JSONL (lines only). */
enum { FMT_JSONL = 100 };

int corpus_format_from_name(const char *name)
{
	static const struct { const char *name; int f; } names[] = {
		{"txt", CORPUS_TXT}, {"text", CORPUS_TXT}, {"mail", CORPUS_TXT},
		{"json", CORPUS_JSON}, {"jsonl", CORPUS_JSON},
		{"ndjson", CORPUS_JSON}, {"csv", CORPUS_CSV}, {"tsv", CORPUS_TSV},
		{"html", CORPUS_HTML}, {"htm", CORPUS_HTML}, {"rss", CORPUS_FEED},
		{"atom", CORPUS_FEED}, {"feed", CORPUS_FEED}, {"xml", CORPUS_FEED},
	};
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return names[i].f;
	return -1;
}

/* Format from the file name's extension (after any .gz); 0 = unknown. */
static int format_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0)
		n -= 3;
	const char *dot = NULL;
	for (size_t i = n; i > 0; i--)
		if (base[i - 1] == '.') {
			dot = base + i - 1;
			break;
		}
	if (!dot || dot == base)
		return 0;
	char ext[16];
	size_t el = n - (size_t)(dot + 1 - base);
	if (el == 0 || el >= sizeof ext)
		return 0;
	memcpy(ext, dot + 1, el);
	ext[el] = '\0';
	if (!strcasecmp(ext, "jsonl") || !strcasecmp(ext, "ndjson"))
		return FMT_JSONL;
	if (!strcasecmp(ext, "xhtml") || !strcasecmp(ext, "shtml"))
		return CORPUS_HTML;
	if (!strcasecmp(ext, "tab"))
		return CORPUS_TSV;
	if (!strcasecmp(ext, "mail") || !strcasecmp(ext, "feed"))
		return 0;
	int f = corpus_format_from_name(ext);
	return f < 0 ? 0 : f;
}

/* The signatures of files that are never articles, whatever their name:
 * images, PDFs, archives, executables (a PNG saved as story.html). */
static int binary_magic(const unsigned char *p, size_t n)
{
	static const struct { const char *m; size_t n; } magic[] = {
		{"\x89PNG\r\n\x1a\n", 8}, {"GIF87a", 6}, {"GIF89a", 6},
		{"\xFF\xD8\xFF", 3}, {"%PDF-", 5}, {"PK\x03\x04", 4},
		{"\x7F" "ELF", 4}, {"\xFD" "7zXZ\0", 6}, {"\x28\xB5\x2F\xFD", 4},
		{"7z\xBC\xAF\x27\x1C", 6}, {"\xD0\xCF\x11\xE0", 4},
		{"SQLite format 3\0", 16},
	};
	for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (n >= magic[i].n && memcmp(p, magic[i].m, magic[i].n) == 0)
			return 1;
	return 0;
}

/* Binary: a known signature, many control bytes and a mass of high bytes
 * with them, or a quarter NULs (zero fill, UTF-16). A Usenet post with a
 * little ^B line art, a JSON line with a few NULs from a bad disk block,
 * or Latin-1 text, is still text: the readers repair those. */
static int looks_binary(const unsigned char *p, size_t n)
{
	if (binary_magic(p, n))
		return 1;
	size_t ctrl = 0, nul = 0, high = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c == 0)
			nul++;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
		     c != '\v' && c != 0x1B) || c == 0x7F)
			ctrl++;
		else if (c >= 0x80)
			high++;
	}
	return n && ((ctrl * 20 > n && high * 5 > n) || nul * 4 > n);
}

static int has_ci(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(p + i, needle, k) == 0)
			return 1;
	return 0;
}

/* A first line like "title,text,date": a header of known column names. */
static int header_row(const char *p, size_t n, char delim)
{
	const char *nl = memchr(p, '\n', n);
	size_t len = nl ? (size_t)(nl - p) : n;
	if (!memchr(p, delim, len))
		return 0;
	int known = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && p[i] != delim)
			continue;
		char name[48];
		size_t a = start, b = i;
		while (a < b && (p[a] == '"' || p[a] == ' '))
			a++;
		while (b > a && (p[b - 1] == '"' || p[b - 1] == ' ' || p[b - 1] == '\r'))
			b--;
		if (b - a >= sizeof name)
			return 0;
		memcpy(name, p + a, b - a);
		name[b - a] = '\0';
		if (rd_field_from_name(name) != RF_NONE)
			known++;
		start = i + 1;
	}
	return known > 0;
}

int corpus_sniff_format(const void *buf, size_t n)
{
	const unsigned char *p = buf;
	if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B)
		return -1;  /* gzip inside gzip, or a stray archive */
	if (n > SNIFF_BYTES)
		n = SNIFF_BYTES;
	if (looks_binary(p, n))
		return -1;
	size_t i = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i == n)
		return CORPUS_TXT;
	const char *s = (const char *)p + i;
	size_t m = n - i;
	if (*s == '{' || *s == '[')
		return CORPUS_JSON;
	if (*s == '<') {
		if (has_ci(s, m, "<rss") || has_ci(s, m, "<feed") ||
		    has_ci(s, m, "<rdf:rdf"))
			return CORPUS_FEED;
		return CORPUS_HTML;
	}
	if (header_row(s, m, '\t'))
		return CORPUS_TSV;
	if (header_row(s, m, ','))
		return CORPUS_CSV;
	return CORPUS_TXT;
}

/* Bytes of src's file read so far, as on disk. */
static uint64_t src_disk_offset(rd_src *src)
{
	z_off_t off = src->gz ? gzoffset(src->gz) : 0;
	return off > 0 ? (uint64_t)off : 0;
}

void rd_progress(rd_ctx *rc)
{
	corpus_reader_opts *o = rc->opts;
	if (o->on_progress)
		o->on_progress(o->files, o->disk_bytes +
		               (rc->src ? src_disk_offset(rc->src) : 0), o->ctx);
}

/* Read one file (or stdin) with the reader its name or content asks for.
 * Returns 1 if on_article asked to stop. */
static int read_file(const char *path, const char *folder,
                      corpus_reader_opts *o)
{
	rd_ctx rc = {
		.opts = o, .path = path, .folder = folder,
		.max = o->max_record_bytes ? o->max_record_bytes : DEFAULT_MAX_RECORD,
	};
	rd_src src;
	if (rd_src_open(&src, path) < 0) {
		if (errno == ETIMEDOUT)
			rd_reject(&rc, 0, "a FIFO that nothing was written to "
			          "(LEDE_FIFO_TIMEOUT, default 60 s): not read");
		else
			rd_reject(&rc, 0, "cannot open: %s", strerror(errno));
		return 0;
	}
	o->files++;
	rc.src = &src;
	rd_progress(&rc);
	int fmt = o->format != CORPUS_AUTO ? (int)o->format : format_from_path(path);
	size_t seen = rd_src_peek(&src, SNIFF_BYTES);
	/* a UTF-8 byte order mark (Excel's CSV, Notepad's text) says nothing
	 * the readers need, and would stick to the first title or column */
	if (seen >= 3 && memcmp(src.buf + src.pos, "\xEF\xBB\xBF", 3) == 0) {
		src.pos += 3;
		src.offset += 3;
		seen -= 3;
	}
	if (seen == 0) {
		if (src.error)
			rd_reject(&rc, 0, "read error: %s", src.errmsg);
		else
			rd_reject(&rc, 0, "empty file");
		goto out;
	}
	/* Sniffed before any parser sees it, whatever the name or the forced
	 * format says: libxml2's HTML parser would take a PNG for text. */
	int sniffed = corpus_sniff_format(src.buf + src.pos, seen);
	if (sniffed < 0) {
		rd_reject(&rc, 0, "binary file");
		goto out;
	}
	if (fmt == 0)
		fmt = sniffed;
	switch (fmt) {
	case CORPUS_TXT:  corpus_read_txt(&rc, &src); break;
	case CORPUS_JSON: corpus_read_json(&rc, &src, 0); break;
	case FMT_JSONL:   corpus_read_json(&rc, &src, 1); break;
	case CORPUS_CSV:  corpus_read_csv(&rc, &src, ','); break;
	case CORPUS_TSV:  corpus_read_csv(&rc, &src, '\t'); break;
	case CORPUS_HTML: corpus_read_html(&rc, &src); break;
	case CORPUS_FEED: corpus_read_feed(&rc, &src); break;
	default:
		rd_reject(&rc, 0, "unknown format");
		break;
	}
out:
	o->bytes += src.offset;
	o->disk_bytes += src_disk_offset(&src);
	rc.src = NULL;
	rd_progress(&rc);
	rd_src_close(&src);
	return rc.stopped;
}

typedef struct walk {
	corpus_reader_opts *o;
	dev_t *dev;
	ino_t *ino;
	size_t nvisited, cap_dev, cap_ino;
	int stopped;
} walk;

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void walk_dir(walk *w, const char *dir, const struct stat *st);

/* Inside a directory walk, an archive's own notes are not articles:
 * README, LICENSE and COPYING files, and Markdown. A file named on the
 * command line is always read. */
static int archive_note(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	static const char *const notes[] = { "readme", "license", "licence",
	                                     "copying" };
	for (size_t i = 0; i < sizeof notes / sizeof *notes; i++)
		if (strncasecmp(base, notes[i], strlen(notes[i])) == 0)
			return 1;
	size_t n = strlen(base);
	return n > 3 && strcasecmp(base + n - 3, ".md") == 0;
}

static void walk_entry(walk *w, const char *path, const char *folder)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		rd_ctx rc = {.opts = w->o, .path = path};
		rd_reject(&rc, 0, "cannot stat: %s", strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(w, path, &st);
	} else if ((S_ISREG(st.st_mode) || !folder) &&
	           !(folder && archive_note(path))) {
		if (read_file(path, folder, w->o))
			w->stopped = 1;
	}
	/* devices, fifos and sockets inside a tree are not articles */
}

/* 1 when the directory st was walked already (a symlink loop or a
 * second link), else 0 and it is marked walked. */
static int walk_seen(walk *w, const struct stat *st)
{
	for (size_t i = 0; i < w->nvisited; i++)
		if (w->dev[i] == st->st_dev && w->ino[i] == st->st_ino)
			return 1;
	XGROW(w->dev, w->cap_dev, w->nvisited + 1);
	XGROW(w->ino, w->cap_ino, w->nvisited + 1);
	w->dev[w->nvisited] = st->st_dev;
	w->ino[w->nvisited] = st->st_ino;
	w->nvisited++;
	return 0;
}

static void walk_dir(walk *w, const char *dir, const struct stat *st)
{
	if (walk_seen(w, st))
		return;

	struct dirent **list = NULL;
	int n = scandir(dir, &list, not_hidden, by_name);
	if (n < 0) {
		rd_ctx rc = {.opts = w->o, .path = dir};
		rd_reject(&rc, 0, "cannot read directory: %s", strerror(errno));
		return;
	}
	size_t dlen = strlen(dir);
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	/* the folder name, for records that do not name their source */
	size_t b = dlen;
	while (b > 0 && dir[b - 1] != '/')
		b--;
	char *folder = xstrndup(dir + b, dlen - b);
	strbuf child = STRBUF_INIT;
	for (int i = 0; i < n; i++) {
		if (!w->stopped) {
			sb_reset(&child);
			sb_add(&child, dir, dlen);
			if (!(dlen == 1 && dir[0] == '/'))
				sb_addch(&child, '/');
			sb_addstr(&child, list[i]->d_name);
			walk_entry(w, child.buf, folder);
		}
		free(list[i]);
	}
	free(list);
	free(folder);
	sb_release(&child);
}

/* corpus_input_size's walk: walk_entry's and walk_dir's rules, with
 * stat in place of reading. */
static void size_entry(walk *w, const char *path, const char *folder,
                       uint64_t *files, uint64_t *bytes)
{
	struct stat st;
	if (strcmp(path, "-") == 0) {
		(*files)++;
		return;
	}
	if (stat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		if (walk_seen(w, &st))
			return;
		struct dirent **list = NULL;
		int n = scandir(path, &list, not_hidden, NULL);
		strbuf child = STRBUF_INIT;
		for (int i = 0; i < n; i++) {
			sb_reset(&child);
			sb_addstr(&child, path);
			if (child.len && child.buf[child.len - 1] != '/')
				sb_addch(&child, '/');
			sb_addstr(&child, list[i]->d_name);
			size_entry(w, child.buf, path, files, bytes);
			free(list[i]);
		}
		free(list);
		sb_release(&child);
	} else if ((S_ISREG(st.st_mode) || !folder) &&
	           !(folder && archive_note(path))) {
		(*files)++;
		if (S_ISREG(st.st_mode))
			*bytes += (uint64_t)st.st_size;
	}
}

void corpus_input_size(const char *path, uint64_t *files, uint64_t *bytes)
{
	walk w = { 0 };
	size_entry(&w, path, NULL, files, bytes);
	free(w.dev);
	free(w.ino);
}

int corpus_read_path(const char *path, corpus_reader_opts *opts)
{
	opts->files = opts->articles = opts->rejected = opts->bytes = 0;
	opts->disk_bytes = 0;
	walk w = {.o = opts};
	if (strcmp(path, "-") == 0) {
		w.stopped = read_file(path, NULL, opts);
	} else {
		walk_entry(&w, path, NULL);
	}
	free(w.dev);
	free(w.ino);
	return w.stopped ? -1 : 0;
}
