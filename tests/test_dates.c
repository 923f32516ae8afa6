/* Tests of corpus_parse_date (corpus/dates.c): every form news data writes
 * dates in, partial dates, ambiguous numeric dates (refused, not guessed)
 * and garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../corpus/article.h"

static void expect(const char *in, const char *want)
{
	char out[11];
	memset(out, 'x', sizeof out);
	int rc = corpus_parse_date(in, out);
	if (rc != 0 || strcmp(out, want) != 0)
		fail_msg("\"%s\": got rc %d \"%s\", want \"%s\"", in, rc,
		         rc == 0 ? out : "", want);
}

static void refuse(const char *in)
{
	char out[11];
	memset(out, 'x', sizeof out);
	int rc = corpus_parse_date(in, out);
	if (rc != -1)
		fail_msg("\"%s\": got \"%s\", want a refusal", in, out);
	assert_string_equal(out, "");
}

static void test_iso8601(void **state)
{
	(void)state;
	expect("2024-11-26", "2024-11-26");
	expect("2024-11-26T10:00:00Z", "2024-11-26");
	expect("2024-11-26T23:30:00-05:00", "2024-11-26");  /* as written */
	expect("2024-11-26 10:00:00.123456", "2024-11-26");
	expect("1987-02-26T15:01:01", "1987-02-26");
	expect("  2024-11-26  ", "2024-11-26");
	expect("2024/11/26", "2024-11-26");
	expect("20241126", "2024-11-26");
	expect("2024-11", "2024-11");
	expect("2024", "2024");
	expect("2024-02-29", "2024-02-29");
}

static void test_rfc2822(void **state)
{
	(void)state;
	expect("Tue, 26 Nov 2024 10:00:00 GMT", "2024-11-26");
	expect("Tue, 26 Nov 2024 10:00:00 +0000", "2024-11-26");
	expect("26 Nov 2024", "2024-11-26");
	expect("Mon, 5 Apr 93 12:00:00 GMT", "1993-04-05");  /* Usenet */
	expect("6 Apr 1993 10:00:00 GMT", "1993-04-06");
}

static void test_written_english(void **state)
{
	(void)state;
	expect("November 26, 2024", "2024-11-26");
	expect("Nov. 26, 2024", "2024-11-26");
	expect("Nov 26 2024", "2024-11-26");
	expect("Sept. 3, 2024", "2024-09-03");
	expect("26 November 2024", "2024-11-26");
	expect("Tuesday, November 26, 2024", "2024-11-26");
	expect("November 26th, 2024", "2024-11-26");
	expect("1st March 2024", "2024-03-01");
	expect("November 2024", "2024-11");
	expect("NOVEMBER 26, 2024", "2024-11-26");
}

static void test_reuters(void **state)
{
	(void)state;
	expect("26-FEB-1987 15:01:01.79", "1987-02-26");
	expect(" 1-MAR-1987 08:00:00.00", "1987-03-01");
}

static void test_spanish(void **state)
{
	(void)state;
	expect("26 de noviembre de 2024", "2024-11-26");
	expect("martes, 26 de noviembre de 2024", "2024-11-26");
	expect("1 de enero del 2025", "2025-01-01");
	expect("3 de septiembre de 2018", "2018-09-03");
	expect("3 de setiembre de 2018", "2018-09-03");
	expect("15 dic 2023", "2023-12-15");
}

static void test_numeric_day_month(void **state)
{
	(void)state;
	refuse("03/04/2024");          /* March 4 or 3 April: not guessed */
	refuse("1/2/2024");
	refuse("12-11-2024");
	expect("26/11/2024", "2024-11-26");   /* only one reading possible */
	expect("11/26/2024", "2024-11-26");
	expect("05/05/2024", "2024-05-05");   /* both readings agree */
}

static void test_epoch(void **state)
{
	(void)state;
	expect("1732615200", "2024-11-26");       /* seconds */
	expect("1732615200000", "2024-11-26");    /* milliseconds */
}

static void test_garbage(void **state)
{
	(void)state;
	refuse("");
	refuse("   ");
	refuse("yesterday");
	refuse("not a date 2024");
	refuse("2024-13-01");
	refuse("2024-02-30");
	refuse("2023-02-29");
	refuse("32 January 2024");
	refuse("Foo 12, 2024");
	refuse("12345");
	refuse("99999-01-01");
	refuse("0999-01-01");
	refuse("\xff\xfe\x01");
	refuse("Nov 2024 26 26 26");
	char out[11];
	assert_int_equal(corpus_parse_date(NULL, out), -1);
}

static void test_random_bytes(void **state)
{
	(void)state;
	/* nothing may crash or write past out[10] */
	unsigned x = 4242;
	char in[64], out[16];
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 40);
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			/* biased towards characters dates are made of */
			static const char alpha[] = "0123456789-/:., TZabcdefjmnorstuvyNOVDEC";
			in[i] = (x >> 20) & 1 ? alpha[(x >> 8) % (sizeof alpha - 1)]
			                      : (char)(x >> 16);
		}
		in[n] = '\0';
		memset(out, 'Q', sizeof out);
		int rc = corpus_parse_date(in, out);
		assert_true(rc == 0 || rc == -1);
		assert_true(out[11] == 'Q');
		if (rc == 0) {
			size_t len = strlen(out);
			assert_true(len == 4 || len == 7 || len == 10);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_rfc2822),
		cmocka_unit_test(test_written_english),
		cmocka_unit_test(test_reuters),
		cmocka_unit_test(test_spanish),
		cmocka_unit_test(test_numeric_day_month),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests_name("dates", tests, NULL, NULL);
}
