/* lede serve's assets (searcher/serve_assets/), compiled into the binary by
 * tools/embed.sh: a name is looked up exactly in this table, so no path is
 * ever resolved on disk, and nothing else can be served from /assets/. */
#include <string.h>

#include "serve.h"

struct serve_asset_file { const char *name; const unsigned char *data; size_t len; };
extern const struct serve_asset_file serve_asset_files[];

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "application/octet-stream";
}

const unsigned char *serve_asset(const char *name, size_t *len,
                                 const char **type)
{
	for (const struct serve_asset_file *f = serve_asset_files; f->name; f++)
		if (strcmp(f->name, name) == 0) {
			*len = f->len;
			*type = type_of(name);
			return f->data;
		}
	return NULL;
}
