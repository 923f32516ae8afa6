// lx: extern "C" over libxapian 1.4 (see lx.h for the contract). Each public
// function runs its Xapian work inside guard(), which turns every exception
// into an LX_E* code plus a message; C callbacks run only after that work.
// No lede policy lives here: no prefixes, slots or weights.
#include "lx.h"

#include <xapian.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <map>
#include <new>
#include <set>
#include <unordered_map>
#include <string>
#include <utility>
#include <vector>

namespace {

// Distinct byte strings, each stored once in an arena, with a count each.
// A facet query feeds it every matching passage, so it hashes the bytes in
// place instead of building a std::string per document, and an open-
// addressing table of indices replaces the node-per-entry std::unordered_map.
// A hash match is confirmed by comparing the bytes: different strings with
// equal hashes stay apart, so the counts are exact.
class ByteCounter {
  public:
	ByteCounter() : table_(64, 0) {}

	// Counts one more of p[0 .. n-1]; true when it was not seen before.
	bool add(const char *p, size_t n)
	{
		// a run of equal values (passages of one article, articles of
		// one source) skips the hash
		if (last_ != NONE && entries_[last_].len == n &&
		    std::memcmp(arena_.data() + entries_[last_].off, p, n) == 0) {
			entries_[last_].count++;
			return false;
		}
		uint64_t h = hash(p, n);
		size_t mask = table_.size() - 1;
		for (size_t i = h & mask;; i = (i + 1) & mask) {
			uint32_t e = table_[i];
			if (e == 0)
				break;
			entry &x = entries_[e - 1];
			if (x.hash == h && x.len == n &&
			    std::memcmp(arena_.data() + x.off, p, n) == 0) {
				x.count++;
				last_ = e - 1;
				return false;
			}
		}
		entries_.push_back(entry{h, arena_.size(), n, 1});
		arena_.append(p, n);
		last_ = entries_.size() - 1;
		// at most half full: probe chains stay short
		if (entries_.size() * 2 > table_.size())
			grow();
		else
			place(entries_.size() - 1);
		return true;
	}

	size_t size() const { return entries_.size(); }
	// The entry the latest add counted (0 .. size-1).
	size_t last() const { return last_; }
	std::string bytes(size_t i) const
	{
		return arena_.substr(entries_[i].off, entries_[i].len);
	}

	// The entries in ascending byte order (the order lx.h promises).
	std::vector<size_t> order() const
	{
		std::vector<size_t> o(entries_.size());
		for (size_t i = 0; i < o.size(); i++)
			o[i] = i;
		const char *a = arena_.data();
		std::sort(o.begin(), o.end(), [&](size_t x, size_t y) {
			const entry &ex = entries_[x], &ey = entries_[y];
			int c = std::memcmp(a + ex.off, a + ey.off,
			                    std::min(ex.len, ey.len));
			return c != 0 ? c < 0 : ex.len < ey.len;
		});
		return o;
	}

	// The strings and their counts in ascending byte order.
	std::vector<std::pair<std::string, uint64_t>> sorted() const
	{
		std::vector<std::pair<std::string, uint64_t>> out;
		out.reserve(entries_.size());
		for (size_t i : order())
			out.emplace_back(bytes(i), entries_[i].count);
		return out;
	}

  private:
	struct entry {
		uint64_t hash;
		size_t off, len; // the bytes: arena_[off .. off+len-1]
		uint64_t count;
	};
	static const size_t NONE = SIZE_MAX;

	// 8 bytes a step, then a final avalanche (the table takes the low
	// bits); the length goes in so "a" and "a\0" differ before the
	// byte comparison has to tell them apart.
	static uint64_t hash(const char *p, size_t n)
	{
		uint64_t h = 0x9e3779b97f4a7c15u ^ (n * 0xff51afd7ed558ccdu);
		size_t i = 0;
		for (; i + 8 <= n; i += 8) {
			uint64_t w;
			std::memcpy(&w, p + i, 8);
			h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
			h ^= h >> 31;
		}
		if (i < n) {
			uint64_t w = 0;
			std::memcpy(&w, p + i, n - i);
			h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
		}
		h ^= h >> 33;
		h *= 0xff51afd7ed558ccdu;
		h ^= h >> 33;
		return h;
	}

	void place(size_t idx)
	{
		size_t mask = table_.size() - 1;
		size_t i = entries_[idx].hash & mask;
		while (table_[i] != 0)
			i = (i + 1) & mask;
		table_[i] = (uint32_t)(idx + 1);
	}

	void grow()
	{
		table_.assign(table_.size() * 2, 0);
		for (size_t i = 0; i < entries_.size(); i++)
			place(i);
	}

	std::vector<entry> entries_;
	std::vector<uint32_t> table_; // entry index + 1; 0: free
	std::string arena_;
	size_t last_ = NONE;          // the entry counted last
};

} // namespace

// Every value of one slot, read once in a single pass over its value
// stream. Reading a slot per matching document costs a value-stream skip
// (a chunk scan or a B-tree lookup) each, which is most of a facet query;
// a long-lived handle that runs several facet queries reads the stream once
// and then counts by array index. Docids are those of the lx_db's shard
// list at the generation it was built for.
struct slot_cache {
	std::vector<uint32_t> ids;       // [docid]: 1 + value index; 0: none
	size_t nvalues = 0;              // distinct values
	std::vector<std::string> values; // them in ascending bytes, when sorted
};

struct lx_doc {
	Xapian::Document doc;
	std::string err;
};

struct lx_wdb {
	Xapian::WritableDatabase db;
	std::string err;
	bool in_tx = false;
};

struct lx_db {
	Xapian::Database db;
	std::string err;
	// Bumped whenever the shard list or revision may change, which
	// invalidates facet_cache and docids held by older enquires.
	uint64_t gen = 0;
	// Caches need one local shard: with several, the matcher's document
	// gives docids within its shard, which do not index a cache of the
	// combined database.
	unsigned shards = 0;
	bool remote = false;
	// per slot: values read one document at a time, for facet_cache_for
	std::map<uint32_t, uint64_t> facet_reads;
	// per slot; key_cache numbers the values without sorting them
	std::map<uint32_t, std::shared_ptr<const slot_cache>> facet_cache;
	std::map<uint32_t, std::shared_ptr<const slot_cache>> key_cache;
	// documents whose term lists passed check_termlists at this gen
	std::set<uint32_t> sound_lists;
	void invalidate()
	{
		gen++;
		sound_lists.clear();
		facet_reads.clear();
		facet_cache.clear();
		key_cache.clear();
	}
};

struct lx_termiter {
	Xapian::Database db; // keeps the shards alive while iterating
	Xapian::TermIterator it, end;
	std::string cur;
	bool started = false;
};

struct lx_query {
	Xapian::Query q;
};

struct lx_facet {
	uint32_t slot;
	uint64_t ndocs;
	std::vector<std::pair<std::string, uint64_t>> values; // ascending
};

struct lx_enquire {
	lx_db *db;
	Xapian::Enquire enq;
	Xapian::Query query;
	bool has_query = false;
	std::vector<uint32_t> facet_slots;
	uint32_t facet_key_slot = LX_NO_SLOT;
	std::string err;
	uint64_t db_gen; // the lx_db generation whose shard list enq copied
	// the key maker of a value sort that puts missing values last; enq
	// keeps a pointer to it
	std::unique_ptr<Xapian::MultiValueKeyMaker> sorter;
	lx_enquire(lx_db *d) : db(d), enq(d->db), db_gen(d->gen) {}
};

struct lx_mset {
	Xapian::MSet ms;
	// After lx_mset_reorder: hit i is ms[order[i]], weighing weights[i].
	// Empty: Xapian's own order and weights.
	std::vector<Xapian::doccount> order;
	std::vector<double> weights;
	Xapian::Query query; // for matching terms, independent of the enquire
	std::vector<lx_facet> facets;
	std::string err;
};

struct lx_eset {
	std::vector<std::pair<std::string, double>> terms;
};

