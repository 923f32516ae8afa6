/* A growable byte buffer: the one way lede builds strings of unknown length.
 * Invariant: after any sb_* call that adds, buf is NUL-terminated and
 * len < cap; a zero-initialised strbuf (STRBUF_INIT) is empty and valid, and
 * sb_cstr() of it is "". Adding may move buf: never keep a pointer into it
 * across an add. Out of memory aborts (see xalloc.h). */
#ifndef LEDE_STRBUF_H
#define LEDE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strbuf {
	char *buf;   /* owned; NULL until the first add */
	size_t len;  /* bytes in use, not counting the terminating NUL */
	size_t cap;  /* bytes allocated */
} strbuf;

#define STRBUF_INIT { NULL, 0, 0 }

/* Make room for at least extra more bytes (plus the NUL). May move buf. */
void sb_grow(strbuf *sb, size_t extra);
void sb_add(strbuf *sb, const void *data, size_t n);
void sb_addstr(strbuf *sb, const char *s);
void sb_addch(strbuf *sb, int c);
void sb_addf(strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(strbuf *sb, const char *fmt, va_list ap);
/* Forget the contents, keep the allocation. */
void sb_reset(strbuf *sb);
/* Cut to len bytes (len <= sb->len). */
void sb_truncate(strbuf *sb, size_t len);
/* Free the allocation; sb is STRBUF_INIT again. */
void sb_release(strbuf *sb);
/* Hand the buffer over: the caller owns the returned string (never NULL,
 * free() it); sb is STRBUF_INIT again. */
char *sb_detach(strbuf *sb, size_t *len_out);
/* Borrowed view, "" when empty; valid until the next call that adds. */
static inline const char *sb_cstr(const strbuf *sb) { return sb->buf ? sb->buf : ""; }

#endif
