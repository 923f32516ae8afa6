/* lede's query language: text a user typed -> a q_node tree (query_ast.h).
 * Words go through the same analyzer as the indexed text; nothing here
 * knows about Xapian, stemming or the gazetteers (ranking does that). Every
 * malformed query gets one error naming a column; nothing here aborts.
 *
 * Grammar (loosest first; docs/query-language.md says the same for users):
 *
 *   query    := or_expr EOF
 *   or_expr  := seq ( "OR" seq )*
 *   seq      := and_expr and_expr*        -- side by side: the default
 *                                            operator (any may match, or
 *                                            all must with default_and)
 *   and_expr := unary ( "AND" unary )*
 *   unary    := ( "NOT" | "-" | "+" ) near | near
 *   near     := primary ( NEAR[/n] primary )*   -- operands: word or phrase
 *   primary  := WORD | "PHRASE" | field ":" value | date ":" range
 *             | "(" or_expr ")"
 *   value    := WORD | "QUOTED"
 *   range    := spec | spec ".." | ".." spec | spec ".." spec
 *   spec     := YYYY | YYYY-MM | YYYY-MM-DD
 *
 * So NOT/-/+ bind tightest, then NEAR, AND, the default operator, and OR
 * loosest (as in Lucene): "a b OR c" is "(a b) OR c". Keywords count only in
 * upper case; "and", "or", "not", "near" are words. "-" and "+" count only
 * right before their operand ("-raid", not "- raid").
 *
 * Meaning: in a seq or an AND chain, excluded items (NOT x, -x) are
 * subtracted from the rest (Q_AND_NOT); +x items are required and plain
 * items optional (Q_AND_MAYBE) unless default_and makes them required. A
 * group made only of exclusions is itself an exclusion ("a (-b -c)"), which
 * is fine beside something to search for but an error as a side of OR, as
 * the operand of another exclusion, or as the whole query. */
#include "query_ast.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../corpus/article.h"
#include "../common/xalloc.h"

typedef enum tok_kind {
	T_EOF = 0,
	T_WORD,    /* [off, end) */
	T_PHRASE,  /* quote at off; text [voff, voff+vlen); end past closer */
	T_LPAREN,
	T_RPAREN,
	T_AND,
	T_OR,
	T_NOT,
	T_NEAR,    /* window */
	T_MINUS,
	T_PLUS,
	T_FIELD    /* field (F_DATE for date:); value [voff, voff+vlen) */
} tok_kind;

#define F_DATE QF_NFIELDS

typedef struct tok {
	tok_kind kind;
	size_t off, end;
	size_t voff, vlen;
	int field;
	unsigned window;
} tok;

/* How an item takes part in the seq or AND chain around it. */
enum occ {
	OCC_DROP = 0, /* nothing to search for (punctuation): ignored */
	OCC_SHOULD,   /* plain */
	OCC_MUST,     /* +x */
	OCC_NOT       /* -x, NOT x */
};

typedef struct item {
	q_node *n;    /* owned by whoever holds the item */
	int occ;
	size_t off;
} item;

typedef struct items {
	item *v;
	size_t n, cap;
} items;

/* What came before an operand, for "expected ... after AND at column 3". */
typedef struct ctx {
	const char *what; /* NULL at the start of the query */
	size_t off;
} ctx;

typedef struct parser {
	analyzer *a;
	const char *s;
	size_t len;
	size_t pos;       /* lexer: next byte to read */
	tok cur;
	int have_cur;
	int default_and;
	unsigned max_depth, depth;
	int failed;
	strbuf *err;
	an_tokens toks;
} parser;

/* ---- errors ---------------------------------------------------------- */

/* 1-based column in characters: UTF-8 continuation bytes do not count. */
static size_t col_of(const parser *p, size_t off)
{
	size_t c = 1;
	if (off > p->len)
		off = p->len;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)p->s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

__attribute__((format(printf, 3, 4)))
static void fail(parser *p, size_t off, const char *fmt, ...)
{
	if (p->failed)
		return; /* the first error is the one worth reading */
	p->failed = 1;
	sb_addf(p->err, "column %zu: ", col_of(p, off));
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(p->err, fmt, ap);
	va_end(ap);
}

