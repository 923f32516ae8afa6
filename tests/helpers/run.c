/* Running programs from tests: fork/exec with stdout and stderr read through
 * pipes into bounded buffers, optional stdin fed from memory, peak RSS from
 * wait4, and temporary directories. Used by every end-to-end suite; it must
 * not depend on any lede module beyond strbuf. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 300

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

const char *run_src_dir(void)
{
	const char *s = getenv("LEDE_SRC");
	return s && *s ? s : ".";
}

const char *run_lede_bin(void)
{
	static char path[PATH_MAX];
	if (path[0])
		return path;
	const char *b = getenv("LEDE_BIN");
	if (b && *b) {
		snprintf(path, sizeof path, "%s", b);
	} else {
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s/build/lede", run_src_dir());
		if (!realpath(rel, path))
			snprintf(path, sizeof path, "%s", rel);
	}
	return path;
}

static int exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* In the child: make fd be descriptor target, or die. */
static void child_dup(int fd, int target)
{
	if (fd != target && dup2(fd, target) < 0)
		_exit(126);
}

static void child_open_onto(const char *path, int flags, int target)
{
	int fd = open(path ? path : "/dev/null", flags, 0644);
	if (fd < 0)
		_exit(126);
	child_dup(fd, target);
	if (fd != target)
		close(fd);
}

/* Keep at most max bytes of a stream; read the rest and drop it. Returns 0
 * at end of stream, 1 otherwise. */
static int drain(int fd, strbuf *sb, size_t max)
{
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (n == 0)
		return 0;
	if (sb && sb->len < max) {
		size_t keep = (size_t)n;
		if (keep > max - sb->len)
			keep = max - sb->len;
		sb_add(sb, buf, keep);
	}
	return 1;
}

