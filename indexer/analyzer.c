/* The analyzer handle: what one thread needs to analyse text (stemmers,
 * their caches, scratch buffers). Everything else in the analyzer is
 * static and read-only, so two analyzers never share anything mutable. */
#include "analyzer_internal.h"

#include <stdlib.h>

#include "../common/xalloc.h"

analyzer *analyzer_new(void)
{
	analyzer *a = xcalloc(1, sizeof *a);
	a->ascii_fast = 1;
	a->stem_cache = 1;
	a->nseen = 0;
	return a;
}

void analyzer_free(analyzer *a)
{
	if (!a)
		return;
	stem_release_all(a);
	sb_release(&a->stem_out);
	free(a);
}

void analyzer_set_ascii_fastpath(analyzer *a, int on)
{
	a->ascii_fast = on != 0;
}

void analyzer_set_stem_cache(analyzer *a, int on)
{
	a->stem_cache = on != 0;
}
