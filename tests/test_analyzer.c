/* Tests of the analyzer: tokens, kinds, flags and exact offsets on the kind
 * of sentences immigration coverage is made of; folding; English and
 * Spanish stems and the proper-name pieces; language guess; stop words;
 * and bad input (random bytes, NUL, huge words, invalid UTF-8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../indexer/analyzer.h"
#include "../indexer/analyzer_internal.h"

/* What every tokenization must satisfy, whatever the input. */
static void check_invariants(const char *text, size_t len, uint32_t first_pos,
                             uint32_t ret, const an_tokens *t, size_t from)
{
	uint32_t pos = first_pos;
	size_t prev_start = 0;
	for (size_t k = from; k < t->n; k++) {
		const an_token *x = &t->v[k];
		assert_true(x->start < x->end);
		assert_true(x->end <= len);
		assert_true(x->start >= prev_start);
		prev_start = x->start;
		assert_int_equal(x->pos, pos);
		pos++;
		assert_true(x->term_len > 0);
		assert_true(x->term_len <= ANALYZER_MAX_WORD);
		assert_true(x->term_off + x->term_len < t->arena.len);
		const char *term = an_term(t, x);
		assert_int_equal(strlen(term), x->term_len);
		assert_true(x->kind <= AN_URL);
		/* a term is valid UTF-8 */
		utf8proc_ssize_t off = 0;
		while (off < (utf8proc_ssize_t)x->term_len) {
			utf8proc_int32_t cp;
			utf8proc_ssize_t r = utf8proc_iterate(
				(const utf8proc_uint8_t *)term + off,
				(utf8proc_ssize_t)x->term_len - off, &cp);
			assert_true(r > 0);
			off += r;
		}
	}
	assert_int_equal(ret, pos);
	(void)text;
}

static void tokenize(analyzer *a, const char *s, an_tokens *t)
{
	an_tokens_clear(t);
	size_t len = strlen(s);
	uint32_t r = analyzer_tokenize(a, s, len, 0, t);
	check_invariants(s, len, 0, r, t, 0);
}

struct want {
	const char *term;
	const char *span;  /* text[start..end) */
	int kind;
	int flags;         /* exact flags */
};

static void expect_tokens(const char *s, const struct want *w, size_t n)
{
	analyzer *a = analyzer_new();
	an_tokens t = AN_TOKENS_INIT;
	tokenize(a, s, &t);
	for (size_t k = 0; k < t.n && k < n; k++) {
		const an_token *x = &t.v[k];
		char span[256];
		snprintf(span, sizeof span, "%.*s", (int)(x->end - x->start),
		         s + x->start);
		if (strcmp(an_term(&t, x), w[k].term) || strcmp(span, w[k].span) ||
		    x->kind != w[k].kind || x->flags != w[k].flags)
			fail_msg("token %zu: got %s [%s] kind %d flags %#x, want %s [%s] "
			         "kind %d flags %#x", k, an_term(&t, x), span, x->kind,
			         x->flags, w[k].term, w[k].span, w[k].kind, w[k].flags);
	}
	assert_int_equal(t.n, n);
	an_tokens_release(&t);
	analyzer_free(a);
}

#define W AN_WORD
#define C AN_CAP
#define A AN_ALLCAPS
#define S AN_SENT_START
#define P AN_PARA_START
#define J AN_JOINED
#define NW(arr) (sizeof(arr) / sizeof((arr)[0]))

static void test_coverage_sentence(void **state)
{
	(void)state;
	const char *s =
		"Councilmember Hugo Soto-Martinez called L.A. a \xe2\x80\x9csanctuary "
		"city\xe2\x80\x9d as ICE agents met Mayor Karen Bass's staff in Los "
		"Angeles\xe2\x80\x99 City Hall.";
	static const struct want w[] = {
		{ "councilmember", "Councilmember", W, C | S | P },
		{ "hugo", "Hugo", W, C },
		{ "soto", "Soto", W, C },
		{ "martinez", "Martinez", W, C | J },
		{ "called", "called", W, 0 },
		{ "la", "L.A.", AN_ACRONYM, C | A },
		{ "a", "a", W, 0 },
		{ "sanctuary", "sanctuary", W, 0 },
		{ "city", "city", W, 0 },
		{ "as", "as", W, 0 },
		{ "ice", "ICE", W, C | A },
		{ "agents", "agents", W, 0 },
		{ "met", "met", W, 0 },
		{ "mayor", "Mayor", W, C },
		{ "karen", "Karen", W, C },
		{ "bass", "Bass's", W, C },
		{ "staff", "staff", W, 0 },
		{ "in", "in", W, 0 },
		{ "los", "Los", W, C },
		{ "angeles", "Angeles", W, C },
		{ "city", "City", W, C },
		{ "hall", "Hall", W, C },
	};
	expect_tokens(s, w, NW(w));
}

