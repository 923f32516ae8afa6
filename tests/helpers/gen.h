/* Made-up articles for end-to-end suites: as many as a test needs, each
 * with words of its own so that none is folded as a near-duplicate copy
 * of another. Test-only code. */
#ifndef LEDE_TEST_GEN_H
#define LEDE_TEST_GEN_H

#include "../../common/strbuf.h"

/* Articles first .. first+n-1 as JSON lines appended to out: id "w-N",
 * title "Raid number N", a date in March 2025 (day N % 28 + 1), a text
 * about a "raid" with about words made-up words drawn from N (half to
 * one and a half times words, about 7 bytes each; "raid" again after
 * every 50th in one article of three), and extra (may be NULL) at its
 * end. The same N always gives the same article. */
void gen_articles(strbuf *out, int first, int n, int words,
                  const char *extra);


#endif
