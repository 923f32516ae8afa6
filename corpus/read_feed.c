/* RSS 2.0 (and RSS 1.0/RDF) and Atom feeds through libxml2: each item or
 * entry is an article. The XML parser never touches the network and never
 * substitutes entities (no XML_PARSE_NOENT, no DTD loading, no HUGE), and
 * our text walk does not follow entity references: a "billion laughs"
 * document cannot blow up. HTML inside items goes through read_html.c. */
#include "read_internal.h"
#include "../common/escape.h"
#include "../common/xalloc.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FEED_OPTS (XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | \
                   XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | \
                   XML_PARSE_COMPACT)

static int is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       strcasecmp((const char *)n->name, name) == 0;
}

/* Concatenated text of n's descendants; entity references not followed. */
static void text_rec(const xmlNode *n, strbuf *out)
{
	for (; n; n = n->next) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    n->content)
			sb_addstr(out, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE)
			text_rec(n->children, out);
	}
}

/* The text of n in out; returns out's buffer (borrowed, until out changes). */
static const char *text(const xmlNode *n, strbuf *out)
{
	sb_reset(out);
	text_rec(n->children, out);
	return sb_cstr(out);
}

/* Attribute value in out ("" if absent); returns out's buffer (borrowed). */
static const char *prop(xmlNode *n, const char *name, strbuf *out)
{
	sb_reset(out);
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (v) {
		sb_addstr(out, (const char *)v);
		xmlFree(v);
	}
	return sb_cstr(out);
}

/* ---- well-formedness ----
 * The parser runs in recovery mode, so a broken feed still gives a tree.
 * What recovery makes of the element where the XML breaks is guesswork
 * (a truncated file gives a half description; a missing end tag swallows
 * the next items), so the item or entry holding the error is dropped and
 * reported; the items around it are kept. Errors that only damage
 * characters (bad UTF-8, a control byte, an undeclared entity such as
 * &nbsp;) leave the structure intact and the item is kept as repaired. */

typedef struct bad_item {
	int line;          /* where the XML breaks */
	char msg[160];     /* libxml2's first message about it */
} bad_item;

typedef struct feed_errors {
	bad_item *v;
	size_t n, cap;
} feed_errors;

static int is_item(const xmlNode *n)
{
	return is(n, "item") || is(n, "entry");
}

static int repairable(int code)
{
	return code == XML_ERR_INVALID_CHAR || code == XML_ERR_UNDECLARED_ENTITY ||
	       code == XML_WAR_UNDECLARED_ENTITY;
}

/* libxml2's message into dst (size bytes) as one line of our style. Its
 * first line is the reason; some messages (an unfinished CDATA section)
 * go on with raw lines of the document, which are input: quoted, cut
 * short and escaped, never copied as they are. */
static void note_message(char *dst, size_t size, const char *m)
{
	const char *nl = strchr(m, '\n');
	size_t head = nl ? (size_t)(nl - m) : strlen(m);
	while (head && m[head - 1] == ' ')
		head--;
	strbuf sb = STRBUF_INIT;
	esc_line(&sb, m, head, 80);
	const char *rest = nl ? nl + 1 : "";
	size_t rn = strlen(rest);
	while (rn && (rest[rn - 1] == '\n' || rest[rn - 1] == ' '))
		rn--;
	if (rn) {
		sb_addstr(&sb, " near \"");
		esc_line(&sb, rest, rn, ESC_QUOTE_MAX);
		sb_addch(&sb, '"');
	}
	snprintf(dst, size, "%s", sb_cstr(&sb));
	sb_release(&sb);
}

/* libxml2's structured error callback (userData is the parser context):
 * note the item open at the error, once per item. The item's _private
 * (free for applications in a tree we built) holds its index + 1 in fe, so
 * neither this nor the lookup is a search, however broken the feed. */
