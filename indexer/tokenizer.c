/* The tokenizer: UTF-8 text to tokens with byte offsets, positions, kinds
 * and flags (see analyzer.h). One pass, no allocation beyond the token
 * vector and its arena. It must never read outside text[0..len) and never
 * stall: every loop step consumes at least one byte.
 *
 * Decisions worth knowing (tests pin them down):
 *  - A word whose folded form is longer than ANALYZER_MAX_WORD is skipped
 *    and takes NO position: the positions stay "+1 per token".
 *  - Han, kana and Yi characters are one token each; the second and later
 *    of a run carry AN_JOINED, so a query run becomes a phrase.
 *  - The parts of an e-mail address or URL after the first carry
 *    AN_JOINED too (a pasted address becomes a phrase); the URL scheme
 *    (http, https, ftp) is not a token.
 *  - "1,500" folds to "1500" (commas before exactly three digits go); other
 *    separators stay: "3.5", "1.500" (Spanish thousands), "3,5".
 *  - A possessive 's is dropped and stays inside the token's span
 *    ("Bass's" is one token "bass" spanning all six bytes); a trailing
 *    apostrophe (Angeles') is outside the span.
 *  - Sentence starts: after . ! ? (maybe followed by closing quotes or
 *    brackets) and then white space; a full stop right after an
 *    abbreviation (Mr. Gov. Jan.), a single capital (John F. Kennedy), or
 *    inside an acronym (U.S.) does not end a sentence. */
#include "analyzer_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"

struct scan {
	analyzer *a;
	const unsigned char *s;
	size_t len;
	an_tokens *out;
	uint32_t pos;
	int fast;
	int sent_pending, para_pending, joined_pending;
	int maybe_end;      /* . ! ? seen, waiting for white space */
	int newlines;       /* \n since the last visible character */
	size_t prev_end;    /* end of the last token, or SIZE_MAX */
	size_t ideo_end;    /* end of the last Han/kana token, or SIZE_MAX */
};

/* What scan_word learned about a word while folding it. */
struct wordinfo {
	size_t tlen;
	int upper, lower;   /* cased letters seen */
	int first_case;     /* case of the first cased letter: 1, -1, 0 */
	int nondigit;       /* anything but a decimal digit seen */
	int ascii;          /* every byte ASCII */
};

void an_tokens_clear(an_tokens *toks)
{
	toks->n = 0;
	sb_reset(&toks->arena);
}

void an_tokens_release(an_tokens *toks)
{
	free(toks->v);
	toks->v = NULL;
	toks->n = toks->cap = 0;
	sb_release(&toks->arena);
}

static inline int is_adigit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int is_aalpha(unsigned char c)
{
	return (unsigned char)((c | 32) - 'a') < 26;
}
static inline int is_aalnum(unsigned char c) { return is_adigit(c) || is_aalpha(c); }

/* Class of the character at i (i < len); its codepoint and length. */
static inline int class_at(const struct scan *sc, size_t i, int32_t *cp, size_t *n)
{
	unsigned char c = sc->s[i];
	if (c < 0x80 && sc->fast) {
		*cp = c;
		*n = 1;
		return fold_ascii_class[c];
	}
	*n = fold_decode(sc->s + i, sc->len - i, cp);
	return *cp < 0 ? C_OTHER : fold_class(*cp);
}

/* Whether a letter, digit or mark is at i (false at the end). */
static int word_char_at(const struct scan *sc, size_t i)
{
	int32_t cp;
	size_t n;
	if (i >= sc->len)
		return 0;
	int cls = class_at(sc, i, &cp, &n);
	return cls == C_LETTER || cls == C_DIGIT || cls == C_MARK;
}

/* Room for one term at the end of the arena; the caller writes at most
 * ANALYZER_MAX_WORD + FOLD_CP_MAX bytes there and then emits or drops it.
 * Borrowed: valid until the arena grows. */
static char *term_room(struct scan *sc)
{
	strbuf *ar = &sc->out->arena;
	sb_grow(ar, ANALYZER_MAX_WORD + FOLD_CP_MAX + 2);
	return ar->buf + ar->len;
}

