/* Fuzz harness: the query language parser (searcher/query_parse.c). Any
 * bytes either parse to a tree that can be dumped and highlighted, or fail
 * with one printable line that names a column inside the query. */
#include "fuzz.h"
#include "../../common/escape.h"
#include "../../searcher/query_ast.h"

#include <stdlib.h>
#include <string.h>

static analyzer *an;

static void free_analyzer(void)
{
	analyzer_free(an);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!an) {
		an = analyzer_new();
		atexit(free_analyzer);
	}
	/* the first byte's low bit picks --all, as a user may */
	query_parse_opts o = QUERY_PARSE_OPTS_INIT;
	o.default_and = size && (data[0] & 1);
	q_node *root = NULL;
	strbuf err = STRBUF_INIT;
	int rc = query_parse(an, (const char *)data, size, &o, &root, &err);
	if (rc == 0) {
		FUZZ_CHECK(root != NULL);
		FUZZ_CHECK(err.len == 0);
		strbuf dump = STRBUF_INIT;
		q_node_dump(root, &dump);
		FUZZ_CHECK(dump.len > 0);
		sb_release(&dump);
		q_highlights h = Q_HIGHLIGHTS_INIT;
		q_collect_highlights(root, &h);
		for (size_t i = 0; i < h.n; i++)
			FUZZ_CHECK(h.v[i].nterms > 0);
		q_highlights_release(&h);
		q_node_free(root);
	} else {
		FUZZ_CHECK(rc == -1 && root == NULL);
		FUZZ_CHECK(strncmp(sb_cstr(&err), "column ", 7) == 0);
		FUZZ_CHECK(esc_is_one_line(err.buf, err.len));
		/* a column is a character position, at most one past the end */
		unsigned long col = strtoul(err.buf + 7, NULL, 10);
		FUZZ_CHECK(col >= 1 && col <= size + 1);
	}
	sb_release(&err);
	return 0;
}
