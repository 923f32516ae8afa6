#!/bin/sh
# `make eval`, quote part (`make eval-quotes` alone): span P/R/F1, speaker
# accuracy on matched spans and end-to-end F1 of lede's quote extraction,
# and of our baseline (nearest name to a speech verb in the sentence), on
# the BBC gold set outside the repository and on our Spanish set
# (bench/quotes/es-dev.jsonl: ids and offsets only, the text read from
# ../shared/corpora/spanish_news.jsonl). Scored by the gold set's own
# score.py; each part is skipped when its files are absent.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LEDE_BIN=${LEDE_BIN:-$ROOT/build/lede}
DIR=${QUOTE_EVAL_DIR:-$ROOT/../shared/eval/quotes}
CORPUS=${QUOTE_ES_CORPUS:-$ROOT/../shared/corpora/spanish_news.jsonl}
SCORER=$DIR/score.py
if [ ! -f "$SCORER" ]; then
	echo "eval: quotes: no score.py in $DIR; skipped (set QUOTE_EVAL_DIR)"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "eval: quotes: python3 not found; skipped"
	exit 0
fi
[ -x "$LEDE_BIN" ] || { echo "eval: quotes: $LEDE_BIN missing (run make)" >&2; exit 1; }
rc=0
run() { # NAME GOLD [--corpus C]
	name=$1; gold=$2; shift 2
	for sys in lede baseline; do
		echo "eval: quotes: $name, $sys"
		if [ "$sys" = lede ]; then
			python3 "$ROOT/bench/quotes_eval.py" "$LEDE_BIN" "$gold" "$SCORER" "$@" || rc=1
		else
			python3 "$ROOT/bench/quotes_eval.py" "$LEDE_BIN" "$gold" "$SCORER" --baseline "$@" || rc=1
		fi
	done
}
if [ -f "$DIR/bbc-dev.jsonl" ]; then
	run "BBC politics (bbc-dev.jsonl)" "$DIR/bbc-dev.jsonl"
else
	echo "eval: quotes: no $DIR/bbc-dev.jsonl; BBC part skipped"
fi
if [ -f "$CORPUS" ]; then
	run "Spanish (bench/quotes/es-dev.jsonl)" "$ROOT/bench/quotes/es-dev.jsonl" --corpus "$CORPUS"
else
	echo "eval: quotes: no $CORPUS; Spanish part skipped"
fi
exit $rc
