/* Bench helper, two jobs around the real corpora (../shared/corpora):
 * `convert` turns them into one JSON Lines file (id, title, text, ...) that
 * every system of `make bench` indexes, and `generate` writes N synthetic,
 * clearly labelled articles (source "generated", id "gen-N") sampled from a
 * model of that file: word frequencies, sentence/paragraph/article lengths,
 * and city/agency/official/response mentions at the rates found in it.
 * Not part of lede; output is deterministic for a given seed.
 *
 *   gen_articles convert CORPORA_DIR                  > corpus.jsonl
 *   gen_articles generate N SEED GAZETTEER_DIR [MODEL.jsonl|-]  > gen.jsonl
 * Without a model file (or "-") a small built-in vocabulary is used. */
#include <csv.h>
#include <glob.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"

/* ---- conversion ------------------------------------------------------ */

/* Copy s into out with every invalid UTF-8 byte replaced by U+FFFD, since
 * JSON strings must be valid UTF-8 (bbc/sport/199.txt is not). */
static void utf8_sanitize(strbuf *out, const char *s, size_t n)
{
	sb_reset(out);
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0 || cp == 0) {
			sb_addstr(out, "\xEF\xBF\xBD");
			i++;
		} else {
			sb_add(out, s + i, (size_t)k);
			i += (size_t)k;
		}
	}
}

/* Write one record; empty optional fields are left out. */
static void emit(const char *id, const char *title, size_t title_len,
		 const char *text, size_t text_len, const char *date,
		 const char *source, const char *lang)
{
	strbuf tmp = STRBUF_INIT;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	utf8_sanitize(&tmp, title, title_len);
	json_object_set_new(o, "title", json_stringn(tmp.buf ? tmp.buf : "", tmp.len));
	utf8_sanitize(&tmp, text, text_len);
	json_object_set_new(o, "text", json_stringn(tmp.buf ? tmp.buf : "", tmp.len));
	if (date && *date)
		json_object_set_new(o, "date", json_string(date));
	if (source && *source)
		json_object_set_new(o, "source", json_string(source));
	if (lang && *lang)
		json_object_set_new(o, "lang", json_string(lang));
	json_dumpf(o, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(o);
	sb_release(&tmp);
}

/* The whole file, NUL-terminated; NULL when unreadable. Owned by the caller. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		sb_add(&sb, buf, n);
	fclose(fp);
	return sb_detach(&sb, len);
}

/* BBC: line 1 is the headline, then a blank line and the paragraphs. */
static long convert_bbc(const char *dir)
{
	strbuf pat = STRBUF_INIT, id = STRBUF_INIT;
	sb_addf(&pat, "%s/bbc/*/*.txt", dir);
	glob_t g;
	long count = 0;
	if (glob(sb_cstr(&pat), 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			size_t len;
			char *s = slurp(g.gl_pathv[i], &len);
			if (!s)
				continue;
			char *nl = strchr(s, '\n');
			size_t tlen = nl ? (size_t)(nl - s) : len;
			const char *body = nl ? nl + 1 : s + len;
			while (*body == '\n')
				body++;
			/* id from the last two path parts: bbc-politics-001 */
			const char *file = strrchr(g.gl_pathv[i], '/');
			const char *cat = file;
			while (cat > g.gl_pathv[i] && cat[-1] != '/')
				cat--;
			sb_reset(&id);
			sb_addstr(&id, "bbc-");
			sb_add(&id, cat, (size_t)(file - cat));
			sb_addch(&id, '-');
			sb_add(&id, file + 1, strlen(file + 1) - 4);
			emit(sb_cstr(&id), s, tlen, body, len - (size_t)(body - s), NULL,
			     "bbc", "en");
			count++;
			free(s);
		}
		globfree(&g);
	}
	sb_release(&pat);
	sb_release(&id);
	return count;
}

/* 20 Newsgroups: RFC 822 headers (Subject is the title), blank line, body. */
static long convert_20ng(const char *dir)
{
	strbuf pat = STRBUF_INIT, id = STRBUF_INIT;
	sb_addf(&pat, "%s/20newsgroups/*/*/*", dir);
	glob_t g;
	long count = 0;
	if (glob(sb_cstr(&pat), 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			size_t len;
			char *s = slurp(g.gl_pathv[i], &len);
			if (!s)
				continue;
			const char *title = "", *body = strstr(s, "\n\n");
			size_t tlen = 0;
			body = body ? body + 2 : s + len;
			for (const char *p = s; p < body;) {
				const char *e = strchr(p, '\n');
				if (!e)
					e = s + len;
				if (!strncmp(p, "Subject: ", 9)) {
					title = p + 9;
					tlen = (size_t)(e - title);
				}
				p = e + 1;
			}
			/* id from split, group and number */
			const char *a = g.gl_pathv[i] + strlen(dir) + strlen("/20newsgroups/");
			sb_reset(&id);
			sb_addstr(&id, "20ng-");
			for (const char *p = a; *p; p++)
				sb_addch(&id, *p == '/' ? '-' : *p);
			emit(sb_cstr(&id), title, tlen, body, len - (size_t)(body - s), NULL,
			     "20newsgroups", "en");
			count++;
			free(s);
		}
		globfree(&g);
	}
	sb_release(&pat);
	sb_release(&id);
	return count;
}

/* JSON Lines corpora already carry id, title, text and maybe date etc. */
static long convert_jsonl(const char *path, const char *default_source)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long count = 0;
	while ((n = getline(&line, &cap, fp)) > 0) {
		json_error_t err;
		json_t *o = json_loadb(line, (size_t)n, 0, &err);
		const char *id = json_string_value(json_object_get(o, "id"));
		const char *title = json_string_value(json_object_get(o, "title"));
		const char *text = json_string_value(json_object_get(o, "text"));
		if (id && text) {
			const char *src = json_string_value(json_object_get(o, "source"));
			emit(id, title ? title : "", title ? strlen(title) : 0, text,
			     strlen(text), json_string_value(json_object_get(o, "date")),
			     src ? src : default_source,
			     json_string_value(json_object_get(o, "lang")));
			count++;
		}
		json_decref(o);
	}
	free(line);
	fclose(fp);
	return count;
}

