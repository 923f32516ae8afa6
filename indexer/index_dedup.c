/* Near-duplicate lookup by the pigeonhole principle: two 64-bit
 * fingerprints that differ in at most k bits differ in at most k/4 bits in
 * at least one of their four 16-bit blocks. Each block value indexes a
 * bucket; a lookup visits, for each block, the buckets of every value
 * within k/4 bits of fp's (697 buckets per block for k = 12), and compares
 * fp only with the fingerprints there. Memory grows with the number of
 * articles: 4 x 8 bytes each. */
#include "index_dedup.h"

#include <ctype.h>
#include <stdlib.h>

#include "../common/xalloc.h"

#define NBLOCKS 4
#define NBUCKETS 65536

/* The first fingerprint of a bucket is kept in the bucket itself: near
 * the end of a big run most buckets a lookup probes hold one, and this
 * saves a second cache miss on each (the rest follow in more[], in the
 * order they were added). */
typedef struct bucket {
	uint64_t first;
	uint32_t n;       /* fingerprints: first, then more[0..n-1) */
	uint32_t cap;     /* of more */
	uint64_t *more;
} bucket;

struct dedup_table {
	bucket *b[NBLOCKS];  /* NBUCKETS each, allocated on first use */
	/* Whether each bucket holds anything, 8 buckets a byte: a lookup
	 * probes 2,788 buckets, nearly all empty, and this map (32 KiB for
	 * the four blocks) stays in cache where the buckets would not. */
	uint8_t used[NBLOCKS][NBUCKETS / 8];
	size_t count;
};

static unsigned block_of(uint64_t fp, int i)
{
	return (unsigned)(fp >> (16 * i)) & 0xffff;
}

dedup_table *dedup_table_new(void) { return xcalloc(1, sizeof(dedup_table)); }

void dedup_table_free(dedup_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < NBLOCKS; i++) {
		if (!t->b[i])
			continue;
		for (size_t j = 0; j < NBUCKETS; j++)
			free(t->b[i][j].more);
		free(t->b[i]);
	}
	free(t);
}

void dedup_table_add(dedup_table *t, uint64_t fp)
{
	if (!fp)
		return;
	for (int i = 0; i < NBLOCKS; i++) {
		if (!t->b[i])
			t->b[i] = xcalloc(NBUCKETS, sizeof(bucket));
		unsigned v = block_of(fp, i);
		bucket *bk = &t->b[i][v];
		if (bk->n == 0) {
			bk->first = fp;
		} else {
			size_t cap = bk->cap;
			XGROW(bk->more, cap, (size_t)bk->n);
			bk->cap = (uint32_t)cap;
			bk->more[bk->n - 1] = fp;
		}
		bk->n++;
		t->used[i][v >> 3] |= (uint8_t)(1u << (v & 7));
	}
	t->count++;
}

/* Every 16-bit mask with at most r bits set (r <= 3), into masks. */
static size_t masks_within(int r, uint16_t *masks)
{
	size_t n = 0;
	masks[n++] = 0;
	for (int a = 0; r >= 1 && a < 16; a++) {
		masks[n++] = (uint16_t)(1u << a);
		for (int b = a + 1; r >= 2 && b < 16; b++) {
			masks[n++] = (uint16_t)((1u << a) | (1u << b));
			for (int c = b + 1; r >= 3 && c < 16; c++)
				masks[n++] = (uint16_t)((1u << a) | (1u << b) | (1u << c));
		}
	}
	return n;
}

uint64_t dedup_table_find(const dedup_table *t, uint64_t fp, int max_bits)
{
	if (!fp)
		return 0;
	int r = max_bits / NBLOCKS;
	if (r > 3)
		r = 3;  /* callers keep max_bits <= 15 (index_run.c) */
	uint16_t masks[1 + 16 + 120 + 560];
	size_t nmasks = masks_within(r, masks);
	uint64_t best = 0;
	int best_d = max_bits + 1;
	for (int i = 0; i < NBLOCKS; i++) {
		if (!t->b[i])
			continue;
		unsigned v = block_of(fp, i);
		for (size_t m = 0; m < nmasks; m++) {
			unsigned u = v ^ masks[m];
			if (!(t->used[i][u >> 3] & (1u << (u & 7))))
				continue;
			const bucket *bk = &t->b[i][u];
			int d = __builtin_popcountll(bk->first ^ fp);
			if (d < best_d) {
				best_d = d;
				best = bk->first;
			}
			for (size_t j = 0; j + 1 < bk->n; j++) {
				d = __builtin_popcountll(bk->more[j] ^ fp);
				if (d < best_d) {
					best_d = d;
					best = bk->more[j];
				}
			}
		}
	}
	return best;
}

size_t dedup_table_size(const dedup_table *t) { return t->count; }

#define MAX_SHINGLES 8192

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

size_t dedup_shingles(const char *text, size_t len, uint64_t **out)
{
	*out = NULL;
	uint64_t *v = NULL;
	size_t n = 0, cap = 0, words = 0;
	uint64_t w1 = 0, w2 = 0;  /* hashes of the two previous words */
	size_t i = 0;
	while (i < len && n < MAX_SHINGLES) {
		while (i < len && !isalnum((unsigned char)text[i]) &&
		       !((unsigned char)text[i] & 0x80))
			i++;
		if (i >= len)
			break;
		uint64_t h = 0xcbf29ce484222325ULL;
		while (i < len && (isalnum((unsigned char)text[i]) ||
		                   ((unsigned char)text[i] & 0x80))) {
			h ^= (unsigned char)tolower((unsigned char)text[i++]);
			h *= 0x100000001b3ULL;
		}
		words++;
		if (words >= 3) {
			XGROW(v, cap, n + 1);
			/* order matters: mix the three word hashes unevenly */
			v[n++] = (w1 * 0x9e3779b97f4a7c15ULL) ^ (w2 * 0xc2b2ae3d27d4eb4fULL)
			         ^ h;
		}
		w1 = w2;
		w2 = h;
	}
	if (words < DEDUP_MIN_WORDS) {
		free(v);
		return 0;
	}
	qsort(v, n, sizeof *v, cmp_u64);
	size_t k = 0;
	for (size_t j = 0; j < n; j++)
		if (k == 0 || v[k - 1] != v[j])
			v[k++] = v[j];
	*out = v;
	return k;
}

double dedup_resemblance(const uint64_t *a, size_t na, const uint64_t *b,
                         size_t nb)
{
	if (!na || !nb)
		return 0;
	size_t i = 0, j = 0, both = 0;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			both++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (double)both / (double)(na + nb - both);
}
