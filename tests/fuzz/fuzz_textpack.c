/* Fuzz harness: stored-text inflation (corpus/textpack.c) from a value
 * that was tampered with. The first byte picks the case:
 *   even  the rest is a stored value as found in a damaged index
 *   odd   the rest is a text: pack it, then damage the packed value at a
 *         position and with a byte taken from the input's last two bytes
 * Unpacking must either refuse (-1, nothing appended) or give exactly the
 * length the header claims; an untouched value must give the text back. */
#include "fuzz.h"
#include "../../corpus/textpack.h"

#include <string.h>

/* Unpack v whole and by prefix; the prefix must agree with the whole. */
static void unpack_both(const char *v, size_t n, size_t want)
{
	strbuf whole = STRBUF_INIT, pre = STRBUF_INIT;
	sb_addstr(&whole, "x");  /* a failure must leave what was there */
	int rc = textpack_decompress(v, n, &whole);
	if (rc != 0)
		FUZZ_CHECK(whole.len == 1);
	size_t full = 0;
	int rp = textpack_decompress_prefix(v, n, want, &pre, &full);
	if (rp != 0)
		FUZZ_CHECK(pre.len == 0);
	if (rc == 0 && rp == 0) {
		size_t text = whole.len - 1;
		FUZZ_CHECK(full == text);
		FUZZ_CHECK(pre.len == (want < text ? want : text));
		FUZZ_CHECK(memcmp(pre.buf ? pre.buf : "", whole.buf + 1, pre.len) == 0);
	}
	sb_release(&whole);
	sb_release(&pre);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *rest = (const char *)data + 1;
	size_t n = size - 1;
	if (!(data[0] & 1)) {
		unpack_both(rest, n, data[0] * (size_t)37);
		return 0;
	}
	strbuf packed = STRBUF_INIT, back = STRBUF_INIT;
	int dict = (data[0] >> 1) % 3;
	FUZZ_CHECK(textpack_compress_with(rest, n, dict, 1 + (data[0] >> 3) % 9,
	                                  &packed) == 0);
	FUZZ_CHECK(textpack_decompress(packed.buf, packed.len, &back) == 0);
	FUZZ_CHECK(back.len == n && memcmp(back.buf ? back.buf : "", rest, n) == 0);
	if (n >= 2 && packed.len) {
		size_t at = (((size_t)data[size - 2] << 8) | data[size - 1]) % packed.len;
		packed.buf[at] ^= (char)(data[size - 1] | 1);
		unpack_both(packed.buf, packed.len, n / 2);
	}
	sb_release(&packed);
	sb_release(&back);
	return 0;
}