int run_program(const char *prog, char *const argv[], run_opts *o,
                strbuf *out, strbuf *err, int *exit_code)
{
	run_opts dflt = RUN_OPTS_INIT;
	if (!o)
		o = &dflt;
	o->max_rss_kb = 0;
	o->timed_out = 0;
	o->signal = 0;
	*exit_code = -1;
	/* a child that exits before reading its stdin must not kill us */
	signal(SIGPIPE, SIG_IGN);

	int po[2], pe[2], pi[2] = { -1, -1 };
	if (pipe2(po, O_CLOEXEC) != 0)
		return -1;
	if (o->stderr_tty) {
		/* pe[0] the terminal's master side, pe[1] its slave: opened
		 * here, before the fork, so the master never sees a hangup
		 * before the child has it */
		const char *pts = NULL;
		pe[0] = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		pe[1] = -1;
		if (pe[0] >= 0 && grantpt(pe[0]) == 0 && unlockpt(pe[0]) == 0 &&
		    (pts = ptsname(pe[0])) != NULL)
			pe[1] = open(pts, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (pe[1] < 0) {
			if (pe[0] >= 0)
				close(pe[0]);
			close(po[0]);
			close(po[1]);
			return -1;
		}
	} else if (pipe2(pe, O_CLOEXEC) != 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	if (o->stdin_data && pipe2(pi, O_CLOEXEC) != 0) {
		close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
		if (pi[0] >= 0) {
			close(pi[0]);
			close(pi[1]);
		}
		return -1;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (o->stdin_data)
			child_dup(pi[0], 0);
		else
			child_open_onto(o->stdin_path, O_RDONLY, 0);
		child_dup(po[1], 1);
		child_dup(pe[1], 2);
		for (const char *const *e = o->env; e && *e; e++)
			putenv((char *)*e);
		execv(prog, argv);
		dprintf(2, "cannot run %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	if (pi[0] >= 0)
		close(pi[0]);

	size_t max = o->max_output ? o->max_output : RUN_MAX_OUTPUT;
	double deadline = now_s() + (o->timeout_s ? o->timeout_s
	                                          : DEFAULT_TIMEOUT_S);
	int open_out = 1, open_err = 1;
	size_t fed = 0;
	int in_fd = pi[1];
	if (in_fd >= 0) {
		fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
		if (o->stdin_len == 0) {
			close(in_fd);
			in_fd = -1;
		}
	}
	while (open_out || open_err || in_fd >= 0) {
		struct pollfd p[3];
		int np = 0, io = -1, ie = -1, ii = -1;
		if (open_out) { p[np] = (struct pollfd){ po[0], POLLIN, 0 }; io = np++; }
		if (open_err) { p[np] = (struct pollfd){ pe[0], POLLIN, 0 }; ie = np++; }
		if (in_fd >= 0) { p[np] = (struct pollfd){ in_fd, POLLOUT, 0 }; ii = np++; }
		int r = poll(p, (nfds_t)np, 100);
		if (r < 0 && errno != EINTR)
			break;
		if (now_s() > deadline && !o->timed_out) {
			o->timed_out = 1;
			kill(pid, SIGKILL);
		}
		if (r <= 0)
			continue;
		if (io >= 0 && p[io].revents && !drain(po[0], out, max))
			open_out = 0;
		if (ie >= 0 && p[ie].revents && !drain(pe[0], err, max))
			open_err = 0;
		if (ii >= 0 && p[ii].revents) {
			ssize_t n = 0;
			if (p[ii].revents & POLLOUT)
				n = write(in_fd, o->stdin_data + fed, o->stdin_len - fed);
			if (n > 0)
				fed += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
			    (p[ii].revents & (POLLERR | POLLHUP)) ||
			    fed == o->stdin_len) {
				close(in_fd);
				in_fd = -1;
			}
		}
	}
	close(po[0]);
	close(pe[0]);
	if (in_fd >= 0)
		close(in_fd);
	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	o->max_rss_kb = ru.ru_maxrss;
	if (WIFSIGNALED(status))
		o->signal = WTERMSIG(status);
	*exit_code = exit_code_of(status);
	return o->timed_out ? -1 : 0;
}

/* argv for lede: the binary's path, then args; the array is malloc()ed,
 * its strings borrowed from args. The caller frees the array. */
static char **lede_argv(char *const args[])
{
	size_t n = 0;
	while (args[n])
		n++;
	char **v = calloc(n + 2, sizeof *v);
	if (!v)
		abort();
	v[0] = (char *)run_lede_bin();
	memcpy(v + 1, args, n * sizeof *v);
	return v;
}

int run_lede_opts(char *const args[], run_opts *o, strbuf *out, strbuf *err,
                  int *exit_code)
{
	char **v = lede_argv(args);
	int rc = run_program(run_lede_bin(), v, o, out, err, exit_code);
	free(v);
	return rc;
}

int run_lede(char *const args[], strbuf *out, strbuf *err, int *exit_code)
{
	return run_lede_opts(args, NULL, out, err, exit_code);
}

int run_lede_ok(char *const args[])
{
	strbuf err = STRBUF_INIT;
	int code = -1;
	int rc = run_lede(args, NULL, &err, &code) != 0 || code != 0 ? -1 : 0;
	if (rc)
		fprintf(stderr, "lede %s failed (%d): %s\n", args[0], code,
		        sb_cstr(&err));
	sb_release(&err);
	return rc;
}

pid_t run_lede_spawn(char *const args[], const char *stdin_path,
                     const char *out_path, const char *err_path)
{
	char **v = lede_argv(args);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		child_open_onto(out_path, O_WRONLY | O_CREAT | O_APPEND, 1);
		child_open_onto(err_path, O_WRONLY | O_CREAT | O_APPEND, 2);
		child_open_onto(stdin_path, O_RDONLY, 0);
		execv(v[0], v);
		dprintf(2, "cannot run %s: %s\n", v[0], strerror(errno));
		_exit(127);
	}
	free(v);
	return pid;
}

int run_wait(pid_t pid, int *exit_code, long *max_rss_kb)
{
	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	if (max_rss_kb)
		*max_rss_kb = ru.ru_maxrss;
	*exit_code = exit_code_of(status);
	return 0;
}

int run_open_fifo_writer(const char *fifo, pid_t pid, unsigned timeout_s)
{
	double deadline = now_s() + timeout_s;
	for (;;) {
		/* non-blocking: fails with ENXIO until the child opens it */
		int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
			return fd;
		}
		if (errno != ENXIO && errno != EINTR)
			return -1;
		/* died before opening it? (WNOWAIT: run_wait still reaps it) */
		siginfo_t si;
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pid)
			return -1;
		if (now_s() > deadline)
			return -1;
		sleep_ms(5);
	}
}

int run_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

char *run_mkdtemp(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	size_t n = strlen(tmp) + strlen(tag) + 32;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/lede-%s-XXXXXX", tmp, tag);
	if (!mkdtemp(p)) {
		fprintf(stderr, "mkdtemp %s: %s\n", p, strerror(errno));
		abort();
	}
	return p;
}

static int rm_one(const char *path, const struct stat *st, int type,
                  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) == 0 ? 0 : -1;
	return unlink(path) == 0 ? 0 : -1;
}

int run_rmtree(const char *path)
{
	if (!path)
		return 0;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *run_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int run_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	int rc = run_write_all(fd, data, len);
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

int run_read_file(const char *path, strbuf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		sb_add(out, buf, (size_t)n);
	}
	close(fd);
	return 0;
}

int run_copy_file(const char *src, const char *dst)
{
	strbuf sb = STRBUF_INIT;
	int rc = run_read_file(src, &sb);
	if (rc == 0)
		rc = run_write_file(dst, sb_cstr(&sb), sb.len);
	sb_release(&sb);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int run_find_corpora(char *out, size_t cap)
{
	const char *shared = getenv("LEDE_SHARED");
	if (shared && *shared) {
		snprintf(out, cap, "%s/corpora", shared);
		if (is_dir(out))
			return 1;
		snprintf(out, cap, "%s", shared);
		if (is_dir(out))
			return 1;
	}
	const char *src = getenv("LEDE_SRC");
	snprintf(out, cap, "%s/../shared/corpora", src && *src ? src : ".");
	return is_dir(out);
}