static void test_apostrophes_and_quotes(void **state)
{
	(void)state;
	const char *s = "\"Don\xe2\x80\x99t,\" O'Brien said of the U.S.' "
	                "'sanctuary' rules; it's Jones' view.";
	static const struct want w[] = {
		{ "dont", "Don\xe2\x80\x99t", W, C | S | P },
		{ "obrien", "O'Brien", W, C },
		{ "said", "said", W, 0 },
		{ "of", "of", W, 0 },
		{ "the", "the", W, 0 },
		{ "us", "U.S.", AN_ACRONYM, C | A },
		{ "sanctuary", "sanctuary", W, 0 },
		{ "rules", "rules", W, 0 },
		{ "it", "it's", W, 0 },
		{ "jones", "Jones", W, C },
		{ "view", "view", W, 0 },
	};
	expect_tokens(s, w, NW(w));
}

static void test_numbers_and_forms(void **state)
{
	(void)state;
	const char *s = "About 1,500 agents, 3.5% more, under 287(g) and Title 42 "
	                "in the 1990s; 1.500 personas; COVID-19 rules.";
	static const struct want w[] = {
		{ "about", "About", W, C | S | P },
		{ "1500", "1,500", AN_NUMBER, 0 },
		{ "agents", "agents", W, 0 },
		{ "3.5", "3.5", AN_NUMBER, 0 },
		{ "more", "more", W, 0 },
		{ "under", "under", W, 0 },
		{ "287g", "287(g)", W, 0 },
		{ "and", "and", W, 0 },
		{ "title", "Title", W, C },
		{ "42", "42", AN_NUMBER, 0 },
		{ "in", "in", W, 0 },
		{ "the", "the", W, 0 },
		{ "1990s", "1990s", W, 0 },
		{ "1.500", "1.500", AN_NUMBER, 0 },
		{ "personas", "personas", W, 0 },
		{ "covid", "COVID", W, C | A },
		{ "19", "19", AN_NUMBER, J },
		{ "rules", "rules", W, 0 },
	};
	expect_tokens(s, w, NW(w));
}

static void test_email_and_url(void **state)
{
	(void)state;
	const char *s = "Write to Maria.Lopez@latimes.com or see "
	                "https://www.ice.gov/news/releases. Then call.";
	static const struct want w[] = {
		{ "write", "Write", W, C | S | P },
		{ "to", "to", W, 0 },
		{ "maria", "Maria", AN_EMAIL, 0 },
		{ "lopez", "Lopez", AN_EMAIL, J },
		{ "latimes", "latimes", AN_EMAIL, J },
		{ "com", "com", AN_EMAIL, J },
		{ "or", "or", W, 0 },
		{ "see", "see", W, 0 },
		{ "www", "www", AN_URL, 0 },
		{ "ice", "ice", AN_URL, J },
		{ "gov", "gov", AN_URL, J },
		{ "news", "news", AN_URL, J },
		{ "releases", "releases", AN_URL, J },
		{ "then", "Then", W, C | S },
		{ "call", "call", W, 0 },
	};
	expect_tokens(s, w, NW(w));
}

static void test_sentences_and_paragraphs(void **state)
{
	(void)state;
	const char *s = "Mr. Homan met Gov. Newsom and Sen. Padilla in Jan. 2025 "
	                "with John F. Kennedy aides. \xe2\x80\x9cNo!\xe2\x80\x9d "
	                "they said? Yes.\n\nNew para\nsame para. (Quoted.) End";
	static const struct want w[] = {
		{ "mr", "Mr", W, C | S | P },
		{ "homan", "Homan", W, C },
		{ "met", "met", W, 0 },
		{ "gov", "Gov", W, C },
		{ "newsom", "Newsom", W, C },
		{ "and", "and", W, 0 },
		{ "sen", "Sen", W, C },
		{ "padilla", "Padilla", W, C },
		{ "in", "in", W, 0 },
		{ "jan", "Jan", W, C },
		{ "2025", "2025", AN_NUMBER, 0 },
		{ "with", "with", W, 0 },
		{ "john", "John", W, C },
		{ "f", "F", W, A },
		{ "kennedy", "Kennedy", W, C },
		{ "aides", "aides", W, 0 },
		{ "no", "No", W, C | S },
		{ "they", "they", W, S },
		{ "said", "said", W, 0 },
		{ "yes", "Yes", W, C | S },
		{ "new", "New", W, C | S | P },
		{ "para", "para", W, 0 },
		{ "same", "same", W, 0 },
		{ "para", "para", W, 0 },
		{ "quoted", "Quoted", W, C | S },
		{ "end", "End", W, C | S },
	};
	expect_tokens(s, w, NW(w));
}