/* ---- lexer ----------------------------------------------------------- */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f' || c == '\0';
}

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* Bytes of a quotation mark at i, 0 if none: ASCII and the typographic
 * ones people paste from articles (“ ” « »). Any of them closes any. */
static size_t quote_len(const parser *p, size_t i)
{
	const unsigned char *u = (const unsigned char *)p->s;
	if (i >= p->len)
		return 0;
	if (u[i] == '"')
		return 1;
	if (i + 2 < p->len && u[i] == 0xE2 && u[i + 1] == 0x80 &&
	    (u[i + 2] == 0x9C || u[i + 2] == 0x9D))
		return 3;
	if (i + 1 < p->len && u[i] == 0xC2 && (u[i + 1] == 0xAB || u[i + 1] == 0xBB))
		return 2;
	return 0;
}

static int is_keyword(const char *s, size_t n)
{
	return (n == 3 && !memcmp(s, "AND", 3)) || (n == 2 && !memcmp(s, "OR", 2)) ||
	       (n == 3 && !memcmp(s, "NOT", 3)) || (n >= 4 && !memcmp(s, "NEAR", 4));
}

/* End of a word starting at b. A "(" right after a letter or digit that
 * closes within 1-3 letters or digits stays in the word, so 287(g) is one
 * word (the analyzer makes it 287g) while foo(bar baz) is foo and a group. */
static size_t word_end(const parser *p, size_t b)
{
	size_t i = b;
	while (i < p->len) {
		unsigned char c = (unsigned char)p->s[i];
		if (is_space(c) || c == ')' || quote_len(p, i))
			break;
		if (c == '(') {
			size_t j = i + 1;
			while (j < p->len && j - i <= 3 && is_alnum((unsigned char)p->s[j]))
				j++;
			if (i > b && is_alnum((unsigned char)p->s[i - 1]) &&
			    !is_keyword(p->s + b, i - b) && j > i + 1 &&
			    j < p->len && p->s[j] == ')') {
				i = j + 1;
				continue;
			}
			break;
		}
		i++;
	}
	return i;
}

/* A quoted stretch opening at q: fills voff/vlen and returns the byte after
 * the closing mark, or 0 (error set) when there is none. */
static size_t lex_quoted(parser *p, size_t q, size_t *voff, size_t *vlen)
{
	size_t b = q + quote_len(p, q);
	for (size_t i = b; i < p->len; i++) {
		size_t ql = quote_len(p, i);
		if (ql) {
			*voff = b;
			*vlen = i - b;
			return i + ql;
		}
	}
	fail(p, p->len, "expected '\"' to close '\"' at column %zu", col_of(p, q));
	return 0;
}

/* Edit distance between a[0..n) (any case) and the field name f, capped:
 * small inputs only (a field name is a few letters). */
static size_t name_distance(const char *a, size_t n, const char *f)
{
	size_t m = strlen(f);
	if (n > 24 || m > 24)
		return 99;
	size_t prev[25], cur[25];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			int same = tolower((unsigned char)a[i - 1]) == f[j - 1];
			size_t best = prev[j - 1] + !same;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, (m + 1) * sizeof *prev);
	}
	return prev[m];
}

/* A word:value whose name is not a field but nearly one ("officials:",
 * "agnecy:", "citys:") is a mistyped field, not two words to search:
 * searching them would quietly find nothing. The closest field, or NULL
 * when the name is not near any (then foo:bar stays a phrase). */
static const char *near_field(const char *s, size_t n)
{
	if (n < 3)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return NULL;
	const char *best = NULL;
	size_t bd = 99;
	for (int f = 0; f <= QF_NFIELDS; f++) {
		const char *name = f < QF_NFIELDS ? q_field_name((q_field)f) : "date";
		size_t d = name_distance(s, n, name);
		/* one edit for names of up to five letters, two for longer */
		if (d < bd && d <= (strlen(name) <= 5 ? 1u : 2u)) {
			bd = d;
			best = name;
		}
	}
	return best;
}

