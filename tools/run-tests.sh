#!/bin/sh
# Run every test suite given, even after a failure, then the smoke runs
# named in $LEDE_SMOKES (eval: make eval on tests/data/eval-smoke; bench:
# make bench on 200 generated articles); print cmocka's summary of each
# and, last, one line that counts them all; exit non-zero if any failed.
# Suites find the sources through LEDE_SRC, the binary through LEDE_BIN.
LEDE_SRC=$(pwd)
export LEDE_SRC
failed=0
passed=0
names=""
for t in "$@"; do
	echo "== $(basename "$t")"
	if "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		names="$names $(basename "$t")"
		echo "FAILED SUITE: $(basename "$t")"
	fi
done
for s in ${LEDE_SMOKES:-}; do
	case "$s" in
	eval) echo "== smoke: make eval on tests/data/eval-smoke"
		cmd="sh bench/eval.sh --smoke" ;;
	bench) echo "== smoke: make bench on 200 generated articles"
		cmd="sh bench/run.sh --smoke" ;;
	*) continue ;;
	esac
	if $cmd; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		names="$names $s-smoke"
	fi
done
[ -n "$names" ] && echo "failed:$names"
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
