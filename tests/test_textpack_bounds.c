/* The bound on stored text, tested at the bound: a packed value may claim
 * at most 1 GiB (TP_MAX_LEN in corpus/textpack.c). A genuine 1 GiB value
 * is read; the same stream claiming one byte more is refused before
 * anything is allocated for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "../corpus/textpack.h"

#define GIB ((size_t)1 << 30)

/* A packed value (format 1, no preset dictionary) whose header claims
 * claim bytes and whose zlib stream holds GIB zero bytes, deflated a
 * chunk at a time: 1 GiB of text is never in memory. */
static void pack_zeros(strbuf *out, uint64_t claim)
{
	sb_addch(out, 0x10);
	for (uint64_t v = claim;; v >>= 7) {
		sb_addch(out, (int)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0)));
		if (v < 0x80)
			break;
	}
	static unsigned char zeros[1 << 20];
	unsigned char obuf[1 << 16];
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit(&z, 1), Z_OK);
	for (size_t fed = 0; fed < GIB; fed += sizeof zeros) {
		z.next_in = zeros;
		z.avail_in = sizeof zeros;
		int flush = fed + sizeof zeros >= GIB ? Z_FINISH : Z_NO_FLUSH;
		int rc;
		do {
			z.next_out = obuf;
			z.avail_out = sizeof obuf;
			rc = deflate(&z, flush);
			sb_add(out, obuf, sizeof obuf - z.avail_out);
		} while (z.avail_out == 0);
		assert_true(rc == (flush == Z_FINISH ? Z_STREAM_END : Z_OK));
	}
	deflateEnd(&z);
}

/* Deflating 1 GiB takes a second: done once, for both cases. 2^30 and
 * 2^30 + 1 have varints of the same length, so the second case rewrites
 * the claim in place. */
static int group_setup(void **state)
{
	strbuf *v = calloc(1, sizeof *v);
	pack_zeros(v, GIB);
	*state = v;
	return 0;
}

static int group_teardown(void **state)
{
	sb_release(*state);
	free(*state);
	return 0;
}

static void set_claim(strbuf *v, uint64_t claim)
{
	for (size_t i = 1; i <= 5; i++, claim >>= 7)
		v->buf[i] = (char)((claim & 0x7f) | (i < 5 ? 0x80 : 0));
}

static void claim_of_one_gib_is_read(void **state)
{
	strbuf *v = *state, out = STRBUF_INIT;
	set_claim(v, GIB);
	size_t full = 0;
	assert_int_equal(textpack_decompress_prefix(v->buf, v->len, 64, &out, &full),
	                 0);
	assert_int_equal(full, GIB);
	assert_int_equal(out.len, 64);
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(out.buf[i], 0);
	sb_release(&out);
}

static void claim_over_one_gib_is_refused(void **state)
{
	strbuf *v = *state, out = STRBUF_INIT;
	set_claim(v, (uint64_t)GIB + 1);
	size_t full = 0;
	assert_int_equal(textpack_decompress_prefix(v->buf, v->len, 64, &out, &full),
	                 -1);
	assert_int_equal(textpack_decompress(v->buf, v->len, &out), -1);
	/* refused on the header: nothing was allocated for the text */
	assert_int_equal(out.len, 0);
	assert_true(out.cap < 4096);
	sb_release(&out);
}

/* Packing refuses a text over the bound on its length alone, before
 * reading it. */
static void packing_over_one_gib_is_refused(void **state)
{
	(void)state;
	strbuf out = STRBUF_INIT;
	static const char text[16] = "x";
	assert_int_equal(textpack_compress(text, GIB + 1, &out), -1);
	assert_int_equal(out.len, 0);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(claim_of_one_gib_is_read),
		cmocka_unit_test(claim_over_one_gib_is_refused),
		cmocka_unit_test(packing_over_one_gib_is_refused),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
