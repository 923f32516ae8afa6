/* lede serve's HTTP server (serve_http.c, over libmicrohttpd). */
#ifndef LEDE_SERVE_HTTP_H
#define LEDE_SERVE_HTTP_H

#include "serve.h"

typedef struct serve_http serve_http;

typedef struct serve_http_opts {
	const char *bind;     /* an IPv4 or IPv6 address: "127.0.0.1" */
	unsigned port;        /* 0: any free port (serve_http_port says which) */
	unsigned threads;     /* worker threads, each with its own handle */
	serve_pool *pool;     /* borrowed; must outlive the server */
} serve_http_opts;

/* Listen and serve on worker threads until serve_http_stop. *out is the
 * caller's (serve_http_stop). On failure a status, a message appended to
 * err, and *out NULL. */
int serve_http_start(serve_http **out /* OUT */, const serve_http_opts *o,
                     strbuf *err);
/* The port listened on. */
unsigned serve_http_port(const serve_http *h);
/* Bound to a loopback address (and answering loopback Host names only). */
int serve_http_loopback(const serve_http *h);
/* Stop listening, finish the requests being answered, free h. NULL is a
 * no-op. */
void serve_http_stop(serve_http *h);

#endif
