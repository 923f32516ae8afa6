/* Packed article text: a one-byte header (format version and preset
 * dictionary id), the original length as a varint, then a zlib stream. The
 * length lets inflate allocate exactly once and lets us refuse absurd or
 * lying headers before allocating anything. */
#include "textpack.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../common/xalloc.h"

/* The preset dictionary of common news words and phrases (textpack_dict.c,
 * made by tools/make_textpack_dict.py). Never change a published dictionary:
 * add a new id instead, so that stored text stays readable. */
extern const unsigned char textpack_dict_v1[];
extern const size_t textpack_dict_v1_len;

#define TP_FORMAT 1          /* high nibble of the header byte */
#define TP_DICT_NONE TEXTPACK_DICT_NONE    /* low nibble: preset dictionary */
#define TP_DICT_NEWS1 TEXTPACK_DICT_NEWS1
#define TP_DICT_NEWS1_16K TEXTPACK_DICT_NEWS1_16K
/* New data is packed with the last 16 KiB of the news dictionary. Over
 * Reuters and BBC bodies (/tmp-style bench: textpack_compress_with on
 * every body): no dictionary 0.526 of the input at 38 us an article, the
 * whole 32 KiB one 0.417 at 113 us (deflateSetDictionary hashes every
 * byte of it, per article), its 16 KiB tail 0.434 at 52 us. Indexing runs
 * this on every article, so the tail wins. */
#define TP_DICT_WRITE TP_DICT_NEWS1_16K
#define TP_LEVEL 6           /* 9 gains under 1% on news text, costs more time */

/* Refuse to unpack more than this: no article is 1 GiB, and uInt (the
 * length type of one zlib call) is 32-bit. */
#define TP_MAX_LEN ((size_t)1 << 30)
/* Deflate cannot expand more than about 1032:1 (a 258-byte match costs at
 * least 2 bits); a header claiming more than that is lying. */
#define TP_MAX_RATIO 1032
#define TP_VARINT_MAX 10

static int dict_get(int id, const unsigned char **d, size_t *n)
{
	switch (id) {
	case TP_DICT_NONE:
		*d = NULL, *n = 0;
		return 0;
	case TP_DICT_NEWS1:
		*d = textpack_dict_v1, *n = textpack_dict_v1_len;
		return 0;
	case TP_DICT_NEWS1_16K:
		/* the best entries are last: the tail is the best small one */
		*n = textpack_dict_v1_len < 16384 ? textpack_dict_v1_len : 16384;
		*d = textpack_dict_v1 + textpack_dict_v1_len - *n;
		return 0;
	default:
		return -1;
	}
}

static void put_varint(strbuf *out, uint64_t v)
{
	unsigned char b[TP_VARINT_MAX];
	size_t n = 0;
	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	sb_add(out, b, n);
}

/* Returns the bytes read, 0 if the varint is truncated or too long. */
static size_t get_varint(const unsigned char *p, size_t len, uint64_t *v)
{
	*v = 0;
	for (size_t i = 0; i < len && i < TP_VARINT_MAX; i++) {
		uint64_t b = p[i] & 0x7f;
		if (i == 9 && (p[i] & 0xfe))
			return 0; /* would overflow 64 bits */
		*v |= b << (7 * i);
		if (!(p[i] & 0x80))
			return i + 1;
	}
	return 0;
}

/* Setting up a deflate stream (allocating and clearing about 256 KiB) costs
 * more than packing a short article, so each thread keeps one stream at the
 * default level and resets it between texts: about twice the throughput on
 * news bodies. The stream is freed when the thread exits. */
typedef struct tp_streams {
	z_stream def, inf;       /* deflate at TP_LEVEL; raw inflate */
	int def_ready, inf_ready;
} tp_streams;

static pthread_key_t tp_key;
static pthread_once_t tp_once = PTHREAD_ONCE_INIT;
static int tp_key_ok;

static void tp_streams_free(void *p)
{
	tp_streams *c = p;
	if (c->def_ready)
		deflateEnd(&c->def);
	if (c->inf_ready)
		inflateEnd(&c->inf);
	free(c);
}

static void tp_key_init(void)
{
	tp_key_ok = pthread_key_create(&tp_key, tp_streams_free) == 0;
}

/* The calling thread's streams (created on first use, freed when the
 * thread exits); NULL if none can be had. */
static tp_streams *tp_thread_streams(void)
{
	pthread_once(&tp_once, tp_key_init);
	if (!tp_key_ok)
		return NULL;
	tp_streams *c = pthread_getspecific(tp_key);
	if (!c) {
		c = xcalloc(1, sizeof *c);
		if (pthread_setspecific(tp_key, c) != 0) {
			free(c);
			return NULL;
		}
	}
	return c;
}

/* The calling thread's stream at TP_LEVEL, reset; NULL if none can be had
 * (the caller then makes a stream of its own). Owned by the thread. */
