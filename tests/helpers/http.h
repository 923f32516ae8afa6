/* A minimal HTTP client for tests: one request to a loopback port, read to
 * the end with a deadline. Enough for lede serve and chromedriver's
 * WebDriver API; test-only code, no TLS, no redirects. */
#ifndef LEDE_TEST_HTTP_H
#define LEDE_TEST_HTTP_H

#include "../../common/strbuf.h"

/* method path on 127.0.0.1:port with "Connection: close", with body as
 * JSON when not NULL; the answer is read to the end of its Content-Length
 * (both servers send one, never chunks), or of the connection.
 * The answer's body is appended to out (bounded to 16 MiB), its headers
 * to headers when not NULL. Gives up after timeout_s seconds. Returns the
 * status code, or -1 when no answer came. */
int http_request(unsigned port, const char *method, const char *path,
                 const char *body, strbuf *out, strbuf *headers,
                 unsigned timeout_s);

/* Send the bytes of request as they are (any method, path, headers)
 * and read the answer as http_request does. */
int http_raw(unsigned port, const char *request, size_t len, strbuf *out,
             strbuf *headers, unsigned timeout_s);

/* A port that was free a moment ago (bound to 0, read back, closed), for
 * a server to be started on; 0 when none could be had. */
unsigned http_free_port(void);

#endif