static void lex_word(parser *p, tok *t, size_t b)
{
	size_t e = word_end(p, b);
	const char *s = p->s;
	t->kind = T_WORD;
	t->off = b;
	t->end = e;

	const char *colon = memchr(s + b, ':', e - b);
	int field = -1;
	if (colon != NULL) {
		size_t nlen = (size_t)(colon - (s + b));
		field = q_field_from_name(s + b, nlen);
		if (field < 0 && nlen == 4 && !strncasecmp(s + b, "date", 4))
			field = F_DATE;
		const char *near = field < 0 ? near_field(s + b, nlen) : NULL;
		if (near) {
			strbuf all = STRBUF_INIT;
			for (int f = 0; f < QF_NFIELDS; f++)
				sb_addf(&all, "%s:, ", q_field_name((q_field)f));
			sb_addstr(&all, "date:");
			fail(p, b, "unknown field '%.*s:' (did you mean %s:?); the fields "
			     "are %s", (int)nlen, s + b, near, all.buf);
			sb_release(&all);
			return;
		}
	}
	if (field >= 0) {
		size_t v = (size_t)(colon - s) + 1;
		t->kind = T_FIELD;
		t->field = field;
		if (v < e) {
			t->voff = v;
			t->vlen = e - v;
		} else if (quote_len(p, v)) {
			size_t after = lex_quoted(p, v, &t->voff, &t->vlen);
			if (!after)
				return;
			t->end = after;
		} else {
			fail(p, v, "expected a word or a \"quoted value\" after %.*s",
			     (int)(v - b), s + b);
			return;
		}
		size_t k = 0;
		while (k < t->vlen && is_space((unsigned char)s[t->voff + k]))
			k++;
		if (k == t->vlen)
			fail(p, t->voff, "empty value after %.*s", (int)(v - b), s + b);
		return;
	}

	size_t n = e - b;
	if (n == 3 && !memcmp(s + b, "AND", 3))
		t->kind = T_AND;
	else if (n == 2 && !memcmp(s + b, "OR", 2))
		t->kind = T_OR;
	else if (n == 3 && !memcmp(s + b, "NOT", 3))
		t->kind = T_NOT;
	else if (n == 4 && !memcmp(s + b, "NEAR", 4)) {
		t->kind = T_NEAR;
		t->window = QUERY_NEAR_DEFAULT;
	} else if (n >= 5 && !memcmp(s + b, "NEAR/", 5)) {
		unsigned w = 0;
		size_t i = b + 5;
		int ok = i < e;
		for (; ok && i < e; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c < '0' || c > '9' || w > QUERY_NEAR_MAX) {
				ok = 0;
				break;
			}
			w = w * 10 + (c - '0');
		}
		if (!ok || w < 1 || w > QUERY_NEAR_MAX) {
			fail(p, b + 5, "expected a number from 1 to %d after NEAR/",
			     QUERY_NEAR_MAX);
			return;
		}
		t->kind = T_NEAR;
		t->window = w;
	}
}

static void lex(parser *p, tok *t)
{
	memset(t, 0, sizeof *t);
	while (p->pos < p->len && is_space((unsigned char)p->s[p->pos]))
		p->pos++;
	size_t b = p->pos;
	t->off = t->end = b;
	if (b >= p->len) {
		t->kind = T_EOF;
		return;
	}
	unsigned char c = (unsigned char)p->s[b];
	unsigned char next = b + 1 < p->len ? (unsigned char)p->s[b + 1] : ' ';
	if (c == '(') {
		t->kind = T_LPAREN;
		t->end = b + 1;
	} else if (c == ')') {
		t->kind = T_RPAREN;
		t->end = b + 1;
	} else if (quote_len(p, b)) {
		t->kind = T_PHRASE;
		size_t after = lex_quoted(p, b, &t->voff, &t->vlen);
		if (!after) {
			t->kind = T_EOF;
			return;
		}
		t->end = after;
	} else if ((c == '-' || c == '+') && !is_space(next) && next != ')' &&
	           next != '-' && next != '+') {
		t->kind = c == '-' ? T_MINUS : T_PLUS;
		t->end = b + 1;
	} else {
		lex_word(p, t, b);
	}
	if (p->failed)
		t->kind = T_EOF;
	p->pos = t->end;
}

