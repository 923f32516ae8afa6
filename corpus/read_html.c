/* A web page as an article, through libxml2's forgiving HTML parser: title
 * and date from the page's metadata, text from <article> or else from the
 * element holding the most paragraph text. Navigation, scripts and other
 * page furniture are left out. No network access, ever (HTML_PARSE_NONET). */
#include "read_internal.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define HTML_OPTS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
                   HTML_PARSE_NOWARNING | HTML_PARSE_NONET | \
                   HTML_PARSE_COMPACT)

static int is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcasecmp((const char *)n->name, name) == 0;
}

/* Elements whose content is never article text. */
static int dropped(const xmlNode *n)
{
	static const char *const names[] = {
		"script", "style", "nav", "header", "footer", "aside", "form",
		"noscript", "iframe", "svg", "button", "select", "template",
		"object", "menu",
	};
	if (n->type != XML_ELEMENT_NODE)
		return n->type == XML_COMMENT_NODE;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp((const char *)n->name, names[i]) == 0)
			return 1;
	return 0;
}

/* Elements that start a paragraph of their own. */
static int block(const xmlNode *n)
{
	static const char *const names[] = {
		"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
		"blockquote", "pre", "section", "article", "main", "table", "tr",
		"td", "th", "dd", "dt", "dl", "figcaption", "figure", "hr",
		"address", "center", "body",
	};
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp((const char *)n->name, names[i]) == 0)
			return 1;
	return 0;
}

static void flush(art_build *ab, strbuf *para)
{
	if (para->len)
		ab_body_para(ab, para->buf, para->len);
	sb_reset(para);
}

static void collect(art_build *ab, strbuf *para, xmlNode *n, int skip_h1)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				sb_addstr(para, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || dropped(n))
			continue;
		if (skip_h1 && is(n, "h1"))
			continue;
		if (is(n, "br")) {
			sb_addch(para, ' ');
			continue;
		}
		int b = block(n);
		if (b)
			flush(ab, para);
		collect(ab, para, n->children, skip_h1);
		if (b)
			flush(ab, para);
	}
}

/* Put the text of a subtree (without dropped parts) into ab's body. */
static void body_from(art_build *ab, xmlNode *root, int skip_h1)
{
	strbuf para = STRBUF_INIT;
	collect(ab, &para, root, skip_h1);
	flush(ab, &para);
	sb_release(&para);
}

/* Text length of a subtree, without dropped parts. */
static size_t text_len(const xmlNode *n)
{
	size_t len = 0;
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content)
			len += strlen((const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE && !dropped(n))
			len += text_len(n->children);
	}
	return len;
}

/* First element called name, outside dropped parts; a node of n's tree. */
static xmlNode *find(xmlNode *n, const char *name)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || dropped(n))
			continue;
		if (is(n, name))
			return n;
		xmlNode *f = find(n->children, name);
		if (f)
			return f;
	}
	return NULL;
}

/* Score each element by the text of its <p> children (kept in _private,
 * which libxml2 leaves to applications) and return the best. */
static void score(xmlNode *n, xmlNode **best, uintptr_t *best_score)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || dropped(n))
			continue;
		if (is(n, "p") && n->parent) {
			uintptr_t s = (uintptr_t)n->parent->_private + text_len(n->children);
			n->parent->_private = (void *)s;
			if (s > *best_score) {
				*best_score = s;
				*best = n->parent;
			}
		}
		score(n->children, best, best_score);
	}
}

/* Attribute value in out ("" if absent); returns out's buffer (borrowed). */
static const char *attr(xmlNode *n, const char *name, strbuf *out)
{
	sb_reset(out);
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (v) {
		sb_addstr(out, (const char *)v);
		xmlFree(v);
	}
	return sb_cstr(out);
}

