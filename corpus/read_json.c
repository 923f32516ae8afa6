/* JSON articles through jansson: JSON Lines (.jsonl/.ndjson, one object a
 * line, read with a bounded line buffer) and .json (one object, an array
 * of objects, an object wrapping such an array, or JSON Lines after all).
 * Field names are mapped by rd_field_from_name; unknown ones are ignored. */
#include "read_internal.h"
#include "../common/escape.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void set_first(art_build *ab, strbuf *field, const char *s, size_t n)
{
	if (!field->len)
		ab_set(ab, field, s, n);
}

/* A scalar as text: strings as they are, integers in decimal into num.
 * Returns a borrowed pointer (into v or num), NULL for other types. */
static const char *scalar_text(json_t *v, char num[32], size_t *n)
{
	if (json_is_string(v)) {
		*n = json_string_length(v);
		return json_string_value(v);
	}
	if (json_is_integer(v)) {
		int k = snprintf(num, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		*n = (size_t)k;
		return num;
	}
	*n = 0;
	return NULL;
}

static void add_authors(art_build *ab, json_t *v)
{
	if (json_is_string(v)) {
		ab_add_author(ab, json_string_value(v), json_string_length(v));
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			add_authors(ab, e);
	} else if (json_is_object(v)) {
		add_authors(ab, json_object_get(v, "name"));
	}
}

/* Fill ab from obj. Returns 1 if any article field was found. */
static int map_object(art_build *ab, json_t *obj)
{
	const char *key;
	json_t *v;
	int found = 0, have_body = 0;
	json_t *fallback = NULL;
	char num[32];
	json_object_foreach(obj, key, v) {
		rd_field f = rd_field_from_name(key);
		size_t n;
		const char *s;
		if (f == RF_NONE || json_is_null(v))
			continue;
		found = 1;
		switch (f) {
		case RF_ID:
			if ((s = scalar_text(v, num, &n)))
				set_first(ab, &ab->id, s, n);
			break;
		case RF_TITLE:
			if (json_is_string(v))
				set_first(ab, &ab->title, json_string_value(v),
				          json_string_length(v));
			break;
		case RF_BODY:
			if (!have_body && json_is_string(v) && json_string_length(v)) {
				ab_body_text(ab, json_string_value(v), json_string_length(v));
				have_body = ab->body.len > 0;
			}
			break;
		case RF_BODY_FALLBACK:
			if (!fallback && json_is_string(v))
				fallback = v;
			break;
		case RF_DATE:
			if (!ab->date.len && (s = scalar_text(v, num, &n)))
				ab_set_date(ab, s, n);
			break;
		case RF_URL:
			if (json_is_string(v))
				set_first(ab, &ab->url, json_string_value(v),
				          json_string_length(v));
			break;
		case RF_SOURCE:
			if (json_is_object(v))  /* "source": {"id":…, "name":…} */
				v = json_object_get(v, "name");
			if (json_is_string(v))
				set_first(ab, &ab->source, json_string_value(v),
				          json_string_length(v));
			break;
		case RF_LANG:
			if (json_is_string(v))
				set_first(ab, &ab->lang, json_string_value(v),
				          json_string_length(v));
			break;
		case RF_AUTHORS:
			if (!ab->authors.len)
				add_authors(ab, v);
			break;
		case RF_NONE:
			break;
		}
	}
	if (!have_body && fallback)
		ab_body_text(ab, json_string_value(fallback),
		             json_string_length(fallback));
	return found;
}

/* An object with no article fields may wrap the list ({"articles": [...]}):
 * returns that array, or NULL. */
static json_t *wrapped_array(json_t *obj)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
		if (json_is_array(v) && json_array_size(v) &&
		    json_is_object(json_array_get(v, 0)))
			return v;
	return NULL;
}

/* One parsed JSON value: an article, or a list of them. */
static void take_value(rd_ctx *rc, art_build *ab, json_t *root, uint64_t line)
{
	if (json_is_object(root)) {
		ab_reset(ab);
		ab->line = line;
		if (map_object(ab, root)) {
			rd_emit(rc, ab);
			return;
		}
		json_t *arr = wrapped_array(root);
		if (!arr) {
			ab_reset(ab);
			rd_reject(rc, line, "JSON object has no article fields");
			return;
		}
		root = arr;
	}
	if (json_is_array(root)) {
		size_t i, bad = 0;
		json_t *e;
		json_array_foreach(root, i, e)
			bad += !json_is_object(e);
		if (bad == json_array_size(root)) {
			rd_reject(rc, line, "JSON array holds no objects");
			return;
		}
		json_array_foreach(root, i, e) {
			if (rc->stopped)
				return;
			if (!json_is_object(e)) {
				rd_reject(rc, line, "array element %zu is not an object", i + 1);
				continue;
			}
			ab_reset(ab);
			ab->line = line;
			map_object(ab, e);
			rd_emit(rc, ab);
		}
		return;
	}
	rd_reject(rc, line, "JSON value is not an object");
}

