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

#endif
