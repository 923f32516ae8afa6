/* The size on disk of a database directory. */
#ifndef LEDE_DIR_BYTES_H
#define LEDE_DIR_BYTES_H

#include <stdint.h>

/* Bytes of the regular files directly in path (not recursive: a glass
 * database keeps its tables side by side); 0 when it cannot be read. */
uint64_t dir_file_bytes(const char *path);

#endif
