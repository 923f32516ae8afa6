/* Leave-one-collection-out choice; see loo.h. */
#include "loo.h"

#include <math.h>

size_t loo_choose(const double *scores, size_t ncoll, size_t nset,
                  size_t *chosen)
{
	size_t unchosen = 0;
	for (size_t c = 0; c < ncoll; c++) {
		size_t best = nset;
		double best_mean = -INFINITY;
		for (size_t s = 0; s < nset; s++) {
			double sum = 0;
			size_t n = 0;
			int complete = 1;
			for (size_t o = 0; o < ncoll && complete; o++) {
				if (o == c)
					continue;
				double v = scores[o * nset + s];
				if (isnan(v))
					complete = 0;
				sum += v;
				n++;
			}
			if (!complete || n == 0)
				continue;
			double mean = sum / (double)n;
			if (mean > best_mean) {
				best_mean = mean;
				best = s;
			}
		}
		chosen[c] = best;
		unchosen += best == nset;
	}
	return unchosen;
}
