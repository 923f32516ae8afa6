/* What a new user meets first, end to end: make demo's commands pasted
 * into a shell, and a program built the documented way after make
 * install. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "helpers/run.h"

/* The first line of s (up to n bytes), as a new string. */
static char *first_line(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	return xstrndup(s, nl ? (size_t)(nl - s) : n);
}

/* Every command make demo prints, pasted into a shell from the repository
 * root, runs and prints what the demo showed under it (the first line of
 * each: timings differ from run to run). */
static void test_demo_commands_paste(void **state)
{
	(void)state;
	char *dir = run_mkdtemp("demo");
	char *db = run_path(dir, "demo.db");
	strbuf env_bin = STRBUF_INIT, env_db = STRBUF_INIT;
	sb_addf(&env_bin, "LEDE_BIN=%s", run_lede_bin());
	sb_addf(&env_db, "LEDE_DEMO_DB=%s", db);
	const char *env[] = { env_bin.buf, env_db.buf, NULL };
	run_opts o = RUN_OPTS_INIT;
	o.env = env;
	char *argv[] = { "sh", "tools/demo.sh", NULL };
	strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int code = -1;
	assert_int_equal(run_program("/bin/sh", argv, &o, &out, &err, &code), 0);
	if (code != 0)
		fail_msg("make demo failed (%d): %s", code, sb_cstr(&err));

	/* each "$ CMD" line, and what follows it up to the next one */
	const char *s = sb_cstr(&out);
	size_t commands = 0;
	for (const char *p = strstr(s, "$ "); p; ) {
		const char *eol = strchr(p, '\n');
		assert_non_null(eol);
		char *cmd = xstrndup(p + 2, (size_t)(eol - p - 2));
		const char *next = strstr(eol, "\n$ ");
		size_t shown_len = next ? (size_t)(next - eol - 1) : strlen(eol + 1);
		char *shown = first_line(eol + 1, shown_len);
		commands++;
		/* the index command would start over: its database is there */
		if (strstr(cmd, " index ")) {
			free(cmd);
			free(shown);
			p = next ? next + 1 : NULL;
			continue;
		}
		char *sh[] = { "sh", "-c", cmd, NULL };
		strbuf got = STRBUF_INIT, gerr = STRBUF_INIT;
		int rc = -1;
		run_opts po = RUN_OPTS_INIT;
		assert_int_equal(run_program("/bin/sh", sh, &po, &got, &gerr, &rc), 0);
		if (rc != 0)
			fail_msg("pasted '%s': exit %d: %s", cmd, rc, sb_cstr(&gerr));
		char *line = first_line(sb_cstr(&got), got.len);
		if (strcmp(line, shown))
			fail_msg("pasted '%s' printed '%s', the demo '%s'", cmd, line,
			         shown);
		free(line);
		sb_release(&got);
		sb_release(&gerr);
		free(cmd);
		free(shown);
		p = next ? next + 1 : NULL;
	}
	assert_true(commands >= 5);
	/* and it says where its database is */
	assert_non_null(strstr(s, db));
	sb_release(&out);
	sb_release(&err);
	sb_release(&env_bin);
	sb_release(&env_db);
	run_rmtree(dir);
	free(db);
	free(dir);
}

/* make install PREFIX=DIR, then examples/search_example.c built as its
 * header says, with pkg-config: it starts (finds liblede.so.0 without
 * ldconfig or LD_LIBRARY_PATH) and searches. Not under the sanitizers: a
 * program built without them cannot load their library. */
