#!/bin/sh
# `make eval`, entity part: precision, recall and F1 of lede's entity tagger
# per type (city, state, official, agency, response) and micro-averaged, at
# article level, against the hand-annotated gold set kept outside the
# repository (its articles are research-use text). The scoring is the gold
# set's own score.py, so lede is measured by the same rule as any peer.
#
#   sh bench/eval_entities.sh [--show-errors] [--top N] [GOLD.jsonl]
#     GOLD defaults to $ENTITY_EVAL_DIR/dev.jsonl, ENTITY_EVAL_DIR to
#     ../shared/eval/entities; score.py is taken from GOLD's folder.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LEDE_BIN=${LEDE_BIN:-$ROOT/build/lede}
DIR=${ENTITY_EVAL_DIR:-$ROOT/../shared/eval/entities}
ARGS=""
GOLD=""
while [ $# -gt 0 ]; do
	case $1 in
	--show-errors) ARGS="$ARGS --show-errors" ;;
	--top) ARGS="$ARGS --top ${2:?--top needs a number}"; shift ;;
	*) GOLD=$1 ;;
	esac
	shift
done
[ -n "$GOLD" ] || GOLD=$DIR/dev.jsonl

if [ ! -f "$GOLD" ]; then
	echo "eval: entities: no gold set at $GOLD; skipped (set ENTITY_EVAL_DIR)"
	exit 0
fi
SCORER=$(dirname "$GOLD")/score.py
[ -f "$SCORER" ] || SCORER=$DIR/score.py
if [ ! -f "$SCORER" ]; then
	echo "eval: entities: no score.py next to $GOLD or in $DIR; skipped"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "eval: entities: python3 not found; skipped"
	exit 0
fi
if [ ! -x "$LEDE_BIN" ]; then
	echo "eval: entities: $LEDE_BIN missing (run make)" >&2
	exit 1
fi
echo "eval: entities ($GOLD)"
# score.py always exits 0 and ends with "micro F1 X.XXX"; a missing last
# line means it broke, which is a failure here.
# shellcheck disable=SC2086
out=$(python3 "$SCORER" "$LEDE_BIN" "$GOLD" $ARGS) || exit 1
printf '%s\n' "$out"
printf '%s\n' "$out" | tail -n 1 | grep -q '^micro F1 [0-9]' || exit 1
