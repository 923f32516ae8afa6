#!/bin/sh
# `make eval`: relevance of lede and of two peers (Xapian defaults, SQLite
# FTS5) on the BEIR-layout test collections, scored by build/bench/eval the
# way trec_eval scores, written to docs/EVALUATION.md. This script only
# builds and runs programs; parsing and arithmetic live in bench/eval_main.c.
#
#   sh bench/eval.sh [DIR]     DIR or $EVAL_DIR, default ../shared/eval
#   sh bench/eval.sh --smoke   tiny collection in tests/data/eval-smoke/,
#                              output under build/bench/, for `make test`
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BB=$ROOT/build/bench
SMOKE=0
if [ "${1:-}" = "--smoke" ]; then
	SMOKE=1
	shift
fi

if [ "$SMOKE" = 1 ]; then
	EVAL_DIR=$ROOT/tests/data/eval-smoke
	COLLECTIONS=smoke
	WORK=$BB/eval-smoke
	DOC=$WORK/EVALUATION.md
else
	EVAL_DIR=${1:-${EVAL_DIR:-$ROOT/../shared/eval}}
	COLLECTIONS="time cran cisi med cacm npl"
	WORK=$BB/eval-work
	DOC=$ROOT/docs/EVALUATION.md
	if [ ! -d "$EVAL_DIR" ]; then
		echo "eval: no test collections at $EVAL_DIR; nothing to evaluate (set EVAL_DIR or pass a directory)"
		exit 0
	fi
	EVAL_DIR=$(cd "$EVAL_DIR" && pwd)
fi