namespace {

// (term, count) pairs gathered inside guard() and handed to C after it.
typedef std::vector<std::pair<std::string, uint64_t>> term_list;

thread_local std::string tl_msg;
thread_local int tl_code = LX_OK;
thread_local unsigned long tl_failures; // lets guard() see a fail() inside
// DatabaseModifiedErrors seen by this thread, whatever the caller did with
// them: a reader that drops a failed lookup still learns it was overtaken.
thread_local unsigned long tl_modified;

// Records a failure on the handle (err may be NULL) and in the thread.
// Never throws: a message that cannot be stored is dropped, the code stays.
int fail(std::string *err, int code, const char *msg) noexcept
{
	try {
		tl_msg = msg;
		if (err)
			*err = msg;
	} catch (...) {
		tl_msg.clear();
		if (err)
			err->clear();
	}
	tl_code = code;
	tl_failures++;
	if (code == LX_EMODIFIED)
		tl_modified++;
	return code;
}

// Xapian::Error has no virtual table to dynamic_cast on; its type name is
// the documented way to tell the classes apart.
int map_error(const Xapian::Error &e)
{
	static const struct { const char *type; int code; } table[] = {
		{"DatabaseLockError", LX_ELOCKED},
		{"DatabaseModifiedError", LX_EMODIFIED},
		{"DocNotFoundError", LX_ENOTFOUND},
		{"DatabaseCorruptError", LX_ECORRUPT},
		{"DatabaseOpeningError", LX_EOPENING},
		{"DatabaseNotFoundError", LX_EOPENING},
		{"DatabaseVersionError", LX_EOPENING},
		{"DatabaseCreateError", LX_EOPENING},
		{"NetworkError", LX_ENETWORK},
		{"NetworkTimeoutError", LX_ENETWORK},
		{"InvalidArgumentError", LX_EINVAL},
		{"InvalidOperationError", LX_EINVAL},
		{"RangeError", LX_EINVAL},
	};
	const char *type = e.get_type();
	for (const auto &t : table)
		if (type && std::strcmp(type, t.type) == 0)
			return t.code;
	return LX_EOTHER;
}

// Runs f (returning an lx code) with every exception caught.
template <class F> int guard(std::string *err, F &&f) noexcept
{
	unsigned long before = tl_failures;
	try {
		int rc = f();
		if (rc < 0 && tl_failures == before)
			return fail(err, rc, lx_strerror(rc));
		return rc;
	} catch (const Xapian::Error &e) {
		int code = map_error(e);
		try {
			std::string d = e.get_description();
			return fail(err, code, d.c_str());
		} catch (...) {
			return fail(err, code, lx_strerror(code));
		}
	} catch (const std::bad_alloc &) {
		return fail(err, LX_ENOMEM, "out of memory");
	} catch (...) {
		return fail(err, LX_EOTHER, "unknown exception in xapian shim");
	}
}

// A caller-given byte string: NULL is only allowed when empty.
bool bad_bytes(const void *p, size_t n)
{
	return p == nullptr && n > 0;
}

std::string bytes(const void *p, size_t n)
{
	return n ? std::string(static_cast<const char *>(p), n) : std::string();
}

void clear_out(char **out, size_t *len)
{
	if (out)
		*out = nullptr;
	if (len)
		*len = 0;
}

// Copies s to a malloc()ed NUL-terminated buffer for the caller.
int give_bytes(const std::string &s, char **out, size_t *len)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		return LX_ENOMEM;
	if (!s.empty())
		std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	*out = p;
	if (len)
		*len = s.size();
	return LX_OK;
}

bool has_prefix(const std::string &s, const std::string &prefix)
{
	return s.compare(0, prefix.size(), prefix) == 0;
}

void collect_doc_terms(const Xapian::Document &doc, const char *prefix,
                       term_list *out)
{
	std::string pfx = prefix ? prefix : "";
	Xapian::TermIterator t = doc.termlist_begin(), end = doc.termlist_end();
	if (!pfx.empty())
		t.skip_to(pfx);
	for (; t != end; ++t) {
		std::string term = *t;
		if (!has_prefix(term, pfx))
			break;
		out->emplace_back(term, t.get_wdf());
	}
}

// Calls fn for each collected term, outside any try block.
int deliver(const term_list &terms, lx_term_fn fn, void *ctx)
{
	for (const auto &t : terms)
		if (fn(ctx, t.first.data(), t.first.size(), t.second) != 0)
			break;
	return LX_OK;
}

int find_term(const Xapian::Database &db, const char *term, size_t len,
              uint32_t *docid)
{
	std::string t = bytes(term, len);
	Xapian::PostingIterator p = db.postlist_begin(t);
	if (t.empty() || p == db.postlist_end(t))
		return LX_ENOTFOUND;
	*docid = *p;
	return LX_OK;
}

int term_docids(const Xapian::Database &db, const char *term, size_t len,
                uint32_t **docids, size_t *n)
{
	std::vector<uint32_t> v;
	std::string t = bytes(term, len);
	if (!t.empty())
		for (auto p = db.postlist_begin(t); p != db.postlist_end(t); ++p)
			v.push_back(*p);
	if (!v.empty()) {
		*docids = static_cast<uint32_t *>(
			std::malloc(v.size() * sizeof(uint32_t)));
		if (!*docids)
			throw std::bad_alloc();
		std::memcpy(*docids, v.data(), v.size() * sizeof(uint32_t));
	}
	*n = v.size();
	return LX_OK;
}

// The document lookups of lx_wdb and lx_db, written once: both handles
// hold db (a Xapian::Database or WritableDatabase) and err.
template <class Handle>
int handle_find(Handle *h, const char *term, size_t len, uint32_t *docid)
{
	if (!h || !docid || bad_bytes(term, len))
		return fail(h ? &h->err : nullptr, LX_EINVAL, "null argument");
	return guard(&h->err, [&] {
		return find_term(h->db, term, len, docid);
	});
}

template <class Handle>
int handle_get_data(Handle *h, uint32_t docid, char **out, size_t *len)
{
	clear_out(out, len);
	if (!h || !out)
		return fail(h ? &h->err : nullptr, LX_EINVAL, "null argument");
	return guard(&h->err, [&] {
		return give_bytes(h->db.get_document(docid).get_data(), out, len);
	});
}

template <class Handle>
int handle_get_value(Handle *h, uint32_t docid, uint32_t slot, char **out,
                     size_t *len)
{
	clear_out(out, len);
	if (!h || !out)
		return fail(h ? &h->err : nullptr, LX_EINVAL, "null argument");
	return guard(&h->err, [&] {
		return give_bytes(h->db.get_document(docid).get_value(slot), out,
		                  len);
	});
}

template <class Handle>
int handle_term_docids(Handle *h, const char *term, size_t len,
                       uint32_t **docids, size_t *n)
{
	if (docids)
		*docids = nullptr;
	if (n)
		*n = 0;
	if (!h || !docids || !n || bad_bytes(term, len))
		return fail(h ? &h->err : nullptr, LX_EINVAL, "null argument");
	return guard(&h->err, [&] {
		return term_docids(h->db, term, len, docids, n);
	});
}

// A term for a document: a failed add discards the whole pending batch, so
// what glass would refuse is refused here, before it can do that.
int check_doc_term(lx_doc *doc, const char *term, size_t len)
{
	if (!doc || bad_bytes(term, len))
		return fail(doc ? &doc->err : nullptr, LX_EINVAL, "null argument");
	if (len == 0)
		return fail(&doc->err, LX_EINVAL, "empty term");
	if (len > LX_MAX_TERM)
		return fail(&doc->err, LX_EINVAL, "term longer than 245 bytes");
	return LX_OK;
}

lx_query *new_query(const Xapian::Query &q)
{
	return new lx_query{q};
}

// Wraps a query constructor: NULL plus a thread message on failure.
template <class F> lx_query *make_query(F &&f) noexcept
{
	lx_query *res = nullptr;
	guard(nullptr, [&] {
		res = f();
		return LX_OK;
	});
	return res;
}

Xapian::Query::op to_xapian_op(int op, bool *ok)
{
	*ok = true;
	switch (op) {
	case LX_OP_AND: return Xapian::Query::OP_AND;
	case LX_OP_OR: return Xapian::Query::OP_OR;
	case LX_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
	case LX_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
	case LX_OP_FILTER: return Xapian::Query::OP_FILTER;
	case LX_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
	case LX_OP_PHRASE: return Xapian::Query::OP_PHRASE;
	case LX_OP_NEAR: return Xapian::Query::OP_NEAR;
	case LX_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
	case LX_OP_MAX: return Xapian::Query::OP_MAX;
	}
	*ok = false;
	return Xapian::Query::OP_AND;
}

// Keeps terms with a given prefix and, optionally, only unprefixed ones
// (Xapian's convention: a prefix starts with an ASCII capital) or,
// with or_prefix, unprefixed ones and those with the prefix; and, once
// count_docs has run, only terms that index at least min_docs of the
// documents. Xapian asks the decider before it looks a term's frequency
// up, so every term refused here saves a B-tree lookup.
class eset_decider : public Xapian::ExpandDecider {
	std::string prefix_;
	bool unprefixed_, or_prefix_;
	uint32_t min_docs_ = 0;
	std::unordered_map<std::string, uint32_t> docs_;
	bool wanted(const std::string &term) const
	{
		bool unprefixed = term.empty() || term[0] < 'A' || term[0] > 'Z';
		if (or_prefix_)
			return unprefixed || has_prefix(term, prefix_);
		if (!has_prefix(term, prefix_))
			return false;
		return !unprefixed_ || unprefixed;
	}
public:
	eset_decider(const std::string &p, bool unprefixed, bool or_prefix)
		: prefix_(p), unprefixed_(unprefixed),
		  or_prefix_(unprefixed && or_prefix && !p.empty()) {}
	// Reads the documents' term lists (cheap next to a frequency
	// lookup per term) to count how many of them each term indexes.
	void count_docs(const Xapian::Database &db, const uint32_t *docids,
	                size_t n, uint32_t min_docs)
	{
		min_docs_ = min_docs;
		for (size_t i = 0; i < n; i++)
			for (auto t = db.termlist_begin(docids[i]);
			     t != db.termlist_end(docids[i]); ++t)
				if (wanted(*t))
					docs_[*t]++;
	}
	bool operator()(const std::string &term) const override
	{
		if (min_docs_ <= 1)
			return wanted(term);
		auto it = docs_.find(term);
		return it != docs_.end() && it->second >= min_docs_;
	}
};

// What check_termlist found wrong, by number (0: nothing): a child
// process reports it in one byte.
const char *const termlist_faults[] = {
	nullptr,
	"more terms than its header says",
	"a term of impossible length",
	"terms out of order",
	"a wdf above the document length",
	"fewer terms than its header says",
	"wdfs that do not add up to the document length",
	"reading it crashed the process that checked it",
	"Xapian found it corrupt",
};
const unsigned char FAULT_CRASH = 7, FAULT_XAPIAN = 8, FAULT_RETRY = 9;

