#!/bin/sh
# `make bench`: speed, size and memory of lede side by side with its peers
# (Xapian's TermGenerator/QueryParser, a raw Xapian writer, SQLite FTS5) on
# the same documents in one run; prints the table and writes
# docs/BENCHMARKS.md. This script builds and runs programs; the measuring is
# done by the programs in bench/ (rss, query_bench, the peers' latency mode).
#
#   sh bench/run.sh            corpora in $BENCH_CORPORA or ../shared/corpora
#   sh bench/run.sh --smoke    200 generated articles, output under
#                              build/bench/smoke/, for `make test`
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BB=$ROOT/build/bench
SMOKE=0
if [ "${1:-}" = "--smoke" ]; then
	SMOKE=1
	shift
fi
CORPORA=${1:-${BENCH_CORPORA:-$ROOT/../shared/corpora}}
if [ "${BUILD_ONLY:-0}" = 0 ] && [ "$SMOKE" = 0 ] && [ ! -d "$CORPORA" ]; then
	echo "bench: no corpora at $CORPORA; nothing to measure (set BENCH_CORPORA or pass a directory)"
	exit 0
fi
[ -d "$CORPORA" ] && CORPORA=$(cd "$CORPORA" && pwd)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---- build the bench programs (only when a source is newer) -------------
mkdir -p "$BB"
WERROR=${WERROR--Werror}
CWARN="-Wall -Wextra -Wshadow $WERROR"
CC=${CC:-cc}
CXX=${CXX:-c++}
PKGS="xapian-core sqlite3 jansson zlib libxml-2.0 libutf8proc"
# shellcheck disable=SC2086
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
# shellcheck disable=SC2086
PKG_LIBS="$(pkg-config --libs $PKGS) -lstemmer -lcsv -lpthread -lm"
COMMON="$ROOT/common/strbuf.c $ROOT/common/xalloc.c"
LIB_A=$ROOT/build/liblede.a

# stale OUT SRC...: true when OUT is missing or older than a source.
stale() {
	out=$1
	shift
	[ -x "$out" ] || return 0
	for s in "$@"; do
		[ -n "$(find "$s" -newer "$out" 2>/dev/null)" ] && return 0
	done
	return 1
}

# cbuild OUT SRC...: a C program with the common helpers.
cbuild() {
	out=$1
	shift
	# shellcheck disable=SC2086
	stale "$out" "$@" $COMMON || return 0
	# shellcheck disable=SC2086
	$CC -std=c11 -D_GNU_SOURCE -O2 $CWARN $PKG_CFLAGS -o "$out" "$@" $COMMON $PKG_LIBS
}

build_all() {
	ok=0
	cbuild "$BB/rss" "$ROOT/bench/rss.c" || ok=1
	cbuild "$BB/gen_articles" "$ROOT/bench/gen_articles.c" || ok=1
	cbuild "$BB/fts5_ref" "$ROOT/bench/fts5_ref.c" || ok=1
	for p in xapian_ref raw_writer; do
		if stale "$BB/$p" "$ROOT/bench/$p.cc"; then
			# shellcheck disable=SC2086
			$CXX -std=c++17 -O2 $CWARN $PKG_CFLAGS -o "$BB/$p" "$ROOT/bench/$p.cc" \
				$PKG_LIBS || ok=1
		fi
	done
	# Programs on lede's library: only when it has been built. They
	# link with c++ because the library holds the C++ shim.
	if [ -f "$LIB_A" ]; then
		for p in query_bench analyzer_bench; do
			[ -f "$ROOT/bench/$p.c" ] || continue
			if stale "$BB/$p" "$ROOT/bench/$p.c" "$LIB_A" "$ROOT/include/lede.h"; then
				# shellcheck disable=SC2086
				if ! { $CC -std=c11 -D_GNU_SOURCE -O2 $CWARN $PKG_CFLAGS \
					-I"$ROOT/include" -I"$ROOT" -c "$ROOT/bench/$p.c" -o "$BB/$p.o" &&
					$CXX -o "$BB/$p" "$BB/$p.o" "$LIB_A" $PKG_LIBS; }; then
					echo "bench: building $p failed; its figures are left out" >&2
					rm -f "$BB/$p"
				fi
			fi
		done
	fi
	return $ok
}
if ! build_all; then
	echo "bench: building the bench programs failed" >&2
	exit 1
