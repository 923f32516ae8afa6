/* Allocation that cannot fail: on out-of-memory lede prints one line and
 * aborts, as git does, rather than threading ENOMEM through every parser.
 * Every pointer returned is owned by the caller (free() it). */
#ifndef LEDE_XALLOC_H
#define LEDE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *v (element size elem) so that it holds at least need elements;
 * *cap is updated. May move *v. */
void xgrow_array(void **v, size_t *cap, size_t need, size_t elem);
_Noreturn void xalloc_die(const char *what);

#define XGROW(arr, cap, need) \
	xgrow_array((void **)&(arr), &(cap), (need), sizeof *(arr))

#endif
