#!/bin/sh
# `make bench-scale`: how lede's indexing time, index size, memory and query
# latency grow with the archive, on generated articles (bench/gen_articles.c
# samples the real corpora's words, lengths and entity rates; every article
# is labelled source "generated", id "gen-N"). Writes the "## Scale" section
# of docs/BENCHMARKS.md and docs/bench-scale.svg.
#
#   sh bench/scale.sh          10k, 100k, then 1M articles if the 100k run
#                              says it fits in about 20 minutes
#   BENCH_SCALE_MAX=N          largest size to run (10000, 100000, 1000000);
#                              with 1000000 the 1M step runs whatever it takes
#   sh bench/scale.sh --smoke  1k and 3k articles, output under
#                              build/bench/scale-smoke/ only
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BB=$ROOT/build/bench
SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1
CORPORA=${BENCH_CORPORA:-$ROOT/../shared/corpora}
BUDGET=${BENCH_SCALE_BUDGET:-1200} # seconds the 1M step may be expected to take

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# The bench programs are built by run.sh's build step.
BUILD_ONLY=1 sh "$ROOT/bench/run.sh" || exit 1

LEDE_BIN=${LEDE_BIN:-$ROOT/build/lede}
if ! { [ -x "$LEDE_BIN" ] && timeout 20 "$LEDE_BIN" --help 2>&1 | grep -q index; }; then
	echo "bench-scale: lede: not available ($LEDE_BIN); nothing to measure"
	exit 0
fi
if [ ! -x "$BB/query_bench" ]; then
	echo "bench-scale: build/bench/query_bench not built (no build/liblede.a?); latency left out" >&2
fi

if [ "$SMOKE" = 1 ]; then
	W=$BB/scale-smoke
	SIZES="1000 3000"
	MAX=3000
else
	W=$BB/scale
	SIZES="10000 100000 1000000"
	MAX=${BENCH_SCALE_MAX:-auto}
fi
rm -rf "$W"
mkdir -p "$W"
LOG=$W/log
: >"$LOG"
T_ALL=$(now)

# The model: the real corpora as one JSON Lines file (shared with make
# bench), else gen_articles' small built-in vocabulary.
MODEL=-
MODEL_NOTE="a small built-in vocabulary"
[ "$SMOKE" = 1 ] && MODEL_NOTE="$MODEL_NOTE (smoke run)" || MODEL_NOTE="$MODEL_NOTE (no corpora found at $CORPORA)"
if [ "$SMOKE" = 0 ] && [ -d "$CORPORA" ]; then
	MODEL=$BB/corpus.jsonl
	if [ ! -s "$MODEL" ]; then
		if ! "$BB/gen_articles" convert "$CORPORA" >"$MODEL.tmp" 2>>"$LOG"; then
			echo "bench-scale: converting the corpora failed (see $LOG)" >&2
			exit 1
		fi
		mv "$MODEL.tmp" "$MODEL"
	fi
	MODEL_NOTE="word frequencies, sentence/paragraph/article/title lengths and entity mention rates of the English documents of $(cd "$CORPORA" && pwd)"
fi