static const tok *peek(parser *p)
{
	if (!p->have_cur) {
		lex(p, &p->cur);
		p->have_cur = 1;
	}
	return &p->cur;
}

static void advance(parser *p)
{
	p->have_cur = 0;
}

/* ---- building -------------------------------------------------------- */

static void items_push(items *v, item it)
{
	XGROW(v->v, v->cap, v->n + 1);
	v->v[v->n++] = it;
}

static void items_free(items *v)
{
	for (size_t i = 0; i < v->n; i++)
		q_node_free(v->v[i].n);
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

static void item_free(item *it)
{
	q_node_free(it->n);
	it->n = NULL;
	it->occ = OCC_DROP;
}

/* One node for a list of nodes joined by kind (Q_AND or Q_OR); takes
 * ownership of the nodes, empties list. NULL for an empty list. */
static q_node *join(int kind, q_node **list, size_t n)
{
	if (n == 0)
		return NULL;
	if (n == 1)
		return list[0];
	q_node *j = q_node_new(kind, list[0]->off, list[0]->end);
	for (size_t i = 0; i < n; i++)
		q_node_add_kid(j, list[i]);
	return j;
}

static q_node *pair(int kind, q_node *l, q_node *r)
{
	q_node *n = q_node_new(kind, l->off, l->end);
	q_node_add_kid(n, l);
	q_node_add_kid(n, r);
	return n;
}

/* A filter narrows the results without ranking them: an entity, source or
 * language field, a date range, or an AND/OR of filters (title: is text). */
static int is_filter(const q_node *n)
{
	if (n->kind == Q_DATE)
		return 1;
	if (n->kind == Q_FIELD)
		return n->field != QF_TITLE && n->field != QF_QUOTE;
	if (n->kind != Q_AND && n->kind != Q_OR)
		return 0;
	for (size_t i = 0; i < n->nkids; i++)
		if (!is_filter(n->kids[i]))
			return 0;
	return 1;
}

/* Which filters an article has only one of (one date, one source, one
 * language): repeating such a field side by side means any of them, as in
 * Xapian's QueryParser. Entities are many per article, so they stay ANDed.
 * -1 for the rest. */
static int filter_group_key(const q_node *n)
{
	if (n->kind == Q_DATE)
		return QF_NFIELDS;
	if (n->kind == Q_FIELD && (n->field == QF_SOURCE || n->field == QF_LANG))
		return (int)n->field;
	return -1;
}

/* AND of the filters, same-key ones ORed first; takes ownership. */
static q_node *join_filters(q_node **f, size_t n)
{
	q_node **groups = xcalloc(n ? n : 1, sizeof *groups);
	int *keys = xcalloc(n ? n : 1, sizeof *keys);
	size_t ng = 0;
	for (size_t i = 0; i < n; i++) {
		int key = filter_group_key(f[i]);
		size_t g = 0;
		while (g < ng && (key < 0 || keys[g] != key))
			g++;
		if (g == ng) {
			keys[ng] = key;
			groups[ng++] = f[i];
			continue;
		}
		if (groups[g]->kind != Q_OR)
			groups[g] = pair(Q_OR, groups[g], f[i]);
		else
			q_node_add_kid(groups[g], f[i]);
	}
	q_node *res = join(Q_AND, groups, ng);
	free(groups);
	free(keys);
	return res;
}

/* Combine the items of a seq (as_seq) or an AND chain into one item, taking
 * ownership of their nodes. In a seq, filters are required whatever the
 * default operator: "raid city:dallas" is raids in Dallas, not anything in
 * Dallas. */
static item combine(parser *p, items *v, int as_seq)
{
	item res = { NULL, OCC_DROP, v->n ? v->v[0].off : 0 };
	size_t live = 0;
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].occ != OCC_DROP)
			res = v->v[i], live++;
	if (live <= 1) {
		/* one item keeps its +/-, so "(+a)" is still required */
		free(v->v);
		v->v = NULL;
		v->n = v->cap = 0;
		return res;
	}

	q_node **must = xcalloc(v->n, sizeof *must);
	q_node **should = xcalloc(v->n, sizeof *should);
	q_node **nots = xcalloc(v->n, sizeof *nots);
	q_node **filt = xcalloc(v->n, sizeof *filt);
	size_t nm = 0, ns = 0, nn = 0, nf = 0;
	int any_plus = 0;
	for (size_t i = 0; i < v->n; i++) {
		item *it = &v->v[i];
		if (as_seq && (it->occ == OCC_MUST || it->occ == OCC_SHOULD) &&
		    is_filter(it->n)) {
			filt[nf++] = it->n;
			continue;
		}
		switch (it->occ) {
		case OCC_MUST:
			any_plus = 1;
			must[nm++] = it->n;
			break;
		case OCC_SHOULD:
			if (as_seq && !p->default_and)
				should[ns++] = it->n;
			else
				must[nm++] = it->n;
			break;
		case OCC_NOT:
			nots[nn++] = it->n;
			break;
		default:
			break;
		}
	}
	res.off = v->v[0].off;
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;

	q_node *req = join(Q_AND, must, nm);
	q_node *opt = join(Q_OR, should, ns);
	q_node *pos = req && opt ? pair(Q_AND_MAYBE, req, opt) : req ? req : opt;
	q_node *fil = join_filters(filt, nf);
	if (fil != NULL)
		pos = pos ? pair(Q_AND, pos, fil) : fil;
	q_node *neg = join(Q_OR, nots, nn);
	free(must);
	free(should);
	free(nots);
	free(filt);
	if (pos == NULL) {
		/* "NOT a AND NOT b" is "NOT (a OR b)" */
		res.n = neg;
		res.occ = OCC_NOT;
		return res;
	}
	res.n = neg ? pair(Q_AND_NOT, pos, neg) : pos;
	res.occ = !as_seq && any_plus ? OCC_MUST : OCC_SHOULD;
	return res;
}

