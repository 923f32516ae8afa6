/* Simhash fingerprints for near-duplicate folding: every run of three
 * consecutive words votes, equally, on each of 64 bits. One pass over the
 * text with a fixed amount of state; it allocates nothing. Votes are
 * counted eight bits at a time in byte counters (see spread_byte). */
#include "simhash.h"

/* A word byte: ASCII letter or digit, or any byte of a multibyte UTF-8
 * character (so "niño" and "José" stay one word; no Unicode tables here,
 * the fingerprint only needs to be stable, not linguistically right). */
static int is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

static uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* A 64-bit finaliser (xor-shift and multiply rounds): each input bit
 * reaches every output bit, so shingle hashes have independent bits. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 29;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 32;
	return x;
}

/* Bit b of v moved to the low bit of byte b, so that one addition
 * counts eight bits of a shingle at once. The seven low bits are copied
 * seven apart by one multiplication (the copies do not overlap, so no
 * carries) and masked; bit 7 is moved by itself. */
static inline uint64_t spread_byte(unsigned v)
{
	return (((uint64_t)(v & 0x7f) * 0x0002040810204081ULL) &
	        0x0101010101010101ULL) | ((uint64_t)(v >> 7) << 56);
}

/* Add the byte counters into the totals and clear them. */
static void flush_counts(uint64_t acc[8], uint64_t ones[64])
{
	for (int k = 0; k < 8; k++) {
		for (int b = 0; b < 8; b++)
			ones[8 * k + b] += (acc[k] >> (8 * b)) & 0xff;
		acc[k] = 0;
	}
}

uint64_t simhash_text(const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	/* Each bit's vote is (ones - zeros) = 2 * ones - shingles: counting
	 * the one bits is enough, and byte counters count eight at a time. */
	uint64_t ones[64] = { 0 };
	uint64_t acc[8] = { 0 };
	unsigned pending = 0;      /* shingles in acc, < 256 */
	uint64_t nshingles = 0;
	uint64_t w1 = 0, w2 = 0;   /* hashes of the two words before */
	size_t nwords = 0;
	size_t i = 0;
	if (!text)
		return 0;
	while (i < len) {
		while (i < len && !is_word_byte(t[i]))
			i++;
		if (i >= len)
			break;
		/* FNV-1a over the lowercased word. */
		uint64_t h = 0xcbf29ce484222325ULL;
		while (i < len && is_word_byte(t[i])) {
			unsigned char c = t[i++];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			h = (h ^ c) * 0x100000001b3ULL;
		}
		nwords++;
		if (nwords >= 3) {
			/* Rotations make the shingle ordered: "a b c" and
			 * "c b a" differ. */
			uint64_t s = mix64(w1 ^ rotl64(w2, 21) ^ rotl64(h, 42));
			for (int k = 0; k < 8; k++)
				acc[k] += spread_byte((unsigned)(s >> (8 * k)) & 0xff);
			nshingles++;
			if (++pending == 255) {
				flush_counts(acc, ones);
				pending = 0;
			}
		}
		w1 = w2;
		w2 = h;
	}
	if (nwords < 3)
		return 0;
	flush_counts(acc, ones);
	uint64_t fp = 0;
	for (int b = 0; b < 64; b++)
		if (2 * ones[b] > nshingles)
			fp |= 1ULL << b;
	return fp;
}

int simhash_distance(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}
