/* What the end-to-end suites share on top of run.h: a fresh temporary
 * directory per test (cmocka setup/teardown), running lede into a result
 * with its exit code, and waiting on a background child. Test-only code;
 * it uses cmocka's assertions, so only suites include it. */
#ifndef LEDE_TEST_E2E_H
#define LEDE_TEST_E2E_H

#include <sys/types.h>

#include "../../common/strbuf.h"
#include "run.h"

typedef struct tmp {
	char *dir;  /* fresh temporary directory */
	char *db;   /* dir/db, not yet created */
} tmp;

/* cmocka setup and teardown: *state becomes a tmp (and is freed, its
 * directory removed). */
int setup_tmp(void **state);
int teardown_tmp(void **state);

typedef struct res {
	strbuf out, err;
	int code;
} res;

void res_free(res *r);
/* Run lede with the NULL-ended arguments into r (emptied first); returns
 * the exit code (128 + signal when one ended it). The run must start and
 * finish, else the test fails. lede_o: with run options. */
int lede(res *r, ...);
int lede_o(res *r, run_opts *o, ...);
/* Fail the test unless r exited with want, showing its stderr. */
void expect_code(const res *r, int want);

/* Each line of s (JSON Lines output) parsed, in turn: fn(ctx, object),
 * the object freed after. A line that is not JSON fails the test. */
struct json_t;
void each_json_line(const char *s, void (*fn)(void *ctx, struct json_t *o),
                    void *ctx);

/* Whether child pid has exited (without reaping it). */
int child_exited(pid_t pid);
/* Sleep ms milliseconds (a pause between polls, never a measure). */
void sleep_ms(long ms);

#endif