/* Analyse text[off, off+len) into a Q_TERM (one token) or Q_PHRASE; NULL
 * when the analyzer finds no word in it. force_phrase: quoted text. */
static q_node *analyse(parser *p, size_t off, size_t len, size_t node_off,
                       size_t node_end, int force_phrase)
{
	an_tokens_clear(&p->toks);
	analyzer_tokenize(p->a, p->s + off, len, 0, &p->toks);
	if (p->toks.n == 0)
		return NULL;
	q_node *n = q_node_new(p->toks.n == 1 && !force_phrase ? Q_TERM : Q_PHRASE,
	                       (uint32_t)node_off, (uint32_t)node_end);
	for (size_t i = 0; i < p->toks.n; i++) {
		const an_token *t = &p->toks.v[i];
		const char *w = an_term(&p->toks, t);
		uint8_t stop = analyzer_is_stopword("en", w, t->term_len) ||
		               analyzer_is_stopword("es", w, t->term_len);
		q_node_add_term(n, w, t->term_len, (uint32_t)(off + t->start),
		                (uint32_t)(off + t->end), t->flags, t->kind, stop);
	}
	return n;
}

/* ---- dates ----------------------------------------------------------- */

static int digits(const char *s, size_t n, size_t *i, size_t min, size_t max)
{
	int v = 0;
	size_t k = 0;
	while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k >= min ? v : -1;
}

/* One end of a date range, s[0..n) at query offset off, into YYYYMMDD; a
 * partial date is its first day (as_end: its last). 0 or -1 (error set). */
static int parse_date_spec(parser *p, const char *s, size_t n, size_t off,
                           int as_end, char out[9])
{
	size_t i = 0;
	int y = digits(s, n, &i, 4, 4), m = -1, d = -1;
	if (y >= 0 && i < n && s[i] == '-') {
		i++;
		m = digits(s, n, &i, 1, 2);
		if (m >= 0 && i < n && s[i] == '-') {
			i++;
			d = digits(s, n, &i, 1, 2);
			if (d < 0)
				y = -1;
		} else if (m < 0) {
			y = -1;
		}
	}
	if (y < 0 || i != n) {
		fail(p, off, "expected a date like 2024, 2024-06 or 2024-06-15");
		return -1;
	}
	if (y < 1 || (m >= 0 && (m < 1 || m > 12)) ||
	    (d >= 0 && (d < 1 || d > corpus_days_in_month(y, m)))) {
		fail(p, off, "%.*s is not a valid date", (int)n, s);
		return -1;
	}
	if (m < 0)
		m = as_end ? 12 : 1;
	if (d < 0)
		d = as_end ? corpus_days_in_month(y, m) : 1;
	/* y has exactly 4 digits (see digits()), so this fills out[0..8] */
	int v[3] = { y, m, d }, w[3] = { 4, 2, 2 };
	char *o = out + 8;
	*o = '\0';
	for (int k = 2; k >= 0; k--)
		for (int j = 0; j < w[k]; j++, v[k] /= 10)
			*--o = (char)('0' + v[k] % 10);
	return 0;
}

