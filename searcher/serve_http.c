/* lede serve over libmicrohttpd, the only file that knows it: the daemon
 * (a pool of worker threads, each request answered on the thread that
 * read it), the bounds MHD enforces before a handler runs (header memory,
 * connections, timeouts), and the headers every answer carries. What a
 * request gets is serve_route.c's business. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "serve_http.h"

struct serve_http {
	struct MHD_Daemon *d;
	serve_ctx ctx;
	unsigned port;
};

typedef struct arg_list {
	serve_arg v[SERVE_MAX_ARGS + 1];
	size_t n;
} arg_list;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
	arg_list *l = cls;
	if (l->n > SERVE_MAX_ARGS)
		return MHD_NO;        /* one over the bound is enough to refuse */
	l->v[l->n].name = key ? key : "";
	l->v[l->n].value = value ? value : "";
	l->n++;
	return MHD_YES;
}

static void add_headers(struct MHD_Response *r, const serve_response *res)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        res->type ? res->type : "text/plain");
	/* no inline script or style, nothing from elsewhere: an article that
	 * slipped past escaping still could not run code */
	MHD_add_response_header(r, "Content-Security-Policy",
	                        "default-src 'none'; script-src 'self'; "
	                        "style-src 'self'; img-src 'self' data:; "
	                        "connect-src 'self'; form-action 'self'; "
	                        "base-uri 'none'; frame-ancestors 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	                        res->cacheable ? "max-age=3600" : "no-store");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	const serve_http *h = cls;
	arg_list args = { .n = 0 };
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg,
	                          &args);
	const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                              MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                             MHD_HTTP_HEADER_TRANSFER_ENCODING);
	serve_request req = {
		.method = method, .path = url, .args = args.v, .nargs = args.n,
		.host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                    MHD_HTTP_HEADER_HOST),
		.has_body = (len && strcmp(len, "0") != 0) || te != NULL,
	};
	serve_response res = SERVE_RESPONSE_INIT;
	/* answered on the first call, before any body is read: a body is
	 * refused, never buffered */
	serve_handle(&h->ctx, &req, &res);
	struct MHD_Response *r;
	if (res.fixed) {
		r = MHD_create_response_from_buffer(res.fixed_len, (void *)res.fixed,
		                                    MHD_RESPMEM_PERSISTENT);
		sb_release(&res.body);
	} else {
		size_t n;
		char *body = sb_detach(&res.body, &n);
		r = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(body);
	}
	if (!r)
		return MHD_NO;
	add_headers(r, &res);
	enum MHD_Result ok = MHD_queue_response(conn, res.status ? res.status : 500, r);
	MHD_destroy_response(r);
	return ok;
}

static void on_error(void *cls, const char *fmt, va_list ap)
{
	fputs("lede serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int serve_http_start(serve_http **out, const serve_http_opts *o, strbuf *err)
{
	*out = NULL;
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	                 MHD_USE_ERROR_LOG;
	int loopback;
	if (inet_pton(AF_INET, o->bind, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)o->port);
		loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
	} else if (inet_pton(AF_INET6, o->bind, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)o->port);
		loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
		flags |= MHD_USE_IPv6;
	} else {
		sb_addf(err, "--bind takes an IPv4 or IPv6 address, not '%s'",
		        o->bind);
		return LEDE_EUSAGE;
	}
	serve_http *h = calloc(1, sizeof *h);
	if (!h)
		return LEDE_ENOMEM;
	h->ctx.pool = o->pool;
	h->ctx.loopback_only = loopback;
	h->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, h,
		MHD_OPTION_EXTERNAL_LOGGER, on_error, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)o->threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_MAX_HEADER,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
		MHD_OPTION_END);
	if (!h->d) {
		sb_addf(err, "cannot listen on %s port %u (in use, or not an "
		        "address of this machine)", o->bind, o->port);
		free(h);
		return LEDE_EIO;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : o->port;
	*out = h;
	return LEDE_OK;
}

unsigned serve_http_port(const serve_http *h)
{
	return h->port;
}

int serve_http_loopback(const serve_http *h)
{
	return h->ctx.loopback_only;
}

void serve_http_stop(serve_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