static z_stream *tp_cached_stream(void)
{
	tp_streams *c = tp_thread_streams();
	if (!c)
		return NULL;
	if (!c->def_ready) {
		if (deflateInit(&c->def, TP_LEVEL) != Z_OK)
			return NULL;
		c->def_ready = 1;
	} else if (deflateReset(&c->def) != Z_OK) {
		return NULL;
	}
	return &c->def;
}

static int pack(const char *text, size_t len, int dict_id, int level,
                strbuf *out)
{
	const unsigned char *dict;
	size_t dict_len;
	if (len > TP_MAX_LEN || level < 0 || level > 9 ||
	    dict_get(dict_id, &dict, &dict_len) < 0)
		return -1;
	z_stream own, *z = level == TP_LEVEL ? tp_cached_stream() : NULL;
	if (!z) {
		z = &own;
		memset(z, 0, sizeof *z);
		if (deflateInit(z, level) != Z_OK)
			return -1;
	}
	int rc = Z_OK;
	if (dict)
		rc = deflateSetDictionary(z, dict, (uInt)dict_len);
	size_t old_len = out->len;
	if (rc == Z_OK) {
		sb_addch(out, (char)(TP_FORMAT << 4 | dict_id));
		put_varint(out, len);
		size_t bound = deflateBound(z, (uLong)len);
		sb_grow(out, bound);
		z->next_in = (Bytef *)text;
		z->avail_in = (uInt)len;
		z->next_out = (Bytef *)out->buf + out->len;
		z->avail_out = (uInt)bound;
		rc = deflate(z, Z_FINISH);
	}
	if (rc == Z_STREAM_END) {
		out->len += z->total_out;
		out->buf[out->len] = '\0';
	} else {
		sb_truncate(out, old_len);
	}
	if (z == &own)
		deflateEnd(z);
	return rc == Z_STREAM_END ? 0 : -1;
}

int textpack_compress(const char *text, size_t len, strbuf *out)
{
	return pack(text, len, TP_DICT_WRITE, TP_LEVEL, out);
}

int textpack_compress_with(const char *text, size_t len, int dict_id,
                           int level, strbuf *out)
{
	return pack(text, len, dict_id, level, out);
}

/* The packed header: format and dictionary byte, then the original length
 * as a varint. Sets the dictionary, the original length, the header's
 * varint length hl and the zlib stream's length zlen; -1 for anything not
 * packed by this file, or a length no real article has or that the stream
 * cannot expand to. */
static int parse_header(const unsigned char *p, size_t len,
                        const unsigned char **dict, size_t *dict_len,
                        uint64_t *orig, size_t *hl, size_t *zlen)
{
	if (!p || len < 2 || p[0] >> 4 != TP_FORMAT ||
	    dict_get(p[0] & 0x0f, dict, dict_len) < 0)
		return -1;
	*hl = get_varint(p + 1, len - 1, orig);
	if (*hl == 0)
		return -1;
	*zlen = len - 1 - *hl;
	if (*zlen > UINT_MAX || *orig > TP_MAX_LEN ||
	    *orig > (uint64_t)*zlen * TP_MAX_RATIO)
		return -1;
	return 0;
}

/* Inflate data into out, at most want bytes of a text that claims orig
 * (want == orig: all of it, checked to end exactly there). */
static int unpack(const char *data, size_t len, size_t want, strbuf *out,
                  size_t *full_len)
{
	const unsigned char *p = (const unsigned char *)data;
	const unsigned char *dict;
	size_t dict_len, hl, zlen;
	uint64_t orig;
	if (parse_header(p, len, &dict, &dict_len, &orig, &hl, &zlen) != 0)
		return -1;
	int whole = want >= orig;
	if (whole)
		want = (size_t)orig;

	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return -1;
	size_t old_len = out->len;
	/* One spare byte: a stream that would give more than it claims
	 * fills it, and is refused. */
	sb_grow(out, want + 1);
	z.next_in = (Bytef *)p + 1 + hl;
	z.avail_in = (uInt)zlen;
	z.next_out = (Bytef *)out->buf + old_len;
	z.avail_out = (uInt)want + (uInt)whole;
	/* Z_FINISH when the whole text is wanted (one pass, no window
	 * copies); Z_SYNC_FLUSH for a prefix, which stops when the output
	 * space is full */
	int flush = whole ? Z_FINISH : Z_SYNC_FLUSH;
	int rc = (want + (size_t)whole) > 0 ? inflate(&z, flush) : Z_BUF_ERROR;
	if (rc == Z_NEED_DICT) {
		if (!dict || inflateSetDictionary(&z, dict, (uInt)dict_len) != Z_OK)
			goto fail;
		rc = inflate(&z, flush);
	}
	if (whole) {
		if (rc != Z_STREAM_END || z.total_out != orig || z.avail_in != 0)
			goto fail;
	} else if (want > 0 &&
	           (z.total_out != want || (rc != Z_OK && rc != Z_BUF_ERROR))) {
		goto fail;
	}
	inflateEnd(&z);
	out->len = old_len + want;
	out->buf[out->len] = '\0';
	if (full_len)
		*full_len = (size_t)orig;
	return 0;
fail:
	inflateEnd(&z);
	if (out->buf)
		out->buf[old_len] = '\0';
	return -1;
}

