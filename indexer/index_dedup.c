/* Near-duplicate lookup by the pigeonhole principle: two 64-bit
 * fingerprints that differ in at most k bits differ in at most k/4 bits in
 * at least one of their four 16-bit blocks. Each block value indexes a
 * bucket; a lookup visits, for each block, the buckets of every value
 * within k/4 bits of fp's (697 buckets per block for k = 12), and compares
 * fp only with the fingerprints there. Memory grows with the number of
 * articles: 4 x 8 bytes each. */
#include "index_dedup.h"

#include <stdlib.h>

#include "../common/xalloc.h"

#define NBLOCKS 4
#define NBUCKETS 65536

typedef struct bucket {
	uint64_t *v;
	size_t n, cap;
} bucket;

struct dedup_table {
	bucket *b[NBLOCKS];  /* NBUCKETS each, allocated on first use */
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
			free(t->b[i][j].v);
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
		bucket *bk = &t->b[i][block_of(fp, i)];
		XGROW(bk->v, bk->cap, bk->n + 1);
		bk->v[bk->n++] = fp;
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
			const bucket *bk = &t->b[i][v ^ masks[m]];
			for (size_t j = 0; j < bk->n; j++) {
				int d = __builtin_popcountll(bk->v[j] ^ fp);
				if (d < best_d) {
					best_d = d;
					best = bk->v[j];
				}
			}
		}
	}
	return best;
}

size_t dedup_table_size(const dedup_table *t) { return t->count; }
