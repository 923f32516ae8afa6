/* Made-up articles for end-to-end suites; see gen.h. */
#include "gen.h"

#include <stdint.h>

/* A made-up word of three syllables, the next of a pseudo-random walk. */
static void add_word(strbuf *out, uint32_t *seed)
{
	static const char *const syl[] = { "ka", "lo", "mi", "ne", "pu", "ra",
	                                   "si", "to", "vu", "ze", "dor", "fen" };
	for (int k = 0; k < 3; k++) {
		*seed = *seed * 1103515245u + 12345u;
		sb_addstr(out, syl[(*seed >> 16) % 12]);
	}
}

static uint32_t seed_of(int n)
{
	return (uint32_t)n * 2654435761u + 7;
}

void gen_articles(strbuf *out, int first, int n, int words,
                  const char *extra)
{
	for (int i = first; i < first + n; i++) {
		uint32_t seed = seed_of(i);
		sb_addf(out, "{\"id\": \"w-%d\", \"title\": \"Raid number %d\", "
		        "\"date\": \"2025-03-%02d\", \"text\": \"Agents carried out "
		        "a raid at dawn. ", i, i, i % 28 + 1);
		/* lengths from half to one and a half times words, and the raid
		 * said again in some: rankings that weigh length and frequency
		 * differently (BM25, DPH) order them differently */
		int nw = words / 2 + (int)(seed % (uint32_t)(words + 1));
		for (int w = 0; w < nw; w++) {
			add_word(out, &seed);
			sb_addstr(out, w % 50 == 49 && i % 3 == 0 ? " raid " : " ");
		}
		sb_addf(out, "%s\"}\n", extra ? extra : "");
	}
}