int textpack_decompress(const char *data, size_t len, strbuf *out)
{
	return unpack(data, len, (size_t)-1, out, NULL);
}

/* Reading a prefix for a snippet runs once per hit: the zlib wrapper is
 * parsed here and the deflate data inflated raw, on a stream kept per
 * thread. That skips, per call, the allocation of the inflate state and
 * window, and the two adler32 passes of zlib mode (over the 16 KiB preset
 * dictionary, to match its id, and over the output): the dictionary's id
 * is checked against one computed once, and the output against the
 * header's length. textpack_decompress (whole texts, `lede show`) keeps the
 * full zlib checks. */
static pthread_once_t dict_id_once = PTHREAD_ONCE_INIT;
static uLong dict_ids[3];

static void dict_ids_init(void)
{
	for (int id = 0; id < 3; id++) {
		const unsigned char *d;
		size_t n;
		dict_ids[id] = dict_get(id, &d, &n) == 0 && d
		               ? adler32(adler32(0, NULL, 0), d, (uInt)n) : 0;
	}
}

/* The calling thread's raw inflate stream, reset; NULL if none can be had.
 * Owned by the thread. */
static z_stream *tp_cached_inflater(void)
{
	tp_streams *c = tp_thread_streams();
	if (!c)
		return NULL;
	if (!c->inf_ready) {
		if (inflateInit2(&c->inf, -MAX_WBITS) != Z_OK)
			return NULL;
		c->inf_ready = 1;
	} else if (inflateReset(&c->inf) != Z_OK) {
		return NULL;
	}
	return &c->inf;
}

int textpack_decompress_prefix(const char *data, size_t len, size_t want,
                               strbuf *out, size_t *full_len)
{
	const unsigned char *p = (const unsigned char *)data;
	const unsigned char *dict;
	size_t dict_len, hl, zlen;
	uint64_t orig;
	if (parse_header(p, len, &dict, &dict_len, &orig, &hl, &zlen) != 0)
		return -1;
	z_stream *z = tp_cached_inflater();
	if (!z)   /* no per-thread stream: the checked whole-text path */
		return unpack(data, len, want, out, full_len);
	int whole = want >= orig;
	if (whole)
		want = (size_t)orig;
	/* the zlib header: deflate, a valid check, the dictionary id when
	 * one was preset (RFC 1950) */
	const unsigned char *zs = p + 1 + hl;
	if (zlen < 2 || (zs[0] & 0x0f) != Z_DEFLATED || (zs[0] >> 4) > 7 ||
	    ((unsigned)zs[0] << 8 | zs[1]) % 31 != 0)
		return -1;
	size_t skip = 2;
	if (zs[1] & 0x20) {
		if (!dict || zlen < 6)
			return -1;
		pthread_once(&dict_id_once, dict_ids_init);
		uLong id = (uLong)zs[2] << 24 | (uLong)zs[3] << 16 |
		           (uLong)zs[4] << 8 | zs[5];
		if (id != dict_ids[p[0] & 0x0f] ||
		    inflateSetDictionary(z, dict, (uInt)dict_len) != Z_OK)
			return -1;
		skip = 6;
	}
	size_t old_len = out->len;
	sb_grow(out, want + 1);
	z->next_in = (Bytef *)zs + skip;
	z->avail_in = (uInt)(zlen - skip);
	z->next_out = (Bytef *)out->buf + old_len;
	/* the whole text: one spare byte catches a stream that gives more
	 * than its header claims */
	z->avail_out = (uInt)want + (uInt)whole;
	int rc = z->avail_out ? inflate(z, whole ? Z_FINISH : Z_SYNC_FLUSH)
	                      : Z_BUF_ERROR;
	/* whole: the stream ends where the header said, followed by exactly
	 * its 4-byte adler32 trailer (present, not recomputed) */
	int ok = whole ? rc == Z_STREAM_END && z->total_out == orig &&
	                 z->avail_in == 4
	               : want == 0 || ((rc == Z_OK || rc == Z_BUF_ERROR ||
	                                rc == Z_STREAM_END) &&
	                               z->total_out == want);
	if (!ok) {
		if (out->buf)
			out->buf[old_len] = '\0';
		return -1;
	}
	out->len = old_len + want;
	out->buf[out->len] = '\0';
	if (full_len)
		*full_len = (size_t)orig;
	return 0;
}