// Walks document did's term list as the matcher and the expander would,
// checking at each term what every sound list satisfies: byte order, terms
// of 1 to 245 bytes, no more terms than the list's header says, wdfs that
// sum to the document length the posting lists keep. Returns the fault's
// number, 0 for a sound list. Xapian errors propagate.
unsigned char check_termlist(const Xapian::Database &db, Xapian::docid did)
{
	Xapian::termcount doclen = db.get_doclength(did);
	// the header's term count, read without the list (Document's
	// termlist_count would read it all); glass gives min(count, doclen),
	// so it is exact only below doclen
	Xapian::termcount size = db.get_unique_terms(did);
	bool exact = size < doclen;
	Xapian::termcount n = 0;
	uint64_t wdf_sum = 0;
	std::string prev;
	for (auto t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
		std::string term = *t;
		Xapian::termcount wdf = t.get_wdf();
		if (++n > size && exact)
			return 1;
		if (term.empty() || term.size() > LX_MAX_TERM)
			return 2;
		if (n > 1 && term <= prev)
			return 3;
		if (wdf > doclen)
			return 4;
		wdf_sum += wdf;
		prev.swap(term);
	}
	if (exact ? n != size : n < size)
		return 5;
	return wdf_sum != doclen ? 6 : 0;
}

// check_termlist of docids[0..n) in a child process; out[i] gets the
// fault of document i. Why a child: glass (1.4.22) trusts the length
// byte of each term in a term list entry, and a damaged one sends
// GlassTermList::next() reading past the end of the entry's buffer, and
// on off the heap; the checking walk reads through that same decoder. In
// a child, such a read kills only the child (under AddressSanitizer its
// report goes to /dev/null), and the document it died on is the damaged
// one. Returns false when no child could be started.
bool check_in_child(const Xapian::Database &db, const uint32_t *docids,
                    size_t n, std::vector<unsigned char> *out)
{
	size_t done = 0;
	while (done < n) {
		int fds[2];
		if (pipe2(fds, O_CLOEXEC) != 0)
			return false;
		pid_t pid = fork();
		if (pid < 0) {
			close(fds[0]);
			close(fds[1]);
			return false;
		}
		if (pid == 0) {
			close(fds[0]);
			int devnull = open("/dev/null", O_WRONLY);
			if (devnull >= 0)
				dup2(devnull, 2);
			for (size_t i = done; i < n; i++) {
				unsigned char f;
				try {
					f = check_termlist(db, docids[i]);
				} catch (const Xapian::DatabaseCorruptError &) {
					f = FAULT_XAPIAN;
				} catch (...) {
					f = FAULT_RETRY; // the parent meets it itself
				}
				if (write(fds[1], &f, 1) != 1)
					_exit(1);
			}
			_exit(0);
		}
		close(fds[1]);
		unsigned char buf[256];
		ssize_t got;
		while (done < n &&
		       ((got = read(fds[0], buf, sizeof buf)) > 0 ||
		        (got < 0 && errno == EINTR)))
			for (ssize_t i = 0; i < got && done < n; i++)
				(*out)[done++] = buf[i];
		close(fds[0]);
		while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR)
			;
		// the child died on document done
		if (done < n)
			(*out)[done++] = FAULT_CRASH;
	}
	return true;
}

// Checks the term lists of docids[0..n) (remembering sound ones until
// the handle moves); out[i]: the fault of document i, 0 when sound.
// Returns the index of the first damaged one, or n.
size_t check_termlists(lx_db *db, const uint32_t *docids, size_t n,
                       std::vector<unsigned char> *out)
{
	out->assign(n, 0);
	if (db->remote) // the server decodes remote lists
		return n;
	std::vector<uint32_t> todo;
	std::vector<size_t> at;
	for (size_t i = 0; i < n; i++)
		if (!db->sound_lists.count(docids[i])) {
			todo.push_back(docids[i]);
			at.push_back(i);
		}
	std::vector<unsigned char> f(todo.size(), 0);
	if (!todo.empty() && !check_in_child(db->db, todo.data(), todo.size(), &f))
		for (size_t i = 0; i < todo.size(); i++)
			f[i] = check_termlist(db->db, todo[i]);
	size_t first = n;
	for (size_t i = 0; i < todo.size(); i++) {
		// another error (a writer overtook the reader, a network
		// fault) is met here, in the parent, and thrown as itself
		if (f[i] == FAULT_RETRY)
			f[i] = check_termlist(db->db, todo[i]);
		(*out)[at[i]] = f[i];
		if (f[i] == 0)
			db->sound_lists.insert(todo[i]);
		else if (at[i] < first)
			first = at[i];
	}
	return first;
}

std::string termlist_fault_message(uint32_t did, unsigned char fault)
{
	return "document " + std::to_string(did) + ": term list is damaged (" +
	       termlist_faults[fault <= FAULT_XAPIAN ? fault : FAULT_CRASH] + ")";
}

// Detaches the enquire's match spies however get_mset ends.
struct spy_detach {
	Xapian::Enquire &enq;
	~spy_detach()
	{
		try {
			enq.clear_matchspies();
		} catch (...) {
		}
	}
};

} // namespace