static void test_spanish_accents(void **state)
{
	(void)state;
	const char *s = "La \xe2\x80\x9c" "deportaci\xc3\xb3n masiva\xe2\x80\x9d de EE.UU. "
	                "preocupa a Pe\xc3\xb1" "a y a la Stra\xc3\x9f" "e.";
	static const struct want w[] = {
		{ "la", "La", W, C | S | P },
		{ "deportacion", "deportaci\xc3\xb3n", W, 0 },
		{ "masiva", "masiva", W, 0 },
		{ "de", "de", W, 0 },
		{ "eeuu", "EE.UU.", AN_ACRONYM, C | A },
		{ "preocupa", "preocupa", W, 0 },
		{ "a", "a", W, 0 },
		{ "pena", "Pe\xc3\xb1" "a", W, C },
		{ "y", "y", W, 0 },
		{ "a", "a", W, 0 },
		{ "la", "la", W, 0 },
		{ "strasse", "Stra\xc3\x9f" "e", W, C },
	};
	expect_tokens(s, w, NW(w));
}

static void test_mixed_scripts(void **state)
{
	(void)state;
	/* Cyrillic, Han (one token per character, joined), Arabic, Greek,
	 * emoji (a separator), a decomposed accent (e + U+0301) */
	const char *s = "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 "
	                "\xe6\x9d\xb1\xe4\xba\xac "
	                "\xd8\xa7\xd9\x84\xd9\x87\xd8\xac\xd8\xb1\xd8\xa9 "
	                "\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1"
	                "\xf0\x9f\x98\x80" "cafe\xcc\x81";
	static const struct want w[] = {
		{ "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
		  "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", W, C | S | P },
		{ "\xe6\x9d\xb1", "\xe6\x9d\xb1", W, 0 },
		{ "\xe4\xba\xac", "\xe4\xba\xac", W, J },
		{ "\xd8\xa7\xd9\x84\xd9\x87\xd8\xac\xd8\xb1\xd8\xa9",
		  "\xd8\xa7\xd9\x84\xd9\x87\xd8\xac\xd8\xb1\xd8\xa9", W, 0 },
		{ "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1",
		  "\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1", W, C },
		{ "cafe", "cafe\xcc\x81", W, 0 },
	};
	expect_tokens(s, w, NW(w));
}

static void test_fold(void **state)
{
	(void)state;
	analyzer *a = analyzer_new();
	strbuf sb = STRBUF_INIT;
	analyzer_fold(a, "Deportaci\xc3\xb3n", strlen("Deportaci\xc3\xb3n"), &sb);
	assert_string_equal(sb.buf, "deportacion");
	sb_reset(&sb);
	analyzer_fold(a, "Karen Bass", 10, &sb);
	assert_string_equal(sb.buf, "karen bass");
	sb_reset(&sb);
	analyzer_fold(a, "O\xe2\x80\x99" "Brien STRA\xc3\x9f" "E \xc3\x85ngstr\xc3\xb6m",
	              strlen("O\xe2\x80\x99" "Brien STRA\xc3\x9f" "E \xc3\x85ngstr\xc3\xb6m"), &sb);
	assert_string_equal(sb.buf, "obrien strasse angstrom");
	sb_reset(&sb);
	/* NUL and invalid bytes go; the rest stays */
	analyzer_fold(a, "A\0B\xff-C", 6, &sb);
	assert_string_equal(sb.buf, "ab-c");
	sb_reset(&sb);
	analyzer_fold(a, "", 0, &sb);
	assert_string_equal(sb_cstr(&sb), "");
	/* the tokenizer and analyzer_fold agree on a word */
	an_tokens t = AN_TOKENS_INIT;
	const char *w = "Ni\xc3\xb1" "os\xc2\xad" "Ca\xef\xac\x81";
	tokenize(a, w, &t);
	assert_int_equal(t.n, 1);
	sb_reset(&sb);
	analyzer_fold(a, w, strlen(w), &sb);
	assert_string_equal(an_term(&t, &t.v[0]), sb.buf);
	assert_string_equal(sb.buf, "ninoscafi");
	an_tokens_release(&t);
	sb_release(&sb);
	analyzer_free(a);
}