/* Repair, then parse: invalid UTF-8 is transcoded and raw NUL bytes (a
 * corrupt disk block inside a line) are dropped before jansson sees the
 * text, so such a record is kept rather than rejected. */
static json_t *parse(const char *s, size_t n, strbuf *tmp, json_error_t *err)
{
	size_t m;
	const char *t = rd_utf8_fix(s, n, tmp, &m);
	return json_loadb(t, m, JSON_ALLOW_NUL, err);
}

/* jansson's reason, which ends by quoting the token it stopped at ("near
 * '...'", input bytes): cut short and escaped into tmp (borrowed, valid
 * until tmp changes). */
static const char *quote_err(const json_error_t *err, strbuf *tmp)
{
	sb_reset(tmp);
	esc_line_str(tmp, err->text, ESC_QUOTE_MAX + 40);
	return sb_cstr(tmp);
}

static int blank_line(const strbuf *sb)
{
	for (size_t i = 0; i < sb->len; i++)
		if (sb->buf[i] != ' ' && sb->buf[i] != '\t' && sb->buf[i] != '\r')
			return 0;
	return 1;
}

/* JSON Lines from src; when have_line, line already holds the first one
 * (read by the caller to tell JSON Lines from one document). */
static void read_lines(rd_ctx *rc, rd_src *src, art_build *ab, strbuf *line,
                       int have_line)
{
	strbuf tmp = STRBUF_INIT;
	int over = 0;
	while (!rc->stopped) {
		if (!have_line && !rd_src_getline(src, line, rc->max, &over))
			break;
		have_line = 0;
		uint64_t ln = src->line;
		if (over) {
			rd_reject(rc, ln, "line longer than %zu bytes", rc->max);
			continue;
		}
		if (blank_line(line))
			continue;
		json_error_t err;
		json_t *root = parse(line->buf, line->len, &tmp, &err);
		if (!root) {
			rd_reject(rc, ln, "invalid JSON: %s at column %d",
			          quote_err(&err, &tmp), err.column);
			continue;
		}
		take_value(rc, ab, root, ln);
		json_decref(root);
	}
	sb_release(&tmp);
}

void corpus_read_json(rd_ctx *rc, rd_src *src, int lines_only)
{
	art_build ab;
	ab_init(&ab);
	strbuf line = STRBUF_INIT, doc = STRBUF_INIT, tmp = STRBUF_INIT;
	if (lines_only) {
		read_lines(rc, src, &ab, &line, 0);
		goto out;
	}
	/* .json: if the first non-blank line is a whole JSON object, the file
	 * is JSON Lines; otherwise it is one document. */
	int over = 0;
	uint64_t first = 0;
	while (rd_src_getline(src, &line, rc->max, &over)) {
		if (over || !blank_line(&line)) {
			first = src->line;
			break;
		}
	}
	if (!first) {
		if (!src->error)
			rd_reject(rc, 1, "empty file");
		goto out;
	}
	if (!over) {
		json_error_t err;
		json_t *root = parse(line.buf, line.len, &tmp, &err);
		if (root && json_is_object(root)) {
			json_decref(root);
			read_lines(rc, src, &ab, &line, 1);
			goto out;
		}
		json_decref(root);
	}
	if (over) {
		rd_reject(rc, first, "JSON document longer than %zu bytes", rc->max);
		goto out;
	}
	sb_add(&doc, line.buf, line.len);
	sb_addch(&doc, '\n');
	sb_release(&line);
	if (doc.len > rc->max ||
	    rd_src_read_all(src, &doc, rc->max) != 0) {
		rd_reject(rc, first, "JSON document longer than %zu bytes", rc->max);
		goto out;
	}
	json_error_t err;
	json_t *root = parse(doc.buf, doc.len, &tmp, &err);
	sb_release(&doc);
	if (!root) {
		rd_reject(rc, (uint64_t)err.line + first - 1,
		          "invalid JSON: %s at column %d", quote_err(&err, &tmp),
		          err.column);
		goto out;
	}
	take_value(rc, &ab, root, first);
	json_decref(root);
out:
	if (src->error)
		rd_reject(rc, src->line + 1, "read error: %s", src->errmsg);
	sb_release(&line);
	sb_release(&doc);
	sb_release(&tmp);
	ab_release(&ab);
}