extern "C" {

/* ---- errors -------------------------------------------------------- */

const char *lx_strerror(int code)
{
	switch (code) {
	case LX_OK: return "ok";
	case LX_ELOCKED: return "database is locked by another writer";
	case LX_EMODIFIED: return "database was modified: reopen and retry";
	case LX_ENOTFOUND: return "not found";
	case LX_EINVAL: return "invalid argument";
	case LX_ENETWORK: return "network error with remote database";
	case LX_ECORRUPT: return "database is corrupt";
	case LX_ENOMEM: return "out of memory";
	case LX_EOPENING: return "cannot open database";
	case LX_EOTHER: return "xapian error";
	}
	return "unknown error code";
}

const char *lx_last_errmsg(void)
{
	return tl_msg.c_str();
}

int lx_last_errcode(void)
{
	return tl_code;
}

unsigned long lx_modified_count(void)
{
	return tl_modified;
}

const char *lx_xapian_version(void)
{
	return Xapian::version_string();
}

size_t lx_sortable_serialise(double value, char out[LX_SORTABLE_MAX])
{
	return Xapian::sortable_serialise_(value, out);
}

double lx_sortable_unserialise(const char *b, size_t len)
{
	double v = 0;
	if (bad_bytes(b, len))
		return 0;
	guard(nullptr, [&] {
		v = Xapian::sortable_unserialise(bytes(b, len));
		return LX_OK;
	});
	return v;
}

/* ---- documents ----------------------------------------------------- */

lx_doc *lx_doc_new(void)
{
	lx_doc *d = nullptr;
	guard(nullptr, [&] {
		d = new lx_doc;
		return LX_OK;
	});
	return d;
}

void lx_doc_free(lx_doc *doc)
{
	delete doc;
}

const char *lx_doc_errmsg(const lx_doc *doc)
{
	return doc ? doc->err.c_str() : "";
}

int lx_doc_add_posting(lx_doc *doc, const char *term, size_t len,
                       uint32_t pos, uint32_t wdf_inc)
{
	int rc = check_doc_term(doc, term, len);
	if (rc < 0)
		return rc;
	return guard(&doc->err, [&] {
		doc->doc.add_posting(bytes(term, len), pos, wdf_inc);
		return LX_OK;
	});
}

int lx_doc_add_term(lx_doc *doc, const char *term, size_t len,
                    uint32_t wdf_inc)
{
	int rc = check_doc_term(doc, term, len);
	if (rc < 0)
		return rc;
	return guard(&doc->err, [&] {
		doc->doc.add_term(bytes(term, len), wdf_inc);
		return LX_OK;
	});
}

int lx_doc_add_boolean_term(lx_doc *doc, const char *term, size_t len)
{
	int rc = check_doc_term(doc, term, len);
	if (rc < 0)
		return rc;
	return guard(&doc->err, [&] {
		doc->doc.add_boolean_term(bytes(term, len));
		return LX_OK;
	});
}

int lx_doc_set_value(lx_doc *doc, uint32_t slot, const void *b, size_t len)
{
	if (!doc || bad_bytes(b, len))
		return fail(doc ? &doc->err : nullptr, LX_EINVAL, "null argument");
	// Xapian accepts BAD_VALUENO here and only fails at add time.
	if (slot == LX_NO_SLOT)
		return fail(&doc->err, LX_EINVAL, "value slot out of range");
	return guard(&doc->err, [&] {
		doc->doc.add_value(slot, bytes(b, len));
		return LX_OK;
	});
}

int lx_doc_set_value_number(lx_doc *doc, uint32_t slot, double number)
{
	if (!doc)
		return fail(nullptr, LX_EINVAL, "null argument");
	if (slot == LX_NO_SLOT)
		return fail(&doc->err, LX_EINVAL, "value slot out of range");
	return guard(&doc->err, [&] {
		doc->doc.add_value(slot, Xapian::sortable_serialise(number));
		return LX_OK;
	});
}

int lx_doc_set_data(lx_doc *doc, const void *b, size_t len)
{
	if (!doc || bad_bytes(b, len))
		return fail(doc ? &doc->err : nullptr, LX_EINVAL, "null argument");
	return guard(&doc->err, [&] {
		doc->doc.set_data(bytes(b, len));
		return LX_OK;
	});
}

/* ---- writable database --------------------------------------------- */

int lx_wdb_open(lx_wdb **out, const char *path, int flags)
{
	if (!out || !path)
		return fail(nullptr, LX_EINVAL, "null argument");
	*out = nullptr;
	if (flags & ~(LX_WDB_CREATE | LX_WDB_RETRY_LOCK | LX_WDB_NO_SYNC))
		return fail(nullptr, LX_EINVAL, "unknown lx_wdb_open flag");
	return guard(nullptr, [&] {
		int xf = (flags & LX_WDB_CREATE)
			? Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS
			: Xapian::DB_OPEN;
		if (flags & LX_WDB_RETRY_LOCK)
			xf |= Xapian::DB_RETRY_LOCK;
		if (flags & LX_WDB_NO_SYNC)
			xf |= Xapian::DB_NO_SYNC;
		std::unique_ptr<lx_wdb> w(new lx_wdb);
		w->db = Xapian::WritableDatabase(path, xf);
		*out = w.release();
		return LX_OK;
	});
}

int lx_wdb_close(lx_wdb *wdb)
{
	if (!wdb)
		return LX_OK;
	int rc = LX_OK;
	if (wdb->in_tx) {
		guard(nullptr, [&] {
			wdb->db.cancel_transaction();
			return LX_OK;
		});
		wdb->in_tx = false;
		rc = fail(nullptr, LX_EINVAL,
		          "transaction still open at close: cancelled");
	}
	int crc = guard(nullptr, [&] {
		wdb->db.commit();
		wdb->db.close();
		return LX_OK;
	});
	delete wdb;
	return crc < 0 ? crc : rc;
}

const char *lx_wdb_errmsg(const lx_wdb *wdb)
{
	return wdb ? wdb->err.c_str() : "";
}

int lx_wdb_add(lx_wdb *wdb, const lx_doc *doc, uint32_t *docid)
{
	if (!wdb || !doc)
		return fail(wdb ? &wdb->err : nullptr, LX_EINVAL, "null argument");
	return guard(&wdb->err, [&] {
		Xapian::docid id = wdb->db.add_document(doc->doc);
		if (docid)
			*docid = id;
		return LX_OK;
	});
}

int lx_wdb_replace(lx_wdb *wdb, const char *term, size_t len,
                   const lx_doc *doc, uint32_t *docid)
{
	if (!wdb || !doc || bad_bytes(term, len))
		return fail(wdb ? &wdb->err : nullptr, LX_EINVAL, "null argument");
	if (len == 0)
		return fail(&wdb->err, LX_EINVAL, "empty unique term");
	return guard(&wdb->err, [&] {
		Xapian::docid id =
			wdb->db.replace_document(bytes(term, len), doc->doc);
		if (docid)
			*docid = id;
		return LX_OK;
	});
}

int lx_wdb_delete(lx_wdb *wdb, const char *term, size_t len,
                  uint64_t *ndeleted)
{
	if (ndeleted)
		*ndeleted = 0;
	if (!wdb || bad_bytes(term, len))
		return fail(wdb ? &wdb->err : nullptr, LX_EINVAL, "null argument");
	if (len == 0)
		return fail(&wdb->err, LX_EINVAL, "empty unique term");
	return guard(&wdb->err, [&] {
		std::string t = bytes(term, len);
		Xapian::doccount n = wdb->db.get_termfreq(t);
		if (n)
			wdb->db.delete_document(t);
		if (ndeleted)
			*ndeleted = n;
		return LX_OK;
	});
}

int lx_wdb_commit(lx_wdb *wdb)
{
	if (!wdb)
		return fail(nullptr, LX_EINVAL, "null argument");
	if (wdb->in_tx)
		return fail(&wdb->err, LX_EINVAL,
		            "commit inside a transaction: use lx_wdb_commit_tx");
	return guard(&wdb->err, [&] {
		wdb->db.commit();
		return LX_OK;
	});
}

int lx_wdb_begin_tx(lx_wdb *wdb, int flushed)
{
	if (!wdb)
		return fail(nullptr, LX_EINVAL, "null argument");
	return guard(&wdb->err, [&] {
		wdb->db.begin_transaction(flushed != 0);
		wdb->in_tx = true;
		return LX_OK;
	});
}

int lx_wdb_commit_tx(lx_wdb *wdb)
{
	if (!wdb)
		return fail(nullptr, LX_EINVAL, "null argument");
	return guard(&wdb->err, [&] {
		// Xapian ends the transaction even when its commit fails.
		wdb->in_tx = false;
		wdb->db.commit_transaction();
		return LX_OK;
	});
}

int lx_wdb_cancel_tx(lx_wdb *wdb)
{
	if (!wdb)
		return fail(nullptr, LX_EINVAL, "null argument");
	return guard(&wdb->err, [&] {
		wdb->in_tx = false;
		wdb->db.cancel_transaction();
		return LX_OK;
	});
}

int lx_wdb_set_metadata(lx_wdb *wdb, const char *key, const void *value,
                        size_t len)
{
	if (!wdb || !key || bad_bytes(value, len))
		return fail(wdb ? &wdb->err : nullptr, LX_EINVAL, "null argument");
	return guard(&wdb->err, [&] {
		wdb->db.set_metadata(key, bytes(value, len));
		return LX_OK;
	});
}

int lx_wdb_get_metadata(lx_wdb *wdb, const char *key, char **value,
                        size_t *len)
{
	clear_out(value, len);
	if (!wdb || !key || !value)
		return fail(wdb ? &wdb->err : nullptr, LX_EINVAL, "null argument");
	return guard(&wdb->err, [&] {
		return give_bytes(wdb->db.get_metadata(key), value, len);
	});
}

int lx_wdb_doccount(lx_wdb *wdb, uint64_t *n)
{
	if (!wdb || !n)
		return fail(wdb ? &wdb->err : nullptr, LX_EINVAL, "null argument");
	return guard(&wdb->err, [&] {
		*n = wdb->db.get_doccount();
		return LX_OK;
	});
}

int lx_wdb_find(lx_wdb *wdb, const char *term, size_t len, uint32_t *docid)
{
	return handle_find(wdb, term, len, docid);
}

int lx_wdb_get_data(lx_wdb *wdb, uint32_t docid, char **out, size_t *len)
{
	return handle_get_data(wdb, docid, out, len);
}

int lx_wdb_get_value(lx_wdb *wdb, uint32_t docid, uint32_t slot, char **out,
                     size_t *len)
{
	return handle_get_value(wdb, docid, slot, out, len);
}

int lx_wdb_term_docids(lx_wdb *wdb, const char *term, size_t len,
                       uint32_t **docids, size_t *n)
{
	return handle_term_docids(wdb, term, len, docids, n);
}

/* ---- readable database --------------------------------------------- */

int lx_db_open(lx_db **out, const char *path)
{
	if (!out)
		return fail(nullptr, LX_EINVAL, "null argument");
	*out = nullptr;
	return guard(nullptr, [&] {
		std::unique_ptr<lx_db> d(new lx_db);
		if (path) {
			d->db = Xapian::Database(path);
			d->shards = 1;
		}
		*out = d.release();
		return LX_OK;
	});
}

int lx_db_add(lx_db *db, const char *path)
{
	if (!db || !path)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	return guard(&db->err, [&] {
		db->db.add_database(Xapian::Database(path));
		db->shards++;
		db->invalidate();
		return LX_OK;
	});
}

int lx_db_add_remote(lx_db *db, const char *host, unsigned port,
                     unsigned timeout_ms, unsigned connect_ms)
{
	if (!db || !host)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	if (port == 0 || port > 65535)
		return fail(&db->err, LX_EINVAL, "remote port out of range");
	return guard(&db->err, [&] {
		unsigned t = timeout_ms ? timeout_ms : 10000;
		unsigned c = connect_ms ? connect_ms : t;
		db->db.add_database(Xapian::Remote::open(host, port, t, c));
		db->shards++;
		db->remote = true;
		db->invalidate();
		return LX_OK;
	});
}

int lx_db_reopen(lx_db *db)
{
	if (!db)
		return fail(nullptr, LX_EINVAL, "null argument");
	return guard(&db->err, [&] {
		if (!db->db.reopen())
			return 0;
		db->invalidate();
		return 1;
	});
}

void lx_db_close(lx_db *db)
{
	if (!db)
		return;
	guard(nullptr, [&] {
		db->db.close();
		return LX_OK;
	});
	delete db;
}

const char *lx_db_errmsg(const lx_db *db)
{
	return db ? db->err.c_str() : "";
}

int lx_db_doccount(lx_db *db, uint64_t *n)
{
	if (!db || !n)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	return guard(&db->err, [&] {
		*n = db->db.get_doccount();
		return LX_OK;
	});
}

int lx_compact(const char *src, const char *dst)
{
	if (!src || !dst)
		return fail(nullptr, LX_EINVAL, "null path");
	return guard(nullptr, [&] {
		Xapian::Database(src).compact(
			dst, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::FULL);
		return LX_OK;
	});
}

int lx_db_shards(lx_db *db, size_t *n)
{
	if (!db || !n)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	*n = db->db.size();
	return LX_OK;
}

int lx_db_avlength(lx_db *db, double *avlen)
{
	if (!db || !avlen)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	return guard(&db->err, [&] {
		*avlen = db->db.get_avlength();
		return LX_OK;
	});
}

int lx_db_total_length(lx_db *db, uint64_t *total)
{
	if (!db || !total)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	return guard(&db->err, [&] {
		*total = db->db.get_total_length();
		return LX_OK;
	});
}

int lx_db_termfreq(lx_db *db, const char *term, size_t len,
                   uint64_t *termfreq, uint64_t *collfreq)
{
	if (!db || bad_bytes(term, len))
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	return guard(&db->err, [&] {
		std::string t = bytes(term, len);
		if (termfreq)
			*termfreq = t.empty() ? 0 : db->db.get_termfreq(t);
		if (collfreq)
			*collfreq = t.empty() ? 0 : db->db.get_collection_freq(t);
		return LX_OK;
	});
}

int lx_db_get_metadata(lx_db *db, const char *key, char **value, size_t *len)
{
	clear_out(value, len);
	if (!db || !key || !value)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	return guard(&db->err, [&] {
		return give_bytes(db->db.get_metadata(key), value, len);
	});
}

int lx_db_metadata_keys(lx_db *db, const char *prefix, lx_term_fn fn,
                        void *ctx)
{
	if (!db || !fn)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	term_list keys;
	int rc = guard(&db->err, [&] {
		std::string p = prefix ? prefix : "";
		for (auto it = db->db.metadata_keys_begin(p);
		     it != db->db.metadata_keys_end(p); ++it)
			keys.emplace_back(*it, 0);
		return LX_OK;
	});
	return rc < 0 ? rc : deliver(keys, fn, ctx);
}

int lx_db_find(lx_db *db, const char *term, size_t len, uint32_t *docid)
{
	return handle_find(db, term, len, docid);
}

int lx_db_term_docids(lx_db *db, const char *term, size_t len,
                      uint32_t **docids, size_t *n)
{
	return handle_term_docids(db, term, len, docids, n);
}

int lx_db_get_data(lx_db *db, uint32_t docid, char **out, size_t *len)
{
	return handle_get_data(db, docid, out, len);
}

int lx_db_get_value(lx_db *db, uint32_t docid, uint32_t slot, char **out,
                    size_t *len)
{
	return handle_get_value(db, docid, slot, out, len);
}

int lx_db_doc_terms(lx_db *db, uint32_t docid, const char *prefix,
                    lx_term_fn fn, void *ctx)
{
	if (!db || !fn)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	term_list terms;
	int rc = guard(&db->err, [&] {
		collect_doc_terms(db->db.get_document(docid), prefix, &terms);
		return LX_OK;
	});
	return rc < 0 ? rc : deliver(terms, fn, ctx);
}

int lx_db_check_termlists(lx_db *db, const uint32_t *docids, size_t n,
                          unsigned char *sound)
{
	if (!db || (n && (!docids || !sound)))
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	std::vector<unsigned char> f;
	size_t first = n;
	int rc = guard(&db->err, [&] {
		first = check_termlists(db, docids, n, &f);
		return LX_OK;
	});
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		sound[i] = f[i] == 0;
	if (first == n)
		return LX_OK;
	return fail(&db->err, LX_ECORRUPT,
	            termlist_fault_message(docids[first], f[first]).c_str());
}

int lx_db_allterms(lx_db *db, const char *prefix, lx_termiter **out)
{
	if (!db || !out)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	*out = nullptr;
	return guard(&db->err, [&] {
		std::string p = prefix ? prefix : "";
		std::unique_ptr<lx_termiter> it(new lx_termiter);
		it->db = db->db;
		it->it = it->db.allterms_begin(p);
		it->end = it->db.allterms_end(p);
		*out = it.release();
		return LX_OK;
	});
}

int lx_termiter_next(lx_termiter *it, const char **term, size_t *len,
                     uint64_t *termfreq)
{
	if (!it || !term || !len)
		return fail(nullptr, LX_EINVAL, "null argument");
	return guard(nullptr, [&] {
		if (it->started && it->it != it->end)
			++it->it;
		it->started = true;
		if (it->it == it->end)
			return 0;
		it->cur = *it->it;
		*term = it->cur.c_str();
		*len = it->cur.size();
		if (termfreq)
			*termfreq = it->it.get_termfreq();
		return 1;
	});
}

void lx_termiter_free(lx_termiter *it)
{
	delete it;
}

/* ---- queries ------------------------------------------------------- */

lx_query *lx_query_term(const char *term, size_t len, uint32_t wqf,
                        uint32_t pos)
{
	if (bad_bytes(term, len))
		return fail(nullptr, LX_EINVAL, "null argument"), nullptr;
	// Xapian reads an empty term as match-all: refuse it, say so instead.
	if (len == 0)
		return fail(nullptr, LX_EINVAL, "empty query term"), nullptr;
	return make_query([&] {
		return new_query(Xapian::Query(bytes(term, len), wqf, pos));
	});
}

lx_query *lx_query_combine(int op, const lx_query *const *subs,
                           size_t n, uint32_t window)
{
	if (n && !subs)
		return fail(nullptr, LX_EINVAL, "null argument"), nullptr;
	for (size_t i = 0; i < n; i++)
		if (!subs[i])
			return fail(nullptr, LX_EINVAL, "null subquery"), nullptr;
	bool ok;
	Xapian::Query::op xop = to_xapian_op(op, &ok);
	if (!ok)
		return fail(nullptr, LX_EINVAL, "unknown query operator"), nullptr;
	return make_query([&] {
		std::vector<Xapian::Query> v;
		v.reserve(n);
		for (size_t i = 0; i < n; i++)
			v.push_back(subs[i]->q);
		return new_query(Xapian::Query(xop, v.begin(), v.end(), window));
	});
}

lx_query *lx_query_pair(int op, const lx_query *a, const lx_query *b)
{
	const lx_query *subs[2] = {a, b};
	return lx_query_combine(op, subs, 2, 0);
}

lx_query *lx_query_value_range(uint32_t slot, const char *begin,
                               size_t begin_len, const char *end,
                               size_t end_len)
{
	return make_query([&] {
		if (begin && end)
			return new_query(Xapian::Query(
				Xapian::Query::OP_VALUE_RANGE, slot,
				bytes(begin, begin_len), bytes(end, end_len)));
		if (end)
			return new_query(Xapian::Query(Xapian::Query::OP_VALUE_LE,
			                               slot, bytes(end, end_len)));
		// Xapian reads ">= empty" as match-all; ">= NUL" means "has a
		// value", since every non-empty value sorts at or after it.
		std::string lo = begin ? bytes(begin, begin_len) : std::string();
		if (lo.empty())
			lo.assign(1, '\0');
		return new_query(
			Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo));
	});
}

