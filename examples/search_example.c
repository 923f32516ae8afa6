/* A small program using only the public API (include/lede.h): open a
 * database, search it with facets, print the hits and facet counts, then
 * fetch the best article whole. Build, after make install PREFIX=DIR:
 *   PKG_CONFIG_PATH=DIR/lib/pkgconfig \
 *   cc search_example.c $(pkg-config --cflags --libs lede) -o search_example
 * Usage: search_example DB QUERY... */
#include <stdio.h>
#include <string.h>

#include "lede.h"

/* The snippet with each highlighted span in [brackets]. */
static void print_snippet(const lede_hit *h)
{
	size_t at = 0;
	fputs("   ", stdout);
	if (h->snippet_trimmed_start)
		fputs(" ...", stdout);
	putchar(' ');
	for (size_t i = 0; i < h->nhighlights; i++) {
		const lede_span *s = &h->highlights[i];
		printf("%.*s[%.*s]", (int)(s->start - at), h->snippet + at,
		       (int)(s->end - s->start), h->snippet + s->start);
		at = s->end;
	}
	printf("%.*s%s\n", (int)(h->snippet_len - at), h->snippet + at,
	       h->snippet_trimmed_end ? " ..." : "");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s DB QUERY...\n", argv[0]);
		return 2;
	}
	/* the query is the rest of the command line */
	char query[4096] = "";
	for (int i = 2; i < argc; i++) {
		size_t used = strlen(query);
		snprintf(query + used, sizeof query - used, "%s%s", i > 2 ? " " : "",
		         argv[i]);
	}

	lede_db *db;
	int rc = lede_open(&db, argv[1]);
	if (rc != LEDE_OK) {
		fprintf(stderr, "search_example: %s\n",
		        db ? lede_errmsg(db) : lede_status_string(rc));
		lede_close(db);
		return 1;
	}

	lede_search_opts opts = LEDE_SEARCH_OPTS_INIT;
	opts.limit = 5;
	opts.facets = LEDE_FACET_CITY | LEDE_FACET_AGENCY | LEDE_FACET_YEAR;
	opts.facet_limit = 5;
	lede_results *res;
	rc = lede_search(&res, db, query, &opts);
	if (rc != LEDE_OK) {
		fprintf(stderr, "search_example: %s: %s\n", lede_status_string(rc),
		        lede_errmsg(db));
		lede_close(db);
		return 1;
	}

	printf("%zu of %llu matching articles for: %s\n", lede_results_count(res),
	       (unsigned long long)lede_results_total(res), query);
	for (size_t i = 0; i < lede_results_count(res); i++) {
		const lede_hit *h = lede_results_hit(res, i);
		printf("%u. [%s] %s (%s, %s) score %.3f\n", h->rank, h->article_id,
		       h->title, *h->date ? h->date : "undated", h->source, h->score);
		if (h->also_in)
			printf("   also in %u other source(s)\n", h->also_in);
		print_snippet(h);
	}

	const unsigned fields[] = { LEDE_FACET_CITY, LEDE_FACET_AGENCY,
	                            LEDE_FACET_YEAR };
	for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
		size_t n;
		/* borrowed from res: valid until lede_results_free */
		const lede_facet_value *v = lede_results_facet(res, fields[f], &n);
		printf("%-8s", lede_facet_name(fields[f]));
		for (size_t i = 0; i < n; i++)
			printf("%s %s (%llu)", i ? "," : "", v[i].value,
			       (unsigned long long)v[i].count);
		printf("%s\n", n ? "" : " -");
	}

	/* the best article, whole: copy its id before freeing the results */
	char best[256] = "";
	if (lede_results_count(res))
		snprintf(best, sizeof best, "%s",
		         lede_results_hit(res, 0)->article_id);
	lede_results_free(res);
	if (*best) {
		lede_article *a;
		rc = lede_article_get(&a, db, best);
		if (rc != LEDE_OK) {
			fprintf(stderr, "search_example: %s\n", lede_errmsg(db));
			lede_close(db);
			return 1;
		}
		printf("\narticle %s: %s\n%zu bytes of text in %u passage(s)\n",
		       a->id, a->title, a->body_len, a->passages);
		for (size_t i = 0; i < a->nentities; i++)
			printf("  %s: %s\n", a->entities[i].type, a->entities[i].key);
		lede_article_free(a);
	}
	lede_close(db);
	return 0;
}
