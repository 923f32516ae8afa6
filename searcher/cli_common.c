/* Helpers shared by the subcommands of the command line. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "lede.h"

const char *cli_db_path(const char *given)
{
	if (given && *given)
		return given;
	const char *env = getenv("LEDE_DB");
	return env && *env ? env : "./lede.db";
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "lede %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see: lede help %s)\n", cmd);
	return EXIT_USAGE;
}

int cli_exit_for(int status)
{
	switch (status) {
	case LEDE_OK: return EXIT_RESULTS;
	case LEDE_EQUERY:
	case LEDE_EUSAGE: return EXIT_USAGE;
	case LEDE_ENOTFOUND: return EXIT_NONE;
	default: return EXIT_DB;
	}
}

long cli_parse_count(const char *s)
{
	char *end;
	if (!s || !*s)
		return -1;
	long v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 100000000)
		return -1;
	return v;
}