static const char *stem(analyzer *a, const char *lang, const char *w,
                        char *buf, size_t cap)
{
	size_t n;
	const char *s = analyzer_stem(a, lang, w, strlen(w), &n);
	assert_non_null(s);
	assert_true(n < cap);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static void test_stem_english(void **state)
{
	(void)state;
	analyzer *a = analyzer_new();
	char x[64], y[64];
	assert_string_equal(stem(a, "en", "immigrants", x, 64),
	                    stem(a, "en", "immigrant", y, 64));
	assert_string_equal(stem(a, "en", "deportations", x, 64),
	                    stem(a, "en", "deported", y, 64));
	/* "Homan" must not become "home" */
	assert_string_not_equal(stem(a, "en", "homan", x, 64),
	                        stem(a, "en", "home", y, 64));
	/* ...but Eugene and eugenics meet: why the indexer also keeps the
	 * exact form of capitalised words */
	assert_string_equal(stem(a, "en", "eugenics", x, 64),
	                    stem(a, "en", "eugene", y, 64));
	assert_string_equal(stem(a, "english", "immigrants", x, 64), "immigr");
	an_tokens t = AN_TOKENS_INIT;
	tokenize(a, "the eugenics of Eugene", &t);
	assert_int_equal(t.n, 4);
	assert_false(t.v[1].flags & AN_CAP);
	assert_true(t.v[3].flags & AN_CAP);
	assert_string_equal(an_term(&t, &t.v[3]), "eugene");
	an_tokens_release(&t);
	analyzer_free(a);
}

static void test_stem_spanish(void **state)
{
	(void)state;
	analyzer *a = analyzer_new();
	char x[64], y[64], z[64];
	/* folded input: the accent is gone before stemming */
	stem(a, "es", "deportaciones", x, 64);
	stem(a, "es", "deportacion", y, 64);
	assert_string_equal(x, y);
	assert_string_equal(stem(a, "spanish", "inmigrantes", x, 64),
	                    stem(a, "es", "inmigrante", y, 64));
	assert_string_equal(stem(a, "es", "naciones", x, 64),
	                    stem(a, "es", "nacion", y, 64));
	/* a stem is folded even when an accent was put back to find it */
	stem(a, "es", "expulsion", z, 64);
	for (const char *p = z; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	assert_string_equal(z, stem(a, "es", "expulsiones", x, 64));
	analyzer_free(a);
}

/* The stem exceptions (corpus/gazetteer/stem_exceptions.tsv) split what
 * Snowball joins, in their own language only, and leave the rest alone. */
static void test_stem_exceptions(void **state)
{
	(void)state;
	analyzer *a = analyzer_new();
	char x[64], y[64];
	/* deportation and sport apart in Spanish */
	stem(a, "es", "deportacion", x, 64);
	assert_string_equal(x, stem(a, "es", "deportados", y, 64));
	assert_string_equal(x, stem(a, "es", "deportar", y, 64));
	assert_string_not_equal(x, stem(a, "es", "deportes", y, 64));
	assert_string_equal(stem(a, "es", "deporte", x, 64),
	                    stem(a, "es", "deportes", y, 64));
	assert_string_not_equal(stem(a, "es", "deportistas", x, 64),
	                        stem(a, "es", "deportacion", y, 64));
	assert_string_not_equal(stem(a, "es", "deportivo", x, 64),
	                        stem(a, "es", "deportado", y, 64));
	/* mayoria (majority) is not mayor (bigger); mayores still is */
	assert_string_not_equal(stem(a, "es", "mayoria", x, 64),
	                        stem(a, "es", "mayor", y, 64));
	assert_string_equal(stem(a, "es", "mayores", x, 64),
	                    stem(a, "es", "mayor", y, 64));
	/* ciudad and ciudades meet, which Snowball alone does not do */
	assert_string_equal(stem(a, "es", "ciudad", x, 64),
	                    stem(a, "es", "ciudades", y, 64));
	/* English rows stay English: Spanish "universal" is Snowball's */
	assert_string_not_equal(stem(a, "en", "university", x, 64),
	                        stem(a, "en", "universe", y, 64));
	assert_string_equal(stem(a, "en", "important", x, 64), "importan");
	assert_string_equal(stem(a, "en", "import", x, 64), "import");
	/* a word that is an exception in one language only */
	assert_string_equal(stem(a, "en", "deportes", x, 64), "deport");
	/* through the cache and without it, the same */
	analyzer_set_stem_cache(a, 0);
	assert_string_equal(stem(a, "es", "deportes", x, 64), "deporte");
	analyzer_free(a);
}

static void test_stem_languages(void **state)
{
	(void)state;
	analyzer *a = analyzer_new();
	size_t n;
	assert_true(analyzer_lang_known("en"));
	assert_true(analyzer_lang_known("ES"));
	assert_true(analyzer_lang_known("german"));
	assert_true(analyzer_lang_known("fr"));
	assert_false(analyzer_lang_known("klingon"));
	assert_false(analyzer_lang_known(""));
	assert_false(analyzer_lang_known("a-very-long-language-name-that-is-not-one"));
	assert_null(analyzer_stem(a, "klingon", "word", 4, &n));
	const char *s = analyzer_stem(a, "de", "katzen", 6, &n);
	assert_non_null(s);
	assert_int_equal(n, 4);
	assert_memory_equal(s, "katz", 4);
	s = analyzer_stem(a, "en", "", 0, &n);
	assert_non_null(s);
	assert_int_equal(n, 0);
	/* the same language by two names: still one answer */
	char x[64], y[64];
	assert_string_equal(stem(a, "en", "running", x, 64),
	                    stem(a, "english", "running", y, 64));
	analyzer_free(a);
}

/* The cache must never change an answer: stems with and without it agree,
 * over enough words to collide in its slots. */
static void test_stem_cache_agrees(void **state)
{
	(void)state;
	analyzer *c = analyzer_new(), *u = analyzer_new();
	analyzer_set_stem_cache(u, 0);
	char w[32];
	unsigned seed = 7;
	for (int k = 0; k < 60000; k++) {
		size_t len = 3 + k % 9;
		for (size_t j = 0; j < len; j++) {
			seed = seed * 1103515245u + 12345u;
			w[j] = (char)('a' + (seed >> 16) % 6);
		}
		const char *lang = k & 1 ? "es" : "en";
		size_t n1, n2;
		const char *s1 = analyzer_stem(c, lang, w, len, &n1);
		char keep[64];
		memcpy(keep, s1, n1);
		const char *s2 = analyzer_stem(u, lang, w, len, &n2);
		assert_int_equal(n1, n2);
		assert_memory_equal(keep, s2, n1);
	}
	analyzer_free(c);
	analyzer_free(u);
}

static void test_detect_lang(void **state)
{
	(void)state;
	const char *en = "Immigration and Customs Enforcement agents arrested "
	                 "dozens of people in Los Angeles on Friday, and the mayor "
	                 "said the city would not cooperate with the raids.";
	const char *es = "Agentes de inmigraci\xc3\xb3n detuvieron a decenas de "
	                 "personas en Los \xc3\x81ngeles el viernes, y la alcaldesa "
	                 "dijo que la ciudad no cooperar\xc3\xa1 con las redadas.";
	assert_string_equal(analyzer_detect_lang(en, strlen(en)), "en");
	assert_string_equal(analyzer_detect_lang(es, strlen(es)), "es");
	assert_string_equal(analyzer_detect_lang("", 0), "en");
	assert_string_equal(analyzer_detect_lang("ICE DACA 287(g)", 15), "en");
	assert_string_equal(analyzer_detect_lang(NULL, 0), "en");
	/* only the start counts: Spanish after 2000 bytes of English */
	strbuf sb = STRBUF_INIT;
	while (sb.len < 2100)
		sb_addstr(&sb, en);
	for (int k = 0; k < 20; k++)
		sb_addstr(&sb, es);
	assert_string_equal(analyzer_detect_lang(sb.buf, sb.len), "en");
	sb_release(&sb);
}

static void test_stopwords(void **state)
{
	(void)state;
	assert_true(stop_tables_sorted());
	assert_true(stop_count("en") >= 120);
	assert_true(stop_count("es") >= 150);
	assert_true(analyzer_is_stopword("en", "the", 3));
	assert_true(analyzer_is_stopword("en", "dont", 4));
	assert_true(analyzer_is_stopword("en", "a", 1));
	assert_false(analyzer_is_stopword("en", "immigration", 11));
	assert_false(analyzer_is_stopword("en", "us", 2)); /* U.S. */
	assert_false(analyzer_is_stopword("en", "th", 2));
	assert_false(analyzer_is_stopword("en", "thee", 4));
	assert_true(analyzer_is_stopword("es", "que", 3));
	assert_true(analyzer_is_stopword("es", "mas", 3));
	assert_true(analyzer_is_stopword("es", "tambien", 7));
	assert_false(analyzer_is_stopword("es", "the", 3));
	assert_false(analyzer_is_stopword("es", "frontera", 8));
	assert_false(analyzer_is_stopword("fr", "the", 3));
	assert_false(analyzer_is_stopword("en", "", 0));
	/* counted, not NUL-terminated */
	assert_true(analyzer_is_stopword("en", "thereby", 5));
}

static void test_positions(void **state)
{
	(void)state;
	analyzer *a = analyzer_new();
	an_tokens t = AN_TOKENS_INIT;
	uint32_t p = analyzer_tokenize(a, "Border wall", 11, 100, &t);
	assert_int_equal(p, 102);
	const char *body = "funding was cut";
	uint32_t q = analyzer_tokenize(a, body, strlen(body), p, &t);
	assert_int_equal(q, 105);
	assert_int_equal(t.n, 5);
	/* the first token of the second call starts a text again */
	assert_true(t.v[2].flags & AN_PARA_START);
	assert_int_equal(t.v[2].pos, 102);
	assert_int_equal(t.v[2].start, 0);
	/* offsets into the arena survived its growth */
	assert_string_equal(an_term(&t, &t.v[0]), "border");
	assert_string_equal(an_term(&t, &t.v[4]), "cut");
	assert_int_equal(analyzer_tokenize(a, "", 0, 7, &t), 7);
	assert_int_equal(analyzer_tokenize(a, " \n\n ... ", 8, 7, &t), 7);
	assert_int_equal(t.n, 5);
	an_tokens_clear(&t);
	assert_int_equal(t.n, 0);
	an_tokens_release(&t);
	an_tokens_release(&t); /* twice is harmless */
	analyzer_free(a);
	analyzer_free(NULL);
}

static void fill_random(char *buf, size_t n, unsigned seed)
{
	for (size_t k = 0; k < n; k++) {
		seed = seed * 1103515245u + 12345u;
		buf[k] = (char)(seed >> 16);
	}
}

/* The ASCII fast path must be invisible: same tokens with it off. */
static void same_tokens_both_paths(const char *s, size_t len)
{
	analyzer *f = analyzer_new(), *g = analyzer_new();
	analyzer_set_ascii_fastpath(g, 0);
	an_tokens a = AN_TOKENS_INIT, b = AN_TOKENS_INIT;
	uint32_t ra = analyzer_tokenize(f, s, len, 0, &a);
	uint32_t rb = analyzer_tokenize(g, s, len, 0, &b);
	check_invariants(s, len, 0, ra, &a, 0);
	assert_int_equal(ra, rb);
	assert_int_equal(a.n, b.n);
	for (size_t k = 0; k < a.n; k++) {
		assert_int_equal(a.v[k].start, b.v[k].start);
		assert_int_equal(a.v[k].end, b.v[k].end);
		assert_int_equal(a.v[k].kind, b.v[k].kind);
		assert_int_equal(a.v[k].flags, b.v[k].flags);
		assert_string_equal(an_term(&a, &a.v[k]), an_term(&b, &b.v[k]));
	}
	an_tokens_release(&a);
	an_tokens_release(&b);
	analyzer_free(f);
	analyzer_free(g);
}

static void test_ascii_fastpath_invisible(void **state)
{
	(void)state;
	for (int c = 0; c < 128; c++)
		assert_int_equal(fold_class_ascii((unsigned char)c), fold_class(c));
	for (int c = 'A'; c <= 'Z'; c++) {
		char d[FOLD_CP_MAX];
		assert_int_equal(fold_cp(c, d), 1);
		assert_int_equal(d[0], c + 32);
		assert_int_equal(fold_case(c), 1);
		assert_int_equal(fold_case(c + 32), -1);
	}
	const char *s = "Mr. Bass's \xe2\x80\x9cICE\xe2\x80\x9d Soto-Martinez U.S. "
	                "1,500 287(g) x@y.com www.ice.gov don't O'Brien \xc3\x89" "cole "
	                "CAF\xc3\x89S abc\xc2\xad" "def.\n\nNext.";
	same_tokens_both_paths(s, strlen(s));
	char *r = xmalloc(200000);
	fill_random(r, 200000, 99);
	/* keep it mostly ASCII so the paths are both exercised */
	for (size_t k = 0; k < 200000; k++)
		if (k % 3)
			r[k] = (char)" aZ.-'9,(g)@:/"[(unsigned char)r[k] % 14];
	same_tokens_both_paths(r, 200000);
	free(r);
}

static void test_random_bytes(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *buf = xmalloc(n);
	fill_random(buf, n, 12345);
	analyzer *a = analyzer_new();
	an_tokens t = AN_TOKENS_INIT;
	uint32_t r = analyzer_tokenize(a, buf, n, 0, &t);
	check_invariants(buf, n, 0, r, &t, 0);
	assert_true(t.n > 1000);
	/* reuse: no growth the second time round */
	size_t cap = t.cap, acap = t.arena.cap;
	an_tokens_clear(&t);
	r = analyzer_tokenize(a, buf, n, 0, &t);
	check_invariants(buf, n, 0, r, &t, 0);
	assert_int_equal(t.cap, cap);
	assert_int_equal(t.arena.cap, acap);
	an_tokens_release(&t);
	analyzer_free(a);
	free(buf);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	const char s[] = "ICE\0raids\0\0in L.A.\0";
	analyzer *a = analyzer_new();
	an_tokens t = AN_TOKENS_INIT;
	uint32_t r = analyzer_tokenize(a, s, sizeof s - 1, 0, &t);
	check_invariants(s, sizeof s - 1, 0, r, &t, 0);
	assert_int_equal(t.n, 4);
	assert_string_equal(an_term(&t, &t.v[0]), "ice");
	assert_string_equal(an_term(&t, &t.v[1]), "raids");
	assert_int_equal(t.v[1].start, 4);
	assert_string_equal(an_term(&t, &t.v[3]), "la");
	an_tokens_release(&t);
	analyzer_free(a);
}

/* A huge "word" of each shape is skipped (no position) without a crash
 * or quadratic time; the words around it keep consecutive positions. */
static void test_huge_words(void **state)
{
	(void)state;
	const char *units[] = { "a", "\xc3\xa9", "e\xcc\x81", "1", "a.", "1,000",
	                        "1.", "1(1)", "x.x@", "x-1.",
	                        "(g)", "a'", "x-", "\xe6\x9d\xb1" };
	analyzer *a = analyzer_new();
	an_tokens t = AN_TOKENS_INIT;
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		strbuf sb = STRBUF_INIT;
		sb_addstr(&sb, "before ");
		if (!strcmp(units[u], "(g)") || !strcmp(units[u], "1,000"))
			sb_addch(&sb, '7');
		size_t ul = strlen(units[u]);
		while (sb.len < (1 << 20))
			sb_add(&sb, units[u], ul);
		sb_addstr(&sb, " after");
		an_tokens_clear(&t);
		uint32_t r = analyzer_tokenize(a, sb.buf, sb.len, 0, &t);
		check_invariants(sb.buf, sb.len, 0, r, &t, 0);
		assert_string_equal(an_term(&t, &t.v[0]), "before");
		assert_string_equal(an_term(&t, &t.v[t.n - 1]), "after");
		/* a letter, digit or apostrophe run is one long word that
		 * must vanish; the other shapes are many short tokens */
		if (u < 4 || !strcmp(units[u], "a'"))
			assert_int_equal(t.n, 2);
		sb_release(&sb);
	}
	/* a hyphen before a skipped word joins nothing after it */
	{
		strbuf sb = STRBUF_INIT;
		sb_addstr(&sb, "anti-");
		for (int k = 0; k < 300; k++)
			sb_addch(&sb, 'z');
		sb_addstr(&sb, " raids");
		an_tokens_clear(&t);
		analyzer_tokenize(a, sb.buf, sb.len, 0, &t);
		assert_int_equal(t.n, 2);
		assert_int_equal(t.v[1].pos, 1);
		assert_false(t.v[1].flags & AN_JOINED);
		sb_release(&sb);
	}
	/* just under and just over the limit */
	char w[ANALYZER_MAX_WORD + 2];
	memset(w, 'q', sizeof w);
	an_tokens_clear(&t);
	analyzer_tokenize(a, w, ANALYZER_MAX_WORD, 0, &t);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.v[0].term_len, ANALYZER_MAX_WORD);
	an_tokens_clear(&t);
	analyzer_tokenize(a, w, ANALYZER_MAX_WORD + 1, 0, &t);
	assert_int_equal(t.n, 0);
	an_tokens_release(&t);
	analyzer_free(a);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	const char *s = "ab\xc0\xaf" "cd "          /* overlong slash */
	                "ef\xed\xa0\x80gh "         /* surrogate */
	                "ij\xe2\x82"                /* truncated */
	                " kl\xf5\x80\x80\x80mn "    /* beyond U+10FFFF */
	                "op\xff\xfe" "qr \xe2";     /* stray bytes, truncated end */
	analyzer *a = analyzer_new();
	an_tokens t = AN_TOKENS_INIT;
	tokenize(a, s, &t);
	const char *want[] = { "ab", "cd", "ef", "gh", "ij", "kl", "mn", "op", "qr" };
	assert_int_equal(t.n, 9);
	for (size_t k = 0; k < 9; k++)
		assert_string_equal(an_term(&t, &t.v[k]), want[k]);
	an_tokens_release(&t);
	analyzer_free(a);
}