static q_node *parse_date(parser *p, const tok *t)
{
	const char *v = p->s + t->voff;
	size_t n = t->vlen;
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (v[i] == '.' && v[i + 1] == '.') {
			dots = v + i;
			break;
		}
	q_node *d = q_node_new(Q_DATE, (uint32_t)t->off, (uint32_t)t->end);
	if (dots == NULL) {
		if (parse_date_spec(p, v, n, t->voff, 0, d->date_from) < 0 ||
		    parse_date_spec(p, v, n, t->voff, 1, d->date_to) < 0)
			goto bad;
		return d;
	}
	size_t ln = (size_t)(dots - v), roff = ln + 2, rn = n - roff;
	if (ln == 0 && rn == 0) {
		fail(p, t->voff, "expected a date before or after '..'");
		goto bad;
	}
	if (ln && parse_date_spec(p, v, ln, t->voff, 0, d->date_from) < 0)
		goto bad;
	if (rn && parse_date_spec(p, v + roff, rn, t->voff + roff, 1,
	                          d->date_to) < 0)
		goto bad;
	if (ln && rn && strcmp(d->date_from, d->date_to) > 0) {
		fail(p, t->voff + roff, "date range ends before it starts");
		goto bad;
	}
	return d;
bad:
	q_node_free(d);
	return NULL;
}

/* ---- parser ---------------------------------------------------------- */

static item parse_or(parser *p, ctx c);

static const char *tok_name(tok_kind k)
{
	switch (k) {
	case T_AND: return "AND";
	case T_OR: return "OR";
	case T_NOT: return "NOT";
	case T_NEAR: return "NEAR";
	case T_RPAREN: return "')'";
	default: return "this";
	}
}

static int starts_operand(tok_kind k)
{
	return k == T_WORD || k == T_PHRASE || k == T_FIELD || k == T_LPAREN ||
	       k == T_MINUS || k == T_PLUS || k == T_NOT;
}

/* An operand was due at t and is not there. */
static void fail_expected(parser *p, const tok *t, ctx c)
{
	if (c.what != NULL)
		fail(p, t->off, "expected a word, phrase or '(' after %s at column %zu",
		     c.what, col_of(p, c.off));
	else if (t->kind == T_RPAREN && p->depth == 0)
		fail(p, t->off, "unexpected ')' with no '(' to close");
	else if (t->kind == T_EOF)
		fail(p, t->off, "nothing to search for");
	else
		fail(p, t->off, "expected a word, phrase or '(' before %s",
		     tok_name(t->kind));
}

