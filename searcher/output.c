/* Writing search results: text for people (highlighted on a terminal),
 * json, jsonl, csv, tsv for programs, and TREC run lines for evaluation.
 * The field names and their meaning are the versioned schema of
 * docs/output-format.md; change both together. */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../common/strbuf.h"

static const char *const format_names[] = {
	"text", "json", "jsonl", "csv", "tsv", "trec"
};

int output_format_parse(const char *name)
{
	for (int i = 0; i < (int)(sizeof format_names / sizeof *format_names); i++)
		if (strcmp(name, format_names[i]) == 0)
			return i;
	return -1;
}

/* ---- json ---------------------------------------------------------- */

/* A JSON string; bytes that are not UTF-8 (a query typed in Latin-1)
 * become U+FFFD rather than making jansson drop the whole field. */
static json_t *jstrn(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	if (j)
		return j;
	strbuf b = STRBUF_INIT;
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (k > 0 && cp != 0) {
			sb_add(&b, s + i, (size_t)k);
			i += (size_t)k;
		} else {
			sb_addstr(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	j = json_stringn(sb_cstr(&b), b.len);
	sb_release(&b);
	return j ? j : json_string("");
}

json_t *output_entities_json(const lede_entity *e, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *arr = json_object_get(o, e[i].type);
		if (!arr) {
			arr = json_array();
			json_object_set_new(o, e[i].type, arr);
		}
		json_array_append_new(arr, json_string(e[i].key));
	}
	return o;
}

json_t *output_roles_json(const lede_entity *e, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		if (!e[i].role || strcmp(e[i].type, "official") != 0 ||
		    json_object_get(o, e[i].key))
			continue;
		json_t *r = json_object();
		json_object_set_new(r, "role", json_string(e[i].role));
		if (e[i].where)
			json_object_set_new(r, "where", json_string(e[i].where));
		json_object_set_new(o, e[i].key, r);
	}
	return o;
}

static json_t *hit_json(const lede_hit *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "rank", json_integer(h->rank));
	json_object_set_new(o, "score", json_real(h->score));
	json_object_set_new(o, "id", json_string(h->article_id));
	json_object_set_new(o, "passage", json_integer(h->passage));
	json_object_set_new(o, "title", json_string(h->title));
	json_object_set_new(o, "date", json_string(h->date));
	json_object_set_new(o, "source", json_string(h->source));
	json_object_set_new(o, "url", json_string(h->url));
	json_object_set_new(o, "lang", json_string(h->lang));
	json_object_set_new(o, "snippet", jstrn(h->snippet, h->snippet_len));
	json_object_set_new(o, "snippet_trimmed_start",
	                    json_boolean(h->snippet_trimmed_start));
	json_object_set_new(o, "snippet_trimmed_end",
	                    json_boolean(h->snippet_trimmed_end));
	json_t *hl = json_array();
	for (size_t i = 0; i < h->nhighlights; i++) {
		json_t *p = json_array();
		json_array_append_new(p, json_integer(h->highlights[i].start));
		json_array_append_new(p, json_integer(h->highlights[i].end));
		json_array_append_new(hl, p);
	}
	json_object_set_new(o, "highlights", hl);
	json_t *po = json_array();
	json_array_append_new(po, json_integer(h->passage_start));
	json_array_append_new(po, json_integer(h->passage_end));
	json_object_set_new(o, "passage_offsets", po);
	json_object_set_new(o, "entities", output_entities_json(h->entities,
	                                                        h->nentities));
	json_object_set_new(o, "roles", output_roles_json(h->entities,
	                                                  h->nentities));
	json_object_set_new(o, "also_in", json_integer(h->also_in));
	if (h->explain) {
		/* "term weight" lines into [{"term", "weight"}] */
		json_t *ex = json_array();
		for (const char *l = h->explain; *l;) {
			const char *nl = strchr(l, '\n');
			size_t n = nl ? (size_t)(nl - l) : strlen(l);
			const char *sp = memrchr(l, ' ', n);
			if (sp) {
				json_t *e = json_object();
				json_object_set_new(e, "term",
				                    json_stringn(l, (size_t)(sp - l)));
				json_object_set_new(e, "weight",
				                    json_real(strtod(sp + 1, NULL)));
				json_array_append_new(ex, e);
			}
			l += n + (nl != NULL);
		}
		json_object_set_new(o, "explain", ex);
	}
	return o;
}