/* AG News CSV: class,title,description (libcsv does the quoting). */
typedef struct ag_ctx {
	int field;
	long row;
	strbuf title, text;
} ag_ctx;

static void ag_field(void *data, size_t len, void *vctx)
{
	ag_ctx *c = vctx;
	if (c->field == 1)
		sb_add(&c->title, data, len);
	else if (c->field == 2)
		sb_add(&c->text, data, len);
	c->field++;
}

static void ag_row(int term, void *vctx)
{
	(void)term;
	ag_ctx *c = vctx;
	if (c->field >= 3) {
		char id[32];
		snprintf(id, sizeof id, "ag-%ld", ++c->row);
		emit(id, sb_cstr(&c->title), c->title.len, sb_cstr(&c->text), c->text.len,
		     NULL, "ag_news", "en");
	}
	c->field = 0;
	sb_reset(&c->title);
	sb_reset(&c->text);
}

static long convert_ag(const char *path)
{
	size_t len;
	char *s = slurp(path, &len);
	if (!s)
		return 0;
	struct csv_parser p;
	ag_ctx c = { 0, 0, STRBUF_INIT, STRBUF_INIT };
	csv_init(&p, 0);
	csv_parse(&p, s, len, ag_field, ag_row, &c);
	csv_fini(&p, ag_field, ag_row, &c);
	csv_free(&p);
	free(s);
	sb_release(&c.title);
	sb_release(&c.text);
	return c.row;
}

