/* Test helpers for end-to-end suites: run the real `lede` binary (or any
 * program) with captured, bounded output; spawn it in the background; make
 * and remove temporary directories. Test-only code: it may abort on setup
 * failures, but never on what the program under test does. */
#ifndef LEDE_TEST_RUN_H
#define LEDE_TEST_RUN_H

#include <stddef.h>
#include <sys/types.h>

#include "../../common/strbuf.h"

/* Bytes of stdout (and of stderr) kept per run by default; the rest is
 * read and dropped, so a runaway child cannot grow the test's memory. */
#define RUN_MAX_OUTPUT (8u << 20)

typedef struct run_opts {
	const char *stdin_path;  /* file (or FIFO) opened as stdin; NULL and no
	                            stdin_data: /dev/null */
	const char *stdin_data;  /* fed through a pipe instead (may hold NULs) */
	size_t stdin_len;
	size_t max_output;       /* per stream; 0: RUN_MAX_OUTPUT */
	unsigned timeout_s;      /* kill the child after this; 0: 300 s. A
	                            safety net against hangs, not a measure */
	const char *const *env;  /* extra "NAME=value" entries, NULL-ended */
	int stderr_tty;          /* stderr is a pseudo-terminal (read back
	                            into err; the tty turns "\n" into "\r\n") */
	/* filled in: */
	long max_rss_kb;         /* the child's peak resident set (wait4) */
	int timed_out;
	int signal;              /* the signal that ended it, 0 if it exited */
} run_opts;

#define RUN_OPTS_INIT { NULL, NULL, 0, 0, 0, NULL, 0, 0, 0, 0 }

/* Absolute path of the lede binary under test: $LEDE_BIN, else
 * $LEDE_SRC/build/lede, else ./build/lede. Static storage. */
const char *run_lede_bin(void);
/* $LEDE_SRC or "."; static storage. */
const char *run_src_dir(void);

/* Run prog with argv (argv[0] included, NULL-ended), wait for it, and
 * append its stdout and stderr to out and err (either may be NULL to
 * discard). *exit_code gets the exit status, or 128 + signal number when
 * a signal ended it. Returns 0, or -1 when it could not be started or was
 * killed for running past the timeout. */
int run_program(const char *prog, char *const argv[], run_opts *o,
                strbuf *out, strbuf *err, int *exit_code);

/* Run the lede binary with args (the arguments after "lede", NULL-ended),
 * output as run_program. */
int run_lede(char *const args[], strbuf *out, strbuf *err, int *exit_code);
/* Run lede with args for a suite's setup: 0 when it exits 0, else -1
 * after printing its exit status and stderr. */
int run_lede_ok(char *const args[]);
/* The same with options (stdin, limits, RSS). */
int run_lede_opts(char *const args[], run_opts *o, strbuf *out, strbuf *err,
                  int *exit_code);

/* Start lede with args in the background, stdin from stdin_path (NULL:
 * /dev/null; opened by the child, so a FIFO does not block the caller),
 * stdout and stderr appended to the files out_path and err_path (NULL:
 * /dev/null). Returns the pid, or -1. */
pid_t run_lede_spawn(char *const args[], const char *stdin_path,
                     const char *out_path, const char *err_path);
/* Wait for a spawned child; *exit_code as run_program; OUT max_rss_kb
 * (may be NULL). Returns 0 or -1. */
int run_wait(pid_t pid, int *exit_code, long *max_rss_kb);

/* Open the write end of a FIFO whose reader is child pid, without hanging
 * if the child dies first or never opens it (gives up after timeout_s).
 * Returns a blocking descriptor, or -1. */
int run_open_fifo_writer(const char *fifo, pid_t pid, unsigned timeout_s);
/* Write all of buf to fd (retrying short writes); 0 or -1. */
int run_write_all(int fd, const void *buf, size_t len);

/* A new empty directory /tmp/lede-TAG-XXXXXX (or under $TMPDIR). Returns
 * it malloc()ed: the caller frees it (after run_rmtree). Aborts on
 * failure: a test cannot go on without it. */
char *run_mkdtemp(const char *tag);
/* Remove path and everything under it, never following symlinks; 0 or -1. */
int run_rmtree(const char *path);
/* dir + "/" + name, malloc()ed: the caller frees it. */
char *run_path(const char *dir, const char *name);
/* Write len bytes to the file path (created or truncated); 0 or -1. */
int run_write_file(const char *path, const void *data, size_t len);
/* Read a whole file into out (appended); 0 or -1. */
int run_read_file(const char *path, strbuf *out);
/* Copy the regular file src to dst; 0 or -1. */
int run_copy_file(const char *src, const char *dst);
/* The news corpora folder into out (cap bytes): $LEDE_SHARED/corpora,
 * $LEDE_SHARED itself, or $LEDE_SRC/../shared/corpora. 1 when it is a
 * directory, 0 when absent (suites that need it skip). */
int run_find_corpora(char *out, size_t cap);

#endif
