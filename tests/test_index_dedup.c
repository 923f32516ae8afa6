/* Tests of the near-duplicate table of index_dedup.c: it finds the closest
 * stored fingerprint within the distance, and on ties the same one as the
 * plain bucket scan it replaced (which one wins decides an article's copy
 * group, so it is part of the index's contents). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/xalloc.h"
#include "../indexer/index_dedup.h"

/* The reference: four tables of 65,536 growable buckets, each lookup
 * visiting, block by block, the buckets within max_bits / 4 bits (at
 * most 3) in the same mask
 * order as index_dedup.c, and keeping the first strictly closer one. */
typedef struct ref_bucket {
	uint64_t *v;
	size_t n, cap;
} ref_bucket;

typedef struct ref_table {
	ref_bucket *b[4];
} ref_table;

static void ref_add(ref_table *t, uint64_t fp)
{
	for (int i = 0; i < 4; i++) {
		if (!t->b[i])
			t->b[i] = xcalloc(65536, sizeof(ref_bucket));
		ref_bucket *bk = &t->b[i][(fp >> (16 * i)) & 0xffff];
		XGROW(bk->v, bk->cap, bk->n + 1);
		bk->v[bk->n++] = fp;
	}
}

static uint64_t ref_find(const ref_table *t, uint64_t fp, int max_bits)
{
	int r = max_bits / 4 > 3 ? 3 : max_bits / 4;
	uint16_t masks[697];
	size_t nm = 0;
	masks[nm++] = 0;
	for (int a = 0; r >= 1 && a < 16; a++) {
		masks[nm++] = (uint16_t)(1u << a);
		for (int b = a + 1; r >= 2 && b < 16; b++) {
			masks[nm++] = (uint16_t)((1u << a) | (1u << b));
			for (int c = b + 1; r >= 3 && c < 16; c++)
				masks[nm++] = (uint16_t)((1u << a) | (1u << b) | (1u << c));
		}
	}
	uint64_t best = 0;
	int best_d = max_bits + 1;
	for (int i = 0; i < 4 && t->b[i]; i++) {
		unsigned v = (unsigned)(fp >> (16 * i)) & 0xffff;
		for (size_t m = 0; m < nm; m++) {
			const ref_bucket *bk = &t->b[i][v ^ masks[m]];
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

static void ref_free(ref_table *t)
{
	for (int i = 0; i < 4; i++) {
		if (!t->b[i])
			continue;
		for (size_t j = 0; j < 65536; j++)
			free(t->b[i][j].v);
		free(t->b[i]);
	}
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* fp with k random bits flipped */
static uint64_t flip(uint64_t fp, int k, uint64_t *s)
{
	for (int i = 0; i < k; i++)
		fp ^= 1ULL << (next_rand(s) % 64);
	return fp;
}

static void test_near_and_far(void **state)
{
	(void)state;
	dedup_table *t = dedup_table_new();
	uint64_t fp = 0x0123456789abcdefULL;
	assert_int_equal(dedup_table_find(t, fp, 12), 0);
	dedup_table_add(t, fp);
	assert_int_equal(dedup_table_size(t), 1);
	assert_int_equal(dedup_table_find(t, fp, 12), fp);
	assert_int_equal(dedup_table_find(t, fp ^ 0xfff, 12), fp);     /* 12 */
	assert_int_equal(dedup_table_find(t, fp ^ 0x1fff, 12), 0);     /* 13 */
	/* spread over the blocks: 3 bits in each of four */
	uint64_t spread = 0x0007000700070007ULL;
	assert_int_equal(dedup_table_find(t, fp ^ spread, 12), fp);
	assert_int_equal(dedup_table_find(t, 0, 12), 0);  /* 0 never matches */
	dedup_table_add(t, 0);                           /* not stored */
	assert_int_equal(dedup_table_size(t), 1);
	/* the closer of two */
	uint64_t near = fp ^ 0x3;
	dedup_table_add(t, fp ^ 0xff);
	dedup_table_add(t, near);
	assert_int_equal(dedup_table_find(t, near ^ (1ULL << 40), 12), near);
	dedup_table_free(t);
}

static void test_same_as_reference(void **state)
{
	(void)state;
	/* Clusters of near fingerprints (many ties, long buckets: the same
	 * block value again and again) and random ones. */
	dedup_table *t = dedup_table_new();
	ref_table r = { { NULL } };
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	uint64_t centers[8];
	for (int c = 0; c < 8; c++)
		centers[c] = next_rand(&s);
	for (int i = 0; i < 6000; i++) {
		uint64_t fp;
		int kind = (int)(next_rand(&s) % 3);
		if (kind == 0)
			fp = next_rand(&s);
		else
			fp = flip(centers[next_rand(&s) % 8],
			          (int)(next_rand(&s) % 14), &s);
		uint64_t q = flip(fp, (int)(next_rand(&s) % 16), &s);
		for (int bits = 0; bits <= 15; bits += 3)
			assert_int_equal(dedup_table_find(t, q, bits),
			                 ref_find(&r, q, bits));
		dedup_table_add(t, fp);
		ref_add(&r, fp);
	}
	assert_true(dedup_table_size(t) > 5900);
	dedup_table_free(t);
	ref_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_near_and_far),
		cmocka_unit_test(test_same_as_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
