/* Stemming: one libstemmer stemmer per language per analyzer, made on first
 * use, plus a small direct-mapped cache of stems per language (Snowball is
 * the slowest step of indexing; news repeats its words). Input is a folded
 * word; the stem that comes out is folded too, so "deportación" and
 * "deportacion" can meet. */
#include "analyzer_internal.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"

/* The gazetteer files compiled in (tools/embed.sh); the stem exceptions
 * are one of them. */
struct gazetteer_file { const char *name; const unsigned char *data; size_t len; };
extern const struct gazetteer_file gazetteer_builtin_files[];
#define STEM_EXCEPTIONS_FILE "stem_exceptions.tsv"

/* ISO 639-1 codes for libstemmer's languages; libstemmer knows some of
 * these itself, but not all, and not in upper case. */
static const struct { const char *code, *name; } lang_alias[] = {
	{ "ar", "arabic" }, { "ca", "catalan" }, { "da", "danish" },
	{ "de", "german" }, { "el", "greek" }, { "en", "english" },
	{ "es", "spanish" }, { "eu", "basque" }, { "fi", "finnish" },
	{ "fr", "french" }, { "ga", "irish" }, { "hi", "hindi" },
	{ "hu", "hungarian" }, { "hy", "armenian" }, { "id", "indonesian" },
	{ "it", "italian" }, { "lt", "lithuanian" }, { "nb", "norwegian" },
	{ "ne", "nepali" }, { "nl", "dutch" }, { "no", "norwegian" },
	{ "pt", "portuguese" }, { "ro", "romanian" }, { "ru", "russian" },
	{ "sr", "serbian" }, { "sv", "swedish" }, { "ta", "tamil" },
	{ "tr", "turkish" }, { "yi", "yiddish" },
};

/* libstemmer's own static name for lang, or NULL if it has no stemmer. */
static const char *lang_canonical(const char *lang)
{
	char low[32];
	size_t n = lang ? strlen(lang) : 0;
	if (n == 0 || n >= sizeof low)
		return NULL;
	for (size_t k = 0; k <= n; k++)
		low[k] = (char)(lang[k] >= 'A' && lang[k] <= 'Z' ? lang[k] + 32 : lang[k]);
	const char *want = low;
	for (size_t k = 0; k < sizeof lang_alias / sizeof lang_alias[0]; k++)
		if (!strcmp(low, lang_alias[k].code))
			want = lang_alias[k].name;
	for (const char **l = sb_stemmer_list(); *l; l++)
		if (!strcmp(*l, want))
			return *l;
	return NULL;
}

int analyzer_lang_known(const char *lang)
{
	return lang_canonical(lang) != NULL;
}

int analyzer_stem_keeps_first_byte(const char *lang)
{
	/* Listed by hand, each checked against libstemmer: a language added
	 * here must first pass the corpus test in tests/test_snippet.c. */
	static const char *const suffix_only[] = { "english", "spanish", "porter" };
	const char *name = lang_canonical(lang);
	if (!name)
		return 0;
	for (size_t k = 0; k < sizeof suffix_only / sizeof suffix_only[0]; k++)
		if (!strcmp(name, suffix_only[k]))
			return 1;
	return 0;
}

static int override_cmp(const void *x, const void *y)
{
	const struct an_stem_override *a = x, *b = y;
	int c = strcmp(a->lang, b->lang);
	return c ? c : strcmp(a->word, b->word);
}

/* Parse the compiled-in stem exceptions: "stem<TAB>lang<TAB>w1|w2<TAB>why"
 * after a header line, '#' lines are comments. Rows in a language
 * libstemmer lacks are ignored; the file is ours and tested
 * (tests/test_analyzer.c), so a malformed row is skipped, not fatal. */