static item parse_primary(parser *p, ctx c)
{
	tok t = *peek(p);
	item it = { NULL, OCC_SHOULD, t.off };
	if (p->failed)
		goto dropped;
	switch (t.kind) {
	case T_WORD:
		advance(p);
		it.n = analyse(p, t.off, t.end - t.off, t.off, t.end, 0);
		if (it.n == NULL)
			goto dropped;
		return it;
	case T_PHRASE:
		advance(p);
		it.n = analyse(p, t.voff, t.vlen, t.off, t.end, 1);
		if (it.n == NULL) {
			fail(p, t.off, "the phrase has no words to search for");
			goto dropped;
		}
		return it;
	case T_FIELD:
		advance(p);
		if (t.field == F_DATE) {
			it.n = parse_date(p, &t);
			if (it.n == NULL)
				goto dropped;
			return it;
		}
		it.n = q_node_new(Q_FIELD, (uint32_t)t.off, (uint32_t)t.end);
		it.n->field = (q_field)t.field;
		it.n->value = xstrndup(p->s + t.voff, t.vlen);
		it.n->value_len = t.vlen;
		for (size_t i = 0; i < t.vlen; i++)
			if (it.n->value[i] == '\0')
				it.n->value[i] = ' ';
		if (t.field == QF_TITLE || t.field == QF_QUOTE) {
			q_node *k = analyse(p, t.voff, t.vlen, t.voff, t.voff + t.vlen, 0);
			if (k == NULL) {
				fail(p, t.voff, "no words to search for after %s:",
				     q_field_name((q_field)t.field));
				item_free(&it);
				goto dropped;
			}
			q_node_add_kid(it.n, k);
			it.n->off = (uint32_t)t.off;
			it.n->end = (uint32_t)t.end;
		}
		return it;
	case T_LPAREN: {
		advance(p);
		if (p->depth >= p->max_depth) {
			fail(p, t.off, "parentheses nested deeper than %u", p->max_depth);
			goto dropped;
		}
		p->depth++;
		ctx inner = { "'('", t.off };
		it = parse_or(p, inner);
		p->depth--;
		if (p->failed) {
			item_free(&it);
			goto dropped;
		}
		const tok *r = peek(p);
		if (r->kind != T_RPAREN) {
			fail(p, r->off, "expected ')' to close '(' at column %zu",
			     col_of(p, t.off));
			item_free(&it);
			goto dropped;
		}
		advance(p);
		it.off = t.off;
		return it;
	}
	default:
		fail_expected(p, &t, c);
		break;
	}
dropped:
	it.n = NULL;
	it.occ = OCC_DROP;
	return it;
}

static int near_operand(const item *it)
{
	return it->occ != OCC_DROP && it->n &&
	       (it->n->kind == Q_TERM || it->n->kind == Q_PHRASE);
}

static item parse_near(parser *p, ctx c)
{
	item left = parse_primary(p, c);
	q_node *near = NULL;
	while (!p->failed && peek(p)->kind == T_NEAR) {
		tok op = *peek(p);
		if (near == NULL && !near_operand(&left)) {
			fail(p, op.off, "expected a word or phrase before NEAR");
			break;
		}
		advance(p);
		const tok *r = peek(p);
		if (p->failed)
			break;
		if (r->kind != T_WORD && r->kind != T_PHRASE) {
			fail(p, r->off, "expected a word or phrase after NEAR at column %zu",
			     col_of(p, op.off));
			break;
		}
		item right = parse_primary(p, c);
		if (p->failed)
			break;
		if (!near_operand(&right)) {
			q_node_free(right.n);
			fail(p, r->off, "expected a word or phrase after NEAR at column %zu",
			     col_of(p, op.off));
			break;
		}
		if (near == NULL) {
			near = q_node_new(Q_NEAR, left.n->off, left.n->end);
			near->window = op.window;
			q_node_add_kid(near, left.n);
			left.n = near;
		} else if (near->window != op.window) {
			q_node_free(right.n);
			fail(p, op.off, "NEAR/%u after NEAR/%u: one window per chain; "
			     "use parentheses and AND", op.window, near->window);
			break;
		}
		q_node_add_kid(near, right.n);
	}
	if (p->failed)
		item_free(&left);
	return left;
}

static item parse_unary(parser *p, ctx c)
{
	tok t = *peek(p);
	if (t.kind != T_NOT && t.kind != T_MINUS && t.kind != T_PLUS)
		return parse_near(p, c);
	advance(p);
	ctx after = { t.kind == T_NOT ? "NOT" : t.kind == T_MINUS ? "'-'" : "'+'",
	              t.off };
	item it = parse_near(p, after);
	if (p->failed || it.occ == OCC_DROP)
		return it;
	if (it.occ == OCC_NOT) {
		fail(p, t.off, t.kind == T_PLUS ? "cannot require an exclusion"
		                                : "cannot exclude an exclusion");
		item_free(&it);
		return it;
	}
	it.occ = t.kind == T_PLUS ? OCC_MUST : OCC_NOT;
	it.off = t.off;
	return it;
}