static void on_xml_error(void *user, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = user;
	feed_errors *fe = ctxt ? ctxt->_private : NULL;
	if (!fe || !e || e->level < XML_ERR_ERROR || repairable(e->code))
		return;
	xmlNode *n = ctxt->node;
	while (n && !is_item(n))
		n = n->parent;
	if (!n)
		return;  /* outside any item: the items themselves are whole */
	if (n->_private)
		return;  /* its first error is the one that counts */
	XGROW(fe->v, fe->cap, fe->n + 1);
	bad_item *b = &fe->v[fe->n++];
	n->_private = (void *)(uintptr_t)fe->n;
	b->line = e->line;
	/* libxml2's own text for a cut-off file names the tag's first line,
	 * which reads like a second break position next to ours */
	if (e->code == XML_ERR_TAG_NOT_FINISHED && ctxt->node &&
	    ctxt->node->type == XML_ELEMENT_NODE) {
		snprintf(b->msg, sizeof b->msg, "file ends inside <%s>",
		         (const char *)ctxt->node->name);
	} else if (e->code == XML_ERR_INTERNAL_ERROR && e->message &&
	           strstr(e->message, "depth")) {
		/* libxml2 stops there: say so, not its advice to the program */
		snprintf(b->msg, sizeof b->msg, "elements nested deeper than %u "
		         "(the rest of the file is not read)", xmlParserMaxDepth);
	} else {
		note_message(b->msg, sizeof b->msg,
		             e->message ? e->message : "error");
	}
	if (b->msg[0] >= 'A' && b->msg[0] <= 'Z')
		b->msg[0] = (char)(b->msg[0] - 'A' + 'a');
}

/* The error noted for item, or NULL; points into fe (borrowed). */
static const bad_item *bad_item_of(const feed_errors *fe, const xmlNode *item)
{
	uintptr_t k = (uintptr_t)item->_private;
	return fe && k && k <= fe->n ? &fe->v[k - 1] : NULL;
}

typedef struct feed_meta {
	strbuf source;   /* channel/feed title */
	strbuf lang;
	const feed_errors *errors;
} feed_meta;

static void read_item(rd_ctx *rc, art_build *ab, xmlNode *item,
                      const feed_meta *fm, strbuf *t)
{
	ab_reset(ab);
	long ln = xmlGetLineNo(item);
	ab->line = ln > 0 ? (uint64_t)ln : 0;
	xmlNode *encoded = NULL, *desc = NULL, *content = NULL, *summary = NULL;
	strbuf updated = STRBUF_INIT;
	for (xmlNode *n = item->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is(n, "title")) {
			text(n, t);
			if (!ab->title.len)
				ab_set(ab, &ab->title, t->buf, t->len);
		} else if (is(n, "link")) {
			const char *href = prop(n, "href", t);
			if (*href) {  /* Atom */
				strbuf rel = STRBUF_INIT;
				const char *r = prop(n, "rel", &rel);
				if (!*r || !strcmp(r, "alternate"))
					ab_set(ab, &ab->url, href, t->len);
				sb_release(&rel);
			} else if (!ab->url.len) {
				text(n, t);
				ab_set(ab, &ab->url, t->buf, t->len);
			}
		} else if (is(n, "pubDate") || is(n, "published") ||
		           is(n, "issued")) {
			text(n, t);
			ab_set_date(ab, t->buf, t->len);
		} else if (is(n, "updated") || is(n, "date") || is(n, "modified")) {
			if (!updated.len)
				text(n, &updated);
		} else if (is(n, "guid") || is(n, "id")) {
			text(n, t);
			if (!ab->id.len)
				ab_set(ab, &ab->id, t->buf, t->len);
		} else if (is(n, "encoded")) {
			encoded = n;
		} else if (is(n, "description")) {
			desc = n;
		} else if (is(n, "content")) {
			content = n;
		} else if (is(n, "summary")) {
			summary = n;
		} else if (is(n, "author") || is(n, "creator")) {
			xmlNode *name = NULL;
			for (xmlNode *c = n->children; c; c = c->next)
				if (is(c, "name"))
					name = c;
			text(name ? name : n, t);
			ab_add_author(ab, t->buf, t->len);
		} else if (is(n, "language")) {
			text(n, t);
			ab_set(ab, &ab->lang, t->buf, t->len);
		}
	}
	if (!ab->date.len && updated.len)
		ab_set_date(ab, updated.buf, updated.len);
	sb_release(&updated);
	xmlNode *body = encoded ? encoded : content ? content : desc ? desc : summary;
	if (body) {
		const char *type = prop(body, "type", t);
		if (!strcmp(type, "xhtml")) {
			rd_html_tree_to_body(ab, body->children);
		} else if (!strcmp(type, "text")) {
			text(body, t);
			ab_body_text(ab, t->buf, t->len);
		} else {  /* RSS text is escaped HTML; Atom "html" likewise */
			text(body, t);
			rd_html_fragment_to_body(ab, t->buf, t->len);
		}
	}
	if (!ab->source.len && fm->source.len)
		ab_set(ab, &ab->source, fm->source.buf, fm->source.len);
	if (!ab->lang.len && fm->lang.len)
		ab_set(ab, &ab->lang, fm->lang.buf, fm->lang.len);
	rd_emit(rc, ab);
}