static int do_convert(const char *dir)
{
	strbuf path = STRBUF_INIT;
	long n = convert_bbc(dir);
	sb_addf(&path, "%s/reuters21578.jsonl", dir);
	n += convert_jsonl(sb_cstr(&path), "reuters");
	n += convert_20ng(dir);
	sb_reset(&path);
	sb_addf(&path, "%s/ag_news_test.csv", dir);
	n += convert_ag(sb_cstr(&path));
	sb_reset(&path);
	sb_addf(&path, "%s/spanish_news.jsonl", dir);
	n += convert_jsonl(sb_cstr(&path), "spanish_news");
	sb_release(&path);
	fprintf(stderr, "gen_articles: converted %ld documents\n", n);
	return n > 0 ? 0 : 1;
}

/* ---- the model ------------------------------------------------------- */

/* A string -> count table (open addressing, FNV-1a). */
typedef struct table {
	char **keys;
	uint64_t *counts;
	int *tags;        /* entity type for name tables, else 0 */
	size_t cap, len;
} table;

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static size_t table_slot(const table *t, const char *s, size_t n)
{
	size_t i = (size_t)fnv1a(s, n) & (t->cap - 1);
	while (t->keys[i] && (strlen(t->keys[i]) != n || memcmp(t->keys[i], s, n)))
		i = (i + 1) & (t->cap - 1);
	return i;
}

static void table_init(table *t, size_t cap)
{
	t->cap = cap;
	t->len = 0;
	t->keys = xcalloc(cap, sizeof *t->keys);
	t->counts = xcalloc(cap, sizeof *t->counts);
	t->tags = xcalloc(cap, sizeof *t->tags);
}

/* Index of key (added with count 0 and tag when new); may rehash. */
static size_t table_get(table *t, const char *s, size_t n, int tag)
{
	if ((t->len + 1) * 2 > t->cap) {
		table old = *t;
		table_init(t, old.cap * 2);
		for (size_t i = 0; i < old.cap; i++) {
			if (!old.keys[i])
				continue;
			size_t j = table_slot(t, old.keys[i], strlen(old.keys[i]));
			t->keys[j] = old.keys[i];
			t->counts[j] = old.counts[i];
			t->tags[j] = old.tags[i];
			t->len++;
		}
		free(old.keys);
		free(old.counts);
		free(old.tags);
	}
	size_t i = table_slot(t, s, n);
	if (!t->keys[i]) {
		t->keys[i] = xstrndup(s, n);
		t->tags[i] = tag;
		t->len++;
	}
	return i;
}

/* -1 when absent. */
static long table_find(const table *t, const char *s, size_t n)
{
	size_t i = table_slot(t, s, n);
	return t->keys[i] ? (long)i : -1;
}

enum { ENT_CITY = 1, ENT_AGENCY, ENT_RESPONSE, ENT_OFFICIAL, ENT_TYPES };
static const char *const ent_name[ENT_TYPES] = { "", "city", "agency", "response",
						 "official" };

/* A sampler over weighted strings: cumulative weights, binary search. */
typedef struct sampler {
	const char **items;
	uint64_t *cum;
	size_t n;
} sampler;

#define HMAX 128
typedef struct model {
	sampler words;
	sampler ents[ENT_TYPES];
	double rate[ENT_TYPES];       /* mentions per sentence */
	uint64_t sent_len[HMAX], para_len[HMAX], art_paras[HMAX], title_len[HMAX];
	/* the tables the samplers' items point into, owned: words, names,
	 * first words, titles, officials */
	table tabs[5];
} model;

static void table_free(table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->counts);
	free(t->tags);
	memset(t, 0, sizeof *t);
}

static void model_free(model *m)
{
	free(m->words.items);
	free(m->words.cum);
	for (int e = 0; e < ENT_TYPES; e++) {
		free(m->ents[e].items);
		free(m->ents[e].cum);
	}
	for (size_t i = 0; i < sizeof m->tabs / sizeof m->tabs[0]; i++)
		if (m->tabs[i].keys)
			table_free(&m->tabs[i]);
}