fi
[ "${BUILD_ONLY:-0}" = 1 ] && exit 0

# ---- is lede ready? -----------------------------------------------------
LEDE_BIN=${LEDE_BIN:-$ROOT/build/lede}
LEDE_OK=0
if [ -x "$LEDE_BIN" ] && timeout 20 "$LEDE_BIN" --help 2>&1 | grep -q index; then
	LEDE_OK=1
fi

if [ "$SMOKE" = 1 ]; then
	W=$BB/smoke
	DOC=$W/BENCHMARKS.md
else
	W=$BB/run
	DOC=$ROOT/docs/BENCHMARKS.md
fi
rm -rf "$W"
mkdir -p "$W"
LOG=$W/log
: >"$LOG"
: >"$W/commands.txt"
RESULTS=$W/index.tsv
QRESULTS=$W/query.tsv
: >"$RESULTS"
: >"$QRESULTS"
T_ALL=$(now)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the input ------------------------------------------------------------
# The peers read one JSON Lines file; lede reads the original files (its
# readers are part of what is measured) and, for a like-for-like row, the
# same JSON Lines file.
if [ "$SMOKE" = 1 ]; then
	JSONL=$W/corpus.jsonl
	"$BB/gen_articles" generate 200 42 "$ROOT/corpus/gazetteer" - >"$JSONL" 2>>"$LOG" || {
		echo "bench: generating the smoke corpus failed (see $LOG)" >&2
		exit 1
	}
	ORIG_PATHS=""
	echo "build/bench/gen_articles generate 200 42 corpus/gazetteer - > $JSONL   (not timed)" |
		sed "s|$ROOT/||g" >>"$W/commands.txt"
