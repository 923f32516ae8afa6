/* Finding near-duplicates while indexing: every fingerprint of the
 * database in memory, indexed so that a lookup touches only candidates. */
#ifndef LEDE_INDEX_DEDUP_H
#define LEDE_INDEX_DEDUP_H

#include <stddef.h>
#include <stdint.h>

typedef struct dedup_table dedup_table;

/* Owned by the caller: dedup_table_free. */
dedup_table *dedup_table_new(void);
void dedup_table_free(dedup_table *t);
void dedup_table_add(dedup_table *t, uint64_t fp);
/* A stored fingerprint within max_bits of fp (the closest; ties: the first
 * added), or 0 when none. fp 0 never matches. */
uint64_t dedup_table_find(const dedup_table *t, uint64_t fp, int max_bits);
size_t dedup_table_size(const dedup_table *t);

/* Fingerprints only propose copies; the texts confirm them. A copy has at
 * least DEDUP_MIN_WORDS words (short templated briefs that differ in a
 * figure look alike but are different stories) and shares at least
 * DEDUP_MIN_RESEMBLANCE of its word 3-shingles with the original
 * (Jaccard). */
#define DEDUP_MIN_WORDS 50
#define DEDUP_MIN_RESEMBLANCE 0.5

/* The sorted, distinct 64-bit hashes of text's word 3-shingles (words are
 * runs of letters and digits, ASCII case folded), at most 8192. *out is
 * malloc'd, owned by the caller; returns the count (0 and *out NULL when
 * the text has fewer than DEDUP_MIN_WORDS words). */
size_t dedup_shingles(const char *text, size_t len, uint64_t **out);
/* Jaccard resemblance of two sorted distinct hash sets. */
double dedup_resemblance(const uint64_t *a, size_t na, const uint64_t *b,
                         size_t nb);

#endif
