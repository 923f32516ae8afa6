#!/bin/sh
# make demo: index the bundled sample archive and run example searches,
# each printed as a command that works when pasted into a shell from the
# repository root (binary and database paths included, arguments quoted).
set -u
LEDE=${LEDE_BIN:-build/lede}
DB=${LEDE_DEMO_DB:-build/demo.db}
# the binary as the user would type it from here
case "$LEDE" in
"$(pwd)"/*) SHOWN=${LEDE#"$(pwd)"/} ;;
*) SHOWN=$LEDE ;;
esac

# quote ARG: ARG as the shell reads it back (single quotes when needed)
quote() {
	case "$1" in
	*[!A-Za-z0-9_./:,=+-]*|'')
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}

# show CMD ARGS...: print the command line as it can be pasted
show() {
	printf '\n$ %s %s -d %s' "$SHOWN" "$1" "$(quote "$DB")"
	shift
	for a in "$@"; do
		printf ' %s' "$(quote "$a")"
	done
	printf '\n'
}

run() {
	show "$@"
	cmd=$1
	shift
	"$LEDE" "$cmd" -d "$DB" "$@"
	rc=$?
	[ "$rc" -le 1 ] || { echo "demo: 'lede $cmd $*' failed with exit code $rc" >&2; exit 1; }
}

rm -rf "$DB"
show index corpus/sample
"$LEDE" index -d "$DB" corpus/sample || { echo "demo: indexing failed" >&2; exit 1; }
run stats --top 5
run search 'sanctuary ordinance city:"los angeles"' --facets official,agency
run search 'agency:ice raid' --sort -date --limit 3
run search '"national guard" OR "military deployment"' --limit 3 --facets city
run search 'deportación' --limit 2
run timeline --by year 'sanctuary OR deportation OR asylum'
run search 'title 42 asylum' --format jsonl --limit 1
printf '\ndemo: the database is %s and the program %s; every command above\n' "$DB" "$SHOWN"
printf 'works as printed from this folder, or set LEDE_DB=%s and leave -d out.\n' "$DB"