/* Metadata from <meta>, <link>, <time> and <html lang>. */
static void read_meta(art_build *ab, xmlNode *n, strbuf *t1, strbuf *t2,
                      strbuf *og_title)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is(n, "meta")) {
			const char *key = attr(n, "property", t1);
			if (!*key)
				key = attr(n, "name", t1);
			if (!*key)
				key = attr(n, "itemprop", t1);
			const char *val = attr(n, "content", t2);
			size_t vn = t2->len;
			if (!strcasecmp(key, "og:title"))
				ab_set(ab, og_title, val, vn);
			else if (!strcasecmp(key, "article:published_time") ||
			         !strcasecmp(key, "datePublished") ||
			         !strcasecmp(key, "date") || !strcasecmp(key, "pubdate") ||
			         !strcasecmp(key, "dc.date") ||
			         !strcasecmp(key, "dc.date.issued") ||
			         !strcasecmp(key, "sailthru.date")) {
				if (!ab->date.len)
					ab_set_date(ab, val, vn);
			} else if (!strcasecmp(key, "author") ||
			           !strcasecmp(key, "article:author") ||
			           !strcasecmp(key, "byl") ||
			           !strcasecmp(key, "dc.creator")) {
				if (!ab->authors.len && strncmp(val, "http", 4) != 0)
					ab_add_author(ab, val, vn);
			} else if (!strcasecmp(key, "og:site_name")) {
				if (!ab->source.len)
					ab_set(ab, &ab->source, val, vn);
			} else if (!strcasecmp(key, "og:url")) {
				if (!ab->url.len)
					ab_set(ab, &ab->url, val, vn);
			}
		} else if (is(n, "link")) {
			if (!strcasecmp(attr(n, "rel", t1), "canonical")) {
				attr(n, "href", t2);
				ab_set(ab, &ab->url, t2->buf, t2->len);  /* wins */
			}
		} else if (is(n, "time") && !ab->date.len) {
			attr(n, "datetime", t2);
			if (t2->len)
				ab_set_date(ab, t2->buf, t2->len);
		} else if (is(n, "html")) {
			attr(n, "lang", t2);
			if (t2->len)
				ab_set(ab, &ab->lang, t2->buf, t2->len);
		}
		if (!is(n, "script") && !is(n, "style"))
			read_meta(ab, n->children, t1, t2, og_title);
	}
}

static void text_of(xmlNode *n, strbuf *out)
{
	sb_reset(out);
	xmlChar *c = xmlNodeGetContent(n);
	if (c) {
		sb_addstr(out, (const char *)c);
		xmlFree(c);
	}
}

void rd_html_tree_to_body(art_build *ab, void *first_node)
{
	body_from(ab, first_node, 0);
}

void rd_html_fragment_to_body(art_build *ab, const char *html, size_t n)
{
	if (n > INT32_MAX)
		return;
	htmlDocPtr doc = htmlReadMemory(html, (int)n, NULL, "UTF-8", HTML_OPTS);
	if (!doc)
		return;
	xmlNode *root = xmlDocGetRootElement(doc);
	if (root)
		body_from(ab, root, 0);
	xmlFreeDoc(doc);
}

/* libxml2 stops parsing at this nesting depth (without XML_PARSE_HUGE,
 * which is not for untrusted input): the rest of the page is lost. */
#define HTML_MAX_DEPTH 256

void corpus_read_html(rd_ctx *rc, rd_src *src)
{
	strbuf buf = STRBUF_INIT, t1 = STRBUF_INIT, t2 = STRBUF_INIT;
	strbuf og = STRBUF_INIT;
	art_build ab;
	ab_init(&ab);
	if (rd_src_read_document(rc, src, &buf, "HTML document") != 0)
		goto out;
	/* libxml2 stops reading at its nesting limit (xmlParserMaxDepth,
	 * without XML_PARSE_HUGE) and, with errors off, says nothing: what
	 * it read is indexed, with a warning that the rest is lost (as the
	 * README's bounds say). The error is still kept as the thread's
	 * last one, and it is the last: parsing ends there. */
	xmlResetLastError();
	htmlDocPtr doc = htmlReadMemory(buf.buf, (int)buf.len, NULL, NULL, HTML_OPTS);
	sb_release(&buf);
	const xmlError *last = xmlGetLastError();
	int too_deep = last && last->code == XML_ERR_INTERNAL_ERROR &&
	               last->message && strstr(last->message, "depth");
	long deep_line = too_deep ? last->line : 0;
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		if (too_deep)
			rd_reject(rc, deep_line > 0 ? (uint64_t)deep_line : 1,
			          "HTML nested deeper than %u elements",
			          xmlParserMaxDepth);
		else
			rd_reject(rc, 1, "not parseable as HTML");
		if (doc)
			xmlFreeDoc(doc);
		goto out;
	}
	ab.line = 1;
	if (too_deep)
		rd_warn(rc, deep_line > 0 ? (uint64_t)deep_line : 1,
		        "elements nested %d deep: the parser stops there, "
		        "so the text after that point is not indexed",
		        HTML_MAX_DEPTH);
	read_meta(&ab, root, &t1, &t2, &og);
	xmlNode *n;
	if (og.len) {
		ab_set(&ab, &ab.title, og.buf, og.len);
	} else if ((n = find(root, "title")) || (n = find(root, "h1"))) {
		text_of(n, &t1);
		ab_set(&ab, &ab.title, t1.buf, t1.len);
	}
	xmlNode *main = find(root, "article");
	if (!main) {
		uintptr_t best_score = 0;
		score(root, &main, &best_score);
	}
	if (main)
		body_from(&ab, main->children, 1);
	else if ((n = find(root, "body")))
		body_from(&ab, n->children, 1);
	xmlFreeDoc(doc);
	rd_emit(rc, &ab);
out:
	sb_release(&buf);
	sb_release(&t1);
	sb_release(&t2);
	sb_release(&og);
	ab_release(&ab);
}