lx_query *lx_query_wildcard(const char *prefix, size_t len,
                            uint32_t max_expansion)
{
	if (bad_bytes(prefix, len))
		return fail(nullptr, LX_EINVAL, "null argument"), nullptr;
	return make_query([&] {
		// With LIMIT_MOST_FREQUENT a limit of 0 keeps no terms; with
		// LIMIT_ERROR it means unlimited.
		int mode = max_expansion
			? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
			: Xapian::Query::WILDCARD_LIMIT_ERROR;
		return new_query(Xapian::Query(
			Xapian::Query::OP_WILDCARD, bytes(prefix, len),
			max_expansion, mode, Xapian::Query::OP_SYNONYM));
	});
}

lx_query *lx_query_scale(const lx_query *q, double factor)
{
	if (!q)
		return fail(nullptr, LX_EINVAL, "null subquery"), nullptr;
	return make_query([&] {
		return new_query(
			Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor));
	});
}

lx_query *lx_query_match_all(void)
{
	return make_query([] { return new_query(Xapian::Query::MatchAll); });
}

lx_query *lx_query_fixed_weight(double weight)
{
	return make_query([&] {
		if (!(weight >= 0))
			throw Xapian::InvalidArgumentError("negative weight");
		// release(): the query owns the source from here on. Xapian's
		// own source, registered by default: a remote server runs it.
		Xapian::Query q(
			(new Xapian::FixedWeightPostingSource(weight))->release());
		return new_query(q);
	});
}

lx_query *lx_query_match_nothing(void)
{
	return make_query([] { return new_query(Xapian::Query::MatchNothing); });
}

namespace {

// The postings of a fixed, sorted set of docids. Xapian drives a FILTER by
// its sparsest side, so a few hundred docids cost a few hundred skip_to
// calls on the other postlists, whatever their length.
class DocidSetSource : public Xapian::PostingSource {
  public:
	explicit DocidSetSource(std::vector<Xapian::docid> ids)
		: ids_(std::move(ids)) {}
	Xapian::doccount get_termfreq_min() const override { return size(); }
	Xapian::doccount get_termfreq_est() const override { return size(); }
	Xapian::doccount get_termfreq_max() const override { return size(); }
	Xapian::docid get_docid() const override { return ids_[pos_]; }
	bool at_end() const override { return pos_ >= ids_.size(); }
	void init(const Xapian::Database &db) override {
		// a docid past the last would reach the matcher as a document
		Xapian::docid last = db.get_lastdocid();
		while (!ids_.empty() && ids_.back() > last)
			ids_.pop_back();
		pos_ = 0;
		started_ = false;
	}
	void next(double) override {
		if (started_)
			pos_++;
		started_ = true;
	}
	void skip_to(Xapian::docid did, double) override {
		started_ = true;
		auto it = std::lower_bound(ids_.begin() + pos_, ids_.end(), did);
		pos_ = (size_t)(it - ids_.begin());
	}
	bool check(Xapian::docid did, double min_wt) override {
		skip_to(did, min_wt);
		return true;
	}
	Xapian::PostingSource *clone() const override {
		return new DocidSetSource(ids_);
	}

  private:
	Xapian::doccount size() const { return (Xapian::doccount)ids_.size(); }
	std::vector<Xapian::docid> ids_;
	size_t pos_ = 0;
	bool started_ = false;
};

}  // namespace

