/* Tests of stored-text packing: round trips of every shape and size, with
 * and without the preset dictionary, and refusal of corrupt, truncated and
 * lying input without crashing or allocating what the header claims. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../corpus/textpack.h"

static const char *story =
	"CHICAGO -- Federal immigration agents detained at least 40 people in "
	"raids across the city on Tuesday, according to community groups.\n\n"
	"Mayor Renata Valdivia said the city would not share information with "
	"federal authorities under its sanctuary ordinance. \"We will not be a "
	"partner in this,\" she said.\n\n"
	"A spokesman for the Department of Homeland Security said the agency "
	"was targeting people with final orders of removal.";

static uint32_t rng = 2463534242u;
static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Pack with the given dictionary, unpack after some existing content, and
 * check the bytes and that the existing content is untouched. */
static void round_trip(const char *text, size_t len, int dict)
{
	strbuf packed = STRBUF_INIT, back = STRBUF_INIT;
	assert_int_equal(textpack_compress_with(text, len, dict, 6, &packed), 0);
	assert_true(packed.len >= 3);
	sb_addstr(&back, "prefix");
	assert_int_equal(textpack_decompress(packed.buf, packed.len, &back), 0);
	assert_int_equal(back.len, 6 + len);
	assert_memory_equal(back.buf, "prefix", 6);
	if (len)
		assert_memory_equal(back.buf + 6, text, len);
	assert_int_equal(back.buf[back.len], '\0');
	sb_release(&packed);
	sb_release(&back);
}

static void round_trip_all(const char *text, size_t len)
{
	round_trip(text, len, TEXTPACK_DICT_NONE);
	round_trip(text, len, TEXTPACK_DICT_NEWS1);
	/* And the default entry point. */
	strbuf packed = STRBUF_INIT, back = STRBUF_INIT;
	assert_int_equal(textpack_compress(text, len, &packed), 0);
	assert_int_equal(textpack_decompress(packed.buf, packed.len, &back), 0);
	assert_int_equal(back.len, len);
	if (len)
		assert_memory_equal(back.buf, text, len);
	sb_release(&packed);
	sb_release(&back);
}

static void test_round_trip_small(void **state)
{
	(void)state;
	round_trip_all("", 0);
	round_trip_all("a", 1);
	round_trip_all("ICE", 3);
	round_trip_all(story, strlen(story));
	round_trip_all("\0\0\0", 3);
	round_trip_all("ni\xc3\xb1o, \xe2\x80\x9c" "deportaci\xc3\xb3n\xe2\x80\x9d", 25);
}

static void test_round_trip_binary_and_large(void **state)
{
	(void)state;
	size_t len = 10u << 20;
	char *buf = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)next_rand();
	round_trip_all(buf, 4096);
	round_trip_all(buf, len); /* 10 MB that does not compress */
	/* 10 MB of text-like repetition, and of one byte: the most
	 * compressible input must still pass the expansion check. */
	for (size_t i = 0; i < len; i++)
		buf[i] = story[i % strlen(story)];
	round_trip_all(buf, len);
	memset(buf, 'x', len);
	round_trip_all(buf, len);
	free(buf);
}

static void test_dictionary_helps_news(void **state)
{
	(void)state;
	strbuf plain = STRBUF_INIT, dict = STRBUF_INIT;
	assert_int_equal(textpack_compress_with(story, strlen(story),
	                 TEXTPACK_DICT_NONE, 6, &plain), 0);
	assert_int_equal(textpack_compress_with(story, strlen(story),
	                 TEXTPACK_DICT_NEWS1, 6, &dict), 0);
	assert_true(dict.len < plain.len);
	assert_true(plain.len < strlen(story));
	/* The header says which dictionary: no-dictionary data stays
	 * readable whatever new data uses. */
	assert_int_equal((unsigned char)plain.buf[0] & 0x0f, TEXTPACK_DICT_NONE);
	assert_int_equal((unsigned char)dict.buf[0] & 0x0f, TEXTPACK_DICT_NEWS1);
	sb_release(&plain);
	sb_release(&dict);
}

static void expect_reject(const char *data, size_t len)
{
	strbuf out = STRBUF_INIT;
	sb_addstr(&out, "keep");
	assert_int_equal(textpack_decompress(data, len, &out), -1);
	assert_int_equal(out.len, 4);
	assert_string_equal(out.buf, "keep");
	sb_release(&out);
}

static void test_truncated_rejected(void **state)
{
	(void)state;
	for (int dict = 0; dict <= 1; dict++) {
		strbuf p = STRBUF_INIT;
		assert_int_equal(textpack_compress_with(story, strlen(story),
		                 dict, 6, &p), 0);
		for (size_t cut = 0; cut < p.len; cut++)
			expect_reject(p.buf, cut);
		/* Trailing garbage is not a valid packed text either. */
		sb_addch(&p, 'z');
		expect_reject(p.buf, p.len);
		sb_release(&p);
	}
	expect_reject(NULL, 0);
}