else
	JSONL=$BB/corpus.jsonl
	# converted again when a corpus file or the converter is newer
	if [ ! -s "$JSONL" ] || [ -n "$(find "$CORPORA" "$BB/gen_articles" -newer "$JSONL" 2>/dev/null | head -n 1)" ]; then
		echo "bench: converting $CORPORA to $JSONL" >&2
		if ! "$BB/gen_articles" convert "$CORPORA" >"$JSONL.tmp" 2>>"$LOG"; then
			echo "bench: converting the corpora failed (see $LOG)" >&2
			exit 1
		fi
		mv "$JSONL.tmp" "$JSONL"
	fi
	echo "build/bench/gen_articles convert $CORPORA > $JSONL   (once, not timed)" |
		sed "s|$ROOT/||g" >>"$W/commands.txt"
	# bbc/README.TXT is not an article: the category folders only.
	ORIG_PATHS=""
	for p in "$CORPORA"/bbc/*/ "$CORPORA/reuters21578.jsonl" "$CORPORA/20newsgroups" \
		"$CORPORA/ag_news_test.csv" "$CORPORA/spanish_news.jsonl"; do
		[ -e "$p" ] && ORIG_PATHS="$ORIG_PATHS ${p%/}"
	done
fi
JSONL_BYTES=$(wc -c <"$JSONL" | tr -d ' ')
JSONL_DOCS=$(wc -l <"$JSONL" | tr -d ' ')
ORIG_BYTES=0
if [ -n "$ORIG_PATHS" ]; then
	# shellcheck disable=SC2086
	ORIG_BYTES=$(find $ORIG_PATHS -type f ! -name 'README*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
fi

# ---- indexing -------------------------------------------------------------
# row SYSTEM INPUT DOCS SECS CPU_SECS INPUT_BYTES INDEX_BYTES COMPACT_BYTES RSS_KB NOTE
row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"
}

# measure NAME CMD...: run CMD under rss; sets M_SECS M_RSS M_CPU M_RC.
measure() {
	name=$1
	shift
	echo "bench: $name" >&2
	echo "$*" | sed "s|$ROOT/||g" >>"$W/commands.txt"
	"$BB/rss" "$W/$name.rss" "$@" >"$W/$name.out" 2>"$W/$name.err"
	M_RC=$?
	if [ -s "$W/$name.rss" ]; then
		read -r M_SECS M_RSS _ M_CPU <"$W/$name.rss"
	else
		M_SECS=NA
		M_RSS=NA
		M_CPU=NA
	fi
	cat "$W/$name.err" >>"$LOG"
}

# compact_size DB: bytes after xapian-compact into DB.compact, or NA.
compact_size() {
	if xapian-compact "$1" "$1.compact" >>"$LOG" 2>&1; then
		size_of "$1.compact"
	else
		echo NA
	fi
}

size_of() { du -sb "$1" 2>/dev/null | cut -f1; }

# lede: its summary line's "N new" is the document count.
lede_index() {
	label=$1
	input=$2
	bytes=$3
	db=$4
	shift 4
	measure "$label" "$LEDE_BIN" index -d "$db" "$@"
	if [ "$M_RC" != 0 ] && [ "$M_RC" != 4 ]; then
		row lede "$input" NA NA NA "$bytes" NA NA NA "lede: index failed (exit $M_RC, see $W/$label.err)"
		return 1
	fi
	# "lede index: N new, ...; P passages; ..." — N is the article count
	docs=$(sed -n 's/.* \([0-9][0-9]*\) new, .*/\1/p' "$W/$label.err" | tail -n 1)
	[ -n "$docs" ] || docs=NA
	note=$(sed -n 's/.*; \([0-9][0-9]*\) passages;.*/\1 passages/p' "$W/$label.err" | tail -n 1)
	rejected=$(sed -n 's/.* \([0-9][0-9]*\) rejected.*/\1/p' "$W/$label.err" | tail -n 1)
	[ -n "$rejected" ] && [ "$rejected" != 0 ] && note="$note, $rejected rejected"
	row lede "$input" "$docs" "$M_SECS" "$M_CPU" "$bytes" "$(size_of "$db")" \
		"$(compact_size "$db")" "$M_RSS" "$note"
}

LEDE_DB=""
if [ "$LEDE_OK" = 1 ]; then
	if [ -n "$ORIG_PATHS" ]; then
		# shellcheck disable=SC2086
		lede_index lede-files "original files" "$ORIG_BYTES" "$W/lede-files.db" $ORIG_PATHS &&
			LEDE_DB=$W/lede-files.db
	fi
	lede_index lede-jsonl "corpus.jsonl" "$JSONL_BYTES" "$W/lede-jsonl.db" \
		--format jsonl "$JSONL" && [ -z "$LEDE_DB" ] && LEDE_DB=$W/lede-jsonl.db
else
	row lede "corpus.jsonl" NA NA NA "$JSONL_BYTES" NA NA NA "lede: not available"
fi

measure xapian "$BB/xapian_ref" index "$W/xapian.db" "$JSONL"
if [ "$M_RC" = 0 ]; then
	row xapian corpus.jsonl "$JSONL_DOCS" "$M_SECS" "$M_CPU" "$JSONL_BYTES" "$(size_of "$W/xapian.db")" \
		"$(compact_size "$W/xapian.db")" "$M_RSS" ""
else
	row xapian corpus.jsonl NA NA NA "$JSONL_BYTES" NA NA NA "xapian_ref failed (exit $M_RC)"
fi

