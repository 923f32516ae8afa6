/* A Xapian remote server for tests: xapian-tcpsrv serving one database on
 * a free loopback port, in a process group of its own. Test-only code. */
#ifndef LEDE_TEST_TCPSRV_H
#define LEDE_TEST_TCPSRV_H

#include <sys/types.h>

/* Start xapian-tcpsrv on db and wait (up to 5 s) until it accepts
 * connections. OUT *port. Returns the server's pid; 0 when xapian-tcpsrv
 * is not installed (the caller skips); -1 when it would not start. */
pid_t tcpsrv_start(const char *db, int *port);
/* Stop a server started by tcpsrv_start and reap it; pid <= 0 is a no-op. */
void tcpsrv_stop(pid_t pid);

#endif