/* Commit the term of tlen bytes written at term_room() as a token. */
static void emit(struct scan *sc, size_t start, size_t end, size_t tlen,
                 int kind, int flags)
{
	an_tokens *out = sc->out;
	strbuf *ar = &out->arena;
	if (out->n == out->cap)
		XGROW(out->v, out->cap, out->n + 1);
	an_token *t = &out->v[out->n++];
	t->term_off = (uint32_t)ar->len;
	t->term_len = (uint32_t)tlen;
	ar->buf[ar->len + tlen] = '\0';
	ar->len += tlen + 1;
	t->start = (uint32_t)start;
	t->end = (uint32_t)end;
	t->pos = sc->pos++;
	t->kind = (uint8_t)kind;
	if (sc->sent_pending)
		flags |= AN_SENT_START;
	if (sc->para_pending)
		flags |= AN_PARA_START;
	if (sc->joined_pending)
		flags |= AN_JOINED;
	t->flags = (uint8_t)flags;
	sc->sent_pending = sc->para_pending = sc->joined_pending = 0;
	sc->prev_end = end;
}

static int case_flags(const struct wordinfo *wi)
{
	int f = 0;
	if (wi->upper && !wi->lower) {
		f |= AN_ALLCAPS;
		if (wi->upper >= 2 && wi->upper <= 5)
			f |= AN_CAP;
	} else if (wi->first_case > 0) {
		f |= AN_CAP;
	}
	return f;
}

static inline void note_case(struct wordinfo *wi, int c)
{
	if (c > 0)
		wi->upper++;
	else if (c < 0)
		wi->lower++;
	if (c && !wi->first_case)
		wi->first_case = c;
}

/* Fold a word starting at i into w: letters, digits, marks, apostrophes
 * between letters (dropped), soft hyphens (dropped); a possessive 's ends
 * it inside the span. Writing stops past ANALYZER_MAX_WORD but scanning
 * goes on to the word's end. Returns the end of the span. */
static size_t scan_word(struct scan *sc, size_t i, char *w, struct wordinfo *wi)
{
	const unsigned char *s = sc->s;
	size_t len = sc->len;
	memset(wi, 0, sizeof *wi);
	wi->ascii = 1;
	size_t tlen = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (sc->fast && c < 0x80 && is_aalnum(c)) {
			/* the ASCII fast path: no decoding, no utf8proc */
			if (c <= '9') {
				if (tlen <= ANALYZER_MAX_WORD)
					w[tlen++] = (char)c;
			} else {
				wi->nondigit = 1;
				if (c <= 'Z') {
					note_case(wi, 1);
					c += 32;
				} else {
					note_case(wi, -1);
				}
				if (tlen <= ANALYZER_MAX_WORD)
					w[tlen++] = (char)c;
			}
			i++;
			continue;
		}
		int32_t cp;
		size_t n;
		int cls = class_at(sc, i, &cp, &n);
		if (cls == C_LETTER || cls == C_DIGIT || cls == C_MARK) {
			if (cp >= 0x80)
				wi->ascii = 0;
			if (cls != C_DIGIT || cp >= 0x80)
				wi->nondigit = 1;
			if (cls == C_LETTER)
				note_case(wi, fold_case(cp));
			if (tlen <= ANALYZER_MAX_WORD)
				tlen += fold_cp(cp, w + tlen);
			i += n;
		} else if (cls == C_SOFT) {
			wi->ascii = 0;
			i += n;
		} else if (cls == C_APOS) {
			size_t j = i + n, n2;
			int32_t cp2;
			if (j >= len || class_at(sc, j, &cp2, &n2) != C_LETTER)
				break;
			if ((cp2 == 's' || cp2 == 'S') && !word_char_at(sc, j + 1)) {
				i = j + 1; /* possessive: inside the span, not the term */
				break;
			}
			if (cp >= 0x80)
				wi->ascii = 0;
			i = j;
		} else {
			break;
		}
	}
	wi->tlen = tlen;
	return i;
}

/* U.S., L.A., EE.UU., e.g.: two or more segments of one or two ASCII
 * letters, each followed by a full stop, either all single letters or all
 * capitals. Folds into w (*tlen > ANALYZER_MAX_WORD: too long, skip it);
 * returns the end (after the last stop) or 0. */
