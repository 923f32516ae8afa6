/* Bounded buffered input for the readers: files, stdin and gzip streams all
 * come through zlib's gzread (plain files pass through unchanged). Nothing
 * here keeps more than one chunk plus what the caller's bound allows. */
#include "read_internal.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* LEDE_FIFO_TIMEOUT in seconds, default 60; 0 waits for ever. */
static int fifo_timeout_ms(void)
{
	const char *s = getenv("LEDE_FIFO_TIMEOUT");
	if (!s || !*s)
		return 60 * 1000;
	char *end;
	double v = strtod(s, &end);
	if (*end || !(v >= 0) || v > 86400)
		return 60 * 1000;
	return v == 0 ? -1 : v * 1000 < 1 ? 1 : (int)(v * 1000);
}

/* A FIFO named on the command line: opened without waiting for a writer
 * (a plain open would block until one came, perhaps for ever), then
 * given fifo_timeout_ms for its first bytes or its end. -1 with errno
 * ETIMEDOUT when nothing came. */
static int open_fifo(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct pollfd p = { fd, POLLIN, 0 };
	int n;
	while ((n = poll(&p, 1, fifo_timeout_ms())) < 0 && errno == EINTR)
		;
	if (n <= 0) {
		close(fd);
		errno = n == 0 ? ETIMEDOUT : errno;
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

int rd_src_open(rd_src *src, const char *path)
{
	memset(src, 0, sizeof *src);
	/* zlib closes the descriptor it is given: stdin gets a copy, so that
	 * it stays open for the caller */
	struct stat st;
	int fd = strcmp(path, "-") == 0 ? dup(0)
	         : stat(path, &st) == 0 && S_ISFIFO(st.st_mode) ? open_fifo(path)
	         : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	src->gz = gzdopen(fd, "rb");
	if (!src->gz) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	gzbuffer(src->gz, RD_CHUNK);
	src->buf = xmalloc(RD_CHUNK);
	return 0;
}

void rd_src_close(rd_src *src)
{
	if (src->gz)
		gzclose(src->gz);
	free(src->buf);
	memset(src, 0, sizeof *src);
}

/* zlib's message without the "<fd:N>: " it puts first for a descriptor
 * (the number differs from run to run; the reject names the file). */
static const char *gz_msg(const char *m, const char *fallback)
{
	if (!m || !*m)
		return fallback;
	if (strncmp(m, "<fd:", 4) == 0) {
		const char *c = strstr(m, ": ");
		if (c && c[2])
			return c + 2;
	}
	return m;
}

/* Read more after what is buffered; returns bytes added. */
static size_t src_fill(rd_src *src)
{
	if (src->eof || src->error)
		return 0;
	if (src->pos > 0) {
		memmove(src->buf, src->buf + src->pos, src->len - src->pos);
		src->len -= src->pos;
		src->pos = 0;
	}
	if (src->len >= RD_CHUNK)
		return 0;
	int n = gzread(src->gz, src->buf + src->len, (unsigned)(RD_CHUNK - src->len));
	if (n < 0) {
		int zerr = 0;
		const char *m = gzerror(src->gz, &zerr);
		src->error = 1;
		snprintf(src->errmsg, sizeof src->errmsg, "%s",
		         zerr == Z_ERRNO ? strerror(errno) : gz_msg(m, "read error"));
		return 0;
	}
	if (n == 0) {
		/* zlib reports a truncated stream only through gzerror */
		int zerr = 0;
		const char *m = gzerror(src->gz, &zerr);
		if (zerr == Z_BUF_ERROR) {
			src->error = 1;
			snprintf(src->errmsg, sizeof src->errmsg, "gzip: %s",
			         gz_msg(m, "unexpected end of file"));
		}
		src->eof = 1;
		return 0;
	}
	src->len += (size_t)n;
	return (size_t)n;
}

size_t rd_src_peek(rd_src *src, size_t n)
{
	if (n > RD_CHUNK)
		n = RD_CHUNK;
	while (src->len - src->pos < n && src_fill(src) > 0)
		;
	return src->len - src->pos;
}

int rd_src_getline(rd_src *src, strbuf *line, size_t max, int *overlong)
{
	sb_reset(line);
	*overlong = 0;
	int any = 0;
	for (;;) {
		if (src->pos == src->len && src_fill(src) == 0) {
			if (!any)
				return 0;
			break;
		}
		any = 1;
		unsigned char *p = src->buf + src->pos;
		size_t avail = src->len - src->pos;
		unsigned char *nl = memchr(p, '\n', avail);
		size_t take = nl ? (size_t)(nl - p) : avail;
		if (!*overlong) {
			if (line->len + take > max) {
				*overlong = 1;
				sb_release(line);
			} else {
				sb_add(line, p, take);
			}
		}
		src->pos += take + (nl ? 1 : 0);
		src->offset += take + (nl ? 1 : 0);
		if (nl)
			break;
	}
	src->line++;
	if (!*overlong && line->len && line->buf[line->len - 1] == '\r')
		sb_truncate(line, line->len - 1);
	return 1;
}

int rd_src_read_document(rd_ctx *rc, rd_src *src, strbuf *buf,
                         const char *what)
{
	/* libxml2 takes an int length */
	if (rd_src_read_all(src, buf, rc->max) != 0 || buf->len > INT32_MAX) {
		rd_reject(rc, 1, "%s longer than %zu bytes", what, rc->max);
		return -1;
	}
	if (src->error) {
		rd_reject(rc, 1, "read error: %s", src->errmsg);
		return -1;
	}
	if (!buf->len) {
		rd_reject(rc, 1, "empty file");
		return -1;
	}
	return 0;
}

int rd_src_read_all(rd_src *src, strbuf *out, size_t max)
{
	int over = 0;
	for (;;) {
		if (src->pos == src->len && src_fill(src) == 0)
			break;
		size_t avail = src->len - src->pos;
		if (!over && out->len + avail > max) {
			over = 1;
			sb_release(out);
		}
		if (!over)
			sb_add(out, src->buf + src->pos, avail);
		src->pos += avail;
		src->offset += avail;
	}
	return over ? -1 : 0;
}

size_t rd_src_read(rd_src *src, void *dst, size_t n)
{
	if (src->pos == src->len && src_fill(src) == 0)
		return 0;
	size_t avail = src->len - src->pos;
	if (n > avail)
		n = avail;
	memcpy(dst, src->buf + src->pos, n);
	src->pos += n;
	src->offset += n;
	return n;
}
