/* The test HTTP client; see http.h. */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define HTTP_MAX_ANSWER (16u << 20)

static int connect_port(unsigned port, unsigned timeout_s)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = { (time_t)timeout_s, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	struct sockaddr_in a = { 0 };
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int http_raw(unsigned port, const char *request, size_t len, strbuf *out,
             strbuf *headers, unsigned timeout_s)
{
	int fd = connect_port(port, timeout_s);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, request + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	strbuf ans = STRBUF_INIT;
	char buf[65536];
	ssize_t n;
	/* to the end of the body its Content-Length gives (chromedriver does
	 * not always close the connection after it), else to the end */
	size_t want = (size_t)-1;
	while (ans.len < want && ans.len < HTTP_MAX_ANSWER &&
	       (n = read(fd, buf, sizeof buf)) > 0) {
		sb_add(&ans, buf, (size_t)n);
		const char *hend = strstr(sb_cstr(&ans), "\r\n\r\n");
		if (want == (size_t)-1 && hend) {
			const char *cl = strcasestr(sb_cstr(&ans), "\r\ncontent-length:");
			if (cl && cl < hend)
				want = (size_t)(hend + 4 - ans.buf) +
				       strtoul(cl + 17, NULL, 10);
		}
	}
	close(fd);
	int status = -1;
	const char *a = sb_cstr(&ans);
	const char *end = strstr(a, "\r\n\r\n");
	if (end && strncmp(a, "HTTP/1.", 7) == 0 && a[8] == ' ') {
		status = (a[9] - '0') * 100 + (a[10] - '0') * 10 + (a[11] - '0');
		if (headers)
			sb_add(headers, a, (size_t)(end - a));
		if (out)
			sb_add(out, end + 4, ans.len - (size_t)(end + 4 - a));
	}
	sb_release(&ans);
	return status;
}

int http_request(unsigned port, const char *method, const char *path,
                 const char *body, strbuf *out, strbuf *headers,
                 unsigned timeout_s)
{
	strbuf req = STRBUF_INIT;
	sb_addf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
	        "Connection: close\r\n", method, path, port);
	if (body)
		sb_addf(&req, "Content-Type: application/json\r\n"
		        "Content-Length: %zu\r\n", strlen(body));
	sb_addstr(&req, "\r\n");
	if (body)
		sb_addstr(&req, body);
	int status = http_raw(port, req.buf, req.len, out, headers, timeout_s);
	sb_release(&req);
	return status;
}

unsigned http_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 0;
	struct sockaddr_in a = { 0 };
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	unsigned port = 0;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}