lx_query *lx_query_docids(const uint32_t *docids, size_t n)
{
	if (n && !docids)
		return fail(nullptr, LX_EINVAL, "null docids"), nullptr;
	return make_query([&] {
		std::vector<Xapian::docid> ids(docids, docids + n);
		std::sort(ids.begin(), ids.end());
		ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
		ids.erase(std::remove(ids.begin(), ids.end(), 0u), ids.end());
		if (ids.empty())
			return new_query(Xapian::Query::MatchNothing);
		// release(): the query owns the source from here on
		Xapian::Query q((new DocidSetSource(std::move(ids)))->release());
		// boolean: it selects, the other side of the FILTER ranks
		return new_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0));
	});
}

char *lx_query_describe(const lx_query *q)
{
	if (!q)
		return fail(nullptr, LX_EINVAL, "null argument"), nullptr;
	char *s = nullptr;
	guard(nullptr, [&] { return give_bytes(q->q.get_description(), &s, nullptr); });
	return s;
}

void lx_query_free(lx_query *q)
{
	delete q;
}

/* ---- enquire ------------------------------------------------------- */

int lx_enquire_new(lx_enquire **out, lx_db *db)
{
	if (!out || !db)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "null argument");
	*out = nullptr;
	return guard(&db->err, [&] {
		*out = new lx_enquire(db);
		return LX_OK;
	});
}

void lx_enquire_free(lx_enquire *enq)
{
	delete enq;
}

const char *lx_enquire_errmsg(const lx_enquire *enq)
{
	return enq ? enq->err.c_str() : "";
}

int lx_enquire_set_query(lx_enquire *enq, const lx_query *q)
{
	if (!enq || !q)
		return fail(enq ? &enq->err : nullptr, LX_EINVAL, "null argument");
	return guard(&enq->err, [&] {
		enq->enq.set_query(q->q);
		enq->query = q->q;
		enq->has_query = true;
		return LX_OK;
	});
}

int lx_enquire_set_weighting(lx_enquire *enq, const char *name,
                             const double *params, size_t nparams)
{
	if (!enq || !name || (nparams && !params))
		return fail(enq ? &enq->err : nullptr, LX_EINVAL, "null argument");
	return guard(&enq->err, [&] {
		std::string n = name;
		auto p = [&](size_t i, double dflt) {
			return i < nparams ? params[i] : dflt;
		};
		size_t max_params = 0;
		std::unique_ptr<Xapian::Weight> w;
		if (n == "bm25") {
			max_params = 5;
			w.reset(new Xapian::BM25Weight(p(0, 1), p(1, 0), p(2, 1),
			                               p(3, 0.5), p(4, 0.5)));
		} else if (n == "bm25+") {
			max_params = 6;
			w.reset(new Xapian::BM25PlusWeight(p(0, 1), p(1, 0), p(2, 1),
			                                   p(3, 0.5), p(4, 0.5),
			                                   p(5, 1)));
		} else if (n == "tfidf") {
			w.reset(new Xapian::TfIdfWeight());
		} else if (n.compare(0, 6, "tfidf:") == 0) {
			w.reset(new Xapian::TfIdfWeight(n.substr(6)));
		} else if (n == "bool") {
			w.reset(new Xapian::BoolWeight());
		} else if (n == "pl2") {
			max_params = 1;
			w.reset(new Xapian::PL2Weight(p(0, 1)));
		} else if (n == "dph") {
			w.reset(new Xapian::DPHWeight());
		} else if (n == "lm") {
			w.reset(new Xapian::LMWeight());
		} else {
			fail(&enq->err, LX_EINVAL,
			     ("unknown weighting scheme: " + n).c_str());
			return LX_EINVAL;
		}
		if (nparams > max_params) {
			fail(&enq->err, LX_EINVAL,
			     ("too many parameters for weighting scheme " + n)
				     .c_str());
			return LX_EINVAL;
		}
		enq->enq.set_weighting_scheme(*w);
		return LX_OK;
	});
}

int lx_enquire_set_collapse(lx_enquire *enq, uint32_t slot, uint32_t max)
{
	if (!enq)
		return fail(nullptr, LX_EINVAL, "null argument");
	return guard(&enq->err, [&] {
		enq->enq.set_collapse_key(slot, max ? max : 1);
		return LX_OK;
	});
}

int lx_enquire_set_sort(lx_enquire *enq, int how, uint32_t slot,
                        int descending)
{
	if (!enq)
		return fail(nullptr, LX_EINVAL, "null argument");
	return guard(&enq->err, [&] {
		bool rev = descending != 0;
		switch (how) {
		case LX_SORT_RELEVANCE:
			enq->enq.set_sort_by_relevance();
			return LX_OK;
		case LX_SORT_VALUE:
			enq->enq.set_sort_by_value(slot, rev);
			return LX_OK;
		case LX_SORT_VALUE_THEN_RELEVANCE:
			enq->enq.set_sort_by_value_then_relevance(slot, rev);
			return LX_OK;
		case LX_SORT_RELEVANCE_THEN_VALUE:
			enq->enq.set_sort_by_relevance_then_value(slot, rev);
			return LX_OK;
		case LX_SORT_VALUE_THEN_RELEVANCE_MISSING_LAST: {
			// a missing value sorts as the smallest key ("") reversed,
			// or as one above every value forward
			auto km = std::make_unique<Xapian::MultiValueKeyMaker>();
			km->add_value(slot, rev, rev ? std::string()
			                             : std::string(16, '\xff'));
			enq->enq.set_sort_by_key_then_relevance(km.get(), false);
			enq->sorter = std::move(km);
			return LX_OK;
		}
		}
		fail(&enq->err, LX_EINVAL, "unknown sort order");
		return LX_EINVAL;
	});
}

int lx_enquire_set_docid_order(lx_enquire *enq, int o)
{
	if (!enq)
		return fail(nullptr, LX_EINVAL, "null argument");
	return guard(&enq->err, [&] {
		switch (o) {
		case LX_DOCID_ASC:
			enq->enq.set_docid_order(Xapian::Enquire::ASCENDING);
			return LX_OK;
		case LX_DOCID_DESC:
			enq->enq.set_docid_order(Xapian::Enquire::DESCENDING);
			return LX_OK;
		case LX_DOCID_DONT_CARE:
			enq->enq.set_docid_order(Xapian::Enquire::DONT_CARE);
			return LX_OK;
		}
		fail(&enq->err, LX_EINVAL, "unknown docid order");
		return LX_EINVAL;
	});
}

int lx_enquire_set_cutoff(lx_enquire *enq, int percent_cutoff,
                          double weight_cutoff)
{
	if (!enq)
		return fail(nullptr, LX_EINVAL, "null argument");
	if (percent_cutoff < 0 || percent_cutoff > 100 || weight_cutoff < 0)
		return fail(&enq->err, LX_EINVAL, "cutoff out of range");
	return guard(&enq->err, [&] {
		enq->enq.set_cutoff(percent_cutoff, weight_cutoff);
		return LX_OK;
	});
}

// The cache of slot, read now if it is due. Measured on a 119k-passage
// database (callgrind), reading one document's value costs about four
// times what a whole-stream read costs per value, so the stream is read
// once the handle has spent as much on single reads as the whole read
// would cost (the ski-rental rule: never more than twice the better
// choice in hindsight). A one-shot query pays only its single reads.
// Past MAX_CACHE_DOCS docids (4 bytes each per slot) there is no cache.
// sorted: the values are wanted too, in byte order (facets), not only
// their numbers (keys). NULL: read per document instead.
static const slot_cache *facet_cache_for(lx_db *d, uint32_t slot, bool sorted,
                                         bool now = false)
{
	static const Xapian::docid MAX_CACHE_DOCS = 1u << 24;
	static const uint64_t READ_COST_RATIO = 4;
	auto &caches = sorted ? d->facet_cache : d->key_cache;
	auto it = caches.find(slot);
	if (it != caches.end())
		return it->second.get();
	Xapian::docid last = d->db.get_lastdocid();
	uint64_t reads = d->facet_reads[slot];
	if (d->remote || d->shards != 1 || last >= MAX_CACHE_DOCS)
		return nullptr;
	if (!now && (reads == 0 ||
	             reads * READ_COST_RATIO < d->db.get_value_freq(slot)))
		return nullptr;
	ByteCounter seen;
	std::vector<uint32_t> entry(last + 1, 0); // 1 + ByteCounter entry
	for (auto v = d->db.valuestream_begin(slot);
	     v != d->db.valuestream_end(slot); ++v) {
		const std::string bytes = *v;
		seen.add(bytes.data(), bytes.size());
		entry[v.get_docid()] = (uint32_t)(seen.last() + 1);
	}
	std::shared_ptr<slot_cache> c(new slot_cache);
	c->nvalues = seen.size();
	if (sorted) {
		std::vector<size_t> order = seen.order();
		std::vector<uint32_t> rank(order.size());
		c->values.reserve(order.size());
		for (size_t r = 0; r < order.size(); r++) {
			rank[order[r]] = (uint32_t)r;
			c->values.push_back(seen.bytes(order[r]));
		}
		for (auto &e : entry)
			if (e)
				e = rank[e - 1] + 1;
	}
	c->ids = std::move(entry);
	caches[slot] = c;
	return c.get();
}

int lx_db_cache_slot(lx_db *db, uint32_t slot, int as_key)
{
	if (!db || slot == LX_NO_SLOT)
		return fail(db ? &db->err : nullptr, LX_EINVAL, "bad argument");
	return guard(&db->err, [&] {
		facet_cache_for(db, slot, !as_key, true);
		return LX_OK;
	});
}

