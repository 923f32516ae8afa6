// Peer for `make eval`: Xapian's own indexing and query parsing with their
// defaults (TermGenerator/QueryParser, English stemmer, STEM_SOME, BM25), so
// lede is compared with what a plain Xapian application would get.
// Not part of lede: it shares no code with lede's indexer or searcher.
//
//   xapian_ref index DBDIR CORPUS.jsonl    (records: _id or id, title, text)
//   xapian_ref search DBDIR QUERIES.jsonl [K]   -> TREC run on stdout
//   xapian_ref latency DBDIR QUERIES.jsonl [K]  -> "qid<TAB>seconds<TAB>hits"
//     (for `make bench`: all queries once to warm up, then each timed
//     alone: parse, top K, and the K ids fetched; one process, one thread)
#include <xapian.h>
#include <jansson.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

namespace {

// A string member of a JSON object, "" when absent or not a string; numbers
// are accepted for ids. The returned string is a copy.
std::string json_field(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		return std::string(json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return std::to_string(json_integer_value(v));
	return std::string();
}

std::string record_id(json_t *obj)
{
	std::string id = json_field(obj, "_id");
	return id.empty() ? json_field(obj, "id") : id;
}

// Call fn(object, line number) for each JSON object line of path; lines
// that are not objects are reported and skipped. Returns 0 or -1.
template <typename Fn> int each_json_line(const char *path, Fn fn)
{
	FILE *fp = std::fopen(path, "r");
	if (!fp) {
		std::fprintf(stderr, "xapian_ref: cannot open %s\n", path);
		return -1;
	}
	char *line = nullptr;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	while ((n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		json_error_t jerr;
		json_t *obj = json_loadb(line, (size_t)n, 0, &jerr);
		if (!obj || !json_is_object(obj)) {
			if (n > 1)
				std::fprintf(stderr, "xapian_ref: %s:%ld: not a json object\n",
					     path, lineno);
			json_decref(obj);
			continue;
		}
		fn(obj, lineno);
		json_decref(obj);
	}
	std::free(line);
	std::fclose(fp);
	return 0;
}

int do_index(const char *dbdir, const char *corpus)
{
	Xapian::WritableDatabase db(dbdir, Xapian::DB_CREATE_OR_OVERWRITE);
	Xapian::TermGenerator tg;
	tg.set_stemmer(Xapian::Stem("english"));
	tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
	long count = 0;
	int rc = each_json_line(corpus, [&](json_t *obj, long lineno) {
		std::string id = record_id(obj);
		if (id.empty()) {
			std::fprintf(stderr, "xapian_ref: %s:%ld: record without id\n",
				     corpus, lineno);
			return;
		}
		Xapian::Document doc;
		tg.set_document(doc);
		// Title then body, a gap between them so phrases do not span.
		tg.index_text(json_field(obj, "title"));
		tg.increase_termpos();
		tg.index_text(json_field(obj, "text"));
		doc.set_data(id);
		std::string idterm = "Q" + id;
		doc.add_boolean_term(idterm);
		db.replace_document(idterm, doc);
		count++;
	});
	db.commit();
	std::fprintf(stderr, "xapian_ref: indexed %ld documents\n", count);
	return rc;
}

int do_search(const char *dbdir, const char *queries, unsigned k)
{
	Xapian::Database db(dbdir);
	Xapian::QueryParser qp;
	qp.set_stemmer(Xapian::Stem("english"));
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	qp.set_database(db);
	qp.set_default_op(Xapian::Query::OP_OR);
	Xapian::Enquire enquire(db);
	enquire.set_weighting_scheme(Xapian::BM25Weight());
	return each_json_line(queries, [&](json_t *obj, long lineno) {
		std::string qid = record_id(obj), text = json_field(obj, "text");
		if (qid.empty()) {
			std::fprintf(stderr, "xapian_ref: %s:%ld: query without id\n",
				     queries, lineno);
			return;
		}
		Xapian::Query query;
		try {
			query = qp.parse_query(text);
		} catch (const Xapian::QueryParserError &e) {
			// Default flags can reject odd text; plain terms cannot fail.
			std::fprintf(stderr, "xapian_ref: query %s: %s; retrying without flags\n",
				     qid.c_str(), e.get_msg().c_str());
			query = qp.parse_query(text, 0);
		}
		enquire.set_query(query);
		Xapian::MSet mset = enquire.get_mset(0, k);
		unsigned rank = 0;
		for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
			std::printf("%s Q0 %s %u %.6f xapian\n", qid.c_str(),
				    it.get_document().get_data().c_str(), ++rank,
				    it.get_weight());
	});
}

double now_seconds()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

int do_latency(const char *dbdir, const char *queries, unsigned k)
{
	std::vector<std::pair<std::string, std::string>> qs;
	int rc = each_json_line(queries, [&](json_t *obj, long) {
		qs.emplace_back(record_id(obj), json_field(obj, "text"));
	});
	if (rc)
		return rc;
	Xapian::Database db(dbdir);
	Xapian::QueryParser qp;
	qp.set_stemmer(Xapian::Stem("english"));
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	qp.set_database(db);
	qp.set_default_op(Xapian::Query::OP_OR);
	Xapian::Enquire enquire(db);
	enquire.set_weighting_scheme(Xapian::BM25Weight());
	// Returns the number of hits; the ids are read as a caller would.
	auto run = [&](const std::string &text) {
		Xapian::Query query;
		try {
			query = qp.parse_query(text);
		} catch (const Xapian::QueryParserError &) {
			query = qp.parse_query(text, 0);
		}
		enquire.set_query(query);
		Xapian::MSet mset = enquire.get_mset(0, k);
		size_t bytes = 0;
		for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
			bytes += it.get_document().get_data().size();
		return bytes ? mset.size() : 0;
	};
	for (const auto &q : qs)
		run(q.second);
	for (const auto &q : qs) {
		double t0 = now_seconds();
		unsigned hits = run(q.second);
		std::printf("%s\t%.9f\t%u\n", q.first.c_str(), now_seconds() - t0, hits);
	}
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 4 || (std::strcmp(argv[1], "index") && std::strcmp(argv[1], "search") &&
			 std::strcmp(argv[1], "latency"))) {
		std::fprintf(stderr, "usage: xapian_ref index DBDIR CORPUS.jsonl\n"
			     "       xapian_ref search DBDIR QUERIES.jsonl [K]\n"
			     "       xapian_ref latency DBDIR QUERIES.jsonl [K]\n");
		return 2;
	}
	try {
		if (!std::strcmp(argv[1], "index"))
			return do_index(argv[2], argv[3]) ? 1 : 0;
		unsigned k = argc > 4 ? (unsigned)std::strtoul(argv[4], nullptr, 10) : 1000;
		if (!std::strcmp(argv[1], "latency"))
			return do_latency(argv[2], argv[3], k ? k : 10) ? 1 : 0;
		return do_search(argv[2], argv[3], k ? k : 1000) ? 1 : 0;
	} catch (const Xapian::Error &e) {
		std::fprintf(stderr, "xapian_ref: %s\n", e.get_description().c_str());
		return 3;
	}
}
