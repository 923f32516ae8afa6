/* Fuzz harness: gzipped input (any reader behind zlib's gzread, through
 * corpus_read_path on a file named in.gz; see read_input.c for what is
 * checked). The first byte picks the case:
 *   even  the rest is the .gz file itself (damaged headers, bad CRCs)
 *   odd   the rest is a file's content: gzip it, then cut the .gz short
 *         at a length taken from the last two bytes (a download that
 *         stopped), so the readers see valid content then a read error */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!(data[0] & 1)) {
		fuzz_read_as(data + 1, size - 1, "in.gz");
		return 0;
	}
	z_stream z;
	memset(&z, 0, sizeof z);
	FUZZ_CHECK(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	                        Z_DEFAULT_STRATEGY) == Z_OK);
	size_t cap = deflateBound(&z, size) + 32;
	unsigned char *gz = malloc(cap);
	FUZZ_CHECK(gz != NULL);
	z.next_in = (unsigned char *)data + 1;
	z.avail_in = (uInt)(size - 1);
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
	size_t len = z.total_out;
	deflateEnd(&z);
	if (size >= 3) {
		size_t cut = ((size_t)data[size - 2] << 8 | data[size - 1]) % (len + 1);
		len = cut;
	}
	fuzz_read_as(gz, len, "in.gz");
	free(gz);
	return 0;
}
