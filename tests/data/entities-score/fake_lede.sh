#!/bin/sh
# A stand-in for `lede` that answers score.py with fixed entities
# (lede_output.tsv: id TAB the JSON `lede show --format json` would print),
# so the scorer is tested on hand-worked cases and not on the tagger.
case $1 in
index) exit 0 ;;
show)
	for id; do :; done # the last argument
	line=$(grep "^$id	" "$(dirname "$0")/lede_output.tsv") || exit 1
	printf '%s\n' "${line#*	}"
	;;
*) exit 2 ;;
esac