# The raw writer: analysis first, untimed; then only the writes + commit
# (its own clock, printed on stdout), peak RSS of that second process.
echo "bench: raw writer: preparing terms (not timed)" >&2
echo "build/bench/raw_writer prep $JSONL $W/raw.terms   (not timed)" | sed "s|$ROOT/||g" >>"$W/commands.txt"
if "$BB/raw_writer" prep "$JSONL" "$W/raw.terms" >>"$LOG" 2>&1; then
	measure raw "$BB/raw_writer" write "$W/raw.db" "$W/raw.terms"
	if [ "$M_RC" = 0 ]; then
		read -r rdocs rsecs <"$W/raw.out"
		row raw-xapian "terms of corpus.jsonl" "$rdocs" "$rsecs" "$M_CPU" "$JSONL_BYTES" \
			"$(size_of "$W/raw.db")" "$(compact_size "$W/raw.db")" "$M_RSS" \
			"seconds: writes + commit only; CPU s: the whole process"
	else
		row raw-xapian corpus.jsonl NA NA NA "$JSONL_BYTES" NA NA NA "raw_writer failed (exit $M_RC)"
	fi
	rm -f "$W/raw.terms"
else
	row raw-xapian corpus.jsonl NA NA NA "$JSONL_BYTES" NA NA NA "raw_writer prep failed"
fi

measure fts5 "$BB/fts5_ref" index "$W/fts5.sqlite" "$JSONL"
if [ "$M_RC" = 0 ]; then
	row fts5 corpus.jsonl "$JSONL_DOCS" "$M_SECS" "$M_CPU" "$JSONL_BYTES" "$(size_of "$W/fts5.sqlite")" \
		NA "$M_RSS" ""
else
	row fts5 corpus.jsonl NA NA NA "$JSONL_BYTES" NA NA NA "fts5_ref failed (exit $M_RC)"
fi

# ---- queries --------------------------------------------------------------
QUERIES=$ROOT/bench/queries.txt
# The peers' form of the set: {"_id": qid, "text": peer query}.
awk -F'\t' '!/^#/ && NF >= 4 {
	t = $4; gsub(/\\/, "\\\\", t); gsub(/"/, "\\\"", t)
	printf "{\"_id\":\"%s\",\"text\":\"%s\"}\n", $1, t
}' "$QUERIES" >"$W/queries.jsonl"
NQUERIES=$(wc -l <"$W/queries.jsonl" | tr -d ' ')

# qcmd CMD...: run a latency command, noting it for the report.
qcmd() {
	echo "$*" | sed "s|$ROOT/||g" >>"$W/commands.txt"
	"$@"
}

# qrow SYSTEM DB TIMINGS: p50/p99/mean/qps from "qid secs hits" lines.
qrow() {
	if [ ! -s "$3" ]; then
		printf '%s\t%s\tNA\tNA\tNA\tNA\tNA\t%s\n' "$1" "$NQUERIES" "${4:-no timings}" >>"$QRESULTS"
		return
	fi
	sort -t "$(printf '\t')" -k2,2g "$3" | awk -F'\t' -v sys="$1" -v note="${4:-}" '
		{ t[NR] = $2; sum += $2; if ($3 < 0) bad++; else if ($3 == 0) empty++ }
		function pct(q,   i) { i = int(q * NR + 0.999999); if (i < 1) i = 1; return t[i] }
		END {
			extra = (bad ? bad " rejected" : "")
			if (empty) extra = extra (extra ? ", " : "") empty " with no hits"
			if (note != "") extra = note (extra ? "; " extra : "")
			printf "%s\t%d\t%.3f\t%.3f\t%.3f\t%.0f\t%s\n", sys, NR,
				1000 * pct(0.5), 1000 * pct(0.99), 1000 * sum / NR,
				NR / sum, extra
		}' >>"$QRESULTS"
}

if [ -n "$LEDE_DB" ] && [ -x "$BB/query_bench" ]; then
	echo "bench: lede queries" >&2
	qcmd "$BB/query_bench" "$LEDE_DB" "$QUERIES" >"$W/lat.lede" 2>>"$LOG"
	qrow lede "$LEDE_DB" "$W/lat.lede" "top 10, snippets, collapse; $(basename "$LEDE_DB")"
	# the same without pseudo-relevance feedback, to show what it costs
	qcmd "$BB/query_bench" "$LEDE_DB" "$QUERIES" no-feedback >"$W/lat.lede-nofb" 2>>"$LOG"
	qrow "lede, no feedback" "$LEDE_DB" "$W/lat.lede-nofb" "as above, opts.no_feedback = 1"
