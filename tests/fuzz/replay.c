/* Regression driver for a fuzz harness without libFuzzer: runs every seed
 * (tests/fuzz/seeds/NAME/) and every past crash input (tests/fuzz/crashes/
 * NAME/) through the harness's LLVMFuzzerTestOneInput, each in a child
 * process, so that one crash names its input and the others still run.
 * Built by `make test` with the normal compiler (and with the sanitizers
 * under SANITIZE=); NAME comes from -DFUZZ_NAME. Extra arguments: files or
 * directories to run instead (a new crash from `make fuzz`, say). */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef FUZZ_NAME
#error "build with -DFUZZ_NAME=\"harness\""
#endif

typedef struct tally {
	unsigned passed, failed;
} tally;

/* Read path whole; NULL on error (the caller counts it as a failure). */
static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + len, 1, cap - len, f)) > 0) {
		len += k;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	*n = len;
	return buf;
}

static void run_one(const char *path, tally *t)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		size_t n = 0;
		uint8_t *data = slurp(path, &n);
		if (!data)
			_exit(3);
		LLVMFuzzerTestOneInput(data, n);
		free(data);
		exit(0);  /* atexit: the harness's cleanup, then leak checks */
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		perror("replay: fork");
		st = 1 << 8;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		t->passed++;
		return;
	}
	t->failed++;
	if (WIFSIGNALED(st))
		printf("[  FAILED  ] %s (signal %d)\n", path, WTERMSIG(st));
	else
		printf("[  FAILED  ] %s (exit %d)\n", path, WEXITSTATUS(st));
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int visible(const struct dirent *d)
{
	return d->d_name[0] != '.' && strcmp(d->d_name, "README") != 0;
}

/* A file, or every file of a directory (not recursive). Returns how many
 * inputs it ran. */
static unsigned run_path(const char *path, tally *t)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		run_one(path, t);
		return 1;
	}
	struct dirent **list;
	int n = scandir(path, &list, visible, by_name);
	unsigned ran = 0;
	for (int i = 0; i < n; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", path, list[i]->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			run_one(p, t);
			ran++;
		}
		free(list[i]);
	}
	if (n > 0)
		free(list);
	return ran;
}

int main(int argc, char **argv)
{
	tally t = {0, 0};
	unsigned seeds = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			seeds += run_path(argv[i], &t);
	} else {
		const char *src = getenv("LEDE_SRC");
		char p[4096];
		snprintf(p, sizeof p, "%s/tests/fuzz/seeds/%s", src ? src : ".",
		         FUZZ_NAME);
		seeds = run_path(p, &t);
		if (seeds == 0) {
			printf("[  FAILED  ] no seeds in %s\n", p);
			t.failed++;
		}
		snprintf(p, sizeof p, "%s/tests/fuzz/crashes/%s", src ? src : ".",
		         FUZZ_NAME);
		run_path(p, &t);
	}
	printf("fuzz_%s replay: %u passed, %u failed\n", FUZZ_NAME, t.passed,
	       t.failed);
	return t.failed ? 1 : 0;
}
