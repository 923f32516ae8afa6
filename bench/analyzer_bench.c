/* Throughput of the analyzer on real text: reads the files named (a
 * directory is walked; a .jsonl file is one document per line, raw), then
 * times tokenize only and tokenize + stem, with and without the ASCII fast
 * path and the stem cache, and prints MB/s (best of three runs, one core,
 * CPU time of the thread so that a busy machine disturbs it less).
 * A measuring tool, not a test: it asserts nothing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../indexer/analyzer.h"
#include "../indexer/analyzer_internal.h"

struct doc {
	const char *text;
	size_t len;
	const char *lang;
};

struct corpus {
	struct doc *v;
	size_t n, cap;
	size_t bytes;
	char **bufs;   /* owned file contents */
	size_t nbufs, bufcap;
};

static void add_doc(struct corpus *c, const char *t, size_t len)
{
	if (!len)
		return;
	XGROW(c->v, c->cap, c->n + 1);
	c->v[c->n].text = t;
	c->v[c->n].len = len;
	c->v[c->n].lang = analyzer_detect_lang(t, len);
	c->n++;
	c->bytes += len;
}

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

static void load_path(struct corpus *c, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "analyzer_bench: cannot stat %s\n", path);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return;
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			strbuf p = STRBUF_INIT;
			sb_addf(&p, "%s/%s", path, e->d_name);
			load_path(c, p.buf);
			sb_release(&p);
		}
		closedir(d);
		return;
	}
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	size_t len;
	char *text = sb_detach(&sb, &len);
	XGROW(c->bufs, c->bufcap, c->nbufs + 1);
	c->bufs[c->nbufs++] = text;
	if (ends_with(path, ".jsonl")) {
		size_t s = 0;
		for (size_t k = 0; k <= len; k++)
			if (k == len || text[k] == '\n') {
				add_doc(c, text + s, k - s);
				s = k + 1;
			}
	} else {
		add_doc(c, text, len);
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t sink; /* keeps the stems from being optimised away */

static double run(const struct corpus *c, int fast, int stem, int cache,
                  size_t *ntok)
{
	double best = 1e30;
	for (int r = 0; r < 3; r++) {
		analyzer *a = analyzer_new();
		analyzer_set_ascii_fastpath(a, fast);
		analyzer_set_stem_cache(a, cache);
		an_tokens t = AN_TOKENS_INIT;
		size_t total = 0;
		double t0 = now();
		for (size_t d = 0; d < c->n; d++) {
			an_tokens_clear(&t);
			analyzer_tokenize(a, c->v[d].text, c->v[d].len, 0, &t);
			total += t.n;
			if (!stem)
				continue;
			for (size_t k = 0; k < t.n; k++) {
				size_t sl;
				const char *s = analyzer_stem(a, c->v[d].lang,
					an_term(&t, &t.v[k]), t.v[k].term_len, &sl);
				sink += s ? sl : 0;
			}
		}
		double el = now() - t0;
		if (el < best)
			best = el;
		*ntok = total;
		an_tokens_release(&t);
		analyzer_free(a);
	}
	return best;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: analyzer_bench FILE|DIR...\n");
		return 2;
	}
	struct corpus c = { 0 };
	for (int k = 1; k < argc; k++)
		load_path(&c, argv[k]);
	if (!c.bytes) {
		fprintf(stderr, "analyzer_bench: no text\n");
		return 1;
	}
	size_t es = 0;
	for (size_t d = 0; d < c.n; d++)
		es += !strcmp(c.v[d].lang, "es");
	printf("%zu documents (%zu detected Spanish), %.1f MB\n", c.n, es,
	       (double)c.bytes / 1e6);
	static const struct { const char *what; int fast, stem, cache; } cases[] = {
		{ "tokenize only", 1, 0, 1 },
		{ "tokenize only, no ASCII fast path", 0, 0, 1 },
		{ "tokenize+stem", 1, 1, 1 },
		{ "tokenize+stem, no stem cache", 1, 1, 0 },
		{ "tokenize+stem, no ASCII fast path", 0, 1, 1 },
		{ "tokenize+stem, neither", 0, 1, 0 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		size_t ntok = 0;
		double el = run(&c, cases[k].fast, cases[k].stem, cases[k].cache, &ntok);
		printf("%-36s %8.1f MB/s  %6.2f Mtok/s  (%zu tokens, %.3f s)\n",
		       cases[k].what, (double)c.bytes / 1e6 / el,
		       (double)ntok / 1e6 / el, ntok, el);
	}
	for (size_t k = 0; k < c.nbufs; k++)
		free(c.bufs[k]);
	free(c.bufs);
	free(c.v);
	return sink == (size_t)-1;
}
