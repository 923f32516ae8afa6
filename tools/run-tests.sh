#!/bin/sh
# Run every test suite given, even after a failure; print cmocka's summary of
# each and a closing tally; exit non-zero if any suite failed.
# Suites find the sources through LEDE_SRC, the binary through LEDE_BIN.
LEDE_SRC=$(pwd)
export LEDE_SRC
failed=0
passed=0
for t in "$@"; do
	echo "== $(basename "$t")"
	if "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAILED SUITE: $(basename "$t")"
	fi
done
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
