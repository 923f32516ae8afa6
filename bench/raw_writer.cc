// Bench helper: the fastest plain way to fill a Xapian database with what
// lede writes (stemmed terms with positions), as a ceiling for indexing
// speed. `prep` does the analysis once, untimed; `write` only adds the
// prepared documents and commits, on one thread. Not part of lede.
//
//   raw_writer prep CORPUS.jsonl OUT.terms   (records: id, title, text)
//   raw_writer write DBDIR IN.terms          -> stdout: "DOCS SECONDS"
//
// OUT.terms: "XRAWTRM1", then per document: u32 id length, id bytes, u32
// term count, and per term: u16 length, bytes, u32 wdf, u32 position count,
// positions (u32 each); native byte order (it never leaves this machine).
#include <xapian.h>
#include <jansson.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

namespace {

const char MAGIC[8] = { 'X', 'R', 'A', 'W', 'T', 'R', 'M', '1' };

void put_u32(std::string &out, uint32_t v)
{
	out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

std::string json_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? std::string(json_string_value(v), json_string_length(v))
				 : std::string();
}

// Analyse with Xapian's own TermGenerator, English stems only (STEM_ALL:
// unprefixed stems with positions, as lede indexes them), title then text.
int do_prep(const char *corpus, const char *outpath)
{
	FILE *in = std::fopen(corpus, "r");
	FILE *out = std::fopen(outpath, "wb");
	if (!in || !out) {
		std::fprintf(stderr, "raw_writer: cannot open %s or %s\n", corpus, outpath);
		if (in)
			std::fclose(in);
		if (out)
			std::fclose(out);
		return 1;
	}
	std::fwrite(MAGIC, 1, sizeof MAGIC, out);
	Xapian::TermGenerator tg;
	tg.set_stemmer(Xapian::Stem("english"));
	tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
	char *line = nullptr;
	size_t cap = 0;
	ssize_t n;
	long docs = 0;
	std::string rec;
	while ((n = getline(&line, &cap, in)) > 0) {
		json_error_t err;
		json_t *o = json_loadb(line, static_cast<size_t>(n), 0, &err);
		std::string id = json_str(o, "id");
		if (id.empty()) {
			json_decref(o);
			continue;
		}
		Xapian::Document doc;
		tg.set_document(doc);
		tg.index_text(json_str(o, "title"));
		tg.increase_termpos();
		tg.index_text(json_str(o, "text"));
		json_decref(o);
		rec.clear();
		put_u32(rec, static_cast<uint32_t>(id.size()));
		rec += id;
		put_u32(rec, static_cast<uint32_t>(doc.termlist_count()));
		for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
			std::string term = *t;
			uint16_t tl = static_cast<uint16_t>(term.size());
			rec.append(reinterpret_cast<const char *>(&tl), sizeof tl);
			rec += term;
			put_u32(rec, t.get_wdf());
			put_u32(rec, t.positionlist_count());
			for (Xapian::PositionIterator p = t.positionlist_begin();
			     p != t.positionlist_end(); ++p)
				put_u32(rec, *p);
		}
		std::fwrite(rec.data(), 1, rec.size(), out);
		docs++;
	}
	std::free(line);
	std::fclose(in);
	int bad = std::fclose(out) != 0;
	std::fprintf(stderr, "raw_writer: prepared %ld documents\n", docs);
	return bad;
}

double now_seconds()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Reads the mapped file; every read is bounds-checked so a truncated file
// stops the run instead of reading past the end.
struct reader {
	const char *p, *end;
	bool ok = true;
	uint32_t u32()
	{
		uint32_t v = 0;
		if (end - p < 4) {
			ok = false;
			return 0;
		}
		std::memcpy(&v, p, 4);
		p += 4;
		return v;
	}
	uint16_t u16()
	{
		uint16_t v = 0;
		if (end - p < 2) {
			ok = false;
			return 0;
		}
		std::memcpy(&v, p, 2);
		p += 2;
		return v;
	}
	std::string bytes(size_t n)
	{
		if (static_cast<size_t>(end - p) < n) {
			ok = false;
			return std::string();
		}
		std::string s(p, n);
		p += n;
		return s;
	}
};

int do_write(const char *dbdir, const char *inpath)
{
	int fd = open(inpath, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 8) {
		std::fprintf(stderr, "raw_writer: cannot read %s\n", inpath);
		if (fd >= 0)
			close(fd);
		return 1;
	}
	size_t size = static_cast<size_t>(st.st_size);
	void *map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED || std::memcmp(map, MAGIC, sizeof MAGIC)) {
		std::fprintf(stderr, "raw_writer: %s: not a terms file\n", inpath);
		return 1;
	}
	// The file was just written by prep, so it is in the page cache and
	// reading it costs little; the consumed part is dropped from the
	// mapping as we go so that peak RSS is Xapian's, not the file's.
	const char *base = static_cast<const char *>(map);
	reader r{ base + sizeof MAGIC, base + size };
	const size_t chunk = size_t(64) << 20;
	size_t dropped = 0;
	double t0 = now_seconds();
	Xapian::WritableDatabase db(dbdir, Xapian::DB_CREATE_OR_OVERWRITE);
	long docs = 0;
	while (r.ok && r.p < r.end) {
		std::string id = r.bytes(r.u32());
		uint32_t nterms = r.u32();
		Xapian::Document doc;
		for (uint32_t i = 0; i < nterms && r.ok; i++) {
			std::string term = r.bytes(r.u16());
			uint32_t wdf = r.u32(), npos = r.u32();
			if (npos == 0)
				doc.add_term(term, wdf);
			for (uint32_t k = 0; k < npos && r.ok; k++)
				doc.add_posting(term, r.u32());
		}
		if (!r.ok)
			break;
		doc.set_data(id);
		doc.add_boolean_term("Q" + id);
		db.add_document(doc);
		docs++;
		size_t done = static_cast<size_t>(r.p - base);
		if (done - dropped > chunk) {
			size_t upto = done & ~static_cast<size_t>(4095);
			madvise(const_cast<char *>(base) + dropped, upto - dropped, MADV_DONTNEED);
			dropped = upto;
		}
	}
	db.commit();
	double secs = now_seconds() - t0;
	munmap(map, size);
	if (!r.ok) {
		std::fprintf(stderr, "raw_writer: %s: truncated\n", inpath);
		return 1;
	}
	std::printf("%ld %.3f\n", docs, secs);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 4 || (std::strcmp(argv[1], "prep") && std::strcmp(argv[1], "write"))) {
		std::fprintf(stderr, "usage: raw_writer prep CORPUS.jsonl OUT.terms\n"
			     "       raw_writer write DBDIR IN.terms\n");
		return 2;
	}
	try {
		if (!std::strcmp(argv[1], "prep"))
			return do_prep(argv[2], argv[3]);
		return do_write(argv[2], argv[3]);
	} catch (const Xapian::Error &e) {
		std::fprintf(stderr, "raw_writer: %s\n", e.get_description().c_str());
		return 3;
	}
}
