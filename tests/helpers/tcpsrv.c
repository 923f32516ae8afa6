/* A Xapian remote server for tests; see tcpsrv.h. */
#include "tcpsrv.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The path of prog in $PATH into out; 1 when found. */
static int find_in_path(const char *prog, char *out, size_t outsz)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(out, outsz, "%.*s/%s", (int)n, path, prog);
		if (access(out, X_OK) == 0)
			return 1;
		path += n;
		path += *path == ':';
	}
	return 0;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	return a;
}

/* A port nobody listens on now (the kernel's pick), or -1. */
static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof a;
	int port = -1;
	if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(s);
	return port;
}

static int port_open(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return 0;
	struct sockaddr_in a = loopback(port);
	int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
	close(s);
	return ok;
}

pid_t tcpsrv_start(const char *db, int *port)
{
	char prog[512];
	if (!find_in_path("xapian-tcpsrv", prog, sizeof prog))
		return 0;
	*port = free_port();
	if (*port < 0)
		return -1;
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", *port);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* its own process group: on SIGTERM xapian-tcpsrv signals
		 * its whole group, which would otherwise include the test */
		setpgid(0, 0);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execl(prog, prog, "--interface", "127.0.0.1", "--port", portstr,
		      db, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		if (port_open(*port))
			return pid;
		struct timespec ts = { 0, 25 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	tcpsrv_stop(pid);
	return -1;
}

void tcpsrv_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}
