/* `lede compact`: rewrite a database with full B-tree blocks. A bulk load
 * leaves its tables about half full; compacting roughly halves the size
 * on disk. The copy is built beside the database and swapped in with one
 * atomic rename, under the write lock, so no writer's batch is lost and
 * a reader sees either the old database or the new one. A lock of its own
 * (DB.compacting.lock) keeps a second compaction out until the first has
 * cleaned up: after the swap, Xapian's lock is on the old files. */
#include "indexer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/dir_bytes.h"
#include "../common/xalloc.h"
#include "../shim/lx.h"
#include "index_db.h"

/* Remove a database directory: its files, then itself (glass keeps no
 * subfolders; one would make this fail). 0 when it is gone or was never
 * there, else -1 with errno set. */
static int remove_db_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	return rmdir(path);
}

/* fsync the directory that holds path, so the rename itself is durable. */
static void sync_parent(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Test hook: with LEDE_TEST_COMPACT_PAUSE naming a FIFO, wait after the
 * swap, before the cleanup, until a writer has opened it and closed it
 * again. It widens the window in which a second compaction used to slip
 * in, so a test can hold it open without timing anything. */
static void test_pause(void)
{
	const char *fifo = getenv("LEDE_TEST_COMPACT_PAUSE");
	if (!fifo || !*fifo)
		return;
	int fd = open(fifo, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
	close(fd);
}

/* The compaction lock DB.compacting.lock, taken without waiting: fd, or
 * -1 with err set. flock dies with its holder, so a killed compaction
 * leaves the file, never the lock. */
static int compaction_lock(const char *db_path, strbuf *err)
{
	strbuf name = STRBUF_INIT;
	sb_addf(&name, "%s.compacting.lock", db_path);
	int fd = open(sb_cstr(&name), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		sb_addf(err, "%s: cannot open %s: %s", db_path, sb_cstr(&name),
		        strerror(errno));
	else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			sb_addf(err, "%s: another compaction is running (it holds "
			        "%s); try again when it is done", db_path,
			        sb_cstr(&name));
		else
			sb_addf(err, "%s: cannot lock %s: %s", db_path,
			        sb_cstr(&name), strerror(errno));
		close(fd);
		fd = -1;
	}
	sb_release(&name);
	return fd;
}

int indexer_compact(const char *db_path, strbuf *err)
{
	/* the write lock, held until the swap is done: a writer that came in
	 * between the copy and the swap would lose its batches. Taken first,
	 * so that a path with no database gets no lock file beside it. */
	lx_wdb *lock;
	int rc = lx_wdb_open(&lock, db_path, 0);
	if (rc != 0)
		return index_open_failed(err, db_path, rc);
	int cfd = compaction_lock(db_path, err);
	if (cfd < 0) {
		lx_wdb_close(lock);
		return INDEXER_ELOCKED;
	}
	rc = index_check_format(lock, db_path, err);
	strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "%s.compacting", db_path);
	const char *copy = sb_cstr(&tmp);
	/* a copy left by a compaction that was killed (a partial copy before
	 * its swap, the old files after it): only the holder of the
	 * compaction lock touches it, so it is no one's now */
	uint64_t left = rc == 0 ? dir_file_bytes(copy) : 0;
	if (rc == 0 && remove_db_dir(copy) != 0) {
		sb_addf(err, "%s: cannot remove the leftover %s: %s", db_path,
		        copy, strerror(errno));
		rc = INDEXER_EDB;
	} else if (rc == 0 && left) {
		sb_addf(err, "%s: removed %s (%.1f MB), left by a compaction that "
		        "was stopped", db_path, copy, (double)left / 1e6);
	}
	if (rc == 0 && lx_compact(db_path, copy) != 0) {
		sb_addf(err, "%s: compacting: %s", db_path, lx_last_errmsg());
		rc = INDEXER_EDB;
	}
	if (rc == 0 && index_sync_dir(copy) != 0) {
		sb_addf(err, "%s: syncing %s: %s", db_path, copy, strerror(errno));
		rc = INDEXER_EDB;
	}
	int swapped = 0, keep_copy = 0;
	if (rc == 0) {
		if (renameat2(AT_FDCWD, copy, AT_FDCWD, db_path,
		              RENAME_EXCHANGE) == 0) {
			swapped = 1;
			sync_parent(db_path);
		} else {
			sb_addf(err, "%s: cannot swap in the compacted copy (%s); it "
			        "is complete at %s: move it in place yourself while "
			        "nothing writes", db_path, strerror(errno), copy);
			keep_copy = 1;
			rc = INDEXER_EDB;
		}
	}
	if (swapped)
		test_pause();
	/* after the swap this handle holds the old files (now under the
	 * copy's name): closing it releases Xapian's lock, then they go,
	 * still under the compaction lock */
	int cr = lx_wdb_close(lock);
	if (rc == 0 && cr != 0) {
		sb_addf(err, "%s: %s", db_path, lx_last_errmsg());
		rc = index_map_lx_error(cr);
	}
	if (!keep_copy && remove_db_dir(copy) != 0 && swapped)
		sb_addf(err, "%s%s: the old files are left at %s (%s)",
		        err->len ? "; " : "", db_path, copy, strerror(errno));
	sb_release(&tmp);
	close(cfd);
	return rc;
}
