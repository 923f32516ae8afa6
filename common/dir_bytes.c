/* dir_file_bytes: see dir_bytes.h. */
#include "dir_bytes.h"

#include <dirent.h>
#include <sys/stat.h>

#include "strbuf.h"

uint64_t dir_file_bytes(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return 0;
	uint64_t total = 0;
	struct dirent *e;
	strbuf p = STRBUF_INIT;
	while ((e = readdir(d)) != NULL) {
		sb_reset(&p);
		sb_addf(&p, "%s/%s", path, e->d_name);
		struct stat st;
		if (stat(p.buf, &st) == 0 && S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
	}
	sb_release(&p);
	closedir(d);
	return total;
}
