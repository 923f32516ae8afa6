/* The readers' side of the harnesses: one temporary directory per process
 * (removed at exit), each input written to a file there and read through
 * the public entry point, corpus_read_path, exactly as `lede index` reads
 * a user's file. Checks what the readers promise in article.h. */
#include "fuzz.h"
#include "../../common/escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

static char dir[64];

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
	abort();
}

int fuzz_utf8_ok(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i),
		                                      &c);
		if (k <= 0 || c == 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

static void remove_dir(void)
{
	/* only the files fuzz_read_as made: one per name, none nested */
	static const char *const names[] = { "in.json", "in.jsonl", "in.csv",
	                                     "in.tsv", "in.html", "in.rss",
	                                     "in.txt", "in.gz" };
	char p[96];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

static const char *file_for(const char *name)
{
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/lede-fuzz-XXXXXX",
		         t && *t && strlen(t) < 40 ? t : "/tmp");
		if (!mkdtemp(dir)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(remove_dir);
	}
	static char path[96];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static int check_article(const article *a, void *ctx)
{
	(void)ctx;
	const char *fields[] = { a->id, a->title, a->date, a->source, a->url,
	                         a->lang, a->authors, a->body, a->path };
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		FUZZ_CHECK(fields[i] != NULL);
		FUZZ_CHECK(fuzz_utf8_ok(fields[i], strlen(fields[i])));
	}
	FUZZ_CHECK(strlen(a->body) == a->body_len);
	FUZZ_CHECK(a->id[0] != '\0');
	FUZZ_CHECK(a->title[0] || a->body_len);
	FUZZ_CHECK(strlen(a->date) <= 10);
	FUZZ_CHECK(a->record > 0);
	return 0;
}

/* The promise of part 2 of issue 19: one printable line per rejection. */
static void check_reject(const char *path, uint64_t line, const char *reason,
                         void *ctx)
{
	(void)line, (void)ctx;
	FUZZ_CHECK(path != NULL && reason != NULL && reason[0] != '\0');
	size_t n = strlen(reason);
	FUZZ_CHECK(n <= ESC_LINE_MAX);
	FUZZ_CHECK(esc_is_one_line(reason, n));
}

void fuzz_read_as(const uint8_t *data, size_t size, const char *name)
{
	const char *path = file_for(name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror("fuzz: writing the input");
		abort();
	}
	corpus_reader_opts o = {
		.format = CORPUS_AUTO,
		.default_lang = "en",
		.max_record_bytes = (size & 1) ? 1024 : 0,
		.on_article = check_article,
		.on_reject = check_reject,
	};
	FUZZ_CHECK(corpus_read_path(path, &o) == 0);
	FUZZ_CHECK(o.files == 1);

}
