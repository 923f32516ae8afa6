/* Opening a lede database for writing: the lock message, the format
 * check, and syncing its files; shared by indexing, removal and
 * compaction. */
#include "index_db.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexer.h"
#include "index_schema.h"

/* fsync every file of a database directory, then the directory. */
int index_sync_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;  /* the lock file of a writer that just left */
		if (fsync(fd) != 0)
			rc = -1;
		close(fd);
	}
	if (fsync(dirfd(d)) != 0)
		rc = -1;
	closedir(d);
	return rc;
}

int index_map_lx_error(int rc)
{
	return rc == LX_ELOCKED ? INDEXER_ELOCKED : INDEXER_EDB;
}

/* The database could not be opened for writing: say why in one line.
 * Xapian's own lock message does not tell a user what holds it or where
 * the lock lives, so a locked database gets ours. */
int index_open_failed(strbuf *err, const char *path, int rc)
{
	struct stat st;
	if (rc != LX_ELOCKED && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		sb_addf(err, "%s: a stub database file (a list of shards) cannot "
		        "be written to; index into one of the databases it lists",
		        path);
	else if (rc == LX_ELOCKED)
		sb_addf(err, "%s: database is locked by another writer (Xapian "
		        "write lock %s/flintlock); wait for it to finish and "
		        "try again", path, path);
	else
		sb_addf(err, "%s: %s", path, lx_last_errmsg());
	return index_map_lx_error(rc);
}

/* Format compatibility: a new database gets our metadata; an existing one
 * must carry the same format. */
int index_check_format(lx_wdb *db, const char *path, strbuf *err)
{
	char *v = NULL;
	size_t n = 0;
	int rc = lx_wdb_get_metadata(db, META_FORMAT, &v, &n);
	if (rc != 0) {
		sb_addf(err, "%s: cannot read metadata: %s", path, lx_wdb_errmsg(db));
		return INDEXER_EDB;
	}
	uint64_t docs = 0;
	lx_wdb_doccount(db, &docs);
	int ok = n == 0 ? docs == 0 : strcmp(v, LEDE_INDEX_FORMAT) == 0;
	if (!ok)
		sb_addf(err, "%s: index format %s, this lede writes format %s; "
		        "rebuild it: rm -r %s && lede index -d %s PATH...",
		        path, n ? v : "(none: not a lede database)",
		        LEDE_INDEX_FORMAT, path, path);
	free(v);
	return ok ? 0 : INDEXER_EFORMAT;
}