static void test_empty_and_tiny(void **state)
{
	(void)state;
	analyzer *a = analyzer_new();
	an_tokens t = AN_TOKENS_INIT;
	assert_int_equal(analyzer_tokenize(a, "", 0, 0, &t), 0);
	assert_int_equal(analyzer_tokenize(a, NULL, 0, 3, &t), 3);
	const char *tiny[] = { "a", ".", "'", "-", "U.", "1,", "1.", "(", "287(",
	                       "287(g", "x@", "x@y", "www.", "http://", "a's",
	                       "'s", "\xe2\x80\x99", "e\xcc\x81", "\xcc\x81" };
	for (size_t k = 0; k < sizeof tiny / sizeof *tiny; k++) {
		an_tokens_clear(&t);
		size_t len = strlen(tiny[k]);
		uint32_t r = analyzer_tokenize(a, tiny[k], len, 0, &t);
		check_invariants(tiny[k], len, 0, r, &t, 0);
	}
	an_tokens_release(&t);
	analyzer_free(a);
}

/* Every file of a real corpus, when present: invariants only. */
static void test_real_corpus(void **state)
{
	(void)state;
	const char *src = getenv("LEDE_SRC");
	char path[4096];
	snprintf(path, sizeof path, "%s/../shared/corpora/bbc/politics/001.txt",
	         src ? src : ".");
	FILE *f = fopen(path, "rb");
	if (!f)
		skip();
	strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	analyzer *a = analyzer_new();
	an_tokens t = AN_TOKENS_INIT;
	uint32_t r = analyzer_tokenize(a, sb.buf, sb.len, 0, &t);
	check_invariants(sb.buf, sb.len, 0, r, &t, 0);
	assert_true(t.n > 50);
	assert_string_equal(analyzer_detect_lang(sb.buf, sb.len), "en");
	same_tokens_both_paths(sb.buf, sb.len);
	an_tokens_release(&t);
	analyzer_free(a);
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage_sentence),
		cmocka_unit_test(test_apostrophes_and_quotes),
		cmocka_unit_test(test_numbers_and_forms),
		cmocka_unit_test(test_email_and_url),
		cmocka_unit_test(test_sentences_and_paragraphs),
		cmocka_unit_test(test_spanish_accents),
		cmocka_unit_test(test_mixed_scripts),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_stem_english),
		cmocka_unit_test(test_stem_spanish),
		cmocka_unit_test(test_stem_exceptions),
		cmocka_unit_test(test_stem_languages),
		cmocka_unit_test(test_stem_cache_agrees),
		cmocka_unit_test(test_detect_lang),
		cmocka_unit_test(test_stopwords),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_ascii_fastpath_invisible),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_huge_words),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_empty_and_tiny),
		cmocka_unit_test(test_real_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
