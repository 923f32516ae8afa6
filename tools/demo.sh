#!/bin/sh
# make demo: index the bundled sample archive and run example searches.
set -u
LEDE=${LEDE_BIN:-build/lede}
DB=${LEDE_DEMO_DB:-build/demo.db}
rm -rf "$DB"
run() {
	printf '\n$ lede %s\n' "$*"
	"$LEDE" "$@" -d "$DB"
	rc=$?
	[ "$rc" -le 1 ] || { echo "demo: 'lede $*' failed with exit code $rc" >&2; exit 1; }
}
printf '$ lede index corpus/sample\n'
"$LEDE" index -d "$DB" corpus/sample || { echo "demo: indexing failed" >&2; exit 1; }
run stats --top 5
run search 'sanctuary ordinance city:"los angeles"' --facets official,agency
run search 'agency:ice raid' --sort -date --limit 3
run search '"national guard" OR "military deployment"' --limit 3 --facets city
run search 'deportación' --limit 2
run timeline --by year 'sanctuary OR deportation OR asylum'
run search 'title 42 asylum' --format jsonl --limit 1