static void test_corrupt_rejected(void **state)
{
	(void)state;
	strbuf p = STRBUF_INIT;
	assert_int_equal(textpack_compress(story, strlen(story), &p), 0);
	char *bad = xmalloc(p.len);
	/* Flip each byte in turn: the header checks, zlib's checks and the
	 * length check between them must catch every one. */
	for (size_t i = 0; i < p.len; i++) {
		memcpy(bad, p.buf, p.len);
		bad[i] ^= 0x5a;
		expect_reject(bad, p.len);
	}
	/* Unknown format version and unknown dictionary. */
	memcpy(bad, p.buf, p.len);
	bad[0] = (char)0x21;
	expect_reject(bad, p.len);
	bad[0] = (char)0x1f;
	expect_reject(bad, p.len);
	/* Data packed with the dictionary but labelled as without. */
	bad[0] = (char)0x10;
	expect_reject(bad, p.len);
	free(bad);
	sb_release(&p);
}

static void test_random_bytes_rejected(void **state)
{
	(void)state;
	char buf[512];
	for (int round = 0; round < 2000; round++) {
		size_t len = next_rand() % sizeof buf;
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)next_rand();
		if (len > 0 && round % 2)
			buf[0] = (char)0x11; /* get past the header byte */
		strbuf out = STRBUF_INIT;
		int rc = textpack_decompress(buf, len, &out);
		assert_true(rc == 0 || rc == -1);
		if (rc == -1)
			assert_int_equal(out.len, 0);
		sb_release(&out);
	}
}

/* A header claiming 1 TB (or 500 MB from a few bytes) is refused before
 * anything is allocated for it. */
