/* Helpers every writer of a lede database shares (indexer/index_db.c). */
#ifndef LEDE_INDEX_DB_H
#define LEDE_INDEX_DB_H

#include "../common/strbuf.h"
#include "../shim/lx.h"

/* fsync every file of a database directory, then the directory; 0 or -1. */
int index_sync_dir(const char *path);
/* An lx error code as an INDEXER_* code. */
int index_map_lx_error(int rc);
/* Opening path for writing failed with lx code rc: one line into err
 * (ours for a lock, naming the lock file), the INDEXER_* code returned. */
int index_open_failed(strbuf *err, const char *path, int rc);
/* A new (empty) database passes; an existing one must be of this lede's
 * format, else one line into err saying how to rebuild it. 0 or an
 * INDEXER_* code. */
int index_check_format(lx_wdb *db, const char *path, strbuf *err);

#endif