# Where a collection's files are: the smoke collection is the folder itself.
coll_dir() {
	if [ "$SMOKE" = 1 ]; then echo "$EVAL_DIR"; else echo "$EVAL_DIR/$1"; fi
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---- build the bench programs (only when a source is newer) -------------
mkdir -p "$BB"
WERROR=${WERROR--Werror}
CWARN="-Wall -Wextra -Wshadow $WERROR"
CC=${CC:-cc}
CXX=${CXX:-c++}

# stale OUT SRC...: true when OUT is missing or older than a source.
stale() {
	out=$1
	shift
	[ -x "$out" ] || return 0
	for s in "$@"; do
		# find -newer, as POSIX sh has no -nt
		[ -n "$(find "$s" -newer "$out" 2>/dev/null)" ] && return 0
	done
	return 1
}

COMMON="$ROOT/common/strbuf.c $ROOT/common/xalloc.c"
build_all() {
	pids=""
	# $COMMON is a list of paths without spaces; split on purpose.
	# shellcheck disable=SC2086
	if stale "$BB/eval" "$ROOT/bench/eval_main.c" "$ROOT/bench/trec_metrics.c" \
		"$ROOT/bench/trec_metrics.h" "$ROOT/bench/loo.c" "$ROOT/bench/loo.h" \
		$COMMON; then
		# shellcheck disable=SC2046,SC2086
		$CC -std=c11 -D_GNU_SOURCE -O2 $CWARN -o "$BB/eval" \
			"$ROOT/bench/eval_main.c" "$ROOT/bench/trec_metrics.c" \
			"$ROOT/bench/loo.c" $COMMON \
			$(pkg-config --cflags --libs jansson) -lm &
		pids="$pids $!"
	fi
	# shellcheck disable=SC2086
	if stale "$BB/fts5_ref" "$ROOT/bench/fts5_ref.c" $COMMON; then
		# shellcheck disable=SC2046,SC2086
		$CC -std=c11 -D_GNU_SOURCE -O2 $CWARN -o "$BB/fts5_ref" \
			"$ROOT/bench/fts5_ref.c" $COMMON \
			$(pkg-config --cflags --libs sqlite3 jansson) &
		pids="$pids $!"
	fi
	if stale "$BB/xapian_ref" "$ROOT/bench/xapian_ref.cc"; then
		# shellcheck disable=SC2046,SC2086
		$CXX -std=c++17 -O2 $CWARN -o "$BB/xapian_ref" "$ROOT/bench/xapian_ref.cc" \
			$(pkg-config --cflags --libs xapian-core jansson) &
		pids="$pids $!"
	fi
	ok=0
	for p in $pids; do
		wait "$p" || ok=1
	done
	return $ok
}
if ! build_all; then
	echo "eval: building the bench programs failed" >&2
	exit 1
fi
EVAL=$BB/eval

# ---- is lede ready? -----------------------------------------------------
LEDE_BIN=${LEDE_BIN:-$ROOT/build/lede}
LEDE_OK=0
if [ -x "$LEDE_BIN" ] &&
	timeout 20 "$LEDE_BIN" search --help 2>&1 | grep -q -- '--queries'; then
	LEDE_OK=1
fi

# ---- run every system on every collection --------------------------------
rm -rf "$WORK"
mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
: >"$RESULTS"
GRID=${EVAL_GRID:-$ROOT/bench/eval_grid.tsv}
GRIDRES=$WORK/grid.tsv
: >"$GRIDRES"
FAILED=0
T_ALL=$(now)

# record COLL SYSTEM RUN T0: score RUN and append a results row.
record() {
	secs=$(elapsed "$4" "$(now)")
	if score=$("$EVAL" score "$(coll_dir "$1")/qrels/test.tsv" "$3" 2>>"$W/log"); then
		printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$score" "$secs" >>"$RESULTS"
	else
		fail "$1" "$2" "scoring failed"
	fi
}

# fail COLL SYSTEM WHY: a row that says what went wrong, and a failing exit.
fail() {
	printf '%s\t%s\tNA\t%s (see %s)\n' "$1" "$2" "$3" "$W/log" >>"$RESULTS"
	echo "eval: $1/$2: $3 (see $W/log)" >&2
	FAILED=1
}

for name in $COLLECTIONS; do
	C=$(coll_dir "$name")
	if [ ! -f "$C/corpus.jsonl" ] || [ ! -f "$C/queries.jsonl" ] ||
		[ ! -f "$C/qrels/test.tsv" ]; then
		echo "eval: $C: not a BEIR collection (corpus.jsonl, queries.jsonl, qrels/test.tsv); skipped" >&2
		continue
	fi
	W=$WORK/$name
	mkdir -p "$W"
	echo "eval: $name" >&2

	t0=$(now)
	if "$BB/xapian_ref" index "$W/xapian.db" "$C/corpus.jsonl" 2>>"$W/log" &&
		"$BB/xapian_ref" search "$W/xapian.db" "$C/queries.jsonl" 1000 \
			>"$W/run.xapian" 2>>"$W/log"; then
		record "$name" xapian "$W/run.xapian" "$t0"
	else
		fail "$name" xapian "xapian_ref failed"
	fi

	t0=$(now)
	if "$BB/fts5_ref" index "$W/fts5.sqlite" "$C/corpus.jsonl" 2>>"$W/log" &&
		"$BB/fts5_ref" search "$W/fts5.sqlite" "$C/queries.jsonl" 1000 \
			>"$W/run.fts5" 2>>"$W/log"; then
		record "$name" fts5 "$W/run.fts5" "$t0"
	else
		fail "$name" fts5 "fts5_ref failed"
	fi

	if [ "$LEDE_OK" = 0 ]; then
		printf '%s\tlede\tNA\tnot available yet\n' "$name" >>"$RESULTS"
		continue
	fi
	if ! "$EVAL" prep-queries "$C/queries.jsonl" >"$W/queries.tsv" 2>>"$W/log"; then
		fail "$name" lede "query conversion failed"
		continue
	fi
	t0=$(now)
	# index exit 4 = some records rejected, indexing went on; search
	# exit 1 = no results at all (like grep): both still give a run.
	# LEDE_INDEX_ARGS / LEDE_SEARCH_ARGS: extra options, for choosing
	# defaults (e.g. LEDE_SEARCH_ARGS="--k1 1.5 --b 0.6").
	# shellcheck disable=SC2086
	"$LEDE_BIN" index -d "$W/lede.db" --quiet --format jsonl ${LEDE_INDEX_ARGS:-} \
		"$C/corpus.jsonl" >>"$W/log" 2>&1
	rc=$?
	if [ "$rc" != 0 ] && [ "$rc" != 4 ]; then
		fail "$name" lede "lede index exited $rc"
		continue
	fi
	# shellcheck disable=SC2086
	"$LEDE_BIN" search -d "$W/lede.db" --queries "$W/queries.tsv" --format trec \
		--plain --limit 1000 ${LEDE_SEARCH_ARGS:-} >"$W/run.lede" 2>>"$W/log"
	rc=$?
	if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
		fail "$name" lede "lede search exited $rc"
		continue
	fi
	record "$name" lede "$W/run.lede" "$t0"
	# The candidate defaults (bench/eval_grid.tsv), for the
	# leave-one-out table; the first, the shipped default, is run.lede.
	if [ "$SMOKE" = 0 ] && [ -f "$GRID" ]; then
		first=1
		while IFS='	' read -r gname gargs; do
			case "$gname" in ''|'#'*) continue ;; esac
			if [ "$first" = 1 ]; then
				first=0
				grun=$W/run.lede
			else
				grun=$W/run.grid-$gname
				# shellcheck disable=SC2086
				"$LEDE_BIN" search -d "$W/lede.db" --queries "$W/queries.tsv" \
					--format trec --plain --limit 1000 ${LEDE_SEARCH_ARGS:-} \
					$gargs >"$grun" 2>>"$W/log"
			fi
			if gscore=$("$EVAL" score "$C/qrels/test.tsv" "$grun" 2>>"$W/log"); then
				printf '%s\t%s\t%s\t0\n' "$name" "$gname" "$gscore" >>"$GRIDRES"
			fi
		done <"$GRID"
	fi