static void overrides_load(analyzer *a)
{
	a->overrides_loaded = 1;
	const struct gazetteer_file *f = gazetteer_builtin_files;
	while (f->name && strcmp(f->name, STEM_EXCEPTIONS_FILE))
		f++;
	if (!f->name)
		return;
	const char *s = (const char *)f->data, *end = s + f->len;
	size_t cap = 0;
	int header = 1;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *line = s;
		s = nl ? nl + 1 : end;
		if (le == line || *line == '#')
			continue;
		if (header) {
			header = 0;
			continue;
		}
		const char *t1 = memchr(line, '\t', (size_t)(le - line));
		const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(le - t1 - 1)) : NULL;
		if (!t2)
			continue;
		const char *t3 = memchr(t2 + 1, '\t', (size_t)(le - t2 - 1));
		const char *wend = t3 ? t3 : le;
		char lang[32];
		size_t ll = (size_t)(t2 - t1 - 1);
		if (ll == 0 || ll >= sizeof lang)
			continue;
		memcpy(lang, t1 + 1, ll);
		lang[ll] = '\0';
		const char *canon = lang_canonical(lang);
		if (!canon)
			continue;
		for (const char *w = t2 + 1; w < wend;) {
			const char *bar = memchr(w, '|', (size_t)(wend - w));
			const char *we = bar ? bar : wend;
			if (we > w) {
				XGROW(a->overrides, cap, a->noverrides + 1);
				struct an_stem_override *o = &a->overrides[a->noverrides++];
				o->lang = canon;
				o->word = xstrndup(w, (size_t)(we - w));
				o->stem = xstrndup(line, (size_t)(t1 - line));
			}
			w = we + 1;
		}
	}
	if (a->noverrides)
		qsort(a->overrides, a->noverrides, sizeof *a->overrides,
		      override_cmp);
}

