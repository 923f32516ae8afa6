/* Simhash fingerprints for near-duplicate folding: every run of three
 * consecutive words votes, equally, on each of 64 bits. One pass over the
 * text with a fixed amount of state; it allocates nothing. */
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

uint64_t simhash_text(const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	int64_t votes[64] = { 0 };  /* 64-bit: no overflow on any input */
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
			for (int b = 0; b < 64; b++)
				votes[b] += (int64_t)((s >> b) & 1) * 2 - 1;
		}
		w1 = w2;
		w2 = h;
	}
	if (nwords < 3)
		return 0;
	uint64_t fp = 0;
	for (int b = 0; b < 64; b++)
		if (votes[b] > 0)
			fp |= 1ULL << b;
	return fp;
}

int simhash_distance(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}
