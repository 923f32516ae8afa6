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

static int same_article(const lede_hit *prev, const lede_hit *h);

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

json_t *output_quotes_json(const lede_quote *q, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "speaker", json_string(q[i].speaker));
		json_object_set_new(o, "speaker_display",
		                    json_string(q[i].speaker_display));
		json_object_set_new(o, "role", json_string(q[i].role));
		json_object_set_new(o, "cue", json_string(q[i].cue));
		json_object_set_new(o, "start", json_integer(q[i].start));
		json_object_set_new(o, "end", json_integer(q[i].end));
		json_object_set_new(o, "quote", json_integer(q[i].quote));
		json_object_set_new(o, "matched", json_boolean(q[i].matched));
		json_array_append_new(a, o);
	}
	return a;
}

/* Whether a watch's hit is an update, and whether it may have been shown
 * before. */
static int hit_updated(const lede_hit *h)
{
	return h->first_generation < h->generation;
}

static int hit_repeat(const output_ctx *c, const lede_hit *h)
{
	return c->watch && h->generation <= c->repeat_upto;
}

/* The fields a batch or a watch puts first on every row and summary. */
static void tag_json(const output_ctx *c, json_t *o)
{
	if (c->qid && c->format != OUT_TREC)
		json_object_set_new(o, "qid", jstrn(c->qid, strlen(c->qid)));
	if (c->watch)
		json_object_set_new(o, "watch", json_string(c->watch));
}

