/* `lede show` and `lede stats`. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lede.h"
#include "output.h"

static const char *const type_names[5] = {
	"city", "state", "official", "agency", "response"
};

/* Options of show and stats: -d, --format text|json, --top N. */
static int parse(const char *cmd, int argc, char **argv, const char **db,
                 int *json, long *top)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "top", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': *db = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				*json = 1;
			else if (strcmp(optarg, "text") == 0)
				*json = 0;
			else
				return cli_usage_error(cmd, "--format takes text or json");
			break;
		case 't':
			if ((*top = cli_parse_count(optarg)) < 1)
				return cli_usage_error(cmd, "--top needs a positive number");
			break;
		case 'h': cli_help(cmd, stdout); return 0;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	return -1;
}

static int open_or_report(const char *cmd, const char *path, lede_db **db)
{
	int rc = lede_open(db, cli_db_path(path));
	if (rc == LEDE_OK)
		return 0;
	fprintf(stderr, "lede %s: %s\n", cmd, *db ? lede_errmsg(*db)
	                                          : "out of memory");
	lede_close(*db);
	return cli_exit_for(rc) == EXIT_NONE ? EXIT_DB : cli_exit_for(rc);
}

/* What `lede serve` answers and renders too (cli.h). */
json_t *cli_article_json(const lede_article *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string("lede.article/1"));
	json_object_set_new(o, "id", json_string(a->id));
	json_object_set_new(o, "title", json_string(a->title));
	json_object_set_new(o, "date", json_string(a->date));
	json_object_set_new(o, "source", json_string(a->source));
	json_object_set_new(o, "url", json_string(a->url));
	json_object_set_new(o, "lang", json_string(a->lang));
	json_object_set_new(o, "authors", json_string(a->authors));
	json_object_set_new(o, "copy_of", json_string(a->copy_of));
	json_object_set_new(o, "passages", json_integer(a->passages));
	json_t *e = output_entities_json(a->entities, a->nentities);
	json_object_set_new(o, "entities", e);
	json_object_set_new(o, "roles",
	                    output_roles_json(a->entities, a->nentities));
	json_object_set_new(o, "quotes",
	                    output_quotes_json(a->quotes, a->nquotes));
	json_object_set_new(o, "body", json_stringn(a->body, a->body_len));
	return o;
}

int cli_show(int argc, char **argv)
{
	const char *dbp = NULL;
	int json = 0;
	long top = 0;
	int rc = parse("show", argc, argv, &dbp, &json, &top);
	if (rc >= 0)
		return rc;
	if (argc - optind != 1)
		return cli_usage_error("show", "expected one article ID");
	lede_db *db;
	if ((rc = open_or_report("show", dbp, &db)) != 0)
		return rc;
	lede_article *a;
	int st = lede_article_get(&a, db, argv[optind]);
	if (st != LEDE_OK) {
		fprintf(stderr, "lede show: %s\n", lede_errmsg(db));
		lede_close(db);
		return cli_exit_for(st);
	}
	if (json) {
		json_t *o = cli_article_json(a);
		json_dumpf(o, stdout, JSON_INDENT(1));
		fputc('\n', stdout);
		json_decref(o);
	} else {
		printf("%s\n", *a->title ? a->title : "(untitled)");
		printf("id: %s\ndate: %s\nsource: %s\n", a->id, a->date, a->source);
		if (*a->url)
			printf("url: %s\n", a->url);
		if (*a->authors)
			printf("authors: %s\n", a->authors);
		printf("lang: %s\npassages: %u\n", a->lang, a->passages);
		if (*a->copy_of)
			printf("copy of: %s\n", a->copy_of);
		for (int t = 0; t < 5; t++) {
			int first = 1;
			for (size_t i = 0; i < a->nentities; i++) {
				if (strcmp(a->entities[i].type, type_names[t]) != 0)
					continue;
				/* label the line: a bare key list does not say what it is */
				if (first)
					printf("%s: ", type_names[t]);
				printf("%s%s", first ? "" : ", ", a->entities[i].key);
				first = 0;
			}
			if (!first)
				putchar('\n');
		}
		printf("\n%.*s\n", (int)a->body_len, a->body);
	}
	lede_article_free(a);
	lede_close(db);
	return 0;
}

int cli_stats(int argc, char **argv)
{
	const char *dbp = NULL;
	int json = 0;
	long top = 10;
	int rc = parse("stats", argc, argv, &dbp, &json, &top);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error("stats", "unexpected argument '%s'",
		                       argv[optind]);
	lede_db *db;
	if ((rc = open_or_report("stats", dbp, &db)) != 0)
		return rc;
	lede_stats *s;
	int st = lede_stats_get(&s, db, (unsigned)top);
	if (st != LEDE_OK) {
		fprintf(stderr, "lede stats: %s\n", lede_errmsg(db));
		lede_close(db);
		return cli_exit_for(st);
	}
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "schema", json_string("lede.stats/1"));
		json_object_set_new(o, "articles", json_integer((json_int_t)s->articles));
		json_object_set_new(o, "passages", json_integer((json_int_t)s->passages));
		json_object_set_new(o, "terms", json_integer((json_int_t)s->terms));
		json_object_set_new(o, "disk_bytes", json_integer((json_int_t)s->disk_bytes));
		json_object_set_new(o, "remote_shards",
		                    json_integer((json_int_t)s->remote_shards));
		json_object_set_new(o, "langs", json_string(s->langs));
		json_object_set_new(o, "format", json_string(s->format));
		json_t *tops = json_object();
		for (int t = 0; t < 5; t++) {
			json_t *arr = json_array();
			for (size_t i = 0; i < s->ntop[t]; i++) {
				json_t *p = json_object();
				json_object_set_new(p, "value", json_string(s->top[t][i].value));
				json_object_set_new(p, "articles",
				                    json_integer((json_int_t)s->top[t][i].count));
				json_array_append_new(arr, p);
			}
			json_object_set_new(tops, type_names[t], arr);
		}
		json_object_set_new(o, "top", tops);
		json_dumpf(o, stdout, JSON_INDENT(1));
		fputc('\n', stdout);
		json_decref(o);
	} else {
		printf("articles   %llu\npassages   %llu\nterms      %llu\n"
		       "disk       %.1f MB", (unsigned long long)s->articles,
		       (unsigned long long)s->passages,
		       (unsigned long long)s->terms, s->disk_bytes / 1e6);
		if (s->remote_shards)
			printf(" (and %u remote shard%s, not counted)", s->remote_shards,
			       s->remote_shards == 1 ? "" : "s");
		printf("\nlanguages  %s\nformat     %s\n", s->langs, s->format);
		for (int t = 0; t < 5; t++) {
			printf("%-10s", type_names[t]);
			if (!s->ntop[t])
				fputs(" -", stdout);
			for (size_t i = 0; i < s->ntop[t]; i++)
				printf("%s %s (%llu)", i ? "," : "", s->top[t][i].value,
				       (unsigned long long)s->top[t][i].count);
			putchar('\n');
		}
	}
	lede_stats_free(s);
	lede_close(db);
	return 0;
}