static size_t match_acronym(const struct scan *sc, size_t i, char *w,
                            size_t *tlen, int *flags)
{
	const unsigned char *s = sc->s;
	size_t len = sc->len, k = i, t = 0;
	int nseg = 0, all1 = 1, allup = 1;
	/* bounded so that a failed match costs O(1): "a.a.a.a..." must not
	 * be rescanned from every letter */
	while (k < len && is_aalpha(s[k]) && nseg < 12) {
		size_t seg = 0;
		while (k < len && is_aalpha(s[k]) && seg < 3) {
			if (s[k] >= 'a')
				allup = 0;
			if (t <= ANALYZER_MAX_WORD)
				w[t++] = (char)(s[k] | 32);
			seg++;
			k++;
		}
		if (seg > 2 || k >= len || s[k] != '.')
			return 0;
		if (seg == 2)
			all1 = 0;
		nseg++;
		k++;
	}
	if (nseg < 2 || !(all1 || allup) || (k < len && is_adigit(s[k])))
		return 0;
	*tlen = t;
	*flags = allup ? AN_CAP | AN_ALLCAPS : 0;
	return k;
}

static int has_prefix_ci(const unsigned char *s, size_t n, const char *p)
{
	size_t m = strlen(p);
	if (n < m)
		return 0;
	for (size_t k = 0; k < m; k++)
		if ((s[k] | (is_aalpha(s[k]) ? 32 : 0)) != (unsigned char)p[k])
			return 0;
	return 1;
}

/* Emit the ASCII letter-digit runs of s[from..to) as tokens of kind, the
 * later ones joined to the first. Non-ASCII bytes separate parts. */
static void emit_parts(struct scan *sc, size_t from, size_t to, int kind)
{
	const unsigned char *s = sc->s;
	int first = 1;
	size_t k = from;
	while (k < to) {
		if (!is_aalnum(s[k])) {
			k++;
			continue;
		}
		size_t b = k;
		while (k < to && is_aalnum(s[k]))
			k++;
		if (k - b > ANALYZER_MAX_WORD)
			continue;
		char *w = term_room(sc);
		for (size_t j = b; j < k; j++)
			w[j - b] = (char)(is_aalpha(s[j]) ? s[j] | 32 : s[j]);
		if (!first)
			sc->joined_pending = 1;
		emit(sc, b, k, k - b, kind, 0);
		first = 0;
	}
}

/* http://..., https://..., ftp://..., www....: up to white space, a quote
 * or a non-ASCII byte, minus trailing punctuation. Returns the end or 0;
 * *body is where the parts begin (after the scheme). */
static size_t match_url(const struct scan *sc, size_t i, size_t *body)
{
	const unsigned char *s = sc->s + i;
	size_t n = sc->len - i, skip;
	if (has_prefix_ci(s, n, "http://"))
		skip = 7;
	else if (has_prefix_ci(s, n, "https://"))
		skip = 8;
	else if (has_prefix_ci(s, n, "ftp://"))
		skip = 6;
	else if (has_prefix_ci(s, n, "www."))
		skip = 0;
	else
		return 0;
	size_t k = skip;
	while (k < n && s[k] > 0x20 && s[k] < 0x7f && s[k] != '"' &&
	       s[k] != '<' && s[k] != '>')
		k++;
	while (k > skip && strchr(".,;:!?'\")]}", s[k - 1]))
		k--;
	if (k == skip || !is_aalnum(s[skip]) || (skip == 0 && k <= 4))
		return 0;
	*body = i + skip;
	return i + k;
}

/* local@domain.tld with ASCII parts; returns the end or 0. */
static size_t match_email(const struct scan *sc, size_t i)
{
	const unsigned char *s = sc->s;
	/* RFC 5321 sizes bound the scan: a long "x-x-x-..." run must not be
	 * rescanned from every word in it */
	size_t len = sc->len, k = i;
	while (k < len && k - i <= 64 &&
	       (is_aalnum(s[k]) || (s[k] && strchr("._%+-", s[k]))))
		k++;
	if (k == i || k >= len || s[k] != '@')
		return 0;
	k++;
	int labels = 0;
	size_t last = 0, end = 0, dom = k;
	while (k - dom < 255) {
		size_t b = k;
		while (k < len && (is_aalnum(s[k]) || s[k] == '-') && k - b <= 63)
			k++;
		if (k == b || k - b > 63)
			return 0;
		labels++;
		last = k - b;
		end = k;
		if (k + 1 < len && s[k] == '.' && is_aalnum(s[k + 1]))
			k++;
		else
			break;
	}
	if (labels < 2 || last < 2)
		return 0;
	return end;
}