else
	printf 'lede\t%s\tNA\tNA\tNA\tNA\tlede: not available\n' "$NQUERIES" >>"$QRESULTS"
fi
if [ -d "$W/xapian.db" ]; then
	echo "bench: xapian queries" >&2
	qcmd "$BB/xapian_ref" latency "$W/xapian.db" "$W/queries.jsonl" 10 >"$W/lat.xapian" 2>>"$LOG"
	qrow xapian "$W/xapian.db" "$W/lat.xapian" "top 10 ids"
fi
if [ -f "$W/fts5.sqlite" ]; then
	echo "bench: fts5 queries" >&2
	qcmd "$BB/fts5_ref" latency "$W/fts5.sqlite" "$W/queries.jsonl" 10 >"$W/lat.fts5" 2>>"$LOG"
	qrow fts5 "$W/fts5.sqlite" "$W/lat.fts5" "top 10 ids"
fi

# ---- the analyzer -----------------------------------------------------------
ANALYZER=""
if [ -x "$BB/analyzer_bench" ]; then
	echo "bench: analyzer" >&2
	ANALYZER=$("$BB/analyzer_bench" "$JSONL" 2>>"$LOG") || ANALYZER="analyzer_bench failed (see $LOG)"
else
	ANALYZER="analyzer_bench not available"
fi

T_TOTAL=$(elapsed "$T_ALL" "$(now)")

# ---- the report -------------------------------------------------------------
# The tables and the headline ratios, from index.tsv and query.tsv. MB is
# 10^6 bytes; a ratio is left out when either side is missing.
render_table() {
	awk -F'\t' -v qfile="$QRESULTS" -v nq="$NQUERIES" '
	function num(x) { return x != "" && x != "NA" }
	function f(x, fmt) { return num(x) ? sprintf(fmt, x) : "—" }
	function ratio(a, b) { return (num(a) && num(b) && b > 0) ? sprintf("%.2f", a / b) : "—" }
	{
		sys = $1; inp = $2
		cpu = $5; ib = $6; xb = $7; cb = $8; rss = $9
		dps = (num($3) && num($4) && $4 > 0) ? $3 / $4 : "NA"
		mbs = (num($4) && $4 > 0) ? ib / 1e6 / $4 : "NA"
		line[NR] = sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
			sys, inp, f($3, "%d"), f($4, "%.1f"), f(cpu, "%.1f"), f(dps, "%.0f"), f(mbs, "%.2f"),
			f(num(xb) ? xb / 1e6 : "NA", "%.1f"), ratio(xb, ib),
			f(num(cb) ? cb / 1e6 : "NA", "%.1f"), ratio(cb, ib),
			f(num(rss) ? rss / 1024 : "NA", "%.0f"), $10)
		n = NR
		key = sys (inp == "corpus.jsonl" || sys != "lede" ? "" : "-files")
		MBS[key] = mbs; SIZE[key] = xb; CSIZE[key] = cb; CPU[key] = cpu
	}
	END {
		print "## Indexing"
		print ""
		print "| system | input | docs | seconds | CPU s | docs/s | MB/s | index MB | × input | compacted MB | × input | peak RSS MB | note |"
		print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
		for (i = 1; i <= n; i++) print line[i]
		print ""
		print "## Queries (" nq " queries, one thread, warm)"
		print ""
		print "| system | queries | p50 ms | p99 ms | mean ms | queries/s | note |"
		print "|---|---:|---:|---:|---:|---:|---|"
		while ((getline l < qfile) > 0) {
			split(l, q, "\t")
			printf "| %s | %s | %s | %s | %s | %s | %s |\n", q[1], q[2], f(q[3], "%.3f"),
				f(q[4], "%.3f"), f(q[5], "%.3f"), f(q[6], "%.0f"), q[7]
			P50[q[1]] = q[3]
		}
		print ""
		print "## Headline ratios"
		print ""
		print "| ratio | value |"
		print "|---|---:|"
		print "| lede MB/s ÷ raw Xapian writer MB/s (same JSON Lines input) | " ratio(MBS["lede"], MBS["raw-xapian"]) " |"
		print "| lede MB/s ÷ Xapian TermGenerator MB/s (same input) | " ratio(MBS["lede"], MBS["xapian"]) " |"
		print "| lede CPU seconds ÷ raw Xapian writer CPU seconds (same input) | " ratio(CPU["lede"], CPU["raw-xapian"]) " |"
		print "| lede MB/s from the original files ÷ raw Xapian writer MB/s | " ratio(MBS["lede-files"], MBS["raw-xapian"]) " |"
		print "| lede index size ÷ FTS5 size (same input) | " ratio(SIZE["lede"], SIZE["fts5"]) " |"
		print "| lede compacted size ÷ FTS5 size | " ratio(CSIZE["lede"], SIZE["fts5"]) " |"
		print "| lede index size ÷ Xapian TermGenerator size (both compacted) | " ratio(CSIZE["lede"], CSIZE["xapian"]) " |"
		print "| lede p50 ÷ Xapian p50 | " ratio(P50["lede"], P50["xapian"]) " |"
		print "| lede p50 ÷ FTS5 p50 | " ratio(P50["lede"], P50["fts5"]) " |"
	}' "$RESULTS"
}
render_table >"$W/table.md"
cat "$W/table.md"
if [ -n "$ANALYZER" ]; then
	echo
	echo "Analyzer (lede, bench/analyzer_bench.c):"
	echo "$ANALYZER" | sed 's/^/    /'