/* PRNG: splitmix64, so each article's stream depends only on seed and N. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

static const char *sampler_pick(const sampler *sp, uint64_t *rng)
{
	if (!sp->n)
		return "";
	uint64_t x = rng_next(rng) % sp->cum[sp->n - 1];
	size_t lo = 0, hi = sp->n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sp->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return sp->items[lo];
}

/* A value drawn from a histogram (index = value); at least lo. */
static size_t hist_pick(const uint64_t *h, uint64_t *rng, size_t lo)
{
	uint64_t total = 0;
	for (size_t i = 0; i < HMAX; i++)
		total += h[i];
	if (!total)
		return lo;
	uint64_t x = rng_next(rng) % total;
	for (size_t i = 0; i < HMAX; i++) {
		if (x < h[i])
			return i < lo ? lo : i;
		x -= h[i];
	}
	return lo;
}

static void hist_add(uint64_t *h, size_t v)
{
	h[v >= HMAX ? HMAX - 1 : v]++;
}

/* Entries of table t with tag (0 = all) as a sampler; smooth adds one to
 * each count so a name never seen can still be drawn. */
static void sampler_from_table(sampler *sp, const table *t, int tag, int smooth)
{
	sp->items = xmalloc((t->len + 1) * sizeof *sp->items);
	sp->cum = xmalloc((t->len + 1) * sizeof *sp->cum);
	sp->n = 0;
	uint64_t acc = 0;
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->keys[i] || (tag && t->tags[i] != tag))
			continue;
		uint64_t c = t->counts[i] + (smooth ? 1 : 0);
		if (!c)
			continue;
		acc += c;
		sp->items[sp->n] = t->keys[i];
		sp->cum[sp->n++] = acc;
	}
}

/* Add the gazetteer names: cities (unambiguous rows only), agencies and
 * English responses; officials are found later by title patterns. */
static void load_names(table *names, table *first_words, table *titles,
		       const char *gazdir)
{
	static const struct { const char *file; int tag; } files[] = {
		{ "cities.tsv", ENT_CITY }, { "agencies.tsv", ENT_AGENCY },
		{ "responses.tsv", ENT_RESPONSE }, { "titles.tsv", ENT_OFFICIAL },
	};
	strbuf path = STRBUF_INIT;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		sb_reset(&path);
		sb_addf(&path, "%s/%s", gazdir, files[f].file);
		FILE *fp = fopen(sb_cstr(&path), "r");
		if (!fp) {
			fprintf(stderr, "gen_articles: no %s; no such names\n", sb_cstr(&path));
			continue;
		}
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		int header = 1;
		while ((n = getline(&line, &cap, fp)) > 0) {
			if (line[n - 1] == '\n')
				line[--n] = 0;
			if (header || line[0] == '#' || !line[0]) {
				header = 0;
				continue;
			}
			char *col[5] = { 0 };
			int nc = 0;
			for (char *p = line; nc < 5 && p; nc++) {
				col[nc] = p;
				p = strchr(p, '\t');
				if (p)
					*p++ = 0;
			}
			const char *alias_col, *flags = "";
			int tag = files[f].tag;
			if (tag == ENT_CITY) {
				alias_col = nc > 2 ? col[2] : "";
				flags = nc > 3 ? col[3] : "";
				if (*flags) /* amb, person, alt, qual: skip for counting */
					continue;
			} else if (tag == ENT_AGENCY) {
				alias_col = nc > 2 ? col[2] : "";
			} else if (tag == ENT_RESPONSE) {
				if (nc > 1 && strcmp(col[1], "en"))
					continue;
				alias_col = nc > 2 ? col[2] : "";
			} else {
				alias_col = nc > 1 ? col[1] : "";
			}
			/* the first column is a name too, except for titles and
			 * agencies (whose key is folded; the display is column 2) */
			strbuf all = STRBUF_INIT;
			if (tag == ENT_CITY || tag == ENT_RESPONSE)
				sb_addf(&all, "%s|", col[0]);
			if (tag == ENT_AGENCY && nc > 1)
				sb_addf(&all, "%s|", col[1]);
			sb_addstr(&all, alias_col);
			char *save = NULL;
			for (char *a = strtok_r(all.buf, "|", &save); a;
			     a = strtok_r(NULL, "|", &save)) {
				if (*a == '=')
					a++;
				if (!*a)
					continue;
				/* titles must be capitalised English ones */
				if (tag == ENT_OFFICIAL && !(*a >= 'A' && *a <= 'Z'))
					continue;
				table *dst = tag == ENT_OFFICIAL ? titles : names;
				table_get(dst, a, strlen(a), tag);
				size_t fw = strcspn(a, " ");
				table_get(first_words, a, fw, tag);
			}
			sb_release(&all);
		}
		free(line);
		fclose(fp);
	}
	sb_release(&path);
}