/* After a token ending at e: a hyphen followed by a word character joins
 * the next token to this one. Returns where scanning goes on. */
static size_t after_token(struct scan *sc, size_t e)
{
	int32_t cp;
	size_t n, n2;
	if (e < sc->len && class_at(sc, e, &cp, &n) == C_HYPHEN && e + n < sc->len) {
		int c2 = class_at(sc, e + n, &cp, &n2);
		if (c2 == C_LETTER || c2 == C_DIGIT) {
			sc->joined_pending = 1;
			return e + n;
		}
	}
	return e;
}

/* 1,500 / 3.5 / 1.500.000: ASCII digits with single . or , between digit
 * groups. Returns the end or 0 if there is no separator. */
static size_t match_number(struct scan *sc, size_t i, char *w, size_t *tlen)
{
	const unsigned char *s = sc->s;
	size_t len = sc->len, k = i, t = 0;
	int seps = 0;
	while (k < len && is_adigit(s[k])) {
		if (t <= ANALYZER_MAX_WORD)
			w[t++] = (char)s[k];
		k++;
	}
	/* at most 8 groups, so a failed match is never rescanned at length */
	while (k + 1 < len && (s[k] == '.' || s[k] == ',') && is_adigit(s[k + 1]) &&
	       seps < 8) {
		size_t g = k + 1;
		while (g < len && is_adigit(s[g]))
			g++;
		if (!(s[k] == ',' && g - k - 1 == 3) && t <= ANALYZER_MAX_WORD)
			w[t++] = (char)s[k];
		for (size_t j = k + 1; j < g; j++)
			if (t <= ANALYZER_MAX_WORD)
				w[t++] = (char)s[j];
		seps++;
		k = g;
	}
	/* 3.5m, 1,000s: a letter right after makes it a word; leave it */
	if (!seps || (k < len && is_aalpha(s[k])))
		return 0;
	*tlen = t;
	return k;
}

/* 287(g), 501(c)(3): digits then one to three letters or digits in
 * brackets, folded together (*tlen > ANALYZER_MAX_WORD: too long, skip
 * it). Returns the end or 0. */
static size_t match_bracketed(struct scan *sc, size_t i, char *w, size_t *tlen)
{
	const unsigned char *s = sc->s;
	size_t len = sc->len, k = i, t = 0;
	while (k < len && is_adigit(s[k]) && t < 64)
		w[t++] = (char)s[k++];
	if (k < len && is_adigit(s[k]))
		return 0;
	int groups = 0;
	while (k < len && s[k] == '(' && groups < 4) {
		size_t g = k + 1;
		while (g < len && is_aalnum(s[g]) && g - k <= 3)
			g++;
		if (g == k + 1 || g >= len || s[g] != ')' || g - k - 1 > 3)
			break;
		for (size_t j = k + 1; j < g; j++)
			if (t <= ANALYZER_MAX_WORD)
				w[t++] = (char)(is_aalpha(s[j]) ? s[j] | 32 : s[j]);
		groups++;
		k = g + 1;
	}
	if (!groups || (k < len && is_aalnum(s[k])))
		return 0;
	*tlen = t;
	return k;
}

static inline int may_continue_email(unsigned char c)
{
	return c == '@' || c == '.' || c == '_' || c == '+' || c == '-' || c == '%';
}

/* One or more tokens starting at the word character at i (class cls).
 * Returns where scanning goes on (> i). */