fi
echo "bench: wall time ${T_TOTAL}s"

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1)
[ -n "$DIRTY" ] && COMMIT="$COMMIT (with uncommitted changes)"
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
RAM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
{
	echo "# Benchmarks"
	echo
	echo "Generated by \`make bench\` (bench/run.sh); do not edit by hand."
	echo "\`make bench-scale\` (bench/scale.sh) adds the section on growth at the end."
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- commit: $COMMIT"
	echo "- machine: $(nproc) cores, ${CPU:-unknown CPU}, $RAM RAM, $(uname -sr)"
	echo "- Xapian $(pkg-config --modversion xapian-core 2>/dev/null), SQLite $(pkg-config --modversion sqlite3 2>/dev/null), $($CC --version | head -n 1)"
	if [ "$SMOKE" = 1 ]; then
		echo "- input: 200 generated articles (smoke run)"
	else
		echo "- input: $CORPORA — $JSONL_DOCS documents: bbc/*/*.txt, reuters21578.jsonl, 20newsgroups/*/*/*, ag_news_test.csv, spanish_news.jsonl"
		echo "  - as original files: $ORIG_BYTES bytes; as one JSON Lines file (id, title, text, date, source, lang; \`build/bench/gen_articles convert\`): $JSONL_BYTES bytes"
	fi
	echo "- wall time of the whole run: ${T_TOTAL}s; load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg) (anything else running on the machine slows every row; compare rows of one run)"
	echo
	cat "$W/table.md"
	echo
	echo "## Commands"
	echo
	echo "In this order, from the repository root (\`build/bench/rss OUT\` wrapped each indexing command; \`xapian-compact DB DB.compact\` followed each Xapian-based one):"
	echo
	sed 's/^/    /' "$W/commands.txt"
	echo
	echo "## Analyzer"
	echo
	echo "$ANALYZER" | sed 's/^/    /'
	echo
	cat <<'EOF'
## Method

**Same documents for everyone.** `build/bench/gen_articles convert` turns
the corpora into one JSON Lines file (`build/bench/corpus.jsonl`: id, title,
text, and date/source/lang where the corpus has them; invalid UTF-8 bytes
become U+FFFD). The peers index that file. lede indexes it too (row
*corpus.jsonl*, the like-for-like comparison) and, separately, the original
files through its own readers (row *original files*: `.txt`, `.jsonl`,
newsgroup posts, `.csv`), whose MB/s counts the original bytes.

**Systems** (one process each, run one after another, never in parallel):

- *lede*: `lede index -d DB PATH...` (and `--format jsonl` for the
  JSON Lines row), end to end: reading, passage splitting, analysis, entity
  tagging, dedup, compression, Xapian writes, commit.
- *xapian*: `bench/xapian_ref.cc index`, Xapian's `TermGenerator` with the
  English stemmer, `STEM_SOME`, positions, title then text,
  `replace_document` on a `Q` id term.
- *raw-xapian*: `bench/raw_writer.cc`, a ceiling for Xapian writes:
  the text is analysed beforehand (TermGenerator, `STEM_ALL`: unprefixed
  stems with positions, lede's kind of terms) into a binary file, outside
  the timed part; then only `add_document` of the prepared terms and the
  final `commit()` are timed, on one thread. Its *seconds* is that clock.
- *fts5*: `bench/fts5_ref.c index`, SQLite FTS5 with `tokenize='porter'`,
  one transaction.

**Indexing figures.** *seconds* is wall time of the process (measured by
`build/bench/rss`, which also reports peak RSS from `wait4()`'s
`ru_maxrss` and *CPU s*, user + system time of all threads: more CPU
seconds than wall seconds means the program used both cores), except for
raw-xapian as said. MB/s = input bytes ÷ seconds,
MB = 10^6 bytes. *index MB* is `du -sb` of the database; *compacted MB* is
after `xapian-compact` (Xapian-based databases only); *× input* divides by
the input bytes of that row.

**Queries.** `bench/queries.txt`: a fixed mixed set for these corpora
(plain words, phrases, Boolean operators, fields, date ranges over 1987,
facet counts). Each system opens its index once, runs the whole set once to
warm up, then times each query alone with `clock_gettime` (one thread):
lede through the C library (`bench/query_bench.c`: `lede_warm` once after
opening, as a server would, then `lede_search`, top 10 with titles,
snippets and collapse by article; the *facet* queries also count every
facet), the peers with their `latency` mode (parse, top 10,
read the ids). The peers get the same words and phrases without lede's
fields, dates and facets, which they do not have (FTS5's reference makes
every query an OR of its words). p50/p99 are nearest-rank percentiles.

Reproduce: `make bench` (or `sh bench/run.sh [CORPORA]`); the databases,
per-query timings (`lat.*`), logs and raw rows (`index.tsv`, `query.tsv`)
stay in `build/bench/run/`. `sh bench/run.sh --smoke` runs the same
pipeline on 200 generated articles.
EOF
} >"$DOC.tmp"
# keep the scale section that bench/scale.sh wrote, if any
if [ "$SMOKE" = 0 ] && [ -f "$DOC" ] && grep -q '^## Scale' "$DOC"; then
	echo >>"$DOC.tmp"
	sed -n '/^## Scale/,$p' "$DOC" >>"$DOC.tmp"
fi
mv "$DOC.tmp" "$DOC"
echo "bench: wrote $DOC"

if [ "$SMOKE" = 1 ]; then
	FAILED=0
	for sys in xapian raw-xapian fts5; do
		if ! grep -q "^| $sys | [^|]* | [0-9]" "$W/table.md"; then
			echo "bench: smoke: no $sys indexing row in the table" >&2
			FAILED=1
		fi
	done
	for sys in xapian fts5; do
		if ! grep -q "^| $sys | [0-9]* | [0-9]" "$W/table.md"; then
			echo "bench: smoke: no $sys query row in the table" >&2
			FAILED=1
		fi
	done
	if [ "$LEDE_OK" = 1 ] && ! grep -q "^| lede | [^|]* | [0-9]" "$W/table.md"; then
		echo "bench: smoke: no lede row in the table" >&2
		FAILED=1
	fi
	[ "$FAILED" = 0 ] && echo "bench: smoke ok"
	exit "$FAILED"
fi
exit 0