/* The exception stem of word in stemmer name's language, or NULL. */
static const char *override_find(analyzer *a, const char *name,
                                 const char *word, size_t len, size_t *out_len)
{
	if (!a->overrides_loaded)
		overrides_load(a);
	size_t lo = 0, hi = a->noverrides;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct an_stem_override *o = &a->overrides[mid];
		int c = strcmp(o->lang, name);
		if (c == 0) {
			c = strncmp(o->word, word, len);
			if (c == 0 && o->word[len] != '\0')
				c = 1;
		}
		if (c == 0) {
			*out_len = strlen(o->stem);
			return o->stem;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Direct-mapped: a new word evicts whatever shared its slot. Words longer
 * than CACHE_WORD bytes are stemmed every time. */
#define CACHE_BITS 14
#define CACHE_WORD 30
struct cache_entry {
	uint8_t wlen, slen;   /* wlen 0: empty slot */
	char word[CACHE_WORD];
	char stem[CACHE_WORD + 1];
	char pad;
};
struct an_stem_cache {
	struct cache_entry e[1u << CACHE_BITS];
};

static uint32_t hash_word(const char *w, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t k = 0; k < len; k++)
		h = (h ^ (unsigned char)w[k]) * 16777619u;
	return h ^ (h >> 15);
}

static int find_stemmer(analyzer *a, const char *lang)
{
	for (int k = 0; k < a->nseen; k++)
		if (!strcmp(lang, a->seen[k].lang))
			return a->seen[k].idx;
	const char *name = lang_canonical(lang);
	if (!name)
		return -1;
	int idx = -1;
	for (int k = 0; k < a->nstemmers; k++)
		if (a->stemmers[k].name == name)
			idx = k;
	if (idx < 0) {
		if (a->nstemmers == AN_MAX_STEMMERS)
			return -1;
		struct sb_stemmer *st = sb_stemmer_new(name, "UTF_8");
		if (!st)
			return -1;
		idx = a->nstemmers++;
		a->stemmers[idx].name = name;
		a->stemmers[idx].st = st;
		a->stemmers[idx].cache = NULL;
	}
	size_t n = strlen(lang);
	if (n < sizeof a->seen[0].lang &&
	    a->nseen < (int)(sizeof a->seen / sizeof a->seen[0])) {
		memcpy(a->seen[a->nseen].lang, lang, n + 1);
		a->seen[a->nseen++].idx = idx;
	}
	return idx;
}

/* Spanish Snowball finds -ación, -sión only with the accent, which
 * folding took away; put it back on the last o so that "deportacion",
 * "deportación" and "deportaciones" stem alike. Writes into buf (len + 2
 * bytes); returns the new length, or 0 when nothing changed. */
static size_t spanish_reaccent(const char *w, size_t len, char *buf)
{
	if (len < 5 || memcmp(w + len - 2, "on", 2) ||
	    !(w[len - 4] == 'c' || w[len - 4] == 's' || w[len - 4] == 'x') ||
	    w[len - 3] != 'i')
		return 0;
	memcpy(buf, w, len - 2);
	memcpy(buf + len - 2, "\xc3\xb3n", 3); /* ón */
	return len + 1;
}

/* The stem libstemmer gives, folded again if it has non-ASCII bytes (an
 * accent put back above, or a caller's unfolded word). Borrowed from the
 * stemmer or a->stem_out until the next call. */
static const char *stem_raw(analyzer *a, struct an_stemmer *sm,
                            const char *word, size_t len, size_t *out_len)
{
	char tmp[CACHE_WORD + 4];
	const char *ovr = override_find(a, sm->name, word, len, out_len);
	if (ovr)
		return ovr;
	if (sm->name[0] == 's' && !strcmp(sm->name, "spanish") &&
	    len <= CACHE_WORD) {
		size_t n = spanish_reaccent(word, len, tmp);
		if (n) {
			word = tmp;
			len = n;
		}
	}
	const sb_symbol *r = sb_stemmer_stem(sm->st, (const sb_symbol *)word, (int)len);
	if (!r) { /* out of memory inside libstemmer: the word is its own stem */
		*out_len = len;
		sb_reset(&a->stem_out);
		sb_add(&a->stem_out, word, len);
		return a->stem_out.buf;
	}
	size_t rl = (size_t)sb_stemmer_length(sm->st);
	int high = 0;
	for (size_t k = 0; k < rl; k++)
		high |= r[k] & 0x80;
	if (!high) {
		*out_len = rl;
		return (const char *)r;
	}
	sb_reset(&a->stem_out);
	analyzer_fold(a, (const char *)r, rl, &a->stem_out);
	*out_len = a->stem_out.len;
	return a->stem_out.buf;
}

const char *analyzer_stem(analyzer *a, const char *lang,
                          const char *word, size_t len, size_t *out_len)
{
	int idx = lang ? find_stemmer(a, lang) : -1;
	if (idx < 0)
		return NULL;
	struct an_stemmer *sm = &a->stemmers[idx];
	if (len == 0 || len > CACHE_WORD || !a->stem_cache)
		return stem_raw(a, sm, word, len, out_len);
	if (!sm->cache)
		sm->cache = xcalloc(1, sizeof *sm->cache);
	struct cache_entry *e =
		&sm->cache->e[hash_word(word, len) & ((1u << CACHE_BITS) - 1)];
	if (e->wlen == len && !memcmp(e->word, word, len)) {
		*out_len = e->slen;
		return e->stem;
	}
	size_t sl;
	const char *s = stem_raw(a, sm, word, len, &sl);
	if (sl > CACHE_WORD) {
		*out_len = sl;
		return s;
	}
	e->wlen = (uint8_t)len;
	memcpy(e->word, word, len);
	e->slen = (uint8_t)sl;
	memcpy(e->stem, s, sl);
	e->stem[sl] = '\0';
	*out_len = sl;
	return e->stem;
}

void stem_release_all(analyzer *a)
{
	for (int k = 0; k < a->nstemmers; k++) {
		sb_stemmer_delete(a->stemmers[k].st);
		free(a->stemmers[k].cache);
	}
	a->nstemmers = 0;
	a->nseen = 0;
	for (size_t k = 0; k < a->noverrides; k++) {
		free(a->overrides[k].word);
		free(a->overrides[k].stem);
	}
	free(a->overrides);
	a->overrides = NULL;
	a->noverrides = 0;
	a->overrides_loaded = 0;
}