// Counts the values of several slots, each document counted only for the
// first time its key (the value in key_slot) is seen: facets over articles
// when the matching documents are passages. Empty values are not counted;
// an empty key is a key like any other. Key and values come from the
// handle's slot_caches where there are some (an array index per document),
// else from the matcher's document (a value-stream read each).
class DistinctFacetSpy : public Xapian::MatchSpy {
  public:
	DistinctFacetSpy(const std::vector<uint32_t> &slots, uint32_t key_slot,
	                 const slot_cache *key_cache,
	                 std::vector<const slot_cache *> caches)
		: slots_(slots), key_slot_(key_slot), key_cache_(key_cache),
		  caches_(std::move(caches)), read_(slots.size()),
		  reads_(slots.size(), 0), cached_(slots.size())
	{
		if (key_cache_)
			key_seen_.assign(key_cache_->nvalues + 1, 0);
		for (size_t i = 0; i < slots.size(); i++)
			if (caches_[i])
				cached_[i].assign(caches_[i]->nvalues, 0);
	}

	void operator()(const Xapian::Document &doc, double) override
	{
		Xapian::docid did = doc.get_docid();
		if (!first_sight(doc, did))
			return;
		total_++;
		for (size_t i = 0; i < slots_.size(); i++) {
			if (const slot_cache *c = caches_[i]) {
				if (uint32_t id = cached_id(c, did))
					cached_[i][id - 1]++;
				continue;
			}
			reads_[i]++;
			const std::string v = doc.get_value(slots_[i]);
			if (!v.empty())
				read_[i].add(v.data(), v.size());
		}
	}

	uint64_t total() const { return total_; }
	// Values of slot i (or of the key) read one document at a time.
	uint64_t reads(size_t i) const { return reads_[i]; }
	uint64_t key_reads() const { return key_reads_; }

	// Slot i's values and counts in ascending byte order.
	std::vector<std::pair<std::string, uint64_t>> values(size_t i) const
	{
		if (!caches_[i])
			return read_[i].sorted();
		std::vector<std::pair<std::string, uint64_t>> out;
		const std::vector<uint64_t> &n = cached_[i];
		for (size_t v = 0; v < n.size(); v++)
			if (n[v])
				out.emplace_back(caches_[i]->values[v], n[v]);
		return out;
	}

  private:
	// A cache is of the enquire's own shard list and revision (see
	// lx_db::gen), so it has every docid the match can produce; one past
	// it is a bug, reported rather than miscounted.
	static uint32_t cached_id(const slot_cache *c, Xapian::docid did)
	{
		if (did >= c->ids.size())
			throw Xapian::InvalidOperationError(
				"facet value cache out of step with the database");
		return c->ids[did];
	}

	// True the first time doc's key is seen.
	bool first_sight(const Xapian::Document &doc, Xapian::docid did)
	{
		if (key_cache_) {
			uint32_t id = cached_id(key_cache_, did); // 0: empty key
			if (key_seen_[id])
				return false;
			key_seen_[id] = 1;
			return true;
		}
		key_reads_++;
		const std::string key = doc.get_value(key_slot_);
		return seen_.add(key.data(), key.size());
	}

	std::vector<uint32_t> slots_;
	uint32_t key_slot_;
	const slot_cache *key_cache_;            // NULL: read every key
	std::vector<uint8_t> key_seen_;          // [cached key number]
	uint64_t key_reads_ = 0;
	ByteCounter seen_;                       // keys read; counts unused
	std::vector<const slot_cache *> caches_; // NULL: no cache for slot i
	std::vector<ByteCounter> read_;          // values read per document
	std::vector<uint64_t> reads_;
	std::vector<std::vector<uint64_t>> cached_; // [i][value index]
	uint64_t total_ = 0;
};

int lx_enquire_set_facet_key(lx_enquire *enq, uint32_t key_slot)
{
	if (!enq)
		return fail(nullptr, LX_EINVAL, "null argument");
	enq->facet_key_slot = key_slot;
	return LX_OK;
}

int lx_enquire_add_facet(lx_enquire *enq, uint32_t slot)
{
	if (!enq)
		return fail(nullptr, LX_EINVAL, "null argument");
	if (slot == LX_NO_SLOT)
		return fail(&enq->err, LX_EINVAL, "facet on no slot");
	return guard(&enq->err, [&] {
		auto &v = enq->facet_slots;
		if (std::find(v.begin(), v.end(), slot) == v.end())
			v.push_back(slot);
		return LX_OK;
	});
}

int lx_enquire_clear_facets(lx_enquire *enq)
{
	if (!enq)
		return fail(nullptr, LX_EINVAL, "null argument");
	enq->facet_slots.clear();
	return LX_OK;
}

int lx_enquire_get_mset(lx_enquire *enq, uint32_t offset, uint32_t count,
                        uint32_t check_at_least, lx_mset **out)
{
	if (!enq || !out)
		return fail(enq ? &enq->err : nullptr, LX_EINVAL, "null argument");
	*out = nullptr;
	if (!enq->has_query)
		return fail(&enq->err, LX_EINVAL, "no query set on the enquire");
	return guard(&enq->err, [&] {
		std::unique_ptr<lx_mset> ms(new lx_mset);
		Xapian::doccount ndocs = enq->db->db.get_doccount();
		if (!enq->facet_slots.empty())
			check_at_least = ndocs;
		check_at_least = std::min<uint32_t>(check_at_least, ndocs);
		count = std::min<uint32_t>(count, ndocs);

		// Fresh spies per run: a spy keeps counting across get_mset calls.
		std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
		std::unique_ptr<DistinctFacetSpy> distinct;
		spy_detach detach{enq->enq};
		enq->enq.clear_matchspies();
		if (enq->facet_key_slot != LX_NO_SLOT && !enq->facet_slots.empty()) {
			lx_db *d = enq->db;
			// the cache's docids are those of the lx_db's shard list,
			// which an enquire made before lx_db_add no longer shares
			std::vector<const slot_cache *> caches;
			for (uint32_t slot : enq->facet_slots)
				caches.push_back(enq->db_gen == d->gen
				                 ? facet_cache_for(d, slot, true) : nullptr);
			const slot_cache *key_cache = enq->db_gen == d->gen
				? facet_cache_for(d, enq->facet_key_slot, false)
				: nullptr;
			distinct.reset(new DistinctFacetSpy(enq->facet_slots,
			                                    enq->facet_key_slot,
			                                    key_cache,
			                                    std::move(caches)));
			enq->enq.add_matchspy(distinct.get());
		} else {
			for (uint32_t slot : enq->facet_slots) {
				spies.emplace_back(new Xapian::ValueCountMatchSpy(slot));
				enq->enq.add_matchspy(spies.back().get());
			}
		}
		ms->ms = enq->enq.get_mset(offset, count, check_at_least);
		ms->query = enq->query;
		for (size_t i = 0; i < spies.size(); i++) {
			lx_facet f;
			f.slot = enq->facet_slots[i];
			f.ndocs = spies[i]->get_total();
			for (auto v = spies[i]->values_begin();
			     v != spies[i]->values_end(); ++v)
				f.values.emplace_back(*v, v.get_termfreq());
			ms->facets.push_back(std::move(f));
		}
		if (distinct) {
			for (size_t i = 0; i < enq->facet_slots.size(); i++) {
				lx_facet f;
				f.slot = enq->facet_slots[i];
				f.ndocs = distinct->total();
				f.values = distinct->values(i);
				if (enq->db_gen == enq->db->gen)
					enq->db->facet_reads[f.slot] += distinct->reads(i);
				ms->facets.push_back(std::move(f));
			}
			if (enq->db_gen == enq->db->gen)
				enq->db->facet_reads[enq->facet_key_slot] +=
					distinct->key_reads();
		}
		*out = ms.release();
		return LX_OK;
	});
}

int lx_enquire_get_eset(lx_enquire *enq, const uint32_t *docids,
                        size_t ndocids, uint32_t max, uint32_t min_docs,
                        const char *prefix, int flags, lx_eset **out)
{
	if (!enq || !out || !docids)
		return fail(enq ? &enq->err : nullptr, LX_EINVAL, "null argument");
	*out = nullptr;
	if (ndocids == 0)
		return fail(&enq->err, LX_EINVAL, "expand set needs documents");
	return guard(&enq->err, [&] {
		Xapian::RSet rset;
		// a damaged list is an error here, not a read past its end
		// inside Xapian (check_in_child)
		if (!(flags & LX_ESET_CHECKED)) {
			std::vector<unsigned char> f;
			size_t bad = check_termlists(enq->db, docids, ndocids, &f);
			if (bad < ndocids)
				throw Xapian::DatabaseCorruptError(termlist_fault_message(
					docids[bad], f[bad]));
		}
		for (size_t i = 0; i < ndocids; i++)
			rset.add_document(docids[i]);
		eset_decider dec(prefix ? prefix : "",
		                 (flags & LX_ESET_UNPREFIXED_ONLY) != 0,
		                 (flags & LX_ESET_OR_PREFIX) != 0);
		// the counts read the handle's shards: only while they are
		// the ones enq searches (else every term is weighed)
		if (min_docs > 1 && enq->db_gen == enq->db->gen)
			dec.count_docs(enq->db->db, docids, ndocids, min_docs);
		int xf = (flags & LX_ESET_INCLUDE_QUERY_TERMS)
			? Xapian::Enquire::INCLUDE_QUERY_TERMS : 0;
		Xapian::ESet es = enq->enq.get_eset(max, rset, xf, &dec);
		std::unique_ptr<lx_eset> res(new lx_eset);
		for (auto t = es.begin(); t != es.end(); ++t)
			res->terms.emplace_back(*t, t.get_weight());
		*out = res.release();
		return LX_OK;
	});
}