static item parse_and(parser *p, ctx c)
{
	items v = { NULL, 0, 0 };
	items_push(&v, parse_unary(p, c));
	while (!p->failed && peek(p)->kind == T_AND) {
		ctx after = { "AND", peek(p)->off };
		advance(p);
		items_push(&v, parse_unary(p, after));
	}
	if (p->failed) {
		items_free(&v);
		return (item){ NULL, OCC_DROP, 0 };
	}
	return combine(p, &v, 0);
}

static item parse_seq(parser *p, ctx c)
{
	items v = { NULL, 0, 0 };
	const tok *t = peek(p);
	if (!p->failed && !starts_operand(t->kind))
		fail_expected(p, t, c);
	while (!p->failed && starts_operand(peek(p)->kind)) {
		items_push(&v, parse_and(p, c));
		c.what = NULL;
	}
	if (p->failed) {
		items_free(&v);
		return (item){ NULL, OCC_DROP, 0 };
	}
	return combine(p, &v, 1);
}

static item parse_or(parser *p, ctx c)
{
	items v = { NULL, 0, 0 };
	items_push(&v, parse_seq(p, c));
	while (!p->failed && peek(p)->kind == T_OR) {
		ctx after = { "OR", peek(p)->off };
		advance(p);
		items_push(&v, parse_seq(p, after));
	}
	if (p->failed) {
		items_free(&v);
		return (item){ NULL, OCC_DROP, 0 };
	}
	size_t live = 0;
	item last = { NULL, OCC_DROP, v.v[0].off };
	for (size_t i = 0; i < v.n; i++) {
		if (v.v[i].occ == OCC_NOT && v.n > 1) {
			fail(p, v.v[i].off, "an exclusion alone cannot be a side of OR");
			items_free(&v);
			return (item){ NULL, OCC_DROP, 0 };
		}
		if (v.v[i].occ != OCC_DROP)
			last = v.v[i], live++;
	}
	if (live <= 1) {
		free(v.v);
		return last;
	}
	q_node *o = NULL;
	for (size_t i = 0; i < v.n; i++) {
		if (v.v[i].occ == OCC_DROP)
			continue;
		if (o == NULL)
			o = q_node_new(Q_OR, v.v[i].n->off, v.v[i].n->end);
		q_node_add_kid(o, v.v[i].n);
	}
	item res = { o, OCC_SHOULD, v.v[0].off };
	free(v.v);
	return res;
}

int query_parse(analyzer *a, const char *text, size_t len,
                const query_parse_opts *opts, q_node **out, strbuf *err)
{
	parser p;
	memset(&p, 0, sizeof p);
	p.a = a;
	p.s = text ? text : "";
	p.len = text ? len : 0;
	p.err = err;
	p.max_depth = QUERY_MAX_DEPTH;
	size_t max_len = QUERY_MAX_LEN;
	if (opts != NULL) {
		p.default_and = opts->default_and;
		if (opts->max_depth)
			p.max_depth = opts->max_depth;
		if (opts->max_len)
			max_len = opts->max_len;
	}
	an_tokens toks = AN_TOKENS_INIT;
	p.toks = toks;
	*out = NULL;

	if (p.len > max_len) {
		fail(&p, max_len, "query longer than %zu bytes", max_len);
		return -1;
	}
	item it = { NULL, OCC_DROP, 0 };
	if (peek(&p)->kind == T_EOF && !p.failed)
		fail(&p, 0, "nothing to search for");
	else {
		ctx start = { NULL, 0 };
		it = parse_or(&p, start);
	}
	if (!p.failed) {
		const tok *t = peek(&p);
		if (t->kind == T_RPAREN)
			fail(&p, t->off, "unexpected ')' with no '(' to close");
		else if (t->kind != T_EOF)
			fail(&p, t->off, "unexpected %s", tok_name(t->kind));
		else if (it.occ == OCC_DROP)
			fail(&p, 0, "nothing to search for");
		else if (it.occ == OCC_NOT)
			fail(&p, 0, "nothing to search for, only exclusions");
	}
	an_tokens_release(&p.toks);
	if (p.failed) {
		q_node_free(it.n);
		return -1;
	}
	*out = it.n;
	return 0;
}
