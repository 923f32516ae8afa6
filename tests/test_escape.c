/* Tests of common/escape.c (one printable line from untrusted bytes) and of
 * the promise it serves: `lede index` prints each rejection on exactly one
 * line, whatever bytes the file name and the file's content hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/escape.h"
#include "helpers/run.h"

static char *esc(const char *s, size_t n, size_t max)
{
	strbuf sb = STRBUF_INIT;
	esc_line(&sb, s, n, max);
	return sb_detach(&sb, NULL);
}

static void expect(const char *s, size_t n, size_t max, const char *want)
{
	char *got = esc(s, n, max);
	assert_string_equal(got, want);
	assert_true(esc_is_one_line(got, strlen(got)));
	free(got);
}

static void controls_are_escaped(void **state)
{
	(void)state;
	expect("a\nb\rc\td", 7, 0, "a\\nb\\rc\\td");
	expect("nul\0here", 8, 0, "nul\\0here");
	expect("\x1b[31mred\x1b[0m", 12, 0, "\\e[31mred\\e[0m");
	expect("bell\x07 del\x7f", 10, 0, "bell\\x07 del\\x7F");
	/* C1 CSI, line separator, right-to-left override */
	expect("\xc2\x9b" "2J \xe2\x80\xa8 \xe2\x80\xae", 12, 0,
	       "\\u{009B}2J \\u{2028} \\u{202E}");
}

static void text_is_kept(void **state)
{
	(void)state;
	expect("Ciudad Juárez — “quoted”", strlen("Ciudad Juárez — “quoted”"), 0,
	       "Ciudad Juárez — “quoted”");
	/* a backslash is not escaped: escaping is idempotent */
	expect("C:\\path\\n", 9, 0, "C:\\path\\n");
	char *once = esc("x\ny\x1b", 4, 0);
	expect(once, strlen(once), 0, once);
	free(once);
}

static void invalid_utf8_is_hex(void **state)
{
	(void)state;
	expect("caf\xe9 \xff\xfe \xe2\x82", 10, 0, "caf\\xE9 \\xFF\\xFE \\xE2\\x82");
	expect("\xed\xa0\x80", 3, 0, "\\xED\\xA0\\x80");  /* a surrogate */
}

static void long_text_is_cut_at_a_character(void **state)
{
	(void)state;
	expect("abcdefghij", 10, 10, "abcdefghij");   /* fits: no dots */
	expect("abcdefghijk", 11, 10, "abcdefg...");
	/* an escape is never split: "\n" is two bytes, and so is "é" */
	expect("abcdef\nxyz", 10, 9, "abcdef...");
	expect("abcdeé\nxyz", 11, 9, "abcde...");
	strbuf sb = STRBUF_INIT;
	assert_int_equal(esc_line(&sb, "abcdefghijk", 11, 10), 7);
	assert_int_equal(esc_line(&sb, "abc", 3, 10), 3);
	sb_release(&sb);
}

/* ---- lede index: one line per rejection ------------------------------ */

/* Every line of err starts with "lede index: " and holds no control
 * byte; returns the number of lines. */
static size_t check_lines(const strbuf *err)
{
	size_t lines = 0;
	const char *p = sb_cstr(err);
	while (*p) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true(strncmp(p, "lede index: ", 12) == 0);
		assert_true(esc_is_one_line(p, (size_t)(nl - p)));
		lines++;
		p = nl + 1;
	}
	return lines;
}

static void cli_prints_one_line_per_reject(void **state)
{
	(void)state;
	char *dir = run_mkdtemp("escape");
	char *db = run_path(dir, "db");
	/* a feed whose item ends inside CDATA (issue 19; U+009B is a C1
	 * control XML allows, and a terminal's CSI), a JSON line with
	 * a terminal escape and a NUL in the token jansson quotes, and a file
	 * whose name holds a newline and an escape */
	static const char feed[] =
		"<rss><channel><item><title>ok</title><description>fine"
		"</description></item>\n<item><title>cut</title><description>"
		"<![CDATA[\xc2\x9b" "2J<p>raw\none two three\n";
	static const char jsonl[] = "{\"title\": \x1b[31mx\x00y}\n"
	                            "{\"title\":\"kept\",\"text\":\"yes\"}\n";
	char *f1 = run_path(dir, "cut.rss");
	char *f2 = run_path(dir, "bad.jsonl");
	char *f3 = run_path(dir, "evil\n\x1b[31mname.jsonl");
	assert_int_equal(run_write_file(f1, feed, sizeof feed - 1), 0);
	assert_int_equal(run_write_file(f2, jsonl, sizeof jsonl - 1), 0);
	assert_int_equal(run_write_file(f3, "not json\n", 9), 0);
	char *args[] = { "index", "-q", "-d", db, f1, f2, f3, NULL };
	strbuf err = STRBUF_INIT;
	int code = -1;
	assert_int_equal(run_lede(args, NULL, &err, &code), 0);
	assert_int_equal(code, 4);
	assert_int_equal(check_lines(&err), 3);
	assert_non_null(strstr(err.buf, "cData section not finished near "
	                                "\"\\u{009B}2J<p>raw\\none"));
	assert_non_null(strstr(err.buf, "evil\\n\\e[31mname.jsonl:1: invalid JSON"));
	sb_release(&err);
	run_rmtree(dir);
	free(f1), free(f2), free(f3), free(db), free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controls_are_escaped),
		cmocka_unit_test(text_is_kept),
		cmocka_unit_test(invalid_utf8_is_hex),
		cmocka_unit_test(long_text_is_cut_at_a_character),
		cmocka_unit_test(cli_prints_one_line_per_reject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