/* ---- results ------------------------------------------------------- */

void lx_mset_free(lx_mset *ms)
{
	delete ms;
}

const char *lx_mset_errmsg(const lx_mset *ms)
{
	return ms ? ms->err.c_str() : "";
}

size_t lx_mset_size(const lx_mset *ms)
{
	return ms ? ms->ms.size() : 0;
}

void lx_mset_counts(const lx_mset *ms, uint64_t *lower, uint64_t *estimated,
                    uint64_t *upper)
{
	if (lower)
		*lower = ms ? ms->ms.get_matches_lower_bound() : 0;
	if (estimated)
		*estimated = ms ? ms->ms.get_matches_estimated() : 0;
	if (upper)
		*upper = ms ? ms->ms.get_matches_upper_bound() : 0;
}

void lx_mset_max_weight(const lx_mset *ms, double *possible,
                        double *attained)
{
	if (possible)
		*possible = ms ? ms->ms.get_max_possible() : 0;
	if (attained)
		*attained = !ms ? 0
		            : !ms->order.empty() ? ms->weights[0]
		            : ms->ms.get_max_attained();
}

// Guards an access to hit i: NULL mset or out-of-range index.
static int check_hit(lx_mset *ms, size_t i)
{
	if (!ms)
		return fail(nullptr, LX_EINVAL, "null argument");
	if (i >= ms->ms.size())
		return fail(&ms->err, LX_EINVAL, "hit index out of range");
	return LX_OK;
}

// The MSet entry of hit i, through the order lx_mset_reorder set.
static Xapian::MSetIterator hit_at(const lx_mset *ms, size_t i)
{
	return ms->ms[ms->order.empty() ? Xapian::doccount(i) : ms->order[i]];
}

int lx_mset_reorder(lx_mset *ms, const double *weights, size_t n)
{
	if (!ms || (n && !weights))
		return fail(ms ? &ms->err : nullptr, LX_EINVAL, "null argument");
	if (n != ms->ms.size())
		return fail(&ms->err, LX_EINVAL,
		            "reorder needs one weight per hit");
	return guard(&ms->err, [&] {
		// (new weight, MSet index), highest first, ties as they were
		std::vector<std::pair<double, Xapian::doccount>> by(n);
		for (size_t i = 0; i < n; i++)
			by[i] = { weights[i], ms->order.empty() ? Xapian::doccount(i)
			                                        : ms->order[i] };
		std::stable_sort(by.begin(), by.end(),
		                 [](const auto &x, const auto &y) {
			                 return x.first > y.first;
		                 });
		ms->order.resize(n);
		ms->weights.resize(n);
		for (size_t i = 0; i < n; i++) {
			ms->weights[i] = by[i].first;
			ms->order[i] = by[i].second;
		}
		return LX_OK;
	});
}

int lx_mset_hit(lx_mset *ms, size_t i, lx_hit *hit)
{
	int rc = check_hit(ms, i);
	if (rc < 0)
		return rc;
	if (!hit)
		return fail(&ms->err, LX_EINVAL, "null argument");
	return guard(&ms->err, [&] {
		Xapian::MSetIterator it = hit_at(ms, i);
		hit->docid = *it;
		hit->rank = ms->order.empty()
		            ? it.get_rank()
		            : ms->ms.get_firstitem() + Xapian::doccount(i);
		hit->weight = ms->order.empty() ? it.get_weight() : ms->weights[i];
		hit->percent = it.get_percent();
		hit->collapse_count = it.get_collapse_count();
		return LX_OK;
	});
}

int lx_mset_collapse_key(lx_mset *ms, size_t i, char **out, size_t *len)
{
	clear_out(out, len);
	int rc = check_hit(ms, i);
	if (rc < 0)
		return rc;
	if (!out)
		return fail(&ms->err, LX_EINVAL, "null argument");
	return guard(&ms->err, [&] {
		return give_bytes(hit_at(ms, i).get_collapse_key(),
		                  out, len);
	});
}

int lx_mset_data(lx_mset *ms, size_t i, char **out, size_t *len)
{
	clear_out(out, len);
	int rc = check_hit(ms, i);
	if (rc < 0)
		return rc;
	if (!out)
		return fail(&ms->err, LX_EINVAL, "null argument");
	return guard(&ms->err, [&] {
		return give_bytes(
			hit_at(ms, i).get_document().get_data(), out,
			len);
	});
}

int lx_mset_value(lx_mset *ms, size_t i, uint32_t slot, char **out,
                  size_t *len)
{
	clear_out(out, len);
	int rc = check_hit(ms, i);
	if (rc < 0)
		return rc;
	if (!out)
		return fail(&ms->err, LX_EINVAL, "null argument");
	return guard(&ms->err, [&] {
		return give_bytes(
			hit_at(ms, i).get_document().get_value(slot),
			out, len);
	});
}

int lx_mset_doc_terms(lx_mset *ms, size_t i, const char *prefix,
                      lx_term_fn fn, void *ctx)
{
	int rc = check_hit(ms, i);
	if (rc < 0)
		return rc;
	if (!fn)
		return fail(&ms->err, LX_EINVAL, "null argument");
	term_list terms;
	rc = guard(&ms->err, [&] {
		collect_doc_terms(hit_at(ms, i).get_document(),
		                  prefix, &terms);
		return LX_OK;
	});
	return rc < 0 ? rc : deliver(terms, fn, ctx);
}

int lx_mset_matching_terms(lx_mset *ms, size_t i, lx_term_fn fn, void *ctx)
{
	int rc = check_hit(ms, i);
	if (rc < 0)
		return rc;
	if (!fn)
		return fail(&ms->err, LX_EINVAL, "null argument");
	term_list terms;
	rc = guard(&ms->err, [&] {
		// One forward pass over the document's terms finds which of the
		// query's (sorted) unique terms it has; then report in query order.
		Xapian::Document doc = hit_at(ms, i).get_document();
		std::set<std::string> present;
		Xapian::TermIterator tl = doc.termlist_begin();
		Xapian::TermIterator tend = doc.termlist_end();
		for (auto q = ms->query.get_unique_terms_begin();
		     q != ms->query.get_unique_terms_end() && tl != tend; ++q) {
			tl.skip_to(*q);
			if (tl != tend && *tl == *q)
				present.insert(*q);
		}
		std::vector<std::string> order;
		std::vector<uint64_t> wqf;
		for (auto q = ms->query.get_terms_begin();
		     q != ms->query.get_terms_end(); ++q) {
			std::string t = *q;
			if (!present.count(t))
				continue;
			auto at = std::find(order.begin(), order.end(), t);
			if (at == order.end()) {
				order.push_back(t);
				wqf.push_back(1);
			} else {
				wqf[at - order.begin()]++;
			}
		}
		for (size_t k = 0; k < order.size(); k++)
			terms.emplace_back(order[k], wqf[k]);
		return LX_OK;
	});
	return rc < 0 ? rc : deliver(terms, fn, ctx);
}

int lx_mset_termfreq(lx_mset *ms, const char *term, size_t len,
                     uint64_t *termfreq)
{
	if (!ms || !termfreq || bad_bytes(term, len))
		return fail(ms ? &ms->err : nullptr, LX_EINVAL, "null argument");
	return guard(&ms->err, [&] {
		*termfreq = len ? ms->ms.get_termfreq(bytes(term, len)) : 0;
		return LX_OK;
	});
}

static const lx_facet *find_facet(const lx_mset *ms, uint32_t slot)
{
	for (const auto &f : ms->facets)
		if (f.slot == slot)
			return &f;
	return nullptr;
}

int lx_mset_facet_size(const lx_mset *ms, uint32_t slot, size_t *nvalues,
                       uint64_t *ndocs)
{
	if (nvalues)
		*nvalues = 0;
	if (ndocs)
		*ndocs = 0;
	if (!ms)
		return fail(nullptr, LX_EINVAL, "null argument");
	const lx_facet *f = find_facet(ms, slot);
	if (!f)
		return fail(nullptr, LX_ENOTFOUND, "no facet on that slot");
	if (nvalues)
		*nvalues = f->values.size();
	if (ndocs)
		*ndocs = f->ndocs;
	return LX_OK;
}

int lx_mset_facet_get(const lx_mset *ms, uint32_t slot, size_t i,
                      const char **value, size_t *len, uint64_t *count)
{
	if (!ms || !value || !len)
		return fail(nullptr, LX_EINVAL, "null argument");
	const lx_facet *f = find_facet(ms, slot);
	if (!f)
		return fail(nullptr, LX_ENOTFOUND, "no facet on that slot");
	if (i >= f->values.size())
		return fail(nullptr, LX_EINVAL, "facet index out of range");
	*value = f->values[i].first.c_str();
	*len = f->values[i].first.size();
	if (count)
		*count = f->values[i].second;
	return LX_OK;
}

size_t lx_eset_size(const lx_eset *es)
{
	return es ? es->terms.size() : 0;
}

int lx_eset_get(const lx_eset *es, size_t i, const char **term, size_t *len,
                double *weight)
{
	if (!es || !term || !len)
		return fail(nullptr, LX_EINVAL, "null argument");
	if (i >= es->terms.size())
		return fail(nullptr, LX_EINVAL, "expand set index out of range");
	*term = es->terms[i].first.c_str();
	*len = es->terms[i].first.size();
	if (weight)
		*weight = es->terms[i].second;
	return LX_OK;
}

void lx_eset_free(lx_eset *es)
{
	delete es;
}

} // extern "C"
