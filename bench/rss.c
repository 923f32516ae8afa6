/* Bench helper: run a command, then report its wall time, peak resident
 * memory (wait4's ru_maxrss, which covers the process and the children it
 * waited for) and CPU time (user + system, all its threads). Not part of
 * lede; it only measures.
 *
 *   rss OUTFILE CMD [ARG...]   -> OUTFILE: "wall_s maxrss_kb exit_code cpu_s"
 * The command's own stdout/stderr pass through; rss exits with its code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: rss OUTFILE CMD [ARG...]\n");
		return 2;
	}
	double t0 = now_seconds();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rss: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "rss: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "rss: wait4: %s\n", strerror(errno));
			return 2;
		}
	}
	double wall = now_seconds() - t0;
	/* A signal death is reported shell-style, 128 + signal. */
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	FILE *fp = fopen(argv[1], "w");
	if (!fp) {
		fprintf(stderr, "rss: cannot write %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	fprintf(fp, "%.3f %ld %d %.3f\n", wall, ru.ru_maxrss, code, cpu);
	fclose(fp);
	return code;
}