/* The token without surrounding quotes/brackets and trailing punctuation
 * (a final '.' is kept when the token has another one: "U.S."). */
static void strip_token(const char **s, size_t *n)
{
	while (*n && strchr("\"'(", **s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && strchr(",;:!?\"')", (*s)[*n - 1]))
		(*n)--;
	if (*n && (*s)[*n - 1] == '.' && !memchr(*s, '.', *n - 1))
		(*n)--;
}

static int is_cap(const char *s, size_t n)
{
	return n > 1 && s[0] >= 'A' && s[0] <= 'Z';
}

typedef struct tok {
	const char *s;
	size_t n;
} tok;

/* Count entity mentions in one sentence's tokens (stripped forms). */
static void count_mentions(tok *t, size_t nt, table *names, table *first,
			   table *titles, table *officials, uint64_t *mentions,
			   strbuf *tmp)
{
	for (size_t i = 0; i < nt; i++) {
		if (table_find(first, t[i].s, t[i].n) < 0)
			continue;
		for (size_t len = 6; len >= 1; len--) {
			if (i + len > nt)
				continue;
			sb_reset(tmp);
			for (size_t k = 0; k < len; k++) {
				if (k)
					sb_addch(tmp, ' ');
				sb_add(tmp, t[i + k].s, t[i + k].n);
			}
			long e = table_find(names, tmp->buf, tmp->len);
			if (e >= 0) {
				names->counts[e]++;
				mentions[names->tags[e]]++;
				i += len - 1;
				break;
			}
			/* "Mayor Karen Bass": a title then one or two
			 * capitalised words */
			if (table_find(titles, tmp->buf, tmp->len) >= 0 &&
			    i + len < nt && is_cap(t[i + len].s, t[i + len].n)) {
				size_t m = 1;
				if (i + len + 1 < nt && is_cap(t[i + len + 1].s, t[i + len + 1].n))
					m = 2;
				for (size_t k = 0; k < m; k++) {
					sb_addch(tmp, ' ');
					sb_add(tmp, t[i + len + k].s, t[i + len + k].n);
				}
				/* table_get may move counts: index first */
				size_t oi = table_get(officials, tmp->buf, tmp->len, ENT_OFFICIAL);
				officials->counts[oi]++;
				mentions[ENT_OFFICIAL]++;
				i += len + m - 1;
				break;
			}
		}
	}
}

/* Is the raw token the end of a sentence? Not after "Mr." and initials. */
static int ends_sentence(const char *s, size_t n)
{
	while (n && strchr("\"')", s[n - 1]))
		n--;
	if (!n || !strchr(".!?", s[n - 1]))
		return 0;
	if (s[n - 1] != '.')
		return 1;
	if (n <= 2 || memchr(s, '.', n - 1))
		return 0; /* "A.", "U.S." */
	static const char *const abbr[] = { "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Gov.",
					    "Sen.", "Rep.", "Lt.", "Gen.", "Jr.", "vs." };
	for (size_t i = 0; i < sizeof abbr / sizeof abbr[0]; i++)
		if (n == strlen(abbr[i]) && !memcmp(s, abbr[i], n))
			return 0;
	return 1;
}

/* Learn the model from the English records of a JSON Lines file. */
static int model_learn(model *m, const char *path, const char *gazdir)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "gen_articles: cannot open %s\n", path);
		return -1;
	}
	table *words = &m->tabs[0], *names = &m->tabs[1], *first = &m->tabs[2],
	      *titles = &m->tabs[3], *officials = &m->tabs[4];
	table_init(words, 1 << 20);
	table_init(names, 1 << 12);
	table_init(first, 1 << 12);
	table_init(titles, 1 << 8);
	table_init(officials, 1 << 12);
	load_names(names, first, titles, gazdir);
	uint64_t mentions[ENT_TYPES] = { 0 }, sentences = 0;
	tok *toks = NULL;
	size_t tcap = 0;
	strbuf tmp = STRBUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, fp)) > 0) {
		json_error_t err;
		json_t *o = json_loadb(line, (size_t)n, 0, &err);
		const char *lang = json_string_value(json_object_get(o, "lang"));
		const char *text = json_string_value(json_object_get(o, "text"));
		const char *title = json_string_value(json_object_get(o, "title"));
		if (!text || (lang && strcmp(lang, "en"))) {
			json_decref(o);
			continue;
		}
		size_t tl = 0;
		for (const char *p = title ? title : ""; *p;) {
			p += strspn(p, " \t\r\n");
			if (*p)
				tl++;
			p += strcspn(p, " \t\r\n");
		}
		hist_add(m->title_len, tl);
		/* Paragraphs end at a blank line or a newline before an
		 * indent (Reuters); sentences at . ! ? */
		size_t paras = 0, psent = 0, nt = 0;
		const char *p = text;
		for (;;) {
			const char *ws = p;
			p += strspn(p, " \t\r\n");
			int para_break = 0;
			for (const char *q = ws; q < p; q++)
				if (*q == '\n' && (q[1] == '\n' || q[1] == ' ' || q[1] == '\t' ||
						   (q[1] == '\r' && q[2] == '\n')))
					para_break = 1;
			if ((para_break || !*p) && (psent || nt)) {
				if (nt) { /* an unterminated sentence */
					count_mentions(toks, nt, names, first, titles,
						       officials, mentions, &tmp);
					hist_add(m->sent_len, nt);
					sentences++;
					psent++;
					nt = 0;
				}
				hist_add(m->para_len, psent);
				paras++;
				psent = 0;
			}
			if (!*p)
				break;
			const char *w = p;
			p += strcspn(p, " \t\r\n");
			size_t wn = (size_t)(p - w);
			int end = ends_sentence(w, wn);
			/* the vocabulary: the word as written, sentence-final
			 * punctuation off, a sentence-initial capital lowered */
			size_t vn = end ? wn - 1 : wn;
			sb_reset(&tmp);
			sb_add(&tmp, w, vn);
			if (nt == 0 && tmp.len > 1 && tmp.buf[0] >= 'A' && tmp.buf[0] <= 'Z' &&
			    tmp.buf[1] >= 'a' && tmp.buf[1] <= 'z')
				tmp.buf[0] = (char)(tmp.buf[0] - 'A' + 'a');
			if (tmp.len) {
				/* table_get may move counts: index first */
				size_t wi = table_get(words, tmp.buf, tmp.len, 0);
				words->counts[wi]++;
			}
			XGROW(toks, tcap, nt + 1);
			toks[nt].s = w;
			toks[nt].n = wn;
			strip_token(&toks[nt].s, &toks[nt].n);
			nt++;
			if (end) {
				count_mentions(toks, nt, names, first, titles, officials,
					       mentions, &tmp);
				hist_add(m->sent_len, nt);
				sentences++;
				psent++;
				nt = 0;
			}
		}
		hist_add(m->art_paras, paras);
		json_decref(o);
	}
	free(line);
	fclose(fp);
	free(toks);
	sb_release(&tmp);
	if (!sentences) {
		fprintf(stderr, "gen_articles: no English text in %s\n", path);
		return -1;
	}
	sampler_from_table(&m->words, words, 0, 0);
	for (int e = ENT_CITY; e < ENT_OFFICIAL; e++)
		sampler_from_table(&m->ents[e], names, e, 1);
	sampler_from_table(&m->ents[ENT_OFFICIAL], officials, 0, 0);
	for (int e = ENT_CITY; e < ENT_TYPES; e++)
		m->rate[e] = (double)mentions[e] / (double)sentences;
	fprintf(stderr, "gen_articles: model from %s: %zu word types, %llu sentences;"
		" mentions per 1000 sentences:", path, m->words.n,
		(unsigned long long)sentences);
	for (int e = ENT_CITY; e < ENT_TYPES; e++)
		fprintf(stderr, " %s %.2f", ent_name[e], 1000 * m->rate[e]);
	fputc('\n', stderr);
	/* The tables' keys are now the samplers' items: model_free. */
	return 0;
}