static json_t *facets_json(const lede_results *r, unsigned mask)
{
	json_t *o = json_object();
	for (unsigned bit = 1; bit <= LEDE_FACET_MONTH; bit <<= 1) {
		if (!(mask & bit))
			continue;
		size_t n;
		const lede_facet_value *v = lede_results_facet(r, bit, &n);
		json_t *arr = json_array();
		for (size_t i = 0; v && i < n; i++) {
			json_t *p = json_object();
			json_object_set_new(p, "value", json_string(v[i].value));
			json_object_set_new(p, "count", json_integer((json_int_t)v[i].count));
			json_array_append_new(arr, p);
		}
		json_object_set_new(o, lede_facet_name(bit), arr);
	}
	return o;
}

static json_t *summary_json(const output_ctx *c, const lede_results *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("summary"));
	json_object_set_new(o, "schema", json_string(OUTPUT_SCHEMA));
	json_object_set_new(o, "query", jstrn(c->query ? c->query : "",
	                                        c->query ? strlen(c->query) : 0));
	json_object_set_new(o, "total", json_integer((json_int_t)lede_results_total(r)));
	json_object_set_new(o, "returned", json_integer((json_int_t)lede_results_count(r)));
	json_object_set_new(o, "seconds", json_real(lede_results_seconds(r)));
	if (c->facets)
		json_object_set_new(o, "facets", facets_json(r, c->facets));
	return o;
}

static void dump_line(FILE *f, json_t *j)
{
	json_dumpf(j, f, JSON_COMPACT);
	fputc('\n', f);
}

/* ---- csv / tsv ------------------------------------------------------ */

static void csv_field(FILE *f, const char *s, size_t n)
{
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		fwrite(s, 1, n, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

/* TSV cannot quote: tabs and line breaks inside a field become spaces. */
static void tsv_field(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		fputc(ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch, f);
	}
}

static void sep_field(FILE *f, int tsv, const char *s, size_t n)
{
	if (tsv)
		tsv_field(f, s, n);
	else
		csv_field(f, s, n);
}

static const char *const table_columns[] = {
	"rank", "score", "id", "passage", "title", "date", "source", "url",
	"lang", "snippet", "highlights", "entities", "also_in"
};

static void table_header(FILE *f, int tsv)
{
	size_t n = sizeof table_columns / sizeof *table_columns;
	for (size_t i = 0; i < n; i++) {
		fputs(table_columns[i], f);
		fputc(i + 1 < n ? (tsv ? '\t' : ',') : '\n', f);
	}
}

static void table_row(FILE *f, int tsv, const lede_hit *h)
{
	char sep = tsv ? '\t' : ',';
	strbuf b = STRBUF_INIT;
	fprintf(f, "%u%c%.4f%c", h->rank, sep, h->score, sep);
	sep_field(f, tsv, h->article_id, strlen(h->article_id));
	fprintf(f, "%c%u%c", sep, h->passage, sep);
	const char *fields[] = { h->title, h->date, h->source, h->url, h->lang };
	for (size_t i = 0; i < 5; i++) {
		sep_field(f, tsv, fields[i], strlen(fields[i]));
		fputc(sep, f);
	}
	sep_field(f, tsv, h->snippet, h->snippet_len);
	fputc(sep, f);
	for (size_t i = 0; i < h->nhighlights; i++)
		sb_addf(&b, "%s%u-%u", i ? " " : "", h->highlights[i].start,
		        h->highlights[i].end);
	sep_field(f, tsv, sb_cstr(&b), b.len);
	fputc(sep, f);
	sb_reset(&b);
	for (size_t i = 0; i < h->nentities; i++)
		sb_addf(&b, "%s%s:%s", i ? "; " : "", h->entities[i].type,
		        h->entities[i].key);
	sep_field(f, tsv, sb_cstr(&b), b.len);
	fprintf(f, "%c%u\n", sep, h->also_in);
	sb_release(&b);
}

/* ---- text ------------------------------------------------------------ */

/* Snippet text on one line: paragraph breaks become single spaces. */
static void put_flat(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			fputc(s[i], f);
		else if (i == 0 || s[i - 1] != '\n')
			fputc(' ', f);
	}
}

