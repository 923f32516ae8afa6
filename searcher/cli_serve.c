/* `lede serve`: the options, the database handle pool and the server's
 * life: listen, print the address, wait for SIGINT or SIGTERM, stop. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lede.h"
#include "serve.h"
#include "serve_http.h"

int cli_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "threads", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbp = NULL;
	serve_http_opts o = { "127.0.0.1", 8080, 4, NULL };
	int c;
	long n;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:p:b:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dbp = optarg; break;
		case 'p':
			if ((n = cli_parse_count(optarg)) < 0 || n > 65535)
				return cli_usage_error("serve", "--port needs a number from "
				                       "0 (any free port) to 65535");
			o.port = (unsigned)n;
			break;
		case 'b': o.bind = optarg; break;
		case 't':
			if ((n = cli_parse_count(optarg)) < 1 || n > 64)
				return cli_usage_error("serve", "--threads needs a number "
				                       "from 1 to 64");
			o.threads = (unsigned)n;
			break;
		case 'h': cli_help("serve", stdout); return 0;
		default: return cli_usage_error("serve", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("serve", "unexpected argument '%s'",
		                       argv[optind]);
	const char *path = cli_db_path(dbp);
	/* a missing database is not fatal: the pages say so until it exists */
	lede_db *probe = NULL;
	if (lede_open(&probe, path) != LEDE_OK)
		fprintf(stderr, "lede serve: warning: %s (pages will say so until "
		        "it is indexed)\n", probe ? lede_errmsg(probe) : "out of memory");
	lede_close(probe);

	/* the workers inherit the mask: only this thread takes the signals */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

#if defined(__SANITIZE_ADDRESS__)
	/* The library forks to check term lists before it reads them
	 * (shim/lx.cc, check_in_child). GCC 12's AddressSanitizer does not
	 * hold its allocator's locks over a fork, as glibc's malloc and
	 * jemalloc do: a child forked while another worker thread was
	 * allocating waited on that lock forever, and its request with it.
	 * A sanitizer build answers on one worker. */
	if (o.threads > 1) {
		fprintf(stderr, "lede serve: built with AddressSanitizer: one "
		        "worker thread, not %u (its allocator does not survive a "
		        "fork from a threaded program)\n", o.threads);
		o.threads = 1;
	}
#endif
	o.pool = serve_pool_new(path, o.threads);
	serve_http *h;
	strbuf err = STRBUF_INIT;
	int rc = serve_http_start(&h, &o, &err);
	if (rc != LEDE_OK) {
		fprintf(stderr, "lede serve: %s\n", sb_cstr(&err));
		sb_release(&err);
		serve_pool_free(o.pool);
		return rc == LEDE_EUSAGE ? EXIT_USAGE : EXIT_DB;
	}
	sb_release(&err);
	int v6 = strchr(o.bind, ':') != NULL;
	printf("lede serve: http://%s%s%s:%u/ (database %s)\n", v6 ? "[" : "",
	       o.bind, v6 ? "]" : "", serve_http_port(h), path);
	fflush(stdout);
	if (!serve_http_loopback(h))
		fprintf(stderr, "lede serve: warning: %s is not a loopback address: "
		        "anyone who can reach it can read the archive\n", o.bind);
	int sig;
	sigwait(&stop, &sig);
	serve_http_stop(h);
	serve_pool_free(o.pool);
	return 0;
}
