/* Leave-one-collection-out choice of a default: for each collection, the
 * setting that a tuner who never saw it would pick, from the others. The
 * arithmetic of `make eval`'s leave-one-out table (bench/eval_main.c),
 * apart so that tests/test_metrics.c can check it by hand. */
#ifndef LEDE_LOO_H
#define LEDE_LOO_H

#include <stddef.h>

/* scores[c * nset + s] is setting s's figure on collection c; a NaN marks
 * a missing one. chosen[c] (ncoll entries, OUT) := the setting with the
 * best mean over every collection but c, among the settings known on all
 * of them; ties go to the lower index (list the shipped default first).
 * Returns the number of collections without a choice (then chosen[c] is
 * nset): none when each has one. */
size_t loo_choose(const double *scores, size_t ncoll, size_t nset,
                  size_t *chosen);

#endif