/* Without corpora: a fixed small vocabulary with Zipf weights, so smoke
 * runs work on a machine that has no ../shared/corpora. */
static void model_builtin(model *m, const char *gazdir)
{
	static const char *const vocab[] = {
		"the", "of", "to", "and", "a", "in", "said", "for", "on", "that",
		"is", "with", "was", "it", "by", "at", "from", "as", "government",
		"city", "officials", "new", "year", "would", "people", "immigration",
		"federal", "border", "court", "police", "report", "minister", "state",
		"policy", "asylum", "workers", "market", "oil", "prices", "election",
		"council", "law", "judge", "families", "week", "plan", "funding",
		"agents", "detention", "vote", "company", "shares", "bank", "trade",
		"students", "school", "health", "housing", "budget", "program",
	};
	size_t n = sizeof vocab / sizeof vocab[0];
	m->words.items = xmalloc(n * sizeof *m->words.items);
	m->words.cum = xmalloc(n * sizeof *m->words.cum);
	uint64_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		acc += 100000 / (i + 1);
		m->words.items[i] = vocab[i];
		m->words.cum[i] = acc;
	}
	m->words.n = n;
	for (size_t i = 8; i < 30; i++)
		m->sent_len[i] = 1;
	for (size_t i = 1; i < 5; i++)
		m->para_len[i] = 1;
	for (size_t i = 3; i < 10; i++)
		m->art_paras[i] = 1;
	for (size_t i = 4; i < 12; i++)
		m->title_len[i] = 1;
	table *names = &m->tabs[1], *first = &m->tabs[2], *titles = &m->tabs[3],
	      *officials = &m->tabs[4];
	table_init(names, 1 << 12);
	table_init(first, 1 << 12);
	table_init(titles, 1 << 8);
	load_names(names, first, titles, gazdir);
	for (int e = ENT_CITY; e < ENT_OFFICIAL; e++) {
		sampler_from_table(&m->ents[e], names, e, 1);
		m->rate[e] = 0.02;
	}
	/* officials: a title from the gazetteer and a made-up surname */
	table_init(officials, 1 << 8);
	static const char *const surnames[] = { "Alvarez", "Brennan", "Okafor", "Lindqvist",
						"Moreau", "Tanaka" };
	for (size_t i = 0; i < titles->cap; i++) {
		if (!titles->keys[i])
			continue;
		for (size_t s = 0; s < sizeof surnames / sizeof surnames[0]; s++) {
			char buf[256];
			snprintf(buf, sizeof buf, "%s %s", titles->keys[i], surnames[s]);
			size_t oi = table_get(officials, buf, strlen(buf), ENT_OFFICIAL);
			officials->counts[oi]++;
		}
	}
	sampler_from_table(&m->ents[ENT_OFFICIAL], officials, 0, 0);
	m->rate[ENT_OFFICIAL] = 0.02;
	fprintf(stderr, "gen_articles: built-in vocabulary (%zu words), no corpus model\n", n);
}