TSV=$W/scale.tsv
echo "# articles	input_bytes	seconds	MB/s	articles/s	index_bytes	compacted_bytes	rss_kb	p50_ms	p99_ms	passages	query_rss_kb" >"$TSV"
SKIPPED=""
LAST_SECS=""
LAST_N=""
for n in $SIZES; do
	if [ "$MAX" != auto ] && [ "$n" -gt "$MAX" ]; then
		SKIPPED="$SKIPPED $n (BENCH_SCALE_MAX=$MAX)"
		continue
	fi
	if [ "$MAX" = auto ] && [ -n "$LAST_SECS" ]; then
		# lede's indexing grows about linearly: project from the last size
		est=$(awk -v s="$LAST_SECS" -v a="$LAST_N" -v b="$n" 'BEGIN { printf "%.0f", s * b / a }')
		if [ "$est" -gt "$BUDGET" ]; then
			echo "bench-scale: skipping $n articles: about ${est}s expected (> ${BUDGET}s); BENCH_SCALE_MAX=$n runs it" >&2
			SKIPPED="$SKIPPED $n (about ${est}s expected; run with BENCH_SCALE_MAX=$n)"
			continue
		fi
	fi
	echo "bench-scale: generating $n articles" >&2
	GEN=$W/gen-$n.jsonl
	if ! "$BB/gen_articles" generate "$n" 42 "$ROOT/corpus/gazetteer" "$MODEL" >"$GEN" 2>>"$LOG"; then
		echo "bench-scale: generating $n articles failed (see $LOG)" >&2
		exit 1
	fi
	bytes=$(wc -c <"$GEN" | tr -d ' ')
	echo "bench-scale: indexing $n articles" >&2
	"$BB/rss" "$W/$n.rss" "$LEDE_BIN" index -d "$W/$n.db" --format jsonl "$GEN" \
		>>"$LOG" 2>"$W/$n.err"
	rc=$?
	cat "$W/$n.err" >>"$LOG"
	if [ "$rc" != 0 ] && [ "$rc" != 4 ]; then
		echo "bench-scale: lede index failed on $n articles (exit $rc, see $W/$n.err)" >&2
		printf '%s\t%s\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n' "$n" "$bytes" >>"$TSV"
		rm -f "$GEN"
		continue
	fi
	read -r secs rss _ <"$W/$n.rss"
	size=$(du -sb "$W/$n.db" | cut -f1)
	csize=NA
	xapian-compact "$W/$n.db" "$W/$n.compact" >>"$LOG" 2>&1 &&
		csize=$(du -sb "$W/$n.compact" | cut -f1)
	rm -rf "$W/$n.compact"
	passages=$(sed -n 's/.*; \([0-9][0-9]*\) passages;.*/\1/p' "$W/$n.err" | tail -n 1)
	p50=NA
	p99=NA
	qrss=NA
	if [ -x "$BB/query_bench" ]; then
		echo "bench-scale: querying $n articles" >&2
		# its peak RSS is a searcher's memory once lede_warm has loaded
		# the facet slots
		"$BB/rss" "$W/q$n.rss" "$BB/query_bench" "$W/$n.db" \
			"$ROOT/bench/queries.txt" >"$W/lat.$n" 2>>"$LOG" &&
			read -r _ qrss _ <"$W/q$n.rss"
		if [ -s "$W/lat.$n" ]; then
			pcts=$(sort -t "$(printf '\t')" -k2,2g "$W/lat.$n" | awk -F'\t' '
				{ t[NR] = $2 }
				function pct(q,   i) { i = int(q * NR + 0.999999); if (i < 1) i = 1; return t[i] }
				END { printf "%.3f %.3f\n", 1000 * pct(0.5), 1000 * pct(0.99) }')
			p50=${pcts% *}
			p99=${pcts#* }
		fi
	fi
	awk -v n="$n" -v b="$bytes" -v s="$secs" -v x="$size" -v c="$csize" -v r="$rss" \
		-v p50="$p50" -v p99="$p99" -v pa="${passages:-NA}" -v q="$qrss" 'BEGIN {
		printf "%d\t%d\t%.1f\t%.2f\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n, b, s,
			b / 1e6 / s, n / s, x, c, r, p50, p99, pa, q }' >>"$TSV"
	LAST_SECS=$secs
	LAST_N=$n
	rm -f "$GEN"
	# the databases are large; keep them only when asked
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$W/$n.db"
done
T_TOTAL=$(elapsed "$T_ALL" "$(now)")

# ---- the report -------------------------------------------------------------
{
	echo "## Scale"
	echo
	echo "Generated by \`make bench-scale\` (bench/scale.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'),"
	echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores;"
	echo "wall time ${T_TOTAL}s. **Generated articles, not real ones**: \`build/bench/gen_articles"
	echo "generate N 42\` writes articles (source \`generated\`, ids \`gen-1\`...) whose"
	echo "text samples $MODEL_NOTE; the same seed gives the same articles, and each"
	echo "size is a prefix of the next. lede indexes each size into a fresh"
	echo "database (\`lede index -d DB --format jsonl\`, defaults), then answers the"
	echo "query set of \`make bench\` through the C library (one thread, warm; the"
	echo "source: and date: filters of that set match nothing here, which is fine"
	echo "for timing). MB = 10^6 bytes; peak RSS is the indexing process's; query RSS"
	echo "is the peak of the query program, which calls \`lede_warm\` (facet values held"
	echo "in memory) before it times the set."
	echo
	echo "| articles | input MB | index s | MB/s | articles/s | index MB | compacted MB | index MB ÷ input MB | peak RSS MB | p50 ms | p99 ms | passages | query RSS MB |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' '/^#/ { next } {
		printf "| %d | %.1f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2 / 1e6,
			$3, $4, $5, ($6 == "NA" ? "—" : sprintf("%.1f", $6 / 1e6)),
			($7 == "NA" ? "—" : sprintf("%.1f", $7 / 1e6)),
			($6 == "NA" ? "—" : sprintf("%.2f", $6 / $2)),
			($8 == "NA" ? "—" : sprintf("%.0f", $8 / 1024)), $9, $10, $11,
			($12 == "NA" || $12 == "" ? "—" : sprintf("%.0f", $12 / 1024)) }' "$TSV"
	if [ -n "$SKIPPED" ]; then
		echo
		echo "Not run:$SKIPPED."
	fi
	echo
	echo "![growth with size](bench-scale.svg)"
} >"$W/scale.md"
cat "$W/scale.md"
if ! sh "$ROOT/bench/plot" "$TSV" >"$W/bench-scale.svg"; then
	echo "bench-scale: drawing the plot failed" >&2
	exit 1
fi
echo "bench-scale: wall time ${T_TOTAL}s"
[ "$SMOKE" = 1 ] && exit 0

cp "$W/bench-scale.svg" "$ROOT/docs/bench-scale.svg"
DOC=$ROOT/docs/BENCHMARKS.md
if [ -f "$DOC" ]; then
	# replace the old Scale section, keep the rest
	sed '/^## Scale/,$d' "$DOC" >"$DOC.tmp"
else
	printf '# Benchmarks\n\nmake bench has not been run here yet.\n' >"$DOC.tmp"
fi
{
	echo
	cat "$W/scale.md"
} >>"$DOC.tmp"
mv "$DOC.tmp" "$DOC"
echo "bench-scale: wrote $DOC and docs/bench-scale.svg"