done
T_TOTAL=$(elapsed "$T_ALL" "$(now)")

# ---- the report -----------------------------------------------------------
if ! "$EVAL" report "$RESULTS" >"$WORK/table.md"; then
	echo "eval: could not render the table" >&2
	exit 1
fi
cat "$WORK/table.md"
: >"$WORK/loo.md"
if [ -s "$GRIDRES" ]; then
	"$EVAL" loo "$RESULTS" "$GRIDRES" >"$WORK/loo.md" || : >"$WORK/loo.md"
	echo
	cat "$WORK/loo.md"
fi
echo "eval: wall time ${T_TOTAL}s (index + search + scoring, all systems)"

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$LEDE_OK" = 1 ]; then
	LEDE_VERSION=$("$LEDE_BIN" --version 2>&1 | head -n 5)
else
	LEDE_VERSION="(lede not available yet: $LEDE_BIN missing or its search has no --queries)"
fi

{
	echo "# Relevance evaluation"
	echo
	echo "Generated by \`make eval\` (bench/eval.sh); do not edit by hand."
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- commit: $COMMIT"
	echo "- machine: $(uname -sm), $(nproc 2>/dev/null || echo '?') cores"
	echo "- collections: $EVAL_DIR"
	echo "- wall time: ${T_TOTAL}s for everything below"
	echo "- lede: $LEDE_VERSION" | sed '2,$s/^/  /'
	if [ "$LEDE_OK" = 1 ]; then
		echo "- lede parameters (\`lede stats\` of each evaluation index):"
		for name in $COLLECTIONS; do
			[ -d "$WORK/$name/lede.db" ] || continue
			echo
			echo "  $name:"
			echo
			"$LEDE_BIN" stats -d "$WORK/$name/lede.db" 2>&1 | head -n 30 | sed 's/^/      /'
		done
	else
		echo "- lede parameters: —"
	fi
	echo
	echo "## Results"
	echo
	cat "$WORK/table.md"
	if [ -s "$WORK/loo.md" ]; then
		echo
		echo "## Leave one collection out"
		echo
		echo "Each candidate of \`bench/eval_grid.tsv\` (lede search options; the first is"
		echo "the shipped default) run on every collection; then each collection is"
		echo "scored with the candidate that has the best mean on the other ones, as a"
		echo "default chosen without it would be."
		echo
		cat "$WORK/loo.md"
	fi
	echo
	cat <<'EOF'
## Method

**Collections.** BEIR layout (`corpus.jsonl` with `_id`, `title`, `text`;
`queries.jsonl` with `_id`, `text`; `qrels/test.tsv` with a header line):
TIME (1963 news, 423 docs, 42 queries), Cranfield (aeronautics, graded
relevance 1–4, 1,398 docs, 225 queries), CISI (information science, 1,460
docs, 76 queries), MEDLINE (1,033 docs, 30 queries), CACM (computing
titles and abstracts, many a title only, 3,204 docs, 52 queries) and NPL
(electronics abstracts, lower case, no titles, 11,429 docs, 93 queries). Every system indexes
title and text of the same corpus file and answers the same queries as plain
words, returning its top 1000 documents as a TREC run
(`qid Q0 docid rank score tag`).

**Systems.**

- *lede*: `lede index -d DB --quiet --format jsonl corpus.jsonl`, then
  `lede search -d DB --queries queries.tsv --format trec --limit 1000`, the
  queries as `qid<TAB>text` (tabs and newlines in the text become spaces;
  `build/bench/eval prep-queries`). Passages are ranked and the best passage
  stands for its article.
- *xapian* (`bench/xapian_ref.cc`): Xapian 1.4 as a plain application would
  use it. `TermGenerator` with `Stem("english")` and `STEM_SOME`, positions,
  title then text (with a position gap), document data = `_id`;
  `QueryParser` with the same stemmer and strategy, the database set for
  wildcard/spelling context, default operator OR, default flags (so an
  upper-case AND/OR/NOT in a query is an operator); `BM25Weight()` defaults
  (k1 = 1, k2 = 0, k3 = 1, b = 0.5).
- *fts5* (`bench/fts5_ref.c`): SQLite FTS5 table (docid UNINDEXED, title,
  text) with `tokenize='porter'` (porter over unicode61); the query is an
  OR of its words, each quoted (`"word" OR "word" …`; words are runs of
  ASCII letters/digits and non-ASCII bytes, so punctuation never becomes
  FTS5 syntax), ranked by `bm25()` with its defaults (k1 = 1.2, b = 0.75,
  all columns weight 1).

**Measures** (`bench/trec_metrics.c`, unit-tested by hand-worked cases in
`tests/test_metrics.c`), computed as `trec_eval -c` does:

- the run is re-sorted per query by score descending, ties broken by docid
  in descending `strcmp` order (trec_eval's rule; the rank column is
  ignored); a document repeated in a query keeps its first place; only the
  first 1000 documents count;
- **nDCG@10** = trec_eval `ndcg_cut.10`: gain = the judged grade (Cranfield
  is graded, the others binary), discount 1/log2(rank+1), ideal ranking from
  all judged documents of the query;
- **MAP** = mean average precision at 1000; relevant means grade > 0;
  precision is summed at each relevant retrieved document and divided by
  the number of relevant documents of the query (retrieved or not);
- **R@100** = relevant documents in the top 100 / relevant documents;
- **MRR@10** = 1 / rank of the first relevant document in the top 10,
  else 0;
- the mean is over every query that has judgments in the qrels; a query the
  run does not answer scores 0 (trec_eval `-c`); run queries without
  judgments are ignored.

Note on Cranfield's graded nDCG: trec_eval's gain is the grade itself
(linear), and that is what is reported here. Gains of 2^grade - 1 (Burges'
nDCG, used by some Python toolkits) give lower Cranfield figures, e.g. FTS5
0.351 instead of 0.362 on the same run; the other three collections are
binary, where both agree. The peer figures in ../shared/eval/README.md for
cran match the 2^grade - 1 variant.

The "mean" table weighs each collection equally. "lede vs best peer" divides
lede's nDCG@10 by the better peer's, per collection and on the average over
collections. *seconds* is the wall time of indexing plus searching plus
scoring for that system on that collection (single process, this machine);
it is a rough figure, not a benchmark (see `make bench`).

Reproduce: `make eval` (or `sh bench/eval.sh DIR`); runs, logs and the
indexes are left in `build/bench/eval-work/COLLECTION/`, and
`build/bench/eval score --per-query QRELS RUN` prints per-query figures.
EOF
} >"$DOC.tmp" && mv "$DOC.tmp" "$DOC"
echo "eval: wrote $DOC"

if [ "$SMOKE" = 1 ]; then
	# A smoke test: the pipeline ran and produced the table, nothing more.
	for sys in xapian fts5; do
		if ! grep -q "^| smoke | $sys | [0-9]" "$WORK/table.md"; then
			echo "eval: smoke: no $sys row in the table" >&2
			FAILED=1
		fi
	done
	if [ "$LEDE_OK" = 1 ] && ! grep -q "^| smoke | lede | [0-9]" "$WORK/table.md"; then
		echo "eval: smoke: no lede row in the table" >&2
		FAILED=1
	fi
	[ "$FAILED" = 0 ] && echo "eval: smoke ok"
fi
exit "$FAILED"