/* ---- generation ------------------------------------------------------ */

/* Append a sentence of words to out: capitalised, entity names inserted
 * at the model's rates, a full stop at the end (none for titles). */
static void gen_sentence(strbuf *out, const model *m, uint64_t *rng, size_t nwords,
			 int title)
{
	size_t inject_at[16];
	const char *inject[16];
	size_t ninject = 0;
	for (int e = ENT_CITY; e < ENT_TYPES; e++) {
		if (!m->ents[e].n)
			continue;
		/* rate may exceed 1 in principle: draw once per whole unit */
		for (double r = m->rate[e]; r > 0 && ninject < 16; r -= 1.0)
			if (rng_unit(rng) < r) {
				inject[ninject] = sampler_pick(&m->ents[e], rng);
				inject_at[ninject++] = (size_t)(rng_next(rng) % (nwords + 1));
			}
	}
	size_t start = out->len;
	for (size_t i = 0; i <= nwords; i++) {
		for (size_t k = 0; k < ninject; k++) {
			if (inject_at[k] != i)
				continue;
			if (out->len > start)
				sb_addch(out, ' ');
			sb_addstr(out, inject[k]);
		}
		if (i == nwords)
			break;
		if (out->len > start)
			sb_addch(out, ' ');
		sb_addstr(out, sampler_pick(&m->words, rng));
	}
	if (out->len > start && out->buf[start] >= 'a' && out->buf[start] <= 'z')
		out->buf[start] = (char)(out->buf[start] - 'a' + 'A');
	if (!title && out->len > start)
		sb_addch(out, '.');
}

