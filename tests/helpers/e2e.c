/* Shared end-to-end test helpers; see e2e.h. */
#include "e2e.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

int setup_tmp(void **state)
{
	tmp *t = calloc(1, sizeof *t);
	t->dir = run_mkdtemp("e2e");
	t->db = run_path(t->dir, "db");
	*state = t;
	return 0;
}

int teardown_tmp(void **state)
{
	tmp *t = *state;
	run_rmtree(t->dir);
	free(t->dir);
	free(t->db);
	free(t);
	return 0;
}

void res_free(res *r)
{
	sb_release(&r->out);
	sb_release(&r->err);
}

static int lede_v(res *r, run_opts *o, va_list ap)
{
	char *args[40];
	int n = 0;
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL) {
		assert_true(n < 39);
		args[n++] = (char *)a;
	}
	args[n] = NULL;
	res_free(r);
	int rc = run_lede_opts(args, o, &r->out, &r->err, &r->code);
	if (rc != 0)
		fail_msg("lede %s did not finish (timed out or could not start)",
		         args[0]);
	return r->code;
}

int lede(res *r, ...)
{
	va_list ap;
	va_start(ap, r);
	int code = lede_v(r, NULL, ap);
	va_end(ap);
	return code;
}

int lede_o(res *r, run_opts *o, ...)
{
	va_list ap;
	va_start(ap, o);
	int code = lede_v(r, o, ap);
	va_end(ap);
	return code;
}

void expect_code(const res *r, int want)
{
	if (r->code != want)
		fail_msg("exit %d, expected %d; stderr: %s", r->code, want,
		         sb_cstr(&r->err));
}

int child_exited(pid_t pid)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       si.si_pid == pid;
}

void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void each_json_line(const char *s, void (*fn)(void *ctx, json_t *o),
                    void *ctx)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		json_error_t e;
		json_t *o = json_loadb(s, len, 0, &e);
		if (!o)
			fail_msg("not JSON: %.*s", (int)(len > 200 ? 200 : len), s);
		fn(ctx, o);
		json_decref(o);
		s += len + (nl != NULL);
	}
}
