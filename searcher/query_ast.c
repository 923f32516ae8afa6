/* The query tree's plumbing: constructors, free, the S-expression dump used
 * by tests and --explain, and the list of terms the highlighter marks. No
 * parsing here (query_parse.c) and no Xapian (ranking). */
#include "query_ast.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/xalloc.h"

static const char *const field_names[QF_NFIELDS] = {
	"title", "city", "official", "agency", "response", "state", "source",
	"lang", "role", "quote", "said",
};

const char *q_field_name(q_field f)
{
	return (unsigned)f < QF_NFIELDS ? field_names[f] : "?";
}

int q_field_from_name(const char *s, size_t len)
{
	for (int f = 0; f < QF_NFIELDS; f++)
		if (strlen(field_names[f]) == len && !strncasecmp(field_names[f], s, len))
			return f;
	return -1;
}

q_node *q_node_new(q_kind kind, uint32_t off, uint32_t end)
{
	q_node *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->off = off;
	n->end = end;
	return n;
}

static void kids_push(q_node *n, q_node *kid)
{
	XGROW(n->kids, n->kids_cap, n->nkids + 1);
	n->kids[n->nkids++] = kid;
}

void q_node_add_kid(q_node *n, q_node *kid)
{
	if (kid->off < n->off)
		n->off = kid->off;
	if (kid->end > n->end)
		n->end = kid->end;
	if (kid->kind == n->kind && (n->kind == Q_AND || n->kind == Q_OR)) {
		for (size_t i = 0; i < kid->nkids; i++)
			kids_push(n, kid->kids[i]);
		kid->nkids = 0;
		q_node_free(kid);
	} else {
		kids_push(n, kid);
	}
}

void q_node_add_term(q_node *n, const char *text, size_t len, uint32_t off,
                     uint32_t end, uint8_t an_flags, uint8_t tok_kind,
                     uint8_t stop)
{
	n->terms = xrealloc(n->terms, (n->nterms + 1) * sizeof *n->terms);
	q_term *t = &n->terms[n->nterms++];
	t->text = xstrndup(text, len);
	t->len = (uint32_t)len;
	t->off = off;
	t->end = end;
	t->an_flags = an_flags;
	t->an_kind = tok_kind;
	t->stop = stop;
}

void q_node_free(q_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nterms; i++)
		free(n->terms[i].text);
	free(n->terms);
	for (size_t i = 0; i < n->nkids; i++)
		q_node_free(n->kids[i]);
	free(n->kids);
	free(n->value);
	free(n);
}

static void dump_term(const q_term *t, strbuf *out)
{
	sb_add(out, t->text, t->len);
	if (t->an_flags & AN_CAP)
		sb_addch(out, '^');
	if (t->stop)
		sb_addch(out, '~');
}

static void dump_quoted(const char *s, size_t len, strbuf *out)
{
	sb_addch(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			sb_addch(out, '\\');
		sb_addch(out, s[i]);
	}
	sb_addch(out, '"');
}

static void dump_kids(const q_node *n, strbuf *out)
{
	for (size_t i = 0; i < n->nkids; i++) {
		sb_addch(out, ' ');
		q_node_dump(n->kids[i], out);
	}
}

void q_node_dump(const q_node *n, strbuf *out)
{
	if (n == NULL) {
		sb_addstr(out, "()");
		return;
	}
	switch (n->kind) {
	case Q_TERM:
		if (n->nterms)
			dump_term(&n->terms[0], out);
		return;
	case Q_PHRASE:
		sb_addstr(out, "(phrase");
		for (size_t i = 0; i < n->nterms; i++) {
			sb_addch(out, ' ');
			dump_term(&n->terms[i], out);
		}
		sb_addch(out, ')');
		return;
	case Q_AND:
		sb_addstr(out, "(and");
		break;
	case Q_OR:
		sb_addstr(out, "(or");
		break;
	case Q_AND_NOT:
		sb_addstr(out, "(and_not");
		break;
	case Q_AND_MAYBE:
		sb_addstr(out, "(and_maybe");
		break;
	case Q_NEAR:
		sb_addf(out, "(near %u", n->window);
		break;
	case Q_FIELD:
		sb_addf(out, "(field %s ", q_field_name(n->field));
		dump_quoted(n->value ? n->value : "", n->value_len, out);
		break;
	case Q_DATE:
		sb_addf(out, "(date %s %s)", n->date_from[0] ? n->date_from : "*",
		        n->date_to[0] ? n->date_to : "*");
		return;
	}
	dump_kids(n, out);
	sb_addch(out, ')');
}

static int same_term(const q_term *a, const q_term *b)
{
	return a->len == b->len && !memcmp(a->text, b->text, a->len);
}

static void hl_push(q_highlights *h, const q_term *terms, size_t nterms)
{
	if (nterms == 1)
		for (size_t i = 0; i < h->n; i++)
			if (h->v[i].nterms == 1 && same_term(h->v[i].terms, terms))
				return;
	XGROW(h->v, h->cap, h->n + 1);
	h->v[h->n].terms = terms;
	h->v[h->n].nterms = nterms;
	h->n++;
}

void q_collect_highlights(const q_node *n, q_highlights *out)
{
	if (n == NULL)
		return;
	switch (n->kind) {
	case Q_TERM:
	case Q_PHRASE:
		if (n->nterms)
			hl_push(out, n->terms, n->nterms);
		return;
	case Q_AND_NOT:
		/* what is excluded never appears in a hit, nothing to mark */
		if (n->nkids)
			q_collect_highlights(n->kids[0], out);
		return;
	case Q_DATE:
		return;
	default:
		for (size_t i = 0; i < n->nkids; i++)
			q_collect_highlights(n->kids[i], out);
		return;
	}
}

void q_highlights_release(q_highlights *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
