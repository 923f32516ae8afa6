/* Near-duplicate fingerprints: wire copy is republished with small edits, and
 * search folds such copies. A 64-bit simhash over word shingles. */
#ifndef LEDE_SIMHASH_H
#define LEDE_SIMHASH_H

#include <stddef.h>
#include <stdint.h>

/* Copies differ in at most this many bits. Chosen on real data (Reuters
 * pairs and edited BBC copies; the numbers are in tests/test_simhash.c):
 * up to 12 bits nearly all pairs are true near-duplicates, from 13 on
 * unrelated short stories start to come in. A changed headline, dateline,
 * a few words or a dropped last paragraph stay within it; a rewritten first
 * sentence of a short story is at the edge (11-16 bits). */
#define SIMHASH_NEAR_BITS 12

/* Fingerprint of a text (words lowercased ASCII-wise; shingles of 3 words).
 * 0 for a text with fewer than 3 words. */
uint64_t simhash_text(const char *text, size_t len);
/* Number of differing bits. */
int simhash_distance(uint64_t a, uint64_t b);

#endif