static void test_install_pkg_config(void **state)
{
	(void)state;
	const char *build = getenv("LEDE_BUILD");
	if (build && strstr(build, "build-san"))
		skip();
	char *dir = run_mkdtemp("install");
	char *prefix = run_path(dir, "prefix");
	char *db = run_path(dir, "db");
	strbuf cmd = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	sb_addf(&cmd,
	        "make -s install PREFIX='%s' >/dev/null && "
	        "PKG_CONFIG_PATH='%s/lib/pkgconfig' && export PKG_CONFIG_PATH && "
	        "cc examples/search_example.c $(pkg-config --cflags --libs lede) "
	        "-o '%s/search_example' && "
	        "'%s/bin/lede' index -q -d '%s' corpus/sample && "
	        "env -u LD_LIBRARY_PATH '%s/search_example' '%s' asylum",
	        prefix, prefix, dir, prefix, db, dir, db);
	char *sh[] = { "sh", "-c", cmd.buf, NULL };
	run_opts o = RUN_OPTS_INIT;
	int rc = -1;
	assert_int_equal(run_program("/bin/sh", sh, &o, &out, &err, &rc), 0);
	if (rc != 0)
		fail_msg("install and build: exit %d: %s", rc, sb_cstr(&err));
	assert_non_null(strstr(sb_cstr(&out), "matching articles for: asylum"));
	sb_release(&cmd);
	sb_release(&out);
	sb_release(&err);
	run_rmtree(dir);
	free(prefix);
	free(db);
	free(dir);
}

/* Every query of README.md's query-language table and every search and
 * timeline command of its "Using it" block finds something on the bundled
 * sample (exit 0): a reader trying them on corpus/sample gets results. */
static void test_readme_examples_on_sample(void **state)
{
	(void)state;
	char *dir = run_mkdtemp("readme");
	char *db = run_path(dir, "db");
	char *sample = run_path(run_src_dir(), "corpus/sample");
	char *idx[] = { "index", "-q", "-d", db, sample, NULL };
	assert_int_equal(run_lede_ok(idx), 0);
	char *path = run_path(run_src_dir(), "README.md");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0, queries = 0, commands = 0;
	int in_table = 0;
	int failures = 0;
	while (getline(&line, &cap, f) > 0) {
		if (!strncmp(line, "### The query language", 22))
			in_table = 1;
		else if (in_table && !strncmp(line, "A capitalised", 13))
			in_table = 0;
		if (in_table && !strncmp(line, "| `", 3)) {
			/* the first cell's `spans`, each a query */
			char *end = strstr(line + 2, " | ");
			for (char *p = line + 2; end && (p = strchr(p, '`')) && p < end;) {
				char *q = strchr(p + 1, '`');
				if (!q)
					break;
				char *query = xstrndup(p + 1, (size_t)(q - p - 1));
				char *args[] = { "search", "-d", db, "-n", "1", query, NULL };
				int code = -1;
				run_lede(args, NULL, NULL, &code);
				if (code != 0) {
					print_error("README query %s: exit %d\n", query, code);
					failures++;
				}
				queries++;
				free(query);
				p = q + 1;
			}
		}
		if (!strncmp(line, "lede search -d news.db ", 23) ||
		    !strncmp(line, "lede timeline -d news.db ", 25)) {
			strbuf cmd = STRBUF_INIT;
			char *rest = strstr(line, " news.db ") + 9;
			char *hash = strstr(rest, "  #");
			size_t n = hash ? (size_t)(hash - rest) : strcspn(rest, "\n");
			sb_addf(&cmd, "'%s' %s -d '%s' %.*s", run_lede_bin(),
			        !strncmp(line, "lede search", 11) ? "search" : "timeline",
			        db, (int)n, rest);
			char *sh[] = { "sh", "-c", cmd.buf, NULL };
			run_opts o = RUN_OPTS_INIT;
			int code = -1;
			run_program("/bin/sh", sh, &o, NULL, NULL, &code);
			if (code != 0) {
				print_error("README command %s: exit %d\n", cmd.buf, code);
				failures++;
			}
			commands++;
			sb_release(&cmd);
		}
	}
	free(line);
	fclose(f);
	assert_int_equal(failures, 0);
	assert_true(queries >= 20);
	assert_true(commands >= 3);
	run_rmtree(dir);
	free(path);
	free(sample);
	free(db);
	free(dir);
}