/* Walk a channel/feed/RDF element: its metadata, then its items. */
static void read_channel(rd_ctx *rc, art_build *ab, xmlNode *ch, feed_meta *fm,
                         strbuf *t)
{
	for (xmlNode *n = ch->children; n; n = n->next) {
		if (is(n, "title") && !fm->source.len)
			text_rec(n->children, &fm->source);
		else if (is(n, "language") && !fm->lang.len)
			text_rec(n->children, &fm->lang);
	}
	for (xmlNode *n = ch->children; n && !rc->stopped; n = n->next) {
		if (is_item(n)) {
			const bad_item *b = bad_item_of(fm->errors, n);
			if (b) {
				long ln = xmlGetLineNo(n);
				rd_reject(rc, ln > 0 ? (uint64_t)ln : 0,
				          "not well-formed XML at line %d: %s; %s not complete",
				          b->line, b->msg, (const char *)n->name);
			} else {
				read_item(rc, ab, n, fm, t);
			}
		} else if (is(n, "channel")) {  /* RSS 1.0 keeps items beside it */
			read_channel(rc, ab, n, fm, t);
		}
	}
}

void corpus_read_feed(rd_ctx *rc, rd_src *src)
{
	strbuf buf = STRBUF_INIT, t = STRBUF_INIT;
	feed_meta fm = {STRBUF_INIT, STRBUF_INIT, NULL};
	feed_errors fe = {NULL, 0, 0};
	art_build ab;
	ab_init(&ab);
	if (rd_src_read_document(rc, src, &buf, "feed") != 0)
		goto out;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		rd_reject(rc, 1, "out of memory for the XML parser");
		goto out;
	}
	ctxt->_private = &fe;
	ctxt->sax->serror = on_xml_error;
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf.buf, (int)buf.len, NULL, NULL,
	                                  FEED_OPTS);
	xmlFreeParserCtxt(ctxt);
	sb_release(&buf);
	fm.errors = &fe;
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || !(is(root, "rss") || is(root, "feed") || is(root, "RDF"))) {
		strbuf name = STRBUF_INIT;
		if (root)
			esc_line_str(&name, (const char *)root->name, ESC_QUOTE_MAX);
		rd_reject(rc, 1, root ? "not an RSS or Atom feed (root element <%s>)"
		                      : "not parseable as XML%s", sb_cstr(&name));
		sb_release(&name);
		if (doc)
			xmlFreeDoc(doc);
		goto out;
	}
	if (root->properties) {
		xmlChar *l = xmlNodeGetLang(root);
		if (l) {
			sb_addstr(&fm.lang, (const char *)l);
			xmlFree(l);
		}
	}
	read_channel(rc, &ab, root, &fm, &t);
	xmlFreeDoc(doc);
out:
	sb_release(&buf);
	sb_release(&t);
	sb_release(&fm.source);
	sb_release(&fm.lang);
	free(fe.v);
	ab_release(&ab);
}