static void text_hit(const output_ctx *c, const lede_hit *h)
{
	FILE *f = c->out;
	const char *bold = c->color ? "\033[1m" : "";
	const char *hl_on = c->color ? "\033[1;33m" : "";
	const char *off = c->color ? "\033[0m" : "";
	const char *dim = c->color ? "\033[2m" : "";
	fprintf(f, "%2u. %s%s%s\n", h->rank, bold,
	        *h->title ? h->title : "(untitled)", off);
	fprintf(f, "    %s%s%s%s%s  id: %s  passage %u", dim,
	        *h->date ? h->date : "undated", *h->source ? "  " : "", h->source,
	        off, h->article_id, h->passage);
	if (h->also_in)
		fprintf(f, "  (also in %u other source%s)", h->also_in,
		        h->also_in == 1 ? "" : "s");
	fputs("\n    ", f);
	if (h->snippet_trimmed_start)
		fputs("\xe2\x80\xa6", f);
	size_t at = 0;
	for (size_t i = 0; i < h->nhighlights; i++) {
		const lede_span *s = &h->highlights[i];
		if (s->start < at || s->end > h->snippet_len)
			continue;
		put_flat(f, h->snippet + at, s->start - at);
		fputs(hl_on, f);
		if (!c->color)
			fputc('[', f);
		put_flat(f, h->snippet + s->start, s->end - s->start);
		if (!c->color)
			fputc(']', f);
		fputs(off, f);
		at = s->end;
	}
	put_flat(f, h->snippet + at, h->snippet_len - at);
	if (h->snippet_trimmed_end)
		fputs("\xe2\x80\xa6", f);
	fputc('\n', f);
	if (h->nentities) {
		fputs("    ", f);
		fputs(dim, f);
		for (size_t i = 0; i < h->nentities; i++)
			fprintf(f, "%s%s: %s", i ? " | " : "", h->entities[i].type,
			        h->entities[i].key);
		fputs(off, f);
		fputc('\n', f);
	}
	if (h->explain) {
		fprintf(f, "    %sscore %.4f from the terms:", dim, h->score);
		for (const char *l = h->explain; *l;) {
			const char *nl = strchr(l, '\n');
			size_t n = nl ? (size_t)(nl - l) : strlen(l);
			fprintf(f, " %.*s", (int)n, l);
			if (nl && nl[1])
				fputc(';', f);
			l += n + (nl != NULL);
		}
		fprintf(f, "%s\n", off);
	}
	fputc('\n', f);
}

static void text_facets(const output_ctx *c, const lede_results *r)
{
	for (unsigned bit = 1; bit <= LEDE_FACET_MONTH; bit <<= 1) {
		if (!(c->facets & bit))
			continue;
		size_t n;
		const lede_facet_value *v = lede_results_facet(r, bit, &n);
		fprintf(c->out, "%-9s", lede_facet_name(bit));
		if (!n)
			fputs(" -", c->out);
		for (size_t i = 0; i < n; i++)
			fprintf(c->out, "%s %s (%llu)", i ? "," : "", v[i].value,
			        (unsigned long long)v[i].count);
		fputc('\n', c->out);
	}
}

json_t *output_search_json(const output_ctx *c, const lede_results *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string(OUTPUT_SCHEMA));
	json_t *hits = json_array();
	for (size_t i = 0; i < lede_results_count(r); i++)
		json_array_append_new(hits, hit_json(lede_results_hit(r, i)));
	json_object_set_new(o, "hits", hits);
	json_object_set_new(o, "summary", summary_json(c, r));
	return o;
}

void output_results(const output_ctx *c, const lede_results *r)
{
	size_t n = lede_results_count(r);
	FILE *f = c->out;
	switch (c->format) {
	case OUT_TEXT:
		for (size_t i = 0; i < n; i++)
			text_hit(c, lede_results_hit(r, i));
		if (c->facets)
			text_facets(c, r);
		fprintf(f, "%zu shown of about %llu matching articles (%.3f s)\n", n,
		        (unsigned long long)lede_results_total(r),
		        lede_results_seconds(r));
		break;
	case OUT_JSON: {
		json_t *o = output_search_json(c, r);
		json_dumpf(o, f, JSON_INDENT(1));
		fputc('\n', f);
		json_decref(o);
		break;
	}
	case OUT_JSONL:
		for (size_t i = 0; i < n; i++) {
			json_t *h = hit_json(lede_results_hit(r, i));
			json_t *t = json_object();
			json_object_set_new(t, "type", json_string("hit"));
			json_object_update(t, h);
			dump_line(f, t);
			json_decref(t);
			json_decref(h);
		}
		{
			json_t *s = summary_json(c, r);
			dump_line(f, s);
			json_decref(s);
		}
		break;
	case OUT_CSV:
	case OUT_TSV:
		if (!c->no_header)
			table_header(f, c->format == OUT_TSV);
		for (size_t i = 0; i < n; i++)
			table_row(f, c->format == OUT_TSV, lede_results_hit(r, i));
		break;
	case OUT_TREC:
		for (size_t i = 0; i < n; i++) {
			const lede_hit *h = lede_results_hit(r, i);
			fprintf(f, "%s Q0 %s %u %.6f lede\n", c->qid ? c->qid : "1",
			        h->article_id, h->rank, h->score);
		}
		break;
	}
}