/* The man page's source with its escapes for '-' undone, so that options
 * read as the program prints them. Caller frees. */
static char *man_text(void)
{
	char *path = run_path(run_src_dir(), "docs/lede.1");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	strbuf b = STRBUF_INIT;
	int c;
	while ((c = fgetc(f)) != EOF) {
		if (c == '\\') {
			int d = fgetc(f);
			if (d == '-') {
				sb_addch(&b, '-');
				continue;
			}
			sb_addch(&b, c);
			if (d != EOF)
				sb_addch(&b, d);
			continue;
		}
		sb_addch(&b, c);
	}
	fclose(f);
	free(path);
	return sb_detach(&b, NULL);
}

/* lede help CMD, the man page and --version say the same: every option
 * `lede help CMD` lists is in the man page, and a default it states
 * ("default 500") is the one the man page states for that option; the
 * ranking defaults --version prints are the ones help gives. */
static void test_help_man_version_agree(void **state)
{
	(void)state;
	char *man = man_text();
	static const char *const cmds[] = { "index", "search", "show", "similar",
	                                    "timeline", "stats", "rm", "compact",
	                                    "watch", "serve" };
	int failures = 0;
	size_t checked = 0;
	for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
		char *args[] = { "help", (char *)cmds[k], NULL };
		strbuf out = STRBUF_INIT;
		int code = -1;
		run_lede(args, &out, NULL, &code);
		assert_int_equal(code, 0);
		char *save = NULL, *text = xstrdup(sb_cstr(&out));
		for (char *l = strtok_r(text, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			char *opt = strstr(l, "--");
			if (!opt || opt > l + 8)
				continue;   /* not an option line */
			size_t n = strspn(opt + 2, "abcdefghijklmnopqrstuvwxyz0-9-") + 2;
			char *name = xstrndup(opt, n);
			char *at = strstr(man, name);
			if (!at) {
				print_error("lede help %s: %s is not in the man page\n",
				            cmds[k], name);
				failures++;
			}
			checked++;
			/* a default on this line (or the next one) */
			char *def = strstr(opt, "(default ");
			if (at && def && isdigit((unsigned char)def[9])) {
				char num[32];
				size_t m = strspn(def + 9, "0123456789.");
				snprintf(num, sizeof num, "default %.*s", (int)m, def + 9);
				/* the man page's text for the option, up to the next
				 * .TP, wherever it stands (synopsis, description) */
				int agrees = 0;
				for (char *p = at; p && !agrees; p = strstr(p + 1, name)) {
					char *stop = strstr(p, ".TP");
					size_t span = stop ? (size_t)(stop - p) : strlen(p);
					char *para = xstrndup(p, span);
					agrees = strstr(para, num) != NULL;
					free(para);
				}
				if (!agrees) {
					print_error("%s: help says \"%s\", the man page does not\n",
					            name, num);
					failures++;
				}
			}
			free(name);
		}
		free(text);
		sb_release(&out);
	}
	/* --version's defaults line against help's */
	char *vargs[] = { "--version", NULL };
	strbuf v = STRBUF_INIT;
	int code = -1;
	run_lede(vargs, &v, NULL, &code);
	assert_int_equal(code, 0);
	assert_non_null(strstr(sb_cstr(&v), "proximity 0.3"));
	assert_non_null(strstr(sb_cstr(&v), "weight 0.15"));
	assert_non_null(strstr(man, "default 0.3"));
	assert_non_null(strstr(man, "default 0.15"));
	sb_release(&v);
	assert_true(checked >= 20);
	assert_int_equal(failures, 0);
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_commands_paste),
		cmocka_unit_test(test_install_pkg_config),
		cmocka_unit_test(test_readme_examples_on_sample),
		cmocka_unit_test(test_help_man_version_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