static size_t scan_token(struct scan *sc, size_t i, int cls, int32_t cp, size_t n)
{
	const unsigned char *s = sc->s;
	size_t tlen = 0, e;
	int flags = 0;
	char *w = term_room(sc);

	if (cls == C_IDEO) {
		if (sc->ideo_end == i)
			sc->joined_pending = 1;
		tlen = fold_cp(cp, w);
		emit(sc, i, i + n, tlen, AN_WORD, 0);
		sc->ideo_end = i + n;
		return i + n;
	}
	if (is_aalpha(s[i])) {
		if (i + 2 < sc->len && (s[i + 1] == '.' || s[i + 2] == '.') &&
		    (e = match_acronym(sc, i, w, &tlen, &flags))) {
			if (tlen <= ANALYZER_MAX_WORD)
				emit(sc, i, e, tlen, AN_ACRONYM, flags);
			return after_token(sc, e);
		}
		size_t body;
		unsigned char l = s[i] | 32;
		if ((l == 'h' || l == 'f' || l == 'w') && (e = match_url(sc, i, &body))) {
			emit_parts(sc, body, e, AN_URL);
			return e;
		}
	} else if (is_adigit(s[i])) {
		if ((e = match_number(sc, i, w, &tlen))) {
			if (tlen <= ANALYZER_MAX_WORD)
				emit(sc, i, e, tlen, AN_NUMBER, 0);
			return after_token(sc, e);
		}
		if ((e = match_bracketed(sc, i, w, &tlen))) {
			if (tlen <= ANALYZER_MAX_WORD)
				emit(sc, i, e, tlen, AN_WORD, 0);
			return after_token(sc, e);
		}
	}
	struct wordinfo wi;
	e = scan_word(sc, i, w, &wi);
	if (e < sc->len && wi.ascii && may_continue_email(s[e])) {
		size_t m = match_email(sc, i);
		if (m) {
			emit_parts(sc, i, m, AN_EMAIL);
			return m;
		}
	}
	if (wi.tlen > 0 && wi.tlen <= ANALYZER_MAX_WORD)
		emit(sc, i, e, wi.tlen, wi.nondigit ? AN_WORD : AN_NUMBER,
		     case_flags(&wi));
	return after_token(sc, e > i ? e : i + n);
}

/* Whether the full stop at i belongs to an abbreviation just before it. */
static int dot_after_abbrev(const struct scan *sc, size_t i)
{
	if (i != sc->prev_end || !sc->out->n)
		return 0;
	const an_token *t = &sc->out->v[sc->out->n - 1];
	if (t->kind != AN_WORD)
		return 0;
	if (t->term_len == 1 && (t->flags & AN_ALLCAPS))
		return 1; /* an initial: John F. Kennedy */
	return stop_is_abbrev(an_term(sc->out, t), t->term_len,
	                      (t->flags & AN_CAP) != 0);
}

uint32_t analyzer_tokenize(analyzer *a, const char *text, size_t len,
                           uint32_t first_pos, an_tokens *out)
{
	/* offsets are 32-bit: a longer text is cut, not wrapped */
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;
	struct scan sc = {
		.a = a, .s = (const unsigned char *)text, .len = len, .out = out,
		.pos = first_pos, .fast = a->ascii_fast,
		.sent_pending = 1, .para_pending = 1,
		.prev_end = (size_t)-1, .ideo_end = (size_t)-1,
	};
	size_t i = 0;
	while (i < len) {
		int32_t cp;
		size_t n;
		int cls = class_at(&sc, i, &cp, &n);
		switch (cls) {
		case C_LETTER: case C_DIGIT: case C_IDEO:
			sc.maybe_end = 0;
			sc.newlines = 0;
			i = scan_token(&sc, i, cls, cp, n);
			continue;
		case C_SPACE:
			if (sc.maybe_end)
				sc.sent_pending = 1;
			sc.maybe_end = 0;
			sc.joined_pending = 0; /* its token was skipped */
			break;
		case C_NL:
			sc.joined_pending = 0;
			if (sc.maybe_end)
				sc.sent_pending = 1;
			sc.maybe_end = 0;
			if (++sc.newlines >= 2)
				sc.sent_pending = sc.para_pending = 1;
			break;
		case C_PARA:
			sc.maybe_end = 0;
			sc.sent_pending = sc.para_pending = 1;
			break;
		case C_DOT:
			sc.newlines = 0;
			if (!dot_after_abbrev(&sc, i))
				sc.maybe_end = 1;
			break;
		case C_TERM:
			sc.newlines = 0;
			sc.maybe_end = 1;
			break;
		case C_CLOSE: case C_APOS:
			sc.newlines = 0;
			break;
		default:
			sc.newlines = 0;
			sc.maybe_end = 0;
			sc.joined_pending = 0;
		}
		i += n;
	}
	return sc.pos;
}