static json_t *hit_json(const output_ctx *c, const lede_hit *h)
{
	json_t *o = json_object();
	tag_json(c, o);
	if (c->watch) {
		json_object_set_new(o, "updated", json_boolean(hit_updated(h)));
		json_object_set_new(o, "repeat", json_boolean(hit_repeat(c, h)));
		json_object_set_new(o, "generation",
		                    json_integer((json_int_t)h->generation));
	}
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
	json_object_set_new(o, "quotes", output_quotes_json(h->quotes,
	                                                    h->nquotes));
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
	for (unsigned bit = 1; bit <= LEDE_FACET_SPEAKER; bit <<= 1) {
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

/* Articles among the hits: with --passages N an article's passages
 * follow one another under one rank. */
static size_t shown_articles(const lede_results *r)
{
	size_t n = lede_results_count(r), a = 0;
	for (size_t i = 0; i < n; i++)
		a += !(i && same_article(lede_results_hit(r, i - 1),
		                         lede_results_hit(r, i)));
	return a;
}

static json_t *summary_json(const output_ctx *c, const lede_results *r,
                            uint64_t total, int exact, uint64_t returned,
                            uint64_t returned_articles)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("summary"));
	json_object_set_new(o, "schema", json_string(OUTPUT_SCHEMA));
	tag_json(c, o);
	json_object_set_new(o, "query", jstrn(c->query ? c->query : "",
	                                        c->query ? strlen(c->query) : 0));
	json_object_set_new(o, "total", json_integer((json_int_t)total));
	json_object_set_new(o, "total_exact", json_boolean(exact));
	json_object_set_new(o, "returned", json_integer((json_int_t)returned));
	json_object_set_new(o, "returned_articles",
	                    json_integer((json_int_t)returned_articles));
	json_object_set_new(o, "undated",
	                    json_integer((json_int_t)lede_results_undated(r)));
	json_object_set_new(o, "undated_outside_dates",
	                    json_integer((json_int_t)lede_results_undated_outside(r)));
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

/* One jsonl line: "type" first, then the members of o (whose reference
 * it takes). */
static void dump_typed(FILE *f, const char *type, json_t *o)
{
	json_t *t = json_object();
	json_object_set_new(t, "type", json_string(type));
	json_object_update(t, o);
	dump_line(f, t);
	json_decref(t);
	json_decref(o);
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

static void table_header(const output_ctx *c, FILE *f, int tsv)
{
	size_t n = sizeof table_columns / sizeof *table_columns;
	char sep = tsv ? '\t' : ',';
	if (c->qid)
		fprintf(f, "qid%c", sep);
	if (c->watch)
		fprintf(f, "watch%cupdated%crepeat%cgeneration%c", sep, sep, sep, sep);
	for (size_t i = 0; i < n; i++) {
		fputs(table_columns[i], f);
		fputc(i + 1 < n ? (tsv ? '\t' : ',') : '\n', f);
	}
}

static void table_row(const output_ctx *c, FILE *f, int tsv,
                      const lede_hit *h)
{
	char sep = tsv ? '\t' : ',';
	strbuf b = STRBUF_INIT;
	if (c->qid) {
		sep_field(f, tsv, c->qid, strlen(c->qid));
		fputc(sep, f);
	}
	if (c->watch)
		fprintf(f, "%s%c%d%c%d%c%llu%c", c->watch, sep, hit_updated(h), sep,
		        hit_repeat(c, h), sep, (unsigned long long)h->generation,
		        sep);
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

/* Whether h is a further passage of the article of the hit before it
 * (--passages N: an article's passages follow one another, one rank). */
static int same_article(const lede_hit *prev, const lede_hit *h)
{
	return prev && prev->rank == h->rank &&
	       strcmp(prev->article_id, h->article_id) == 0;
}

/* One hit; a further passage of the article above it (prev) gets its
 * passage line and text only, under the article's heading. */
static void text_hit(const output_ctx *c, const lede_hit *h,
                     const lede_hit *prev)
{
	FILE *f = c->out;
	const char *bold = c->color ? "\033[1m" : "";
	const char *hl_on = c->color ? "\033[1;33m" : "";
	const char *off = c->color ? "\033[0m" : "";
	const char *dim = c->color ? "\033[2m" : "";
	if (same_article(prev, h)) {
		fprintf(f, "    %spassage %u%s", dim, h->passage, off);
	} else {
		fprintf(f, "%2u. %s%s%s\n", h->rank, bold,
		        *h->title ? h->title : "(untitled)", off);
		fprintf(f, "    %s%s%s%s%s  id: %s  passage %u", dim,
		        *h->date ? h->date : "undated", *h->source ? "  " : "",
		        h->source, off, h->article_id, h->passage);
		if (h->also_in)
			fprintf(f, "  (also in %u other source%s)", h->also_in,
			        h->also_in == 1 ? "" : "s");
	}
	if (c->watch)
		fprintf(f, "  watch: %s", c->watch);
	if (c->watch && hit_updated(h))
		fputs("  [updated]", f);
	if (hit_repeat(c, h))
		fputs("  [repeat: may have been shown before]", f);
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
	for (unsigned bit = 1; bit <= LEDE_FACET_SPEAKER; bit <<= 1) {
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

void output_undated_line(FILE *f, uint64_t undated, uint64_t outside)
{
	if (undated)
		fprintf(f, "%llu undated matching article%s (no date: last when "
		        "sorted by date, in no period)\n", (unsigned long long)undated,
		        undated == 1 ? "" : "s");
	if (outside)
		fprintf(f, "%llu undated matching article%s not in the date range "
		        "(a range cannot hold an article without a date)\n",
		        (unsigned long long)outside, outside == 1 ? "" : "s");
}

/* "qid: " or "watch NAME: " before a text summary line. */
static void text_tag(const output_ctx *c)
{
	if (c->qid)
		fprintf(c->out, "%s: ", c->qid);
	if (c->watch)
		fprintf(c->out, "watch %s: ", c->watch);
}

void output_begin(output_ctx *c)
{
	FILE *f = c->out;
	c->returned = 0;
	c->returned_articles = 0;
	c->in_hits = 0;
	switch (c->format) {
	case OUT_TEXT:
		if (c->qid) {
			fprintf(f, "== %s: ", c->qid);
			put_flat(f, c->query ? c->query : "",
			         c->query ? strlen(c->query) : 0);
			fputs("\n\n", f);
		}
		break;
	case OUT_JSON:
		/* the hits one a line as they come, the summary after them */
		fprintf(f, "{\"schema\": \"%s\",\n \"hits\": [", OUTPUT_SCHEMA);
		break;
	case OUT_CSV:
	case OUT_TSV:
		if (!c->no_header && !c->header_done)
			table_header(c, f, c->format == OUT_TSV);
		c->header_done = 1;
		break;
	default:
		break;
	}
}

void output_page(output_ctx *c, const lede_results *r)
{
	size_t n = lede_results_count(r);
	FILE *f = c->out;
	/* an article's passages are never split across pages (-n counts
	 * articles), so prev starts afresh with each page */
	for (size_t i = 0; i < n; i++) {
		const lede_hit *h = lede_results_hit(r, i);
		const lede_hit *prev = i ? lede_results_hit(r, i - 1) : NULL;
		switch (c->format) {
		case OUT_TEXT:
			text_hit(c, h, prev);
			break;
		case OUT_JSON: {
			json_t *j = hit_json(c, h);
			fputs(c->returned ? ",\n  " : "\n  ", f);
			json_dumpf(j, f, JSON_INDENT(1));
			json_decref(j);
			break;
		}
		case OUT_JSONL:
			dump_typed(f, "hit", hit_json(c, h));
			break;
		case OUT_CSV:
		case OUT_TSV:
			table_row(c, f, c->format == OUT_TSV, h);
			break;
		case OUT_TREC:
			/* a run lists each article once: its best passage */
			if (!same_article(prev, h))
				fprintf(f, "%s Q0 %s %u %.6f lede\n",
				        c->qid ? c->qid : "1", h->article_id, h->rank,
				        h->score);
			break;
		}
		c->returned++;
	}
	c->returned_articles += shown_articles(r);
}

void output_end(output_ctx *c, const lede_results *last, uint64_t total,
                int exact)
{
	FILE *f = c->out;
	switch (c->format) {
	case OUT_TEXT:
		if (c->facets)
			text_facets(c, last);
		text_tag(c);
		fprintf(f, "%llu shown of %s%llu matching article%s",
		        (unsigned long long)c->returned_articles, exact ? "" : "about ",
		        (unsigned long long)total, total == 1 ? "" : "s");
		if (c->returned_articles != c->returned)
			fprintf(f, ", %llu passages", (unsigned long long)c->returned);
		fprintf(f, " (%.3f s)\n", lede_results_seconds(last));
		output_undated_line(f, lede_results_undated(last),
		                    lede_results_undated_outside(last));
		break;
	case OUT_JSON: {
		json_t *s = summary_json(c, last, total, exact, c->returned,
		                         c->returned_articles);
		fputs(c->returned ? "\n ],\n \"summary\": " : "],\n \"summary\": ", f);
		json_dumpf(s, f, JSON_INDENT(1));
		fputs("}\n", f);
		json_decref(s);
		break;
	}
	case OUT_JSONL: {
		json_t *s = summary_json(c, last, total, exact, c->returned,
		                         c->returned_articles);
		dump_line(f, s);
		json_decref(s);
		break;
	}
	default:
		break;
	}
}

void output_results(output_ctx *c, const lede_results *r)
{
	output_begin(c);
	output_page(c, r);
	output_end(c, r, lede_results_total(r), lede_results_total_exact(r));
}

/* ---- lede quotes ------------------------------------------------------ */

/* One matched quote part of hit h as a JSON object, speaker first. */
static json_t *quote_row_json(const lede_hit *h, const lede_quote *q,
                              unsigned rank)
{
	json_t *o = json_object();
	json_object_set_new(o, "rank", json_integer(rank));
	json_object_set_new(o, "speaker_display", json_string(q->speaker_display));
	json_object_set_new(o, "speaker", json_string(q->speaker));
	json_object_set_new(o, "role", json_string(q->role));
	json_object_set_new(o, "cue", json_string(q->cue));
	json_object_set_new(o, "text", jstrn(q->text, q->text_len));
	json_object_set_new(o, "id", json_string(h->article_id));
	json_object_set_new(o, "title", json_string(h->title));
	json_object_set_new(o, "date", json_string(h->date));
	json_object_set_new(o, "source", json_string(h->source));
	json_object_set_new(o, "url", json_string(h->url));
	json_object_set_new(o, "start", json_integer(q->start));
	json_object_set_new(o, "end", json_integer(q->end));
	json_object_set_new(o, "quote", json_integer(q->quote));
	json_object_set_new(o, "score", json_real(h->score));
	return o;
}

static const char *const quote_columns[] = {
	"rank", "speaker_display", "speaker", "role", "cue", "text", "id",
	"title", "date", "source", "url", "start", "end"
};

static void quote_row_table(FILE *f, int tsv, const lede_hit *h,
                            const lede_quote *q, unsigned rank)
{
	char sep = tsv ? '\t' : ',';
	fprintf(f, "%u%c", rank, sep);
	const char *fields[] = { q->speaker_display, q->speaker, q->role, q->cue };
	for (size_t i = 0; i < 4; i++) {
		sep_field(f, tsv, fields[i], strlen(fields[i]));
		fputc(sep, f);
	}
	sep_field(f, tsv, q->text, q->text_len);
	fputc(sep, f);
	const char *more[] = { h->article_id, h->title, h->date, h->source, h->url };
	for (size_t i = 0; i < 5; i++) {
		sep_field(f, tsv, more[i], strlen(more[i]));
		fputc(sep, f);
	}
	fprintf(f, "%u%c%u\n", q->start, sep, q->end);
}

static void quote_row_text(const output_ctx *c, const lede_hit *h,
                           const lede_quote *q)
{
	FILE *f = c->out;
	const char *bold = c->color ? "\033[1m" : "";
	const char *off = c->color ? "\033[0m" : "";
	const char *dim = c->color ? "\033[2m" : "";
	fprintf(f, "%s%s%s", bold, *q->speaker_display ? q->speaker_display
	                                                : "(unattributed)", off);
	if (*q->role)
		fprintf(f, " (%s)", q->role);
	if (*q->cue)
		fprintf(f, " %s", q->cue);
	fputs(": \xE2\x80\x9C", f);
	put_flat(f, q->text, q->text_len);
	fputs("\xE2\x80\x9D\n", f);
	fprintf(f, "    %s%s", dim, h->title);
	if (*h->date)
		fprintf(f, " \xC2\xB7 %s", h->date);
	if (*h->source)
		fprintf(f, " \xC2\xB7 %s", h->source);
	fprintf(f, " \xC2\xB7 %s [%u-%u]%s\n", h->article_id, q->start, q->end, off);
}

size_t output_quotes(const output_ctx *c, const lede_results *r)
{
	size_t n = lede_results_count(r), rows = 0;
	FILE *f = c->out;
	json_t *all = c->format == OUT_JSON ? json_array() : NULL;
	if ((c->format == OUT_CSV || c->format == OUT_TSV) && !c->no_header) {
		size_t nc = sizeof quote_columns / sizeof *quote_columns;
		for (size_t i = 0; i < nc; i++) {
			fputs(quote_columns[i], f);
			fputc(i + 1 < nc ? (c->format == OUT_TSV ? '\t' : ',') : '\n', f);
		}
	}
	for (size_t i = 0; i < n; i++) {
		const lede_hit *h = lede_results_hit(r, i);
		for (size_t k = 0; k < h->nquotes; k++) {
			const lede_quote *q = &h->quotes[k];
			if (!q->matched)
				continue;
			unsigned rank = (unsigned)++rows;
			switch (c->format) {
			case OUT_JSON:
				json_array_append_new(all, quote_row_json(h, q, rank));
				break;
			case OUT_JSONL:
				dump_typed(f, "quote", quote_row_json(h, q, rank));
				break;
			case OUT_CSV:
			case OUT_TSV:
				quote_row_table(f, c->format == OUT_TSV, h, q, rank);
				break;
			case OUT_TREC:
				fprintf(f, "%s Q0 %s:%u %u %.6f lede\n",
				        c->qid ? c->qid : "1", h->article_id, q->start, rank,
				        h->score);
				break;
			default:
				quote_row_text(c, h, q);
				break;
			}
		}
	}
	switch (c->format) {
	case OUT_JSON: {
		json_t *o = json_object();
		json_object_set_new(o, "schema", json_string(OUTPUT_QUOTES_SCHEMA));
		json_object_set_new(o, "quotes", all);
		json_t *s = summary_json(c, r, lede_results_total(r),
		                         lede_results_total_exact(r),
		                         lede_results_count(r), shown_articles(r));
		json_object_set_new(s, "schema", json_string(OUTPUT_QUOTES_SCHEMA));
		json_object_set_new(s, "quotes", json_integer((json_int_t)rows));
		json_object_set_new(o, "summary", s);
		json_dumpf(o, f, JSON_INDENT(1));
		fputc('\n', f);
		json_decref(o);
		break;
	}
	case OUT_JSONL: {
		json_t *s = summary_json(c, r, lede_results_total(r),
		                         lede_results_total_exact(r),
		                         lede_results_count(r), shown_articles(r));
		json_object_set_new(s, "schema", json_string(OUTPUT_QUOTES_SCHEMA));
		json_object_set_new(s, "quotes", json_integer((json_int_t)rows));
		dump_line(f, s);
		json_decref(s);
		break;
	}
	case OUT_TEXT:
		if (c->facets)
			text_facets(c, r);
		fprintf(f, "%zu quotes from %zu passages of %s%llu matching "
		        "articles (%.3f s)\n", rows, n,
		        lede_results_total_exact(r) ? "" : "about ",
		        (unsigned long long)lede_results_total(r),
		        lede_results_seconds(r));
		break;
	default:
		break;
	}
	return rows;
}