static void test_absurd_length_rejected(void **state)
{
	(void)state;
	strbuf p = STRBUF_INIT;
	assert_int_equal(textpack_compress_with("abc", 3, TEXTPACK_DICT_NONE, 6,
	                 &p), 0);
	/* Rebuild with a lying length: header byte, varint, same stream. */
	size_t stream_off = 2; /* 3 fits in one varint byte */
	const uint64_t claims[] = { 1ULL << 40, 500ULL << 20, 4, 2, UINT64_MAX };
	for (size_t c = 0; c < sizeof claims / sizeof *claims; c++) {
		strbuf lie = STRBUF_INIT;
		sb_addch(&lie, p.buf[0]);
		uint64_t v = claims[c];
		do {
			sb_addch(&lie, (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
			v >>= 7;
		} while (v);
		sb_add(&lie, p.buf + stream_off, p.len - stream_off);
		strbuf out = STRBUF_INIT;
		assert_int_equal(textpack_decompress(lie.buf, lie.len, &out), -1);
		if (claims[c] > 1000)
			assert_int_equal(out.cap, 0); /* nothing allocated */
		sb_release(&out);
		sb_release(&lie);
	}
	/* A varint that never ends. */
	char endless[16];
	endless[0] = p.buf[0];
	memset(endless + 1, 0xff, sizeof endless - 1);
	expect_reject(endless, sizeof endless);
	sb_release(&p);
}

/* Each thread keeps its own deflate stream: two threads packing at once
 * must not mix their output. */
static void *pack_many(void *arg)
{
	const char *text = arg;
	size_t len = strlen(text);
	for (int i = 0; i < 300; i++) {
		strbuf p = STRBUF_INIT, back = STRBUF_INIT;
		if (textpack_compress(text, len, &p) != 0 ||
		    textpack_decompress(p.buf, p.len, &back) != 0 ||
		    back.len != len || memcmp(back.buf, text, len) != 0)
			return (void *)1;
		sb_release(&p);
		sb_release(&back);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t a, b;
	void *ra, *rb;
	const char *other = "Los Angeles council expands legal aid for "
	                    "immigrants facing removal after federal arrests.";
	assert_int_equal(pthread_create(&a, NULL, pack_many, (void *)story), 0);
	assert_int_equal(pthread_create(&b, NULL, pack_many, (void *)other), 0);
	assert_int_equal(pthread_join(a, &ra), 0);
	assert_int_equal(pthread_join(b, &rb), 0);
	assert_null(ra);
	assert_null(rb);
}

/* Every prefix length of a text, with each dictionary: the first want
 * bytes come back exactly, after what out held, and the whole length is
 * reported. */
static void test_prefix_every_length(void **state)
{
	(void)state;
	size_t n = strlen(story);
	for (int dict = 0; dict <= 2; dict++) {
		strbuf p = STRBUF_INIT;
		assert_int_equal(textpack_compress_with(story, n, dict, 6, &p), 0);
		for (size_t want = 0; want <= n + 3; want++) {
			strbuf out = STRBUF_INIT;
			sb_addstr(&out, "keep");
			size_t full = 12345;
			assert_int_equal(textpack_decompress_prefix(p.buf, p.len, want,
			                                            &out, &full), 0);
			size_t got = want < n ? want : n;
			assert_int_equal(full, n);
			assert_int_equal(out.len, 4 + got);
			assert_memory_equal(out.buf, "keep", 4);
			if (got)
				assert_memory_equal(out.buf + 4, story, got);
			assert_int_equal(out.buf[out.len], '\0');
			sb_release(&out);
		}
		sb_release(&p);
	}
}

/* Large text and the default packer; an empty text; NULL full_len. */
static void test_prefix_large_and_empty(void **state)
{
	(void)state;
	size_t n = 300000;
	char *big = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + (next_rand() % 7 ? (int)(i % 26) : 0));
	strbuf p = STRBUF_INIT, out = STRBUF_INIT;
	assert_int_equal(textpack_compress(big, n, &p), 0);
	const size_t wants[] = { 1, 4095, 65536, 200001, n - 1, n, 2 * n };
	for (size_t k = 0; k < sizeof wants / sizeof *wants; k++) {
		sb_reset(&out);
		assert_int_equal(textpack_decompress_prefix(p.buf, p.len, wants[k],
		                                            &out, NULL), 0);
		size_t got = wants[k] < n ? wants[k] : n;
		assert_int_equal(out.len, got);
		assert_memory_equal(out.buf, big, got);
	}
	sb_reset(&p);
	sb_reset(&out);
	size_t full = 7;
	assert_int_equal(textpack_compress("", 0, &p), 0);
	assert_int_equal(textpack_decompress_prefix(p.buf, p.len, 10, &out,
	                                            &full), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(full, 0);
	free(big);
	sb_release(&p);
	sb_release(&out);
}

/* Bad input: cut short, flipped bytes, random bytes, NULL. A prefix may
 * read fine from a stream damaged after it, but never crashes, never
 * appends on failure, and never appends more than asked. */
static void test_prefix_bad_input(void **state)
{
	(void)state;
	size_t n = strlen(story);
	strbuf p = STRBUF_INIT;
	assert_int_equal(textpack_compress(story, n, &p), 0);
	strbuf out = STRBUF_INIT;
	assert_int_equal(textpack_decompress_prefix(NULL, 0, 10, &out, NULL), -1);
	/* the whole text from a stream cut short: refused */
	for (size_t cut = 0; cut < p.len; cut++) {
		sb_reset(&out);
		assert_int_equal(textpack_decompress_prefix(p.buf, cut, n, &out,
		                                            NULL), -1);
		assert_int_equal(out.len, 0);
	}
	char *bad = xmalloc(p.len);
	for (size_t i = 0; i < p.len; i++) {
		memcpy(bad, p.buf, p.len);
		bad[i] ^= 0x5a;
		for (size_t want = 0; want <= n; want += n / 4) {
			sb_reset(&out);
			sb_addstr(&out, "keep");
			int rc = textpack_decompress_prefix(bad, p.len, want, &out, NULL);
			assert_true(rc == 0 || rc == -1);
			if (rc == -1)
				assert_string_equal(out.buf, "keep");
			else
				assert_true(out.len <= 4 + want);
		}
	}
	/* the header byte and the zlib header are checked: flips there are
	 * fatal (the length may grow and still give a prefix) */
	size_t vl = 1;
	for (size_t v = n; v >= 128; v >>= 7)
		vl++;
	const size_t fatal[] = { 0, 1 + vl, 2 + vl };
	for (size_t k = 0; k < 3; k++) {
		memcpy(bad, p.buf, p.len);
		bad[fatal[k]] ^= 0x5a;
		sb_reset(&out);
		assert_int_equal(textpack_decompress_prefix(bad, p.len, n, &out,
		                                            NULL), -1);
	}
	char buf[512];
	for (int round = 0; round < 2000; round++) {
		size_t len = next_rand() % sizeof buf;
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)next_rand();
		if (len > 0 && round % 2)
			buf[0] = (char)0x12;
		sb_reset(&out);
		int rc = textpack_decompress_prefix(buf, len, next_rand() % 1000,
		                                    &out, NULL);
		assert_true(rc == 0 || rc == -1);
		if (rc == -1)
			assert_int_equal(out.len, 0);
	}
	free(bad);
	sb_release(&p);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_small),
		cmocka_unit_test(test_round_trip_binary_and_large),
		cmocka_unit_test(test_dictionary_helps_news),
		cmocka_unit_test(test_truncated_rejected),
		cmocka_unit_test(test_corrupt_rejected),
		cmocka_unit_test(test_random_bytes_rejected),
		cmocka_unit_test(test_absurd_length_rejected),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_prefix_every_length),
		cmocka_unit_test(test_prefix_large_and_empty),
		cmocka_unit_test(test_prefix_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