static void gen_article(const model *m, uint64_t seed, unsigned long n, strbuf *title,
			strbuf *text)
{
	uint64_t rng = seed ^ (0xA0761D6478BD642Full * (n + 1));
	rng_next(&rng);
	sb_reset(title);
	sb_reset(text);
	gen_sentence(title, m, &rng, hist_pick(m->title_len, &rng, 2), 1);
	size_t paras = hist_pick(m->art_paras, &rng, 1);
	for (size_t p = 0; p < paras; p++) {
		if (p)
			sb_addstr(text, "\n\n");
		size_t sents = hist_pick(m->para_len, &rng, 1);
		for (size_t s = 0; s < sents; s++) {
			if (s)
				sb_addch(text, ' ');
			gen_sentence(text, m, &rng, hist_pick(m->sent_len, &rng, 3), 0);
		}
	}
}

static int do_generate(unsigned long count, uint64_t seed, const char *gazdir,
		       const char *model_path)
{
	model m;
	memset(&m, 0, sizeof m);
	if (model_path && strcmp(model_path, "-")) {
		if (model_learn(&m, model_path, gazdir)) {
			model_free(&m);
			return 1;
		}
	} else {
		model_builtin(&m, gazdir);
	}
	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	strbuf title = STRBUF_INIT, text = STRBUF_INIT;
	for (unsigned long i = 0; i < count; i++) {
		gen_article(&m, seed, i, &title, &text);
		uint64_t rng = seed + i;
		uint64_t day = rng_next(&rng) % (6 * 12 * 28);
		char id[32], date[16];
		snprintf(id, sizeof id, "gen-%lu", i + 1);
		snprintf(date, sizeof date, "%04d-%02d-%02d", 2020 + (int)(day / 336),
			 1 + (int)(day / 28 % 12), 1 + (int)(day % 28));
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(id));
		json_object_set_new(o, "title", json_stringn(sb_cstr(&title), title.len));
		json_object_set_new(o, "date", json_string(date));
		json_object_set_new(o, "source", json_string("generated"));
		json_object_set_new(o, "lang", json_string("en"));
		json_object_set_new(o, "text", json_stringn(sb_cstr(&text), text.len));
		json_dumpf(o, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(o);
	}
	sb_release(&title);
	sb_release(&text);
	model_free(&m);
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "convert"))
		return do_convert(argv[2]);
	if (argc >= 5 && !strcmp(argv[1], "generate"))
		return do_generate(strtoul(argv[2], NULL, 10), strtoull(argv[3], NULL, 10),
				   argv[4], argc > 5 ? argv[5] : NULL);
	fprintf(stderr, "usage: gen_articles convert CORPORA_DIR > corpus.jsonl\n"
		"       gen_articles generate N SEED GAZETTEER_DIR [MODEL.jsonl|-] > gen.jsonl\n");
	return 2;
}
